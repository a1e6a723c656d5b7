//! Findings from every supported scanner format, matched to the shop model (23
//! components) and ranked by the attack graph.

mod common;

use std::collections::BTreeSet;

use common::{SCANS, applied, fixture, options, shop};
use gambit_findings::{Format, Parsed, State, apply, apply_parsed, render};
use gambit_graph::Analysis;

fn read(name: &str) -> Parsed {
    let mut parsed = Parsed::default();
    parsed
        .read_path(&fixture(name), false)
        .expect("the fixture reads");
    parsed
}

fn all_files() -> Vec<&'static str> {
    let mut files = SCANS.to_vec();
    files.push("openvex-orders-api.json");
    files
}

#[test]
fn trivy_results_are_read_with_packages_cwes_and_the_nvd_vector() {
    let p = read("trivy-orders-api.json");
    assert_eq!(p.findings.len(), 13);
    let scan = &p.scans[p.findings[0].scan as usize];
    assert_eq!(scan.format, Format::Trivy);
    assert_eq!(scan.images[0], "ghcr.io/acme/orders-api:1.8.2");
    assert!(scan.images.iter().any(|i| i.contains("@sha256:4c1e")));
    let log4shell = p
        .findings
        .iter()
        .find(|f| f.id == "CVE-2021-44228")
        .unwrap();
    assert_eq!(
        log4shell.purl.as_deref(),
        Some("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1")
    );
    assert_eq!(log4shell.cwes, [20, 400, 502, 917]);
    assert_eq!(log4shell.cvss_score, Some(10.0));
    assert_eq!(log4shell.paths, ["app/orders-api.jar"]);
    let glibc = p.findings.iter().find(|f| f.id == "CVE-2023-4911").unwrap();
    assert!(glibc.paths.is_empty(), "OS packages have no source path");
}

#[test]
fn grype_matches_keep_the_cve_alias_epss_and_image() {
    let p = read("grype-payments.json");
    assert_eq!(p.findings.len(), 8);
    assert_eq!(p.scans.last().unwrap().format, Format::Grype);
    assert!(
        p.scans
            .last()
            .unwrap()
            .images
            .contains(&"ghcr.io/acme/payments:3.1.0".to_owned())
    );
    let jwt = &p.findings[0];
    assert_eq!(jwt.id, "GHSA-8cf7-32gw-wr33");
    assert_eq!(jwt.aliases, ["CVE-2022-23529"]);
    assert_eq!(jwt.epss, Some(0.0089));
    assert_eq!(jwt.purl.as_deref(), Some("pkg:npm/jsonwebtoken@8.5.1"));
    assert_eq!(jwt.cwes, [20]);
}

#[test]
fn sarif_results_take_cwes_and_severity_from_extension_rules() {
    let p = read("codeql-shop.sarif");
    assert_eq!(p.findings.len(), 7);
    let run = &p.scans[p.findings[0].scan as usize];
    assert_eq!((run.format, run.tool.as_str()), (Format::Sarif, "CodeQL"));
    assert_eq!(
        run.repository.as_deref(),
        Some("https://github.com/acme/shop")
    );
    let ssrf = p.findings.iter().find(|f| f.id == "java/ssrf").unwrap();
    assert_eq!(ssrf.cwes, [918]);
    assert_eq!(ssrf.cvss_score, Some(9.1));
    assert!(ssrf.paths[0].starts_with("services/image-resizer/"));
}

