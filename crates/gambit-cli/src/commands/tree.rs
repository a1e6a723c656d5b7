//! `gambit tree MODEL --goal ASSET [--attacker A]... [--format text|json|dot|mermaid]`: the
//! AND/OR attack tree of a goal with its evaluated effort and likelihood.

use clap::Args;
use gambit_graph::{Analysis, TreeNode};

use super::paths::{AttackerArgs, GraphFormat, mermaid_text, parse_asset, parse_attackers};
use crate::cli::ModelArg;
use crate::{exit, input, output};

#[derive(Args, Clone)]
pub(crate) struct TreeArgs {
    #[command(flatten)]
    pub model: ModelArg,
    #[command(flatten)]
    pub attackers: AttackerArgs,
    /// The asset whose compromise is the root goal.
    #[arg(long, value_name = "ASSET")]
    pub goal: String,
    #[arg(long, value_enum, default_value_t = GraphFormat::Text)]
    pub format: GraphFormat,
}

pub(crate) fn run(args: &TreeArgs) -> u8 {
    let inner = || -> Result<u8, u8> {
        let (_loaded, model) = input::model_or_exit(&args.model)?;
        let attackers = parse_attackers(&model, &args.attackers)?;
        let asset = parse_asset(&model, "--goal", &args.goal)?;
        let analysis = Analysis::run(&model, &attackers);
        let tree = analysis.tree(asset);
        match args.format {
            GraphFormat::Json => {
                output::print_json(&serde_json::to_value(&tree).unwrap_or_default())
            }
            GraphFormat::Text => {
                let mut s = String::new();
                text(&tree.root, "", true, true, &mut s);
                anstream::print!("{s}");
            }
            GraphFormat::Dot => {
                let mut s =
                    String::from("digraph attack_tree {\n  node [fontname=\"Helvetica\"];\n");
                let mut next = 0;
                dot(&tree.root, &mut next, &mut s);
                s.push_str("}\n");
                anstream::print!("{s}");
            }
            GraphFormat::Mermaid => {
                let mut s = String::from("flowchart TD\n");
                let mut next = 0;
                mermaid(&tree.root, &mut next, &mut s);
                anstream::print!("{s}");
            }
        }
        Ok(exit::OK)
    };
    match inner() {
        Ok(code) | Err(code) => code,
    }
}

fn values(n: &TreeNode) -> String {
    match (n.effort, n.likelihood) {
        (Some(e), Some(l)) => format!("effort {e}, likelihood {l}"),
        _ => "unreachable".to_owned(),
    }
}

fn text(n: &TreeNode, prefix: &str, last: bool, root: bool, s: &mut String) {
    let mark = match n.kind {
        "and" => "AND ",
        "or" => "OR ",
        _ => "",
    };
    let branch = if root {
        ""
    } else if last {
        "└─ "
    } else {
        "├─ "
    };
    s.push_str(&format!(
        "{prefix}{branch}{mark}{}  [{}]\n",
        n.label,
        values(n)
    ));
    let child_prefix = if root {
        String::new()
    } else {
        format!("{prefix}{}", if last { "   " } else { "│  " })
    };
    for (i, c) in n.children.iter().enumerate() {
        text(c, &child_prefix, i + 1 == n.children.len(), false, s);
    }
}

fn dot(n: &TreeNode, next: &mut usize, s: &mut String) -> usize {
    let id = *next;
    *next += 1;
    let shape = match n.kind {
        "and" => "box",
        "or" => "ellipse",
        _ => "note",
    };
    let label = format!("{}\\n{}", n.label, values(n)).replace('"', "\\\"");
    let kind = n.kind.to_uppercase();
    s.push_str(&format!(
        "  n{id} [shape={shape}, label=\"{kind}: {label}\"];\n"
    ));
    for c in &n.children {
        let cid = dot(c, next, s);
        s.push_str(&format!("  n{id} -> n{cid};\n"));
    }
    id
}

fn mermaid(n: &TreeNode, next: &mut usize, s: &mut String) -> usize {
    let id = *next;
    *next += 1;
    let label = mermaid_text(&format!(
        "{}: {}<br/>{}",
        n.kind.to_uppercase(),
        n.label,
        values(n)
    ));
    let node = match n.kind {
        "and" => format!("n{id}[\"{label}\"]"),
        "or" => format!("n{id}([\"{label}\"])"),
        _ => format!("n{id}>\"{label}\"]"),
    };
    s.push_str(&format!("  {node}\n"));
    for c in &n.children {
        let cid = mermaid(c, next, s);
        s.push_str(&format!("  n{id} --> n{cid}\n"));
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn renderers_draw_every_node_and_edge() {
        let tree = node(
            "or",
            "compromise pii",
            vec![node(
                "and",
                "read pii",
                vec![node("leaf", "T1005 \"x\"", vec![])],
            )],
        );
        let mut s = String::new();
        text(&tree, "", true, true, &mut s);
        assert_eq!(s.lines().count(), 3);
        assert!(s.starts_with("OR compromise pii  [effort 1, likelihood 0.5]"));
        assert!(s.contains("└─ AND read pii"));
        let mut d = String::new();
        dot(&tree, &mut 0, &mut d);
        assert!(d.contains("n0 -> n1;") && d.contains("n1 -> n2;"));
        assert!(d.contains("\\\"x\\\""));
        let mut m = String::new();
        mermaid(&tree, &mut 0, &mut m);
        assert!(m.contains("n0 --> n1") && m.contains("#quot;x#quot;"));
    }
}
