//! Retrieval: from an analyzed question to ranked sentences, and the
//! decision whether the documents answer it at all.
//!
//! BM25 (through [`Index::search`]) finds candidates with the question's
//! terms and, more weakly, the corpus words nearest to them in meaning.
//! Each candidate then gets its [`Signals`]: how much of the question it
//! covers (a concept counts through its own words or, with their similarity
//! as credit, through related ones; in the sentence, around it, or in what
//! its document is about; weighted by rarity), the same in the sentence
//! alone, its BM25 score, the dense similarity of question and sentence
//! vectors, and whether it holds the kind of answer asked for. A linear
//! ranker and a logistic decline model over these, both fitted on public
//! data by `tools/fit/fit.py` ([`crate::fitted`]), order the candidates and
//! decide: loosely related text is worse than an honest "not found".
//!
//! Boundary: no rendering and no figures here; only ranking of index hits.
//! Ranking reads which terms each hit contains from the index, never the text.

use std::collections::HashSet;

use serde::Serialize;

use crate::config::AnswerSettings;
use crate::fitted;
use crate::index::{self, Hit, IN_ABOUT, IN_NEAR, IN_TEXT, Index, QueryTerm};
use crate::question::{Expect, Question, Vocabulary};
use crate::segment;
use crate::semantic;
use tantivy::DocAddress;

/// Credit for a concept found only right around the sentence (heading, neighbours).
const CONTEXT_CREDIT: f32 = 0.6;
/// Credit for a concept found only in what the whole document is about (title, topic).
const DOC_CREDIT: f32 = 0.45;
/// Query weight of related words relative to the question's own (times their similarity).
const RELATED_BOOST: f32 = 0.5;
/// Besides BM25's candidates, this share (1 / n) as many nearest in meaning.
const DENSE_SHARE: usize = 2;

/// What re-ranking knows about one candidate sentence.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Signals {
    /// Share (0–1) of the question's concept weight that the sentence and
    /// its surroundings cover.
    pub coverage: f32,
    /// The same, in the sentence alone.
    pub text_coverage: f32,
    /// BM25 score relative to the best candidate's.
    pub bm25: f32,
    /// Cosine similarity of the question's and the sentence's vectors.
    pub dense: f32,
    /// 1 when the sentence holds the kind of answer asked for.
    pub fits: f32,
    /// The largest share of the question's weight that the sentence leaves
    /// uncovered in one concept.
    pub uncovered: f32,
}

impl Signals {
    /// The ranker's inputs, in the order of [`fitted::RANK_WEIGHTS`].
    pub fn ranking(&self) -> [f32; 6] {
        [
            self.coverage,
            self.text_coverage,
            self.bm25,
            self.dense,
            self.fits,
            self.uncovered,
        ]
    }

    fn score(&self, weights: &[f32; 6]) -> f32 {
        self.ranking().iter().zip(weights).map(|(x, w)| x * w).sum()
    }
}

/// How a candidate sentence reads against the question, word by word: what
/// the decline model looks at beyond ranking (computed for the best
/// candidate only, as it reads the sentence's text).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Reading {
    /// 1 when one of question and sentence is negated and the other is
    /// not, or when the question negates a word that the sentence states
    /// without a negation before it ("did X *not* place" against "X placed").
    pub polarity_mismatch: f32,
    /// 1 when a number the question names is not in the sentence.
    pub numbers_missing: f32,
    /// Capitalized words of the question (names) that the sentence lacks.
    pub names_missing: f32,
    /// Weighted mean, over the question's words, of each one's best
    /// similarity to a word of the sentence (1 for the word itself).
    pub alignment: f32,
    /// Over the question's words that the sentence lacks, the highest
    /// similarity to a word it has instead: a sentence that says "rejected"
    /// where the question says "accepted", or "coal-fired" for
    /// "water-fired", has swapped one thing for a close other.
    pub contrast: f32,
    /// How much of the question's names (capitalized runs) is found neither
    /// in the sentence nor around it (its neighbours, its document's title
    /// and headings): the sum over names of the share of each one missing.
    /// A sentence that says "the ship" in a document about the *Halcyon
    /// Star* lacks the name but is not about something else.
    pub names_away: f32,
}

/// Words that negate a clause (closed-class English grammar); "-n't" too.
const NEGATIONS: &[&str] = &[
    "not", "no", "never", "none", "nothing", "nobody", "neither", "nor", "cannot",
];

