use gambit_model::GrantTarget;
use gambit_model::vocab::Access;

use crate::context::{Context, Exposure};
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// An identity that is not marked privileged but can become a privileged one by
    /// assuming it, directly or through a chain of `assume` grants.
    ///
    /// ## Why it matters
    /// Effective privilege is what an identity can reach, not what it is labelled. Any
    /// compromise of the lesser identity (or of a workload running as it) is an admin
    /// compromise one API call later.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// components:
    ///   app: {kind: service, runs_as: app-role}
    /// identities:
    ///   app-role: {kind: iam-role, grants: [{access: assume, target: org-admin}]}
    ///   org-admin: {kind: iam-role, privileged: true}
    /// ```
    ///
    /// ## How to fix
    /// Remove the assume path, or treat the identity as privileged (MFA, JIT, audit)
    /// and restrict the trust policy of the privileged role to the few principals that
    /// need it.
    pub struct PrivilegeEscalationViaAssume {
        id: "privilege-escalation-via-assume",
        title: "Identity can assume a privileged identity",
        stride: [ElevationOfPrivilege],
        cwe: ["CWE-269"],
        capec: ["CAPEC-233"],
        attack: ["T1548", "T1078.004"],
        controls: ["least-privilege"],
        likelihood: Unlikely,
        impact: VeryHigh,
        fix: "Remove the assume path or restrict the privileged role's trust policy.",
    }
}

impl Check for PrivilegeEscalationViaAssume {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, identity) in cx.identities() {
            if identity.privileged {
                continue;
            }
            // Breadth-first over assume grants, keeping the chain to the first privileged identity.
            let mut chain = vec![(id, Vec::<&str>::new())];
            let mut seen = vec![id];
            let mut found = None;
            while let Some((cur, path)) = (!chain.is_empty()).then(|| chain.remove(0)) {
                for g in &cx.model[cur].grants {
                    let (Access::Assume, GrantTarget::Identity(j)) = (g.access, g.target) else {
                        continue;
                    };
                    if seen.contains(&j) {
                        continue;
                    }
                    seen.push(j);
                    let mut p = path.clone();
                    p.push(cx.model[j].id.as_str());
                    if cx.model[j].privileged {
                        found = Some(p);
                        break;
                    }
                    chain.push((j, p));
                }
                if found.is_some() {
                    break;
                }
            }
            let Some(path) = found else { continue };
            let exposed: Vec<&str> = identity
                .runs_on
                .iter()
                .filter(|&&c| cx.facts(c).exposure == Exposure::Internet)
                .map(|&c| cx.model[c].id.as_str())
                .collect();
            let mut b = cx
                .finding(&Self::META, Target::Identity(id))
                .because(format!(
                    "{} is not privileged but can assume {}",
                    identity.id,
                    path.join(" -> ")
                ))
                .impact(gambit_model::vocab::Impact::VeryHigh);
            if !exposed.is_empty() {
                b = b.shift(
                    1,
                    format!("it runs on internet-exposed {}", exposed.join(", ")),
                );
            }
            b.emit(out);
        }
    }
}