#[test]
fn cyclonedx_refs_resolve_to_purls_and_analysis_states_apply() {
    let p = read("cyclonedx-catalog-vex.json");
    assert_eq!(p.findings.len(), 6);
    assert_eq!(
        p.scans.last().unwrap().images,
        ["ghcr.io/acme/catalog:2.3.0"]
    );
    let state = |id: &str| p.findings.iter().find(|f| f.id == id).unwrap().state;
    assert_eq!(
        state("CVE-2020-14343"),
        State::Open,
        "exploitable stays open"
    );
    assert_eq!(state("CVE-2024-22195"), State::Open, "in_triage stays open");
    assert_eq!(state("CVE-2023-50447"), State::NotAffected);
    assert_eq!(state("CVE-2024-35195"), State::Fixed, "resolved closes");
    assert_eq!(state("CVE-2023-45803"), State::Open, "no analysis is open");
    let pyyaml = p
        .findings
        .iter()
        .find(|f| f.id == "CVE-2020-14343")
        .unwrap();
    assert_eq!(pyyaml.purl.as_deref(), Some("pkg:pypi/pyyaml@5.3.1"));
    assert_eq!(
        pyyaml.cvss_vector.as_deref(),
        Some("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
        "the method gives the vector its prefix"
    );
}

#[test]
fn findings_land_by_image_package_path_and_say_how() {
    let a = applied(&all_files());
    let how = |id: &str| {
        let m = a.matched.iter().find(|m| m.id == id).unwrap();
        (a.model[m.component].id.as_str(), m.matched_by.as_str())
    };
    assert_eq!(
        how("CVE-2023-4911"),
        ("orders-api", "image ghcr.io/acme/orders-api")
    );
    assert_eq!(
        how("GHSA-hrpp-h998-j3pp"),
        ("payments-api", "image ghcr.io/acme/payments:3.1.0")
    );
    assert_eq!(
        how("java/ssrf"),
        ("image-resizer", "path services/image-resizer/")
    );
    assert_eq!(how("js/xss"), ("storefront", "path web/storefront/"));
    assert_eq!(
        how("CVE-2020-14343"),
        ("catalog-api", "image ghcr.io/acme/catalog")
    );
    // Two SQL injection results in one service are one vulnerability of it.
    let sqli = a
        .matched
        .iter()
        .find(|m| m.id == "java/sql-injection")
        .unwrap();
    assert_eq!(sqli.occurrences, 2);
    // Each finding became a vulnerability of its component in the new model only.
    let orders = a.model.component_id("orders-api").unwrap();
    assert!(
        a.model[orders]
            .vulnerabilities
            .iter()
            .any(|v| v.id == "CVE-2021-44228")
    );
    assert!(shop()[orders].vulnerabilities.is_empty());
}

#[test]
fn a_software_purl_matches_only_its_version() {
    let model = shop();
    let doc = |version: &str| {
        format!(
            r#"{{"SchemaVersion":2,"ArtifactName":"ghcr.io/acme/other:1","ArtifactType":"container_image",
                "Results":[{{"Target":"x.jar","Class":"lang-pkgs","Vulnerabilities":[{{"VulnerabilityID":"CVE-2021-44228",
                "PkgName":"log4j-core","InstalledVersion":"{version}",
                "PkgIdentifier":{{"PURL":"pkg:maven/org.apache.logging.log4j/log4j-core@{version}"}}}}]}}]}}"#
        )
    };
    let land = |version: &str| {
        let mut p = Parsed::default();
        p.read(doc(version).as_bytes(), "t.json").unwrap();
        let a = apply_parsed(&model, p, None, None);
        (
            a.matched
                .iter()
                .map(|m| a.model[m.component].id.clone())
                .collect::<Vec<_>>(),
            a.unmatched
                .iter()
                .map(|u| u.reason.clone())
                .collect::<Vec<_>>(),
        )
    };
    assert_eq!(land("2.14.1").0, ["orders-api"]);
    let (matched, reasons) = land("2.17.1");
    assert!(matched.is_empty());
    assert_eq!(
        reasons,
        [
            "no component has package pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1, or image ghcr.io/acme/other:1, or a path prefix of x.jar"
        ]
    );
}

#[test]
fn unmatched_findings_are_listed_with_the_reason() {
    let a = applied(&all_files());
    let reasons: Vec<(&str, &str)> = a
        .unmatched
        .iter()
        .map(|u| (u.id.as_str(), u.reason.as_str()))
        .collect();
    assert_eq!(reasons.len(), 2);
    assert!(
        reasons[0].1.contains("image ghcr.io/acme/legacy-batch:0.9"),
        "{reasons:?}"
    );
    assert_eq!(reasons[1].0, "py/clear-text-logging-sensitive-data");
    assert!(reasons[1].1.contains("tools/migrations/backfill_users.py"));
}