fn is_negation(word: &str) -> bool {
    NEGATIONS.contains(&word) || word.ends_with("n't")
}

fn negated(words: &[String]) -> bool {
    words.iter().any(|w| is_negation(w))
}

/// Auxiliaries that open a yes/no question (closed-class English grammar).
const POLAR_OPENERS: &[&str] = &[
    "do", "does", "did", "can", "could", "will", "would", "should", "may", "might", "must", "is",
    "are", "was", "were", "has", "have", "had",
];

/// Lower-case words of a text, apostrophes kept inside ("didn't").
fn lower_words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .map(|w| w.trim_matches(['\'', '’']).replace('’', "'").to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Reads `sentence` against `question`: see [`Reading`].
pub fn read(question: &Question, sentence: &str) -> Reading {
    let model = semantic::model();
    let q_words = lower_words(&question.text);
    let s_words = lower_words(sentence);
    let s_set: HashSet<&str> = s_words.iter().map(String::as_str).collect();
    // Each word analyzed, and each sentence word looked up in the model, once.
    let q_analyzed: Vec<Vec<String>> = q_words.iter().map(|w| index::analyze(w)).collect();
    let s_analyzed: Vec<Vec<String>> = s_words.iter().map(|w| index::analyze(w)).collect();
    let s_lookups: Vec<Option<[f32; semantic::DIMS]>> =
        s_words.iter().map(|w| model.vector(w)).collect();
    let s_terms: HashSet<&str> = s_analyzed.iter().flatten().map(String::as_str).collect();
    // A number the question gives, as digits or, counting the same noun, as
    // a word ("the 2 factions": "the two factions"; not "two" anywhere for
    // "world war 2").
    let as_word = |k: usize, n: u32| {
        let Some(noun) = q_words.get(k + 1).map(|w| index::analyze(w)) else {
            return false;
        };
        let lexicon = crate::figures::words::lexicon();
        let words: Vec<&str> = lexicon.cardinal_words(f64::from(n)).collect();
        s_words.windows(2).any(|pair| {
            words.contains(&pair[0].as_str())
                && !noun.is_empty()
                && index::analyze(&pair[1]) == noun
        })
    };
    let numbers_missing = q_words
        .iter()
        .enumerate()
        .filter(|(_, w)| w.chars().any(|c| c.is_ascii_digit()))
        .any(|(k, w)| {
            !s_set.contains(w.as_str()) && !w.parse::<u32>().is_ok_and(|n| as_word(k, n))
        });
    let names_missing = question
        .text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .skip(1)
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .filter(|w| !s_set.contains(w.to_lowercase().as_str()))
        .count();
    let s_vectors: Vec<[f32; semantic::DIMS]> = s_lookups.iter().flatten().copied().collect();
    let q_terms: HashSet<&str> = q_analyzed.iter().flatten().map(String::as_str).collect();
    // Sentence words that are not the question's own: what may stand in for one.
    let others: Vec<[f32; semantic::DIMS]> = s_analyzed
        .iter()
        .zip(&s_lookups)
        .filter(|(ts, _)| ts.iter().all(|t| !q_terms.contains(t.as_str())))
        .filter_map(|(_, v)| *v)
        .collect();
    let (mut aligned, mut total, mut contrast) = (0.0, 0.0, 0.0f32);
    for c in &question.concepts {
        for w in semantic::words(&c.word) {
            let weight = model.weight(w);
            let own = index::analyze(w)
                .iter()
                .all(|t| s_terms.contains(t.as_str()));
            let vector = if own { None } else { model.vector(w) };
            let nearest = |among: &[[f32; semantic::DIMS]]| {
                vector.as_ref().map_or(0.0, |v| {
                    among
                        .iter()
                        .map(|s| semantic::dot(v, s))
                        .fold(0.0, f32::max)
                })
            };
            let best = if own { 1.0 } else { nearest(&s_vectors) };
            if !own {
                contrast = contrast.max(nearest(&others));
            }
            aligned += weight * best;
            total += weight;
        }
    }
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    // "Can prisoners make phone calls?" is answered by "No phone calls": a
    // yes/no question's answer may be the negation itself.
    let polar = q_words
        .first()
        .is_some_and(|w| POLAR_OPENERS.contains(&w.as_str()) || w.ends_with("n't"));
    let mismatch = !polar
        && match (negated(&q_words), negated(&s_words)) {
            (true, false) => true,
            (true, true) => negation_unmatched((&q_words, &q_analyzed), (&s_words, &s_analyzed)),
            (false, true) => negation_unmatched((&s_words, &s_analyzed), (&q_words, &q_analyzed)),
            (false, false) => false,
        };
    Reading {
        polarity_mismatch: flag(mismatch),
        numbers_missing: flag(numbers_missing),
        names_missing: names_missing as f32,
        alignment: if total > 0.0 { aligned / total } else { 0.0 },
        contrast,
        names_away: 0.0,
    }
}

/// How many words a negation reaches: "did not place", "may not be
/// obstructed" (before the negated word), "not expressly provided" (after
/// the negation).
const NEGATION_REACH: usize = 3;

/// Does one text (`a`: its words and each word's analyzed terms) negate a
/// word ("not *place*") that the other (`b`) has with no negation shortly
/// before it? A negation of a word the other lacks ("the crew had never
/// drilled") is no mismatch.
fn negation_unmatched(
    (a_words, a_terms): (&[String], &[Vec<String>]),
    (b_words, b_terms): (&[String], &[Vec<String>]),
) -> bool {
    let in_b = |term: &String| b_terms.iter().any(|ts| ts.contains(term));
    let negated_in_b = |term: &String| {
        b_terms
            .iter()
            .enumerate()
            .filter(|(_, ts)| ts.contains(term))
            .any(|(i, _)| {
                b_words[i.saturating_sub(NEGATION_REACH)..i]
                    .iter()
                    .any(|w| is_negation(w))
            })
    };
    // A function word ("no idea where he was going") is never what is negated.
    let lexicon = crate::figures::words::lexicon();
    a_words
        .iter()
        .enumerate()
        .filter(|(_, w)| is_negation(w))
        .any(|(at, _)| {
            // The first word in the negation's reach that the other text has: what is negated.
            let reach = at + 1..(at + 1 + NEGATION_REACH).min(a_terms.len());
            a_terms[reach.clone()]
                .iter()
                .zip(&a_words[reach])
                .filter(|(_, w)| !lexicon.stop_word(w, None))
                .flat_map(|(ts, _)| ts)
                .find(|t| in_b(t))
                .is_some_and(|t| !negated_in_b(t))
        })
}

impl Reading {
    /// The second stage's inputs, in the order of [`fitted::RERANK_WEIGHTS`]
    /// (alignment, names_away, polarity_mismatch, numbers_missing, contrast, names_missing).
    pub fn rerank_inputs(&self) -> [f32; fitted::RERANK_WEIGHTS.len()] {
        [
            self.alignment,
            self.names_away,
            self.polarity_mismatch,
            self.numbers_missing,
            self.contrast,
            self.names_missing,
        ]
    }
}

/// [`read`] for a retrieved hit, with what its surroundings say.
pub fn read_hit(question: &Question, retrieval: &Retrieval, hit: &Hit, sentence: &str) -> Reading {
    let mut reading = Reading {
        names_away: retrieval.names_away(question, hit),
        ..read(question, sentence)
    };
    // A number of the question that its sentence's document gives around it
    // (in a heading or the title: "línea 4") is not missing from it.
    if reading.numbers_missing > 0.0 {
        let numbered: Vec<usize> = (0..question.concepts.len())
            .filter(|&k| {
                question.concepts[k]
                    .word
                    .chars()
                    .any(|c| c.is_ascii_digit())
            })
            .collect();
        let digits = lower_words(&question.text)
            .into_iter()
            .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
            .all(|w| {
                numbered
                    .iter()
                    .any(|&k| question.concepts[k].word.split(' ').any(|x| x == w))
            });
        if digits
            && !numbered.is_empty()
            && numbered
                .iter()
                .all(|&k| retrieval.presence(hit, k, IN_TEXT | IN_NEAR | IN_ABOUT) >= 1.0)
        {
            reading.numbers_missing = 0.0;
        }
    }
    // A sentence that carries on the one before it ("It was financed by…")
    // names what that one names: a name standing beside it is not missing
    // (a number in it, "Line 4", is read above, wherever the hit stands).
    if hit.prev_start.is_none() {
        return reading;
    }
    let names: Vec<(usize, &crate::question::Concept)> = question
        .concepts
        .iter()
        .enumerate()
        .filter(|(_, c)| c.name)
        .collect();
    if !names.is_empty()
        && names
            .iter()
            .all(|&(k, _)| retrieval.presence(hit, k, IN_TEXT | IN_NEAR | IN_ABOUT) >= 1.0)
    {
        reading.names_missing = 0.0;
    }
    reading
}

/// How well the best of the ranked candidates states the figure a quantity
/// question asks for (0–1); the answer layer knows figures, retrieval only
/// asks.
pub type FigureFit<'a> = dyn Fn(&Retrieval, &[Ranked]) -> f32 + 'a;

/// What the decline model knows about a question and its best candidate.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Decline {
    pub best: Signals,
    pub reading: Reading,
    /// Ranking score of the best candidate minus the second's.
    pub margin: f32,
    /// Share of the question's concept weight whose own words occur nowhere
    /// in the corpus (related words may stand in for them).
    pub unknown: f32,
    /// Share of the question's concept weight that is English the corpus
    /// never uses: words the model knows, absent from the corpus, with no
    /// related word in it either ("chocolate" in a corpus about prisons).
    pub foreign: f32,
    /// Share of the question's concept weight that is names the corpus
    /// never gives, nor any other name of ("honduras" in a corpus about El
    /// Salvador): what such a question asks about is not in the documents.
    pub absent_names: f32,
    /// 1 when the question asks for a quantity, else 0.
    pub asks_figure: f32,
    /// For a quantity question, how well the best figure among the best
    /// candidates answers it ([`crate::figures::best_relevance`]); 0 when
    /// none does or when the question asks for no quantity.
    pub figure: f32,
    /// How many concepts the question has.
    pub concepts: usize,
}

