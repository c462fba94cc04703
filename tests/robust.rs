//! Regression tests for issue 10, driving the real binary: quotes checked
//! against the files, damaged indexes, symbolic-link loops, concurrent first
//! builds, stray folders, an `--index` that names a file, closed pipes,
//! odd front matter, byte order marks and questions without words.

mod common;

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{assert_verbatim, bundled_corpus, verbatim};
use serde_json::Value;

const MAIN_QUESTION: &str = "How many people were deported to CECOT?";

/// Runs `cmd` to the end, failing the test if it takes longer than `limit`.
fn run_within(mut cmd: Command, limit: Duration) -> Output {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let child = cmd.spawn().expect("start verbatim");
    wait_within(child, limit)
}

fn wait_within(mut child: Child, limit: Duration) -> Output {
    let deadline = Instant::now() + limit;
    // Read the pipes on threads so that a full pipe cannot stall the child.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut buf).ok();
        buf
    });
    let err = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut buf).ok();
        buf
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().ok();
            child.wait().ok();
            panic!("verbatim did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

fn assert_no_panic(out: &Output) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(101), "panicked: {err}");
    assert!(!err.contains("panicked"), "panic message: {err}");
}

fn ask(corpus: &Path, index: &Path, question: &str) -> (Value, String) {
    let mut cmd = verbatim(corpus, index);
    cmd.args(["ask", "--json", question]);
    let out = run_within(cmd, Duration::from_secs(60));
    assert_no_panic(&out);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "exit {:?}: {err}", out.status);
    let answer: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_verbatim(corpus, &answer);
    (answer, err)
}

