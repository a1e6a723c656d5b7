//! One test per derivation rule of the spec's table: a model where it fires and one
//! where it does not.

mod common;

use common::{derived, has, load};

fn m(body: &str) -> gambit_model::Model {
    load(&format!("gambit: 1\nname: t\n{body}"))
}

#[test]
fn public_reach_needs_public_and_the_internet_attacker() {
    let yes = m("components:\n  web: {kind: web-app, public: true}\n  other: {kind: service}\n");
    assert!(has(&yes, "internet", "reach web"));
    let no = m("components:\n  web: {kind: web-app}\n");
    assert!(!has(&no, "internet", "reach web"));
    // compromised components are not on the internet.
    let iso = m(
        "zones:\n  a: {kind: network, isolated: true}\ncomponents:\n  web: {kind: web-app, public: true, zone: a}\n  x: {kind: service, zone: a}\n",
    );
    assert!(!has(&iso, "compromised:x", "reach web"));
}

#[test]
fn lateral_movement_over_a_flow() {
    let yes = m(
        "zones:\n  a: {kind: network}\n  b: {kind: network}\ncomponents:\n  x: {kind: service, zone: a}\n  y: {kind: service, zone: b}\nflows:\n  - {from: x, to: y, protocol: https, authentication: token}\n",
    );
    assert!(has(&yes, "compromised:x", "reach y"));
    assert!(!has(&yes, "compromised:y", "reach x"), "flows are directed");
}

#[test]
fn lateral_movement_through_a_shared_zone_only_when_not_isolated() {
    let shared = m(
        "zones:\n  a: {kind: network}\ncomponents:\n  x: {kind: service, zone: a}\n  y: {kind: service, zone: a}\n",
    );
    assert!(has(&shared, "compromised:x", "reach y"));
    let isolated = m(
        "zones:\n  a: {kind: network, isolated: true}\ncomponents:\n  x: {kind: service, zone: a}\n  y: {kind: service, zone: a}\n",
    );
    assert!(!has(&isolated, "compromised:x", "reach y"));
    let ancestor = m(
        "zones:\n  p: {kind: vpc}\n  a: {kind: network, parent: p}\n  b: {kind: network, parent: p}\ncomponents:\n  x: {kind: service, zone: a}\n  y: {kind: service, zone: b}\n",
    );
    assert!(
        !has(&ancestor, "compromised:x", "reach y"),
        "a common ancestor does not count"
    );
}

const VULN_WEB: &str = "components:\n  web:\n    kind: web-app\n    public: true\n    vulnerabilities:\n      - {id: CVE-1, effect: EFFECT, STATUS}\n";

fn vuln(effect: &str, status: &str) -> gambit_model::Model {
    m(&VULN_WEB.replace("EFFECT", effect).replace("STATUS", status))
}

#[test]
fn exploit_needs_reach_and_an_open_code_execution_vulnerability() {
    assert!(has(
        &vuln("code-execution", "status: open"),
        "internet",
        "exec web"
    ));
    assert!(!has(
        &vuln("code-execution", "status: fixed"),
        "internet",
        "exec web"
    ));
    assert!(!has(
        &vuln("code-execution", "status: mitigated"),
        "internet",
        "exec web"
    ));
    assert!(!has(
        &vuln("code-execution", "status: not-affected"),
        "internet",
        "exec web"
    ));
    for effect in [
        "auth-bypass",
        "info-disclosure",
        "denial-of-service",
        "privilege-escalation",
    ] {
        assert!(
            !has(&vuln(effect, "status: open"), "internet", "exec web"),
            "{effect}"
        );
    }
}

#[test]
fn privilege_escalation_needs_exec() {
    let both = m(
        "components:\n  web:\n    kind: web-app\n    public: true\n    vulnerabilities:\n      - {id: CVE-1, effect: code-execution}\n      - {id: CVE-2, effect: privilege-escalation}\n",
    );
    assert!(has(&both, "internet", "admin web"));
    assert!(!has(
        &vuln("privilege-escalation", "status: open"),
        "internet",
        "admin web"
    ));
}

