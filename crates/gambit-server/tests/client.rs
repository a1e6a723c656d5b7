//! `gambit push`'s client against a local stand-in server that keeps what it is sent: a
//! model split over files goes as one bundle holding exactly the files the loader reads;
//! a model in one file goes as before.

use std::path::Path;
use std::sync::{Arc, Mutex};

use gambit_model::LoadOptions;
use gambit_server::bundle::MEDIA_TYPE;
use gambit_server::client::{Upload, collect, push_upload};

/// One request as the stand-in saw it: content type, URI, authorization, body.
#[derive(Clone, Debug)]
struct Seen {
    content_type: String,
    uri: String,
    authorization: String,
    body: String,
}

/// A server on loopback answering 201 to every push; the requests it got.
fn stand_in() -> (String, Arc<Mutex<Vec<Seen>>>) {
    use axum::http::HeaderMap;
    use axum::routing::post;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let kept = seen.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let app = axum::Router::new().route(
                "/api/projects/{project}/models",
                post(
                    move |uri: axum::http::Uri, headers: HeaderMap, body: String| {
                        let kept = kept.clone();
                        async move {
                            let header = |name: &str| {
                                headers
                                    .get(name)
                                    .and_then(|v| v.to_str().ok())
                                    .unwrap_or_default()
                                    .to_owned()
                            };
                            kept.lock().unwrap().push(Seen {
                                content_type: header("content-type"),
                                uri: uri.to_string(),
                                authorization: header("authorization"),
                                body,
                            });
                            (axum::http::StatusCode::CREATED, r#"{"version": 1}"#)
                        }
                    },
                ),
            );
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    let addr = rx.recv().unwrap();
    (format!("http://{addr}"), seen)
}

fn write(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

const MODEL: &str = "gambit: 1\nname: Split\ninclude: [zones.yaml, services/web.yaml]\n";
const ZONES: &str = "zones:\n  dmz: {kind: network}\n";
const WEB: &str =
    "include: [../common/actors.yaml]\ncomponents:\n  web: {kind: web-app, zone: dmz}\n";
const ACTORS: &str = "actors:\n  staff: {kind: user, trust: internal}\n";

#[test]
fn a_model_split_over_files_is_sent_with_every_file_it_includes_and_no_other() {
    let (url, seen) = stand_in();
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("model.yaml", MODEL),
            ("zones.yaml", ZONES),
            ("services/web.yaml", WEB),
            ("common/actors.yaml", ACTORS),
            ("notes.yaml", "zones: {notes: {}}\n"),
            ("services/old.yaml", "zones: {old: {}}\n"),
        ],
    );
    let upload = collect(&dir.path().join("model.yaml"), &LoadOptions::default()).unwrap();
    let answer = push_upload(&url, "shop", "tok", &upload, Some("abc123")).unwrap();
    assert_eq!(answer, r#"{"version": 1}"#);
    let sent = seen.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);
    let request = &sent[0];
    assert_eq!(request.content_type, MEDIA_TYPE);
    assert_eq!(request.uri, "/api/projects/shop/models?revision=abc123");
    assert_eq!(request.authorization, "Bearer tok");
    let body: serde_json::Value = serde_json::from_str(&request.body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({
            "entry": "model.yaml",
            "files": {
                "model.yaml": MODEL,
                "zones.yaml": ZONES,
                "services/web.yaml": WEB,
                "common/actors.yaml": ACTORS,
            }
        })
    );
    // What was sent loads in memory as on disk: the server reads the same model.
    let Upload::Bundle(bundle) = upload else {
        panic!("a bundle")
    };
    let memory = gambit_model::load_files(&bundle.entry, bundle.files, LoadOptions::default());
    let disk = gambit_model::load_path(&dir.path().join("model.yaml"), LoadOptions::default());
    assert_eq!(
        memory.model.unwrap().digest,
        disk.model.expect("the split model is valid").digest
    );
}

#[test]
fn a_model_in_one_file_goes_as_its_text() {
    let (url, seen) = stand_in();
    let dir = tempfile::tempdir().unwrap();
    let text = "gambit: 1\nname: One\nzones: {z: {}}\n";
    write(
        dir.path(),
        &[
            ("one.yaml", text),
            ("one.json", "{\"gambit\": 1, \"name\": \"J\"}"),
        ],
    );
    for (file, content_type) in [("one.yaml", "text/yaml"), ("one.json", "application/json")] {
        let upload = collect(&dir.path().join(file), &LoadOptions::default()).unwrap();
        assert!(matches!(upload, Upload::Text { .. }));
        push_upload(&url, "shop", "tok", &upload, None).unwrap();
        let last = seen.lock().unwrap().last().unwrap().clone();
        assert_eq!(last.content_type, content_type);
        assert_eq!(
            last.body,
            std::fs::read_to_string(dir.path().join(file)).unwrap()
        );
    }
}

