use gambit_model::vocab::AssetKind;
use gambit_model::vocab::{ComponentKind, Control};

use crate::context::{Context, ExposureLevel};
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// An internal component (not exposed to the internet: that case is
    /// `credential-on-exposed-component`; clients on devices are left out) that holds a
    /// credential without the `secrets-manager` control: a secret in a config file,
    /// environment variable or disk.
    ///
    /// ## Why it matters
    /// Static secrets end up in images, backups, logs and laptops, are rarely rotated,
    /// and give anyone who reads the host's files whatever the credential grants.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   smtp-pass: {kind: credential, grants: mailer}
    /// components:
    ///   notifier: {kind: worker, holds: [smtp-pass]}
    /// identities:
    ///   mailer: {kind: service-account}
    /// ```
    ///
    /// ## How to fix
    /// Fetch secrets at run time from a secrets manager with short leases and
    /// automatic rotation (control `secrets-manager`), or use workload identity.
    pub struct SecretOutsideVault {
        id: "secret-outside-vault",
        title: "Secret stored outside a secrets manager",
        stride: [InformationDisclosure],
        cwe: ["CWE-798", "CWE-522"],
        capec: ["CAPEC-37"],
        attack: ["T1552.001"],
        controls: ["secrets-manager"],
        likelihood: Unlikely,
        impact: Medium,
        fix: "Load secrets at run time from a secrets manager with rotation, or use workload identity.",
    }
}

impl Check for SecretOutsideVault {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if cx.third_party(id) {
                continue;
            }
            // Devices keep their secrets in hardware-backed stores, not a secrets manager.
            let client = c.kind.is_any(&[
                ComponentKind::MobileApp,
                ComponentKind::DesktopApp,
                ComponentKind::Browser,
                ComponentKind::IotDevice,
            ]);
            if client
                || cx.facts(id).exposure == ExposureLevel::Internet
                || c.has_control(Control::SecretsManager)
                || c.kind.is(ComponentKind::SecretStore)
            {
                continue;
            }
            let creds: Vec<_> = c
                .holds
                .iter()
                .copied()
                .filter(|&k| cx.model[k].kind == AssetKind::Credential)
                .collect();
            // Fetched at run time from a secret store: that is what the control means.
            if creds.is_empty() || cx.fetched_from_secret_store(id, &creds).is_some() {
                continue;
            }
            let names: Vec<&str> = creds.iter().map(|&k| cx.asset_name(k)).collect();
            cx.finding(&Self::META, Target::Component(id))
                .because(format!(
                    "holds {} without secrets-manager",
                    names.join(", ")
                ))
                .assets(creds)
                .emit(out);
        }
    }
}
