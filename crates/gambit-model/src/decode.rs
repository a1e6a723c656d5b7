//! Node tree to [`ast`](crate::ast) structs, collecting every error instead of stopping.
//!
//! Each struct is read through [`Fields`], which hands out the value of each key it is
//! asked for and, at [`Fields::finish`], reports every key nobody asked for as unknown,
//! with a suggestion among the keys that were asked for. Keys starting with `x-` are the
//! users' own and are skipped. A value of the wrong type is reported and treated as absent,
//! so one mistake never hides the next.

use foldhash::{HashMap, HashMapExt};

use crate::ast::*;
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::suggest;
use crate::vocab::Vocab;
use crate::yaml::{Node, NodeKind};

/// Mappings with at most this many keys are checked for repeated keys by a scan.
const SCANNED_KEYS: usize = 16;

pub(crate) struct Decoder<'d> {
    pub diags: &'d mut Vec<Diagnostic>,
}

/// The entries of one mapping, and which of them have been read.
pub(crate) struct Fields<'n> {
    what: &'static str,
    entries: Vec<(&'n str, Span, &'n Node<'n>)>,
    used: Vec<bool>,
    asked: Vec<&'static str>,
    pub span: Span,
}

impl<'n> Fields<'n> {
    pub fn get(&mut self, key: &'static str) -> Option<&'n Node<'n>> {
        self.asked.push(key);
        let i = self.entries.iter().position(|(k, ..)| *k == key)?;
        self.used[i] = true;
        Some(self.entries[i].2)
    }

    /// Reports the keys nobody read.
    pub fn finish(self, d: &mut Decoder<'_>) {
        for (i, (key, span, _)) in self.entries.iter().enumerate() {
            if self.used[i] || key.starts_with("x-") {
                continue;
            }
            let help =
                suggest::did_you_mean(key, self.asked.iter().copied()).unwrap_or_else(|| {
                    let mut known = self.asked.clone();
                    known.sort_unstable();
                    format!(
                        "{}; keys of your own start with `x-`",
                        suggest::one_of(&known)
                    )
                });
            d.diags.push(
                Diagnostic::error(
                    "unknown-key",
                    format!("unknown key `{key}` in {}", self.what),
                )
                .at(*span)
                .label("not a key of the model language")
                .help(help),
            );
        }
    }
}

