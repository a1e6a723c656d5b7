//! The analysis as a whole: the hardened example stays quiet, the catalog covers what
//! the issue asks, risk decisions, DREAD and custom CEL rules (the report's shape is tested in
//! gambit-report).

mod common;

use std::collections::BTreeSet;

use gambit_model::vocab::{RiskStatus, Severity, Stride};
use gambit_rules::registry::RULES;
use gambit_rules::scoring::severity_rank;
use gambit_rules::{CustomRules, Options, Scoring, analyze};

#[test]
fn the_hardened_example_has_no_threat_above_medium() {
    let (_, model) = common::load_file(&common::repo_dir().join("examples/hardened.yaml"));
    let analysis = common::run(&model);
    let loud: Vec<String> = analysis
        .threats
        .iter()
        .filter(|t| severity_rank(t.severity) > severity_rank(Severity::Medium))
        .map(|t| format!("{} ({}): {}", t.id, t.severity, t.rationale))
        .collect();
    assert!(
        loud.is_empty(),
        "hardened.yaml raises:\n{}",
        loud.join("\n")
    );
    assert!(
        analysis.diagnostics.is_empty(),
        "{:?}",
        analysis.diagnostics
    );
}

#[test]
fn every_example_loads_and_analyses_deterministically() {
    let dir = common::repo_dir().join("examples");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("examples folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    let multi = dir.join("multi-file/main.yaml");
    if multi.exists() {
        paths.push(multi);
    }
    assert!(
        paths.len() >= 2,
        "expected example models in {}",
        dir.display()
    );
    for path in paths {
        let (_, model) = common::load_file(&path);
        let first = common::run(&model);
        let second = common::run(&model);
        let ids = |a: &gambit_rules::ThreatAnalysis| {
            a.threats.iter().map(|t| t.id.clone()).collect::<Vec<_>>()
        };
        assert_eq!(
            ids(&first),
            ids(&second),
            "{} is not deterministic",
            path.display()
        );
        for pair in first.threats.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            let ordered = severity_rank(a.severity) > severity_rank(b.severity)
                || (a.severity == b.severity && a.id < b.id);
            assert!(ordered, "{}: {} before {}", path.display(), a.id, b.id);
        }
    }
}

#[test]
fn the_fixed_rule_ids_exist() {
    let fixed = [
        "unencrypted-communication",
        "missing-authentication",
        "missing-authorization",
        "unencrypted-at-rest",
        "public-datastore",
        "credential-on-exposed-component",
        "privileged-identity-without-mfa",
        "human-without-mfa",
        "unsigned-code-flow",
        "ci-holds-production-credential",
        "prompt-injection",
        "excessive-agency",
        "sensitive-data-to-external-llm",
        "missing-logging",
        "missing-rate-limiting",
        "sql-injection",
        "ssrf",
        "cross-site-scripting",
        "flat-network-lateral-movement",
        "exploitable-vulnerability",
        "single-point-of-failure",
    ];
    let ids: BTreeSet<&str> = RULES.iter().map(|r| r.meta().id).collect();
    for id in fixed {
        assert!(ids.contains(id), "the fixed rule id {id} is missing");
    }
    assert!(
        RULES.len() >= 60,
        "the catalog has {} rules, fewer than 60",
        RULES.len()
    );
}

#[test]
fn every_stride_category_has_at_least_five_rules() {
    for s in Stride::ALL {
        let n = RULES.iter().filter(|r| r.meta().stride.contains(s)).count();
        assert!(n >= 5, "{s} has only {n} rules");
    }
}

const DECISIONS: &str = r#"
gambit: 1
assets:
  orders: {classification: confidential}
components:
  shop: {kind: web-app}
  db: {kind: database, stores: [orders], encrypted_at_rest: true}
  db2: {kind: database, stores: [orders]}
flows:
  - {from: shop, to: db, protocol: postgres, authentication: password, data: [orders]}
  - {from: shop, to: db2, protocol: postgres+tls, authentication: password, data: [orders]}
risks:
  - threat: unencrypted-communication@shop->db
    status: accepted
    justification: Same host.
    owner: platform
    expires: 2026-01-31
    dread: {damage: 2}
  - threat: unencrypted-at-rest@db2
    status: accepted
    expires: 2027-01-31
  - threat: unencrypted-comunication@shop->db2
    status: mitigated
"#;

