//! Drift: what the hand-written model says against what was discovered.
//!
//! A model element is matched to a discovered one (docs/discover.md, "Drift"), in order:
//! by id (discovered ids are stable, and a hand-written element overrides a discovered
//! one by using its id); by naming the resource in a comment on or just above its line
//! (`# aws_db_instance.main`, as the fragment writes them) or in a tag; or, for a
//! component, by name: its id (or the id's last dotted part) is one of the names the
//! resource goes by (its name in the configuration, `name`, `identifier`, the `Name`
//! tag, DNS names and endpoints; an object's name and `app` labels), the kinds are
//! alike (a database is not a queue), and exactly one resource fits. Four lists come out:
//! - contradictions: the model claims something the infrastructure does not do (a
//!   component it says is not public is reachable from the internet, in another zone than
//!   discovery put it, encrypted at rest when it is not, authenticated otherwise than the
//!   infrastructure says; an isolated zone is not; an identity it calls unprivileged has
//!   every permission; a component it says has `network-policy` is open);
//! - matched: model elements recognised under another id, and how;
//! - unmodelled: discovered elements, grants and flows the model does not have;
//! - gone: model elements whose id is in the discovery's id scheme but were not found.

use gambit_model::vocab::Control;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use gambit_model::{Endpoint, Model, SourceMap, Span};
use serde::Serialize;

use crate::fragment::{Access, Fragment};

#[derive(Clone, Debug, Default, Serialize)]
pub struct Drift {
    /// What was read ("the Terraform plan plan.json").
    pub source: String,
    pub contradictions: Vec<Item>,
    /// Model elements recognised as a discovered one under another id (the message says
    /// how); compared as that one.
    pub matched: Vec<Item>,
    pub unmodelled: Vec<Item>,
    pub gone: Vec<Item>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Item {
    /// The element (or flow) id.
    pub id: String,
    pub message: String,
    /// The resource that shows it, when discovered.
    pub origin: Option<String>,
}

impl Drift {
    /// Contradictions fail CI; the other lists inform.
    pub fn has_contradictions(&self) -> bool {
        !self.contradictions.is_empty()
    }

    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "Drift between the model and {}:", self.source);
        for (title, items) in [
            (
                "contradictions (the model says otherwise)",
                &self.contradictions,
            ),
            ("matched by name or source", &self.matched),
            ("exists but not modelled", &self.unmodelled),
            ("modelled but gone", &self.gone),
        ] {
            let _ = writeln!(out, "\n{title}: {}", items.len());
            for i in items {
                let _ = write!(out, "  {}: {}", i.id, i.message);
                if let Some(o) = &i.origin {
                    let _ = write!(out, " [{o}]");
                }
                out.push('\n');
            }
        }
        out
    }
}

/// Compares a resolved model with a fresh discovery. `claims` says which ids the
/// discovery would have produced (so a hand-written `web` is never "gone"); `sources`,
/// the model's files, lets a comment naming the resource match an element.
pub fn drift(
    model: &Model,
    found: &Fragment,
    claims: impl Fn(&str) -> bool,
    sources: Option<&SourceMap>,
) -> Drift {
    let mut d = Drift {
        source: found.source.clone(),
        ..Drift::default()
    };
    let m = Matching::new(model, found, sources);
    for (found_id, (model_id, how)) in &m.by_found {
        if found_id != model_id {
            d.matched.push(Item {
                id: model_id.clone(),
                message: format!("is `{found_id}` ({how})"),
                origin: origin_of(found, found_id).map(str::to_owned),
            });
        }
    }
    contradictions(model, found, &m, &mut d);
    unmodelled(model, found, &m, &mut d);
    let modelled = model
        .zones
        .iter()
        .filter(|z| !z.builtin)
        .map(|z| &z.id)
        .chain(model.components.iter().map(|c| &c.id))
        .chain(model.identities.iter().map(|i| &i.id));
    for id in modelled {
        if claims(id) && !m.matched_models.contains(id.as_str()) {
            d.gone.push(Item {
                id: id.clone(),
                message: "the model has it, but it was not found".to_owned(),
                origin: None,
            });
        }
    }
    d.contradictions.sort();
    d.matched.sort();
    d.unmodelled.sort();
    d.gone.sort();
    d
}

