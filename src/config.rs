//! Settings: the embedded `config/default.toml`, then `config/local.toml` (or
//! the file given with `--config`), then `VERBATIM__SECTION__KEY` environment
//! variables. Command-line flags are applied on top by the caller.
//!
//! Boundary: this module only loads and validates values; it never opens the
//! corpus or the index.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use config::{Config, Environment, File, FileFormat};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// The defaults, compiled in so the binary works from any folder.
pub const DEFAULT_TOML: &str = include_str!("../config/default.toml");

/// The optional local override read when no `--config` is given.
pub const LOCAL_FILE: &str = "config/local.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub corpus: CorpusSettings,
    pub index: IndexSettings,
    pub answer: AnswerSettings,
    pub discord: DiscordSettings,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorpusSettings {
    pub path: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexSettings {
    pub path: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerSettings {
    pub extracts: usize,
    pub candidates: usize,
    /// Answer when the modelled probability that the documents answer the
    /// question is at least this (0–1); absent: the fitted threshold.
    #[serde(default)]
    pub min_confidence: Option<f32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscordSettings {
    /// The bot token; never printed (`Debug` shows `[REDACTED]`).
    #[serde(default)]
    pub token: Option<SecretString>,
    #[serde(default)]
    pub api_url: Option<String>,
    #[serde(default)]
    pub guild_id: Option<u64>,
    #[serde(default)]
    pub moderator_roles: Vec<u64>,
    pub questions_per_minute: u32,
    /// A `pins.jsonl` from earlier versions, read into the state database.
    pub pins_file: PathBuf,
    /// The bot's SQLite state (what buttons need, pins); absent: beside `pins_file`.
    #[serde(default)]
    pub state_file: Option<PathBuf>,
    pub health_file: PathBuf,
}

/// `VERBATIM__SECTION__KEY` variables (`vars` replaces the process environment in tests).
fn environment(vars: Option<config::Map<String, String>>) -> Environment {
    Environment::with_prefix("VERBATIM")
        .prefix_separator("__")
        .separator("__")
        .try_parsing(true)
        .ignore_empty(true)
        .list_separator(",")
        .with_list_parse_key("discord.moderator_roles")
        .source(vars)
}

/// The state database's file name when `discord.state_file` is not set.
pub const STATE_FILE_NAME: &str = "state.sqlite3";

impl DiscordSettings {
    /// The bot's state database: `state_file`, else `state.sqlite3` in the
    /// folder of `pins_file` (the data volume).
    pub fn state_file(&self) -> PathBuf {
        match &self.state_file {
            Some(path) if !path.as_os_str().is_empty() => path.clone(),
            _ => self
                .pins_file
                .parent()
                .unwrap_or(Path::new(""))
                .join(STATE_FILE_NAME),
        }
    }

    /// The token from the settings, else from `DISCORD_TOKEN`.
    pub fn token(&self) -> Option<SecretString> {
        self.token
            .clone()
            .filter(|t| !t.expose_secret().trim().is_empty())
            .or_else(|| {
                std::env::var("DISCORD_TOKEN")
                    .ok()
                    .filter(|t| !t.trim().is_empty())
                    .map(SecretString::from)
            })
    }
}

impl Settings {
    /// Loads the layered settings. `file` replaces the optional `config/local.toml`
    /// and must exist.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Settings> {
        let mut builder =
            Config::builder().add_source(File::from_str(DEFAULT_TOML, FileFormat::Toml));
        builder = match file {
            Some(path) => {
                if !path.is_file() {
                    bail!("config file {} does not exist", path.display());
                }
                builder.add_source(File::from(path).format(FileFormat::Toml))
            }
            None => builder.add_source(File::new(LOCAL_FILE, FileFormat::Toml).required(false)),
        };
        let settings: Settings = builder
            .add_source(environment(None))
            .build()
            .and_then(Config::try_deserialize)
            .map_err(|e| anyhow::anyhow!("{e}"))
            .with_context(|| match file {
                Some(path) => format!("reading settings from {}", path.display()),
                None => "reading settings (config/local.toml and VERBATIM__* variables)".into(),
            })?;
        settings.validate()?;
        Ok(settings)
    }

    /// The defaults alone, for tests and tools.
    pub fn defaults() -> Settings {
        Config::builder()
            .add_source(File::from_str(DEFAULT_TOML, FileFormat::Toml))
            .build()
            .and_then(Config::try_deserialize)
            .expect("config/default.toml is valid")
    }

    pub fn validate(&self) -> anyhow::Result<()> {
        let a = &self.answer;
        if !(1..=25).contains(&a.extracts) {
            bail!(
                "answer.extracts must be between 1 and 25, not {}",
                a.extracts
            );
        }
        if a.candidates < a.extracts || a.candidates > 10_000 {
            bail!(
                "answer.candidates must be between answer.extracts ({}) and 10000, not {}",
                a.extracts,
                a.candidates
            );
        }
        if let Some(c) = a.min_confidence
            && !(0.0..=1.0).contains(&c)
        {
            bail!("answer.min_confidence must be between 0 and 1, not {c}");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        let s = Settings::defaults();
        s.validate().unwrap();
        assert_eq!(s.corpus.path, PathBuf::from("corpus"));
        assert_eq!(s.index.path, PathBuf::from("data/index"));
        assert_eq!(s.answer.extracts, 5);
        assert_eq!(
            s.discord.state_file(),
            PathBuf::from("data/state.sqlite3"),
            "beside the pins file"
        );
    }

    #[test]
    fn environment_variables_override_and_parse() {
        let vars: config::Map<String, String> = [
            ("VERBATIM__ANSWER__EXTRACTS", "3"),
            ("VERBATIM__DISCORD__MODERATOR_ROLES", "11,22"),
            ("VERBATIM__DISCORD__GUILD_ID", ""),
            ("VERBATIM__DISCORD__API_URL", "http://127.0.0.1:9"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let s: Settings = Config::builder()
            .add_source(File::from_str(DEFAULT_TOML, FileFormat::Toml))
            .add_source(environment(Some(vars)))
            .build()
            .and_then(Config::try_deserialize)
            .unwrap();
        assert_eq!(s.answer.extracts, 3);
        assert_eq!(s.discord.moderator_roles, vec![11, 22]);
        assert_eq!(s.discord.guild_id, None);
        assert_eq!(s.discord.api_url.as_deref(), Some("http://127.0.0.1:9"));
    }

    #[test]
    fn the_token_never_prints() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("t.toml");
        std::fs::write(&file, "[discord]\ntoken = \"super-secret-token\"\n").unwrap();
        let s = Settings::load(Some(&file)).unwrap();
        assert_eq!(
            s.discord.token().unwrap().expose_secret(),
            "super-secret-token"
        );
        let printed = format!("{s:?} {:?}", s.discord);
        assert!(!printed.contains("super-secret-token"), "{printed}");
    }

    #[test]
    fn a_config_file_overrides_defaults_and_typos_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.toml");
        std::fs::write(&good, "[answer]\nextracts = 3\n").unwrap();
        assert_eq!(Settings::load(Some(&good)).unwrap().answer.extracts, 3);

        let typo = dir.path().join("typo.toml");
        std::fs::write(&typo, "[answer]\nextract = 3\n").unwrap();
        let err = format!("{:#}", Settings::load(Some(&typo)).unwrap_err());
        assert!(err.contains("extract"), "{err}");

        let bad = dir.path().join("bad.toml");
        std::fs::write(&bad, "[answer]\nextracts = 0\n").unwrap();
        assert!(Settings::load(Some(&bad)).is_err());

        let missing = dir.path().join("missing.toml");
        assert!(Settings::load(Some(&missing)).is_err());
    }
}
