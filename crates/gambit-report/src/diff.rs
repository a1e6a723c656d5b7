//! What changed between two reports of a model (`gambit diff`): threats added, resolved
//! and changed (severity or status), attack paths added and removed, exposure gained and
//! lost, choke points added and removed. Threats match by id (`RULE@TARGET`), exposure by
//! attacker, asset and access.
//!
//! Attack paths match by attacker, goal and steps. A path is **removed** when it was the
//! best path of its goal (rank 1) and the new report lists it at no rank; **added** when
//! it is a best path now and the old report listed it at no rank. Alternatives (rank 2+)
//! count only as evidence that a path still exists: they are found by deviating from the
//! best path, so they reshuffle whenever the best path changes, and equal-effort paths
//! can swap places; reporting those moves would bury the real changes.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use gambit_model::vocab::Vocab;
use gambit_rules::{Report, Threat};
use serde::Serialize;
use serde_json::{Value, json};

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct ReportDiff {
    pub threats: ThreatChanges,
    pub attack_paths: Changes,
    pub exposure: ExposureChanges,
    pub chokepoints: Changes,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct ThreatChanges {
    pub added: Vec<Value>,
    pub resolved: Vec<Value>,
    pub changed: Vec<Value>,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Changes {
    pub added: Vec<Value>,
    pub removed: Vec<Value>,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct ExposureChanges {
    pub gained: Vec<Value>,
    pub lost: Vec<Value>,
}

impl ReportDiff {
    pub fn is_empty(&self) -> bool {
        self.threats.added.is_empty()
            && self.threats.resolved.is_empty()
            && self.threats.changed.is_empty()
            && self.attack_paths.added.is_empty()
            && self.attack_paths.removed.is_empty()
            && self.exposure.gained.is_empty()
            && self.exposure.lost.is_empty()
            && self.chokepoints.added.is_empty()
            && self.chokepoints.removed.is_empty()
    }

    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// Compares two reports (`old` first).
pub fn diff(old: &Report, new: &Report) -> ReportDiff {
    ReportDiff {
        threats: threats(&old.threats, &new.threats),
        attack_paths: paths(&old.attack_paths, &new.attack_paths),
        exposure: exposure(&old.exposure, &new.exposure),
        chokepoints: by_key(&old.chokepoints, &new.chokepoints, |c| {
            c.get("fix")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned()
        }),
    }
}

/// The best path of each goal.
fn best(paths: &[Value]) -> Vec<Value> {
    paths
        .iter()
        .filter(|p| p.get("rank").and_then(Value::as_u64).unwrap_or(1) == 1)
        .cloned()
        .collect()
}

fn summary(t: &Threat) -> Value {
    json!({
        "id": t.id,
        "rule": t.rule,
        "title": t.title,
        "target": t.target,
        "severity": t.severity.as_str(),
        "status": t.status.as_str(),
    })
}

fn threats(old: &[Threat], new: &[Threat]) -> ThreatChanges {
    let old_by: BTreeMap<&str, &Threat> = old.iter().map(|t| (t.id.as_str(), t)).collect();
    let new_by: BTreeMap<&str, &Threat> = new.iter().map(|t| (t.id.as_str(), t)).collect();
    let mut out = ThreatChanges::default();
    for (id, t) in &new_by {
        match old_by.get(id) {
            None => out.added.push(summary(t)),
            Some(before)
                if before.severity != t.severity
                    || before.status != t.status
                    || before.open != t.open =>
            {
                out.changed.push(json!({
                    "id": id,
                    "title": t.title,
                    "target": t.target,
                    "from": {"severity": before.severity.as_str(), "status": before.status.as_str(), "open": before.open},
                    "to": {"severity": t.severity.as_str(), "status": t.status.as_str(), "open": t.open},
                }));
            }
            Some(_) => {}
        }
    }
    for (id, t) in &old_by {
        if !new_by.contains_key(id) {
            out.resolved.push(summary(t));
        }
    }
    out
}

/// A path's identity: who, what goal, and every step (rank and scores left out, so a
/// path that only moves in the ranking is not reported).
fn path_key(p: &Value) -> String {
    let steps: Vec<String> = p
        .get("steps")
        .and_then(Value::as_array)
        .map(|s| {
            s.iter()
                .map(|st| {
                    let f = |k: &str| st.get(k).and_then(Value::as_str).unwrap_or("");
                    format!("{} {} via {}", f("gains"), f("on"), f("via"))
                })
                .collect()
        })
        .unwrap_or_default();
    format!(
        "{} | {} | {}",
        p.get("attacker").and_then(Value::as_str).unwrap_or(""),
        p.get("goal").map(Value::to_string).unwrap_or_default(),
        steps.join(" > ")
    )
}

fn paths(old: &[Value], new: &[Value]) -> Changes {
    let old_keys: BTreeSet<String> = old.iter().map(path_key).collect();
    let new_keys: BTreeSet<String> = new.iter().map(path_key).collect();
    let only = |from: &[Value], other: &BTreeSet<String>| {
        let mut seen = BTreeSet::new();
        best(from)
            .into_iter()
            .filter(|p| {
                let k = path_key(p);
                !other.contains(&k) && seen.insert(k)
            })
            .collect::<Vec<_>>()
    };
    Changes {
        added: only(new, &old_keys),
        removed: only(old, &new_keys),
    }
}

fn by_key(old: &[Value], new: &[Value], key: impl Fn(&Value) -> String) -> Changes {
    let old_keys: BTreeSet<String> = old.iter().map(&key).collect();
    let new_keys: BTreeSet<String> = new.iter().map(&key).collect();
    let mut out = Changes::default();
    let mut seen = BTreeSet::new();
    for v in new {
        let k = key(v);
        if !old_keys.contains(&k) && seen.insert(k) {
            out.added.push(v.clone());
        }
    }
    let mut seen = BTreeSet::new();
    for v in old {
        let k = key(v);
        if !new_keys.contains(&k) && seen.insert(k) {
            out.removed.push(v.clone());
        }
    }
    out
}

/// (attacker, asset) -> access words.
fn access_map(entries: &[Value]) -> BTreeMap<(String, String), BTreeSet<String>> {
    let mut map: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for e in entries {
        let f = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
        let words = e
            .get("access")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        map.entry((f("attacker"), f("asset")))
            .or_default()
            .extend(words);
    }
    map
}

fn exposure(old: &[Value], new: &[Value]) -> ExposureChanges {
    let (before, after) = (access_map(old), access_map(new));
    let difference = |a: &BTreeMap<(String, String), BTreeSet<String>>,
                      b: &BTreeMap<(String, String), BTreeSet<String>>| {
        let mut out = Vec::new();
        for ((attacker, asset), words) in a {
            let other = b.get(&(attacker.clone(), asset.clone()));
            let only: Vec<&String> = words
                .iter()
                .filter(|w| other.is_none_or(|o| !o.contains(*w)))
                .collect();
            if !only.is_empty() {
                out.push(json!({"attacker": attacker, "asset": asset, "access": only}));
            }
        }
        out
    };
    ExposureChanges {
        gained: difference(&after, &before),
        lost: difference(&before, &after),
    }
}

/// The diff as text, one line per change, `+` for new risk and `-` for risk gone.
pub fn text(d: &ReportDiff) -> String {
    if d.is_empty() {
        return "No change in threats, attack paths, exposure or choke points.\n".to_owned();
    }
    let mut out = String::new();
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    let section = |out: &mut String, title: &str, lines: Vec<String>| {
        if !lines.is_empty() {
            let _ = writeln!(out, "{title}:");
            for l in lines {
                let _ = writeln!(out, "  {l}");
            }
        }
    };
    let mut lines = Vec::new();
    for t in &d.threats.added {
        lines.push(format!(
            "+ {:<9} {}  {}",
            s(t, "severity"),
            s(t, "id"),
            s(t, "title")
        ));
    }
    for t in &d.threats.resolved {
        lines.push(format!(
            "- {:<9} {}  {}",
            s(t, "severity"),
            s(t, "id"),
            s(t, "title")
        ));
    }
    for t in &d.threats.changed {
        let from = t.get("from").cloned().unwrap_or_default();
        let to = t.get("to").cloned().unwrap_or_default();
        lines.push(format!(
            "~ {}  {} {} -> {} {}",
            s(t, "id"),
            s(&from, "severity"),
            s(&from, "status"),
            s(&to, "severity"),
            s(&to, "status")
        ));
    }
    section(&mut out, "Threats", lines);
    let path_line = |sign: &str, p: &Value| {
        let steps: Vec<String> = crate::markdown::steps(p)
            .iter()
            .map(|st| format!("{} {}", s(st, "gains"), s(st, "on")))
            .collect();
        format!(
            "{sign} {} -> {}: {}",
            s(p, "attacker"),
            crate::markdown::goal_label(p),
            steps.join(", ")
        )
    };
    let mut lines: Vec<String> = d
        .attack_paths
        .added
        .iter()
        .map(|p| path_line("+", p))
        .collect();
    lines.extend(d.attack_paths.removed.iter().map(|p| path_line("-", p)));
    section(&mut out, "Attack paths", lines);
    let exposure_line = |sign: &str, e: &Value| {
        let access: Vec<&str> = e
            .get("access")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        format!(
            "{sign} {} can {} {}",
            s(e, "attacker"),
            access.join(" and "),
            s(e, "asset")
        )
    };
    let mut lines: Vec<String> = d
        .exposure
        .gained
        .iter()
        .map(|e| exposure_line("+", e))
        .collect();
    lines.extend(d.exposure.lost.iter().map(|e| exposure_line("-", e)));
    section(&mut out, "Exposure", lines);
    let mut lines: Vec<String> = d
        .chokepoints
        .added
        .iter()
        .map(|c| format!("+ {}", s(c, "fix")))
        .collect();
    lines.extend(
        d.chokepoints
            .removed
            .iter()
            .map(|c| format!("- {}", s(c, "fix"))),
    );
    section(&mut out, "Choke points", lines);
    out
}
