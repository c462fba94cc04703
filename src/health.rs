//! The bot's health record: the running bot rewrites a small JSON file every
//! few seconds with whether its gateway connection is up and its last
//! heartbeat latency; `verbatim healthcheck` (Docker's `HEALTHCHECK`) reads it
//! back and also checks that the index opens.
//!
//! Boundary: the file format and its freshness rule; nothing about Discord.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// How often the bot rewrites the file.
pub const INTERVAL: Duration = Duration::from_secs(10);
/// A record older than this means the bot is stuck or gone.
pub const MAX_AGE: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Health {
    pub pid: u32,
    /// Seconds since the Unix epoch.
    pub updated_at: u64,
    /// The gateway connection is established.
    pub connected: bool,
    /// Round trip of the last gateway heartbeat, once one was acknowledged.
    pub latency_ms: Option<u64>,
}

pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Writes the record atomically (a reader never sees half a file).
pub fn write(path: &Path, health: &Health) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, serde_json::to_vec(health)?)?;
    std::fs::rename(&tmp, path)
}

/// Reads the record and says what is wrong with it, if anything.
pub fn check(path: &Path, now: u64) -> Result<Health, String> {
    let bytes = std::fs::read(path).map_err(|e| {
        format!(
            "no health record at {} ({e}): is `verbatim serve` running with this data folder?",
            path.display()
        )
    })?;
    let health: Health = serde_json::from_slice(&bytes)
        .map_err(|e| format!("unreadable health record {}: {e}", path.display()))?;
    let age = now.saturating_sub(health.updated_at);
    if age > MAX_AGE.as_secs() {
        return Err(format!("the bot last reported {age} s ago"));
    }
    if !health.connected {
        return Err("the bot is not connected to the Discord gateway".into());
    }
    Ok(health)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_connected_records_are_healthy() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("health.json");
        assert!(check(&path, 100).unwrap_err().contains("no health record"));
        let h = Health {
            pid: 1,
            updated_at: 100,
            connected: true,
            latency_ms: Some(40),
        };
        write(&path, &h).unwrap();
        assert_eq!(check(&path, 130).unwrap(), h);
        assert!(check(&path, 200).unwrap_err().contains("last reported"));
        write(
            &path,
            &Health {
                connected: false,
                ..h
            },
        )
        .unwrap();
        assert!(check(&path, 101).unwrap_err().contains("not connected"));
    }
}
