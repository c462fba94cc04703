//! Every JSON payload the fake Discord sends to the bot is built here, in one
//! place, so that `tests/fake_discord_payloads.rs` can prove each of them
//! deserializes into serenity 0.12.5's model types. serenity silently drops a
//! dispatch whose `d` does not match its model, so a payload built anywhere
//! else would be an untested trap.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

use super::{APP_ID, BOT_NAME, CHANNEL_ID, GUILD_ID, Member, OWNER_ID};

/// Discord's epoch (2015-01-01T00:00:00Z) in Unix milliseconds.
pub const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

/// Maximum upload size Discord reports for an unboosted guild (25 MiB).
pub const ATTACHMENT_SIZE_LIMIT: u64 = 26_214_400;

/// Milliseconds since the Unix epoch, now.
pub fn unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// A snowflake whose timestamp part is `unix_ms` and whose low bits are
/// `increment` (callers keep snowflakes unique).
pub fn snowflake_at(unix_ms: u64, increment: u64) -> u64 {
    (unix_ms.saturating_sub(DISCORD_EPOCH_MS) << 22) | (increment & 0x3f_ffff)
}

/// Discord's timestamp format: `2025-01-31T12:34:56.789000+00:00` (RFC 3339).
pub fn timestamp(unix_ms: u64) -> String {
    let secs = unix_ms / 1000;
    let micros = (unix_ms % 1000) * 1000;
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (hour, minute, second) = (rem / 3600, (rem % 3600) / 60, rem % 60);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{micros:06}+00:00")
}

/// [`timestamp`] of the current time.
pub fn timestamp_now() -> String {
    timestamp(unix_ms())
}

/// A public user object.
pub fn user(id: u64, name: &str, bot: bool) -> Value {
    let mut user = json!({
        "id": id.to_string(),
        "username": name,
        "global_name": if bot { Value::Null } else { Value::from(name) },
        "discriminator": "0",
        "avatar": null,
        "public_flags": 0,
        "flags": 0,
        "banner": null,
        "accent_color": null,
        "avatar_decoration_data": null,
    });
    if bot {
        user["bot"] = json!(true);
    }
    user
}

/// The bot's own user object (its id is the application id).
pub fn bot_user() -> Value {
    user(APP_ID, BOT_NAME, true)
}

/// `GET /users/@me` and READY's `user`: the bot user with the private fields.
pub fn current_user() -> Value {
    let mut user = bot_user();
    let map = user.as_object_mut().expect("user is an object");
    map.insert("mfa_enabled".into(), json!(false));
    map.insert("verified".into(), json!(true));
    map.insert("email".into(), Value::Null);
    map.insert("locale".into(), json!("en-US"));
    map.insert("premium_type".into(), json!(0));
    user
}

/// The application owner (a human user).
pub fn owner_user() -> Value {
    user(OWNER_ID, "owner", false)
}

/// `GET /gateway`.
pub fn gateway(ws_url: &str) -> Value {
    json!({ "url": ws_url })
}

/// `GET /gateway/bot`.
pub fn gateway_bot(ws_url: &str) -> Value {
    json!({
        "url": ws_url,
        "shards": 1,
        "session_start_limit": {
            "total": 1000,
            "remaining": 1000,
            "reset_after": 0,
            "max_concurrency": 1,
        },
    })
}

/// `GET /oauth2/applications/@me` (and `GET /applications/@me`).
pub fn application_info() -> Value {
    json!({
        "id": APP_ID.to_string(),
        "name": BOT_NAME,
        "icon": null,
        "description": "",
        "summary": "",
        "type": null,
        "rpc_origins": [],
        "bot_public": false,
        "bot_require_code_grant": false,
        "verify_key": "0000000000000000000000000000000000000000000000000000000000000000",
        "owner": owner_user(),
        "team": null,
        "flags": 0,
        "hook": true,
        "tags": [],
        "redirect_uris": [],
        "interactions_endpoint_url": null,
        "approximate_guild_count": 1,
        "bot": bot_user(),
    })
}

