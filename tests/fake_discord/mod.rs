//! A fake of Discord's REST API v10 and gateway on 127.0.0.1 (random port),
//! for end-to-end tests that run the real bot with `discord.api_url` set to
//! [`FakeDiscord::api_url`]. It speaks the real protocol (Hello, Identify,
//! READY, heartbeats, Resume, op 7/9, close codes; interaction callbacks,
//! follow-ups, channel messages, pins, command registration), answers the way
//! Discord does when the bot breaks a rule (late or double acks, missing
//! `allowed_mentions`, message and component limits…), and records every
//! broken rule in [`FakeDiscord::violations`]. It never touches the network
//! beyond the loopback interface and stops when dropped.

#![allow(dead_code)]

pub mod gateway;
pub mod payloads;
pub mod rest;
pub mod rules;

use std::collections::hash_map::RandomState;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hasher};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

/// Application id; also the bot user's id.
pub const APP_ID: u64 = 1_300_000_000_000_000_001;
/// The one guild the bot is in.
pub const GUILD_ID: u64 = 1_300_000_000_000_000_002;
/// The one text channel of that guild.
pub const CHANNEL_ID: u64 = 1_300_000_000_000_000_003;
/// The application owner's user id.
pub const OWNER_ID: u64 = 1_300_000_000_000_000_004;
/// Ids of the roles the fake invents to carry members' permissions:
/// `PERMISSION_ROLE_BASE + i` for the i-th distinct permission set.
pub const PERMISSION_ROLE_BASE: u64 = 1_300_000_000_000_000_100;
/// The bot user's name.
pub const BOT_NAME: &str = "verbatim";

/// Permission bits (Discord's values; serenity 0.12.5 lacks PIN_MESSAGES).
pub const VIEW_CHANNEL: u64 = 1 << 10;
pub const SEND_MESSAGES: u64 = 1 << 11;
pub const MANAGE_MESSAGES: u64 = 1 << 13;
pub const EMBED_LINKS: u64 = 1 << 14;
pub const READ_MESSAGE_HISTORY: u64 = 1 << 16;
pub const USE_APPLICATION_COMMANDS: u64 = 1 << 31;
pub const SEND_MESSAGES_IN_THREADS: u64 = 1 << 38;
pub const PIN_MESSAGES: u64 = 1 << 51;
/// What an ordinary member may do in the channel.
pub const MEMBER_PERMISSIONS: u64 =
    VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | READ_MESSAGE_HISTORY | USE_APPLICATION_COMMANDS;
/// The bot's permissions in the channel unless [`FakeDiscord::set_app_permissions`]
/// says otherwise: enough to answer, send messages with embeds and pin.
pub const DEFAULT_APP_PERMISSIONS: u64 = VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | READ_MESSAGE_HISTORY
    | USE_APPLICATION_COMMANDS
    | SEND_MESSAGES_IN_THREADS
    | PIN_MESSAGES;

/// Gateway intents the fake looks at.
pub const INTENT_GUILD_MESSAGES: u64 = 1 << 9;
pub const INTENT_MESSAGE_CONTENT: u64 = 1 << 15;

/// An interaction token dies this long after dispatch unless acknowledged.
pub const ACK_DEADLINE: Duration = Duration::from_secs(3);
/// Follow-ups work this long after dispatch.
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(15 * 60);
/// `retry_after` of the 429 served with [`Options::rate_limit_first_followup`].
pub const RETRY_AFTER: Duration = Duration::from_millis(300);
/// Discord's per-channel pin limit.
pub const MAX_PINS: usize = 250;

/// How the fake misbehaves, on purpose.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `PUT .../commands` answers 500 `{"message","code":0}` every time.
    pub fail_command_registration: bool,
    /// The first `POST /webhooks/...` answers 429 (retry_after 0.3 s, with
    /// the rate-limit headers); later ones are normal, except that a retry
    /// sooner than `retry_after` gets another 429 and a violation.
    pub rate_limit_first_followup: bool,
    /// Right after sending READY, close the gateway socket with this code
    /// (e.g. 4004 "Authentication failed"), after every READY.
    pub close_with: Option<u16>,
}

