//! Hostile input: every limit of docs/limits.md and every crash, hang and blow-up once
//! found, each with the input that triggered it (generated here when large).

use gambit_model::{LoadOptions, Loaded, load_str};

fn load(text: &str) -> Loaded {
    load_str(
        "hostile.yaml",
        text.to_owned(),
        None,
        LoadOptions::default(),
    )
}

fn rendered(loaded: &Loaded) -> String {
    gambit_model::diagnostic::render_text(&loaded.diagnostics, &loaded.sources, false)
}

fn codes(loaded: &Loaded) -> Vec<&'static str> {
    loaded.diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn syntax_errors_at_multi_byte_characters_render() {
    for text in [
        "[]€",
        "gambit: 1\nname: x\n\u{feff}: 3\n",
        "gambit: 1\nname: [a\u{85}\n",
        "gambit: 1\n\u{200b}name: x\n  - b\n",
        "gambit: 1\nname: \"\u{1F600}\n",
        "{\"gambit\": 1, \"name\": \"€€€\"]",
    ] {
        let loaded = load(text);
        assert!(loaded.errors() > 0, "{text:?} should not load");
        let out = rendered(&loaded);
        assert!(out.contains("--> hostile.yaml:"), "{text:?}: {out}");
    }
}

#[test]
fn every_byte_offset_of_a_multi_byte_file_renders() {
    // A span may land anywhere, including inside a character: the renderer snaps it.
    let text = "gambit: 1\nname: €😀ü\n";
    let mut loaded = load(text);
    for start in 0..=text.len() + 2 {
        for len in 0..4 {
            let span = gambit_model::Span::new(gambit_model::FileId(0), start, start + len);
            loaded.diagnostics = vec![gambit_model::Diagnostic::error("test", "x").at(span)];
            let out = rendered(&loaded);
            assert!(out.contains("error[test]"), "{start}+{len}: {out}");
        }
    }
}

#[test]
fn long_lines_are_cut_around_the_span_with_the_true_column() {
    let pad = "y".repeat(100_000);
    let text = format!("{{\"gambit\": 1, \"name\": \"{pad}€\", \"nope\": 1}}");
    let loaded = load(&text);
    let out = rendered(&loaded);
    let column = text[..text.find("\"nope\"").unwrap()].chars().count() + 1;
    assert!(
        out.contains(&format!("--> hostile.yaml:1:{column}\n")),
        "{out}"
    );
    assert!(
        out.contains("\"nope\": 1}"),
        "the span's text is shown: {out}"
    );
    assert!(out.len() < 2_000, "{} bytes rendered", out.len());
    assert_eq!(codes(&loaded), ["unknown-key"]);
}

#[test]
fn did_you_mean_is_bounded_for_thousands_of_unknown_references() {
    // One line of JSON: 10,000 components and 16,000 flows to unknown ones. Every error is
    // reported; suggestions stop when the comparison budget is spent.
    let components: Vec<String> = (0..10_000)
        .map(|i| format!("\"svc{i}\": {{\"kind\": \"api\", \"zone\": \"z\"}}"))
        .collect();
    let flows: Vec<String> = (0..16_000)
        .map(|i| format!("{{\"from\": \"svc{i}\", \"to\": \"svx{i}x\"}}"))
        .collect();
    let text = format!(
        "{{\"gambit\": 1, \"name\": \"x\", \"zones\": {{\"z\": {{\"kind\": \"network\"}}}}, \"components\": {{{}}}, \"flows\": [{}]}}",
        components.join(", "),
        flows.join(", ")
    );
    let loaded = load(&text);
    let unknown: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == "unknown-reference")
        .collect();
    assert!(
        unknown.len() >= 16_000,
        "{} unknown references",
        unknown.len()
    );
    let suggested = unknown.iter().filter(|d| d.help.is_some()).count();
    assert!(suggested > 0, "the first ones still get a suggestion");
    assert!(
        suggested < 1_000,
        "{suggested} suggestions: the budget did not stop them"
    );
    // Text shows the first ones, cut around their spans on the one long line, then a count.
    let out = rendered(&loaded);
    let shown = gambit_model::diagnostic::MAX_TEXT_DIAGNOSTICS;
    assert!(out.len() < shown * 1_000, "{} bytes", out.len());
    let more = loaded.diagnostics.len() - shown;
    assert!(out.ends_with(&format!(
        "... and {more} more diagnostics, not shown (`--format json` lists them all)\n\n"
    )));
}

