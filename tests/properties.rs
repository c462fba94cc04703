//! Property tests (issue 10): on generated documents — Unicode, CRLF line
//! ends, byte order marks, nested lists, headings, front matter — every
//! quotable sentence is an exact, trimmed, UTF-8 span of the file, and an
//! engine built over such documents quotes only `file[start..end]`; question
//! analysis and figure extraction never panic on any string, and every
//! figure read is an exact span of its text with `low <= high`.

mod common;

use proptest::prelude::*;
use verbatim::figures::{self, Lang};
use verbatim::{Engine, corpus, question, segment};

/// Words to build sentences from: plain, accented, other scripts, emoji,
/// numbers, markers and odd punctuation.
const WORDS: &[&str] = &[
    "the",
    "harbour",
    "ferry",
    "carried",
    "people",
    "across",
    "café",
    "naïve",
    "Zürich",
    "東京",
    "Москва",
    "emoji🙂",
    "Ω",
    "1,200",
    "23.5",
    "[2]",
    "(roughly)",
    "—",
    "“quoted”",
    "e.g.",
    "U.S.",
    "don't",
    "x\u{301}",
    "«ok»",
    "tab\there",
    "ﬁne",
    "2025-11-29",
];

fn sentence() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(prop::sample::select(WORDS), 3..12),
        prop::sample::select(&[".", "!", "?", ":", "…", ""][..]),
    )
        .prop_map(|(words, end)| {
            let mut s = words.join(" ");
            // A capital to start, as prose does (on ASCII only: keep bytes simple to reason about).
            if let Some(first) = s.get(0..1) {
                s = first.to_ascii_uppercase() + &s[1..];
            }
            s + end
        })
}

/// One block of a document: a paragraph, a heading, or a (nested) list.
fn block() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(sentence(), 1..5).prop_map(|s| s.join(" ")),
        sentence().prop_map(|s| format!("## {s}")),
        prop::collection::vec((0..3usize, sentence(), any::<bool>()), 1..5).prop_map(|items| {
            items
                .into_iter()
                .enumerate()
                .map(|(i, (depth, s, numbered))| {
                    let marker = if numbered {
                        format!("{}.", i + 1)
                    } else {
                        "-".into()
                    };
                    format!("{}{marker} {s}", "  ".repeat(depth))
                })
                .collect::<Vec<_>>()
                .join("\n")
        }),
    ]
}

