use gambit_model::Endpoint;
use gambit_model::vocab::Criticality;
use gambit_model::vocab::{ComponentKind, Control};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// A database, object store or file share that keeps data whose integrity or
    /// availability is high or critical, without the `backup` control and without a
    /// flow to a backup component.
    ///
    /// ## Why it matters
    /// Ransomware, a bad migration, a deleted bucket or a compromised admin account
    /// destroys the data for good. Without backups there is no recovery, only loss.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   claims: {classification: confidential, integrity: critical}
    /// components:
    ///   claims-db: {kind: database, stores: [claims]}
    /// ```
    ///
    /// ## How to fix
    /// Back up on a schedule to storage the production credentials cannot delete
    /// (separate account, immutable or versioned), test restores, and add the `backup`
    /// control or model the flow to the backup component.
    pub struct MissingBackup {
        id: "missing-backup",
        title: "Important data without backup",
        stride: [DenialOfService, Tampering],
        cwe: ["CWE-693"],
        capec: [],
        attack: ["T1485", "T1486"],
        controls: ["backup"],
        likelihood: Unlikely,
        impact: High,
        fix: "Back up to separate, immutable storage and test restores.",
    }
}

impl Check for MissingBackup {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if cx.third_party(id) {
                continue;
            }
            if !c.kind.is_any(&[
                ComponentKind::Database,
                ComponentKind::ObjectStore,
                ComponentKind::FileShare,
                ComponentKind::DataWarehouse,
                ComponentKind::VectorStore,
            ]) || c.has_control(Control::Backup)
            {
                continue;
            }
            let backed_up = c.flows_out.iter().chain(&c.flows_in).any(|&f| {
                let flow = &cx.model[f];
                [flow.from, flow.to].into_iter().any(|e| matches!(e, Endpoint::Component(k) if k != id && cx.model[k].kind.is(ComponentKind::Backup)))
            });
            if backed_up {
                continue;
            }
            let important: Vec<_> = c
                .stores
                .iter()
                .copied()
                .filter(|&a| {
                    cx.model[a].integrity >= Criticality::High
                        || cx.model[a].availability >= Criticality::High
                })
                .collect();
            if important.is_empty() {
                continue;
            }
            let names: Vec<&str> = important.iter().map(|&a| cx.asset_name(a)).collect();
            cx.finding(&Self::META, Target::Component(id))
                .because(format!(
                    "stores {}; no backup control and no flow to a backup",
                    names.join(", ")
                ))
                .assets(important)
                .impact_at_least(gambit_model::vocab::Impact::Medium)
                .fixed_likelihood(Self::META.likelihood)
                .emit(out);
        }
    }
}
