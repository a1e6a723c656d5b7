//! The documented fields each kind of condition may read (docs/custom-rules.md).

use gambit_model::vocab::{RuleTarget, Vocab};

/// One documented field a condition may read.
pub struct Field {
    pub name: &'static str,
    pub doc: &'static str,
    /// The fields of a nested object (`flow.to.kind`).
    pub fields: Option<&'static [Field]>,
}

const fn leaf(name: &'static str, doc: &'static str) -> Field {
    Field {
        name,
        doc,
        fields: None,
    }
}

/// The fields of `flow.from` and `flow.to`.
pub const ENDPOINT_FIELDS: &[Field] = &[
    leaf("id", "the element id"),
    leaf("type", "`actor` or `component`"),
    leaf("kind", "the actor's or component's kind"),
    leaf("zone", "the zone id"),
    leaf("trust", "untrusted, partner, internal or restricted"),
    leaf("public", "a public component (false for actors)"),
    leaf("controls", "the component's controls (empty for actors)"),
];

pub const COMPONENT_FIELDS: &[Field] = &[
    leaf("id", "the component id"),
    leaf("kind", "web-app, api, database, llm-agent, ..."),
    leaf("zone", "the zone id"),
    leaf("zone_trust", "the zone's trust"),
    leaf("public", "reachable from the internet"),
    leaf(
        "exposure",
        "internet, partner, internal or restricted (derived from callers and zone)",
    ),
    leaf(
        "untrusted_input",
        "it handles content an attacker can shape (derived)",
    ),
    leaf("controls", "list of control ids"),
    leaf("stores", "asset ids kept at rest"),
    leaf("processes", "asset ids handled in memory"),
    leaf("holds", "credential asset ids present on it"),
    leaf(
        "classification",
        "the highest classification among stored and processed assets (`public` when none)",
    ),
    leaf("crown_jewel", "it stores or processes a crown-jewel asset"),
    leaf("runs_as", "identity id, or empty"),
    leaf("authentication", "what it demands of callers"),
    leaf("encrypted_at_rest", "bool"),
    leaf("tags", "list of tags"),
    leaf("owner", "owner, or empty"),
    leaf(
        "vulnerabilities",
        "list of {id, effect, kev, epss, score, status}",
    ),
    leaf("software", "list of {name, version, purl}"),
    leaf("flows_in", "number of inbound flows"),
    leaf("flows_out", "number of outbound flows"),
];

pub const FLOW_FIELDS: &[Field] = &[
    leaf("id", "the flow id (`from->to` by default)"),
    Field {
        name: "from",
        doc: "the sender: an endpoint object",
        fields: Some(ENDPOINT_FIELDS),
    },
    Field {
        name: "to",
        doc: "the receiver: an endpoint object",
        fields: Some(ENDPOINT_FIELDS),
    },
    leaf("protocol", "protocol, or empty"),
    leaf("encrypted", "bool"),
    leaf("authentication", "none, password, token, mtls, ..."),
    leaf(
        "authorization",
        "none, user, role, attribute, or empty when unsaid",
    ),
    leaf("credential", "credential asset id, or empty"),
    leaf("data", "asset ids sent"),
    leaf("returns", "asset ids received back"),
    leaf(
        "classification",
        "the highest classification carried either way (`public` when none)",
    ),
    leaf("code", "the receiver runs what it receives"),
    leaf("crosses_boundary", "the ends are in different zones"),
    leaf("tags", "list of tags"),
];

pub const ASSET_FIELDS: &[Field] = &[
    leaf("id", "the asset id"),
    leaf("kind", "data, credential, code or capability"),
    leaf(
        "classification",
        "public, internal, confidential or restricted",
    ),
    leaf("integrity", "low, medium, high or critical"),
    leaf("availability", "low, medium, high or critical"),
    leaf("crown_jewel", "bool"),
    leaf("records", "number of records (0 when unsaid)"),
    leaf("tags", "list of tags"),
    leaf("stored_by", "component ids"),
    leaf("processed_by", "component ids"),
    leaf("held_by", "actor and component ids"),
];

pub const ZONE_FIELDS: &[Field] = &[
    leaf("id", "the zone id"),
    leaf("kind", "network, cloud-account, ..."),
    leaf("parent", "parent zone id, or empty"),
    leaf("trust", "untrusted, partner, internal or restricted"),
    leaf("isolated", "bool"),
    leaf("tags", "list of tags"),
    leaf("components", "component ids placed in it"),
    leaf("actors", "actor ids placed in it"),
];

pub const ACTOR_FIELDS: &[Field] = &[
    leaf("id", "the actor id"),
    leaf("kind", "user, admin, developer, external-system, ..."),
    leaf("zone", "the zone id"),
    leaf("trust", "untrusted, partner, internal or restricted"),
    leaf("mfa", "bool"),
    leaf("human", "a person rather than a system (derived from kind)"),
    leaf("holds", "credential asset ids"),
    leaf("tags", "list of tags"),
];

pub const IDENTITY_FIELDS: &[Field] = &[
    leaf("id", "the identity id"),
    leaf("kind", "service-account, iam-role, ..."),
    leaf("privileged", "bool"),
    leaf("mfa", "bool"),
    leaf("grants", "list of {access, target}"),
    leaf("tags", "list of tags"),
    leaf("runs_on", "component ids running as it"),
    leaf("credentials", "credential asset ids granting it"),
];

/// The variable a target kind's condition reads, and its fields.
pub fn fields(target: RuleTarget) -> (&'static str, &'static [Field]) {
    match target {
        RuleTarget::Asset => ("asset", ASSET_FIELDS),
        RuleTarget::Zone => ("zone", ZONE_FIELDS),
        RuleTarget::Actor => ("actor", ACTOR_FIELDS),
        RuleTarget::Component => ("component", COMPONENT_FIELDS),
        RuleTarget::Identity => ("identity", IDENTITY_FIELDS),
        RuleTarget::Flow => ("flow", FLOW_FIELDS),
    }
}

/// The variable tables of docs/custom-rules.md, generated from [`fields`] so the
/// documentation never drifts from what conditions may read.
pub fn fields_markdown() -> String {
    use std::fmt::Write;
    let mut s = String::new();
    for target in RuleTarget::ALL {
        let (var, fields) = fields(*target);
        let _ = writeln!(
            s,
            "### `applies_to: {}`, variable `{var}`\n",
            target.as_str()
        );
        let _ = writeln!(s, "| field | meaning |\n|---|---|");
        for f in fields {
            let _ = writeln!(s, "| `{var}.{}` | {} |", f.name, f.doc);
            for sub in f.fields.unwrap_or_default() {
                let _ = writeln!(s, "| `{var}.{}.{}` | {} |", f.name, sub.name, sub.doc);
            }
        }
        s.push('\n');
    }
    s
}
