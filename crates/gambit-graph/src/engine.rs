//! The fact engine: a semi-naive worklist fixpoint over the rules of the spec.
//!
//! A fact is *queued* when first derived and *processed* when popped. Processing a fact
//! fires every rule instance in which it is a premise and whose other premises are
//! already processed, so each rule instance is found exactly once: when its last premise
//! is processed. Every instance found is handed to a [`Sink`], which either records it
//! (the full attack graph, every derivation kept) or ignores it (plain reachability, for
//! blast radius and what-if verification).

use gambit_model::vocab::ActorKind;
use gambit_model::vocab::{Access, Trust};
use gambit_model::{ActorId, AttackerSpec, ComponentId, GrantTarget, IdentityId, Model, ZoneId};

use crate::adjacency::NONE;

use crate::fact::Fact;
use crate::index::{Fix, Index};
use crate::rule::{DerivationRule, Via};

use crate::fixes::FixList;
pub use crate::fixes::NO_FIX;

/// One way a fact was derived: one AND node of the attack graph.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Derivation {
    pub head: u32,
    pub premises: [u32; 2],
    pub premise_count: u8,
    pub rule: DerivationRule,
    pub via: Via,
    /// A second model fact some derivations rest on (the grant of a code flow written
    /// through an identity).
    pub via2: Via,
}

impl Derivation {
    pub fn premises(&self) -> &[u32] {
        &self.premises[..self.premise_count as usize]
    }
}

/// Receives every rule instance the engine finds.
pub trait Sink {
    fn record(&mut self, d: Derivation);
}

/// Keeps nothing: reachability only.
pub struct Discard;

impl Sink for Discard {
    #[inline]
    fn record(&mut self, _: Derivation) {}
}

impl Sink for Vec<Derivation> {
    #[inline]
    fn record(&mut self, d: Derivation) {
        self.push(d);
    }
}

/// A set of fixes applied as a mask over model facts: derivations resting on a masked
/// fact are never made.
#[derive(Clone, Debug)]
pub struct Mask {
    blocked: Vec<bool>,
}

impl Mask {
    pub fn new(ix: &Index, fixes: &[Fix]) -> Self {
        let mut blocked = vec![false; ix.fix_count()];
        for &f in fixes {
            // A fix naming an element this model does not have removes nothing.
            if let Some(b) = blocked.get_mut(ix.fix_id(f) as usize) {
                *b = true;
            }
        }
        Mask { blocked }
    }

    /// From dense fix numbers.
    pub fn from_ids(ix: &Index, ids: impl IntoIterator<Item = u32>) -> Self {
        let mut blocked = vec![false; ix.fix_count()];
        for id in ids {
            if let Some(b) = blocked.get_mut(id as usize) {
                *b = true;
            }
        }
        Mask { blocked }
    }

    #[inline]
    pub fn blocks(&self, fixes: FixList) -> bool {
        fixes
            .iter()
            .any(|&f| f != NO_FIX && self.blocked[f as usize])
    }
}

const UNSEEN: u8 = 0;
const QUEUED: u8 = 1;
const DONE: u8 = 2;

/// The state of one fixpoint run.
pub struct Engine<'a, S: Sink> {
    model: &'a Model,
    ix: &'a Index,
    mask: Option<&'a Mask>,
    status: Vec<u8>,
    queue: Vec<u32>,
    pub sink: S,
}

impl<'a, S: Sink> Engine<'a, S> {
    pub fn new(model: &'a Model, ix: &'a Index, mask: Option<&'a Mask>, sink: S) -> Self {
        Engine {
            model,
            ix,
            mask,
            status: vec![UNSEEN; ix.facts.len()],
            queue: Vec::new(),
            sink,
        }
    }

    /// Runs the fixpoint for one attacker and returns which facts hold (by fact id).
    pub fn run(mut self, attacker: AttackerSpec) -> (Vec<bool>, S) {
        self.seed(attacker);
        while let Some(h) = self.queue.pop() {
            self.status[h as usize] = DONE;
            self.process(self.ix.facts.fact(h));
        }
        let holds = self.status.iter().map(|&s| s != UNSEEN).collect();
        (holds, self.sink)
    }

    fn done(&self, f: Fact) -> bool {
        self.status[self.ix.facts.id(f) as usize] == DONE
    }

