//! One test per new row of the revision-2 table ("What an attacker can do"): a model
//! where it fires, with the technique shown on the path, and a variant where one control
//! or change removes it.

mod common;

use common::{has, load};
use gambit_graph::{Analysis, AttackPath};

fn m(body: &str) -> gambit_model::Model {
    load(&format!("gambit: 1\nname: t\n{body}"))
}

/// The best path of `who` to `access asset`.
fn path(model: &gambit_model::Model, who: &str, access: &str, asset: &str) -> Option<AttackPath> {
    let a = common::attacker(model, who);
    Analysis::run(model, &[a])
        .paths(1, None)
        .into_iter()
        .find(|p| p.goal.access == access && p.goal.asset == asset && p.goal.component.is_none())
}

/// (gains, on, technique) of each step.
fn shape(p: &AttackPath) -> Vec<(String, String, String)> {
    p.steps
        .iter()
        .map(|s| (s.gains.to_owned(), s.on.clone(), s.technique.to_owned()))
        .collect()
}

fn step(g: &str, on: &str, t: &str) -> (String, String, String) {
    (g.to_owned(), on.to_owned(), t.to_owned())
}

const INGRESS: &str = "assets:
  orders: {classification: restricted}
components:
  lb: {kind: load-balancer, public: true}
  gw: {kind: api-gateway}
  shop-api:
    kind: api
    vulnerabilities: [{id: CVE-1, effect: code-execution}]
    stores: [orders]
flows:
  - {from: lb, to: gw, protocol: https, authentication: none}
  - {from: gw, to: shop-api, protocol: https, authentication: token, CODE}
";

#[test]
fn reach_passes_through_forwarding_components() {
    let model = m(&INGRESS.replace(", CODE", ""));
    let p = path(&model, "internet", "read", "orders").expect("a path through the chain");
    assert_eq!(
        shape(&p),
        [
            step("reach", "lb", "T1190"),
            step("reach", "gw", "T1090"),
            step("reach", "shop-api", "T1090"),
            step("exec", "shop-api", "T1210"),
            step("read", "orders", "T1005"),
        ]
    );
    assert_eq!(
        p.steps[2].via,
        "gw->shop-api (gw, an api gateway, forwards requests)"
    );
    assert_eq!(p.steps[2].elements.flow.as_deref(), Some("gw->shop-api"));
    // A code flow out of a forwarding component is a deploy, not a forwarded request.
    let deploy = m(&INGRESS.replace(", CODE", ", code: true"));
    assert!(!has(&deploy, "internet", "reach shop-api"));
    // A service is not a forwarding component.
    let service = m(&INGRESS
        .replace(", CODE", "")
        .replace("{kind: api-gateway}", "{kind: service}"));
    assert!(!has(&service, "internet", "reach shop-api"));
}

const FEED: &str = "assets:
  html: {classification: internal}
  files: {classification: restricted}
actors:
  customer: {}
components:
  queue: {kind: queue, authentication: iam}
  renderer:
    kind: worker
    stores: [files]
    vulnerabilities: [{id: CVE-2, effect: code-execution, STATUS}]
flows:
  - {from: customer, to: queue, protocol: https, authentication: session, data: [html]}
  - {from: renderer, to: queue, protocol: https, authentication: iam, returns: [html]}
";

#[test]
fn content_feeds_the_components_that_consume_it() {
    let model = m(&FEED.replace(", STATUS", ""));
    assert!(has(&model, "internet", "taint html"));
    assert!(has(&model, "internet", "feed queue"));
    assert!(has(&model, "internet", "feed renderer"));
    let p = path(&model, "internet", "read", "files").expect("the worker is exploited by content");
    assert_eq!(
        shape(&p),
        [
            step("taint", "html", "-"),
            step("feed", "renderer", "T1204"),
            step("exec", "renderer", "T1203"),
            step("read", "files", "T1005"),
        ]
    );
    let patched = m(&FEED.replace("STATUS", "status: fixed"));
    assert!(!has(&patched, "internet", "exec renderer"));
    // Feeding is not reaching: the worker's own network is never touched.
    assert!(has(&patched, "internet", "feed renderer"));
    assert!(!has(&patched, "internet", "reach renderer"));
}

