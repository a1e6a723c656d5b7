//! The loader against good and hostile input: every error found in one run, each at the
//! right file, line and column; defaults and derived values as the spec gives them.

use std::time::Instant;

use gambit_model::{
    AttackerSpec, Diagnostic, Endpoint, LoadOptions, Loaded, Severity, load_path, load_str,
    vocab::{Authentication, Trust},
};

fn load(yaml: &str) -> Loaded {
    load_str("model.yaml", yaml.to_owned(), None, LoadOptions::default())
}

/// `code@line:col` for every error, in source order.
fn errors(loaded: &Loaded) -> Vec<String> {
    loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| place(loaded, d))
        .collect()
}

fn warnings(loaded: &Loaded) -> Vec<String> {
    loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| place(loaded, d))
        .collect()
}

fn place(loaded: &Loaded, d: &Diagnostic) -> String {
    match d.span {
        Some(span) => {
            let lc = loaded.sources.get(span.file).line_col(span.start);
            format!("{}@{}:{}", d.code, lc.line, lc.column)
        }
        None => d.code.to_owned(),
    }
}

fn help_of<'a>(loaded: &'a Loaded, code: &str) -> &'a str {
    loaded
        .diagnostics
        .iter()
        .find(|d| d.code == code)
        .and_then(|d| d.help.as_deref())
        .unwrap_or("")
}

const SMALL: &str = "gambit: 1
name: Small
assets:
  pii: {classification: restricted}
  key: {kind: credential, grants: role}
components:
  web: {kind: web-app, public: true, processes: [pii], holds: [key]}
  db: {kind: database, stores: [pii]}
identities:
  role: {kind: database-user, grants: [{access: read, target: db}]}
flows:
  - {from: web, to: db, protocol: postgres, authentication: password, credential: key}
";

#[test]
fn a_good_model_loads_without_diagnostics() {
    let loaded = load(SMALL);
    assert_eq!(loaded.diagnostics, vec![], "{:?}", loaded.diagnostics);
    let m = loaded.model.expect("model");
    assert_eq!(m.components.len(), 2);
    assert_eq!(m.flows[0].id, "web->db");
    assert!(
        m.assets[0].crown_jewel,
        "restricted is a crown jewel by default"
    );
    assert!(
        !m.flows[0].encrypted,
        "postgres is not encrypted by default"
    );
    assert_eq!(m.attackers, vec![AttackerSpec::Internet]);
}

#[test]
fn every_error_is_reported_in_one_run_with_its_position() {
    let loaded = load(
        "gambit: 1
assets:
  pii: {clasification: restricted}
components:
  web: {kind: web-app, zone: dmzz, public: yes}
flows:
  - {from: web, to: dbb, authentication: passwrod}
",
    );
    assert_eq!(
        errors(&loaded),
        [
            "unknown-key@3:9",
            "unknown-reference@5:30",
            "invalid-value@5:44",
            "unknown-reference@7:21",
            "invalid-value@7:42",
        ]
    );
    assert!(loaded.model.is_none());
    assert_eq!(
        help_of(&loaded, "unknown-key"),
        "did you mean `classification`?"
    );
    let yes = loaded
        .diagnostics
        .iter()
        .find(|d| d.message.contains("`yes`"))
        .unwrap();
    assert!(yes.help.as_deref().unwrap().contains("YAML 1.2"));
    let auth = loaded
        .diagnostics
        .iter()
        .find(|d| d.message.contains("passwrod"))
        .unwrap();
    assert!(
        auth.help
            .as_deref()
            .unwrap()
            .starts_with("did you mean `password`?"),
        "{auth:?}"
    );
}

#[test]
fn unknown_ids_get_the_closest_id_of_the_right_kind() {
    let loaded = load(&SMALL.replace("stores: [pii]", "stores: [pi]"));
    assert_eq!(errors(&loaded), ["unknown-reference@8:33"]);
    assert_eq!(help_of(&loaded, "unknown-reference"), "did you mean `pii`?");
}

#[test]
fn a_reference_to_the_wrong_kind_of_element_says_what_it_is() {
    let loaded = load(&SMALL.replace("stores: [pii]", "stores: [web]"));
    let d = &loaded.diagnostics[0];
    assert_eq!(d.code, "wrong-kind");
    assert_eq!(d.message, "`web` is a component, not an asset");
    assert_eq!(d.related.len(), 1, "points at the definition");
}

#[test]
fn x_keys_are_allowed_everywhere_and_other_unknown_keys_are_not() {
    let loaded = load(
        &SMALL
            .replace("name: Small", "name: Small\nx-team: payments")
            .replace(
                "db: {kind: database,",
                "db: {x-runbook: wiki/db, kind: database,",
            ),
    );
    assert_eq!(errors(&loaded), Vec::<String>::new());
    let loaded = load(&SMALL.replace("name: Small", "name: Small\nteam: payments"));
    assert_eq!(errors(&loaded), ["unknown-key@3:1"]);
    assert!(help_of(&loaded, "unknown-key").contains("start with `x-`"));
}

