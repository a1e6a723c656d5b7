//! The shop fixtures, loaded.

#![allow(dead_code)] // each test file uses part of it

use std::path::PathBuf;

use gambit_findings::{Applied, Options, apply};
use gambit_model::{LoadOptions, Model, load_path};

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn shop() -> Model {
    load_path(&fixture("shop.yaml"), LoadOptions::default())
        .model
        .expect("the shop model loads")
}

pub const SCANS: &[&str] = &[
    "trivy-orders-api.json",
    "grype-payments.json",
    "grype-legacy-batch.json",
    "codeql-shop.sarif",
    "cyclonedx-catalog-vex.json",
];

pub fn options(files: &[&str]) -> Options {
    Options {
        files: files.iter().map(|f| fixture(f)).collect(),
        kev: Some(fixture("known_exploited_vulnerabilities.json")),
        epss: Some(fixture("epss_scores-2026-11-30.csv")),
        progress: false,
    }
}

pub fn applied(files: &[&str]) -> Applied {
    apply(&shop(), &options(files)).expect("the fixtures read")
}