    fn emit(&mut self, head: Fact, rule: DerivationRule, premises: &[Fact], via: Via, via2: Via) {
        if let Some(mask) = self.mask
            && mask.blocks(crate::fixes::fixes_of(
                self.model, self.ix, head, rule, via, via2,
            ))
        {
            return;
        }
        let h = self.ix.facts.id(head);
        let mut p = [0u32; 2];
        for (slot, &f) in p.iter_mut().zip(premises) {
            *slot = self.ix.facts.id(f);
        }
        self.sink.record(Derivation {
            head: h,
            premises: p,
            premise_count: premises.len() as u8,
            rule,
            via,
            via2,
        });
        let s = &mut self.status[h as usize];
        if *s == UNSEEN {
            *s = QUEUED;
            self.queue.push(h);
        }
    }

    fn seed(&mut self, attacker: AttackerSpec) {
        let model = self.model;
        match attacker {
            AttackerSpec::Internet => {
                self.emit(
                    Fact::InZone(model.internet()),
                    DerivationRule::Start,
                    &[],
                    Via::Attacker,
                    Via::None,
                );
                for (i, actor) in model.actors.iter().enumerate() {
                    if actor.trust == Trust::Untrusted {
                        self.emit(
                            Fact::Control(ActorId(i as u32)),
                            DerivationRule::Start,
                            &[],
                            Via::Attacker,
                            Via::None,
                        );
                    }
                }
                for (i, actor) in model.actors.iter().enumerate() {
                    let phishable = actor.trust != Trust::Untrusted
                        && !actor.mfa
                        && !actor.kind.is(ActorKind::ExternalSystem);
                    if phishable {
                        for &k in &actor.holds {
                            self.emit(
                                Fact::Holds(k),
                                DerivationRule::Phishing,
                                &[],
                                Via::Phish(ActorId(i as u32)),
                                Via::None,
                            );
                        }
                    }
                }
            }
            AttackerSpec::Insider(a) => {
                self.emit(
                    Fact::Control(a),
                    DerivationRule::Start,
                    &[],
                    Via::Attacker,
                    Via::None,
                );
            }
            AttackerSpec::Compromised(c) => {
                self.emit(
                    Fact::Exec(c),
                    DerivationRule::Start,
                    &[],
                    Via::Attacker,
                    Via::None,
                );
            }
        }
    }

    fn process(&mut self, fact: Fact) {
        let adj = &self.ix.adj;
        match fact {
            Fact::Reach(c) => self.on_reach(c),
            Fact::Exec(c) => self.on_exec(c),
            Fact::Admin(c) => self.emit(
                Fact::Exec(c),
                DerivationRule::AdminImpliesExec,
                &[fact],
                Via::None,
                Via::None,
            ),
            Fact::Holds(k) => {
                let i = adj.grants_identity[k.index()];
                if i != NONE {
                    self.emit(
                        Fact::ActAs(IdentityId(i)),
                        DerivationRule::UseCredential,
                        &[fact],
                        Via::Credential(k),
                        Via::None,
                    );
                }
            }
            Fact::ActAs(i) => self.on_act_as(i),
            Fact::Read(a) => {
                if adj.is_credential[a.index()] {
                    self.emit(
                        Fact::Holds(a),
                        DerivationRule::ReadCredential,
                        &[fact],
                        Via::None,
                        Via::None,
                    );
                }
            }
            Fact::Write(a) => self.emit(
                Fact::Taint(a),
                DerivationRule::TaintWrite,
                &[fact],
                Via::None,
                Via::None,
            ),
            Fact::Taint(a) => {
                for &(c, via) in self.ix.feed_targets.row(a.index()) {
                    self.emit(Fact::Feed(c), DerivationRule::Feed, &[fact], via, Via::None);
                }
            }
            Fact::Feed(c) => self.on_feed(c),
            Fact::Control(x) => self.on_control(x),
            Fact::InZone(z) => self.on_zone(z),
        }
    }

