use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;
use gambit_model::vocab::{ComponentKind, Control};

/// Kinds that are management planes.
const MANAGEMENT_KINDS: &[ComponentKind] = &[
    ComponentKind::CiCd,
    ComponentKind::K8sCluster,
    ComponentKind::Monitoring,
    ComponentKind::Logging,
    ComponentKind::SecretStore,
    ComponentKind::Bastion,
    ComponentKind::ModelRegistry,
];
/// Protocols for remote administration.
const ADMIN_PROTOCOLS: &[&str] = &[
    "ssh",
    "rdp",
    "vnc",
    "telnet",
    "winrm",
    "smb",
    "kubectl",
    "k8s-api",
    "kubernetes-api",
    "ipmi",
];

declare_rule! {
    /// ## What it finds
    /// A management interface reachable from the internet: a management-plane
    /// component (CI/CD, Kubernetes API, monitoring, logging, secret store, model
    /// registry, bastion) that is public, or any flow from an untrusted party over a remote
    /// administration protocol (SSH, RDP, VNC, WinRM, SMB, the Kubernetes API). A
    /// bastion with the `mfa` control is accepted.
    ///
    /// ## Why it matters
    /// Admin interfaces are the most valuable doors and are scanned constantly;
    /// exposed RDP and SSH are top ransomware entry points, and an exposed Kubernetes
    /// API or CI server is one credential away from everything.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// actors:
    ///   admin: {kind: admin, mfa: true}
    /// components:
    ///   db-host: {kind: vm}
    /// flows:
    ///   - {from: admin, to: db-host, protocol: rdp, authentication: password}
    /// ```
    ///
    /// ## How to fix
    /// Put management behind a VPN, zero-trust access proxy or an MFA bastion, allow
    /// source addresses explicitly, and keep admin planes private.
    pub struct ExposedManagementInterface {
        id: "exposed-management-interface",
        title: "Management interface exposed to the internet",
        stride: [ElevationOfPrivilege, Spoofing],
        cwe: ["CWE-668", "CWE-1327"],
        capec: ["CAPEC-555"],
        attack: ["T1133", "T1021"],
        controls: ["mfa", "allowlisting"],
        likelihood: Likely,
        impact: High,
        fix: "Move administration behind a VPN, zero-trust proxy or MFA bastion; keep admin planes private.",
    }
}

impl Check for ExposedManagementInterface {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if cx.third_party(id) {
                continue;
            }
            if c.kind.is(ComponentKind::Bastion) && c.has_control(Control::Mfa) {
                continue;
            }
            let mut facts = Vec::new();
            if c.public && c.kind.is_any(MANAGEMENT_KINDS) {
                facts.push(format!("{} is public", c.kind.as_str()));
            }
            for &f in &c.flows_in {
                let flow = &cx.model[f];
                let admin = crate::rules::shared::flow_protocol(flow)
                    .is_some_and(|p| ADMIN_PROTOCOLS.contains(&p.as_ref()));
                if admin && cx.is_untrusted(flow.from) {
                    facts.push(format!(
                        "{} reaches it over {} from the internet",
                        cx.name(flow.from),
                        flow.protocol.as_deref().unwrap_or("")
                    ));
                }
            }
            if facts.is_empty() || c.has_control(Control::Allowlisting) {
                continue;
            }
            cx.finding(&Self::META, Target::Component(id))
                .because(facts.join("; "))
                .assets(cx.handled(c))
                .impact_at_least(Self::META.impact)
                .emit(out);
        }
    }
}
