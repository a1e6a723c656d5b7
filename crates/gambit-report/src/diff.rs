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
//!
//! The types' fields are in alphabetical order: the order of the keys of
//! `diff --format json`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use gambit_graph::{AttackPath, Chokepoint, Exposure, GoalOut};
use gambit_model::vocab::{RiskStatus, Severity, Vocab};
use gambit_rules::Threat;
use serde::Serialize;

use crate::attack::goal_label;
use crate::escape::plain;
use crate::report::{Report, sorted_keys};

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct ReportDiff {
    pub attack_paths: Changes<AttackPath>,
    pub chokepoints: Changes<Chokepoint>,
    pub exposure: ExposureChanges,
    pub threats: ThreatChanges,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct ThreatChanges {
    pub added: Vec<ThreatSummary>,
    pub changed: Vec<ThreatChange>,
    pub resolved: Vec<ThreatSummary>,
}

/// A threat added or resolved.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ThreatSummary {
    pub id: String,
    pub rule: String,
    pub severity: Severity,
    pub status: RiskStatus,
    pub target: String,
    pub title: String,
}

/// A threat whose severity, status or openness changed.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ThreatChange {
    pub from: ThreatState,
    pub id: String,
    pub target: String,
    pub title: String,
    pub to: ThreatState,
}

#[derive(Clone, Copy, Debug, Serialize, PartialEq)]
pub struct ThreatState {
    pub open: bool,
    pub severity: Severity,
    pub status: RiskStatus,
}

/// Graph results present in only one of the reports.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(bound = "T: Serialize")]
pub struct Changes<T> {
    #[serde(serialize_with = "sorted_keys")]
    pub added: Vec<T>,
    #[serde(serialize_with = "sorted_keys")]
    pub removed: Vec<T>,
}

impl<T> Default for Changes<T> {
    fn default() -> Self {
        Changes {
            added: Vec::new(),
            removed: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct ExposureChanges {
    pub gained: Vec<ExposureChange>,
    pub lost: Vec<ExposureChange>,
}

/// Access to an asset one attacker gained or lost.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ExposureChange {
    pub access: Vec<&'static str>,
    pub asset: String,
    pub attacker: String,
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
}

/// Compares two reports (`old` first).
pub fn diff(old: &Report, new: &Report) -> ReportDiff {
    ReportDiff {
        threats: threats(&old.threats, &new.threats),
        attack_paths: paths(&old.attack_paths, &new.attack_paths),
        exposure: exposure(&old.exposure, &new.exposure),
        chokepoints: by_key(&old.chokepoints, &new.chokepoints, |c| c.fix.clone()),
    }
}

fn summary(t: &Threat) -> ThreatSummary {
    ThreatSummary {
        id: t.id.clone(),
        rule: t.rule.clone(),
        severity: t.severity,
        status: t.status,
        target: t.target.clone(),
        title: t.title.clone(),
    }
}

fn state(t: &Threat) -> ThreatState {
    ThreatState {
        open: t.open,
        severity: t.severity,
        status: t.status,
    }
}

fn threats(old: &[Threat], new: &[Threat]) -> ThreatChanges {
    let old_by: BTreeMap<&str, &Threat> = old.iter().map(|t| (t.id.as_str(), t)).collect();
    let new_by: BTreeMap<&str, &Threat> = new.iter().map(|t| (t.id.as_str(), t)).collect();
    let mut out = ThreatChanges::default();
    for (id, t) in &new_by {
        match old_by.get(id) {
            None => out.added.push(summary(t)),
            Some(before) if state(before) != state(t) => out.changed.push(ThreatChange {
                from: state(before),
                id: (*id).to_owned(),
                target: t.target.clone(),
                title: t.title.clone(),
                to: state(t),
            }),
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
type PathKey<'a> = (&'a str, &'a GoalOut, Vec<(&'static str, &'a str, &'a str)>);

fn path_key(p: &AttackPath) -> PathKey<'_> {
    let steps = p
        .steps
        .iter()
        .map(|s| (s.gains, s.on.as_str(), s.via.as_str()))
        .collect();
    (p.attacker.as_str(), &p.goal, steps)
}

fn paths(old: &[AttackPath], new: &[AttackPath]) -> Changes<AttackPath> {
    let old_keys: BTreeSet<PathKey<'_>> = old.iter().map(path_key).collect();
    let new_keys: BTreeSet<PathKey<'_>> = new.iter().map(path_key).collect();
    let only = |from: &[AttackPath], other: &BTreeSet<PathKey<'_>>| {
        let mut seen = BTreeSet::new();
        from.iter()
            .filter(|p| p.rank == 1)
            .filter(|p| {
                let k = path_key(p);
                !other.contains(&k) && seen.insert(k)
            })
            .cloned()
            .collect::<Vec<_>>()
    };
    Changes {
        added: only(new, &old_keys),
        removed: only(old, &new_keys),
    }
}

fn by_key<T: Clone>(old: &[T], new: &[T], key: impl Fn(&T) -> String) -> Changes<T> {
    let only = |from: &[T], other: &[T]| {
        let other: BTreeSet<String> = other.iter().map(&key).collect();
        let mut seen = BTreeSet::new();
        from.iter()
            .filter(|v| {
                let k = key(v);
                !other.contains(&k) && seen.insert(k)
            })
            .cloned()
            .collect::<Vec<_>>()
    };
    Changes {
        added: only(new, old),
        removed: only(old, new),
    }
}

/// (attacker, asset) -> access words.
type AccessMap<'a> = BTreeMap<(&'a str, &'a str), BTreeSet<&'static str>>;

fn access_map(entries: &[Exposure]) -> AccessMap<'_> {
    let mut map = AccessMap::new();
    for e in entries {
        map.entry((e.attacker.as_str(), e.asset.as_str()))
            .or_default()
            .extend(e.access.iter().copied());
    }
    map
}