impl Decline {
    /// The model's inputs, in the order of [`fitted::DECLINE_WEIGHTS`].
    pub fn features(&self) -> [f32; fitted::DECLINE_WEIGHTS.len()] {
        [
            self.best.coverage,
            self.best.text_coverage,
            self.best.dense,
            self.best.fits,
            self.margin,
            self.unknown,
            self.best.uncovered,
            (1.0 + self.concepts as f32).ln(),
            self.reading.polarity_mismatch,
            self.reading.numbers_missing,
            self.reading.names_missing,
            self.reading.alignment,
            self.reading.contrast,
            self.reading.names_away,
            self.foreign,
            self.absent_names,
            self.asks_figure,
            self.figure,
        ]
    }

    /// The modelled probability that the documents answer the question.
    pub fn confidence(&self) -> f32 {
        let z: f32 = fitted::DECLINE_INTERCEPT
            + self
                .features()
                .iter()
                .zip(fitted::DECLINE_WEIGHTS)
                .map(|(x, w)| x * w)
                .sum::<f32>();
        1.0 / (1.0 + (-z).exp())
    }
}

/// A retrieved sentence with its re-ranking scores.
#[derive(Debug, Clone)]
pub struct Ranked {
    pub hit: Hit,
    pub signals: Signals,
    /// Share (0–1) of the question's concept weight that the sentence covers.
    pub coverage: f32,
    /// Final score used for ordering.
    pub score: f32,
    /// How it reads against the question, for the candidates the second
    /// stage read (the best few).
    pub reading: Option<Reading>,
}