    fn on_reach(&mut self, c: ComponentId) {
        let ix = self.ix;
        let adj = &ix.adj;
        let me = Fact::Reach(c);
        for &i in adj.exec_vulns.row(c.index()) {
            let n = ix.vuln_number(c, i as usize);
            self.emit(
                Fact::Exec(c),
                DerivationRule::Exploit,
                &[me],
                Via::Vuln(n),
                Via::None,
            );
        }
        for &(ident, g, access) in ix.grants_on.row(c.index()) {
            if self.done(Fact::ActAs(ident)) {
                self.apply_grant(ident, g, access, c);
            }
        }
        if adj.unauth_datastore[c.index()] {
            for &a in adj.stores.row(c.index()) {
                for gained in [Fact::Read(a), Fact::Write(a)] {
                    self.emit(
                        gained,
                        DerivationRule::UnauthDatastore,
                        &[me],
                        Via::Unauth(c),
                        Via::None,
                    );
                }
            }
        }
        for &(f, a) in adj.unauth_returns.row(c.index()) {
            self.emit(
                Fact::Read(a),
                DerivationRule::UnauthFlow,
                &[me],
                Via::Flow(f),
                Via::None,
            );
        }
        for &(f, d) in adj.forward_out.row(c.index()) {
            self.emit(
                Fact::Reach(d),
                DerivationRule::ForwardReach,
                &[me],
                Via::Flow(f),
                Via::None,
            );
        }
        for &i in adj.bypass_vulns.row(c.index()) {
            let via = Via::Vuln(ix.vuln_number(c, i as usize));
            self.auth_bypass(c, via);
        }
        self.consumed_or_reached(c, me);
    }

    /// An auth-bypass on `c`: the attacker is any caller of `c`.
    fn auth_bypass(&mut self, c: ComponentId, via: Via) {
        let adj = &self.ix.adj;
        let me = [Fact::Reach(c)];
        for &(f, a) in adj.in_returns.row(c.index()) {
            self.emit(
                Fact::Read(a),
                DerivationRule::AuthBypass,
                &me,
                via,
                Via::Flow(f),
            );
        }
        for &(f, a) in adj.in_data.row(c.index()) {
            self.emit(
                Fact::Write(a),
                DerivationRule::AuthBypass,
                &me,
                via,
                Via::Flow(f),
            );
        }
        if adj.is_datastore[c.index()] {
            for &a in adj.stores.row(c.index()) {
                self.emit(
                    Fact::Read(a),
                    DerivationRule::AuthBypass,
                    &me,
                    via,
                    Via::None,
                );
                self.emit(
                    Fact::Write(a),
                    DerivationRule::AuthBypass,
                    &me,
                    via,
                    Via::None,
                );
            }
        }
    }

    /// What reaching a component or feeding it content both give: its ssrf and
    /// info-disclosure vulnerabilities work either way. `me` is reach C or feed C.
    fn consumed_or_reached(&mut self, c: ComponentId, me: Fact) {
        let ix = self.ix;
        let adj = &ix.adj;
        for &i in adj.ssrf_vulns.row(c.index()) {
            let via = Via::Vuln(ix.vuln_number(c, i as usize));
            for &edge in adj.out_edges.row(c.index()) {
                if edge.to != NONE {
                    let d = ComponentId(edge.to);
                    self.emit(
                        Fact::Reach(d),
                        DerivationRule::SsrfReach,
                        &[me],
                        via,
                        Via::Flow(edge.flow),
                    );
                }
            }
            let ident = adj.runs_as[c.index()];
            if ident != NONE && adj.metadata_exposed[c.index()] {
                let i = Fact::ActAs(IdentityId(ident));
                self.emit(i, DerivationRule::SsrfMetadata, &[me], via, Via::RunsAs(c));
            }
        }
        for &i in adj.info_vulns.row(c.index()) {
            let via = Via::Vuln(ix.vuln_number(c, i as usize));
            let stored = adj.stores.row(c.index()).iter();
            let processed = adj.processes.row(c.index()).iter();
            for &a in stored.chain(processed) {
                self.emit(
                    Fact::Read(a),
                    DerivationRule::InfoDisclosure,
                    &[me],
                    via,
                    Via::None,
                );
            }
            for &(h, k) in adj.holds.row(c.index()) {
                let held = Via::HostHolds(ix.hold_number(c, h as usize));
                self.emit(
                    Fact::Read(k),
                    DerivationRule::InfoDisclosure,
                    &[me],
                    via,
                    held,
                );
            }
        }
    }

