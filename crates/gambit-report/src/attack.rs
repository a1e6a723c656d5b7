//! The attack-graph commands' outputs: `paths` (text, DOT, Mermaid), `tree` (text, DOT,
//! Mermaid), `exposure`, `chokepoints` and `blast-radius` as text, and the JSON documents
//! of all of them. Model text goes through [`crate::escape`]: control characters are
//! dropped from text, DOT and Mermaid labels are escaped for their language.

use std::fmt::Write;

use gambit_graph::{AttackPath, AttackTree, BlastRadius, Chokepoints, Exposure, TreeNode};
use serde::Serialize;

use crate::escape::{self, plain};
use crate::report::{Report, SortedKeys};

/// "read card-tokens", or "admin db (stores card-tokens)".
pub fn goal_label(path: &AttackPath) -> String {
    match &path.goal.component {
        Some(c) => format!("admin {c} (stores {})", path.goal.asset),
        None => format!("{} {}", path.goal.access, path.goal.asset),
    }
}

/// "internet → read card-tokens".
pub(crate) fn path_title(path: &AttackPath) -> String {
    format!("{} → {}", path.attacker, goal_label(path))
}

/// The best path of each attacker and goal, shortest (fewest steps, least effort) first.
pub fn shortest_paths(report: &Report) -> Vec<&AttackPath> {
    let mut best: Vec<&AttackPath> = report.best_paths().collect();
    best.sort_by(|a, b| {
        a.steps
            .len()
            .cmp(&b.steps.len())
            .then(a.effort.total_cmp(&b.effort))
            .then(a.attacker.cmp(&b.attacker))
            .then(goal_label(a).cmp(&goal_label(b)))
    });
    best
}

/// One path's first line: who, which goal, its rank and scores.
fn header(p: &AttackPath) -> String {
    format!(
        "{} -> {}  path {}: effort {}, likelihood {}",
        p.attacker,
        goal_label(p),
        p.rank,
        p.effort,
        p.likelihood
    )
}

/// `gambit paths` as text: each path's header, then its numbered steps.
pub fn paths_text(paths: &[AttackPath]) -> String {
    if paths.is_empty() {
        return "No attack path reaches a crown jewel.\n".to_owned();
    }
    let mut s = String::new();
    for p in paths {
        let _ = writeln!(s, "{}", plain(&header(p)));
        for (i, step) in p.steps.iter().enumerate() {
            let _ = writeln!(
                s,
                "  {:>2}. {:<6} {:<24} {:<10} via {}",
                i + 1,
                step.gains,
                plain(&step.on),
                step.technique,
                plain(&step.via)
            );
        }
        s.push('\n');
    }
    s
}

/// A step's label in a diagram: number, gain and element, then technique and means.
fn step_label(i: usize, step: &gambit_graph::Step) -> String {
    format!(
        "{}. {} {}\n{} via {}",
        i + 1,
        step.gains,
        step.on,
        step.technique,
        step.via
    )
}

/// `gambit paths --format dot`: one cluster per path, its steps chained.
pub fn paths_dot(paths: &[AttackPath]) -> String {
    let mut s = String::from(
        "digraph attack_paths {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n",
    );
    for (pi, p) in paths.iter().enumerate() {
        let _ = writeln!(
            s,
            "  subgraph cluster_{pi} {{\n    label={};",
            escape::dot(&header(p))
        );
        for (i, step) in p.steps.iter().enumerate() {
            let _ = writeln!(
                s,
                "    p{pi}s{i} [label={}];",
                escape::dot(&step_label(i, step))
            );
            if i > 0 {
                let _ = writeln!(s, "    p{pi}s{} -> p{pi}s{i};", i - 1);
            }
        }
        s.push_str("  }\n");
    }
    s.push_str("}\n");
    s
}

/// `gambit paths --format mermaid`: one subgraph per path, its steps chained.
pub fn paths_mermaid(paths: &[AttackPath]) -> String {
    let mut s = String::from("flowchart LR\n");
    for (pi, p) in paths.iter().enumerate() {
        let _ = writeln!(
            s,
            "  subgraph path{pi} [\"{}\"]",
            escape::mermaid(&header(p))
        );
        for (i, step) in p.steps.iter().enumerate() {
            let _ = writeln!(
                s,
                "    p{pi}s{i}[\"{}\"]",
                escape::mermaid(&step_label(i, step))
            );
            if i > 0 {
                let _ = writeln!(s, "    p{pi}s{} --> p{pi}s{i}", i - 1);
            }
        }
        s.push_str("  end\n");
    }
    s
}

/// A tree node's evaluated attributes.
fn values(n: &TreeNode) -> String {
    match (n.effort, n.likelihood) {
        (Some(e), Some(l)) => format!("effort {e}, likelihood {l}"),
        _ => "unreachable".to_owned(),
    }
}

/// `gambit tree` as text: an indented outline with box-drawing branches.
pub fn tree_text(tree: &AttackTree) -> String {
    let mut s = String::new();
    tree_text_node(&tree.root, "", true, true, &mut s);
    s
}