/// A guild member who uses the bot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub user_id: u64,
    pub name: String,
    /// Raw permission bits in the channel (may include bit 51, PIN_MESSAGES).
    pub permissions: u64,
    pub roles: Vec<u64>,
}

impl Member {
    /// A member without roles.
    pub fn new(user_id: u64, name: &str, permissions: u64) -> Self {
        Self {
            user_id,
            name: name.to_string(),
            permissions,
            roles: Vec::new(),
        }
    }

    /// An ordinary member ([`MEMBER_PERMISSIONS`]).
    pub fn regular(user_id: u64, name: &str) -> Self {
        Self::new(user_id, name, MEMBER_PERMISSIONS)
    }

    /// A moderator: ordinary rights plus MANAGE_MESSAGES and PIN_MESSAGES.
    pub fn moderator(user_id: u64, name: &str) -> Self {
        Self::new(
            user_id,
            name,
            MEMBER_PERMISSIONS | MANAGE_MESSAGES | PIN_MESSAGES,
        )
    }
}

/// An interaction the fake dispatched.
#[derive(Clone, Debug)]
pub struct Interaction {
    pub id: u64,
    pub token: String,
    pub sent_at: Instant,
}

/// One accepted interaction callback.
#[derive(Clone, Debug)]
pub struct Ack {
    /// Callback type: 4 message, 5 deferred message, 6 deferred update,
    /// 7 update message, 9 modal.
    pub kind: u8,
    /// `data.flags` (64 = ephemeral), 0 when absent.
    pub flags: u64,
    /// The callback's `data` (`null` when absent).
    pub data: Value,
    /// Time from dispatch to the callback.
    pub after: Duration,
}

/// What the bot did with one interaction.
#[derive(Clone, Debug, Default)]
pub struct InteractionLog {
    /// Accepted callbacks (at most one).
    pub acks: Vec<Ack>,
    /// Callbacks Discord refused: a second callback (40060), one after the
    /// 3 s deadline (10062), or one with an invalid type or body (50035,
    /// 50006).
    pub rejected_acks: usize,
    /// Accepted `POST /webhooks/{app}/{token}` bodies.
    pub followups: Vec<Value>,
    /// Accepted `PATCH /webhooks/{app}/{token}/messages/...` bodies.
    pub edits: Vec<Value>,
}

/// A frame for a gateway connection's writer.
#[derive(Clone, Debug)]
pub(crate) enum WsOut {
    Text(String),
    Close(u16, String),
}

/// The gateway session (one at a time, as for a single-shard bot).
pub(crate) struct Session {
    pub id: String,
    pub seq: u64,
    /// Every dispatch of this session, for replay on Resume.
    pub log: Vec<(u64, String)>,
    pub resumable: bool,
    /// The connection that currently receives this session's dispatches.
    pub conn: Option<(u64, mpsc::UnboundedSender<WsOut>)>,
}

pub(crate) struct InteractionState {
    pub id: u64,
    pub token: String,
    /// 2 command, 3 component.
    pub kind: u8,
    /// Command name or custom id, for messages.
    pub label: String,
    pub sent_at: Instant,
    pub acks: Vec<Ack>,
    pub rejected_acks: usize,
    pub followups: Vec<Value>,
    pub edits: Vec<Value>,
    /// Visible answers in order: type 4/7 ack data, follow-ups, edits.
    pub answers: Vec<Value>,
    /// The message `@original` refers to.
    pub original: Option<u64>,
    /// `@original` is still the "thinking…" message of a type-5 defer.
    pub original_loading: bool,
    /// Messages created through this interaction's token.
    pub messages: Vec<u64>,
    /// The message a component interaction was clicked on.
    pub clicked: Option<u64>,
}

