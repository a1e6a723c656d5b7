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
use serde::Deserialize;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Baseline {
    threats: HashMap<String, Known>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Known {
    severity: Option<Severity>,
    open: bool,
}

/// The part of a saved `analyze --format json` report a baseline reads; other keys are
/// ignored, so reports of older and newer versions read alike.
#[derive(Deserialize)]
struct SavedReport {
    threats: Option<Vec<SavedThreat>>,
}

#[derive(Deserialize)]
struct SavedThreat {
    id: String,
    /// An unknown severity is read as none (it can never have risen).
    severity: Option<String>,
    open: Option<bool>,
    /// Reports without `open` say it by status.
    status: Option<String>,
}

impl SavedThreat {
    fn known(&self) -> Known {
        Known {
            severity: self.severity.as_deref().and_then(Severity::parse),
            open: self.open.unwrap_or(matches!(
                self.status.as_deref(),
                None | Some("open" | "in-progress")
            )),
        }
    }
}

impl Baseline {
    /// Reads the JSON text of `analyze --format json`: its `threats[]` ids, severities
    /// and open flags (or statuses). Fails, saying where, on anything else.
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let json = &mut serde_json::Deserializer::from_str(text);
        let saved: SavedReport = serde_path_to_error::deserialize(json).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if inner.is_syntax() || inner.is_eof() {
                format!("not JSON: {inner}")
            } else {
                format!("{path}: {inner}")
            }
        })?;
        let list = saved
            .threats
            .ok_or("no `threats` list: expected the output of `gambit analyze --format json`")?;
        let threats = list.into_iter().map(|t| {
            let known = t.known();
            (t.id, known)
        });
        Ok(Baseline {
            threats: threats.collect(),
        })
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
