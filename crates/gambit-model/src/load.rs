//! Reading model files: size limits, UTF-8, `include:`, and the digest.

use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::ast::ModelFile;
use crate::decode::{self, Decoder};
use crate::diagnostic::{self, Diagnostic};
use crate::model::Model;
use crate::source::{FileId, SourceFile, SourceMap, Span};
use crate::{resolve, yaml};

/// The default limit on the bytes of one load (all files together): 256 MiB.
pub const DEFAULT_MAX_SIZE: u64 = 256 * 1024 * 1024;
/// The longest chain of nested `include:`s (a model that includes a file that includes ...).
pub const MAX_INCLUDE_DEPTH: usize = 32;

#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// Refuse a load whose files add up to more bytes than this.
    pub max_size: u64,
    /// The folder every included file must be inside (after following symbolic links).
    /// `None`: the folder of the model itself (the current folder for standard input).
    pub include_root: Option<PathBuf>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_size: DEFAULT_MAX_SIZE,
            include_root: None,
        }
    }
}

/// The outcome of a load: the files read, the model (when there is no error) and every
/// diagnostic, sorted by position.
#[derive(Debug)]
pub struct Loaded {
    pub sources: SourceMap,
    pub model: Option<Model>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// Loads a model from a file, following its includes.
pub fn load_path(path: &Path, options: LoadOptions) -> Loaded {
    let default_root = path.parent().filter(|p| !p.as_os_str().is_empty());
    let mut loader = Loader::new(options, default_root.unwrap_or(Path::new(".")));
    loader.file(path, None);
    loader.finish()
}

/// Loads a model from text (standard input, an HTTP body); includes are resolved against
/// `base_dir`.
pub fn load_str(name: &str, text: String, base_dir: Option<&Path>, options: LoadOptions) -> Loaded {
    let max_size = options.max_size;
    let mut loader = Loader::new(options, base_dir.unwrap_or(Path::new(".")));
    if text.len() as u64 > max_size {
        loader
            .diags
            .push(too_large(name, text.len() as u64, max_size));
        return loader.finish();
    }
    loader.used = text.len() as u64;
    let path = base_dir.map(|d| d.join(name));
    let id = loader
        .sources
        .add(SourceFile::new(name.to_owned(), path, text));
    if base_dir.is_none() {
        loader.base_override = Some(PathBuf::from("."));
    }
    loader.parse(id, None);
    loader.finish()
}

/// Loads a model from files held in memory (an uploaded bundle), never touching the disk.
/// `files` maps each file's path (relative, folders separated by `/`) to its text, and
/// `entry` names the model's top file. An `include:` is resolved against the including
/// file's path lexically (`.` and empty segments dropped, `..` taking a folder off) and
/// must name one of `files`: an absolute path, or one that climbs above the files' root,
/// is `include-outside-root`; a path that is not among them (or spelt with `\`) is
/// `unreadable-file`. Files are named by their path (as [`load_path`] names them when run
/// in the entry's folder) and read in the same order as it reads them from disk, so the
/// same files give the same model and digest. `options.include_root` is not used. Files
/// no include reaches are not read: `sources` holds exactly the files of the model.
pub fn load_files(entry: &str, files: BTreeMap<String, String>, options: LoadOptions) -> Loaded {
    let mut loader = Loader::with_root(options, Err("no folder: the files are in memory".into()));
    loader.memory = Some(files);
    loader.memory_file(entry.to_owned(), None);
    loader.finish()
}

/// The path an include names among in-memory files: `value` taken from the folder of
/// `from` (both `/`-separated). An absolute path, a `\`, a folder (a trailing `/`) or a
/// `..` above the root fail.
fn memory_target(from: &str, value: &str) -> Result<String, Diagnostic> {
    let bytes = value.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    if value.starts_with('/') || drive {
        return Err(Diagnostic::error(
            "include-outside-root",
            format!(
                "{value} is an absolute path; a model's files include each other by relative path"
            ),
        )
        .label("included here"));
    }
    if value.contains('\\') {
        return Err(Diagnostic::error(
            "unreadable-file",
            format!("cannot read {value}: the model's files are named with `/` between folders, not `\\`"),
        )
        .label("named here"));
    }
    if value.ends_with('/') {
        return Err(Diagnostic::error(
            "unreadable-file",
            format!("cannot read {value}: it names a folder"),
        )
        .label("named here"));
    }
    let mut segments: Vec<&str> = from.split('/').collect();
    segments.pop();
    for segment in value.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                if segments.pop().is_none() {
                    return Err(Diagnostic::error(
                        "include-outside-root",
                        format!("{value} is outside the model's files (it climbs above their root folder)"),
                    )
                    .label("included here"));
                }
            }
            name => segments.push(name),
        }
    }
    Ok(segments.join("/"))
}

