//! Reading model files: size limits, UTF-8, `include:`, and the digest.

use std::collections::HashSet;
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

#[derive(Clone, Copy, Debug)]
pub struct LoadOptions {
    /// Refuse a load whose files add up to more bytes than this.
    pub max_size: u64,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_size: DEFAULT_MAX_SIZE,
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
    let mut loader = Loader::new(options);
    loader.file(path, None);
    loader.finish()
}

/// Loads a model from text (standard input, an HTTP body); includes are resolved against
/// `base_dir`.
pub fn load_str(name: &str, text: String, base_dir: Option<&Path>, options: LoadOptions) -> Loaded {
    let mut loader = Loader::new(options);
    if text.len() as u64 > options.max_size {
        loader
            .diags
            .push(too_large(name, text.len() as u64, options.max_size));
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
    loader.parse(id);
    loader.finish()
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
        .take(max_size + 1)
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
}

impl Loader {
    fn new(options: LoadOptions) -> Self {
        crate::suggest::reset_budget();
        Loader {
            options,
            sources: SourceMap::default(),
            diags: Vec::new(),
            files: Vec::new(),
            seen: HashSet::new(),
            chain: Vec::new(),
            used: 0,
            base_override: None,
        }
    }

    /// Reads one file; `from` is the `include:` entry that named it.
    fn file(&mut self, path: &Path, from: Option<Span>) {
        let at = |d: Diagnostic| match from {
            Some(span) => d.at(span),
            None => d,
        };
        let name = path.display().to_string();
        let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
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
        let text = match std::fs::File::open(path).and_then(|f| {
            let len = f.metadata()?.len();
            Ok((f, len))
        }) {
            Err(e) => {
                self.diags.push(at(Diagnostic::error(
                    "unreadable-file",
                    format!("cannot read {name}: {e}"),
                )
                .label("named here")));
                return;
            }
            Ok((_, len)) if self.used + len > self.options.max_size => {
                self.diags
                    .push(at(too_large(&name, self.used + len, self.options.max_size)));
                return;
            }
            Ok((f, _)) => match read_limited(f, &name, self.options.max_size - self.used) {
                Ok(t) => t,
                Err(d) => {
                    self.diags.push(at(d));
                    return;
                }
            },
        };
        self.used += text.len() as u64;
        let id = self
            .sources
            .add(SourceFile::new(name, Some(path.to_path_buf()), text));
        self.chain.push(canonical);
        self.parse(id);
        self.chain.pop();
    }

    fn parse(&mut self, id: FileId) {
        let root = match yaml::parse(&self.sources.get(id).text, id) {
            Ok(Some(root)) => root,
            Ok(None) => {
                let name = &self.sources.get(id).name;
                self.diags.push(
                    Diagnostic::error("empty-model", format!("{name} is empty"))
                        .help("run `gambit init` for a starter model"),
                );
                return;
            }
            Err(d) => {
                self.diags.push(d);
                return;
            }
        };
        let file = decode::model_file(
            &mut Decoder {
                diags: &mut self.diags,
            },
            &root,
        );
        drop(root);
        let includes = file.include.clone();
        self.files.push((id, file));
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
