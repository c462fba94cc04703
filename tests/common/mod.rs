//! Helpers shared by the end-to-end tests: run the real `verbatim` binary
//! with an isolated index folder and settings, open the engine over a corpus
//! written by a test, and check extracts against the corpus files on disk.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn bundled_corpus() -> PathBuf {
    root().join("corpus")
}

/// Copies the bundled corpus into `to`, for tests that change it.
pub fn copy_corpus(to: &Path) {
    for entry in std::fs::read_dir(bundled_corpus()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

/// Replaces `from` by `to` (of the same length) in `file` and puts the
/// modification time back, as `touch -r` would: an edit that size and time
/// do not show.
pub fn edit_keeping_size_and_time(file: &Path, from: &str, to: &str) {
    assert_eq!(from.len(), to.len(), "a same-size edit");
    let mtime = std::fs::metadata(file).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(file).unwrap();
    std::fs::write(file, text.replace(from, to)).unwrap();
    let f = std::fs::File::options().write(true).open(file).unwrap();
    f.set_modified(mtime).unwrap();
}

/// A `verbatim` command with no inherited `VERBATIM__*` settings and an empty
/// settings file, so a developer's `config/local.toml` cannot change results.
pub fn verbatim(corpus: &Path, index: &Path) -> Command {
    let mut cmd = bare();
    cmd.arg("--config")
        .arg(root().join("tests/fixtures/settings.toml"))
        .arg("--corpus")
        .arg(corpus)
        .arg("--index")
        .arg(index);
    cmd
}

/// The binary with `VERBATIM*` variables removed and quiet logs, no arguments.
pub fn bare() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_verbatim"));
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("VERBATIM") {
            cmd.env_remove(key);
        }
    }
    cmd.env("RUST_LOG", "warn");
    cmd
}

/// Runs `cmd` with `input` on stdin and returns its output.
pub fn run_with_stdin(mut cmd: Command, input: &str) -> Output {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("start verbatim");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_string();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let out = child.wait_with_output().expect("wait for verbatim");
    writer.join().expect("stdin writer");
    out
}

/// Answers every question through one `ask --json -` process; one JSON object per question.
pub fn ask_all(corpus: &Path, index: &Path, questions: &[&str]) -> Vec<Value> {
    let mut cmd = verbatim(corpus, index);
    cmd.args(["ask", "--json", "-"]);
    let input: String = questions.iter().map(|q| format!("{q}\n")).collect();
    let out = run_with_stdin(cmd, &input);
    assert!(
        out.status.success(),
        "verbatim failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
    let answers: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}")))
        .collect();
    assert_eq!(answers.len(), questions.len(), "one answer per question");
    answers
}

/// An engine, with the tests' settings, over a corpus of `docs` (file name,
/// text) written into a fresh folder, indexed into another; both folders
/// live as long as the returned guards.
pub fn engine_over(
    docs: &[(&str, &str)],
) -> (
    tempfile::TempDir,
    tempfile::TempDir,
    verbatim::answer::Engine,
) {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    for (name, text) in docs {
        std::fs::write(corpus.path().join(name), text).unwrap();
    }
    let settings =
        verbatim::Settings::load(Some(&root().join("tests/fixtures/settings.toml"))).unwrap();
    let engine =
        verbatim::answer::Engine::open_paths(corpus.path(), index.path(), settings.answer, false)
            .expect("an engine");
    (corpus, index, engine)
}

/// The figures an answer lists, as written.
pub fn figures(answer: &verbatim::answer::Answer) -> Vec<String> {
    answer
        .figures
        .iter()
        .flat_map(|f| &f.values)
        .map(|v| v.text.clone())
        .collect()
}

/// Asserts that every extract's quote is exactly `file[start..end]` of its document.
pub fn assert_verbatim(corpus: &Path, answer: &Value) {
    for e in answer["extracts"].as_array().expect("extracts") {
        let doc = e["doc"].as_str().expect("doc");
        let bytes = std::fs::read(corpus.join(doc)).expect("read cited file");
        let start = e["start"].as_u64().expect("start") as usize;
        let end = e["end"].as_u64().expect("end") as usize;
        assert!(
            start < end && end <= bytes.len(),
            "range {start}..{end} in {doc}"
        );
        assert_eq!(
            &bytes[start..end],
            e["quote"].as_str().expect("quote").as_bytes(),
            "quote is not file[start..end] in {doc}"
        );
    }
}