/// A role object. `position` 0 is @everyone (whose id is the guild id).
pub fn role(id: u64, name: &str, permissions: u64, position: u64) -> Value {
    json!({
        "id": id.to_string(),
        "name": name,
        "description": null,
        "color": 0,
        "colors": { "primary_color": 0, "secondary_color": null, "tertiary_color": null },
        "hoist": false,
        "icon": null,
        "unicode_emoji": null,
        "position": position,
        "permissions": permissions.to_string(),
        "managed": false,
        "mentionable": false,
        "flags": 0,
    })
}

/// `GET /guilds/{g}`: the guild [`GUILD_ID`], owned by [`OWNER_ID`].
pub fn guild(roles: Vec<Value>) -> Value {
    json!({
        "id": GUILD_ID.to_string(),
        "name": "Fake Guild",
        "icon": null,
        "icon_hash": null,
        "splash": null,
        "discovery_splash": null,
        "owner_id": OWNER_ID.to_string(),
        "afk_channel_id": null,
        "afk_timeout": 300,
        "widget_enabled": false,
        "widget_channel_id": null,
        "verification_level": 1,
        "default_message_notifications": 1,
        "explicit_content_filter": 2,
        "roles": roles,
        "emojis": [],
        "features": [],
        "mfa_level": 0,
        "application_id": null,
        "system_channel_id": CHANNEL_ID.to_string(),
        "system_channel_flags": 0,
        "rules_channel_id": null,
        "max_presences": null,
        "max_members": 500000,
        "vanity_url_code": null,
        "description": null,
        "banner": null,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": null,
        "max_video_channel_users": 25,
        "max_stage_video_channel_users": 50,
        "nsfw_level": 0,
        "stickers": [],
        "premium_progress_bar_enabled": false,
        "safety_alerts_channel_id": null,
        "incidents_data": null,
    })
}

/// The guild text channel [`CHANNEL_ID`] (`GET /channels/{c}`).
pub fn channel() -> Value {
    json!({
        "id": CHANNEL_ID.to_string(),
        "type": 0,
        "guild_id": GUILD_ID.to_string(),
        "name": "general",
        "position": 0,
        "permission_overwrites": [],
        "nsfw": false,
        "parent_id": null,
        "topic": null,
        "last_message_id": null,
        "rate_limit_per_user": 0,
        "flags": 0,
    })
}

/// Op 10 Hello.
pub fn hello() -> Value {
    json!({ "op": 10, "s": null, "t": null, "d": { "heartbeat_interval": 41250 } })
}

/// Op 11 Heartbeat ACK.
pub fn heartbeat_ack() -> Value {
    json!({ "op": 11, "s": null, "t": null, "d": null })
}

/// Op 7 Reconnect.
pub fn reconnect() -> Value {
    json!({ "op": 7, "s": null, "t": null, "d": null })
}

/// Op 9 Invalid Session.
pub fn invalid_session(resumable: bool) -> Value {
    json!({ "op": 9, "s": null, "t": null, "d": resumable })
}

/// An op 0 dispatch frame.
pub fn dispatch(seq: u64, event: &str, d: Value) -> Value {
    json!({ "op": 0, "s": seq, "t": event, "d": d })
}

/// READY's `d`.
pub fn ready(session_id: &str, resume_gateway_url: &str, shard: Option<[u64; 2]>) -> Value {
    let mut ready = json!({
        "v": 10,
        "user": current_user(),
        "guilds": [],
        "session_id": session_id,
        "session_type": "normal",
        "resume_gateway_url": resume_gateway_url,
        "application": { "id": APP_ID.to_string(), "flags": 0 },
        "private_channels": [],
        "relationships": [],
        "presences": [],
        "geo_ordered_rtc_regions": [],
    });
    if let Some(shard) = shard {
        ready["shard"] = json!(shard);
    }
    ready
}

/// RESUMED's `d` (must be an object).
pub fn resumed() -> Value {
    json!({})
}

/// A guild member as in an interaction (`permissions` is present there).
/// `roles` are all the member's role ids (see `State::member_roles`).
pub fn interaction_member(member: &Member, roles: &[u64]) -> Value {
    let mut value = guild_member(member, roles);
    value["permissions"] = json!(member.permissions.to_string());
    value
}

