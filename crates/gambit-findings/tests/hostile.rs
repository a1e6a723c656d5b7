//! Broken and hostile findings files: a located error naming the file, never a panic, and
//! memory bounded by what is kept.

use gambit_findings::{FindingsError, Parsed};

fn read(text: &str) -> Result<Parsed, FindingsError> {
    let mut parsed = Parsed::default();
    parsed.read(text.as_bytes(), "scan.json").map(|()| parsed)
}

#[test]
fn a_truncated_file_is_an_error_at_its_line_and_column() {
    let err = read("{\"SchemaVersion\": 2,\n \"Results\": [{\"Target\": \"x\",\n").unwrap_err();
    assert_eq!(err.file, "scan.json");
    assert_eq!(err.position, Some((3, 0)));
    assert!(
        err.to_string()
            .starts_with("scan.json:3:0: not valid JSON: EOF while parsing"),
        "{err}"
    );
}

#[test]
fn a_wrong_type_is_located_where_it_is() {
    let err = read("{\"matches\": [\n  {\"vulnerability\": {\"id\": 7}}\n]}").unwrap_err();
    assert_eq!(err.position.map(|p| p.0), Some(2), "{err}");
    assert!(err.message.contains("invalid type: integer `7`"), "{err}");
}

#[test]
fn a_document_of_no_known_format_says_which_formats_are_known() {
    let err = read("{\"hello\": [1, 2, 3]}").unwrap_err();
    assert_eq!(err.position, None);
    assert!(err.message.contains("SARIF 2.1.0"), "{err}");
    assert!(read("[1, 2]").is_err());
    assert!(read("").is_err());
    assert!(
        read("{\"bomFormat\": \"SPDX\"}")
            .unwrap_err()
            .message
            .contains("not CycloneDX")
    );
}

#[test]
fn trailing_garbage_after_the_document_is_an_error() {
    let err = read("{\"Results\": []} {}").unwrap_err();
    assert!(err.message.contains("trailing characters"), "{err}");
}

#[test]
fn null_lists_are_empty_lists() {
    let p =
        read(r#"{"ArtifactName":"a","Results":[{"Target":"t","Vulnerabilities":null}]}"#).unwrap();
    assert!(p.findings.is_empty());
}

#[test]
fn long_lists_and_strings_are_capped() {
    let cwes: Vec<String> = (0..100_000).map(|i| format!("\"CWE-{i}\"")).collect();
    let long_id = "X".repeat(1 << 20);
    let doc = format!(
        r#"{{"Results":[{{"Target":"t","Vulnerabilities":[{{"VulnerabilityID":"{long_id}","CweIDs":[{}]}}]}}]}}"#,
        cwes.join(",")
    );
    let p = read(&doc).unwrap();
    let f = &p.findings[0];
    assert_eq!(f.cwes.len(), gambit_findings::finding::limits::MAX_LIST);
    assert_eq!(f.id.len(), gambit_findings::finding::limits::MAX_TEXT);
}

#[test]
fn deep_nesting_is_refused_without_exhausting_the_stack() {
    let deep = format!(
        "{{\"runs\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let err = read(&deep).unwrap_err();
    assert!(err.position.is_some(), "{err}");
    let deep_components = format!(
        "{{\"bomFormat\":\"CycloneDX\",\"components\":[{}]}}",
        "{\"components\":[".repeat(10_000)
    );
    assert!(read(&deep_components).is_err());
}

#[test]
fn binary_garbage_is_an_error() {
    let mut parsed = Parsed::default();
    let bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    assert!(parsed.read(&bytes[..], "garbage.bin").is_err());
}

#[test]
fn a_missing_file_names_the_file() {
    let mut parsed = Parsed::default();
    let err = parsed
        .read_path(std::path::Path::new("/nonexistent/scan.json"), false)
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("/nonexistent/scan.json: cannot read"),
        "{err}"
    );
}
