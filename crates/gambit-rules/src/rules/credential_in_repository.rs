use gambit_model::vocab::AssetKind;
use gambit_model::vocab::ComponentKind;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// A source repository or artifact registry that stores or holds a credential.
    ///
    /// ## Why it matters
    /// Everything in a repository is copied to every clone, fork, CI run and laptop,
    /// and stays in history after deletion. Secret scanners (and attackers) find
    /// committed keys within minutes of a push.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   aws-key: {kind: credential, grants: deployer}
    /// components:
    ///   monorepo: {kind: repository, stores: [aws-key]}
    /// identities:
    ///   deployer: {kind: iam-user}
    /// ```
    ///
    /// ## How to fix
    /// Revoke and rotate the credential, remove it from history, keep secrets in a
    /// secrets manager referenced by name, and turn on push-time secret scanning.
    pub struct CredentialInRepository {
        id: "credential-in-repository",
        title: "Credential committed to a repository",
        stride: [InformationDisclosure],
        cwe: ["CWE-540", "CWE-798"],
        capec: ["CAPEC-37"],
        attack: ["T1552.001", "T1213.003"],
        controls: ["secrets-manager"],
        likelihood: VeryLikely,
        impact: Medium,
        fix: "Rotate the credential, purge it from history and enable push-time secret scanning.",
    }
}

impl Check for CredentialInRepository {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if !c
                .kind
                .is_any(&[ComponentKind::Repository, ComponentKind::ArtifactRegistry])
            {
                continue;
            }
            let mut creds: Vec<_> = c
                .stores
                .iter()
                .chain(&c.holds)
                .copied()
                .filter(|&k| cx.model[k].kind == AssetKind::Credential)
                .collect();
            creds.sort();
            creds.dedup();
            if creds.is_empty() {
                continue;
            }
            let names: Vec<&str> = creds.iter().map(|&k| cx.asset_name(k)).collect();
            cx.finding(&Self::META, Target::Component(id))
                .because(format!(
                    "{} {} contains {}",
                    c.kind.as_str(),
                    c.id,
                    names.join(", ")
                ))
                .assets(creds)
                .fixed_likelihood(Self::META.likelihood)
                .emit(out);
        }
    }
}
