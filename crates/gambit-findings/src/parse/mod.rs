//! Reading findings files: one streaming pass per file, the format told apart by the
//! top-level keys it has (SARIF `runs`, Trivy `Results`, Grype `matches`, CycloneDX
//! `bomFormat`, OpenVEX `statements`). Large arrays are visited one element at a time, so
//! memory grows with the findings kept, never with the document.

mod cyclonedx;
mod grype;
mod openvex;
mod sarif;
mod trivy;

use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::path::Path;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::finding::{Finding, Format, Scan, State, limits};
pub use openvex::{Product, VexStatement};

/// Everything read from the findings files of one run.
#[derive(Debug, Default)]
pub struct Parsed {
    pub scans: Vec<Scan>,
    pub findings: Vec<Finding>,
    pub vex: Vec<VexStatement>,
}

/// A findings file that could not be read, with the place when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingsError {
    pub file: String,
    /// 1-based line and column, when the problem is at a place in the file.
    pub position: Option<(usize, usize)>,
    pub message: String,
}

impl fmt::Display for FindingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some((line, column)) => write!(f, "{}:{line}:{column}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for FindingsError {}

impl FindingsError {
    pub(crate) fn whole_file(file: &str, message: impl Into<String>) -> Self {
        FindingsError {
            file: file.to_owned(),
            position: None,
            message: message.into(),
        }
    }

    fn from_json(file: &str, e: &serde_json::Error) -> Self {
        let position = (e.line() > 0).then(|| (e.line(), e.column()));
        // serde_json appends " at line L column C"; the position is shown in front instead.
        let text = e.to_string();
        let mut message = match text.rfind(" at line ") {
            Some(at) if position.is_some() => text[..at].to_owned(),
            _ => text,
        };
        if e.is_syntax() || e.is_eof() {
            message = format!("not valid JSON: {message}");
        }
        FindingsError {
            file: file.to_owned(),
            position,
            message,
        }
    }
}

impl Parsed {
    /// Reads one findings file, with a progress bar on standard error when `progress`.
    pub fn read_path(&mut self, path: &Path, progress: bool) -> Result<(), FindingsError> {
        let name = path.display().to_string();
        let file = std::fs::File::open(path)
            .map_err(|e| FindingsError::whole_file(&name, format!("cannot read: {e}")))?;
        let bar = if progress {
            let size = file.metadata().map(|m| m.len()).unwrap_or(0);
            crate::progress::bar(size, &name)
        } else {
            indicatif::ProgressBar::hidden()
        };
        let reader = std::io::BufReader::with_capacity(1 << 16, bar.wrap_read(file));
        let result = self.read(reader, &name);
        bar.finish_and_clear();
        result
    }

    /// Reads one findings document from `reader`; `name` is used in messages.
    pub fn read(&mut self, reader: impl Read, name: &str) -> Result<(), FindingsError> {
        let first_finding = self.findings.len();
        let scan = self.scans.len();
        let mut de = serde_json::Deserializer::from_reader(reader);
        let format = Document {
            parsed: self,
            file: name,
        }
        .deserialize(&mut de)
        .and_then(|format| de.end().map(|()| format))
        .map_err(|e| FindingsError::from_json(name, &e));
        match format {
            Ok(Some(_)) => Ok(()),
            Ok(None) => {
                self.scans.truncate(scan);
                self.findings.truncate(first_finding);
                Err(FindingsError::whole_file(
                    name,
                    "not a findings document: expected SARIF 2.1.0 (`runs`), Trivy JSON \
                     (`Results`), Grype JSON (`matches`), CycloneDX JSON (`bomFormat`) or \
                     OpenVEX (`statements`)",
                ))
            }
            Err(e) => Err(e),
        }
    }
}

/// The top-level object of any supported format. Yields the format found, or `None`
/// when no key of a known format was there.
struct Document<'a> {
    parsed: &'a mut Parsed,
    file: &'a str,
}

impl<'de> DeserializeSeed<'de> for Document<'_> {
    type Value = Option<Format>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

/// Per-document state the top-level keys fill in, in whatever order they come.
#[derive(Default)]
struct DocumentState {
    format: Option<Format>,
    /// CycloneDX `bom-ref` to package URL.
    bom_refs: HashMap<String, String>,
    artifact_type: Option<String>,
    artifact_name: Option<String>,
}

