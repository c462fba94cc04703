//! The Discord bot (`verbatim serve`): serenity for the gateway, poise for the
//! slash commands, and the engine for the answers.
//!
//! Boundary: the only module that knows serenity and poise. It answers with
//! what `render::discord` produces and never writes text of its own beyond
//! labels; every message it sends forbids mentions; the engine and the state
//! database run on blocking threads, never on the async workers; the token
//! never reaches a log line or an error message.

mod guard;
mod handlers;
mod message;
pub mod pins;
mod rest;
pub mod store;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use anyhow::{Context as _, bail};
use poise::serenity_prelude as serenity;
use secrecy::{ExposeSecret, SecretString};

use crate::answer::Engine;
use crate::config::Settings;
pub use guard::{BOT_PERMISSIONS, PIN_MESSAGES};

type Error = Box<dyn std::error::Error + Send + Sync>;
type Ctx<'a> = poise::Context<'a, Arc<State>, Error>;

/// Command registration is tried this many times (with growing waits) before the bot gives up.
const REGISTRATION_ATTEMPTS: u32 = 4;

/// Threads for blocking work: the engine (CPU-bound) and the state database.
/// More than this only costs memory (a stack, caches and an allocator arena
/// each); questions beyond it wait their turn.
const BLOCKING_THREADS: usize = 16;

/// What every handler shares.
pub struct State {
    engine: RwLock<Arc<Engine>>,
    settings: Settings,
    rest: rest::Rest,
    store: store::Store,
    limiter: Mutex<guard::RateLimiter>,
    reload: tokio::sync::Mutex<()>,
    app_id: AtomicU64,
    bot_id: AtomicU64,
    /// Set when the bot must stop with an error (e.g. commands could not be registered).
    fatal: Mutex<Option<String>>,
}

impl State {
    fn engine(&self) -> Arc<Engine> {
        self.engine.read().expect("engine lock").clone()
    }

    fn app_id(&self) -> u64 {
        self.app_id.load(Ordering::Relaxed)
    }
}

/// Runs the bot until SIGINT/SIGTERM, or until Discord refuses it.
pub fn serve(settings: Settings) -> anyhow::Result<()> {
    let token = settings.discord.token().context(
        "no Discord token: set DISCORD_TOKEN (or VERBATIM__DISCORD__TOKEN) to the bot token from the Discord developer portal",
    )?;
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(BLOCKING_THREADS)
        .build()
        .context("starting the async runtime")?
        .block_on(run(settings, token))
}

async fn run(settings: Settings, token: SecretString) -> anyhow::Result<()> {
    // The state first: a file that cannot be used stops the bot before it
    // connects, with a message that says what to do.
    let store_settings = settings.clone();
    let store = tokio::task::spawn_blocking(move || pins::open_store(&store_settings))
        .await
        .context("opening the bot's state database")??;
    tracing::info!(path = %store.path().display(), "state database ready");
    let open_settings = settings.clone();
    let engine = tokio::task::spawn_blocking(move || {
        Engine::open(&open_settings, false).map(Engine::rebuild_in_background)
    })
    .await
    .context("opening the corpus")??;
    tracing::info!(
        documents = engine.sources().len(),
        sentences = engine.sentence_count(),
        "corpus ready"
    );
    let api_url = settings.discord.api_url.clone();
    let state = Arc::new(State {
        engine: RwLock::new(Arc::new(engine)),
        rest: rest::Rest::new(api_url.as_deref(), token.clone())?,
        store,
        limiter: Mutex::new(guard::RateLimiter::new(
            settings.discord.questions_per_minute,
        )),
        reload: tokio::sync::Mutex::new(()),
        app_id: AtomicU64::new(0),
        bot_id: AtomicU64::new(0),
        fatal: Mutex::new(None),
        settings,
    });

    let mut http = serenity::HttpBuilder::new(token.expose_secret());
    if let Some(url) = &api_url {
        // serenity's own rate limiter ignores the proxy; `rest` handles 429s instead.
        http = http.proxy(url.as_str()).ratelimiter_disabled(true);
    }
    let http = http.build();

    let setup_state = state.clone();
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: vec![ask(), sources(), reload()],
            allowed_mentions: Some(serenity::CreateAllowedMentions::new().replied_user(false)),
            event_handler: |framework, event| Box::pin(on_event(framework, event)),
            on_error: |error| {
                Box::pin(async move {
                    tracing::warn!(error = %error, "command failed");
                })
            },
            ..Default::default()
        })
        .initialize_owners(false)
        .setup(move |ctx, ready, framework| {
            Box::pin(async move {
                let state = setup_state;
                state
                    .app_id
                    .store(ready.application.id.get(), Ordering::Relaxed);
                state.bot_id.store(ready.user.id.get(), Ordering::Relaxed);
                tracing::info!(bot = %ready.user.name, "connected to Discord");
                if let Err(e) = register(ctx, framework, &state).await {
                    *state.fatal.lock().expect("fatal lock") = Some(e.clone());
                    framework.shard_manager().shutdown_all().await;
                    return Err(e.into());
                }
                Ok(state)
            })
        })
        .build();

    let intents = serenity::GatewayIntents::GUILDS
        | serenity::GatewayIntents::GUILD_MESSAGES
        | serenity::GatewayIntents::DIRECT_MESSAGES;
    let mut client = serenity::ClientBuilder::new_with_http(http, intents)
        .framework(framework)
        .await
        .context("creating the Discord client")?;

    tokio::spawn(report_health(
        client.shard_manager.clone(),
        state.settings.discord.health_file.clone(),
    ));
    tokio::spawn(prune_daily(state.store.clone()));
    let shards = client.shard_manager.clone();
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("shutting down");
        shards.shutdown_all().await;
    });

    let result = client.start().await;
    if let Some(fatal) = state.fatal.lock().expect("fatal lock").take() {
        bail!("{fatal}");
    }
    match result {
        Ok(()) => Ok(()),
        Err(serenity::Error::Gateway(serenity::GatewayError::InvalidAuthentication)) => {
            bail!("Discord rejected the bot token (gateway close 4004): check DISCORD_TOKEN")
        }
        Err(serenity::Error::Gateway(
            serenity::GatewayError::DisallowedGatewayIntents
            | serenity::GatewayError::InvalidGatewayIntents,
        )) => bail!(
            "Discord refused the gateway intents (close 4013/4014): enable the intents for this bot in the developer portal"
        ),
        Err(e) => bail!("the Discord connection failed: {}", redact(&e.to_string())),
    }
}

