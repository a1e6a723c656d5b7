//! A model split over several files, pushed in one request: the bundle document
//!
//! ```json
//! {"entry": "model.yaml", "files": {"model.yaml": "…", "parts/zones.yaml": "…"}}
//! ```
//!
//! sent as `Content-Type: application/vnd.gambit.bundle+json`. The paths are checked
//! strictly (below), and the model is loaded from memory with
//! [`gambit_model::load_files`]: `include:` can name only the bundle's own files, and
//! nothing of the bundle ever reaches the server's disk but the store. Every file must be
//! part of the model (included by it, directly or not), so what is stored is exactly what
//! was analysed.

use std::collections::BTreeMap;
use std::fmt;

use gambit_model::{Diagnostic, SourceMap};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

/// The media type of a bundle.
pub const MEDIA_TYPE: &str = "application/vnd.gambit.bundle+json";
/// The most files a bundle may hold.
pub const MAX_FILES: usize = 1000;
/// The longest path, in bytes.
pub const MAX_PATH: usize = 512;
/// The most folders a path may go down (the loader follows at most 32 nested includes).
pub const MAX_SEGMENTS: usize = 32;

/// A checked bundle: every path valid and distinct, the entry among the files, the files
/// within the size limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bundle {
    pub entry: String,
    pub files: BTreeMap<String, String>,
}

/// The document as sent: files in the order given, duplicates kept (to refuse them).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    entry: String,
    files: Files,
}

/// The `files` object, read entry by entry so a duplicate path is seen (a map would keep
/// the last silently) and a document with too many files stops being read at once.
struct Files(Vec<(String, String)>);

impl<'de> Deserialize<'de> for Files {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FilesVisitor;
        impl<'de> Visitor<'de> for FilesVisitor {
            type Value = Files;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "an object from each file's path to its text")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Files, A::Error> {
                let mut files = Vec::new();
                while let Some(entry) = map.next_entry::<String, String>()? {
                    if files.len() == MAX_FILES {
                        return Err(de::Error::custom(format!(
                            "a bundle holds at most {MAX_FILES} files"
                        )));
                    }
                    files.push(entry);
                }
                Ok(Files(files))
            }
        }
        deserializer.deserialize_map(FilesVisitor)
    }
}

/// The stored (and `source` view's) form: keys sorted, no spaces.
#[derive(Serialize)]
struct Canonical<'a> {
    entry: &'a str,
    files: BTreeMap<&'a str, &'a str>,
}

fn invalid(message: impl Into<String>) -> Diagnostic {
    Diagnostic::error("invalid-bundle", message)
}

/// Why `path` cannot name a file of a bundle, if it cannot. A path is relative, its
/// folders separated by `/`, each part made of ASCII letters, digits, `.`, `_`, `-`, `+`,
/// `@` and inner spaces, and neither `.` nor `..` nor ending in `.`: a name every file
/// system stores as it is, that no shell or URL reads differently, and that cannot climb
/// out of a folder when someone writes the bundle to disk.
pub fn path_problem(path: &str) -> Option<String> {
    if path.is_empty() {
        return Some("the path is empty".into());
    }
    if path.len() > MAX_PATH {
        return Some(format!("the path is longer than {MAX_PATH} bytes"));
    }
    if path.starts_with('/') {
        return Some("the path is absolute: give it relative to the bundle's root".into());
    }
    if let Some(c) = path.chars().find(|&c| {
        !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+' | '@' | ' ' | '/'))
    }) {
        let what = match c {
            '\\' => "`\\` (folders are separated by `/`)".to_owned(),
            ':' => "`:` (no drive letters, schemes or streams)".to_owned(),
            c if c.is_control() => format!("the control character U+{:04X}", c as u32),
            c => format!("`{c}`"),
        };
        return Some(format!(
            "the path has {what}; use ASCII letters, digits, `.`, `_`, `-`, `+`, `@` and spaces"
        ));
    }
    let segments: Vec<&str> = path.split('/').collect();
    if segments.len() > MAX_SEGMENTS {
        return Some(format!(
            "the path goes more than {MAX_SEGMENTS} folders deep"
        ));
    }
    for segment in segments {
        let problem = match segment {
            "" => "an empty part (a leading, trailing or doubled `/`)",
            "." | ".." => "a `.` or `..` part (paths name files directly)",
            s if s.starts_with(' ') || s.ends_with(' ') => {
                "a part that starts or ends with a space"
            }
            s if s.ends_with('.') => "a part that ends with `.`",
            _ => continue,
        };
        return Some(format!("the path has {problem}"));
    }
    None
}

