//! Property tests on small random models against an obviously-correct reference: a naive
//! fixpoint that re-applies every row of the spec's table (revision 2) to the whole fact
//! set until nothing changes, reading the model directly.

mod common;

use std::collections::HashSet;
use std::fmt::Write;

use gambit_graph::engine::{self, Mask};
use gambit_graph::{Analysis, Fact, Fix, Index};
use gambit_model::vocab::{
    Access, ActorKind, AssetKind, Authentication, Control, Effect, Trust, Vocab,
};
use gambit_model::{
    ActorId, AssetId, AttackerSpec, ComponentId, Endpoint, GrantTarget, IdentityId, Model, ZoneId,
};
use proptest::prelude::*;

// ---------------------------------------------------------------- random models

#[derive(Debug, Clone)]
struct Spec {
    zones_isolated: Vec<bool>,
    zone_kinds: Vec<usize>,
    actors: Vec<(usize, usize, bool, usize, Vec<usize>)>, // zone, trust, mfa, kind, holds
    comps: Vec<CompSpec>,
    identities: Vec<Vec<(usize, usize)>>, // (access, target)
    flows: Vec<FlowSpec>,
}

#[derive(Debug, Clone)]
struct CompSpec {
    kind: usize,
    zone: usize,
    public: bool,
    stores: Vec<usize>,
    processes: Vec<usize>,
    holds: Vec<usize>,
    runs_as: Option<usize>,
    controls: Vec<usize>,
    vulns: Vec<(usize, bool)>, // effect, open
}

#[derive(Debug, Clone)]
struct FlowSpec {
    from: usize,
    to: usize,
    plain: bool,
    data: Vec<usize>,
    returns: Vec<usize>,
    credential: Option<usize>,
    code: bool,
    /// 0: token, 1: none, 2: not written.
    auth: usize,
    approval: bool,
    required: bool,
}

const N_ASSETS: usize = 6; // a0..a3 data, k0, k1 credentials
const N_COMPS: usize = 5;
const N_ACTORS: usize = 3;
const N_IDENTS: usize = 3;
const ZONES: [&str; 5] = ["internet", "internal", "z0", "z1", "z2"];
const COMP_KINDS: [&str; 7] = [
    "service",
    "database",
    "llm-agent",
    "web-app",
    "cache",
    "load-balancer",
    "api-gateway",
];
const ZONE_KINDS: [&str; 3] = ["network", "cloud-account", "namespace"];
const CONTROLS: [&str; 5] = [
    "prompt-isolation",
    "network-policy",
    "metadata-protection",
    "human-approval",
    "egress-filtering",
];
const ACTOR_KINDS: [&str; 3] = ["user", "external-system", "developer"];
const TRUSTS: [&str; 3] = ["untrusted", "internal", "partner"];
const EFFECTS: [&str; 5] = [
    "code-execution",
    "privilege-escalation",
    "auth-bypass",
    "ssrf",
    "info-disclosure",
];
const ACCESS: [&str; 4] = ["read", "write", "admin", "assume"];

fn asset_name(i: usize) -> String {
    if i < 4 {
        format!("a{i}")
    } else {
        format!("k{}", i - 4)
    }
}

fn subset(n: usize) -> impl Strategy<Value = Vec<usize>> {
    proptest::collection::vec(0..n, 0..3).prop_map(|mut v| {
        v.sort_unstable();
        v.dedup();
        v
    })
}

fn comp_spec() -> impl Strategy<Value = CompSpec> {
    (
        0..COMP_KINDS.len(),
        0..ZONES.len(),
        any::<bool>(),
        subset(N_ASSETS),
        subset(N_ASSETS),
        subset(2),
        proptest::option::of(0..N_IDENTS),
        proptest::collection::vec(0..CONTROLS.len(), 0..2),
        proptest::collection::vec((0..EFFECTS.len(), prop::bool::weighted(0.8)), 0..2),
    )
        .prop_map(
            |(kind, zone, public, stores, processes, holds, runs_as, controls, vulns)| CompSpec {
                kind,
                zone,
                public: public && zone != 0,
                stores,
                processes,
                holds: holds.into_iter().map(|h| h + 4).collect(),
                runs_as,
                controls,
                vulns,
            },
        )
}

