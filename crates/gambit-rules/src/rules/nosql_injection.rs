use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;
use crate::rules::sql_injection::is_nosql;
use gambit_model::vocab::{ComponentKind, Control};

declare_rule! {
    /// ## What it finds
    /// A flow from a component that handles untrusted input to a NoSQL or search store
    /// (cache, search index, or a database spoken to over a MongoDB,
    /// Redis, Elasticsearch, Cassandra, ... protocol) where the sender has neither
    /// `input-validation` nor `parameterized-queries`.
    ///
    /// Vector stores are left out: similarity search takes embeddings, not a query
    /// language.
    ///
    /// ## Why it matters
    /// Query objects and search DSLs built from request data let attackers inject
    /// operators (`{"$ne": null}`), scripts or wildcard queries: authentication bypass,
    /// data dumps and expensive queries that take the store down.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   profiles: {classification: confidential}
    /// actors:
    ///   visitor: {kind: user}
    /// components:
    ///   app: {kind: web-app, public: true}
    ///   search: {kind: search-index, stores: [profiles]}
    /// flows:
    ///   - {from: visitor, to: app, protocol: https, authentication: session}
    ///   - {from: app, to: search, protocol: https, authentication: api-key}
    /// ```
    ///
    /// ## How to fix
    /// Validate types and shapes of request data before it reaches a query (reject
    /// objects where strings are expected), use the driver's typed query builders, and
    /// disable server-side scripting.
    pub struct NosqlInjection {
        id: "nosql-injection",
        title: "NoSQL or search query injection",
        stride: [Tampering, InformationDisclosure],
        cwe: ["CWE-943"],
        capec: ["CAPEC-676"],
        attack: ["T1190"],
        controls: ["input-validation", "parameterized-queries"],
        likelihood: Likely,
        impact: Medium,
        fix: "Validate request data types and build queries with typed builders; disable server-side scripts.",
    }
}

impl Check for NosqlInjection {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, f) in cx.flows() {
            let (Some(from), Some(to)) = (cx.component(f.from), cx.component(f.to)) else {
                continue;
            };
            let gambit_model::Endpoint::Component(from_id) = f.from else {
                continue;
            };
            if cx.third_party(from_id) || cx.off_the_shelf(from) {
                continue;
            }
            let nosql_kind = to
                .kind
                .is_any(&[ComponentKind::Cache, ComponentKind::SearchIndex]);
            let nosql_db = to
                .kind
                .is_any(&[ComponentKind::Database, ComponentKind::DataWarehouse])
                && is_nosql(f.protocol.as_deref());
            if !(nosql_kind || nosql_db) || !cx.facts(from_id).untrusted_input {
                continue;
            }
            if from.has_control(Control::InputValidation)
                || from.has_control(Control::ParameterizedQueries)
            {
                continue;
            }
            cx.finding(&Self::META, Target::Flow(id))
                .because(format!(
                    "{} handles untrusted input and queries {} {} without input-validation",
                    from.id,
                    to.kind.as_str(),
                    to.id
                ))
                .assets(to.stores.iter().copied())
                .emit(out);
        }
    }
}