/// Reads standard input (or any reader) up to the limit, as UTF-8.
pub fn read_limited(
    mut reader: impl Read,
    name: &str,
    max_size: u64,
) -> Result<String, Diagnostic> {
    let mut bytes = Vec::new();
    reader
        .by_ref()
        .take(max_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Diagnostic::error("unreadable-file", format!("cannot read {name}: {e}")))?;
    if bytes.len() as u64 > max_size {
        return Err(too_large(name, bytes.len() as u64, max_size));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        Diagnostic::error(
            "invalid-utf8",
            format!("{name} is not UTF-8 text (invalid byte at offset {at})"),
        )
        .help("save the model as UTF-8")
    })
}

/// A file that would take the load over `max`, `used` bytes being read already.
fn over_limit(name: &str, size: u64, used: u64, max: u64) -> Diagnostic {
    if used == 0 {
        return too_large(name, size, max);
    }
    Diagnostic::error(
        "file-too-large",
        format!(
            "{name} takes the model over the limit of {max} bytes ({used} bytes are read already)"
        ),
    )
    .help("raise the limit with `--max-size BYTES` if the model really is this large")
}

fn not_a_file(name: &str) -> Diagnostic {
    Diagnostic::error(
        "not-a-file",
        format!("{name} is not a regular file (a folder, device, FIFO or socket)"),
    )
    .help("include model files only")
}

fn too_large(name: &str, size: u64, max: u64) -> Diagnostic {
    let over = if size > max {
        "more than".to_owned()
    } else {
        format!("{size} bytes,")
    };
    Diagnostic::error(
        "file-too-large",
        format!("{name} is {over} the limit of {max} bytes"),
    )
    .help("raise the limit with `--max-size BYTES` if the model really is this large")
}

struct Loader {
    options: LoadOptions,
    sources: SourceMap,
    diags: Vec<Diagnostic>,
    files: Vec<(FileId, ModelFile)>,
    seen: HashSet<PathBuf>,
    /// Canonical paths of the files being included, innermost last (to name cycles).
    chain: Vec<PathBuf>,
    used: u64,
    base_override: Option<PathBuf>,
    /// Where includes must stay (canonical); `Err` when the root itself cannot be used.
    root: Result<PathBuf, String>,
    /// The files of an in-memory load ([`load_files`]) not read yet; `None` on disk.
    memory: Option<BTreeMap<String, String>>,
}

impl Loader {
    fn new(options: LoadOptions, default_root: &Path) -> Self {
        let root = options.include_root.as_deref().unwrap_or(default_root);
        let root = std::fs::canonicalize(root)
            .map_err(|e| format!("the include root {} cannot be used: {e}", root.display()));
        Loader::with_root(options, root)
    }

    fn with_root(options: LoadOptions, root: Result<PathBuf, String>) -> Self {
        crate::suggest::reset_budget();
        Loader {
            root,
            options,
            sources: SourceMap::default(),
            diags: Vec::new(),
            files: Vec::new(),
            seen: HashSet::new(),
            chain: Vec::new(),
            used: 0,
            base_override: None,
            memory: None,
        }
    }

    /// Reads one in-memory file, named by its path `key`; `from` is the include that
    /// named it. The same checks as on disk, in the same order: depth, cycle, read once,
    /// the size limit.
    fn memory_file(&mut self, key: String, from: Option<Span>) {
        let at = |d: Diagnostic| match from {
            Some(span) => d.at(span),
            None => d,
        };
        if from.is_some()
            && let Err(d) = self.depth_left()
        {
            self.diags.push(at(d));
            return;
        }
        let identity = PathBuf::from(&key);
        if self.chain.contains(&identity) {
            self.diags.push(at(Diagnostic::error(
                "include-cycle",
                format!("{key} includes itself (through its includes)"),
            )
            .label("this include closes a cycle")));
            return;
        }
        if self.seen.contains(&identity) {
            return; // Already merged once; a second copy would only repeat its ids.
        }
        let Some(text) = self.memory.as_mut().and_then(|files| files.remove(&key)) else {
            self.diags.push(at(Diagnostic::error(
                "unreadable-file",
                format!("cannot read {key}: there is no such file among the model's files"),
            )
            .label("named here")));
            return;
        };
        self.seen.insert(identity.clone());
        let max = self.options.max_size;
        let left = max.saturating_sub(self.used);
        if text.len() as u64 > left {
            self.diags
                .push(at(over_limit(&key, text.len() as u64, self.used, max)));
            return;
        }
        self.used += text.len() as u64;
        let id = self.sources.add(SourceFile::new(key, None, text));
        self.chain.push(identity);
        self.parse(id, from);
        self.chain.pop();
    }

