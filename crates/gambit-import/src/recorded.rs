//! Threats that people recorded in another tool, and their decisions.
//!
//! Gambit's `risks:` entries are decisions on threats that an analysis finds, named
//! `RULE@TARGET`; a decision on a threat that no rule raises is reported as stale. So each
//! recorded threat becomes a custom rule of its own (`<tool>-<title slug>`), raised
//! exactly on the elements it was recorded on (`when: component.id in [...]`), and its
//! status and mitigation become a `risks:` entry on that threat. The human decision stays
//! live: it is applied on every analysis, and it turns stale if the element disappears.

use std::collections::BTreeMap;

use crate::draft::{Entry, Fields};
use crate::ids::slug;

/// The kind of element a recorded threat sits on (a custom rule's `applies_to`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum On {
    Actor,
    Component,
    Flow,
}

impl On {
    fn name(self) -> &'static str {
        match self {
            On::Actor => "actor",
            On::Component => "component",
            On::Flow => "flow",
        }
    }
}

/// One threat as recorded in the source tool, on one element.
#[derive(Clone, Debug, Default)]
pub(crate) struct Recorded {
    /// What names the rule (`<tool>-<slug of key>`): the tool's own category id when it
    /// has one, else the title.
    pub(crate) key: Option<String>,
    pub(crate) title: String,
    pub(crate) description: Option<String>,
    pub(crate) stride: Vec<&'static str>,
    pub(crate) likelihood: Option<&'static str>,
    pub(crate) impact: Option<&'static str>,
    pub(crate) mitigation: Option<String>,
    pub(crate) cwe: Vec<String>,
    /// A Gambit risk status: open, in-progress, mitigated, accepted, false-positive.
    pub(crate) status: &'static str,
    pub(crate) justification: Option<String>,
    pub(crate) owner: Option<String>,
    pub(crate) ticket: Option<String>,
    /// Extra facts of the decision, written as `x-` keys (e.g. `x-checked-by`).
    pub(crate) extra: Vec<(&'static str, String)>,
    /// Where it came from, for the comment above the entry.
    pub(crate) origin: String,
}

/// The custom rules and decisions built from every recorded threat of one model.
pub(crate) struct Recorder {
    tool: &'static str,
    /// Rule id → (rule, the targets it is raised on); one rule per title and element kind.
    rules: BTreeMap<String, RuleDraft>,
    risks: Vec<Entry>,
}

struct RuleDraft {
    on: On,
    first: Recorded,
    targets: Vec<String>,
}

impl Recorder {
    pub(crate) fn new(tool: &'static str) -> Self {
        Recorder {
            tool,
            rules: BTreeMap::new(),
            risks: Vec::new(),
        }
    }

    /// Records `threat` on the element `target` (its Gambit id) of kind `on`.
    pub(crate) fn record(&mut self, on: On, target: &str, mut threat: Recorded) {
        if threat.title.trim().is_empty() {
            threat.title = "untitled threat".to_owned();
        }
        let rule_id = self.rule_id(on, threat.key.as_deref().unwrap_or(&threat.title), target);
        let mut risk = Fields::default();
        risk.str("threat", format!("{rule_id}@{target}"))
            .str("status", threat.status)
            .opt_str("justification", threat.justification.as_deref())
            .opt_str("owner", threat.owner.as_deref())
            .opt_str("ticket", threat.ticket.as_deref());
        for (key, value) in &threat.extra {
            risk.str(key, value.as_str());
        }
        self.risks.push(Entry {
            origin: threat.origin.clone(),
            notes: Vec::new(),
            fields: risk,
        });
        let rule = self.rules.entry(rule_id).or_insert_with(|| RuleDraft {
            on,
            first: threat,
            targets: Vec::new(),
        });
        if !rule.targets.iter().any(|t| t == target) {
            rule.targets.push(target.to_owned());
        }
    }

    /// The rule for a title on this kind of element: the first of `<tool>-<slug>`,
    /// `<tool>-<slug>-2`, ... that is free or already raised on other elements of the kind
    /// (two threats of one title on one element need two threat ids).
    fn rule_id(&self, on: On, title: &str, target: &str) -> String {
        let base = format!("{}-{}", self.tool, slug(title));
        let mut id = base.clone();
        let mut n = 2;
        while self
            .rules
            .get(&id)
            .is_some_and(|r| r.on != on || r.targets.iter().any(|t| t == target))
        {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }

    /// The `rules:` and `risks:` entries.
    pub(crate) fn finish(self) -> (Vec<Entry>, Vec<Entry>) {
        let rules = self
            .rules
            .into_iter()
            .map(|(id, rule)| {
                let targets: Vec<String> = rule
                    .targets
                    .iter()
                    .map(|t| serde_json::Value::from(t.as_str()).to_string())
                    .collect();
                let t = &rule.first;
                let mut fields = Fields::default();
                fields
                    .str("id", id)
                    .str("title", t.title.as_str())
                    .opt_str("description", t.description.as_deref())
                    .str("applies_to", rule.on.name())
                    .str(
                        "when",
                        format!("{}.id in [{}]", rule.on.name(), targets.join(", ")),
                    )
                    .list("stride", t.stride.iter().map(|s| (*s).to_owned()).collect());
                if let Some(l) = t.likelihood {
                    fields.str("likelihood", l);
                }
                if let Some(i) = t.impact {
                    fields.str("impact", i);
                }
                fields
                    .opt_str("mitigation", t.mitigation.as_deref())
                    .list("cwe", t.cwe.clone());
                Entry {
                    origin: format!(
                        "recorded threat \"{}\"; raised where it was recorded",
                        t.title
                    ),
                    notes: Vec::new(),
                    fields,
                }
            })
            .collect();
        (rules, self.risks)
    }
}

/// The STRIDE category of a name as tools write it ("Information disclosure",
/// "InformationDisclosure", "information-disclosure", "I").
pub(crate) fn stride(name: &str) -> Option<&'static str> {
    let key: String = name
        .chars()
        .filter(char::is_ascii_alphabetic)
        .collect::<String>()
        .to_ascii_lowercase();
    Some(match key.as_str() {
        "spoofing" | "s" => "spoofing",
        "tampering" | "t" => "tampering",
        "repudiation" | "r" => "repudiation",
        "informationdisclosure" | "i" => "information-disclosure",
        "denialofservice" | "d" => "denial-of-service",
        "elevationofprivilege" | "e" => "elevation-of-privilege",
        _ => return None,
    })
}

/// Impact from a tool's severity word (low / medium / high / critical).
pub(crate) fn impact_of_severity(severity: &str) -> Option<&'static str> {
    Some(match severity.trim().to_ascii_lowercase().as_str() {
        "low" | "info" | "informational" => "low",
        "medium" | "moderate" | "elevated" => "medium",
        "high" => "high",
        "critical" | "very-high" | "very high" => "very-high",
        _ => return None,
    })
}
