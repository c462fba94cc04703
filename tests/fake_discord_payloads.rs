//! Checks on the fake Discord itself, without the bot: every payload it
//! sends deserializes into serenity 0.12.5's model types (serenity silently
//! drops a dispatch that does not), its rule checks catch what Discord
//! refuses, its REST answers look like Discord's on the wire, and a real
//! serenity client can log in, get commands registered, answer a slash
//! command, a button and a mention, survive a reconnect, and stop on close
//! code 4004 against it.

mod fake_discord;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fake_discord::rules::{self, check_message};
use fake_discord::{
    APP_ID, CHANNEL_ID, FakeDiscord, GUILD_ID, MANAGE_MESSAGES, Member, Options, PIN_MESSAGES,
    payloads,
};
use serde_json::{Value, json};
use serenity::all::{
    ChannelId, Command, CommandOptionType, Context, CreateActionRow, CreateAllowedMentions,
    CreateButton, CreateCommand, CreateCommandOption, CreateInteractionResponse,
    CreateInteractionResponseFollowup, CreateInteractionResponseMessage, CreateMessage,
    EventHandler, GatewayIntents, HttpBuilder, Message, Ready, UserId,
};
use serenity::model::application::Interaction as SerenityInteraction;
use serenity::model::event::{Event, GatewayEvent};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

const WAIT: Duration = Duration::from_secs(10);

fn alice() -> Member {
    Member::new(
        4242,
        "alice",
        fake_discord::MEMBER_PERMISSIONS | PIN_MESSAGES,
    )
}

fn parse<T: serde::de::DeserializeOwned>(what: &str, value: &Value) -> T {
    match serde_json::from_value(value.clone()) {
        Ok(parsed) => parsed,
        Err(err) => panic!("{what} does not deserialize: {err}\n{value:#}"),
    }
}

fn dispatch_event(frame: &Value) -> Event {
    match parse::<GatewayEvent>("dispatch frame", frame) {
        GatewayEvent::Dispatch(_, event) => {
            // Event round trip: serialize and read back.
            let again = serde_json::to_value(&event).expect("serialize Event");
            let _: Event = parse("re-serialized Event", &again);
            event
        }
        other => panic!("not a dispatch: {other:?}"),
    }
}

fn sample_body() -> Value {
    json!({
        "content": "An answer",
        "embeds": [{
            "title": "Title",
            "description": "Description",
            "color": 0x5865F2,
            "fields": [{ "name": "Source", "value": "corpus/a.md" }],
            "footer": { "text": "footer" },
            "author": { "name": "verbatim" },
        }],
        "components": [{
            "type": 1,
            "components": [
                { "type": 2, "style": 1, "custom_id": "pin:1", "label": "Pin" },
                { "type": 2, "style": 5, "url": "https://example.com", "label": "Link" },
            ],
        }],
        "allowed_mentions": { "parse": [] },
    })
}

// ---------------------------------------------------------------- payloads

#[test]
fn timestamps_are_rfc3339_like_discord() {
    assert_eq!(payloads::timestamp(0), "1970-01-01T00:00:00.000000+00:00");
    assert_eq!(
        payloads::timestamp(1_709_251_199_123),
        "2024-02-29T23:59:59.123000+00:00"
    );
    let now = payloads::timestamp_now();
    let parsed: serenity::model::Timestamp = parse("timestamp", &json!(now));
    assert!(parsed.unix_timestamp() > 1_700_000_000);
}

#[test]
fn ready_deserializes() {
    let d = payloads::ready("abc", "ws://127.0.0.1:1/ws", Some([0, 1]));
    let ready: Ready = parse("READY d", &d);
    assert_eq!(ready.application.id.get(), APP_ID);
    assert_eq!(ready.user.id.get(), APP_ID);
    assert!(ready.user.bot);
    assert_eq!(ready.session_id, "abc");
    assert_eq!(ready.resume_gateway_url, "ws://127.0.0.1:1/ws");
    let frame = payloads::dispatch(1, "READY", d);
    assert!(matches!(dispatch_event(&frame), Event::Ready(_)));
}

#[test]
fn control_frames_deserialize() {
    assert!(matches!(
        parse::<GatewayEvent>("hello", &payloads::hello()),
        GatewayEvent::Hello(41250)
    ));
    assert!(matches!(
        parse::<GatewayEvent>("ack", &payloads::heartbeat_ack()),
        GatewayEvent::HeartbeatAck
    ));
    assert!(matches!(
        parse::<GatewayEvent>("reconnect", &payloads::reconnect()),
        GatewayEvent::Reconnect
    ));
    assert!(matches!(
        parse::<GatewayEvent>("invalid session", &payloads::invalid_session(true)),
        GatewayEvent::InvalidateSession(true)
    ));
    let resumed = payloads::dispatch(7, "RESUMED", payloads::resumed());
    assert!(matches!(dispatch_event(&resumed), Event::Resumed(_)));
}