pub(crate) struct StoredMessage {
    pub json: Value,
    pub ephemeral: bool,
    /// Bodies this message was created from or updated with, so a test can
    /// hand a recorded body back to [`FakeDiscord::click_button`].
    pub bodies: Vec<Value>,
}

pub(crate) struct State {
    pub identify_count: usize,
    pub resume_count: usize,
    pub ready: bool,
    pub session: Option<Session>,
    pub intents: Option<u64>,
    pub next_conn: u64,

    pub registered_body: Vec<Value>,
    pub registered: Vec<Value>,
    pub registration_attempts: usize,

    pub interactions: HashMap<u64, InteractionState>,
    pub tokens: HashMap<String, u64>,
    pub messages: HashMap<u64, StoredMessage>,
    pub channel_messages: Vec<Value>,
    pub pins: Vec<(u64, u64)>,
    pub message_edits: Vec<Value>,
    pub members: HashMap<u64, Member>,
    /// Distinct member permission sets; role `PERMISSION_ROLE_BASE + i`
    /// carries `permission_sets[i]`.
    pub permission_sets: Vec<u64>,
    pub app_permissions: u64,

    pub violations: Vec<String>,
    pub requests: Vec<String>,
    pub rate_limited: usize,
    pub rate_limit_served: bool,
    pub rate_limited_until: Option<Instant>,

    pub last_snowflake: u64,
    pub random: RandomState,
}

impl State {
    fn new() -> Self {
        Self {
            identify_count: 0,
            resume_count: 0,
            ready: false,
            session: None,
            intents: None,
            next_conn: 0,
            registered_body: Vec::new(),
            registered: Vec::new(),
            registration_attempts: 0,
            interactions: HashMap::new(),
            tokens: HashMap::new(),
            messages: HashMap::new(),
            channel_messages: Vec::new(),
            pins: Vec::new(),
            message_edits: Vec::new(),
            members: HashMap::new(),
            permission_sets: Vec::new(),
            app_permissions: DEFAULT_APP_PERMISSIONS,
            violations: Vec::new(),
            requests: Vec::new(),
            rate_limited: 0,
            rate_limit_served: false,
            rate_limited_until: None,
            last_snowflake: 0,
            random: RandomState::new(),
        }
    }

    /// Remember a member and return all its role ids: the test's roles plus
    /// the invented role that grants exactly `member.permissions` (@everyone
    /// grants nothing, there are no channel overwrites), so a bot computing
    /// permissions from `GET /guilds/{g}`, `/roles` and `/channels/{c}`
    /// finds the same bits as the interaction's `member.permissions`.
    pub fn member_roles(&mut self, member: &Member) -> Vec<u64> {
        self.members.insert(member.user_id, member.clone());
        let index = match self
            .permission_sets
            .iter()
            .position(|p| *p == member.permissions)
        {
            Some(index) => index,
            None => {
                self.permission_sets.push(member.permissions);
                self.permission_sets.len() - 1
            }
        };
        let mut roles = member.roles.clone();
        roles.push(PERMISSION_ROLE_BASE + index as u64);
        roles
    }

    /// The guild's roles: @everyone, every role a test member had, and the
    /// invented permission roles.
    pub fn roles_json(&self) -> Vec<Value> {
        let mut roles = vec![payloads::role(GUILD_ID, "@everyone", 0, 0)];
        let mut seen = HashSet::new();
        let mut test_roles: Vec<u64> = self
            .members
            .values()
            .flat_map(|m| m.roles.iter().copied())
            .collect();
        test_roles.sort_unstable();
        for role in test_roles {
            if seen.insert(role) {
                let position = roles.len() as u64;
                roles.push(payloads::role(role, &format!("role-{role}"), 0, position));
            }
        }
        for (i, bits) in self.permission_sets.iter().enumerate() {
            let position = roles.len() as u64;
            let id = PERMISSION_ROLE_BASE + i as u64;
            roles.push(payloads::role(
                id,
                &format!("permissions-{bits:x}"),
                *bits,
                position,
            ));
        }
        roles
    }

