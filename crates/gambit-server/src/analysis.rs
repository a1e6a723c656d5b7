//! A model version's analysis, computed by the same library calls as the CLI: the
//! loader, `gambit_rules::analyze` and `gambit_report::assemble::report`. The source is
//! what is stored; the analysis is derived from it (and the project's risk decisions),
//! kept in a small in-memory cache keyed by what it was derived from, so servers that
//! share a store never serve each other stale answers.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Bytes;

use gambit_model::vocab::{RiskStatus, Vocab};
use gambit_model::{Diagnostic, LoadOptions, Loaded, Model, RiskDecision, SourceMap};
use gambit_report::Report;

use crate::bundle::{self, Bundle};
use crate::store::DecisionRow;

/// A valid model with its report.
pub struct Analyzed {
    pub model: Model,
    pub sources: SourceMap,
    pub report: Report,
    /// The UI's diagram document, made on its first request and kept with the analysis:
    /// laying out is the slowest view (0.5 s at 200 components in a release build), and
    /// without this each request for it would lay the model out again.
    diagram: OnceLock<Result<Bytes, String>>,
}

/// What checking a model gives: its analysis, or the diagnostics document of
/// `validate --format json` (with `"valid": false`).
pub enum Checked {
    Valid(Box<Analyzed>),
    Invalid(serde_json::Value),
}

/// Loads `source`, a model sent as one file, as untrusted input: the loader's limits
/// apply, and it is loaded from memory, so its `include:` can name no file at all (the
/// located `unreadable-file` error says so; `gambit push` sends a model that includes
/// files as a bundle). Errors of the model, its custom rules and its `risks:` make it
/// invalid, as with `gambit validate`. `decisions` (from the API) are applied after the
/// model's own.
pub fn check(name: &str, source: String, max_size: u64, decisions: &[DecisionRow]) -> Checked {
    let options = LoadOptions {
        max_size,
        include_root: None,
    };
    let files = std::collections::BTreeMap::from([(name.to_owned(), source)]);
    analyse(gambit_model::load_files(name, files, options), decisions)
}

/// The name a model sent as one file goes by in diagnostics and reports: `model.json`
/// for JSON, `model.yaml` otherwise.
pub fn single_file_name(json: bool) -> &'static str {
    if json { "model.json" } else { "model.yaml" }
}

/// Whether a stored one-file model was sent as JSON (a JSON model is an object; a YAML
/// model starts with a key, a comment or `---`).
pub fn stored_as_json(source: &str) -> bool {
    source
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
}

/// Loads a model pushed as a bundle of files, from memory: `include:` names only the
/// bundle's files, and a file the model does not include makes the bundle invalid (what
/// is stored is what was analysed). Otherwise as [`check`].
pub fn check_bundle(bundle: Bundle, max_size: u64, decisions: &[DecisionRow]) -> Checked {
    let options = LoadOptions {
        max_size,
        include_root: None,
    };
    let paths: Vec<String> = bundle.files.keys().cloned().collect();
    let mut loaded = gambit_model::load_files(&bundle.entry, bundle.files, options);
    if loaded.errors() == 0 {
        let unused = bundle::unused(&paths, &loaded.sources);
        if !unused.is_empty() {
            loaded.model = None;
            loaded.diagnostics.extend(unused);
        }
    }
    analyse(loaded, decisions)
}

/// The analysis of a load, or its diagnostics.
fn analyse(mut loaded: Loaded, decisions: &[DecisionRow]) -> Checked {
    let Some(mut model) = loaded.model.take() else {
        return Checked::Invalid(invalid(&mut loaded.diagnostics, &loaded.sources));
    };
    model
        .risks
        .extend(decisions.iter().filter_map(risk_decision));
    let mut options = gambit_rules::Options::new(gambit_rules::today_utc());
    options.sources = Some(&loaded.sources);
    let threats = gambit_rules::analyze(&model, &options);
    if threats.has_errors() {
        let mut diags = loaded.diagnostics;
        diags.extend(threats.diagnostics);
        return Checked::Invalid(invalid(&mut diags, &loaded.sources));
    }
    let report = gambit_report::assemble::report(&model, threats, &[]);
    Checked::Valid(Box::new(Analyzed {
        model,
        sources: loaded.sources,
        report,
        diagram: OnceLock::new(),
    }))
}

