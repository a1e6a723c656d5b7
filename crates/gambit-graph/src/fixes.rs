//! The fixes a team can make (the spec's choke-point list), which derivations each one
//! removes, which a team may make at all, what each costs, and how each is written.

use gambit_model::vocab::Trust;
use gambit_model::vocab::{Access, Control};
use gambit_model::{ComponentId, Endpoint, GrantTarget, Model};
use serde::Serialize;

use crate::fact::Fact;
use crate::index::{ComponentControl, Fix, Index};
use crate::rule::{DerivationRule, Via};

/// No fix: the filler of a derivation's fix list.
pub const NO_FIX: u32 = u32::MAX;

/// Up to four fixes remove one derivation (an SSRF to the metadata service: patch it,
/// add metadata-protection, add egress-filtering, or stop the component running as its
/// identity).
pub type FixList = [u32; 4];

/// The fixes (dense numbers, [`NO_FIX`] padding) that would remove a derivation, whether
/// or not a team may make them (see [`allowed`]).
pub fn fixes_of(
    model: &Model,
    ix: &Index,
    head: Fact,
    rule: DerivationRule,
    via: Via,
    via2: Via,
) -> FixList {
    let mut out = [NO_FIX; 4];
    let mut put = |slot: usize, fix: Fix| out[slot] = ix.fix_id(fix);
    match (rule, via) {
        (
            DerivationRule::Exploit
            | DerivationRule::ExploitContent
            | DerivationRule::PrivilegeEscalation,
            Via::Vuln(v),
        ) => put(0, Fix::Patch(v)),
        (DerivationRule::InfoDisclosure, Via::Vuln(v)) => {
            put(0, Fix::Patch(v));
            if let Via::HostHolds(h) = via2 {
                put(1, Fix::RemoveCredential(h));
            }
        }
        (DerivationRule::SsrfReach | DerivationRule::AuthBypass, Via::Vuln(v)) => {
            put(0, Fix::Patch(v));
            if let Via::Flow(f) = via2 {
                put(1, Fix::RemoveFlow(f));
            }
        }
        (DerivationRule::SsrfMetadata, Via::Vuln(v)) => {
            put(0, Fix::Patch(v));
            if let Via::RunsAs(c) = via2 {
                put(1, Fix::AddControl(ComponentControl::MetadataProtection, c));
                put(2, Fix::AddControl(ComponentControl::EgressFiltering, c));
                put(3, Fix::RemoveRunsAs(c));
            }
        }
        (DerivationRule::LateralZone, Via::Zone(z)) => {
            // The internet is no one's to isolate.
            if z != model.internet() {
                put(0, Fix::IsolateZone(z));
            }
            if let Fact::Reach(c) = head {
                put(1, Fix::AddControl(ComponentControl::NetworkPolicy, c));
            }
        }
        (
            DerivationRule::LateralFlow
            | DerivationRule::ForwardReach
            | DerivationRule::UnauthFlow
            | DerivationRule::Intercept
            | DerivationRule::TaintSend
            | DerivationRule::Feed
            | DerivationRule::DelegatedRead,
            Via::Flow(f),
        ) => put(0, Fix::RemoveFlow(f)),
        (DerivationRule::DelegatedWrite, Via::Flow(f)) => {
            put(0, Fix::RemoveFlow(f));
            put(1, Fix::AddFlowApproval(f));
            if let Endpoint::Component(p) = model[f].from {
                put(2, Fix::AddControl(ComponentControl::HumanApproval, p));
            }
        }
        (DerivationRule::CodeFlow, Via::Flow(f)) => {
            put(0, Fix::RemoveFlow(f));
            if let Via::Grant(g) = via2 {
                put(1, Fix::RemoveGrant(g));
            }
        }
        (
            DerivationRule::AdminGrant | DerivationRule::GrantData | DerivationRule::Assume,
            Via::Grant(g),
        ) => {
            put(0, Fix::RemoveGrant(g));
            if let Via::Flow(f) = via2 {
                put(1, Fix::RemoveFlow(f));
            }
        }
        (DerivationRule::HostCredential, Via::HostHolds(h)) => put(0, Fix::RemoveCredential(h)),
        (DerivationRule::RunsAs, Via::RunsAs(c)) => put(0, Fix::RemoveRunsAs(c)),
        (DerivationRule::Phishing, Via::Phish(a)) => put(0, Fix::RequireMfa(a)),
        _ => {}
    }
    out
}

fn third_party_component(model: &Model, c: ComponentId) -> bool {
    model.is_third_party(Endpoint::Component(c))
}

/// Whether a team may make `fix`, and if not, why (for the uncuttable reason).
pub fn refusal(model: &Model, ix: &Index, fix: Fix) -> Option<&'static str> {
    let third = "belongs to a third party";
    match fix {
        Fix::Patch(v) => {
            let c = ix.vuln(v).0;
            if third_party_component(model, c) {
                Some(third)
            } else if model[c].managed {
                Some("managed: only the provider can patch it")
            } else {
                None
            }
        }
        Fix::IsolateZone(z) => (z == model.internet()
            || matches!(model[z].trust, Trust::Untrusted | Trust::Partner))
        .then_some(third),
        Fix::RemoveFlow(f) => {
            let flow = &model[f];
            if flow.required {
                Some("required")
            } else if model.is_third_party(flow.from) || model.is_third_party(flow.to) {
                Some(third)
            } else {
                None
            }
        }
        Fix::RemoveGrant(g) => {
            let (ident, i) = ix.grant(g);
            model[ident].grants[i].required.then_some("required")
        }
        Fix::RemoveCredential(h) => third_party_component(model, ix.hold(h).0).then_some(third),
        Fix::RemoveRunsAs(c) | Fix::AddControl(_, c) => {
            third_party_component(model, c).then_some(third)
        }
        Fix::AddFlowApproval(f) => model.is_third_party(model[f].from).then_some(third),
        Fix::RequireMfa(_) => None,
    }
}

