//! The bot's own small REST client for the calls it makes after a question
//! arrives: interaction callbacks, follow-ups, edits, channel messages, pins
//! and the permission lookups. It honours 429 `retry_after` with bounded
//! retries, which serenity 0.12.5 cannot do once its rate limiter is off
//! (required for `discord.api_url`): it drops the body that carries the wait.
//!
//! Boundary: JSON in, JSON out. The token lives only in the `Authorization`
//! header; errors never include the token or a URL (interaction tokens sit in
//! webhook URLs).

use std::time::Duration;

use reqwest::{Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

/// Retries after a 429 or a server error before giving up.
const MAX_RETRIES: u32 = 4;
/// Never wait longer than this for one retry.
const MAX_WAIT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum RestError {
    #[error("Discord answered {status} (code {code}): {message}")]
    Discord {
        status: u16,
        code: i64,
        message: String,
    },
    #[error("Discord could not be reached: {0}")]
    Transport(String),
}

impl RestError {
    /// Discord's JSON error code, when Discord answered with one.
    pub fn code(&self) -> Option<i64> {
        match self {
            RestError::Discord { code, .. } => Some(*code),
            RestError::Transport(_) => None,
        }
    }
}

pub struct Rest {
    client: reqwest::Client,
    base: String,
    token: SecretString,
}

impl std::fmt::Debug for Rest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rest")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

impl Rest {
    /// `base` replaces `https://discord.com` (the `discord.api_url` setting).
    pub fn new(base: Option<&str>, token: SecretString) -> anyhow::Result<Rest> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .user_agent(concat!(
                "DiscordBot (verbatim, ",
                env!("CARGO_PKG_VERSION"),
                ")"
            ))
            .build()?;
        Ok(Rest {
            client,
            base: base
                .unwrap_or("https://discord.com")
                .trim_end_matches('/')
                .to_string(),
            token,
        })
    }

    /// Sends one request, waiting out rate limits; `Ok(None)` for an empty answer.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Option<Value>, RestError> {
        let url = format!("{}/api/v10{path}", self.base);
        let mut attempt = 0;
        loop {
            let mut request = self.client.request(method.clone(), &url).header(
                "Authorization",
                format!("Bot {}", self.token.expose_secret()),
            );
            if let Some(b) = body {
                request = request.json(b);
            }
            let response = match request.send().await {
                Ok(r) => r,
                Err(e) => return Err(RestError::Transport(e.without_url().to_string())),
            };
            let status = response.status();
            let header_wait = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<f64>().ok());
            let text = response.text().await.unwrap_or_default();
            let json: Option<Value> = serde_json::from_str(&text).ok();
            let retryable = status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error();
            if retryable && attempt < MAX_RETRIES {
                let wait = json
                    .as_ref()
                    .and_then(|j| j["retry_after"].as_f64())
                    .or(header_wait)
                    .unwrap_or(0.5 * f64::from(1u32 << attempt));
                let wait = Duration::from_secs_f64(wait.max(0.0)).min(MAX_WAIT);
                tracing::warn!(
                    status = status.as_u16(),
                    wait_ms = wait.as_millis() as u64,
                    attempt,
                    "Discord asked to retry"
                );
                tokio::time::sleep(wait).await;
                attempt += 1;
                continue;
            }
            if status.is_success() {
                return Ok(json);
            }
            let json = json.unwrap_or(Value::Null);
            return Err(RestError::Discord {
                status: status.as_u16(),
                code: json["code"].as_i64().unwrap_or(0),
                message: json["message"].as_str().unwrap_or("no message").to_string(),
            });
        }
    }

    /// Answers an interaction (`POST /interactions/{id}/{token}/callback`).
    pub async fn callback(&self, id: u64, token: &str, body: &Value) -> Result<(), RestError> {
        self.send(
            Method::POST,
            &format!("/interactions/{id}/{token}/callback"),
            Some(body),
        )
        .await
        .map(drop)
    }

    /// A follow-up message; the first after a deferral replaces the "thinking…" message.
    pub async fn followup(&self, app: u64, token: &str, body: &Value) -> Result<Value, RestError> {
        self.send(
            Method::POST,
            &format!("/webhooks/{app}/{token}"),
            Some(body),
        )
        .await
        .map(Option::unwrap_or_default)
    }

    /// Edits the message an interaction belongs to.
    pub async fn edit_original(
        &self,
        app: u64,
        token: &str,
        body: &Value,
    ) -> Result<(), RestError> {
        self.send(
            Method::PATCH,
            &format!("/webhooks/{app}/{token}/messages/@original"),
            Some(body),
        )
        .await
        .map(drop)
    }

    pub async fn create_message(&self, channel: u64, body: &Value) -> Result<Value, RestError> {
        self.send(
            Method::POST,
            &format!("/channels/{channel}/messages"),
            Some(body),
        )
        .await
        .map(Option::unwrap_or_default)
    }

    pub async fn pin(&self, channel: u64, message: u64) -> Result<(), RestError> {
        self.send(
            Method::PUT,
            &format!("/channels/{channel}/pins/{message}"),
            None,
        )
        .await
        .map(drop)
    }

    pub async fn get(&self, path: &str) -> Result<Value, RestError> {
        self.send(Method::GET, path, None)
            .await
            .map(Option::unwrap_or_default)
    }
}