#[test]
fn admin_grant_gives_admin_and_exec_only_for_admin() {
    let body = |access: &str| {
        m(&format!(
            "assets:\n  key: {{kind: credential, grants: ops}}\nactors:\n  dev: {{kind: developer, zone: internal, holds: [key]}}\ncomponents:\n  host: {{kind: vm}}\nidentities:\n  ops: {{kind: iam-role, grants: [{{access: {access}, target: host}}]}}\n"
        ))
    };
    let admin = body("admin");
    assert!(has(&admin, "insider:dev", "act-as ops"));
    assert!(has(&admin, "insider:dev", "admin host"));
    assert!(has(&admin, "insider:dev", "exec host"));
    let read = body("read");
    assert!(!has(&read, "insider:dev", "admin host"));
    assert!(!has(&read, "insider:dev", "exec host"));
}

#[test]
fn admin_grant_needs_reach() {
    let model = m(
        "assets:\n  key: {kind: credential, grants: ops}\nzones:\n  far: {kind: network, isolated: true}\nactors:\n  dev: {kind: developer, zone: internal, holds: [key]}\ncomponents:\n  host: {kind: vm, zone: far}\nidentities:\n  ops: {kind: iam-role, grants: [{access: admin, target: host}]}\n",
    );
    assert!(has(&model, "insider:dev", "act-as ops"));
    assert!(!has(&model, "insider:dev", "admin host"));
}

#[test]
fn code_flow_runs_code_from_a_position() {
    let code = |flag: &str| {
        m(&format!(
            "zones:\n  a: {{kind: network, isolated: true}}\ncomponents:\n  ci: {{kind: ci-cd, zone: a}}\n  web: {{kind: web-app, zone: a}}\nflows:\n  - {{from: ci, to: web, protocol: ssh, authentication: key, code: {flag}}}\n"
        ))
    };
    assert!(has(&code("true"), "compromised:ci", "exec web"));
    assert!(!has(&code("false"), "compromised:ci", "exec web"));
    assert!(has(&code("false"), "compromised:ci", "reach web"));
}

#[test]
fn code_flow_through_write_access_on_the_source() {
    let model = |access: &str| {
        m(&format!(
            "assets:\n  tok: {{kind: credential, grants: pusher}}\nactors:\n  dev: {{kind: developer, zone: internal, holds: [tok]}}\nzones:\n  b: {{kind: network, isolated: true}}\ncomponents:\n  repo: {{kind: repository}}\n  web: {{kind: web-app, zone: b}}\nidentities:\n  pusher: {{kind: user, grants: [{{access: {access}, target: repo}}]}}\nflows:\n  - {{from: repo, to: web, protocol: https, authentication: token, code: true}}\n"
        ))
    };
    assert!(has(&model("write"), "insider:dev", "exec web"));
    assert!(has(&model("admin"), "insider:dev", "exec web"));
    assert!(!has(&model("read"), "insider:dev", "exec web"));
}

#[test]
fn prompt_injection_into_an_llm_fed_attacker_content() {
    let model = |controls: &str| {
        m(&format!(
            "assets:\n  mail: {{classification: internal}}\nactors:\n  sender: {{kind: external-system, trust: untrusted}}\ncomponents:\n  agent: {{kind: llm-agent, processes: [mail], controls: [{controls}]}}\nflows:\n  - {{from: sender, to: agent, protocol: smtp, authentication: none, data: [mail]}}\n"
        ))
    };
    assert!(has(&model(""), "internet", "taint mail"));
    assert!(has(&model(""), "internet", "exec agent"));
    // Revision 2: prompt isolation and human approval lower likelihood or guard writes;
    // neither stops an injected instruction from running.
    assert!(has(&model("prompt-isolation"), "internet", "exec agent"));
    assert!(has(&model("human-approval"), "internet", "exec agent"));
    assert!(has(&model(""), "internet", "feed agent"));
    // Other controls lower likelihood only.
    assert!(has(
        &model("waf, input-validation"),
        "internet",
        "exec agent"
    ));
    // Not an llm: no prompt injection.
    let svc = m(
        "assets:\n  mail: {classification: internal}\nactors:\n  sender: {kind: external-system, trust: untrusted}\nzones:\n  z: {kind: network, isolated: true}\ncomponents:\n  svc: {kind: service, zone: z, processes: [mail]}\nflows:\n  - {from: sender, to: svc, protocol: smtp, authentication: token, data: [mail]}\n",
    );
    assert!(!has(&svc, "internet", "exec svc"));
}

