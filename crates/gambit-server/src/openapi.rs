//! The OpenAPI 3.1 document of the API, served at `/openapi.json`. It is built from one
//! table of operations; tests hold the table to the router in both directions (every
//! route of the router is documented, and every documented operation is routed).

use axum::response::Response;
use serde_json::{Value, json};

/// One operation: method, path, summary, the role it needs, its query parameters, the
/// body it takes, and what it answers besides errors.
pub struct Operation {
    pub method: &'static str,
    pub path: &'static str,
    pub summary: &'static str,
    pub role: Option<&'static str>,
    pub query: &'static [(&'static str, &'static str)],
    pub body: Body,
    pub answers: (&'static str, &'static str),
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Body {
    None,
    Json(&'static str),
    Model,
}

const JSON: &str = "application/json";
const YAML: &str = "text/yaml";
const HTML: &str = "text/html";

/// Every operation of the server.
pub const OPERATIONS: &[Operation] = &[
    Operation {
        method: "get",
        path: "/health",
        summary: "Whether the server is up, and its store (no token needed)",
        role: None,
        query: &[],
        body: Body::None,
        answers: ("200", JSON),
    },
    Operation {
        method: "get",
        path: "/openapi.json",
        summary: "This document",
        role: Some("viewer"),
        query: &[],
        body: Body::None,
        answers: ("200", JSON),
    },
    Operation {
        method: "get",
        path: "/",
        summary: "The web UI (no token needed; it asks for one)",
        role: None,
        query: &[],
        body: Body::None,
        answers: ("200", HTML),
    },
    Operation {
        method: "get",
        path: "/ui/{file}",
        summary: "The web UI's script and style sheet (no token needed)",
        role: None,
        query: &[],
        body: Body::None,
        answers: ("200", "text/plain"),
    },
    Operation {
        method: "get",
        path: "/api/projects",
        summary: "The projects the token may see",
        role: Some("viewer"),
        query: &[],
        body: Body::None,
        answers: ("200", JSON),
    },
    Operation {
        method: "post",
        path: "/api/projects",
        summary: "Creates a project",
        role: Some("editor"),
        query: &[],
        body: Body::Json("NewProject"),
        answers: ("201", JSON),
    },
    Operation {
        method: "post",
        path: "/api/projects/{project}/models",
        summary: "Stores a model version (one YAML or JSON file, or a bundle of the files of a model split with include:) with its analysis; 422 with the diagnostics of `validate --format json` when invalid",
        role: Some("editor"),
        query: &[("revision", "The commit the model comes from")],
        body: Body::Model,
        answers: ("201", JSON),
    },
    Operation {
        method: "get",
        path: "/api/projects/{project}/models/{version}",
        summary: "A version (a number or `latest`): its revision, model name and digest, and summary",
        role: Some("viewer"),
        query: &[],
        body: Body::None,
        answers: ("200", JSON),
    },
    Operation {
        method: "get",
        path: "/api/projects/{project}/models/{version}/{view}",
        summary: "A view of a version: threats, paths, exposure, chokepoints, blast-radius (the JSON of the CLI's --format json), report (all of analyze --format json), source (the model's YAML, or its bundle document), diagram (SVG and path highlights for the UI)",
        role: Some("viewer"),
        query: &[
            ("component", "blast-radius: the component"),
            ("to", "paths: only paths to this asset"),
            ("k", "paths: paths per goal, 1 to 20 (default 3)"),
        ],
        body: Body::None,
        answers: ("200", JSON),
    },
    Operation {
        method: "get",
        path: "/api/projects/{project}/diff",
        summary: "What changed between two versions (the JSON of gambit diff)",
        role: Some("viewer"),
        query: &[
            ("from", "The old version (a number or latest)"),
            ("to", "The new version"),
        ],
        body: Body::None,
        answers: ("200", JSON),
    },
    Operation {
        method: "get",
        path: "/api/projects/{project}/trend",
        summary: "Open threats by severity and exposed crown jewels per version, as analysed when pushed (`versions`), and for the latest version analysed now, with the decisions recorded since (`current`, null before the first push)",
        role: Some("viewer"),
        query: &[],
        body: Body::None,
        answers: ("200", JSON),
    },
    Operation {
        method: "post",
        path: "/api/projects/{project}/ask",
        summary: "A question in plain words: the query understood, the answer, and the result",
        role: Some("viewer"),
        query: &[],
        body: Body::Json("Question"),
        answers: ("200", JSON),
    },
    Operation {
        method: "get",
        path: "/api/projects/{project}/decisions",
        summary: "The risk decisions recorded through the API, oldest first",
        role: Some("viewer"),
        query: &[],
        body: Body::None,
        answers: ("200", JSON),
    },
    Operation {
        method: "post",
        path: "/api/projects/{project}/decisions",
        summary: "Records a risk decision (append-only; the latest on a threat applies)",
        role: Some("editor"),
        query: &[],
        body: Body::Json("Decision"),
        answers: ("201", JSON),
    },
    Operation {
        method: "get",
        path: "/api/projects/{project}/risks",
        summary: "The decisions as the model's risks: section",
        role: Some("viewer"),
        query: &[],
        body: Body::None,
        answers: ("200", YAML),
    },
    Operation {
        method: "get",
        path: "/api/audit",
        summary: "The audit log, newest first",
        role: Some("admin"),
        query: &[
            ("before", "Only entries older than this id"),
            ("limit", "At most this many (1 to 1000, default 100)"),
        ],
        body: Body::None,
        answers: ("200", JSON),
    },
];

fn schemas() -> Value {
    json!({
        "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}},
        "Diagnostics": {"type": "object", "description": "The document of `gambit validate --format json`", "required": ["diagnostics", "errors", "warnings", "valid"], "properties": {"diagnostics": {"type": "array", "items": {"type": "object"}}, "errors": {"type": "integer"}, "warnings": {"type": "integer"}, "valid": {"type": "boolean"}}},
        "NewProject": {"type": "object", "additionalProperties": false, "required": ["name"], "properties": {"name": {"type": "string", "pattern": "^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$"}}},
        "Question": {"type": "object", "additionalProperties": false, "required": ["question"], "properties": {"question": {"type": "string", "maxLength": 500}, "version": {"type": "string", "description": "A version number or latest (default)"}}},
        "Bundle": {"type": "object", "additionalProperties": false, "required": ["entry", "files"], "description": "A model split over several files: `include:` resolves among these files only. Every file must be part of the model; paths are relative, `/`-separated, each part ASCII letters, digits, `.`, `_`, `-`, `+`, `@` or inner spaces (not `.` or `..`, not ending in `.`), and unique regardless of case", "properties": {"entry": {"type": "string", "description": "The model's top file, one of `files`"}, "files": {"type": "object", "maxProperties": crate::bundle::MAX_FILES, "propertyNames": {"maxLength": crate::bundle::MAX_PATH, "pattern": "^[A-Za-z0-9._+@ -]+(/[A-Za-z0-9._+@ -]+)*$"}, "additionalProperties": {"type": "string"}, "description": "Each file's path and text; together at most the server's --max-size bytes"}}},
        "Decision": {"type": "object", "additionalProperties": false, "required": ["threat", "status"], "properties": {"threat": {"type": "string"}, "status": {"enum": ["open", "in-progress", "mitigated", "accepted", "false-positive"]}, "justification": {"type": "string"}, "owner": {"type": "string"}, "ticket": {"type": "string"}, "expires": {"type": "string", "format": "date"}}},
    })
}

fn operation(op: &Operation) -> Value {
    let mut parameters: Vec<Value> = op
        .path
        .split('/')
        .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
        .collect();
    parameters.extend(op.query.iter().map(|(name, description)| {
        json!({"name": name, "in": "query", "required": name == &"from" || name == &"to" && op.path.ends_with("/diff"), "description": description, "schema": {"type": "string"}})
    }));
    let error = json!({"description": "An error", "content": {JSON: {"schema": {"$ref": "#/components/schemas/Error"}}}});
    let (status, media) = op.answers;
    let mut responses = json!({status: {"description": "Success", "content": {media: {}}}});
    if op.role.is_some() {
        responses["401"] = error.clone();
        responses["403"] = error.clone();
        responses["429"] = error.clone();
    }
    if op.path.contains('{') {
        responses["404"] = error.clone();
    }
    let mut value =
        json!({"summary": op.summary, "parameters": parameters, "responses": responses});
    match op.body {
        Body::None => {}
        Body::Json(schema) => {
            value["requestBody"] = json!({"required": true, "content": {JSON: {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}});
            value["responses"]["400"] = error.clone();
        }
        Body::Model => {
            value["requestBody"] = json!({"required": true, "description": "A Gambit model: one YAML or JSON file, or a bundle of a model's files", "content": {YAML: {}, JSON: {}, crate::bundle::MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Bundle"}}}});
            value["responses"]["422"] = json!({"description": "The model is invalid", "content": {JSON: {"schema": {"$ref": "#/components/schemas/Diagnostics"}}}});
            value["responses"]["413"] = json!({"description": "The model is over the size limit"});
        }
    }
    match op.role {
        Some(role) => {
            value["security"] = json!([{"token": []}]);
            value["description"] = format!("Needs the {role} role.").into();
        }
        None => value["security"] = json!([]),
    }
    value
}

/// The document.
pub fn document() -> Value {
    let mut paths = serde_json::Map::new();
    for op in OPERATIONS {
        let item = paths.entry(op.path).or_insert_with(|| json!({}));
        item[op.method] = operation(op);
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Gambit server", "version": env!("CARGO_PKG_VERSION"), "description": "Every model version of a project with its analysis; the JSON documents are those of the gambit CLI's --format json."},
        "paths": paths,
        "components": {
            "schemas": schemas(),
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer", "description": "A token from `gambit token create`"}},
        },
        "security": [{"token": []}],
    })
}

pub async fn serve() -> Response {
    crate::api::json(&document())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The routes written in the router, read from its source: `(path, method)`.
    fn routed() -> Vec<(String, String)> {
        let mut found = Vec::new();
        for source in [include_str!("api.rs"), include_str!("ui.rs")] {
            for chunk in source.split(".route(").skip(1) {
                let end = [".route_layer", ";", "\n}"]
                    .iter()
                    .filter_map(|stop| chunk.find(stop))
                    .min()
                    .unwrap_or(chunk.len());
                let call = &chunk[..end];
                let path = call.split('"').nth(1).expect("a path literal");
                for method in ["get", "post"] {
                    if call.contains(&format!("{method}(")) {
                        found.push((path.to_owned(), method.to_owned()));
                    }
                }
            }
        }
        found.sort();
        found
    }

    #[test]
    fn every_route_is_documented_and_every_operation_routed() {
        let mut documented: Vec<(String, String)> = OPERATIONS
            .iter()
            .map(|op| (op.path.to_owned(), op.method.to_owned()))
            .collect();
        documented.sort();
        assert_eq!(routed(), documented);
    }

    #[test]
    fn the_document_is_openapi_3_1_with_every_path() {
        let doc = document();
        assert_eq!(doc["openapi"], "3.1.0");
        for op in OPERATIONS {
            let o = &doc["paths"][op.path][op.method];
            assert!(o.is_object(), "{} {}", op.method, op.path);
            for seg in op.path.split('/').filter(|s| s.starts_with('{')) {
                let name = &seg[1..seg.len() - 1];
                assert!(
                    o["parameters"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|p| p["name"] == name && p["in"] == "path"),
                    "{} lacks the path parameter {name}",
                    op.path
                );
            }
            if let Body::Json(schema) = op.body {
                assert!(doc["components"]["schemas"][schema].is_object(), "{schema}");
            }
            if op.body == Body::Model {
                let bundle = &o["requestBody"]["content"][crate::bundle::MEDIA_TYPE]["schema"];
                assert_eq!(bundle["$ref"], "#/components/schemas/Bundle");
                assert!(doc["components"]["schemas"]["Bundle"]["properties"]["files"].is_object());
            }
        }
    }
}
