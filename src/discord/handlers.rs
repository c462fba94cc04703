//! What the bot does for each command, mention and button: check the rate
//! limit or moderator rights, acknowledge within Discord's three seconds, run
//! the engine on a blocking thread, and send what `render::discord` made.
//!
//! Boundary: Discord traffic goes through `rest` (bodies from `message`);
//! logs carry ids, timings and outcomes, never question text or the token.

use std::sync::Arc;
use std::time::Instant;

use poise::serenity_prelude as serenity;
use serde_json::{Value, json};

use super::State;
use super::guard::{self, MODERATOR_BITS};
use super::message;
use super::pins::{self, PinRecord};
use super::rest::RestError;
use crate::answer::{Answer, Engine};
use crate::render::discord::{self as render, Reply, ids};

/// The bot's own line under every answer.
fn footer(engine: &Engine) -> String {
    format!(
        "Quoted verbatim from the documents · corpus {}",
        engine.fingerprint_id()
    )
}

/// Runs the engine off the async workers.
async fn answer(state: &State, question: String, skip: usize) -> Answer {
    let engine = state.engine();
    let take = state.settings.answer.extracts;
    match tokio::task::spawn_blocking(move || engine.answer_page(&question, skip, take)).await {
        Ok(a) => a,
        Err(e) => {
            tracing::error!(error = %e, "the engine stopped unexpectedly");
            Answer {
                question: String::new(),
                answered: false,
                message: Some(crate::NOT_FOUND.into()),
                extracts: Vec::new(),
                figures: None,
            }
        }
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
    let a = answer(state, question.to_string(), 0).await;
    let reply = render::answer(&a, user, 0, &footer(&state.engine()));
    if let Err(e) = state
        .rest
        .followup(state.app_id(), token, &message::body(&reply, false))
        .await
    {
        warn_failed("sending an answer", &e);
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
    let a = answer(state, question, 0).await;
    let reply = render::answer(&a, user, 0, &footer(&state.engine()));
    if let Err(e) = state.rest.create_message(channel, &send(reply)).await {
        warn_failed("sending an answer", &e);
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
    let opened = tokio::task::spawn_blocking(move || Engine::open(&settings, false)).await;
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
        .filter(|p| find(before, &p.path).is_none())
        .count();
    let removed = before
        .iter()
        .filter(|p| find(after, &p.path).is_none())
        .count();
    let changed = after
        .iter()
        .filter(|p| find(before, &p.path).is_some_and(|h| h != p.hash))
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
    if !new.skipped().is_empty() {
        text.push_str("\nSkipped files:");
        for s in new.skipped().iter().take(20) {
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
    } else if let Some((skip, asker)) = ids::parse_more(custom_id) {
        more(state, c, skip, asker).await;
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

/// The question an answer message is about: its title, unescaped.
fn question_of(message: &serenity::Message) -> String {
    let title = message
        .embeds
        .first()
        .and_then(|e| e.title.clone())
        .unwrap_or_default();
    unescape(&title)
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            '\u{200b}' => {}
            c => out.push(c),
        }
    }
    out
}

async fn more(state: &Arc<State>, c: &serenity::ComponentInteraction, skip: usize, asker: u64) {
    let (id, token) = (c.id.get(), c.token.as_str());
    if c.user.id.get() != asker {
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
    let a = answer(state, question_of(&c.message), skip).await;
    let reply = if a.extracts.is_empty() {
        render::notice(
            "No more",
            "There are no further extracts for this question.",
        )
    } else {
        render::answer(&a, asker, skip, &footer(&state.engine()))
    };
    if let Err(e) = state
        .rest
        .followup(state.app_id(), token, &message::body(&reply, true))
        .await
    {
        warn_failed("sending more extracts", &e);
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
    let stamp = now.format("%Y-%m-%d %H:%M UTC").to_string();

    // The footer says who pinned it and when; the Pin button goes.
    let mut embeds: Vec<Value> = c
        .message
        .embeds
        .iter()
        .filter_map(|e| serde_json::to_value(e).ok())
        .collect();
    let mut corpus = String::new();
    if let Some(first) = embeds.first_mut() {
        let old = first["footer"]["text"].as_str().unwrap_or("").to_string();
        corpus = old
            .rsplit("corpus ")
            .next()
            .filter(|_| old.contains("corpus "))
            .map(|s| s.split_whitespace().next().unwrap_or("").to_string())
            .unwrap_or_default();
        let text = render::cut(
            &format!(
                "{old} · Pinned by {} on {stamp}",
                render::escape(&moderator)
            ),
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
    if let Err(e) = state.rest.edit_original(state.app_id(), token, &edit).await {
        warn_failed("marking an answer as pinned", &e);
    }
    let record = PinRecord {
        message_id: message_id.to_string(),
        channel_id: channel.to_string(),
        guild_id: guild.map(|g| g.to_string()),
        question: question_of(&c.message),
        moderator_id: c.user.id.get().to_string(),
        moderator,
        pinned_at: now.to_rfc3339().unwrap_or_default(),
        corpus,
        docs: cited_docs(&c.message),
    };
    let path = state.settings.discord.pins_file.clone();
    match tokio::task::spawn_blocking(move || pins::append(&path, &record)).await {
        Ok(Ok(())) => tracing::info!(message = message_id, "answer pinned"),
        Ok(Err(e)) => tracing::error!(error = %e, "recording a pin failed"),
        Err(e) => tracing::error!(error = %e, "recording a pin failed"),
    }
}

/// The documents an answer message cites: the `file` names in its Sources field.
fn cited_docs(message: &serenity::Message) -> Vec<String> {
    let mut docs = Vec::new();
    for e in &message.embeds {
        for f in &e.fields {
            for part in f.value.split('`').skip(1).step_by(2) {
                if !part.is_empty() && !docs.iter().any(|d| d == part) {
                    docs.push(part.to_string());
                }
            }
        }
    }
    docs
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_titles_read_back_as_the_question() {
        let q = "How many (roughly) were *deported* @ CECOT?";
        assert_eq!(unescape(&render::escape(q)), q);
    }
}