#[test]
fn command_interaction_deserializes() {
    let member = Member {
        roles: vec![77],
        ..alice()
    };
    let roles = vec![77, fake_discord::PERMISSION_ROLE_BASE];
    let data = payloads::command_data(
        99,
        "ask",
        vec![
            payloads::command_option("question", 3, json!("how tall?")),
            payloads::command_option("count", 4, json!(3)),
        ],
        Some(GUILD_ID),
    );
    let d = payloads::command_interaction(
        5,
        "tok",
        payloads::interaction_member(&member, &roles),
        data,
        fake_discord::DEFAULT_APP_PERMISSIONS,
    );
    let SerenityInteraction::Command(cmd) = parse::<SerenityInteraction>("command", &d) else {
        panic!("not a command interaction");
    };
    assert_eq!(cmd.id.get(), 5);
    assert_eq!(cmd.token, "tok");
    assert_eq!(cmd.guild_id.map(|g| g.get()), Some(GUILD_ID));
    assert_eq!(cmd.channel_id.get(), CHANNEL_ID);
    assert_eq!(cmd.user.id.get(), 4242, "user is filled from member");
    let m = cmd.member.as_ref().expect("member");
    assert_eq!(m.roles.len(), 2);
    assert!(
        m.permissions
            .expect("permissions")
            .contains(serenity::all::Permissions::SEND_MESSAGES)
    );
    assert!(cmd.app_permissions.is_some());
    assert_eq!(cmd.data.name, "ask");
    assert_eq!(cmd.data.options[0].value.as_str(), Some("how tall?"));
    assert_eq!(cmd.data.options[1].value.as_i64(), Some(3));
    // Raw JSON keeps bit 51, which serenity drops.
    assert_eq!(
        d["member"]["permissions"]
            .as_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            & PIN_MESSAGES,
        PIN_MESSAGES
    );
    let frame = payloads::dispatch(2, "INTERACTION_CREATE", d);
    assert!(matches!(
        dispatch_event(&frame),
        Event::InteractionCreate(_)
    ));

    // Subcommands nest.
    let data = payloads::command_data(
        99,
        "admin",
        vec![payloads::command_option_group(
            "reindex",
            1,
            vec![payloads::command_option("full", 5, json!(true))],
        )],
        None,
    );
    let d = payloads::command_interaction(
        6,
        "t",
        payloads::interaction_member(&member, &roles),
        data,
        0,
    );
    assert!(matches!(
        parse::<SerenityInteraction>("subcommand", &d),
        SerenityInteraction::Command(_)
    ));
}

#[test]
fn messages_deserialize() {
    let bot = payloads::bot_user();
    for origin in [payloads::Origin::Channel, payloads::Origin::Interaction] {
        let m = payloads::message(10, CHANNEL_ID, &bot, &sample_body(), origin);
        let message: Message = parse("message", &m);
        assert_eq!(message.content, "An answer");
        assert_eq!(message.embeds.len(), 1);
        assert_eq!(message.embeds[0].fields[0].name, "Source");
        assert_eq!(message.components.len(), 1);
        assert_eq!(message.components[0].components.len(), 2);
        assert!(message.author.bot);
    }
    let mut reply = sample_body();
    reply["message_reference"] = json!({ "message_id": "11", "fail_if_not_exists": false });
    let m = payloads::message(12, CHANNEL_ID, &bot, &reply, payloads::Origin::Channel);
    let message: Message = parse("reply", &m);
    assert_eq!(
        message
            .message_reference
            .and_then(|r| r.message_id)
            .map(|m| m.get()),
        Some(11)
    );

    let mut loading = payloads::loading_message(13, true);
    let _: Message = parse("loading message", &loading);
    payloads::apply_edit(&mut loading, &sample_body());
    let edited: Message = parse("edited message", &loading);
    assert_eq!(edited.content, "An answer");
    assert!(edited.edited_timestamp.is_some());
    assert_eq!(loading["flags"], json!(64), "LOADING gone, EPHEMERAL kept");

    let d = payloads::message_create(14, &alice(), &[1], &format!("<@{APP_ID}> hi"), vec![bot]);
    let frame = payloads::dispatch(3, "MESSAGE_CREATE", d);
    let Event::MessageCreate(event) = dispatch_event(&frame) else {
        panic!("not MESSAGE_CREATE");
    };
    assert!(event.message.mentions_user_id(UserId::new(APP_ID)));
    assert_eq!(event.message.guild_id.map(|g| g.get()), Some(GUILD_ID));
    assert_eq!(event.message.author.id.get(), 4242);

    // The bot's own messages come back to it as MESSAGE_CREATE too.
    let own = payloads::message(
        15,
        CHANNEL_ID,
        &payloads::bot_user(),
        &sample_body(),
        payloads::Origin::Interaction,
    );
    let frame = payloads::dispatch(
        4,
        "MESSAGE_CREATE",
        payloads::guild_message_event(&own, &[9]),
    );
    let Event::MessageCreate(event) = dispatch_event(&frame) else {
        panic!("not MESSAGE_CREATE");
    };
    assert!(event.message.author.bot);
    assert_eq!(event.message.guild_id.map(|g| g.get()), Some(GUILD_ID));
}

