//! `gambit push`: uploads one model version to a server (for CI), over HTTPS with
//! rustls or plain HTTP on a trusted network.

use std::time::Duration;

/// Why a push failed.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    /// The server could not be reached, or its answer could not be read.
    #[error("{0}")]
    Transport(String),
    /// The server refused the model (422: the diagnostics document) or the request.
    #[error("the server answered {status}: {body}")]
    Rejected { status: u16, body: String },
}

/// The largest answer read back (a summary; diagnostics of an invalid model).
const MAX_ANSWER: u64 = 16 * 1024 * 1024;

/// Sends `model` (the text of a YAML or JSON model) as a new version of `project`;
/// returns the server's answer (the version number and summary, as JSON).
pub fn push(
    server: &str,
    project: &str,
    token: &str,
    model: &str,
    revision: Option<&str>,
    json: bool,
) -> Result<String, PushError> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(300)))
        .http_status_as_error(false)
        .build()
        .into();
    let url = format!(
        "{}/api/projects/{}/models",
        server.trim_end_matches('/'),
        encode(project)
    );
    let mut request = agent
        .post(&url)
        .header("Authorization", &format!("Bearer {token}"))
        .header(
            "Content-Type",
            if json {
                "application/json"
            } else {
                "text/yaml"
            },
        );
    if let Some(rev) = revision {
        request = request.query("revision", rev);
    }
    let mut response = request
        .send(model)
        .map_err(|e| PushError::Transport(format!("{url}: {e}")))?;
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(MAX_ANSWER)
        .read_to_string()
        .map_err(|e| PushError::Transport(format!("the answer of {url}: {e}")))?;
    if (200..300).contains(&status) {
        Ok(body)
    } else {
        Err(PushError::Rejected { status, body })
    }
}

/// A path segment, percent-encoded (project names are plain, but a typo should give a
/// 404 rather than a different path).
fn encode(segment: &str) -> String {
    segment
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
