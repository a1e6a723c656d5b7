use gambit_model::vocab::AssetKind;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

/// Holders from which a credential counts as sprawled.
const SPRAWL: usize = 3;

declare_rule! {
    /// ## What it finds
    /// A credential present in three or more places (components and people holding it).
    ///
    /// ## Why it matters
    /// Every copy is a place it can leak from, and rotating it means touching all of
    /// them at once, so it is rarely rotated. A compromise of the least protected holder
    /// gives access as all of them.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   api-key: {kind: credential, grants: partner-api}
    /// components:
    ///   a: {kind: service, holds: [api-key]}
    ///   b: {kind: worker, holds: [api-key]}
    ///   c: {kind: function, holds: [api-key]}
    /// identities:
    ///   partner-api: {kind: api-client}
    /// ```
    ///
    /// ## How to fix
    /// Issue one credential per holder (or workload identity), keep them in a secrets
    /// manager, and rotate automatically.
    pub struct CredentialSprawl {
        id: "credential-sprawl",
        title: "Credential copied to many places",
        stride: [InformationDisclosure],
        cwe: ["CWE-522"],
        capec: ["CAPEC-560"],
        attack: ["T1552"],
        controls: ["secrets-manager"],
        likelihood: Likely,
        impact: Medium,
        fix: "Issue a separate credential per holder from a secrets manager and rotate automatically.",
    }
}

impl Check for CredentialSprawl {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (i, asset) in cx.model.assets.iter().enumerate() {
            let holders: Vec<_> = asset.held_by.iter().filter(|&&e| cx.in_scope(e)).collect();
            if asset.kind != AssetKind::Credential || holders.len() < SPRAWL {
                continue;
            }
            let names: Vec<&str> = holders.iter().map(|&&e| cx.name(e)).collect();
            let id = gambit_model::AssetId(i as u32);
            cx.finding(&Self::META, Target::Asset(id))
                .because(format!(
                    "held in {} places: {}",
                    holders.len(),
                    names.join(", ")
                ))
                .assets([id])
                .emit(out);
        }
    }
}