#[test]
fn component_interaction_deserializes() {
    let message = payloads::message(
        20,
        CHANNEL_ID,
        &payloads::bot_user(),
        &sample_body(),
        payloads::Origin::Interaction,
    );
    let d = payloads::component_interaction(
        21,
        "tok",
        payloads::interaction_member(&alice(), &[]),
        "pin:1",
        2,
        message,
        0,
    );
    let SerenityInteraction::Component(click) = parse::<SerenityInteraction>("component", &d)
    else {
        panic!("not a component interaction");
    };
    assert_eq!(click.data.custom_id, "pin:1");
    assert_eq!(click.message.id.get(), 20);
    assert_eq!(click.user.id.get(), 4242);
    let frame = payloads::dispatch(4, "INTERACTION_CREATE", d);
    assert!(matches!(
        dispatch_event(&frame),
        Event::InteractionCreate(_)
    ));
}

#[test]
fn rest_objects_deserialize() {
    let sent = json!({
        "name": "ask",
        "description": "Ask the corpus",
        "type": 1,
        "options": [{ "type": 3, "name": "question", "description": "What", "required": true }],
        "default_member_permissions": MANAGE_MESSAGES,
    });
    for guild in [None, Some(GUILD_ID)] {
        let command: Command = parse(
            "command",
            &payloads::registered_command(&sent, 30, 31, guild),
        );
        assert_eq!(command.name, "ask");
        assert_eq!(command.application_id.get(), APP_ID);
        assert_eq!(command.options.len(), 1);
        assert_eq!(command.guild_id.map(|g| g.get()), guild);
    }
    let info: serenity::model::application::CurrentApplicationInfo =
        parse("application info", &payloads::application_info());
    assert_eq!(info.id.get(), APP_ID);
    assert!(info.owner.is_some());
    let user: serenity::model::user::CurrentUser = parse("current user", &payloads::current_user());
    assert_eq!(user.id.get(), APP_ID);
    let gateway: serenity::model::gateway::BotGateway =
        parse("gateway/bot", &payloads::gateway_bot("ws://127.0.0.1:1/ws"));
    assert_eq!(gateway.shards, 1);
    let _: serenity::model::gateway::Gateway = parse("gateway", &payloads::gateway("ws://x/ws"));
    let channel: serenity::model::channel::GuildChannel = parse("channel", &payloads::channel());
    assert_eq!(channel.id.get(), CHANNEL_ID);
    let roles = vec![
        payloads::role(GUILD_ID, "@everyone", 0, 0),
        payloads::role(7, "mods", MANAGE_MESSAGES | PIN_MESSAGES, 1),
    ];
    for role in &roles {
        let _: serenity::model::guild::Role = parse("role", role);
    }
    let guild: serenity::model::guild::PartialGuild = parse("guild", &payloads::guild(roles));
    assert_eq!(guild.roles.len(), 2);
    let member: serenity::model::guild::Member =
        parse("member", &payloads::guild_member(&alice(), &[7]));
    assert_eq!(member.user.id.get(), 4242);
    let error: serenity::http::DiscordJsonError = parse(
        "form error",
        &payloads::form_error(rules::errors_tree(
            "data",
            &check_message(&json!({ "content": "x".repeat(2001) }), true, 0).form,
        )),
    );
    assert_eq!(error.code, 50035);
    assert_eq!(error.errors[0].path, "data.content");
    assert_eq!(error.errors[0].code, "BASE_TYPE_MAX_LENGTH");
}

// ------------------------------------------------------------------- rules

fn form_paths(body: &Value) -> Vec<String> {
    check_message(body, true, 0)
        .form
        .into_iter()
        .map(|p| p.path)
        .collect()
}

