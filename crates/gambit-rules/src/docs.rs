//! The rule documentation as Markdown: one page per rule (docs/rules/<id>.md) and the
//! index (docs/rules.md), generated from the rules' doc comments. A test keeps the
//! committed files equal to this output (`GAMBIT_BLESS=1` rewrites them).

use std::fmt::Write;

use gambit_model::vocab::Vocab;

use crate::rule::RuleMeta;

fn or_none(items: &[&str]) -> String {
    if items.is_empty() {
        "—".to_owned()
    } else {
        items.join(", ")
    }
}

/// The page of one rule, as printed by `gambit rules explain` and written to docs/rules/.
pub fn rule_page(m: &RuleMeta) -> String {
    let mut s = String::new();
    let stride: Vec<&str> = m.stride.iter().map(|x| x.as_str()).collect();
    let _ = writeln!(s, "# {}\n\n**{}**\n", m.id, m.title);
    let _ = writeln!(s, "| | |\n|---|---|");
    let _ = writeln!(s, "| STRIDE | {} |", stride.join(", "));
    let _ = writeln!(s, "| CWE | {} |", or_none(m.cwe));
    let _ = writeln!(s, "| CAPEC | {} |", or_none(m.capec));
    let _ = writeln!(s, "| ATT&CK / ATLAS | {} |", or_none(m.attack));
    let _ = writeln!(s, "| Mitigating controls | {} |", or_none(m.controls));
    let _ = writeln!(s, "| Default likelihood | {} |", m.likelihood);
    let _ = writeln!(s, "| Impact without assets | {} |", m.impact);
    let _ = writeln!(s, "| Source | `{}` |\n", m.file.replace('\\', "/"));
    s.push_str(&m.doc());
    s
}

/// docs/rules.md: one row per rule.
pub fn index(metas: &[&RuleMeta]) -> String {
    let mut s = String::from(
        "# Rule catalog\n\n\
Generated from the rules' documentation by `GAMBIT_BLESS=1 cargo test -p gambit-rules`; do not edit.\n\
`gambit rules list` prints the same catalog and `gambit rules explain RULE` one rule's page.\n\
How threats are rated: [risk.md](risk.md). Writing your own rules: [custom-rules.md](custom-rules.md).\n\n\
Rules read only the model. Elements marked `out_of_scope` are skipped, and rules about how a component is \
built and run (logging, redundancy, backups, encryption, authentication, injection, AI guardrails) skip \
components in untrusted or partner zones: someone else runs those. `managed: true` components skip the \
rules about hosts, redundancy and host logs; off-the-shelf products skip the injection rules; several \
rules on one fact are reported once (see [risk.md](risk.md), \"One weakness, one threat\").\n\n\
| Rule | STRIDE | What it finds |\n|---|---|---|\n",
    );
    for m in metas {
        let _ = writeln!(
            s,
            "| [`{}`](rules/{}.md) | {} | {} |",
            m.id,
            m.id,
            m.stride_letters(),
            m.summary().replace('|', "\\|")
        );
    }
    let _ = writeln!(
        s,
        "\n{} rules. STRIDE letters: S spoofing, T tampering, R repudiation, I information disclosure, D denial of service, E elevation of privilege.",
        metas.len()
    );
    s
}

/// The catalog as JSON (`gambit rules list --format json`, the HTTP API): one object
/// per rule with its metadata and one-line summary.
pub fn catalog_json(metas: &[&RuleMeta]) -> serde_json::Value {
    metas
        .iter()
        .map(|m| {
            serde_json::json!({
                "id": m.id,
                "title": m.title,
                "summary": m.summary(),
                "stride": m.stride,
                "cwe": m.cwe,
                "capec": m.capec,
                "attack": m.attack,
                "controls": m.controls,
                "likelihood": m.likelihood,
                "impact": m.impact,
            })
        })
        .collect()
}
