//! The derivation rules of the spec's table ("What an attacker can do") and the model
//! facts a derivation rests on.

use gambit_model::vocab::Vocab;
use gambit_model::{ActorId, AssetId, ComponentId, FlowId, Model, ZoneId};

use crate::fact::Fact;
use crate::index::Index;

/// One row of the spec's table (several rows share a technique), plus the implications
/// exec ⇒ reach, admin ⇒ exec and the internal "position in zone" bookkeeping.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DerivationRule {
    /// Where the attacker starts (a controlled actor, a compromised component, the internet).
    Start,
    /// reach C: C is public and the attacker is on the internet.
    PublicReach,
    /// reach C: a flow from a position to C.
    LateralFlow,
    /// reach C: a position shares C's network zone (not isolated; C without network-policy).
    LateralZone,
    /// reach C: reach a forwarding component P and a flow P→C (not code).
    ForwardReach,
    /// reach D: reach or feed C, an open ssrf vulnerability on C, and a flow C→D.
    SsrfReach,
    /// feed C: the attacker taints an asset C receives or processes.
    Feed,
    /// exec C: reach C and an open code-execution vulnerability.
    Exploit,
    /// exec C: feed C and an open code-execution vulnerability (content it consumes).
    ExploitContent,
    /// admin C: exec C and an open privilege-escalation vulnerability.
    PrivilegeEscalation,
    /// admin C: act as an identity granted admin on C, and reach C.
    AdminGrant,
    /// exec C: a `code: true` flow from a position, or from a component the attacker can
    /// write through a grant.
    CodeFlow,
    /// exec C (an llm or llm-agent): feed C.
    PromptInjection,
    /// holds K: exec C and C holds K.
    HostCredential,
    /// holds K: read K.
    ReadCredential,
    /// holds K: a controlled actor holds K.
    ActorCredential,
    /// holds K: phishing an actor without MFA (internet attacker).
    Phishing,
    /// act as I: hold a credential that grants I.
    UseCredential,
    /// act as I: exec C and C runs as I.
    RunsAs,
    /// act as I: act as J and J may assume I.
    Assume,
    /// act as I: reach or feed C with an open ssrf vulnerability, C runs as I and has
    /// neither metadata-protection nor egress-filtering (cloud metadata credentials).
    SsrfMetadata,
    /// read/write A: exec C and C stores or processes A.
    LocalData,
    /// read/write A: act as I with a grant on C and reach C: what C stores, what the flows
    /// into C return (read) or carry (write).
    GrantData,
    /// read A: exec P and a flow P→X returns A (P's own call, made by the attacker).
    DelegatedRead,
    /// write A: exec P and a flow P→X carries A, without human-approval on the flow or P.
    DelegatedWrite,
    /// read/write A: reach C with an open auth-bypass vulnerability.
    AuthBypass,
    /// read A: reach or feed C with an open info-disclosure vulnerability.
    InfoDisclosure,
    /// read+write A: reach an unauthenticated datastore that stores A.
    UnauthDatastore,
    /// read A: reach C and a flow into C whose effective authentication is none returns A.
    UnauthFlow,
    /// read A (holds A): an unencrypted flow carrying A, attacker in an end's network zone.
    Intercept,
    /// taint A: write A.
    TaintWrite,
    /// taint A: a position sends A.
    TaintSend,
    /// reach C: exec C.
    ExecImpliesReach,
    /// exec C: admin C.
    AdminImpliesExec,
    /// in zone Z: a position in Z.
    Position,
}