/// Whether a team may make `fix`.
pub fn allowed(model: &Model, ix: &Index, fix: Fix) -> bool {
    refusal(model, ix, fix).is_none()
}

/// The cost of a fix in the choke-point objective: rough engineering effort, with
/// patches and added controls cheaper than removing access a team uses (the table is in
/// docs/attack-graph.md; keep the two in step).
pub fn cost(fix: Fix) -> f64 {
    match fix {
        Fix::Patch(_) => 1.0,
        Fix::AddControl(ComponentControl::MetadataProtection, _) => 1.0,
        Fix::AddControl(ComponentControl::NetworkPolicy, _) | Fix::RequireMfa(_) => 1.5,
        Fix::AddControl(ComponentControl::EgressFiltering | ComponentControl::HumanApproval, _)
        | Fix::AddFlowApproval(_) => 2.0,
        Fix::IsolateZone(_) => 3.0,
        Fix::RemoveCredential(_) | Fix::RemoveRunsAs(_) | Fix::RemoveGrant(_) => 4.0,
        Fix::RemoveFlow(_) => 5.0,
    }
}

/// A fix as data: what to change, by element id (`action` in JSON).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum FixAction {
    Patch {
        component: String,
        vulnerability: String,
    },
    AddControl {
        control: Control,
        #[serde(skip_serializing_if = "Option::is_none")]
        component: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        flow: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        actor: Option<String>,
    },
    IsolateZone {
        zone: String,
    },
    RemoveGrant {
        identity: String,
        access: Access,
        target: String,
    },
    RemoveFlow {
        flow: String,
    },
    RemoveCredential {
        component: String,
        credential: String,
    },
    RemoveRunsAs {
        component: String,
        identity: String,
    },
}

/// A fix in words, its kind (what sort of element changes), the element, and as data.
pub struct Described {
    pub text: String,
    pub kind: &'static str,
    pub target: String,
    pub action: FixAction,
}

fn add_control(control: Control) -> FixAction {
    FixAction::AddControl {
        control,
        component: None,
        flow: None,
        actor: None,
    }
}

pub fn describe(model: &Model, ix: &Index, fix: Fix) -> Described {
    let d = |text: String, kind, target: &str, action| Described {
        text,
        kind,
        target: target.to_owned(),
        action,
    };
    match fix {
        Fix::Patch(v) => {
            let (c, i) = ix.vuln(v);
            let (comp, vuln) = (&model[c].id, &model[c].vulnerabilities[i].id);
            d(
                format!("patch {vuln} on {comp}"),
                "vulnerability",
                comp,
                FixAction::Patch {
                    component: comp.clone(),
                    vulnerability: vuln.clone(),
                },
            )
        }
        Fix::IsolateZone(z) => {
            let zone = &model[z].id;
            d(
                format!("isolate zone {zone}"),
                "zone",
                zone,
                FixAction::IsolateZone { zone: zone.clone() },
            )
        }
        Fix::RemoveFlow(f) => {
            let flow = &model[f].id;
            d(
                format!("remove flow {flow}"),
                "flow",
                flow,
                FixAction::RemoveFlow { flow: flow.clone() },
            )
        }
        Fix::RemoveGrant(g) => {
            let (ident, i) = ix.grant(g);
            let grant = &model[ident].grants[i];
            let target = match grant.target {
                GrantTarget::Component(c) => &model[c].id,
                GrantTarget::Identity(j) => &model[j].id,
            };
            let identity = &model[ident].id;
            let access = grant.access;
            d(
                format!("remove grant {access} on {target} from {identity}"),
                "grant",
                identity,
                FixAction::RemoveGrant {
                    identity: identity.clone(),
                    access,
                    target: target.clone(),
                },
            )
        }
        Fix::RemoveCredential(h) => {
            let (c, a) = ix.hold(h);
            let (comp, cred) = (&model[c].id, &model[a].id);
            d(
                format!("remove {cred} from {comp}"),
                "credential",
                comp,
                FixAction::RemoveCredential {
                    component: comp.clone(),
                    credential: cred.clone(),
                },
            )
        }
        Fix::RemoveRunsAs(c) => {
            let comp = &model[c].id;
            let identity = model[c]
                .runs_as
                .map_or_else(String::new, |i| model[i].id.clone());
            d(
                format!("stop {comp} running as {identity}"),
                "runs-as",
                comp,
                FixAction::RemoveRunsAs {
                    component: comp.clone(),
                    identity,
                },
            )
        }
        Fix::AddControl(control, c) => {
            let comp = &model[c].id;
            let mut action = add_control(control.control());
            if let FixAction::AddControl { component, .. } = &mut action {
                *component = Some(comp.clone());
            }
            d(
                format!("add {} to {comp}", control.control()),
                "control",
                comp,
                action,
            )
        }
        Fix::AddFlowApproval(f) => {
            let flow = &model[f].id;
            let mut action = add_control(Control::HumanApproval);
            if let FixAction::AddControl { flow: slot, .. } = &mut action {
                *slot = Some(flow.clone());
            }
            d(
                format!("add human-approval to flow {flow}"),
                "control",
                flow,
                action,
            )
        }
        Fix::RequireMfa(a) => {
            let actor = &model[a].id;
            let mut action = add_control(Control::Mfa);
            if let FixAction::AddControl { actor: slot, .. } = &mut action {
                *slot = Some(actor.clone());
            }
            d(format!("require mfa for {actor}"), "control", actor, action)
        }
    }
}
