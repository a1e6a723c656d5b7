//! The command-line interface: every command and flag, with its help text. The flags
//! several commands share (model, attackers, threat options, output) are defined once
//! here and flattened into each command's arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use gambit_model::ast::Date;
use gambit_model::vocab::Severity;

#[derive(Parser)]
#[command(
    name = "gambit",
    version,
    about = "Threat modeling as code: check a system model, find its threats and attack paths",
    long_about = "Gambit reads a YAML model of a system (assets, trust zones, actors, components, \
identities and data flows), checks it like a compiler, and finds how an attacker could reach \
what matters.\n\nStart with `gambit init`, then `gambit validate gambit.yaml`.",
    after_help = "Exit codes: 0 success; 1 `validate` found errors; 2 the input could not be used.\n\
Documentation: docs/ in the repository (model language, diagnostics, CLI)."
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// When to color output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Hide the model's warnings (and the importers' notes on facts they could not keep).
    #[arg(long, global = true)]
    pub quiet: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    pub fn write_global(self) {
        let choice = match self {
            ColorChoice::Auto => anstream::ColorChoice::Auto,
            ColorChoice::Always => anstream::ColorChoice::Always,
            ColorChoice::Never => anstream::ColorChoice::Never,
        };
        choice.write_global();
    }
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Write a commented starter model that passes `validate`.
    Init {
        /// Folder to write `gambit.yaml` into (created if missing).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Overwrite an existing gambit.yaml.
        #[arg(long)]
        force: bool,
    },
    /// Parse and check a model; print every error and warning.
    Validate {
        #[command(flatten)]
        model: ModelArg,
        #[arg(long, value_enum, default_value_t = DiagFormat::Text)]
        format: DiagFormat,
        /// Treat warnings as errors (exit 1 when there is any).
        #[arg(long)]
        strict: bool,
    },
    /// Print the JSON Schema of the model format, for editor completion and checking.
    Schema,
    // --- rules commands (gambit-rules): analyze, check, rules ---
    /// Find the threats in a model, rated and explained, grouped by severity.
    Analyze(AnalyzeArgs),
    /// The CI gate: exit 1 when an open threat is at or above a severity (default high).
    Check(CheckArgs),
    /// The rule catalog: `list` (default) or `explain RULE`.
    Rules {
        #[command(subcommand)]
        command: Option<RulesCommand>,
    },
    // --- end rules commands ---
    // --- graph commands (gambit-graph): paths, exposure, blast-radius, chokepoints, tree ---
    /// The k best attack paths to each crown-jewel goal (or to one asset).
    Paths(PathsArgs),
    /// Which assets each attacker can read or write, with the shortest path's length.
    Exposure(ExposureArgs),
    /// All that an attacker with code execution on a component reaches.
    BlastRadius(BlastRadiusArgs),
    /// The smallest set of fixes that cuts every path to crown jewels.
    Chokepoints(ChokepointsArgs),
    /// The AND/OR attack tree of a goal, with its evaluated effort and likelihood.
    Tree(TreeArgs),
    // --- end graph commands ---
    // --- report commands (gambit-report): diagram, diff ---
    /// The data-flow diagram (DOT, Mermaid, or SVG laid out without Graphviz).
    Diagram(DiagramArgs),
    /// What changed between two versions of a model: threats, attack paths, exposure,
    /// choke points.
    Diff(DiffArgs),
    /// Scanner findings matched to the model's components and ranked by whether they lie
    /// on an attack path to a crown jewel; unmatched ones listed with the reason.
    Findings(FindingsArgs),
    // --- end report commands ---
    /// Convert another tool's model (Threagile, Threat Dragon, pytm, OTM) to a Gambit model.
    Import(ImportArgs),
    /// Write the model in another format (Open Threat Model JSON).
    Export(ExportArgs),
    /// Write a model fragment from a Terraform plan or Kubernetes manifests, to include
    /// from a hand-written model.
    Discover(DiscoverArgs),
    /// What a model says that a Terraform plan or Kubernetes manifests contradict (exit 1),
    /// what exists but is not modelled, and what is modelled but gone. Elements match by id,
    /// by a comment or tag naming the resource, or by a name the resource goes by.
    Drift(DriftArgs),
    /// The team server: HTTP API, web UI, every model version with its analysis
    /// (docs/server.md).
    Serve(ServeArgs),
    /// API tokens for the server: create (printed once, stored hashed) or revoke.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Upload a model version to a server (for CI).
    Push(PushArgs),
}

