//! Arbitrary requests to the handlers (property-based): any method, path, query and
//! body, with a valid token or none, gets an answer that is not a server error, and
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
        ".{0,64}".prop_map(Some),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn no_request_makes_the_server_fail(
        post in any::<bool>(),
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
            let body = body.as_deref().map(|b| ("application/json", b));
            let r = h.call(method, &uri, token, body).await;
            prop_assert!(r.status.as_u16() < 500, "{method} {uri}: {} {}", r.status, r.text);
            if path.starts_with("/api") && !r.content_type.starts_with("text/yaml") {
                prop_assert!(serde_json::from_str::<serde_json::Value>(&r.text).is_ok(), "{method} {uri}: {}", r.text);
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
