//! How a request fails: a status and `{"error": {"code", "message"}}`, or for an invalid
//! model 422 with the diagnostics document of `validate --format json`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::store::StoreError;

#[derive(Debug)]
pub enum ApiError {
    /// 400: a body or query that cannot be read.
    BadRequest(String),
    /// 401: no token, or one the store does not know.
    Unauthorized,
    /// 403: the token's role or project does not allow this.
    Forbidden(String),
    /// 404.
    NotFound(String),
    /// 405: the route exists, not with this method.
    MethodNotAllowed,
    /// 409: the write conflicts with what is stored.
    Conflict(String),
    /// 422: the model is invalid; the diagnostics document.
    InvalidModel(serde_json::Value),
    /// 422: the request is well formed but names something that is not there.
    Unprocessable(String),
    /// 429: the token's rate is used up.
    TooManyRequests,
    /// 502: the configured question-translation service failed.
    Upstream(String),
    /// 500: the store failed; the details go to the log, not to the caller.
    Internal(String),
}

impl ApiError {
    fn parts(&self) -> (StatusCode, &'static str, String) {
        match self {
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, "bad-request", m.clone()),
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "give an API token: `Authorization: Bearer TOKEN` (see `gambit token create`)"
                    .into(),
            ),
            ApiError::Forbidden(m) => (StatusCode::FORBIDDEN, "forbidden", m.clone()),
            ApiError::NotFound(m) => (StatusCode::NOT_FOUND, "not-found", m.clone()),
            ApiError::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "method-not-allowed",
                "this route does not take this method (see /openapi.json)".into(),
            ),
            ApiError::Conflict(m) => (StatusCode::CONFLICT, "conflict", m.clone()),
            ApiError::InvalidModel(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-model",
                String::new(),
            ),
            ApiError::Unprocessable(m) => {
                (StatusCode::UNPROCESSABLE_ENTITY, "unprocessable", m.clone())
            }
            ApiError::TooManyRequests => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate-limited",
                "too many requests with this token; slow down".into(),
            ),
            ApiError::Upstream(m) => (StatusCode::BAD_GATEWAY, "upstream", m.clone()),
            ApiError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the server failed; the error is in its log".into(),
            ),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(m) => ApiError::Conflict(m),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            eprintln!("gambit serve: internal error: {detail}");
        }
        let (status, code, message) = self.parts();
        let body = match self {
            ApiError::InvalidModel(doc) => doc,
            _ => serde_json::json!({"error": {"code": code, "message": message}}),
        };
        let mut response = (status, body.to_string()).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}
