//! What discovery found: a model fragment (elements that say where they came from),
//! findings, and the resource types it skipped. [`Fragment::to_yaml`] writes the file a
//! hand-written model pulls in with `include:`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

/// A model fragment. Maps are keyed by element id, so output order is the id order and
/// the same input always gives the same bytes.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Fragment {
    /// What was read, for the header comment ("terraform plan plan.json").
    pub source: String,
    pub zones: BTreeMap<String, Zone>,
    pub assets: BTreeMap<String, Asset>,
    pub actors: BTreeMap<String, Actor>,
    pub components: BTreeMap<String, Component>,
    pub identities: BTreeMap<String, Identity>,
    /// Keyed by flow id (`from->to`, or an explicit id).
    pub flows: BTreeMap<String, Flow>,
    /// Facts the model language cannot say, or says and deserves a headline.
    pub findings: Vec<Finding>,
    /// Resource types with no mapping, each with the first address seen and a count.
    pub unknown_types: BTreeMap<String, Unknown>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Zone {
    /// The resource it came from.
    pub origin: String,
    pub kind: String,
    pub parent: Option<String>,
    pub isolated: bool,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Asset {
    pub origin: String,
    /// `credential` or `data`.
    pub kind: &'static str,
    /// For a credential: the identity it lets its holder act as.
    pub grants: Option<String>,
    pub description: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Actor {
    pub origin: String,
    pub kind: String,
    /// `untrusted` or `partner`.
    pub trust: &'static str,
    pub holds: BTreeSet<String>,
    pub description: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Component {
    pub origin: String,
    pub kind: String,
    pub zone: Option<String>,
    pub public: bool,
    pub managed: bool,
    pub stores: BTreeSet<String>,
    pub holds: BTreeSet<String>,
    pub runs_as: Option<String>,
    pub controls: BTreeSet<String>,
    pub software: Vec<Software>,
    pub encrypted_at_rest: Option<bool>,
    /// What it demands of every caller, when the infrastructure says (a STRICT mTLS mesh).
    pub authentication: Option<String>,
    pub tags: BTreeSet<String>,
    /// What else names it (the resource's name, identifier, `Name` tag, DNS names and
    /// endpoints; an object's name and `app` labels), lowercased: drift matches a
    /// hand-written element by these. Not written to the fragment.
    #[serde(skip)]
    pub names: BTreeSet<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Software {
    pub name: String,
    pub version: Option<String>,
    pub purl: String,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Identity {
    pub origin: String,
    pub kind: String,
    pub privileged: bool,
    /// target id → the strongest access granted on it.
    pub grants: BTreeMap<String, Access>,
}

/// Grant access, ordered so that the strongest of two is the larger. `assume` targets
/// identities and never competes with the others (a target is one kind of element).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Access {
    Read,
    Write,
    Admin,
    Assume,
}

impl Access {
    pub fn as_str(self) -> &'static str {
        match self {
            Access::Read => "read",
            Access::Write => "write",
            Access::Admin => "admin",
            Access::Assume => "assume",
        }
    }
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Flow {
    pub origin: String,
    pub from: String,
    pub to: String,
    pub protocol: Option<String>,
    /// Written when the protocol alone does not say (a port range, a host escape).
    pub encrypted: Option<bool>,
    /// Written only when the infrastructure says (IAM calls, a database's password, a
    /// mesh's mTLS, a Redis without AUTH). Left out, the flow states reach only and its
    /// target's own demand decides (docs/discover.md).
    pub authentication: Option<String>,
    pub code: bool,
}

/// A discovered fact worth a headline: a public admin port, a cluster-wide secret reader.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    /// A stable kebab-case code (documented in docs/discover.md).
    pub code: &'static str,
    /// The element id it is about.
    pub subject: String,
    /// The resource that shows it.
    pub origin: String,
    pub message: String,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Unknown {
    pub first: String,
    pub count: usize,
}

impl Fragment {
    pub fn new(source: impl Into<String>) -> Self {
        Fragment {
            source: source.into(),
            ..Fragment::default()
        }
    }

    /// Records a grant, keeping the strongest access per target.
    pub fn grant(&mut self, identity: &str, access: Access, target: &str) {
        if let Some(i) = self.identities.get_mut(identity) {
            let slot = i.grants.entry(target.to_owned()).or_insert(access);
            *slot = (*slot).max(access);
        }
    }

    pub fn flow(&mut self, flow: Flow) {
        let id = format!("{}->{}", flow.from, flow.to);
        if flow.from != flow.to {
            self.flows.entry(id).or_insert(flow);
        }
    }

    pub fn finding(&mut self, code: &'static str, subject: &str, origin: &str, message: String) {
        self.findings.push(Finding {
            code,
            subject: subject.to_owned(),
            origin: origin.to_owned(),
            message,
        });
    }

    pub fn unknown(&mut self, kind: &str, address: &str) {
        let u = self.unknown_types.entry(kind.to_owned()).or_default();
        if u.count == 0 {
            u.first = address.to_owned();
        }
        u.count += 1;
    }

    /// Drops references to elements that were never discovered (a role named by ARN in
    /// another stack), so the fragment always loads, and sorts the findings.
    pub fn finish(&mut self) {
        // Two resources can derive one id (addresses differing only in case or in `_` and
        // `-`, or an address that disagrees with its type, as fuzzing found): the first
        // section keeps it, so the fragment always loads.
        let mut seen = BTreeSet::new();
        self.zones.retain(|id, _| seen.insert(id.clone()));
        self.assets.retain(|id, _| seen.insert(id.clone()));
        self.actors.retain(|id, _| seen.insert(id.clone()));
        self.components.retain(|id, _| seen.insert(id.clone()));
        self.identities.retain(|id, _| seen.insert(id.clone()));
        let known: BTreeSet<String> = self.element_ids().map(str::to_owned).collect();
        for c in self.components.values_mut() {
            c.holds.retain(|h| known.contains(h));
            c.stores.retain(|s| known.contains(s));
            c.runs_as = c.runs_as.take().filter(|r| known.contains(r));
            c.zone = c.zone.take().filter(|z| known.contains(z));
        }
        for z in self.zones.values_mut() {
            z.parent = z.parent.take().filter(|p| known.contains(p));
        }
        for i in self.identities.values_mut() {
            i.grants.retain(|t, _| known.contains(t));
        }
        for a in self.assets.values_mut() {
            a.grants = a.grants.take().filter(|g| known.contains(g));
        }
        for a in self.actors.values_mut() {
            a.holds.retain(|h| known.contains(h));
        }
        self.flows
            .retain(|_, f| known.contains(&f.from) && known.contains(&f.to));
        self.findings.sort();
        self.findings.dedup();
    }

    pub fn element_ids(&self) -> impl Iterator<Item = &str> {
        self.zones
            .keys()
            .chain(self.assets.keys())
            .chain(self.actors.keys())
            .chain(self.components.keys())
            .chain(self.identities.keys())
            .map(String::as_str)
    }

    /// What discovery has to say beyond the fragment: findings, then skipped types.
    pub fn summary_text(&self) -> String {
        let mut out = format!(
            "Discovered {} components, {} zones, {} identities and {} flows from {}.\n",
            self.components.len(),
            self.zones.len(),
            self.identities.len(),
            self.flows.len(),
            self.source
        );
        for f in &self.findings {
            let _ = writeln!(out, "finding[{}] {}: {}", f.code, f.subject, f.message);
        }
        for (kind, u) in &self.unknown_types {
            let more = if u.count > 1 {
                format!(" and {} more", u.count - 1)
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "skipped[unknown-type] `{kind}` has no mapping yet: {}{more}",
                u.first
            );
        }
        out
    }

    /// The fragment as a model file marked `discovered: true`, every element under a
    /// comment naming the resource it came from.
    pub fn to_yaml(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# Discovered by `gambit discover` from {}.\n# Regenerate it rather than editing it: a hand-written element with the same id wins.",
            comment(&self.source)
        );
        out.push_str("gambit: 1\ndiscovered: true\n");
        section(&mut out, "zones", &self.zones, |z, o| {
            o.push(("kind", z.kind.clone()));
            opt(o, "parent", &z.parent);
            flag(o, "isolated", z.isolated);
            &z.origin
        });
        section(&mut out, "assets", &self.assets, |a, o| {
            o.push(("kind", a.kind.to_owned()));
            opt(o, "grants", &a.grants);
            if let Some(d) = &a.description {
                o.push(("description", quote(d)));
            }
            &a.origin
        });
        section(&mut out, "actors", &self.actors, |a, o| {
            o.push(("kind", a.kind.clone()));
            o.push(("trust", a.trust.to_owned()));
            list(o, "holds", a.holds.iter());
            if let Some(d) = &a.description {
                o.push(("description", quote(d)));
            }
            &a.origin
        });
        section(&mut out, "components", &self.components, component_keys);
        section(&mut out, "identities", &self.identities, |i, o| {
            o.push(("kind", i.kind.clone()));
            flag(o, "privileged", i.privileged);
            if !i.grants.is_empty() {
                let grants: Vec<String> = i
                    .grants
                    .iter()
                    .map(|(t, a)| format!("{{access: {}, target: {t}}}", a.as_str()))
                    .collect();
                o.push(("grants", format!("[{}]", grants.join(", "))));
            }
            &i.origin
        });
        if !self.flows.is_empty() {
            out.push_str("flows:\n");
            for f in self.flows.values() {
                let _ = writeln!(out, "  # {}", comment(&f.origin));
                let mut keys = vec![("from", f.from.clone()), ("to", f.to.clone())];
                opt(&mut keys, "protocol", &f.protocol);
                if let Some(e) = f.encrypted {
                    keys.push(("encrypted", e.to_string()));
                }
                opt(&mut keys, "authentication", &f.authentication);
                flag(&mut keys, "code", f.code);
                let _ = writeln!(out, "  - {}", inline(&keys));
            }
        }
        out
    }
}

type Keys = Vec<(&'static str, String)>;

fn component_keys<'a>(c: &'a Component, o: &mut Keys) -> &'a str {
    o.push(("kind", c.kind.clone()));
    opt(o, "zone", &c.zone);
    flag(o, "public", c.public);
    flag(o, "managed", c.managed);
    list(o, "stores", c.stores.iter());
    list(o, "holds", c.holds.iter());
    opt(o, "runs_as", &c.runs_as);
    list(o, "controls", c.controls.iter());
    if let Some(e) = c.encrypted_at_rest {
        o.push(("encrypted_at_rest", e.to_string()));
    }
    opt(o, "authentication", &c.authentication);
    if !c.software.is_empty() {
        let items: Vec<String> = c
            .software
            .iter()
            .map(|s| {
                let mut keys = vec![("name", quote(&s.name))];
                if let Some(v) = &s.version {
                    keys.push(("version", quote(v)));
                }
                keys.push(("purl", quote(&s.purl)));
                inline(&keys)
            })
            .collect();
        o.push(("software", format!("[{}]", items.join(", "))));
    }
    let tags: Vec<String> = c.tags.iter().map(|t| quote(t)).collect();
    if !tags.is_empty() {
        o.push(("tags", format!("[{}]", tags.join(", "))));
    }
    &c.origin
}

/// Writes one mapping section, an element per line under its origin comment.
fn section<T>(
    out: &mut String,
    name: &str,
    elements: &BTreeMap<String, T>,
    keys: impl for<'a> Fn(&'a T, &mut Keys) -> &'a str,
) {
    if elements.is_empty() {
        return;
    }
    let _ = writeln!(out, "{name}:");
    for (id, element) in elements {
        let mut o = Keys::new();
        let origin = keys(element, &mut o);
        let _ = writeln!(out, "  # {}", comment(origin));
        let _ = writeln!(out, "  {id}: {}", inline(&o));
    }
}

fn inline(keys: &Keys) -> String {
    let parts: Vec<String> = keys.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    format!("{{{}}}", parts.join(", "))
}

fn opt(o: &mut Keys, key: &'static str, value: &Option<String>) {
    if let Some(v) = value {
        o.push((key, v.clone()));
    }
}

fn flag(o: &mut Keys, key: &'static str, value: bool) {
    if value {
        o.push((key, "true".to_owned()));
    }
}

fn list<'a>(o: &mut Keys, key: &'static str, items: impl Iterator<Item = &'a String>) {
    let items: Vec<&str> = items.map(String::as_str).collect();
    if !items.is_empty() {
        o.push((key, format!("[{}]", items.join(", "))));
    }
}

/// Text made safe for a YAML comment: one line of printable characters (a resource
/// address with a DEL in it made the fragment unreadable, as fuzzing found).
fn comment(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{feff}' | '\u{fffe}' | '\u{ffff}') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// A double-quoted YAML string (JSON escaping is valid YAML).
fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}