    /// A fresh snowflake, increasing.
    pub fn snowflake(&mut self) -> u64 {
        let candidate = payloads::snowflake_at(payloads::unix_ms(), 0);
        self.last_snowflake = candidate.max(self.last_snowflake + 1);
        self.last_snowflake
    }

    /// A random hex string of `words` × 16 digits.
    pub fn random_hex(&mut self, words: usize) -> String {
        (0..words)
            .map(|i| {
                let mut hasher = self.random.build_hasher();
                hasher.write_u64(self.last_snowflake);
                hasher.write_usize(i);
                hasher.write_u128(payloads::unix_ms() as u128);
                self.last_snowflake += 1;
                format!("{:016x}", hasher.finish())
            })
            .collect()
    }

    pub fn violation(&mut self, what: String) {
        eprintln!("fake discord: VIOLATION: {what}");
        self.violations.push(what);
    }

    /// Send a dispatch on the current session; it is logged for replay on
    /// Resume even when no connection is attached. Returns its sequence.
    pub fn dispatch(&mut self, event: &str, d: Value) -> Option<u64> {
        let Some(session) = self.session.as_mut() else {
            eprintln!("fake discord: {event} dropped: the bot never identified");
            return None;
        };
        session.seq += 1;
        let frame = payloads::dispatch(session.seq, event, d).to_string();
        session.log.push((session.seq, frame.clone()));
        if let Some((_, tx)) = &session.conn {
            let _ = tx.send(WsOut::Text(frame));
        }
        Some(session.seq)
    }

    /// Store a message; returns its id.
    pub fn store_message(&mut self, json: Value, ephemeral: bool, body: Option<&Value>) -> u64 {
        let id = json["id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let bodies = body.into_iter().cloned().collect();
        self.messages.insert(
            id,
            StoredMessage {
                json,
                ephemeral,
                bodies,
            },
        );
        id
    }

    /// Store a message the bot created and, like Discord, dispatch
    /// MESSAGE_CREATE for it to the bot itself when it is not ephemeral and
    /// the bot has the GUILD_MESSAGES intent (a bot must ignore its own
    /// messages). Returns its id.
    pub fn store_bot_message(&mut self, json: Value, ephemeral: bool, body: Option<&Value>) -> u64 {
        if !ephemeral && self.intents.is_some_and(|i| i & INTENT_GUILD_MESSAGES != 0) {
            let bot = Member::new(APP_ID, BOT_NAME, self.app_permissions);
            let roles = self.member_roles(&bot);
            self.dispatch(
                "MESSAGE_CREATE",
                payloads::guild_message_event(&json, &roles),
            );
        }
        self.store_message(json, ephemeral, body)
    }

    /// The registered command (as returned by PUT) with this name.
    pub fn registered_command(&self, name: &str) -> Option<&Value> {
        self.registered
            .iter()
            .find(|c| c["name"] == json!(name) && c["type"].as_u64().unwrap_or(1) == 1)
    }

    fn new_interaction(&mut self, kind: u8, label: &str) -> (u64, String) {
        let id = self.snowflake();
        let token = format!("aW50ZXJhY3Rpb246{id}:{}", self.random_hex(4));
        self.tokens.insert(token.clone(), id);
        self.interactions.insert(
            id,
            InteractionState {
                id,
                token: token.clone(),
                kind,
                label: label.to_string(),
                sent_at: Instant::now(),
                acks: Vec::new(),
                rejected_acks: 0,
                followups: Vec::new(),
                edits: Vec::new(),
                answers: Vec::new(),
                original: None,
                original_loading: false,
                messages: Vec::new(),
                clicked: None,
            },
        );
        (id, token)
    }
}

pub(crate) struct Shared {
    pub state: Mutex<State>,
    pub options: Options,
    pub http_url: String,
    pub ws_url: String,
    pub shutdown: watch::Receiver<bool>,
}

impl Shared {
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The fake server. Dropping it stops everything it started.
pub struct FakeDiscord {
    shared: Arc<Shared>,
    addr: SocketAddr,
    server: JoinHandle<()>,
    shutdown: watch::Sender<bool>,
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        self.server.abort();
    }
}

async fn poll<T>(timeout: Duration, mut probe: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(found) = probe() {
            return Some(found);
        }
        if Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn option_value(name: &str, kind: u64, raw: &str) -> Result<Value, String> {
    let bad = |what: &str| format!("option `{name}` is registered as {what}, got {raw:?}");
    Ok(match kind {
        4 => json!(raw.parse::<i64>().map_err(|_| bad("an integer"))?),
        10 => json!(raw.parse::<f64>().map_err(|_| bad("a number"))?),
        5 => json!(raw.parse::<bool>().map_err(|_| bad("a boolean"))?),
        6..=9 | 11 => {
            raw.parse::<u64>().map_err(|_| bad("a snowflake"))?;
            json!(raw)
        }
        _ => json!(raw),
    })
}

/// Find a component by custom id in a message's component tree.
fn find_component<'a>(components: &'a Value, custom_id: &str) -> Option<&'a Value> {
    components.as_array()?.iter().find_map(|component| {
        if component["custom_id"] == json!(custom_id) {
            Some(component)
        } else {
            find_component(&component["components"], custom_id)
        }
    })
}

