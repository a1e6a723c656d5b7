//! Markdown, CSV and SARIF reports of the example models: snapshots, SARIF validated
//! against the official SARIF 2.1.0 schema, locations that point at the model's lines,
//! CSV that parses back to one row per threat.

mod common;

use gambit_report::{csv, markdown, sarif};

#[test]
fn markdown_snapshots() {
    for name in common::EXAMPLES {
        let (report, _, _) = common::report(name);
        insta::assert_snapshot!(
            format!("markdown-{}", common::stem(name)),
            markdown::markdown(&report)
        );
    }
}

#[test]
fn markdown_marks_threats_missing_from_the_baseline_as_new() {
    let (report, _, _) = common::report("acme-shop.yaml");
    let open_high: Vec<&str> = report
        .threats
        .iter()
        .filter(|t| t.open && matches!(t.severity.to_string().as_str(), "high" | "critical"))
        .map(|t| t.id.as_str())
        .collect();
    assert!(!open_high.is_empty(), "acme-shop has open high threats");
    // The report's own JSON, less one threat, as the baseline.
    let mut json = serde_json::to_value(&report).expect("JSON");
    let last = open_high[open_high.len() - 1].to_owned();
    json["threats"]
        .as_array_mut()
        .expect("threats")
        .retain(|t| t["id"] != last.as_str());
    let baseline = gambit_report::baseline::Baseline::parse(&json.to_string()).expect("a baseline");
    let options = markdown::MarkdownOptions {
        baseline: Some(baseline),
        ..Default::default()
    };
    let text = markdown::markdown_with(&report, &options);
    assert_eq!(text.matches("🆕").count(), 1, "{text}");
    let first_row = text
        .lines()
        .find(|l| l.starts_with("| 🟥") || l.starts_with("| 🟧"))
        .expect("a row");
    assert!(
        first_row.contains("🆕"),
        "new threats come first: {first_row}"
    );
}

#[test]
fn csv_snapshots_and_one_row_per_threat() {
    for name in common::EXAMPLES {
        let (report, _, _) = common::report(name);
        let text = csv::csv(&report);
        let rows = parse_csv(&text);
        assert_eq!(
            rows.len(),
            report.threats.len() + 1,
            "{name}: header plus one row per threat"
        );
        assert!(
            rows.iter().all(|r| r.len() == csv::COLUMNS.len()),
            "{name}: every row has every column"
        );
        for (row, t) in rows[1..].iter().zip(&report.threats) {
            assert_eq!(row[0], t.id);
            assert_eq!(
                row[12],
                t.rationale.clone(),
                "rationale round-trips through quoting"
            );
        }
        insta::assert_snapshot!(format!("csv-{}", common::stem(name)), text);
    }
}

/// A strict RFC 4180 reader: fails the test on a malformed field.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => {
                    quoted = false;
                    assert!(
                        matches!(chars.peek(), Some(',') | Some('\r') | None),
                        "text after a closing quote"
                    );
                }
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' if at_start => quoted = true,
            '"' => panic!("a quote inside an unquoted field"),
            ',' => {
                row.push(std::mem::take(&mut field));
                at_start = true;
                continue;
            }
            '\r' => {
                assert_eq!(chars.next(), Some('\n'), "CRLF line ends");
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
                at_start = true;
                continue;
            }
            '\n' => panic!("bare LF outside quotes"),
            c => field.push(c),
        }
        at_start = false;
    }
    assert!(
        field.is_empty() && row.is_empty(),
        "the last line ends with CRLF"
    );
    rows
}