/// A guild member as `GET /guilds/{g}/members/{u}` returns it.
pub fn guild_member(member: &Member, roles: &[u64]) -> Value {
    json!({
        "user": user(member.user_id, &member.name, false),
        "nick": null,
        "avatar": null,
        "banner": null,
        "roles": roles.iter().map(u64::to_string).collect::<Vec<_>>(),
        "joined_at": "2024-01-01T00:00:00.000000+00:00",
        "premium_since": null,
        "deaf": false,
        "mute": false,
        "flags": 0,
        "pending": false,
        "communication_disabled_until": null,
        "unusual_dm_activity_until": null,
        "avatar_decoration_data": null,
    })
}

/// The partial member Discord puts in a guild MESSAGE_CREATE.
pub fn message_member(roles: &[u64]) -> Value {
    json!({
        "roles": roles.iter().map(u64::to_string).collect::<Vec<_>>(),
        "joined_at": "2024-01-01T00:00:00.000000+00:00",
        "premium_since": null,
        "deaf": false,
        "mute": false,
        "flags": 0,
        "pending": false,
        "nick": null,
        "avatar": null,
        "banner": null,
        "communication_disabled_until": null,
    })
}

/// One option of a chat-input interaction (`value` already typed).
pub fn command_option(name: &str, kind: u64, value: Value) -> Value {
    json!({ "name": name, "type": kind, "value": value })
}

/// A subcommand (type 1) or subcommand group (type 2) option.
pub fn command_option_group(name: &str, kind: u64, options: Vec<Value>) -> Value {
    json!({ "name": name, "type": kind, "options": options })
}

/// The `data` of a chat-input command interaction.
pub fn command_data(
    command_id: u64,
    name: &str,
    options: Vec<Value>,
    guild_id: Option<u64>,
) -> Value {
    let mut data = json!({
        "id": command_id.to_string(),
        "name": name,
        "type": 1,
        "options": options,
    });
    if let Some(guild_id) = guild_id {
        data["guild_id"] = json!(guild_id.to_string());
    }
    data
}

fn interaction_base(
    id: u64,
    token: &str,
    kind: u8,
    member: Value,
    app_permissions: u64,
) -> Map<String, Value> {
    let value = json!({
        "id": id.to_string(),
        "application_id": APP_ID.to_string(),
        "type": kind,
        "token": token,
        "version": 1,
        "guild_id": GUILD_ID.to_string(),
        "guild": { "id": GUILD_ID.to_string(), "locale": "en-US", "features": [] },
        "channel_id": CHANNEL_ID.to_string(),
        "channel": {
            "id": CHANNEL_ID.to_string(),
            "type": 0,
            "name": "general",
            "guild_id": GUILD_ID.to_string(),
            "permissions": app_permissions.to_string(),
            "flags": 0,
            "parent_id": null,
            "nsfw": false,
            "position": 0,
            "rate_limit_per_user": 0,
            "topic": null,
            "last_message_id": null,
        },
        "member": member,
        "app_permissions": app_permissions.to_string(),
        "locale": "en-US",
        "guild_locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": { "0": GUILD_ID.to_string() },
        "context": 0,
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
    });
    match value {
        Value::Object(map) => map,
        _ => unreachable!("json! object"),
    }
}

/// INTERACTION_CREATE `d` for a chat-input command (type 2); `member` is
/// an [`interaction_member`].
pub fn command_interaction(
    id: u64,
    token: &str,
    member: Value,
    data: Value,
    app_permissions: u64,
) -> Value {
    let mut map = interaction_base(id, token, 2, member, app_permissions);
    map.insert("data".into(), data);
    Value::Object(map)
}

/// INTERACTION_CREATE `d` for a message component (type 3), carrying the
/// full message the component is on; `member` is an [`interaction_member`].
pub fn component_interaction(
    id: u64,
    token: &str,
    member: Value,
    custom_id: &str,
    component_type: u64,
    message: Value,
    app_permissions: u64,
) -> Value {
    let mut map = interaction_base(id, token, 3, member, app_permissions);
    let mut data = json!({ "custom_id": custom_id, "component_type": component_type });
    if component_type != 2 {
        data["values"] = json!([]);
    }
    map.insert("data".into(), data);
    map.insert("message".into(), message);
    Value::Object(map)
}

