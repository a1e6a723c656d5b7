//! What a rule is: its metadata (declared once with [`declare_rule!`]) and its check.
//!
//! A rule is a unit struct whose `///` doc comment is its user documentation. The
//! documentation has four required sections, in this order: `## What it finds`,
//! `## Why it matters`, `## Example` (a model that triggers the rule, in a fenced `yaml`
//! block) and `## How to fix`. `gambit rules explain` prints it and `docs/rules/` is
//! generated from it, so the text a user reads is the text next to the code.

use gambit_model::vocab::{Impact, Likelihood, Stride};

use crate::context::Context;
use crate::finding::Finding;

/// The sections every rule's documentation must have, in order.
pub const REQUIRED_SECTIONS: &[&str] = &[
    "## What it finds",
    "## Why it matters",
    "## Example",
    "## How to fix",
];

/// Everything about a rule except its check.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable kebab-case id; half of every threat id (`RULE@TARGET`).
    pub id: &'static str,
    /// The title of the threats it raises.
    pub title: &'static str,
    pub stride: &'static [Stride],
    pub cwe: &'static [&'static str],
    pub capec: &'static [&'static str],
    /// MITRE ATT&CK technique ids, or ATLAS (`AML.T...`) for AI threats.
    pub attack: &'static [&'static str],
    /// Controls (the model's control vocabulary) that mitigate the threat.
    pub controls: &'static [&'static str],
    /// Likelihood before exposure adjusts it.
    pub likelihood: Likelihood,
    /// Impact when no asset is involved (assets' ratings replace it otherwise).
    pub impact: Impact,
    /// The short mitigation advice attached to every threat of this rule.
    pub fix: &'static str,
    /// The `///` lines as written (each with its leading space).
    pub raw_doc: &'static str,
    /// The source file, for "view source" links in the generated docs.
    pub file: &'static str,
}

impl RuleMeta {
    /// The documentation as Markdown, without the one space `///` leaves on each line.
    pub fn doc(&self) -> String {
        let mut out = String::with_capacity(self.raw_doc.len());
        for line in self.raw_doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }

    /// The first sentence of the `## What it finds` section: the one-line summary.
    pub fn summary(&self) -> String {
        let doc = self.doc();
        let body = section(&doc, "## What it finds").unwrap_or_default();
        let flat = body.split_whitespace().collect::<Vec<_>>().join(" ");
        match flat.find(". ") {
            Some(end) => flat[..=end].to_owned(),
            None => flat,
        }
    }

    /// STRIDE as letters in STRIDE order, e.g. `STI` (used by `rules list`).
    pub fn stride_letters(&self) -> String {
        "STRIDE"
            .chars()
            .filter(|l| self.stride.iter().any(|s| stride_letter(*s) == *l))
            .collect()
    }

    /// The YAML of the `## Example` section's first fenced block.
    pub fn example(&self) -> Option<String> {
        let doc = self.doc();
        let body = section(&doc, "## Example")?;
        let start = body.find("```yaml")? + "```yaml".len();
        let rest = &body[start..];
        let end = rest.find("```")?;
        Some(rest[..end].trim_start_matches('\n').to_owned())
    }

    /// Required sections that are missing or out of order.
    pub fn missing_sections(&self) -> Vec<&'static str> {
        let doc = self.doc();
        let mut from = 0;
        let mut missing = Vec::new();
        for heading in REQUIRED_SECTIONS {
            match doc[from..].find(&format!("{heading}\n")) {
                Some(at) => from += at + heading.len(),
                None => missing.push(*heading),
            }
        }
        missing
    }
}

pub fn stride_letter(s: Stride) -> char {
    match s {
        Stride::Spoofing => 'S',
        Stride::Tampering => 'T',
        Stride::Repudiation => 'R',
        Stride::InformationDisclosure => 'I',
        Stride::DenialOfService => 'D',
        Stride::ElevationOfPrivilege => 'E',
    }
}

/// The text of a `## ` section, up to the next `## ` heading.
pub fn section<'a>(doc: &'a str, heading: &str) -> Option<&'a str> {
    let start = doc.find(&format!("{heading}\n"))? + heading.len() + 1;
    let rest = &doc[start..];
    let end = rest.find("\n## ").map_or(rest.len(), |e| e + 1);
    Some(rest[..end].trim())
}

/// The metadata half of a rule, written by [`declare_rule!`].
pub trait Described {
    fn meta(&self) -> &'static RuleMeta;
}

/// The check half of a rule, written by hand in the rule's file.
pub trait Check {
    /// Reads the model through `cx` and adds one finding per weak spot to `out`. Must be
    /// deterministic and must not depend on the order of other rules.
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>);
}

/// A complete rule, as the registry holds it.
pub trait ThreatRule: Described + Check + Sync + Send {}
impl<T: Described + Check + Sync + Send> ThreatRule for T {}

/// Declares a rule: a unit struct, its documentation (the `///` lines) and its metadata.
///
/// ```ignore
/// declare_rule! {
///     /// ## What it finds
///     /// ...
///     pub struct UnencryptedCommunication {
///         id: "unencrypted-communication",
///         title: "Unencrypted communication",
///         stride: [InformationDisclosure, Tampering],
///         cwe: ["CWE-319"], capec: ["CAPEC-157"], attack: ["T1557"],
///         controls: [],
///         likelihood: Likely, impact: High,
///         fix: "Encrypt the connection with TLS.",
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])+
        pub struct $name:ident {
            id: $id:literal,
            title: $title:literal,
            stride: [$($stride:ident),+ $(,)?],
            cwe: [$($cwe:literal),* $(,)?],
            capec: [$($capec:literal),* $(,)?],
            attack: [$($attack:literal),* $(,)?],
            controls: [$($control:literal),* $(,)?],
            likelihood: $likelihood:ident,
            impact: $impact:ident,
            fix: $fix:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])+
        pub struct $name;

        impl $name {
            pub const META: $crate::rule::RuleMeta = $crate::rule::RuleMeta {
                id: $id,
                title: $title,
                stride: &[$(gambit_model::vocab::Stride::$stride),+],
                cwe: &[$($cwe),*],
                capec: &[$($capec),*],
                attack: &[$($attack),*],
                controls: &[$($control),*],
                likelihood: gambit_model::vocab::Likelihood::$likelihood,
                impact: gambit_model::vocab::Impact::$impact,
                fix: $fix,
                raw_doc: concat!($($doc, "\n"),+),
                file: file!(),
            };
        }

        impl $crate::rule::Described for $name {
            fn meta(&self) -> &'static $crate::rule::RuleMeta {
                &Self::META
            }
        }
    };
}
