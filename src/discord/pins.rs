//! The record of pinned answers: what one pin record holds, and
//! `verbatim pins` (the record as JSON, or a listing for a terminal). The
//! records live in the state database ([`super::store`]); a `pins.jsonl`
//! written by earlier versions (`discord.pins_file`) is read in from there.
//!
//! Boundary: formats records; storing them is the store's job, pinning the
//! message the handlers'.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::store::Store;
use crate::config::Settings;

/// One pinned answer. Ids are strings, as Discord writes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinRecord {
    pub message_id: String,
    pub channel_id: String,
    pub guild_id: Option<String>,
    /// The question exactly as asked; empty for an answer older than the
    /// bot's records.
    pub question: String,
    pub moderator_id: String,
    pub moderator: String,
    /// RFC 3339, UTC.
    pub pinned_at: String,
    /// The corpus fingerprint the answer came from.
    pub corpus: String,
    /// The documents the answer cites.
    pub docs: Vec<String>,
}

impl PinRecord {
    /// Message, channel and moderator ids are Discord snowflakes.
    pub fn has_ids(&self) -> bool {
        [&self.message_id, &self.channel_id, &self.moderator_id]
            .iter()
            .all(|id| id.parse::<u64>().is_ok())
            && self
                .guild_id
                .as_ref()
                .is_none_or(|g| g.parse::<u64>().is_ok())
    }
}

/// Opens the state database named by the settings and reads in a legacy
/// `pins.jsonl` the first time it is seen (and again if it grew), logging
/// what was read.
pub fn open_store(settings: &Settings) -> anyhow::Result<Store> {
    let store = Store::open(&settings.discord.state_file())?;
    let legacy = &settings.discord.pins_file;
    match store.import_pins(legacy) {
        Ok(Some(import)) => {
            tracing::info!(
                file = %legacy.display(),
                added = import.added,
                already_known = import.known,
                "pins imported into the state database; the file is no longer written and can be kept as a backup"
            );
            if !import.bad_lines.is_empty() {
                tracing::warn!(
                    file = %legacy.display(),
                    lines = ?import.bad_lines,
                    "lines that are not pin records were skipped"
                );
            }
        }
        Ok(None) => {}
        Err(e) => {
            tracing::warn!(file = %legacy.display(), error = %format!("{e:#}"), "importing pins failed")
        }
    }
    Ok(store)
}

/// `verbatim pins`: every pin record as one JSON array, or a listing.
pub fn report(settings: &Settings, json: bool) -> anyhow::Result<String> {
    let pins = open_store(settings)?.pins()?;
    if json {
        return Ok(serde_json::to_string(&pins)? + "\n");
    }
    Ok(listing(&pins))
}

/// One block per pin, oldest first; control characters and line breaks in
/// questions and names are flattened so a record cannot forge lines.
pub fn listing(pins: &[PinRecord]) -> String {
    if pins.is_empty() {
        return "No pinned answers yet.\n".into();
    }
    let mut out = format!("{} pinned answer(s)\n", pins.len());
    for p in pins {
        let question = match p.question.trim() {
            "" => "(question not recorded)".to_string(),
            q => crate::render::printable(q),
        };
        let _ = write!(
            out,
            "\n{}  {}\n  pinned by {} ({}) · message {} in channel {}",
            p.pinned_at,
            question,
            crate::render::printable(&p.moderator),
            p.moderator_id,
            p.message_id,
            p.channel_id,
        );
        if !p.corpus.is_empty() {
            let _ = write!(out, " · corpus {}", crate::render::printable(&p.corpus));
        }
        out.push('\n');
        if !p.docs.is_empty() {
            let docs: Vec<String> = p.docs.iter().map(|d| crate::render::printable(d)).collect();
            let _ = writeln!(out, "  cites {}", docs.join(", "));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listing_is_one_block_per_pin_and_cannot_forge_lines() {
        let p = PinRecord {
            message_id: "1".into(),
            channel_id: "2".into(),
            guild_id: None,
            question: "How many?\nfake line\u{1b}[31m".into(),
            moderator_id: "3".into(),
            moderator: "Mod".into(),
            pinned_at: "2026-01-01T00:00:00Z".into(),
            corpus: "abc".into(),
            docs: vec!["a.md".into(), "b.md".into()],
        };
        let text = listing(std::slice::from_ref(&p));
        assert!(text.starts_with("1 pinned answer(s)\n"), "{text}");
        assert!(text.contains("How many? fake line\u{fffd}[31m"), "{text}");
        assert!(text.contains("pinned by Mod (3) · message 1 in channel 2 · corpus abc"));
        assert!(text.contains("cites a.md, b.md"));
        assert_eq!(text.lines().count(), 5, "{text}");
        assert_eq!(listing(&[]), "No pinned answers yet.\n");
        assert!(p.has_ids());
        assert!(
            !PinRecord {
                message_id: "x".into(),
                ..p
            }
            .has_ids()
        );
    }
}
