//! What the bot does for each command, mention and button: check the rate
//! limit or moderator rights, acknowledge within Discord's three seconds, run
//! the engine on a blocking thread, and send what `render::discord` made.
//!
//! Buttons read what they need (the question as asked, the page, the cited
//! documents) from the state database under the clicked message's id,
//! written when the answer was sent; never from the message's text.
//!
//! Boundary: Discord traffic goes through `rest` (bodies from `message`),
//! state through `store` on blocking threads; logs carry ids, timings and
//! outcomes, never question text or the token.

use std::sync::Arc;
use std::time::{Duration, Instant};

use poise::serenity_prelude as serenity;
use serde_json::{Value, json};

use super::State;
use super::guard::{self, MODERATOR_BITS};
use super::message;
use super::pins::PinRecord;
use super::rest::RestError;
use super::store::{self, AnswerRecord};
use crate::answer::{Answer, Engine};
use crate::render::discord::{self as render, Reply, ids};

/// The bot's own line under every answer.
fn footer(engine: &Engine) -> String {
    format!(
        "Quoted verbatim from the documents · corpus {}",
        engine.fingerprint_id()
    )
}

/// A click may overtake the write of its message's record (the bot writes
/// it once Discord has accepted the message): look again for this long.
const RECORD_WAIT: Duration = Duration::from_millis(1500);

/// Runs the engine off the async workers; also returns the engine that
/// answered, for the footer and the record.
async fn answer(state: &State, question: String, skip: usize) -> (Answer, Arc<Engine>) {
    let engine = state.engine();
    let take = state.settings.answer.extracts;
    let answering = engine.clone();
    let a = match tokio::task::spawn_blocking(move || answering.answer_page(&question, skip, take))
        .await
    {
        Ok(a) => a,
        Err(e) => {
            tracing::error!(error = %e, "the engine stopped unexpectedly");
            Answer {
                question: String::new(),
                answered: false,
                message: Some(crate::NOT_FOUND.into()),
                extracts: Vec::new(),
                figures: None,
                consumed: 0,
            }
        }
    };
    (a, engine)
}

/// Who asked what, where: the part of an answer's record that is not in the answer.
struct Asked<'a> {
    asker: u64,
    channel: u64,
    guild: Option<u64>,
    question: &'a str,
    skip: usize,
}

/// Keeps what the buttons of a message just sent need, under the id Discord gave it.
async fn remember(
    state: &State,
    sent: &Value,
    a: &Answer,
    engine: &Engine,
    reply: &Reply,
    asked: Asked<'_>,
) {
    if reply.buttons.is_empty() {
        return;
    }
    let Some(message_id) = sent["id"].as_str().and_then(|s| s.parse::<u64>().ok()) else {
        tracing::warn!("Discord did not say the id of an answer: its buttons will not work");
        return;
    };
    let mut docs: Vec<String> = Vec::new();
    for e in &a.extracts {
        if !docs.contains(&e.doc) {
            docs.push(e.doc.clone());
        }
    }
    let record = AnswerRecord {
        message_id,
        channel_id: asked.channel,
        guild_id: asked.guild,
        asker_id: asked.asker,
        question: asked.question.to_string(),
        corpus: engine.fingerprint_id().to_string(),
        docs,
        next_skip: asked.skip + a.consumed,
        created_at: store::now_secs(),
    };
    match state.store.call(move |s| s.save_answer(&record)).await {
        Ok(()) => tracing::debug!(message = message_id, "answer recorded"),
        Err(e) => {
            tracing::error!(message = message_id, error = %format!("{e:#}"), "recording an answer failed: its buttons will not work");
        }
    }
}

