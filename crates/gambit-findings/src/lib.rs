//! Scanner findings, matched to a Gambit model and ranked by attack path.
//!
//! ```text
//! files --parse (streaming, format from content)--> findings --VEX, KEV, EPSS-->
//!   --match (purls, artifacts)--> vulnerabilities added to a copy of the Model
//!   --rank (attack graph: on a path? which goals? which few patches cut every path?)--> report
//! ```
//!
//! [`apply`] is the one entry point for every command that takes `--findings`: it returns
//! the augmented model and the matched and unmatched findings; [`Applied::rank`] adds the
//! attack-graph ranking the `findings` command prints ([`render`]).

pub mod blast;
pub mod effect;
pub mod enrich;
pub mod finding;
pub mod matching;
pub mod parse;
mod progress;
pub mod rank;
pub mod render;
pub mod vex;

use std::collections::HashMap;
use std::path::PathBuf;

use gambit_model::cvss::CvssVector;
use gambit_model::vocab::VulnStatus;
use gambit_model::{ComponentId, Model, Vulnerability};

pub use enrich::{Epss, Kev};
pub use finding::{Finding, Format, State};
pub use parse::{FindingsError, Parsed};
pub use rank::FindingsReport;

/// What to read.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Findings files (SARIF, Trivy, Grype, CycloneDX, OpenVEX), in order: later VEX
    /// statements win.
    pub files: Vec<PathBuf>,
    /// CISA's `known_exploited_vulnerabilities.json`.
    pub kev: Option<PathBuf>,
    /// FIRST's EPSS CSV.
    pub epss: Option<PathBuf>,
    /// Show a progress bar on standard error (the caller checks it is a terminal).
    pub progress: bool,
}

/// A finding on a component: the scanner results with one vulnerability id on one
/// component, merged.
#[derive(Clone, Debug)]
pub struct Matched {
    pub component: ComponentId,
    /// Its position in the augmented model's `vulnerabilities` of that component.
    pub vulnerability: usize,
    pub id: String,
    pub package: Option<String>,
    /// The scanner (SARIF tool name, `trivy`, `grype`, `cyclonedx`).
    pub source: String,
    /// Why it landed on this component: `image ghcr.io/acme/orders`, `software pkg:...`.
    pub matched_by: String,
    pub effect: &'static str,
    pub cvss_vector: Option<String>,
    pub cvss: Option<f64>,
    pub kev: bool,
    pub epss: Option<f64>,
    pub state: State,
    pub title: Option<String>,
    /// The first source location, for SARIF output.
    pub location: Option<String>,
    /// Scanner results merged into this one.
    pub occurrences: usize,
}

/// A finding no component claims, and why.
#[derive(Clone, Debug)]
pub struct Unmatched {
    pub id: String,
    pub package: Option<String>,
    pub source: String,
    pub reason: String,
    pub location: Option<String>,
}

/// The model with the findings added as vulnerabilities, and the findings.
#[derive(Clone, Debug)]
pub struct Applied {
    pub model: Model,
    pub matched: Vec<Matched>,
    pub unmatched: Vec<Unmatched>,
}

/// Reads the files of `options` and adds their findings to a copy of `model`.
pub fn apply(model: &Model, options: &Options) -> Result<Applied, FindingsError> {
    let mut parsed = Parsed::default();
    for file in &options.files {
        parsed.read_path(file, options.progress)?;
    }
    let kev = options.kev.as_deref().map(Kev::read_path).transpose()?;
    let epss = options.epss.as_deref().map(Epss::read_path).transpose()?;
    Ok(apply_parsed(model, parsed, kev.as_ref(), epss.as_ref()))
}

