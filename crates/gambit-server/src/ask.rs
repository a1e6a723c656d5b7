//! Questions in plain words. [`parse`] turns a question into a structured [`Query`] by
//! keywords and the model's own element names (deterministic: the same question on the
//! same model gives the same query); [`answer`] runs it on the engines the CLI uses and
//! says the answer in a sentence, with the same JSON documents as the API's views.
//! A question it cannot place gets example questions and, for a misspelt name, a
//! did-you-mean. An optional OpenAI-compatible service ([`llm`]) may translate what the
//! keywords miss into the same `Query`.

pub mod llm;

use serde::{Deserialize, Serialize};

use gambit_graph::{Analysis, Index};
use gambit_model::vocab::{Severity, Vocab};
use gambit_model::{AssetId, AttackerSpec, ComponentId, Model};
use gambit_report::attack::{ExposureDocument, PathsDocument};
use gambit_report::report::{Sorted, SortedKeys};

use crate::analysis::Analyzed;
use crate::error::ApiError;

/// The longest question taken, in characters.
pub const MAX_QUESTION: usize = 500;

/// What a question asks, as data. `kind` names it in JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Query {
    /// Which assets each attacker can read or write (`attacker`: only this one).
    Exposure { attacker: Option<String> },
    /// All that code execution on a component reaches.
    BlastRadius { component: String },
    /// The best attack paths to an asset.
    Paths { asset: String },
    /// What a component (once compromised) or an actor (as an insider) can access.
    Access { element: String },
    /// Which attackers can read (or write) an asset, and in how many steps.
    WhoCan { access: String, asset: String },
    /// Open threats at or above a severity.
    Threats { at_least: String },
    /// What changed since the previous version.
    Changes,
    /// The choke points: the fewest fixes that cut every path to a crown jewel.
    FixFirst,
}

/// A question that could not be placed.
#[derive(Debug, Serialize)]
pub struct NotUnderstood {
    pub query: Option<()>,
    pub answer: String,
    pub suggestions: Vec<String>,
}

/// The answer to a question.
#[derive(Debug, Serialize)]
pub struct Answer {
    pub query: Query,
    pub answer: String,
    pub result: serde_json::Value,
}

/// Questions the parser understands, offered when it understands nothing.
const EXAMPLES: [&str; 8] = [
    "Which assets are exposed?",
    "What is the blast radius of COMPONENT?",
    "How can an attacker reach ASSET?",
    "What can COMPONENT access?",
    "Who can read ASSET?",
    "Which threats are critical?",
    "What changed since the last version?",
    "What should we fix first?",
];

/// The words of a question: lower case, element-id characters kept together.
fn words(question: &str) -> Vec<String> {
    question
        .to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':')))
        .map(|w| w.trim_matches(|c| c == '.' || c == ':').to_owned())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Words that are never element names, so a misspelt name is looked for only among the
/// others.
const COMMON: &[&str] = &[
    "a",
    "an",
    "the",
    "of",
    "is",
    "are",
    "what",
    "which",
    "who",
    "whom",
    "how",
    "can",
    "could",
    "do",
    "does",
    "we",
    "i",
    "to",
    "from",
    "on",
    "in",
    "it",
    "its",
    "be",
    "by",
    "for",
    "with",
    "and",
    "or",
    "blast",
    "radius",
    "reach",
    "reaches",
    "access",
    "accesses",
    "read",
    "write",
    "modify",
    "attacker",
    "attackers",
    "an",
    "get",
    "assets",
    "asset",
    "exposed",
    "exposure",
    "threats",
    "threat",
    "critical",
    "high",
    "elevated",
    "medium",
    "low",
    "risks",
    "risk",
    "changed",
    "change",
    "changes",
    "since",
    "last",
    "version",
    "previous",
    "should",
    "fix",
    "first",
    "path",
    "paths",
    "attack",
    "me",
    "show",
    "list",
    "all",
    "there",
    "any",
    "our",
    "my",
    "if",
    "compromised",
    "compromise",
    "someone",
    "insider",
    "insiders",
    "internet",
    "open",
    "at",
    "least",
    "above",
    "or",
    "steal",
    "tamper",
    "with",
    "data",
    "whats",
    "what's",
    "that",
    "this",
    "has",
    "have",
    "been",
    "new",
    "diff",
    "priority",
    "prioritise",
    "prioritize",
    "most",
    "important",
    "chokepoints",
    "choke",
    "points",
    "hack",
    "hacked",
    "could",
    "would",
    "does",
    "happen",
    "happens",
    "into",
];

