use gambit_model::vocab::{AssetKind, Authentication};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

/// Authentication methods that send a reusable secret with the request.
const SECRET_BEARING: &[Authentication] = &[
    Authentication::Password,
    Authentication::Basic,
    Authentication::Token,
    Authentication::Jwt,
    Authentication::ApiKey,
    Authentication::Session,
    Authentication::Oauth,
    Authentication::Oidc,
    Authentication::Saml,
    Authentication::Ntlm,
    Authentication::Key,
    Authentication::PresignedUrl,
];

declare_rule! {
    /// ## What it finds
    /// An unencrypted flow that carries a credential: a credential asset (its
    /// `credential:`, or in `data`/`returns`), or a secret the authentication method
    /// sends with each request (password, basic, token, API key, session cookie, bearer
    /// token, NTLM).
    ///
    /// ## Why it matters
    /// Whoever sees the traffic replays the secret and becomes the caller: credentials
    /// sniffed in clear are the quickest way from one foothold to the next system.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// actors:
    ///   admin: {kind: admin, zone: internal, mfa: true}
    /// components:
    ///   router-ui: {kind: web-app}
    /// flows:
    ///   - {from: admin, to: router-ui, protocol: http, authentication: basic}
    /// ```
    ///
    /// ## How to fix
    /// Encrypt the connection (TLS) before any credential crosses it, and prefer
    /// methods that do not send a reusable secret (mTLS, signed requests, workload
    /// identity).
    pub struct CredentialOverUnencryptedFlow {
        id: "credential-over-unencrypted-flow",
        title: "Credential sent over an unencrypted connection",
        stride: [Spoofing, InformationDisclosure],
        cwe: ["CWE-523", "CWE-319"],
        capec: ["CAPEC-102", "CAPEC-157"],
        attack: ["T1040", "T1557"],
        controls: [],
        likelihood: Likely,
        impact: Medium,
        fix: "Use TLS for the connection and prefer authentication that sends no reusable secret.",
    }
}

impl Check for CredentialOverUnencryptedFlow {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, f) in cx.flows() {
            if f.encrypted || (cx.outside_organisation(f.from) && cx.outside_organisation(f.to)) {
                continue;
            }
            let mut creds: Vec<_> = cx
                .carried(f)
                .chain(f.credential)
                .filter(|&a| cx.model[a].kind == AssetKind::Credential)
                .collect();
            creds.sort();
            creds.dedup();
            let secret_auth = SECRET_BEARING.contains(&cx.authentication(f));
            if creds.is_empty() && !secret_auth {
                continue;
            }
            let mut facts = vec![format!(
                "{} is not encrypted",
                f.protocol.as_deref().unwrap_or("the flow (no protocol)")
            )];
            if secret_auth {
                facts.push(format!(
                    "authentication {} sends a secret with each request",
                    cx.authentication(f)
                ));
            }
            if !creds.is_empty() {
                let names: Vec<&str> = creds.iter().map(|&k| cx.asset_name(k)).collect();
                facts.push(format!("carries {}", names.join(", ")));
            }
            let mut assets = creds;
            if let Some(to) = cx.component(f.to) {
                assets.extend(cx.handled(to));
            }
            let mut b = cx
                .finding(&Self::META, Target::Flow(id))
                .because(facts.join("; "))
                .assets(assets);
            if let Some(needs) = cx.sniffing_needs(f) {
                b = b.shift(-1, needs);
            }
            b.emit(out);
        }
    }
}