impl Decoder<'_> {
    fn expected(&mut self, node: &Node, what: &str) {
        self.diags.push(
            Diagnostic::error(
                "invalid-type",
                format!("expected {what}, found {}", node.describe()),
            )
            .at(node.span)
            .label(format!("expected {what}")),
        );
    }

    pub fn missing(&mut self, span: Span, key: &str, what: &str) {
        self.diags.push(
            Diagnostic::error(
                "missing-key",
                format!("{what} is missing the required key `{key}`"),
            )
            .at(span)
            .label(format!("needs `{key}`")),
        );
    }

    /// A mapping's fields; null counts as an empty mapping. Duplicate keys are errors.
    pub fn map<'n>(&mut self, node: &'n Node<'n>, what: &'static str) -> Option<Fields<'n>> {
        let mut entries: Vec<(&str, Span, &Node<'_>)> = Vec::new();
        // Sections hold thousands of ids: find repeated keys through an index, not a scan.
        // An element's own few keys are faster scanned than hashed.
        let mut first_span: HashMap<&str, Span> = HashMap::new();
        match &node.kind {
            NodeKind::Map(pairs) => {
                let indexed = pairs.len() > SCANNED_KEYS;
                entries.reserve(pairs.len());
                for (k, v) in pairs.iter() {
                    let NodeKind::Scalar { text, .. } = &k.kind else {
                        self.expected(k, "a plain key");
                        continue;
                    };
                    let first = if indexed {
                        first_span.get(text.as_ref()).copied()
                    } else {
                        entries
                            .iter()
                            .find(|(key, ..)| *key == text.as_ref())
                            .map(|&(_, span, _)| span)
                    };
                    if let Some(first) = first {
                        self.diags.push(
                            Diagnostic::error(
                                "duplicate-key",
                                format!("key `{text}` is written twice in {what}"),
                            )
                            .at(k.span)
                            .label("written again here")
                            .related(first, "first written here"),
                        );
                        continue;
                    }
                    if indexed {
                        first_span.insert(text.as_ref(), k.span);
                    }
                    entries.push((text.as_ref(), k.span, v));
                }
            }
            _ if node.is_null() => {}
            _ => {
                self.expected(node, &format!("a mapping ({what})"));
                return None;
            }
        }
        let used = vec![false; entries.len()];
        Some(Fields {
            what,
            entries,
            used,
            asked: Vec::new(),
            span: node.span,
        })
    }

    fn scalar<'n>(&mut self, node: &'n Node<'_>, what: &str) -> Option<(&'n str, bool)> {
        match &node.kind {
            NodeKind::Scalar { text, plain } if !node.is_null() => Some((text.as_ref(), *plain)),
            _ => {
                self.expected(node, what);
                None
            }
        }
    }

    pub fn string(&mut self, node: &Node) -> Option<Spanned<String>> {
        let (text, _) = self.scalar(node, "a string")?;
        Some(Spanned {
            value: text.to_owned(),
            span: node.span,
        })
    }

    pub fn boolean(&mut self, node: &Node) -> Option<Spanned<bool>> {
        let (text, plain) = self.scalar(node, "`true` or `false`")?;
        let value = match (text, plain) {
            ("true" | "True" | "TRUE", true) => true,
            ("false" | "False" | "FALSE", true) => false,
            _ => {
                let note = if matches!(
                    text.to_ascii_lowercase().as_str(),
                    "yes" | "no" | "on" | "off" | "y" | "n"
                ) {
                    "; Gambit reads YAML 1.2, where only `true` and `false` are booleans"
                } else {
                    ""
                };
                self.diags.push(
                    Diagnostic::error(
                        "invalid-value",
                        format!("expected `true` or `false`, found `{text}`"),
                    )
                    .at(node.span)
                    .label("not a boolean")
                    .help(format!("write `true` or `false`{note}")),
                );
                return None;
            }
        };
        Some(Spanned {
            value,
            span: node.span,
        })
    }

    pub fn uint(&mut self, node: &Node) -> Option<Spanned<u64>> {
        let (text, plain) = self.scalar(node, "a whole number")?;
        match text.replace('_', "").parse::<u64>() {
            Ok(value) if plain => Some(Spanned {
                value,
                span: node.span,
            }),
            _ => {
                self.diags.push(
                    Diagnostic::error(
                        "invalid-value",
                        format!("expected a whole number, found `{text}`"),
                    )
                    .at(node.span)
                    .label("not a whole number"),
                );
                None
            }
        }
    }

    pub fn small(&mut self, node: &Node, max: u8) -> Option<Spanned<u8>> {
        let n = self.uint(node)?;
        match u8::try_from(n.value) {
            Ok(v) if v <= max => Some(Spanned {
                value: v,
                span: n.span,
            }),
            _ => {
                self.diags.push(
                    Diagnostic::error(
                        "invalid-value",
                        format!("expected a number from 0 to {max}, found {}", n.value),
                    )
                    .at(n.span)
                    .label("out of range"),
                );
                None
            }
        }
    }

    pub fn probability(&mut self, node: &Node) -> Option<Spanned<f64>> {
        let (text, plain) = self.scalar(node, "a number from 0 to 1")?;
        match text.parse::<f64>() {
            Ok(v) if plain && (0.0..=1.0).contains(&v) => Some(Spanned {
                value: v,
                span: node.span,
            }),
            _ => {
                self.diags.push(
                    Diagnostic::error(
                        "invalid-value",
                        format!("expected a probability from 0 to 1, found `{text}`"),
                    )
                    .at(node.span)
                    .label("not a number from 0 to 1"),
                );
                None
            }
        }
    }

    pub fn vocab<V: Vocab>(&mut self, node: &Node) -> Option<Spanned<V>> {
        let (text, _) = self.scalar(node, V::WHAT)?;
        if let Some(v) = V::parse(text) {
            return Some(Spanned {
                value: v,
                span: node.span,
            });
        }
        let help = match suggest::did_you_mean(text, V::NAMES.iter().copied()) {
            Some(dym) => format!("{dym} ({})", suggest::one_of(V::NAMES)),
            None => suggest::one_of(V::NAMES),
        };
        self.diags.push(
            Diagnostic::error("invalid-value", format!("unknown {} `{text}`", V::WHAT))
                .at(node.span)
                .label(format!("not {} {}", suggest::article(V::WHAT), V::WHAT))
                .help(help),
        );
        None
    }

    pub fn date(&mut self, node: &Node) -> Option<Spanned<Date>> {
        let (text, _) = self.scalar(node, "a date (YYYY-MM-DD)")?;
        match parse_date(text) {
            Some(value) => Some(Spanned {
                value,
                span: node.span,
            }),
            None => {
                self.diags.push(
                    Diagnostic::error(
                        "invalid-value",
                        format!("expected a date written YYYY-MM-DD, found `{text}`"),
                    )
                    .at(node.span)
                    .label("not a calendar date"),
                );
                None
            }
        }
    }

    /// A list, each item read by `item`; items that fail are left out.
    pub fn list<T>(
        &mut self,
        node: &Node,
        mut item: impl FnMut(&mut Self, &Node) -> Option<T>,
    ) -> Vec<T> {
        match &node.kind {
            NodeKind::Seq(items) => items.iter().filter_map(|n| item(self, n)).collect(),
            _ if node.is_null() => Vec::new(),
            _ => {
                self.expected(node, "a list");
                Vec::new()
            }
        }
    }

    pub fn strings(&mut self, node: &Node) -> Vec<Spanned<String>> {
        self.list(node, Self::string)
    }

    /// A mapping of element ids to elements.
    pub fn elements<T>(
        &mut self,
        node: &Node,
        what: &'static str,
        mut item: impl FnMut(&mut Self, &Node) -> Option<T>,
    ) -> Elements<T> {
        let mut out = Vec::new();
        let Some(fields) = self.map(node, what) else {
            return Elements(out);
        };
        for (key, span, value) in fields.entries {
            if !valid_id(key) {
                self.diags.push(
                    Diagnostic::error("invalid-id", format!("`{key}` is not a valid id"))
                        .at(span)
                        .label("ids match [a-z0-9][a-z0-9._-]*")
                        .help(format!("try `{}`", suggest_id(key))),
                );
                continue;
            }
            if let Some(v) = item(self, value) {
                out.push((
                    Spanned {
                        value: key.to_owned(),
                        span,
                    },
                    v,
                ));
            }
        }
        Elements(out)
    }
}

