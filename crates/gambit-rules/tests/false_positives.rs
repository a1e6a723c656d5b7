//! Threats a security engineer would dismiss stay gone, and the folding and severity
//! calibration hold. Each test names the false positive it guards (issue 10); where a
//! rule must still fire on the real weakness next to it, the test says so too.

mod common;

use gambit_model::vocab::Severity;
use gambit_rules::Threat;

fn threats(yaml: &str) -> Vec<Threat> {
    let (_, model) = common::load_text("fp.yaml", yaml);
    common::run(&model).threats
}

fn ids(threats: &[Threat]) -> Vec<&str> {
    threats.iter().map(|t| t.id.as_str()).collect()
}

fn find<'t>(threats: &'t [Threat], id: &str) -> &'t Threat {
    threats
        .iter()
        .find(|t| t.id == id)
        .unwrap_or_else(|| panic!("{id} missing from {:?}", ids(threats)))
}

fn absent(threats: &[Threat], id: &str) {
    assert!(
        !threats.iter().any(|t| t.id == id),
        "{id} should not be reported: {:?}",
        ids(threats)
    );
}

const ZONES: &str = r#"
gambit: 1
assets:
  secrets-db: {classification: confidential}
zones:
  tenant: {kind: saas-tenant}
  lan: {kind: network}
components:
  portal: {kind: web-app, zone: tenant, public: true}
  store: {kind: database, zone: tenant, stores: [secrets-db]}
  site: {kind: web-app, zone: lan, public: true}
  files: {kind: database, zone: lan, stores: [secrets-db]}
"#;

#[test]
fn an_administrative_zone_is_not_a_flat_network() {
    let t = threats(ZONES);
    absent(&t, "flat-network-lateral-movement@tenant");
    find(&t, "flat-network-lateral-movement@lan");
}

const LOGIN: &str = r#"
gambit: 1
assets:
  profile: {classification: confidential}
zones:
  edge: {kind: network}
  app: {kind: network}
actors:
  customer: {kind: customer, trust: untrusted}
components:
  idp: {kind: identity-provider, public: true, processes: [profile]}
  lb: {kind: load-balancer, zone: edge, public: true}
  api: {kind: api, zone: app, processes: [profile]}
flows:
  - {from: customer, to: idp, protocol: https, authentication: password, returns: [profile]}
  - {from: customer, to: lb, protocol: https, authentication: session, returns: [profile]}
  - {from: lb, to: api, protocol: https, returns: [profile]}
"#;

#[test]
fn logins_and_forwarding_hops_do_not_authorize_the_service_behind_does() {
    let t = threats(LOGIN);
    absent(&t, "missing-authorization@customer->idp");
    absent(&t, "missing-authorization@customer->lb");
    // The forwarded flow carries the customer's session: the api is not unauthenticated.
    absent(&t, "missing-authentication@api");
}

const MANAGED: &str = r#"
gambit: 1
assets:
  accounts: {classification: confidential, integrity: high, availability: high}
components:
  cognito: {kind: identity-provider, public: true, managed: true, processes: [accounts], controls: [logging]}
  ses: {kind: saas, managed: true, processes: [accounts]}
  rds: {kind: database, managed: true, public: true, stores: [accounts]}
  own-db: {kind: database, stores: [accounts]}
"#;

#[test]
fn managed_components_skip_host_rules_but_keep_configuration_rules() {
    let t = threats(MANAGED);
    for id in [
        "local-only-logs@cognito",
        "missing-logging@ses",
        "missing-logging@rds",
        "single-point-of-failure@rds",
    ] {
        absent(&t, id);
    }
    // Configuration is still ours: a public, unencrypted managed database is reported.
    find(&t, "public-datastore@rds");
    find(&t, "unencrypted-at-rest@rds");
    // The same weakness on our own host is reported.
    find(&t, "single-point-of-failure@own-db");
}

