//! The model as written: one struct per section, every value with its span.
//!
//! These types mirror the YAML keys one to one (the field name is the key) and are the
//! source of the JSON Schema printed by `gambit schema`. They hold references as plain
//! strings; [`crate::resolve`] turns them into the indexed [`crate::Model`].

use schemars::JsonSchema;

use crate::source::Span;
use crate::vocab::{
    Access, AssetKind, Authentication, Authorization, Classification, Criticality, Effect, Impact,
    Likelihood, RiskStatus, RuleTarget, Stride, Trust, VulnStatus,
};

/// A value and where it was written.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T: JsonSchema> JsonSchema for Spanned<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
    fn inline_schema() -> bool {
        T::inline_schema()
    }
}

/// A section of elements keyed by id, in the order written.
#[derive(Clone, Debug, Default)]
pub struct Elements<T>(pub Vec<(Spanned<String>, T)>);

impl<T: JsonSchema> JsonSchema for Elements<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Elements_{}", T::schema_name()).into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let item = generator.subschema_for::<T>();
        schemars::json_schema!({
            "type": "object",
            "propertyNames": {"pattern": crate::ID_PATTERN},
            // `id:` with nothing after it is an element with every default.
            "additionalProperties": {"oneOf": [item, {"type": "null"}]},
        })
    }
}

/// A calendar date written `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "format": "date"})
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// One model file: a whole model, or a part joined with `include:`.
#[derive(Clone, Debug, Default, JsonSchema)]
#[schemars(title = "Gambit model", extend("patternProperties" = {"^x-": true}, "additionalProperties" = false))]
pub struct ModelFile {
    /// The format version; `1`.
    pub gambit: Option<Spanned<u64>>,
    pub name: Option<Spanned<String>>,
    pub description: Option<Spanned<String>>,
    /// Other model files to merge in, relative to this one.
    #[schemars(default)]
    pub include: Vec<Spanned<String>>,
    /// This file was written by `gambit discover`: an element or flow whose id a
    /// hand-written file also defines is dropped from it instead of being a duplicate.
    pub discovered: Option<Spanned<bool>>,
    /// What needs protection.
    #[schemars(default)]
    pub assets: Elements<Asset>,
    /// Trust boundaries; may nest. `internet` and `internal` always exist.
    #[schemars(default)]
    pub zones: Elements<Zone>,
    /// People and outside systems.
    #[schemars(default)]
    pub actors: Elements<Actor>,
    /// Technical assets.
    #[schemars(default)]
    pub components: Elements<Component>,
    /// Accounts and roles, and what they may do.
    #[schemars(default)]
    pub identities: Elements<Identity>,
    /// Who talks to whom, carrying what.
    #[schemars(default)]
    pub flows: Vec<Flow>,
    /// Controls declared by the team, beyond the built-in vocabulary.
    #[schemars(default)]
    pub controls: Elements<ControlDef>,
    /// Who attacks: `internet`, `insider:ACTOR`, `compromised:COMPONENT`. Default `[internet]`.
    pub attackers: Option<Spanned<Vec<Spanned<String>>>>,
    /// Decisions on findings.
    #[schemars(default)]
    pub risks: Vec<Risk>,
    /// Custom rules with CEL conditions.
    #[schemars(default)]
    pub rules: Vec<CustomRule>,
}

#[derive(Clone, Debug, Default, JsonSchema)]
#[schemars(extend("patternProperties" = {"^x-": true}, "additionalProperties" = false))]
pub struct Asset {
    pub kind: Option<Spanned<AssetKind>>,
    pub classification: Option<Spanned<Classification>>,
    pub integrity: Option<Spanned<Criticality>>,
    pub availability: Option<Spanned<Criticality>>,
    /// Default: true when classification is restricted or integrity critical.
    pub crown_jewel: Option<Spanned<bool>>,
    /// How many people or records are affected.
    pub records: Option<Spanned<u64>>,
    /// For a credential: the identity it lets its holder act as.
    pub grants: Option<Spanned<String>>,
    #[schemars(default)]
    pub tags: Vec<Spanned<String>>,
    pub owner: Option<Spanned<String>>,
    pub description: Option<Spanned<String>>,
}

#[derive(Clone, Debug, Default, JsonSchema)]
#[schemars(extend("patternProperties" = {"^x-": true}, "additionalProperties" = false))]
pub struct Zone {
    pub kind: Option<Spanned<String>>,
    pub parent: Option<Spanned<String>>,
    pub trust: Option<Spanned<Trust>>,
    /// Members cannot reach each other without a declared flow.
    pub isolated: Option<Spanned<bool>>,
    #[schemars(default)]
    pub tags: Vec<Spanned<String>>,
    pub description: Option<Spanned<String>>,
}