    /// Whether one more level of `include:` is allowed.
    fn depth_left(&self) -> Result<(), Diagnostic> {
        if self.chain.len() >= MAX_INCLUDE_DEPTH {
            return Err(Diagnostic::error(
                "include-too-deep",
                format!("includes are nested more than {MAX_INCLUDE_DEPTH} deep"),
            )
            .label("this include is one too many")
            .help("include the parts from fewer levels of files"));
        }
        Ok(())
    }

    /// Reads one file; `from` is the `include:` entry that named it.
    fn file(&mut self, path: &Path, from: Option<Span>) {
        let name = path.display().to_string();
        let canonical = match from {
            Some(span) => match self.include_target(path, &name) {
                Ok(canonical) => canonical,
                Err(d) => {
                    self.diags.push(d.at(span));
                    return;
                }
            },
            None => std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
        };
        let at = |d: Diagnostic| match from {
            Some(span) => d.at(span),
            None => d,
        };
        if self.chain.contains(&canonical) {
            self.diags.push(at(Diagnostic::error(
                "include-cycle",
                format!("{name} includes itself (through its includes)"),
            )
            .label("this include closes a cycle")));
            return;
        }
        if !self.seen.insert(canonical.clone()) {
            return; // Already merged once; a second copy would only repeat its ids.
        }
        let text = match self.read(path, &name, from.is_some()) {
            Ok(text) => text,
            Err(d) => {
                self.diags.push(at(d));
                return;
            }
        };
        self.used += text.len() as u64;
        let id = self
            .sources
            .add(SourceFile::new(name, Some(path.to_path_buf()), text));
        self.chain.push(canonical);
        self.parse(id, from);
        self.chain.pop();
    }

    /// Checks an included path before anything is opened: the include depth, that it
    /// exists inside the include root (symbolic links followed), and that it is a regular
    /// file (a FIFO would block the read forever, a device never end).
    fn include_target(&self, path: &Path, name: &str) -> Result<PathBuf, Diagnostic> {
        self.depth_left()?;
        let canonical = std::fs::canonicalize(path).map_err(|e| {
            Diagnostic::error("unreadable-file", format!("cannot read {name}: {e}"))
                .label("named here")
        })?;
        let root = self.root.as_ref().map_err(|message| {
            Diagnostic::error("include-outside-root", message.clone()).label("named here")
        })?;
        if !canonical.starts_with(root) {
            return Err(Diagnostic::error(
                "include-outside-root",
                format!("{name} is outside {}, the folder includes may read", root.display()),
            )
            .label("included here")
            .help("keep included files next to the model, or widen the folder with `--include-root DIR`"));
        }
        let meta = std::fs::metadata(&canonical).map_err(|e| {
            Diagnostic::error("unreadable-file", format!("cannot read {name}: {e}"))
                .label("named here")
        })?;
        if !meta.is_file() {
            return Err(not_a_file(name).label("included here"));
        }
        Ok(canonical)
    }

    /// Reads a file within what is left of the size limit. An include is opened without
    /// blocking and must still be a regular file once open.
    fn read(&self, path: &Path, name: &str, include: bool) -> Result<String, Diagnostic> {
        let unreadable = |e: std::io::Error| {
            Diagnostic::error("unreadable-file", format!("cannot read {name}: {e}"))
        };
        let mut open = std::fs::OpenOptions::new();
        open.read(true);
        #[cfg(unix)]
        if include {
            use std::os::unix::fs::OpenOptionsExt;
            open.custom_flags(libc::O_NONBLOCK);
        }
        let file = open
            .open(path)
            .map_err(|e| unreadable(e).label("named here"))?;
        let meta = file.metadata().map_err(unreadable)?;
        if include && !meta.is_file() {
            return Err(not_a_file(name));
        }
        let max = self.options.max_size;
        let left = max.saturating_sub(self.used);
        if meta.is_file() && meta.len() > left {
            return Err(over_limit(name, meta.len(), self.used, max));
        }
        let text = read_limited(file, name, left).map_err(|d| {
            if d.code == "file-too-large" {
                over_limit(name, left + 1, self.used, max)
            } else {
                d
            }
        })?;
        Ok(text)
    }

