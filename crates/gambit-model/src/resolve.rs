//! Checking and resolving: [`ast`](crate::ast) files to one indexed [`Model`].
//!
//! Every problem is collected; a model is returned only when there is no error, so
//! analysis never sees a dangling reference. The passes run in the order of the spec's
//! sections: ids, zones, assets and identities, actors and components, flows, then the
//! facts derived from all of them and the warnings about what is legal but suspicious.

// foldhash: seeded per process (no collision attacks on ids) and much faster than SipHash.
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use crate::ast::{self, ModelFile, Spanned};
use crate::cvss::CvssVector;
use crate::diagnostic::Diagnostic;
use crate::model::*;
use crate::source::{FileId, Span};
use crate::suggest;
mod effective;

use crate::vocab::{
    self, Access, ActorKind, AssetKind, Authentication, Classification, ComponentKind, Criticality,
    Effect, IdentityKind, Impact, Likelihood, RiskStatus, Trust, Vocab, VulnStatus, ZoneKind,
};

/// What a reference must point at.
#[derive(Clone, Copy, PartialEq)]
enum Want {
    Asset,
    Credential,
    Zone,
    Identity,
    Component,
    Endpoint,
}

impl Want {
    fn noun(self) -> &'static str {
        match self {
            Want::Asset => "asset",
            Want::Credential => "credential",
            Want::Zone => "zone",
            Want::Identity => "identity",
            Want::Component => "component",
            Want::Endpoint => "actor or component",
        }
    }
}

struct Resolver<'a> {
    diags: &'a mut Vec<Diagnostic>,
    ids: HashMap<String, ElementId>,
    spans: HashMap<String, Span>,
    /// Which assets are credentials, by asset index.
    credential: Vec<bool>,
    /// Ids defined more than once: the duplicate-id error is the one error about them, so
    /// references to them raise no wrong-kind error (one mistake, one error).
    duplicated: HashSet<String>,
}

/// Resolves the files of one model (the root first) into a [`Model`].
pub(crate) fn resolve(
    files: Vec<(FileId, ModelFile)>,
    digest: String,
    diags: &mut Vec<Diagnostic>,
) -> Option<Model> {
    let errors_before = diags.iter().filter(|d| d.is_error()).count();
    let mut r = Resolver {
        diags,
        ids: HashMap::new(),
        spans: HashMap::new(),
        credential: Vec::new(),
        duplicated: Default::default(),
    };
    let merged = r.merge(files);
    let model = r.build(merged, digest);
    let errors_after = r.diags.iter().filter(|d| d.is_error()).count();
    (errors_after == errors_before).then_some(model)
}

/// All files' sections joined.
#[derive(Default)]
struct Merged {
    name: Option<Spanned<String>>,
    description: Option<Spanned<String>>,
    assets: Vec<(Spanned<String>, ast::Asset)>,
    zones: Vec<(Spanned<String>, ast::Zone)>,
    actors: Vec<(Spanned<String>, ast::Actor)>,
    components: Vec<(Spanned<String>, ast::Component)>,
    identities: Vec<(Spanned<String>, ast::Identity)>,
    flows: Vec<ast::Flow>,
    /// Files marked `discovered: true`: their flows may leave authentication unsaid.
    discovered_files: HashSet<FileId>,
    controls: Vec<(Spanned<String>, ast::ControlDef)>,
    attackers: Option<Spanned<Vec<Spanned<String>>>>,
    risks: Vec<ast::Risk>,
    rules: Vec<ast::CustomRule>,
}

