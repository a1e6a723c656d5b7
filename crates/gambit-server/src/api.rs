//! The HTTP API: the router, the token check, and one handler per route. Handlers parse
//! the request, call the store and the analysis, and write the same JSON documents the
//! CLI writes (built from the typed report by gambit-report's own document types).

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use tokio::sync::Semaphore;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use gambit_graph::{Analysis, Index};
use gambit_report::attack::{ExposureDocument, PathsDocument};
use gambit_report::report::{Sorted, SortedKeys};

use crate::analysis::{self, Analyzed, Cache, CacheKey, Checked};
use crate::ask;
use crate::auth::{self, Caller, RateLimiter, Role};
use crate::bundle::{self, Bundle};
use crate::error::ApiError;
use crate::store::{NewDecision, NewVersion, Selector, Store, Version};
use crate::{Config, openapi, ui};

/// Everything a handler needs, shared by all requests.
pub struct AppState {
    pub store: Store,
    pub config: Config,
    limiter: RateLimiter,
    cache: Cache,
    /// Analyses are CPU-bound: at most one per core runs at a time.
    analyses: Semaphore,
}

impl AppState {
    pub fn new(store: Store, config: Config) -> std::io::Result<Arc<AppState>> {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Ok(Arc::new(AppState {
            limiter: RateLimiter::new(config.rate_limit),
            cache: Cache::new(config.cache_entries, config.cache_bytes),
            analyses: Semaphore::new(cores),
            store,
            config,
        }))
    }
}

type Shared = State<Arc<AppState>>;
type ApiResult = Result<Response, ApiError>;

/// Bodies other than models: projects, decisions, questions.
pub const SMALL_BODY: usize = 64 * 1024;

/// The whole application: API routes and `/openapi.json` behind the token check, the UI
/// and `/health` open, and the layers every request passes.
pub fn router(state: Arc<AppState>) -> Router {
    let model_limit = usize::try_from(state.config.max_model_size).unwrap_or(usize::MAX);
    let api = Router::new()
        .route("/api/projects", get(list_projects).post(create_project))
        .route(
            "/api/projects/{project}/models",
            post(push_model).layer(DefaultBodyLimit::max(model_limit)),
        )
        .route(
            "/api/projects/{project}/models/{version}",
            get(version_info),
        )
        .route(
            "/api/projects/{project}/models/{version}/{view}",
            get(version_view),
        )
        .route("/api/projects/{project}/diff", get(diff))
        .route("/api/projects/{project}/trend", get(trend))
        .route("/api/projects/{project}/ask", post(ask_question))
        .route(
            "/api/projects/{project}/decisions",
            get(list_decisions).post(record_decision),
        )
        .route("/api/projects/{project}/risks", get(risks))
        .route("/api/audit", get(audit))
        .route("/openapi.json", get(openapi::serve))
        .route_layer(middleware::from_fn_with_state(state.clone(), authenticate));
    let open = Router::new()
        .route("/health", get(health))
        .merge(ui::routes());
    let timeout = Duration::from_secs(state.config.request_timeout_secs);
    open.merge(api)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(SMALL_BODY))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(ui::CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        // A backstop: handlers return errors, they do not panic; if one ever does, the
        // caller gets a 500 and the server goes on.
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::Internal("a handler panicked".into()).into_response()
        }))
        .layer(middleware::map_response(json_errors))
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::NotFound("no such route (see /openapi.json)".into())
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

/// Errors that axum's extractors and layers answer in plain text (a query or path that
/// does not parse, a body over its limit, a timeout) are rewritten as the API's JSON
/// error, so a client reads one shape whatever failed.
async fn json_errors(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, SMALL_BODY)
        .await
        .unwrap_or_default();
    let message = String::from_utf8_lossy(&text).trim().to_owned();
    let code = status
        .canonical_reason()
        .unwrap_or("error")
        .to_ascii_lowercase()
        .replace(' ', "-");
    let body = serde_json::json!({"error": {"code": code, "message": message}}).to_string();
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(body))
}

async fn health(State(state): Shared) -> Response {
    json(&serde_json::json!({"status": "ok", "store": state.store.backend()}))
}

