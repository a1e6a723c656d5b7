//! OpenVEX statements applied over findings: a statement about a vulnerability (by id or
//! alias) and a product sets the state of the findings of that vulnerability in that
//! product; later statements win over earlier ones, in the order the files were given.

use std::collections::HashMap;

use crate::finding::{Finding, Scan};
use crate::matching::{ImageRef, Purl};
use crate::parse::{Product, VexStatement};

/// Whether a product `@id` or purl names this finding's package or scanned image.
fn names_finding(id: &str, f: &Finding, scan: &Scan) -> bool {
    if let Some(want) = Purl::parse(id) {
        let got = f.purl.as_deref().and_then(Purl::parse);
        return got.is_some_and(|g| want.covers(&g));
    }
    if f.package
        .as_deref()
        .is_some_and(|p| p.eq_ignore_ascii_case(id))
    {
        return true;
    }
    let Some(want) = ImageRef::parse(id) else {
        return false;
    };
    scan.images
        .iter()
        .filter_map(|i| ImageRef::parse(i))
        .any(|got| want.covers(&got))
}

fn applies(p: &Product, f: &Finding, scan: &Scan) -> bool {
    let product = p.ids.iter().any(|id| names_finding(id, f, scan));
    if p.subcomponents.is_empty() {
        return product;
    }
    (product || p.ids.is_empty()) && p.subcomponents.iter().any(|s| names_finding(s, f, scan))
}

/// Applies `statements` to `findings`.
pub fn apply(statements: &[VexStatement], findings: &mut [Finding], scans: &[Scan]) {
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, s) in statements.iter().enumerate() {
        for n in &s.names {
            by_name.entry(n.as_str()).or_default().push(i);
        }
    }
    if by_name.is_empty() {
        return;
    }
    for f in findings {
        let mut hits: Vec<usize> = f
            .names()
            .filter_map(|n| by_name.get(n))
            .flatten()
            .copied()
            .collect();
        hits.sort_unstable();
        hits.dedup();
        let scan = &scans[f.scan as usize];
        for i in hits {
            let s = &statements[i];
            let Some(state) = s.state else { continue };
            if s.products.is_empty() || s.products.iter().any(|p| applies(p, f, scan)) {
                f.state = state;
            }
        }
    }
}