impl FakeDiscord {
    /// Bind 127.0.0.1 on a random port and serve REST and the gateway.
    pub async fn start(options: Options) -> FakeDiscord {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let (shutdown_tx, shutdown_rx) = watch::channel(false);
        let shared = Arc::new(Shared {
            state: Mutex::new(State::new()),
            options,
            http_url: format!("http://{addr}"),
            ws_url: format!("ws://{addr}/ws"),
            shutdown: shutdown_rx,
        });
        let app = axum::Router::new()
            .route("/ws", axum::routing::get(gateway::upgrade))
            .fallback(rest::handle)
            .with_state(Arc::clone(&shared));
        let server = tokio::spawn(async move {
            if let Err(err) = axum::serve(listener, app).await {
                eprintln!("fake discord: server stopped: {err}");
            }
        });
        FakeDiscord {
            shared,
            addr,
            server,
            shutdown: shutdown_tx,
        }
    }

    /// `http://127.0.0.1:PORT`, for `HttpBuilder::proxy` / `discord.api_url`.
    pub fn api_url(&self) -> String {
        self.shared.http_url.clone()
    }

    /// `ws://127.0.0.1:PORT/ws`, what `GET /gateway` answers.
    pub fn gateway_url(&self) -> String {
        self.shared.ws_url.clone()
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// True once READY (after Identify) or RESUMED (after Resume) was sent.
    /// [`Self::send_reconnect`] and [`Self::send_invalid_session`] reset it,
    /// so waiting again after them waits for the new handshake.
    pub async fn wait_for_ready(&self, timeout: Duration) -> bool {
        poll(timeout, || self.shared.lock().ready.then_some(()))
            .await
            .is_some()
    }

    pub async fn identify_count(&self) -> usize {
        self.shared.lock().identify_count
    }

    /// Resume (op 6) payloads received, accepted or not.
    pub async fn resume_count(&self) -> usize {
        self.shared.lock().resume_count
    }

    /// Intents of the last Identify.
    pub async fn intents(&self) -> Option<u64> {
        self.shared.lock().intents
    }

    /// The last body PUT to the global or guild commands route (accepted).
    pub async fn registered_commands(&self) -> Vec<Value> {
        self.shared.lock().registered_body.clone()
    }

    /// The commands as the fake returned them (with ids, versions…).
    pub async fn registered_command_objects(&self) -> Vec<Value> {
        self.shared.lock().registered.clone()
    }

    /// `PUT .../commands` requests received, failed ones included.
    pub async fn registration_attempts(&self) -> usize {
        self.shared.lock().registration_attempts
    }

    /// The bot's permissions in the channel (interaction `app_permissions`,
    /// and checked for channel messages and pins: 403 code 50013).
    pub async fn set_app_permissions(&self, bits: u64) {
        self.shared.lock().app_permissions = bits;
    }

    /// Dispatch INTERACTION_CREATE for a chat-input command. `name` may be
    /// `"cmd"` or `"cmd sub"` / `"cmd group sub"`. Option values are strings
    /// converted to the type the bot registered (string when unknown).
    pub async fn slash_command(
        &self,
        member: &Member,
        name: &str,
        options: &[(&str, &str)],
    ) -> Interaction {
        let mut st = self.shared.lock();
        let roles = st.member_roles(member);
        let path: Vec<&str> = name.split_whitespace().collect();
        let top = path.first().copied().unwrap_or("");
        let registered = st.registered_command(top).cloned();
        let mut problems = Vec::new();
        let (command_id, guild_id) = match &registered {
            Some(command) => (
                command["id"]
                    .as_str()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0),
                command["guild_id"].as_str().and_then(|s| s.parse().ok()),
            ),
            None => {
                problems.push(format!(
                    "slash_command /{name}: the bot never registered a command named `{top}`, \
                     Discord could not offer it"
                ));
                (payloads::snowflake_at(payloads::unix_ms(), 1), None)
            }
        };
        // Walk down subcommand groups / subcommands in the registration.
        let mut level = registered.as_ref().map(|c| c["options"].clone());
        let mut kinds = Vec::new();
        for sub in path.iter().skip(1) {
            let found = level
                .as_ref()
                .and_then(|opts| opts.as_array())
                .and_then(|opts| opts.iter().find(|o| o["name"] == json!(sub)))
                .cloned();
            let kind = found.as_ref().and_then(|o| o["type"].as_u64()).unwrap_or(1);
            if registered.is_some() && found.is_none() {
                problems.push(format!("slash_command /{name}: `{sub}` is not registered"));
            }
            kinds.push(kind);
            level = found.map(|o| o["options"].clone());
        }
        let mut leaf = Vec::new();
        for (option, raw) in options {
            let spec = level
                .as_ref()
                .and_then(|opts| opts.as_array())
                .and_then(|opts| opts.iter().find(|o| o["name"] == json!(option)));
            let kind = spec.and_then(|o| o["type"].as_u64()).unwrap_or(3);
            if registered.is_some() && spec.is_none() {
                problems.push(format!(
                    "slash_command /{name}: option `{option}` is not registered"
                ));
            }
            let value = option_value(option, kind, raw).unwrap_or_else(|why| {
                problems.push(format!("slash_command /{name}: {why}"));
                json!(raw)
            });
            leaf.push(payloads::command_option(option, kind, value));
        }
        let mut opts = leaf;
        for (sub, kind) in path.iter().skip(1).zip(kinds).rev() {
            opts = vec![payloads::command_option_group(sub, kind, opts)];
        }
        for problem in problems {
            st.violation(problem);
        }
        let (id, token) = st.new_interaction(2, name);
        let data = payloads::command_data(command_id, top, opts, guild_id);
        let member_json = payloads::interaction_member(member, &roles);
        let payload =
            payloads::command_interaction(id, &token, member_json, data, st.app_permissions);
        let sent_at = Instant::now();
        if let Some(ix) = st.interactions.get_mut(&id) {
            ix.sent_at = sent_at;
        }
        st.dispatch("INTERACTION_CREATE", payload);
        Interaction { id, token, sent_at }
    }