/// The model to read, shared by every command that reads one.
#[derive(Args, Clone)]
pub(crate) struct ModelArg {
    /// Model file (YAML or JSON), or `-` for standard input.
    pub model: PathBuf,
    /// Largest model accepted, all included files together, in bytes (suffixes KiB, MiB, GiB).
    #[arg(long, value_name = "SIZE", default_value = "256MiB", value_parser = parse_size)]
    pub max_size: u64,
    /// Folder that included files must be inside (default: the model's own folder).
    #[arg(long, value_name = "DIR")]
    pub include_root: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DiagFormat {
    Text,
    Json,
}

/// Where a report goes, shared by the commands that can write a file.
#[derive(Args, Clone)]
pub(crate) struct OutputArg {
    /// Write to FILE (atomically) instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Options every threat-analysis command shares.
#[derive(Args, Clone)]
pub(crate) struct ThreatOptions {
    /// Custom rules to add: a YAML file with a top-level `rules:` list (see docs/custom-rules.md).
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// The date acceptances are checked against (default: today, UTC).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = gambit_rules::parse_date)]
    pub today: Option<Date>,
    #[command(flatten)]
    pub findings: FindingsFlags,
}

/// Attacker flags shared by the graph commands.
#[derive(Args, Clone)]
pub(crate) struct AttackerArgs {
    /// Who attacks: `internet`, `insider:ACTOR` or `compromised:COMPONENT` (repeatable;
    /// overrides the model's `attackers:`).
    #[arg(long = "attacker", value_name = "A")]
    pub attackers: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum AnalyzeFormat {
    /// Threats grouped by severity, then attack paths and choke points.
    Text,
    /// The report document of the CLI contract.
    Json,
    /// Compact, for a pull-request comment.
    Markdown,
    /// One self-contained page: risk matrix, diagram with clickable paths, threat table.
    Html,
    /// SARIF 2.1.0, each result at the line of the model element it concerns.
    Sarif,
    /// One row per threat, for issue trackers.
    Csv,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ScoringArg {
    /// Likelihood × impact only.
    Standard,
    /// Also five DREAD ratings per threat.
    Dread,
}

#[derive(Args, Clone)]
pub(crate) struct AnalyzeArgs {
    #[command(flatten)]
    pub model: ModelArg,
    #[arg(long, value_enum, default_value_t = AnalyzeFormat::Text)]
    pub format: AnalyzeFormat,
    /// Add scores: `dread` adds damage, reproducibility, exploitability, affected users
    /// and discoverability ratings to each threat.
    #[arg(long, value_enum, default_value_t = ScoringArg::Standard)]
    pub scoring: ScoringArg,
    #[command(flatten)]
    pub output: OutputArg,
    #[command(flatten)]
    pub threats: ThreatOptions,
    #[command(flatten)]
    pub attackers: AttackerArgs,
    /// Text format: say what would detect an attack under every threat, not once per
    /// target.
    #[arg(long)]
    pub verbose: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Level {
    Low,
    Medium,
    Elevated,
    High,
    Critical,
}

impl Level {
    pub fn severity(self) -> Severity {
        match self {
            Level::Low => Severity::Low,
            Level::Medium => Severity::Medium,
            Level::Elevated => Severity::Elevated,
            Level::High => Severity::High,
            Level::Critical => Severity::Critical,
        }
    }
}

#[derive(Args, Clone)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    pub model: ModelArg,
    /// Fail when an open threat is at or above this severity.
    #[arg(long, value_enum, default_value_t = Level::High)]
    pub fail_on: Level,
    /// Only threats new since this baseline fail: a JSON file written by
    /// `gambit analyze --format json` (new = not in it, reopened, or more severe).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    #[command(flatten)]
    pub threats: ThreatOptions,
}

#[derive(Subcommand, Clone)]
pub(crate) enum RulesCommand {
    /// One rule a line: id, STRIDE letters, summary.
    List {
        /// `json` prints every rule's metadata as one JSON array.
        #[arg(long, value_enum, default_value_t = PlainFormat::Text)]
        format: PlainFormat,
    },
    /// A rule's documentation: what it finds, why it matters, an example, how to fix.
    Explain {
        /// The rule id, e.g. `unencrypted-communication` (a threat id `RULE@TARGET` works too).
        rule: String,
    },
}

/// Formats of the graph commands that draw.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum GraphFormat {
    Text,
    Json,
    Dot,
    Mermaid,
}

/// Text for people or JSON for tools.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum PlainFormat {
    Text,
    Json,
}

#[derive(Args, Clone)]
pub(crate) struct PathsArgs {
    #[command(flatten)]
    pub model: ModelArg,
    #[command(flatten)]
    pub attackers: AttackerArgs,
    /// Only goals on this asset (read, write, admin on a component storing it).
    #[arg(long, value_name = "ASSET")]
    pub to: Option<String>,
    /// How many paths per goal.
    #[arg(short = 'k', default_value_t = 3, value_parser = at_least_one)]
    pub k: usize,
    #[arg(long, value_enum, default_value_t = GraphFormat::Text)]
    pub format: GraphFormat,
    #[command(flatten)]
    pub findings: FindingsFlags,
}

#[derive(Args, Clone)]
pub(crate) struct ExposureArgs {
    #[command(flatten)]
    pub model: ModelArg,
    #[command(flatten)]
    pub attackers: AttackerArgs,
    #[arg(long, value_enum, default_value_t = PlainFormat::Text)]
    pub format: PlainFormat,
    #[command(flatten)]
    pub findings: FindingsFlags,
}

#[derive(Args, Clone)]
pub(crate) struct BlastRadiusArgs {
    #[command(flatten)]
    pub model: ModelArg,
    /// The component the attacker executes code on.
    #[arg(required_unless_present = "vuln", conflicts_with = "vuln")]
    pub component: Option<String>,
    /// A vulnerability id (e.g. a CVE): every component where it is open is compromised.
    #[arg(long, value_name = "ID")]
    pub vuln: Option<String>,
    #[command(flatten)]
    pub findings: FindingsFlags,
    #[arg(long, value_enum, default_value_t = PlainFormat::Text)]
    pub format: PlainFormat,
}

#[derive(Args, Clone)]
pub(crate) struct ChokepointsArgs {
    #[command(flatten)]
    pub model: ModelArg,
    #[command(flatten)]
    pub attackers: AttackerArgs,
    #[arg(long, value_enum, default_value_t = PlainFormat::Text)]
    pub format: PlainFormat,
    #[command(flatten)]
    pub findings: FindingsFlags,
}

#[derive(Args, Clone)]
pub(crate) struct TreeArgs {
    #[command(flatten)]
    pub model: ModelArg,
    #[command(flatten)]
    pub attackers: AttackerArgs,
    /// The asset whose compromise is the root goal.
    #[arg(long, value_name = "ASSET")]
    pub goal: String,
    #[arg(long, value_enum, default_value_t = GraphFormat::Text)]
    pub format: GraphFormat,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DiagramFormat {
    Dot,
    Mermaid,
    Svg,
}

#[derive(Args, Clone)]
pub(crate) struct DiagramArgs {
    #[command(flatten)]
    pub model: ModelArg,
    /// Output format. Without it: from the -o file's extension (.svg, .dot/.gv,
    /// .mmd/.mermaid), else dot.
    #[arg(long, value_enum)]
    pub format: Option<DiagramFormat>,
    /// Draw only this zone (and its sub-zones), with the elements it exchanges flows
    /// with drawn faded: for large models.
    #[arg(long, value_name = "ZONE")]
    pub zone: Option<String>,
    /// Draw this zone (with its sub-zones) as one box with counts of what it holds
    /// (repeatable). Without it, an SVG of more than 150 components and actors collapses
    /// its largest zones until it draws at most 150 boxes (--no-collapse keeps them all).
    #[arg(long, value_name = "ZONE")]
    pub collapse: Vec<String>,
    /// Never collapse a zone on its own, however large the diagram.
    #[arg(long, conflicts_with = "collapse")]
    pub no_collapse: bool,
    /// Draw only this component or actor and what lies within --depth flows of it.
    #[arg(long, value_name = "C", conflicts_with_all = ["zone", "path_only"])]
    pub focus: Option<String>,
    /// With --focus: how many flows away to draw.
    #[arg(long, value_name = "N", default_value_t = 1, requires = "focus")]
    pub depth: usize,
    /// Highlight attack path N (1-based, in the order `gambit paths MODEL` lists them
    /// with the same --attacker flags):
    /// its components and flows in red, with numbered steps.
    #[arg(long, value_name = "N")]
    pub path: Option<usize>,
    /// With --path: draw only the path's components and actors.
    #[arg(long, requires = "path")]
    pub path_only: bool,
    /// With --path: the attackers whose paths are numbered, as for `gambit paths`.
    #[command(flatten)]
    pub attackers: AttackerArgs,
    #[command(flatten)]
    pub output: OutputArg,
}

#[derive(Args, Clone)]
pub(crate) struct DiffArgs {
    /// The old model; with --base, the model (compared with its version at GIT_REV).
    #[command(flatten)]
    pub old: ModelArg,
    /// The new model.
    #[arg(
        value_name = "NEW",
        required_unless_present = "base",
        conflicts_with = "base"
    )]
    pub new: Option<PathBuf>,
    /// Compare MODEL with its version at this git revision (branch, tag or commit).
    #[arg(long, value_name = "GIT_REV")]
    pub base: Option<String>,
    #[arg(long, value_enum, default_value_t = PlainFormat::Text)]
    pub format: PlainFormat,
    #[command(flatten)]
    pub threats: ThreatOptions,
}

pub(crate) fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (digits, unit) = s.split_at(split);
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{s}` is not a size; write e.g. 512MiB"))?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        other => return Err(format!("unknown size unit `{other}`; use KiB, MiB or GiB")),
    };
    n.checked_mul(factor)
        .ok_or_else(|| format!("`{s}` is too large"))
}

/// The store of `gambit serve` and `gambit token`.
#[derive(Args, Clone)]
pub(crate) struct DatabaseArg {
    /// A SQLite file (created if missing) or a `postgres://` URL.
    #[arg(
        long,
        value_name = "URL",
        default_value = "gambit.db",
        env = "GAMBIT_DATABASE"
    )]
    pub database: String,
}