/// The token check: `Authorization: Bearer TOKEN`, looked up by its hash, then the
/// token's rate. The caller goes to the handler as an extension.
async fn authenticate(State(state): Shared, mut request: Request, next: Next) -> Response {
    let caller = match caller(&state, request.headers()).await {
        Ok(caller) => caller,
        Err(e) => return e.into_response(),
    };
    if !state.limiter.allow(&caller.name) {
        return ApiError::TooManyRequests.into_response();
    }
    request.extensions_mut().insert(caller);
    next.run(request).await
}

async fn caller(state: &AppState, headers: &HeaderMap) -> Result<Caller, ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(ApiError::Unauthorized)?;
    let row = state
        .store
        .token_by_hash(&auth::hash_token(token))
        .await?
        .ok_or(ApiError::Unauthorized)?;
    Ok(Caller {
        name: row.name,
        role: row.role,
        project: row.project,
    })
}

fn require(caller: &Caller, role: Role, project: Option<&str>) -> Result<(), ApiError> {
    if caller.may(role, project) {
        return Ok(());
    }
    let what = match project {
        Some(p) => format!("the project `{p}`"),
        None => "this".into(),
    };
    Err(ApiError::Forbidden(format!(
        "the token `{}` ({}) may not do this on {what}: it needs the {} role{}",
        caller.name,
        caller.role.as_str(),
        role.as_str(),
        if caller.project.is_some() {
            " and this project"
        } else {
            ""
        }
    )))
}

/// A JSON document, pretty-printed as the CLI prints it.
pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> Response {
    let mut body = Vec::new();
    match gambit_report::report::write_json(value, &mut body) {
        Ok(()) => ([(header::CONTENT_TYPE, "application/json")], body).into_response(),
        Err(e) => ApiError::Internal(e.to_string()).into_response(),
    }
}

/// A small JSON body into `T`, with unknown keys refused and the error located.
fn parse_body<T: DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::BadRequest(format!("the JSON body: {e}")))
}

/// The caller, put there by [`authenticate`].
type CallerExt = axum::Extension<Caller>;

// ---- projects ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewProject {
    name: String,
}

/// A project name: what fits in a URL path segment and a file name.
fn valid_project_name(name: &str) -> Result<(), ApiError> {
    let ok = !name.is_empty()
        && name.len() <= 100
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && !name.starts_with('.');
    if ok {
        Ok(())
    } else {
        Err(ApiError::BadRequest(format!(
            "`{}` is not a project name: use 1 to 100 letters, digits, `-`, `_` and `.`, not starting with `.`",
            name.chars().take(100).collect::<String>()
        )))
    }
}

async fn create_project(
    State(state): Shared,
    axum::Extension(caller): CallerExt,
    body: Bytes,
) -> ApiResult {
    let new: NewProject = parse_body(&body)?;
    valid_project_name(&new.name)?;
    require(&caller, Role::Editor, Some(&new.name))?;
    let project = state.store.create_project(&new.name, &caller.name).await?;
    Ok((StatusCode::CREATED, json(&project)).into_response())
}

async fn list_projects(State(state): Shared, axum::Extension(caller): CallerExt) -> ApiResult {
    require(&caller, Role::Viewer, None)?;
    let mut projects = state.store.projects().await?;
    projects.retain(|p| caller.may(Role::Viewer, Some(&p.name)));
    Ok(json(&serde_json::json!({"projects": projects})))
}

/// The id of a project the caller may use with `role`.
async fn project(
    state: &AppState,
    caller: &Caller,
    role: Role,
    name: &str,
) -> Result<i64, ApiError> {
    require(caller, role, Some(name))?;
    state
        .store
        .project_id(name)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no project `{name}`")))
}

// ---- model versions ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PushQuery {
    revision: Option<String>,
}

