//! The keys and derived values of the model language's revision 2: `managed`, flow
//! `controls` and `required`, grant `required`, the encrypted-by-default protocols, network
//! versus administrative zones, forwarding components and effective authentication.

use gambit_model::vocab::Control;
use gambit_model::{
    Diagnostic, LoadOptions, Loaded, Model, Severity, load_str,
    vocab::{Authentication, Effect},
};

fn load(yaml: &str) -> Loaded {
    load_str("model.yaml", yaml.to_owned(), None, LoadOptions::default())
}

fn model(yaml: &str) -> Model {
    let loaded = load(yaml);
    let errors: Vec<&Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    loaded.model.expect("model")
}

/// `code@line:col` for every warning.
fn warnings(loaded: &Loaded) -> Vec<String> {
    loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| match d.span {
            Some(span) => {
                let lc = loaded.sources.get(span.file).line_col(span.start);
                format!("{}@{}:{}", d.code, lc.line, lc.column)
            }
            None => d.code.to_owned(),
        })
        .collect()
}

fn flow_auth(m: &Model, id: &str) -> Authentication {
    m.flows
        .iter()
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("no flow {id}"))
        .effective_authentication
}

fn component_auth(m: &Model, id: &str) -> Authentication {
    m[m.component_id(id).expect(id)].effective_authentication
}

#[test]
fn the_new_keys_load_and_default_to_false_or_empty() {
    let m = model(
        "gambit: 1
assets:
  refunds: {integrity: critical}
components:
  agent: {kind: llm-agent}
  refund-api: {kind: api, managed: true, stores: [refunds]}
  db: {kind: database}
identities:
  ops: {grants: [{access: write, target: refund-api, required: true}, {access: read, target: db}]}
flows:
  - {from: agent, to: refund-api, protocol: https, authentication: token, controls: [human-approval, logging], required: true}
  - {from: agent, to: db, protocol: https, authentication: token}
",
    );
    let api = m.component_id("refund-api").unwrap();
    assert!(m[api].managed);
    assert!(!m[m.component_id("db").unwrap()].managed);
    let tool_call = &m.flows[0];
    assert!(tool_call.required && tool_call.has_control(Control::HumanApproval));
    assert_eq!(tool_call.controls, ["human-approval", "logging"]);
    assert!(!m.flows[1].required && m.flows[1].controls.is_empty());
    let grants = &m.identities[0].grants;
    assert!(grants[0].required && !grants[1].required);
}

#[test]
fn new_keys_with_wrong_types_and_unknown_flow_controls_are_reported() {
    let loaded = load(
        "gambit: 1
components:
  a: {managed: yes}
  b: {}
identities:
  i: {grants: [{access: read, target: b, required: 1}]}
flows:
  - {from: a, to: b, protocol: https, authentication: token, controls: [human-aproval], required: maybe}
",
    );
    let codes: Vec<&str> = loaded.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        codes
            .iter()
            .filter(|c| **c == "invalid-value" || **c == "invalid-type")
            .count(),
        3,
        "{codes:?}"
    );
    assert!(codes.contains(&"unknown-control"), "{codes:?}");
}

#[test]
fn ssrf_is_a_vulnerability_effect() {
    let m = model(
        "gambit: 1
components:
  web: {vulnerabilities: [{id: CVE-1, effect: ssrf}]}
",
    );
    assert_eq!(m.components[0].vulnerabilities[0].effect, Effect::Ssrf);
}

#[test]
fn revision_2_protocols_are_encrypted_and_unknown_ones_warn() {
    let loaded = load(
        "gambit: 1
components:
  a: {}
  b: {}
flows:
  - {id: f1, from: a, to: b, protocol: rediss, authentication: password}
  - {id: f2, from: a, to: b, protocol: kafka+ssl, authentication: password}
  - {id: f3, from: a, to: b, protocol: rdp, authentication: password}
  - {id: f4, from: a, to: b, protocol: kubernetes-api, authentication: token}
  - {id: f5, from: a, to: b, protocol: postgres-ssl, authentication: password}
  - {id: f6, from: a, to: b, protocol: STARTTLS, authentication: password}
  - {id: f7, from: a, to: b, protocol: carrier-pigeon, authentication: mtls}
  - {id: f8, from: a, to: b, protocol: redis, authentication: password}
  - {id: f9, from: a, to: b, protocol: carrier-pigeon, authentication: password}
  - {id: f10, from: a, to: b, protocol: carrier-pigeon, authentication: password, encrypted: true}
  - {id: f11, from: a, to: b, authentication: password}
",
    );
    let m = loaded.model.as_ref().expect("model");
    let encrypted: Vec<bool> = m.flows.iter().map(|f| f.encrypted).collect();
    assert_eq!(
        encrypted,
        [
            true, true, true, true, true, true, true, false, false, true, false
        ]
    );
    // Only f9 warns: f7 is mTLS (encrypted whatever the protocol), f10 says so itself,
    // f11 has no protocol at all.
    assert_eq!(
        warnings(&loaded),
        ["no-crown-jewel", "unknown-protocol@14:40"]
    );
    let d = loaded
        .diagnostics
        .iter()
        .find(|d| d.code == "unknown-protocol")
        .unwrap();
    assert!(d.help.as_deref().unwrap().contains("encrypted:"), "{d:?}");
}

