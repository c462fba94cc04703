//! The fake REST API under `/api/v10`: routes the bot uses (gateway URL,
//! application and user info, command registration, interaction callbacks,
//! follow-ups and their edits, channel messages, pins) answer like Discord,
//! including its error answers; every request the bot should not have made
//! becomes a violation.

use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri, header};
use axum::response::Response;
use serde_json::{Value, json};

use super::rules::{self, FormProblem};
use super::{
    ACK_DEADLINE, APP_ID, CHANNEL_ID, GUILD_ID, MAX_PINS, PIN_MESSAGES, RETRY_AFTER, SEND_MESSAGES,
    Shared, State as FakeState, TOKEN_LIFETIME, VIEW_CHANNEL, payloads, pinned_in, snowflake,
};

/// An answer before it becomes an HTTP response.
pub(crate) struct Reply {
    pub status: u16,
    pub body: Option<Value>,
    pub headers: Vec<(&'static str, String)>,
    /// Rules the request broke (recorded even when it succeeds).
    pub violations: Vec<String>,
}

impl Reply {
    fn ok(body: Value) -> Self {
        Self {
            status: 200,
            body: Some(body),
            headers: Vec::new(),
            violations: Vec::new(),
        }
    }

    fn no_content() -> Self {
        Self {
            status: 204,
            body: None,
            headers: Vec::new(),
            violations: Vec::new(),
        }
    }

    /// A Discord error answer, not the bot's fault (no violation).
    fn error(status: u16, code: u64, message: &str) -> Self {
        Self {
            status,
            body: Some(payloads::error(code, message)),
            headers: Vec::new(),
            violations: Vec::new(),
        }
    }

    /// A Discord error answer caused by a bot mistake.
    fn reject(status: u16, code: u64, message: &str, why: impl Into<String>) -> Self {
        let why = why.into();
        let mut reply = Self::error(status, code, message);
        reply
            .violations
            .push(format!("{why} → {status} code {code} ({message})"));
        reply
    }

    fn form(prefix: &str, problems: &[FormProblem], why: &str) -> Self {
        let body = payloads::form_error(rules::errors_tree(prefix, problems));
        Self {
            status: 400,
            body: Some(body),
            headers: Vec::new(),
            violations: vec![format!(
                "{why}: {} → 400 code 50035 (Invalid Form Body)",
                rules::describe(problems)
            )],
        }
    }

    fn with(mut self, violations: Vec<String>) -> Self {
        self.violations.extend(violations);
        self
    }

    fn into_response(self) -> Response {
        let mut builder = Response::builder().status(self.status);
        for (name, value) in &self.headers {
            builder = builder.header(*name, value);
        }
        match self.body {
            Some(body) => builder
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string())),
            None => builder.body(Body::empty()),
        }
        .unwrap_or_else(|_| Response::new(Body::empty()))
    }
}

fn not_found(why: String) -> Reply {
    Reply::reject(404, 0, "404: Not Found", why)
}

fn unknown_interaction(why: String) -> Reply {
    Reply::reject(404, 10062, "Unknown interaction", why)
}

fn unknown_webhook(why: String) -> Reply {
    Reply::reject(404, 10015, "Unknown Webhook", why)
}

fn unknown_message(why: String) -> Reply {
    Reply::reject(404, 10008, "Unknown Message", why)
}

fn unknown_channel(why: String) -> Reply {
    Reply::reject(404, 10003, "Unknown Channel", why)
}

fn missing_permissions() -> Reply {
    Reply::error(403, 50013, "Missing Permissions")
}

/// The fallback handler: every request that is not the gateway upgrade.
pub(crate) async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_string();
    let reply = route(&shared, &method, &path, &headers, &body);
    let mut st = shared.lock();
    st.requests
        .push(format!("{method} {path} -> {}", reply.status));
    for violation in &reply.violations {
        st.violation(format!("{method} {path}: {violation}"));
    }
    drop(st);
    reply.into_response()
}

/// The request body as JSON (`payload_json` for multipart) and the number of
/// uploaded files.
fn parse_body(headers: &HeaderMap, body: &[u8]) -> Result<(Value, usize), Reply> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if let Some(boundary) = content_type
        .strip_prefix("multipart/form-data")
        .and_then(|rest| rest.split("boundary=").nth(1))
    {
        let boundary = boundary.trim_matches('"');
        return Ok(parse_multipart(body, boundary));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok((Value::Null, 0));
    }
    serde_json::from_slice(body).map(|v| (v, 0)).map_err(|err| {
        Reply::reject(
            400,
            50109,
            "The request body contains invalid JSON.",
            format!("body is not JSON ({err})"),
        )
    })
}

