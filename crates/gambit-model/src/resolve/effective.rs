//! Effective authentication: what the caller behind a flow or a component really proved.
//!
//! A load balancer or a CDN does not authenticate to its origin; it passes its callers'
//! requests on. So a flow out of a forwarding component that states no authentication
//! carries the weakest authentication among the flows that enter the forwarding chain
//! from outside it (model language, revision 2, "flows"). Reading authentication hop by
//! hop made the CDN-to-origin hop an unauthenticated door it is not.
//!
//! The chain is followed backwards as a fixpoint over "weakest so far": values only get
//! weaker, so it ends after at most a few passes per flow, and a cycle of forwarding
//! components adds nothing (a component's own value is never weaker than itself).

use crate::model::{Component, ComponentId, Endpoint, Flow};
use crate::vocab::Authentication;

/// A total order, weakest first: strength, then the vocabulary's order, so the result
/// never depends on the order flows are visited in.
fn weakness(a: Authentication) -> (u8, Authentication) {
    (a.strength(), a)
}

fn weaker(a: Authentication, b: Authentication) -> Authentication {
    if weakness(b) < weakness(a) { b } else { a }
}

/// Fills `effective_authentication` on every flow and component.
///
/// A flow whose authentication is unknown (a discovered flow that says nothing, see
/// `Flow::authentication_unknown`) never lowers what its target demands: it carries its
/// callers' authentication when it leaves a forwarding chain that known flows enter, and
/// otherwise meets whatever its target demands.
pub(super) fn derive(components: &mut [Component], flows: &mut [Flow]) {
    let carried = carried_authentication(components, flows, Some(Authentication::None));
    let carried_known = carried_authentication(components, flows, None);
    let known: Vec<Option<Authentication>> = flows
        .iter()
        .map(|f| match f.from {
            Endpoint::Component(p) if f.forwards_callers(components) => {
                let proxy = &components[p.index()];
                if proxy.states_authentication() {
                    Some(proxy.authentication)
                } else if f.authentication_unknown {
                    carried_known[p.index()]
                } else {
                    Some(carried[p.index()].unwrap_or(Authentication::None))
                }
            }
            _ if f.authentication_unknown => None,
            _ => Some(f.authentication),
        })
        .collect();
    for c in components.iter_mut() {
        c.effective_authentication = if c.authentication_derived {
            c.flows_in
                .iter()
                .filter_map(|f| known[f.index()])
                .reduce(weaker)
                .unwrap_or(Authentication::None)
        } else {
            c.authentication
        };
    }
    for (f, known) in flows.iter_mut().zip(known) {
        f.effective_authentication = known.unwrap_or(match f.to {
            Endpoint::Component(c) => components[c.index()].effective_authentication,
            Endpoint::Actor(_) => Authentication::None,
        });
    }
    carry_encryption(components, flows);
}

/// Discovered hops out of forwarding components that do not state `encrypted` pass their
/// callers' connections on: such a hop is encrypted when every flow entering its
/// forwarding chain is (the Service in front of a database carries the TLS its client
/// opened; its port's protocol said nothing of it). Values only get weaker, so the
/// fixpoint ends; a hop nothing known enters keeps its protocol's default.
fn carry_encryption(components: &[Component], flows: &mut [Flow]) {
    let carries = |f: &Flow| {
        f.encryption_unknown
            && matches!(f.from, Endpoint::Component(p) if components[p.index()].is_forwarding())
    };
    let mut carried: Vec<Option<bool>> = vec![None; flows.len()];
    let mut work: Vec<usize> = (0..flows.len()).filter(|&i| carries(&flows[i])).collect();
    while let Some(i) = work.pop() {
        let Endpoint::Component(proxy) = flows[i].from else {
            continue;
        };
        let entering = components[proxy.index()].flows_in.iter().filter_map(|g| {
            let g = g.index();
            if carries(&flows[g]) {
                carried[g]
            } else {
                Some(flows[g].encrypted)
            }
        });
        let value = entering.reduce(|a, b| a && b);
        if value.is_some() && value != carried[i] {
            carried[i] = value;
            if let Endpoint::Component(next) = flows[i].to {
                work.extend(
                    components[next.index()]
                        .flows_out
                        .iter()
                        .map(|g| g.index())
                        .filter(|&g| carries(&flows[g])),
                );
            }
        }
    }
    for (f, value) in flows.iter_mut().zip(carried) {
        if let Some(encrypted) = value {
            f.encrypted = encrypted;
        }
    }
}

/// For each forwarding component that states no authentication, the weakest
/// authentication its callers can arrive with; `None` for other components, and for a
/// chain that nothing enters from outside (a pure cycle), which counts as none. A
/// forwarding component with no flow into it forwards anyone: `nothing_enters` (none by
/// the model language; `None`, unknown, for what discovered flows carry). Flows of unknown
/// authentication entering a chain add nothing.
fn carried_authentication(
    components: &[Component],
    flows: &[Flow],
    nothing_enters: Option<Authentication>,
) -> Vec<Option<Authentication>> {
    let passes_on = |c: &Component| c.is_forwarding() && !c.states_authentication();
    let mut carried: Vec<Option<Authentication>> = vec![None; components.len()];
    // What a flow brings into a forwarding component, when it is known without the
    // fixpoint: `None` when it comes from another pass-through component.
    let entering = |f: &Flow| -> Option<Authentication> {
        match f.from {
            Endpoint::Component(q) if f.forwards_callers(components) => {
                let q = &components[q.index()];
                if passes_on(q) {
                    None
                } else {
                    Some(q.authentication)
                }
            }
            _ if f.authentication_unknown => None,
            _ => Some(f.authentication),
        }
    };
    let mut work: Vec<ComponentId> = Vec::new();
    for (i, c) in components.iter().enumerate() {
        if !passes_on(c) {
            continue;
        }
        // A forwarding component nothing flows into forwards anyone: none.
        carried[i] = if c.flows_in.is_empty() {
            nothing_enters
        } else {
            c.flows_in
                .iter()
                .filter_map(|f| entering(&flows[f.index()]))
                .reduce(weaker)
        };
        if carried[i].is_some() {
            work.push(ComponentId(i as u32));
        }
    }
    while let Some(q) = work.pop() {
        let Some(value) = carried[q.index()] else {
            continue;
        };
        for f in &components[q.index()].flows_out {
            let f = &flows[f.index()];
            let Endpoint::Component(p) = f.to else {
                continue;
            };
            if !passes_on(&components[p.index()]) || !f.forwards_callers(components) {
                continue;
            }
            let next = carried[p.index()].map_or(value, |old| weaker(old, value));
            if carried[p.index()] != Some(next) {
                carried[p.index()] = Some(next);
                work.push(p);
            }
        }
    }
    carried
}