/// The record of the message a button is on, waiting briefly for one that is being written.
async fn record_of(state: &State, message_id: u64) -> anyhow::Result<Option<AnswerRecord>> {
    let deadline = Instant::now() + RECORD_WAIT;
    loop {
        let found = state.store.call(move |s| s.answer(message_id)).await?;
        if found.is_some() || Instant::now() >= deadline {
            return Ok(found);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn log_answer(user: u64, via: &str, started: Instant, a: &Answer) {
    tracing::info!(
        user,
        via,
        latency_ms = started.elapsed().as_millis() as u64,
        answered = a.answered,
        conflict = a.figures.as_ref().is_some_and(|f| f.conflict),
        extracts = a.extracts.len(),
        "question answered"
    );
}

fn warn_failed(what: &str, e: &RestError) {
    tracing::warn!(error = %e, "{what} failed");
}

/// Answers an interaction with a message only its user sees.
async fn refuse(state: &State, id: u64, token: &str, refusal: &Reply, what: &str) {
    if let Err(e) = state
        .rest
        .callback(id, token, &message::respond(refusal, true))
        .await
    {
        warn_failed(what, &e);
    }
}

/// Records a question, or says (in a reply) how long to wait.
fn rate_limited(state: &State, user: u64) -> Option<Reply> {
    let wait = state
        .limiter
        .lock()
        .expect("rate limit lock")
        .check(user, Instant::now())
        .err()?;
    let per = state.settings.discord.questions_per_minute;
    Some(render::notice(
        "Slow down",
        &format!(
            "You can ask {per} questions a minute. Try again in {} s.",
            wait.as_secs().max(1)
        ),
    ))
}

/// `/ask question:…`
pub async fn ask(state: &Arc<State>, i: &serenity::CommandInteraction, question: &str) {
    let started = Instant::now();
    let (id, token, user) = (i.id.get(), i.token.as_str(), i.user.id.get());
    if let Some(refusal) = rate_limited(state, user) {
        tracing::info!(user, "rate limited");
        refuse(state, id, token, &refusal, "refusing a question").await;
        return;
    }
    if let Err(e) = state.rest.callback(id, token, &message::defer(false)).await {
        warn_failed("acknowledging /ask", &e);
        return;
    }
    let (a, engine) = answer(state, question.to_string(), 0).await;
    let reply = render::answer(&a, 0, &footer(&engine));
    match state
        .rest
        .followup(state.app_id(), token, &message::body(&reply, false))
        .await
    {
        Ok(sent) => {
            let asked = Asked {
                asker: user,
                channel: i.channel_id.get(),
                guild: i.guild_id.map(|g| g.get()),
                question,
                skip: 0,
            };
            remember(state, &sent, &a, &engine, &reply, asked).await;
        }
        Err(e) => warn_failed("sending an answer", &e),
    }
    log_answer(user, "slash", started, &a);
}

/// A message that mentions the bot: the rest of it is the question.
pub async fn mention(state: &Arc<State>, msg: &serenity::Message) {
    let bot = state.bot_id.load(std::sync::atomic::Ordering::Relaxed);
    if msg.author.bot || bot == 0 || !msg.mentions.iter().any(|u| u.id.get() == bot) {
        return;
    }
    let started = Instant::now();
    let user = msg.author.id.get();
    let question = msg
        .content
        .replace(&format!("<@{bot}>"), " ")
        .replace(&format!("<@!{bot}>"), " ")
        .trim()
        .to_string();
    let channel = msg.channel_id.get();
    let reference = json!({ "message_id": msg.id.get().to_string(), "fail_if_not_exists": false });
    let send = |reply: Reply| {
        let mut body = message::body(&reply, false);
        body["message_reference"] = reference.clone();
        body
    };
    if let Some(refusal) = rate_limited(state, user) {
        tracing::info!(user, "rate limited");
        if let Err(e) = state.rest.create_message(channel, &send(refusal)).await {
            warn_failed("refusing a question", &e);
        }
        return;
    }
    let (a, engine) = answer(state, question.clone(), 0).await;
    let reply = render::answer(&a, 0, &footer(&engine));
    match state
        .rest
        .create_message(channel, &send(reply.clone()))
        .await
    {
        Ok(sent) => {
            let asked = Asked {
                asker: user,
                channel,
                guild: msg.guild_id.map(|g| g.get()),
                question: &question,
                skip: 0,
            };
            remember(state, &sent, &a, &engine, &reply, asked).await;
        }
        Err(e) => warn_failed("sending an answer", &e),
    }
    log_answer(user, "mention", started, &a);
}

/// `/sources`
pub async fn sources(state: &Arc<State>, i: &serenity::CommandInteraction) {
    let engine = state.engine();
    let reply = render::sources(&engine.sources(), engine.skipped().len(), 0);
    if let Err(e) = state
        .rest
        .callback(i.id.get(), &i.token, &message::respond(&reply, false))
        .await
    {
        warn_failed("listing sources", &e);
    }
}

/// `/reload` (moderators): re-reads the corpus and swaps the engine atomically.
pub async fn reload(state: &Arc<State>, i: &serenity::CommandInteraction) {
    let (id, token) = (i.id.get(), i.token.as_str());
    let channel = i.channel_id.get();
    if !is_moderator(
        state,
        i.guild_id.map(|g| g.get()),
        channel,
        i.member.as_deref(),
    )
    .await
    {
        let refusal = render::notice(
            "Not allowed",
            "Only moderators (Manage Messages, Pin Messages or a moderator role) can reload the documents.",
        );
        refuse(state, id, token, &refusal, "refusing /reload").await;
        return;
    }
    if let Err(e) = state.rest.callback(id, token, &message::defer(true)).await {
        warn_failed("acknowledging /reload", &e);
        return;
    }
    let _one_at_a_time = state.reload.lock().await;
    let old = state.engine();
    let settings = state.settings.clone();
    let opened = tokio::task::spawn_blocking(move || {
        Engine::open(&settings, false).map(Engine::rebuild_in_background)
    })
    .await;
    let reply = match opened {
        Ok(Ok(new)) => {
            let text = reload_report(&old, &new);
            *state.engine.write().expect("engine lock") = Arc::new(new);
            tracing::info!("corpus reloaded");
            render::notice("Documents reloaded", &text)
        }
        Ok(Err(e)) => render::notice(
            "Reload failed",
            &format!("{e:#}\nStill answering from the documents loaded before."),
        ),
        Err(e) => render::notice("Reload failed", &format!("{e}")),
    };
    if let Err(e) = state
        .rest
        .followup(state.app_id(), token, &message::body(&reply, true))
        .await
    {
        warn_failed("reporting /reload", &e);
    }
}

fn reload_report(old: &Engine, new: &Engine) -> String {
    let before = old.fingerprint();
    let after = new.fingerprint();
    let find = |list: &[crate::index::fingerprint::FilePrint], path: &str| {
        list.iter().find(|p| p.path == path).map(|p| p.hash)
    };
    let added = after
        .iter()
        .filter(|p| find(&before, &p.path).is_none())
        .count();
    let removed = before
        .iter()
        .filter(|p| find(&after, &p.path).is_none())
        .count();
    let changed = after
        .iter()
        .filter(|p| find(&before, &p.path).is_some_and(|h| h != p.hash))
        .count();
    let mut text = format!(
        "{} documents. Changed since the last load: {} added, {} modified, {} removed.",
        new.sources().len(),
        added,
        changed,
        removed
    );
    if added + changed + removed == 0 {
        text = format!(
            "{} documents. Nothing changed since the last load.",
            new.sources().len()
        );
    }
    let skipped = new.skipped();
    if !skipped.is_empty() {
        text.push_str("\nSkipped files:");
        for s in skipped.iter().take(20) {
            text.push_str(&format!("\n• {}", render::escape(&s.to_string())));
        }
    }
    text
}

/// A button on one of the bot's messages.
pub async fn component(state: &Arc<State>, c: &serenity::ComponentInteraction) {
    let custom_id = c.data.custom_id.as_str();
    if custom_id == ids::PIN {
        pin(state, c).await;
    } else if ids::is_more(custom_id) {
        more(state, c).await;
    } else if let Some(page) = ids::parse_sources(custom_id) {
        let engine = state.engine();
        let reply = render::sources(&engine.sources(), engine.skipped().len(), page);
        if let Err(e) = state
            .rest
            .callback(c.id.get(), &c.token, &message::update(&reply))
            .await
        {
            warn_failed("turning a sources page", &e);
        }
    }
}

/// The private notice for a button whose message the bot has no record of.
fn not_on_record() -> Reply {
    render::notice(
        "Answer not on record",
        &format!(
            "I no longer have the details of this answer (answers are kept for {} days; \
             those from before the bot kept records are not). Ask again with /ask.",
            store::ANSWER_RETENTION_DAYS
        ),
    )
}

async fn more(state: &Arc<State>, c: &serenity::ComponentInteraction) {
    let (id, token) = (c.id.get(), c.token.as_str());
    let message_id = c.message.id.get();
    let record = match record_of(state, message_id).await {
        Ok(Some(r)) => r,
        Ok(None) => {
            tracing::info!(message = message_id, "More on a message without a record");
            refuse(state, id, token, &not_on_record(), "refusing More").await;
            return;
        }
        Err(e) => {
            tracing::error!(message = message_id, error = %format!("{e:#}"), "reading an answer's record failed");
            let notice = render::notice(
                "Something went wrong",
                "I could not read this answer's details. Try again, or ask again with /ask.",
            );
            refuse(state, id, token, &notice, "refusing More").await;
            return;
        }
    };
    if c.user.id.get() != record.asker_id {
        let refusal = render::notice(
            "Not your question",
            "Only the person who asked can page through this answer. Ask your own with /ask.",
        );
        refuse(state, id, token, &refusal, "refusing More").await;
        return;
    }
    if let Err(e) = state.rest.callback(id, token, &message::defer(true)).await {
        warn_failed("acknowledging More", &e);
        return;
    }
    let skip = record.next_skip;
    let (a, engine) = answer(state, record.question.clone(), skip).await;
    let reply = if a.extracts.is_empty() {
        render::notice(
            "No more",
            "There are no further extracts for this question.",
        )
    } else {
        render::answer(&a, skip, &footer(&engine))
    };
    match state
        .rest
        .followup(state.app_id(), token, &message::body(&reply, true))
        .await
    {
        Ok(sent) => {
            let asked = Asked {
                asker: record.asker_id,
                channel: record.channel_id,
                guild: record.guild_id,
                question: &record.question,
                skip,
            };
            remember(state, &sent, &a, &engine, &reply, asked).await;
        }
        Err(e) => warn_failed("sending more extracts", &e),
    }
}

async fn pin(state: &Arc<State>, c: &serenity::ComponentInteraction) {
    let (id, token) = (c.id.get(), c.token.as_str());
    let channel = c.channel_id.get();
    let guild = c.guild_id.map(|g| g.get());
    if !is_moderator(state, guild, channel, c.member.as_ref()).await {
        let refusal = render::notice(
            "Not allowed",
            "Only moderators (Manage Messages, Pin Messages or a moderator role) can pin answers.",
        );
        refuse(state, id, token, &refusal, "refusing a pin").await;
        return;
    }
    if let Err(e) = state
        .rest
        .callback(id, token, &message::defer_update())
        .await
    {
        warn_failed("acknowledging a pin", &e);
        return;
    }
    let message_id = c.message.id.get();
    if let Err(e) = state.rest.pin(channel, message_id).await {
        let why = match e.code() {
            Some(50013) => {
                "I can't pin here: I need the Pin Messages permission in this channel.".to_string()
            }
            Some(30003) => {
                "This channel has reached Discord's pin limit; unpin a message first.".to_string()
            }
            _ => format!("Pinning failed: {e}"),
        };
        let notice = render::notice("Not pinned", &why);
        if let Err(e) = state
            .rest
            .followup(state.app_id(), token, &message::body(&notice, true))
            .await
        {
            warn_failed("reporting a failed pin", &e);
        }
        return;
    }
    let moderator = c
        .member
        .as_ref()
        .and_then(|m| m.nick.clone())
        .or_else(|| c.user.global_name.clone())
        .unwrap_or_else(|| c.user.name.clone());
    let now = serenity::Timestamp::now();
    mark_pinned(state, c, &moderator, &now).await;
    let answer = match record_of(state, message_id).await {
        Ok(found) => found,
        Err(e) => {
            tracing::error!(message = message_id, error = %format!("{e:#}"), "reading an answer's record failed");
            None
        }
    };
    if answer.is_none() {
        tracing::warn!(
            message = message_id,
            "pinned a message without a record: its question is not in the pin record"
        );
    }
    let answer = answer.unwrap_or_else(|| AnswerRecord {
        message_id,
        channel_id: channel,
        guild_id: guild,
        asker_id: 0,
        question: String::new(),
        corpus: String::new(),
        docs: Vec::new(),
        next_skip: 0,
        created_at: 0,
    });
    let record = PinRecord {
        message_id: message_id.to_string(),
        channel_id: channel.to_string(),
        guild_id: guild.map(|g| g.to_string()),
        question: answer.question,
        moderator_id: c.user.id.get().to_string(),
        moderator,
        pinned_at: now.to_rfc3339().unwrap_or_default(),
        corpus: answer.corpus,
        docs: answer.docs,
    };
    match state.store.call(move |s| s.save_pin(&record)).await {
        Ok(true) => tracing::info!(message = message_id, "answer pinned"),
        Ok(false) => tracing::info!(
            message = message_id,
            "answer pinned again; first record kept"
        ),
        Err(e) => tracing::error!(error = %format!("{e:#}"), "recording a pin failed"),
    }
}

/// Edits the pinned answer: its footer says who pinned it and when, and the
/// Pin button goes. The message's own parts are sent back as they are.
async fn mark_pinned(
    state: &State,
    c: &serenity::ComponentInteraction,
    moderator: &str,
    now: &serenity::Timestamp,
) {
    let stamp = now.format("%Y-%m-%d %H:%M UTC").to_string();
    let mut embeds: Vec<Value> = c
        .message
        .embeds
        .iter()
        .filter_map(|e| serde_json::to_value(e).ok())
        .collect();
    if let Some(first) = embeds.first_mut() {
        let old = first["footer"]["text"].as_str().unwrap_or("").to_string();
        let text = render::cut(
            &format!("{old} · Pinned by {} on {stamp}", render::escape(moderator)),
            render::FOOTER_MAX,
        );
        first["footer"] = json!({ "text": text });
    }
    let components: Vec<Value> = c
        .message
        .components
        .iter()
        .filter_map(|row| serde_json::to_value(row).ok())
        .map(|mut row| {
            if let Some(buttons) = row["components"].as_array_mut() {
                buttons.retain(|b| b["custom_id"] != ids::PIN);
            }
            row
        })
        .filter(|row| row["components"].as_array().is_some_and(|b| !b.is_empty()))
        .collect();
    let edit = json!({
        "embeds": embeds,
        "components": components,
        "allowed_mentions": message::no_mentions(),
    });
    if let Err(e) = state
        .rest
        .edit_original(state.app_id(), c.token.as_str(), &edit)
        .await
    {
        warn_failed("marking an answer as pinned", &e);
    }
}

/// Moderators: a configured role, or Administrator, Manage Messages or Pin
/// Messages in this channel. serenity drops the Pin Messages bit, so when the
/// parsed permissions do not settle it, the raw bits are computed from REST.
async fn is_moderator(
    state: &State,
    guild: Option<u64>,
    channel: u64,
    member: Option<&serenity::Member>,
) -> bool {
    let (Some(guild), Some(member)) = (guild, member) else {
        return false;
    };
    let roles: Vec<u64> = member.roles.iter().map(|r| r.get()).collect();
    if roles
        .iter()
        .any(|r| state.settings.discord.moderator_roles.contains(r))
    {
        return true;
    }
    if member.permissions.is_some_and(|p| {
        p.contains(serenity::Permissions::ADMINISTRATOR)
            || p.contains(serenity::Permissions::MANAGE_MESSAGES)
    }) {
        return true;
    }
    let rest = &state.rest;
    let (g, r, ch) = (
        format!("/guilds/{guild}"),
        format!("/guilds/{guild}/roles"),
        format!("/channels/{channel}"),
    );
    let looked_up = tokio::try_join!(rest.get(&g), rest.get(&r), rest.get(&ch));
    match looked_up {
        Ok((g, r, ch)) => {
            guard::member_permissions(&g, &r, &ch, member.user.id.get(), &roles) & MODERATOR_BITS
                != 0
        }
        Err(e) => {
            warn_failed("reading permissions", &e);
            false
        }
    }
}
