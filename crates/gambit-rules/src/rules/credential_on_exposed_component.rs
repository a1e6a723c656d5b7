use gambit_model::vocab::AssetKind;
use gambit_model::vocab::{ComponentKind, Control};

use crate::context::{Context, ExposureLevel};
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// A component exposed to the internet (public, or called by untrusted actors) that
    /// holds a credential (`holds:`): a password, key or token in its environment,
    /// configuration or disk.
    ///
    /// ## Why it matters
    /// The exposed component is the first thing an attacker compromises. Every secret on
    /// it becomes the attacker's, and with it whatever the credential grants: this is
    /// how a web-server bug turns into a database dump.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   db-password: {kind: credential, grants: app-user}
    ///   orders: {classification: confidential}
    /// components:
    ///   web: {kind: web-app, public: true, holds: [db-password]}
    ///   db: {kind: database, stores: [orders]}
    /// identities:
    ///   app-user: {kind: database-user, grants: [{access: write, target: db}]}
    /// ```
    ///
    /// ## How to fix
    /// Remove long-lived secrets from exposed components: use the platform's workload
    /// identity (IAM roles, managed identities) instead of passwords, or fetch
    /// short-lived credentials from a secrets manager at run time (control
    /// `secrets-manager`), scoped to the least the component needs.
    pub struct CredentialOnExposedComponent {
        id: "credential-on-exposed-component",
        title: "Credential held by an internet-exposed component",
        stride: [InformationDisclosure, ElevationOfPrivilege],
        cwe: ["CWE-522", "CWE-798"],
        capec: ["CAPEC-560"],
        attack: ["T1552.001", "T1078"],
        controls: ["secrets-manager"],
        likelihood: Likely,
        impact: Medium,
        fix: "Replace the stored secret with workload identity or short-lived secrets from a secrets manager.",
    }
}

impl Check for CredentialOnExposedComponent {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            // Clients on users' devices hold their user's tokens by design; embedded
            // service secrets there are `credential-in-client-app`.
            let client = c.kind.is_any(&[
                ComponentKind::MobileApp,
                ComponentKind::DesktopApp,
                ComponentKind::Browser,
                ComponentKind::IotDevice,
            ]);
            if cx.facts(id).exposure != ExposureLevel::Internet
                || c.kind.is(ComponentKind::SecretStore)
                || client
            {
                continue;
            }
            let creds: Vec<_> = c
                .holds
                .iter()
                .copied()
                .filter(|&a| cx.model[a].kind == AssetKind::Credential)
                .collect();
            if creds.is_empty() {
                continue;
            }
            let granted: Vec<String> = creds
                .iter()
                .map(|&k| match cx.model[k].grants {
                    Some(i) => format!("{} (grants {})", cx.model[k].id, cx.model[i].id),
                    None => cx.model[k].id.clone(),
                })
                .collect();
            let mut b = cx
                .finding(&Self::META, Target::Component(id))
                .because(format!("holds {}", granted.join(", ")))
                .assets(creds.clone());
            if c.has_control(Control::SecretsManager) {
                b = b.lowered_by(id, &[Control::SecretsManager]);
            } else if let Some(store) = cx.fetched_from_secret_store(id, &creds) {
                b = b.shift(-1, format!("fetched at run time from {store}"));
            }
            b.emit(out);
        }
    }
}