#[test]
fn a_megabyte_unknown_reference_gets_no_suggestion() {
    let ids: String = (0..10_000)
        .map(|i| format!("  c{i}: {{kind: api, zone: z}}\n"))
        .collect();
    let long = "q".repeat(1 << 20);
    let text = format!(
        "gambit: 1\nname: x\nzones: {{z: {{kind: network}}}}\ncomponents:\n{ids}flows:\n  - {{from: c1, to: {long}}}\n"
    );
    let loaded = load(&text);
    let d = loaded
        .diagnostics
        .iter()
        .find(|d| d.code == "unknown-reference")
        .expect("the long id is unknown");
    assert!(d.help.is_none());
}

#[cfg(unix)]
mod includes {
    use super::*;
    use gambit_model::load_path;
    use std::path::Path;

    const MODEL: &str = "gambit: 1\nname: x\n";

    fn load_in(path: &Path) -> Loaded {
        load_path(path, LoadOptions::default())
    }

    #[test]
    fn a_deep_chain_of_includes_stops_at_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let depth = 200;
        for i in 0..depth {
            let next = format!("include: [f{}.yaml]\n", i + 1);
            let head = if i == 0 { MODEL } else { "" };
            std::fs::write(
                dir.path().join(format!("f{i}.yaml")),
                format!("{head}{next}"),
            )
            .unwrap();
        }
        std::fs::write(dir.path().join(format!("f{depth}.yaml")), "zones: {}\n").unwrap();
        let loaded = load_in(&dir.path().join("f0.yaml"));
        assert_eq!(codes(&loaded), ["include-too-deep"]);
        assert!(loaded.diagnostics[0].message.contains("32"));
    }

    #[test]
    fn includes_outside_the_models_folder_are_refused_without_showing_them() {
        let outer = tempfile::tempdir().unwrap();
        let dir = outer.path().join("model");
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(outer.path().join("secret.yaml"), "zones: {hunter2: {}}\n").unwrap();
        std::os::unix::fs::symlink(outer.path().join("secret.yaml"), dir.join("link.yaml"))
            .unwrap();
        for include in [
            "/etc/passwd",
            "../secret.yaml",
            "link.yaml",
            "/proc/self/environ",
        ] {
            let main = dir.join("main.yaml");
            std::fs::write(&main, format!("{MODEL}include: [\"{include}\"]\n")).unwrap();
            let loaded = load_in(&main);
            assert_eq!(codes(&loaded), ["include-outside-root"], "{include}");
            let out = rendered(&loaded);
            assert!(!out.contains("hunter2") && !out.contains("root:"), "{out}");
        }
        // --include-root widens the folder.
        let main = dir.join("main.yaml");
        std::fs::write(
            &main,
            format!("{MODEL}include: [../secret.yaml, link.yaml]\n"),
        )
        .unwrap();
        let widened = LoadOptions {
            include_root: Some(outer.path().to_path_buf()),
            ..LoadOptions::default()
        };
        let loaded = load_path(&main, widened);
        assert_eq!(loaded.errors(), 0, "{}", rendered(&loaded));
    }

    #[test]
    fn fifos_and_folders_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.yaml");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        std::fs::create_dir(dir.path().join("folder.yaml")).unwrap();
        let main = dir.path().join("main.yaml");
        std::fs::write(&main, format!("{MODEL}include: [pipe.yaml, folder.yaml]\n")).unwrap();
        let loaded = load_in(&main);
        assert_eq!(codes(&loaded), ["not-a-file", "not-a-file"]);
    }

    #[test]
    fn included_files_that_are_not_models_are_never_shown() {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in [
            ("a.env", "PASSWORD=hunter2\n"),
            ("b.yaml", "password: hunter2\ntoken: hunter2\n"),
            ("c.yaml", "password: [hunter2\n"),
            ("d.json", "{\"hunter2\": 1"),
        ] {
            std::fs::write(dir.path().join(name), text).unwrap();
            let main = dir.path().join("main.yaml");
            std::fs::write(&main, format!("{MODEL}include: [{name}]\n")).unwrap();
            let loaded = load_in(&main);
            assert_eq!(codes(&loaded), ["not-a-model"], "{name}");
            let out = rendered(&loaded);
            assert!(!out.contains("hunter2"), "{name}: {out}");
            assert!(out.contains("main.yaml:3"), "{name}: {out}");
        }
    }

    #[test]
    fn size_errors_quote_the_real_limit() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("part.yaml"),
            format!("zones: {{}}\n#{}\n", "x".repeat(1000)),
        )
        .unwrap();
        let main = dir.path().join("main.yaml");
        std::fs::write(&main, format!("{MODEL}include: [part.yaml]\n")).unwrap();
        let small = LoadOptions {
            max_size: 500,
            ..LoadOptions::default()
        };
        let loaded = load_path(&main, small.clone());
        assert_eq!(codes(&loaded), ["file-too-large"]);
        assert!(
            loaded.diagnostics[0].message.contains("limit of 500 bytes"),
            "{}",
            loaded.diagnostics[0].message
        );
        let loaded = load_path(Path::new("/dev/zero"), small);
        assert_eq!(codes(&loaded), ["file-too-large"]);
        assert!(
            loaded.diagnostics[0].message.contains("limit of 500 bytes"),
            "{}",
            loaded.diagnostics[0].message
        );
        // The largest limit does not overflow into "empty".
        let unlimited = LoadOptions {
            max_size: u64::MAX,
            ..LoadOptions::default()
        };
        assert_eq!(load_path(&main, unlimited).errors(), 0);
    }
}