#[derive(Debug, Clone, Default)]
pub struct Retrieval {
    /// Sentences that answer the question, best first; empty when declined.
    pub ranked: Vec<Ranked>,
    /// Every candidate, best first, before the decision (for fitting).
    pub candidates: Vec<Ranked>,
    /// The decline model's view of the best candidate.
    pub decline: Decline,
    /// The modelled probability that the documents answer the question.
    pub confidence: f32,
    /// Weight (rarity) of each of the question's concepts, in order.
    pub weights: Vec<f32>,
    /// The query terms, in the order of each hit's `found` flags.
    pub terms: Vec<String>,
    /// Per concept: where its own and its related terms are among `terms`.
    slots: Vec<Slots>,
    /// How many of `terms`, at the end, are measures ([`QueryTerm::measure`]).
    measure_terms: usize,
}

/// Where one concept's terms sit among the query terms.
#[derive(Debug, Clone, Default)]
struct Slots {
    own: Vec<usize>,
    related: Vec<(usize, f32)>,
}

impl Slots {
    /// How many of the concept's own terms a hit has in one of `fields`.
    fn own_found(&self, hit: &Hit, fields: u8) -> usize {
        self.own
            .iter()
            .filter(|&&i| hit.found.get(i).is_some_and(|f| f & fields != 0))
            .count()
    }
}