#[derive(Args, Clone)]
pub(crate) struct ServeArgs {
    /// The address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:7878")]
    pub listen: std::net::SocketAddr,
    #[command(flatten)]
    pub database: DatabaseArg,
    /// The largest model accepted (suffixes KiB, MiB, GiB).
    #[arg(long, value_name = "SIZE", default_value = "256MiB", value_parser = parse_size)]
    pub max_size: u64,
    /// Requests per second per token (twice as many in a burst).
    #[arg(long, value_name = "N", default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..))]
    pub rate_limit: u32,
    /// An OpenAI-compatible endpoint (base URL) that translates questions the built-in
    /// parser does not understand; its key is read from GAMBIT_LLM_KEY. Off by default.
    #[arg(long, value_name = "URL", env = "GAMBIT_LLM_URL")]
    pub llm_url: Option<String>,
    /// The model name sent to --llm-url.
    #[arg(
        long,
        value_name = "NAME",
        default_value = "gpt-4o-mini",
        env = "GAMBIT_LLM_MODEL"
    )]
    pub llm_model: String,
}

#[derive(Subcommand, Clone)]
pub(crate) enum TokenCommand {
    /// Create a token and print it (the only time it is shown).
    Create {
        #[command(flatten)]
        database: DatabaseArg,
        /// A name for the token (who or what uses it); unique.
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Limit the token to this project.
        #[arg(long, value_name = "PROJECT")]
        project: Option<String>,
    },
    /// Revoke the token with this name.
    Revoke {
        #[command(flatten)]
        database: DatabaseArg,
        #[arg(long)]
        name: String,
    },
}

