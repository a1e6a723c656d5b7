use gambit_model::vocab::{AssetKind, IdentityKind};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;
use crate::rules::shared::is_human_identity_kind;

/// Identity kinds issued per instance (attested device or workload identities).
const PER_INSTANCE_KINDS: &[IdentityKind] = &[
    IdentityKind::WorkloadIdentity,
    IdentityKind::ManagedIdentity,
];

declare_rule! {
    /// ## What it finds
    /// A client that runs on users' devices (mobile app, desktop app, browser, IoT
    /// device) holding or storing a credential that grants a shared service identity
    /// (not a user's own account, nor a per-instance `workload-identity` or
    /// `managed-identity` such as a device certificate: those are the right design).
    ///
    /// ## Why it matters
    /// Anything shipped to a device belongs to whoever holds the device: keys are
    /// extracted from app packages and firmware with standard tools, then used from
    /// anywhere with the app's rights.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   backend-key: {kind: credential, grants: backend}
    /// components:
    ///   app: {kind: mobile-app, holds: [backend-key]}
    ///   api: {kind: api}
    /// identities:
    ///   backend: {kind: api-client, grants: [{access: write, target: api}]}
    /// ```
    ///
    /// ## How to fix
    /// Ship no shared secrets in clients: authenticate the user (OAuth with PKCE) and
    /// issue per-user, short-lived tokens; attest the app (App Attest, Play Integrity)
    /// where the backend must trust the client.
    pub struct CredentialInClientApp {
        id: "credential-in-client-app",
        title: "Credential embedded in a client app",
        stride: [InformationDisclosure, Spoofing],
        cwe: ["CWE-798", "CWE-312"],
        capec: ["CAPEC-37"],
        attack: ["T1552.001"],
        controls: [],
        likelihood: VeryLikely,
        impact: Medium,
        fix: "Replace embedded secrets with per-user OAuth (PKCE) tokens.",
    }
}

impl Check for CredentialInClientApp {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if !matches!(
                c.kind.as_str(),
                "mobile-app" | "desktop-app" | "browser" | "iot-device"
            ) {
                continue;
            }
            let mut creds: Vec<_> = c
                .stores
                .iter()
                .chain(&c.holds)
                .copied()
                .filter(|&k| {
                    // A user's own token (granting a user account) or a per-instance
                    // workload identity (a device certificate) is the right design; a
                    // secret granting a shared service identity is in every install.
                    cx.model[k].kind == AssetKind::Credential
                        && cx.model[k].grants.is_some_and(|i| {
                            let kind = &cx.model[i].kind;
                            !is_human_identity_kind(kind) && !kind.is_any(PER_INSTANCE_KINDS)
                        })
                })
                .collect();
            creds.sort();
            creds.dedup();
            if creds.is_empty() {
                continue;
            }
            let names: Vec<String> = creds
                .iter()
                .map(|&k| {
                    format!(
                        "{} (grants {})",
                        cx.asset_name(k),
                        cx.model[cx.model[k].grants.unwrap_or(gambit_model::IdentityId(0))].id
                    )
                })
                .collect();
            cx.finding(&Self::META, Target::Component(id))
                .because(format!(
                    "{} {} ships {}",
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
