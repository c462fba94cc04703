//! The bot's state in one SQLite file in the data volume: for every answer
//! message, what its buttons need (the question exactly as asked, the corpus
//! fingerprint, the cited documents, the offset of the next page), and the
//! record of pinned answers, both keyed by Discord message id. Buttons keep
//! working after a restart, and nothing is read back from rendered text.
//!
//! Boundary: the only module that knows SQLite (rusqlite). Plain records in
//! and out; no Discord, no engine. One thread of its own owns the
//! connection and runs every query, in order: async code awaits
//! [`Store::call`] and never blocks, and all of SQLite's memory stays in one
//! allocator arena instead of spreading over the runtime's threads. The schema
//! is versioned with `PRAGMA user_version` and migrated forward on open; it
//! is the place for further bot state (e.g. unanswered-question statistics
//! for moderators) as new tables in a new schema version.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context as _, bail};
use rusqlite::{Connection, OptionalExtension, params};

use super::pins::PinRecord;

/// The schema this program writes; `PRAGMA user_version` of a current file.
pub const SCHEMA_VERSION: i64 = 1;

/// How long a write waits for another process (e.g. `verbatim pins`) to
/// finish its transaction before it fails.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The page cache, in KiB. Writes go to the end of the tables and buttons
/// read recent answers, so a small cache holds what is used; SQLite's 2 MiB
/// default only adds to the bot's memory as the file grows.
const CACHE_KIB: i64 = 512;

/// Answer records older than this are forgotten (their buttons then say so);
/// pins are kept for ever.
pub const ANSWER_RETENTION_DAYS: i64 = 365;

/// Schema changes, in order: entry `i` takes a file from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: answers (what buttons need), pins (the record), imports (legacy files read in).
    "CREATE TABLE answers (
         message_id INTEGER PRIMARY KEY,
         channel_id INTEGER NOT NULL,
         guild_id   INTEGER,
         asker_id   INTEGER NOT NULL,
         question   TEXT NOT NULL,
         corpus     TEXT NOT NULL,
         docs       TEXT NOT NULL,   -- JSON array of corpus-relative paths
         next_skip  INTEGER NOT NULL,
         created_at INTEGER NOT NULL  -- Unix seconds
     );
     CREATE INDEX answers_by_age ON answers (created_at);
     CREATE TABLE pins (
         message_id   INTEGER PRIMARY KEY,
         channel_id   INTEGER NOT NULL,
         guild_id     INTEGER,
         question     TEXT NOT NULL,
         moderator_id INTEGER NOT NULL,
         moderator    TEXT NOT NULL,
         pinned_at    TEXT NOT NULL,  -- RFC 3339, UTC
         corpus       TEXT NOT NULL,
         docs         TEXT NOT NULL   -- JSON array
     );
     CREATE TABLE imports (
         source     TEXT PRIMARY KEY,
         bytes      INTEGER NOT NULL,
         records    INTEGER NOT NULL,
         imported_at INTEGER NOT NULL
     );",
];

/// What the buttons of one answer message need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerRecord {
    pub message_id: u64,
    pub channel_id: u64,
    pub guild_id: Option<u64>,
    /// Only the asker may page through the answer.
    pub asker_id: u64,
    /// The question exactly as asked (any length, any lines).
    pub question: String,
    /// `Engine::fingerprint_id` of the corpus the answer came from.
    pub corpus: String,
    /// The documents the message cites, in citation order.
    pub docs: Vec<String>,
    /// How many extracts this message and the ones before it showed: where
    /// **More** continues.
    pub next_skip: usize,
    /// Unix seconds.
    pub created_at: i64,
}

/// What importing a legacy `pins.jsonl` did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Import {
    /// Records added to the store.
    pub added: usize,
    /// Records the store already had (same message id).
    pub known: usize,
    /// Lines that were not a pin record, with their line numbers.
    pub bad_lines: Vec<usize>,
}

/// A handle on the state file; clones share its one thread and connection,
/// which end when the last clone is dropped.
#[derive(Clone)]
pub struct Store {
    jobs: mpsc::Sender<Job>,
    path: PathBuf,
}

/// Work for the state thread.
type Job = Box<dyn FnOnce(&mut Db) + Send>;