impl<'de> Visitor<'de> for Document<'_> {
    type Value = Option<Format>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object (SARIF, Trivy, Grype, CycloneDX or OpenVEX)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let parsed = self.parsed;
        let start = parsed.findings.len();
        // Trivy, Grype and CycloneDX describe one scan per document; SARIF adds one per run.
        let scan = parsed.scans.len() as u32;
        parsed.scans.push(Scan {
            file: self.file.to_owned(),
            format: Format::Trivy,
            tool: String::new(),
            images: Vec::new(),
            repository: None,
        });
        let mut state = DocumentState::default();
        let found = |state: &mut DocumentState, f: Format| {
            state.format.get_or_insert(f);
        };
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "runs" => {
                    found(&mut state, Format::Sarif);
                    map.next_value_seed(sarif::Runs {
                        parsed: &mut *parsed,
                        file: self.file,
                    })?;
                }
                "Results" => {
                    found(&mut state, Format::Trivy);
                    map.next_value_seed(trivy::Results {
                        parsed: &mut *parsed,
                        scan,
                    })?;
                }
                "ArtifactName" => {
                    found(&mut state, Format::Trivy);
                    state.artifact_name = map
                        .next_value::<Option<String>>()?
                        .map(crate::finding::clip);
                }
                "ArtifactType" => {
                    found(&mut state, Format::Trivy);
                    state.artifact_type = map.next_value()?;
                }
                "Metadata" => {
                    let meta: trivy::Metadata = map.next_value()?;
                    parsed.scans[scan as usize].images.extend(meta.digests());
                }
                "matches" => {
                    found(&mut state, Format::Grype);
                    map.next_value_seed(each(|m: grype::Match| {
                        push(parsed, m.into_finding(scan))
                    }))?;
                }
                "source" => {
                    let source: grype::Source = map.next_value()?;
                    source.describe(&mut parsed.scans[scan as usize]);
                }
                "bomFormat" => {
                    let value: String = map.next_value()?;
                    if value != "CycloneDX" {
                        return Err(de::Error::custom(format!(
                            "bomFormat `{}` is not CycloneDX",
                            crate::finding::clip(value)
                        )));
                    }
                    found(&mut state, Format::Cyclonedx);
                }
                "components" => {
                    map.next_value_seed(each(|c: cyclonedx::Component| {
                        c.collect_refs(&mut state.bom_refs);
                        Ok(())
                    }))?;
                }
                "metadata" => {
                    let meta: cyclonedx::Metadata = map.next_value()?;
                    meta.describe(&mut parsed.scans[scan as usize], &mut state.bom_refs);
                }
                "vulnerabilities" => {
                    found(&mut state, Format::Cyclonedx);
                    map.next_value_seed(each(|v: cyclonedx::Vulnerability| {
                        for finding in v.into_findings(scan) {
                            push(parsed, finding)?;
                        }
                        Ok(())
                    }))?;
                }
                "statements" => {
                    found(&mut state, Format::Openvex);
                    map.next_value_seed(each(|s: openvex::Statement| {
                        if parsed.vex.len() >= limits::MAX_VEX_STATEMENTS {
                            return Err(format!(
                                "more than {} VEX statements",
                                limits::MAX_VEX_STATEMENTS
                            ));
                        }
                        parsed.vex.push(s.into_statement());
                        Ok(())
                    }))?;
                }
                "@context" => {
                    let context: serde_json::Value = map.next_value()?;
                    if context.as_str().is_some_and(|c| c.contains("openvex")) {
                        found(&mut state, Format::Openvex);
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let format = state.format;
        finish_document(parsed, scan, start, state);
        Ok(format)
    }
}

/// Fills in what a document says about its scan once all its keys are read.
fn finish_document(parsed: &mut Parsed, scan: u32, start: usize, state: DocumentState) {
    let Some(format) = state.format else {
        return;
    };
    let entry = &mut parsed.scans[scan as usize];
    entry.format = format;
    if entry.tool.is_empty() {
        entry.tool = format.name().to_owned();
    }
    if let Some(name) = state.artifact_name {
        match state.artifact_type.as_deref() {
            Some("repository") => entry.repository = Some(name),
            Some("filesystem") | Some("rootfs") => {}
            _ => entry.images.insert(0, name),
        }
    }
    if format == Format::Cyclonedx {
        for finding in &mut parsed.findings[start..] {
            cyclonedx::resolve_ref(finding, &state.bom_refs);
        }
    }
}

/// Keeps a finding, or fails when there are too many to keep.
fn push(parsed: &mut Parsed, finding: Finding) -> Result<(), String> {
    if parsed.findings.len() >= limits::MAX_FINDINGS {
        return Err(format!(
            "more than {} findings; split the scan",
            limits::MAX_FINDINGS
        ));
    }
    parsed.findings.push(finding);
    Ok(())
}

/// Visits a JSON array one element at a time, handing each to the closure, so the array
/// is never held whole.
struct Each<T, F>(F, std::marker::PhantomData<T>);

fn each<T, F>(f: F) -> Each<T, F> {
    Each(f, std::marker::PhantomData)
}

impl<'de, T, F> DeserializeSeed<'de> for Each<T, F>
where
    T: serde::Deserialize<'de>,
    F: FnMut(T) -> Result<(), String>,
{
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T, F> Visitor<'de> for Each<T, F>
where
    T: serde::Deserialize<'de>,
    F: FnMut(T) -> Result<(), String>,
{
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array")
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        while let Some(item) = seq.next_element::<T>()? {
            (self.0)(item).map_err(de::Error::custom)?;
        }
        Ok(())
    }

    /// `null` where an array may be (Trivy writes `"Vulnerabilities": null`).
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// A list that keeps its first [`limits::MAX_LIST`] items and skips the rest unread.
#[derive(Debug)]
pub(crate) struct Capped<T>(pub Vec<T>);

impl<T> Default for Capped<T> {
    fn default() -> Self {
        Capped(Vec::new())
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Capped<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct CappedVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: serde::Deserialize<'de>> Visitor<'de> for CappedVisitor<T> {
            type Value = Capped<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Capped<T>, A::Error> {
                let mut items = Vec::new();
                while items.len() < limits::MAX_LIST {
                    match seq.next_element::<T>()? {
                        Some(item) => items.push(item),
                        None => return Ok(Capped(items)),
                    }
                }
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Capped(items))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Capped<T>, E> {
                Ok(Capped(Vec::new()))
            }
        }
        d.deserialize_any(CappedVisitor(std::marker::PhantomData))
    }
}

impl<T> Capped<T> {
    pub fn into_vec(self) -> Vec<T> {
        self.0
    }
}

/// Keeps a VEX or scanner state word as a [`State`].
pub(crate) fn state_of(word: &str) -> Option<State> {
    match word {
        "not_affected" | "false_positive" => Some(State::NotAffected),
        "fixed" | "resolved" | "resolved_with_pedigree" => Some(State::Fixed),
        "affected" | "under_investigation" | "exploitable" | "in_triage" => Some(State::Open),
        _ => None,
    }
}