fn flow_spec() -> impl Strategy<Value = FlowSpec> {
    (
        0..N_COMPS + N_ACTORS,
        0..N_COMPS + N_ACTORS,
        any::<bool>(),
        prop::bool::weighted(0.3),
        subset(N_ASSETS),
        subset(N_ASSETS),
        proptest::option::of(4..N_ASSETS),
        prop::bool::weighted(0.3),
        (
            0..3usize,
            prop::bool::weighted(0.2),
            prop::bool::weighted(0.2),
        ),
    )
        .prop_map(
            |(
                from,
                to,
                plain,
                unauth,
                data,
                returns,
                credential,
                code,
                (auth, approval, required),
            )| FlowSpec {
                from,
                to,
                plain,
                data,
                returns,
                credential,
                code,
                auth: if unauth { auth.max(1) } else { 0 },
                approval,
                required,
            },
        )
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        proptest::collection::vec(prop::bool::weighted(0.3), 3),
        proptest::collection::vec(0..ZONE_KINDS.len(), 3),
        proptest::collection::vec(
            (
                0..ZONES.len(),
                0..TRUSTS.len(),
                any::<bool>(),
                0..ACTOR_KINDS.len(),
                subset(2),
            ),
            N_ACTORS,
        ),
        proptest::collection::vec(comp_spec(), N_COMPS),
        proptest::collection::vec(
            proptest::collection::vec((0..ACCESS.len(), 0..N_COMPS + N_IDENTS), 0..3),
            N_IDENTS,
        ),
        proptest::collection::vec(flow_spec(), 0..9),
    )
        .prop_map(
            |(zones_isolated, zone_kinds, actors, comps, identities, flows)| Spec {
                zones_isolated,
                zone_kinds,
                actors: actors
                    .into_iter()
                    .map(|(z, t, m, k, h)| (z, t, m, k, h.into_iter().map(|x| x + 4).collect()))
                    .collect(),
                comps,
                identities,
                flows,
            },
        )
}

fn endpoint_name(i: usize) -> String {
    if i < N_COMPS {
        format!("c{i}")
    } else {
        format!("p{}", i - N_COMPS)
    }
}

fn list(items: &[usize]) -> String {
    let names: Vec<String> = items.iter().map(|&i| asset_name(i)).collect();
    format!("[{}]", names.join(", "))
}