    /// Dispatch INTERACTION_CREATE for a click on the button `custom_id` of
    /// `message`. `message` may be a Message object the fake returned, or a
    /// body the bot sent (as from [`Self::wait_for_followup`]); the fake
    /// sends the current state of the stored message it refers to.
    pub async fn click_button(
        &self,
        member: &Member,
        message: &Value,
        custom_id: &str,
    ) -> Interaction {
        let mut st = self.shared.lock();
        let roles = st.member_roles(member);
        let by_id = message["id"]
            .as_str()
            .and_then(|s| s.parse::<u64>().ok())
            .filter(|id| st.messages.contains_key(id));
        let by_body = || {
            st.messages
                .iter()
                .filter(|(_, m)| m.bodies.iter().any(|b| b == message))
                .map(|(id, _)| *id)
                .max()
        };
        let message_id = match by_id.or_else(by_body) {
            Some(id) => id,
            None if message.get("timestamp").is_some() && message.get("id").is_some() => {
                st.store_message(message.clone(), false, None)
            }
            None => {
                let id = st.snowflake();
                let json = payloads::message(
                    id,
                    CHANNEL_ID,
                    &payloads::bot_user(),
                    message,
                    payloads::Origin::Interaction,
                );
                st.store_message(json, false, Some(message))
            }
        };
        let json = st.messages[&message_id].json.clone();
        let component = find_component(&json["components"], custom_id).cloned();
        let component_type = match &component {
            None => {
                st.violation(format!(
                    "click_button {custom_id:?}: the message has no component with that \
                     custom_id (components: {})",
                    json["components"]
                ));
                2
            }
            Some(component) => {
                if component["disabled"] == json!(true) {
                    st.violation(format!(
                        "click_button {custom_id:?}: the button is disabled, a user cannot click it"
                    ));
                }
                component["type"].as_u64().unwrap_or(2)
            }
        };
        let (id, token) = st.new_interaction(3, custom_id);
        let payload = payloads::component_interaction(
            id,
            &token,
            payloads::interaction_member(member, &roles),
            custom_id,
            component_type,
            json,
            st.app_permissions,
        );
        let sent_at = Instant::now();
        if let Some(ix) = st.interactions.get_mut(&id) {
            ix.sent_at = sent_at;
            ix.clicked = Some(message_id);
            ix.original = Some(message_id);
        }
        st.dispatch("INTERACTION_CREATE", payload);
        Interaction { id, token, sent_at }
    }

