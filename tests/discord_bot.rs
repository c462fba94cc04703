//! End-to-end tests of the real `verbatim serve` binary against the fake
//! Discord in `tests/fake_discord` (issue 4): start-up and registration,
//! /ask with figures, pins and rights, mentions, declines, mention safety, a
//! burst of questions, the rate limit, gateway faults, fatal closes, 429s,
//! /reload, /sources and a clean SIGTERM. Everything runs on 127.0.0.1.

mod common;
mod fake_discord;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fake_discord::{
    CHANNEL_ID, FakeDiscord, MANAGE_MESSAGES, MEMBER_PERMISSIONS, Member, Options, PIN_MESSAGES,
};
use serde_json::Value;
use tokio::io::AsyncBufReadExt;

/// A token-shaped secret that must never appear in the bot's output.
const TOKEN: &str = "MTMwMDAwMDAwMDAwMDAwMDAwMQ.FAKEab.do-not-log-this-secret-token-value-xyz";
const DEPORTED: &str = "How many people were deported to CECOT?";

struct Bot {
    child: tokio::process::Child,
    log: Arc<Mutex<String>>,
    readers: Vec<tokio::task::JoinHandle<()>>,
    dir: tempfile::TempDir,
}

impl Bot {
    async fn start(fake: &FakeDiscord, corpus: &Path, env: &[(&str, &str)]) -> Bot {
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_verbatim"));
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("VERBATIM") || key == "DISCORD_TOKEN" {
                cmd.env_remove(key);
            }
        }
        cmd.env("RUST_LOG", "info,verbatim=debug")
            .env("DISCORD_TOKEN", TOKEN)
            .env("VERBATIM__DISCORD__API_URL", fake.api_url())
            .env(
                "VERBATIM__DISCORD__GUILD_ID",
                fake_discord::GUILD_ID.to_string(),
            )
            .env(
                "VERBATIM__DISCORD__PINS_FILE",
                dir.path().join("pins.jsonl"),
            )
            .env(
                "VERBATIM__DISCORD__HEALTH_FILE",
                dir.path().join("health.json"),
            )
            .envs(env.iter().copied())
            .arg("--config")
            .arg(common::root().join("tests/fixtures/settings.toml"))
            .arg("--corpus")
            .arg(corpus)
            .arg("--index")
            .arg(dir.path().join("index"))
            .arg("serve")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = cmd.spawn().expect("start verbatim serve");
        let log = Arc::new(Mutex::new(String::new()));
        let mut readers = Vec::new();
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn tokio::io::AsyncRead + Unpin + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let log = log.clone();
            readers.push(tokio::spawn(async move {
                let mut lines = tokio::io::BufReader::new(stream).lines();
                while let Ok(Some(line)) = lines.next_line().await {
                    let mut l = log.lock().unwrap();
                    l.push_str(&line);
                    l.push('\n');
                }
            }));
        }
        Bot {
            child,
            log,
            readers,
            dir,
        }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    fn pins_file(&self) -> PathBuf {
        self.dir.path().join("pins.jsonl")
    }

    /// Waits for the process to end by itself, and for its last output.
    async fn exit(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        let status = tokio::time::timeout(within, self.child.wait())
            .await
            .ok()?
            .ok()?;
        // The pipes close with the process: wait for its last lines.
        for reader in self.readers.drain(..) {
            let _ = tokio::time::timeout(Duration::from_secs(5), reader).await;
        }
        Some(status)
    }
}

/// A fake and a bot that is connected with its commands registered.
async fn ready(options: Options, corpus: &Path) -> (FakeDiscord, Bot) {
    let fake = FakeDiscord::start(options).await;
    let bot = Bot::start(&fake, corpus, &[]).await;
    assert!(
        fake.wait_for_ready(Duration::from_secs(20)).await,
        "bot never identified:\n{}",
        bot.log()
    );
    let registered = wait_until(Duration::from_secs(10), || async {
        (fake.registered_commands().await.len() == 3).then_some(())
    })
    .await;
    assert!(
        registered.is_some(),
        "commands not registered:\n{}",
        bot.log()
    );
    (fake, bot)
}

