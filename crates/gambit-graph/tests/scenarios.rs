//! Hand-made scenarios with expected answers, each with a variant where one control (or
//! mitigation) makes the path vanish.

mod common;

use gambit_graph::{Analysis, AttackPath};
use gambit_model::Model;

fn scenario(file: &str, placeholder: &str, value: &str) -> Model {
    let path = format!("{}/tests/scenarios/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("scenario file");
    common::load(&text.replace(placeholder, value))
}

fn best_paths(model: &Model, attacker: &str) -> Vec<AttackPath> {
    let a = common::attacker(model, attacker);
    Analysis::run(model, &[a])
        .paths(1, None)
        .into_iter()
        .filter(|p| p.rank == 1)
        .collect()
}

fn path_to<'a>(paths: &'a [AttackPath], access: &str, asset: &str) -> Option<&'a AttackPath> {
    paths
        .iter()
        .find(|p| p.goal.access == access && p.goal.asset == asset && p.goal.component.is_none())
}

/// (gains, on, technique, via) of each step.
fn steps(p: &AttackPath) -> Vec<(String, String, String, String)> {
    p.steps
        .iter()
        .map(|s| {
            (
                s.gains.to_owned(),
                s.on.clone(),
                s.technique.to_owned(),
                s.via.clone(),
            )
        })
        .collect()
}

fn st(g: &str, on: &str, t: &str, via: &str) -> (String, String, String, String) {
    (g.into(), on.into(), t.into(), via.into())
}

fn fixes(model: &Model, attacker: &str) -> Vec<String> {
    let a = common::attacker(model, attacker);
    let answer = Analysis::run(model, &[a]).chokepoints();
    assert!(answer.verified, "{answer:?}");
    answer.chokepoints.into_iter().map(|c| c.fix).collect()
}

#[test]
fn three_tier_chain_through_two_exploits_and_a_stolen_credential() {
    let model = scenario("three-tier.yaml", "STATUS", "open");
    let paths = best_paths(&model, "internet");
    let read = path_to(&paths, "read", "orders").expect("a path to the orders");
    assert_eq!(
        steps(read),
        vec![
            st("reach", "web", "T1190", "web is public"),
            st("exec", "web", "T1190", "CVE-2024-0001"),
            st("reach", "app", "T1021", "web->app"),
            st("exec", "app", "T1210", "CVE-2024-0002"),
            st("holds", "db-password", "T1552", "app holds db-password"),
            st(
                "act-as",
                "app-db-user",
                "T1078",
                "db-password grants app-db-user"
            ),
            st("reach", "db", "T1021", "app->db"),
            st("read", "orders", "T1530", "app-db-user grants read on db"),
        ]
    );
    assert!(
        path_to(&paths, "write", "orders").is_none(),
        "the grant is read-only"
    );
    let cut = fixes(&model, "internet");
    assert_eq!(cut.len(), 1);
    assert!(cut[0].starts_with("patch CVE-2024-000"), "{cut:?}");

    let mitigated = scenario("three-tier.yaml", "STATUS", "mitigated");
    assert!(best_paths(&mitigated, "internet").is_empty());
}

#[test]
fn indirect_prompt_injection_into_an_agent() {
    let model = scenario("llm-injection.yaml", "CONTROLS", "");
    let paths = best_paths(&model, "internet");
    let read = path_to(&paths, "read", "customer-records").expect("a path");
    assert_eq!(
        steps(read),
        vec![
            st("taint", "web-page", "-", "agent->website"),
            st(
                "feed",
                "agent",
                "T1204",
                "agent->website (website returns attacker content to agent)"
            ),
            st(
                "exec",
                "agent",
                "AML.T0051",
                "agent follows instructions in content it consumes"
            ),
            st("act-as", "agent-role", "T1078", "agent runs as agent-role"),
            st("reach", "crm", "T1021", "agent->crm"),
            st(
                "read",
                "customer-records",
                "T1530",
                "agent-role grants read on crm"
            ),
        ]
    );
    // Prompt isolation is not a cut (revision 2): the cut is the agent's access.
    let cut = fixes(&model, "internet");
    assert!(
        cut == vec!["remove grant read on crm from agent-role".to_owned()]
            || cut == vec!["stop agent running as agent-role".to_owned()],
        "{cut:?}"
    );

    // Prompt isolation lowers the likelihood of the injection; the path stays.
    let isolated = scenario("llm-injection.yaml", "CONTROLS", "prompt-isolation");
    let isolated_paths = best_paths(&isolated, "internet");
    let guarded = path_to(&isolated_paths, "read", "customer-records").expect("still a path");
    assert!(guarded.likelihood < read.likelihood, "{guarded:?}");
    // Human approval guards writes, not reads.
    let approved = scenario("llm-injection.yaml", "CONTROLS", "human-approval");
    assert!(
        path_to(
            &best_paths(&approved, "internet"),
            "read",
            "customer-records"
        )
        .is_some()
    );
}