    /// Dispatch MESSAGE_CREATE for `<@APP_ID> content_after_mention` by
    /// `member` (mentions = [bot]). Like Discord, nothing is delivered when
    /// the bot did not identify with the GUILD_MESSAGES intent (recorded as
    /// a violation). Returns the message id.
    pub async fn mention_message(&self, member: &Member, content_after_mention: &str) -> u64 {
        let mut st = self.shared.lock();
        let roles = st.member_roles(member);
        let id = st.snowflake();
        let content = format!("<@{APP_ID}> {content_after_mention}");
        let payload =
            payloads::message_create(id, member, &roles, &content, vec![payloads::bot_user()]);
        let mut stored = payload.clone();
        if let Some(map) = stored.as_object_mut() {
            map.remove("member");
            map.remove("guild_id");
            map.remove("nonce");
        }
        st.store_message(stored, false, None);
        match st.intents {
            Some(intents) if intents & INTENT_GUILD_MESSAGES == 0 => {
                st.violation(format!(
                    "mention_message: the bot identified with intents {intents} without \
                     GUILD_MESSAGES (1<<9); Discord does not deliver MESSAGE_CREATE"
                ));
            }
            _ => {
                st.dispatch("MESSAGE_CREATE", payload);
            }
        }
        id
    }

    pub async fn interaction_log(&self, id: u64) -> InteractionLog {
        let st = self.shared.lock();
        match st.interactions.get(&id) {
            Some(ix) => InteractionLog {
                acks: ix.acks.clone(),
                rejected_acks: ix.rejected_acks,
                followups: ix.followups.clone(),
                edits: ix.edits.clone(),
            },
            None => InteractionLog::default(),
        }
    }