/// A whole file: optional BOM and front matter, blocks, LF or CRLF.
fn document() -> impl Strategy<Value = Vec<u8>> {
    (
        any::<bool>(),
        prop::option::of((
            "[a-zA-Z é]{0,20}",
            prop::option::of("https://[a-z]{1,8}\\.org"),
        )),
        prop::collection::vec(block(), 1..8),
        any::<bool>(),
    )
        .prop_map(|(bom, front, blocks, crlf)| {
            let mut text = String::new();
            if bom {
                text.push('\u{feff}');
            }
            if let Some((title, url)) = front {
                text.push_str(&format!("---\ntitle: \"{title}\"\n"));
                if let Some(u) = url {
                    text.push_str(&format!("url: {u}\n"));
                }
                text.push_str("---\n");
            }
            text.push_str(&blocks.join("\n\n"));
            text.push('\n');
            if crlf {
                text = text.replace('\n', "\r\n");
            }
            text.into_bytes()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_quotable_sentence_is_an_exact_trimmed_span_of_the_file(bytes in document()) {
        let Ok(doc) = corpus::parse("gen.md", bytes.clone()) else {
            return Ok(());
        };
        prop_assert!(!doc.meta.title.contains('\u{feff}'), "BOM in title {:?}", doc.meta.title);
        let seg = segment::segment(&doc);
        for s in seg.sentences.iter().filter(|s| s.quotable) {
            let span = bytes.get(s.start..s.end);
            prop_assert!(span.is_some(), "range {}..{} outside the file", s.start, s.end);
            let span = std::str::from_utf8(span.unwrap());
            prop_assert!(span.is_ok(), "range {}..{} is not UTF-8 on its own", s.start, s.end);
            let span = span.unwrap();
            prop_assert_eq!(span, &doc.text[s.start..s.end]);
            prop_assert!(!span.is_empty());
            prop_assert!(!span.contains('\u{feff}'), "BOM quoted: {:?}", span);
            prop_assert_eq!(span.trim(), span, "untrimmed sentence");
        }
    }

    #[test]
    fn question_analysis_never_panics(text in any::<String>()) {
        let cleaned = question::clean(&text);
        let analyzed = question::analyze(&text);
        prop_assert!(cleaned.len() <= text.len() * 4 + 16);
        let _ = analyzed;
    }

    #[test]
    fn question_analysis_never_panics_on_chat_and_query_syntax(
        parts in prop::collection::vec(prop::sample::select(&[
            "how many", "HOW MANY", "<@123>", "<@&9>", "<:emo:1>", "@everyone", "?", "??", "title:",
            "AND", "(", ")", "\"", "~2", "[2]", "***", "-", "+", "^", "\u{0}", "\u{1b}[31m", "🙂",
            "hey bot,", "quick question:", "CECOT", "deported", "é", "\u{301}", " ", "\n", "\r\n",
        ][..]), 0..20)
    ) {
        let text = parts.concat();
        let _ = question::analyze(&text);
        let _ = question::clean(&text);
    }
}

/// Pieces that number forms are made of, in both languages, to be joined at random.
const NUMBER_PIECES: &[&str] = &[
    "1",
    "12",
    "2.5",
    "40.000",
    "16,4",
    "1,234.5",
    ".08",
    "−18",
    "-",
    "+",
    "1/40",
    "2 1/2",
    "×10",
    "^6",
    "e+14",
    "x",
    "%",
    " per cent",
    " por ciento",
    "k",
    "m",
    "bn",
    "MGBP",
    "$",
    "£",
    "€",
    "US$",
    " million",
    " millones",
    " mil",
    " billion",
    " dozen",
    " docena",
    "two",
    "thirty-one",
    "a hundred",
    " and ",
    " y ",
    " half",
    " thirds",
    " over ",
    " to ",
    " a ",
    " between ",
    " entre ",
    "°C",
    " °F",
    " km",
    " m²",
    " sq ft",
    " years",
    " años",
    " people",
    " personas",
    " killed",
    "(",
    ")",
    "[2]",
    " ",
    "\u{2009}",
    "\u{a0}",
    ",",
    ".",
    ";",
    "\n",
    "é",
    "🙂",
    "\u{301}",
    "1e999",
    "9999999999999999999999",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn figure_extraction_never_panics_and_quotes_its_text(
        text in prop_oneof![
            any::<String>(),
            prop::collection::vec(prop::sample::select(NUMBER_PIECES), 0..24).prop_map(|p| p.concat()),
        ],
        lang in prop::sample::select(&[None, Some(Lang::En), Some(Lang::Es)][..]),
    ) {
        for m in figures::mentions(&text, lang) {
            prop_assert!(m.start <= m.at && m.at < m.end && m.end <= text.len(), "{:?} in {:?}", m, text);
            prop_assert_eq!(text.get(m.start..m.end), Some(m.text.as_str()));
            prop_assert!(!m.low.is_nan() && !m.high.is_nan(), "{:?}", m);
            prop_assert!(m.low <= m.high, "{:?} in {:?}", m, text);
        }
        if let Some(asked) = figures::asked::asked(&text) {
            let _ = figures::shown_figures(&asked, &text, lang);
        }
    }
}

proptest! {
    // Each case builds an index: few cases, every one end to end.
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn an_engine_over_generated_documents_quotes_only_file_bytes(
        docs in prop::collection::vec(document(), 1..4),
        pick in any::<prop::sample::Index>(),
    ) {
        let corpus = tempfile::tempdir().unwrap();
        let index = tempfile::tempdir().unwrap();
        for (i, bytes) in docs.iter().enumerate() {
            std::fs::write(corpus.path().join(format!("doc{i}.md")), bytes).unwrap();
        }
        let settings = verbatim::Settings::load(Some(&common::root().join("tests/fixtures/settings.toml"))).unwrap();
        let engine = Engine::open_paths(corpus.path(), index.path(), settings.answer, false);
        let engine = engine.expect("an engine over any readable documents");
        // Ask with the words of one of the documents' sentences.
        let all: Vec<String> = docs.iter().flat_map(|d| {
            String::from_utf8_lossy(d).split(['.', '\n']).map(str::to_string).collect::<Vec<_>>()
        }).filter(|s| s.split_whitespace().count() >= 3).collect();
        let question = if all.is_empty() { "harbour ferry".to_string() } else { all[pick.index(all.len())].clone() };
        let answer = engine.answer(&question);
        let json = serde_json::to_value(&answer).unwrap();
        common::assert_verbatim(corpus.path(), &json);
        for e in &answer.extracts {
            prop_assert!(!e.quote.starts_with('\u{feff}'), "BOM quoted");
        }
    }
}