#[test]
fn prompt_injection_through_returned_data() {
    let model = m(
        "assets:\n  page: {classification: public}\nactors:\n  site: {kind: external-system, trust: untrusted}\ncomponents:\n  agent: {kind: llm-agent}\n  web: {kind: service, zone: internet, stores: [page]}\nflows:\n  - {from: agent, to: web, protocol: https, authentication: token, returns: [page]}\n",
    );
    // The attacker is in zone internet, reaches web (unauthenticated, no flow in is
    // authenticated... web has an inbound flow with token) -- write page needs exec or a
    // grant; so taint comes only if something writes it.
    assert!(!has(&model, "internet", "exec agent"));
    let writer = m(
        "assets:\n  page: {classification: public}\nactors:\n  site: {kind: external-system, trust: untrusted}\ncomponents:\n  agent: {kind: llm-agent}\n  web: {kind: service, zone: internet}\nflows:\n  - {from: agent, to: site, protocol: https, authentication: token, returns: [page]}\n",
    );
    assert!(has(&writer, "internet", "taint page"));
    assert!(has(&writer, "internet", "exec agent"));
}

#[test]
fn credentials_from_hosts_reads_and_controlled_actors() {
    let host = m(
        "assets:\n  k: {kind: credential, grants: i}\ncomponents:\n  web: {kind: web-app}\n  other: {kind: web-app, holds: [k]}\nidentities:\n  i: {kind: service-account}\n",
    );
    let web_holds = m(
        "assets:\n  k: {kind: credential, grants: i}\ncomponents:\n  web: {kind: web-app, holds: [k]}\nidentities:\n  i: {kind: service-account}\n",
    );
    assert!(has(&web_holds, "compromised:web", "holds k"));
    assert!(has(&web_holds, "compromised:web", "act-as i"));
    // reach alone (shared zone) does not give what a host holds.
    assert!(!has(&host, "compromised:web", "holds k"));
    let read = m(
        "assets:\n  k: {kind: credential}\n  d: {classification: internal}\ncomponents:\n  vault: {kind: secret-store, stores: [k, d]}\n",
    );
    assert!(has(&read, "compromised:vault", "holds k"));
    assert!(
        !has(&read, "compromised:vault", "holds d"),
        "only credentials are held by reading"
    );
    let actor = m(
        "assets:\n  k: {kind: credential}\nactors:\n  bob: {kind: user, zone: internal, holds: [k]}\n",
    );
    assert!(has(&actor, "insider:bob", "holds k"));
}

#[test]
fn phishing_needs_the_internet_attacker_no_mfa_and_a_person() {
    let model = |extra: &str, kind: &str| {
        m(&format!(
            "assets:\n  k: {{kind: credential}}\nactors:\n  dev: {{kind: {kind}, zone: internal, holds: [k]{extra}}}\n  other: {{kind: user, zone: internal}}\n"
        ))
    };
    assert!(has(&model("", "developer"), "internet", "holds k"));
    assert!(!has(
        &model(", mfa: true", "developer"),
        "internet",
        "holds k"
    ));
    assert!(!has(&model("", "external-system"), "internet", "holds k"));
    assert!(!has(&model("", "developer"), "insider:other", "holds k"));
}

#[test]
fn acting_as_through_credentials_runs_as_and_assume() {
    let model = m(
        "assets:\n  k: {kind: credential, grants: a}\nactors:\n  dev: {kind: developer, zone: internal, holds: [k]}\ncomponents:\n  svc: {kind: service, runs_as: b}\nidentities:\n  a: {kind: user, grants: [{access: assume, target: c}]}\n  b: {kind: service-account}\n  c: {kind: iam-role}\n",
    );
    let got = derived(&model, "insider:dev");
    assert!(got.contains("act-as a") && got.contains("act-as c"));
    assert!(!got.contains("act-as b"));
    assert!(has(&model, "compromised:svc", "act-as b"));
    assert!(!has(&model, "compromised:svc", "act-as a"));
}

#[test]
fn local_data_stores_give_read_and_write_processes_read_only() {
    let model = m(
        "assets:\n  s: {classification: internal}\n  p: {classification: internal}\ncomponents:\n  app: {kind: service, stores: [s], processes: [p]}\n",
    );
    let got = derived(&model, "compromised:app");
    assert!(got.contains("read s") && got.contains("write s"));
    assert!(got.contains("read p") && !got.contains("write p"));
}