const PROTOCOLS: &str = r#"
gambit: 1
assets:
  cache: {classification: confidential}
  kubeconfig: {kind: credential, grants: admin}
zones:
  ops: {kind: network}
actors:
  sre: {kind: operator, zone: ops, trust: internal, holds: [kubeconfig]}
components:
  app: {kind: api}
  redis: {kind: cache, stores: [cache]}
  kafka: {kind: message-broker, processes: [cache]}
  apiserver: {kind: service}
identities:
  admin: {kind: user-account, privileged: true, grants: [{access: admin, target: apiserver}]}
flows:
  - {from: app, to: redis, protocol: rediss, authentication: password, returns: [cache]}
  - {from: app, to: kafka, protocol: kafka+ssl, authentication: password, data: [cache]}
  - {from: sre, to: apiserver, protocol: kubernetes-api, authentication: certificate, credential: kubeconfig}
"#;

#[test]
fn revision_two_encrypted_protocols_are_not_plaintext() {
    let t = threats(PROTOCOLS);
    for id in [
        "unencrypted-communication@app->redis",
        "credential-over-unencrypted-flow@app->redis",
        "unencrypted-communication@app->kafka",
        "credential-over-unencrypted-flow@sre->apiserver",
    ] {
        absent(&t, id);
    }
}

const TLS_AT_LB: &str = r#"
gambit: 1
assets:
  invoices: {classification: restricted}
zones:
  edge: {kind: network}
  app: {kind: network}
actors:
  customer: {kind: customer, trust: untrusted}
components:
  lb: {kind: load-balancer, zone: edge, public: true, controls: [rate-limiting, ddos-protection]}
  api: {kind: api, zone: app, authentication: jwt, processes: [invoices], controls: [logging]}
flows:
  - {from: customer, to: lb, protocol: https, authentication: session, returns: [invoices]}
  - {from: lb, to: api, protocol: http, returns: [invoices]}
  - {from: customer, to: api, id: direct, protocol: http, authentication: session, returns: [invoices]}
"#;

#[test]
fn tls_ending_at_a_load_balancer_is_rated_by_what_the_attacker_needs() {
    let t = threats(TLS_AT_LB);
    // One threat for the hop: the credential finding, with the plain one under it.
    let hop = find(&t, "credential-over-unencrypted-flow@lb->api");
    assert!(
        hop.also
            .iter()
            .any(|a| a == "unencrypted-communication@lb->api")
    );
    absent(&t, "unencrypted-communication@lb->api");
    assert!(
        hop.factors
            .iter()
            .any(|f| f.contains("must first stand in network zone")),
        "{:?}",
        hop.factors
    );
    // The same protocol on the internet is rated higher than inside our network.
    let direct = find(&t, "credential-over-unencrypted-flow@direct");
    assert!(direct.likelihood > hop.likelihood, "{direct:?} vs {hop:?}");
}

const GUARDED: &str = r#"
gambit: 1
assets:
  invoices: {classification: restricted, availability: high}
actors:
  customer: {kind: customer, trust: untrusted}
components:
  lb: {kind: load-balancer, public: true, controls: [rate-limiting, ddos-protection]}
  api: {kind: api, authentication: jwt, processes: [invoices], controls: [redundancy]}
  bare-lb: {kind: load-balancer, public: true}
  api2: {kind: api, authentication: jwt, processes: [invoices], controls: [redundancy]}
flows:
  - {from: customer, to: lb, protocol: https, authentication: session}
  - {from: lb, to: api, protocol: https}
  - {from: customer, to: bare-lb, protocol: https, authentication: session}
  - {from: bare-lb, to: api2, protocol: https}
"#;

#[test]
fn a_service_behind_a_forwarder_is_exposed_and_covered_by_its_controls() {
    let t = threats(GUARDED);
    absent(&t, "missing-rate-limiting@api");
    absent(&t, "no-ddos-protection@api");
    // Behind an unguarded forwarder the service is as exposed as the forwarder.
    find(&t, "missing-rate-limiting@api2");
}

