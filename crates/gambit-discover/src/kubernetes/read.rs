//! Manifests: files and folders of multi-document YAML (also `helm template` and
//! `kustomize build` output, and `kind: List`), as JSON objects with where each starts.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{ReadError, line_column};

/// Bytes read from all manifest files together, as for models (256 MiB).
pub const MAX_TOTAL_BYTES: u64 = 256 * 1024 * 1024;
/// Folders deeper than this are not searched.
const MAX_DEPTH: usize = 16;

/// One object, with the file and line it was read from.
pub struct Object {
    pub value: Value,
    pub origin: String,
}

/// The manifest files under `paths` (folders searched for `.yaml`, `.yml` and `.json`
/// files, in name order), with their text.
pub fn files(paths: &[PathBuf]) -> Result<Vec<(String, String)>, ReadError> {
    let mut found = Vec::new();
    for p in paths {
        collect(p, 0, &mut found)?;
    }
    let mut total = 0u64;
    let mut out = Vec::new();
    for path in found {
        let name = path.display().to_string();
        let text = std::fs::read(&path)
            .map_err(|e| ReadError::new(&name, format!("cannot read it: {e}")))?;
        total += text.len() as u64;
        if total > MAX_TOTAL_BYTES {
            return Err(ReadError::new(
                &name,
                format!("the manifests add up to more than {MAX_TOTAL_BYTES} bytes"),
            ));
        }
        let text = String::from_utf8(text).map_err(|e| {
            ReadError::new(
                &name,
                format!(
                    "not UTF-8 text (invalid byte at offset {})",
                    e.utf8_error().valid_up_to()
                ),
            )
        })?;
        out.push((name, text));
    }
    Ok(out)
}

fn collect(path: &Path, depth: usize, out: &mut Vec<PathBuf>) -> Result<(), ReadError> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path)
        .map_err(|e| ReadError::new(&name, format!("cannot read it: {e}")))?;
    if !meta.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    if depth >= MAX_DEPTH {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| ReadError::new(&name, format!("cannot list it: {e}")))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for entry in entries {
        let is_link = std::fs::symlink_metadata(&entry).is_ok_and(|m| m.file_type().is_symlink());
        if entry.is_dir() && !is_link {
            collect(&entry, depth + 1, out)?;
        } else if entry
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"))
        {
            out.push(entry);
        }
    }
    Ok(())
}

/// The objects of one file's text: documents split at `---` lines, `kind: List` items
/// unpacked. A document that is not a Kubernetes object is an error at its first line.
pub fn objects(file: &str, text: &str) -> Result<Vec<Object>, ReadError> {
    let mut out = Vec::new();
    for (start, doc) in documents(text) {
        let value = gambit_model::yaml_to_json(doc).map_err(|d| {
            let at = start + d.span.map_or(0, |s| s.start as usize);
            ReadError::new(file, d.message).at_offset(text, at)
        })?;
        let (line, _) = line_column(text, start + leading_blank(doc));
        match value {
            Value::Null => {}
            Value::Object(_) => unpack(file, line, value, &mut out)?,
            other => {
                return Err(ReadError::new(
                    file,
                    format!("not a Kubernetes manifest: the document is {}, not an object with `apiVersion` and `kind`", describe(&other)),
                )
                .at(line, 1));
            }
        }
    }
    Ok(out)
}

fn unpack(file: &str, line: usize, value: Value, out: &mut Vec<Object>) -> Result<(), ReadError> {
    let kind = value.get("kind").and_then(Value::as_str);
    if value.get("apiVersion").and_then(Value::as_str).is_none() || kind.is_none() {
        return Err(ReadError::new(
            file,
            "not a Kubernetes manifest: the document has no `apiVersion` and `kind`",
        )
        .at(line, 1));
    }
    if kind == Some("List") {
        for item in value
            .get("items")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if item.get("kind").and_then(Value::as_str).is_some() {
                out.push(Object {
                    value: item.clone(),
                    origin: format!("{file}:{line}"),
                });
            }
        }
        return Ok(());
    }
    out.push(Object {
        value,
        origin: format!("{file}:{line}"),
    });
    Ok(())
}

fn describe(v: &Value) -> &'static str {
    match v {
        Value::Array(_) => "a list",
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        _ => "something else",
    }
}

/// Bytes of blank and comment lines before a document's content.
fn leading_blank(doc: &str) -> usize {
    let mut skipped = 0;
    for line in doc.split_inclusive('\n') {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') || t == "---" || t.starts_with("--- ") {
            skipped += line.len();
        } else {
            break;
        }
    }
    skipped.min(doc.len())
}

/// Splits at document markers: a line that is `---` (optionally followed by a space).
/// A `---` at the start of a line always starts a document in YAML, even inside a
/// block scalar, so this split is exact. Returns (byte offset, text) per document.
fn documents(text: &str) -> Vec<(usize, &str)> {
    let mut docs = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        if offset > start && (bare == "---" || bare.starts_with("--- ")) {
            docs.push((start, &text[start..offset]));
            start = offset;
        }
        offset += line.len();
    }
    docs.push((start, &text[start..]));
    docs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_split_at_markers_only_at_line_start() {
        let docs = documents("a: 1\n---\nb: '---'\n--- \nc: 3\n");
        let texts: Vec<&str> = docs.iter().map(|d| d.1).collect();
        assert_eq!(texts, ["a: 1\n", "---\nb: '---'\n", "--- \nc: 3\n"]);
    }
}
