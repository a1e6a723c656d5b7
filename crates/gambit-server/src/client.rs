//! `gambit push`: uploads one model version to a server (for CI), over HTTPS with
//! rustls or plain HTTP on a trusted network. A model split over several files goes as a
//! bundle ([`crate::bundle`]): [`collect`] reads the model and every file it includes, as
//! the loader does, and [`push_upload`] sends them.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use gambit_model::LoadOptions;

use crate::bundle::{self, Bundle};

/// Why a push failed.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    /// The server could not be reached, or its answer could not be read.
    #[error("{0}")]
    Transport(String),
    /// The server refused the model (422: the diagnostics document) or the request.
    #[error("the server answered {status}: {body}")]
    Rejected { status: u16, body: String },
}

/// The largest answer read back (a summary; diagnostics of an invalid model).
const MAX_ANSWER: u64 = 16 * 1024 * 1024;

/// What `gambit push` sends: one model file's text, or a bundle of files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Upload {
    /// One file (YAML, or JSON when `json`), sent as it is.
    Text { text: String, json: bool },
    /// Several files, sent as the bundle document.
    Bundle(Bundle),
}

/// The diagnostic codes of a file the loader could not take in, which the load reports
/// at the `include:` that named it (so the model names more than one file).
const INCLUDE_PROBLEMS: [&str; 9] = [
    "unreadable-file",
    "include-outside-root",
    "include-cycle",
    "include-too-deep",
    "not-a-file",
    "not-a-model",
    "file-too-large",
    "invalid-utf8",
    "empty-model",
];

/// Reads the model at `path` with every file it includes, as `gambit validate` reads them
/// (the same loader, limits and include root). A model that names no other file is sent
/// as its text, as before bundles; otherwise as a bundle whose paths are relative to the
/// include root (by default the model's folder), so its `include:` entries name the same
/// files on the server. The model is not checked here (the server does), but a set of
/// files the server would resolve differently (through a symbolic link) is refused.
pub fn collect(path: &Path, options: &LoadOptions) -> Result<Upload, String> {
    let loaded = gambit_model::load_path(path, options.clone());
    let Some((_, first)) = loaded.sources.files().next() else {
        let why = loaded.diagnostics.first().map_or_else(
            || format!("cannot read {}", path.display()),
            |d| d.message.clone(),
        );
        return Err(why);
    };
    let names_others = loaded.sources.len() > 1
        || loaded
            .diagnostics
            .iter()
            .any(|d| d.span.is_some() && INCLUDE_PROBLEMS.contains(&d.code));
    if !names_others {
        let json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        return Ok(Upload::Text {
            text: first.text.clone(),
            json,
        });
    }
    let root = match &options.include_root {
        Some(root) => lexical(root)?,
        None => lexical(path)?
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default(),
    };
    let mut files: Vec<(String, String)> = Vec::new();
    let mut names: BTreeMap<String, &str> = BTreeMap::new();
    let mut entry = None;
    for (_, file) in loaded.sources.files() {
        let on_disk = file.path.as_deref().unwrap_or(path);
        let key = bundle_path(&lexical(on_disk)?, &root)
            .map_err(|why| format!("cannot send {} in a bundle: {why}", file.name))?;
        if let Some(other) = names.insert(key.clone(), &file.name) {
            return Err(format!(
                "{other} and {} would both be {key} in a bundle (an include goes through a \
                 symbolic link); include the files by their real path",
                file.name
            ));
        }
        entry.get_or_insert_with(|| key.clone());
        files.push((key, file.text.clone()));
    }
    let entry = entry.unwrap_or_default();
    let bundle = Bundle::check(entry, files, options.max_size).map_err(|diags| {
        let problems: Vec<String> = diags.into_iter().map(|d| d.message).collect();
        format!(
            "the model's files cannot go in a bundle: {}",
            problems.join("; ")
        )
    })?;
    // The server resolves includes among these paths by their text; through a symbolic
    // link the disk can resolve them otherwise. Load the bundle as the server will: it
    // must read every file sent, and find no fewer files than the disk did.
    let again = gambit_model::load_files(&bundle.entry, bundle.files.clone(), options.clone());
    let problems = |l: &gambit_model::Loaded| {
        l.diagnostics
            .iter()
            .filter(|d| INCLUDE_PROBLEMS.contains(&d.code))
            .count()
    };
    let read = again.sources.len();
    if read != bundle.files.len() || problems(&again) > problems(&loaded) {
        let lost: Vec<String> = again
            .diagnostics
            .iter()
            .filter(|d| d.code == "unreadable-file")
            .map(|d| d.message.clone())
            .collect();
        return Err(format!(
            "the server would not read the files read here (an include goes through a \
             symbolic link; include the files by their real path): {}",
            lost.join("; ")
        ));
    }
    Ok(Upload::Bundle(bundle))
}

