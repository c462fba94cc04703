//! `verbatim` answers questions over a folder of documents with quoted, cited
//! extracts only, and says so when the documents do not answer.
//!
//! The pipeline, one module per step:
//!
//! | module | job |
//! |---|---|
//! | [`config`] | layered settings (defaults, local file, environment) |
//! | [`corpus`] | read the folder: documents, front matter, skipped files |
//! | [`segment`] | documents → paragraphs and sentences with byte ranges |
//! | [`index`] | tantivy index: build, fingerprint, open, search |
//! | [`semantic`] | the static embedding model: word and sentence vectors, neighbours |
//! | [`question`] | what a question asks for and which concepts it names |
//! | [`translate`] | Spanish and English words of the same meaning |
//! | [`retrieve`] | rank and de-duplicate sentences, decide to decline |
//! | [`fitted`] | ranker and decline weights fitted by `tools/fit/fit.py` |
//! | [`quotes`] | quotes read from the corpus files, checked against the index |
//! | [`answer`] | the [`Engine`]: compose extracts and citations |
//! | [`render`] | terminal, JSON and Discord output |
//! | [`discord`] | the bot: gateway, commands, buttons, rights, pins, its state (SQLite) |
//! | [`cli`] | the command line |
//! | [`bench`] | build and latency measurements |
//! | [`quality`] | answer quality on SQuAD-style questions, as the shared scorer |
//! | [`health`] | the running bot's health record, for `healthcheck` |
//! | [`guard`] | panics inside guarded calls (tantivy reads) become errors |
//!
//! Invariants that hold across modules:
//!
//! - Only `index` knows tantivy; the rest sees plain hits and terms.
//! - Only `discord` knows serenity and poise; Discord's limits and escaping
//!   live in `render::discord`, and every message the bot sends forbids mentions.
//! - Only `discord::store` knows SQLite; the bot's buttons read their state
//!   from it by message id, never from the text of a rendered message.
//! - Every quote is a verbatim span: `file_bytes[start..end] == quote`, read
//!   from the file and checked against what was indexed, and rendering never
//!   changes the words of a quote.
//! - Nothing panics: damaged indexes are found by checksums or guarded
//!   reads ([`guard`]) and rebuilt.
//! - Ingestion never fails on one bad file: it is skipped with a warning
//!   naming it, and the rest of the corpus is answered from.
//! - The engine is synchronous data in, data out: no async, no terminal, no Discord.
//! - User text is only split into words, never parsed as query syntax.

/// `print!` to stdout that ends the program quietly (exit 0) when stdout is
/// a closed pipe (`verbatim sources | head`); other write errors are returned.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cli::emit(&mut std::io::stdout().lock(), &format!($($arg)*))
    };
}

/// [`say!`] with a line end.
macro_rules! sayln {
    ($($arg:tt)*) => {
        $crate::cli::emit(&mut std::io::stdout().lock(), &(format!($($arg)*) + "\n"))
    };
}

pub mod answer;
pub mod bench;
pub mod cli;
pub mod config;
pub mod corpus;
pub mod discord;
pub mod figures;
pub mod fitted;
pub mod guard;
pub mod health;
pub mod index;
pub mod quality;
pub mod question;
pub mod quotes;
pub mod render;
pub mod retrieve;
pub mod segment;
pub mod semantic;
pub mod translate;

pub use answer::{Answer, Engine, Extract, NOT_FOUND};
pub use config::Settings;