impl Retrieval {
    /// The query terms that are words, not measures.
    pub fn word_terms(&self) -> &[String] {
        &self.terms[..self.terms.len() - self.measure_terms]
    }

    /// How fully the `k`-th concept is present in one of a hit's fields
    /// ([`IN_TEXT`], [`IN_NEAR`] or [`IN_ABOUT`]): as [`Concept::presence`].
    pub fn presence(&self, hit: &Hit, k: usize, field: u8) -> f32 {
        let Some(slots) = self.slots.get(k) else {
            return 0.0;
        };
        let has = |i: usize| hit.found.get(i).is_some_and(|f| f & field != 0);
        let own = slots.own_found(hit, field);
        if own == slots.own.len() {
            return 1.0;
        }
        let related = slots
            .related
            .iter()
            .filter(|(i, _)| has(*i))
            .map(|(_, credit)| *credit)
            .fold(0.0, f32::max);
        related.max(own as f32 / slots.own.len() as f32)
    }

    /// See [`Reading::names_away`].
    fn names_away(&self, question: &Question, hit: &Hit) -> f32 {
        question
            .concepts
            .iter()
            .enumerate()
            .filter(|(_, c)| c.name)
            .map(|(k, _)| {
                // By the name's own words: a word merely close to a name is not it.
                let Some(slots) = self.slots.get(k) else {
                    return 0.0;
                };
                let found = slots.own_found(hit, IN_TEXT | IN_NEAR | IN_ABOUT);
                1.0 - found as f32 / slots.own.len().max(1) as f32
            })
            .sum()
    }

    /// Share (0–1) of the question's concept weight that a hit and its
    /// surroundings cover, as [`Signals::coverage`]; for a hit of another
    /// search whose terms begin with [`Retrieval::word_terms`] (the terms
    /// it adds are not read).
    pub fn coverage(&self, hit: &Hit) -> f32 {
        let mut own = hit.clone();
        own.found.truncate(self.word_terms().len());
        let total: f32 = self.weights.iter().sum();
        let covered: f32 = (0..self.weights.len())
            .map(|k| self.credit(&own, k) * self.weights[k])
            .sum();
        if total > 0.0 { covered / total } else { 0.0 }
    }

    /// How fully the `k`-th concept is present in a hit or, for less, around it.
    fn credit(&self, hit: &Hit, k: usize) -> f32 {
        self.presence(hit, k, IN_TEXT)
            .max(CONTEXT_CREDIT * self.presence(hit, k, IN_NEAR))
            .max(DOC_CREDIT * self.presence(hit, k, IN_ABOUT))
    }
}

impl Vocabulary for Index {
    fn doc_freq(&self, term: &str) -> u64 {
        Index::doc_freq(self, term)
    }

    fn is_name(&self, term: &str) -> bool {
        Index::is_name(self, term)
    }

    fn names_a_source(&self, term: &str) -> bool {
        Index::names_a_source(self, term)
    }

    fn initialism(&self, word: &str) -> Option<&str> {
        Index::initialism(self, word)
    }

    fn spanish_forms(&self, stem: &str) -> &[String] {
        Index::spanish_forms(self, stem)
    }

    fn has_spanish(&self) -> bool {
        Index::has_spanish(self)
    }
}