/// An absolute path with `.` and `..` taken out by their text (no symbolic link followed:
/// the same rule as the server's).
fn lexical(path: &Path) -> Result<PathBuf, String> {
    let absolute =
        std::path::absolute(path).map_err(|e| format!("cannot resolve {}: {e}", path.display()))?;
    let mut out = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    Ok(out)
}

/// A file's path in the bundle: relative to `root`, folders joined with `/`.
fn bundle_path(file: &Path, root: &Path) -> Result<String, String> {
    let relative = file
        .strip_prefix(root)
        .map_err(|_| format!("it is outside {}", root.display()))?;
    let mut parts = Vec::new();
    for component in relative.components() {
        match component {
            Component::Normal(part) => parts.push(
                part.to_str()
                    .ok_or_else(|| "its path is not UTF-8".to_owned())?,
            ),
            _ => return Err(format!("{} is not a plain path", relative.display())),
        }
    }
    let key = parts.join("/");
    match bundle::path_problem(&key) {
        Some(problem) => Err(format!("its path {key:?} cannot name a file: {problem}")),
        None => Ok(key),
    }
}

/// Sends `model` (the text of a YAML or JSON model) as a new version of `project`;
/// returns the server's answer (the version number and summary, as JSON).
pub fn push(
    server: &str,
    project: &str,
    token: &str,
    model: &str,
    revision: Option<&str>,
    json: bool,
) -> Result<String, PushError> {
    let upload = Upload::Text {
        text: model.to_owned(),
        json,
    };
    push_upload(server, project, token, &upload, revision)
}

/// Sends what [`collect`] gathered as a new version of `project`; returns the server's
/// answer (the version number, its files and summary, as JSON).
pub fn push_upload(
    server: &str,
    project: &str,
    token: &str,
    upload: &Upload,
    revision: Option<&str>,
) -> Result<String, PushError> {
    let (content_type, body) = match upload {
        Upload::Text { text, json: true } => (
            "application/json",
            std::borrow::Cow::Borrowed(text.as_str()),
        ),
        Upload::Text { text, json: false } => {
            ("text/yaml", std::borrow::Cow::Borrowed(text.as_str()))
        }
        Upload::Bundle(bundle) => (
            bundle::MEDIA_TYPE,
            std::borrow::Cow::Owned(bundle.to_json()),
        ),
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(300)))
        .http_status_as_error(false)
        .build()
        .into();
    let url = format!(
        "{}/api/projects/{}/models",
        server.trim_end_matches('/'),
        encode(project)
    );
    let mut request = agent
        .post(&url)
        .header("Authorization", &format!("Bearer {token}"))
        .header("Content-Type", content_type);
    if let Some(rev) = revision {
        request = request.query("revision", rev);
    }
    let mut response = request
        .send(body.as_ref())
        .map_err(|e| PushError::Transport(format!("{url}: {e}")))?;
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(MAX_ANSWER)
        .read_to_string()
        .map_err(|e| PushError::Transport(format!("the answer of {url}: {e}")))?;
    if (200..300).contains(&status) {
        Ok(body)
    } else {
        Err(PushError::Rejected { status, body })
    }
}

/// A path segment, percent-encoded (project names are plain, but a typo should give a
/// 404 rather than a different path).
fn encode(segment: &str) -> String {
    segment
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