const AGENT: &str = "assets:
  ticket: {classification: internal}
  refunds: {integrity: critical}
  history: {classification: confidential}
actors:
  mailer: {kind: external-system}
components:
  agent: {kind: llm-agent, processes: [ticket], CONTROLS}
  refund-tool: {kind: api, stores: [refunds]}
flows:
  - {from: mailer, to: agent, protocol: smtps, authentication: none, data: [ticket]}
  - {from: agent, to: refund-tool, protocol: https, authentication: token, data: [refunds], returns: [history] FLOW}
";

fn agent(controls: &str, flow: &str) -> gambit_model::Model {
    m(&AGENT.replace("CONTROLS", controls).replace(" FLOW", flow))
}

#[test]
fn an_injected_agent_uses_its_tools() {
    let model = agent("controls: []", "");
    let p = path(&model, "internet", "write", "refunds").expect("the agent writes refunds");
    assert_eq!(
        shape(&p),
        [
            step("taint", "ticket", "-"),
            step("feed", "agent", "T1204"),
            step("exec", "agent", "AML.T0051"),
            step("write", "refunds", "T1565"),
        ]
    );
    assert_eq!(
        p.steps[3].via,
        "agent->refund-tool (agent calls refund-tool with it)"
    );
    assert!(
        has(&model, "internet", "read history"),
        "tool results are read"
    );
    // Human approval on the call, or on the agent, blocks the write; the read stays.
    for approved in [
        agent("controls: []", ", controls: [human-approval]"),
        agent("controls: [human-approval]", ""),
    ] {
        assert!(!has(&approved, "internet", "write refunds"));
        assert!(has(&approved, "internet", "read history"));
    }
    // Prompt isolation lowers the likelihood, and removes nothing.
    let isolated = agent("controls: [prompt-isolation]", "");
    let q = path(&isolated, "internet", "write", "refunds").expect("still a path");
    assert!(q.likelihood < p.likelihood);
}