fn exposure(old: &[Exposure], new: &[Exposure]) -> ExposureChanges {
    let (before, after) = (access_map(old), access_map(new));
    let difference = |a: &AccessMap<'_>, b: &AccessMap<'_>| {
        let mut out = Vec::new();
        for ((attacker, asset), words) in a {
            let other = b.get(&(*attacker, *asset));
            let only: Vec<&'static str> = words
                .iter()
                .copied()
                .filter(|w| other.is_none_or(|o| !o.contains(w)))
                .collect();
            if !only.is_empty() {
                out.push(ExposureChange {
                    access: only,
                    asset: (*asset).to_owned(),
                    attacker: (*attacker).to_owned(),
                });
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
    let section = |out: &mut String, title: &str, lines: Vec<String>| {
        if !lines.is_empty() {
            let _ = writeln!(out, "{title}:");
            for l in lines {
                let _ = writeln!(out, "  {}", plain(&l));
            }
        }
    };
    let threat_line = |sign: &str, t: &ThreatSummary| {
        format!("{sign} {:<9} {}  {}", t.severity.as_str(), t.id, t.title)
    };
    let mut lines: Vec<String> = d
        .threats
        .added
        .iter()
        .map(|t| threat_line("+", t))
        .collect();
    lines.extend(d.threats.resolved.iter().map(|t| threat_line("-", t)));
    for t in &d.threats.changed {
        lines.push(format!(
            "~ {}  {} {} -> {} {}",
            t.id, t.from.severity, t.from.status, t.to.severity, t.to.status
        ));
    }
    section(&mut out, "Threats", lines);
    let path_line = |sign: &str, p: &AttackPath| {
        let steps: Vec<String> = p
            .steps
            .iter()
            .map(|st| format!("{} {}", st.gains, st.on))
            .collect();
        format!(
            "{sign} {} -> {}: {}",
            p.attacker,
            goal_label(p),
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
    let exposure_line = |sign: &str, e: &ExposureChange| {
        format!(
            "{sign} {} can {} {}",
            e.attacker,
            e.access.join(" and "),
            e.asset
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
        .map(|c| format!("+ {}", c.fix))
        .collect();
    lines.extend(d.chokepoints.removed.iter().map(|c| format!("- {}", c.fix)));
    section(&mut out, "Choke points", lines);
    out
}