/// Retrieves and re-ranks sentences for `question` (already
/// [`crate::question::widen`]ed against `index`), reading `candidates` hits,
/// and decides whether they answer it. Once answered, the sentences after
/// the best keep only those with at least `relative_share` of its coverage
/// ([`crate::answer::fitted::RELATIVE_SHARE`]).
pub fn retrieve(
    index: &Index,
    question: &Question,
    settings: &AnswerSettings,
    candidates: usize,
    relative_share: f32,
    figure: Option<&FigureFit>,
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
    // Per concept: are its own words nowhere in the corpus, not even in who
    // published or wrote a document, or in a document's title?
    let missing: Vec<bool> = question
        .concepts
        .iter()
        .map(|c| {
            c.terms.iter().all(|t| {
                index.doc_freq(t) == 0 && !index.names_a_source(t) && !index.about_a_document(t)
            })
        })
        .collect();
    let model = semantic::model();
    let share_of = |pick: &dyn Fn(usize) -> bool| -> f32 {
        let picked: f32 = (0..weights.len())
            .filter(|&k| pick(k))
            .map(|k| weights[k])
            .sum();
        picked / total.max(f32::EPSILON)
    };
    let concepts = &question.concepts;
    let unknown = share_of(&|k| missing[k]);
    // Concepts the corpus has no word for, neither their own nor a related one…
    // (the measure a quantity question names stands in for its word where
    // the corpus states figures of it: "far" is there wherever a distance is)…
    let measure_terms: Vec<String> = question
        .measure
        .iter()
        .flat_map(|m| crate::figures::measure_names(m.kinds))
        .flat_map(index::analyze)
        .collect();
    let measured = measure_terms.iter().any(|t| index.measure_freq(t) > 0);
    let stand_in = |k: usize| {
        !concepts[k].related.is_empty()
            || measured && question.measure.is_some_and(|m| m.concept == k)
    };
    let absent = share_of(&|k| missing[k] && !stand_in(k));
    // …of which English words the model knows ("chocolate" in a prison corpus).
    let foreign = share_of(&|k| {
        missing[k] && !stand_in(k) && semantic::words(&concepts[k].word).all(|w| model.knows(w))
    });
    // …and names, however the question writes them ("honduras"), that the
    // corpus gives under no other name either ("britain" for "uk"): words
    // near a name in meaning are other things ("ship" for "Titanic").
    let absent_names = share_of(&|k| {
        let aliases = crate::figures::words::name_aliases(&concepts[k].word);
        missing[k]
            && (concepts[k].name || aliases.is_some())
            && !aliases
                .into_iter()
                .flatten()
                .flat_map(|a| index::analyze(a))
                .any(|t| index.doc_freq(&t) > 0)
    });

    let mut terms: Vec<QueryTerm> = Vec::new();
    for c in &question.concepts {
        let own = c.terms.iter().map(|t| (t, 1.0));
        let related = c.related.iter().map(|(t, s)| (t, RELATED_BOOST * s));
        for (t, boost) in own.chain(related) {
            if !terms.iter().any(|q| &q.term == t) {
                terms.push(QueryTerm::word(t.clone(), boost));
            }
        }
    }
    let vector = model.embed(
        question
            .concepts
            .iter()
            .flat_map(|c| semantic::words(&c.word).map(move |w| (c.name, w)))
            .map(|(name, w)| {
                if question.spanish && !name {
                    crate::translate::first_english(w)
                } else {
                    w
                }
            }),
    );
    let slot = |t: &String| {
        terms
            .iter()
            .position(|q| &q.term == t)
            .unwrap_or(usize::MAX)
    };
    let mut slots: Vec<Slots> = question
        .concepts
        .iter()
        .map(|c| Slots {
            own: c.terms.iter().map(slot).collect(),
            related: c.related.iter().map(|(t, s)| (slot(t), *s)).collect(),
        })
        .collect();
    // The measure a quantity question names is there in a sentence that
    // states a figure of it ("how far" → "12 km north of").
    if let Some(m) = question.measure {
        for term in &measure_terms {
            slots[m.concept].related.push((terms.len(), m.credit));
            terms.push(QueryTerm {
                measure: true,
                ..QueryTerm::word(term.clone(), 1.0)
            });
        }
    }
    let mut retrieval = Retrieval {
        weights,
        terms: terms.iter().map(|q| q.term.clone()).collect(),
        slots,
        measure_terms: measure_terms.len(),
        ..Retrieval::default()
    };
    let wanted = wanted_kinds(question.expect);
    let threshold = settings.min_confidence.unwrap_or(fitted::DECLINE_THRESHOLD);

    // `read_before`: candidates of an earlier pass, whose readings are reused
    // for the same sentences (a reading depends on the question and the
    // sentence only).
    let rank = |retrieval: &Retrieval, hits: Vec<Hit>, read_before: &[Ranked]| -> Vec<Ranked> {
        let max_bm25 = hits
            .iter()
            .map(|h| h.score)
            .fold(f32::MIN_POSITIVE, f32::max);
        let mut ranked: Vec<Ranked> = hits
            .into_iter()
            .map(|hit| {
                let (mut covered, mut in_text, mut uncovered) = (0.0, 0.0, 0.0f32);
                for (k, w) in retrieval.weights.iter().enumerate() {
                    let credit = retrieval.credit(&hit, k);
                    covered += credit * w;
                    in_text += retrieval.presence(&hit, k, IN_TEXT) * w;
                    uncovered = uncovered.max((1.0 - credit) * w);
                }
                let share = |x: f32| if total > 0.0 { x / total } else { 0.0 };
                let signals = Signals {
                    uncovered: share(uncovered),
                    coverage: share(covered),
                    text_coverage: share(in_text),
                    bm25: hit.score / max_bm25,
                    dense: vector
                        .as_ref()
                        .map_or(0.0, |v| semantic::cosine(v, index.vector(&hit))),
                    fits: if hit.kinds & wanted != 0 { 1.0 } else { 0.0 },
                };
                Ranked {
                    coverage: signals.coverage,
                    score: signals.score(&fitted::RANK_WEIGHTS),
                    signals,
                    hit,
                    reading: None,
                }
            })
            .collect();
        ranked.sort_by(|a, b| b.score.total_cmp(&a.score));
        // Second stage: the best few, read word by word, re-ordered.
        let top = ranked.len().min(fitted::RERANK_TOP);
        let mut reread: Vec<(f32, Ranked)> = ranked
            .drain(..top)
            .map(|mut r| {
                let reading = read_before
                    .iter()
                    .find(|b| b.hit.same_sentence(&r.hit))
                    .and_then(|b| b.reading)
                    .unwrap_or_else(|| {
                        let text = index.text(&r.hit).unwrap_or_default();
                        read_hit(question, retrieval, &r.hit, &text)
                    });
                let bonus: f32 = reading
                    .rerank_inputs()
                    .iter()
                    .zip(fitted::RERANK_WEIGHTS)
                    .map(|(x, w)| x * w)
                    .sum();
                r.reading = Some(reading);
                (r.score + bonus, r)
            })
            .collect();
        reread.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranked.splice(0..0, reread.into_iter().map(|(_, r)| r));
        ranked
    };
    let assess = |retrieval: &Retrieval, ranked: &[Ranked]| -> Option<Decline> {
        let best = ranked.first()?;
        Some(Decline {
            best: best.signals,
            reading: best.reading.unwrap_or_else(|| {
                read_hit(
                    question,
                    retrieval,
                    &best.hit,
                    &index.text(&best.hit).unwrap_or_default(),
                )
            }),
            margin: best.score - ranked.get(1).map_or(0.0, |r| r.score),
            unknown,
            foreign,
            absent_names,
            asks_figure: if figure.is_some() { 1.0 } else { 0.0 },
            figure: figure.map_or(0.0, |f| f(retrieval, ranked)),
            concepts: question.concepts.len(),
        })
    };
    // Documents whose publisher or author the question names by at least
    // half the words of the name.
    let asked_terms: HashSet<&str> = question
        .concepts
        .iter()
        .flat_map(|c| c.terms.iter().map(String::as_str))
        .collect();
    let named_source: Vec<bool> = if asked_terms.iter().any(|t| index.names_a_source(t)) {
        index
            .docs()
            .iter()
            .map(|d| d.source_named(|t| asked_terms.contains(t)))
            .collect()
    } else {
        Vec::new()
    };
    let search = |near: &[DocAddress]| -> anyhow::Result<Vec<Hit>> {
        let mut hits = index.search(&terms, candidates, near)?;
        if named_source.contains(&true) {
            for hit in &mut hits {
                let doc = &index.docs()[hit.doc as usize];
                if !named_source[hit.doc as usize] {
                    continue;
                }
                for (k, t) in terms.iter().enumerate() {
                    if !t.measure && doc.is_source(&t.term) {
                        hit.found[k] |= IN_ABOUT;
                    }
                }
            }
        }
        Ok(hits)
    };
    let mut ranked = rank(&retrieval, search(&[])?, &[]);
    let mut decline = assess(&retrieval, &ranked);
    // Hybrid: when BM25's candidates do not answer, the sentences nearest in
    // meaning join them and the whole is ranked again.
    if let Some(v) = &vector
        && decline.is_none_or(|d| d.confidence() < threshold)
    {
        let near = index.dense(v, candidates / DENSE_SHARE);
        ranked = rank(&retrieval, search(&near)?, &ranked);
        decline = assess(&retrieval, &ranked);
    }
    let (Some(best), Some(decline)) = (ranked.first(), decline) else {
        return Ok(retrieval);
    };
    retrieval.decline = decline;
    retrieval.confidence = decline.confidence();
    retrieval.candidates = ranked.clone();
    // A sentence that shares nothing with the question, not even a related
    // word in or around it, is never an answer, whatever else it scores.
    // Nor when more of the question is about what the corpus never names
    // than the best sentence covers.
    let unrelated = best.coverage == 0.0 || absent > best.coverage;
    if retrieval.confidence < threshold || unrelated && threshold > 0.0 {
        return Ok(retrieval);
    }
    // Once the question is clearly answered, sentences that cover somewhat less
    // of it may still add a source or a figure; loosely related ones may not.
    let floor = best.coverage * relative_share;
    ranked.retain(|r| r.coverage >= floor);
    retrieval.ranked = ranked;
    Ok(retrieval)
}