pub(crate) fn valid_id(id: &str) -> bool {
    let mut bytes = id.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z' | b'0'..=b'9'))
        && bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'.' | b'_' | b'-'))
}

fn suggest_id(id: &str) -> String {
    let s: String = id
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_start_matches(['.', '_', '-']).to_owned();
    if s.is_empty() { "my-id".to_owned() } else { s }
}

fn parse_date(text: &str) -> Option<Date> {
    Date::parse(text)
}

/// The one reading of dates, for the model (`expires:`) and the command line (`--today`).
impl Date {
    /// `YYYY-MM-DD` exactly (four digits of year, no sign, no time) and a real calendar
    /// date, which jiff checks.
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        let shape = bytes.len() == 10
            && bytes.iter().enumerate().all(|(i, b)| match i {
                4 | 7 => *b == b'-',
                _ => b.is_ascii_digit(),
            });
        if !shape {
            return None;
        }
        let date: jiff::civil::Date = text.parse().ok()?;
        Some(Date::from_civil(date))
    }

    /// Today in UTC, from the system clock.
    pub fn today_utc() -> Date {
        let now = jiff::tz::TimeZone::UTC.to_datetime(jiff::Timestamp::now());
        Date::from_civil(now.date())
    }

    fn from_civil(date: jiff::civil::Date) -> Date {
        Date {
            year: u16::try_from(date.year()).unwrap_or(0),
            month: u8::try_from(date.month()).unwrap_or(1),
            day: u8::try_from(date.day()).unwrap_or(1),
        }
    }
}

