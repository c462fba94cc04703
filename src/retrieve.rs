//! Retrieval: from an analyzed question to ranked, de-duplicated sentences.
//!
//! BM25 (through [`Index::search`]) finds candidates; re-ranking then rewards
//! sentences that contain more of the question's concepts, weighted by how
//! rare each concept is in the corpus (its "coverage"), and sentences of the
//! expected answer type (a number for "how many", a place for "where"…). A
//! question whose best candidate covers too little of it is not answered:
//! loosely related text is worse than an honest "not found".
//!
//! Boundary: no rendering and no figures here; only ranking of index hits.

use std::collections::HashSet;

use crate::config::AnswerSettings;
use crate::index::{Hit, Index, QueryTerm};
use crate::question::{Expect, Question};

/// Credit for a concept found only right around the sentence (heading, neighbours).
const CONTEXT_CREDIT: f32 = 0.6;
/// Credit for a concept found only in what the whole document is about (title, topic).
const DOC_CREDIT: f32 = 0.45;
/// Extracts after the best need this share of `min_coverage`…
const EXTRA_SHARE: f32 = 0.7;
/// …and this share of the best extract's coverage.
const RELATIVE_SHARE: f32 = 0.6;
/// Query weight of related words relative to the question's own.
const RELATED_BOOST: f32 = 0.5;

/// A retrieved sentence with its re-ranking scores.
#[derive(Debug, Clone)]
pub struct Ranked {
    pub hit: Hit,
    /// Share (0–1) of the question's concept weight that the sentence covers.
    pub coverage: f32,
    /// Final score used for ordering.
    pub score: f32,
}

#[derive(Debug, Clone, Default)]
pub struct Retrieval {
    /// Sentences that cover the question well enough, best first.
    pub ranked: Vec<Ranked>,
    /// Weight (rarity) of each of the question's concepts, in order.
    pub weights: Vec<f32>,
    /// Coverage of the best candidate before any threshold.
    pub best_coverage: f32,
}

/// Retrieves and re-ranks sentences for `question`.
pub fn retrieve(
    index: &Index,
    question: &Question,
    settings: &AnswerSettings,
) -> anyhow::Result<Retrieval> {
    if question.concepts.is_empty() {
        return Ok(Retrieval::default());
    }
    let n = index.sentence_count().max(1) as f32;
    let idf = |term: &str| {
        let df = index.doc_freq(term) as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    };
    // A name weighs as much as its rarest word.
    let weights: Vec<f32> = question
        .concepts
        .iter()
        .map(|c| c.terms.iter().map(|t| idf(t)).fold(0.0, f32::max))
        .collect();
    let total: f32 = weights.iter().sum();

    let mut terms: Vec<QueryTerm> = Vec::new();
    for c in &question.concepts {
        let own = c.terms.iter().map(|t| (t, 1.0));
        let related = c.related.iter().map(|t| (t, RELATED_BOOST));
        for (t, boost) in own.chain(related) {
            if !terms.iter().any(|q| &q.term == t) {
                terms.push(QueryTerm {
                    term: t.clone(),
                    boost,
                });
            }
        }
    }
    let hits = index.search(&terms, settings.candidates)?;
    let max_bm25 = hits
        .iter()
        .map(|h| h.score)
        .fold(f32::MIN_POSITIVE, f32::max);

    let mut ranked: Vec<Ranked> = hits
        .into_iter()
        .map(|hit| {
            let own: HashSet<String> = crate::index::analyze(&hit.text).into_iter().collect();
            let (doc_words, near_words) = hit.context_parts();
            let near: HashSet<String> = crate::index::analyze(&near_words).into_iter().collect();
            let doc: HashSet<String> = crate::index::analyze(&doc_words).into_iter().collect();
            let covered: f32 = question
                .concepts
                .iter()
                .zip(&weights)
                .map(|(c, w)| {
                    let credit = c
                        .presence(&own)
                        .max(CONTEXT_CREDIT * c.presence(&near))
                        .max(DOC_CREDIT * c.presence(&doc));
                    credit * w
                })
                .sum();
            let coverage = if total > 0.0 { covered / total } else { 0.0 };
            let fits = if fits_expectation(question.expect, &hit.text) {
                1.0
            } else {
                0.0
            };
            let score = 4.0 * coverage + 1.5 * (hit.score / max_bm25) + fits;
            Ranked {
                hit,
                coverage,
                score,
            }
        })
        .collect();
    let best_coverage = ranked.iter().map(|r| r.coverage).fold(0.0, f32::max);
    if best_coverage < settings.min_coverage {
        return Ok(Retrieval {
            ranked: Vec::new(),
            best_coverage,
            weights,
        });
    }
    // Once the question is clearly answered, sentences that cover somewhat less
    // of it may still add a source or a figure; loosely related ones may not.
    let floor = (settings.min_coverage * EXTRA_SHARE).max(best_coverage * RELATIVE_SHARE);
    ranked.retain(|r| r.coverage >= floor);
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score));
    Ok(Retrieval {
        ranked,
        best_coverage,
        weights,
    })
}