/// What a token may do.
#[derive(ValueEnum, Clone, Copy, Debug)]
pub(crate) enum RoleArg {
    /// Read projects, models, analyses; ask questions.
    Viewer,
    /// Also create projects, push models, record risk decisions.
    Editor,
    /// Also read the audit log.
    Admin,
}

#[derive(Args, Clone)]
pub(crate) struct PushArgs {
    /// The model file (YAML or JSON), sent with every file it includes; or `-` for one file
    /// on standard input.
    pub model: PathBuf,
    /// The server's base URL, e.g. https://gambit.example.com.
    #[arg(long, value_name = "URL", env = "GAMBIT_SERVER")]
    pub server: String,
    #[arg(long, value_name = "PROJECT", env = "GAMBIT_PROJECT")]
    pub project: String,
    /// An editor token (better given as GAMBIT_TOKEN, which process listings do not show).
    #[arg(
        long,
        value_name = "TOKEN",
        env = "GAMBIT_TOKEN",
        hide_env_values = true
    )]
    pub token: String,
    /// The commit the model comes from.
    #[arg(long, value_name = "SHA")]
    pub revision: Option<String>,
    /// Largest model sent, all included files together (suffixes KiB, MiB, GiB).
    #[arg(long, value_name = "SIZE", default_value = "256MiB", value_parser = parse_size)]
    pub max_size: u64,
    /// Folder that included files must be inside, and the root of the paths sent
    /// (default: the model's own folder).
    #[arg(long, value_name = "DIR")]
    pub include_root: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_take_binary_suffixes() {
        assert_eq!(parse_size("256MiB"), Ok(256 << 20));
        assert_eq!(parse_size("10"), Ok(10));
        assert_eq!(parse_size("1 GiB"), Ok(1 << 30));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("5 parsecs").is_err());
    }

    #[test]
    fn the_cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}