#[test]
fn an_expired_acceptance_counts_as_open_and_says_so() {
    let (_, model) = common::load_text("decisions.yaml", DECISIONS);
    let mut options = Options::new(common::today());
    options.scoring = Scoring::Dread;
    let analysis = analyze(&model, &options);
    let t = analysis
        .threats
        .iter()
        .find(|t| t.id == "credential-over-unencrypted-flow@shop->db")
        .expect("threat");
    // The decision names a threat folded into this one: it applies here.
    assert!(
        t.also
            .iter()
            .any(|a| a == "unencrypted-communication@shop->db"),
        "{:?}",
        t.also
    );
    assert_eq!(t.status, RiskStatus::Accepted);
    assert!(
        t.open,
        "an acceptance that expired on 2026-01-31 is open on 2026-06-01"
    );
    assert!(
        t.status_note
            .as_deref()
            .is_some_and(|n| n.contains("expired")),
        "{:?}",
        t.status_note
    );
    assert!(
        t.decision
            .as_ref()
            .is_some_and(|d| d.expired && d.owner.as_deref() == Some("platform"))
    );
    assert_eq!(
        t.dread.expect("dread").damage,
        2,
        "the decision's DREAD override applies"
    );

    let live = analysis
        .threats
        .iter()
        .find(|t| t.id == "unencrypted-at-rest@db2")
        .expect("threat");
    assert!(!live.open, "an acceptance until 2027 is not open in 2026");

    // The same model judged before the expiry date: closed.
    let earlier = analyze(
        &model,
        &Options::new(gambit_rules::parse_date("2026-01-31").unwrap()),
    );
    let t = earlier
        .threats
        .iter()
        .find(|t| t.id == "credential-over-unencrypted-flow@shop->db")
        .unwrap();
    assert!(
        !t.open,
        "on the expiry day itself the acceptance still holds"
    );
}

#[test]
fn a_decision_on_a_missing_threat_is_a_stale_warning_with_a_suggestion() {
    let (loaded, model) = common::load_text("decisions.yaml", DECISIONS);
    let analysis = common::run(&model);
    let stale: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == "stale-risk")
        .collect();
    assert_eq!(stale.len(), 1, "{:?}", analysis.diagnostics);
    let d = stale[0];
    assert!(!d.is_error());
    assert!(d.message.contains("unencrypted-comunication@shop->db2"));
    let where_ = loaded.sources.describe(d.span.expect("span"));
    assert!(where_.starts_with("decisions.yaml:22:"), "{where_}");
    assert!(
        d.help
            .as_deref()
            .is_some_and(|h| h.contains("unencrypted-communication@shop->db")),
        "{:?}",
        d.help
    );
}

#[test]
fn dread_follows_the_documented_mapping() {
    let (_, model) = common::load_text(
        "dread.yaml",
        r#"
gambit: 1
assets:
  pii: {classification: restricted, records: 2000000}
actors:
  anyone: {kind: user}
components:
  bucket: {kind: object-store, public: true, stores: [pii]}
flows:
  - {from: anyone, to: bucket, protocol: https, authentication: none, returns: [pii]}
"#,
    );
    let mut options = Options::new(common::today());
    options.scoring = Scoring::Dread;
    let analysis = analyze(&model, &options);
    let t = analysis
        .threats
        .iter()
        .find(|t| t.id == "public-datastore@bucket")
        .expect("threat");
    let d = t.dread.expect("dread ratings");
    assert_eq!(d.damage, 10, "very-high impact");
    assert_eq!(d.affected_users, 10, "two million records");
    assert_eq!(d.discoverability, 9, "internet exposure");
    assert_eq!(d.exploitability, 9);
    assert!(d.score > 8.0 && d.score <= 10.0, "{}", d.score);
    assert!(
        common::run(&model)
            .threats
            .iter()
            .all(|t| t.dread.is_none()),
        "DREAD only on request"
    );
}

#[test]
fn custom_rules_fire_with_their_own_ratings() {
    let (loaded, model) = common::load_text(
        "custom.yaml",
        r#"
gambit: 1
components:
  a: {kind: api}
  b: {kind: api}
flows:
  - {from: a, to: b, protocol: https, authentication: token}
  - {from: b, to: a, protocol: https, authentication: mtls}
rules:
  - id: acme-internal-mtls
    title: Internal APIs must use mutual TLS
    applies_to: flow
    when: 'flow.to.kind == "api" && flow.authentication != "mtls"'
    stride: [spoofing]
    likelihood: likely
    impact: high
    mitigation: Require mTLS between services.
"#,
    );
    let analysis = common::run_with_sources(&loaded, &model);
    assert!(
        analysis.diagnostics.is_empty(),
        "{:?}",
        analysis.diagnostics
    );
    let ours: Vec<_> = analysis
        .threats
        .iter()
        .filter(|t| t.rule == "acme-internal-mtls")
        .collect();
    assert_eq!(ours.len(), 1);
    assert_eq!(ours[0].id, "acme-internal-mtls@a->b");
    assert_eq!(ours[0].severity, Severity::Elevated);
    assert_eq!(ours[0].mitigations, vec!["Require mTLS between services."]);
}