fn yaml(s: &Spec) -> String {
    let mut y = String::from("gambit: 1\nname: random\nassets:\n");
    for i in 0..4 {
        let class = if i % 2 == 0 { "restricted" } else { "internal" };
        let _ = writeln!(y, "  a{i}: {{classification: {class}}}");
    }
    let _ = writeln!(
        y,
        "  k0: {{kind: credential, grants: i0}}\n  k1: {{kind: credential, grants: i1}}"
    );
    y.push_str("zones:\n");
    for (i, iso) in s.zones_isolated.iter().enumerate() {
        let kind = ZONE_KINDS[s.zone_kinds[i]];
        let _ = writeln!(y, "  z{i}: {{kind: {kind}, isolated: {iso}}}");
    }
    y.push_str("actors:\n");
    for (i, (zone, trust, mfa, kind, holds)) in s.actors.iter().enumerate() {
        let _ = writeln!(
            y,
            "  p{i}: {{kind: {}, zone: {}, trust: {}, mfa: {mfa}, holds: {}}}",
            ACTOR_KINDS[*kind],
            ZONES[*zone],
            TRUSTS[*trust],
            list(holds)
        );
    }
    y.push_str("components:\n");
    for (i, c) in s.comps.iter().enumerate() {
        let _ = write!(
            y,
            "  c{i}:\n    kind: {}\n    zone: {}\n    public: {}\n    stores: {}\n    processes: {}\n    holds: {}\n",
            COMP_KINDS[c.kind],
            ZONES[c.zone],
            c.public,
            list(&c.stores),
            list(&c.processes),
            list(&c.holds)
        );
        if let Some(r) = c.runs_as {
            let _ = writeln!(y, "    runs_as: i{r}");
        }
        let controls: Vec<&str> = c.controls.iter().map(|&k| CONTROLS[k]).collect();
        let _ = writeln!(y, "    controls: [{}]", controls.join(", "));
        y.push_str("    vulnerabilities:\n");
        for (v, (effect, open)) in c.vulns.iter().enumerate() {
            let status = if *open { "open" } else { "fixed" };
            let _ = writeln!(
                y,
                "      - {{id: V{i}-{v}, effect: {}, status: {status}}}",
                EFFECTS[*effect]
            );
        }
        if c.vulns.is_empty() {
            y.truncate(y.len() - "    vulnerabilities:\n".len());
        }
    }
    y.push_str("identities:\n");
    for (i, grants) in s.identities.iter().enumerate() {
        let mut gs = Vec::new();
        for &(access, target) in grants {
            let (access, target) = match (ACCESS[access], target) {
                ("assume", t) => ("assume", format!("i{}", t % N_IDENTS)),
                (a, t) => (a, format!("c{}", t % N_COMPS)),
            };
            gs.push(format!("{{access: {access}, target: {target}}}"));
        }
        let _ = writeln!(y, "  i{i}: {{kind: role, grants: [{}]}}", gs.join(", "));
    }
    y.push_str("flows:\n");
    let mut pairs = HashSet::new();
    for (n, f) in s.flows.iter().enumerate() {
        if f.from == f.to || !pairs.insert((f.from, f.to)) {
            continue;
        }
        let _ = write!(
            y,
            "  - {{id: f{n}, from: {}, to: {}, protocol: {}, data: {}, returns: {}, code: {}, required: {}",
            endpoint_name(f.from),
            endpoint_name(f.to),
            if f.plain { "http" } else { "https" },
            list(&f.data),
            list(&f.returns),
            f.code,
            f.required,
        );
        match f.auth {
            0 => y.push_str(", authentication: token"),
            1 => y.push_str(", authentication: none"),
            _ => {}
        }
        if f.approval {
            y.push_str(", controls: [human-approval]");
        }
        if let Some(k) = f.credential {
            let _ = write!(y, ", credential: {}", asset_name(k));
        }
        y.push_str("}\n");
    }
    y
}

fn model_of(s: &Spec) -> Option<Model> {
    gambit_model::load_str(
        "random.yaml",
        yaml(s),
        None,
        gambit_model::LoadOptions::default(),
    )
    .model
}

// ---------------------------------------------------------------- the reference

fn comps(m: &Model) -> impl Iterator<Item = ComponentId> {
    (0..m.components.len() as u32).map(ComponentId)
}
fn assets(m: &Model) -> impl Iterator<Item = AssetId> {
    (0..m.assets.len() as u32).map(AssetId)
}