/// Reads a whole model file. The root must be a mapping.
pub(crate) fn model_file(d: &mut Decoder<'_>, root: &Node) -> ModelFile {
    let Some(mut f) = d.map(root, "the model") else {
        return ModelFile::default();
    };
    let file = ModelFile {
        // A `gambit:` whose value is not a number has its error already; reading it as 1
        // keeps the resolver from also saying the version is missing.
        gambit: f.get("gambit").map(|n| {
            d.uint(n).unwrap_or(Spanned {
                value: 1,
                span: n.span,
            })
        }),
        name: f.get("name").and_then(|n| d.string(n)),
        description: f.get("description").and_then(|n| d.string(n)),
        include: f.get("include").map(|n| d.strings(n)).unwrap_or_default(),
        discovered: f.get("discovered").and_then(|n| d.boolean(n)),
        assets: f
            .get("assets")
            .map(|n| d.elements(n, "the assets section", asset))
            .unwrap_or_default(),
        zones: f
            .get("zones")
            .map(|n| d.elements(n, "the zones section", zone))
            .unwrap_or_default(),
        actors: f
            .get("actors")
            .map(|n| d.elements(n, "the actors section", actor))
            .unwrap_or_default(),
        components: f
            .get("components")
            .map(|n| d.elements(n, "the components section", component))
            .unwrap_or_default(),
        identities: f
            .get("identities")
            .map(|n| d.elements(n, "the identities section", identity))
            .unwrap_or_default(),
        flows: f.get("flows").map(|n| d.list(n, flow)).unwrap_or_default(),
        controls: f
            .get("controls")
            .map(|n| d.elements(n, "the controls section", control))
            .unwrap_or_default(),
        attackers: f.get("attackers").map(|n| Spanned {
            value: d.strings(n),
            span: n.span,
        }),
        risks: f.get("risks").map(|n| d.list(n, risk)).unwrap_or_default(),
        rules: f.get("rules").map(|n| d.list(n, rule)).unwrap_or_default(),
    };
    f.finish(d);
    file
}

fn asset(d: &mut Decoder<'_>, node: &Node) -> Option<Asset> {
    let mut f = d.map(node, "an asset")?;
    let a = Asset {
        kind: f.get("kind").and_then(|n| d.vocab(n)),
        classification: f.get("classification").and_then(|n| d.vocab(n)),
        integrity: f.get("integrity").and_then(|n| d.vocab(n)),
        availability: f.get("availability").and_then(|n| d.vocab(n)),
        crown_jewel: f.get("crown_jewel").and_then(|n| d.boolean(n)),
        records: f.get("records").and_then(|n| d.uint(n)),
        grants: f.get("grants").and_then(|n| d.string(n)),
        tags: f.get("tags").map(|n| d.strings(n)).unwrap_or_default(),
        owner: f.get("owner").and_then(|n| d.string(n)),
        description: f.get("description").and_then(|n| d.string(n)),
    };
    f.finish(d);
    Some(a)
}

fn zone(d: &mut Decoder<'_>, node: &Node) -> Option<Zone> {
    let mut f = d.map(node, "a zone")?;
    let z = Zone {
        kind: f.get("kind").and_then(|n| d.string(n)),
        parent: f.get("parent").and_then(|n| d.string(n)),
        trust: f.get("trust").and_then(|n| d.vocab(n)),
        isolated: f.get("isolated").and_then(|n| d.boolean(n)),
        tags: f.get("tags").map(|n| d.strings(n)).unwrap_or_default(),
        description: f.get("description").and_then(|n| d.string(n)),
    };
    f.finish(d);
    Some(z)
}