fn tree_text_node(n: &TreeNode, prefix: &str, last: bool, root: bool, s: &mut String) {
    let mark = match n.kind {
        "and" => "AND ",
        "or" => "OR ",
        _ => "",
    };
    let branch = match (root, last) {
        (true, _) => "",
        (false, true) => "└─ ",
        (false, false) => "├─ ",
    };
    let _ = writeln!(
        s,
        "{prefix}{branch}{mark}{}  [{}]",
        plain(&n.label),
        values(n)
    );
    let child_prefix = if root {
        String::new()
    } else {
        format!("{prefix}{}", if last { "   " } else { "│  " })
    };
    for (i, c) in n.children.iter().enumerate() {
        tree_text_node(c, &child_prefix, i + 1 == n.children.len(), false, s);
    }
}

/// A tree node's label in a diagram: its kind and text, then its attributes.
fn node_label(n: &TreeNode) -> String {
    format!("{}: {}\n{}", n.kind.to_uppercase(), n.label, values(n))
}

/// `gambit tree --format dot`: AND nodes as boxes, OR nodes as ellipses, leaves as notes.
pub fn tree_dot(tree: &AttackTree) -> String {
    let mut s = String::from("digraph attack_tree {\n  node [fontname=\"Helvetica\"];\n");
    tree_dot_node(&tree.root, &mut 0, &mut s);
    s.push_str("}\n");
    s
}

fn tree_dot_node(n: &TreeNode, next: &mut usize, s: &mut String) -> usize {
    let id = *next;
    *next += 1;
    let shape = match n.kind {
        "and" => "box",
        "or" => "ellipse",
        _ => "note",
    };
    let _ = writeln!(
        s,
        "  n{id} [shape={shape}, label={}];",
        escape::dot(&node_label(n))
    );
    for c in &n.children {
        let cid = tree_dot_node(c, next, s);
        let _ = writeln!(s, "  n{id} -> n{cid};");
    }
    id
}

/// `gambit tree --format mermaid`: AND nodes as rectangles, OR nodes as stadiums,
/// leaves as flags.
pub fn tree_mermaid(tree: &AttackTree) -> String {
    let mut s = String::from("flowchart TD\n");
    tree_mermaid_node(&tree.root, &mut 0, &mut s);
    s
}

fn tree_mermaid_node(n: &TreeNode, next: &mut usize, s: &mut String) -> usize {
    let id = *next;
    *next += 1;
    let label = escape::mermaid(&node_label(n));
    let _ = match n.kind {
        "and" => writeln!(s, "  n{id}[\"{label}\"]"),
        "or" => writeln!(s, "  n{id}([\"{label}\"])"),
        _ => writeln!(s, "  n{id}>\"{label}\"]"),
    };
    for c in &n.children {
        let cid = tree_mermaid_node(c, next, s);
        let _ = writeln!(s, "  n{id} --> n{cid}");
    }
    id
}

fn plural(n: usize, suffix: &'static str) -> &'static str {
    if n == 1 { "" } else { suffix }
}

/// `gambit exposure` as text: one line per attacker and asset.
pub fn exposure_text(exposure: &[Exposure]) -> String {
    if exposure.is_empty() {
        return "No attacker can read or write any asset.\n".to_owned();
    }
    let mut s = String::new();
    for e in exposure {
        let _ = writeln!(
            s,
            "{:<24} {:<28} {:<11} {} step{}{}",
            plain(&e.attacker),
            plain(&e.asset),
            e.access.join("+"),
            e.steps,
            plural(e.steps, "s"),
            if e.crown_jewel { "  (crown jewel)" } else { "" }
        );
    }
    s
}

/// `gambit chokepoints` as text: the verdict, the ranked fixes, what cannot be cut.
pub fn chokepoints_text(answer: &Chokepoints) -> String {
    if answer.goals == 0 {
        return "No attacker reaches a crown jewel: nothing to cut.\n".to_owned();
    }
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} fix{} (cost {}, {}{}) cut {} of {} crown-jewel goal{}:",
        answer.chokepoints.len(),
        plural(answer.chokepoints.len(), "es"),
        answer.total_cost,
        answer.method,
        if answer.verified {
            ", verified"
        } else {
            ", NOT verified"
        },
        answer.cut,
        answer.goals,
        plural(answer.goals, "s"),
    );
    for (i, c) in answer.chokepoints.iter().enumerate() {
        let _ = writeln!(
            s,
            "  {:>2}. {:<48} cuts {} goal{}, {} path{}",
            i + 1,
            plain(&c.fix),
            c.cuts,
            plural(c.cuts, "s"),
            c.paths,
            plural(c.paths, "s")
        );
    }
    for u in &answer.uncuttable {
        let _ = writeln!(
            s,
            "  cannot cut: {} -> {} {}: {}",
            plain(&u.attacker),
            u.goal.access,
            plain(&u.goal.asset),
            plain(&u.reason)
        );
    }
    s
}