/// A path as shown in a message: quoted, escaped, at most 100 characters.
fn shown(path: &str) -> String {
    let mut s: String = path.chars().take(100).collect();
    if s.len() < path.len() {
        s.push('…');
    }
    format!("{s:?}")
}

impl Bundle {
    /// Reads and checks a bundle document. `max_size` bounds the files' text, all together
    /// (the loader's limit). Every problem found is returned, each naming its file.
    pub fn parse(body: &[u8], max_size: u64) -> Result<Bundle, Vec<Diagnostic>> {
        let doc: Document = serde_json::from_slice(body).map_err(|e| {
            let d = invalid(format!("the bundle cannot be read: {e}")).help(format!(
                "send {{\"entry\": PATH, \"files\": {{PATH: TEXT, …}}}} as {MEDIA_TYPE}"
            ));
            vec![d]
        })?;
        Bundle::check(doc.entry, doc.files.0, max_size)
    }

    /// Checks files given as a list, in order: a path given twice is an error, not a
    /// choice between two texts.
    pub fn check(
        entry: String,
        given: Vec<(String, String)>,
        max_size: u64,
    ) -> Result<Bundle, Vec<Diagnostic>> {
        let mut diags = Vec::new();
        if given.len() > MAX_FILES {
            diags.push(invalid(format!(
                "the bundle has {} files; it may hold at most {MAX_FILES}",
                given.len()
            )));
        }
        let mut total: u64 = 0;
        let mut files = BTreeMap::new();
        // Paths that differ only in case would be one file on macOS and Windows.
        let mut folded: BTreeMap<String, String> = BTreeMap::new();
        for (path, text) in given {
            total = total.saturating_add(text.len() as u64);
            if let Some(problem) = path_problem(&path) {
                diags.push(invalid(format!(
                    "{} cannot name a file: {problem}",
                    shown(&path)
                )));
                continue;
            }
            if let Some(other) = folded.insert(path.to_ascii_lowercase(), path.clone()) {
                let message = if other == path {
                    format!("{} is given twice", shown(&path))
                } else {
                    format!(
                        "{} and {} differ only in case (one file on some systems)",
                        shown(&other),
                        shown(&path)
                    )
                };
                diags.push(invalid(message));
                continue;
            }
            files.insert(path, text);
        }
        if let Some(problem) = path_problem(&entry) {
            diags.push(invalid(format!(
                "the entry {} cannot name a file: {problem}",
                shown(&entry)
            )));
        } else if !files.contains_key(&entry) {
            diags.push(
                invalid(format!(
                    "the entry {} is not among the files",
                    shown(&entry)
                ))
                .help("`entry` names the model's top file, one of `files`"),
            );
        }
        if total > max_size {
            diags.push(
                Diagnostic::error(
                    "file-too-large",
                    format!(
                        "the bundle's files add up to {total} bytes, over the limit of {max_size} bytes"
                    ),
                )
                .help("the server's --max-size bounds a model, all its files together"),
            );
        }
        if diags.is_empty() {
            Ok(Bundle { entry, files })
        } else {
            Err(diags)
        }
    }

    /// The document in its canonical form (paths sorted, no spaces): what is stored and
    /// what the `source` view answers. It can be pushed again as it is.
    pub fn to_json(&self) -> String {
        canonical(
            &self.entry,
            self.files.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        )
    }
}

/// The canonical document of a model loaded from a bundle: its first file is the entry.
pub fn from_sources(sources: &SourceMap) -> String {
    let entry = sources.files().next().map_or("", |(_, f)| f.name.as_str());
    canonical(
        entry,
        sources
            .files()
            .map(|(_, f)| (f.name.as_str(), f.text.as_str())),
    )
}

fn canonical<'a>(entry: &'a str, files: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let doc = Canonical {
        entry,
        files: files.collect(),
    };
    // Strings and a map of strings always serialize.
    serde_json::to_string(&doc).unwrap_or_default()
}

