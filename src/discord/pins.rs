//! The record of pinned answers: one JSON object per line in `pins.jsonl`,
//! appended, never rewritten, so a crash cannot lose earlier records.
//!
//! Boundary: the file only; the pin itself is done by the caller.

use std::io::Write;
use std::path::Path;

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct PinRecord {
    pub message_id: String,
    pub channel_id: String,
    pub guild_id: Option<String>,
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

/// Appends `record` as one line; creates the file and its folder if needed.
pub fn append(path: &Path, record: &PinRecord) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut line = serde_json::to_vec(record)?;
    line.push(b'\n');
    // One write of a whole line in append mode: concurrent appends do not interleave.
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?
        .write_all(&line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_appended_as_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/pins.jsonl");
        let r = PinRecord {
            message_id: "1".into(),
            channel_id: "2".into(),
            guild_id: None,
            question: "q \"quoted\"\nline".into(),
            moderator_id: "3".into(),
            moderator: "mod".into(),
            pinned_at: "2026-01-01T00:00:00Z".into(),
            corpus: "abc".into(),
            docs: vec!["a.md".into()],
        };
        append(&path, &r).unwrap();
        append(&path, &r).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        let v: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
        assert_eq!(v["question"], "q \"quoted\"\nline");
    }
}