fn actor(d: &mut Decoder<'_>, node: &Node) -> Option<Actor> {
    let mut f = d.map(node, "an actor")?;
    let a = Actor {
        kind: f.get("kind").and_then(|n| d.string(n)),
        zone: f.get("zone").and_then(|n| d.string(n)),
        trust: f.get("trust").and_then(|n| d.vocab(n)),
        mfa: f.get("mfa").and_then(|n| d.boolean(n)),
        holds: f.get("holds").map(|n| d.strings(n)).unwrap_or_default(),
        out_of_scope: f.get("out_of_scope").and_then(|n| d.boolean(n)),
        tags: f.get("tags").map(|n| d.strings(n)).unwrap_or_default(),
        description: f.get("description").and_then(|n| d.string(n)),
    };
    f.finish(d);
    Some(a)
}

fn component(d: &mut Decoder<'_>, node: &Node) -> Option<Component> {
    let mut f = d.map(node, "a component")?;
    let c = Component {
        kind: f.get("kind").and_then(|n| d.string(n)),
        zone: f.get("zone").and_then(|n| d.string(n)),
        public: f.get("public").and_then(|n| d.boolean(n)),
        stores: f.get("stores").map(|n| d.strings(n)).unwrap_or_default(),
        processes: f.get("processes").map(|n| d.strings(n)).unwrap_or_default(),
        holds: f.get("holds").map(|n| d.strings(n)).unwrap_or_default(),
        runs_as: f.get("runs_as").and_then(|n| d.string(n)),
        controls: f.get("controls").map(|n| d.strings(n)).unwrap_or_default(),
        software: f
            .get("software")
            .map(|n| d.list(n, software))
            .unwrap_or_default(),
        vulnerabilities: f
            .get("vulnerabilities")
            .map(|n| d.list(n, vulnerability))
            .unwrap_or_default(),
        artifacts: f
            .get("artifacts")
            .map(|n| d.list(n, artifact))
            .unwrap_or_default(),
        encrypted_at_rest: f.get("encrypted_at_rest").and_then(|n| d.boolean(n)),
        authentication: f.get("authentication").and_then(|n| d.vocab(n)),
        managed: f.get("managed").and_then(|n| d.boolean(n)),
        tags: f.get("tags").map(|n| d.strings(n)).unwrap_or_default(),
        owner: f.get("owner").and_then(|n| d.string(n)),
        out_of_scope: f.get("out_of_scope").and_then(|n| d.boolean(n)),
        description: f.get("description").and_then(|n| d.string(n)),
    };
    f.finish(d);
    Some(c)
}

fn software(d: &mut Decoder<'_>, node: &Node) -> Option<Software> {
    let mut f = d.map(node, "a software entry")?;
    let name = f.get("name").and_then(|n| d.string(n));
    let s = Software {
        name: name.clone().unwrap_or_default(),
        version: f.get("version").and_then(|n| d.string(n)),
        purl: f.get("purl").and_then(|n| d.string(n)),
        cpe: f.get("cpe").and_then(|n| d.string(n)),
    };
    if name.is_none() {
        d.missing(f.span, "name", "a software entry");
    }
    f.finish(d);
    name.map(|_| s)
}

fn artifact(d: &mut Decoder<'_>, node: &Node) -> Option<Artifact> {
    let mut f = d.map(node, "an artifact")?;
    let a = Artifact {
        image: f.get("image").and_then(|n| d.string(n)),
        repository: f.get("repository").and_then(|n| d.string(n)),
        path: f.get("path").and_then(|n| d.string(n)),
        package: f.get("package").and_then(|n| d.string(n)),
        span: f.span,
    };
    f.finish(d);
    Some(a)
}