const CI: &str = r#"
gambit: 1
assets:
  src: {kind: code, integrity: high}
  packages: {kind: code, classification: public}
  repo-token: {kind: credential, grants: repo-writer}
zones:
  gitlab: {kind: saas-tenant, trust: partner}
actors:
  npm: {kind: external-system, trust: untrusted}
components:
  ci: {kind: ci-cd, zone: gitlab, holds: [repo-token], controls: [dependency-pinning]}
  repo: {kind: repository, zone: gitlab, stores: [src], controls: [code-review]}
identities:
  repo-writer: {kind: api-client, grants: [{access: write, target: repo}]}
flows:
  - {from: npm, to: ci, protocol: https, authentication: none, data: [packages], code: true}
  - {from: ci, to: repo, protocol: https, authentication: token, credential: repo-token, data: [src]}
"#;

#[test]
fn ci_pulling_packages_is_not_internet_exposed_and_owns_its_repository() {
    let t = threats(CI);
    absent(&t, "credential-on-exposed-component@ci");
    absent(&t, "third-party-broad-oauth-grant@repo-writer");
}

const OFF_THE_SHELF: &str = r#"
gambit: 1
assets:
  users: {classification: confidential}
  orders: {classification: confidential}
  kc-pass: {kind: credential, grants: kc-db}
actors:
  customer: {kind: customer, trust: untrusted}
components:
  keycloak: {kind: identity-provider, public: true, holds: [kc-pass]}
  kc-database: {kind: database, stores: [users]}
  grafana: {kind: monitoring, public: true}
  grafana-db: {kind: database, stores: [users]}
  shop: {kind: web-app, public: true}
  shop-db: {kind: database, stores: [orders]}
  jump: {kind: bastion, public: true}
identities:
  kc-db: {kind: database-user, grants: [{access: write, target: kc-database}]}
flows:
  - {from: customer, to: keycloak, protocol: https, authentication: password, data: [users]}
  - {from: keycloak, to: kc-database, protocol: postgresql+tls, authentication: password, credential: kc-pass, data: [users]}
  - {from: grafana, to: grafana-db, protocol: postgresql+tls, authentication: password, data: [users]}
  - {from: shop, to: shop-db, protocol: postgresql+tls, authentication: password, data: [orders]}
  - {from: jump, to: shop-db, protocol: postgresql+tls, authentication: password, data: [orders]}
"#;

#[test]
fn off_the_shelf_products_are_not_sql_injectable_our_code_is() {
    let t = threats(OFF_THE_SHELF);
    absent(&t, "sql-injection@keycloak->kc-database");
    absent(&t, "sql-injection@grafana->grafana-db");
    // An operator's psql session through a jump host is not an application building SQL.
    absent(&t, "sql-injection@jump->shop-db");
    find(&t, "sql-injection@shop->shop-db");
}

const SANDBOX_AND_MAIL: &str = r#"
gambit: 1
assets:
  records: {classification: restricted}
  mail: {classification: confidential}
zones:
  cloud: {kind: cloud-account}
  sandbox: {kind: network, parent: cloud, trust: untrusted, isolated: true}
  mail-provider: {kind: saas-tenant, trust: partner}
actors:
  sender: {kind: external-system, trust: untrusted}
components:
  agent: {kind: llm-agent, zone: cloud, processes: [records]}
  runner: {kind: container, zone: sandbox, controls: [sandboxing]}
  inbound: {kind: email-server, zone: mail-provider, managed: true, processes: [mail]}
flows:
  - {from: agent, to: runner, protocol: https, authentication: token, data: [records]}
  - {from: sender, to: inbound, protocol: smtp, authentication: none, data: [mail]}
"#;

#[test]
fn an_own_sandbox_is_not_a_third_party_and_smtp_into_a_mail_provider_is_not_ours() {
    let t = threats(SANDBOX_AND_MAIL);
    absent(&t, "sensitive-data-to-third-party@agent->runner");
    absent(&t, "unrestricted-egress@agent");
    absent(&t, "unencrypted-communication@sender->inbound");
}