fn parse_multipart(body: &[u8], boundary: &str) -> (Value, usize) {
    let text = String::from_utf8_lossy(body);
    let delimiter = format!("--{boundary}");
    let mut payload = Value::Null;
    let mut files = 0;
    for part in text.split(delimiter.as_str()) {
        let Some((head, content)) = part.split_once("\r\n\r\n") else {
            continue;
        };
        let content = content.strip_suffix("\r\n").unwrap_or(content);
        if head.contains("name=\"payload_json\"") {
            payload = serde_json::from_str(content).unwrap_or(Value::Null);
        } else if head.contains("filename=") {
            files += 1;
        }
    }
    (payload, files)
}

fn route(shared: &Shared, method: &Method, path: &str, headers: &HeaderMap, body: &[u8]) -> Reply {
    let Some(rest) = path.strip_prefix("/api/v10/") else {
        return not_found(format!("request outside /api/v10 ({method} {path})"));
    };
    let seg: Vec<&str> = rest.trim_end_matches('/').split('/').collect();

    // Webhook and interaction-callback routes authenticate by token in the
    // path; everything else needs the bot token.
    let token_auth = matches!(seg.first(), Some(&"webhooks" | &"interactions"));
    if !token_auth {
        let auth = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !auth.starts_with("Bot ") {
            return Reply::reject(
                401,
                0,
                "401: Unauthorized",
                format!("Authorization header {auth:?} lacks the \"Bot \" prefix"),
            );
        }
    }

    let (value, files) = match method.as_str() {
        "POST" | "PUT" | "PATCH" => match parse_body(headers, body) {
            Ok(parsed) => parsed,
            Err(reply) => return reply,
        },
        _ => (Value::Null, 0),
    };

    let ws_url = shared.ws_url.as_str();
    match (method.as_str(), seg.as_slice()) {
        ("GET", ["gateway"]) => Reply::ok(payloads::gateway(ws_url)),
        ("GET", ["gateway", "bot"]) => Reply::ok(payloads::gateway_bot(ws_url)),
        ("GET", ["oauth2", "applications", "@me"]) | ("GET", ["applications", "@me"]) => {
            Reply::ok(payloads::application_info())
        }
        ("GET", ["users", "@me"]) => Reply::ok(payloads::current_user()),
        ("PUT", ["applications", app, "commands"]) => register(shared, app, None, &value),
        ("PUT", ["applications", app, "guilds", guild, "commands"]) => {
            register(shared, app, Some(guild), &value)
        }
        ("GET", ["applications", _, "commands"])
        | ("GET", ["applications", _, "guilds", _, "commands"]) => {
            Reply::ok(Value::Array(shared.lock().registered.clone()))
        }
        ("POST", ["interactions", id, token, "callback"]) => {
            callback(shared, id, token, &value, files)
        }
        ("POST", ["webhooks", app, token]) => followup(shared, app, token, &value, files),
        (m @ ("GET" | "PATCH" | "DELETE"), ["webhooks", app, token, "messages", which]) => {
            webhook_message(shared, m, app, token, which, &value, files)
        }
        (m @ ("PUT" | "DELETE"), ["channels", c, "pins", m_id])
        | (m @ ("PUT" | "DELETE"), ["channels", c, "messages", "pins", m_id]) => {
            pin(shared, m, c, m_id)
        }
        ("GET", ["channels", c, "pins"]) => list_pins(shared, c, false),
        ("GET", ["channels", c, "messages", "pins"]) => list_pins(shared, c, true),
        ("POST", ["channels", c, "messages"]) => create_message(shared, c, &value, files),
        (m @ ("GET" | "PATCH" | "DELETE"), ["channels", c, "messages", m_id]) => {
            channel_message(shared, m, c, m_id, &value, files)
        }
        ("PUT" | "DELETE", ["channels", c, "messages", m_id, "reactions", _, "@me"]) => {
            let st = shared.lock();
            match check_channel_message(&st, c, m_id) {
                Ok(_) => Reply::no_content(),
                Err(reply) => reply,
            }
        }
        ("POST", ["channels", c, "typing"]) => match check_channel(c) {
            Ok(_) => Reply::no_content(),
            Err(reply) => reply,
        },
        ("GET", ["channels", c]) => match check_channel(c) {
            Ok(_) => Reply::ok(payloads::channel()),
            Err(reply) => reply,
        },
        ("GET", ["guilds", g]) => match check_guild(g) {
            Ok(()) => Reply::ok(payloads::guild(shared.lock().roles_json())),
            Err(reply) => reply,
        },
        ("GET", ["guilds", g, "roles"]) => match check_guild(g) {
            Ok(()) => Reply::ok(Value::Array(shared.lock().roles_json())),
            Err(reply) => reply,
        },
        ("GET", ["guilds", g, "members", u]) => {
            if let Err(reply) = check_guild(g) {
                return reply;
            }
            let mut st = shared.lock();
            match snowflake(u).and_then(|u| st.members.get(&u).cloned()) {
                Some(member) => {
                    let roles = st.member_roles(&member);
                    Reply::ok(payloads::guild_member(&member, &roles))
                }
                None => Reply::reject(404, 10007, "Unknown Member", format!("member {u}")),
            }
        }
        _ => not_found(format!("unknown route {method} /api/v10/{rest}")),
    }
}