#[test]
fn grant_data_follows_the_access() {
    let model = |access: &str| {
        m(&format!(
            "assets:\n  d: {{classification: internal}}\n  k: {{kind: credential, grants: u}}\nactors:\n  dev: {{kind: developer, zone: internal, holds: [k]}}\ncomponents:\n  db: {{kind: database, stores: [d]}}\n  app: {{kind: service}}\nidentities:\n  u: {{kind: database-user, grants: [{{access: {access}, target: db}}]}}\nflows:\n  - {{from: app, to: db, protocol: postgres, authentication: password}}\n"
        ))
    };
    let read = derived(&model("read"), "insider:dev");
    assert!(read.contains("read d") && !read.contains("write d"));
    let write = derived(&model("write"), "insider:dev");
    assert!(!write.contains("read d") && write.contains("write d"));
    let admin = derived(&model("admin"), "insider:dev");
    assert!(admin.contains("read d") && admin.contains("write d"));
}

#[test]
fn unauthenticated_datastores_give_read_and_write() {
    let model = |kind: &str, auth: &str| {
        m(&format!(
            "assets:\n  d: {{classification: internal}}\ncomponents:\n  store: {{kind: {kind}, public: true, stores: [d]}}\n  app: {{kind: service}}\nflows:\n  - {{from: app, to: store, protocol: tcp, authentication: {auth}}}\n"
        ))
    };
    let open = derived(&model("database", "none"), "internet");
    assert!(open.contains("read d") && open.contains("write d"));
    assert!(!derived(&model("database", "password"), "internet").contains("read d"));
    assert!(!derived(&model("service", "none"), "internet").contains("read d"));
}

#[test]
fn unauthenticated_flows_leak_what_they_return() {
    let model = |auth: &str| {
        m(&format!(
            "assets:\n  d: {{classification: internal}}\ncomponents:\n  api: {{kind: api, public: true}}\n  app: {{kind: service}}\nflows:\n  - {{from: app, to: api, protocol: https, authentication: {auth}, returns: [d]}}\n"
        ))
    };
    assert!(has(&model("none"), "internet", "read d"));
    assert!(!has(&model("token"), "internet", "read d"));
}

#[test]
fn interception_of_unencrypted_flows_from_a_zone_of_an_end() {
    let model = |protocol: &str| {
        m(&format!(
            "assets:\n  d: {{classification: internal}}\n  k: {{kind: credential}}\nzones:\n  a: {{kind: network, isolated: true}}\n  b: {{kind: network, isolated: true}}\ncomponents:\n  x: {{kind: service, zone: a}}\n  y: {{kind: service, zone: a}}\n  z: {{kind: service, zone: b}}\nflows:\n  - {{from: y, to: z, protocol: {protocol}, authentication: password, credential: k, data: [d]}}\n"
        ))
    };
    let plain = derived(&model("http"), "compromised:x");
    assert!(plain.contains("read d") && plain.contains("read k") && plain.contains("holds k"));
    assert!(!derived(&model("https"), "compromised:x").contains("read d"));
    // From the internet: either end in zone internet.
    let edge = m(
        "assets:\n  d: {classification: internal}\nactors:\n  u: {kind: user, trust: internal, zone: internet}\ncomponents:\n  web: {kind: web-app}\nflows:\n  - {from: u, to: web, protocol: http, authentication: session, data: [d]}\n",
    );
    assert!(has(&edge, "internet", "read d"));
    // A position in the zone of either end suffices, whatever the zone.
    assert!(has(&edge, "compromised:web", "read d"));
}

#[test]
fn taint_from_write_or_sending() {
    let model = m(
        "assets:\n  d: {classification: internal}\n  e: {classification: internal}\n  f: {classification: internal}\ncomponents:\n  app: {kind: service, stores: [d]}\n  other: {kind: service}\nflows:\n  - {from: app, to: other, protocol: https, authentication: token, data: [e]}\n  - {from: other, to: app, protocol: https, authentication: token, returns: [f]}\n  - {from: other, to: app, id: o2, protocol: https, authentication: token, data: [f]}\n",
    );
    let got = derived(&model, "compromised:app");
    assert!(got.contains("taint d") && got.contains("taint e") && got.contains("taint f"));
    let got = derived(&model, "compromised:other");
    assert!(got.contains("taint f"));
    assert!(!got.contains("taint e"), "receiving data is not sending it");
}

#[test]
fn exec_implies_reach_and_admin_implies_exec() {
    let model = m("components:\n  a: {kind: service}\n");
    let got = derived(&model, "compromised:a");
    assert!(got.contains("exec a") && got.contains("reach a") && !got.contains("admin a"));
}