/// Naive fixpoint of the spec's table (revision 2); returns every fact (positions as
/// Control). Each row is written out as the spec states it, over the whole fact set.
fn naive(m: &Model, attacker: AttackerSpec) -> HashSet<Fact> {
    let mut f: HashSet<Fact> = HashSet::new();
    let internet = attacker == AttackerSpec::Internet;
    for (i, a) in m.actors.iter().enumerate() {
        let id = ActorId(i as u32);
        if (internet && a.trust == Trust::Untrusted) || attacker == AttackerSpec::Insider(id) {
            f.insert(Fact::Control(id));
        }
    }
    if let AttackerSpec::Compromised(c) = attacker {
        f.insert(Fact::Exec(c));
    }
    let to_c = |fl: &gambit_model::Flow, c: ComponentId| fl.to == Endpoint::Component(c);
    let from_c = |fl: &gambit_model::Flow, c: ComponentId| fl.from == Endpoint::Component(c);
    loop {
        let before = f.len();
        let pos_at = |f: &HashSet<Fact>, e: Endpoint| match e {
            Endpoint::Component(c) => f.contains(&Fact::Exec(c)),
            Endpoint::Actor(a) => f.contains(&Fact::Control(a)),
        };
        let in_zone = |f: &HashSet<Fact>, z: ZoneId| {
            (internet && z == m.internet())
                || comps(m).any(|c| m[c].zone == z && f.contains(&Fact::Exec(c)))
                || (0..m.actors.len())
                    .any(|a| m.actors[a].zone == z && f.contains(&Fact::Control(ActorId(a as u32))))
        };
        let on_internet = in_zone(&f, m.internet());
        let open = |c: ComponentId, e: Effect| {
            m[c].vulnerabilities
                .iter()
                .any(|v| v.is_open() && v.effect == e)
        };
        let acts_with = |f: &HashSet<Fact>, c: ComponentId, access: &[Access]| {
            m.identities.iter().enumerate().any(|(i, ident)| {
                f.contains(&Fact::ActAs(IdentityId(i as u32)))
                    && ident.grants.iter().any(|g| {
                        g.target == GrantTarget::Component(c) && access.contains(&g.access)
                    })
            })
        };
        let mut new = Vec::new();
        for c in comps(m) {
            let comp = &m[c];
            let reach = f.contains(&Fact::Reach(c));
            let feed = f.contains(&Fact::Feed(c));
            let exec = f.contains(&Fact::Exec(c));
            // reach C
            let zone = &m[comp.zone];
            if (on_internet && comp.public)
                || exec
                || m.flows.iter().any(|fl| to_c(fl, c) && pos_at(&f, fl.from))
                || (zone.is_network()
                    && !zone.isolated
                    && !comp.has_control(Control::NetworkPolicy)
                    && in_zone(&f, comp.zone))
                || m.flows.iter().any(|fl| {
                    to_c(fl, c)
                        && !fl.code
                        && matches!(fl.from, Endpoint::Component(p)
                            if m[p].is_forwarding() && f.contains(&Fact::Reach(p)))
                })
                || m.flows.iter().any(|fl| {
                    to_c(fl, c)
                        && matches!(fl.from, Endpoint::Component(p)
                            if open(p, Effect::Ssrf)
                                && (f.contains(&Fact::Reach(p)) || f.contains(&Fact::Feed(p))))
                })
            {
                new.push(Fact::Reach(c));
            }
            // feed C
            let tainted = |a: &AssetId| f.contains(&Fact::Taint(*a));
            if comp.processes.iter().any(tainted)
                || m.flows.iter().any(|fl| {
                    (to_c(fl, c) && fl.data.iter().any(tainted))
                        || (from_c(fl, c) && fl.returns.iter().any(tainted))
                })
            {
                new.push(Fact::Feed(c));
            }
            // exec C
            if ((reach || feed) && open(c, Effect::CodeExecution))
                || (comp.is_llm() && feed)
                || f.contains(&Fact::Admin(c))
            {
                new.push(Fact::Exec(c));
            }
            for fl in m.flows.iter().filter(|fl| fl.code && to_c(fl, c)) {
                let via_grant = match fl.from {
                    Endpoint::Component(p) => {
                        f.contains(&Fact::Admin(p))
                            || (f.contains(&Fact::Reach(p))
                                && acts_with(&f, p, &[Access::Write, Access::Admin]))
                    }
                    Endpoint::Actor(_) => false,
                };
                if pos_at(&f, fl.from) || via_grant {
                    new.push(Fact::Exec(c));
                }
            }
            // admin C
            if exec && open(c, Effect::PrivilegeEscalation) {
                new.push(Fact::Admin(c));
            }
            if reach && acts_with(&f, c, &[Access::Admin]) {
                new.push(Fact::Admin(c));
            }
            // application access through a grant
            let into_c = || m.flows.iter().filter(move |fl| to_c(fl, c));
            if reach && acts_with(&f, c, &[Access::Read, Access::Admin]) {
                new.extend(comp.stores.iter().map(|&a| Fact::Read(a)));
                new.extend(into_c().flat_map(|fl| fl.returns.iter().map(|&a| Fact::Read(a))));
            }
            if reach && acts_with(&f, c, &[Access::Write, Access::Admin]) {
                new.extend(comp.stores.iter().map(|&a| Fact::Write(a)));
                new.extend(into_c().flat_map(|fl| fl.data.iter().map(|&a| Fact::Write(a))));
            }
            // exec C: local data, credentials, identity, delegated access
            if exec {
                new.extend(comp.holds.iter().map(|&k| Fact::Holds(k)));
                new.extend(comp.runs_as.map(Fact::ActAs));
                for &a in &comp.stores {
                    new.push(Fact::Read(a));
                    new.push(Fact::Write(a));
                }
                new.extend(comp.processes.iter().map(|&a| Fact::Read(a)));
                for fl in m.flows.iter().filter(|fl| from_c(fl, c)) {
                    new.extend(fl.returns.iter().map(|&a| Fact::Read(a)));
                    if !fl.has_control(Control::HumanApproval)
                        && !comp.has_control(Control::HumanApproval)
                    {
                        new.extend(fl.data.iter().map(|&a| Fact::Write(a)));
                    }
                }
            }
            // ssrf: the metadata service's credentials
            if (reach || feed)
                && open(c, Effect::Ssrf)
                && !comp.has_control(Control::MetadataProtection)
                && !comp.has_control(Control::EgressFiltering)
            {
                new.extend(comp.runs_as.map(Fact::ActAs));
            }
            // auth-bypass
            if reach && open(c, Effect::AuthBypass) {
                new.extend(into_c().flat_map(|fl| fl.returns.iter().map(|&a| Fact::Read(a))));
                new.extend(into_c().flat_map(|fl| fl.data.iter().map(|&a| Fact::Write(a))));
                if comp.is_datastore() {
                    for &a in &comp.stores {
                        new.push(Fact::Read(a));
                        new.push(Fact::Write(a));
                    }
                }
            }
            // info-disclosure
            if (reach || feed) && open(c, Effect::InfoDisclosure) {
                for &a in comp.stores.iter().chain(&comp.processes).chain(&comp.holds) {
                    new.push(Fact::Read(a));
                }
            }
            // unauthenticated datastore and flows
            if reach && comp.effective_authentication == Authentication::None && comp.is_datastore()
            {
                for &a in &comp.stores {
                    new.push(Fact::Read(a));
                    new.push(Fact::Write(a));
                }
            }
            if reach {
                for fl in into_c() {
                    if fl.effective_authentication == Authentication::None {
                        new.extend(fl.returns.iter().map(|&a| Fact::Read(a)));
                    }
                }
            }
        }
        for (i, actor) in m.actors.iter().enumerate() {
            let id = ActorId(i as u32);
            if f.contains(&Fact::Control(id)) {
                new.extend(actor.holds.iter().map(|&k| Fact::Holds(k)));
            } else if internet && !actor.mfa && !actor.kind.is(ActorKind::ExternalSystem) {
                new.extend(actor.holds.iter().map(|&k| Fact::Holds(k)));
            }
        }
        for a in assets(m) {
            if f.contains(&Fact::Holds(a))
                && let Some(i) = m[a].grants
            {
                new.push(Fact::ActAs(i));
            }
            if f.contains(&Fact::Read(a)) && m[a].kind == AssetKind::Credential {
                new.push(Fact::Holds(a));
            }
            if f.contains(&Fact::Write(a)) {
                new.push(Fact::Taint(a));
            }
        }
        for (i, ident) in m.identities.iter().enumerate() {
            if f.contains(&Fact::ActAs(IdentityId(i as u32))) {
                for g in &ident.grants {
                    if let (Access::Assume, GrantTarget::Identity(j)) = (g.access, g.target) {
                        new.push(Fact::ActAs(j));
                    }
                }
            }
        }
        for fl in &m.flows {
            if pos_at(&f, fl.from) {
                new.extend(fl.data.iter().map(|&a| Fact::Taint(a)));
            }
            if pos_at(&f, fl.to) {
                new.extend(fl.returns.iter().map(|&a| Fact::Taint(a)));
            }
            let sniffed_from = |z: ZoneId| m[z].is_network() && in_zone(&f, z);
            if !fl.encrypted
                && (sniffed_from(m.endpoint_zone(fl.from)) || sniffed_from(m.endpoint_zone(fl.to)))
            {
                for &a in fl.data.iter().chain(&fl.returns).chain(&fl.credential) {
                    new.push(Fact::Read(a));
                    if m[a].kind == AssetKind::Credential {
                        new.push(Fact::Holds(a));
                    }
                }
            }
        }
        f.extend(new);
        if f.len() == before {
            return f;
        }
    }
}