#[test]
fn kev_and_epss_come_from_the_local_files_unless_the_scanner_said() {
    let a = applied(&all_files());
    let m = |id: &str| a.matched.iter().find(|m| m.id == id).unwrap();
    assert!(m("CVE-2021-44228").kev);
    assert_eq!(m("CVE-2021-44228").epss, Some(0.94358));
    assert!(!m("CVE-2023-38545").kev);
    // Grype's own EPSS wins over the file (which does not list it anyway).
    assert_eq!(m("GHSA-8cf7-32gw-wr33").epss, Some(0.0089));
    let without_files = apply(
        &shop(),
        &gambit_findings::Options {
            kev: None,
            epss: None,
            ..options(&["trivy-orders-api.json"])
        },
    )
    .unwrap();
    let log4shell = without_files
        .matched
        .iter()
        .find(|m| m.id == "CVE-2021-44228")
        .unwrap();
    assert!(!log4shell.kev);
    assert_eq!(log4shell.epss, None);
}

#[test]
fn openvex_statements_apply_over_the_other_files() {
    let a = applied(&all_files());
    let state = |id: &str| a.matched.iter().find(|m| m.id == id).unwrap().state;
    assert_eq!(
        state("CVE-2021-45046"),
        State::NotAffected,
        "image and subcomponent"
    );
    assert_eq!(state("CVE-2023-44487"), State::NotAffected, "package alone");
    assert_eq!(
        state("CVE-2023-5678"),
        State::Fixed,
        "a purl without version"
    );
    assert_eq!(
        state("CVE-2023-4911"),
        State::Open,
        "affected keeps it open"
    );
    let orders = a.model.component_id("orders-api").unwrap();
    let vuln = a.model[orders]
        .vulnerabilities
        .iter()
        .find(|v| v.id == "CVE-2021-45046")
        .unwrap();
    assert!(!vuln.is_open(), "a closed finding derives no step");
}

#[test]
fn ranking_puts_attack_paths_first_and_names_the_fewest_patches() {
    let report = applied(&all_files()).rank(&[]);
    assert_eq!(
        report.headline(),
        "14 of 33 findings lie on an attack path; fixing these 14 cuts every path"
    );
    assert!(report.summary.verified);
    assert_eq!(report.summary.goals_reached_without_findings, 0);
    let on_path: Vec<&str> = report
        .findings
        .iter()
        .take_while(|r| r.on_attack_path)
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(on_path.len(), 14);
    assert!(report.findings[14..].iter().all(|r| !r.on_attack_path));
    // Every code execution in the internet-facing orders-api must go: any one left is a path.
    let fixes: BTreeSet<&str> = report
        .findings
        .iter()
        .filter(|r| r.fix)
        .map(|r| r.id.as_str())
        .collect();
    // Revision 2: the API gateway forwards reach to payments-api and catalog-api too, so
    // their code executions, auth bypasses and disclosures are on paths as well.
    assert_eq!(
        fixes,
        BTreeSet::from([
            "CVE-2020-14343",
            "CVE-2021-44228",
            "CVE-2022-1471",
            "CVE-2023-38545",
            "CVE-2023-45853",
            "CVE-2024-38816",
            "CVE-2024-50379",
            "GHSA-72xf-g2v4-qvf3",
            "GHSA-8cf7-32gw-wr33",
            "GHSA-cxjh-pqwp-8mfp",
            "GHSA-hrpp-h998-j3pp",
            "GHSA-rv95-896h-c2vc",
            "GHSA-wf5p-g6vw-rhxx",
            "java/sql-injection",
        ])
    );
    // Then KEV, then EPSS, then CVSS, among findings of equal goals.
    assert_eq!(
        &on_path[..3],
        ["CVE-2021-44228", "CVE-2022-1471", "CVE-2024-38816"]
    );
    let first = &report.findings[0];
    assert_eq!(first.goals, ["orders"]);
    assert_eq!(first.rank, 1);
    // Closed findings come last.
    assert!(
        report
            .findings
            .iter()
            .rev()
            .take(6)
            .all(|r| r.status != "open")
    );
}