/// What kind of element a question needs.
#[derive(Clone, Copy)]
enum Needs {
    Component,
    Asset,
    ComponentOrActor,
}

/// Turns a question into a query, or says why not.
pub fn parse(question: &str, model: &Model) -> Result<Query, NotUnderstood> {
    // The did-you-mean budget is per thread and per load; a question is bounded, so it
    // gets a fresh one (a server thread answers many).
    gambit_model::suggest::reset_budget();
    let words = words(question);
    let has = |w: &str| words.iter().any(|x| x == w);
    let phrase = |p: &str| words.join(" ").contains(p);
    let severity = ["critical", "high", "elevated", "medium", "low"]
        .into_iter()
        .find(|s| has(s));

    if has("blast") || phrase("if we lose") || (has("compromised") && !has("what")) {
        let component = name(&words, model, Needs::Component, "a blast radius")?;
        return Ok(Query::BlastRadius { component });
    }
    if has("changed") || has("changes") || has("diff") || phrase("since the last") {
        return Ok(Query::Changes);
    }
    if (has("fix") && (has("first") || has("what") || has("should")))
        || has("prioritise")
        || has("prioritize")
        || has("chokepoints")
        || phrase("choke points")
    {
        return Ok(Query::FixFirst);
    }
    if has("who")
        && (has("read")
            || has("write")
            || has("modify")
            || has("access")
            || has("steal")
            || has("tamper"))
    {
        let access = if has("write") || has("modify") || has("tamper") {
            "write"
        } else {
            "read"
        };
        let asset = name(&words, model, Needs::Asset, "who can access an asset")?;
        return Ok(Query::WhoCan {
            access: access.into(),
            asset,
        });
    }
    if (has("how") || has("path") || has("paths"))
        && (has("reach")
            || has("get")
            || has("attack")
            || has("steal")
            || has("path")
            || has("paths"))
    {
        let asset = name(&words, model, Needs::Asset, "the attack paths to an asset")?;
        return Ok(Query::Paths { asset });
    }
    if has("what") && (has("access") || has("reach") || has("reaches")) {
        let element = name(
            &words,
            model,
            Needs::ComponentOrActor,
            "what an element can access",
        )?;
        return Ok(Query::Access { element });
    }
    if has("threats") || has("threat") || has("risks") || (severity.is_some() && has("what")) {
        return Ok(Query::Threats {
            at_least: severity.unwrap_or("high").into(),
        });
    }
    if has("exposed") || has("exposure") || has("exposes") {
        let attacker = if has("insider") || has("insiders") {
            model
                .actors
                .iter()
                .find(|a| has(&a.id.to_lowercase()))
                .map(|a| format!("insider:{}", a.id))
        } else if has("internet") {
            Some("internet".into())
        } else {
            None
        };
        return Ok(Query::Exposure { attacker });
    }
    Err(NotUnderstood {
        query: None,
        answer: "I did not understand the question. I answer questions like these (name the model's own elements):".into(),
        suggestions: EXAMPLES.iter().map(|s| (*s).to_owned()).collect(),
    })
}

/// The element a question names: a word that is an id of the kind needed, or the error
/// with a did-you-mean for the closest misspelt word.
fn name(
    words: &[String],
    model: &Model,
    needs: Needs,
    what: &str,
) -> Result<String, NotUnderstood> {
    let components = model.components.iter().map(|c| c.id.as_str());
    let ids: Vec<&str> = match needs {
        Needs::Component => components.collect(),
        Needs::Asset => model.assets.iter().map(|a| a.id.as_str()).collect(),
        Needs::ComponentOrActor => components
            .chain(model.actors.iter().map(|a| a.id.as_str()))
            .collect(),
    };
    if let Some(found) = words
        .iter()
        .find_map(|w| ids.iter().find(|id| id.to_lowercase() == *w))
    {
        return Ok((*found).to_owned());
    }
    let kind = match needs {
        Needs::Component => "component",
        Needs::Asset => "asset",
        Needs::ComponentOrActor => "component or actor",
    };
    let hint = words
        .iter()
        .filter(|w| !COMMON.contains(&w.as_str()))
        .find_map(|w| gambit_model::suggest::did_you_mean(w, ids.iter().copied()));
    let mut suggestions: Vec<String> = Vec::new();
    let answer = match hint {
        Some(h) => format!(
            "I understood a question about {what}, but no {kind} of the model is named in it: {h}"
        ),
        None => {
            suggestions = ids.iter().take(10).map(|id| (*id).to_owned()).collect();
            format!(
                "I understood a question about {what}, but no {kind} of the model is named in it; the {kind}s include:"
            )
        }
    };
    Err(NotUnderstood {
        query: None,
        answer,
        suggestions,
    })
}

