//! Synthetic, enterprise-shaped models for benchmarks and scale tests.
//!
//! [`enterprise`] writes the YAML of an organisation made of cloud accounts. Each account
//! has edge, app, data and build zones; a load balancer and web apps facing the internet;
//! APIs, workers and datastores behind credentials; a CI runner fed by a repository that
//! deploys through an artifact registry; and an LLM agent calling the APIs. Accounts call
//! each other's APIs, so the attack graph spans the whole organisation. About one
//! component in forty carries a vulnerability. The output is deterministic for a seed.

use std::fmt::Write;

/// Components in one synthetic account.
pub const COMPONENTS_PER_ACCOUNT: usize = 22;

/// A model with about `components` components (rounded to whole accounts) and three flows
/// per component.
pub fn enterprise(components: usize, seed: u64) -> String {
    let accounts = components.div_ceil(COMPONENTS_PER_ACCOUNT).max(1);
    let mut rng = SplitMix(seed);
    let mut s = String::with_capacity(accounts * 9_000);
    s.push_str("gambit: 1\nname: Synthetic enterprise\n");
    let mut assets = String::from("assets:\n");
    let mut zones = String::from("zones:\n");
    let mut comps = String::from("components:\n");
    let mut idents = String::from("identities:\n");
    let mut flows = String::from("flows:\n");
    s.push_str("actors:\n  customer: {kind: user}\n  partner: {kind: partner, trust: partner}\n");
    for d in 0..4 {
        let _ = writeln!(
            s,
            "  dev{d}: {{kind: developer, zone: internal, mfa: {}}}",
            d % 2 == 0
        );
    }
    for a in 0..accounts {
        let p = format!("a{a}");
        let _ = writeln!(zones, "  {p}: {{kind: cloud-account}}");
        for (z, extra) in [
            ("edge", ""),
            ("app", ""),
            ("data", ", isolated: true"),
            ("build", ""),
        ] {
            let _ = writeln!(zones, "  {p}-{z}: {{kind: network, parent: {p}{extra}}}");
        }
        // Assets: customer data per database, one credential per database, a deploy key.
        for d in 0..3 {
            let class = if d == 0 { "restricted" } else { "confidential" };
            let _ = writeln!(
                assets,
                "  {p}-data{d}: {{classification: {class}, records: {}}}",
                1000 + rng.below(100_000)
            );
            let _ = writeln!(
                assets,
                "  {p}-db{d}-pass: {{kind: credential, grants: {p}-db{d}-user}}"
            );
            let _ = writeln!(
                idents,
                "  {p}-db{d}-user: {{kind: database-user, grants: [{{access: write, target: {p}-db{d}}}]}}"
            );
        }
        let _ = writeln!(
            assets,
            "  {p}-deploy-key: {{kind: credential, grants: {p}-deployer}}"
        );
        let _ = writeln!(assets, "  {p}-artifacts: {{kind: code, integrity: high}}");
        let apis: Vec<String> = (0..6).map(|i| format!("{p}-api{i}")).collect();
        let _ = writeln!(
            idents,
            "  {p}-deployer: {{kind: iam-role, privileged: true, grants: [{}]}}",
            apis.iter()
                .map(|t| format!("{{access: admin, target: {t}}}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let _ = writeln!(
            idents,
            "  {p}-app-role: {{kind: service-account, grants: [{{access: read, target: {p}-bucket}}]}}"
        );
        let mut comp = |id: &str, kind: &str, zone: &str, extra: &str, rng: &mut SplitMix| {
            let vuln = if rng.below(40) == 0 {
                let effect = if rng.below(4) == 0 {
                    "privilege-escalation"
                } else {
                    "code-execution"
                };
                format!(
                    ", vulnerabilities: [{{id: CVE-2024-{}, cvss: \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\", effect: {effect}, epss: 0.{}}}]",
                    10_000 + rng.below(80_000),
                    rng.below(90) + 10
                )
            } else {
                String::new()
            };
            let _ = writeln!(
                comps,
                "  {id}: {{kind: {kind}, zone: {p}-{zone}{extra}{vuln}}}"
            );
        };
        comp(
            &format!("{p}-lb"),
            "load-balancer",
            "edge",
            ", public: true",
            &mut rng,
        );
        for w in 0..2 {
            comp(
                &format!("{p}-web{w}"),
                "web-app",
                "edge",
                &format!(", processes: [{p}-data0], runs_as: {p}-app-role"),
                &mut rng,
            );
        }
        for (i, api) in apis.iter().enumerate() {
            let d = i % 3;
            comp(
                api,
                "api",
                "app",
                &format!(
                    ", processes: [{p}-data{d}], holds: [{p}-db{d}-pass], runs_as: {p}-app-role, controls: [logging]"
                ),
                &mut rng,
            );
        }
        for w in 0..3 {
            comp(
                &format!("{p}-worker{w}"),
                "worker",
                "app",
                &format!(", processes: [{p}-data{w}], holds: [{p}-db{w}-pass]"),
                &mut rng,
            );
        }
        for d in 0..3 {
            comp(
                &format!("{p}-db{d}"),
                "database",
                "data",
                &format!(", stores: [{p}-data{d}], encrypted_at_rest: true"),
                &mut rng,
            );
        }
        comp(&format!("{p}-cache"), "cache", "data", "", &mut rng);
        comp(
            &format!("{p}-bucket"),
            "object-store",
            "data",
            &format!(", stores: [{p}-artifacts]"),
            &mut rng,
        );
        comp(&format!("{p}-queue"), "queue", "app", "", &mut rng);
        comp(&format!("{p}-repo"), "repository", "build", "", &mut rng);
        comp(
            &format!("{p}-ci"),
            "ci-cd",
            "build",
            &format!(", holds: [{p}-deploy-key]"),
            &mut rng,
        );
        comp(
            &format!("{p}-registry"),
            "artifact-registry",
            "build",
            "",
            &mut rng,
        );
        comp(
            &format!("{p}-agent"),
            "llm-agent",
            "app",
            &format!(", processes: [{p}-data1]"),
            &mut rng,
        );

        let mut flow = |from: &str, to: &str, rest: &str| {
            let _ = writeln!(
                flows,
                "  - {{id: {from}--{to}, from: {from}, to: {to}, {rest}}}"
            );
        };
        flow(
            "customer",
            &format!("{p}-lb"),
            "protocol: https, authentication: session",
        );
        for w in 0..2 {
            flow(
                &format!("{p}-lb"),
                &format!("{p}-web{w}"),
                "protocol: https, authentication: none",
            );
            flow(
                &format!("{p}-web{w}"),
                &format!("{p}-cache"),
                "protocol: redis, authentication: password",
            );
            for k in 0..3 {
                flow(
                    &format!("{p}-web{w}"),
                    &apis[(w * 3 + k) % 6],
                    "protocol: https, authentication: token",
                );
            }
        }
        for (i, api) in apis.iter().enumerate() {
            let d = i % 3;
            for k in 1..=2 {
                flow(
                    api,
                    &apis[(i + k) % 6],
                    "protocol: grpc, authentication: mtls",
                );
            }
            flow(
                api,
                &format!("{p}-db{d}"),
                &format!(
                    "protocol: postgres, authentication: password, credential: {p}-db{d}-pass, data: [{p}-data{d}], returns: [{p}-data{d}]"
                ),
            );
            flow(
                api,
                &format!("{p}-cache"),
                "protocol: redis, authentication: password",
            );
            flow(
                api,
                &format!("{p}-bucket"),
                "protocol: https, authentication: iam",
            );
            if i < 3 {
                flow(
                    api,
                    &format!("{p}-queue"),
                    "protocol: amqp, authentication: password",
                );
            }
        }
        for w in 0..3 {
            flow(
                &format!("{p}-worker{w}"),
                &format!("{p}-queue"),
                "protocol: amqp, authentication: password",
            );
            flow(
                &format!("{p}-worker{w}"),
                &format!("{p}-bucket"),
                "protocol: https, authentication: iam",
            );
            flow(
                &format!("{p}-worker{w}"),
                &format!("{p}-db{w}"),
                &format!(
                    "protocol: postgres, authentication: password, credential: {p}-db{w}-pass, data: [{p}-data{w}]"
                ),
            );
        }
        flow(
            &format!("dev{}", a % 4),
            &format!("{p}-repo"),
            "protocol: https, authentication: token, code: true",
        );
        flow(
            &format!("{p}-repo"),
            &format!("{p}-ci"),
            "protocol: https, authentication: token, code: true",
        );
        flow(
            &format!("{p}-ci"),
            &format!("{p}-registry"),
            &format!("protocol: https, authentication: token, code: true, data: [{p}-artifacts]"),
        );
        for api in &apis {
            flow(
                &format!("{p}-registry"),
                api,
                "protocol: https, authentication: token, code: true",
            );
        }
        for api in &apis[..2] {
            flow(
                &format!("{p}-agent"),
                api,
                "protocol: https, authentication: token",
            );
        }
        // A partner feed into the agent carries account data: it can taint the agent.
        flow(
            "partner",
            &format!("{p}-agent"),
            &format!("protocol: https, authentication: api-key, data: [{p}-data1]"),
        );
        if accounts > 1 {
            let next = format!("a{}", (a + 1) % accounts);
            flow(
                &apis[5],
                &format!("{next}-api0"),
                "protocol: https, authentication: mtls",
            );
            flow(
                &apis[4],
                &format!("{next}-api1"),
                "protocol: https, authentication: oauth",
            );
        }
    }
    s.push_str(&assets);
    s.push_str(&zones);
    s.push_str(&comps);
    s.push_str(&idents);
    s.push_str(&flows);
    s
}

/// A tiny deterministic generator (SplitMix64); the benchmarks need repeatability, not quality.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_models_load_cleanly_at_the_requested_scale() {
        let text = enterprise(440, 7);
        let loaded = crate::load_str("synth.yaml", text, None, crate::LoadOptions::default());
        let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert!(errors.is_empty(), "{errors:?}");
        let model = loaded.model.expect("model");
        assert_eq!(model.components.len(), 440);
        assert!(model.flows.len() >= 3 * 440, "{} flows", model.flows.len());
        assert!(
            model
                .components
                .iter()
                .any(|c| !c.vulnerabilities.is_empty())
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_model() {
        assert_eq!(enterprise(100, 1), enterprise(100, 1));
        assert_ne!(enterprise(100, 1), enterprise(100, 2));
    }
}