#[test]
fn message_limits() {
    let ok = sample_body();
    let check = check_message(&ok, true, 0);
    assert!(!check.rejected() && check.mentions.is_none(), "{check:?}");

    let mut b = ok.clone();
    b["content"] = json!("é".repeat(2000));
    assert!(
        form_paths(&b).is_empty(),
        "2000 characters are fine, whatever the bytes"
    );
    b["content"] = json!("x".repeat(2001));
    assert_eq!(form_paths(&b), ["content"]);

    let mut b = ok.clone();
    b["embeds"] = json!(vec![json!({ "title": "t" }); 11]);
    assert_eq!(form_paths(&b), ["embeds"]);

    let limits = [
        ("title", 256, "embeds.0.title"),
        ("description", 4096, "embeds.0.description"),
    ];
    for (key, max, path) in limits {
        let mut b = ok.clone();
        b["embeds"][0][key] = json!("x".repeat(max));
        assert!(form_paths(&b).is_empty(), "{key} at {max}");
        b["embeds"][0][key] = json!("x".repeat(max + 1));
        assert_eq!(form_paths(&b), [path], "{key} over {max}");
    }
    let mut b = ok.clone();
    b["embeds"][0]["footer"]["text"] = json!("x".repeat(2049));
    assert_eq!(form_paths(&b), ["embeds.0.footer.text"]);
    let mut b = ok.clone();
    b["embeds"][0]["author"]["name"] = json!("x".repeat(257));
    assert_eq!(form_paths(&b), ["embeds.0.author.name"]);
    let mut b = ok.clone();
    b["embeds"][0]["fields"] = json!(vec![json!({ "name": "n", "value": "v" }); 26]);
    assert_eq!(form_paths(&b), ["embeds.0.fields"]);
    let mut b = ok.clone();
    b["embeds"][0]["fields"][0]["value"] = json!("");
    assert_eq!(form_paths(&b), ["embeds.0.fields.0.value"]);
    b["embeds"][0]["fields"][0]["value"] = json!("x".repeat(1025));
    assert_eq!(form_paths(&b), ["embeds.0.fields.0.value"]);
    b["embeds"][0]["fields"][0] = json!({ "name": "x".repeat(257), "value": "v" });
    assert_eq!(form_paths(&b), ["embeds.0.fields.0.name"]);

    // 6000 in total across embeds, each embed within its own limits.
    let mut b = ok.clone();
    b["embeds"] = json!([
        { "description": "x".repeat(4000) },
        { "description": "x".repeat(2001) },
    ]);
    assert_eq!(form_paths(&b), ["embeds"]);
    b["embeds"][1]["description"] = json!("x".repeat(2000));
    assert!(form_paths(&b).is_empty());

    let button = |id: &str| json!({ "type": 2, "style": 2, "custom_id": id, "label": "L" });
    let mut b = ok.clone();
    b["components"] = json!(vec![json!({ "type": 1, "components": [button("a")] }); 6]);
    let paths = form_paths(&b);
    assert!(paths.contains(&"components".to_string()), "{paths:?}");
    let mut b = ok.clone();
    b["components"] = json!([{ "type": 1, "components": (0..6).map(|i| button(&i.to_string())).collect::<Vec<_>>() }]);
    assert_eq!(form_paths(&b), ["components.0.components"]);
    b["components"] = json!([{ "type": 1, "components": [button(&"x".repeat(101))] }]);
    assert_eq!(form_paths(&b), ["components.0.components.0.custom_id"]);
    b["components"] = json!([{ "type": 1, "components": [button("")] }]);
    assert_eq!(form_paths(&b), ["components.0.components.0.custom_id"]);
    b["components"] = json!([{ "type": 1, "components": [button("a"), button("a")] }]);
    assert_eq!(form_paths(&b), ["components.0.components.1.custom_id"]);
    let mut long_label = button("a");
    long_label["label"] = json!("x".repeat(81));
    b["components"] = json!([{ "type": 1, "components": [long_label] }]);
    assert_eq!(form_paths(&b), ["components.0.components.0.label"]);

    assert!(check_message(&json!({ "allowed_mentions": { "parse": [] } }), true, 0).empty);
    assert!(!check_message(&json!({ "allowed_mentions": { "parse": [] } }), false, 0).empty);
    assert!(!check_message(&json!({ "allowed_mentions": { "parse": [] } }), true, 1).empty);
}

#[test]
fn allowed_mentions_rule() {
    let mentions = |body: Value| check_message(&body, true, 0).mentions;
    assert!(mentions(json!({ "content": "hi" })).is_some());
    assert!(mentions(json!({ "content": "hi", "allowed_mentions": {} })).is_some());
    assert!(
        mentions(json!({ "content": "hi", "allowed_mentions": { "parse": ["users"] } })).is_some()
    );
    assert!(
        mentions(json!({ "content": "hi", "allowed_mentions": { "parse": [], "users": ["1"] } }))
            .is_some()
    );
    assert!(
        mentions(
            json!({ "content": "hi", "allowed_mentions": { "parse": [], "replied_user": true } })
        )
        .is_some()
    );
    // What serenity's CreateAllowedMentions::new() serializes to.
    let serenity_default = serde_json::to_value(CreateAllowedMentions::new()).unwrap();
    assert_eq!(
        mentions(json!({ "content": "hi", "allowed_mentions": serenity_default })),
        None
    );
}

#[test]
fn command_registration_rules() {
    let good = json!([{
        "name": "ask", "description": "Ask", "type": 1,
        "options": [
            { "type": 3, "name": "question", "description": "q", "required": true },
            { "type": 4, "name": "count", "description": "n" },
        ],
    }]);
    assert!(rules::check_commands(&good).is_empty());
    let paths = |body: Value| -> Vec<String> {
        rules::check_commands(&body)
            .into_iter()
            .map(|p| p.path)
            .collect()
    };
    assert_eq!(
        paths(json!([{ "name": "Ask", "description": "d" }])),
        ["0.name"]
    );
    assert_eq!(
        paths(json!([{ "name": "a b", "description": "d" }])),
        ["0.name"]
    );
    assert_eq!(
        paths(json!([{ "name": "ask", "description": "" }])),
        ["0.description"]
    );
    assert_eq!(
        paths(
            json!([{ "name": "ask", "description": "d" }, { "name": "ask", "description": "d" }])
        ),
        ["1.name"]
    );
    assert_eq!(
        paths(json!([{ "name": "ask", "description": "d", "options": [
            { "type": 3, "name": "a", "description": "d" },
            { "type": 3, "name": "b", "description": "d", "required": true },
        ] }])),
        ["0.options.1.required"]
    );
    assert_eq!(paths(json!({ "name": "ask" })), ["_root"]);
}

// ------------------------------------------------------------- raw HTTP

struct RawReply {
    status: u16,
    headers: String,
    body: Value,
}

