//! Fault injection (issue 10): damage random bytes of every kind of index
//! file and run the real binary on the damaged index. Nothing may panic, and
//! every quote must still be exactly `file[start..end]`.
//!
//! Each trial copies an index of the bundled corpus, damages one file (flip
//! bits, overwrite a run of bytes, or truncate) and then runs `healthcheck`,
//! `sources --json` and `ask --json -`. Half of the trials also re-seal the
//! index's record with checksums of the damaged files, as if the damage had
//! happened before the record was written: then tantivy itself reads the
//! damaged bytes, and its guards and the quote check against the files are
//! what keeps the promise.
//!
//! 24 trials by default (deterministic seed); `VERBATIM_FAULT_TRIALS=200
//! cargo test --release --test fault_injection -- --nocapture` for the bench
//! run, which prints the counts.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{bundled_corpus, verbatim};
use serde_json::Value;
use verbatim::index::integrity;

const QUESTIONS: &[&str] = &[
    "How many people were deported to CECOT?",
    "Where is CECOT located?",
    "Who is Nayib Bukele?",
    "How many inmates can CECOT hold?",
];

/// splitmix64: a small deterministic generator, so every run damages the same bytes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The kind of an index file: its extension, or its name for the others.
fn kind(name: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) if stem.len() == 32 => format!("segment .{ext}"),
        _ => name.to_string(),
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

/// Damages `path` in place; returns what was done.
fn damage(path: &Path, rng: &mut Rng) -> String {
    let mut bytes = std::fs::read(path).unwrap();
    if bytes.is_empty() {
        std::fs::write(path, b"x").unwrap();
        return "filled an empty file".into();
    }
    let how = match rng.below(3) {
        0 => {
            let flips = 1 + rng.below(4);
            for _ in 0..flips {
                let at = rng.below(bytes.len());
                bytes[at] ^= 1 << rng.below(8);
            }
            format!("flipped {flips} bit(s)")
        }
        1 => {
            let at = rng.below(bytes.len());
            let len = (1 + rng.below(16)).min(bytes.len() - at);
            for b in &mut bytes[at..at + len] {
                // Always a different byte.
                *b ^= 1 + rng.below(255) as u8;
            }
            format!("overwrote {len} byte(s) at {at}")
        }
        _ => {
            let keep = rng.below(bytes.len());
            bytes.truncate(keep);
            format!("truncated to {keep} byte(s)")
        }
    };
    std::fs::write(path, bytes).unwrap();
    how
}

/// Re-writes the index's record with checksums of the files as they are now.
fn reseal(dir: &Path) -> bool {
    let Ok(bytes) = std::fs::read(dir.join("verbatim.json")) else {
        return false;
    };
    let Ok(mut meta) = integrity::open_seal(&bytes) else {
        return false;
    };
    meta.files = integrity::sums(dir).unwrap();
    std::fs::write(dir.join("verbatim.json"), integrity::seal(&meta).unwrap()).unwrap();
    true
}