async fn push_model(
    State(state): Shared,
    axum::Extension(caller): CallerExt,
    Path(name): Path<String>,
    Query(query): Query<PushQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let project_id = project(&state, &caller, Role::Editor, &name).await?;
    if let Some(rev) = &query.revision
        && (rev.is_empty() || rev.len() > 100 || !rev.bytes().all(|b| b.is_ascii_graphic()))
    {
        return Err(ApiError::BadRequest(
            "`revision` is 1 to 100 printable characters (a git commit id, a tag)".into(),
        ));
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let max = state.config.max_model_size;
    let is_bundle = is_bundle(content_type);
    // The project's decisions apply, so the version's trend point counts what was open
    // when it was pushed.
    let decisions = state.store.decisions(project_id).await?;
    let (checked, stored) = if is_bundle {
        // Reading the document and writing its canonical form are CPU work on up to
        // --max-size bytes: both run with the analysis, off the async workers.
        analyze(&state, move || {
            let bundle = Bundle::parse(&body, max).map_err(|mut diags| {
                analysis::invalid(&mut diags, &gambit_model::SourceMap::default())
            })?;
            drop(body);
            let checked = analysis::check_bundle(bundle, max, &decisions);
            let stored = match &checked {
                Checked::Valid(a) => bundle::from_sources(&a.sources),
                Checked::Invalid(_) => String::new(),
            };
            Ok((checked, stored))
        })
        .await?
        .map_err(ApiError::InvalidModel)?
    } else {
        let file = analysis::single_file_name(content_type.starts_with("application/json"));
        let source = gambit_model::read_limited(body.as_ref(), file, max)
            .map_err(|d| ApiError::InvalidModel(invalid_document(&d)))?;
        let stored = source.clone();
        let checked = analyze(&state, move || {
            analysis::check(file, source, max, &decisions)
        })
        .await?;
        (checked, stored)
    };
    let analyzed = match checked {
        Checked::Valid(a) => a,
        Checked::Invalid(doc) => return Err(ApiError::InvalidModel(doc)),
    };
    let mut report_json = Vec::new();
    analyzed
        .report
        .write_json(&mut report_json)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let report_json =
        String::from_utf8(report_json).map_err(|e| ApiError::Internal(e.to_string()))?;
    let summary = &analyzed.report.summary;
    let version = state
        .store
        .add_version(
            project_id,
            &name,
            &NewVersion {
                revision: query.revision.as_deref(),
                source: &stored,
                bundle: is_bundle,
                report_json: &report_json,
                open: summary.open_threats,
                crown_jewels_exposed: summary.crown_jewels_exposed,
            },
            &caller.name,
        )
        .await?;
    let body = serde_json::json!({
        "project": name,
        "version": version,
        "revision": query.revision,
        "files": file_names(&analyzed),
        "summary": serde_json::to_value(summary).map_err(|e| ApiError::Internal(e.to_string()))?,
    });
    Ok((StatusCode::CREATED, json(&body)).into_response())
}

/// Whether a body's content type is the bundle's (parameters such as a charset aside).
fn is_bundle(content_type: &str) -> bool {
    content_type
        .split(';')
        .next()
        .is_some_and(|media| media.trim().eq_ignore_ascii_case(bundle::MEDIA_TYPE))
}

/// The model's files, the entry first, in the order the loader read them.
fn file_names(analyzed: &Analyzed) -> Vec<&str> {
    analyzed
        .sources
        .files()
        .map(|(_, f)| f.name.as_str())
        .collect()
}

/// A diagnostic with no position (the body is too large or not UTF-8) as the
/// diagnostics document.
fn invalid_document(d: &gambit_model::Diagnostic) -> serde_json::Value {
    let mut doc = gambit_model::diagnostic::json_document(
        std::slice::from_ref(d),
        &gambit_model::SourceMap::default(),
    );
    doc["valid"] = false.into();
    doc
}

/// Runs a CPU-bound analysis off the async workers, at most one per core at a time.
async fn analyze<T: Send + 'static>(
    state: &Arc<AppState>,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    let _permit = state
        .analyses
        .acquire()
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ApiError::Internal(format!("the analysis failed: {e}")))
}

fn selector(text: &str) -> Result<Selector, ApiError> {
    if text == "latest" {
        return Ok(Selector::Latest);
    }
    match text.parse::<i64>() {
        Ok(n) if n > 0 => Ok(Selector::Number(n)),
        _ => Err(ApiError::BadRequest(format!(
            "`{}` is not a version: give a number from 1, or `latest`",
            text.chars().take(40).collect::<String>()
        ))),
    }
}