#[derive(Clone, Debug, Default, JsonSchema)]
#[schemars(extend("patternProperties" = {"^x-": true}, "additionalProperties" = false))]
pub struct Actor {
    pub kind: Option<Spanned<String>>,
    /// Default: `internet`.
    pub zone: Option<Spanned<String>>,
    /// Default: the trust of its zone.
    pub trust: Option<Spanned<Trust>>,
    pub mfa: Option<Spanned<bool>>,
    /// Credentials the actor knows.
    #[schemars(default)]
    pub holds: Vec<Spanned<String>>,
    pub out_of_scope: Option<Spanned<bool>>,
    #[schemars(default)]
    pub tags: Vec<Spanned<String>>,
    pub description: Option<Spanned<String>>,
}

#[derive(Clone, Debug, Default, JsonSchema)]
#[schemars(extend("patternProperties" = {"^x-": true}, "additionalProperties" = false))]
pub struct Component {
    pub kind: Option<Spanned<String>>,
    /// Default: `internal`.
    pub zone: Option<Spanned<String>>,
    /// Reachable from the internet.
    pub public: Option<Spanned<bool>>,
    /// Assets at rest here.
    #[schemars(default)]
    pub stores: Vec<Spanned<String>>,
    /// Assets in memory here.
    #[schemars(default)]
    pub processes: Vec<Spanned<String>>,
    /// Credentials present here (environment, configuration, disk).
    #[schemars(default)]
    pub holds: Vec<Spanned<String>>,
    /// The identity its code runs as.
    pub runs_as: Option<Spanned<String>>,
    #[schemars(default)]
    pub controls: Vec<Spanned<String>>,
    #[schemars(default)]
    pub software: Vec<Software>,
    #[schemars(default)]
    pub vulnerabilities: Vec<Vulnerability>,
    /// Where scanners see this component, so their findings land on it (docs/findings.md).
    #[schemars(default)]
    pub artifacts: Vec<Artifact>,
    pub encrypted_at_rest: Option<Spanned<bool>>,
    /// What it demands of callers. Default: derived from its inbound flows.
    pub authentication: Option<Spanned<Authentication>>,
    /// A provider runs it for you (a cloud database, a SaaS API, a managed queue).
    pub managed: Option<Spanned<bool>>,
    #[schemars(default)]
    pub tags: Vec<Spanned<String>>,
    pub owner: Option<Spanned<String>>,
    pub out_of_scope: Option<Spanned<bool>>,
    pub description: Option<Spanned<String>>,
}

#[derive(Clone, Debug, Default, JsonSchema)]
#[schemars(extend("patternProperties" = {"^x-": true}, "additionalProperties" = false))]
pub struct Software {
    pub name: Spanned<String>,
    pub version: Option<Spanned<String>>,
    pub purl: Option<Spanned<String>>,
    pub cpe: Option<Spanned<String>>,
}

/// One place a scanner sees a component; exactly one key.
#[derive(Clone, Debug, Default, JsonSchema)]
#[schemars(extend("patternProperties" = {"^x-": true}, "additionalProperties" = false, "minProperties" = 1))]
pub struct Artifact {
    /// A container image, `registry/repository`, optionally with `:tag` or `@sha256:digest`.
    pub image: Option<Spanned<String>>,
    /// A source repository, e.g. `github.com/acme/orders`.
    pub repository: Option<Spanned<String>>,
    /// A source path prefix, e.g. `services/orders/`, for SARIF artifact locations.
    pub path: Option<Spanned<String>>,
    /// A package URL (`pkg:npm/left-pad`, any version unless one is given) or a bare package name.
    pub package: Option<Spanned<String>>,
    #[schemars(skip)]
    pub span: Span,
}

#[derive(Clone, Debug, Default, JsonSchema)]
#[schemars(extend("patternProperties" = {"^x-": true}, "additionalProperties" = false))]
pub struct Vulnerability {
    pub id: Spanned<String>,
    /// A CVSS 3.0, 3.1 or 4.0 vector, e.g. `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H`.
    pub cvss: Option<Spanned<String>>,
    pub effect: Option<Spanned<Effect>>,
    /// Listed in CISA's Known Exploited Vulnerabilities catalog.
    pub kev: Option<Spanned<bool>>,
    /// EPSS probability of exploitation in the next 30 days, 0 to 1.
    pub epss: Option<Spanned<f64>>,
    pub status: Option<Spanned<VulnStatus>>,
    pub description: Option<Spanned<String>>,
}