#[test]
fn yaml_1_2_keeps_on_yes_and_no_as_strings() {
    let loaded = load(&SMALL.replace("name: Small", "name: on\ndescription: no"));
    let m = loaded.model.expect("model");
    assert_eq!(m.name, "on");
    assert_eq!(m.description.as_deref(), Some("no"));
}

#[test]
fn json_models_load_with_positions() {
    let json = r#"{
  "gambit": 1,
  "name": "Json",
  "assets": {"pii": {"classification": "restricted"}},
  "components": {
    "web": {"kind": "web-app", "public": true, "processes": ["pii"]},
    "db": {"kind": "database", "stores": ["pii"]}
  },
  "flows": [{"from": "web", "to": "db", "protocol": "https", "authentication": "token"}]
}"#;
    let loaded = load_str("model.json", json.to_owned(), None, LoadOptions::default());
    assert_eq!(loaded.diagnostics, vec![]);
    assert!(loaded.model.expect("model").flows[0].encrypted);
    let loaded = load_str(
        "model.json",
        json.replace("\"db\"]", "\"dbx\"]")
            .replace("\"to\": \"db\"", "\"to\": \"dbx\""),
        None,
        LoadOptions::default(),
    );
    assert_eq!(errors(&loaded), ["unknown-reference@9:35"]);
}

#[test]
fn defaults_and_derived_values_follow_the_spec() {
    let loaded = load(
        "gambit: 1
assets:
  a: {integrity: critical}
  b: {classification: restricted, crown_jewel: false}
  c: {}
zones:
  partner-net: {trust: partner}
actors:
  visitor: {}
  vendor: {zone: partner-net}
components:
  api: {stores: [a, b, c]}
  svc: {}
flows:
  - {from: visitor, to: api, protocol: HTTPS, authentication: token}
  - {from: vendor, to: api, protocol: starttls-smtp, authentication: none}
  - {from: svc, to: api, protocol: grpc, authentication: mtls}
  - {from: api, to: svc, protocol: grpc, authentication: key}
  - {from: api, to: svc, id: second, protocol: telnet, authentication: token}
",
    );
    let m = loaded.model.expect("model");
    let [a, b, c] = [&m.assets[0], &m.assets[1], &m.assets[2]];
    assert!(a.crown_jewel && !b.crown_jewel && !c.crown_jewel);
    assert_eq!(c.classification.to_string(), "internal");
    assert_eq!(m.actors[0].zone, m.internet());
    assert_eq!(m.actors[0].trust, Trust::Untrusted);
    assert_eq!(m.actors[1].trust, Trust::Partner);
    let api = m.component_id("api").unwrap();
    assert_eq!(m[api].zone, m.internal());
    let enc: Vec<bool> = m.flows.iter().map(|f| f.encrypted).collect();
    assert_eq!(enc, [true, true, true, false, false]);
    // api has an inbound flow without authentication: it accepts unauthenticated callers.
    assert_eq!(m[api].authentication, Authentication::None);
    // svc's inbound flows demand key and token: the weakest is what it demands.
    let svc = m.component_id("svc").unwrap();
    assert_eq!(m[svc].authentication, Authentication::Key);
    assert_eq!(m[svc].flows_in.len(), 2);
    assert!(matches!(m.flows[0].from, Endpoint::Actor(_)));
}

#[test]
fn a_component_without_inbound_flows_accepts_unauthenticated_callers() {
    let m = load(SMALL).model.unwrap();
    let web = m.component_id("web").unwrap();
    assert_eq!(m[web].authentication, Authentication::None);
    let db = m.component_id("db").unwrap();
    assert_eq!(m[db].authentication, Authentication::Password);
}

#[test]
fn ids_are_one_namespace_and_a_duplicate_names_both_places() {
    let loaded = load(&SMALL.replace("identities:\n  role:", "identities:\n  web: {}\n  role:"));
    assert_eq!(errors(&loaded), ["duplicate-id@10:3"]);
    let d = &loaded
        .diagnostics
        .iter()
        .find(|d| d.code == "duplicate-id")
        .unwrap();
    let first = loaded.sources.describe(d.related[0].span);
    assert_eq!(first, "model.yaml:7:3");
    let loaded = load("gambit: 1\nzones:\n  internet: {}\n");
    assert_eq!(errors(&loaded), ["duplicate-id@3:3"]);
}