/// A version of a project and its analysis (from the cache, or computed now).
pub(crate) async fn analyzed_version(
    state: &Arc<AppState>,
    project_id: i64,
    project: &str,
    which: Selector,
) -> Result<(Version, Arc<Analyzed>), ApiError> {
    let version = state
        .store
        .version(project_id, which)
        .await?
        .ok_or_else(|| match which {
            Selector::Latest => ApiError::NotFound(format!(
                "the project `{project}` has no model yet: push one (`gambit push`)"
            )),
            Selector::Number(n) => {
                ApiError::NotFound(format!("the project `{project}` has no version {n}"))
            }
        })?;
    let decisions = state.store.decisions(project_id).await?;
    let key = CacheKey {
        version_id: version.id,
        last_decision: decisions.last().map(|d| d.id),
        day: gambit_rules::today_utc().to_string(),
    };
    if let Some(hit) = state.cache.get(&key) {
        return Ok((version, hit));
    }
    let source = version.source.clone();
    let max = state.config.max_model_size;
    let bundle = version.bundle;
    let checked = analyze(state, move || {
        if !bundle {
            let name = analysis::single_file_name(analysis::stored_as_json(&source));
            return analysis::check(name, source, max, &decisions);
        }
        match Bundle::parse(source.as_bytes(), max) {
            Ok(files) => analysis::check_bundle(files, max, &decisions),
            Err(mut diags) => Checked::Invalid(analysis::invalid(
                &mut diags,
                &gambit_model::SourceMap::default(),
            )),
        }
    })
    .await?;
    let analyzed = match checked {
        Checked::Valid(a) => Arc::new(*a),
        // A stored version was valid when pushed; only a change of the analysis since
        // (a new release) can make it invalid now.
        Checked::Invalid(doc) => return Err(ApiError::InvalidModel(doc)),
    };
    state.cache.put(key, analyzed.clone());
    Ok((version, analyzed))
}