#[test]
fn an_include_that_cannot_be_read_still_goes_as_a_bundle_for_the_server_to_name() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[("model.yaml", "gambit: 1\nname: M\ninclude: [gone.yaml]\n")],
    );
    let upload = collect(&dir.path().join("model.yaml"), &LoadOptions::default()).unwrap();
    let Upload::Bundle(bundle) = upload else {
        panic!("a bundle: {upload:?}")
    };
    assert_eq!(bundle.files.keys().collect::<Vec<_>>(), ["model.yaml"]);
}

#[test]
fn paths_are_relative_to_the_include_root() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "threat/model.yaml",
                "gambit: 1\nname: M\ninclude: [../shared/zones.yaml]\n",
            ),
            ("shared/zones.yaml", ZONES),
        ],
    );
    let model = dir.path().join("threat/model.yaml");
    // By default the model's folder is the root: the shared file is outside it, not sent.
    let Upload::Bundle(bundle) = collect(&model, &LoadOptions::default()).unwrap() else {
        panic!("a bundle")
    };
    assert_eq!(bundle.entry, "model.yaml");
    assert_eq!(bundle.files.len(), 1);
    let wider = LoadOptions {
        include_root: Some(dir.path().to_path_buf()),
        ..LoadOptions::default()
    };
    let Upload::Bundle(bundle) = collect(&model, &wider).unwrap() else {
        panic!("a bundle")
    };
    assert_eq!(bundle.entry, "threat/model.yaml");
    assert_eq!(
        bundle.files.keys().collect::<Vec<_>>(),
        ["shared/zones.yaml", "threat/model.yaml"]
    );
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_followed_as_on_disk_or_refused_here() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        &[
            (
                "model.yaml",
                "gambit: 1\nname: M\ninclude: [parts/zones.yaml]\n",
            ),
            (
                "deep/real/zones.yaml",
                "include: [../actors.yaml]\nzones: {z: {}}\n",
            ),
            ("deep/actors.yaml", ACTORS),
        ],
    );
    // parts -> deep/real: on disk parts/../actors.yaml is deep/actors.yaml; by its text,
    // which is how the server reads it, actors.yaml, and that is the text sent under it.
    std::os::unix::fs::symlink(root.join("deep/real"), root.join("parts")).unwrap();
    let Upload::Bundle(bundle) =
        collect(&root.join("model.yaml"), &LoadOptions::default()).unwrap()
    else {
        panic!("a bundle")
    };
    assert_eq!(bundle.files["actors.yaml"], ACTORS);
    let memory = gambit_model::load_files(&bundle.entry, bundle.files, LoadOptions::default());
    let disk = gambit_model::load_path(&root.join("model.yaml"), LoadOptions::default());
    assert_eq!(memory.model.unwrap().digest, disk.model.unwrap().digest);

    // Two files that would have one path in the bundle.
    write(root, &[("actors.yaml", "actors:\n  other: {kind: user}\n")]);
    write(
        root,
        &[(
            "model.yaml",
            "gambit: 1\nname: M\ninclude: [actors.yaml, parts/zones.yaml]\n",
        )],
    );
    let why = collect(&root.join("model.yaml"), &LoadOptions::default()).unwrap_err();
    assert!(why.contains("would both be actors.yaml"), "{why}");

    // One file the disk reads once through two paths: the server would miss the second.
    write(
        root,
        &[(
            "model.yaml",
            "gambit: 1\nname: M\ninclude: [deep/real/zones.yaml, parts/zones.yaml]\n",
        )],
    );
    let why = collect(&root.join("model.yaml"), &LoadOptions::default()).unwrap_err();
    assert!(
        why.contains("symbolic link") && why.contains("parts/zones.yaml"),
        "{why}"
    );
}

#[test]
fn a_file_name_a_bundle_cannot_hold_is_an_error_before_sending() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "model.yaml",
                "gambit: 1\nname: M\ninclude: [\"zonès.yaml\"]\n",
            ),
            ("zonès.yaml", ZONES),
        ],
    );
    let why = collect(&dir.path().join("model.yaml"), &LoadOptions::default()).unwrap_err();
    assert!(
        why.contains("zonès.yaml") && why.contains("cannot name a file"),
        "{why}"
    );
}