fn quotes(answer: &Value) -> Vec<String> {
    answer["extracts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["quote"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_same_size_edit_that_keeps_the_modification_time_is_caught() {
    let corpus = tempfile::tempdir().unwrap();
    common::copy_corpus(corpus.path());
    let index = tempfile::tempdir().unwrap();
    let q = "Where is CECOT located?";
    let britannica = |answer: &Value| -> Vec<String> {
        answer["extracts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["doc"] == "britannica-terrorism-confinement-center.md")
            .map(|e| e["quote"].as_str().unwrap().to_string())
            .collect()
    };
    let (first, _) = ask(corpus.path(), index.path(), q);
    assert!(
        britannica(&first).iter().any(|t| t.contains("Tecoluca")),
        "{first}"
    );

    // The same number of bytes, the modification time put back (`touch -r`):
    // the fingerprint keeps the stored hash, as git does.
    let file = corpus
        .path()
        .join("britannica-terrorism-confinement-center.md");
    common::edit_keeping_size_and_time(&file, "Tecoluca", "Tecolucx");

    // Quotes come from the file as it is now, never from the index's copy.
    let (second, err) = ask(corpus.path(), index.path(), q);
    assert!(
        britannica(&second).iter().all(|t| !t.contains("Tecoluca")),
        "{second}"
    );
    assert!(
        err.contains("britannica-terrorism-confinement-center.md")
            && err.contains("changed since it was indexed"),
        "a warning names the file: {err}"
    );
    // The index was rebuilt: the next answer quotes the new text, quietly.
    let (third, err) = ask(corpus.path(), index.path(), q);
    assert!(
        britannica(&third).iter().any(|t| t.contains("Tecolucx")),
        "{third}"
    );
    assert!(!err.contains("changed since it was indexed"), "{err}");
}

#[test]
fn a_damaged_index_says_so_in_healthcheck_and_is_rebuilt_by_ask() {
    let index = tempfile::tempdir().unwrap();
    let (first, _) = ask(&bundled_corpus(), index.path(), MAIN_QUESTION);
    let vectors = index.path().join("vectors.bin");
    let mut bytes = std::fs::read(&vectors).unwrap();
    bytes[100] ^= 0x55;
    std::fs::write(&vectors, bytes).unwrap();

    let mut cmd = verbatim(&bundled_corpus(), index.path());
    cmd.arg("healthcheck");
    let out = run_within(cmd, Duration::from_secs(30));
    assert_no_panic(&out);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(err.contains("index damaged"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");

    let (again, err) = ask(&bundled_corpus(), index.path(), MAIN_QUESTION);
    assert!(err.contains("index damaged"), "{err}");
    assert_eq!(again["extracts"], first["extracts"]);
    let mut cmd = verbatim(&bundled_corpus(), index.path());
    cmd.arg("healthcheck");
    let out = run_within(cmd, Duration::from_secs(30));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no health record"),
        "the index is whole again: {err}"
    );
}

#[test]
fn symbolic_link_loops_end_and_each_document_is_read_once() {
    let corpus = tempfile::tempdir().unwrap();
    common::copy_corpus(corpus.path());
    let c = corpus.path();
    std::os::unix::fs::symlink(".", c.join("loop1")).unwrap();
    std::os::unix::fs::symlink(".", c.join("loop2")).unwrap();
    std::os::unix::fs::symlink(c, c.join("root")).unwrap();
    std::fs::create_dir(c.join("sub")).unwrap();
    std::os::unix::fs::symlink("../cecot-overview-blog.md", c.join("sub/again.md")).unwrap();
    let index = tempfile::tempdir().unwrap();
    let limit = Duration::from_secs(30);

    let mut cmd = verbatim(c, index.path());
    cmd.args(["sources", "--json"]);
    let out = run_within(cmd, limit);
    assert_no_panic(&out);
    assert!(out.status.success());
    let listing: Value = serde_json::from_slice(&out.stdout).unwrap();
    let docs: Vec<&str> = listing["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["doc"].as_str().unwrap())
        .collect();
    assert_eq!(
        docs.len(),
        5,
        "each document once, by its own path: {docs:?}"
    );
    assert!(docs.iter().all(|d| !d.contains('/')), "{docs:?}");
    let skipped = listing["skipped"].to_string();
    for link in ["loop1", "loop2", "root"] {
        assert!(skipped.contains(&format!("\"{link}\"")), "{skipped}");
    }
    assert!(skipped.contains("a loop"), "{skipped}");
    assert!(skipped.contains("sub/again.md"), "{skipped}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("loop"), "a loop gets a warning: {err}");

    let mut cmd = verbatim(c, index.path());
    cmd.args(["index", "--force"]);
    let out = run_within(cmd, limit);
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("5 documents"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    let (answer, _) = ask(c, index.path(), MAIN_QUESTION);
    assert_eq!(answer["figures"]["conflict"], true, "{answer}");
    assert!(answer["figures"]["values"].as_array().unwrap().len() >= 3);
}

#[test]
fn four_first_builds_at_once_all_succeed() {
    for round in 0..10 {
        let parent = tempfile::tempdir().unwrap();
        let index = parent.path().join("data/index");
        let children: Vec<Child> = (0..4)
            .map(|_| {
                let mut cmd = verbatim(&bundled_corpus(), &index);
                cmd.args(["ask", "--json", "Where is CECOT located?"])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped());
                cmd.spawn().unwrap()
            })
            .collect();
        for child in children {
            let out = wait_within(child, Duration::from_secs(120));
            assert_no_panic(&out);
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(answer["answered"], true, "round {round}: {answer}");
            assert_verbatim(&bundled_corpus(), &answer);
        }
        let left: Vec<String> = std::fs::read_dir(parent.path().join("data"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("building") || n.contains(".old"))
            .collect();
        assert!(left.is_empty(), "round {round}: left behind {left:?}");
    }
}

#[test]
fn folders_left_by_killed_builds_are_removed() {
    let parent = tempfile::tempdir().unwrap();
    let index = parent.path().join("index");
    for stale in [".index.building-4194999", ".index.old-77"] {
        std::fs::create_dir_all(parent.path().join(stale).join("x")).unwrap();
    }
    ask(&bundled_corpus(), &index, MAIN_QUESTION);
    let left: Vec<String> = std::fs::read_dir(parent.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("building") || n.contains(".old"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn an_index_path_that_names_a_file_is_refused_and_the_file_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "my notes\n").unwrap();
    for args in [
        &["ask", "anything"][..],
        &["index"],
        &["sources"],
        &["healthcheck"],
    ] {
        let mut cmd = verbatim(&bundled_corpus(), &notes);
        cmd.args(args);
        let out = run_within(cmd, Duration::from_secs(30));
        assert_no_panic(&out);
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains("not a folder"), "{args:?}: {err}");
    }
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "my notes\n");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["notes.txt"], "nothing moved or created");
}

#[test]
fn a_closed_stdout_ends_quietly() {
    let index = tempfile::tempdir().unwrap();
    ask(&bundled_corpus(), index.path(), MAIN_QUESTION);
    for args in [
        &["sources", "--json"][..],
        &["sources"],
        &["ask", "--json", MAIN_QUESTION],
        &["ask", MAIN_QUESTION],
        &["index"],
    ] {
        let mut cmd = verbatim(&bundled_corpus(), index.path());
        cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        // Close the reading end before the program writes (`| head -c 0`).
        drop(child.stdout.take());
        let out = wait_within_stderr(child, Duration::from_secs(30));
        assert_no_panic(&out);
        assert!(out.status.success(), "{args:?}: {:?}", out.status);
    }
}

/// Like [`wait_within`] for a child whose stdout is already closed.
fn wait_within_stderr(mut child: Child, limit: Duration) -> Output {
    let (tx, rx) = std::sync::mpsc::channel();
    let mut err = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut buf).ok();
        tx.send(buf).ok();
    });
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "did not finish");
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: Vec::new(),
        stderr: rx.recv().unwrap(),
    }
}

