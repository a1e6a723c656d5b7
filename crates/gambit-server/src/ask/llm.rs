//! The optional question translator: an OpenAI-compatible chat-completions endpoint
//! (off unless configured) that turns a question the keyword parser missed into the
//! same [`Query`]. It is sent the question and the model's element ids, nothing else
//! (no descriptions, no flows, no threats), and its reply is read as a strict `Query`
//! whose names must exist in the model; anything else counts as "not understood".

use std::time::Duration;

use gambit_model::Model;

use super::{Query, names_exist};

/// Where the service is. The key is read from the environment, never from a flag, so
/// it does not show in process listings.
#[derive(Clone, Debug)]
pub struct LlmConfig {
    /// The base URL, e.g. `https://api.example.com/v1` (`/chat/completions` is appended).
    pub url: String,
    pub key: Option<String>,
    pub model: String,
}

/// The largest reply read from the service.
const MAX_REPLY: u64 = 256 * 1024;

/// The instructions: the JSON shapes of [`Query`], and the element ids.
fn system_prompt(model: &Model) -> String {
    let ids = |it: &mut dyn Iterator<Item = &str>| it.collect::<Vec<_>>().join(", ");
    format!(
        "Translate the user's question about a threat model into one JSON object, and reply with \
         that object only. Shapes: {{\"kind\":\"exposure\",\"attacker\":null}}, \
         {{\"kind\":\"blast-radius\",\"component\":ID}}, {{\"kind\":\"paths\",\"asset\":ID}}, \
         {{\"kind\":\"access\",\"element\":ID}}, {{\"kind\":\"who-can\",\"access\":\"read\"|\"write\",\"asset\":ID}}, \
         {{\"kind\":\"threats\",\"at_least\":\"low\"|\"medium\"|\"elevated\"|\"high\"|\"critical\"}}, \
         {{\"kind\":\"changes\"}}, {{\"kind\":\"fix-first\"}}. If none fits, reply {{\"kind\":null}}.\n\
         Components: {}\nAssets: {}\nActors: {}",
        ids(&mut model.components.iter().map(|c| c.id.as_str())),
        ids(&mut model.assets.iter().map(|a| a.id.as_str())),
        ids(&mut model.actors.iter().map(|a| a.id.as_str())),
    )
}

/// Asks the service; `Ok(None)` when its reply is not a query about this model.
pub async fn translate(
    config: &LlmConfig,
    question: &str,
    model: &Model,
) -> Result<Option<Query>, String> {
    let body = serde_json::json!({
        "model": config.model,
        "temperature": 0,
        "messages": [
            {"role": "system", "content": system_prompt(model)},
            {"role": "user", "content": question},
        ],
    })
    .to_string();
    let config = config.clone();
    let reply = tokio::task::spawn_blocking(move || post(&config, &body))
        .await
        .map_err(|e| e.to_string())??;
    let query = content(&reply).and_then(|c| serde_json::from_str::<Query>(c.trim()).ok());
    Ok(query.filter(|q| names_exist(q, model)))
}

/// The first choice's message text of a chat-completions reply.
fn content(reply: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Reply {
        choices: Vec<Choice>,
    }
    #[derive(serde::Deserialize)]
    struct Choice {
        message: Message,
    }
    #[derive(serde::Deserialize)]
    struct Message {
        content: String,
    }
    let reply: Reply = serde_json::from_str(reply).ok()?;
    reply.choices.into_iter().next().map(|c| c.message.content)
}

fn post(config: &LlmConfig, body: &str) -> Result<String, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into();
    let url = format!("{}/chat/completions", config.url.trim_end_matches('/'));
    let mut request = agent.post(&url).header("Content-Type", "application/json");
    if let Some(key) = &config.key {
        request = request.header("Authorization", &format!("Bearer {key}"));
    }
    let mut response = request
        .send(body)
        .map_err(|e| format!("the question service at {url}: {e}"))?;
    response
        .body_mut()
        .with_config()
        .limit(MAX_REPLY)
        .read_to_string()
        .map_err(|e| format!("the question service's reply: {e}"))
}