/// A path as the steps it takes, for comparing path sets.
fn path_keys(model: &gambit_model::Model, k: usize) -> (BTreeSet<String>, usize) {
    let analysis = Analysis::run(model, &[]);
    let paths = analysis.paths(k, None);
    let mut per_goal = std::collections::HashMap::new();
    for p in &paths {
        *per_goal
            .entry(format!("{}{:?}", p.attacker, p.goal.asset))
            .or_insert(0) += 1;
    }
    let most = per_goal.values().copied().max().unwrap_or(0);
    let keys = paths
        .iter()
        .map(|p| {
            let steps: Vec<String> = p
                .steps
                .iter()
                .map(|s| format!("{} {} via {}", s.gains, s.on, s.via))
                .collect();
            format!(
                "{} {} {}: {}",
                p.attacker,
                p.goal.access,
                p.goal.asset,
                steps.join(" > ")
            )
        })
        .collect();
    (keys, most)
}

#[test]
fn vex_not_affected_removes_exactly_the_paths_that_used_the_finding() {
    let files = all_files();
    let before = applied(&files);
    let k = 400;
    let (paths_before, most) = path_keys(&before.model, k);
    assert!(
        most < k,
        "every path is enumerated ({most} of at most {k} per goal)"
    );
    let mut parsed = Parsed::default();
    for f in &files {
        parsed.read_path(&fixture(f), false).unwrap();
    }
    let vex = r#"{"@context":"https://openvex.dev/ns/v0.2.0","statements":[
        {"vulnerability":{"name":"CVE-2021-44228"},
         "products":[{"@id":"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}],
         "status":"not_affected","justification":"vulnerable_code_not_present"}]}"#;
    parsed.read(vex.as_bytes(), "vex.json").unwrap();
    let kev =
        gambit_findings::Kev::read_path(&fixture("known_exploited_vulnerabilities.json")).unwrap();
    let epss = gambit_findings::Epss::read_path(&fixture("epss_scores-2026-11-30.csv")).unwrap();
    let after = apply_parsed(&shop(), parsed, Some(&kev), Some(&epss));
    let (paths_after, _) = path_keys(&after.model, k);
    let used: BTreeSet<String> = paths_before
        .iter()
        .filter(|p| p.contains("via CVE-2021-44228"))
        .cloned()
        .collect();
    assert!(!used.is_empty(), "Log4Shell was on some path");
    let removed: BTreeSet<String> = paths_before.difference(&paths_after).cloned().collect();
    assert_eq!(removed, used);
    // Paths that show up only now were in the graph all along, hidden behind a cheaper
    // sub-path through Log4Shell: the attack graph after the statement is exactly the graph
    // before with every derivation resting on the finding taken out.
    let index = gambit_graph::Index::new(&before.model);
    let orders = before.model.component_id("orders-api").unwrap();
    let log4shell = before.model[orders]
        .vulnerabilities
        .iter()
        .position(|v| v.id == "CVE-2021-44228")
        .unwrap();
    let patch = gambit_graph::Fix::Patch(index.vuln_number(orders, log4shell));
    let mask = gambit_graph::Mask::new(&index, &[patch]);
    let derivations = |model, mask| {
        let ix = gambit_graph::Index::new(model);
        let (_, all) =
            gambit_graph::engine::derive(model, &ix, gambit_model::AttackerSpec::Internet, mask);
        all.iter()
            .map(|d| format!("{d:?}"))
            .collect::<BTreeSet<String>>()
    };
    let patched = derivations(&before.model, Some(&mask));
    assert_eq!(derivations(&after.model, None), patched);
    assert!(patched.len() < derivations(&before.model, None).len());
}