#[test]
fn odd_front_matter_and_byte_order_marks_load_with_warnings() {
    let corpus = tempfile::tempdir().unwrap();
    let c = corpus.path();
    std::fs::write(
        c.join("typed.md"),
        "---\ntitle: [1, 2]\nurl: 42\npublisher: Harbour Board\n---\nThe harbour ferry is painted yellow with green stripes.\n",
    )
    .unwrap();
    std::fs::write(
        c.join("bom.md"),
        "\u{feff}# Tram notes\n\nThe harbour tram is painted red with a white roof.\n",
    )
    .unwrap();
    std::fs::write(c.join("latin1.txt"), b"caf\xe9 au lait costs 3 euros.\n").unwrap();
    let index = tempfile::tempdir().unwrap();

    let mut cmd = verbatim(c, index.path());
    cmd.args(["sources", "--json"]);
    let out = run_within(cmd, Duration::from_secs(30));
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    for needle in ["typed.md", "`title`", "`url`"] {
        assert!(err.contains(needle), "warning names {needle}: {err}");
    }
    let listing: Value = serde_json::from_slice(&out.stdout).unwrap();
    let docs = listing["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 2, "{listing}");
    let typed = docs.iter().find(|d| d["doc"] == "typed.md").unwrap();
    assert_eq!(typed["url"], Value::Null);
    assert_eq!(typed["publisher"], "Harbour Board");
    let bom = docs.iter().find(|d| d["doc"] == "bom.md").unwrap();
    assert_eq!(bom["title"], "Tram notes");
    let skipped = listing["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{listing}");
    assert_eq!(skipped[0]["path"], "latin1.txt");
    assert!(skipped[0]["reason"].as_str().unwrap().contains("UTF-8"));

    let (answer, _) = ask(c, index.path(), "What colour is the harbour tram?");
    assert_eq!(answer["extracts"][0]["doc"], "bom.md", "{answer}");
    assert!(!quotes(&answer)[0].starts_with('\u{feff}'), "{answer}");
}

#[test]
fn questions_without_words_are_declined_unless_stated_as_written() {
    let index = tempfile::tempdir().unwrap();
    for q in ["~2", "[2]", "***", "2", "~2?"] {
        let (answer, _) = ask(&bundled_corpus(), index.path(), q);
        assert_eq!(answer["answered"], false, "{q}: {answer}");
    }
    let (answer, _) = ask(&bundled_corpus(), index.path(), "250");
    assert_eq!(answer["answered"], true, "{answer}");
    assert!(
        quotes(&answer).iter().all(|t| t.contains("250")),
        "{answer}"
    );
}