/// The connection, as the state thread's jobs see it.
pub struct Db {
    conn: Connection,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens (or creates) the state file and brings its schema up to date.
    /// Errors say what is wrong with the file and what to do.
    pub fn open(path: &Path) -> anyhow::Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).with_context(|| {
                format!(
                    "cannot create {} for the bot's state database: check that the data folder is writable",
                    dir.display()
                )
            })?;
        }
        if path.is_dir() {
            bail!(
                "the bot's state database {} is a folder: set discord.state_file to a file path",
                path.display()
            );
        }
        let unusable = |e: &dyn std::fmt::Display| {
            anyhow::anyhow!(
                "the bot's state database {} is unusable ({e}): check that it and its folder are writable; \
                 if the file is damaged, move it aside (a new one is created and pins.jsonl re-imported) or restore a backup",
                path.display()
            )
        };
        let mut conn = Connection::open(path).map_err(|e| unusable(&e))?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| unusable(&e))?;
        let mode: String = conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
            .map_err(|e| unusable(&e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(unusable(&format!("journal mode {mode}, not WAL")));
        }
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(|e| unusable(&e))?;
        conn.pragma_update(None, "cache_size", -CACHE_KIB)
            .map_err(|e| unusable(&e))?;
        migrate(&mut conn, path).map_err(|e| match e.downcast::<rusqlite::Error>() {
            Ok(sql) => unusable(&sql),
            Err(other) => other,
        })?;
        let mut db = Db { conn };
        db.prune(now_secs())?;
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("verbatim-state".into())
            .spawn(move || {
                for job in queue {
                    // A panicking job drops its reply (the caller gets an
                    // error); SQLite rolls back what it left unfinished.
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(&mut db)));
                }
            })
            .context("starting the state database thread")?;
        Ok(Store {
            jobs,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` on the state thread and awaits its result without blocking.
    pub async fn call<T, F>(&self, f: F) -> anyhow::Result<T>
    where
        F: FnOnce(&mut Db) -> anyhow::Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let (reply, result) = tokio::sync::oneshot::channel();
        self.send(Box::new(move |db| {
            let _ = reply.send(f(db));
        }))?;
        result.await.context("the state database stopped")?
    }

    /// Runs `f` on the state thread and waits for it (for commands and tests,
    /// never from async code).
    pub fn blocking<T, F>(&self, f: F) -> anyhow::Result<T>
    where
        F: FnOnce(&mut Db) -> anyhow::Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let (reply, result) = mpsc::sync_channel(1);
        self.send(Box::new(move |db| {
            let _ = reply.send(f(db));
        }))?;
        result.recv().context("the state database stopped")?
    }

    fn send(&self, job: Job) -> anyhow::Result<()> {
        self.jobs
            .send(job)
            .map_err(|_| anyhow::anyhow!("the state database thread has stopped"))
    }

    /// Every pin, oldest first.
    pub fn pins(&self) -> anyhow::Result<Vec<PinRecord>> {
        self.blocking(|db| db.pins())
    }

    /// See [`Db::import_pins`].
    pub fn import_pins(&self, file: &Path) -> anyhow::Result<Option<Import>> {
        let file = file.to_path_buf();
        self.blocking(move |db| db.import_pins(&file))
    }
}

impl Db {
    /// Records (or replaces) what the buttons of one message need.
    pub fn save_answer(&self, r: &AnswerRecord) -> anyhow::Result<()> {
        self.conn
            .prepare_cached(
                "INSERT OR REPLACE INTO answers
                 (message_id, channel_id, guild_id, asker_id, question, corpus, docs, next_skip, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                r.message_id,
                r.channel_id,
                r.guild_id,
                r.asker_id,
                r.question,
                r.corpus,
                serde_json::to_string(&r.docs)?,
                r.next_skip,
                r.created_at,
            ])?;
        Ok(())
    }

    /// What the buttons of message `id` need, if the bot answered it (and
    /// the record is younger than [`ANSWER_RETENTION_DAYS`]).
    pub fn answer(&self, id: u64) -> anyhow::Result<Option<AnswerRecord>> {
        let conn = &self.conn;
        let mut stmt = conn.prepare_cached(
            "SELECT message_id, channel_id, guild_id, asker_id, question, corpus, docs, next_skip, created_at
             FROM answers WHERE message_id = ?1",
        )?;
        let row = stmt
            .query_row([id], |row| {
                Ok((
                    AnswerRecord {
                        message_id: row.get(0)?,
                        channel_id: row.get(1)?,
                        guild_id: row.get(2)?,
                        asker_id: row.get(3)?,
                        question: row.get(4)?,
                        corpus: row.get(5)?,
                        docs: Vec::new(),
                        next_skip: row.get(7)?,
                        created_at: row.get(8)?,
                    },
                    row.get::<_, String>(6)?,
                ))
            })
            .optional()?;
        row.map(|(mut r, docs)| {
            r.docs = serde_json::from_str(&docs).context("reading an answer's documents")?;
            Ok(r)
        })
        .transpose()
    }

    /// Adds a pin to the record; `false` when that message was already recorded.
    pub fn save_pin(&self, p: &PinRecord) -> anyhow::Result<bool> {
        insert_pin(&self.conn, p)
    }

    /// Every pin, oldest first.
    pub fn pins(&self) -> anyhow::Result<Vec<PinRecord>> {
        let conn = &self.conn;
        let mut stmt = conn.prepare_cached(
            "SELECT message_id, channel_id, guild_id, question, moderator_id, moderator, pinned_at, corpus, docs
             FROM pins ORDER BY pinned_at, message_id",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok((
                PinRecord {
                    message_id: row.get::<_, u64>(0)?.to_string(),
                    channel_id: row.get::<_, u64>(1)?.to_string(),
                    guild_id: row.get::<_, Option<u64>>(2)?.map(|g| g.to_string()),
                    question: row.get(3)?,
                    moderator_id: row.get::<_, u64>(4)?.to_string(),
                    moderator: row.get(5)?,
                    pinned_at: row.get(6)?,
                    corpus: row.get(7)?,
                    docs: Vec::new(),
                },
                row.get::<_, String>(8)?,
            ))
        })?;
        rows.map(|row| {
            let (mut p, docs) = row?;
            p.docs = serde_json::from_str(&docs).context("reading a pin's documents")?;
            Ok(p)
        })
        .collect()
    }

    /// Reads the records of a legacy `pins.jsonl` in, once per version of
    /// the file (it was append-only, so its size tells), in one transaction.
    /// Records already in the store are left as they are; the file is left
    /// untouched. `None` when there was nothing new to read.
    pub fn import_pins(&mut self, file: &Path) -> anyhow::Result<Option<Import>> {
        let bytes = match std::fs::metadata(file) {
            Ok(m) if m.is_file() => m.len(),
            _ => return Ok(None),
        };
        let source = file.display().to_string();
        let conn = &mut self.conn;
        let seen: Option<u64> = conn
            .query_row(
                "SELECT bytes FROM imports WHERE source = ?1",
                [&source],
                |r| r.get(0),
            )
            .optional()?;
        if seen == Some(bytes) {
            return Ok(None);
        }
        let text = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
        let text = String::from_utf8_lossy(&text);
        let mut import = Import::default();
        let tx = conn.transaction()?;
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<PinRecord>(line) {
                Ok(p) if p.has_ids() => {
                    if insert_pin(&tx, &p)? {
                        import.added += 1;
                    } else {
                        import.known += 1;
                    }
                }
                _ => import.bad_lines.push(n + 1),
            }
        }
        tx.execute(
            "INSERT OR REPLACE INTO imports (source, bytes, records, imported_at) VALUES (?1, ?2, ?3, ?4)",
            params![source, bytes, import.added + import.known, now_secs()],
        )?;
        tx.commit()?;
        Ok(Some(import))
    }

    /// Forgets answer records older than [`ANSWER_RETENTION_DAYS`] before `now`.
    pub fn prune(&self, now: i64) -> anyhow::Result<usize> {
        let before = now - ANSWER_RETENTION_DAYS * 24 * 3600;
        Ok(self
            .conn
            .execute("DELETE FROM answers WHERE created_at < ?1", [before])?)
    }
}

fn insert_pin(conn: &Connection, p: &PinRecord) -> anyhow::Result<bool> {
    let id = |s: &str| s.parse::<u64>().ok();
    let changed = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO pins
             (message_id, channel_id, guild_id, question, moderator_id, moderator, pinned_at, corpus, docs)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            id(&p.message_id),
            id(&p.channel_id),
            p.guild_id.as_deref().and_then(id),
            p.question,
            id(&p.moderator_id),
            p.moderator,
            p.pinned_at,
            p.corpus,
            serde_json::to_string(&p.docs)?,
        ])?;
    Ok(changed == 1)
}

/// Brings the schema to [`SCHEMA_VERSION`], one transaction per step. Each
/// step re-reads the version inside its transaction, so two processes
/// opening a new file at once do not both apply it.
fn migrate(conn: &mut Connection, path: &Path) -> anyhow::Result<()> {
    for (from, sql) in MIGRATIONS.iter().enumerate() {
        let (from, to) = (from as i64, from as i64 + 1);
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            bail!(
                "the bot's state database {} was written by a newer verbatim (schema {version}; this one knows {SCHEMA_VERSION}): \
                 upgrade verbatim, or move the file aside to start a new one",
                path.display()
            );
        }
        if version != from {
            continue;
        }
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", to)?;
        tx.commit()?;
        tracing::info!(path = %path.display(), schema = to, "state database schema updated");
    }
    Ok(())
}

pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: u64, question: &str) -> AnswerRecord {
        AnswerRecord {
            message_id: id,
            channel_id: 2,
            guild_id: Some(3),
            asker_id: 4,
            question: question.into(),
            corpus: "0123456789abcdef".into(),
            docs: vec!["a.md".into(), "b c.md".into()],
            next_skip: 5,
            created_at: now_secs(),
        }
    }

    fn pin(id: &str) -> PinRecord {
        PinRecord {
            message_id: id.into(),
            channel_id: "2".into(),
            guild_id: Some("3".into()),
            question: "q\nline two".into(),
            moderator_id: "4".into(),
            moderator: "mod".into(),
            pinned_at: "2026-01-01T00:00:00Z".into(),
            corpus: "abc".into(),
            docs: vec!["a.md".into()],
        }
    }

    #[test]
    fn answers_survive_reopening_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/state.sqlite3");
        let question = format!(
            "{}\nsecond line \"quoted\" `tick` @everyone",
            "long ".repeat(300)
        );
        let big = 1_300_000_000_000_000_003u64 * 7; // above i64::MAX / 2: snowflakes are large
        // One record, compared with itself: a second `record()` could read
        // the clock a second later.
        let saved = record(big, &question);
        {
            let store = Store::open(&path).unwrap();
            let r = saved.clone();
            store.blocking(move |db| db.save_answer(&r)).unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(
            store.blocking(move |db| db.answer(big)).unwrap(),
            Some(saved)
        );
        assert_eq!(store.blocking(|db| db.answer(1)).unwrap(), None);
    }

    #[test]
    fn the_schema_is_versioned_and_a_newer_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.sqlite3");
        Store::open(&path).unwrap();
        let conn = Connection::open(&path).unwrap();
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        let err = format!("{:#}", Store::open(&path).unwrap_err());
        assert!(
            err.contains("newer verbatim") && err.contains("99"),
            "{err}"
        );
    }

    #[test]
    fn a_damaged_file_gets_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.sqlite3");
        std::fs::write(&path, "this is not a database, just some text ".repeat(200)).unwrap();
        let err = format!("{:#}", Store::open(&path).unwrap_err());
        assert!(
            err.contains("unusable") && err.contains("move it aside"),
            "{err}"
        );
        let err = format!("{:#}", Store::open(dir.path()).unwrap_err());
        assert!(err.contains("is a folder"), "{err}");
    }

    #[test]
    fn pins_jsonl_is_imported_once_and_new_lines_later() {
        let dir = tempfile::tempdir().unwrap();
        let jsonl = dir.path().join("pins.jsonl");
        let line = |p: &PinRecord| serde_json::to_string(p).unwrap() + "\n";
        std::fs::write(&jsonl, line(&pin("10")) + "not json\n" + &line(&pin("11"))).unwrap();
        let store = Store::open(&dir.path().join("state.sqlite3")).unwrap();
        store.blocking(|db| db.save_pin(&pin("11"))).unwrap();
        let first = store.import_pins(&jsonl).unwrap().unwrap();
        assert_eq!(
            first,
            Import {
                added: 1,
                known: 1,
                bad_lines: vec![2]
            }
        );
        assert_eq!(store.import_pins(&jsonl).unwrap(), None, "once");
        let mut text = std::fs::read_to_string(&jsonl).unwrap();
        text.push_str(&line(&pin("12")));
        std::fs::write(&jsonl, text).unwrap();
        let later = store.import_pins(&jsonl).unwrap().unwrap();
        assert_eq!((later.added, later.known), (1, 2));
        let ids: Vec<String> = store
            .pins()
            .unwrap()
            .into_iter()
            .map(|p| p.message_id)
            .collect();
        assert_eq!(ids, ["10", "11", "12"]);
        assert_eq!(store.pins().unwrap()[0], pin("10"));
        assert!(
            !store.blocking(|db| db.save_pin(&pin("10"))).unwrap(),
            "a message is recorded once"
        );
        assert_eq!(
            store.import_pins(&dir.path().join("none.jsonl")).unwrap(),
            None
        );
    }

    #[test]
    fn old_answer_records_are_pruned() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.sqlite3")).unwrap();
        let mut old = record(1, "old");
        old.created_at -= (ANSWER_RETENTION_DAYS + 1) * 24 * 3600;
        let pruned = store
            .blocking(move |db| {
                db.save_answer(&old)?;
                db.save_answer(&record(2, "new"))?;
                db.prune(now_secs())
            })
            .unwrap();
        assert_eq!(pruned, 1);
        assert_eq!(store.blocking(|db| db.answer(1)).unwrap(), None);
        assert!(store.blocking(|db| db.answer(2)).unwrap().is_some());
    }
}