fn register(shared: &Shared, app: &str, guild: Option<&str>, body: &Value) -> Reply {
    let mut st = shared.lock();
    st.registration_attempts += 1;
    if shared.options.fail_command_registration {
        return Reply::error(500, 0, "500: Internal Server Error");
    }
    if snowflake(app) != Some(APP_ID) {
        return Reply::reject(
            403,
            50001,
            "Missing Access",
            format!("application id {app}"),
        );
    }
    let guild_id = match guild {
        None => None,
        Some(g) if snowflake(g) == Some(GUILD_ID) => Some(GUILD_ID),
        Some(g) => {
            return Reply::reject(403, 50001, "Missing Access", format!("guild {g}"));
        }
    };
    let problems = rules::check_commands(body);
    if !problems.is_empty() {
        return Reply::form("", &problems, "command registration");
    }
    let sent = body.as_array().cloned().unwrap_or_default();
    let mut returned = Vec::new();
    for command in &sent {
        let existing = st
            .registered
            .iter()
            .find(|c| {
                c["name"] == command["name"]
                    && c["type"] == command.get("type").cloned().unwrap_or(json!(1))
            })
            .and_then(|c| c["id"].as_str())
            .and_then(snowflake);
        let id = match existing {
            Some(id) => id,
            None => st.snowflake(),
        };
        let version = st.snowflake();
        returned.push(payloads::registered_command(command, id, version, guild_id));
    }
    st.registered_body = sent;
    st.registered = returned.clone();
    Reply::ok(Value::Array(returned))
}

/// Check a message body; `Err` is the rejection, `Ok` the soft violations.
fn check_body(
    body: &Value,
    creating: bool,
    files: usize,
    prefix: &str,
    what: &str,
) -> Result<Vec<String>, Reply> {
    let check = rules::check_message(body, creating, files);
    let soft: Vec<String> = check
        .mentions
        .iter()
        .map(|m| format!("{what}: {m}"))
        .collect();
    if !check.form.is_empty() {
        return Err(Reply::form(prefix, &check.form, what).with(soft));
    }
    if check.empty {
        return Err(Reply::reject(400, 50006, "Cannot send an empty message", what).with(soft));
    }
    Ok(soft)
}