const ONE_SOURCE: &str = r#"
gambit: 1
assets:
  image: {kind: code, integrity: high}
zones:
  cluster: {kind: cluster}
components:
  apiserver: {kind: service, zone: cluster}
  a: {kind: service, zone: cluster, processes: [image]}
  b: {kind: service, zone: cluster, processes: [image]}
  c: {kind: service, zone: cluster, processes: [image]}
risks:
  - threat: unsigned-code-flow@apiserver->c
    status: accepted
    justification: Admission control verifies images.
flows:
  - {from: apiserver, to: a, protocol: https, authentication: certificate, data: [image], code: true}
  - {from: apiserver, to: b, protocol: https, authentication: certificate, data: [image], code: true}
  - {from: apiserver, to: c, protocol: https, authentication: certificate, data: [image], code: true}
"#;

#[test]
fn one_rule_on_many_flows_of_one_source_folds_into_one_threat() {
    let (_, model) = common::load_text("fold.yaml", ONE_SOURCE);
    let analysis = common::run(&model);
    let t = &analysis.threats;
    let unsigned: Vec<&Threat> = t
        .iter()
        .filter(|t| t.rule == "unsigned-code-flow")
        .collect();
    assert_eq!(unsigned.len(), 1, "{:?}", ids(t));
    let folded = unsigned[0];
    assert_eq!(
        folded.id, "unsigned-code-flow@apiserver->a",
        "the smallest id keeps"
    );
    assert_eq!(
        folded.also,
        [
            "unsigned-code-flow@apiserver->b",
            "unsigned-code-flow@apiserver->c"
        ]
    );
    assert!(folded.rationale.contains("apiserver->b, apiserver->c"));
    // A decision on a folded id applies to the threat that lists it, and is not stale.
    assert_eq!(folded.status, gambit_model::vocab::RiskStatus::Accepted);
    assert!(
        !analysis.diagnostics.iter().any(|d| d.code == "stale-risk"),
        "{:?}",
        analysis.diagnostics
    );
}

const CRITICAL: &str = r#"
gambit: 1
assets:
  cards: {classification: restricted, crown_jewel: true}
  notes: {classification: restricted, crown_jewel: false}
components:
  bucket: {kind: object-store, public: true, stores: [cards]}
  wiki: {kind: object-store, public: true, stores: [notes]}
  web:
    kind: web-app
    public: true
    processes: [cards]
    vulnerabilities:
      - {id: CVE-2021-0001, cvss: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", effect: code-execution, kev: true}
  admin:
    kind: web-app
    public: true
    processes: [cards]
    vulnerabilities:
      - {id: CVE-2021-0002, cvss: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", effect: code-execution, kev: false, epss: 0.2}
"#;

#[test]
fn critical_is_kept_for_public_crown_jewels_and_known_exploited_vulnerabilities() {
    let t = threats(CRITICAL);
    assert_eq!(
        find(&t, "public-datastore@bucket").severity,
        Severity::Critical
    );
    assert_eq!(
        find(&t, "exploitable-vulnerability@web").severity,
        Severity::Critical
    );
    let not_kev = find(&t, "exploitable-vulnerability@admin");
    assert_eq!(not_kev.severity, Severity::High, "{:?}", not_kev.factors);
    assert!(
        not_kev
            .factors
            .iter()
            .any(|f| f.contains("not known exploited"))
    );
    assert_ne!(
        find(&t, "public-datastore@wiki").severity,
        Severity::Critical
    );
    for t in &t {
        if t.severity == Severity::Critical {
            assert!(
                ["public-datastore@bucket", "exploitable-vulnerability@web"]
                    .contains(&t.id.as_str()),
                "unexpected critical {}: {:?}",
                t.id,
                t.factors
            );
        }
    }
}