async fn wait_until<T, F, Fut>(timeout: Duration, mut f: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let end = Instant::now() + timeout;
    loop {
        if let Some(v) = f().await {
            return Some(v);
        }
        if Instant::now() > end {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Everything a message shows, as one string.
fn shown(message: &Value) -> String {
    let mut s = message["content"].as_str().unwrap_or("").to_string();
    for e in message["embeds"].as_array().into_iter().flatten() {
        for key in ["title", "description"] {
            s.push_str(e[key].as_str().unwrap_or(""));
            s.push('\n');
        }
        for f in e["fields"].as_array().into_iter().flatten() {
            s.push_str(f["name"].as_str().unwrap_or(""));
            s.push_str(f["value"].as_str().unwrap_or(""));
            s.push('\n');
        }
        s.push_str(e["footer"]["text"].as_str().unwrap_or(""));
    }
    s
}

fn buttons(message: &Value) -> Vec<String> {
    message["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|b| b["custom_id"].as_str().map(str::to_string))
        .collect()
}

async fn ask(fake: &FakeDiscord, member: &Member, question: &str) -> (u64, Value) {
    let i = fake
        .slash_command(member, "ask", &[("question", question)])
        .await;
    let answer = fake
        .wait_for_followup(i.id, Duration::from_secs(10))
        .await
        .unwrap_or_else(|| panic!("no answer to {question:?}"));
    (i.id, answer)
}

async fn assert_no_violations(fake: &FakeDiscord, bot: &Bot) {
    let v = fake.violations().await;
    assert!(
        v.is_empty(),
        "Discord rules broken: {v:#?}\nlog:\n{}",
        bot.log()
    );
    assert!(!bot.log().contains(TOKEN), "the token reached the log");
    assert!(
        !bot.log().contains("do-not-log-this"),
        "part of the token reached the log"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn startup_registers_the_commands() {
    let (fake, bot) = ready(Options::default(), &common::bundled_corpus()).await;
    let commands = fake.registered_commands().await;
    let names: Vec<&str> = commands.iter().filter_map(|c| c["name"].as_str()).collect();
    assert!(names.contains(&"ask") && names.contains(&"sources") && names.contains(&"reload"));
    let ask = commands.iter().find(|c| c["name"] == "ask").unwrap();
    let option = &ask["options"][0];
    assert_eq!(option["name"], "question");
    assert_eq!(option["type"], 3, "a string option");
    assert_eq!(option["required"], true);
    assert_no_violations(&fake, &bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ask_shows_the_disagreeing_figures_and_pin_is_for_moderators() {
    let (fake, bot) = ready(Options::default(), &common::bundled_corpus()).await;
    let asker = Member::regular(501, "asker");
    let (id, answer) = ask(&fake, &asker, DEPORTED).await;
    let log = fake.interaction_log(id).await;
    assert_eq!(log.acks[0].kind, 5, "deferred first");
    assert!(log.acks[0].after < Duration::from_secs(3));
    let text = shown(&answer);
    for figure in ["238", "250", "261"] {
        assert!(text.contains(figure), "{figure} missing:\n{text}");
    }
    assert!(text.contains("Sources disagree"), "{text}");
    let cited = text.matches(".md`").count();
    assert!(cited >= 3, "cites {cited} documents:\n{text}");
    assert!(buttons(&answer).contains(&"pin".to_string()));

    // More: the asker privately gets the next extracts; anyone else a refusal.
    let more = buttons(&answer)
        .into_iter()
        .find(|b| b.starts_with("more:"))
        .expect("a More button");
    let other = Member::regular(504, "other");
    let click = fake.click_button(&other, &answer, &more).await;
    let refusal = fake
        .wait_for_followup(click.id, Duration::from_secs(5))
        .await
        .unwrap();
    assert!(
        shown(&refusal).contains("Only the person who asked"),
        "{}",
        shown(&refusal)
    );
    let click = fake.click_button(&asker, &answer, &more).await;
    let page = fake
        .wait_for_followup(click.id, Duration::from_secs(10))
        .await
        .unwrap();
    let ack = &fake.interaction_log(click.id).await.acks[0];
    assert_eq!(ack.flags & 64, 64, "More is private to the asker");
    let first_shown = answer["embeds"][0]["description"]
        .as_str()
        .unwrap_or("")
        .matches("**[")
        .count();
    assert!(
        shown(&page).contains(&format!("**[{}]**", first_shown + 1)),
        "the next extracts continue the numbering:\n{}",
        shown(&page)
    );

    // A member without rights: a private refusal and no pin.
    let click = fake.click_button(&asker, &answer, "pin").await;
    let refusal = fake
        .wait_for_followup(click.id, Duration::from_secs(5))
        .await
        .unwrap();
    let ack = &fake.interaction_log(click.id).await.acks[0];
    assert_eq!((ack.kind, ack.flags & 64), (4, 64), "a private refusal");
    assert!(shown(&refusal).contains("Only moderators"));
    assert!(fake.pins().await.is_empty());

    // Manage Messages: the pin, the footer, the record.
    let moderator = Member::new(502, "Mod Erator", MEMBER_PERMISSIONS | MANAGE_MESSAGES);
    let click = fake.click_button(&moderator, &answer, "pin").await;
    let pinned = wait_until(Duration::from_secs(5), || async {
        let pins = fake.pins().await;
        (!pins.is_empty()).then_some(pins)
    })
    .await
    .expect("pinned");
    assert_eq!(pinned[0].0, CHANNEL_ID);
    let edited = fake
        .wait_for_followup(click.id, Duration::from_secs(5))
        .await
        .unwrap();
    assert!(
        shown(&edited).contains("Pinned by Mod Erator"),
        "{}",
        shown(&edited)
    );
    let record = wait_until(Duration::from_secs(5), || async {
        std::fs::read_to_string(bot.pins_file()).ok()
    })
    .await
    .expect("pins.jsonl written");
    let record: Value = serde_json::from_str(record.lines().next().unwrap()).unwrap();
    assert_eq!(record["message_id"], pinned[0].1.to_string());
    assert_eq!(record["question"], DEPORTED);
    assert_eq!(record["moderator_id"], "502");
    assert!(record["docs"].as_array().unwrap().len() >= 3, "{record}");
    assert_eq!(record["corpus"].as_str().unwrap().len(), 16);

    // Pin Messages alone (bit 51, which serenity drops) is enough.
    let (_, second) = ask(&fake, &asker, "Where is CECOT located?").await;
    let pinner = Member::new(503, "pinner", MEMBER_PERMISSIONS | PIN_MESSAGES);
    fake.click_button(&pinner, &second, "pin").await;
    let pins = wait_until(Duration::from_secs(5), || async {
        let pins = fake.pins().await;
        (pins.len() == 2).then_some(pins)
    })
    .await;
    assert!(
        pins.is_some(),
        "a Pin Messages member could not pin:\n{}",
        bot.log()
    );
    assert_no_violations(&fake, &bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mentions_are_answered_in_the_channel_and_never_ping() {
    let (fake, bot) = ready(Options::default(), &common::bundled_corpus()).await;
    let member = Member::regular(601, "someone");
    let question_id = fake.mention_message(&member, DEPORTED).await;
    fake.mention_message(&member, "What is the capital of France?")
        .await;
    fake.mention_message(
        &member,
        "@everyone <@&42> how many people were deported to CECOT?",
    )
    .await;
    let messages = wait_until(Duration::from_secs(10), || async {
        let m = fake.channel_messages().await;
        (m.len() >= 3).then_some(m)
    })
    .await
    .unwrap_or_else(|| panic!("no replies:\n{}", bot.log()));
    let question_id = question_id.to_string();
    let first = messages
        .iter()
        .find(|m| m["message_reference"]["message_id"] == question_id.as_str())
        .expect("a reply to the question");
    assert!(shown(first).contains("261"), "{}", shown(first));
    assert!(
        messages
            .iter()
            .any(|m| shown(m).contains("I couldn't find this in the documents.")),
        "the out-of-corpus question is declined"
    );
    for m in &messages {
        assert_eq!(m["allowed_mentions"]["parse"], serde_json::json!([]));
        assert!(!shown(m).contains("@everyone"), "{}", shown(m));
    }
    assert_no_violations(&fake, &bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_twenty_askers_is_answered_in_time_and_the_rate_limit_holds() {
    let (fake, bot) = ready(Options::default(), &common::bundled_corpus()).await;
    let fake = Arc::new(fake);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for u in 0..20u64 {
        let fake = fake.clone();
        tasks.push(tokio::spawn(async move {
            let member = Member::regular(700 + u, &format!("user{u}"));
            let i = fake
                .slash_command(&member, "ask", &[("question", DEPORTED)])
                .await;
            let answer = fake.wait_for_followup(i.id, Duration::from_secs(20)).await;
            (i.id, i.sent_at.elapsed(), answer)
        }));
    }
    let mut acks = Vec::new();
    let mut answers = Vec::new();
    for t in tasks {
        let (id, answered_after, answer) = t.await.unwrap();
        let answer = answer.expect("every question is answered");
        assert!(shown(&answer).contains("Sources disagree"));
        let log = fake.interaction_log(id).await;
        assert!(
            log.acks[0].after < Duration::from_secs(3),
            "ack after {:?}",
            log.acks[0].after
        );
        acks.push(log.acks[0].after);
        answers.push(answered_after);
    }
    acks.sort();
    answers.sort();
    let pct = |v: &[Duration], p: f64| v[((v.len() as f64 * p).ceil() as usize).max(1) - 1];
    println!(
        "burst of 20: ack p50 {:?} p99 {:?}; answer p50 {:?} p99 {:?}; all done in {:?}",
        pct(&acks, 0.5),
        pct(&acks, 0.99),
        pct(&answers, 0.5),
        pct(&answers, 0.99),
        started.elapsed()
    );

    // One member asking a sixth time within the minute.
    let eager = Member::regular(799, "eager");
    for _ in 0..5 {
        ask(&fake, &eager, "Where is CECOT located?").await;
    }
    let i = fake
        .slash_command(&eager, "ask", &[("question", "Where is CECOT located?")])
        .await;
    let refusal = fake
        .wait_for_followup(i.id, Duration::from_secs(5))
        .await
        .unwrap();
    let ack = &fake.interaction_log(i.id).await.acks[0];
    assert_eq!((ack.kind, ack.flags & 64), (4, 64), "a private refusal");
    assert!(
        shown(&refusal).contains("Try again in"),
        "{}",
        shown(&refusal)
    );
    assert_no_violations(&fake, &bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_survives_reconnects_and_invalid_sessions() {
    let (fake, bot) = ready(Options::default(), &common::bundled_corpus()).await;
    let member = Member::regular(801, "m");
    fake.send_reconnect().await;
    assert!(
        fake.wait_for_ready(Duration::from_secs(15)).await,
        "no resume after op 7"
    );
    assert!(fake.resume_count().await >= 1);
    let (_, a) = ask(&fake, &member, "Where is CECOT located?").await;
    assert!(shown(&a).contains("Tecoluca"));

    fake.send_invalid_session(true).await;
    assert!(fake.wait_for_ready(Duration::from_secs(15)).await);
    let (_, a) = ask(&fake, &member, "How far is CECOT from San Salvador?").await;
    assert!(shown(&a).contains("40 miles"), "{}", shown(&a));

    let identified = fake.identify_count().await;
    fake.send_invalid_session(false).await;
    assert!(fake.wait_for_ready(Duration::from_secs(20)).await);
    assert!(
        fake.identify_count().await > identified,
        "a fresh Identify after op 9 false"
    );
    let (_, a) = ask(&fake, &member, "Who is Andry Hernández Romero?").await;
    assert!(shown(&a).contains("makeup artist"));
    assert_no_violations(&fake, &bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_token_ends_the_process_with_a_clear_message() {
    let fake = FakeDiscord::start(Options {
        close_with: Some(4004),
        ..Options::default()
    })
    .await;
    let mut bot = Bot::start(&fake, &common::bundled_corpus(), &[]).await;
    let status = bot
        .exit(Duration::from_secs(20))
        .await
        .expect("the bot exits");
    assert!(!status.success());
    let log = bot.log();
    assert!(
        log.contains("4004") && log.contains("DISCORD_TOKEN"),
        "{log}"
    );
    assert!(!log.contains(TOKEN));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_command_registration_retries_then_exits() {
    let fake = FakeDiscord::start(Options {
        fail_command_registration: true,
        ..Options::default()
    })
    .await;
    let mut bot = Bot::start(&fake, &common::bundled_corpus(), &[]).await;
    let status = bot.exit(Duration::from_secs(30)).await.expect("no hang");
    assert!(!status.success());
    assert!(fake.registration_attempts().await >= 2, "it retried");
    assert!(
        bot.log().contains("could not register the slash commands"),
        "{}",
        bot.log()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limited_follow_up_is_retried_after_retry_after() {
    let (fake, bot) = ready(
        Options {
            rate_limit_first_followup: true,
            ..Options::default()
        },
        &common::bundled_corpus(),
    )
    .await;
    let (_, answer) = ask(&fake, &Member::regular(901, "m"), DEPORTED).await;
    assert!(shown(&answer).contains("261"));
    assert!(fake.rate_limited_requests().await >= 1);
    assert_no_violations(&fake, &bot).await;
}

fn copy_corpus(to: &Path) {
    for entry in std::fs::read_dir(common::bundled_corpus()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reload_picks_up_a_new_document_for_moderators_only() {
    let corpus = tempfile::tempdir().unwrap();
    copy_corpus(corpus.path());
    let (fake, bot) = ready(Options::default(), corpus.path()).await;
    let member = Member::regular(1001, "m");
    let question = "What colour is the harbour ferry?";
    let (_, before) = ask(&fake, &member, question).await;
    assert!(
        shown(&before).contains("I couldn't find"),
        "{}",
        shown(&before)
    );

    std::fs::write(
        corpus.path().join("ferry.md"),
        "The harbour ferry is painted a bright colour: yellow with green stripes.\n",
    )
    .unwrap();
    let i = fake.slash_command(&member, "reload", &[]).await;
    let refusal = fake
        .wait_for_followup(i.id, Duration::from_secs(5))
        .await
        .unwrap();
    assert!(shown(&refusal).contains("Only moderators"));

    let moderator = Member::moderator(1002, "mod");
    let i = fake.slash_command(&moderator, "reload", &[]).await;
    let report = fake
        .wait_for_followup(i.id, Duration::from_secs(15))
        .await
        .unwrap();
    assert!(shown(&report).contains("1 added"), "{}", shown(&report));
    let (_, after) = ask(&fake, &member, question).await;
    assert!(
        shown(&after).contains("yellow with green stripes"),
        "{}",
        shown(&after)
    );
    assert!(shown(&after).contains("ferry.md"));
    assert_no_violations(&fake, &bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sources_lists_the_documents_and_sigterm_stops_cleanly() {
    let (fake, mut bot) = ready(Options::default(), &common::bundled_corpus()).await;
    let i = fake
        .slash_command(&Member::regular(1101, "m"), "sources", &[])
        .await;
    let list = fake
        .wait_for_followup(i.id, Duration::from_secs(5))
        .await
        .unwrap();
    let text = shown(&list);
    assert!(
        text.contains("Encyclopaedia Britannica") && text.contains("5 documents"),
        "{text}"
    );

    // The health record says connected while the bot runs.
    let health = bot.dir.path().join("health.json");
    let live = wait_until(Duration::from_secs(15), || async {
        let h: Value = serde_json::from_slice(&std::fs::read(&health).ok()?).ok()?;
        (h["connected"] == true).then_some(h)
    })
    .await;
    assert!(live.is_some(), "no connected health record");

    let pid = bot.child.id().unwrap();
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exited = bot
        .exit(Duration::from_secs(10))
        .await
        .expect("stops within seconds");
    assert!(exited.success(), "exit status {exited:?}\n{}", bot.log());
    assert_no_violations(&fake, &bot).await;
}