fn callback(shared: &Shared, id: &str, token: &str, body: &Value, files: usize) -> Reply {
    let mut st = shared.lock();
    let Some(interaction_id) = snowflake(id).filter(|i| st.interactions.contains_key(i)) else {
        return unknown_interaction(format!("callback for unknown interaction {id}"));
    };
    let kind = body["type"].as_u64().unwrap_or(0);
    let data = body.get("data").cloned().unwrap_or(Value::Null);
    let ix = st
        .interactions
        .get_mut(&interaction_id)
        .expect("checked above");
    if ix.token != token {
        return unknown_interaction(format!("callback for interaction {id} with a wrong token"));
    }
    let label = ix.label.clone();
    let what = format!("callback type {kind} for interaction {id} ({label})");
    if !ix.acks.is_empty() {
        ix.rejected_acks += 1;
        return Reply::reject(
            400,
            40060,
            "Interaction has already been acknowledged.",
            format!(
                "second {what}, already acknowledged with type {}",
                ix.acks[0].kind
            ),
        );
    }
    let after = ix.sent_at.elapsed();
    if after > ACK_DEADLINE {
        ix.rejected_acks += 1;
        return unknown_interaction(format!(
            "{what} came {} ms after dispatch (limit {} ms)",
            after.as_millis(),
            ACK_DEADLINE.as_millis()
        ));
    }
    let allowed: &[u64] = if ix.kind == 2 {
        &[4, 5, 9]
    } else {
        &[4, 5, 6, 7, 9]
    };
    if !allowed.contains(&kind) {
        ix.rejected_acks += 1;
        let problem = FormProblem {
            path: "type".into(),
            code: "BASE_TYPE_CHOICES",
            message: format!("Value must be one of {allowed:?}."),
        };
        return Reply::form("", &[problem], &what);
    }
    let mut soft = Vec::new();
    if kind == 4 || kind == 7 {
        match check_body(&data, kind == 4, files, "data", &what) {
            Ok(found) => soft = found,
            Err(reply) => {
                ix.rejected_acks += 1;
                return reply;
            }
        }
    }
    let flags = data.get("flags").and_then(Value::as_u64).unwrap_or(0);
    ix.acks.push(super::Ack {
        kind: kind as u8,
        flags,
        data: data.clone(),
        after,
    });

    match kind {
        4 => {
            ix.answers.push(data.clone());
            let ephemeral = flags & 64 != 0;
            let message_id = st.snowflake();
            let json = payloads::message(
                message_id,
                CHANNEL_ID,
                &payloads::bot_user(),
                &data,
                payloads::Origin::Interaction,
            );
            st.store_bot_message(json, ephemeral, Some(&data));
            let ix = st.interactions.get_mut(&interaction_id).expect("exists");
            ix.original = Some(message_id);
            ix.messages.push(message_id);
        }
        5 => {
            let ephemeral = flags & 64 != 0;
            let message_id = st.snowflake();
            st.store_bot_message(
                payloads::loading_message(message_id, ephemeral),
                ephemeral,
                None,
            );
            let ix = st.interactions.get_mut(&interaction_id).expect("exists");
            ix.original = Some(message_id);
            ix.original_loading = true;
            ix.messages.push(message_id);
        }
        7 => {
            ix.answers.push(data.clone());
            if let Some(clicked) = ix.clicked
                && let Some(message) = st.messages.get_mut(&clicked)
            {
                payloads::apply_edit(&mut message.json, &data);
                message.bodies.push(data);
            }
        }
        _ => {}
    }
    Reply::no_content().with(soft)
}

fn rate_limit(retry_after: std::time::Duration) -> Reply {
    let secs = retry_after.as_secs_f64();
    Reply {
        status: 429,
        body: Some(payloads::rate_limited((secs * 1000.0).round() / 1000.0)),
        headers: vec![
            ("Retry-After", format!("{}", secs.ceil() as u64)),
            ("X-RateLimit-Limit", "5".into()),
            ("X-RateLimit-Remaining", "0".into()),
            ("X-RateLimit-Reset-After", format!("{secs:.3}")),
            ("X-RateLimit-Bucket", "f4k3d15c0rdb0ck37".into()),
            ("X-RateLimit-Scope", "user".into()),
        ],
        violations: Vec::new(),
    }
}

fn followup(shared: &Shared, app: &str, token: &str, body: &Value, files: usize) -> Reply {
    let mut st = shared.lock();
    if snowflake(app) != Some(APP_ID) {
        return unknown_webhook(format!(
            "follow-up to webhook {app}, not the application id"
        ));
    }
    if shared.options.rate_limit_first_followup {
        let now = Instant::now();
        if !st.rate_limit_served {
            st.rate_limit_served = true;
            st.rate_limited += 1;
            st.rate_limited_until = Some(now + RETRY_AFTER);
            return rate_limit(RETRY_AFTER);
        }
        if let Some(until) = st.rate_limited_until
            && now < until
        {
            st.rate_limited += 1;
            let mut reply = rate_limit(until - now);
            reply.violations.push(format!(
                "retried {} ms before retry_after ran out",
                (until - now).as_millis()
            ));
            return reply;
        }
    }
    let Some(&interaction_id) = st.tokens.get(token) else {
        return unknown_webhook("follow-up with an unknown interaction token".into());
    };
    let ix = &st.interactions[&interaction_id];
    let what = format!("follow-up for interaction {interaction_id} ({})", ix.label);
    if ix.acks.is_empty() {
        return unknown_webhook(format!("{what} before the interaction was acknowledged"));
    }
    if ix.sent_at.elapsed() > TOKEN_LIFETIME {
        return Reply::reject(
            401,
            50027,
            "Invalid Webhook Token",
            format!("{what}: token expired"),
        );
    }
    let soft = match check_body(body, true, files, "", &what) {
        Ok(soft) => soft,
        Err(reply) => return reply,
    };
    let replaces_loading = ix.acks[0].kind == 5 && ix.original_loading;
    let message_id = if replaces_loading {
        ix.original.expect("a type-5 ack sets @original")
    } else {
        st.snowflake()
    };
    let json = if replaces_loading {
        let stored = st
            .messages
            .get_mut(&message_id)
            .expect("loading message stored");
        payloads::apply_edit(&mut stored.json, body);
        stored.bodies.push(body.clone());
        stored.json.clone()
    } else {
        let ephemeral = body.get("flags").and_then(Value::as_u64).unwrap_or(0) & 64 != 0;
        let json = payloads::message(
            message_id,
            CHANNEL_ID,
            &payloads::bot_user(),
            body,
            payloads::Origin::Interaction,
        );
        st.store_bot_message(json.clone(), ephemeral, Some(body));
        json
    };
    let ix = st.interactions.get_mut(&interaction_id).expect("exists");
    if replaces_loading {
        ix.original_loading = false;
    } else {
        ix.messages.push(message_id);
    }
    ix.followups.push(body.clone());
    ix.answers.push(body.clone());
    Reply::ok(json).with(soft)
}

