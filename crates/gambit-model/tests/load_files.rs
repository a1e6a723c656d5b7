//! `load_files`: a model's files held in memory (what `gambit serve` is pushed). The same
//! files give the same model and digest as on disk; includes resolve among the files only,
//! and every way out is an error at the include, by file, line and column.

use std::collections::BTreeMap;

use gambit_model::{LoadOptions, Loaded, load_files, load_path};

const MAIN: &str = "gambit: 1\nname: Split\n";

fn files(list: &[(&str, &str)]) -> BTreeMap<String, String> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn load(entry: &str, list: &[(&str, &str)]) -> Loaded {
    load_files(entry, files(list), LoadOptions::default())
}

/// `code@file:line:col` of every error, in order.
fn errors(loaded: &Loaded) -> Vec<String> {
    loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| match d.span {
            Some(span) => format!("{}@{}", d.code, loaded.sources.describe(span)),
            None => d.code.to_owned(),
        })
        .collect()
}

fn names(loaded: &Loaded) -> Vec<&str> {
    loaded
        .sources
        .files()
        .map(|(_, f)| f.name.as_str())
        .collect()
}

#[test]
fn the_same_files_give_the_same_model_and_digest_as_on_disk() {
    let list = [
        (
            "model.yaml",
            "gambit: 1\nname: Split\ninclude: [zones.yaml, services/web.yaml]\ncomponents:\n  db: {kind: database, zone: private, stores: [pii]}\n",
        ),
        (
            "zones.yaml",
            "zones:\n  dmz: {kind: network}\n  private: {kind: network}\nassets:\n  pii: {classification: restricted}\n",
        ),
        (
            "services/web.yaml",
            "include: [../zones.yaml, ./api.yaml]\ncomponents:\n  web: {kind: web-app, zone: dmz, public: true}\nflows:\n  - {from: web, to: db, protocol: https, authentication: token}\n",
        ),
        (
            "services/api.yaml",
            "components:\n  api: {kind: api, zone: private}\n",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in list {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let disk = load_path(&dir.path().join("model.yaml"), LoadOptions::default());
    let memory = load("model.yaml", &list);
    assert_eq!(errors(&memory), Vec::<String>::new());
    let (d, m) = (disk.model.as_ref().unwrap(), memory.model.as_ref().unwrap());
    assert_eq!(m.digest, d.digest);
    assert_eq!(format!("{:?}", m.components), format!("{:?}", d.components));
    assert_eq!(
        names(&memory),
        [
            "model.yaml",
            "zones.yaml",
            "services/web.yaml",
            "services/api.yaml"
        ]
    );
    assert!(memory.sources.files().all(|(_, f)| f.path.is_none()));
}

#[test]
fn includes_resolve_lexically_among_the_files() {
    for include in [
        "parts/z.yaml",
        "./parts/z.yaml",
        "parts//z.yaml",
        "parts/../parts/./z.yaml",
    ] {
        let main = format!("{MAIN}include: [\"{include}\"]\n");
        let loaded = load(
            "model.yaml",
            &[("model.yaml", &main), ("parts/z.yaml", "zones: {z: {}}\n")],
        );
        assert_eq!(errors(&loaded), Vec::<String>::new(), "{include}");
        assert_eq!(names(&loaded), ["model.yaml", "parts/z.yaml"], "{include}");
    }
}

#[test]
fn every_way_out_of_the_files_is_an_error_at_the_include() {
    let secret = "zones: {hunter2: {}}\n";
    for (include, code) in [
        ("../secret.yaml", "include-outside-root"),
        ("parts/../../secret.yaml", "include-outside-root"),
        ("/etc/passwd", "include-outside-root"),
        ("/proc/self/environ", "include-outside-root"),
        ("//server/share/secret.yaml", "include-outside-root"),
        ("C:/secret.yaml", "include-outside-root"),
        ("c:secret.yaml", "include-outside-root"),
        ("parts\\\\z.yaml", "unreadable-file"),
        ("..\\\\secret.yaml", "unreadable-file"),
        ("Parts/z.yaml", "unreadable-file"),
        ("parts/z.yaml/", "unreadable-file"),
        ("parts", "unreadable-file"),
        ("missing.yaml", "unreadable-file"),
    ] {
        let main = format!("{MAIN}include: [\"{include}\"]\n");
        let loaded = load(
            "model.yaml",
            &[
                ("model.yaml", &main),
                ("parts/z.yaml", "zones: {z: {}}\n"),
                ("secret.yaml", secret),
            ],
        );
        // The error is at the include: model.yaml, line 3, column 11.
        assert_eq!(
            errors(&loaded),
            [format!("{code}@model.yaml:3:11")],
            "{include}"
        );
        let messages = format!("{:?}", loaded.diagnostics);
        assert!(!messages.contains("hunter2"), "{include}: {messages}");
    }
}

#[test]
fn an_include_in_a_folder_cannot_climb_above_the_root_either() {
    let loaded = load(
        "model.yaml",
        &[
            ("model.yaml", &format!("{MAIN}include: [a/b.yaml]\n")),
            ("a/b.yaml", "include: [../../x.yaml]\n"),
            ("x.yaml", "zones: {}\n"),
        ],
    );
    assert_eq!(errors(&loaded), ["include-outside-root@a/b.yaml:1:11"]);
}

#[test]
fn a_missing_file_is_named_at_each_include_and_unused_files_are_not_read() {
    let loaded = load(
        "model.yaml",
        &[
            (
                "model.yaml",
                &format!("{MAIN}include: [gone.yaml, part.yaml]\n"),
            ),
            ("part.yaml", "include: [gone.yaml]\nzones: {}\n"),
            ("unused.yaml", "zones: {u: {}}\n"),
        ],
    );
    assert_eq!(
        errors(&loaded),
        [
            "unreadable-file@model.yaml:3:11",
            "unreadable-file@part.yaml:1:11"
        ]
    );
    let d = &loaded.diagnostics[0];
    assert!(d.message.contains("gone.yaml"), "{}", d.message);
    assert_eq!(names(&loaded), ["model.yaml", "part.yaml"]);
    let missing_entry = load("nothing.yaml", &[("model.yaml", MAIN)]);
    assert_eq!(errors(&missing_entry), ["unreadable-file"]);
}

#[test]
fn cycles_repeats_depth_and_size_are_checked_as_on_disk() {
    let loaded = load(
        "a.yaml",
        &[
            ("a.yaml", "gambit: 1\ninclude: [b.yaml, b.yaml]\n"),
            ("b.yaml", "include: [a.yaml]\n"),
        ],
    );
    assert_eq!(errors(&loaded), ["include-cycle@b.yaml:1:11"]);

    let mut chain: Vec<(String, String)> = (0..200)
        .map(|i| {
            (
                format!("f{i}.yaml"),
                format!("include: [f{}.yaml]\n", i + 1),
            )
        })
        .collect();
    chain[0].1 = format!("{MAIN}{}", chain[0].1);
    chain.push(("f200.yaml".into(), "zones: {}\n".into()));
    let list: Vec<(&str, &str)> = chain
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let loaded = load("f0.yaml", &list);
    let codes: Vec<&str> = loaded.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["include-too-deep"]);

    let big = format!("zones: {{}}\n#{}\n", "x".repeat(1000));
    let main = format!("{MAIN}include: [part.yaml]\n");
    let small = LoadOptions {
        max_size: 500,
        ..LoadOptions::default()
    };
    let loaded = load_files(
        "model.yaml",
        files(&[("model.yaml", &main), ("part.yaml", &big)]),
        small,
    );
    assert_eq!(errors(&loaded), ["file-too-large@model.yaml:3:11"]);
    assert!(loaded.diagnostics[0].message.contains("limit of 500 bytes"));
}

#[test]
fn an_included_file_that_is_not_a_model_is_not_shown() {
    let loaded = load(
        "model.yaml",
        &[
            ("model.yaml", &format!("{MAIN}include: [.env]\n")),
            (".env", "PASSWORD=hunter2\n"),
        ],
    );
    assert_eq!(errors(&loaded), ["not-a-model@model.yaml:3:11"]);
    assert!(!format!("{:?}", loaded.diagnostics).contains("hunter2"));
}
