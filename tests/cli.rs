//! End-to-end behaviour of the `verbatim` binary on odd questions, bad corpus
//! files, corpus changes and damaged indexes (issue 2).

mod common;

use std::path::Path;

use common::{ask_all, assert_verbatim, bundled_corpus, verbatim};
use serde_json::Value;

fn ask_json(corpus: &Path, index: &Path, question: &str) -> Value {
    let out = verbatim(corpus, index)
        .args(["ask", "--json", question])
        .output()
        .expect("run verbatim");
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

#[test]
fn deportation_question_quotes_three_documents_with_citations() {
    let index = tempfile::tempdir().unwrap();
    let out = verbatim(&bundled_corpus(), index.path())
        .args(["ask", "How many people were deported to CECOT?"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let cited: Vec<&str> = [
        "cecot-overview-blog.md",
        "critical-resistance-prison-of-no-return.md",
        "britannica-terrorism-confinement-center.md",
        "statesheadline-cecot-deportation-deal.md",
        "factually-cecot-torture-fact-check.md",
    ]
    .into_iter()
    .filter(|d| text.contains(&format!("({d})")))
    .collect();
    assert!(cited.len() >= 3, "cites only {cited:?}:\n{text}");
    assert!(text.contains("[1] “"), "numbered quotes:\n{text}");
    assert!(text.contains("— "), "citation lines:\n{text}");
}

#[test]
fn odd_questions_are_answered_or_declined_with_exit_zero() {
    let index = tempfile::tempdir().unwrap();
    let huge = "why ".repeat(2500) + "CECOT";
    let questions = [
        "",
        "   ",
        "title:foo AND (",
        "text:\"unclosed OR ) NOT -+*~^",
        "🙂🙂🙂 how many 🙂?",
        "control\u{7}\u{1b}[31m chars \u{0}",
        huge.as_str(),
        "How many moons does Jupiter have?",
        "What is the capital of France?",
    ];
    let answers = ask_all(&bundled_corpus(), index.path(), &questions);
    for (q, a) in questions.iter().zip(&answers) {
        assert_verbatim(&bundled_corpus(), a);
        assert_eq!(
            a["question"].as_str().unwrap(),
            *q,
            "question echoed verbatim"
        );
    }
    for a in &answers[..6] {
        assert_eq!(a["answered"], false, "{a}");
    }
    for a in &answers[7..] {
        assert_eq!(a["answered"], false, "{a}");
        assert_eq!(a["extracts"].as_array().unwrap().len(), 0);
        assert!(a["figures"].is_null());
        assert_eq!(a["message"], "I couldn't find this in the documents.");
    }
    // Each also works as a single command-line argument.
    for q in ["title:foo AND (", "", &huge] {
        let a = ask_json(&bundled_corpus(), index.path(), q);
        assert_eq!(a["question"].as_str().unwrap(), q);
    }
}

#[test]
fn bad_files_are_skipped_with_warnings_and_the_rest_answers() {
    let corpus = tempfile::tempdir().unwrap();
    common::copy_corpus(corpus.path());
    let c = corpus.path();
    std::fs::write(c.join("latin1.txt"), b"caf\xe9 au lait costs 3 euros.\n").unwrap();
    std::fs::write(c.join("empty.md"), b"").unwrap();
    std::fs::write(c.join("binary.txt"), b"\x7fELF\x00\x01\x02garbage").unwrap();
    std::fs::write(c.join("frontmatter-only.md"), b"---\ntitle: x\n---\n\n").unwrap();
    std::fs::write(c.join("ignored.pdf"), b"%PDF").unwrap();
    std::fs::create_dir(c.join("sub")).unwrap();
    std::fs::write(
        c.join("sub/nested.md"),
        "# Nested note\n\nThe lighthouse keeper counted 412 gulls on the northern pier.\n",
    )
    .unwrap();
    let unreadable = c.join("unreadable.md");
    std::fs::write(&unreadable, "Secret text about lighthouse gulls.\n").unwrap();
    set_mode(&unreadable, 0o000);
    let running_as_root = std::fs::read(&unreadable).is_ok();

    let index = tempfile::tempdir().unwrap();
    let out = verbatim(c, index.path()).args(["index"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    for name in [
        "latin1.txt",
        "empty.md",
        "binary.txt",
        "frontmatter-only.md",
    ] {
        assert!(report.contains(name), "{name} not reported:\n{report}");
    }
    assert!(report.contains("UTF-8") && report.contains("binary") && report.contains("empty"));
    if !running_as_root {
        assert!(report.contains("unreadable.md"), "{report}");
    }
    assert!(!report.contains("ignored.pdf"));

    let a = ask_json(
        c,
        index.path(),
        "How many gulls did the lighthouse keeper count?",
    );
    assert_eq!(a["answered"], true, "{a}");
    assert_eq!(a["extracts"][0]["doc"], "sub/nested.md");
    assert_verbatim(c, &a);
    let a = ask_json(c, index.path(), "How many people were deported to CECOT?");
    assert_eq!(a["answered"], true);
    set_mode(&unreadable, 0o644);
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn index_is_rebuilt_when_the_corpus_changes() {
    let corpus = tempfile::tempdir().unwrap();
    common::copy_corpus(corpus.path());
    let index = tempfile::tempdir().unwrap();
    let question = "What colour is the harbour ferry?";
    let a = ask_json(corpus.path(), index.path(), question);
    assert_eq!(a["answered"], false);

    std::fs::write(
        corpus.path().join("ferry.md"),
        "The harbour ferry is painted a bright colour: yellow with green stripes.\n",
    )
    .unwrap();
    let a = ask_json(corpus.path(), index.path(), question);
    assert_eq!(a["answered"], true, "new document is found: {a}");
    assert_eq!(a["extracts"][0]["doc"], "ferry.md");

    // Same size, different bytes: the content hash notices.
    std::fs::write(
        corpus.path().join("ferry.md"),
        "The harbour ferry is painted a bright colour: purple with green stripes.\n",
    )
    .unwrap();
    let a = ask_json(corpus.path(), index.path(), question);
    assert!(
        a["extracts"][0]["quote"]
            .as_str()
            .unwrap()
            .contains("purple"),
        "{a}"
    );
    assert_verbatim(corpus.path(), &a);

    std::fs::remove_file(corpus.path().join("ferry.md")).unwrap();
    let a = ask_json(corpus.path(), index.path(), question);
    assert_eq!(a["answered"], false, "removed document is gone: {a}");

    // A small change is an update in place that reads only the changed file.
    std::fs::write(
        corpus.path().join("tram.md"),
        "The harbour tram is painted a bright colour: red with a white roof.\n",
    )
    .unwrap();
    let out = verbatim(corpus.path(), index.path())
        .arg("index")
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains("updated in place, 1 file(s) read"),
        "{report}"
    );
    assert!(report.contains("6 documents"), "{report}");
    let a = ask_json(
        corpus.path(),
        index.path(),
        "What colour is the harbour tram?",
    );
    assert_eq!(a["extracts"][0]["doc"], "tram.md", "{a}");
    assert_verbatim(corpus.path(), &a);
    let a = ask_json(
        corpus.path(),
        index.path(),
        "How many people were deported to CECOT?",
    );
    assert_eq!(
        a["figures"]["conflict"], true,
        "unchanged files are still answered from"
    );
}

#[test]
fn a_corrupt_index_is_rebuilt_not_fatal() {
    let index = tempfile::tempdir().unwrap();
    let q = "Where is CECOT located?";
    let first = ask_json(&bundled_corpus(), index.path(), q);
    assert_eq!(first["answered"], true);

    // Damage every tantivy file, then the index's own record.
    for entry in std::fs::read_dir(index.path()).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() && p.file_name().unwrap() != "verbatim.json" {
            std::fs::write(&p, b"garbage").unwrap();
        }
    }
    let again = ask_json(&bundled_corpus(), index.path(), q);
    assert_eq!(again["extracts"], first["extracts"]);

    std::fs::write(index.path().join("verbatim.json"), b"{not json").unwrap();
    let again = ask_json(&bundled_corpus(), index.path(), q);
    assert_eq!(again["extracts"], first["extracts"]);
}

#[test]
fn broken_setups_fail_with_one_clear_line() {
    let index = tempfile::tempdir().unwrap();
    let missing = index.path().join("no-such-corpus");
    let out = verbatim(&missing, index.path())
        .args(["ask", "anything"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains("does not exist") && err.contains("--corpus"),
        "{err}"
    );

    let bad_config = index.path().join("bad.toml");
    std::fs::write(&bad_config, "[answer\nextracts = ").unwrap();
    let out = common::bare()
        .arg("--config")
        .arg(&bad_config)
        .arg("--corpus")
        .arg(bundled_corpus())
        .args(["ask", "anything"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.toml"), "{err}");
}

#[test]
fn environment_and_flags_override_settings() {
    let index = tempfile::tempdir().unwrap();
    // Not a quantity question: quotes that state figures are always shown.
    let q = "What is the Alien Enemies Act?";
    let out = verbatim(&bundled_corpus(), index.path())
        .env("VERBATIM__ANSWER__EXTRACTS", "2")
        .args(["ask", "--json", q])
        .output()
        .unwrap();
    let a: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(a["extracts"].as_array().unwrap().len(), 2);

    let out = verbatim(&bundled_corpus(), index.path())
        .env("VERBATIM__ANSWER__EXTRACTS", "2")
        .args(["ask", "--json", "--extracts", "1", q])
        .output()
        .unwrap();
    let a: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(a["extracts"].as_array().unwrap().len(), 1);
}

#[test]
fn sources_lists_documents_with_metadata() {
    let index = tempfile::tempdir().unwrap();
    let out = verbatim(&bundled_corpus(), index.path())
        .args(["sources", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let listing: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listing["skipped"], serde_json::json!([]));
    let sources = listing["documents"].as_array().unwrap();
    assert_eq!(sources.len(), 5);
    let factually = sources
        .iter()
        .find(|s| s["doc"] == "factually-cecot-torture-fact-check.md")
        .unwrap();
    assert_eq!(factually["publisher"], "Factually");
    assert_eq!(factually["date"], "2025-11-29");
    assert!(
        factually["url"]
            .as_str()
            .unwrap()
            .starts_with("https://factually.co/")
    );
    let blog = sources
        .iter()
        .find(|s| s["doc"] == "cecot-overview-blog.md")
        .unwrap();
    assert_eq!(
        blog["title"],
        "El Salvador's CECOT (untitled overview article)"
    );
}

#[test]
fn boilerplate_is_never_quoted() {
    let index = tempfile::tempdir().unwrap();
    let questions = [
        "Select Citation Style",
        "Leave a Reply",
        "Liam Avatar",
        "What is CECOT, and where is it located?",
        "citations",
        "subscription fees",
        "Want to dive deeper?",
        "Thank you for your feedback",
    ];
    let answers = ask_all(&bundled_corpus(), index.path(), &questions);
    let banned = [
        "Select Citation Style",
        "Leave a Reply",
        "Liam Avatar",
        "Citations:",
        "https://",
        "subscription",
        "?",
        "Thank you for your feedback",
        "Please ",
    ];
    for a in &answers {
        for e in a["extracts"].as_array().unwrap() {
            let quote = e["quote"].as_str().unwrap();
            for b in banned {
                assert!(!quote.contains(b), "boilerplate {b:?} quoted: {quote}");
            }
            assert!(
                quote.split_whitespace().count() >= 4,
                "fragment quoted: {quote}"
            );
        }
    }
}

/// The answer next door: when the best sentence only introduces the answer
/// and the next one, opening with "It", gives it, both are quoted as one
/// exact span of the file.
#[test]
fn the_answer_in_the_next_sentence_is_quoted_with_its_introduction() {
    let corpus = tempfile::tempdir().unwrap();
    std::fs::write(
        corpus.path().join("plant.md"),
        "---\ntitle: Kelvin Bay power station\n---\n\n\
         The Kelvin Bay power station sits on the old harbour quay. \
         It opened in 1987 after nine years of building.\r\n\r\n\
         Tours of the turbine hall run on Saturdays.\n",
    )
    .unwrap();
    let index = tempfile::tempdir().unwrap();
    let a = ask_json(
        corpus.path(),
        index.path(),
        "When did the Kelvin Bay power station open?",
    );
    assert_verbatim(corpus.path(), &a);
    let first = a["extracts"][0]["quote"].as_str().unwrap_or_default();
    assert!(
        first.contains("old harbour quay") && first.contains("1987"),
        "{a:#}"
    );
}

/// Every extract carries its neighbours when they belong to it, but no two
/// extracts quote the same bytes: a sentence another extract took in is
/// quoted there, and the figures block points into that extract.
#[test]
fn joined_neighbours_are_quoted_once_and_figures_point_into_them() {
    let corpus = tempfile::tempdir().unwrap();
    std::fs::write(
        corpus.path().join("plant.md"),
        "# Kelvin Bay power station\n\n\
         The Kelvin Bay power station produced power from coal for the region. \
         It produced 600 megawatts at its peak. \
         Its two chimneys were 200 metres tall.\n\n\
         The power station was pulled down in 2019.\n",
    )
    .unwrap();
    std::fs::write(
        corpus.path().join("grid.md"),
        "# The regional grid\n\n\
         The Kelvin Bay power station produced 640 megawatts in its first year. \
         This was a fifth of the region's power.\n",
    )
    .unwrap();
    let index = tempfile::tempdir().unwrap();
    let a = ask_json(
        corpus.path(),
        index.path(),
        "How many megawatts did the Kelvin Bay power station produce?",
    );
    assert_verbatim(corpus.path(), &a);
    let extracts = a["extracts"].as_array().expect("extracts");
    let span = |e: &Value| {
        (
            e["doc"].as_str().unwrap().to_string(),
            e["start"].as_u64().unwrap(),
            e["end"].as_u64().unwrap(),
        )
    };
    for (i, x) in extracts.iter().enumerate() {
        for y in &extracts[i + 1..] {
            let ((dx, sx, ex), (dy, sy, ey)) = (span(x), span(y));
            assert!(dx != dy || ex <= sy || ey <= sx, "overlap: {a:#}");
        }
    }
    let quotes = |k: usize| extracts[k]["quote"].as_str().unwrap().as_bytes();
    assert!(
        extracts
            .iter()
            .any(|e| e["quote"].as_str().unwrap().contains("power from coal")
                && e["quote"].as_str().unwrap().contains("600 megawatts")),
        "the sentence that refers back is quoted with the one it refers to: {a:#}"
    );
    let values = a["figures"]["values"].as_array().expect("figures");
    let mut read = Vec::new();
    for v in values {
        for s in v["spans"].as_array().unwrap() {
            let k = s["extract"].as_u64().unwrap() as usize;
            let (from, to) = (
                s["start"].as_u64().unwrap() as usize,
                s["end"].as_u64().unwrap() as usize,
            );
            read.push(String::from_utf8_lossy(&quotes(k)[from..to]).to_string());
        }
    }
    read.sort();
    assert_eq!(read, ["600 megawatts", "640 megawatts"], "{a:#}");
}

/// What chat adds around a question (mentions, a greeting, shouting, a
/// typo, repeated punctuation) does not change the answer.
#[test]
fn chat_additions_do_not_change_the_answer() {
    let index = tempfile::tempdir().unwrap();
    let plain = "how many were deported to CECOT?";
    let quotes = |a: &Value| -> Vec<String> {
        a["extracts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["quote"].as_str().unwrap().to_string())
            .collect()
    };
    let variants = [
        "@everyone how many were deported to CECOT???",
        "<@123456789012345678> how many were deported to CECOT?",
        "hey bot, quick question: how many were deported to CECOT? thx",
        "HOW MANY WERE DEPORTED TO CECOT?",
        "how many were deportd to CECOT?",
    ];
    let mut all = vec![plain];
    all.extend(variants);
    let answers = ask_all(&bundled_corpus(), index.path(), &all);
    let expected = quotes(&answers[0]);
    assert!(!expected.is_empty());
    for (q, a) in variants.iter().zip(&answers[1..]) {
        assert_eq!(quotes(a), expected, "{q}");
        assert_eq!(a["figures"], answers[0]["figures"], "{q}");
    }
}

/// A question that names a document's source (its publisher or author, by
/// at least half the words of the name), even before the question itself
/// ("According to …, what…"), gets that source's figure; without it, every
/// source's.
#[test]
fn a_source_named_in_the_question_is_the_one_quoted() {
    let corpus = tempfile::tempdir().unwrap();
    std::fs::write(
        corpus.path().join("gazette.md"),
        "---\ntitle: Harbour news\npublisher: Harbour Gazette\nauthor: Mara Quint\n---\n\n\
         The ferry terminal will cost 40 million euros.\n",
    )
    .unwrap();
    std::fs::write(
        corpus.path().join("watch.md"),
        "---\ntitle: Port works\npublisher: Kelvin Coast Watch\n---\n\n\
         Building the new ferry terminal at the old harbour is now expected \
         to cost 55 million euros in total, the council admitted on Monday.\n",
    )
    .unwrap();
    let index = tempfile::tempdir().unwrap();
    let values = |question: &str| -> (Vec<f64>, String) {
        let a = ask_json(corpus.path(), index.path(), question);
        assert_verbatim(corpus.path(), &a);
        let values = a["figures"]["values"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v["low"].as_f64())
            .collect();
        let first = a["extracts"][0]["doc"].as_str().unwrap_or_default();
        (values, first.to_string())
    };
    assert_eq!(
        values("According to Kelvin Coast Watch, what will the ferry terminal cost?"),
        (vec![55e6], "watch.md".to_string())
    );
    // An author named inside the question is that source too.
    assert_eq!(
        values("What does Mara Quint say the ferry terminal will cost?"),
        (vec![40e6], "gazette.md".to_string())
    );
    let (all, _) = values("What will the ferry terminal cost?");
    assert!(all.contains(&40e6) && all.contains(&55e6), "{all:?}");
}

/// Initials the corpus never writes stand for the name it writes with them
/// ("hrw": Human Rights Watch), and only where that name is written with
/// nothing but spaces between its words.
#[test]
fn typed_initials_find_the_name_they_stand_for() {
    let corpus = tempfile::tempdir().unwrap();
    std::fs::write(
        corpus.path().join("report.md"),
        "---\ntitle: Prison report\n---\n\n\
         The ministry said the cells were clean and dry. Human Rights Watch \
         said the cells hold eighty men each.\n",
    )
    .unwrap();
    let index = tempfile::tempdir().unwrap();
    let a = ask_json(
        corpus.path(),
        index.path(),
        "what did hrw say about the cells?",
    );
    assert_verbatim(corpus.path(), &a);
    let first = a["extracts"][0]["quote"].as_str().unwrap_or_default();
    assert!(first.starts_with("Human Rights Watch said"), "{a:#}");

    // "Harbour, Rowan and Wick" is three names, not one with initials "hrw".
    let other = tempfile::tempdir().unwrap();
    std::fs::write(
        other.path().join("visits.md"),
        "---\ntitle: Visits\n---\n\nThe visitors said the cells were clean. \
         They came from Harbour, Rowan and Wick.\n",
    )
    .unwrap();
    let index = tempfile::tempdir().unwrap();
    let b = ask_json(
        other.path(),
        index.path(),
        "what did hrw say about the cells?",
    );
    assert_eq!(b["answered"], false, "{b:#}");
}
