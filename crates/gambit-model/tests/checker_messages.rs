//! The checker's messages read right: one mistake gives one error, suggestions follow
//! meaning and never offer the opposite, and the grammar holds.

use gambit_model::{LoadOptions, load_str};

fn diagnostics(text: &str) -> Vec<gambit_model::Diagnostic> {
    load_str("m.yaml", text.to_owned(), None, LoadOptions::default()).diagnostics
}

#[test]
fn a_zone_and_a_component_with_one_id_give_one_duplicate_id_error() {
    let d = diagnostics(
        r#"
gambit: 1
zones:
  web: {kind: network}
components:
  web: {kind: web-app}
  db: {kind: database}
flows:
  - {from: web, to: db, protocol: https, authentication: none}
  - {from: db, to: web, protocol: https, authentication: none}
"#,
    );
    let errors: Vec<&str> = d.iter().filter(|d| d.is_error()).map(|d| d.code).collect();
    assert_eq!(errors, ["duplicate-id"], "{d:#?}");
}

#[test]
fn trusted_suggests_internal_not_untrusted() {
    let d = diagnostics("gambit: 1\nzones:\n  lan: {kind: network, trust: trusted}\n");
    let help = d
        .iter()
        .find(|d| d.code == "invalid-value")
        .and_then(|d| d.help.clone())
        .expect("an invalid-value error with help");
    assert!(help.starts_with("did you mean `internal`?"), "{help}");
    let label = d
        .iter()
        .find(|d| d.code == "invalid-value")
        .and_then(|d| d.label.clone())
        .unwrap_or_default();
    assert_eq!(label, "not a trust");
}

#[test]
fn grammar_an_authentication_and_no_repeated_credential() {
    let d = diagnostics(
        r#"
gambit: 1
assets:
  pii: {classification: restricted}
components:
  a: {kind: api}
  b: {kind: api}
flows:
  - {from: a, to: b, protocol: https, authentication: passwrd, credential: pii}
"#,
    );
    let texts: Vec<String> = d
        .iter()
        .map(|d| format!("{} | {}", d.message, d.label.clone().unwrap_or_default()))
        .collect();
    assert!(
        texts.iter().any(|t| t.contains("not an authentication")),
        "{texts:#?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("`pii` is an asset that is not a credential |")),
        "{texts:#?}"
    );
}

#[test]
fn the_added_authentication_values_load() {
    for value in [
        "scram",
        "hmac",
        "presigned-url",
        "sso",
        "digest",
        "webauthn",
    ] {
        let text = format!(
            "gambit: 1\ncomponents:\n  a: {{kind: api}}\n  b: {{kind: api}}\nflows:\n  - {{from: a, to: b, protocol: https, authentication: {value}}}\n"
        );
        let d = diagnostics(&text);
        assert!(!d.iter().any(|d| d.is_error()), "{value}: {d:#?}");
    }
}
