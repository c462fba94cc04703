//! Deployment checks that need no Docker engine (issue 5): the healthcheck
//! subcommand, running as an unprivileged user with a read-only corpus, the
//! compose file against `.env.example`, the Dockerfile's essentials, and the
//! README's configuration table against `config/default.toml`.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use common::{bundled_corpus, root, verbatim};

fn write_health(path: &Path, age_secs: u64, connected: bool) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let record = serde_json::json!({
        "pid": 1, "updated_at": now - age_secs, "connected": connected, "latency_ms": 42
    });
    std::fs::write(path, record.to_string()).unwrap();
}

#[test]
fn healthcheck_needs_an_index_and_a_live_bot() {
    let data = tempfile::tempdir().unwrap();
    let index = data.path().join("index");
    let health = data.path().join("health.json");
    let check = || {
        verbatim(&bundled_corpus(), &index)
            .env("VERBATIM__DISCORD__HEALTH_FILE", &health)
            .arg("healthcheck")
            .output()
            .unwrap()
    };
    let out = check();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no readable index"));

    let built = verbatim(&bundled_corpus(), &index)
        .arg("index")
        .output()
        .unwrap();
    assert!(built.status.success());
    let out = check();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no health record"));

    write_health(&health, 5, true);
    let out = check();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("healthy"));

    write_health(&health, 600, true);
    assert!(!check().status.success(), "a stale record is unhealthy");
    write_health(&health, 5, false);
    let out = check();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not connected"));
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

#[test]
fn runs_unprivileged_with_a_read_only_corpus_and_a_writable_data_folder() {
    use std::os::unix::fs::PermissionsExt;
    let work = tempfile::tempdir().unwrap();
    std::fs::set_permissions(work.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let corpus = work.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for entry in std::fs::read_dir(bundled_corpus()).unwrap() {
        let entry = entry.unwrap();
        let to = corpus.join(entry.file_name());
        std::fs::copy(entry.path(), &to).unwrap();
        std::fs::set_permissions(&to, std::fs::Permissions::from_mode(0o444)).unwrap();
    }
    std::fs::set_permissions(&corpus, std::fs::Permissions::from_mode(0o555)).unwrap();
    let data = work.path().join("data");
    std::fs::create_dir(&data).unwrap();

    let question = "How many people were deported to CECOT?";
    let mut cmd = if is_root() {
        // Drop to nobody, as the container's non-root user would be.
        assert!(
            Command::new("setpriv").arg("--version").output().is_ok(),
            "setpriv (util-linux) is needed to test running unprivileged"
        );
        let status = Command::new("chown")
            .args(["65534:65534"])
            .arg(&data)
            .status()
            .unwrap();
        assert!(status.success());
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(env!("CARGO_BIN_EXE_verbatim"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_verbatim"))
    };
    let out = cmd
        .env("RUST_LOG", "warn")
        .env_remove("VERBATIM__INDEX__PATH")
        .env_remove("VERBATIM__CORPUS__PATH")
        .arg("--config")
        .arg(root().join("tests/fixtures/settings.toml"))
        .arg("--corpus")
        .arg(&corpus)
        .arg("--index")
        .arg(data.join("index"))
        .args(["ask", "--json", question])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["answered"], true);
    assert!(
        data.join("index/verbatim.json").exists(),
        "the index lives in the data folder"
    );
    let corpus_files = std::fs::read_dir(&corpus).unwrap().count();
    assert_eq!(corpus_files, 5, "nothing was written into the corpus");
}

fn env_example_keys() -> BTreeSet<String> {
    std::fs::read_to_string(root().join(".env.example"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_string()))
        .filter(|k| !k.is_empty())
        .collect()
}

#[test]
fn compose_parses_and_names_the_variables_of_env_example() {
    let text = std::fs::read_to_string(root().join("docker-compose.yml")).unwrap();
    let compose: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).expect("valid YAML");
    let service = &compose["services"]["verbatim"];
    assert!(service.is_mapping(), "a `verbatim` service");
    let env: BTreeSet<String> = service["environment"]
        .as_mapping()
        .expect("environment mapping")
        .keys()
        .map(|k| k.as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        env,
        env_example_keys(),
        "compose and .env.example name the same variables"
    );
    let volumes: Vec<&str> = service["volumes"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        volumes.contains(&"./corpus:/app/corpus:ro"),
        "corpus mounted read-only"
    );
    assert!(
        volumes.iter().any(|v| v.ends_with(":/app/data")),
        "a data volume"
    );
    assert!(env_example_keys().contains("DISCORD_TOKEN"));
}

#[test]
fn dockerfile_runs_unprivileged_with_a_healthcheck() {
    let text = std::fs::read_to_string(root().join("Dockerfile")).unwrap();
    let user = text
        .lines()
        .rfind(|l| l.starts_with("USER "))
        .expect("a USER line");
    assert!(
        !user.contains("root") && !user.trim_end().ends_with(" 0"),
        "{user}"
    );
    assert!(text.contains(r#"HEALTHCHECK"#) && text.contains(r#"CMD ["verbatim", "healthcheck"]"#));
    assert!(text.contains("STOPSIGNAL SIGTERM"));
    assert!(text.contains(r#"VOLUME ["/app/data"]"#));
    let ignore = std::fs::read_to_string(root().join(".dockerignore")).unwrap();
    for entry in ["target", "data"] {
        assert!(
            ignore.lines().any(|l| l.trim() == entry),
            ".dockerignore lacks {entry}"
        );
    }
}

/// Every key of config/default.toml (set or shown commented out) is in the
/// README's configuration table, and the table names no other key.
#[test]
fn readme_configuration_table_matches_the_defaults() {
    let defaults = std::fs::read_to_string(root().join("config/default.toml")).unwrap();
    let mut keys = BTreeSet::new();
    let mut section = String::new();
    for line in defaults.lines() {
        let line = line.trim();
        if let Some(s) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = s.to_string();
            continue;
        }
        let line = line.strip_prefix("# ").unwrap_or(line);
        if let Some((key, _)) = line.split_once(" = ")
            && key.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        {
            keys.insert(format!("{section}.{key}"));
        }
    }
    assert!(keys.len() >= 10, "{keys:?}");
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let table: BTreeSet<String> = readme
        .lines()
        .filter(|l| l.starts_with("| `"))
        .filter_map(|l| l.split('`').nth(1))
        .filter(|k| k.contains('.') && !k.contains(' '))
        .map(str::to_string)
        .collect();
    let missing: Vec<_> = keys.difference(&table).collect();
    let unknown: Vec<_> = table.difference(&keys).collect();
    assert!(missing.is_empty(), "README table lacks {missing:?}");
    assert!(
        unknown.is_empty(),
        "README table names unknown keys {unknown:?}"
    );
}