fn run(mut cmd: Command, input: Option<&str>) -> Output {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.unwrap_or_default().to_string();
    std::thread::spawn(move || {
        let _ = std::io::Write::write_all(&mut stdin, input.as_bytes());
    });
    let started = Instant::now();
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
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > Duration::from_secs(120) {
            child.kill().ok();
            child.wait().ok();
            panic!("verbatim hung on a damaged index");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

/// Whether an extract's quote is exactly `file[start..end]`.
fn is_verbatim(corpus: &Path, e: &Value) -> bool {
    let (Some(doc), Some(start), Some(end), Some(quote)) = (
        e["doc"].as_str(),
        e["start"].as_u64(),
        e["end"].as_u64(),
        e["quote"].as_str(),
    ) else {
        return false;
    };
    std::fs::read(corpus.join(doc))
        .is_ok_and(|bytes| bytes.get(start as usize..end as usize) == Some(quote.as_bytes()))
}

fn panicked(out: &Output) -> bool {
    out.status.code() == Some(101)
        || out.status.code().is_none()
        || String::from_utf8_lossy(&out.stderr).contains("panicked")
}

/// Counts over all trials.
#[derive(Debug, Default)]
struct Counts {
    trials: usize,
    resealed: usize,
    panics: usize,
    failed_commands: usize,
    non_verbatim_quotes: usize,
    quotes_checked: usize,
    healthcheck_said_damaged: usize,
}

#[test]
fn damaged_index_files_never_cause_a_panic_or_a_wrong_quote() {
    let trials: usize = std::env::var("VERBATIM_FAULT_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24);
    let work = tempfile::tempdir().unwrap();
    let template = work.path().join("template");
    let corpus = bundled_corpus();
    let out = run(
        {
            let mut c = verbatim(&corpus, &template);
            c.arg("index");
            c
        },
        None,
    );
    assert!(out.status.success());
    let mut files: Vec<String> = std::fs::read_dir(&template)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !(n.starts_with(".tantivy-") && n.ends_with(".lock")))
        .collect();
    files.sort();
    let mut kinds: Vec<String> = files.iter().map(|f| kind(f)).collect();
    kinds.dedup();
    kinds.sort();
    kinds.dedup();
    for needed in [
        "segment .store",
        "segment .term",
        "segment .fieldnorm",
        "meta.json",
        "vectors.bin",
        "verbatim.json",
    ] {
        assert!(
            kinds.iter().any(|k| k == needed),
            "no {needed} in {kinds:?}"
        );
    }

    let mut rng = Rng(0x5eed_1010);
    let mut counts = Counts::default();
    let mut problems: Vec<String> = Vec::new();
    for t in 0..trials {
        let kind_now = &kinds[t % kinds.len()];
        let candidates: Vec<&String> = files.iter().filter(|f| &kind(f) == kind_now).collect();
        let file = candidates[rng.below(candidates.len())];
        let dir = work.path().join(format!("t{t}"));
        let index = dir.join("index");
        copy_dir(&template, &index);
        let how = damage(&index.join(file), &mut rng);
        let resealed = t % 2 == 1 && file != "verbatim.json" && reseal(&index);
        counts.trials += 1;
        counts.resealed += usize::from(resealed);
        let label = format!(
            "trial {t}: {file} {how}{}",
            if resealed { ", resealed" } else { "" }
        );
        let second: PathBuf = dir.join("index2");
        copy_dir(&index, &second);

        let health = run(
            {
                let mut c = verbatim(&corpus, &index);
                c.arg("healthcheck");
                c
            },
            None,
        );
        let health_err = String::from_utf8_lossy(&health.stderr).into_owned();
        if health_err.contains("index damaged") {
            counts.healthcheck_said_damaged += 1;
        } else if !resealed {
            problems.push(format!(
                "{label}: healthcheck did not see the damage: {health_err}"
            ));
        }
        if health.status.code() != Some(1) {
            problems.push(format!("{label}: healthcheck exit {:?}", health.status));
        }

        let sources = run(
            {
                let mut c = verbatim(&corpus, &second);
                c.args(["sources", "--json"]);
                c
            },
            None,
        );
        let input: String = QUESTIONS.iter().map(|q| format!("{q}\n")).collect();
        let ask = run(
            {
                let mut c = verbatim(&corpus, &index);
                c.args(["ask", "--json", "-"]);
                c
            },
            Some(&input),
        );
        for (name, out) in [
            ("healthcheck", &health),
            ("sources", &sources),
            ("ask", &ask),
        ] {
            if panicked(out) {
                counts.panics += 1;
                problems.push(format!(
                    "{label}: {name} panicked: {}",
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
        }
        for (name, out) in [("sources", &sources), ("ask", &ask)] {
            if !out.status.success() {
                counts.failed_commands += 1;
                problems.push(format!(
                    "{label}: {name} exit {:?}: {}",
                    out.status,
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
        }
        if let Ok(listing) = serde_json::from_slice::<Value>(&sources.stdout) {
            let n = listing["documents"].as_array().map_or(0, Vec::len);
            if n != 5 {
                problems.push(format!("{label}: sources lists {n} documents"));
            }
        }
        let text = String::from_utf8_lossy(&ask.stdout).into_owned();
        let answers: Vec<Value> = text
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect();
        if answers.len() != QUESTIONS.len() {
            problems.push(format!(
                "{label}: {} answers for {} questions",
                answers.len(),
                QUESTIONS.len()
            ));
        }
        for a in &answers {
            for e in a["extracts"].as_array().into_iter().flatten() {
                counts.quotes_checked += 1;
                if !is_verbatim(&corpus, e) {
                    counts.non_verbatim_quotes += 1;
                    problems.push(format!("{label}: not verbatim: {e}"));
                }
            }
        }
        if answers.first().is_some_and(|a| a["answered"] != true) {
            problems.push(format!("{label}: the main question was not answered"));
        }
        std::fs::remove_dir_all(&dir).ok();
    }
    eprintln!("fault injection: {counts:?}");
    assert!(problems.is_empty(), "{counts:?}\n{}", problems.join("\n"));
    assert_eq!(counts.panics, 0);
    assert_eq!(counts.non_verbatim_quotes, 0);
}