/// " (did you mean `x`?)" for a word of a request, or nothing. The did-you-mean budget
/// is per thread and meant for one load; each request's word is bounded, so each gets a
/// fresh one (a server thread answers many requests).
pub fn hint<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    gambit_model::suggest::reset_budget();
    gambit_model::suggest::did_you_mean(word, candidates)
        .map(|h| format!(" ({h})"))
        .unwrap_or_default()
}

/// A component id named in a request, with a did-you-mean.
pub fn component(model: &Model, id: &str) -> Result<ComponentId, ApiError> {
    model.component_id(id).ok_or_else(|| {
        let hint = hint(id, model.components.iter().map(|c| c.id.as_str()));
        ApiError::Unprocessable(format!(
            "`{}` is not a component of the model{hint}",
            clip(id)
        ))
    })
}

/// An asset id named in a request, with a did-you-mean.
pub fn asset(model: &Model, id: &str) -> Result<AssetId, ApiError> {
    model.asset_id(id).ok_or_else(|| {
        let hint = hint(id, model.assets.iter().map(|a| a.id.as_str()));
        ApiError::Unprocessable(format!("`{}` is not an asset of the model{hint}", clip(id)))
    })
}

fn clip(s: &str) -> String {
    s.chars().take(80).collect()
}

fn value<T: Serialize>(v: T) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(v).map_err(|e| ApiError::Internal(e.to_string()))
}

/// At most this many items are named in an answer's sentence; the result has them all.
const NAMED: usize = 8;

fn list(items: &[String]) -> String {
    let mut text = items
        .iter()
        .take(NAMED)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > NAMED {
        text.push_str(&format!(" and {} more", items.len() - NAMED));
    }
    text
}