fn engine_facts(m: &Model, attacker: AttackerSpec, mask: Option<&Mask>) -> HashSet<Fact> {
    let ix = Index::new(m);
    engine::reachable(m, &ix, attacker, mask)
        .iter()
        .enumerate()
        .filter(|&(_, &h)| h)
        .map(|(i, _)| ix.facts.fact(i as u32))
        .filter(|f| !matches!(f, Fact::InZone(_)))
        .collect()
}

fn attackers(m: &Model) -> Vec<AttackerSpec> {
    let mut out = vec![AttackerSpec::Internet];
    out.extend((0..m.actors.len() as u32).map(|a| AttackerSpec::Insider(ActorId(a))));
    out.push(AttackerSpec::Compromised(ComponentId(0)));
    out
}

/// The model with a fix applied to its facts (the mask's meaning, done by editing).
/// Derived values (effective authentication) keep what the model said: a removed flow
/// is gone for the attacker, not for what its callers proved.
fn apply(m: &Model, ix: &Index, fix: Fix) -> Model {
    let mut m = m.clone();
    let add = |controls: &mut Vec<String>, id: &str| {
        controls.push(id.to_owned());
        controls.sort();
    };
    match fix {
        Fix::Patch(v) => {
            let (c, i) = ix.vuln(v);
            m.components[c.index()].vulnerabilities[i].status =
                gambit_model::vocab::VulnStatus::Fixed;
        }
        Fix::IsolateZone(z) => m.zones[z.index()].isolated = true,
        Fix::RemoveFlow(f) => {
            // Dropped, and the adjacency lists renumbered (see `apply_all` for the order
            // that keeps the other fixes' flow ids valid).
            m.flows.remove(f.index());
            for c in &mut m.components {
                c.flows_in.clear();
                c.flows_out.clear();
            }
            for a in &mut m.actors {
                a.flows_in.clear();
                a.flows_out.clear();
            }
            for (i, flow) in m.flows.iter().enumerate() {
                let id = gambit_model::FlowId(i as u32);
                match flow.from {
                    Endpoint::Component(c) => m.components[c.index()].flows_out.push(id),
                    Endpoint::Actor(a) => m.actors[a.index()].flows_out.push(id),
                }
                match flow.to {
                    Endpoint::Component(c) => m.components[c.index()].flows_in.push(id),
                    Endpoint::Actor(a) => m.actors[a.index()].flows_in.push(id),
                }
            }
        }
        Fix::RemoveGrant(g) => {
            let (ident, i) = ix.grant(g);
            // Point the grant at nothing useful: an assume of the identity itself.
            m.identities[ident.index()].grants[i].access = Access::Assume;
            m.identities[ident.index()].grants[i].target = GrantTarget::Identity(ident);
        }
        Fix::RemoveCredential(h) => {
            let (c, a) = ix.hold(h);
            m.components[c.index()].holds.retain(|&k| k != a);
        }
        Fix::RemoveRunsAs(c) => m.components[c.index()].runs_as = None,
        Fix::AddControl(control, c) => add(
            &mut m.components[c.index()].controls,
            control.control().as_str(),
        ),
        Fix::AddFlowApproval(f) => add(&mut m.flows[f.index()].controls, "human-approval"),
        Fix::RequireMfa(a) => m.actors[a.index()].mfa = true,
    }
    m
}