fn vulnerability(d: &mut Decoder<'_>, node: &Node) -> Option<Vulnerability> {
    let mut f = d.map(node, "a vulnerability")?;
    let id = f.get("id").and_then(|n| d.string(n));
    let v = Vulnerability {
        id: id.clone().unwrap_or_default(),
        cvss: f.get("cvss").and_then(|n| d.string(n)),
        effect: f.get("effect").and_then(|n| d.vocab(n)),
        kev: f.get("kev").and_then(|n| d.boolean(n)),
        epss: f.get("epss").and_then(|n| d.probability(n)),
        status: f.get("status").and_then(|n| d.vocab(n)),
        description: f.get("description").and_then(|n| d.string(n)),
    };
    if id.is_none() {
        d.missing(f.span, "id", "a vulnerability");
    }
    f.finish(d);
    id.map(|_| v)
}

fn identity(d: &mut Decoder<'_>, node: &Node) -> Option<Identity> {
    let mut f = d.map(node, "an identity")?;
    let i = Identity {
        kind: f.get("kind").and_then(|n| d.string(n)),
        privileged: f.get("privileged").and_then(|n| d.boolean(n)),
        mfa: f.get("mfa").and_then(|n| d.boolean(n)),
        grants: f
            .get("grants")
            .map(|n| d.list(n, grant))
            .unwrap_or_default(),
        tags: f.get("tags").map(|n| d.strings(n)).unwrap_or_default(),
        description: f.get("description").and_then(|n| d.string(n)),
    };
    f.finish(d);
    Some(i)
}

fn grant(d: &mut Decoder<'_>, node: &Node) -> Option<Grant> {
    let mut f = d.map(node, "a grant")?;
    let access = f.get("access").and_then(|n| d.vocab(n));
    let target = f.get("target").and_then(|n| d.string(n));
    let required = f.get("required").and_then(|n| d.boolean(n));
    for (key, present) in [("access", access.is_some()), ("target", target.is_some())] {
        if !present && f.entries.iter().all(|(k, ..)| *k != key) {
            d.missing(f.span, key, "a grant");
        }
    }
    f.finish(d);
    Some(Grant {
        access: access?,
        target: target?,
        required,
    })
}

fn flow(d: &mut Decoder<'_>, node: &Node) -> Option<Flow> {
    let mut f = d.map(node, "a flow")?;
    let from = f.get("from").and_then(|n| d.string(n));
    let to = f.get("to").and_then(|n| d.string(n));
    let flow = Flow {
        id: f.get("id").and_then(|n| d.string(n)),
        from: from.clone().unwrap_or_default(),
        to: to.clone().unwrap_or_default(),
        protocol: f.get("protocol").and_then(|n| d.string(n)),
        encrypted: f.get("encrypted").and_then(|n| d.boolean(n)),
        authentication: f.get("authentication").and_then(|n| d.vocab(n)),
        authorization: f.get("authorization").and_then(|n| d.vocab(n)),
        credential: f.get("credential").and_then(|n| d.string(n)),
        data: f.get("data").map(|n| d.strings(n)).unwrap_or_default(),
        returns: f.get("returns").map(|n| d.strings(n)).unwrap_or_default(),
        code: f.get("code").and_then(|n| d.boolean(n)),
        controls: f.get("controls").map(|n| d.strings(n)).unwrap_or_default(),
        required: f.get("required").and_then(|n| d.boolean(n)),
        tags: f.get("tags").map(|n| d.strings(n)).unwrap_or_default(),
        description: f.get("description").and_then(|n| d.string(n)),
        span: f.span,
    };
    for (key, present) in [("from", from.is_some()), ("to", to.is_some())] {
        if !present && f.entries.iter().all(|(k, ..)| *k != key) {
            d.missing(f.span, key, "a flow");
        }
    }
    f.finish(d);
    (from.is_some() && to.is_some()).then_some(flow)
}

fn control(d: &mut Decoder<'_>, node: &Node) -> Option<ControlDef> {
    let mut f = d.map(node, "a control")?;
    let c = ControlDef {
        description: f.get("description").and_then(|n| d.string(n)),
        mitigates: f.get("mitigates").map(|n| d.strings(n)).unwrap_or_default(),
    };
    f.finish(d);
    Some(c)
}