    /// Attacker content reaches `c`.
    fn on_feed(&mut self, c: ComponentId) {
        let ix = self.ix;
        let adj = &ix.adj;
        let me = Fact::Feed(c);
        for &i in adj.exec_vulns.row(c.index()) {
            let n = ix.vuln_number(c, i as usize);
            self.emit(
                Fact::Exec(c),
                DerivationRule::ExploitContent,
                &[me],
                Via::Vuln(n),
                Via::None,
            );
        }
        if adj.is_llm[c.index()] {
            self.emit(
                Fact::Exec(c),
                DerivationRule::PromptInjection,
                &[me],
                Via::Injected(c),
                Via::None,
            );
        }
        self.consumed_or_reached(c, me);
    }

    /// A grant of `ident` on component `c`, used once the attacker acts as `ident` and
    /// reaches `c` (both processed): application access (read and write reach what `c`
    /// stores and what its callers send and get back), admin is control of `c`.
    fn apply_grant(&mut self, ident: IdentityId, g: u32, access: Access, c: ComponentId) {
        let adj = &self.ix.adj;
        let pre = [Fact::ActAs(ident), Fact::Reach(c)];
        let via = Via::Grant(g);
        if access == Access::Admin {
            self.emit(
                Fact::Admin(c),
                DerivationRule::AdminGrant,
                &pre,
                via,
                Via::None,
            );
        }
        let reads = matches!(access, Access::Read | Access::Admin);
        let writes = matches!(access, Access::Write | Access::Admin);
        for &a in adj.stores.row(c.index()) {
            if reads {
                self.emit(
                    Fact::Read(a),
                    DerivationRule::GrantData,
                    &pre,
                    via,
                    Via::None,
                );
            }
            if writes {
                self.emit(
                    Fact::Write(a),
                    DerivationRule::GrantData,
                    &pre,
                    via,
                    Via::None,
                );
            }
        }
        if reads {
            for &(f, a) in adj.in_returns.row(c.index()) {
                self.emit(
                    Fact::Read(a),
                    DerivationRule::GrantData,
                    &pre,
                    via,
                    Via::Flow(f),
                );
            }
        }
        if writes {
            for &(f, a) in adj.in_data.row(c.index()) {
                self.emit(
                    Fact::Write(a),
                    DerivationRule::GrantData,
                    &pre,
                    via,
                    Via::Flow(f),
                );
            }
            for &(f, d) in adj.code_out.row(c.index()) {
                self.emit(
                    Fact::Exec(d),
                    DerivationRule::CodeFlow,
                    &pre,
                    Via::Flow(f),
                    via,
                );
            }
        }
    }

    fn on_act_as(&mut self, ident: IdentityId) {
        let model = self.model;
        for (gi, grant) in model[ident].grants.iter().enumerate() {
            let g = self.ix.grant_number(ident, gi);
            match grant.target {
                GrantTarget::Identity(j) if grant.access == Access::Assume => {
                    self.emit(
                        Fact::ActAs(j),
                        DerivationRule::Assume,
                        &[Fact::ActAs(ident)],
                        Via::Grant(g),
                        Via::None,
                    );
                }
                GrantTarget::Component(c)
                    if grant.access != Access::Assume && self.done(Fact::Reach(c)) =>
                {
                    self.apply_grant(ident, g, grant.access, c);
                }
                _ => {}
            }
        }
    }

    /// What any position (exec on a component, control of an actor) gives: its zone, its
    /// outgoing flows, what it sends. `e` is the endpoint number.
    fn position_at(&mut self, me: Fact, e: usize) {
        let adj = &self.ix.adj;
        self.emit(
            Fact::InZone(adj.endpoint_zone[e]),
            DerivationRule::Position,
            &[me],
            Via::None,
            Via::None,
        );
        for &edge in adj.out_edges.row(e) {
            if edge.to != NONE {
                let d = ComponentId(edge.to);
                self.emit(
                    Fact::Reach(d),
                    DerivationRule::LateralFlow,
                    &[me],
                    Via::Flow(edge.flow),
                    Via::None,
                );
                if edge.code {
                    self.emit(
                        Fact::Exec(d),
                        DerivationRule::CodeFlow,
                        &[me],
                        Via::Flow(edge.flow),
                        Via::None,
                    );
                }
            }
        }
        for &(f, a) in adj.sends.row(e) {
            self.emit(
                Fact::Taint(a),
                DerivationRule::TaintSend,
                &[me],
                Via::Flow(f),
                Via::None,
            );
        }
    }