#[test]
fn zones_are_network_zones_unless_their_kind_is_administrative() {
    let m = model(
        "gambit: 1
zones:
  account: {kind: cloud-account}
  tenant: {kind: saas-tenant}
  org: {kind: organization}
  prod: {kind: environment}
  eu: {kind: region}
  rg: {kind: resource-group}
  proj: {kind: project}
  t: {kind: tenant}
  vpc: {kind: vpc}
  ns: {kind: namespace}
  sg: {kind: security-group}
  odd: {kind: moon-base}
  plain: {}
",
    );
    let network: Vec<(&str, bool)> = m
        .zones
        .iter()
        .map(|z| (z.id.as_str(), z.is_network()))
        .collect();
    assert_eq!(
        network,
        [
            ("internet", true),
            ("internal", true),
            ("account", false),
            ("tenant", false),
            ("org", false),
            ("prod", false),
            ("eu", false),
            ("rg", false),
            ("proj", false),
            ("t", false),
            ("vpc", true),
            ("ns", true),
            ("sg", true),
            ("odd", true),
            ("plain", true),
        ]
    );
}

#[test]
fn forwarding_kinds_and_third_parties_are_derived() {
    let m = model(
        "gambit: 1
zones:
  vendor: {trust: partner}
  shady: {trust: untrusted}
actors:
  customer: {}
components:
  lb: {kind: load-balancer}
  gw: {kind: api-gateway}
  cdn: {kind: cdn}
  waf: {kind: waf}
  rp: {kind: reverse-proxy}
  ing: {kind: ingress}
  api: {kind: api}
  stripe: {kind: saas, zone: vendor}
  mirror: {kind: repository, zone: shady}
",
    );
    let forwarding: Vec<&str> = m
        .components
        .iter()
        .filter(|c| c.is_forwarding())
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(forwarding, ["lb", "gw", "cdn", "waf", "rp", "ing"]);
    let third: Vec<&str> = ["lb", "api", "stripe", "mirror"]
        .into_iter()
        .filter(|id| {
            m.is_third_party(gambit_model::Endpoint::Component(
                m.component_id(id).unwrap(),
            ))
        })
        .collect();
    assert_eq!(third, ["stripe", "mirror"]);
    assert!(m.is_third_party(gambit_model::Endpoint::Actor(
        m.actor_id("customer").unwrap()
    )));
}

/// CloudFront never authenticates to the ALB, and the ALB not to the service: the
/// service still sees the customer's session, not "none".
#[test]
fn a_forwarding_chain_carries_its_callers_authentication() {
    let m = model(
        "gambit: 1
actors:
  customer: {}
components:
  cdn: {kind: cdn, public: true}
  alb: {kind: load-balancer}
  api: {kind: api}
flows:
  - {from: customer, to: cdn, protocol: https, authentication: session}
  - {from: cdn, to: alb, protocol: https, authentication: none}
  - {from: alb, to: api, protocol: http}
",
    );
    assert_eq!(flow_auth(&m, "customer->cdn"), Authentication::Session);
    assert_eq!(flow_auth(&m, "cdn->alb"), Authentication::Session);
    assert_eq!(flow_auth(&m, "alb->api"), Authentication::Session);
    assert_eq!(component_auth(&m, "api"), Authentication::Session);
    assert_eq!(component_auth(&m, "alb"), Authentication::Session);
    // Revision 1's per-hop reading is still there for the rules that use it.
    assert_eq!(
        m[m.component_id("api").unwrap()].authentication,
        Authentication::None
    );
}

#[test]
fn the_weakest_caller_entering_the_chain_wins() {
    let m = model(
        "gambit: 1
actors:
  customer: {}
  partner: {}
components:
  lb: {kind: load-balancer}
  api: {kind: api}
  batch: {kind: worker}
flows:
  - {from: customer, to: lb, protocol: https, authentication: oauth}
  - {from: partner, to: lb, protocol: https, authentication: api-key}
  - {from: batch, to: lb, protocol: https, authentication: mtls}
  - {from: lb, to: api, protocol: https}
",
    );
    assert_eq!(flow_auth(&m, "lb->api"), Authentication::ApiKey);
}

#[test]
fn a_gateway_that_states_authentication_passes_its_own_on() {
    let m = model(
        "gambit: 1
actors:
  customer: {}
components:
  lb: {kind: load-balancer}
  gw: {kind: api-gateway, authentication: oauth}
  api: {kind: api}
flows:
  - {from: customer, to: lb, protocol: https, authentication: none}
  - {from: lb, to: gw, protocol: https}
  - {from: gw, to: api, protocol: https, authentication: none}
",
    );
    assert_eq!(flow_auth(&m, "lb->gw"), Authentication::None);
    assert_eq!(flow_auth(&m, "gw->api"), Authentication::Oauth);
    assert_eq!(component_auth(&m, "api"), Authentication::Oauth);
    // A gateway's own stated authentication is its effective one.
    assert_eq!(component_auth(&m, "gw"), Authentication::Oauth);
}

