use gambit_model::vocab::{Authentication, Authorization, Classification};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// A flow into a service that handles non-public data where the model says
    /// `authorization: none`, or where an outside person, authenticated but with no
    /// authorization written, gets confidential or restricted data back.
    ///
    /// ## Why it matters
    /// Authentication says who the caller is, authorization what they may touch. Without
    /// it every authenticated user can read or change every other user's records by
    /// changing an id in the request (broken object-level authorization, OWASP API #1).
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   accounts: {classification: restricted}
    /// actors:
    ///   customer: {kind: user}
    /// components:
    ///   bank-api: {kind: api, public: true, processes: [accounts]}
    /// flows:
    ///   - {from: customer, to: bank-api, protocol: https, authentication: oauth, authorization: none, returns: [accounts]}
    /// ```
    ///
    /// ## How to fix
    /// Check on every request that the caller may act on the object it names (per-user
    /// ownership, roles or attributes), in one place the whole API uses, and write the
    /// model it follows on the flow (`authorization: user`, `role` or `attribute`).
    pub struct MissingAuthorization {
        id: "missing-authorization",
        title: "Authenticated callers are not authorized per object",
        stride: [ElevationOfPrivilege, InformationDisclosure],
        cwe: ["CWE-862", "CWE-639"],
        capec: ["CAPEC-122"],
        attack: ["T1190"],
        controls: [],
        likelihood: Likely,
        impact: Medium,
        fix: "Enforce object-level authorization on every request and record it on the flow.",
    }
}

impl Check for MissingAuthorization {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, f) in cx.flows() {
            let Some(to) = cx.component(f.to) else {
                continue;
            };
            // Logins and forwarding hops do not authorize: the service behind them does.
            if !cx.authorizes_requests(to) {
                continue;
            }
            if cx.authentication(f) == Authentication::None {
                continue; // missing-authentication reports it
            }
            let explicit_none = f.authorization == Some(Authorization::None);
            let person = cx.actor(f.from).is_some_and(|a| cx.is_human(a)) && cx.is_external(f.from);
            let returned = cx.at_least(f.returns.iter().copied(), Classification::Confidential);
            let data = if explicit_none {
                cx.at_least(
                    cx.handled(to).into_iter().chain(f.returns.iter().copied()),
                    Classification::Internal,
                )
            } else if f.authorization.is_none() && person {
                returned
            } else {
                continue;
            };
            if data.is_empty() {
                continue;
            }
            let why = if explicit_none {
                "authorization: none".to_owned()
            } else {
                format!("no authorization is written for {}", cx.describe(f.from))
            };
            cx.finding(&Self::META, Target::Flow(id))
                .because(format!(
                    "{why}; authenticated ({}) callers reach {}",
                    cx.authentication(f),
                    cx.list_assets(&data)
                ))
                .assets(data)
                .emit(out);
        }
    }
}