impl DerivationRule {
    /// The ATT&CK (or ATLAS) technique id shown for this step; `-` for taint.
    pub fn technique(self, head_public: bool) -> &'static str {
        match self {
            DerivationRule::Start => "-",
            DerivationRule::PublicReach
            | DerivationRule::UnauthDatastore
            | DerivationRule::UnauthFlow
            | DerivationRule::AuthBypass
            | DerivationRule::InfoDisclosure => "T1190",
            DerivationRule::LateralFlow | DerivationRule::LateralZone => "T1021",
            DerivationRule::ForwardReach | DerivationRule::SsrfReach => "T1090",
            DerivationRule::Feed => "T1204",
            DerivationRule::Exploit => {
                if head_public {
                    "T1190"
                } else {
                    "T1210"
                }
            }
            DerivationRule::ExploitContent => "T1203",
            DerivationRule::PrivilegeEscalation => "T1068",
            DerivationRule::AdminGrant
            | DerivationRule::UseCredential
            | DerivationRule::RunsAs
            | DerivationRule::Assume => "T1078",
            DerivationRule::SsrfMetadata => "T1552.005",
            DerivationRule::CodeFlow => "T1195",
            DerivationRule::PromptInjection => "AML.T0051",
            DerivationRule::HostCredential
            | DerivationRule::ReadCredential
            | DerivationRule::ActorCredential => "T1552",
            DerivationRule::Phishing => "T1566",
            DerivationRule::LocalData => "T1005",
            DerivationRule::GrantData => "T1530",
            DerivationRule::DelegatedRead => "T1213",
            DerivationRule::DelegatedWrite => "T1565",
            DerivationRule::Intercept => "T1557",
            DerivationRule::TaintWrite | DerivationRule::TaintSend => "-",
            DerivationRule::ExecImpliesReach
            | DerivationRule::AdminImpliesExec
            | DerivationRule::Position => "-",
        }
    }

    /// Bookkeeping steps that are not shown as numbered steps of a path.
    pub fn hidden(self) -> bool {
        matches!(
            self,
            DerivationRule::Start
                | DerivationRule::ExecImpliesReach
                | DerivationRule::AdminImpliesExec
                | DerivationRule::Position
        )
    }
}

/// The model fact a derivation used: what a step is "via", and what a fix removes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Via {
    None,
    /// Global vulnerability number (see [`Index::vuln`]).
    Vuln(u32),
    Flow(FlowId),
    /// Global grant number (see [`Index::grant`]).
    Grant(u32),
    Public(ComponentId),
    Zone(ZoneId),
    /// Global host-credential number (see [`Index::hold`]).
    HostHolds(u32),
    ActorHolds(ActorId),
    Credential(AssetId),
    RunsAs(ComponentId),
    Stores(ComponentId),
    Processes(ComponentId),
    Unauth(ComponentId),
    Phish(ActorId),
    /// An llm component acting on instructions in content it consumes.
    Injected(ComponentId),
    /// The attacker's own starting point.
    Attacker,
}

impl Via {
    /// The model fact in words, e.g. `CVE-2021-23017` or `web->db`.
    pub fn describe(self, model: &Model, ix: &Index) -> String {
        match self {
            Via::None => String::new(),
            Via::Vuln(v) => {
                let (c, i) = ix.vuln(v);
                model[c].vulnerabilities[i].id.clone()
            }
            Via::Flow(f) => model[f].id.clone(),
            Via::Grant(g) => {
                let (ident, i) = ix.grant(g);
                let grant = &model[ident].grants[i];
                let target = match grant.target {
                    gambit_model::GrantTarget::Component(c) => &model[c].id,
                    gambit_model::GrantTarget::Identity(j) => &model[j].id,
                };
                format!(
                    "{} grants {} on {}",
                    model[ident].id,
                    grant.access.as_str(),
                    target
                )
            }
            Via::Public(c) => format!("{} is public", model[c].id),
            Via::Zone(z) => format!("shared zone {}", model[z].id),
            Via::HostHolds(h) => {
                let (c, a) = ix.hold(h);
                format!("{} holds {}", model[c].id, model[a].id)
            }
            Via::ActorHolds(a) => format!("{} holds it", model[a].id),
            Via::Credential(k) => match model[k].grants {
                Some(i) => format!("{} grants {}", model[k].id, model[i].id),
                None => model[k].id.clone(),
            },
            Via::RunsAs(c) => match model[c].runs_as {
                Some(i) => format!("{} runs as {}", model[c].id, model[i].id),
                None => model[c].id.clone(),
            },
            Via::Stores(c) => format!("stored on {}", model[c].id),
            Via::Processes(c) => format!("processed by {}", model[c].id),
            Via::Unauth(c) => format!("{} accepts unauthenticated callers", model[c].id),
            Via::Phish(a) => format!("phishing {} (no mfa)", model[a].id),
            Via::Injected(c) => format!(
                "{} follows instructions in content it consumes",
                model[c].id
            ),
            Via::Attacker => "attacker".to_owned(),
        }
    }

