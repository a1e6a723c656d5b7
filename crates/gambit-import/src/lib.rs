//! Other threat-modeling tools' models to Gambit models, and Gambit models to Open Threat
//! Model.
//!
//! ```text
//! Threagile YAML ─┐
//! Threat Dragon ──┤ parse (size cap, located errors) ─► Draft ─► commented YAML model
//! pytm JSON ──────┤                                     + a warning per lost fact
//! OTM JSON ───────┘
//! Model ─► OTM JSON
//! ```
//!
//! [`import`] never panics on any input and returns the model text that
//! `gambit validate` accepts, with a [`Warning`] for every fact of the source that has no
//! place in Gambit's language. [`export_otm`] writes a loaded model as OTM. The mapping
//! of each format is documented in docs/import.md.

mod draft;
mod ids;
mod otm;
mod parse;
mod pytm;
mod recorded;
mod threagile;
mod threat_dragon;

use std::fmt;
use std::io::Read;

pub use otm::export_otm;

/// Largest input accepted, in bytes: real models are a few hundred kilobytes.
pub const MAX_INPUT_BYTES: usize = 32 << 20;

/// The formats [`import`] reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Threagile's YAML model.
    Threagile,
    /// OWASP Threat Dragon v2 JSON.
    ThreatDragon,
    /// The JSON that OWASP pytm reads (`--json`) and writes.
    Pytm,
    /// Open Threat Model JSON.
    Otm,
}

impl Format {
    /// The name used on the command line and in comments.
    pub fn name(self) -> &'static str {
        match self {
            Format::Threagile => "threagile",
            Format::ThreatDragon => "threat-dragon",
            Format::Pytm => "pytm",
            Format::Otm => "otm",
        }
    }
}

/// A fact of the source that did not make it into the model, or was approximated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// Where in the source: the element, e.g. `technical_assets."Web Server"`.
    pub at: String,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}

/// Why a file could not be imported: its name, where in it (when known), and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    pub file: String,
    /// 1-based line and column, when the problem has a place in the file.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => {
                write!(f, "{}:{line}:{column}: {}", self.file, self.message)
            }
            (Some(line), None) => write!(f, "{}:{line}: {}", self.file, self.message),
            _ => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for ImportError {}

/// The result of an import: the model's YAML text and what was lost on the way.
#[derive(Clone, Debug)]
pub struct Imported {
    pub model: String,
    pub warnings: Vec<Warning>,
}

/// Reads at most [`MAX_INPUT_BYTES`] from `reader` (the file `file`, or standard input)
/// and imports it; a larger or non-UTF-8 input is an error naming the file.
pub fn import_reader(
    format: Format,
    file: &str,
    reader: impl Read,
) -> Result<Imported, ImportError> {
    let error = |message: String| ImportError {
        file: file.to_owned(),
        line: None,
        column: None,
        message,
    };
    let mut bytes = Vec::new();
    reader
        .take(MAX_INPUT_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| error(format!("cannot read the file: {e}")))?;
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(error(format!(
            "the file is larger than {MAX_INPUT_BYTES} bytes, the most the importer reads"
        )));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        error(format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    import(format, file, &text)
}

/// Converts `text`, the content of the file `file` written in `format`, to a Gambit model.
pub fn import(format: Format, file: &str, text: &str) -> Result<Imported, ImportError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(ImportError {
            file: file.to_owned(),
            line: None,
            column: None,
            message: format!(
                "the file is {} bytes; the importer reads at most {MAX_INPUT_BYTES}",
                text.len()
            ),
        });
    }
    let src = parse::Source { file, text, format };
    let mut warnings = Vec::new();
    let mut draft = match format {
        Format::Threagile => threagile::import(&src, &mut warnings)?,
        Format::ThreatDragon => threat_dragon::import(&src, &mut warnings)?,
        Format::Pytm => pytm::import(&src, &mut warnings)?,
        Format::Otm => otm::import(&src, &mut warnings)?,
    };
    for zone in draft.break_zone_cycles() {
        warnings.push(Warning {
            at: format!("zone `{zone}`"),
            message: "its boundaries nest in a cycle; left top-level".to_owned(),
        });
    }
    draft.header.insert(
        0,
        format!("Imported by `gambit import {}` from {file}.", format.name()),
    );
    if !warnings.is_empty() {
        draft.header.insert(
            1,
            format!(
                "{} fact(s) of the source have no place in Gambit's language; they are kept in comments like this one.",
                warnings.len()
            ),
        );
    }
    Ok(Imported {
        model: draft.to_yaml(),
        warnings,
    })
}

/// The property the fuzz targets and the regression corpus check: importing any text gives
/// either an error that names the file, or a model that loads without error. Panics
/// otherwise (that is how a fuzzer reports).
#[doc(hidden)]
pub fn fuzz_check(format: Format, text: &str) {
    match import(format, "fuzz.input", text) {
        Err(e) => assert!(e.file == "fuzz.input" && !e.message.is_empty(), "{e:?}"),
        Ok(imported) => {
            let loaded = gambit_model::load_str(
                "imported.yaml",
                imported.model.clone(),
                None,
                gambit_model::LoadOptions::default(),
            );
            let errors: Vec<String> = loaded
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| format!("{}: {}", d.code, d.message))
                .collect();
            assert!(
                loaded.model.is_some(),
                "the imported model does not load: {errors:?}\n{}",
                imported.model
            );
        }
    }
}
