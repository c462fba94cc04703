//! The development questions (tests/fixtures/dev-questions.toml, copied from
//! the shared evaluation set) through the real binary's `ask --json -`:
//! every check each question lists must hold (answerable, cite, quote_has,
//! figures, conflict), and every extract must be a verbatim span of its file.

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
    #[serde(default)]
    figures: Vec<f64>,
    /// The documents the figures block must list with the first of
    /// `figures`: every one that states it.
    #[serde(default)]
    sources: Vec<String>,
    conflict: Option<bool>,
    /// A known regression with an open issue: reported, not counted.
    known_failure: Option<String>,
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
    let values = a["figures"]["values"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for want in &q.figures {
        // A number matches a figure when it equals its value or one end of its
        // range, as stated or after unit conversion.
        let matches = |v: &Value| {
            let ends = [
                &v["low"],
                &v["high"],
                &v["normalized"]["low"],
                &v["normalized"]["high"],
            ];
            ends.iter()
                .filter_map(|x| x.as_f64())
                .any(|x| (x - want).abs() < 1e-9 * want.abs().max(1.0))
        };
        if !values.iter().any(matches) {
            out.push(format!("figure {want} not surfaced"));
        }
        if Some(want) == q.figures.first() {
            let listed: Vec<&Value> = values
                .iter()
                .filter(|v| matches(v))
                .flat_map(|v| v["docs"].as_array().into_iter().flatten())
                .collect();
            for doc in &q.sources {
                if !listed.iter().any(|d| *d == doc.as_str()) {
                    out.push(format!("figure {want} not listed with {doc}"));
                }
            }
        }
    }
    // Every figure points at quotes that state it.
    for v in &values {
        for i in v["extracts"].as_array().cloned().unwrap_or_default() {
            let quote = extracts[i.as_u64().unwrap() as usize]["quote"]
                .as_str()
                .unwrap_or("");
            let doc = &extracts[i.as_u64().unwrap() as usize]["doc"];
            if !v["docs"].as_array().unwrap().contains(doc) {
                out.push(format!(
                    "figure {} points at a quote from another document",
                    v["text"]
                ));
            }
            if quote.is_empty() {
                out.push("figure points at an empty quote".into());
            }
        }
        if v["extracts"].as_array().is_none_or(|e| e.is_empty()) {
            out.push(format!("figure {} has no quote", v["text"]));
        }
    }
    if let Some(conflict) = q.conflict {
        let said = a["figures"]["conflict"].as_bool();
        if said != Some(conflict) {
            out.push(format!("conflict = {said:?}, expected {conflict}"));
        }
    }
    out
}

#[test]
fn dev_questions_pass_their_checks() {
    check_set(
        &common::bundled_corpus(),
        "tests/fixtures/dev-questions.toml",
    );
}

/// On the bundled corpus, every figure group lists every document that
/// states the figure (tests/fixtures/agreement-questions.toml: `sources`),
/// so that "N sources agree" counts them all.
#[test]
fn figure_groups_list_every_source() {
    check_set(
        &common::bundled_corpus(),
        "tests/fixtures/agreement-questions.toml",
    );
}

/// The same checks on a small corpus written for the tests and never used to
/// tune the engine: the mechanisms must carry over to a new topic.
#[test]
fn questions_on_an_unseen_corpus_pass_their_checks() {
    check_set(
        &common::root().join("tests/fixtures/TEST_reservoir"),
        "tests/fixtures/reservoir-questions.toml",
    );
}