#[test]
fn a_controlled_actor_gets_reach_and_taint_never_delegated_access() {
    let model = m("assets:
  orders: {classification: restricted}
actors:
  clerk: {kind: user, trust: internal, zone: internal}
components:
  erp: {kind: api, authentication: session}
flows:
  - {from: clerk, to: erp, protocol: https, authentication: session, data: [orders], returns: [orders]}
");
    assert!(has(&model, "insider:clerk", "reach erp"));
    assert!(has(&model, "insider:clerk", "taint orders"));
    assert!(!has(&model, "insider:clerk", "read orders"));
    assert!(!has(&model, "insider:clerk", "write orders"));
}

const GRANTS: &str = "assets:
  pii: {classification: restricted}
  notes: {classification: internal}
  key: {kind: credential, grants: support}
actors:
  agent-human: {kind: support, zone: internal, trust: internal, mfa: true, holds: [key]}
components:
  admin-panel: {kind: web-app}
  crm: {kind: database, stores: [pii]}
identities:
  support: {kind: user-account, grants: [{access: ACCESS, target: admin-panel}]}
flows:
  - {from: agent-human, to: admin-panel, protocol: https, authentication: password, returns: [pii], data: [notes]}
  - {from: admin-panel, to: crm, protocol: postgres-tls, authentication: password, returns: [pii], data: [notes]}
";

#[test]
fn grants_give_application_access_and_admin_gives_control() {
    let body = |access: &str| m(&GRANTS.replace("ACCESS", access));
    let read = body("read");
    assert!(
        has(&read, "insider:agent-human", "read pii"),
        "what its callers get back"
    );
    assert!(!has(&read, "insider:agent-human", "write notes"));
    assert!(!has(&read, "insider:agent-human", "exec admin-panel"));
    let write = body("write");
    assert!(
        has(&write, "insider:agent-human", "write notes"),
        "what its callers send"
    );
    assert!(!has(&write, "insider:agent-human", "read pii"));
    let admin = body("admin");
    assert!(has(&admin, "insider:agent-human", "admin admin-panel"));
    // admin is exec: the attacker then makes admin-panel's own calls (delegated access).
    assert!(has(&admin, "insider:agent-human", "write notes"));
    let p = path(&read, "insider:agent-human", "read", "pii").expect("a path");
    assert_eq!(p.steps.last().unwrap().technique, "T1530");
}

const SSRF: &str = "assets:
  secrets: {classification: restricted}
  vault-data: {classification: restricted}
components:
  web:
    kind: web-app
    public: true
    runs_as: web-role
    controls: [CONTROLS]
    vulnerabilities: [{id: CVE-3, effect: ssrf}]
  internal-api: {kind: api, stores: [secrets], vulnerabilities: [{id: CVE-4, effect: code-execution}]}
  vault: {kind: secret-store, authentication: iam, stores: [vault-data]}
identities:
  web-role: {kind: iam-role, grants: [{access: read, target: vault}]}
flows:
  - {from: web, to: internal-api, protocol: https, authentication: token}
  - {from: web, to: vault, protocol: https, authentication: iam}
";

#[test]
fn ssrf_reaches_what_the_component_calls_and_its_metadata_credentials() {
    let model = m(&SSRF.replace("CONTROLS", ""));
    assert!(has(&model, "internet", "reach internal-api"));
    assert!(
        !has(&model, "internet", "exec web"),
        "an ssrf is not code execution"
    );
    let p = path(&model, "internet", "read", "secrets").expect("ssrf then exploit");
    assert_eq!(
        shape(&p),
        [
            step("reach", "web", "T1190"),
            step("reach", "internal-api", "T1090"),
            step("exec", "internal-api", "T1210"),
            step("read", "secrets", "T1005"),
        ]
    );
    assert!(has(&model, "internet", "act-as web-role"));
    let p = path(&model, "internet", "read", "vault-data").expect("metadata credentials");
    let creds = p
        .steps
        .iter()
        .find(|s| s.gains == "act-as" && s.on == "web-role")
        .expect("a metadata step");
    assert_eq!(creds.technique, "T1552.005");
    assert_eq!(creds.elements.vulnerability.as_deref(), Some("CVE-3"));
    assert_eq!(creds.elements.identity.as_deref(), Some("web-role"));
    for guarded in ["metadata-protection", "egress-filtering"] {
        let model = m(&SSRF.replace("CONTROLS", guarded));
        assert!(!has(&model, "internet", "act-as web-role"), "{guarded}");
        assert!(has(&model, "internet", "reach internal-api"), "{guarded}");
    }
}

#[test]
fn auth_bypass_and_info_disclosure_derive_reads_and_writes() {
    let model = m("assets:
  orders: {classification: restricted}
  invoices: {classification: confidential}
  api-key: {kind: credential, grants: billing}
components:
  portal:
    kind: web-app
    public: true
    vulnerabilities: [{id: CVE-5, effect: auth-bypass}]
  billing-api:
    kind: api
    public: true
    holds: [api-key]
    processes: [invoices]
    vulnerabilities: [{id: CVE-6, effect: info-disclosure}]
  store: {kind: database, stores: [orders], public: true, authentication: password, vulnerabilities: [{id: CVE-7, effect: auth-bypass}]}
identities:
  billing: {kind: service-account}
flows:
  - {from: portal, to: billing-api, protocol: https, authentication: token}
  - {from: billing-api, to: portal, protocol: https, authentication: token, data: [invoices], returns: [orders]}
");
    // auth-bypass on portal: what its callers send and get back.
    assert!(has(&model, "internet", "write invoices"));
    assert!(has(&model, "internet", "read orders"));
    // auth-bypass on a datastore: what it stores.
    assert!(has(&model, "internet", "write orders"));
    // info-disclosure: what it processes and holds (a held credential is then used).
    assert!(has(&model, "internet", "read invoices"));
    assert!(has(&model, "internet", "holds api-key"));
    assert!(has(&model, "internet", "act-as billing"));
    let p = path(&model, "internet", "write", "orders").expect("a path");
    assert_eq!(p.steps.last().unwrap().technique, "T1190");
    let patched = m("assets:
  orders: {classification: restricted}
components:
  store: {kind: database, stores: [orders], public: true, authentication: password, vulnerabilities: [{id: CVE-7, effect: auth-bypass, status: fixed}]}
");
    assert!(!has(&patched, "internet", "write orders"));
}

const BEHIND_CDN: &str = "assets:
  profile: {classification: restricted}
actors:
  customer: {}
components:
  cdn: {kind: cdn, public: true}
  alb: {kind: load-balancer}
  api: {kind: api}
  users: {kind: database, stores: [profile], authentication: password}
flows:
  - {from: customer, to: cdn, protocol: https, authentication: CUSTOMER}
  - {from: cdn, to: alb, protocol: https, authentication: none}
  - {from: alb, to: api, protocol: http, authentication: none, returns: [profile]}
  - {from: api, to: users, protocol: postgres-tls, authentication: password, returns: [profile]}
";

#[test]
fn unauthenticated_flows_are_judged_by_effective_authentication() {
    // The customer signs in: the hops behind the CDN carry the session.
    let signed_in = m(&BEHIND_CDN.replace("CUSTOMER", "session"));
    assert!(has(&signed_in, "internet", "reach api"));
    assert!(!has(&signed_in, "internet", "read profile"));
    // Nobody signs in: anyone on the internet gets what the api returns.
    let open = m(&BEHIND_CDN.replace("CUSTOMER", "none"));
    let p = path(&open, "internet", "read", "profile").expect("a path");
    assert_eq!(
        shape(&p),
        [
            step("reach", "cdn", "T1190"),
            step("reach", "alb", "T1090"),
            step("reach", "api", "T1090"),
            step("read", "profile", "T1190"),
        ]
    );
}

#[test]
fn unauthenticated_datastores_use_effective_authentication() {
    let body = |auth: &str| {
        m(&format!(
            "assets:
  blobs: {{classification: restricted}}
actors:
  app: {{kind: external-system}}
components:
  proxy: {{kind: reverse-proxy, public: true}}
  bucket: {{kind: object-store, stores: [blobs]}}
flows:
  - {{from: app, to: proxy, protocol: https, authentication: {auth}}}
  - {{from: proxy, to: bucket, protocol: https, authentication: none}}
"
        ))
    };
    assert!(has(&body("none"), "internet", "write blobs"));
    assert!(!has(&body("api-key"), "internet", "write blobs"));
}

const SNIFF: &str = "assets:
  cards: {classification: restricted}
zones:
  account: {kind: KIND}
actors:
  contractor: {kind: user, trust: internal, zone: account}
components:
  pos: {kind: service, zone: account}
  payments: {kind: api, zone: account}
flows:
  - {from: pos, to: payments, protocol: http, authentication: token, data: [cards]}
";

#[test]
fn sniffing_needs_a_network_zone() {
    let network = m(&SNIFF.replace("KIND", "subnet"));
    let p = path(&network, "insider:contractor", "read", "cards").expect("sniffed");
    assert_eq!(shape(&p), [step("read", "cards", "T1557")]);
    let admin = m(&SNIFF.replace("KIND", "cloud-account"));
    assert!(!has(&admin, "insider:contractor", "read cards"));
    // A position on the internet sniffs flows with an end there.
    let internet = m("assets:
  cards: {classification: restricted}
actors:
  shopper: {}
components:
  shop: {kind: web-app, public: true}
flows:
  - {from: shopper, to: shop, protocol: http, authentication: session, data: [cards]}
");
    assert!(has(&internet, "internet", "read cards"));
}

const SHARED: &str = "assets:
  cache-data: {classification: restricted}
zones:
  net: {kind: KIND}
components:
  web: {kind: web-app, zone: net}
  cache: {kind: cache, zone: net, stores: [cache-data], CONTROLS}
";

#[test]
fn shared_zone_reach_needs_a_network_zone_and_no_network_policy() {
    let shared =
        |kind: &str, controls: &str| m(&SHARED.replace("KIND", kind).replace("CONTROLS", controls));
    let flat = shared("vpc", "controls: []");
    assert!(has(&flat, "compromised:web", "reach cache"));
    assert!(has(&flat, "compromised:web", "write cache-data"));
    assert!(!has(
        &shared("cloud-account", "controls: []"),
        "compromised:web",
        "reach cache"
    ));
    let policed = shared("vpc", "controls: [network-policy]");
    assert!(!has(&policed, "compromised:web", "reach cache"));
    // A declared flow reaches it whatever its controls.
    let declared = m(&(SHARED
        .replace("KIND", "vpc")
        .replace("CONTROLS", "controls: [network-policy]")
        + "flows:\n  - {from: web, to: cache, protocol: redis, authentication: none}\n"));
    assert!(has(&declared, "compromised:web", "reach cache"));
}

#[test]
fn an_insider_on_the_internet_reaches_public_components() {
    let model = m("actors:
  freelancer: {kind: contractor, trust: partner}
components:
  site: {kind: web-app, public: true}
");
    assert!(has(&model, "insider:freelancer", "reach site"));
    let inside = m("actors:
  clerk: {kind: user, trust: internal, zone: internal}
zones:
  dmz: {kind: network, isolated: true}
components:
  site: {kind: web-app, public: true, zone: dmz}
");
    assert!(!has(&inside, "insider:clerk", "reach site"));
}

fn chokepoints(model: &gambit_model::Model, who: &str) -> gambit_graph::Chokepoints {
    let a = common::attacker(model, who);
    Analysis::run(model, &[a]).chokepoints()
}

#[test]
fn choke_points_prefer_approval_to_removing_the_agents_tools() {
    let model = agent("controls: []", "");
    let answer = chokepoints(&model, "internet");
    assert!(answer.verified);
    let fixes: Vec<&str> = answer.chokepoints.iter().map(|c| c.fix.as_str()).collect();
    assert!(
        fixes.contains(&"add human-approval to flow agent->refund-tool")
            || fixes.contains(&"add human-approval to agent"),
        "{fixes:?}"
    );
    assert!(!fixes.iter().any(|f| f.contains("prompt")), "{fixes:?}");
    let approval = answer
        .chokepoints
        .iter()
        .find(|c| c.fix.starts_with("add human-approval"))
        .unwrap();
    let action = serde_json::to_value(&approval.action).unwrap();
    assert_eq!(action["kind"], "add-control");
    assert_eq!(action["control"], "human-approval");
}

#[test]
fn required_access_and_third_parties_are_never_removed() {
    // The support agent's job needs the grant and the flow, and the mail comes from a
    // third party: none of them is proposed for removal.
    let model = m("assets:
  ticket: {classification: internal}
  pii: {classification: restricted}
  key: {kind: credential, grants: support-role}
actors:
  mailer: {kind: external-system}
components:
  agent: {kind: llm-agent, processes: [ticket], holds: [key]}
  crm: {kind: database, stores: [pii], authentication: iam}
identities:
  support-role: {grants: [{access: read, target: crm, required: true}]}
flows:
  - {from: mailer, to: agent, protocol: smtps, authentication: none, data: [ticket]}
  - {from: agent, to: crm, protocol: https, authentication: iam, required: true}
");
    let answer = chokepoints(&model, "internet");
    let fixes: Vec<&str> = answer.chokepoints.iter().map(|c| c.fix.as_str()).collect();
    assert!(
        !fixes.iter().any(|f| f.contains("remove grant")),
        "{fixes:?}"
    );
    assert!(
        !fixes.iter().any(|f| f.contains("remove flow")),
        "{fixes:?}"
    );
    // The credential on the agent is the team's to move into a secrets manager.
    assert_eq!(fixes, ["remove key from agent"]);
    assert_eq!(
        answer.chokepoints[0].action,
        gambit_graph::FixAction::RemoveCredential {
            component: "agent".into(),
            credential: "key".into(),
        }
    );
    // Without that credential on the host, the goal rests only on required access.
    let required_only = m("assets:
  ticket: {classification: internal}
  pii: {classification: restricted}
actors:
  mailer: {kind: external-system}
components:
  agent: {kind: llm-agent, processes: [ticket], runs_as: support-role}
  crm: {kind: database, stores: [pii], authentication: iam, zone: vendor}
zones:
  vendor: {trust: partner}
identities:
  support-role: {grants: [{access: read, target: crm, required: true}]}
flows:
  - {from: mailer, to: agent, protocol: smtps, authentication: none, data: [ticket]}
  - {from: agent, to: crm, protocol: https, authentication: iam}
");
    let answer = chokepoints(&required_only, "internet");
    let fixes: Vec<&str> = answer.chokepoints.iter().map(|c| c.fix.as_str()).collect();
    // Stopping the agent running as its role is the one change left.
    assert_eq!(fixes, ["stop agent running as support-role"]);
}

#[test]
fn a_goal_that_only_required_access_reaches_is_uncuttable_with_the_reason() {
    let model = m("assets:
  pii: {classification: restricted}
  key: {kind: credential, grants: support-role}
actors:
  clerk: {kind: support, trust: internal, zone: internal, holds: [key]}
components:
  crm: {kind: api, stores: [pii], authentication: password, zone: office}
zones:
  office: {kind: network, isolated: true}
identities:
  support-role: {grants: [{access: read, target: crm, required: true}]}
flows:
  - {from: clerk, to: crm, protocol: https, authentication: password, required: true}
");
    let answer = chokepoints(&model, "insider:clerk");
    assert!(answer.chokepoints.is_empty(), "{answer:?}");
    let reasons: Vec<&str> = answer
        .uncuttable
        .iter()
        .map(|u| u.reason.as_str())
        .collect();
    assert!(
        reasons.contains(
            &"cutting it would need a change the team cannot make: remove flow clerk->crm (required); remove grant read on crm from support-role (required)"
        ),
        "{reasons:?}"
    );
}

#[test]
fn network_policy_and_metadata_protection_are_proposed_where_they_cut() {
    let model = m(&SSRF.replace("CONTROLS", ""));
    let fixes: Vec<String> = chokepoints(&model, "internet")
        .chokepoints
        .into_iter()
        .map(|c| c.fix)
        .collect();
    // The cheapest cut of every goal: patch the ssrf on the public web tier.
    assert_eq!(fixes, ["patch CVE-3 on web"]);
    let shared = m(&SHARED
        .replace("KIND", "vpc")
        .replace("CONTROLS", "controls: []"));
    let fixes: Vec<String> = chokepoints(&shared, "compromised:web")
        .chokepoints
        .into_iter()
        .map(|c| c.fix)
        .collect();
    assert_eq!(fixes, ["add network-policy to cache"]);
}

#[test]
fn cycles_of_forwarding_components_end_and_reach_what_they_forward_to() {
    let model = m("assets:
  data: {classification: restricted}
components:
  edge: {kind: reverse-proxy, public: true}
  lb-a: {kind: load-balancer}
  lb-b: {kind: load-balancer}
  app: {kind: api, stores: [data], vulnerabilities: [{id: CVE-8, effect: code-execution}]}
flows:
  - {from: edge, to: lb-a, protocol: https, authentication: none}
  - {from: lb-a, to: lb-b, protocol: https, authentication: none}
  - {from: lb-b, to: lb-a, protocol: https, authentication: none}
  - {from: lb-b, to: edge, protocol: https, authentication: none}
  - {from: lb-b, to: app, protocol: https, authentication: none}
");
    assert!(has(&model, "internet", "reach app"));
    assert!(has(&model, "internet", "read data"));
}