fn rule_errors(when: &str, applies_to: &str) -> Vec<(String, String, Option<String>)> {
    let text = format!(
        "gambit: 1\ncomponents:\n  a: {{kind: api}}\nrules:\n  - id: r1\n    title: T\n    applies_to: {applies_to}\n    when: '{when}'\n"
    );
    let (loaded, model) = common::load_text("rules.yaml", &text);
    let (_, diags) = CustomRules::compile_with(&model.rules, Some(&loaded.sources));
    diags
        .iter()
        .map(|d| {
            (
                loaded.sources.describe(d.span.expect("span")),
                d.message.clone(),
                d.help.clone(),
            )
        })
        .collect()
}

#[test]
fn a_condition_that_does_not_compile_points_into_the_condition() {
    let errors = rule_errors("component.public &&", "component");
    assert!(!errors.is_empty());
    let (place, message, _) = &errors[0];
    assert!(message.contains("not valid CEL"), "{message}");
    assert!(place.starts_with("rules.yaml:8:"), "{place}");
    let column: usize = place.rsplit(':').next().unwrap().parse().unwrap();
    assert!(
        column > "    when: '".len(),
        "the column points inside the condition: {place}"
    );
}

#[test]
fn unknown_fields_and_variables_are_errors_with_suggestions() {
    let errors = rule_errors("flow.to.knd == \"api\"", "flow");
    assert_eq!(errors.len(), 1, "{errors:?}");
    let (place, message, help) = &errors[0];
    assert!(message.contains("flow.to.knd"), "{message}");
    assert_eq!(help.as_deref(), Some("did you mean `kind`?"));
    // `flow.to.knd` starts at column 12 of line 8: `    when: 'flow.to.knd`.
    assert_eq!(place, "rules.yaml:8:12");

    let errors = rule_errors("componnt.public", "component");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].1.contains("unknown variable `componnt`"),
        "{:?}",
        errors[0]
    );

    // Macro variables are fine.
    assert!(rule_errors("component.vulnerabilities.exists(v, v.kev)", "component").is_empty());
}

#[test]
fn a_custom_rule_cannot_take_a_built_in_id() {
    let (loaded, model) = common::load_text(
        "clash.yaml",
        "gambit: 1\nrules:\n  - id: ssrf\n    title: Mine\n    applies_to: component\n    when: 'true'\n",
    );
    let analysis = common::run_with_sources(&loaded, &model);
    assert!(analysis.has_errors());
    assert!(
        analysis
            .diagnostics
            .iter()
            .any(|d| d.code == "rule-id-clash"),
        "{:?}",
        analysis.diagnostics
    );
}

#[test]
fn the_documented_condition_examples_compile_and_run() {
    let examples = [
        (
            "component",
            r#"component.kind == "database" && !component.encrypted_at_rest && component.classification == "restricted""#,
        ),
        ("flow", "flow.crosses_boundary && !flow.encrypted"),
        (
            "identity",
            r#"identity.privileged && identity.grants.exists(g, g.access == "admin")"#,
        ),
        ("asset", "asset.crown_jewel && asset.stored_by.size() > 2"),
        (
            "component",
            r#"component.vulnerabilities.exists(v, v.kev && v.status == "open")"#,
        ),
        (
            "component",
            r#""pci" in component.tags && !("waf" in component.controls)"#,
        ),
    ];
    let (_, base) = common::load_file(&common::repo_dir().join("examples/acme-shop.yaml"));
    for (target, when) in examples {
        let text = format!(
            "gambit: 1\nrules:\n  - id: doc-example\n    title: T\n    applies_to: {target}\n    when: {}\n",
            serde_json::to_string(when).unwrap()
        );
        let (_, model) = common::load_text("doc.yaml", &text);
        let (rules, diags) = CustomRules::compile(&model.rules);
        assert!(diags.is_empty(), "{when}: {diags:?}");
        let cx = gambit_rules::context::Context::new(&base);
        let (_, warnings) = rules.evaluate(&cx);
        assert!(warnings.is_empty(), "{when}: {warnings:?}");
    }
}

#[test]
fn other_good_designs_stay_quiet() {
    let dir = common::crate_dir().join("tests/good");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/good") {
        let path = entry.expect("entry").path();
        let (_, model) = common::load_file(&path);
        let loud: Vec<String> = common::run(&model)
            .threats
            .iter()
            .filter(|t| severity_rank(t.severity) > severity_rank(Severity::Medium))
            .map(|t| format!("{} ({}): {}", t.id, t.severity, t.rationale))
            .collect();
        assert!(
            loud.is_empty(),
            "{} raises:\n{}",
            path.display(),
            loud.join("\n")
        );
        checked += 1;
    }
    assert!(checked > 0);
}
