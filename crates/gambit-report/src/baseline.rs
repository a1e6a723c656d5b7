//! A baseline: the threats of an earlier `analyze --format json`, so a CI gate can fail
//! only on what is new (`check --baseline FILE`) and the Markdown report can mark it.
//!
//! A threat is **new** when the baseline does not have its id, when the baseline had it
//! closed (mitigated, accepted, false positive) and it is open now, or when its severity
//! rose. A threat that only got less severe, or stayed, is not new.

use std::collections::HashMap;

use gambit_model::vocab::{Severity, Vocab};
use gambit_rules::Threat;
use gambit_rules::scoring::severity_rank;
use serde_json::Value;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Baseline {
    threats: HashMap<String, Known>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Known {
    severity: Option<Severity>,
    open: bool,
}

impl Baseline {
    /// Reads the JSON text of `analyze --format json`.
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let value: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
        Baseline::from_json(&value)
    }

    /// Reads an `analyze --format json` document: its `threats[]` ids, severities and
    /// open flags (or statuses). Fails, saying where, on anything else.
    pub fn from_json(value: &Value) -> Result<Baseline, String> {
        let list = value
            .get("threats")
            .and_then(Value::as_array)
            .ok_or("no `threats` list: expected the output of `gambit analyze --format json`")?;
        let mut threats = HashMap::with_capacity(list.len());
        for (i, t) in list.iter().enumerate() {
            let id = t
                .get("id")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("threats[{i}] has no string `id`"))?;
            let severity = t
                .get("severity")
                .and_then(Value::as_str)
                .and_then(Severity::parse);
            let open = match t.get("open").and_then(Value::as_bool) {
                Some(open) => open,
                None => matches!(
                    t.get("status").and_then(Value::as_str),
                    None | Some("open" | "in-progress")
                ),
            };
            threats.insert(id.to_owned(), Known { severity, open });
        }
        Ok(Baseline { threats })
    }

    pub fn len(&self) -> usize {
        self.threats.len()
    }

    pub fn is_empty(&self) -> bool {
        self.threats.is_empty()
    }

    pub fn contains(&self, id: &str) -> bool {
        self.threats.contains_key(id)
    }

    /// Whether `t` is new since the baseline (see the module documentation).
    pub fn is_new(&self, t: &Threat) -> bool {
        match self.threats.get(&t.id) {
            None => true,
            Some(known) => {
                let reopened = t.open && !known.open;
                let rose = known
                    .severity
                    .is_some_and(|s| severity_rank(t.severity) > severity_rank(s));
                reopened || rose
            }
        }
    }

    /// The threats of `threats` that are new since the baseline, in their order.
    pub fn new_threats<'a>(&self, threats: &'a [Threat]) -> Vec<&'a Threat> {
        threats.iter().filter(|t| self.is_new(t)).collect()
    }
}