#[derive(Clone, Debug, Default, JsonSchema)]
#[schemars(extend("patternProperties" = {"^x-": true}, "additionalProperties" = false))]
pub struct Identity {
    pub kind: Option<Spanned<String>>,
    pub privileged: Option<Spanned<bool>>,
    pub mfa: Option<Spanned<bool>>,
    #[schemars(default)]
    pub grants: Vec<Grant>,
    #[schemars(default)]
    pub tags: Vec<Spanned<String>>,
    pub description: Option<Spanned<String>>,
}

#[derive(Clone, Debug, JsonSchema)]
#[schemars(extend("patternProperties" = {"^x-": true}, "additionalProperties" = false))]
pub struct Grant {
    pub access: Spanned<Access>,
    /// A component (read, write, admin) or an identity (assume).
    pub target: Spanned<String>,
    /// The business needs this grant: choke points never propose removing it.
    pub required: Option<Spanned<bool>>,
}

#[derive(Clone, Debug, Default, JsonSchema)]
#[schemars(extend("patternProperties" = {"^x-": true}, "additionalProperties" = false))]
pub struct Flow {
    /// Default: `from->to`.
    pub id: Option<Spanned<String>>,
    pub from: Spanned<String>,
    pub to: Spanned<String>,
    pub protocol: Option<Spanned<String>>,
    /// Default: derived from the protocol and authentication.
    pub encrypted: Option<Spanned<bool>>,
    pub authentication: Option<Spanned<Authentication>>,
    pub authorization: Option<Spanned<Authorization>>,
    /// The credential asset used.
    pub credential: Option<Spanned<String>>,
    /// Assets sent.
    #[schemars(default)]
    pub data: Vec<Spanned<String>>,
    /// Assets received back.
    #[schemars(default)]
    pub returns: Vec<Spanned<String>>,
    /// The receiver runs what it receives.
    pub code: Option<Spanned<bool>>,
    /// Controls on this one call, e.g. `human-approval` on an agent's tool call.
    #[schemars(default)]
    pub controls: Vec<Spanned<String>>,
    /// The business needs this flow: choke points never propose removing it.
    pub required: Option<Spanned<bool>>,
    #[schemars(default)]
    pub tags: Vec<Spanned<String>>,
    pub description: Option<Spanned<String>>,
    #[schemars(skip)]
    pub span: Span,
}

#[derive(Clone, Debug, Default, JsonSchema)]
#[schemars(extend("patternProperties" = {"^x-": true}, "additionalProperties" = false))]
pub struct ControlDef {
    pub description: Option<Spanned<String>>,
    /// Rule ids (or threat ids) this control mitigates.
    #[schemars(default)]
    pub mitigates: Vec<Spanned<String>>,
}

#[derive(Clone, Debug, Default, JsonSchema)]
#[schemars(extend("patternProperties" = {"^x-": true}, "additionalProperties" = false))]
pub struct Risk {
    /// The threat id, `RULE@TARGET`.
    pub threat: Spanned<String>,
    pub status: Option<Spanned<RiskStatus>>,
    pub justification: Option<Spanned<String>>,
    pub owner: Option<Spanned<String>>,
    pub ticket: Option<Spanned<String>>,
    /// An acceptance past this date counts as open again.
    pub expires: Option<Spanned<Date>>,
    /// DREAD ratings (0 to 10) that override the derived ones.
    pub dread: Option<Dread>,
    #[schemars(skip)]
    pub span: Span,
}

#[derive(Clone, Debug, Default, JsonSchema)]
#[schemars(extend("patternProperties" = {"^x-": true}, "additionalProperties" = false))]
pub struct Dread {
    pub damage: Option<Spanned<u8>>,
    pub reproducibility: Option<Spanned<u8>>,
    pub exploitability: Option<Spanned<u8>>,
    pub affected_users: Option<Spanned<u8>>,
    pub discoverability: Option<Spanned<u8>>,
}

#[derive(Clone, Debug, JsonSchema)]
#[schemars(extend("patternProperties" = {"^x-": true}, "additionalProperties" = false))]
#[schemars(rename = "Rule")]
pub struct CustomRule {
    pub id: Spanned<String>,
    pub title: Spanned<String>,
    pub description: Option<Spanned<String>>,
    pub applies_to: Spanned<RuleTarget>,
    /// A CEL expression over the element (see docs/custom-rules.md).
    pub when: Spanned<String>,
    #[schemars(default)]
    pub stride: Vec<Spanned<Stride>>,
    pub likelihood: Option<Spanned<Likelihood>>,
    pub impact: Option<Spanned<Impact>>,
    pub mitigation: Option<Spanned<String>>,
    #[schemars(default)]
    pub cwe: Vec<Spanned<String>>,
    #[schemars(skip)]
    pub span: Span,
}
