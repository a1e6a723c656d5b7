use gambit_model::vocab::Access;
use gambit_model::{GrantTarget, IdentityId};

use crate::context::{Context, ExposureLevel};
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// An identity that is not marked privileged but can become a privileged one by
    /// assuming it, directly or through a chain of `assume` grants.
    ///
    /// ## Why it matters
    /// Effective privilege is what an identity can reach, not what it is labelled. Any
    /// compromise of the lesser identity (or of a workload running as it) is an admin
    /// compromise one API call later.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// components:
    ///   app: {kind: service, runs_as: app-role}
    /// identities:
    ///   app-role: {kind: iam-role, grants: [{access: assume, target: org-admin}]}
    ///   org-admin: {kind: iam-role, privileged: true}
    /// ```
    ///
    /// ## How to fix
    /// Remove the assume path, or treat the identity as privileged (MFA, JIT, audit)
    /// and restrict the trust policy of the privileged role to the few principals that
    /// need it.
    pub struct PrivilegeEscalationViaAssume {
        id: "privilege-escalation-via-assume",
        title: "Identity can assume a privileged identity",
        stride: [ElevationOfPrivilege],
        cwe: ["CWE-269"],
        capec: ["CAPEC-233"],
        attack: ["T1548", "T1078.004"],
        controls: ["least-privilege"],
        likelihood: Unlikely,
        impact: VeryHigh,
        fix: "Remove the assume path or restrict the privileged role's trust policy.",
    }
}

/// Hops of a long chain named in the rationale before it skips to the privileged end.
const SHOWN_HOPS: usize = 6;

/// The assume graph, solved once for every identity: `next[i]` is where the chain from `i`
/// to the nearest privileged identity goes first, and `end[i]` the identity it ends at.
/// Among equally short chains it takes the one whose grants come first in the model, as
/// a breadth-first search from `i` would, but in time linear in identities and grants for
/// all of them together.
struct Chains {
    next: Vec<Option<IdentityId>>,
    end: Vec<Option<IdentityId>>,
    steps: Vec<usize>,
}

fn assumes<'m>(cx: &Context<'m>, from: IdentityId) -> impl Iterator<Item = IdentityId> + 'm {
    cx.model[from]
        .grants
        .iter()
        .filter_map(|g| match (g.access, g.target) {
            (Access::Assume, GrantTarget::Identity(j)) => Some(j),
            _ => None,
        })
}

impl Chains {
    fn new(cx: &Context<'_>) -> Chains {
        let n = cx.model.identities.len();
        let mut assumed_by: Vec<Vec<IdentityId>> = vec![Vec::new(); n];
        for (id, _) in cx.identities() {
            for j in assumes(cx, id) {
                assumed_by[j.index()].push(id);
            }
        }
        // Distance to the nearest privileged identity, breadth-first from all of them.
        let mut steps = vec![usize::MAX; n];
        let mut order = Vec::with_capacity(n);
        for (id, identity) in cx.identities() {
            if identity.privileged {
                steps[id.index()] = 0;
                order.push(id);
            }
        }
        let mut at = 0;
        while let Some(&cur) = order.get(at) {
            at += 1;
            for &from in &assumed_by[cur.index()] {
                if steps[from.index()] == usize::MAX {
                    steps[from.index()] = steps[cur.index()] + 1;
                    order.push(from);
                }
            }
        }
        // First hops, then ends in order of distance (so each next hop's end is known).
        let mut next = vec![None; n];
        let mut end = vec![None; n];
        for &id in &order {
            let i = id.index();
            if steps[i] == 0 {
                end[i] = Some(id);
                continue;
            }
            let hop = assumes(cx, id).find(|j| steps[j.index()] == steps[i] - 1);
            next[i] = hop;
            end[i] = hop.and_then(|j| end[j.index()]);
        }
        Chains { next, end, steps }
    }