/// The files of a bundle that the model does not include (after a load without error).
pub fn unused(bundle_paths: &[String], sources: &SourceMap) -> Vec<Diagnostic> {
    let read: std::collections::HashSet<&str> =
        sources.files().map(|(_, f)| f.name.as_str()).collect();
    bundle_paths
        .iter()
        .filter(|p| !read.contains(p.as_str()))
        .map(|p| {
            Diagnostic::error(
                "unused-file",
                format!(
                    "{} is in the bundle, but no file of the model includes it",
                    shown(p)
                ),
            )
            .help("send only the model's files (`gambit push` does)")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_plain_relative_names() {
        for ok in [
            "model.yaml",
            "parts/zones.yaml",
            ".gambit/x.yml",
            "a b/c-d_e+f@g.json",
            "v1.2/x",
        ] {
            assert_eq!(path_problem(ok), None, "{ok}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x.yaml",
            "a/../../x.yaml",
            "./x.yaml",
            "a/./x.yaml",
            "a//x.yaml",
            "a/",
            "a\\..\\x.yaml",
            "C:/x.yaml",
            "c:x.yaml",
            "x.yaml:stream",
            "a\0b",
            "a\nb",
            "zonès.yaml",
            "x.yaml.",
            " x.yaml",
            "a /x.yaml",
            "...",
            "~/x.yaml",
            "$HOME/x",
            "file%2f..",
        ] {
            assert!(path_problem(bad).is_some(), "{bad:?} accepted");
        }
        assert!(path_problem("a/".repeat(40).trim_end_matches('/')).is_some());
        assert!(path_problem(&"x".repeat(MAX_PATH + 1)).is_some());
    }

    fn parse(json: &str) -> Result<Bundle, Vec<String>> {
        Bundle::parse(json.as_bytes(), 1000).map_err(|ds| {
            ds.into_iter()
                .map(|d| format!("{}: {}", d.code, d.message))
                .collect()
        })
    }

    #[test]
    fn documents_are_read_strictly() {
        let b = parse(
            r#"{"entry": "m.yaml", "files": {"m.yaml": "gambit: 1", "p/z.yaml": "zones: {}"}}"#,
        )
        .unwrap();
        assert_eq!(b.entry, "m.yaml");
        assert_eq!(b.files.len(), 2);
        assert_eq!(
            b.to_json(),
            r#"{"entry":"m.yaml","files":{"m.yaml":"gambit: 1","p/z.yaml":"zones: {}"}}"#
        );
        assert_eq!(parse(&b.to_json()), Ok(b));

        let errors =
            parse(r#"{"entry": "m.yaml", "files": {"m.yaml": "a", "m.yaml": "b"}}"#).unwrap_err();
        assert_eq!(errors, [r#"invalid-bundle: "m.yaml" is given twice"#]);
        let errors =
            parse(r#"{"entry": "m.yaml", "files": {"m.yaml": "a", "M.yaml": "b"}}"#).unwrap_err();
        assert!(errors[0].contains("differ only in case"), "{errors:?}");
        let errors = parse(
            r#"{"entry": "../m.yaml", "files": {"../m.yaml": "a", "/etc/x": "b", "ok.yaml": "c"}}"#,
        )
        .unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(
            errors.iter().all(|e| e.starts_with("invalid-bundle")),
            "{errors:?}"
        );
        let errors = parse(r#"{"entry": "x.yaml", "files": {"m.yaml": "a"}}"#).unwrap_err();
        assert!(errors[0].contains("not among the files"), "{errors:?}");
        for bad in [
            "",
            "[]",
            r#"{"entry": "m.yaml"}"#,
            r#"{"entry": "m.yaml", "files": {"m.yaml": "a"}, "extra": 1}"#,
            r#"{"entry": "m.yaml", "files": {"m.yaml": 5}}"#,
            r#"{"entry": "m.yaml", "files": [["m.yaml", "a"]]}"#,
            r#"{"entry": "m.yaml", "entry": "m.yaml", "files": {"m.yaml": "a"}}"#,
        ] {
            let errors = parse(bad).unwrap_err();
            assert!(
                errors[0].starts_with("invalid-bundle: the bundle cannot be read"),
                "{bad}: {errors:?}"
            );
        }
        let errors = parse(r#"{"entry": "m.yaml", "files": {"m.yaml": "a"#).unwrap_err();
        assert!(errors[0].contains("line 1 column"), "{errors:?}");
    }

    #[test]
    fn the_count_and_the_size_are_bounded() {
        let many: Vec<String> = (0..=MAX_FILES)
            .map(|i| format!(r#""f{i}.yaml": "x""#))
            .collect();
        let doc = format!(
            r#"{{"entry": "f0.yaml", "files": {{{}}}}}"#,
            many.join(", ")
        );
        let errors = Bundle::parse(doc.as_bytes(), u64::MAX).unwrap_err();
        assert!(
            errors[0].message.contains("at most 1000 files"),
            "{}",
            errors[0].message
        );
        let doc = format!(
            r#"{{"entry": "a.yaml", "files": {{"a.yaml": "{}", "b.yaml": "{}"}}}}"#,
            "x".repeat(600),
            "y".repeat(600)
        );
        let errors = parse(&doc).unwrap_err();
        assert_eq!(
            errors,
            [
                "file-too-large: the bundle's files add up to 1200 bytes, over the limit of 1000 bytes"
            ]
        );
    }
}