/// The official schema, with `format` checks on (so URIs are checked too).
fn sarif_validator() -> jsonschema::Validator {
    let text = include_str!("schemas/sarif-schema-2.1.0.json");
    let mut schema: serde_json::Value = serde_json::from_str(text).expect("the schema is JSON");
    // Known erratum: the `language` patterns (of `run` and `toolComponent`) have a stray
    // `]`, which is not a valid ECMA-262 regex, so the meta-schema's "regex" format check
    // rejects the schema. Escape it in memory (same meaning) rather than turn format
    // checks off; the file stays as published.
    let fixed = fix_patterns(
        &mut schema,
        "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$",
        "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$",
    );
    assert_eq!(fixed, 2, "the erratum is where it was");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn fix_patterns(v: &mut serde_json::Value, from: &str, to: &str) -> usize {
    match v {
        serde_json::Value::Object(map) => {
            let mut n = 0;
            for (key, value) in map.iter_mut() {
                if key == "pattern" && value == from {
                    *value = serde_json::json!(to);
                    n += 1;
                } else {
                    n += fix_patterns(value, from, to);
                }
            }
            n
        }
        serde_json::Value::Array(items) => {
            items.iter_mut().map(|i| fix_patterns(i, from, to)).sum()
        }
        _ => 0,
    }
}

fn examples_base() -> std::path::PathBuf {
    common::examples_dir()
        .parent()
        .expect("repo root")
        .to_path_buf()
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let validator = sarif_validator();
    for name in common::EXAMPLES {
        let (report, model, sources) = common::report(name);
        let log = sarif_json(&report, &model, &sources, Some(&examples_base()));
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
    }
}

#[test]
fn the_schema_check_catches_invalid_sarif() {
    let validator = sarif_validator();
    let (report, model, sources) = common::report("acme-shop.yaml");
    let mut log = sarif_json(&report, &model, &sources, Some(&examples_base()));
    log["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(!validator.is_valid(&log));
}

#[test]
fn sarif_snapshots() {
    for name in common::EXAMPLES {
        let (report, model, sources) = common::report(name);
        let mut log = sarif_json(&report, &model, &sources, Some(&examples_base()));
        // Rule help texts are the rules crate's documentation, snapshotted there.
        for rule in log["runs"][0]["tool"]["driver"]["rules"]
            .as_array_mut()
            .expect("rules")
        {
            rule["help"] = serde_json::json!("<rule documentation>");
        }
        insta::assert_json_snapshot!(format!("sarif-{}", common::stem(name)), log);
    }
}

#[test]
fn every_sarif_result_points_at_the_line_of_its_target() {
    let base = examples_base();
    for name in common::EXAMPLES {
        let (report, model, sources) = common::report(name);
        let log = sarif_json(&report, &model, &sources, Some(&base));
        let run = &log["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
        let results = run["results"].as_array().expect("results");
        assert_eq!(results.len(), report.threats.len());
        for (result, threat) in results.iter().zip(&report.threats) {
            assert_eq!(result["ruleId"], threat.rule);
            let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
            assert_eq!(
                rules[index]["id"], threat.rule,
                "ruleIndex points at the rule"
            );
            assert_eq!(
                result["partialFingerprints"]["gambitThreatId/v1"],
                threat.id
            );
            let physical = &result["locations"][0]["physicalLocation"];
            let uri = physical["artifactLocation"]["uri"].as_str().expect("a uri");
            assert!(
                uri.starts_with("examples/"),
                "{uri} is relative to the repository"
            );
            let line = physical["region"]["startLine"].as_u64().expect("a line") as usize;
            let text = std::fs::read_to_string(base.join(uri)).expect("the file exists");
            let written = text.lines().nth(line - 1).expect("the line exists");
            let needle = match threat.target_kind {
                "flow" => threat
                    .target
                    .split("->")
                    .next()
                    .unwrap_or(&threat.target)
                    .to_owned(),
                _ => threat.target.clone(),
            };
            assert!(
                written.contains(&needle)
                    || (threat.target_kind == "flow" && written.contains("from")),
                "{name}: {} at line {line} `{written}`",
                threat.id
            );
        }
    }
}

#[test]
fn closed_threats_are_suppressed_not_dropped() {
    let (report, model, sources) = common::report("acme-shop.yaml");
    let log = sarif_json(&report, &model, &sources, Some(&examples_base()));
    let results = log["runs"][0]["results"].as_array().expect("results");
    let accepted = results
        .iter()
        .find(|r| {
            // The accepted unencrypted-communication@web->db is folded into this threat.
            r["partialFingerprints"]["gambitThreatId/v1"]
                == "credential-over-unencrypted-flow@web->db"
        })
        .expect("the accepted threat is reported");
    assert_eq!(accepted["suppressions"][0]["kind"], "external");
    assert!(
        accepted["suppressions"][0]["justification"]
            .as_str()
            .unwrap_or("")
            .contains("TLS rollout")
    );
    let open = results
        .iter()
        .filter(|r| r.get("suppressions").is_none())
        .count();
    assert_eq!(open, report.threats.iter().filter(|t| t.open).count());
}

#[test]
fn the_rule_catalog_has_every_builtin_and_custom_rule() {
    let (report, model, sources) = common::report("acme-shop.yaml");
    let log = sarif_json(&report, &model, &sources, None);
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    let ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
    for meta in gambit_rules::registry::metas() {
        assert!(ids.contains(&meta.id), "{} is in the catalog", meta.id);
    }
    assert!(
        ids.contains(&"acme-internal-mtls"),
        "the model's custom rule is in the catalog"
    );
    let unencrypted = rules
        .iter()
        .find(|r| r["id"] == "unencrypted-communication")
        .expect("rule");
    let tags: Vec<&str> = unencrypted["properties"]["tags"]
        .as_array()
        .expect("tags")
        .iter()
        .filter_map(|t| t.as_str())
        .collect();
    assert!(
        tags.contains(&"information-disclosure") && tags.contains(&"external/cwe/cwe-319"),
        "{tags:?}"
    );
    assert!(
        unencrypted["help"]["markdown"]
            .as_str()
            .unwrap_or("")
            .contains("## How to fix")
    );
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "rules are sorted by id");
}

#[test]
fn html_snapshots() {
    for name in common::EXAMPLES {
        let (report, model, _) = common::report(name);
        insta::assert_snapshot!(
            format!("html-{}", common::stem(name)),
            gambit_report::html(&report, &model)
        );
    }
}

#[test]
fn html_is_self_contained_and_escapes_the_model() {
    let model = common::load_text(
        "gambit: 1\nname: '</script><script>alert(1)</script>'\ndescription: '<img src=x onerror=alert(2)>'\ncomponents:\n  web: {kind: web-app, public: true, description: '\"><b>'}\n",
    );
    let loaded_sources = gambit_model::SourceMap::default();
    let report = common::report_of(&model, &loaded_sources);
    let html = gambit_report::html(&report, &model);
    assert!(!html.contains("<script>alert"), "no script from the model");
    assert!(!html.contains("<img src=x"), "no markup from the model");
    assert!(html.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
    // Nothing is fetched: no external URL in any src or href, and a CSP forbids it anyway.
    for attr in ["src=\"http", "href=\"http", "url(http", "@import"] {
        assert!(!html.contains(attr), "{attr} in the report");
    }
    assert!(html.contains("Content-Security-Policy") && html.contains("default-src 'none'"));
    assert_eq!(
        html.matches("<script").count(),
        2,
        "the data block and the inline script only"
    );
}

#[test]
fn html_lists_every_threat_and_every_path() {
    let (report, model, _) = common::report("acme-shop.yaml");
    let html = gambit_report::html(&report, &model);
    for t in &report.threats {
        assert!(
            html.contains(&format!("data-id=\"{}\"", t.id.replace('>', "&gt;"))),
            "{} in the table",
            t.id
        );
    }
    assert_eq!(
        html.matches("class=\"path-btn\"").count(),
        report.attack_paths.len()
    );
    assert_eq!(
        html.matches("<g class=\"node component").count(),
        model.components.len()
    );
}

#[test]
fn write_dispatches_every_format() {
    let (report, model, sources) = common::report("acme-shop.yaml");
    use gambit_report::{Context, Format, write};
    let cx = Context {
        model: &model,
        sources: &sources,
        base: None,
    };
    let render = |format| {
        let mut out = Vec::new();
        write(format, &report, cx, &mut out).expect("writes");
        String::from_utf8(out).expect("UTF-8")
    };
    assert!(render(Format::Markdown).starts_with("## Gambit threat model"));
    assert!(render(Format::Html).starts_with("<!DOCTYPE html>"));
    assert!(render(Format::Csv).starts_with("id,rule,title"));
    assert!(
        render(Format::Text {
            styled: false,
            verbose: false,
        })
        .starts_with("Acme Shop: ")
    );
    let sarif = render(Format::Sarif);
    let log: serde_json::Value = serde_json::from_str(&sarif).expect("JSON");
    assert_eq!(log["version"], "2.1.0");
    let json: serde_json::Value = serde_json::from_str(&render(Format::Json)).expect("JSON");
    assert_eq!(
        json["threats"].as_array().map(Vec::len),
        Some(report.threats.len())
    );
    for f in [
        Format::Markdown,
        Format::Html,
        Format::Csv,
        Format::Sarif,
        Format::Json,
        Format::Text {
            styled: true,
            verbose: false,
        },
    ] {
        assert!(render(f).ends_with('\n'));
    }
}

#[test]
fn markdown_with_the_model_draws_the_shortest_path_in_mermaid() {
    let (report, model, _) = common::report("acme-shop.yaml");
    let text = markdown::markdown_with_model(&report, &model, &Default::default());
    let start = text.find("```mermaid\n").expect("a Mermaid block") + "```mermaid\n".len();
    let block = &text[start..start + text[start..].find("```").expect("closed")];
    assert!(block.starts_with("flowchart LR"));
    assert!(
        block.contains("class ") && block.contains(" hl"),
        "the path is highlighted: {block}"
    );
    // Only the path's elements: acme-shop's ci-runner is on no shortest path.
    assert!(!block.contains("ci_runner"), "{block}");
    assert!(text.contains("<details>") && text.contains("</details>"));
    insta::assert_snapshot!("markdown-acme-shop-with-model", text);
}

/// The SARIF log as the JSON a user gets.
fn sarif_json(
    report: &gambit_report::Report,
    model: &gambit_model::Model,
    sources: &gambit_model::SourceMap,
    base: Option<&std::path::Path>,
) -> serde_json::Value {
    serde_json::to_value(sarif::sarif(report, model, sources, base)).expect("SARIF serializes")
}