/// Discord's normalisation of embeds in a returned message: `type: "rich"`
/// and `inline: false` on fields that did not say.
pub fn normalize_embeds(embeds: &Value) -> Value {
    let Some(list) = embeds.as_array() else {
        return json!([]);
    };
    let normalized = list
        .iter()
        .map(|embed| {
            let mut embed = embed.clone();
            if let Some(map) = embed.as_object_mut() {
                map.entry("type").or_insert(json!("rich"));
                map.retain(|_, v| !v.is_null());
                if let Some(Value::Array(fields)) = map.get_mut("fields") {
                    for field in fields {
                        if let Some(field) = field.as_object_mut() {
                            field.entry("inline").or_insert(json!(false));
                        }
                    }
                }
            }
            embed
        })
        .collect();
    Value::Array(normalized)
}

/// Where a message came from, for [`message`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// `POST /channels/{c}/messages` by the bot.
    Channel,
    /// An interaction response or follow-up (application webhook).
    Interaction,
}

/// A Message object built from a create body (`content`, `embeds`,
/// `components`, `flags`, `tts`, `message_reference`), as Discord returns it.
pub fn message(id: u64, channel_id: u64, author: &Value, body: &Value, origin: Origin) -> Value {
    let flags =
        body.get("flags").and_then(Value::as_u64).unwrap_or(0) & (4 | 64 | 128 | 4096 | 32768);
    let reference = body.get("message_reference").filter(|r| r.is_object());
    let kind = match (reference, origin) {
        (Some(_), _) => 19,
        (None, Origin::Interaction) => 20,
        (None, Origin::Channel) => 0,
    };
    let mut message = json!({
        "id": id.to_string(),
        "channel_id": channel_id.to_string(),
        "author": author,
        "content": body.get("content").and_then(Value::as_str).unwrap_or(""),
        "timestamp": timestamp_now(),
        "edited_timestamp": null,
        "tts": body.get("tts").and_then(Value::as_bool).unwrap_or(false),
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": normalize_embeds(body.get("embeds").unwrap_or(&Value::Null)),
        "components": body.get("components").filter(|c| c.is_array()).cloned().unwrap_or(json!([])),
        "reactions": [],
        "pinned": false,
        "type": kind,
        "flags": flags,
    });
    if origin == Origin::Interaction {
        message["webhook_id"] = json!(APP_ID.to_string());
        message["application_id"] = json!(APP_ID.to_string());
    }
    if let Some(reference) = reference {
        let mut reference = reference.clone();
        reference["channel_id"] = reference
            .get("channel_id")
            .cloned()
            .unwrap_or(json!(channel_id.to_string()));
        reference["guild_id"] = json!(GUILD_ID.to_string());
        reference["type"] = reference.get("type").cloned().unwrap_or(json!(0));
        message["message_reference"] = reference;
    }
    message
}

/// Apply an edit body (`PATCH`) to a stored Message object, as Discord does.
pub fn apply_edit(message: &mut Value, body: &Value) {
    if let Some(content) = body.get("content") {
        message["content"] = json!(content.as_str().unwrap_or(""));
    }
    if let Some(embeds) = body.get("embeds") {
        message["embeds"] = normalize_embeds(embeds);
    }
    if let Some(components) = body.get("components") {
        message["components"] = if components.is_array() {
            components.clone()
        } else {
            json!([])
        };
    }
    if let Some(flags) = body.get("flags").and_then(Value::as_u64) {
        // Only SUPPRESS_EMBEDS can be changed by an edit; EPHEMERAL stays.
        let old = message["flags"].as_u64().unwrap_or(0);
        message["flags"] = json!((old & !4) | (flags & 4));
    }
    // The "thinking…" LOADING flag goes once the message gets real content.
    let old = message["flags"].as_u64().unwrap_or(0);
    message["flags"] = json!(old & !128);
    message["edited_timestamp"] = json!(timestamp_now());
}

