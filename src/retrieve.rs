//! Retrieval: from an analyzed question to ranked sentences.
//!
//! BM25 (through [`Index::search`]) finds candidates; re-ranking then rewards
//! sentences that contain more of the question's concepts, weighted by how
//! rare each concept is in the corpus (its "coverage"), and sentences of the
//! expected answer type (a number for "how many", a place for "where"…). A
//! question whose best candidate covers too little of it is not answered:
//! loosely related text is worse than an honest "not found".
//!
//! Boundary: no rendering and no figures here; only ranking of index hits.
//! Ranking reads which terms each hit contains from the index, never the text.

use std::collections::HashSet;

use crate::config::AnswerSettings;
use crate::index::{Hit, IN_ABOUT, IN_NEAR, IN_TEXT, Index, QueryTerm};
use crate::question::{Concept, Expect, Question};
use crate::segment;

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
    /// Coverage of the best candidate before any threshold.
    pub best_coverage: f32,
    /// Weight (rarity) of each of the question's concepts, in order.
    pub weights: Vec<f32>,
    /// The query terms, in the order of each hit's `found` flags.
    pub terms: Vec<String>,
}

impl Retrieval {
    /// How fully concept `c` is present in one of a hit's fields
    /// ([`IN_TEXT`], [`IN_NEAR`] or [`IN_ABOUT`]).
    pub fn presence(&self, hit: &Hit, c: &Concept, field: u8) -> f32 {
        c.presence(|t| {
            self.terms
                .iter()
                .position(|q| q == t)
                .is_some_and(|k| hit.found[k] & field != 0)
        })
    }
}

/// Retrieves and re-ranks sentences for `question`, reading `candidates` hits.
pub fn retrieve(
    index: &Index,
    question: &Question,
    settings: &AnswerSettings,
    candidates: usize,
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
    let hits = index.search(&terms, candidates)?;
    let mut retrieval = Retrieval {
        ranked: Vec::new(),
        best_coverage: 0.0,
        weights,
        terms: terms.into_iter().map(|q| q.term).collect(),
    };
    let max_bm25 = hits
        .iter()
        .map(|h| h.score)
        .fold(f32::MIN_POSITIVE, f32::max);
    let wanted = match question.expect {
        Expect::Quantity => segment::QUANTITY,
        Expect::Place => segment::PLACE,
        Expect::Time => segment::TIME,
        Expect::Person => segment::PERSON | segment::DEFINES,
        Expect::Definition => segment::DEFINES,
        Expect::Other => 0,
    };

    let mut ranked: Vec<Ranked> = hits
        .into_iter()
        .map(|hit| {
            let covered: f32 = question
                .concepts
                .iter()
                .zip(&retrieval.weights)
                .map(|(c, w)| {
                    let credit = retrieval
                        .presence(&hit, c, IN_TEXT)
                        .max(CONTEXT_CREDIT * retrieval.presence(&hit, c, IN_NEAR))
                        .max(DOC_CREDIT * retrieval.presence(&hit, c, IN_ABOUT));
                    credit * w
                })
                .sum();
            let coverage = if total > 0.0 { covered / total } else { 0.0 };
            let fits = if hit.kinds & wanted != 0 { 1.0 } else { 0.0 };
            let score = 4.0 * coverage + 1.5 * (hit.score / max_bm25) + fits;
            Ranked {
                hit,
                coverage,
                score,
            }
        })
        .collect();
    retrieval.best_coverage = ranked.iter().map(|r| r.coverage).fold(0.0, f32::max);
    if retrieval.best_coverage < settings.min_coverage {
        return Ok(retrieval);
    }
    // Once the question is clearly answered, sentences that cover somewhat less
    // of it may still add a source or a figure; loosely related ones may not.
    let floor = (settings.min_coverage * EXTRA_SHARE).max(retrieval.best_coverage * RELATIVE_SHARE);
    ranked.retain(|r| r.coverage >= floor);
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score));
    retrieval.ranked = ranked;
    Ok(retrieval)
}

/// The lower-cased words of a text, for spotting near-duplicates.
pub fn word_set(text: &str) -> HashSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Do two sentences (nearly) repeat each other, such as a teaser repeated in
/// full further down the page?
pub fn near_duplicate(a: &HashSet<String>, b: &HashSet<String>) -> bool {
    let common = a.intersection(b).count() as f32;
    let smaller = a.len().min(b.len()).max(1) as f32;
    let union = (a.len() + b.len()) as f32 - common;
    common / union.max(1.0) >= 0.7 || common / smaller >= 0.9
}

#[cfg(test)]
mod tests {
    use super::*;

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
