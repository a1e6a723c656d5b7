//! The committed JSON Schema (schema/gambit.schema.json) is the one the types generate, and
//! every example model validates against it. Regenerate with `GAMBIT_BLESS=1 cargo test`.

use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn schema_text() -> String {
    serde_json::to_string_pretty(&gambit_model::json_schema()).unwrap() + "\n"
}

#[test]
fn the_committed_schema_is_up_to_date() {
    let path = repo().join("schema/gambit.schema.json");
    let fresh = schema_text();
    if std::env::var_os("GAMBIT_BLESS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "schema/gambit.schema.json is stale: run `GAMBIT_BLESS=1 cargo test -p gambit-model --test schema`"
    );
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        ) {
            out.push(path);
        }
    }
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&gambit_model::json_schema())
        .expect("the schema is a valid JSON Schema")
}

#[test]
fn every_example_validates_against_the_schema_and_loads() {
    let validator = validator();
    let mut files = Vec::new();
    yaml_files(&repo().join("examples"), &mut files);
    assert!(files.len() >= 4, "examples found: {files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let doc = gambit_model::yaml_to_json(&text).unwrap();
        let problems: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(problems.is_empty(), "{}: {problems:#?}", file.display());
    }
    for root in [
        "acme-shop.yaml",
        "k8s-microservices.yaml",
        "llm-agent.yaml",
        "multi-file/main.yaml",
    ] {
        let loaded =
            gambit_model::load_path(&repo().join("examples").join(root), Default::default());
        let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert!(errors.is_empty(), "{root}: {errors:#?}");
    }
}

#[test]
fn the_schema_rejects_what_the_loader_rejects() {
    let validator = validator();
    let bad = [
        "gambit: 1\nassets: {pii: {clasification: restricted}}\n",
        "gambit: 1\nassets: {pii: {classification: secret}}\n",
        "gambit: 1\ncomponents: {web: {public: yes}}\n",
        "gambit: 1\nflows: [{from: a}]\n",
        "gambit: 1\nassets: {Bad: {}}\n",
    ];
    for text in bad {
        let doc = gambit_model::yaml_to_json(text).unwrap();
        assert!(!validator.is_valid(&doc), "the schema accepted {text:?}");
    }
    let good = "gambit: 1\nx-team: payments\nassets: {pii: {classification: restricted, x-note: keep}, empty:}\n";
    assert!(validator.is_valid(&gambit_model::yaml_to_json(good).unwrap()));
}
