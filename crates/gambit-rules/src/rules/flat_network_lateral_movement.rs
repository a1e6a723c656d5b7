use gambit_model::vocab::Classification;
use gambit_model::vocab::Control;

use crate::context::{Context, ExposureLevel};
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// A zone that is not `isolated` and holds both a component exposed to the internet
    /// and another component that stores confidential or restricted data, where that
    /// datastore lacks the `network-policy` control.
    ///
    /// ## Why it matters
    /// Members of a flat zone reach each other on any port. Once the exposed component
    /// falls, the attacker talks directly to the datastore next to it, skipping the
    /// application and its checks (lateral movement).
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   cards: {classification: restricted}
    /// zones:
    ///   prod: {kind: network}
    /// components:
    ///   web: {kind: web-app, zone: prod, public: true}
    ///   vault-db: {kind: database, zone: prod, stores: [cards]}
    /// ```
    ///
    /// ## How to fix
    /// Segment: put exposed components and datastores in separate zones and allow only
    /// the declared flows (security groups, Kubernetes NetworkPolicy), then mark the
    /// zone `isolated: true` or add `network-policy` to the datastore.
    pub struct FlatNetworkLateralMovement {
        id: "flat-network-lateral-movement",
        title: "Flat network lets an exposed component reach sensitive data",
        stride: [ElevationOfPrivilege, InformationDisclosure],
        cwe: ["CWE-653"],
        capec: ["CAPEC-555"],
        attack: ["T1021", "T1210"],
        controls: ["network-policy"],
        likelihood: Likely,
        impact: Medium,
        fix: "Segment the zone so only declared flows are allowed (security groups, NetworkPolicy).",
    }
}

impl Check for FlatNetworkLateralMovement {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (zi, zone) in cx.model.zones.iter().enumerate() {
            let zid = gambit_model::ZoneId(zi as u32);
            // Administrative zones (accounts, tenants) group things for ownership: their
            // members do not reach each other by sharing one.
            if zone.isolated || zid == cx.model.internet() || !zone.is_network() {
                continue;
            }
            let members: Vec<_> = zone
                .components
                .iter()
                .copied()
                .filter(|&c| !cx.model[c].out_of_scope)
                .collect();
            let exposed: Vec<_> = members
                .iter()
                .copied()
                .filter(|&c| cx.facts(c).exposure == ExposureLevel::Internet)
                .collect();
            if exposed.is_empty() {
                continue;
            }
            let sensitive: Vec<_> = members
                .iter()
                .copied()
                .filter(|c| {
                    !exposed.contains(c) && !cx.model[*c].has_control(Control::NetworkPolicy)
                })
                .filter(|&c| {
                    cx.model[c]
                        .stores
                        .iter()
                        .any(|&a| cx.model[a].classification >= Classification::Confidential)
                })
                .collect();
            if sensitive.is_empty() {
                continue;
            }
            let assets: Vec<_> = sensitive
                .iter()
                .flat_map(|&c| {
                    cx.at_least(
                        cx.model[c].stores.iter().copied(),
                        Classification::Confidential,
                    )
                })
                .collect();
            let exposed_names: Vec<&str> =
                exposed.iter().map(|&c| cx.model[c].id.as_str()).collect();
            let sensitive_names: Vec<&str> =
                sensitive.iter().map(|&c| cx.model[c].id.as_str()).collect();
            cx.finding(&Self::META, Target::Zone(zid))
                .because(format!(
                    "zone {} is not isolated: exposed {} sit next to {} (storing {})",
                    zone.id,
                    exposed_names.join(", "),
                    sensitive_names.join(", "),
                    cx.list_assets(&assets)
                ))
                .assets(assets)
                .shift(1, "an internet-exposed component is in the zone")
                .emit(out);
        }
    }
}
