//! The `artifacts` component key (scanner findings land on components through it) and
//! `Model::with_vulnerabilities`, which adds findings without changing the loaded model.

use gambit_model::{Artifact, LoadOptions, Loaded, Severity, Vulnerability, load_str, vocab};

fn load(yaml: &str) -> Loaded {
    load_str("model.yaml", yaml.to_owned(), None, LoadOptions::default())
}

fn errors(loaded: &Loaded) -> Vec<String> {
    loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            let span = d.span.expect("artifact errors are located");
            let lc = loaded.sources.get(span.file).line_col(span.start);
            format!("{}@{}:{}", d.code, lc.line, lc.column)
        })
        .collect()
}

#[test]
fn each_artifact_kind_is_read_in_order() {
    let loaded = load(
        "gambit: 1
components:
  orders:
    artifacts:
      - {image: ghcr.io/acme/orders@sha256:0123}
      - {repository: github.com/acme/orders}
      - {path: services/orders/}
      - {package: pkg:npm/express}
",
    );
    let model = loaded.model.expect("the model loads");
    assert_eq!(
        model.components[0].artifacts,
        [
            Artifact::Image("ghcr.io/acme/orders@sha256:0123".into()),
            Artifact::Repository("github.com/acme/orders".into()),
            Artifact::Path("services/orders/".into()),
            Artifact::Package("pkg:npm/express".into()),
        ]
    );
}

#[test]
fn an_artifact_names_exactly_one_place_and_unknown_keys_are_errors() {
    let loaded = load(
        "gambit: 1
components:
  orders:
    artifacts:
      - {image: a, path: b}
      - {}
      - {imgae: a}
",
    );
    let errs = errors(&loaded);
    assert_eq!(
        errs,
        [
            "invalid-artifact@5:9",
            "invalid-artifact@6:9",
            "invalid-artifact@7:9",
            "unknown-key@7:10"
        ],
        "{errs:?}"
    );
}

#[test]
fn with_vulnerabilities_returns_a_new_model_and_leaves_the_old_one() {
    let model = load("gambit: 1\ncomponents:\n  web: {public: true}\n")
        .model
        .expect("the model loads");
    let web = model.component_id("web").unwrap();
    let added = Vulnerability {
        id: "CVE-2024-0001".into(),
        span: model[web].span,
        cvss: None,
        effect: vocab::Effect::InfoDisclosure,
        kev: true,
        epss: Some(0.5),
        status: vocab::VulnStatus::Open,
        description: None,
    };
    let augmented = model.with_vulnerabilities([(web, added)]);
    assert!(model[web].vulnerabilities.is_empty());
    assert_eq!(augmented[web].vulnerabilities.len(), 1);
    assert_eq!(augmented[web].vulnerabilities[0].id, "CVE-2024-0001");
}
