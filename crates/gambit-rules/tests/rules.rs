//! The catalog's tests, driven by the registry: for every rule, its trigger fixture must
//! raise a threat of that rule and its clean fixture must not (so removing or breaking
//! a rule fails here); the triggered threats are snapshotted; the documentation must
//! have every section, its example must trigger the rule, and the generated docs must
//! be up to date.

mod common;

use std::collections::BTreeSet;
use std::fmt::Write;

use gambit_rules::registry::{self, RULES};
use gambit_rules::rule::ThreatRule;

fn fixture(rule: &str, which: &str) -> std::path::PathBuf {
    common::crate_dir()
        .join("tests/fixtures")
        .join(rule)
        .join(format!("{which}.yaml"))
}

/// The threats one rule raises on its own, before folding: a rule whose finding is
/// listed under a more specific one still has to fire (its recall is tested here).
fn threats_of(rule: &'static dyn ThreatRule, path: &std::path::Path) -> Vec<gambit_rules::Threat> {
    let (_, model) = common::load_file(path);
    let cx = gambit_rules::context::Context::new(&model);
    gambit_rules::analysis::run_rules(&cx, &[rule])
        .into_iter()
        .map(|f| gambit_rules::Threat::from_finding(&cx, f))
        .collect()
}

#[test]
fn every_rule_fires_on_its_trigger_and_not_on_its_clean_fixture() {
    let mut failures = Vec::new();
    for rule in RULES {
        let id = rule.meta().id;
        let trigger = fixture(id, "trigger");
        let clean = fixture(id, "clean");
        if !trigger.exists() || !clean.exists() {
            failures.push(format!(
                "{id}: missing fixture {} or {}",
                trigger.display(),
                clean.display()
            ));
            continue;
        }
        let fired = threats_of(*rule, &trigger);
        if fired.is_empty() {
            failures.push(format!("{id}: trigger.yaml raises no `{id}` threat"));
        }
        let quiet = threats_of(*rule, &clean);
        if !quiet.is_empty() {
            failures.push(format!(
                "{id}: clean.yaml raises {:?}",
                quiet.iter().map(|t| &t.id).collect::<Vec<_>>()
            ));
        }
        let mut snap = String::new();
        for t in &fired {
            let _ = writeln!(
                snap,
                "{}\n  severity: {} (likelihood {}, impact {})\n  rationale: {}\n  factors: {:?}\n  assets: {:?}",
                t.id, t.severity, t.likelihood, t.impact, t.rationale, t.factors, t.assets
            );
        }
        insta::assert_snapshot!(format!("trigger-{id}"), snap);
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_fixture_folder_belongs_to_a_rule() {
    let dir = common::crate_dir().join("tests/fixtures");
    let known: BTreeSet<&str> = RULES.iter().map(|r| r.meta().id).collect();
    for entry in std::fs::read_dir(dir).expect("fixtures folder") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        assert!(
            known.contains(name.as_str()),
            "tests/fixtures/{name} has no rule in the registry"
        );
    }
}

/// A rule module that is not in the registry never runs: every file under src/rules/
/// (other than the module list and the shared helpers) must be a registered rule whose
/// id is the file name in kebab-case.
#[test]
fn every_rule_module_is_in_the_registry() {
    let dir = common::crate_dir().join("src/rules");
    let registered: BTreeSet<&str> = RULES.iter().map(|r| r.meta().id).collect();
    let mut modules = 0;
    for entry in std::fs::read_dir(&dir).expect("src/rules") {
        let name = entry
            .expect("entry")
            .file_name()
            .into_string()
            .expect("utf-8");
        let Some(stem) = name.strip_suffix(".rs") else {
            continue;
        };
        if stem == "mod" || stem == "shared" {
            continue;
        }
        modules += 1;
        let id = stem.replace('_', "-");
        assert!(
            registered.contains(id.as_str()),
            "src/rules/{name} is not in registry::RULES (expected id {id})"
        );
    }
    assert_eq!(modules, RULES.len(), "one module per registered rule");
}

#[test]
fn rule_ids_are_unique_kebab_case() {
    let mut seen = BTreeSet::new();
    for rule in RULES {
        let id = rule.meta().id;
        assert!(seen.insert(id), "rule id {id} is registered twice");
        assert!(
            id.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !id.starts_with('-')
                && !id.ends_with('-'),
            "rule id {id} is not kebab-case"
        );
        assert!(registry::find(id).is_some());
    }
}

#[test]
fn every_rule_is_documented_with_all_sections_and_metadata() {
    let mut failures = Vec::new();
    for rule in RULES {
        let m = rule.meta();
        let missing = m.missing_sections();
        if !missing.is_empty() {
            failures.push(format!("{}: documentation lacks {missing:?}", m.id));
        }
        if m.cwe.is_empty() || m.attack.is_empty() || m.stride.is_empty() {
            failures.push(format!("{}: needs CWE, ATT&CK/ATLAS and STRIDE", m.id));
        }
        if m.summary().is_empty() {
            failures.push(format!("{}: empty summary", m.id));
        }
        for c in m.controls {
            if !gambit_model::vocab::CONTROLS.contains(c) {
                failures.push(format!("{}: control {c} is not in the vocabulary", m.id));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_documented_example_triggers_its_rule() {
    let mut failures = Vec::new();
    for rule in RULES {
        let m = rule.meta();
        let Some(example) = m.example() else {
            failures.push(format!(
                "{}: the Example section has no ```yaml block",
                m.id
            ));
            continue;
        };
        let loaded =
            gambit_model::load_str(m.id, example, None, gambit_model::LoadOptions::default());
        let Some(model) = loaded.model else {
            failures.push(format!(
                "{}: the example does not load: {:?}",
                m.id, loaded.diagnostics
            ));
            continue;
        };
        // Reported itself, or folded under a more specific threat on the same fact.
        let prefix = format!("{}@", m.id);
        let fired = common::run(&model)
            .threats
            .iter()
            .any(|t| t.rule == m.id || t.also.iter().any(|a| a.starts_with(&prefix)));
        if !fired {
            failures.push(format!("{}: the example does not trigger the rule", m.id));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn generated_rule_docs_are_up_to_date() {
    let docs = common::repo_dir().join("docs");
    let mut expected = vec![(
        docs.join("rules.md"),
        gambit_rules::docs::index(&registry::metas()),
    )];
    for m in registry::metas() {
        expected.push((
            docs.join("rules").join(format!("{}.md", m.id)),
            gambit_rules::docs::rule_page(m),
        ));
    }
    let mut stale = Vec::new();
    for (path, text) in &expected {
        let current = std::fs::read_to_string(path).unwrap_or_default();
        if current != *text {
            if common::blessing() {
                std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
                std::fs::write(path, text).expect("write docs");
            } else {
                stale.push(path.display().to_string());
            }
        }
    }
    // Pages of rules that no longer exist.
    if let Ok(entries) = std::fs::read_dir(docs.join("rules")) {
        for e in entries.flatten() {
            let path = e.path();
            if !expected.iter().any(|(p, _)| *p == path) {
                if common::blessing() {
                    std::fs::remove_file(&path).expect("remove stale page");
                } else {
                    stale.push(format!("{} (no such rule)", path.display()));
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "generated rule docs are stale; run `GAMBIT_BLESS=1 cargo test -p gambit-rules`:\n{}",
        stale.join("\n")
    );
}

#[test]
fn custom_rule_variables_in_the_docs_are_up_to_date() {
    const START: &str = "<!-- fields:start (generated) -->\n";
    const END: &str = "<!-- fields:end -->";
    let path = common::repo_dir().join("docs/custom-rules.md");
    let text = std::fs::read_to_string(&path).expect("docs/custom-rules.md");
    let (Some(a), Some(b)) = (text.find(START), text.find(END)) else {
        panic!("docs/custom-rules.md lacks the generated fields markers");
    };
    let generated = gambit_rules::custom::fields_markdown();
    let current = &text[a + START.len()..b];
    if current != generated {
        if common::blessing() {
            let updated = format!("{}{generated}{}", &text[..a + START.len()], &text[b..]);
            std::fs::write(&path, updated).expect("write docs");
        } else {
            panic!(
                "docs/custom-rules.md is stale; run `GAMBIT_BLESS=1 cargo test -p gambit-rules`"
            );
        }
    }
}