/// The "…is thinking" message a type-5 defer creates.
pub fn loading_message(id: u64, ephemeral: bool) -> Value {
    let flags = if ephemeral { 64 | 128 } else { 128 };
    message(
        id,
        CHANNEL_ID,
        &bot_user(),
        &json!({ "content": "", "flags": flags }),
        Origin::Interaction,
    )
}

/// MESSAGE_CREATE `d` for a user's message in the guild channel; `roles`
/// are all the member's role ids.
pub fn message_create(
    id: u64,
    member: &Member,
    roles: &[u64],
    content: &str,
    mentions: Vec<Value>,
) -> Value {
    let mut message = json!({
        "id": id.to_string(),
        "channel_id": CHANNEL_ID.to_string(),
        "guild_id": GUILD_ID.to_string(),
        "author": user(member.user_id, &member.name, false),
        "member": message_member(roles),
        "content": content,
        "timestamp": timestamp_now(),
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": mentions,
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "components": [],
        "pinned": false,
        "type": 0,
        "flags": 0,
        "nonce": id.to_string(),
    });
    // The user mentioned in a guild message carries a partial member too.
    if let Some(Value::Array(list)) = message.get_mut("mentions") {
        for mention in list {
            if mention.get("member").is_none() && mention["id"] == json!(APP_ID.to_string()) {
                mention["member"] = json!({
                    "roles": [],
                    "joined_at": "2024-01-01T00:00:00.000000+00:00",
                    "deaf": false,
                    "mute": false,
                    "flags": 0,
                    "pending": false,
                });
            }
        }
    }
    message
}

/// MESSAGE_CREATE `d` for a stored Message object posted in the guild
/// channel (used for the bot's own messages): adds `guild_id` and the
/// author's partial `member` (`roles` are the author's role ids).
pub fn guild_message_event(message: &Value, roles: &[u64]) -> Value {
    let mut event = message.clone();
    event["guild_id"] = json!(GUILD_ID.to_string());
    event["member"] = message_member(roles);
    event
}

/// A registered command as `PUT .../commands` returns it, from the command
/// object the bot sent.
pub fn registered_command(sent: &Value, id: u64, version: u64, guild_id: Option<u64>) -> Value {
    let mut command = match sent {
        Value::Object(map) => map.clone(),
        _ => Map::new(),
    };
    command.insert("id".into(), json!(id.to_string()));
    command.insert("application_id".into(), json!(APP_ID.to_string()));
    command.insert("version".into(), json!(version.to_string()));
    command.entry("type").or_insert(json!(1));
    command.entry("description").or_insert(json!(""));
    command
        .entry("default_member_permissions")
        .or_insert(Value::Null);
    command.entry("nsfw").or_insert(json!(false));
    command.entry("options").or_insert(json!([]));
    match guild_id {
        Some(guild_id) => {
            command.insert("guild_id".into(), json!(guild_id.to_string()));
            command.remove("dm_permission");
        }
        None => {
            command.entry("dm_permission").or_insert(json!(true));
            command.entry("integration_types").or_insert(json!([0]));
            command.entry("contexts").or_insert(Value::Null);
        }
    }
    if command
        .get("default_member_permissions")
        .is_some_and(Value::is_u64)
    {
        let bits = command["default_member_permissions"].as_u64().unwrap_or(0);
        command.insert("default_member_permissions".into(), json!(bits.to_string()));
    }
    Value::Object(command)
}

/// A JSON error body `{"message","code"}`.
pub fn error(code: u64, message: &str) -> Value {
    json!({ "message": message, "code": code })
}

/// A 50035 "Invalid Form Body" error with Discord's nested `errors` tree.
pub fn form_error(errors: Value) -> Value {
    json!({ "message": "Invalid Form Body", "code": 50035, "errors": errors })
}

/// The body of a 429.
pub fn rate_limited(retry_after: f64) -> Value {
    json!({ "message": "You are being rate limited.", "retry_after": retry_after, "global": false })
}