    /// The first visible answer to an interaction: the `data` of a type 4/7
    /// ack, else the first follow-up or `@original` edit (after a 5/6 defer).
    pub async fn wait_for_followup(&self, id: u64, timeout: Duration) -> Option<Value> {
        poll(timeout, || {
            self.shared
                .lock()
                .interactions
                .get(&id)
                .and_then(|ix| ix.answers.first().cloned())
        })
        .await
    }

    /// The message an interaction's `@original` is now (after a deferral:
    /// the message its first follow-up became), with its id, so that
    /// [`Self::click_button`] finds it without comparing bodies.
    pub async fn original_message(&self, interaction: u64) -> Option<Value> {
        let st = self.shared.lock();
        let id = st.interactions.get(&interaction)?.original?;
        st.messages.get(&id).map(|m| m.json.clone())
    }

    /// Bodies of accepted `POST /channels/{c}/messages`.
    pub async fn channel_messages(&self) -> Vec<Value> {
        self.shared.lock().channel_messages.clone()
    }

    /// The current state of a message the fake knows (bot or user message).
    pub async fn message(&self, id: u64) -> Option<Value> {
        self.shared.lock().messages.get(&id).map(|m| m.json.clone())
    }

    /// `(channel, message)` of every accepted pin request, both routes.
    pub async fn pins(&self) -> Vec<(u64, u64)> {
        self.shared.lock().pins.clone()
    }

    /// Bodies of accepted `PATCH /channels/{c}/messages/{m}` and
    /// `PATCH /webhooks/{app}/{token}/messages/{…}`.
    pub async fn message_edits(&self) -> Vec<Value> {
        self.shared.lock().message_edits.clone()
    }

    /// Every rule the bot broke, human readable.
    pub async fn violations(&self) -> Vec<String> {
        self.shared.lock().violations.clone()
    }

    /// `METHOD /path -> status` for every REST request, in order.
    pub async fn requests(&self) -> Vec<String> {
        self.shared.lock().requests.clone()
    }

    /// Send op 7 Reconnect on the live connection. Dispatches made before
    /// the bot resumes are replayed after its Resume, as Discord does.
    pub async fn send_reconnect(&self) {
        let mut st = self.shared.lock();
        st.ready = false;
        if let Some(session) = st.session.as_mut()
            && let Some((_, tx)) = session.conn.take()
        {
            let _ = tx.send(WsOut::Text(payloads::reconnect().to_string()));
        }
    }

    /// Send op 9 Invalid Session. With `resumable == false` the session is
    /// dead: a Resume gets op 9 false again and only Identify works.
    pub async fn send_invalid_session(&self, resumable: bool) {
        let mut st = self.shared.lock();
        st.ready = false;
        if let Some(session) = st.session.as_mut() {
            if !resumable {
                session.resumable = false;
            }
            if let Some((_, tx)) = session.conn.take() {
                let _ = tx.send(WsOut::Text(
                    payloads::invalid_session(resumable).to_string(),
                ));
            }
        }
    }

    /// How many 429 answers were served.
    pub async fn rate_limited_requests(&self) -> usize {
        self.shared.lock().rate_limited
    }
}

/// Parse a snowflake path segment.
pub(crate) fn snowflake(segment: &str) -> Option<u64> {
    segment.parse().ok()
}

/// Ids of messages in `channel` that are pinned.
pub(crate) fn pinned_in(state: &State, channel: u64) -> HashSet<u64> {
    state
        .messages
        .iter()
        .filter(|(_, m)| {
            m.json["pinned"] == json!(true) && m.json["channel_id"] == json!(channel.to_string())
        })
        .map(|(id, _)| *id)
        .collect()
}