#[test]
fn two_flows_between_the_same_ends_need_ids() {
    let twice =
        SMALL.to_owned() + "  - {from: web, to: db, protocol: https, authentication: token}\n";
    assert_eq!(errors(&load(&twice)), ["duplicate-id@13:5"]);
    let named = SMALL.to_owned()
        + "  - {id: second, from: web, to: db, protocol: https, authentication: token}\n";
    assert_eq!(errors(&load(&named)), Vec::<String>::new());
}

#[test]
fn a_zone_parent_cycle_is_named() {
    let loaded = load(
        "gambit: 1\nzones:\n  a: {parent: c}\n  b: {parent: a}\n  c: {parent: b}\n  d: {parent: a}\n",
    );
    let d = loaded
        .diagnostics
        .iter()
        .find(|d| d.code == "zone-cycle")
        .expect("cycle");
    assert_eq!(d.message, "zone parents form a cycle: a -> c -> b -> a");
    assert_eq!(errors(&loaded).len(), 1, "one cycle, one error");
}

#[test]
fn suspicious_but_legal_things_are_warnings() {
    let loaded = load(
        "gambit: 1
assets:
  pii: {classification: confidential}
  loose: {kind: credential}
components:
  lonely: {kind: databse, controls: [wafff]}
flows: []
",
    );
    assert_eq!(errors(&loaded), Vec::<String>::new());
    assert_eq!(
        warnings(&loaded),
        [
            "no-crown-jewel",
            "unused-asset@3:3",
            "unused-asset@4:3",
            "credential-grants-nothing@4:3",
            "isolated-component@6:3",
            "unknown-kind@6:18",
            "unknown-control@6:38",
        ]
    );
    assert!(loaded.model.is_some(), "warnings do not block the model");
}

#[test]
fn a_flow_without_authentication_warns_and_counts_as_none() {
    let loaded = load(&SMALL.replace(", authentication: password", ""));
    assert_eq!(warnings(&loaded), ["flow-without-authentication@12:5"]);
    let m = loaded.model.unwrap();
    assert_eq!(m.flows[0].authentication, Authentication::None);
    assert_eq!(m.flows[0].authentication_written, None);
}

#[test]
fn invalid_cvss_vectors_point_at_the_vector() {
    let loaded = load(&SMALL.replace(
        "holds: [key]}",
        "holds: [key], vulnerabilities: [{id: CVE-1, cvss: \"CVSS:3.1/AV:N/AC:Q\"}]}",
    ));
    assert_eq!(errors(&loaded), ["invalid-cvss@7:106"]);
    let ok = load(&SMALL.replace(
        "holds: [key]}",
        "holds: [key], vulnerabilities: [{id: CVE-1, cvss: \"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N\"}]}",
    ));
    let m = ok.model.expect("valid 4.0 vector");
    assert!(
        m.components[0].vulnerabilities[0]
            .cvss
            .as_ref()
            .unwrap()
            .base_score
            > 9.0
    );
}

#[test]
fn attackers_and_risks_are_checked() {
    let loaded = load(
        &(SMALL.to_owned()
            + "attackers: [internet, insider:webb, compromised:db, nobody]
risks:
  - {threat: no-at-sign, status: accepted}
  - {threat: a@b, status: accepted, expires: 2027-02-30}
  - {threat: c@d, status: acepted}
"),
    );
    let codes: Vec<String> = errors(&loaded);
    assert_eq!(
        codes,
        [
            "unknown-reference@13:23", // insider:webb
            "unknown-reference@13:53", // nobody
            "invalid-value@15:14",     // threat id without @
            "invalid-value@16:46",     // 2027-02-30
            "invalid-value@17:27",     // acepted
        ]
    );
    let webb = loaded
        .diagnostics
        .iter()
        .find(|d| d.message.contains("webb"))
        .unwrap();
    assert!(
        webb.message.contains("did you mean `web`?") || webb.message.contains("not an actor"),
        "{webb:?}"
    );
}

#[test]
fn includes_merge_sections_and_catch_duplicates_across_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("main.yaml");
    std::fs::write(&root, "gambit: 1\nname: Split\ninclude: [part.yaml]\ncomponents:\n  web: {kind: web-app, stores: [pii]}\nflows:\n  - {from: web, to: db, authentication: token, protocol: https}\n").unwrap();
    std::fs::write(dir.path().join("part.yaml"), "assets:\n  pii: {classification: restricted}\ncomponents:\n  db: {kind: database, stores: [pii]}\nflows:\n  - {from: db, to: web, authentication: token, protocol: https}\n").unwrap();
    let loaded = load_path(&root, LoadOptions::default());
    assert_eq!(errors(&loaded), Vec::<String>::new());
    let m = loaded.model.unwrap();
    assert_eq!((m.components.len(), m.flows.len()), (2, 2));

    std::fs::write(
        dir.path().join("part.yaml"),
        "components:\n  web: {kind: api}\n",
    )
    .unwrap();
    let loaded = load_path(&root, LoadOptions::default());
    let d = loaded
        .diagnostics
        .iter()
        .find(|d| d.code == "duplicate-id")
        .expect("duplicate");
    assert!(
        loaded
            .sources
            .describe(d.span.unwrap())
            .ends_with("part.yaml:2:3")
    );
    assert!(
        loaded
            .sources
            .describe(d.related[0].span)
            .ends_with("main.yaml:5:3")
    );
}