/// The 422 document: the diagnostics of `validate --format json`, with `"valid": false`.
pub(crate) fn invalid(diags: &mut [Diagnostic], sources: &SourceMap) -> serde_json::Value {
    gambit_model::diagnostic::sort(diags);
    let mut doc = gambit_model::diagnostic::json_document(diags, sources);
    doc["valid"] = false.into();
    doc
}

/// An API decision as the model's `risks:` would hold it. Decisions are checked when
/// recorded, so one that no longer parses is skipped rather than failing the analysis.
fn risk_decision(row: &DecisionRow) -> Option<RiskDecision> {
    let d = &row.decision;
    let expires = match &d.expires {
        Some(e) => Some(gambit_rules::parse_date(e).ok()?),
        None => None,
    };
    Some(RiskDecision {
        threat: d.threat.clone(),
        span: Default::default(),
        status: RiskStatus::parse(&d.status)?,
        justification: d.justification.clone(),
        owner: d.owner.clone(),
        ticket: d.ticket.clone(),
        expires,
        dread: Default::default(),
    })
}

/// What an analysis was derived from: the stored version and the last decision that
/// applies to it (decisions change statuses), and the day (acceptances expire).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CacheKey {
    pub version_id: i64,
    pub last_decision: Option<i64>,
    pub day: String,
}

/// The few most recently stored analyses, bounded by count and by the bytes of their
/// model texts (an analysis takes a small multiple of its model's size); the newest is
/// always kept, whatever its size, since the request that made it is using it anyway.
pub struct Cache {
    capacity: usize,
    max_bytes: usize,
    entries: Mutex<Entries>,
}

/// The cached analyses, and their keys oldest first.
#[derive(Default)]
struct Entries {
    map: HashMap<CacheKey, Arc<Analyzed>>,
    order: VecDeque<CacheKey>,
    bytes: usize,
}

impl Analyzed {
    /// The JSON of the UI's diagram document ([`crate::ui::diagram`]), made once.
    pub fn diagram_json(&self) -> Result<Bytes, String> {
        self.diagram
            .get_or_init(|| {
                let diagram = crate::ui::diagram(self)?;
                let mut body = Vec::new();
                gambit_report::report::write_json(&diagram, &mut body)
                    .map_err(|e| e.to_string())?;
                Ok(Bytes::from(body))
            })
            .clone()
    }

    /// The bytes of the model's text, the cache's measure of an analysis.
    fn source_bytes(&self) -> usize {
        self.sources.files().map(|(_, f)| f.text.len()).sum()
    }
}

impl Cache {
    pub fn new(capacity: usize, max_bytes: usize) -> Self {
        Cache {
            capacity: capacity.max(1),
            max_bytes,
            entries: Mutex::new(Entries::default()),
        }
    }

    pub fn get(&self, key: &CacheKey) -> Option<Arc<Analyzed>> {
        let entries = self
            .entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        entries.map.get(key).cloned()
    }

    pub fn put(&self, key: CacheKey, value: Arc<Analyzed>) {
        let mut entries = self
            .entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let bytes = value.source_bytes();
        match entries.map.insert(key.clone(), value) {
            Some(old) => entries.bytes -= old.source_bytes(),
            None => entries.order.push_back(key),
        }
        entries.bytes += bytes;
        while entries.order.len() > 1
            && (entries.order.len() > self.capacity || entries.bytes > self.max_bytes)
        {
            if let Some(old) = entries.order.pop_front()
                && let Some(gone) = entries.map.remove(&old)
            {
                entries.bytes -= gone.source_bytes();
            }
        }
    }
}

/// The `risks:` section for a project's decisions (the latest decision on each threat),
/// as YAML to paste into the model.
pub fn risks_yaml(decisions: &[DecisionRow]) -> String {
    let mut latest: Vec<&DecisionRow> = Vec::new();
    for row in decisions {
        match latest
            .iter_mut()
            .find(|r| r.decision.threat == row.decision.threat)
        {
            Some(slot) => *slot = row,
            None => latest.push(row),
        }
    }
    let mut out = String::from("risks:\n");
    if latest.is_empty() {
        return "risks: []\n".into();
    }
    for row in latest {
        let d = &row.decision;
        out.push_str(&format!("  - threat: {}\n", yaml_string(&d.threat)));
        out.push_str(&format!("    status: {}\n", d.status));
        let optional = [
            ("justification", &d.justification),
            ("owner", &d.owner),
            ("ticket", &d.ticket),
            ("expires", &d.expires),
        ];
        for (key, value) in optional {
            if let Some(v) = value {
                out.push_str(&format!("    {key}: {}\n", yaml_string(v)));
            }
        }
        out.push_str(&format!(
            "    # recorded by {} at {}\n",
            yaml_comment(&row.decided_by),
            row.decided_at
        ));
    }
    out
}

