//! One weakness, one threat. Two foldings run over the built-in findings before they are
//! scored into threats:
//!
//! 1. Several rules on one fact: where a more specific rule fires on the same fact as a
//!    more general one ([`SUBSUMES`]), the specific finding stays and the general one is
//!    listed under it (`also`).
//! 2. One rule on many flows of one source for one reason (a cluster scheduler deploying
//!    unsigned images to nine services): the flows fold into the finding with the smallest
//!    id, which names all of them.
//!
//! A folded finding keeps the worst likelihood × impact of its members, so folding never
//! hides severity, and its id is one of the ids it had before, so `risks:` decisions keep
//! working (a decision on an id in `also` applies to the threat that lists it).

use std::collections::HashMap;

use gambit_model::{Endpoint, Model};

use crate::finding::{Finding, Target};
use crate::scoring::{severity, severity_rank};

/// How a general finding's target relates to the specific one's for them to be one fact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Relation {
    /// Both are about the same element or flow.
    SameTarget,
    /// The general finding is on a flow into the component the specific one is about.
    FlowInto,
    /// The general finding is on an identity whose credential the specific one's
    /// component holds.
    IdentityHeldBy,
}

/// (specific rule, general rule, relation): the specific one is reported, the general
/// one is listed under it.
const SUBSUMES: &[(&str, &str, Relation)] = &[
    (
        "credential-over-unencrypted-flow",
        "unencrypted-communication",
        Relation::SameTarget,
    ),
    (
        "ci-holds-production-credential",
        "credential-on-exposed-component",
        Relation::SameTarget,
    ),
    (
        "ci-holds-production-credential",
        "secret-outside-vault",
        Relation::SameTarget,
    ),
    (
        "credential-on-exposed-component",
        "secret-outside-vault",
        Relation::SameTarget,
    ),
    (
        "ci-holds-production-credential",
        "third-party-broad-oauth-grant",
        Relation::IdentityHeldBy,
    ),
    (
        "poisoned-pipeline-execution",
        "unsigned-code-flow",
        Relation::FlowInto,
    ),
    (
        "poisoned-pipeline-execution",
        "unpinned-dependencies",
        Relation::FlowInto,
    ),
    (
        "sensitive-data-to-external-llm",
        "sensitive-data-to-third-party",
        Relation::SameTarget,
    ),
    (
        "missing-rate-limiting",
        "no-ddos-protection",
        Relation::SameTarget,
    ),
    (
        "public-datastore",
        "unauthenticated-datastore",
        Relation::SameTarget,
    ),
];

/// Folds findings as the module comment says. Output order follows input order.
pub fn fold(model: &Model, findings: Vec<Finding>) -> Vec<Finding> {
    let findings = fold_subsumed(model, findings);
    fold_same_source(model, findings)
}

/// The id a finding gets as a threat (`RULE@TARGET`).
pub fn finding_id(model: &Model, f: &Finding) -> String {
    format!("{}@{}", f.rule.id, f.target.name(model))
}

