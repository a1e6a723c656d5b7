use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;
use gambit_model::vocab::{ComponentKind, Control};

/// Words in a protocol name that mean a non-SQL store (see `nosql-injection`).
pub(crate) const NOSQL_PROTOCOLS: &[&str] = &[
    "mongo",
    "redis",
    "cassandra",
    "cql",
    "dynamo",
    "elastic",
    "opensearch",
    "couch",
    "memcache",
    "neo4j",
    "bolt",
    "gremlin",
];

pub(crate) fn is_nosql(protocol: Option<&str>) -> bool {
    protocol.is_some_and(|p| {
        let p = crate::rules::shared::fold_protocol(p);
        NOSQL_PROTOCOLS.iter().any(|n| p.contains(n))
    })
}

declare_rule! {
    /// ## What it finds
    /// A flow from a component that handles untrusted input (it is exposed, or receives
    /// or keeps data an outsider wrote) to a SQL database or data warehouse, where the
    /// sender lacks the `parameterized-queries` control.
    ///
    /// ## Why it matters
    /// Building queries from request data lets an attacker rewrite them: read every
    /// table, change records, bypass logins, and on some databases run commands. It
    /// stays one of the most exploited web weaknesses.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   customers: {classification: confidential}
    /// actors:
    ///   shopper: {kind: user}
    /// components:
    ///   storefront: {kind: web-app, public: true}
    ///   db: {kind: database, stores: [customers]}
    /// flows:
    ///   - {from: shopper, to: storefront, protocol: https, authentication: session}
    ///   - {from: storefront, to: db, protocol: postgres+tls, authentication: password}
    /// ```
    ///
    /// ## How to fix
    /// Use parameterized queries or an ORM that binds parameters for every query, never
    /// string concatenation; give the database user only the rights the application
    /// needs; add the `parameterized-queries` control.
    pub struct SqlInjection {
        id: "sql-injection",
        title: "SQL injection from untrusted input",
        stride: [Tampering, InformationDisclosure],
        cwe: ["CWE-89"],
        capec: ["CAPEC-66"],
        attack: ["T1190"],
        controls: ["parameterized-queries", "input-validation", "waf"],
        likelihood: Likely,
        impact: Medium,
        fix: "Bind every query parameter (prepared statements or an ORM); never build SQL from strings.",
    }
}

impl Check for SqlInjection {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, f) in cx.flows() {
            let (Some(from), Some(to)) = (cx.component(f.from), cx.component(f.to)) else {
                continue;
            };
            if !to
                .kind
                .is_any(&[ComponentKind::Database, ComponentKind::DataWarehouse])
                || is_nosql(f.protocol.as_deref())
            {
                continue;
            }
            let gambit_model::Endpoint::Component(from_id) = f.from else {
                continue;
            };
            // Off-the-shelf products talking to their own databases (Keycloak, Grafana,
            // a replica) run queries we did not write.
            if cx.third_party(from_id) || cx.off_the_shelf(from) {
                continue;
            }
            let facts = cx.facts(from_id);
            if !facts.untrusted_input || from.has_control(Control::ParameterizedQueries) {
                continue;
            }
            let source = match (facts.exposure_reason.as_deref(), facts.tainted_asset) {
                (Some(r), _) if facts.exposure >= crate::context::ExposureLevel::Partner => {
                    format!("{} is exposed ({r})", from.id)
                }
                (_, Some(a)) => format!(
                    "{} handles {} written by outsiders",
                    from.id,
                    cx.asset_name(a)
                ),
                _ => format!("{} handles untrusted input", from.id),
            };
            cx.finding(&Self::META, Target::Flow(id))
                .because(format!(
                    "{source}; queries {} {} without parameterized-queries",
                    to.kind.as_str(),
                    to.id
                ))
                .assets(to.stores.iter().copied())
                .lowered_by(from_id, &[Control::InputValidation, Control::Waf])
                .emit(out);
        }
    }
}