async fn raw(fake: &FakeDiscord, method: &str, path: &str, body: Option<&Value>) -> RawReply {
    let body = body.map(Value::to_string).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bot test-token\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        fake.addr(),
        body.len()
    );
    let exchange = async {
        let mut stream = TcpStream::connect(fake.addr()).await.expect("connect");
        stream.write_all(request.as_bytes()).await.expect("write");
        let mut buf = Vec::new();
        stream.read_to_end(&mut buf).await.expect("read");
        buf
    };
    let buf = timeout(Duration::from_secs(5), exchange)
        .await
        .expect("raw request timed out");
    let text = String::from_utf8(buf).expect("utf-8 answer");
    let (head, body) = text.split_once("\r\n\r\n").expect("HTTP head");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    RawReply {
        status,
        headers: head.to_ascii_lowercase(),
        body: if body.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(body).expect("JSON body")
        },
    }
}

async fn register_ask(fake: &FakeDiscord) {
    let body = json!([{
        "name": "ask", "description": "Ask", "type": 1,
        "options": [{ "type": 3, "name": "question", "description": "q", "required": true }],
    }]);
    let reply = raw(
        fake,
        "PUT",
        &format!("/api/v10/applications/{APP_ID}/commands"),
        Some(&body),
    )
    .await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
}