/// A YAML double-quoted scalar: JSON string escaping is valid YAML.
fn yaml_string(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// Text safe inside a YAML comment (one line, no control characters).
fn yaml_comment(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::NewDecision;

    fn row(id: i64, threat: &str, status: &str, justification: Option<&str>) -> DecisionRow {
        DecisionRow {
            id,
            decision: NewDecision {
                threat: threat.into(),
                status: status.into(),
                justification: justification.map(Into::into),
                owner: None,
                ticket: None,
                expires: (status == "accepted").then(|| "2030-01-31".into()),
            },
            decided_by: "alice\nbob".into(),
            decided_at: "2026-12-01T00:00:00Z".into(),
        }
    }

    #[test]
    fn the_risks_section_keeps_the_latest_decision_per_threat_and_loads() {
        let rows = [
            row(1, "a@web", "accepted", Some("first")),
            row(2, "b@db", "mitigated", None),
            row(3, "a@web", "accepted", Some("quote \" and: colon")),
        ];
        let yaml = risks_yaml(&rows);
        assert_eq!(yaml.matches("- threat:").count(), 2, "{yaml}");
        assert!(
            yaml.contains(r#"justification: "quote \" and: colon""#),
            "{yaml}"
        );
        assert!(!yaml.contains("first"), "{yaml}");
        assert!(yaml.contains("# recorded by alicebob"), "{yaml}");
        let model = format!("gambit: 1\nname: t\n{yaml}");
        let loaded =
            gambit_model::load_str("m.yaml", model, None, gambit_model::LoadOptions::default());
        let model = loaded.model.expect("the exported section loads");
        assert_eq!(model.risks.len(), 2);
        assert_eq!(
            model.risks[0].justification.as_deref(),
            Some("quote \" and: colon")
        );
    }

    #[test]
    fn the_diagram_is_laid_out_once_per_analysis() {
        let model = "gambit: 1\nname: one\ncomponents:\n  web: {kind: web-app, public: true}\n";
        let Checked::Valid(analyzed) = check("m.yaml", model.into(), 1 << 20, &[]) else {
            panic!("valid");
        };
        let first = analyzed.diagram_json().unwrap();
        let again = analyzed.diagram_json().unwrap();
        assert!(std::str::from_utf8(&first).unwrap().contains("data-id"));
        // The same bytes, not an equal copy: the second request did not lay out again.
        assert_eq!(first.as_ptr(), again.as_ptr());
    }

    #[test]
    fn the_cache_forgets_the_oldest() {
        let cache = Cache::new(1, usize::MAX);
        let key = |v| CacheKey {
            version_id: v,
            last_decision: None,
            day: "d".into(),
        };
        let analyzed = |src: &str| match check("m.yaml", src.into(), 1 << 20, &[]) {
            Checked::Valid(a) => Arc::new(*a),
            Checked::Invalid(d) => panic!("{d}"),
        };
        cache.put(key(1), analyzed("gambit: 1\nname: one\n"));
        cache.put(key(2), analyzed("gambit: 1\nname: two\n"));
        assert!(cache.get(&key(1)).is_none());
        assert_eq!(cache.get(&key(2)).unwrap().model.name, "two");

        // By bytes: two 19-byte models fit in 45 bytes, a third pushes the first out.
        let cache = Cache::new(10, 45);
        for v in 1..=3 {
            cache.put(key(v), analyzed(&format!("gambit: 1\nname: m{v}\n")));
        }
        assert!(cache.get(&key(1)).is_none());
        assert!(cache.get(&key(2)).is_some() && cache.get(&key(3)).is_some());
        // The newest stays even when it alone is over the budget.
        let cache = Cache::new(10, 1);
        cache.put(key(1), analyzed("gambit: 1\nname: big\n"));
        assert!(cache.get(&key(1)).is_some());
    }
}
