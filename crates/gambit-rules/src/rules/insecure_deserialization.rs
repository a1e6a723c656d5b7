use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;
use gambit_model::vocab::Control;

/// Protocols that carry native serialized objects.
const SERIALIZED: &[&str] = &[
    "rmi",
    "jmx",
    "t3",
    "iiop",
    "pickle",
    "java-serialization",
    "hessian",
    "kryo",
    "dotnet-remoting",
    "binaryformatter",
    "marshal",
];

declare_rule! {
    /// ## What it finds
    /// A flow over a native object-serialization protocol (Java RMI/JMX/T3/IIOP,
    /// Python pickle, .NET remoting, Hessian, ...) whose sender is outside the
    /// organisation or handles untrusted input, into a component without
    /// `input-validation`.
    ///
    /// ## Why it matters
    /// Deserializing attacker-controlled objects runs code chosen by the attacker
    /// through "gadget" classes on the receiver's classpath: remote code execution
    /// without any bug in the application's own logic.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// zones:
    ///   partner-net: {kind: network, trust: partner}
    /// components:
    ///   partner-gw: {kind: service, zone: partner-net}
    ///   order-engine: {kind: service}
    /// flows:
    ///   - {from: partner-gw, to: order-engine, protocol: rmi, authentication: certificate}
    /// ```
    ///
    /// ## How to fix
    /// Exchange data as JSON or Protocol Buffers with a schema instead of native
    /// objects; if you cannot, allowlist the classes that may be deserialized (look-ahead
    /// deserialization) and add `input-validation`.
    pub struct InsecureDeserialization {
        id: "insecure-deserialization",
        title: "Untrusted data deserialized as native objects",
        stride: [Tampering, ElevationOfPrivilege],
        cwe: ["CWE-502"],
        capec: ["CAPEC-586"],
        attack: ["T1190", "T1210"],
        controls: ["input-validation"],
        likelihood: Likely,
        impact: High,
        fix: "Replace native serialization with a schema'd data format, or allowlist deserializable classes.",
    }
}

impl Check for InsecureDeserialization {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, f) in cx.flows() {
            let Some(protocol) = crate::rules::shared::flow_protocol(f) else {
                continue;
            };
            if !SERIALIZED.iter().any(|s| protocol.contains(s)) {
                continue;
            }
            let Some(to) = cx.component(f.to) else {
                continue;
            };
            if to.has_control(Control::InputValidation) {
                continue;
            }
            let untrusted_sender = cx.is_external(f.from)
                || matches!(f.from, gambit_model::Endpoint::Component(c) if cx.facts(c).untrusted_input)
                || f.data.iter().any(|&a| cx.is_tainted(a));
            if !untrusted_sender {
                continue;
            }
            cx.finding(&Self::META, Target::Flow(id))
                .because(format!(
                    "protocol {protocol} carries serialized objects from {} into {} without input-validation",
                    cx.describe(f.from),
                    to.id
                ))
                .assets(cx.handled(to))
                .emit(out);
        }
    }
}