fn callback_path(ix: &fake_discord::Interaction) -> String {
    format!("/api/v10/interactions/{}/{}/callback", ix.id, ix.token)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gateway_url_and_unknown_routes() {
    let fake = FakeDiscord::start(Options::default()).await;
    let reply = raw(&fake, "GET", "/api/v10/gateway", None).await;
    assert_eq!(reply.status, 200);
    let url = reply.body["url"].as_str().unwrap();
    assert!(
        url.starts_with("ws://127.0.0.1:") && !url.contains('?'),
        "{url}"
    );
    assert_eq!(
        raw(&fake, "GET", "/api/v10/gateway/bot", None).await.body["shards"],
        1
    );
    assert!(fake.violations().await.is_empty());

    let reply = raw(&fake, "GET", "/api/v10/nowhere", None).await;
    assert_eq!(reply.status, 404);
    assert_eq!(
        reply.body,
        json!({ "message": "404: Not Found", "code": 0 })
    );
    let violations = fake.violations().await;
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert!(violations[0].contains("/api/v10/nowhere"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn double_and_invalid_callbacks_are_refused() {
    let fake = FakeDiscord::start(Options::default()).await;
    register_ask(&fake).await;
    let ix = fake
        .slash_command(&alice(), "ask", &[("question", "why?")])
        .await;

    let long = json!({ "type": 4, "data": { "content": "x".repeat(2001), "allowed_mentions": { "parse": [] } } });
    let reply = raw(&fake, "POST", &callback_path(&ix), Some(&long)).await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.body["code"], 50035);
    assert_eq!(
        reply.body["errors"]["data"]["content"]["_errors"][0]["code"],
        "BASE_TYPE_MAX_LENGTH"
    );

    let defer = json!({ "type": 5 });
    assert_eq!(
        raw(&fake, "POST", &callback_path(&ix), Some(&defer))
            .await
            .status,
        204
    );
    let again = raw(&fake, "POST", &callback_path(&ix), Some(&defer)).await;
    assert_eq!(again.status, 400);
    assert_eq!(again.body["code"], 40060);

    let log = fake.interaction_log(ix.id).await;
    assert_eq!(log.acks.len(), 1);
    assert_eq!(log.acks[0].kind, 5);
    assert!(log.acks[0].after < Duration::from_secs(3));
    assert_eq!(log.rejected_acks, 2);
    let violations = fake.violations().await;
    assert_eq!(violations.len(), 2, "{violations:?}");
    assert!(violations[1].contains("40060"));

    // Follow-up without allowed_mentions: accepted (Discord would ping), recorded.
    let followup = json!({ "content": "hi <@1>" });
    let path = format!("/api/v10/webhooks/{APP_ID}/{}", ix.token);
    let reply = raw(&fake, "POST", &path, Some(&followup)).await;
    assert_eq!(reply.status, 200);
    let _: Message = parse("follow-up answer", &reply.body);
    assert!(fake.violations().await[2].contains("allowed_mentions"));
    assert_eq!(fake.wait_for_followup(ix.id, WAIT).await, Some(followup));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn late_callback_is_unknown_interaction() {
    let fake = FakeDiscord::start(Options::default()).await;
    register_ask(&fake).await;
    let ix = fake
        .slash_command(&alice(), "ask", &[("question", "why?")])
        .await;
    let early_followup = json!({ "content": "x", "allowed_mentions": { "parse": [] } });
    let path = format!("/api/v10/webhooks/{APP_ID}/{}", ix.token);
    let reply = raw(&fake, "POST", &path, Some(&early_followup)).await;
    assert_eq!(
        (reply.status, reply.body["code"].as_u64()),
        (404, Some(10015))
    );

    tokio::time::sleep(Duration::from_millis(3100)).await;
    let reply = raw(
        &fake,
        "POST",
        &callback_path(&ix),
        Some(&json!({ "type": 5 })),
    )
    .await;
    assert_eq!(reply.status, 404);
    assert_eq!(
        reply.body,
        json!({ "message": "Unknown interaction", "code": 10062 })
    );
    let log = fake.interaction_log(ix.id).await;
    assert!(log.acks.is_empty());
    assert_eq!(log.rejected_acks, 1);
    let violations = fake.violations().await;
    assert_eq!(violations.len(), 2, "{violations:?}");
    assert!(violations[1].contains("10062"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_followup_is_rate_limited() {
    let fake = FakeDiscord::start(Options {
        rate_limit_first_followup: true,
        ..Default::default()
    })
    .await;
    register_ask(&fake).await;
    let ix = fake
        .slash_command(&alice(), "ask", &[("question", "why?")])
        .await;
    assert_eq!(
        raw(
            &fake,
            "POST",
            &callback_path(&ix),
            Some(&json!({ "type": 5 }))
        )
        .await
        .status,
        204
    );

    let body = json!({ "content": "answer", "allowed_mentions": { "parse": [] } });
    let path = format!("/api/v10/webhooks/{APP_ID}/{}", ix.token);
    let reply = raw(&fake, "POST", &path, Some(&body)).await;
    assert_eq!(reply.status, 429);
    assert_eq!(reply.body["retry_after"], 0.3);
    assert_eq!(reply.body["global"], false);
    for header in [
        "retry-after: 1",
        "x-ratelimit-limit:",
        "x-ratelimit-remaining: 0",
        "x-ratelimit-reset-after: 0.300",
        "x-ratelimit-bucket:",
    ] {
        assert!(
            reply.headers.contains(header),
            "{header} missing in {}",
            reply.headers
        );
    }
    assert!(fake.violations().await.is_empty());

    // Too early: another 429 and a violation.
    let reply = raw(&fake, "POST", &path, Some(&body)).await;
    assert_eq!(reply.status, 429);
    assert_eq!(fake.violations().await.len(), 1);

    tokio::time::sleep(Duration::from_millis(350)).await;
    let reply = raw(&fake, "POST", &path, Some(&body)).await;
    assert_eq!(reply.status, 200);
    assert_eq!(fake.rate_limited_requests().await, 2);
    // The first follow-up after a defer replaces the "thinking…" message.
    let original = raw(&fake, "GET", &format!("{path}/messages/@original"), None).await;
    assert_eq!(original.body["id"], reply.body["id"]);
    assert_eq!(original.body["content"], "answer");
    assert_eq!(original.body["flags"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registration_failure_option() {
    let fake = FakeDiscord::start(Options {
        fail_command_registration: true,
        ..Default::default()
    })
    .await;
    let body = json!([{ "name": "ask", "description": "Ask" }]);
    for _ in 0..2 {
        let reply = raw(
            &fake,
            "PUT",
            &format!("/api/v10/applications/{APP_ID}/commands"),
            Some(&body),
        )
        .await;
        assert_eq!(reply.status, 500);
        assert_eq!(reply.body["code"], 0);
    }
    assert_eq!(fake.registration_attempts().await, 2);
    assert!(fake.registered_commands().await.is_empty());
    assert!(fake.violations().await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pins_and_permissions_are_consistent() {
    let fake = FakeDiscord::start(Options::default()).await;
    let member = Member {
        roles: vec![55],
        ..alice()
    };
    let mid = fake.mention_message(&member, "pin me").await;
    for path in [
        format!("/api/v10/channels/{CHANNEL_ID}/pins/{mid}"),
        format!("/api/v10/channels/{CHANNEL_ID}/messages/pins/{mid}"),
    ] {
        assert_eq!(raw(&fake, "PUT", &path, None).await.status, 204);
    }
    assert_eq!(fake.pins().await, [(CHANNEL_ID, mid), (CHANNEL_ID, mid)]);
    let pinned = raw(
        &fake,
        "GET",
        &format!("/api/v10/channels/{CHANNEL_ID}/pins"),
        None,
    )
    .await;
    assert_eq!(pinned.body[0]["id"], mid.to_string());
    assert_eq!(
        raw(
            &fake,
            "PUT",
            &format!("/api/v10/channels/{CHANNEL_ID}/pins/12345"),
            None
        )
        .await
        .status,
        404
    );

    fake.set_app_permissions(fake_discord::MEMBER_PERMISSIONS)
        .await;
    let reply = raw(
        &fake,
        "PUT",
        &format!("/api/v10/channels/{CHANNEL_ID}/pins/{mid}"),
        None,
    )
    .await;
    assert_eq!(
        (reply.status, reply.body["code"].as_u64()),
        (403, Some(50013))
    );
    assert_eq!(
        fake.violations().await.len(),
        1,
        "only the unknown message is a violation"
    );

    // The permission bits a bot computes from guild, roles and channel are
    // the member's, bit 51 included.
    let guild = raw(&fake, "GET", &format!("/api/v10/guilds/{GUILD_ID}"), None)
        .await
        .body;
    let roles = raw(
        &fake,
        "GET",
        &format!("/api/v10/guilds/{GUILD_ID}/roles"),
        None,
    )
    .await
    .body;
    let channel = raw(
        &fake,
        "GET",
        &format!("/api/v10/channels/{CHANNEL_ID}"),
        None,
    )
    .await
    .body;
    let got = raw(
        &fake,
        "GET",
        &format!("/api/v10/guilds/{GUILD_ID}/members/{}", member.user_id),
        None,
    )
    .await
    .body;
    assert_ne!(guild["owner_id"], json!(member.user_id.to_string()));
    assert_eq!(channel["permission_overwrites"], json!([]));
    let bits = |v: &Value| v.as_str().unwrap().parse::<u64>().unwrap();
    let member_roles: Vec<&Value> = got["roles"].as_array().unwrap().iter().collect();
    assert!(member_roles.contains(&&json!("55")));
    let computed = roles
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["id"] == json!(GUILD_ID.to_string()) || member_roles.contains(&&r["id"]))
        .fold(0, |acc, r| acc | bits(&r["permissions"]));
    assert_eq!(computed, member.permissions);
    assert_eq!(computed & PIN_MESSAGES, PIN_MESSAGES);
}

// --------------------------------------------------- a real serenity client

#[derive(Clone, Default)]
struct Handler {
    errors: Arc<Mutex<Vec<String>>>,
}

impl Handler {
    fn fail(&self, what: impl Into<String>) {
        self.errors.lock().unwrap().push(what.into());
    }
}

fn is_429(err: &serenity::Error) -> bool {
    matches!(
        err,
        serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(e))
            if e.status_code.as_u16() == 429
    )
}

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, _ready: Ready) {
        let commands = vec![
            CreateCommand::new("ask")
                .description("Ask the corpus")
                .add_option(
                    CreateCommandOption::new(CommandOptionType::String, "question", "What to ask")
                        .required(true),
                ),
        ];
        if let Err(err) = Command::set_global_commands(&ctx.http, commands).await {
            self.fail(format!("register: {err}"));
        }
    }

    async fn interaction_create(&self, ctx: Context, interaction: SerenityInteraction) {
        match interaction {
            SerenityInteraction::Command(cmd) => {
                let defer =
                    CreateInteractionResponse::Defer(CreateInteractionResponseMessage::new());
                if let Err(err) = cmd.create_response(&ctx.http, defer).await {
                    return self.fail(format!("defer: {err}"));
                }
                let question = cmd
                    .data
                    .options
                    .first()
                    .and_then(|o| o.value.as_str())
                    .unwrap_or("");
                let followup = CreateInteractionResponseFollowup::new()
                    .content(format!("You asked: {question}"))
                    .allowed_mentions(CreateAllowedMentions::new())
                    .components(vec![CreateActionRow::Buttons(vec![
                        CreateButton::new("pin").label("Pin"),
                    ])]);
                for attempt in 0..3 {
                    match cmd.create_followup(&ctx.http, followup.clone()).await {
                        Ok(_) => return,
                        // serenity cannot read the 429 body (no `code`), so
                        // wait a fixed time longer than retry_after.
                        Err(err) if is_429(&err) && attempt < 2 => {
                            tokio::time::sleep(Duration::from_millis(400)).await;
                        }
                        Err(err) => return self.fail(format!("follow-up: {err}")),
                    }
                }
            }
            SerenityInteraction::Component(click) => {
                let update = CreateInteractionResponse::UpdateMessage(
                    CreateInteractionResponseMessage::new()
                        .content("Pinned")
                        .allowed_mentions(CreateAllowedMentions::new())
                        .components(vec![]),
                );
                if let Err(err) = click.create_response(&ctx.http, update).await {
                    return self.fail(format!("update: {err}"));
                }
                if let Err(err) = ctx
                    .http
                    .pin_message(click.channel_id, click.message.id, None)
                    .await
                {
                    self.fail(format!("pin: {err}"));
                }
            }
            _ => self.fail("unexpected interaction kind"),
        }
    }

    async fn message(&self, ctx: Context, msg: Message) {
        if msg.author.bot || !msg.mentions_user_id(UserId::new(APP_ID)) {
            return;
        }
        let reply = CreateMessage::new()
            .content(format!("Heard: {}", msg.content))
            .reference_message(&msg)
            .allowed_mentions(CreateAllowedMentions::new());
        if let Err(err) = ChannelId::new(CHANNEL_ID)
            .send_message(&ctx.http, reply)
            .await
        {
            self.fail(format!("reply: {err}"));
        }
    }
}

async fn start_client(
    fake: &FakeDiscord,
    handler: Handler,
) -> (serenity::Client, Arc<serenity::gateway::ShardManager>) {
    let http = HttpBuilder::new("fake-token")
        .proxy(fake.api_url())
        .ratelimiter_disabled(true)
        .build();
    let intents = GatewayIntents::GUILD_MESSAGES | GatewayIntents::MESSAGE_CONTENT;
    let client = timeout(
        WAIT,
        serenity::all::ClientBuilder::new_with_http(http, intents).event_handler(handler),
    )
    .await
    .expect("client build timed out")
    .expect("client builds");
    let manager = client.shard_manager.clone();
    (client, manager)
}

async fn wait_until<F: std::future::Future<Output = bool>>(mut probe: impl FnMut() -> F) -> bool {
    let deadline = Instant::now() + WAIT;
    while Instant::now() < deadline {
        if probe().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn serenity_client_round_trip() {
    let fake = FakeDiscord::start(Options {
        rate_limit_first_followup: true,
        ..Default::default()
    })
    .await;
    let handler = Handler::default();
    let errors = handler.errors.clone();
    let (mut client, manager) = start_client(&fake, handler).await;
    let run = tokio::spawn(async move { client.start().await });

    assert!(fake.wait_for_ready(WAIT).await, "no READY");
    assert_eq!(fake.identify_count().await, 1);
    assert!(wait_until(|| async { !fake.registered_commands().await.is_empty() }).await);
    assert_eq!(fake.registered_commands().await[0]["name"], "ask");

    // Slash command: defer, then a follow-up (first one rate limited).
    let member = alice();
    let ix = fake
        .slash_command(&member, "ask", &[("question", "How tall?")])
        .await;
    let answer = fake
        .wait_for_followup(ix.id, WAIT)
        .await
        .expect("a follow-up");
    assert_eq!(answer["content"], "You asked: How tall?");
    assert_eq!(answer["allowed_mentions"]["parse"], json!([]));
    let log = fake.interaction_log(ix.id).await;
    assert_eq!(log.acks.len(), 1);
    assert_eq!(log.acks[0].kind, 5);
    assert!(
        log.acks[0].after < Duration::from_secs(3),
        "{:?}",
        log.acks[0].after
    );
    assert_eq!(log.followups.len(), 1);
    assert_eq!(log.rejected_acks, 0);
    assert_eq!(fake.rate_limited_requests().await, 1);

    // Button on the follow-up: type 7 update, then a pin of that message.
    let click = fake.click_button(&member, &answer, "pin").await;
    let update = fake
        .wait_for_followup(click.id, WAIT)
        .await
        .expect("an update");
    assert_eq!(update["content"], "Pinned");
    assert_eq!(fake.interaction_log(click.id).await.acks[0].kind, 7);
    assert!(
        wait_until(|| async { fake.pins().await.len() == 1 }).await,
        "no pin"
    );

    // Mention: a reply in the channel referencing the user's message.
    let mid = fake.mention_message(&member, "are you there?").await;
    assert!(wait_until(|| async { fake.channel_messages().await.len() == 1 }).await);
    let reply = &fake.channel_messages().await[0];
    assert_eq!(
        reply["content"],
        format!("Heard: <@{APP_ID}> are you there?")
    );
    assert_eq!(
        reply["message_reference"]["message_id"],
        json!(mid.to_string())
    );

    // Reconnect: serenity resumes and keeps answering; an interaction sent
    // while it reconnects is replayed after the Resume.
    fake.send_reconnect().await;
    let during = fake
        .slash_command(&member, "ask", &[("question", "still there?")])
        .await;
    assert!(fake.wait_for_ready(WAIT).await, "no RESUMED");
    assert_eq!(fake.resume_count().await, 1);
    assert_eq!(fake.identify_count().await, 1);
    let again = fake
        .wait_for_followup(during.id, WAIT)
        .await
        .expect("answer after resume");
    assert_eq!(again["content"], "You asked: still there?");

    assert_eq!(fake.violations().await, Vec::<String>::new());
    assert_eq!(*errors.lock().unwrap(), Vec::<String>::new());
    manager.shutdown_all().await;
    run.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn serenity_identifies_again_after_invalid_session() {
    let fake = FakeDiscord::start(Options::default()).await;
    let handler = Handler::default();
    let (mut client, manager) = start_client(&fake, handler).await;
    let run = tokio::spawn(async move { client.start().await });
    assert!(fake.wait_for_ready(WAIT).await);

    fake.send_invalid_session(false).await;
    assert!(fake.wait_for_ready(WAIT).await, "no new READY");
    assert_eq!(fake.identify_count().await, 2);
    assert_eq!(fake.violations().await, Vec::<String>::new());
    manager.shutdown_all().await;
    run.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn serenity_stops_on_close_4004() {
    let fake = FakeDiscord::start(Options {
        close_with: Some(4004),
        ..Default::default()
    })
    .await;
    let (mut client, _manager) = start_client(&fake, Handler::default()).await;
    let result = timeout(WAIT, client.start())
        .await
        .expect("client.start() must return");
    assert!(result.is_err(), "close 4004 is fatal");
    assert!(fake.wait_for_ready(Duration::from_millis(10)).await);
    assert_eq!(fake.identify_count().await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_the_fake_stops_it() {
    let fake = FakeDiscord::start(Options::default()).await;
    let addr = fake.addr();
    assert_eq!(
        raw(&fake, "GET", "/api/v10/users/@me", None).await.status,
        200
    );
    // A keep-alive connection opened before the drop is closed too.
    let mut idle = TcpStream::connect(addr).await.expect("connect");
    drop(fake);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(TcpStream::connect(addr).await.is_err(), "still listening");
    let mut buf = [0u8; 16];
    let read = timeout(Duration::from_secs(5), idle.read(&mut buf)).await;
    assert!(
        matches!(read, Ok(Ok(0)) | Ok(Err(_))),
        "idle connection not closed: {read:?}"
    );
}
