use gambit_model::Endpoint;
use gambit_model::vocab::ComponentKind;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// A backup component that shares a zone with a datastore it backs up (they
    /// exchange a flow), or that an identity can write to or administer while also
    /// writing to that datastore.
    ///
    /// ## Why it matters
    /// Ransomware operators delete backups first. If the same network position or the
    /// same credentials reach production and its backups, one compromise destroys both
    /// and recovery is impossible.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   orders: {classification: confidential, integrity: high}
    /// zones:
    ///   prod: {kind: network}
    /// components:
    ///   db: {kind: database, zone: prod, stores: [orders]}
    ///   db-backup: {kind: backup, zone: prod, stores: [orders]}
    /// flows:
    ///   - {from: db, to: db-backup, protocol: https, authentication: iam, data: [orders]}
    /// ```
    ///
    /// ## How to fix
    /// Keep backups in a separate account or vault with its own credentials, make them
    /// immutable (object lock, vault lock), and let production only append.
    pub struct BackupNotIsolated {
        id: "backup-not-isolated",
        title: "Backups reachable from what they protect",
        stride: [DenialOfService, Tampering],
        cwe: ["CWE-653"],
        capec: [],
        attack: ["T1490", "T1485"],
        controls: ["backup"],
        likelihood: Unlikely,
        impact: High,
        fix: "Move backups to a separate account with its own credentials and make them immutable.",
    }
}

impl Check for BackupNotIsolated {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if !c.kind.is(ComponentKind::Backup) {
                continue;
            }
            let mut facts = Vec::new();
            let mut sources = Vec::new();
            for &f in c.flows_in.iter().chain(&c.flows_out) {
                let flow = &cx.model[f];
                for e in [flow.from, flow.to] {
                    if let Endpoint::Component(k) = e
                        && k != id
                        && cx.model[k].is_datastore()
                    {
                        sources.push(k);
                    }
                }
            }
            sources.sort();
            sources.dedup();
            for &s in &sources {
                if cx.model[s].zone == c.zone {
                    facts.push(format!(
                        "shares zone {} with {}",
                        cx.model[c.zone].id, cx.model[s].id
                    ));
                }
            }
            for (iid, identity) in cx.identities() {
                let writable = cx.writable_by(iid);
                if writable.contains(&id)
                    && let Some(&s) = sources.iter().find(|s| writable.contains(s))
                {
                    facts.push(format!(
                        "{} can write to both {} and {}",
                        identity.id, cx.model[s].id, c.id
                    ));
                }
            }
            if facts.is_empty() {
                continue;
            }
            cx.finding(&Self::META, Target::Component(id))
                .because(facts.join("; "))
                .assets(c.stores.iter().copied())
                .fixed_likelihood(Self::META.likelihood)
                .emit(out);
        }
    }
}