/// `gambit blast-radius` as text: what code execution on one component reaches.
pub fn blast_radius_text(radius: &BlastRadius<'_>) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Blast radius of code execution on {}:",
        plain(radius.from)
    );
    let _ = writeln!(s, "components ({}):", radius.components.len());
    for c in &radius.components {
        let _ = writeln!(s, "  {:<28} {}", plain(c.id), c.access.join(", "));
    }
    let list = |ids: &[&str]| plain(&ids.join(", ")).into_owned();
    let _ = writeln!(
        s,
        "identities ({}): {}",
        radius.identities.len(),
        list(&radius.identities)
    );
    let _ = writeln!(
        s,
        "credentials ({}): {}",
        radius.credentials.len(),
        list(&radius.credentials)
    );
    let _ = writeln!(s, "assets ({}):", radius.assets.len());
    for a in &radius.assets {
        let _ = writeln!(s, "  {:<28} {}", plain(a.asset), a.access.join(", "));
    }
    s
}

/// The JSON document of `gambit paths --format json`.
#[derive(Serialize)]
pub struct PathsDocument<'a> {
    pub attack_paths: SortedKeys<'a, AttackPath>,
}

/// The JSON document of `gambit exposure --format json`.
#[derive(Serialize)]
pub struct ExposureDocument<'a> {
    pub exposure: SortedKeys<'a, Exposure>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use gambit_graph::{GoalOut, Step};

    fn sample() -> Vec<AttackPath> {
        vec![AttackPath {
            attacker: "internet".into(),
            goal: GoalOut {
                access: "read",
                asset: "pii".into(),
                component: None,
            },
            likelihood: 0.5,
            effort: 2.5,
            rank: 1,
            steps: vec![
                Step {
                    gains: "exec",
                    on: "web".into(),
                    technique: "T1190",
                    via: "CVE-1".into(),
                    elements: Default::default(),
                    likelihood: 0.5,
                    effort: 2.0,
                },
                Step {
                    gains: "read",
                    on: "pii".into(),
                    technique: "T1005",
                    via: "say \"hi\" a|b\\c\u{1b}[2J".into(),
                    elements: Default::default(),
                    likelihood: 1.0,
                    effort: 0.5,
                },
            ],
        }]
    }

    #[test]
    fn text_numbers_the_steps_and_drops_control_characters() {
        let t = paths_text(&sample());
        assert!(t.starts_with("internet -> read pii  path 1: effort 2.5, likelihood 0.5\n"));
        assert!(t.contains(" 1. exec") && t.contains(" 2. read"));
        assert!(!t.contains('\u{1b}'), "{t}");
        assert_eq!(paths_text(&[]), "No attack path reaches a crown jewel.\n");
    }

    #[test]
    fn dot_and_mermaid_escape_labels_and_chain_steps() {
        let d = paths_dot(&sample());
        assert!(d.contains("p0s0 -> p0s1;"));
        assert!(
            d.contains(r#"label="2. read pii\nT1005 via say \"hi\" a|b\\c[2J"]"#),
            "{d}"
        );
        let m = paths_mermaid(&sample());
        assert!(m.starts_with("flowchart LR\n"));
        assert!(m.contains("p0s0 --> p0s1"));
        assert!(
            m.contains("p0s1[\"2. read pii<br/>T1005 via say #quot;hi#quot; a#124;b\\c[2J\"]"),
            "{m}"
        );
        assert!(m.contains("internet -#gt; read pii"));
    }

    fn node(kind: &'static str, label: &str, children: Vec<TreeNode>) -> TreeNode {
        TreeNode {
            kind,
            label: label.into(),
            effort: Some(1.0),
            likelihood: Some(0.5),
            children,
        }
    }

    #[test]
    fn tree_renderers_draw_every_node_and_edge() {
        let tree = AttackTree {
            goal: "pii".into(),
            root: node(
                "or",
                "compromise pii",
                vec![node(
                    "and",
                    "read pii",
                    vec![node("leaf", "T1005 \"x\" <y>\n", vec![])],
                )],
            ),
        };
        let s = tree_text(&tree);
        assert_eq!(s.lines().count(), 3);
        assert!(s.starts_with("OR compromise pii  [effort 1, likelihood 0.5]"));
        assert!(s.contains("└─ AND read pii"));
        let d = tree_dot(&tree);
        assert!(d.contains("n0 -> n1;") && d.contains("n1 -> n2;"));
        assert!(
            d.contains(r#"label="LEAF: T1005 \"x\" <y>\n\neffort 1"#),
            "{d}"
        );
        let m = tree_mermaid(&tree);
        assert!(m.contains("n0 --> n1") && m.contains("#quot;x#quot; #lt;y#gt;"));
        assert!(m.contains("n0([\"OR: compromise pii<br/>effort 1, likelihood 0.5\"])"));
    }

    #[test]
    fn exposure_and_chokepoints_say_when_there_is_nothing() {
        assert_eq!(
            exposure_text(&[]),
            "No attacker can read or write any asset.\n"
        );
        let line = exposure_text(&[Exposure {
            attacker: "internet".into(),
            asset: "pii\u{7}".into(),
            access: vec!["read", "write"],
            steps: 1,
            crown_jewel: true,
        }]);
        assert!(line.contains("read+write  1 step  (crown jewel)"), "{line}");
        assert!(!line.contains('\u{7}'));
    }
}