fn origin_of<'f>(found: &'f Fragment, id: &str) -> Option<&'f str> {
    found
        .components
        .get(id)
        .map(|c| c.origin.as_str())
        .or_else(|| found.zones.get(id).map(|z| z.origin.as_str()))
        .or_else(|| found.identities.get(id).map(|i| i.origin.as_str()))
}

/// What names a discovered element in a comment or tag: its origin without the file
/// (`aws_db_instance.main`, `Deployment shop/web`).
fn origin_head(origin: &str) -> &str {
    origin.split(" (").next().unwrap_or(origin).trim()
}

/// Which model element each discovered one is.
struct Matching {
    /// Discovered id → (model id, how it was matched).
    by_found: BTreeMap<String, (String, &'static str)>,
    matched_models: BTreeSet<String>,
}

impl Matching {
    fn new(model: &Model, found: &Fragment, sources: Option<&SourceMap>) -> Self {
        let mut m = Matching {
            by_found: BTreeMap::new(),
            matched_models: BTreeSet::new(),
        };
        let elements: Vec<(&str, Span, &[String], Option<&str>)> = model
            .zones
            .iter()
            .filter(|z| !z.builtin)
            .map(|z| (z.id.as_str(), z.span, z.tags.as_slice(), None))
            .chain(model.components.iter().map(|c| {
                (
                    c.id.as_str(),
                    c.span,
                    c.tags.as_slice(),
                    Some(c.kind.as_str()),
                )
            }))
            .chain(
                model
                    .identities
                    .iter()
                    .map(|i| (i.id.as_str(), i.span, &[][..], None)),
            )
            .collect();
        let found_ids: BTreeSet<&str> = found.element_ids().collect();
        for &(id, ..) in &elements {
            if found_ids.contains(id) {
                m.add(id, id, "same id");
            }
        }
        // Named in a comment or a tag: explicit, so it wins over a name that fits.
        let heads: Vec<(&str, &str)> = found_ids
            .iter()
            .filter_map(|&id| Some((id, origin_head(origin_of(found, id)?))))
            .filter(|(_, head)| !head.is_empty())
            .collect();
        for &(id, span, tags, _) in &elements {
            if m.matched_models.contains(id) {
                continue;
            }
            let comment = sources.map(|s| comment_near(s, span)).unwrap_or_default();
            let named: Vec<&str> = heads
                .iter()
                .filter(|(fid, head)| {
                    !m.by_found.contains_key(*fid)
                        && (names_in(&comment, head) || tags.iter().any(|t| t == head))
                })
                .map(|(fid, _)| *fid)
                .collect();
            if let [one] = named[..] {
                let how = if names_in(&comment, origin_head(origin_of(found, one).unwrap_or(""))) {
                    "named in its comment"
                } else {
                    "named in its tags"
                };
                m.add(one, id, how);
            }
        }
        for &(id, _, _, kind) in &elements {
            let Some(kind) = kind else { continue };
            if m.matched_models.contains(id) {
                continue;
            }
            let short = id.rsplit('.').next().unwrap_or(id);
            let fits: Vec<&str> = found
                .components
                .iter()
                .filter(|(fid, c)| {
                    !m.by_found.contains_key(fid.as_str())
                        && family(&c.kind) == family(kind)
                        && (c.names.contains(id) || c.names.contains(short))
                })
                .map(|(fid, _)| fid.as_str())
                .collect();
            if let [one] = fits[..] {
                m.add(one, id, "by name");
            }
        }
        m
    }

    fn add(&mut self, found: &str, model: &str, how: &'static str) {
        self.by_found
            .insert(found.to_owned(), (model.to_owned(), how));
        self.matched_models.insert(model.to_owned());
    }

    /// The model id a discovered id stands for (itself when unmatched).
    fn model_id<'a>(&'a self, found: &'a str) -> &'a str {
        self.by_found.get(found).map_or(found, |(m, _)| m.as_str())
    }

