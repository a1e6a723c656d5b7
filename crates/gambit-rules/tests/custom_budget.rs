//! A custom rule from a pull request cannot stall or exhaust the analysis: conditions
//! over budget are skipped on the elements where they would be, with a warning naming
//! the rule, and the rest of the analysis runs.

mod common;

fn model_with_rule(when: &str) -> String {
    let components: String = (0..20)
        .map(|i| format!("  c{i}: {{kind: api, zone: z, controls: [waf, rate-limit, mfa, logging, backup, edr, siem, dlp, tls, sso]}}\n"))
        .collect();
    format!(
        "gambit: 1\nname: x\nzones:\n  z: {{kind: network}}\ncomponents:\n{components}rules:\n  - id: acme-slow\n    title: Slow\n    applies_to: component\n    when: {}\n",
        serde_json::to_string(when).unwrap()
    )
}

fn budget_warnings(when: &str) -> (usize, Vec<String>) {
    let (loaded, model) = common::load_text("budget.yaml", &model_with_rule(when));
    let analysis = common::run_with_sources(&loaded, &model);
    let threats = analysis
        .threats
        .iter()
        .filter(|t| t.rule == "acme-slow")
        .count();
    let warnings = analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == "custom-rule-budget")
        .map(|d| d.message.clone())
        .collect();
    (threats, warnings)
}

#[test]
fn eight_nested_exists_are_skipped_with_a_warning_naming_the_rule() {
    let when = (0..8).fold("v0 == 'never'".to_owned(), |inner, i| {
        format!("component.controls.exists(v{i}, {inner})")
    });
    let (threats, warnings) = budget_warnings(&when);
    assert_eq!(threats, 0);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("`acme-slow`"), "{warnings:?}");
}

#[test]
fn nested_maps_and_doubling_lists_are_skipped() {
    let maps = (0..8).fold("1".to_owned(), |inner, i| {
        format!("component.controls.map(v{i}, {inner})")
    });
    let maps = format!("{maps}.size() > 0");
    let doubling = format!("[[0]]{}.size() > 0", ".map(a, a + a)".repeat(60));
    for when in [maps, doubling] {
        let (threats, warnings) = budget_warnings(&when);
        assert_eq!(threats, 0, "{when}");
        assert_eq!(warnings.len(), 1, "{when}: {warnings:?}");
    }
}

#[test]
fn ordinary_nested_conditions_still_run() {
    let (threats, warnings) = budget_warnings(
        "component.controls.exists(a, component.controls.exists(b, a != b && a == 'waf'))",
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(threats, 20);
}