#[test]
fn include_cycles_and_missing_files_are_errors_at_the_include() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.yaml");
    std::fs::write(&a, "gambit: 1\ninclude: [b.yaml, missing.yaml]\n").unwrap();
    std::fs::write(dir.path().join("b.yaml"), "include: [a.yaml]\n").unwrap();
    let loaded = load_path(&a, LoadOptions::default());
    let codes: Vec<&str> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code)
        .collect();
    assert!(codes.contains(&"include-cycle"), "{codes:?}");
    assert!(codes.contains(&"unreadable-file"), "{codes:?}");
}

#[test]
fn alias_bombs_fail_fast() {
    let mut bomb =
        String::from("gambit: 1\nx-a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..=12 {
        let prev = format!("*a{}", i - 1);
        bomb.push_str(&format!("x-a{i}: &a{i} [{}]\n", vec![prev; 9].join(", ")));
    }
    let started = Instant::now();
    let loaded = load(&bomb);
    assert_eq!(loaded.diagnostics[0].code, "alias-budget");
    assert!(
        started.elapsed().as_secs() < 5,
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn deep_nesting_is_refused_without_exhausting_the_stack() {
    let deep = format!(
        "gambit: 1\nx-deep: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let loaded = load(&deep);
    // The parser's own flow-nesting limit or ours, whichever trips first.
    let code = loaded.diagnostics[0].code;
    assert!(
        code == "nesting-too-deep" || code == "yaml-syntax",
        "{code}"
    );
    let deep = format!(
        "gambit: 1\nx-deep: {}{}\n",
        "[".repeat(100),
        "]".repeat(100)
    );
    assert_eq!(load(&deep).diagnostics[0].code, "nesting-too-deep");
    let deep_block: String = (0..200)
        .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
        .collect();
    let loaded = load(&format!(
        "gambit: 1\nx-deep:\n{}",
        deep_block
            .lines()
            .map(|l| format!(" {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    ));
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.code == "nesting-too-deep" || d.code == "yaml-syntax")
    );
}

#[test]
fn files_over_the_size_limit_are_refused_before_parsing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.yaml");
    std::fs::write(&path, SMALL.repeat(10)).unwrap();
    let loaded = load_path(
        &path,
        LoadOptions {
            max_size: 100,
            ..Default::default()
        },
    );
    assert_eq!(loaded.diagnostics[0].code, "file-too-large");
    assert!(
        loaded.diagnostics[0]
            .help
            .as_deref()
            .unwrap()
            .contains("--max-size")
    );
    let loaded = load_str(
        "<stdin>",
        SMALL.to_owned(),
        None,
        LoadOptions {
            max_size: 10,
            ..Default::default()
        },
    );
    assert_eq!(loaded.diagnostics[0].code, "file-too-large");
}

#[test]
fn huge_strings_and_binary_garbage_fail_cleanly() {
    let huge = format!("gambit: 1\nname: \"{}\"\n", "x".repeat(20 << 20));
    let loaded = load(&huge);
    assert_eq!(loaded.model.map(|m| m.name.len()), Some(20 << 20));
    let loaded = load("gambit: 1\n\t- :: [}{\n");
    assert_eq!(errors(&loaded).len(), 1);
    assert_eq!(loaded.diagnostics[0].code, "yaml-syntax");
    let bytes = gambit_model::read_limited(&[0x67, 0xff, 0xfe][..], "bin", 100);
    assert_eq!(bytes.unwrap_err().code, "invalid-utf8");
}

#[test]
fn empty_and_non_mapping_documents_are_errors() {
    assert_eq!(load("").diagnostics[0].code, "empty-model");
    assert_eq!(
        load("# only a comment\n").diagnostics[0].code,
        "empty-model"
    );
    assert_eq!(errors(&load("- a\n- b\n")), ["invalid-type@1:1"]);
    assert_eq!(errors(&load("a: 1\n---\nb: 2\n")), ["yaml-syntax@2:1"]);
}

#[test]
fn the_digest_changes_with_the_text() {
    let a = load(SMALL).model.unwrap().digest;
    let b = load(&SMALL.replace("Small", "Smaller"))
        .model
        .unwrap()
        .digest;
    assert!(a.starts_with("sha256:") && a.len() == 71);
    assert_ne!(a, b);
}
