//! The development questions (tests/fixtures/dev-questions.toml, copied from
//! the shared evaluation set) through the real binary's `ask --json -`:
//! every check each question lists must hold, and every extract must be a
//! verbatim span of its file.

mod common;

use serde_json::Value;

#[derive(Debug, serde::Deserialize)]
struct DevSet {
    question: Vec<DevQuestion>,
}

#[derive(Debug, serde::Deserialize)]
struct DevQuestion {
    q: String,
    #[serde(default = "yes")]
    answerable: bool,
    #[serde(default)]
    cite: Vec<String>,
    #[serde(default)]
    quote_has: Vec<String>,
}

fn yes() -> bool {
    true
}

fn problems(q: &DevQuestion, a: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let answered = a["answered"].as_bool().unwrap_or(false);
    if answered != q.answerable {
        out.push(format!("answered = {answered}, expected {}", q.answerable));
    }
    let extracts = a["extracts"].as_array().cloned().unwrap_or_default();
    if !q.answerable {
        if !extracts.is_empty() {
            out.push("declined answer has extracts".into());
        }
        if !a["figures"].is_null() {
            out.push("declined answer has figures".into());
        }
    }
    for doc in &q.cite {
        if !extracts.iter().any(|e| e["doc"] == doc.as_str()) {
            out.push(format!("does not cite {doc}"));
        }
    }
    for needle in &q.quote_has {
        if !extracts
            .iter()
            .any(|e| e["quote"].as_str().unwrap_or("").contains(needle.as_str()))
        {
            out.push(format!("no quote contains {needle:?}"));
        }
    }
    out
}

#[test]
fn dev_questions_pass_their_checks() {
    let text = std::fs::read_to_string(common::root().join("tests/fixtures/dev-questions.toml"))
        .expect("dev questions");
    let set: DevSet = toml::from_str(&text).expect("parse dev questions");
    let corpus = common::bundled_corpus();
    let index = tempfile::tempdir().unwrap();
    let questions: Vec<&str> = set.question.iter().map(|q| q.q.as_str()).collect();
    let answers = common::ask_all(&corpus, index.path(), &questions);

    let mut failures = Vec::new();
    for (q, a) in set.question.iter().zip(&answers) {
        common::assert_verbatim(&corpus, a);
        let p = problems(q, a);
        println!(
            "{:<70} {}",
            q.q,
            if p.is_empty() {
                "ok".to_string()
            } else {
                p.join("; ")
            }
        );
        if !p.is_empty() {
            failures.push(format!("{}: {}", q.q, p.join("; ")));
        }
    }
    assert!(
        failures.is_empty(),
        "failed dev questions:\n{}",
        failures.join("\n")
    );
}