/// [`apply`] over findings already read.
pub fn apply_parsed(
    model: &Model,
    mut parsed: Parsed,
    kev: Option<&Kev>,
    epss: Option<&Epss>,
) -> Applied {
    vex::apply(&parsed.vex, &mut parsed.findings, &parsed.scans);
    enrich::enrich(&mut parsed.findings, kev, epss);
    let matcher = matching::Matcher::new(model);
    let scan_landings: Vec<_> = parsed
        .scans
        .iter()
        .map(|s| matcher.scan_landings(s))
        .collect();
    let mut matched: Vec<Matched> = Vec::new();
    let mut group_of: HashMap<(ComponentId, String), usize> = HashMap::new();
    let mut unmatched = Vec::new();
    for f in parsed.findings {
        let scan = &parsed.scans[f.scan as usize];
        let landings = matcher.land(&f, &scan_landings[f.scan as usize]);
        if landings.is_empty() {
            unmatched.push(Unmatched {
                reason: matching::unmatched_reason(&f, scan),
                package: f.package_label(),
                location: f.paths.first().cloned(),
                source: scan.tool.clone(),
                id: f.id,
            });
            continue;
        }
        let (effect, _) = effect::effect_name(&f.cwes, f.cvss_vector.as_deref());
        for landing in landings {
            match group_of.get(&(landing.component, f.id.clone())) {
                Some(&g) => merge(&mut matched[g], &f, effect),
                None => {
                    group_of.insert((landing.component, f.id.clone()), matched.len());
                    matched.push(first(&f, scan, landing, effect));
                }
            }
        }
    }
    let model = add_vulnerabilities(model, &mut matched);
    Applied {
        model,
        matched,
        unmatched,
    }
}

fn first(
    f: &Finding,
    scan: &finding::Scan,
    landing: matching::Landing,
    effect: &'static str,
) -> Matched {
    Matched {
        component: landing.component,
        vulnerability: 0,
        id: f.id.clone(),
        package: f.package_label(),
        source: scan.tool.clone(),
        matched_by: landing.matched_by,
        effect,
        cvss_vector: f.cvss_vector.clone(),
        cvss: f.cvss_score,
        kev: f.kev.unwrap_or(false),
        epss: f.epss,
        state: f.state,
        title: f.title.clone(),
        location: f.paths.first().cloned(),
        occurrences: 1,
    }
}

/// Position of an effect in the table's severity order (code execution first).
fn severity_order(effect: &str) -> usize {
    effect::CWE_EFFECTS
        .iter()
        .position(|(e, _)| *e == effect)
        .unwrap_or(usize::MAX)
}

/// One more scanner result of the same vulnerability on the same component: the worst of
/// each attribute is kept, and it stays open while any result is open.
fn merge(m: &mut Matched, f: &Finding, effect: &'static str) {
    m.occurrences += 1;
    if severity_order(effect) < severity_order(m.effect) {
        m.effect = effect;
    }
    if f.cvss_score > m.cvss {
        m.cvss = f.cvss_score;
        m.cvss_vector = f.cvss_vector.clone().or(m.cvss_vector.take());
    }
    m.kev |= f.kev.unwrap_or(false);
    if f.epss > m.epss {
        m.epss = f.epss;
    }
    m.state = match (m.state, f.state) {
        (State::Open, _) | (_, State::Open) => State::Open,
        (State::Fixed, _) | (_, State::Fixed) => State::Fixed,
        _ => State::NotAffected,
    };
    if m.location.is_none() {
        m.location = f.paths.first().cloned();
    }
}

/// A copy of `model` with a vulnerability per matched finding, unless the component
/// already declares one with that id (the model's word then stands).
fn add_vulnerabilities(model: &Model, matched: &mut [Matched]) -> Model {
    let mut next: Vec<usize> = model
        .components
        .iter()
        .map(|c| c.vulnerabilities.len())
        .collect();
    let mut added = Vec::new();
    for m in matched.iter_mut() {
        let component = &model[m.component];
        if let Some(i) = component.vulnerabilities.iter().position(|v| v.id == m.id) {
            m.vulnerability = i;
            m.state = match component.vulnerabilities[i].status {
                VulnStatus::Open => State::Open,
                VulnStatus::NotAffected => State::NotAffected,
                VulnStatus::Fixed | VulnStatus::Mitigated => State::Fixed,
            };
            continue;
        }
        m.vulnerability = next[m.component.index()];
        next[m.component.index()] += 1;
        added.push((
            m.component,
            Vulnerability {
                id: m.id.clone(),
                span: component.span,
                cvss: m
                    .cvss_vector
                    .as_deref()
                    .and_then(|v| CvssVector::parse(v).ok()),
                effect: effect::to_model_effect(m.effect),
                kev: m.kev,
                epss: m.epss,
                status: match m.state {
                    State::Open => VulnStatus::Open,
                    State::NotAffected => VulnStatus::NotAffected,
                    State::Fixed => VulnStatus::Fixed,
                },
                description: m.title.clone(),
            },
        ));
    }
    model.with_vulnerabilities(added)
}
