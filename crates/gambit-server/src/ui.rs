//! The web UI: three files compiled into the binary (no build step, no Node.js, no
//! third-party requests), and the diagram document its script draws from. The diagram
//! is gambit-report's own SVG, whose nodes and flows carry `data-id`: the script
//! highlights attack paths by those ids, as the HTML report does.

use axum::Router;
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;

use gambit_graph::Step;
use gambit_report::diagram::{DiagramOptions, Scene, layout, svg};
use gambit_report::highlight::Highlight;

use crate::analysis::Analyzed;
use crate::api::AppState;
use crate::error::ApiError;

const INDEX: &str = include_str!("ui/index.html");
const SCRIPT: &str = include_str!("ui/app.js");
const STYLE: &str = include_str!("ui/app.css");

/// Every response's Content-Security-Policy: only this origin's own files; no inline
/// script or style, no frames, no other hosts. The diagram's own style sheet is applied
/// by the script through the CSS object model, which the policy allows.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

pub fn routes() -> Router<std::sync::Arc<AppState>> {
    Router::new()
        .route("/", get(index))
        .route("/ui/{file}", get(file))
}

async fn index() -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], INDEX).into_response()
}

async fn file(Path(name): Path<String>) -> Response {
    match name.as_str() {
        "app.js" => (
            [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
            SCRIPT,
        )
            .into_response(),
        "app.css" => ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE).into_response(),
        _ => ApiError::NotFound("no such file".into()).into_response(),
    }
}

/// What the UI draws for a version: the SVG, and each attack path with the elements it
/// highlights (numbered by step) and its steps.
#[derive(Serialize)]
pub struct Diagram<'a> {
    pub assets: Vec<AssetItem<'a>>,
    pub paths: Vec<PathItem<'a>>,
    pub svg: String,
}

#[derive(Serialize)]
pub struct AssetItem<'a> {
    pub crown_jewel: bool,
    pub id: &'a str,
}

#[derive(Serialize)]
pub struct PathItem<'a> {
    pub access: &'a str,
    pub asset: &'a str,
    pub attacker: &'a str,
    pub highlight: Highlight,
    pub rank: usize,
    pub steps: &'a [Step],
}

/// How wide the UI's drawing may grow, per square root of its boxes: about 6,000 px for
/// 200 components, which packs them a little wider than a screen is high (a printed
/// diagram wraps at 1,500 px and would be six times taller than wide).
const SCREEN_WIDTH_PER_ROOT: f64 = 420.0;

/// The whole model, never collapsed: `gambit diagram` collapses zones above 150 boxes for
/// a static picture, but here every component must stay on the canvas, since a person
/// searches for and clicks components and an attack path or a blast radius lights
/// elements anywhere in it. The UI's pan, zoom and search make the size workable; the
/// layout is packed for a screen (one item a column, wide bands), so the first view,
/// fitted to the whole drawing, uses the window's width.
pub fn diagram(analyzed: &Analyzed) -> Result<Diagram<'_>, String> {
    let model = &analyzed.model;
    let scene = Scene::build(model, &DiagramOptions::default())?;
    let width = (SCREEN_WIDTH_PER_ROOT * (scene.nodes.len() as f64).sqrt()).max(1500.0);
    let laid_out = layout::layout_for_screen(&scene, 1, width);
    let jewels: Vec<_> = model.crown_jewels().collect();
    Ok(Diagram {
        assets: model
            .assets
            .iter()
            .enumerate()
            .map(|(i, a)| AssetItem {
                crown_jewel: jewels.iter().any(|j| j.index() == i),
                id: &a.id,
            })
            .collect(),
        paths: analyzed
            .report
            .attack_paths
            .iter()
            .map(|p| PathItem {
                access: p.goal.access,
                asset: &p.goal.asset,
                attacker: &p.attacker,
                highlight: Highlight::from_path(model, p),
                rank: p.rank,
                steps: &p.steps,
            })
            .collect(),
        svg: svg::write_laid_out(&scene, &laid_out),
    })
}