    /// The discovered id a model element was matched to.
    fn found_id(&self, model: &str) -> Option<&str> {
        self.by_found
            .iter()
            .find(|(_, (m, _))| m == model)
            .map(|(f, _)| f.as_str())
    }
}

/// Kinds alike enough to be the same thing under two names.
fn family(kind: &str) -> &str {
    match kind {
        "vm" | "container" | "function" | "service" | "api" | "web-app" | "worker" => "compute",
        "load-balancer" | "ingress" | "api-gateway" | "cdn" | "reverse-proxy" | "waf" => {
            "forwarding"
        }
        "queue" | "message-broker" => "queue",
        other => other,
    }
}

/// The comment on an element's line and the comment lines just above it.
fn comment_near(sources: &SourceMap, span: Span) -> String {
    if span == Span::default() || span.file.0 as usize >= sources.len() {
        return String::new();
    }
    let file = sources.get(span.file);
    let mut line = file.line_col(span.start).line;
    let text = |line: u32| &file.text[file.line_range(line)];
    let mut out = String::new();
    if let Some((_, c)) = text(line).split_once(" #") {
        out.push_str(c);
    }
    while line > 1 {
        line -= 1;
        match text(line).trim_start().strip_prefix('#') {
            Some(c) => {
                out.push('\n');
                out.push_str(c);
            }
            None => break,
        }
    }
    out
}

/// Does a comment name `head` as a whole (not `aws_db_instance.main2` for `…main`)?
fn names_in(comment: &str, head: &str) -> bool {
    let word =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '[' | ']' | '"' | '/');
    comment.match_indices(head).any(|(at, _)| {
        let before = comment[..at].chars().next_back();
        let after = comment[at + head.len()..].chars().next();
        !before.is_some_and(word) && !after.is_some_and(|c| word(c) && c != '.')
    })
}

fn contradictions(model: &Model, found: &Fragment, m: &Matching, d: &mut Drift) {
    let mut say = |id: &str, message: String, origin: &str| {
        d.contradictions.push(Item {
            id: id.to_owned(),
            message,
            origin: Some(origin.to_owned()),
        });
    };
    for c in &model.components {
        let Some(f) = m.found_id(&c.id).and_then(|f| found.components.get(f)) else {
            continue;
        };
        if f.public && !c.public {
            say(
                &c.id,
                format!(
                    "the model says `{}` is not public; it is reachable from the internet",
                    c.id
                ),
                &f.origin,
            );
        }
        if c.encrypted_at_rest && f.encrypted_at_rest == Some(false) {
            say(
                &c.id,
                format!("the model says `{}` is encrypted at rest; it is not", c.id),
                &f.origin,
            );
        }
        if c.has_control(Control::NetworkPolicy) && !f.controls.contains("network-policy") {
            say(
                &c.id,
                format!(
                    "the model says `{}` has network-policy; its network rules admit address ranges or nothing guards it",
                    c.id
                ),
                &f.origin,
            );
        }
        // Only a zone discovery knows is comparable; a zone of the model's own (`data`)
        // is an abstraction over the infrastructure, not a claim about it.
        let model_zone = &model[c.zone].id;
        if let Some(fz) = &f.zone
            && m.found_id(model_zone).is_some()
            && m.model_id(fz) != model_zone
        {
            say(
                &c.id,
                format!(
                    "the model puts `{}` in zone `{model_zone}`; it is in `{}`",
                    c.id,
                    m.model_id(fz)
                ),
                &f.origin,
            );
        }
        if let Some(fa) = &f.authentication
            && c.states_authentication()
            && c.authentication.to_string() != *fa
        {
            say(
                &c.id,
                format!(
                    "the model says `{}` demands {} of its callers; it demands {fa}",
                    c.id, c.authentication
                ),
                &f.origin,
            );
        }
    }
    flow_authentication(model, found, m, &mut say);
    for z in &model.zones {
        let Some(f) = m.found_id(&z.id).and_then(|f| found.zones.get(f)) else {
            continue;
        };
        if z.isolated && !f.isolated {
            say(
                &z.id,
                format!(
                    "the model says zone `{}` is isolated; its members can reach each other",
                    z.id
                ),
                &f.origin,
            );
        }
    }
    for i in &model.identities {
        let Some(f) = m.found_id(&i.id).and_then(|f| found.identities.get(f)) else {
            continue;
        };
        if f.privileged && !i.privileged {
            say(
                &i.id,
                format!(
                    "the model says `{}` is not privileged; it can give itself any permission or has them all",
                    i.id
                ),
                &f.origin,
            );
        }
    }
}