fn risk(d: &mut Decoder<'_>, node: &Node) -> Option<Risk> {
    let mut f = d.map(node, "a risk decision")?;
    let threat = f.get("threat").and_then(|n| d.string(n));
    let r = Risk {
        threat: threat.clone().unwrap_or_default(),
        status: f.get("status").and_then(|n| d.vocab(n)),
        justification: f.get("justification").and_then(|n| d.string(n)),
        owner: f.get("owner").and_then(|n| d.string(n)),
        ticket: f.get("ticket").and_then(|n| d.string(n)),
        expires: f.get("expires").and_then(|n| d.date(n)),
        dread: f.get("dread").and_then(|n| dread(d, n)),
        span: f.span,
    };
    if threat.is_none() && f.entries.iter().all(|(k, ..)| *k != "threat") {
        d.missing(f.span, "threat", "a risk decision");
    }
    f.finish(d);
    threat.map(|_| r)
}

fn dread(d: &mut Decoder<'_>, node: &Node) -> Option<Dread> {
    let mut f = d.map(node, "DREAD ratings")?;
    let r = Dread {
        damage: f.get("damage").and_then(|n| d.small(n, 10)),
        reproducibility: f.get("reproducibility").and_then(|n| d.small(n, 10)),
        exploitability: f.get("exploitability").and_then(|n| d.small(n, 10)),
        affected_users: f.get("affected_users").and_then(|n| d.small(n, 10)),
        discoverability: f.get("discoverability").and_then(|n| d.small(n, 10)),
    };
    f.finish(d);
    Some(r)
}

fn rule(d: &mut Decoder<'_>, node: &Node) -> Option<CustomRule> {
    let mut f = d.map(node, "a custom rule")?;
    let id = f.get("id").and_then(|n| d.string(n));
    let title = f.get("title").and_then(|n| d.string(n));
    let description = f.get("description").and_then(|n| d.string(n));
    let applies_to = f.get("applies_to").and_then(|n| d.vocab(n));
    let when = f.get("when").and_then(|n| d.string(n));
    let stride = f
        .get("stride")
        .map(|n| d.list(n, Decoder::vocab))
        .unwrap_or_default();
    let likelihood = f.get("likelihood").and_then(|n| d.vocab(n));
    let impact = f.get("impact").and_then(|n| d.vocab(n));
    let mitigation = f.get("mitigation").and_then(|n| d.string(n));
    let cwe = f.get("cwe").map(|n| d.strings(n)).unwrap_or_default();
    for (key, present) in [
        ("id", id.is_some()),
        ("title", title.is_some()),
        ("applies_to", applies_to.is_some()),
        ("when", when.is_some()),
    ] {
        if !present && f.entries.iter().all(|(k, ..)| *k != key) {
            d.missing(f.span, key, "a custom rule");
        }
    }
    let span = f.span;
    f.finish(d);
    Some(CustomRule {
        id: id?,
        title: title?,
        description,
        applies_to: applies_to?,
        when: when?,
        stride,
        likelihood,
        impact,
        mitigation,
        cwe,
        span,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_calendar_dates() {
        assert_eq!(
            parse_date("2027-03-31"),
            Some(Date {
                year: 2027,
                month: 3,
                day: 31
            })
        );
        assert_eq!(parse_date("2028-02-29").map(|d| d.day), Some(29));
        assert_eq!(parse_date("2027-02-29"), None);
        assert_eq!(parse_date("2027-13-01"), None);
        assert_eq!(parse_date("27-03-31"), None);
    }

    #[test]
    fn ids_follow_the_pattern() {
        assert!(valid_id("web-1.api_v2"));
        assert!(!valid_id("Web"));
        assert!(!valid_id("-web"));
        assert!(!valid_id(""));
        assert_eq!(suggest_id("Web Server"), "web-server");
    }
}
