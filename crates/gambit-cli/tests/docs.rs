//! The documentation a user reads is whole: no page keeps the markers of a merge that
//! was not finished (one once shipped in docs/performance.md).

use std::path::Path;

fn pages() -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut pages = vec![root.join("README.md"), root.join("ARCHITECTURE.md")];
    let docs = std::fs::read_dir(root.join("docs")).expect("docs/");
    pages.extend(
        docs.map(|e| e.expect("a docs entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "md")),
    );
    pages
}

#[test]
fn no_page_keeps_merge_conflict_markers() {
    let pages = pages();
    assert!(pages.len() > 5, "the docs were found: {pages:?}");
    for page in pages {
        let text = std::fs::read_to_string(&page).unwrap();
        for (n, line) in text.lines().enumerate() {
            // The opening and closing markers only: a line of `=` can be a heading's rule.
            let marker = ["<<<<<<< ", ">>>>>>> "].iter().any(|m| line.starts_with(m));
            assert!(
                !marker,
                "{}:{}: a merge conflict marker",
                page.display(),
                n + 1
            );
        }
    }
}