#[test]
fn a_model_that_is_only_null_is_empty() {
    for text in ["~", "null\n", "---\n~\n"] {
        assert_eq!(codes(&load(text)), ["empty-model"], "{text:?}");
    }
}

mod aliases {
    use super::*;

    #[test]
    fn a_large_scalar_aliased_many_times_is_over_the_byte_budget() {
        let big = "x".repeat(100_000);
        let aliases = "  - *a\n".repeat(20_000);
        let plain = format!("gambit: 1\nname: x\nx-big: &a {big}\nx-list:\n{aliases}");
        let block = format!("gambit: 1\nname: x\nx-big: &a |\n  {big}\nx-list:\n{aliases}");
        for text in [plain, block] {
            let loaded = load(&text);
            assert_eq!(codes(&loaded), ["alias-budget"]);
            assert!(loaded.diagnostics[0].message.contains("bytes"));
        }
    }

    #[test]
    fn many_small_aliases_are_over_the_node_budget() {
        let aliases = "  - *a\n".repeat(200_000);
        let text = format!("gambit: 1\nname: x\nx-a: &a [1, 2, 3, 4, 5, 6]\nx-list:\n{aliases}");
        assert_eq!(codes(&load(&text)), ["alias-budget"]);
    }

    #[test]
    fn nested_anchors_share_their_lists() {
        // 60 anchors around one long list: each anchor is a pointer, not a copy (this took
        // gigabytes when every anchor stored its own copy).
        let items = "1, ".repeat(200_000);
        let mut value = format!("[{items}2]");
        for i in 0..60 {
            value = format!("&a{i} [{value}]");
        }
        let text = format!("gambit: 1\nname: x\nx-deep: {value}\n");
        let loaded = load(&text);
        assert_eq!(loaded.errors(), 0, "{:?}", codes(&loaded));
    }

    #[test]
    fn aliases_cannot_nest_deeper_than_the_depth_limit() {
        // Each anchor holds the previous one 40 levels down: written out, the tree would be
        // thousands of levels deep and overflow the stack of whoever walks it.
        let mut text = String::from("gambit: 1\nname: x\n");
        for i in 0..100 {
            let inner = if i == 0 {
                "1".to_owned()
            } else {
                format!("*a{}", i - 1)
            };
            let open = "[".repeat(40);
            let close = "]".repeat(40);
            text.push_str(&format!("x-{i}: &a{i} {open}{inner}{close}\n"));
        }
        assert_eq!(codes(&load(&text)), ["nesting-too-deep"]);
    }
}

#[test]
fn a_bad_version_is_one_error_not_also_a_missing_one() {
    for value in ["x", "[1]", "\"1\"", "{a: 1}"] {
        let loaded = load(&format!("gambit: {value}\nname: x\n"));
        let found = codes(&loaded);
        assert_eq!(found.len(), 1, "{value}: {found:?}");
        assert!(
            found[0] == "invalid-value" || found[0] == "invalid-type",
            "{value}: {found:?}"
        );
    }
    assert!(codes(&load("name: x\n")).contains(&"missing-version"));
}

#[test]
fn signed_and_short_years_are_not_dates() {
    for date in ["+024-01-01", "-024-01-01", "2024-02-30", "2024-1-1"] {
        let text = format!(
            "gambit: 1\nname: x\nrisks:\n  - {{threat: a@b, status: accepted, owner: me, expires: \"{date}\"}}\n"
        );
        let loaded = load(&text);
        assert!(
            loaded
                .diagnostics
                .iter()
                .any(|d| d.code == "invalid-value" && d.message.contains(date)),
            "{date}: {:?}",
            codes(&loaded)
        );
    }
}

#[test]
fn positions_at_the_end_of_a_text_of_whole_blocks() {
    // The character index has a mark every 1,024 bytes; the end of such a text is one.
    for len in [1024, 2048, 4096] {
        let text = format!("a: {}", "€".repeat((len - 3) / 3)) + &"x".repeat((len - 3) % 3);
        assert_eq!(text.len(), len);
        let file = gambit_model::SourceFile::new("t".into(), None, text.clone());
        let end = file.line_col(len as u32);
        assert_eq!(end.column as usize, text.chars().count() + 1);
    }
}