/// Applies several fixes: flow removals last, highest id first, so every id still
/// names the flow it named in the original model.
fn apply_all(m: &Model, ix: &Index, fixes: &[Fix]) -> Model {
    let mut ordered = fixes.to_vec();
    ordered.sort_by_key(|f| match f {
        Fix::RemoveFlow(id) => (1, u32::MAX - id.0),
        _ => (0, 0),
    });
    ordered.iter().fold(m.clone(), |acc, &f| apply(&acc, ix, f))
}

fn all_fixes(ix: &Index) -> Vec<Fix> {
    (0..ix.fix_count() as u32).map(|i| ix.fix(i)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn engine_equals_naive_reachability(s in spec()) {
        let Some(m) = model_of(&s) else { return Ok(()) };
        for a in attackers(&m) {
            let got = engine_facts(&m, a, None);
            let want = naive(&m, a);
            prop_assert_eq!(&got, &want, "attacker {:?}\n{}", a, yaml(&s));
            // Exposure lists exactly the assets read or written.
            let analysis = Analysis::run(&m, &[a]);
            let exposed: HashSet<String> = analysis.exposure().into_iter().map(|e| e.asset).collect();
            let expected: HashSet<String> = want
                .iter()
                .filter_map(|f| match f {
                    Fact::Read(x) | Fact::Write(x) => Some(m[*x].id.clone()),
                    _ => None,
                })
                .collect();
            prop_assert_eq!(exposed, expected);
        }
    }

    #[test]
    fn chokepoints_cut_every_goal(s in spec()) {
        let Some(m) = model_of(&s) else { return Ok(()) };
        let ix = Index::new(&m);
        for a in attackers(&m) {
            let analysis = Analysis::run(&m, &[a]);
            let answer = analysis.chokepoints();
            prop_assert!(answer.verified);
            let fixed = apply_all(&m, &ix, &answer.fixes);
            let after = naive(&fixed, a);
            let uncut: HashSet<(String, String)> = answer
                .uncuttable
                .iter()
                .map(|u| (u.goal.access.to_owned(), u.goal.component.clone().unwrap_or(u.goal.asset.clone())))
                .collect();
            for goal in gambit_graph::analysis::candidate_goals(&m, None) {
                let key = match goal.fact {
                    Fact::Admin(c) => ("admin".to_owned(), m[c].id.clone()),
                    _ => (goal.access().to_owned(), m[goal.asset].id.clone()),
                };
                prop_assert!(
                    !after.contains(&goal.fact) || uncut.contains(&key),
                    "{:?} still reachable after {:?}\n{}", goal.fact, answer.fixes, yaml(&s)
                );
            }
        }
    }

    #[test]
    fn removing_a_model_fact_never_adds_anything(s in spec(), pick in any::<prop::sample::Index>()) {
        let Some(m) = model_of(&s) else { return Ok(()) };
        let ix = Index::new(&m);
        let fixes = all_fixes(&ix);
        let fix = fixes[pick.index(fixes.len())];
        // The built-in internet zone is never a fix candidate (the attacker is in it).
        prop_assume!(fix != Fix::IsolateZone(m.internet()));
        let edited = apply(&m, &ix, fix);
        let mask = Mask::new(&ix, &[fix]);
        for a in attackers(&m) {
            let before = engine_facts(&m, a, None);
            let masked = engine_facts(&m, a, Some(&mask));
            let after = naive(&edited, a);
            prop_assert!(masked.is_subset(&before));
            prop_assert_eq!(&masked, &after, "mask and edit disagree for {:?}\n{}", fix, yaml(&s));
            let paths_before = Analysis::run(&m, &[a]).paths(1, None).len();
            let paths_after = Analysis::run(&edited, &[a]).paths(1, None).len();
            prop_assert!(paths_after <= paths_before);
        }
    }
}

#[test]
fn most_random_models_load_and_reach_something() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut loaded, mut reaching) = (0, 0);
    for _ in 0..100 {
        let s = spec().new_tree(&mut runner).expect("a value").current();
        if let Some(m) = model_of(&s) {
            loaded += 1;
            if naive(&m, AttackerSpec::Internet)
                .iter()
                .any(|f| matches!(f, Fact::Read(_) | Fact::Exec(_)))
            {
                reaching += 1;
            }
        }
    }
    assert!(loaded >= 80, "only {loaded} of 100 random models load");
    assert!(
        reaching >= 30,
        "only {reaching} of 100 random models give the attacker anything"
    );
}
