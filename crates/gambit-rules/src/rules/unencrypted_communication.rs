use gambit_model::vocab::AssetKind;
use gambit_model::vocab::Classification;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// A flow that is not encrypted but carries data that is not public. The flow is
    /// unencrypted when its protocol is not one of the encrypted ones (https, tls, ssh,
    /// ...), or when the model says `encrypted: false`.
    ///
    /// ## Why it matters
    /// Anyone on the path (a compromised host in the same network, a cloud tenant, a
    /// Wi-Fi user, an ISP) can read the data and change it in flight. Internal networks
    /// are not a boundary: attackers who land on one host listen to the others.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   orders: {classification: confidential}
    /// components:
    ///   shop: {kind: web-app}
    ///   db: {kind: database, stores: [orders]}
    /// flows:
    ///   - {from: shop, to: db, protocol: postgres, authentication: password, data: [orders]}
    /// ```
    ///
    /// ## How to fix
    /// Encrypt the connection: TLS for databases (`sslmode=verify-full` for PostgreSQL),
    /// HTTPS for HTTP, or mutual TLS from a service mesh. Then write the encrypted
    /// protocol (`protocol: postgres+tls`) or `encrypted: true` on the flow.
    pub struct UnencryptedCommunication {
        id: "unencrypted-communication",
        title: "Unencrypted communication carries sensitive data",
        stride: [InformationDisclosure, Tampering],
        cwe: ["CWE-319"],
        capec: ["CAPEC-157", "CAPEC-94"],
        attack: ["T1557", "T1040"],
        controls: [],
        likelihood: Likely,
        impact: Medium,
        fix: "Encrypt the connection with TLS (or mTLS) and mark the flow encrypted.",
    }
}

impl Check for UnencryptedCommunication {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, f) in cx.flows() {
            if f.encrypted || (cx.outside_organisation(f.from) && cx.outside_organisation(f.to)) {
                continue;
            }
            let data: Vec<_> = cx
                .at_least(cx.carried(f), Classification::Internal)
                .into_iter()
                .filter(|&a| cx.model[a].kind != AssetKind::Credential)
                .collect();
            if data.is_empty() {
                continue;
            }
            let protocol = match &f.protocol {
                Some(p) => format!("protocol {p} is not encrypted"),
                None => "no protocol is given, so the flow counts as unencrypted".to_owned(),
            };
            let mut b = cx
                .finding(&Self::META, Target::Flow(id))
                .because(format!("{protocol}; carries {}", cx.list_assets(&data)))
                .assets(data);
            if let Some(needs) = cx.sniffing_needs(f) {
                b = b.shift(-1, needs);
            }
            b.emit(out);
        }
    }
}