/// Figure questions over eleven topics (tests/fixtures/TEST_figures, English
/// and Spanish documents written for the tests; the first four before any
/// tuning, the dam failure after a first look at how the engine read it,
/// the other six with their questions before any was asked): a shipwreck,
/// a bridge, a volcanic evacuation, a metro line, a dam failure, a
/// wildfire, an earthquake, a plant closure, a cholera outbreak, a stadium
/// and a mine collapse, with varied number forms
/// (ranges, written numbers, Spanish separators, units), traps of other
/// quantities in the same sentence, agreeing and conflicting sources, and
/// unanswerable questions. Floors a little under what this version
/// measures (89 of 112 answerable pass; 10 of 23 unanswerable declined:
/// "How tall is Mount Tarsel?" is still answered, with figures listed as
/// none clearly about it), to catch regressions; the bar (all pass) is not
/// met yet (issue 11).
#[test]
fn figure_questions_on_eleven_topics() {
    let (passed, answerable, declined, unanswerable) = score_set(
        &common::root().join("tests/fixtures/TEST_figures"),
        "tests/fixtures/figures-questions.toml",
    );
    println!(
        "figure questions: {passed}/{answerable} answerable pass; {declined}/{unanswerable} unanswerable declined"
    );
    assert!(
        passed >= FIGURE_PASS_FLOOR,
        "{passed}/{answerable} answerable figure questions pass"
    );
    assert!(
        declined >= FIGURE_DECLINE_FLOOR,
        "{declined}/{unanswerable} unanswerable figure questions declined"
    );
}

/// Answerable figure questions that must pass (of 112).
const FIGURE_PASS_FLOOR: usize = 86;
/// Unanswerable figure questions that must be declined (of 23).
const FIGURE_DECLINE_FLOOR: usize = 9;

/// Every question of a set through the binary: (answerable questions that
/// pass all their checks, answerable questions, unanswerable ones declined,
/// unanswerable questions), every quote checked verbatim; failures printed.
fn score_set(corpus: &std::path::Path, questions: &str) -> (usize, usize, usize, usize) {
    let text = std::fs::read_to_string(common::root().join(questions)).expect("questions");
    let set: DevSet = toml::from_str(&text).expect("parse questions");
    let index = tempfile::tempdir().unwrap();
    let asked: Vec<&str> = set.question.iter().map(|q| q.q.as_str()).collect();
    let answers = common::ask_all(corpus, index.path(), &asked);
    let (mut passed, mut answerable, mut declined, mut unanswerable) = (0, 0, 0, 0);
    for (q, a) in set.question.iter().zip(&answers) {
        common::assert_verbatim(corpus, a);
        let p = problems(q, a);
        if !p.is_empty() {
            println!("{}: {}", q.q, p.join("; "));
        }
        if q.answerable {
            answerable += 1;
            passed += usize::from(p.is_empty());
        } else {
            unanswerable += 1;
            declined += usize::from(a["answered"] == false);
        }
    }
    (passed, answerable, declined, unanswerable)
}

/// The project's own questions in chat style (typos, slang, mentions,
/// greetings, other vocabulary), written before the semantic layer was tuned.
/// Floors a little under what this version measures (108 of 128 answerable
/// pass, 45 of 77 unanswerable declined), to catch regressions; the product's
/// bar (95 %, and every unanswerable one declined) is not met yet (issue 9).
#[test]
fn chat_style_questions_are_understood() {
    let (passed, answerable, declined, unanswerable) = score_set(
        &common::bundled_corpus(),
        "tests/fixtures/chat-questions.toml",
    );
    println!(
        "chat questions: {passed}/{answerable} answerable pass; {declined}/{unanswerable} unanswerable declined"
    );
    let share = passed as f64 / answerable as f64;
    assert!(
        share >= CHAT_PASS_FLOOR,
        "{passed}/{answerable} answerable chat questions pass"
    );
    let share = declined as f64 / unanswerable as f64;
    assert!(
        share >= CHAT_DECLINE_FLOOR,
        "{declined}/{unanswerable} unanswerable chat questions declined"
    );
}

/// Share of the answerable chat questions that must pass.
const CHAT_PASS_FLOOR: f64 = 0.83;
/// Share of the unanswerable chat questions that must be declined.
const CHAT_DECLINE_FLOOR: f64 = 0.55;

fn check_set(corpus: &std::path::Path, questions: &str) {
    let text = std::fs::read_to_string(common::root().join(questions)).expect("questions");
    let set: DevSet = toml::from_str(&text).expect("parse questions");
    let corpus = corpus.to_path_buf();
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
        match (&q.known_failure, p.is_empty()) {
            (Some(why), false) => println!("  known failure ({why})"),
            (Some(_), true) => println!("  passes now: remove its known_failure mark"),
            (None, false) => failures.push(format!("{}: {}", q.q, p.join("; "))),
            (None, true) => {}
        }
    }
    assert!(
        failures.is_empty(),
        "failed dev questions:\n{}",
        failures.join("\n")
    );
}
