//! Reading a 200 MB Trivy report and a 200 MB SARIF log, generated on the fly into
//! temporary files. The baseline is serde_json skipping the same file (`IgnoredAny`): the
//! cost of the JSON alone. Peak memory (VmHWM) is printed at the end; the generator
//! streams to disk, so it is the reading that sets it. `GAMBIT_BENCH_MB` changes the size.

use std::io::{BufReader, BufWriter, Write};
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use gambit_findings::Parsed;

fn target_bytes() -> u64 {
    let mb: u64 = std::env::var("GAMBIT_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    mb << 20
}

/// Writes items until the file reaches `size`, then closes the document.
fn write_until(
    path: &Path,
    size: u64,
    head: &str,
    item: impl Fn(u64) -> String,
    tail: &str,
) -> u64 {
    let mut out = BufWriter::new(std::fs::File::create(path).unwrap());
    out.write_all(head.as_bytes()).unwrap();
    let mut written = head.len() as u64;
    let mut n = 0;
    while written < size {
        let text = item(n);
        if n > 0 {
            out.write_all(b",").unwrap();
        }
        out.write_all(text.as_bytes()).unwrap();
        written += text.len() as u64 + 1;
        n += 1;
    }
    out.write_all(tail.as_bytes()).unwrap();
    out.flush().unwrap();
    n
}

fn trivy_item(i: u64) -> String {
    format!(
        r#"{{"VulnerabilityID":"CVE-2024-{id}","PkgID":"pkg{p}@1.{i}","PkgName":"pkg{p}","PkgIdentifier":{{"PURL":"pkg:npm/pkg{p}@1.{i}"}},"InstalledVersion":"1.{i}","FixedVersion":"2.0.0","Status":"fixed","SeveritySource":"nvd","PrimaryURL":"https://avd.aquasec.com/nvd/cve-2024-{id}","Title":"pkg{p}: prototype pollution in merge","Description":"{desc}","Severity":"HIGH","CweIDs":["CWE-1321"],"CVSS":{{"nvd":{{"V3Vector":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H","V3Score":9.8}},"ghsa":{{"V3Vector":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:L/A:H","V3Score":9.4}}}},"References":["https://github.com/advisories/GHSA-xxxx","https://nvd.nist.gov/vuln/detail/CVE-2024-{id}"],"PublishedDate":"2024-03-01T00:00:00Z","LastModifiedDate":"2024-06-01T00:00:00Z"}}"#,
        id = 10_000 + i % 90_000,
        p = i % 5_000,
        desc = "A crafted object passed to merge() can add or modify properties of Object.prototype, which may lead to denial of service or remote code execution depending on how the application uses the affected objects. ".repeat(3),
    )
}

fn sarif_item(i: u64) -> String {
    format!(
        r#"{{"ruleId":"js/rule-{r}","ruleIndex":{r},"level":"warning","message":{{"text":"This value depends on a [user-provided value](1) and reaches a sensitive sink without sanitization."}},"locations":[{{"physicalLocation":{{"artifactLocation":{{"uri":"services/svc{s}/src/handlers/file{i}.js","uriBaseId":"%SRCROOT%"}},"region":{{"startLine":{l},"startColumn":5,"endColumn":42}}}}}}],"partialFingerprints":{{"primaryLocationLineHash":"{i:016x}:1"}},"codeFlows":[{{"threadFlows":[{{"locations":[{{"location":{{"physicalLocation":{{"artifactLocation":{{"uri":"services/svc{s}/src/app.js"}},"region":{{"startLine":12}}}}}}}}]}}]}}]}}"#,
        r = i % 50,
        s = i % 40,
        l = 10 + i % 500,
    )
}

const SARIF_HEAD: &str = r#"{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[{"tool":{"driver":{"name":"CodeQL","rules":[]}},"results":["#;

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn read_findings(path: &Path) -> usize {
    let mut parsed = Parsed::default();
    parsed.read_path(path, false).unwrap();
    parsed.findings.len()
}

fn skip_json(path: &Path) {
    let file = BufReader::with_capacity(1 << 16, std::fs::File::open(path).unwrap());
    let _: serde::de::IgnoredAny = serde_json::from_reader(file).unwrap();
}

fn streaming(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let size = target_bytes();
    let trivy = dir.path().join("trivy.json");
    let sarif = dir.path().join("codeql.sarif");
    let trivy_n = write_until(
        &trivy,
        size,
        r#"{"SchemaVersion":2,"ArtifactName":"ghcr.io/acme/monolith:1.0","ArtifactType":"container_image","Results":[{"Target":"app/package-lock.json","Class":"lang-pkgs","Type":"npm","Vulnerabilities":["#,
        trivy_item,
        "]}]}",
    );
    let sarif_n = write_until(&sarif, size, SARIF_HEAD, sarif_item, "]}]}");
    let before = peak_rss_mib();
    eprintln!(
        "generated {} MiB each: {trivy_n} Trivy vulnerabilities, {sarif_n} SARIF results; peak RSS before reading {:.0} MiB",
        size >> 20,
        before.unwrap_or(0.0)
    );
    assert_eq!(read_findings(&trivy) as u64, trivy_n);
    assert_eq!(read_findings(&sarif) as u64, sarif_n);
    let mut group = c.benchmark_group("findings-200MB");
    group.sample_size(10);
    group.bench_function("trivy/read", |b| b.iter(|| read_findings(&trivy)));
    group.bench_function("trivy/baseline-skip-json", |b| b.iter(|| skip_json(&trivy)));
    group.bench_function("sarif/read", |b| b.iter(|| read_findings(&sarif)));
    group.bench_function("sarif/baseline-skip-json", |b| b.iter(|| skip_json(&sarif)));
    group.finish();
    eprintln!(
        "peak RSS (VmHWM) after reading: {:.0} MiB",
        peak_rss_mib().unwrap_or(0.0)
    );
}

criterion_group!(benches, streaming);
criterion_main!(benches);