impl Resolver<'_> {
    fn error(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn set_once<T>(&mut self, slot: &mut Option<Spanned<T>>, value: Option<Spanned<T>>, key: &str) {
        let Some(value) = value else { return };
        match slot {
            Some(first) => self.error(
                Diagnostic::error(
                    "duplicate-key",
                    format!("`{key}` is set in more than one model file"),
                )
                .at(value.span)
                .label("set again here")
                .related(first.span, "first set here"),
            ),
            None => *slot = Some(value),
        }
    }

    fn merge(&mut self, files: Vec<(FileId, ModelFile)>) -> Merged {
        let mut m = Merged::default();
        // Only a discovered file needs to know the hand-written ids.
        let hand_written = files
            .iter()
            .any(|(_, f)| is_discovered(f))
            .then(|| HandWritten::of(&files));
        for (i, (file, mut f)) in files.into_iter().enumerate() {
            if let Some(hand_written) = &hand_written
                && is_discovered(&f)
            {
                hand_written.drop_overridden(&mut f);
                m.discovered_files.insert(file);
            }
            if let Some(v) = &f.gambit
                && v.value != 1
            {
                self.error(
                    Diagnostic::error(
                        "unsupported-version",
                        format!(
                            "this Gambit reads format `gambit: 1`, not `gambit: {}`",
                            v.value
                        ),
                    )
                    .at(v.span)
                    .label("unsupported format version"),
                );
            }
            if i == 0 && f.gambit.is_none() {
                self.error(
                    Diagnostic::warning("missing-version", "the model does not say its format version")
                        .help("add `gambit: 1` at the top, so a future format can never change its meaning"),
                );
            }
            self.set_once(&mut m.name, f.name, "name");
            self.set_once(&mut m.description, f.description, "description");
            self.set_once(&mut m.attackers, f.attackers, "attackers");
            m.assets.extend(f.assets.0);
            m.zones.extend(f.zones.0);
            m.actors.extend(f.actors.0);
            m.components.extend(f.components.0);
            m.identities.extend(f.identities.0);
            m.flows.extend(f.flows);
            m.controls.extend(f.controls.0);
            m.risks.extend(f.risks);
            m.rules.extend(f.rules);
        }
        m
    }

    /// Claims an id in the one namespace; a second claim is an error naming both places.
    fn declare(&mut self, id: &Spanned<String>, element: ElementId) -> bool {
        if let Some(&first) = self.spans.get(&id.value) {
            let mut d = Diagnostic::error(
                "duplicate-id",
                format!("`{}` is defined twice", id.value),
            )
            .at(id.span)
            .label("defined again here")
            .help("ids are one namespace across assets, zones, actors, components and identities");
            d = if first == Span::default() {
                d.help(format!("`{}` is a built-in zone", id.value))
            } else {
                d.related(first, "first defined here")
            };
            self.error(d);
            self.duplicated.insert(id.value.clone());
            return false;
        }
        self.ids.insert(id.value.clone(), element);
        self.spans.insert(id.value.clone(), id.span);
        true
    }

    /// Declares a section's ids and keeps the elements whose id was free.
    fn declare_all<T>(
        &mut self,
        list: Vec<(Spanned<String>, T)>,
        make: impl Fn(usize) -> ElementId,
    ) -> Vec<(Spanned<String>, T)> {
        let mut kept = Vec::with_capacity(list.len());
        for (id, element) in list {
            if self.declare(&id, make(kept.len())) {
                kept.push((id, element));
            }
        }
        kept
    }

    fn lookup(&mut self, r: &Spanned<String>, want: Want) -> Option<ElementId> {
        let found = self.ids.get(&r.value).copied();
        let fits = |e: ElementId, cred: &[bool]| match (want, e) {
            (Want::Asset, ElementId::Asset(_)) => true,
            (Want::Credential, ElementId::Asset(a)) => cred[a.index()],
            (Want::Zone, ElementId::Zone(_)) => true,
            (Want::Identity, ElementId::Identity(_)) => true,
            (Want::Component | Want::Endpoint, ElementId::Component(_)) => true,
            (Want::Endpoint, ElementId::Actor(_)) => true,
            _ => false,
        };
        match found {
            Some(e) if fits(e, &self.credential) => Some(e),
            Some(_) if self.duplicated.contains(&r.value) => None,
            Some(e) => {
                let message = if matches!(e, ElementId::Asset(_)) && want == Want::Credential {
                    format!("`{}` is an asset that is not a credential", r.value)
                } else {
                    format!(
                        "`{}` is {} {}, not {} {}",
                        r.value,
                        article(e.kind_name()),
                        e.kind_name(),
                        article(want.noun()),
                        want.noun()
                    )
                };
                let mut d = Diagnostic::error("wrong-kind", message)
                    .at(r.span)
                    .label(format!("expected {} {}", article(want.noun()), want.noun()));
                if want == Want::Credential && matches!(e, ElementId::Asset(_)) {
                    d = d.help(format!(
                        "declare it with `kind: credential` if `{}` is a secret",
                        r.value
                    ));
                }
                if let Some(&def) = self.spans.get(&r.value)
                    && def != Span::default()
                {
                    d = d.related(def, "defined here");
                }
                self.error(d);
                None
            }
            None => {
                let cred = &self.credential;
                let candidates = self
                    .ids
                    .iter()
                    .filter(|(_, e)| fits(**e, cred))
                    .map(|(k, _)| k.as_str());
                let help = suggest::did_you_mean(&r.value, candidates);
                let d = Diagnostic::error(
                    "unknown-reference",
                    format!("unknown {} `{}`", want.noun(), r.value),
                )
                .at(r.span)
                .label(format!("no {} has this id", want.noun()))
                .maybe_help(help);
                self.error(d);
                None
            }
        }
    }

    fn asset(&mut self, r: &Spanned<String>, want: Want) -> Option<AssetId> {
        match self.lookup(r, want)? {
            ElementId::Asset(a) => Some(a),
            _ => None,
        }
    }

    fn assets(&mut self, list: &[Spanned<String>], want: Want) -> Vec<AssetId> {
        let mut out: Vec<AssetId> = list.iter().filter_map(|r| self.asset(r, want)).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    fn zone(&mut self, r: Option<&Spanned<String>>, default: ZoneId) -> ZoneId {
        match r.map(|r| self.lookup(r, Want::Zone)) {
            Some(Some(ElementId::Zone(z))) => z,
            _ => default,
        }
    }

    fn identity(&mut self, r: &Spanned<String>) -> Option<IdentityId> {
        match self.lookup(r, Want::Identity)? {
            ElementId::Identity(i) => Some(i),
            _ => None,
        }
    }

    fn endpoint(&mut self, r: &Spanned<String>) -> Option<Endpoint> {
        match self.lookup(r, Want::Endpoint)? {
            ElementId::Actor(a) => Some(Endpoint::Actor(a)),
            ElementId::Component(c) => Some(Endpoint::Component(c)),
            _ => None,
        }
    }

    fn kind<V: Vocab>(
        &mut self,
        kind: Option<&Spanned<String>>,
        default: V,
        what: &str,
    ) -> Kind<V> {
        let known = V::NAMES;
        let Some(k) = kind else {
            return Kind::new(default.as_str());
        };
        if !known.contains(&k.value.as_str()) {
            let d = Diagnostic::warning(
                "unknown-kind",
                format!(
                    "`{}` is not {} {what} kind Gambit knows",
                    k.value,
                    article(what)
                ),
            )
            .at(k.span)
            .label("analysis gives this kind no special meaning")
            .maybe_help(suggest::did_you_mean(&k.value, known.iter().copied()));
            self.diags.push(d);
        }
        Kind::new(k.value.clone())
    }

    fn build(&mut self, mut m: Merged, digest: String) -> Model {
        // Ids first, so references may point forward.
        let declared = self.declare_ids(&mut m);
        let mut zones = self.build_zones(&declared.zones);
        let mut assets = self.build_assets(&declared.assets);
        // Identities' grants resolve against components and identities, declared above.
        let mut identities = self.build_identities(&declared.identities);
        let declared_controls: Vec<String> =
            m.controls.iter().map(|(id, _)| id.value.clone()).collect();
        let mut actors = self.build_actors(&declared.actors, &zones);
        let mut components = self.build_components(&declared.components, &declared_controls);
        let mut flows = self.flows(&m.flows, &m.discovered_files, &declared_controls);
        let controls = control_defs(&m.controls);
        link(
            &mut zones,
            &mut assets,
            &mut identities,
            &mut actors,
            &mut components,
            &flows,
        );
        derive_authentication(&mut components, &flows);
        effective::derive(&mut components, &mut flows);
        let mut model = Model {
            name: m
                .name
                .map_or_else(|| "Unnamed model".to_owned(), |n| n.value),
            description: m.description.map(|d| d.value),
            digest,
            assets,
            zones,
            actors,
            components,
            identities,
            flows,
            controls,
            attackers: Vec::new(),
            risks: m.risks.iter().map(risk).collect(),
            rules: Vec::new(),
            ids: std::mem::take(&mut self.ids),
        };
        model.attackers = self.attackers(m.attackers.as_ref(), &model);
        model.rules = self.rules(&m.rules);
        self.check_risks(&model);
        // Judging a broken model's shape would mislead (a misspelt `classification` would
        // also report "no crown jewel"), so these warnings wait until the errors are fixed.
        if !self.diags.iter().any(Diagnostic::is_error) {
            self.warn_suspicious(&model);
        }
        model
    }

    /// Claims the ids of every section (the built-in zones first) and keeps the elements
    /// whose id was free; notes which assets are credentials.
    fn declare_ids(&mut self, m: &mut Merged) -> Declared {
        for (i, (id, _)) in BUILTIN_ZONES.iter().enumerate() {
            self.ids.insert((*id).to_owned(), ElementId::Zone(id_of(i)));
            self.spans.insert((*id).to_owned(), Span::default());
        }
        let zone_base = BUILTIN_ZONES.len();
        let declared = Declared {
            zones: self.declare_all(std::mem::take(&mut m.zones), |n| {
                ElementId::Zone(id_of(zone_base + n))
            }),
            assets: self.declare_all(std::mem::take(&mut m.assets), |n| {
                ElementId::Asset(id_of(n))
            }),
            actors: self.declare_all(std::mem::take(&mut m.actors), |n| {
                ElementId::Actor(id_of(n))
            }),
            components: self.declare_all(std::mem::take(&mut m.components), |n| {
                ElementId::Component(id_of(n))
            }),
            identities: self.declare_all(std::mem::take(&mut m.identities), |n| {
                ElementId::Identity(id_of(n))
            }),
        };
        self.credential = declared
            .assets
            .iter()
            .map(|(_, a)| {
                a.kind
                    .as_ref()
                    .is_some_and(|k| k.value == AssetKind::Credential)
            })
            .collect();
        declared
    }

    /// The built-in zones, then the model's, with parent cycles reported and cut.
    fn build_zones(&mut self, declared: &[(Spanned<String>, ast::Zone)]) -> Vec<Zone> {
        let mut zones: Vec<Zone> = BUILTIN_ZONES
            .iter()
            .map(|&(id, trust)| builtin_zone(id, trust))
            .collect();
        let mut parent_spans = vec![None; zones.len()];
        for (id, z) in declared {
            let parent = z
                .parent
                .as_ref()
                .and_then(|p| match self.lookup(p, Want::Zone) {
                    Some(ElementId::Zone(pz)) => Some(pz),
                    _ => None,
                });
            parent_spans.push(z.parent.as_ref().map(|p| p.span));
            zones.push(Zone {
                id: id.value.clone(),
                span: id.span,
                kind: self.kind(z.kind.as_ref(), ZoneKind::Network, "zone"),
                parent,
                trust: z.trust.as_ref().map_or(Trust::Internal, |t| t.value),
                isolated: z.isolated.as_ref().is_some_and(|v| v.value),
                builtin: false,
                tags: strings(&z.tags),
                description: text(&z.description),
                children: Vec::new(),
                components: Vec::new(),
                actors: Vec::new(),
            });
        }
        self.break_zone_cycles(&mut zones, &parent_spans);
        zones
    }

    fn build_assets(&mut self, declared: &[(Spanned<String>, ast::Asset)]) -> Vec<Asset> {
        declared
            .iter()
            .map(|(id, a)| {
                let kind = a.kind.as_ref().map_or(AssetKind::Data, |k| k.value);
                let classification = a
                    .classification
                    .as_ref()
                    .map_or(Classification::Internal, |v| v.value);
                let integrity = a
                    .integrity
                    .as_ref()
                    .map_or(Criticality::Medium, |v| v.value);
                let grants = a.grants.as_ref().and_then(|g| {
                    if kind != AssetKind::Credential {
                        self.error(
                            Diagnostic::error(
                                "invalid-value",
                                format!(
                                    "`{}` grants an identity but is not a credential",
                                    id.value
                                ),
                            )
                            .at(g.span)
                            .label("only credentials grant identities")
                            .help("add `kind: credential` to the asset"),
                        );
                        return None;
                    }
                    self.identity(g)
                });
                Asset {
                    id: id.value.clone(),
                    span: id.span,
                    kind,
                    classification,
                    integrity,
                    availability: a
                        .availability
                        .as_ref()
                        .map_or(Criticality::Medium, |v| v.value),
                    crown_jewel: a.crown_jewel.as_ref().map_or(
                        classification == Classification::Restricted
                            || integrity == Criticality::Critical,
                        |v| v.value,
                    ),
                    records: a.records.as_ref().map(|v| v.value),
                    grants,
                    tags: strings(&a.tags),
                    owner: text(&a.owner),
                    description: text(&a.description),
                    stored_by: Vec::new(),
                    processed_by: Vec::new(),
                    held_by: Vec::new(),
                }
            })
            .collect()
    }

    fn build_identities(&mut self, declared: &[(Spanned<String>, ast::Identity)]) -> Vec<Identity> {
        declared
            .iter()
            .map(|(id, i)| Identity {
                id: id.value.clone(),
                span: id.span,
                kind: self.kind(i.kind.as_ref(), IdentityKind::ServiceAccount, "identity"),
                privileged: i.privileged.as_ref().is_some_and(|v| v.value),
                mfa: i.mfa.as_ref().is_some_and(|v| v.value),
                grants: i.grants.iter().filter_map(|g| self.grant(g)).collect(),
                tags: strings(&i.tags),
                description: text(&i.description),
                credentials: Vec::new(),
                runs_on: Vec::new(),
            })
            .collect()
    }

    fn build_actors(
        &mut self,
        declared: &[(Spanned<String>, ast::Actor)],
        zones: &[Zone],
    ) -> Vec<Actor> {
        declared
            .iter()
            .map(|(id, a)| {
                let zone = self.zone(a.zone.as_ref(), ZoneId(0));
                Actor {
                    id: id.value.clone(),
                    span: id.span,
                    kind: self.kind(a.kind.as_ref(), ActorKind::User, "actor"),
                    zone,
                    trust: a
                        .trust
                        .as_ref()
                        .map_or(zones[zone.index()].trust, |t| t.value),
                    mfa: a.mfa.as_ref().is_some_and(|v| v.value),
                    holds: self.assets(&a.holds, Want::Credential),
                    out_of_scope: a.out_of_scope.as_ref().is_some_and(|v| v.value),
                    tags: strings(&a.tags),
                    description: text(&a.description),
                    flows_out: Vec::new(),
                    flows_in: Vec::new(),
                }
            })
            .collect()
    }

    fn build_components(
        &mut self,
        declared: &[(Spanned<String>, ast::Component)],
        declared_controls: &[String],
    ) -> Vec<Component> {
        declared
            .iter()
            .map(|(id, c)| {
                let mut controls: Vec<String> = c
                    .controls
                    .iter()
                    .map(|s| {
                        self.check_control(s, declared_controls);
                        s.value.clone()
                    })
                    .collect();
                controls.sort_unstable();
                controls.dedup();
                Component {
                    id: id.value.clone(),
                    span: id.span,
                    kind: self.kind(c.kind.as_ref(), ComponentKind::Service, "component"),
                    zone: self.zone(c.zone.as_ref(), ZoneId(1)),
                    public: c.public.as_ref().is_some_and(|v| v.value),
                    stores: self.assets(&c.stores, Want::Asset),
                    processes: self.assets(&c.processes, Want::Asset),
                    holds: self.assets(&c.holds, Want::Credential),
                    runs_as: c.runs_as.as_ref().and_then(|r| self.identity(r)),
                    controls,
                    software: c
                        .software
                        .iter()
                        .map(|s| Software {
                            name: s.name.value.clone(),
                            version: text(&s.version),
                            purl: text(&s.purl),
                            cpe: text(&s.cpe),
                        })
                        .collect(),
                    vulnerabilities: c
                        .vulnerabilities
                        .iter()
                        .map(|v| self.vulnerability(v))
                        .collect(),
                    artifacts: c
                        .artifacts
                        .iter()
                        .filter_map(|a| self.artifact(a))
                        .collect(),
                    encrypted_at_rest: c.encrypted_at_rest.as_ref().is_some_and(|v| v.value),
                    authentication: c
                        .authentication
                        .as_ref()
                        .map_or(Authentication::None, |a| a.value),
                    authentication_derived: c.authentication.is_none(),
                    effective_authentication: Authentication::None,
                    managed: c.managed.as_ref().is_some_and(|v| v.value),
                    tags: strings(&c.tags),
                    owner: text(&c.owner),
                    out_of_scope: c.out_of_scope.as_ref().is_some_and(|v| v.value),
                    description: text(&c.description),
                    flows_out: Vec::new(),
                    flows_in: Vec::new(),
                }
            })
            .collect()
    }

    fn grant(&mut self, g: &ast::Grant) -> Option<Grant> {
        let target = match (
            g.access.value,
            self.lookup(
                &g.target,
                if g.access.value == Access::Assume {
                    Want::Identity
                } else {
                    Want::Component
                },
            )?,
        ) {
            (Access::Assume, ElementId::Identity(i)) => GrantTarget::Identity(i),
            (_, ElementId::Component(c)) => GrantTarget::Component(c),
            _ => return None,
        };
        Some(Grant {
            access: g.access.value,
            target,
            span: g.target.span,
            required: g.required.as_ref().is_some_and(|r| r.value),
        })
    }

    /// A protocol Gambit does not know counts as unencrypted; say so, since the truth is
    /// one `encrypted:` away.
    fn warn_unknown_protocol(&mut self, f: &ast::Flow, id: &str) {
        let authentication = f.authentication.as_ref().map(|a| a.value);
        let Some(protocol) = &f.protocol else { return };
        if vocab::protocol_encryption(Some(&protocol.value), authentication)
            != vocab::ProtocolEncryption::Unknown
        {
            return;
        }
        self.diags.push(
            Diagnostic::warning(
                "unknown-protocol",
                format!(
                    "Gambit does not know whether `{}` on flow `{id}` is encrypted",
                    protocol.value
                ),
            )
            .at(protocol.span)
            .label("counts as unencrypted")
            .help("write `encrypted: true` or `encrypted: false` on the flow"),
        );
    }

    fn check_control(&mut self, control: &Spanned<String>, declared: &[String]) {
        let name = control.value.as_str();
        if vocab::CONTROLS.contains(&name) || declared.iter().any(|d| d == name) {
            return;
        }
        let candidates = vocab::CONTROLS
            .iter()
            .copied()
            .chain(declared.iter().map(String::as_str));
        let d = Diagnostic::warning(
            "unknown-control",
            format!("control `{name}` is neither built in nor declared under `controls:`"),
        )
        .at(control.span)
        .label("analysis cannot give this control a meaning")
        .maybe_help(suggest::did_you_mean(name, candidates).or_else(|| {
            Some(format!(
                "declare it: `controls: {{{name}: {{description: ...}}}}`"
            ))
        }));
        self.diags.push(d);
    }

    /// An artifact names exactly one place: an image, a repository, a path or a package.
    fn artifact(&mut self, a: &ast::Artifact) -> Option<Artifact> {
        let given: Vec<Artifact> = [
            a.image.as_ref().map(|v| Artifact::Image(v.value.clone())),
            a.repository
                .as_ref()
                .map(|v| Artifact::Repository(v.value.clone())),
            a.path.as_ref().map(|v| Artifact::Path(v.value.clone())),
            a.package
                .as_ref()
                .map(|v| Artifact::Package(v.value.clone())),
        ]
        .into_iter()
        .flatten()
        .collect();
        if given.len() == 1 {
            return given.into_iter().next();
        }
        self.error(
            Diagnostic::error(
                "invalid-artifact",
                "an artifact names exactly one of image, repository, path or package",
            )
            .at(a.span)
            .label(if given.is_empty() {
                "names none"
            } else {
                "names more than one"
            })
            .help("write one entry per artifact, e.g. `- {image: ghcr.io/acme/orders}`"),
        );
        None
    }

    fn vulnerability(&mut self, v: &ast::Vulnerability) -> Vulnerability {
        let cvss = v.cvss.as_ref().and_then(|c| match CvssVector::parse(&c.value) {
            Ok(parsed) => Some(parsed),
            Err(message) => {
                self.error(
                    Diagnostic::error("invalid-cvss", message)
                        .at(c.span)
                        .label("not a CVSS 3.0, 3.1 or 4.0 base vector")
                        .help("write the full base vector, e.g. `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H`"),
                );
                None
            }
        });
        Vulnerability {
            id: v.id.value.clone(),
            span: v.id.span,
            cvss,
            effect: v.effect.as_ref().map_or(Effect::CodeExecution, |e| e.value),
            kev: v.kev.as_ref().is_some_and(|k| k.value),
            epss: v.epss.as_ref().map(|e| e.value),
            status: v.status.as_ref().map_or(VulnStatus::Open, |s| s.value),
            description: text(&v.description),
        }
    }

    fn flows(
        &mut self,
        list: &[ast::Flow],
        discovered_files: &HashSet<FileId>,
        declared_controls: &[String],
    ) -> Vec<Flow> {
        let mut seen: HashMap<String, Span> = HashMap::new();
        let mut out = Vec::with_capacity(list.len());
        for f in list {
            let from = self.endpoint(&f.from);
            let to = self.endpoint(&f.to);
            let credential = f
                .credential
                .as_ref()
                .and_then(|c| self.asset(c, Want::Credential));
            let data = self.assets(&f.data, Want::Asset);
            let returns = self.assets(&f.returns, Want::Asset);
            let id = flow_id(f);
            let id_span = f.id.as_ref().map_or(f.span, |i| i.span);
            if let Some(&first) = seen.get(&id) {
                self.error(
                    Diagnostic::error("duplicate-id", format!("two flows have the id `{id}`"))
                        .at(id_span)
                        .label("second flow with this id")
                        .related(first, "first flow with this id")
                        .help("give one of them an `id:`; flows between the same ends need distinct ids"),
                );
                continue;
            }
            seen.insert(id.clone(), id_span);
            // Discovery states only what the infrastructure says; its silence is not a
            // claim that callers are unauthenticated (see `Flow::authentication_unknown`).
            let authentication_unknown =
                f.authentication.is_none() && discovered_files.contains(&f.span.file);
            if f.authentication.is_none() && !authentication_unknown {
                self.diags.push(
                    Diagnostic::warning(
                        "flow-without-authentication",
                        format!("flow `{id}` does not say how the caller authenticates"),
                    )
                    .at(f.span)
                    .label("counts as `authentication: none`")
                    .help("write `authentication: none` if that is the truth, or the method used"),
                );
            }
            let (Some(from), Some(to)) = (from, to) else {
                continue;
            };
            let authentication = f
                .authentication
                .as_ref()
                .map_or(Authentication::None, |a| a.value);
            let mut controls: Vec<String> = f
                .controls
                .iter()
                .map(|s| {
                    self.check_control(s, declared_controls);
                    s.value.clone()
                })
                .collect();
            controls.sort_unstable();
            controls.dedup();
            if f.encrypted.is_none() {
                self.warn_unknown_protocol(f, &id);
            }
            out.push(Flow {
                id,
                span: id_span,
                from,
                to,
                protocol: text(&f.protocol),
                encrypted: f.encrypted.as_ref().map_or_else(
                    || {
                        vocab::encrypted_by_default(
                            f.protocol.as_ref().map(|p| p.value.as_str()),
                            authentication,
                        )
                    },
                    |e| e.value,
                ),
                authentication_written: f.authentication.as_ref().map(|a| a.value),
                authentication_unknown,
                encryption_unknown: f.encrypted.is_none()
                    && discovered_files.contains(&f.span.file),
                authentication,
                effective_authentication: authentication,
                authorization: f.authorization.as_ref().map(|a| a.value),
                credential,
                data,
                returns,
                code: f.code.as_ref().is_some_and(|c| c.value),
                controls,
                required: f.required.as_ref().is_some_and(|r| r.value),
                tags: strings(&f.tags),
                description: text(&f.description),
            });
        }
        out
    }

    /// Reports each parent cycle once, naming it, and cuts it so later passes terminate.
    fn break_zone_cycles(&mut self, zones: &mut [Zone], parent_spans: &[Option<Span>]) {
        let mut state = vec![0u8; zones.len()]; // 0 unseen, 1 on the current walk, 2 done
        for start in 0..zones.len() {
            let mut walk = Vec::new();
            let mut at = Some(start);
            while let Some(z) = at {
                match state[z] {
                    2 => break,
                    1 => {
                        let cycle_start = walk.iter().position(|&w| w == z).unwrap_or(0);
                        let cycle: &[usize] = &walk[cycle_start..];
                        let mut names: Vec<&str> =
                            cycle.iter().map(|&c| zones[c].id.as_str()).collect();
                        names.push(&zones[z].id);
                        let last = *cycle.last().unwrap_or(&z);
                        let mut d = Diagnostic::error(
                            "zone-cycle",
                            format!("zone parents form a cycle: {}", names.join(" -> ")),
                        )
                        .label("this parent closes the cycle")
                        .help("a zone cannot be inside itself; remove one `parent:`");
                        if let Some(span) = parent_spans[last] {
                            d = d.at(span);
                        }
                        self.error(d);
                        zones[last].parent = None;
                        break;
                    }
                    _ => {
                        state[z] = 1;
                        walk.push(z);
                        at = zones[z].parent.map(ZoneId::index);
                    }
                }
            }
            for w in walk {
                state[w] = 2;
            }
        }
    }

    fn attackers(
        &mut self,
        list: Option<&Spanned<Vec<Spanned<String>>>>,
        model: &Model,
    ) -> Vec<AttackerSpec> {
        let Some(list) = list else {
            return vec![AttackerSpec::Internet];
        };
        let mut out = Vec::new();
        for a in &list.value {
            match AttackerSpec::parse(&a.value, model) {
                Ok(spec) if !out.contains(&spec) => out.push(spec),
                Ok(_) => {}
                Err(message) => self.error(
                    Diagnostic::error("unknown-reference", message)
                        .at(a.span)
                        .label("not an attacker"),
                ),
            }
        }
        out
    }

    fn rules(&mut self, list: &[ast::CustomRule]) -> Vec<CustomRule> {
        let mut seen: HashMap<&str, Span> = HashMap::new();
        let mut out = Vec::new();
        for r in list {
            if !crate::decode::valid_id(&r.id.value) {
                self.error(
                    Diagnostic::error(
                        "invalid-id",
                        format!("`{}` is not a valid rule id", r.id.value),
                    )
                    .at(r.id.span)
                    .label("ids match [a-z0-9][a-z0-9._-]*"),
                );
                continue;
            }
            if let Some(&first) = seen.get(r.id.value.as_str()) {
                self.error(
                    Diagnostic::error(
                        "duplicate-id",
                        format!("two custom rules have the id `{}`", r.id.value),
                    )
                    .at(r.id.span)
                    .related(first, "first defined here"),
                );
                continue;
            }
            seen.insert(&r.id.value, r.id.span);
            out.push(CustomRule {
                id: r.id.value.clone(),
                span: r.id.span,
                title: r.title.value.clone(),
                description: text(&r.description),
                applies_to: r.applies_to.value,
                when: r.when.value.clone(),
                when_span: r.when.span,
                stride: r.stride.iter().map(|s| s.value).collect(),
                likelihood: r
                    .likelihood
                    .as_ref()
                    .map_or(Likelihood::Likely, |l| l.value),
                impact: r.impact.as_ref().map_or(Impact::Medium, |i| i.value),
                mitigation: text(&r.mitigation),
                cwe: strings(&r.cwe),
            });
        }
        out
    }

    fn check_risks(&mut self, model: &Model) {
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for r in &model.risks {
            match r.threat.split_once('@') {
                Some((rule, target)) if !rule.is_empty() && !target.is_empty() => {}
                _ => {
                    self.error(
                        Diagnostic::error("invalid-value", format!("`{}` is not a threat id", r.threat))
                            .at(r.span)
                            .label("threat ids are RULE@TARGET")
                            .help("copy the id from `gambit analyze`, e.g. `unencrypted-communication@web->db`"),
                    );
                    continue;
                }
            }
            if let Some(&first) = seen.get(r.threat.as_str()) {
                self.error(
                    Diagnostic::error(
                        "duplicate-id",
                        format!("two decisions name the threat `{}`", r.threat),
                    )
                    .at(r.span)
                    .related(first, "first decision"),
                );
            }
            seen.insert(&r.threat, r.span);
            if r.status == RiskStatus::Accepted && r.expires.is_none() {
                self.diags.push(
                    Diagnostic::warning(
                        "acceptance-without-expiry",
                        format!("the acceptance of `{}` never expires", r.threat),
                    )
                    .at(r.span)
                    .help("add `expires: YYYY-MM-DD` so the decision is reviewed again"),
                );
            }
        }
    }

    fn warn_suspicious(&mut self, model: &Model) {
        let mut carried = vec![false; model.assets.len()];
        for f in &model.flows {
            for a in f.data.iter().chain(&f.returns).chain(&f.credential) {
                carried[a.index()] = true;
            }
        }
        for (i, a) in model.assets.iter().enumerate() {
            if a.stored_by.is_empty()
                && a.processed_by.is_empty()
                && a.held_by.is_empty()
                && !carried[i]
            {
                self.diags.push(
                    Diagnostic::warning(
                        "unused-asset",
                        format!(
                            "no component stores, processes or holds `{}`, and no flow carries it",
                            a.id
                        ),
                    )
                    .at(a.span)
                    .label("an asset nobody has cannot be attacked")
                    .help("list it under a component's `stores`, `processes` or `holds`"),
                );
            }
            if a.kind == AssetKind::Credential && a.grants.is_none() {
                self.diags.push(
                    Diagnostic::warning(
                        "credential-grants-nothing",
                        format!("credential `{}` grants no identity", a.id),
                    )
                    .at(a.span)
                    .label("stealing it gives the attacker nothing in the analysis")
                    .help("add `grants: IDENTITY` naming what it lets its holder act as"),
                );
            }
        }
        for f in &model.flows {
            let third_party = [f.from, f.to]
                .into_iter()
                .find(|&e| model.is_third_party(e));
            if let (true, Some(party)) = (f.required, third_party) {
                self.diags.push(
                    Diagnostic::warning(
                        "required-third-party-flow",
                        format!(
                            "flow `{}` belongs to a third party (`{}`), so `required` changes nothing",
                            f.id,
                            model.endpoint_name(party)
                        ),
                    )
                    .at(f.span)
                    .label("choke points never propose removing a third party's flow")
                    .help("remove `required: true`, or move the sender into a zone you trust if it is yours"),
                );
            }
        }
        for c in &model.components {
            // Flows of unknown authentication do not count as unauthenticated, so a
            // discovered Service that nothing is declared to call needs no warning.
            if c.is_forwarding()
                && c.flows_in.is_empty()
                && c.flows_out
                    .iter()
                    .any(|f| !model.flows[f.index()].authentication_unknown)
                && !c.states_authentication()
            {
                self.diags.push(
                    Diagnostic::warning(
                        "forwarding-without-callers",
                        format!("`{}` forwards requests, but no flow enters it", c.id),
                    )
                    .at(c.span)
                    .label("the flows it forwards count as unauthenticated")
                    .help("add the flows that reach it (e.g. from a user actor), or state the `authentication` it demands"),
                );
            }
            if c.flows_in.is_empty() && c.flows_out.is_empty() {
                self.diags.push(
                    Diagnostic::warning(
                        "isolated-component",
                        format!("component `{}` has no flows", c.id),
                    )
                    .at(c.span)
                    .label("nothing talks to it and it talks to nothing")
                    .help("add the flows that reach it, or remove it"),
                );
            }
        }
        if !model.assets.iter().any(|a| a.crown_jewel) {
            self.diags.push(
                Diagnostic::warning("no-crown-jewel", "the model has no crown jewel, so there are no attack goals")
                    .help("mark the assets that matter most with `crown_jewel: true` (or classification restricted / integrity critical)"),
            );
        }
    }
}

fn is_discovered(f: &ModelFile) -> bool {
    f.discovered.as_ref().is_some_and(|d| d.value)
}

/// The element and flow ids that files not marked `discovered: true` define: in a
/// discovered file these yield to the hand-written definition (see docs/discover.md).
struct HandWritten {
    ids: HashSet<String>,
    flows: HashSet<String>,
}

impl HandWritten {
    fn of(files: &[(FileId, ModelFile)]) -> Self {
        let mut ids = HashSet::new();
        let mut flows = HashSet::new();
        for (_, f) in files.iter().filter(|(_, f)| !is_discovered(f)) {
            ids.extend(f.assets.0.iter().map(|(id, _)| id.value.clone()));
            ids.extend(f.zones.0.iter().map(|(id, _)| id.value.clone()));
            ids.extend(f.actors.0.iter().map(|(id, _)| id.value.clone()));
            ids.extend(f.components.0.iter().map(|(id, _)| id.value.clone()));
            ids.extend(f.identities.0.iter().map(|(id, _)| id.value.clone()));
            flows.extend(f.flows.iter().map(flow_id));
        }
        HandWritten { ids, flows }
    }

    fn drop_overridden(&self, f: &mut ModelFile) {
        self.keep_free(&mut f.assets);
        self.keep_free(&mut f.zones);
        self.keep_free(&mut f.actors);
        self.keep_free(&mut f.components);
        self.keep_free(&mut f.identities);
        f.flows.retain(|flow| !self.flows.contains(&flow_id(flow)));
    }

    fn keep_free<T>(&self, section: &mut ast::Elements<T>) {
        section.0.retain(|(id, _)| !self.ids.contains(&id.value));
    }
}

/// The zones every model has, before its own.
const BUILTIN_ZONES: [(&str, Trust); 2] = [
    ("internet", Trust::Untrusted),
    ("internal", Trust::Internal),
];

/// The elements of each section whose id was free, in source order.
struct Declared {
    zones: Vec<(Spanned<String>, ast::Zone)>,
    assets: Vec<(Spanned<String>, ast::Asset)>,
    actors: Vec<(Spanned<String>, ast::Actor)>,
    components: Vec<(Spanned<String>, ast::Component)>,
    identities: Vec<(Spanned<String>, ast::Identity)>,
}

fn control_defs(list: &[(Spanned<String>, ast::ControlDef)]) -> Vec<ControlDef> {
    list.iter()
        .map(|(id, c)| ControlDef {
            id: id.value.clone(),
            span: id.span,
            description: text(&c.description),
            mitigates: strings(&c.mitigates),
        })
        .collect()
}

/// Derived facts: who holds what, who talks to whom, who is where.
fn link(
    zones: &mut [Zone],
    assets: &mut [Asset],
    identities: &mut [Identity],
    actors: &mut [Actor],
    components: &mut [Component],
    flows: &[Flow],
) {
    for (i, c) in components.iter().enumerate() {
        let cid: ComponentId = id_of(i);
        for &a in &c.stores {
            assets[a.index()].stored_by.push(cid);
        }
        for &a in &c.processes {
            assets[a.index()].processed_by.push(cid);
        }
        for &a in &c.holds {
            assets[a.index()].held_by.push(Endpoint::Component(cid));
        }
        zones[c.zone.index()].components.push(cid);
        if let Some(r) = c.runs_as {
            identities[r.index()].runs_on.push(cid);
        }
    }
    for (i, a) in actors.iter().enumerate() {
        let aid: ActorId = id_of(i);
        for &k in &a.holds {
            assets[k.index()].held_by.push(Endpoint::Actor(aid));
        }
        zones[a.zone.index()].actors.push(aid);
    }
    for (i, a) in assets.iter().enumerate() {
        if let Some(g) = a.grants {
            identities[g.index()].credentials.push(id_of(i));
        }
    }
    for i in 0..zones.len() {
        if let Some(p) = zones[i].parent {
            zones[p.index()].children.push(id_of(i));
        }
    }
    for (i, f) in flows.iter().enumerate() {
        let fid: FlowId = id_of(i);
        match f.from {
            Endpoint::Actor(a) => actors[a.index()].flows_out.push(fid),
            Endpoint::Component(c) => components[c.index()].flows_out.push(fid),
        }
        match f.to {
            Endpoint::Actor(a) => actors[a.index()].flows_in.push(fid),
            Endpoint::Component(c) => components[c.index()].flows_in.push(fid),
        }
    }
}

/// A component that does not state its authentication demands the weakest of the flows
/// into it.
fn derive_authentication(components: &mut [Component], flows: &[Flow]) {
    for c in components.iter_mut() {
        if c.authentication_derived {
            c.authentication = c
                .flows_in
                .iter()
                .filter(|f| !flows[f.index()].authentication_unknown)
                .map(|f| flows[f.index()].authentication)
                .min_by_key(|a| a.strength())
                .unwrap_or(Authentication::None);
        }
    }
}

/// A flow's id as written, or its default `from->to`.
fn flow_id(f: &ast::Flow) -> String {
    match &f.id {
        Some(id) => id.value.clone(),
        None => format!("{}->{}", f.from.value, f.to.value),
    }
}

fn builtin_zone(id: &str, trust: Trust) -> Zone {
    Zone {
        id: id.to_owned(),
        span: Span::default(),
        kind: Kind::new(
            if id == "internet" {
                ZoneKind::Internet
            } else {
                ZoneKind::Network
            }
            .as_str(),
        ),
        parent: None,
        trust,
        isolated: false,
        builtin: true,
        tags: Vec::new(),
        description: None,
        children: Vec::new(),
        components: Vec::new(),
        actors: Vec::new(),
    }
}

fn risk(r: &ast::Risk) -> RiskDecision {
    let dread = r
        .dread
        .as_ref()
        .map_or_else(DreadOverride::default, |d| DreadOverride {
            damage: d.damage.as_ref().map(|v| v.value),
            reproducibility: d.reproducibility.as_ref().map(|v| v.value),
            exploitability: d.exploitability.as_ref().map(|v| v.value),
            affected_users: d.affected_users.as_ref().map(|v| v.value),
            discoverability: d.discoverability.as_ref().map(|v| v.value),
        });
    RiskDecision {
        threat: r.threat.value.clone(),
        span: r.threat.span,
        status: r.status.as_ref().map_or(RiskStatus::Open, |s| s.value),
        justification: text(&r.justification),
        owner: text(&r.owner),
        ticket: text(&r.ticket),
        expires: r.expires.as_ref().map(|e| e.value),
        dread,
    }
}

fn strings(list: &[Spanned<String>]) -> Vec<String> {
    list.iter().map(|s| s.value.clone()).collect()
}

fn text(s: &Option<Spanned<String>>) -> Option<String> {
    s.as_ref().map(|s| s.value.clone())
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}