#[test]
fn json_has_the_keys_of_the_cli_contract() {
    let report = applied(&all_files()).rank(&[]);
    let json = render::json(&report);
    for key in [
        "findings",
        "matched",
        "on_attack_path",
        "fix_to_cut_every_path",
    ] {
        assert!(json["summary"][key].is_u64(), "summary.{key}");
    }
    let first = &json["findings"][0];
    for key in [
        "id",
        "component",
        "package",
        "on_attack_path",
        "goals",
        "kev",
        "epss",
        "cvss",
        "effect",
        "rank",
        "source",
    ] {
        assert!(first.get(key).is_some(), "findings[].{key}");
    }
    assert_eq!(first["source"], "trivy");
    assert_eq!(first["effect"], "code-execution");
    for key in ["id", "package", "reason"] {
        assert!(json["unmatched"][0].get(key).is_some(), "unmatched[].{key}");
    }
}

#[test]
fn sarif_output_is_valid_sarif_with_the_rank_as_level() {
    let report = applied(&all_files()).rank(&[]);
    let sarif = render::sarif(&report);
    let schema_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../gambit-report/tests/schemas/sarif-schema-2.1.0.json"
    );
    // The published schema's `language` pattern has a stray `]` that is no valid regex
    // (an erratum gambit-report's tests fix the same way); escaped here, same meaning.
    let text = std::fs::read_to_string(schema_path)
        .unwrap()
        .replace("{2}-[a-zA-Z]{2}]?$", "{2}-[a-zA-Z]{2}\\\\]?$");
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 31);
    assert_eq!(results[0]["level"], "error");
    assert_eq!(results[0]["rank"], 100.0);
    assert_eq!(results[14]["level"], "warning", "KEV but on no path");
    let closed = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .count();
    assert_eq!(closed, 6);
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "app/orders-api.jar"
    );
}

#[test]
fn csv_lists_ranked_then_unmatched_findings() {
    let report = applied(&all_files()).rank(&[]);
    let csv = render::csv(&report);
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 1 + 31 + 2);
    assert!(lines[0].starts_with("rank,id,component,package,status,on_attack_path"));
    assert!(lines[1].starts_with("1,CVE-2021-44228,orders-api,pkg:maven/"));
    assert!(lines[1].contains(",true,true,orders,true,0.94358,10,"));
    assert!(lines[33].starts_with(",py/clear-text-logging-sensitive-data,"));
}

#[test]
fn text_output_leads_with_the_headline() {
    let report = applied(&all_files()).rank(&[]);
    let text = render::text(&report);
    assert!(
        text.starts_with(
            "14 of 33 findings lie on an attack path; fixing these 14 cuts every path\n"
        )
    );
    assert!(text.contains("   1*  CVE-2021-44228"), "{text}");
    assert!(text.contains("unmatched (2):"));
}

#[test]
fn the_blast_radius_of_a_vulnerability_joins_every_component_that_has_it() {
    let a = applied(&all_files());
    let radius = gambit_findings::blast::vulnerability_blast_radius(&a.model, "CVE-2021-44228")
        .expect("Log4Shell is open on orders-api");
    assert_eq!(radius.on, ["orders-api"]);
    assert!(
        radius
            .credentials
            .contains(&"orders-db-password".to_owned())
    );
    let orders = radius.assets.iter().find(|r| r.id == "orders").unwrap();
    assert_eq!(orders.access, ["read", "write"]);
    assert!(
        gambit_findings::blast::vulnerability_blast_radius(&a.model, "CVE-2021-45046").is_none(),
        "closed by VEX"
    );
    assert!(
        gambit_findings::blast::vulnerability_blast_radius(&a.model, "CVE-1999-0001").is_none()
    );
}

#[test]
fn the_documented_effect_table_is_the_one_in_the_code() {
    let doc = include_str!("../../../docs/findings.md");
    for (effect, cwes) in gambit_findings::effect::CWE_EFFECTS {
        let row = doc
            .lines()
            .find(|l| l.starts_with(&format!("| `{effect}` |")))
            .unwrap_or_else(|| panic!("docs/findings.md has no row for {effect}"));
        let documented: BTreeSet<u32> = row
            .split('|')
            .nth(2)
            .unwrap()
            .split(',')
            .map(|c| c.trim().parse().unwrap())
            .collect();
        let coded: BTreeSet<u32> = cwes.iter().copied().collect();
        assert_eq!(documented, coded, "{effect}");
    }
}