fn webhook_message(
    shared: &Shared,
    method: &str,
    app: &str,
    token: &str,
    which: &str,
    body: &Value,
    files: usize,
) -> Reply {
    let mut st = shared.lock();
    if snowflake(app) != Some(APP_ID) {
        return unknown_webhook(format!("webhook {app} is not the application id"));
    }
    let Some(&interaction_id) = st.tokens.get(token) else {
        return unknown_webhook("unknown interaction token".into());
    };
    let ix = &st.interactions[&interaction_id];
    let what = format!(
        "{which} message of interaction {interaction_id} ({})",
        ix.label
    );
    if ix.acks.is_empty() {
        return unknown_webhook(format!("{what} before the interaction was acknowledged"));
    }
    let message_id = if which == "@original" {
        ix.original
    } else {
        snowflake(which).filter(|m| ix.messages.contains(m) || ix.original == Some(*m))
    };
    let Some(message_id) = message_id.filter(|m| st.messages.contains_key(m)) else {
        return unknown_message(format!("{what}: no such message"));
    };
    let after_defer = matches!(ix.acks[0].kind, 5 | 6);
    match method {
        "GET" => Reply::ok(st.messages[&message_id].json.clone()),
        "DELETE" => {
            st.messages.remove(&message_id);
            Reply::no_content()
        }
        _ => {
            let soft = match check_body(body, false, files, "", &format!("edit of {what}")) {
                Ok(soft) => soft,
                Err(reply) => return reply,
            };
            let stored = st.messages.get_mut(&message_id).expect("checked above");
            payloads::apply_edit(&mut stored.json, body);
            stored.bodies.push(body.clone());
            let json = stored.json.clone();
            let ix = st.interactions.get_mut(&interaction_id).expect("exists");
            if ix.original == Some(message_id) {
                ix.original_loading = false;
            }
            ix.edits.push(body.clone());
            if after_defer {
                ix.answers.push(body.clone());
            }
            st.message_edits.push(body.clone());
            Reply::ok(json).with(soft)
        }
    }
}

fn check_guild(g: &str) -> Result<(), Reply> {
    match snowflake(g) {
        Some(GUILD_ID) => Ok(()),
        _ => Err(Reply::reject(
            404,
            10004,
            "Unknown Guild",
            format!("guild {g}"),
        )),
    }
}

fn check_channel(c: &str) -> Result<u64, Reply> {
    match snowflake(c) {
        Some(CHANNEL_ID) => Ok(CHANNEL_ID),
        _ => Err(unknown_channel(format!(
            "channel {c} (the bot can only see {CHANNEL_ID})"
        ))),
    }
}

fn check_channel_message(st: &FakeState, c: &str, m: &str) -> Result<(u64, u64), Reply> {
    let channel = check_channel(c)?;
    match snowflake(m).filter(|id| {
        st.messages.get(id).is_some_and(|stored| {
            !stored.ephemeral && stored.json["channel_id"] == json!(channel.to_string())
        })
    }) {
        Some(id) => Ok((channel, id)),
        None => Err(unknown_message(format!(
            "message {m} is not in channel {c}"
        ))),
    }
}