    /// The component a step acts on, whose controls lower its likelihood.
    pub fn component(self, model: &Model, ix: &Index) -> Option<ComponentId> {
        match self {
            Via::Vuln(v) => Some(ix.vuln(v).0),
            Via::Public(c)
            | Via::RunsAs(c)
            | Via::Stores(c)
            | Via::Processes(c)
            | Via::Unauth(c)
            | Via::Injected(c) => Some(c),
            Via::HostHolds(h) => Some(ix.hold(h).0),
            Via::Flow(f) => match model[f].to {
                gambit_model::Endpoint::Component(c) => Some(c),
                gambit_model::Endpoint::Actor(_) => None,
            },
            _ => None,
        }
    }
}

/// What a step is "via", in words: the model fact, with a plain explanation for the
/// revision-2 steps whose model fact alone does not say why the step works.
pub fn explain(
    model: &Model,
    ix: &Index,
    head: Fact,
    rule: DerivationRule,
    via: Via,
    via2: Via,
) -> String {
    let fact = via.describe(model, ix);
    let flow_ends = |f: FlowId| {
        let flow = &model[f];
        (model.endpoint_name(flow.from), model.endpoint_name(flow.to))
    };
    match (rule, via, via2) {
        (DerivationRule::ForwardReach, Via::Flow(f), _) => {
            let (p, _) = flow_ends(f);
            let kind = match model[f].from {
                gambit_model::Endpoint::Component(c) => model[c].kind.as_str().replace('-', " "),
                gambit_model::Endpoint::Actor(_) => String::new(),
            };
            let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            };
            format!("{fact} ({p}, {article} {kind}, forwards requests)")
        }
        (DerivationRule::SsrfReach, Via::Vuln(_), Via::Flow(f)) => {
            let (c, d) = flow_ends(f);
            format!("{fact} (server-side request forgery: {c} calls {d} for the attacker)")
        }
        (DerivationRule::SsrfMetadata, Via::Vuln(_), Via::RunsAs(c)) => format!(
            "{fact} (server-side request forgery to the cloud metadata service: {})",
            Via::RunsAs(c).describe(model, ix)
        ),
        (DerivationRule::Feed, Via::Flow(f), _) => {
            let (from, to) = flow_ends(f);
            match head {
                Fact::Feed(c) if model[f].to == gambit_model::Endpoint::Component(c) => {
                    format!("{fact} ({from} sends {to} attacker content)")
                }
                _ => format!("{fact} ({to} returns attacker content to {from})"),
            }
        }
        (DerivationRule::Feed, Via::Processes(c), _) => {
            format!("{} processes attacker content", model[c].id)
        }
        (DerivationRule::ExploitContent, _, _) => {
            format!("{fact} (triggered by content it consumes)")
        }
        (DerivationRule::DelegatedRead, Via::Flow(f), _) => {
            let (p, c) = flow_ends(f);
            format!("{fact} ({p} calls {c}, which returns it)")
        }
        (DerivationRule::DelegatedWrite, Via::Flow(f), _) => {
            let (p, c) = flow_ends(f);
            format!("{fact} ({p} calls {c} with it)")
        }
        (DerivationRule::GrantData, Via::Grant(_), Via::Flow(f)) => {
            format!("{fact} (through what {} carries)", model[f].id)
        }
        (DerivationRule::AuthBypass, _, Via::Flow(f)) => {
            format!(
                "{fact} (authentication bypass: acting as a caller of {})",
                model[f].id
            )
        }
        (DerivationRule::AuthBypass, _, _) => format!("{fact} (authentication bypass)"),
        (DerivationRule::InfoDisclosure, _, _) => format!("{fact} (information disclosure)"),
        (DerivationRule::UnauthFlow, Via::Flow(f), _)
            if model[f].forwards_callers(&model.components) =>
        {
            format!("{fact} (forwarded from unauthenticated callers)")
        }
        _ => fact,
    }
}
