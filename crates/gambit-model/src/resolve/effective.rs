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
pub(super) fn derive(components: &mut [Component], flows: &mut [Flow]) {
    let carried = carried_authentication(components, flows);
    for f in flows.iter_mut() {
        f.effective_authentication = match f.from {
            Endpoint::Component(p) if f.forwards_callers(components) => {
                let proxy = &components[p.index()];
                if proxy.states_authentication() {
                    proxy.authentication
                } else {
                    carried[p.index()].unwrap_or(Authentication::None)
                }
            }
            _ => f.authentication,
        };
    }
    for c in components.iter_mut() {
        c.effective_authentication = if c.authentication_derived {
            c.flows_in
                .iter()
                .map(|f| flows[f.index()].effective_authentication)
                .reduce(weaker)
                .unwrap_or(Authentication::None)
        } else {
            c.authentication
        };
    }
}

/// For each forwarding component that states no authentication, the weakest
/// authentication its callers can arrive with; `None` for other components, and for a
/// chain that nothing enters from outside (a pure cycle), which counts as none.
fn carried_authentication(components: &[Component], flows: &[Flow]) -> Vec<Option<Authentication>> {
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
            Some(Authentication::None)
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