/// `-k` counts paths: zero would silently mean one.
fn at_least_one(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("give at least 1 path per goal".to_owned()),
        Ok(k) => Ok(k),
        Err(e) => Err(e.to_string()),
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ImportFormat {
    /// Threagile's YAML model.
    Threagile,
    /// OWASP Threat Dragon v2 JSON.
    ThreatDragon,
    /// OWASP pytm's JSON.
    Pytm,
    /// Open Threat Model JSON.
    Otm,
}

#[derive(Args, Clone)]
pub(crate) struct ImportArgs {
    /// The format of FILE.
    #[arg(value_enum)]
    pub format: ImportFormat,
    /// The model to convert, or `-` for standard input.
    pub file: PathBuf,
    #[command(flatten)]
    pub output: OutputArg,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ExportFormat {
    /// Open Threat Model 0.2.0 JSON.
    Otm,
}

#[derive(Args, Clone)]
pub(crate) struct ExportArgs {
    /// The format to write.
    #[arg(value_enum)]
    pub format: ExportFormat,
    #[command(flatten)]
    pub model: ModelArg,
    #[command(flatten)]
    pub output: OutputArg,
}

#[derive(Args, Clone)]
pub(crate) struct DiscoverArgs {
    #[command(subcommand)]
    pub source: DiscoverSource,
    /// Write the fragment here instead of to standard output.
    #[arg(short, long, global = true, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Subcommand, Clone)]
pub(crate) enum DiscoverSource {
    /// From the JSON of `terraform show -json PLANFILE` (AWS resources).
    Terraform {
        plan: PathBuf,
        /// Largest plan accepted, in bytes (suffixes KiB, MiB, GiB).
        #[arg(long, value_name = "SIZE", default_value = "256MiB", value_parser = parse_size)]
        max_size: u64,
    },
    /// From Kubernetes manifests: files or folders of YAML (also `helm template` and
    /// `kustomize build` output).
    Kubernetes {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

#[derive(Args, Clone)]
pub(crate) struct DriftArgs {
    #[command(flatten)]
    pub model: ModelArg,
    /// Compare with this Terraform plan (JSON of `terraform show -json`).
    #[arg(
        long,
        value_name = "PLAN",
        conflicts_with = "kubernetes",
        required_unless_present = "kubernetes"
    )]
    pub terraform: Option<PathBuf>,
    /// Compare with these Kubernetes manifests (files or folders).
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub kubernetes: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = PlainFormat::Text)]
    pub format: PlainFormat,
}

/// Scanner findings to add to the model (see docs/findings.md).
#[derive(Args, Clone, Default)]
pub(crate) struct FindingsFlags {
    /// A scanner's findings: SARIF 2.1.0, Trivy or Grype JSON, CycloneDX JSON with
    /// vulnerabilities, or OpenVEX (format detected from content; repeatable).
    #[arg(long = "findings", value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// CISA's known_exploited_vulnerabilities.json, for findings that do not say.
    #[arg(long, value_name = "FILE")]
    pub kev: Option<PathBuf>,
    /// FIRST's EPSS scores CSV, for findings that do not say.
    #[arg(long, value_name = "FILE")]
    pub epss: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FindingsFormat {
    /// The headline, then one line per finding, then the unmatched ones.
    Text,
    /// The document of the CLI contract: summary, findings, unmatched.
    Json,
    /// One row per finding, for spreadsheets and trackers.
    Csv,
    /// SARIF 2.1.0 for code scanning, the rank as level.
    Sarif,
}

#[derive(Args, Clone)]
pub(crate) struct FindingsArgs {
    #[command(flatten)]
    pub model: ModelArg,
    #[command(flatten)]
    pub findings: FindingsFlags,
    #[command(flatten)]
    pub attackers: AttackerArgs,
    #[arg(long, value_enum, default_value_t = FindingsFormat::Text)]
    pub format: FindingsFormat,
    #[command(flatten)]
    pub output: OutputArg,
}
