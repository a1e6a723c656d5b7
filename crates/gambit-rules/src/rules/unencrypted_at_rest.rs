use gambit_model::vocab::AssetKind;
use gambit_model::vocab::Classification;
use gambit_model::vocab::Control;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// A datastore that keeps confidential or restricted data, or credentials, without
    /// encryption at rest (`encrypted_at_rest` is false and it lacks the
    /// `encryption-at-rest` control).
    ///
    /// ## Why it matters
    /// Disks, snapshots, backups and replicas leave the datastore's protection: a copied
    /// snapshot, a decommissioned drive or a stolen backup then gives the data away in
    /// clear, without any access control in the way.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   patients: {classification: restricted}
    /// components:
    ///   records-db: {kind: database, stores: [patients]}
    /// ```
    ///
    /// ## How to fix
    /// Turn on storage encryption with keys in a KMS (for example RDS/EBS/S3 encryption
    /// with customer-managed keys), then write `encrypted_at_rest: true`.
    pub struct UnencryptedAtRest {
        id: "unencrypted-at-rest",
        title: "Sensitive data stored unencrypted",
        stride: [InformationDisclosure],
        cwe: ["CWE-311", "CWE-312"],
        capec: ["CAPEC-37"],
        attack: ["T1530", "T1005"],
        controls: ["encryption-at-rest"],
        likelihood: Unlikely,
        impact: Medium,
        fix: "Encrypt the storage with KMS-managed keys and set encrypted_at_rest: true.",
    }
}

impl Check for UnencryptedAtRest {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if cx.third_party(id) {
                continue;
            }
            if !c.is_datastore() || c.encrypted_at_rest || c.has_control(Control::EncryptionAtRest)
            {
                continue;
            }
            let data: Vec<_> = c
                .stores
                .iter()
                .copied()
                .filter(|&a| {
                    let asset = &cx.model[a];
                    asset.classification >= Classification::Confidential
                        || asset.kind == AssetKind::Credential
                })
                .collect();
            if data.is_empty() {
                continue;
            }
            cx.finding(&Self::META, Target::Component(id))
                .because(format!(
                    "{} without encryption at rest stores {}",
                    c.kind.as_str(),
                    cx.list_assets(&data)
                ))
                .assets(data)
                .emit(out);
        }
    }
}