fn create_message(shared: &Shared, c: &str, body: &Value, files: usize) -> Reply {
    let mut st = shared.lock();
    let channel = match check_channel(c) {
        Ok(channel) => channel,
        Err(reply) => return reply,
    };
    let perms = st.app_permissions;
    if perms & (VIEW_CHANNEL | SEND_MESSAGES) != (VIEW_CHANNEL | SEND_MESSAGES) {
        return missing_permissions();
    }
    let soft = match check_body(body, true, files, "", "channel message") {
        Ok(soft) => soft,
        Err(reply) => return reply,
    };
    if let Some(reference) = body.get("message_reference").filter(|r| r.is_object()) {
        let target = reference["message_id"]
            .as_str()
            .map(str::to_string)
            .or_else(|| reference["message_id"].as_u64().map(|n| n.to_string()))
            .unwrap_or_default();
        let fail_if_not_exists = reference["fail_if_not_exists"].as_bool().unwrap_or(true);
        if fail_if_not_exists && check_channel_message(&st, c, &target).is_err() {
            let problem = FormProblem {
                path: "message_reference".into(),
                code: "MESSAGE_REFERENCE_UNKNOWN_MESSAGE",
                message: "Unknown message".into(),
            };
            return Reply::form("", &[problem], "channel message reply").with(soft);
        }
    }
    let id = st.snowflake();
    let json = payloads::message(
        id,
        channel,
        &payloads::bot_user(),
        body,
        payloads::Origin::Channel,
    );
    st.store_bot_message(json.clone(), false, Some(body));
    st.channel_messages.push(body.clone());
    Reply::ok(json).with(soft)
}

fn channel_message(
    shared: &Shared,
    method: &str,
    c: &str,
    m: &str,
    body: &Value,
    files: usize,
) -> Reply {
    let mut st = shared.lock();
    let (_, id) = match check_channel_message(&st, c, m) {
        Ok(found) => found,
        Err(reply) => return reply,
    };
    let by_bot = st.messages[&id].json["author"]["id"] == json!(APP_ID.to_string());
    match method {
        "GET" => Reply::ok(st.messages[&id].json.clone()),
        "DELETE" => {
            if !by_bot && st.app_permissions & super::MANAGE_MESSAGES == 0 {
                return missing_permissions();
            }
            st.messages.remove(&id);
            Reply::no_content()
        }
        _ => {
            if !by_bot {
                return Reply::reject(
                    403,
                    50005,
                    "Cannot edit a message authored by another user",
                    format!("edit of user message {m}"),
                );
            }
            let soft = match check_body(body, false, files, "", "channel message edit") {
                Ok(soft) => soft,
                Err(reply) => return reply,
            };
            let stored = st.messages.get_mut(&id).expect("checked above");
            payloads::apply_edit(&mut stored.json, body);
            stored.bodies.push(body.clone());
            let json = stored.json.clone();
            st.message_edits.push(body.clone());
            Reply::ok(json).with(soft)
        }
    }
}

fn pin(shared: &Shared, method: &str, c: &str, m: &str) -> Reply {
    let mut st = shared.lock();
    let (channel, id) = match check_channel_message(&st, c, m) {
        Ok(found) => found,
        Err(reply) => return reply,
    };
    if st.app_permissions & PIN_MESSAGES == 0 {
        return missing_permissions();
    }
    let pinned = pinned_in(&st, channel);
    let stored = st.messages.get_mut(&id).expect("checked above");
    if method == "DELETE" {
        stored.json["pinned"] = json!(false);
        return Reply::no_content();
    }
    if !pinned.contains(&id) && pinned.len() >= MAX_PINS {
        return Reply::error(400, 30003, "Maximum number of pins reached (250)");
    }
    stored.json["pinned"] = json!(true);
    st.pins.push((channel, id));
    Reply::no_content()
}

fn list_pins(shared: &Shared, c: &str, new_route: bool) -> Reply {
    let st = shared.lock();
    let channel = match check_channel(c) {
        Ok(channel) => channel,
        Err(reply) => return reply,
    };
    let mut ids: Vec<u64> = pinned_in(&st, channel).into_iter().collect();
    ids.sort_unstable_by(|a, b| b.cmp(a));
    let messages: Vec<Value> = ids.iter().map(|id| st.messages[id].json.clone()).collect();
    if new_route {
        let items: Vec<Value> = messages
            .into_iter()
            .map(|message| json!({ "pinned_at": payloads::timestamp_now(), "message": message }))
            .collect();
        Reply::ok(json!({ "items": items, "has_more": false }))
    } else {
        Reply::ok(Value::Array(messages))
    }
}