    /// The chain from `id` as written in the rationale: `a -> b -> c`, or for a long one
    /// its first hops, the count skipped and the privileged end.
    fn describe(&self, cx: &Context<'_>, id: IdentityId) -> Option<String> {
        let end = self.end[id.index()]?;
        let total = self.steps[id.index()];
        let mut hops = Vec::new();
        let mut cur = id;
        while let Some(j) = self.next[cur.index()] {
            if hops.len() == SHOWN_HOPS && total > SHOWN_HOPS + 1 {
                hops.push(format!("... ({} more) ...", total - SHOWN_HOPS - 1));
                hops.push(cx.model[end].id.clone());
                break;
            }
            hops.push(cx.model[j].id.clone());
            cur = j;
        }
        Some(hops.join(" -> "))
    }
}

impl Check for PrivilegeEscalationViaAssume {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let chains = Chains::new(cx);
        for (id, identity) in cx.identities() {
            if identity.privileged {
                continue;
            }
            let Some(path) = chains.describe(cx, id) else {
                continue;
            };
            let exposed: Vec<&str> = identity
                .runs_on
                .iter()
                .filter(|&&c| cx.facts(c).exposure == ExposureLevel::Internet)
                .map(|&c| cx.model[c].id.as_str())
                .collect();
            let mut b = cx
                .finding(&Self::META, Target::Identity(id))
                .because(format!(
                    "{} is not privileged but can assume {path}",
                    identity.id,
                ))
                .impact(gambit_model::vocab::Impact::VeryHigh);
            if !exposed.is_empty() {
                b = b.shift(
                    1,
                    format!("it runs on internet-exposed {}", exposed.join(", ")),
                );
            }
            b.emit(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(text: &str) -> gambit_model::Model {
        let loaded = gambit_model::load_str("t.yaml", text.to_owned(), None, Default::default());
        loaded
            .model
            .unwrap_or_else(|| panic!("{:#?}", loaded.diagnostics))
    }

    fn chains_of(text: &str) -> Vec<(String, Option<String>)> {
        let m = model(text);
        let cx = Context::new(&m);
        let chains = Chains::new(&cx);
        cx.identities()
            .map(|(id, i)| (i.id.clone(), chains.describe(&cx, id)))
            .collect()
    }

    #[test]
    fn the_shortest_chain_wins_and_ties_go_to_the_first_grant() {
        let chains = chains_of(
            "gambit: 1\nidentities:\n  a: {kind: iam-role, grants: [{access: assume, target: b}, {access: assume, target: c}]}\n  b: {kind: iam-role, grants: [{access: assume, target: admin2}]}\n  c: {kind: iam-role, grants: [{access: assume, target: e}, {access: assume, target: admin}]}\n  d: {kind: iam-role, grants: [{access: assume, target: admin2}]}\n  e: {kind: iam-role, grants: [{access: assume, target: a}]}\n  admin: {kind: iam-role, privileged: true}\n  admin2: {kind: iam-role, privileged: true}\n  loner: {kind: iam-role}\n",
        );
        let get = |id: &str| chains.iter().find(|(i, _)| i == id).unwrap().1.clone();
        assert_eq!(
            get("a").as_deref(),
            Some("b -> admin2"),
            "a tie: the first grant"
        );
        assert_eq!(get("c").as_deref(), Some("admin"));
        assert_eq!(get("e").as_deref(), Some("a -> b -> admin2"));
        assert_eq!(get("d").as_deref(), Some("admin2"));
        assert_eq!(get("loner"), None);
    }

    #[test]
    fn a_long_chain_is_solved_once_and_named_briefly() {
        let n = 8_000;
        let mut text = String::from("gambit: 1\nidentities:\n");
        for i in 0..n {
            text.push_str(&format!(
                "  r{i}: {{kind: iam-role, grants: [{{access: assume, target: r{}}}]}}\n",
                i + 1
            ));
        }
        text.push_str(&format!("  r{n}: {{kind: iam-role, privileged: true}}\n"));
        let chains = chains_of(&text);
        assert_eq!(
            chains[0].1.as_deref(),
            Some(
                format!(
                    "r1 -> r2 -> r3 -> r4 -> r5 -> r6 -> ... ({} more) ... -> r{n}",
                    n - 7
                )
                .as_str()
            )
        );
        assert_eq!(chains[n - 1].1.as_deref(), Some(format!("r{n}").as_str()));
    }
}