#[test]
fn phished_token_poisons_the_pipeline() {
    let model = scenario("ci-poison.yaml", "MFA", "false");
    let paths = best_paths(&model, "internet");
    let read = path_to(&paths, "read", "exports").expect("a path");
    let got = steps(read);
    assert_eq!(
        got[0],
        st("holds", "gh-token", "T1566", "phishing developer (no mfa)")
    );
    assert!(
        got.contains(&st("exec", "runner", "T1195", "repo->runner")),
        "{got:?}"
    );
    assert!(got.contains(&st("holds", "cloud-key", "T1552", "runner holds cloud-key")));
    assert!(got.contains(&st(
        "act-as",
        "cloud-admin",
        "T1078",
        "cloud-key grants cloud-admin"
    )));
    assert_eq!(
        got.last(),
        Some(&st(
            "read",
            "exports",
            "T1530",
            "cloud-admin grants admin on bucket"
        ))
    );
    // Admin on the bucket is a goal too.
    assert!(
        paths
            .iter()
            .any(|p| p.goal.access == "admin" && p.goal.component.as_deref() == Some("bucket"))
    );
    let cut = fixes(&model, "internet");
    assert_eq!(cut, vec!["require mfa for developer".to_owned()]);

    let mfa = scenario("ci-poison.yaml", "MFA", "true");
    assert!(best_paths(&mfa, "internet").is_empty());
}

#[test]
fn unauthenticated_datastore_in_a_flat_network() {
    let model = scenario("flat-network.yaml", "ISOLATED", "isolated: false");
    let paths = best_paths(&model, "insider:employee");
    let read = path_to(&paths, "read", "sessions").expect("a path");
    assert_eq!(
        steps(read),
        vec![
            st("reach", "cache", "T1021", "shared zone office"),
            st(
                "read",
                "sessions",
                "T1190",
                "cache accepts unauthenticated callers"
            ),
        ]
    );
    assert!(path_to(&paths, "write", "sessions").is_some());
    // A control on the cache is cheaper than isolating the whole office network.
    assert_eq!(
        fixes(&model, "insider:employee"),
        vec!["add network-policy to cache".to_owned()]
    );

    let isolated = scenario("flat-network.yaml", "ISOLATED", "isolated: true");
    assert!(best_paths(&isolated, "insider:employee").is_empty());
}

#[test]
fn an_insider_holding_a_credential_cannot_be_cut() {
    let model = common::load(
        "gambit: 1\nname: t\nassets:\n  d: {classification: restricted}\n  k: {kind: credential, grants: u}\nactors:\n  admin: {kind: admin, zone: internal, holds: [k]}\ncomponents:\n  db: {kind: database, stores: [d]}\nidentities:\n  u: {kind: database-user, grants: [{access: read, target: db}]}\nflows:\n  - {from: admin, to: db, protocol: postgres-tls, authentication: password, credential: k}\n",
    );
    let a = common::attacker(&model, "insider:admin");
    let answer = Analysis::run(&model, &[a]).chokepoints();
    // The read goal rests on the grant (a candidate), so it can be cut.
    assert!(
        answer.chokepoints.iter().any(|c| c.kind == "grant"),
        "{answer:?}"
    );
    assert!(answer.verified);
    // A goal no fix a team may make cuts: the insider shares the built-in internet zone
    // (never isolated by a fix) with an unauthenticated store there, which is a third
    // party's (its zone is untrusted), so no control can be added to it either.
    let model = common::load(
        "gambit: 1\nname: t\nassets:\n  d: {classification: restricted}\nactors:\n  eve: {kind: user, trust: internal}\ncomponents:\n  bucket: {kind: object-store, zone: internet, stores: [d]}\n",
    );
    let a = common::attacker(&model, "insider:eve");
    let answer = Analysis::run(&model, &[a]).chokepoints();
    assert!(!answer.uncuttable.is_empty(), "{answer:?}");
    assert_eq!(
        answer.uncuttable[0].reason,
        "cutting it would need a change the team cannot make: add network-policy to bucket (belongs to a third party)"
    );
}

/// The JSON the CLI prints for the three-tier scenario, pinned: paths, exposure,
/// chokepoints, tree and blast radius.
#[test]
fn three_tier_json_outputs() {
    let model = scenario("three-tier.yaml", "STATUS", "open");
    let analysis = Analysis::run(&model, &[]);
    insta::assert_json_snapshot!("three_tier_paths", analysis.paths(2, None));
    insta::assert_json_snapshot!("three_tier_exposure", analysis.exposure());
    insta::assert_json_snapshot!("three_tier_chokepoints", analysis.chokepoints());
    let orders = model.asset_id("orders").expect("asset");
    insta::assert_json_snapshot!("three_tier_tree", analysis.tree(orders));
    let ix = gambit_graph::Index::new(&model);
    let web = model.component_id("web").expect("component");
    insta::assert_json_snapshot!(
        "three_tier_blast_web",
        gambit_graph::blast_radius(&model, &ix, web)
    );
}

#[test]
fn what_if_patching_the_entry_point_closes_the_exposure() {
    let model = scenario("three-tier.yaml", "STATUS", "open");
    let analysis = Analysis::run(&model, &[]);
    let fixes = analysis.candidate_fixes();
    let patch = fixes
        .iter()
        .find(|(_, text)| text == "patch CVE-2024-0001 on web")
        .expect("the web exploit is a candidate")
        .0;
    assert!(analysis.exposure().iter().any(|e| e.asset == "orders"));
    assert!(
        !analysis
            .exposure_with(&[patch])
            .iter()
            .any(|e| e.asset == "orders")
    );
    // The second exploit of the chain is just as good a cut.
    let other = fixes
        .iter()
        .find(|(_, t)| t.contains("CVE-2024-0002"))
        .expect("candidate")
        .0;
    assert!(
        !analysis
            .exposure_with(&[other])
            .iter()
            .any(|e| e.asset == "orders")
    );
}
