//! Arbitrary requests to the handlers (property-based): any method, path, query and
//! body (as JSON or as a bundle of model files), with a valid token or none, gets an answer that is not a server error, and
//! every API answer is JSON (or the YAML/source views). The store holds a project with
//! a model, so the paths below reach real handlers, not only the 404 fallback.

mod common;

use proptest::prelude::*;

fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("shop".to_owned()),
        Just("latest".to_owned()),
        Just("1".to_owned()),
        Just("threats".to_owned()),
        Just("blast-radius".to_owned()),
        Just("paths".to_owned()),
        Just("diagram".to_owned()),
        Just("%00".to_owned()),
        Just("..".to_owned()),
        "[a-z0-9%._-]{0,12}",
    ]
}

fn path() -> impl Strategy<Value = String> {
    let prefix = prop_oneof![
        Just("/api/projects".to_owned()),
        Just("/api/projects/shop/models".to_owned()),
        Just("/api/projects/shop".to_owned()),
        Just("/api/audit".to_owned()),
        Just("/ui".to_owned()),
        Just(String::new()),
    ];
    (prefix, prop::collection::vec(segment(), 0..4)).prop_map(|(p, segs)| {
        let mut path = p;
        for s in segs {
            path.push('/');
            path.push_str(&s);
        }
        if path.is_empty() { "/".into() } else { path }
    })
}

fn query() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("?component=web".to_owned()),
        Just("?from=1&to=latest".to_owned()),
        Just("?k=99999999999999999999".to_owned()),
        Just("?revision=".to_owned()),
        "\\?[a-z=&%0-9]{0,20}",
    ]
}

fn body() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        Just(Some(
            r#"{"question": "what is the blast radius of web?"}"#.to_owned()
        )),
        Just(Some(r#"{"threat": "x", "status": "accepted"}"#.to_owned())),
        Just(Some(r#"{"name": 5}"#.to_owned())),
        Just(Some("gambit: 1\nname: [".to_owned())),
        Just(Some(
            r#"{"entry": "m.yaml", "files": {"m.yaml": "gambit: 1\nname: x\ninclude: [../p.yaml, p.yaml]\n", "p.yaml": "include: [m.yaml]\n"}}"#.to_owned()
        )),
        Just(Some(r#"{"entry": "../m", "files": {"../m": "", "M": "", "m": 1}}"#.to_owned())),
        ".{0,64}".prop_map(Some),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn no_request_makes_the_server_fail(
        post in any::<bool>(),
        bundle in any::<bool>(),
        with_token in any::<bool>(),
        path in path(),
        query in query(),
        body in body(),
    ) {
        RUNTIME.block_on(async {
            let h = harness().await;
            let uri = format!("{path}{query}");
            let token = with_token.then_some(h.admin.as_str());
            let method = if post { "POST" } else { "GET" };
            let media = if bundle { "application/vnd.gambit.bundle+json" } else { "application/json" };
            let body = body.as_deref().map(|b| (media, b));
            let r = h.call(method, &uri, token, body).await;
            prop_assert!(r.status.as_u16() < 500, "{method} {uri}: {} {}", r.status, r.text);
            if path.starts_with("/api") && !r.content_type.starts_with("text/yaml") {
                prop_assert!(serde_json::from_str::<serde_json::Value>(&r.text).is_ok(), "{method} {uri}: {}", r.text);
            }
            Ok(())
        })?;
    }
}

/// Mostly paths a bundle may hold (so models get analysed), some it may not.
fn bundle_path() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just("m.yaml".to_owned()),
        4 => Just("p/z.yaml".to_owned()),
        2 => Just("z.yaml".to_owned()),
        1 => Just("P/Z.yaml".to_owned()),
        1 => Just("../m.yaml".to_owned()),
        1 => Just("/etc/passwd".to_owned()),
        1 => Just("p/../m.yaml".to_owned()),
        1 => "[a-zA-Z./\\\\: \u{0}-\u{1f}é]{0,12}",
    ]
}

fn bundle_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("gambit: 1\nname: x\n".to_owned()),
        Just("zones: {z: {}}\n".to_owned()),
        bundle_path().prop_map(|p| format!("gambit: 1\nname: x\ninclude: [{p:?}]\n")),
        bundle_path().prop_map(|p| format!("include: [{p:?}]\nzones: {{y: {{}}}}\n")),
        Just("include: [../z.yaml]\nzones: {w: {}}\n".to_owned()),
        ".{0,40}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100, ..ProptestConfig::default() })]

    /// Any bundle (paths and texts from a hostile mix) is stored (201) or refused with the
    /// diagnostics document (422), never a server error. Half the time the entry includes
    /// every other file, so valid models are analysed too.
    #[test]
    fn no_bundle_makes_the_server_fail(
        entry in prop_oneof![4 => Just("m.yaml".to_owned()), 1 => bundle_path()],
        include_all in any::<bool>(),
        head in bundle_text(),
        paths in prop::collection::btree_set(bundle_path(), 0..4),
        texts in prop::collection::vec(prop_oneof![3 => Just(String::new()), 1 => bundle_text()], 4),
        twice in prop::bool::weighted(0.2),
    ) {
        let paths: Vec<String> = paths.into_iter().filter(|p| p != "m.yaml").collect();
        let head = if include_all {
            let list: Vec<String> = paths.iter().map(|p| format!("{p:?}")).collect();
            format!("gambit: 1\nname: x\ninclude: [{}]\n", list.join(", "))
        } else {
            head
        };
        let mut files = vec![("m.yaml".to_owned(), head)];
        for (i, path) in paths.iter().enumerate() {
            let text = match &texts[i] {
                t if t.is_empty() => format!("zones: {{z{i}: {{}}}}\n"),
                t => t.clone(),
            };
            files.push((path.clone(), text));
        }
        if twice {
            files.push(files[files.len() - 1].clone());
        }
        RUNTIME.block_on(async {
            let h = harness().await;
            let s = |t: &str| serde_json::to_string(t).unwrap();
            let files: Vec<String> = files.iter().map(|(p, t)| format!("{}: {}", s(p), s(t))).collect();
            let body = format!("{{\"entry\": {}, \"files\": {{{}}}}}", s(&entry), files.join(", "));
            let r = h
                .call("POST", "/api/projects/shop/models", Some(&h.editor), Some(("application/vnd.gambit.bundle+json", &body)))
                .await;
            prop_assert!(matches!(r.status.as_u16(), 201 | 422), "{}: {} {}", body, r.status, r.text);
            let doc: serde_json::Value = serde_json::from_str(&r.text).map_err(|e| TestCaseError::fail(e.to_string()))?;
            if r.status.as_u16() == 422 {
                prop_assert_eq!(&doc["valid"], false, "{}", r.text);
            }
            Ok(())
        })?;
    }
}

/// One runtime for all cases: the store's pool lives on it.
static RUNTIME: std::sync::LazyLock<tokio::runtime::Runtime> = std::sync::LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
});

/// One store for all cases (made once), with a project and a model.
async fn harness() -> &'static common::Harness {
    static HARNESS: tokio::sync::OnceCell<common::Harness> = tokio::sync::OnceCell::const_new();
    HARNESS
        .get_or_init(|| async {
            let h = common::sqlite().await;
            h.post_json("/api/projects", &h.editor, r#"{"name": "shop"}"#)
                .await;
            h.push("shop", &common::example("acme-shop.yaml")).await;
            h
        })
        .await
}