async fn version_info(
    State(state): Shared,
    axum::Extension(caller): CallerExt,
    Path((name, version)): Path<(String, String)>,
) -> ApiResult {
    let project_id = project(&state, &caller, Role::Viewer, &name).await?;
    let (version, analyzed) =
        analyzed_version(&state, project_id, &name, selector(&version)?).await?;
    let report = &analyzed.report;
    Ok(json(&serde_json::json!({
        "project": name,
        "version": version,
        "files": file_names(&analyzed),
        "model": serde_json::to_value(&report.model).map_err(|e| ApiError::Internal(e.to_string()))?,
        "summary": serde_json::to_value(&report.summary).map_err(|e| ApiError::Internal(e.to_string()))?,
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ViewQuery {
    component: Option<String>,
    to: Option<String>,
    k: Option<usize>,
}

/// The views of one version: `threats`, `paths`, `exposure`, `chokepoints`,
/// `blast-radius`, `report` (all of `analyze --format json`), `source`, and `diagram`
/// (the SVG with each attack path's highlight, for the UI).
async fn version_view(
    State(state): Shared,
    axum::Extension(caller): CallerExt,
    Path((name, version, view)): Path<(String, String, String)>,
    Query(query): Query<ViewQuery>,
) -> ApiResult {
    const VIEWS: [&str; 8] = [
        "threats",
        "paths",
        "exposure",
        "chokepoints",
        "blast-radius",
        "report",
        "source",
        "diagram",
    ];
    if !VIEWS.contains(&view.as_str()) {
        let hint = ask::hint(&view, VIEWS);
        return Err(ApiError::NotFound(format!(
            "no view `{}` of a model version{hint}",
            view.chars().take(40).collect::<String>()
        )));
    }
    let project_id = project(&state, &caller, Role::Viewer, &name).await?;
    let (version, analyzed) =
        analyzed_version(&state, project_id, &name, selector(&version)?).await?;
    if view == "source" {
        // A bundle's source is its canonical document, which can be pushed again as is.
        let media = if version.bundle {
            bundle::MEDIA_TYPE
        } else {
            "text/yaml; charset=utf-8"
        };
        return Ok(([(header::CONTENT_TYPE, media)], version.source).into_response());
    }
    analyze(&state, move || render_view(&analyzed, &view, &query)).await?
}

/// One view of an analysed version, with the document types the CLI prints.
fn render_view(analyzed: &Analyzed, view: &str, query: &ViewQuery) -> ApiResult {
    let model = &analyzed.model;
    let report = &analyzed.report;
    Ok(match view {
        "threats" => json(&ThreatsDocument {
            threats: &report.threats,
        }),
        "report" => json(report),
        "paths" => {
            let to = match &query.to {
                Some(id) => Some(vec![ask::asset(model, id)?]),
                None => None,
            };
            let k = query.k.unwrap_or(3).clamp(1, 20);
            let paths = Analysis::run(model, &[]).paths(k, to.as_deref());
            json(&PathsDocument {
                attack_paths: SortedKeys(&paths),
            })
        }
        "exposure" => json(&ExposureDocument {
            exposure: SortedKeys(&report.exposure),
        }),
        "chokepoints" => json(&Sorted(&Analysis::run(model, &[]).chokepoints())),
        "blast-radius" => {
            let id = query.component.as_deref().ok_or_else(|| {
                ApiError::BadRequest("give the component: `?component=ID`".into())
            })?;
            let from = ask::component(model, id)?;
            let index = Index::new(model);
            json(&Sorted(&gambit_graph::blast_radius(model, &index, from)))
        }
        "diagram" => (
            [(header::CONTENT_TYPE, "application/json")],
            analyzed.diagram_json().map_err(ApiError::Internal)?,
        )
            .into_response(),
        other => return Err(ApiError::NotFound(format!("no view `{other}`"))),
    })
}

/// `{"threats": [...]}`: the threats of `analyze --format json`.
#[derive(serde::Serialize)]
struct ThreatsDocument<'a> {
    threats: &'a [gambit_rules::Threat],
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DiffQuery {
    from: String,
    to: String,
}

async fn diff(
    State(state): Shared,
    axum::Extension(caller): CallerExt,
    Path(name): Path<String>,
    Query(query): Query<DiffQuery>,
) -> ApiResult {
    let project_id = project(&state, &caller, Role::Viewer, &name).await?;
    let (_, old) = analyzed_version(&state, project_id, &name, selector(&query.from)?).await?;
    let (_, new) = analyzed_version(&state, project_id, &name, selector(&query.to)?).await?;
    Ok(json(&gambit_report::diff::diff(&old.report, &new.report)))
}

async fn trend(
    State(state): Shared,
    axum::Extension(caller): CallerExt,
    Path(name): Path<String>,
) -> ApiResult {
    let project_id = project(&state, &caller, Role::Viewer, &name).await?;
    let points = state.store.trend(project_id).await?;
    // Each point is history: the version as analysed when pushed. Decisions recorded
    // since, and acceptances that have expired, show in `current`: the latest version
    // analysed today.
    let current = match points.last() {
        Some(_) => {
            let (version, analyzed) =
                analyzed_version(&state, project_id, &name, Selector::Latest).await?;
            let summary = &analyzed.report.summary;
            serde_json::json!({
                "version": version.version,
                "open_threats": summary.open_threats,
                "crown_jewels_exposed": summary.crown_jewels_exposed,
            })
        }
        None => serde_json::Value::Null,
    };
    Ok(json(
        &serde_json::json!({"project": name, "versions": points, "current": current}),
    ))
}

// ---- questions ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Question {
    question: String,
    version: Option<String>,
}

async fn ask_question(
    State(state): Shared,
    axum::Extension(caller): CallerExt,
    Path(name): Path<String>,
    body: Bytes,
) -> ApiResult {
    let question: Question = parse_body(&body)?;
    if question.question.chars().count() > ask::MAX_QUESTION {
        return Err(ApiError::BadRequest(format!(
            "a question is at most {} characters",
            ask::MAX_QUESTION
        )));
    }
    let project_id = project(&state, &caller, Role::Viewer, &name).await?;
    let which = selector(question.version.as_deref().unwrap_or("latest"))?;
    let (version, analyzed) = analyzed_version(&state, project_id, &name, which).await?;
    let parsed = match ask::parse(&question.question, &analyzed.model) {
        Ok(query) => Ok(query),
        Err(not_understood) => match &state.config.llm {
            Some(llm) => ask::llm::translate(llm, &question.question, &analyzed.model)
                .await
                .map_err(ApiError::Upstream)?
                .ok_or(not_understood),
            None => Err(not_understood),
        },
    };
    let query = match parsed {
        Ok(query) => query,
        Err(not_understood) => return Ok(json(&not_understood)),
    };
    let previous = match (&query, version.version) {
        (ask::Query::Changes, n) if n > 1 => Some(
            analyzed_version(&state, project_id, &name, Selector::Number(n - 1))
                .await?
                .1,
        ),
        _ => None,
    };
    let answer = analyze(&state, move || {
        ask::answer(&query, &analyzed, previous.as_deref())
    })
    .await??;
    Ok(json(&answer))
}

// ---- risk decisions and the audit log ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DecisionBody {
    threat: String,
    status: String,
    justification: Option<String>,
    owner: Option<String>,
    ticket: Option<String>,
    expires: Option<String>,
}

async fn record_decision(
    State(state): Shared,
    axum::Extension(caller): CallerExt,
    Path(name): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body: DecisionBody = parse_body(&body)?;
    let project_id = project(&state, &caller, Role::Editor, &name).await?;
    let decision = check_decision(body)?;
    let (_, analyzed) = analyzed_version(&state, project_id, &name, Selector::Latest).await?;
    let threats = &analyzed.report.threats;
    let known = threats
        .iter()
        .any(|t| t.id == decision.threat || t.also.contains(&decision.threat));
    if !known {
        let hint = ask::hint(&decision.threat, threats.iter().map(|t| t.id.as_str()));
        return Err(ApiError::Unprocessable(format!(
            "the latest model has no threat `{}`{hint}",
            decision.threat
        )));
    }
    let row = state
        .store
        .add_decision(project_id, &name, &decision, &caller.name)
        .await?;
    Ok((StatusCode::CREATED, json(&row)).into_response())
}

/// A decision body checked as the model's `risks:` entries are: a known status, an
/// expiry date on acceptances, short texts.
fn check_decision(body: DecisionBody) -> Result<NewDecision, ApiError> {
    use gambit_model::vocab::{RiskStatus, Vocab};
    let status = RiskStatus::parse(&body.status).ok_or_else(|| {
        ApiError::BadRequest(format!(
            "`status` is one of open, in-progress, mitigated, accepted, false-positive, not `{}`",
            body.status.chars().take(40).collect::<String>()
        ))
    })?;
    if let Some(e) = &body.expires {
        gambit_rules::parse_date(e).map_err(|m| ApiError::BadRequest(format!("`expires`: {m}")))?;
    }
    if status == RiskStatus::Accepted && (body.justification.is_none() || body.expires.is_none()) {
        return Err(ApiError::BadRequest(
            "an acceptance needs a `justification` and an `expires` date".into(),
        ));
    }
    let texts = [
        &Some(body.threat.clone()),
        &body.justification,
        &body.owner,
        &body.ticket,
    ];
    if texts.iter().any(|t| {
        t.as_ref()
            .is_some_and(|t| t.len() > 2000 || t.chars().any(|c| c.is_control() && c != '\n'))
    }) {
        return Err(ApiError::BadRequest(
            "decision texts are at most 2000 bytes, without control characters".into(),
        ));
    }
    Ok(NewDecision {
        threat: body.threat,
        status: status.as_str().to_owned(),
        justification: body.justification,
        owner: body.owner,
        ticket: body.ticket,
        expires: body.expires,
    })
}

async fn list_decisions(
    State(state): Shared,
    axum::Extension(caller): CallerExt,
    Path(name): Path<String>,
) -> ApiResult {
    let project_id = project(&state, &caller, Role::Viewer, &name).await?;
    let decisions = state.store.decisions(project_id).await?;
    Ok(json(&serde_json::json!({"decisions": decisions})))
}

/// The decisions as the model's `risks:` section (YAML).
async fn risks(
    State(state): Shared,
    axum::Extension(caller): CallerExt,
    Path(name): Path<String>,
) -> ApiResult {
    let project_id = project(&state, &caller, Role::Viewer, &name).await?;
    let decisions = state.store.decisions(project_id).await?;
    Ok((
        [(header::CONTENT_TYPE, "text/yaml; charset=utf-8")],
        analysis::risks_yaml(&decisions),
    )
        .into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AuditQuery {
    before: Option<i64>,
    limit: Option<i64>,
}

async fn audit(
    State(state): Shared,
    axum::Extension(caller): CallerExt,
    Query(query): Query<AuditQuery>,
) -> ApiResult {
    require(&caller, Role::Admin, None)?;
    let limit = query.limit.unwrap_or(100).clamp(1, 1000);
    let entries = state.store.audit(query.before, limit).await?;
    Ok(json(&serde_json::json!({"entries": entries})))
}