/// The kinds of sentence ([`segment::kinds`]) that can answer a question.
pub fn wanted_kinds(expect: Expect) -> u64 {
    match expect {
        Expect::Quantity => segment::QUANTITY,
        Expect::Place => segment::PLACE,
        Expect::Time => segment::TIME,
        Expect::Person => segment::PERSON | segment::DEFINES,
        Expect::Definition => segment::DEFINES,
        Expect::Other => 0,
    }
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

    fn reading(question: &str, sentence: &str) -> Reading {
        read(&crate::question::analyze(question), sentence)
    }

    #[test]
    fn a_number_may_be_written_as_a_word_before_the_same_noun() {
        let r = reading(
            "what are the 2 factions of barrio 18",
            "It holds members of the two factions of Barrio 18, the Sureños and the Revolucionarios.",
        );
        assert_eq!(r.numbers_missing, 0.0);
        // "two" counting something else is not the question's "2".
        let r = reading(
            "when did world war 2 end",
            "The war lasted two years and ended in a treaty.",
        );
        assert_eq!(r.numbers_missing, 1.0);
    }

    #[test]
    fn a_negation_counts_where_it_stands() {
        let q = "Where did Maududi's books not place Islam?";
        let elsewhere =
            "His books placed Islam in a modern context and influenced not only the ulema.";
        let on_the_verb = "His books did not place Islam in a modern context.";
        assert_eq!(reading(q, elsewhere).polarity_mismatch, 1.0);
        assert_eq!(reading(q, on_the_verb).polarity_mismatch, 0.0);
        let plain = "Where did his books place Islam?";
        assert_eq!(
            reading(plain, on_the_verb).polarity_mismatch,
            1.0,
            "the sentence negates what the question asks"
        );
        assert_eq!(
            reading(plain, elsewhere).polarity_mismatch,
            0.0,
            "the sentence negates something the question does not name"
        );
        assert_eq!(
            reading(plain, "The crew had never drilled.").polarity_mismatch,
            0.0
        );
        // A function word after the negation is not what it negates.
        assert_eq!(
            reading(
                "How old was Andry when he got sent there?",
                "When Andry, a 31-year-old artist, stepped off the plane, he had no idea where he was going."
            )
            .polarity_mismatch,
            0.0
        );

        assert_eq!(
            reading(
                "Can prisoners make phone calls?",
                "No family visits, phone calls, or letters permitted."
            )
            .polarity_mismatch,
            0.0,
            "a yes/no question is answered by a negation"
        );
        // A negation reaches a few words, not the rest of the sentence.
        assert_eq!(
            reading(
                "Which court developed the principles of the law?",
                "The principles are rules that are not expressly written down, and that shape the law."
            )
            .polarity_mismatch,
            0.0
        );
    }

    #[test]
    fn a_word_swapped_for_a_close_other_shows_as_contrast() {
        let q = "Who accepted the government's arguments?";
        let swapped = reading(q, "The court rejected the government's arguments.");
        let same = reading(q, "The court accepted the government's arguments.");
        let unrelated = reading(
            q,
            "The court sat in Luxembourg for the government's arguments.",
        );
        assert!(
            swapped.contrast > unrelated.contrast,
            "{swapped:?} {unrelated:?}"
        );
        assert_eq!(same.contrast, 0.0, "nothing missing, nothing swapped");
    }
}