#[test]
fn a_flow_that_states_its_own_authentication_keeps_it() {
    let m = model(
        "gambit: 1
actors:
  customer: {}
components:
  lb: {kind: load-balancer}
  api: {kind: api}
  svc: {kind: service}
  db: {kind: database}
flows:
  - {from: customer, to: lb, protocol: https, authentication: none}
  - {from: lb, to: api, protocol: https, authentication: mtls}
  - {from: svc, to: db, protocol: postgres, authentication: none}
",
    );
    assert_eq!(flow_auth(&m, "lb->api"), Authentication::Mtls);
    // Not out of a forwarding component: its own, even when none.
    assert_eq!(flow_auth(&m, "svc->db"), Authentication::None);
}

#[test]
fn a_forwarding_component_nothing_flows_into_forwards_anyone() {
    let loaded = load(
        "gambit: 1
components:
  lb: {kind: load-balancer, public: true}
  api: {kind: api}
flows:
  - {from: lb, to: api, protocol: https}
",
    );
    let m = loaded.model.as_ref().unwrap();
    assert_eq!(flow_auth(m, "lb->api"), Authentication::None);
    assert!(
        warnings(&loaded).contains(&"forwarding-without-callers@3:3".to_owned()),
        "{:?}",
        warnings(&loaded)
    );
}

#[test]
fn a_forwarding_component_deep_in_the_chain_without_inbound_flows_makes_it_none() {
    let m = model(
        "gambit: 1
actors:
  customer: {}
components:
  cdn: {kind: cdn}
  edge: {kind: reverse-proxy}
  lb: {kind: load-balancer}
  api: {kind: api}
flows:
  - {from: customer, to: cdn, protocol: https, authentication: token}
  - {from: cdn, to: lb, protocol: https}
  - {from: edge, to: lb, protocol: https}
  - {from: lb, to: api, protocol: https}
",
    );
    assert_eq!(flow_auth(&m, "cdn->lb"), Authentication::Token);
    assert_eq!(flow_auth(&m, "lb->api"), Authentication::None);
}

#[test]
fn cycles_of_forwarding_components_add_nothing_and_end() {
    let m = model(
        "gambit: 1
actors:
  customer: {}
components:
  a: {kind: reverse-proxy}
  b: {kind: load-balancer}
  c: {kind: ingress}
  api: {kind: api}
  lonely-x: {kind: load-balancer}
  lonely-y: {kind: load-balancer}
  other: {kind: api}
flows:
  - {from: customer, to: a, protocol: https, authentication: saml}
  - {from: a, to: b, protocol: https}
  - {from: b, to: c, protocol: https}
  - {from: c, to: a, protocol: https}
  - {from: c, to: api, protocol: https}
  - {from: lonely-x, to: lonely-y, protocol: https}
  - {from: lonely-y, to: lonely-x, protocol: https}
  - {from: lonely-y, to: other, protocol: https}
",
    );
    assert_eq!(flow_auth(&m, "c->a"), Authentication::Saml);
    assert_eq!(flow_auth(&m, "c->api"), Authentication::Saml);
    // A cycle that nothing enters from outside carries nobody's authentication: none.
    assert_eq!(flow_auth(&m, "lonely-y->other"), Authentication::None);
}

#[test]
fn a_component_effective_authentication_is_its_weakest_inbound_flow() {
    let m = model(
        "gambit: 1
actors:
  customer: {}
components:
  lb: {kind: load-balancer}
  api: {kind: api}
  ops: {kind: service}
  locked: {kind: api, authentication: mtls}
  nobody: {kind: api}
flows:
  - {from: customer, to: lb, protocol: https, authentication: session}
  - {from: lb, to: api, protocol: https}
  - {from: ops, to: api, protocol: https, authentication: iam}
  - {from: ops, to: locked, protocol: https, authentication: none}
",
    );
    assert_eq!(component_auth(&m, "api"), Authentication::Session);
    assert_eq!(component_auth(&m, "locked"), Authentication::Mtls);
    assert_eq!(component_auth(&m, "nobody"), Authentication::None);
}

#[test]
fn required_on_a_third_party_flow_is_a_warning() {
    let loaded = load(
        "gambit: 1
zones:
  vendor: {trust: partner}
actors:
  customer: {}
components:
  npm: {kind: artifact-registry, zone: vendor}
  ci: {kind: ci-cd}
  web: {kind: web-app}
flows:
  - {from: npm, to: ci, protocol: https, authentication: none, code: true, required: true}
  - {from: customer, to: web, protocol: https, authentication: session, required: true}
  - {from: ci, to: web, protocol: ssh, authentication: key, required: true}
",
    );
    let w = warnings(&loaded);
    let third: Vec<&String> = w
        .iter()
        .filter(|c| c.starts_with("required-third-party-flow"))
        .collect();
    assert_eq!(
        third,
        [
            "required-third-party-flow@11:5",
            "required-third-party-flow@12:5"
        ]
    );
}