/// Rewrites the health record every few seconds while the bot runs.
async fn report_health(shards: Arc<serenity::ShardManager>, path: std::path::PathBuf) {
    loop {
        let (connected, latency) = {
            let runners = shards.runners.lock().await;
            let connected = !runners.is_empty()
                && runners
                    .values()
                    .all(|r| r.stage == serenity::ConnectionStage::Connected);
            let latency = runners.values().filter_map(|r| r.latency).max();
            (connected, latency)
        };
        let record = crate::health::Health {
            pid: std::process::id(),
            updated_at: crate::health::now_secs(),
            connected,
            latency_ms: latency.map(|l| l.as_millis() as u64),
        };
        let target = path.clone();
        let written =
            tokio::task::spawn_blocking(move || crate::health::write(&target, &record)).await;
        if let Ok(Err(e)) = written {
            tracing::warn!(error = %e, "writing the health record failed");
        }
        tokio::time::sleep(crate::health::INTERVAL).await;
    }
}

/// Forgets answer records past their retention once a day (once at open too).
async fn prune_daily(store: store::Store) {
    loop {
        tokio::time::sleep(Duration::from_secs(24 * 3600)).await;
        match store.call(|s| s.prune(store::now_secs())).await {
            Ok(n) => tracing::info!(records = n, "old answer records forgotten"),
            Err(e) => {
                tracing::warn!(error = %format!("{e:#}"), "forgetting old answer records failed")
            }
        }
    }
}

/// Registers the slash commands, retrying with growing waits.
async fn register(
    ctx: &serenity::Context,
    framework: &poise::Framework<Arc<State>, Error>,
    state: &State,
) -> Result<(), String> {
    let commands = &framework.options().commands;
    let mut wait = Duration::from_millis(500);
    for attempt in 1..=REGISTRATION_ATTEMPTS {
        let result = match state.settings.discord.guild_id {
            Some(guild) if guild != 0 => {
                poise::builtins::register_in_guild(ctx, commands, serenity::GuildId::new(guild))
                    .await
            }
            _ => poise::builtins::register_globally(ctx, commands).await,
        };
        match result {
            Ok(()) => {
                tracing::info!(commands = commands.len(), "slash commands registered");
                return Ok(());
            }
            Err(e) => {
                tracing::warn!(attempt, error = %redact(&e.to_string()), "registering slash commands failed");
                if attempt < REGISTRATION_ATTEMPTS {
                    tokio::time::sleep(wait).await;
                    wait *= 2;
                }
            }
        }
    }
    Err(format!(
        "could not register the slash commands with Discord after {REGISTRATION_ATTEMPTS} attempts; check the bot's permissions (applications.commands scope) and try again"
    ))
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

/// Removes anything that looks like a bot token from a message.
fn redact(text: &str) -> String {
    text.split(' ')
        .map(|w| {
            let dots = w.matches('.').count();
            if w.len() > 50 && dots == 2 {
                "[REDACTED]"
            } else {
                w
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

async fn on_event(
    framework: poise::FrameworkContext<'_, Arc<State>, Error>,
    event: &serenity::FullEvent,
) -> Result<(), Error> {
    let state = framework.user_data().await.clone();
    match event {
        serenity::FullEvent::Message { new_message } => {
            handlers::mention(&state, new_message).await;
        }
        serenity::FullEvent::InteractionCreate {
            interaction: serenity::Interaction::Component(c),
        } => handlers::component(&state, c).await,
        _ => {}
    }
    Ok(())
}

/// Ask the documents; the answer is quoted from them, with its sources.
#[poise::command(slash_command)]
async fn ask(ctx: Ctx<'_>, #[description = "Your question"] question: String) -> Result<(), Error> {
    if let poise::Context::Application(app) = ctx {
        handlers::ask(ctx.data(), app.interaction, &question).await;
    }
    Ok(())
}

/// List the documents the bot answers from.
#[poise::command(slash_command)]
async fn sources(ctx: Ctx<'_>) -> Result<(), Error> {
    if let poise::Context::Application(app) = ctx {
        handlers::sources(ctx.data(), app.interaction).await;
    }
    Ok(())
}

/// Re-read the documents folder (moderators).
#[poise::command(slash_command)]
async fn reload(ctx: Ctx<'_>) -> Result<(), Error> {
    if let poise::Context::Application(app) = ctx {
        handlers::reload(ctx.data(), app.interaction).await;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_like_words_are_redacted() {
        let token = format!("{}.{}.{}", "M".repeat(26), "G".repeat(6), "x".repeat(38));
        let text = format!("request failed for {token} with 401");
        assert_eq!(redact(&text), "request failed for [REDACTED] with 401");
    }
}