    fn on_exec(&mut self, c: ComponentId) {
        let ix = self.ix;
        let adj = &ix.adj;
        let me = Fact::Exec(c);
        self.emit(
            Fact::Reach(c),
            DerivationRule::ExecImpliesReach,
            &[me],
            Via::None,
            Via::None,
        );
        self.position_at(me, c.index());
        for &i in adj.privesc_vulns.row(c.index()) {
            let n = ix.vuln_number(c, i as usize);
            self.emit(
                Fact::Admin(c),
                DerivationRule::PrivilegeEscalation,
                &[me],
                Via::Vuln(n),
                Via::None,
            );
        }
        for &(i, k) in adj.holds.row(c.index()) {
            let h = ix.hold_number(c, i as usize);
            self.emit(
                Fact::Holds(k),
                DerivationRule::HostCredential,
                &[me],
                Via::HostHolds(h),
                Via::None,
            );
        }
        let ident = adj.runs_as[c.index()];
        if ident != NONE {
            self.emit(
                Fact::ActAs(IdentityId(ident)),
                DerivationRule::RunsAs,
                &[me],
                Via::RunsAs(c),
                Via::None,
            );
        }
        for &a in adj.stores.row(c.index()) {
            self.emit(
                Fact::Read(a),
                DerivationRule::LocalData,
                &[me],
                Via::Stores(c),
                Via::None,
            );
            self.emit(
                Fact::Write(a),
                DerivationRule::LocalData,
                &[me],
                Via::Stores(c),
                Via::None,
            );
        }
        for &a in adj.processes.row(c.index()) {
            self.emit(
                Fact::Read(a),
                DerivationRule::LocalData,
                &[me],
                Via::Processes(c),
                Via::None,
            );
        }
        // Delegated access: the attacker makes c's own calls, with c's credentials.
        for &(f, a) in adj.out_returns.row(c.index()) {
            self.emit(
                Fact::Read(a),
                DerivationRule::DelegatedRead,
                &[me],
                Via::Flow(f),
                Via::None,
            );
        }
        for &(f, a) in adj.out_data_unapproved.row(c.index()) {
            self.emit(
                Fact::Write(a),
                DerivationRule::DelegatedWrite,
                &[me],
                Via::Flow(f),
                Via::None,
            );
        }
    }

    fn on_control(&mut self, x: ActorId) {
        let model = self.model;
        let me = Fact::Control(x);
        self.position_at(me, model.components.len() + x.index());
        for &k in &model[x].holds {
            self.emit(
                Fact::Holds(k),
                DerivationRule::ActorCredential,
                &[me],
                Via::ActorHolds(x),
                Via::None,
            );
        }
    }

    fn on_zone(&mut self, z: ZoneId) {
        let ix = self.ix;
        let me = Fact::InZone(z);
        if z == self.model.internet() {
            for &c in &ix.adj.public {
                self.emit(
                    Fact::Reach(c),
                    DerivationRule::PublicReach,
                    &[me],
                    Via::Public(c),
                    Via::None,
                );
            }
        }
        for &c in ix.adj.zone_members.row(z.index()) {
            self.emit(
                Fact::Reach(c),
                DerivationRule::LateralZone,
                &[me],
                Via::Zone(z),
                Via::None,
            );
        }
        for &(f, a) in ix.adj.interceptable.row(z.index()) {
            self.emit(
                Fact::Read(a),
                DerivationRule::Intercept,
                &[me],
                Via::Flow(f),
                Via::None,
            );
            if ix.adj.is_credential[a.index()] {
                self.emit(
                    Fact::Holds(a),
                    DerivationRule::Intercept,
                    &[me],
                    Via::Flow(f),
                    Via::None,
                );
            }
        }
    }
}

/// Runs one attacker to its fixpoint and returns which facts hold.
pub fn reachable(
    model: &Model,
    ix: &Index,
    attacker: AttackerSpec,
    mask: Option<&Mask>,
) -> Vec<bool> {
    Engine::new(model, ix, mask, Discard).run(attacker).0
}

/// Runs one attacker to its fixpoint, keeping every derivation.
pub fn derive(
    model: &Model,
    ix: &Index,
    attacker: AttackerSpec,
    mask: Option<&Mask>,
) -> (Vec<bool>, Vec<Derivation>) {
    Engine::new(model, ix, mask, Vec::new()).run(attacker)
}