/// "`element`, `role`, can access N assets: a (read+write), …", or that it reaches none.
fn access_sentence<'a>(
    element: &str,
    role: &str,
    assets: impl Iterator<Item = (&'a str, &'a [&'a str])>,
) -> String {
    let assets: Vec<String> = assets
        .map(|(asset, access)| format!("{asset} ({})", access.join("+")))
        .collect();
    if assets.is_empty() {
        format!("{element}, {role}, reaches no asset.")
    } else {
        format!(
            "{element}, {role}, can access {} assets: {}.",
            assets.len(),
            list(&assets)
        )
    }
}

/// Runs a query on a version's analysis (`previous`: the version before, for changes).
pub fn answer(
    query: &Query,
    analyzed: &Analyzed,
    previous: Option<&Analyzed>,
) -> Result<Answer, ApiError> {
    let model = &analyzed.model;
    let report = &analyzed.report;
    let (text, result) = match query {
        Query::Exposure { attacker } => {
            let exposure: Vec<_> = report
                .exposure
                .iter()
                .filter(|e| attacker.as_ref().is_none_or(|a| e.attacker == *a))
                .cloned()
                .collect();
            let items: Vec<String> = exposure
                .iter()
                .map(|e| {
                    let jewel = if e.crown_jewel { " (crown jewel)" } else { "" };
                    format!(
                        "{}{jewel} to {} ({}, {} steps)",
                        e.asset,
                        e.attacker,
                        e.access.join("+"),
                        e.steps
                    )
                })
                .collect();
            let text = if items.is_empty() {
                "No asset is exposed to an attacker.".to_owned()
            } else {
                format!("{} exposures: {}.", items.len(), list(&items))
            };
            (
                text,
                value(ExposureDocument {
                    exposure: SortedKeys(&exposure),
                })?,
            )
        }
        Query::BlastRadius { component: id } => {
            let from = component(model, id)?;
            let index = Index::new(model);
            let radius = gambit_graph::blast_radius(model, &index, from);
            let assets: Vec<String> = radius
                .assets
                .iter()
                .map(|a| format!("{} ({})", a.asset, a.access.join("+")))
                .collect();
            let text = format!(
                "Code execution on {id} reaches {} components, {} identities, {} credentials and {} assets{}{}.",
                radius.components.len(),
                radius.identities.len(),
                radius.credentials.len(),
                radius.assets.len(),
                if assets.is_empty() { "" } else { ": " },
                list(&assets)
            );
            (text, value(Sorted(&radius))?)
        }
        Query::Paths { asset: id } => {
            let goal = asset(model, id)?;
            let paths = Analysis::run(model, &[]).paths(3, Some(&[goal]));
            let text = match paths.first() {
                None => format!("No attacker of the model can reach {id}."),
                Some(best) => {
                    let steps: Vec<String> = best
                        .steps
                        .iter()
                        .enumerate()
                        .map(|(i, s)| {
                            format!(
                                "{}. {} on {} by {} via {}",
                                i + 1,
                                s.gains,
                                s.on,
                                s.technique,
                                s.via
                            )
                        })
                        .collect();
                    format!(
                        "{} paths; the best, for {}, has {} steps: {}.",
                        paths.len(),
                        best.attacker,
                        best.steps.len(),
                        steps.join("; ")
                    )
                }
            };
            (
                text,
                value(PathsDocument {
                    attack_paths: SortedKeys(&paths),
                })?,
            )
        }
        Query::Access { element } => {
            if let Some(from) = model.component_id(element) {
                let index = Index::new(model);
                let radius = gambit_graph::blast_radius(model, &index, from);
                let assets = radius.assets.iter().map(|a| (a.asset, a.access));
                let text = access_sentence(element, "once compromised", assets);
                (text, value(Sorted(&radius))?)
            } else {
                let actor = model.actor_id(element).ok_or_else(|| {
                    ApiError::Unprocessable(format!(
                        "`{}` is neither a component nor an actor",
                        clip(element)
                    ))
                })?;
                let exposure = Analysis::run(model, &[AttackerSpec::Insider(actor)]).exposure();
                let assets = exposure.iter().map(|e| (e.asset.as_str(), &e.access[..]));
                let text = access_sentence(element, "as an insider", assets);
                (
                    text,
                    value(ExposureDocument {
                        exposure: SortedKeys(&exposure),
                    })?,
                )
            }
        }
        Query::WhoCan { access, asset: id } => {
            asset(model, id)?;
            let exposure: Vec<_> = report
                .exposure
                .iter()
                .filter(|e| e.asset == *id && e.access.contains(&access.as_str()))
                .cloned()
                .collect();
            let who: Vec<String> = exposure
                .iter()
                .map(|e| format!("{} in {} steps", e.attacker, e.steps))
                .collect();
            let text = if who.is_empty() {
                format!("No attacker of the model can {access} {id}.")
            } else {
                format!("{} can {access} {id}: {}.", who.len(), list(&who))
            };
            (
                text,
                value(ExposureDocument {
                    exposure: SortedKeys(&exposure),
                })?,
            )
        }
        Query::Threats { at_least } => {
            let floor = Severity::parse(at_least).ok_or_else(|| {
                ApiError::Unprocessable(format!("`{}` is not a severity", clip(at_least)))
            })?;
            let threats: Vec<_> = report
                .threats
                .iter()
                .filter(|t| t.open && t.severity >= floor)
                .cloned()
                .collect();
            let items: Vec<String> = threats
                .iter()
                .map(|t| format!("{} ({})", t.id, t.severity))
                .collect();
            let text = if items.is_empty() {
                format!("No open threat is {at_least} or above.")
            } else {
                format!(
                    "{} open threats at {at_least} or above: {}.",
                    items.len(),
                    list(&items)
                )
            };
            (text, serde_json::json!({"threats": value(&threats)?}))
        }
        Query::Changes => match previous {
            None => (
                "This is the first version: nothing to compare with.".to_owned(),
                serde_json::Value::Null,
            ),
            Some(old) => {
                let d = gambit_report::diff::diff(&old.report, report);
                let text = format!(
                    "Since the previous version: {} threats added, {} resolved, {} changed; {} attack paths added, {} removed; {} exposures gained, {} lost.",
                    d.threats.added.len(),
                    d.threats.resolved.len(),
                    d.threats.changed.len(),
                    d.attack_paths.added.len(),
                    d.attack_paths.removed.len(),
                    d.exposure.gained.len(),
                    d.exposure.lost.len()
                );
                (text, value(&d)?)
            }
        },
        Query::FixFirst => {
            let answer = Analysis::run(model, &[]).chokepoints();
            let fixes: Vec<String> = answer
                .chokepoints
                .iter()
                .map(|c| format!("{} (cuts {} paths)", c.fix, c.cuts))
                .collect();
            let text = if fixes.is_empty() {
                "No attack path reaches a crown jewel: nothing to cut.".to_owned()
            } else {
                format!("Fix first: {}.", list(&fixes))
            };
            (text, value(Sorted(&answer))?)
        }
    };
    Ok(Answer {
        query: query.clone(),
        answer: text,
        result,
    })
}

/// Whether every element a query names is in the model (for queries from outside).
pub fn names_exist(query: &Query, model: &Model) -> bool {
    match query {
        Query::BlastRadius { component } => model.component_id(component).is_some(),
        Query::Paths { asset } | Query::WhoCan { asset, .. } => model.asset_id(asset).is_some(),
        Query::Access { element } => {
            model.component_id(element).is_some() || model.actor_id(element).is_some()
        }
        Query::Threats { at_least } => Severity::parse(at_least).is_some(),
        Query::Exposure { .. } | Query::Changes | Query::FixFirst => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_answers_name_each_asset_with_its_access() {
        let assets = [("orders", &["read", "write"][..]), ("logs", &["read"][..])];
        assert_eq!(
            access_sentence("web", "once compromised", assets.into_iter()),
            "web, once compromised, can access 2 assets: orders (read+write), logs (read)."
        );
        assert_eq!(
            access_sentence("ops", "as an insider", std::iter::empty()),
            "ops, as an insider, reaches no asset."
        );
    }

    const MODEL: &str = r#"
gambit: 1
name: shop
assets:
  card-tokens: {classification: restricted, integrity: critical}
  db-password: {kind: credential, grants: app-db-user}
actors:
  support-staff: {kind: user, trust: internal, zone: dmz}
zones:
  dmz: {kind: network}
  data: {kind: network, isolated: true}
components:
  web: {kind: web-app, zone: dmz, public: true, holds: [db-password]}
  payments-db: {kind: database, zone: data, stores: [card-tokens]}
identities:
  app-db-user: {kind: database-user, grants: [{access: write, target: payments-db}]}
flows:
  - {from: web, to: payments-db, protocol: postgres, authentication: password, credential: db-password}
"#;

    fn model() -> Model {
        let loaded = gambit_model::load_str("m.yaml", MODEL.into(), None, Default::default());
        loaded
            .model
            .unwrap_or_else(|| panic!("{:?}", loaded.diagnostics))
    }

    fn q(question: &str) -> Query {
        parse(question, &model()).unwrap_or_else(|e| panic!("{question}: {}", e.answer))
    }

    #[test]
    fn the_questions_of_the_issue_are_understood() {
        assert_eq!(
            q("Which assets are exposed?"),
            Query::Exposure { attacker: None }
        );
        assert_eq!(
            q("Which assets are exposed to the internet?"),
            Query::Exposure {
                attacker: Some("internet".into())
            }
        );
        assert_eq!(
            q("What is the blast radius of web?"),
            Query::BlastRadius {
                component: "web".into()
            }
        );
        assert_eq!(
            q("How can an attacker reach card-tokens?"),
            Query::Paths {
                asset: "card-tokens".into()
            }
        );
        assert_eq!(
            q("What can web access?"),
            Query::Access {
                element: "web".into()
            }
        );
        assert_eq!(
            q("What can support-staff access?"),
            Query::Access {
                element: "support-staff".into()
            }
        );
        assert_eq!(
            q("Who can read card-tokens?"),
            Query::WhoCan {
                access: "read".into(),
                asset: "card-tokens".into()
            }
        );
        assert_eq!(
            q("who can WRITE card-tokens"),
            Query::WhoCan {
                access: "write".into(),
                asset: "card-tokens".into()
            }
        );
        assert_eq!(
            q("Which threats are critical?"),
            Query::Threats {
                at_least: "critical".into()
            }
        );
        assert_eq!(q("What changed since the last version?"), Query::Changes);
        assert_eq!(q("What should we fix first?"), Query::FixFirst);
    }

    #[test]
    fn a_misspelt_name_gets_a_did_you_mean() {
        let e = parse("What is the blast radius of paymnts-db?", &model()).unwrap_err();
        assert!(
            e.answer.contains("did you mean `payments-db`"),
            "{}",
            e.answer
        );
        let e = parse("how can an attacker reach the card tokens", &model()).unwrap_err();
        assert!(e.answer.contains("asset"), "{}", e.answer);
    }

    #[test]
    fn an_unknown_question_gets_examples() {
        let e = parse("Is it going to rain?", &model()).unwrap_err();
        assert!(e.query.is_none());
        assert_eq!(e.suggestions.len(), EXAMPLES.len());
    }

    #[test]
    fn queries_read_back_from_json_are_strict() {
        let query: Query =
            serde_json::from_str(r#"{"kind": "blast-radius", "component": "web"}"#).unwrap();
        assert_eq!(
            query,
            Query::BlastRadius {
                component: "web".into()
            }
        );
        assert!(
            serde_json::from_str::<Query>(
                r#"{"kind": "blast-radius", "component": "web", "x": 1}"#
            )
            .is_err()
        );
        assert!(names_exist(&query, &model()));
        assert!(!names_exist(
            &Query::Paths {
                asset: "nope".into()
            },
            &model()
        ));
    }
}