    /// Parses and decodes one file; `from` is the include that named it. An included file
    /// that is not a model (not YAML, or no model key at its top level) gets one error at
    /// the include and none inside it, so that its lines (a secret, a password file) are
    /// never shown.
    fn parse(&mut self, id: FileId, from: Option<Span>) {
        let file = self.sources.get(id);
        let root = match yaml::parse(&file.text, id) {
            Ok(Some(root)) if !root.is_null() => root,
            Ok(_) => {
                let name = &file.name;
                let empty = Diagnostic::error("empty-model", format!("{name} is empty"))
                    .help("run `gambit init` for a starter model");
                self.diags.push(match from {
                    Some(span) => empty.at(span),
                    None => empty,
                });
                return;
            }
            Err(d) => {
                let d = match from {
                    Some(span) => not_a_model(file, &d.message, d.span).at(span),
                    None => d,
                };
                self.diags.push(d);
                return;
            }
        };
        if let Some(span) = from
            && !looks_like_a_model(&root)
        {
            self.diags
                .push(not_a_model(file, "it has no model key at its top level", None).at(span));
            return;
        }
        let file = decode::model_file(
            &mut Decoder {
                diags: &mut self.diags,
            },
            &root,
        );
        drop(root);
        let includes = file.include.clone();
        self.files.push((id, file));
        if self.memory.is_some() {
            let from = self.sources.get(id).name.clone();
            for inc in includes {
                match memory_target(&from, &inc.value) {
                    Ok(key) => self.memory_file(key, Some(inc.span)),
                    Err(d) => self.diags.push(d.at(inc.span)),
                }
            }
            return;
        }
        let dir = self
            .base_override
            .clone()
            .unwrap_or_else(|| self.sources.get(id).dir());
        for inc in includes {
            self.file(&dir.join(&inc.value), Some(inc.span));
        }
    }

    fn finish(mut self) -> Loaded {
        let mut hasher = Sha256::new();
        for (_, f) in self.sources.files() {
            hasher.update((f.text.len() as u64).to_le_bytes());
            hasher.update(f.text.as_bytes());
        }
        let digest = format!("sha256:{:x}", hasher.finalize());
        let no_errors_yet = !self.diags.iter().any(Diagnostic::is_error);
        let model = if self.files.is_empty() {
            None
        } else {
            resolve::resolve(std::mem::take(&mut self.files), digest, &mut self.diags)
                .filter(|_| no_errors_yet)
        };
        diagnostic::sort(&mut self.diags);
        Loaded {
            sources: self.sources,
            model,
            diagnostics: self.diags,
        }
    }
}

/// The top-level keys of a model file, from its schema.
fn model_keys() -> &'static [String] {
    static KEYS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        crate::json_schema()["properties"]
            .as_object()
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default()
    })
}

/// Whether a parsed file is a mapping with at least one model key at its top level.
fn looks_like_a_model(root: &yaml::Node<'_>) -> bool {
    let yaml::NodeKind::Map(entries) = &root.kind else {
        return false;
    };
    entries.iter().any(|(key, _)| {
        matches!(&key.kind, yaml::NodeKind::Scalar { text, .. } if model_keys().iter().any(|k| k == text.as_ref()))
    })
}

/// An included file that is not a model: where it went wrong, by line and column only.
fn not_a_model(file: &SourceFile, why: &str, at: Option<Span>) -> Diagnostic {
    let place = at.map_or(String::new(), |span| {
        let lc = file.line_col(span.start);
        format!(" (line {}, column {})", lc.line, lc.column)
    });
    Diagnostic::error(
        "not-a-model",
        format!("{} is not a Gambit model: {why}{place}", file.name),
    )
    .label("included here")
    .help("include only model files; the included file's text is not shown")
}