/// Does the sentence contain the kind of thing the question asks for?
pub fn fits_expectation(expect: Expect, text: &str) -> bool {
    match expect {
        Expect::Quantity => has_number(text),
        Expect::Place => {
            let lower = text.to_lowercase();
            [
                "located",
                "situated",
                " near ",
                "miles from",
                "km from",
                "north of",
                "south of",
            ]
            .iter()
            .any(|cue| lower.contains(cue))
                || capitalized_after(text, &["in", "at", "near"])
        }
        Expect::Time => has_year(text) || MONTHS.iter().any(|m| text.contains(m)),
        Expect::Person => {
            text.split_whitespace()
                .skip(1)
                .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
                .count()
                >= 2
        }
        Expect::Other => false,
    }
}

/// The text without reference markers such as `[5]`, whose digits are not figures.
fn without_markers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find(']') {
            Some(close)
                if after[..close]
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == ',' || c == ' ') =>
            {
                rest = &after[close + 1..];
            }
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const NUMBER_WORDS: &[&str] = &[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "million",
    "millions",
    "billion",
    "dozen",
    "dozens",
    "twice",
    "half",
];

fn has_number(text: &str) -> bool {
    without_markers(text).chars().any(|c| c.is_ascii_digit())
        || text
            .split(|c: char| !c.is_alphabetic())
            .any(|w| NUMBER_WORDS.contains(&w.to_lowercase().as_str()))
}

fn has_year(text: &str) -> bool {
    without_markers(text)
        .split(|c: char| !c.is_ascii_digit())
        .any(|d| d.len() == 4 && (d.starts_with("1") || d.starts_with("20")))
}

fn capitalized_after(text: &str, preps: &[&str]) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    words
        .windows(2)
        .any(|w| preps.contains(&w[0]) && w[1].chars().next().is_some_and(char::is_uppercase))
}

/// Indices of the sentences to keep when those whose words (nearly) repeat an
/// earlier one are removed — such as a teaser repeated in full further down
/// the page. The first `keep` are always kept. Order is kept.
pub fn dedupe_indices(ranked: &[Ranked], keep: usize) -> Vec<usize> {
    let mut kept: Vec<(usize, HashSet<String>)> = Vec::with_capacity(ranked.len());
    for (i, r) in ranked.iter().enumerate() {
        let words = word_set(&r.hit.text);
        if i < keep || !kept.iter().any(|(_, k)| near_duplicate(&words, k)) {
            kept.push((i, words));
        }
    }
    kept.into_iter().map(|(i, _)| i).collect()
}

fn word_set(text: &str) -> HashSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn near_duplicate(a: &HashSet<String>, b: &HashSet<String>) -> bool {
    let common = a.intersection(b).count() as f32;
    let smaller = a.len().min(b.len()).max(1) as f32;
    let union = (a.len() + b.len()) as f32 - common;
    common / union.max(1.0) >= 0.7 || common / smaller >= 0.9
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expectations_are_recognised() {
        assert!(fits_expectation(
            Expect::Quantity,
            "It holds 40,000 inmates."
        ));
        assert!(fits_expectation(
            Expect::Quantity,
            "It was used three times."
        ));
        assert!(!fits_expectation(Expect::Quantity, "It is a large prison."));
        assert!(!fits_expectation(
            Expect::Quantity,
            "Abuse was reported [1] [2] [11]."
        ));
        assert!(fits_expectation(
            Expect::Place,
            "The prison is located in the town."
        ));
        assert!(fits_expectation(
            Expect::Place,
            "It was built in Tecoluca last year."
        ));
        assert!(!fits_expectation(Expect::Place, "It was built quickly."));
        assert!(fits_expectation(Expect::Time, "It opened in 2023."));
        assert!(fits_expectation(Expect::Time, "It opened in March."));
        assert!(!fits_expectation(Expect::Time, "It holds 40,000 inmates."));
    }

    #[test]
    fn near_duplicates() {
        let a = word_set(
            "Cecot has since turned into the world’s largest prison for migrants, with as many as 40,000 detainees at once.",
        );
        let b = word_set(
            "Cecot has since turned into the world’s largest prison for migrants, with as many as 40,000 detainees at once.",
        );
        let c = word_set("Prisoners are confined to their cells for 23.5 hours daily.");
        assert!(near_duplicate(&a, &b));
        assert!(!near_duplicate(&a, &c));
    }
}
