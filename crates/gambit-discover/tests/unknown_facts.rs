//! What a `discovered: true` fragment leaves unsaid stays unsaid: a flow without
//! `authentication` shows reach, not an unauthenticated caller, and a hop out of a
//! forwarding component without `encrypted` carries its callers' connection (gambit-model,
//! `Flow::authentication_unknown` / `encryption_unknown`; docs/discover.md).

use gambit_model::vocab::Authentication;
use gambit_model::{LoadOptions, Loaded, Model};

fn load(main: &str, discovered: &str) -> Loaded {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.yaml"), main).unwrap();
    std::fs::write(dir.path().join("discovered.yaml"), discovered).unwrap();
    gambit_model::load_path(&dir.path().join("main.yaml"), LoadOptions::default())
}

fn model(loaded: &Loaded) -> &Model {
    let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    loaded
        .model
        .as_ref()
        .unwrap_or_else(|| panic!("{errors:?}"))
}

fn warnings(loaded: &Loaded) -> Vec<&str> {
    loaded.diagnostics.iter().map(|d| d.code).collect()
}

const MAIN: &str = "gambit: 1\nname: t\ninclude: [discovered.yaml]\nassets:\n  pii: {classification: restricted}\n  pw: {kind: credential, grants: db-user}\ncomponents:\n  db: {kind: database, zone: ns, stores: [pii]}\n  app: {kind: service, zone: ns, holds: [pw]}\nidentities:\n  db-user: {kind: database-user, grants: [{access: write, target: db}]}\nflows:\n  - {from: app, to: svc, protocol: postgres, encrypted: true, authentication: password, credential: pw}\n";

const DISCOVERED: &str = "gambit: 1\ndiscovered: true\nzones:\n  ns: {kind: namespace}\ncomponents:\n  svc: {kind: load-balancer, zone: ns, managed: true}\n  lonely-svc: {kind: load-balancer, zone: ns, managed: true}\n  pod: {kind: container, zone: ns}\nflows:\n  - {from: svc, to: db, protocol: postgres}\n  - {from: pod, to: db, protocol: postgres}\n  - {from: lonely-svc, to: pod, protocol: http}\n";

#[test]
fn a_discovered_flow_without_authentication_does_not_open_its_target() {
    let loaded = load(MAIN, DISCOVERED);
    let m = model(&loaded);
    let db = &m[m.component_id("db").unwrap()];
    assert_eq!(
        db.effective_authentication,
        Authentication::Password,
        "the hand-written caller's password, not the discovered flows' silence"
    );
    let pod_flow = m.flows.iter().find(|f| f.id == "pod->db").unwrap();
    assert!(pod_flow.authentication_unknown);
    assert_eq!(
        pod_flow.effective_authentication,
        Authentication::Password,
        "what db demands"
    );
    let w = warnings(&loaded);
    assert!(
        !w.contains(&"flow-without-authentication") && !w.contains(&"forwarding-without-callers"),
        "no warning storm on a fragment: {w:?}"
    );
}

#[test]
fn a_hand_written_flow_without_authentication_still_counts_as_none_and_warns() {
    let main = MAIN.replace(
        "  - {from: app, to: svc, protocol: postgres, encrypted: true, authentication: password, credential: pw}\n",
        "  - {from: app, to: svc, protocol: postgres, encrypted: true, credential: pw}\n",
    );
    let loaded = load(&main, DISCOVERED);
    let m = model(&loaded);
    assert_eq!(
        m[m.component_id("db").unwrap()].effective_authentication,
        Authentication::None
    );
    assert!(warnings(&loaded).contains(&"flow-without-authentication"));
}

#[test]
fn a_discovered_hop_carries_its_callers_encryption() {
    let loaded = load(MAIN, DISCOVERED);
    let m = model(&loaded);
    let hop = |id: &str| m.flows.iter().find(|f| f.id == id).unwrap().encrypted;
    assert!(
        hop("svc->db"),
        "the client's TLS passes through the Service"
    );
    assert!(!hop("pod->db"), "not forwarded: its protocol's default");
    assert!(
        !hop("lonely-svc->pod"),
        "nothing known enters: its protocol's default"
    );
    let plain = MAIN.replace("encrypted: true, ", "");
    let loaded = load(&plain, DISCOVERED);
    let m = model(&loaded);
    assert!(
        !m.flows
            .iter()
            .find(|f| f.id == "svc->db")
            .unwrap()
            .encrypted
    );
}