/// The targets a specific finding must have to subsume a general finding on `general`:
/// the same target, the component a flow goes into, or the components holding an
/// identity's credentials.
fn subsuming_targets(model: &Model, relation: Relation, general: Target) -> Vec<Target> {
    match (relation, general) {
        (Relation::SameTarget, g) => vec![g],
        (Relation::FlowInto, Target::Flow(f)) => match model[f].to {
            Endpoint::Component(c) => vec![Target::Component(c)],
            Endpoint::Actor(_) => Vec::new(),
        },
        (Relation::IdentityHeldBy, Target::Identity(i)) => model[i]
            .credentials
            .iter()
            .flat_map(|&k| &model[k].held_by)
            .filter_map(|e| match e {
                Endpoint::Component(c) => Some(Target::Component(*c)),
                Endpoint::Actor(_) => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn fold_subsumed(model: &Model, findings: Vec<Finding>) -> Vec<Finding> {
    let mut slots: Vec<Option<Finding>> = findings.into_iter().map(Some).collect();
    // Specific findings by target, so each general finding is one lookup per candidate
    // target (a scan of all specific findings made this quadratic on large models).
    for &(specific, general, relation) in SUBSUMES {
        let mut specifics: HashMap<Target, usize> = HashMap::new();
        for s in indices_of(&slots, specific) {
            let target = slots[s]
                .as_ref()
                .expect("indices_of lists present slots")
                .target;
            specifics.entry(target).or_insert(s);
        }
        if specifics.is_empty() {
            continue;
        }
        for g in indices_of(&slots, general) {
            let Some(target) = slots[g].as_ref().map(|f| f.target) else {
                continue;
            };
            // The first specific finding in input order that subsumes it.
            let Some(s) = subsuming_targets(model, relation, target)
                .iter()
                .filter_map(|t| specifics.get(t).copied())
                .min()
            else {
                continue;
            };
            let absorbed = slots[g].take().expect("present: just read");
            let keeper = slots[s]
                .as_mut()
                .expect("specific findings are never taken");
            absorb(model, keeper, absorbed);
        }
    }
    slots.into_iter().flatten().collect()
}

fn indices_of(slots: &[Option<Finding>], rule: &str) -> Vec<usize> {
    slots
        .iter()
        .enumerate()
        .filter(|(_, f)| f.as_ref().is_some_and(|f| f.rule.id == rule))
        .map(|(i, _)| i)
        .collect()
}

fn fold_same_source(model: &Model, findings: Vec<Finding>) -> Vec<Finding> {
    // Group flow findings by (rule, source); the member with the smallest id keeps.
    let mut groups: std::collections::HashMap<(&'static str, Endpoint), Vec<usize>> =
        std::collections::HashMap::new();
    for (i, f) in findings.iter().enumerate() {
        if let Target::Flow(flow) = f.target {
            groups
                .entry((f.rule.id, model[flow].from))
                .or_default()
                .push(i);
        }
    }
    let mut slots: Vec<Option<Finding>> = findings.into_iter().map(Some).collect();
    let mut keyed: Vec<Vec<usize>> = groups.into_values().filter(|g| g.len() > 1).collect();
    keyed.sort(); // deterministic regardless of hashing
    for mut members in keyed {
        members.sort_by_key(|&i| {
            let f = slots[i].as_ref().expect("each index is in one group");
            model[flow_of(f)].id.clone()
        });
        let keeper = members[0];
        let names: Vec<String> = members[1..]
            .iter()
            .map(|&i| {
                model[flow_of(slots[i].as_ref().expect("unique"))]
                    .id
                    .clone()
            })
            .collect();
        for &i in &members[1..] {
            let absorbed = slots[i].take().expect("each index is in one group");
            let keep = slots[keeper].as_mut().expect("the keeper stays");
            absorb(model, keep, absorbed);
        }
        let keep = slots[keeper].as_mut().expect("the keeper stays");
        keep.rationale = format!("{}; the same on {}", keep.rationale, names.join(", "));
    }
    slots.into_iter().flatten().collect()
}

fn flow_of(f: &Finding) -> gambit_model::FlowId {
    match f.target {
        Target::Flow(flow) => flow,
        _ => unreachable!("only flow findings are grouped"),
    }
}

/// Lists `absorbed` under `keeper`: its id (and what it had absorbed), its assets, and
/// its likelihood and impact when those rate worse.
fn absorb(model: &Model, keeper: &mut Finding, absorbed: Finding) {
    keeper.also.push(finding_id(model, &absorbed));
    keeper.also.extend(absorbed.also.iter().cloned());
    for a in &absorbed.assets {
        if !keeper.assets.contains(a) {
            keeper.assets.push(*a);
        }
    }
    let worse = severity_rank(severity(absorbed.likelihood, absorbed.impact))
        > severity_rank(severity(keeper.likelihood, keeper.impact));
    if worse {
        keeper.likelihood = absorbed.likelihood;
        keeper.impact = absorbed.impact;
        keeper.factors = absorbed.factors;
    }
}
