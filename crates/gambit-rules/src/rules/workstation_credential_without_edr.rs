use gambit_model::vocab::{AssetKind, ComponentKind, Control};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// A workstation, bastion or VM that holds a credential granting a privileged
    /// identity (or write access elsewhere), without the `edr` control.
    ///
    /// ## Why it matters
    /// Info-stealer malware and hands-on attackers harvest credentials from endpoints
    /// first. Without endpoint detection, the theft and what follows go unseen.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   admin-token: {kind: credential, grants: cloud-admin}
    /// components:
    ///   admin-laptop: {kind: workstation, holds: [admin-token]}
    /// identities:
    ///   cloud-admin: {kind: iam-user, privileged: true, mfa: true}
    /// ```
    ///
    /// ## How to fix
    /// Deploy EDR on every host holding privileged credentials (control `edr`), keep
    /// those credentials in hardware-backed stores, and use privileged access
    /// workstations.
    pub struct WorkstationCredentialWithoutEdr {
        id: "workstation-credential-without-edr",
        title: "Privileged credential on a host without EDR",
        stride: [InformationDisclosure, ElevationOfPrivilege],
        cwe: ["CWE-522"],
        capec: ["CAPEC-560"],
        attack: ["T1555", "T1552.001"],
        controls: ["edr"],
        likelihood: Likely,
        impact: Medium,
        fix: "Run EDR on hosts that hold privileged credentials and keep keys in hardware-backed stores.",
    }
}

impl Check for WorkstationCredentialWithoutEdr {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if !c.kind.is_any(&[
                ComponentKind::Workstation,
                ComponentKind::Bastion,
                ComponentKind::Vm,
            ]) || c.has_control(Control::Edr)
            {
                continue;
            }
            let creds: Vec<_> = c
                .holds
                .iter()
                .copied()
                .filter(|&k| cx.model[k].kind == AssetKind::Credential)
                .filter(|&k| {
                    cx.model[k]
                        .grants
                        .is_some_and(|i| cx.model[i].privileged || !cx.writable_by(i).is_empty())
                })
                .collect();
            if creds.is_empty() {
                continue;
            }
            let names: Vec<&str> = creds.iter().map(|&k| cx.asset_name(k)).collect();
            cx.finding(&Self::META, Target::Component(id))
                .because(format!(
                    "{} {} holds {}; no edr",
                    c.kind.as_str(),
                    c.id,
                    names.join(", ")
                ))
                .assets(creds)
                .emit(out);
        }
    }
}