/// A flow whose authentication both sides state, differently (the model says the cache
/// takes a password; the plan's cache has no AUTH token).
fn flow_authentication(
    model: &Model,
    found: &Fragment,
    m: &Matching,
    say: &mut impl FnMut(&str, String, &str),
) {
    let mut written: BTreeMap<(&str, &str), Vec<(&str, String)>> = BTreeMap::new();
    for f in &model.flows {
        if let Some(a) = f.authentication_written
            && !f.authentication_unknown
        {
            written
                .entry((model.endpoint_name(f.from), model.endpoint_name(f.to)))
                .or_default()
                .push((f.id.as_str(), a.to_string()));
        }
    }
    for f in found.flows.values() {
        let Some(fa) = &f.authentication else {
            continue;
        };
        let ends = (m.model_id(&f.from), m.model_id(&f.to));
        for (id, a) in written.get(&ends).into_iter().flatten() {
            if a != fa {
                say(
                    id,
                    format!(
                        "the model says flow `{id}` authenticates with {a}; the infrastructure says {fa}"
                    ),
                    &f.origin,
                );
            }
        }
    }
}

fn unmodelled(model: &Model, found: &Fragment, m: &Matching, d: &mut Drift) {
    let mut add = |id: &str, message: String, origin: &str| {
        d.unmodelled.push(Item {
            id: id.to_owned(),
            message,
            origin: Some(origin.to_owned()),
        });
    };
    let known = |id: &str| model.lookup(m.model_id(id)).is_some();
    for (id, z) in &found.zones {
        if !known(id) {
            add(id, format!("zone ({})", z.kind), &z.origin);
        }
    }
    for (id, c) in &found.components {
        if !known(id) {
            add(
                id,
                format!(
                    "component ({}{})",
                    c.kind,
                    if c.public { ", public" } else { "" }
                ),
                &c.origin,
            );
        }
    }
    for (id, i) in &found.identities {
        let Some(mi) = model.identities.iter().find(|mi| mi.id == m.model_id(id)) else {
            add(id, format!("identity ({})", i.kind), &i.origin);
            continue;
        };
        for (target, access) in &i.grants {
            let target = m.model_id(target);
            let has = mi.grants.iter().any(|g| {
                let name = match g.target {
                    gambit_model::GrantTarget::Component(c) => &model[c].id,
                    gambit_model::GrantTarget::Identity(j) => &model[j].id,
                };
                name == target && grant_covers(&g.access.to_string(), *access)
            });
            if !has {
                add(
                    id,
                    format!("grant {} on `{target}`", access.as_str()),
                    &i.origin,
                );
            }
        }
    }
    let flows: BTreeSet<(String, String)> = model
        .flows
        .iter()
        .map(|f| (endpoint(model, f.from), endpoint(model, f.to)))
        .collect();
    for (id, f) in &found.flows {
        let (from, to) = (m.model_id(&f.from), m.model_id(&f.to));
        let both_modelled = model.lookup(from).is_some() && model.lookup(to).is_some();
        if both_modelled && !flows.contains(&(from.to_owned(), to.to_owned())) {
            add(id, "flow".to_owned(), &f.origin);
        }
    }
}

fn endpoint(model: &Model, e: Endpoint) -> String {
    model.endpoint_name(e).to_owned()
}

/// Does a model grant of `written` access cover a discovered one?
fn grant_covers(written: &str, found: Access) -> bool {
    match found {
        Access::Read => matches!(written, "read" | "write" | "admin"),
        Access::Write => matches!(written, "write" | "admin"),
        Access::Admin => written == "admin",
        Access::Assume => written == "assume",
    }
}
