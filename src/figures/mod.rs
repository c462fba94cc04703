//! Figures: the quantities that sources state for what a question asks, grouped
//! by value, with a plain verdict — the sources agree, or they disagree.
//!
//! Boundary: `extract` reads quantities from text; `asked` reads what
//! quantity a question wants; this module decides which stated figures answer
//! it and groups them, and tells the index which measures a sentence's
//! figures are in ([`measure_kinds`]). Nothing here picks a winner or ranks a
//! figure as true.

pub mod asked;
pub mod extract;
pub mod fitted;
pub(crate) mod lexicon;
pub mod number;
#[cfg(test)]
mod tests;
pub mod tokens;
pub mod words;

pub use extract::{Mention, Qualifier, Unit, mentions};
pub use words::{Lang, attribute_nouns};

use std::collections::HashSet;

use serde::Serialize;

use crate::index;
use asked::{Asked, Want};

/// How strictly [`select`] keeps a figure; the defaults are fitted by
/// `tools/fit/figures.py` ([`fitted`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Selection {
    /// A figure must cover at least this share of the question's concepts…
    pub min_relevance: f32,
    /// …and at least this share of the most relevant figure's.
    pub relative_relevance: f32,
    /// What a figure's relevance is multiplied by when the words tying it to
    /// the sentence point elsewhere (another verb, another noun).
    pub penalty: f32,
    /// The largest share of the question's weight a figure may lack that
    /// the most relevant figure has ("repainting" in "what will repainting
    /// the bridge cost?": the cost of building it lacks it); more, and the
    /// figure measures something else.
    pub max_missing: f32,
    /// Where the most relevant figure stands with the question's word for
    /// the measure ("cost"), another figure of the kind must stand with it
    /// at least this much: "the toll will rise from $3 to $4.50" is not
    /// what the bridge cost. 0: no such test.
    pub min_measure: f32,
}

impl Default for Selection {
    fn default() -> Self {
        Selection {
            min_relevance: fitted::MIN_RELEVANCE,
            relative_relevance: fitted::RELATIVE_RELEVANCE,
            penalty: fitted::PENALTY,
            max_missing: fitted::MAX_MISSING,
            min_measure: fitted::MIN_MEASURE,
        }
    }
}

/// Relative pronouns that open an aside about the noun before ("The
/// bridge, which opened in 1937, cost…"; "La línea, que costó…").
const ASIDE_OPENERS: &[&str] = &[
    "which", "who", "whom", "whose", "que", "quien", "quienes", "cuyo", "cuya", "cuyos", "cuyas",
];

/// Words that open a clause elaborating the one before ("…261 people, including 238…").
const ELABORATING: &[&str] = &[
    "including",
    "such as",
    "of whom",
    "of which",
    "among them",
    "among whom",
    "mostly",
    "mainly",
    "plus",
    "among",
];

/// In a set of measures, the bit for a count of people; each dimension has
/// its own ([`words::Dimension::kind`]).
pub const PEOPLE: u64 = 1 << words::Dimension::ALL.len();

/// The measures `text` states figures in, as a set of bits: a dimension's
/// bit ([`words::Dimension::kind`]) for a number written with a unit or
/// currency of it ("12 km", "$6 million", "24°C", "30 %"), and [`PEOPLE`]
/// for a count of people ("3,000 local
/// residents"; the person nouns are English). A quick look at the tokens
/// around each run of digits in the document's language, cheap enough for
/// indexing every sentence, with the full reader's guard on units that are
/// also words ("30 died in the attack" is no length); [`mentions`] reads
/// figures in full.
pub fn measure_kinds(text: &str, lang: Option<Lang>) -> u64 {
    use tokens::{Kind, Stream};
    /// A counted noun may follow a number past this many words ("3,000 local residents").
    const NOUN_REACH: usize = 2;
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return 0;
    }
    let st = Stream::new(text);
    let lexicon = words::lexicon();
    let mut bits = 0;
    let mut i = 0;
    while i < st.len() {
        if !st.is(i, Kind::Digits) {
            i += 1;
            continue;
        }
        let start = i;
        // Past digits grouped or with a decimal part ("10,000", "23.5").
        let mut end = i + 1;
        while matches!(st.s(end), "," | ".")
            && st.is(end + 1, Kind::Digits)
            && st.glued(end, end + 1)
        {
            end += 2;
        }
        // Past a scale word ("6 million dollars").
        if let Some((w, after)) = lexicon.number(&st, end, lang)
            && w.role == words::Role::Scale
        {
            end = after;
        }
        // Units as listed only: misspellings are for the full reading.
        let edge = |k: usize| lexicon.unit_edge(&st.lower(k));
        if let Some((u, _)) = start
            .checked_sub(1)
            .filter(|&k| edge(k))
            .and_then(|_| lexicon.currency_before(&st, start, lang))
        {
            bits |= u.dimension.kind();
        }
        if let Some((u, _)) = Some(end)
            .filter(|&k| edge(k))
            .and_then(|k| lexicon.unit_at(&st, k, lang))
            .filter(|(u, next)| extract::unit_fits(&st, end, *next, u))
        {
            bits |= u.dimension.kind();
        } else if (end..end + NOUN_REACH)
            .take_while(|&k| st.is(k, Kind::Word))
            .any(|k| lexicon::is_person_noun(&st.lower(k), false))
        {
            bits |= PEOPLE;
        }
        i = end;
    }
    bits
}

/// The names of the measures in `kinds` ([`measure_kinds`]): each
/// dimension's name ("length", "money") and "people".
pub fn measure_names(kinds: u64) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = words::Dimension::ALL
        .iter()
        .filter(|d| kinds & d.kind() != 0)
        .map(|d| d.name())
        .collect();
    if kinds & PEOPLE != 0 {
        names.push("people");
    }
    names
}

/// A retrieved passage to read figures from.
#[derive(Debug, Clone, Copy)]
pub struct Passage<'a> {
    pub text: &'a str,
    /// How fully each question concept is present around it (section heading,
    /// neighbouring sentences; for a name, also its document's title), by
    /// [`Concept::index`].
    pub near: &'a [f32],
    /// The language of its document, for reading its figures.
    pub lang: Option<Lang>,
    /// Every name the question gives stands in it, around it, or in what its
    /// document is about: a figure from a passage about something else
    /// never answers ("the Halcyon Star cost £1.5 million" for a bridge).
    pub on_subject: bool,
}

/// A question concept and its weight.
#[derive(Debug, Clone, Copy)]
pub struct Concept<'a> {
    pub concept: &'a crate::question::Concept,
    pub weight: f32,
    /// Its position among the question's concepts.
    pub index: usize,
}

/// A figure stated in one passage that answers the question.
#[derive(Debug, Clone)]
pub struct Stated {
    pub passage: usize,
    pub mention: Mention,
    /// Share (0–1) of the question's concepts that stand around the figure.
    pub relevance: f32,
    /// The larger figure this one is part of, when its clause elaborates one
    /// ("261 people…, including 238 individuals…").
    pub part_of: Option<String>,
}

/// The figures block of an answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    /// The sources give different figures.
    pub conflict: bool,
    /// No figure was tied to the question: `values` are the figures of the
    /// asked kind that the quotes state, listed without a verdict.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub untied: bool,
    /// Distinct figures, ordered by value.
    pub values: Vec<FigureValue>,
}

/// One distinct figure and every source that states it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureValue {
    /// The figure as first stated ("roughly 250–288 people").
    pub text: String,
    pub low: f64,
    pub high: f64,
    pub unit: String,
    pub qualifier: Option<Qualifier>,
    /// The value converted for comparison (miles → km, °F → °C), when converted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub normalized: Option<Normalized>,
    /// The rate it is given at ("a day", "each"), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per: Option<String>,
    /// An order of magnitude ("hundreds of") rather than a figure.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub vague: bool,
    /// Set when every source gives it only as part of a larger figure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part_of: Option<String>,
    /// Documents stating it, in order of first appearance in the answer.
    pub docs: Vec<String>,
    /// Indices into the answer's extracts of the quotes that state it.
    pub extracts: Vec<usize>,
    /// Where each of those quotes states it: byte ranges into the extract's `quote`.
    pub spans: Vec<FigureSpan>,
}

/// Where a figure is stated inside one extract's quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FigureSpan {
    pub extract: usize,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Normalized {
    pub low: f64,
    pub high: f64,
    pub unit: &'static str,
}

/// How well the best figure in `passages` answers `asked`: its relevance
/// as [`select`] weighs it, with no least relevance; 0 when none fits. What
/// the decline model reads of a quantity question's best candidates.
pub fn best_relevance(
    asked: &Asked,
    concepts: &[Concept],
    passages: &[Passage],
    selection: Selection,
) -> f32 {
    let selection = Selection {
        min_relevance: 0.0,
        ..selection
    };
    candidates(asked, concepts, passages, selection)
        .iter()
        .map(|(s, _)| s.relevance)
        .fold(0.0, f32::max)
}

/// The figures in `passages` that answer `asked`, with their relevance.
pub fn select(
    asked: &Asked,
    concepts: &[Concept],
    passages: &[Passage],
    selection: Selection,
) -> Vec<Stated> {
    let mut found = candidates(asked, concepts, passages, selection);
    // The whole a sentence divides ("Of the 238 men…, 179 had no criminal
    // record") gives way to its part where the question is about the part
    // at least as much.
    let parted = |(s, _): &(Stated, Vec<f32>)| {
        divided_whole(passages[s.passage].text, &s.mention)
            && found.iter().any(|(o, _)| {
                o.passage == s.passage
                    && o.mention.start >= s.mention.end
                    && o.relevance >= s.relevance
            })
    };
    let mut wholes: std::vec::IntoIter<bool> =
        found.iter().map(parted).collect::<Vec<_>>().into_iter();
    found.retain(|_| !wholes.next().unwrap_or(false));
    let concepts = unmeasured(asked, concepts);
    let total: f32 = concepts.iter().map(|c| c.weight).sum();
    // Orders of magnitude only when no source gives a figure (and they set
    // no bar for the figures that are given).
    if found.iter().any(|(s, _)| !s.mention.vague) {
        found.retain(|(s, _)| !s.mention.vague);
    }
    // A question for a rate in time is answered by rates when any source
    // gives one ("€45 million a year" for the yearly maintenance, not the
    // €1.2 billion the line cost). Per a thing, a figure about it is one
    // ("cells hold 80–100 prisoners").
    if asked.per && asked.per_terms.is_empty() && found.iter().any(|(s, _)| s.mention.per.is_some())
    {
        found.retain(|(s, _)| s.mention.per.is_some());
    }
    fn most_relevant<'a>(
        found: impl Iterator<Item = &'a (Stated, Vec<f32>)>,
    ) -> Option<(Stated, Vec<f32>)> {
        found
            .max_by(|a, b| a.0.relevance.total_cmp(&b.0.relevance))
            .cloned()
    }
    let Some((top, top_credit)) = most_relevant(found.iter()) else {
        return Vec::new();
    };
    // The figures are measured against the most relevant one, or, where
    // that is of another kind (a time for "how long"), against the most
    // relevant of those that stand with the question's measure word in
    // their own clause ("how long is Line 4": "14.5 km long", not the 26
    // minutes a journey takes).
    let measure = asked
        .measure
        .as_ref()
        .and_then(|m| concepts.iter().position(|c| c.concept.terms.contains(m)));
    let (reference, reference_credit) = most_relevant(
        found
            .iter()
            .filter(|(_, credit)| measure.is_some_and(|k| credit[k] >= 1.0)),
    )
    .filter(|(s, _)| measures(&s.mention.unit) != measures(&top.mention.unit))
    .unwrap_or((top.clone(), top_credit));
    // What the reference has that another lacks, in any one concept. Only
    // between passages in one language: a question's words are not looked
    // for in another language's sentences, so their absence there says
    // nothing.
    let missing = |s: &Stated, credit: &[f32]| -> f32 {
        if total <= 0.0 || passages[s.passage].lang != passages[reference.passage].lang {
            return 0.0;
        }
        concepts
            .iter()
            .zip(reference_credit.iter().zip(credit))
            .map(|(c, (t, o))| c.weight * (t - o).max(0.0) / total)
            .fold(0.0, f32::max)
    };
    // The question's word for the measure ("cost") tells its figure from
    // others of the kind ("the toll will rise from $3 to $4.50"): where the
    // reference stands with it, a figure must too ([`Selection::min_measure`]).
    let measured = |credit: &[f32]| {
        measure.is_none_or(|k| reference_credit[k] < 1.0 || credit[k] >= selection.min_measure)
    };
    found.retain(|(s, credit)| {
        s.relevance >= top.relevance * selection.relative_relevance
            && missing(s, credit) <= selection.max_missing
            && measured(credit)
    });
    // An answer's figures measure one thing: figures of another kind than
    // the reference go ("how long": 269 metres, not three hours).
    let kind = measures(&reference.mention.unit);
    // A measure the question names but not what it counts ("the death
    // toll"): a count of people and a count of villages are not one
    // quantity; a bare number may be either.
    let counted = |unit: &Unit| match unit {
        Unit::People => Some(String::from("people")),
        Unit::Thing(noun) => Some(noun.rsplit(' ').next().unwrap_or(noun).to_lowercase()),
        _ => None,
    };
    // A count of what the question names ("68 muertes" for the death toll)
    // counts the people it happened to, as "74 people" does.
    let counts = |m: &Mention| {
        if noun_credited(m, concepts.iter()) {
            Some(String::from("people"))
        } else {
            counted(&m.unit)
        }
    };
    let reference_counts = counts(&reference.mention);
    found
        .into_iter()
        .map(|(s, _)| s)
        .filter(|s| measures(&s.mention.unit) == kind)
        .filter(|s| {
            asked.want != Want::Stated
                || reference_counts.is_none()
                || counts(&s.mention).is_none_or(|c| Some(c) == reference_counts)
        })
        .collect()
}

/// The question's concepts that say which quantity, not what is measured:
/// concepts that name the unit ("hours", "people") go. The word for the
/// measure ("how deep") stays: unlike in retrieval, where any figure of the
/// measure stands for it, here it tells "45 meters deep" from the 52 m of the
/// dam wall in the same documents (crediting it for every length, or
/// dropping it, made that a conflict).
fn unmeasured<'a>(asked: &Asked, concepts: &[Concept<'a>]) -> Vec<Concept<'a>> {
    concepts
        .iter()
        .filter(|c| !c.concept.mentions_any(&asked.unit_terms))
        .copied()
        .collect()
}

/// Every figure in `passages` that fits `asked` and is relevant enough, with
/// how fully each concept ([`unmeasured`]) stands with it.
fn candidates(
    asked: &Asked,
    all_concepts: &[Concept],
    passages: &[Passage],
    selection: Selection,
) -> Vec<(Stated, Vec<f32>)> {
    let concepts = &unmeasured(asked, all_concepts)[..];
    // The adjectives that stand for the question's measure word ("tall":
    // high) do so only right after a figure ("48-metre-high"); elsewhere in
    // its clause one is another word ("high-ranking members").
    let is_measure = |c: &Concept| {
        asked
            .measure
            .as_ref()
            .is_some_and(|t| c.concept.terms.contains(t))
    };
    let same_side: Vec<&str> = concepts
        .iter()
        .filter(|c| is_measure(c))
        .flat_map(|c| words::same_side_adjectives(&c.concept.word))
        .collect();
    let stems: Vec<String> = same_side.iter().flat_map(|a| index::analyze(a)).collect();
    let stripped: Vec<crate::question::Concept> = concepts
        .iter()
        .map(|c| {
            let mut own = c.concept.clone();
            if is_measure(c) {
                own.related.retain(|(t, _)| !stems.contains(t));
            }
            // "How warm does the water get?": a verb that links its subject
            // to the measure asked names no event to stand with the figure.
            if own.predicate && asked.measure.is_some() && words::linking_verb(&own.word) {
                own.predicate = false;
            }
            own
        })
        .collect();
    let concepts: Vec<Concept> = concepts
        .iter()
        .zip(&stripped)
        .map(|(c, own)| Concept { concept: own, ..*c })
        .collect();
    let concepts = &concepts[..];
    // What a "how many X" question counts, as the question's concept for X
    // has it: a figure whose own noun that concept's model neighbours hold
    // counts it too ("six grandchildren" for "how many grandkids").
    let counting: Vec<&Concept> = match asked.want {
        Want::Thing(_) => all_concepts
            .iter()
            .filter(|c| c.concept.mentions_any(&asked.unit_terms))
            .collect(),
        _ => Vec::new(),
    };
    // A bare count right before the question's own verb counts what the
    // question does ("Only 712 survived" for "how many survived").
    let predicates: Vec<&Concept> = concepts.iter().filter(|c| c.concept.predicate).collect();
    // So does one right after it, as its object ("injuring more than 400",
    // "killed 38 and injured 517").
    let verb_asked = |m: &Mention, text: &str| {
        let asked_verb = |w: &str| credited(w, predicates.iter().copied()) == Some(true);
        clause_words(text, m.end).next().is_some_and(asked_verb)
            || event_before(text, m).is_some_and(asked_verb)
    };
    // A count right after the verb of an event the question names nowhere
    // ("have brought 27 miners", "killing at least 86 people" for how many
    // were trapped or injured), where the question has a verb.
    let after_unasked_event = |m: &Mention, text: &str| {
        !predicates.is_empty()
            && event_before(text, m).is_some_and(|v| credited(v, concepts.iter()) == Some(false))
    };
    let does_asked = |m: &Mention, text: &str| {
        matches!(m.unit, Unit::Bare)
            && matches!(asked.want, Want::People | Want::Count | Want::Thing(_))
            && verb_asked(m, text)
    };
    let counts_asked = |m: &Mention| {
        asked.want.kind_accepts(&m.unit) && noun_credited(m, counting.iter().copied())
    };
    // A count of what the question's verb names counts whom it happened to
    // ("97 deaths" for "how many people died", "1,480 injuries" for "how
    // many were injured").
    let names_event = |m: &Mention| {
        matches!(asked.want, Want::People | Want::Count)
            && matches!(m.unit, Unit::Thing(_))
            && noun_credited(m, predicates.iter().copied())
    };
    // A name says which thing a figure is about: it must stand in the
    // sentence or around it (its document's title counts); relevance weighs
    // it with the other words.
    let names: Vec<Concept> = concepts
        .iter()
        .filter(|c| c.concept.name)
        .copied()
        .collect();
    // The people a question counts when it says which ("how many
    // workers"): a count of other people ("42.500 espectadores") is not
    // theirs; a count of people in general ("74 people") may be, and so may
    // people whom the question's event happened to, however named
    // ("trapped 33 men" for how many miners were trapped).
    let which_people: Vec<&Concept> = concepts
        .iter()
        .filter(|c| {
            asked.want == Want::People
                && !c.concept.name
                && lexicon::is_person_noun(&c.concept.word, asked.spanish)
                && !lexicon::only_people(&c.concept.word, asked.spanish)
        })
        .collect();
    let other_people = |m: &Mention, text: &str, lang: Option<Lang>| {
        !which_people.is_empty()
            && !verb_asked(m, text)
            && matches!(m.unit, Unit::People)
            && m.noun.as_deref().is_some_and(|noun| {
                let head = noun.rsplit(' ').next().unwrap_or(noun);
                !lexicon::only_people(head, lang == Some(Lang::Es))
            })
            && !noun_credited(m, which_people.iter().copied())
    };
    let total: f32 = concepts.iter().map(|c| c.weight).sum();
    // Each figure found, with how fully each concept stands with it.
    let mut found: Vec<(Stated, Vec<f32>)> = Vec::new();
    for (p, passage) in passages.iter().enumerate().filter(|(_, p)| p.on_subject) {
        let ms = answerable_mentions(passage.text, passage.lang, asked.unit.as_deref());
        // An amount of what the question names ("how much less steam") is
        // no count of another thing ("a four-valve engine").
        let other_count = |m: &Mention| {
            asked.want == Want::Amount
                && matches!(m.unit, Unit::Thing(_))
                && !noun_credited(m, concepts.iter())
        };
        let fits: Vec<bool> = ms
            .iter()
            .map(|m| {
                (asked.accepts(&m.unit, passage.lang)
                    && !other_count(m)
                    && !other_people(m, passage.text, passage.lang)
                    || counts_asked(m)
                    || names_event(m)
                    || does_asked(m, passage.text))
                    && (asked.per || m.per.is_none())
                    && !asked.states(m)
            })
            .collect();
        if !fits.contains(&true) {
            continue;
        }
        let sentence = Sentence::new(passage);
        for (k, m) in ms.iter().enumerate().filter(|(k, _)| fits[*k]) {
            // "Of the 238 men Trump sent, 179 had no record": the whole a
            // sentence divides is no answer to a question for a part of it.
            if asked.partitive
                && divided_whole(passage.text, m)
                && ms.iter().zip(&fits).any(|(o, f)| *f && o.start >= m.end)
            {
                continue;
            }
            let own = sentence.clause_of(m.at);
            // A rate per something ("in one cell"): the figure is per it, or about it.
            let about_per = |id: usize| {
                asked
                    .per_terms
                    .iter()
                    .any(|t| sentence.terms[id].contains(t))
            };
            if !asked.per_terms.is_empty()
                && m.per.is_none()
                && !about_per(own)
                && !sentence.host[own].is_some_and(about_per)
            {
                continue;
            }
            // The question's verb should stand with the figure, not only nearby.
            let predicates = concepts.iter().filter(|c| c.concept.predicate);
            let clause_credit = |c: &Concept| sentence.credit_in_sentence(m, c.concept, &ms, &fits);
            let verb_apart = predicates.clone().next().is_some()
                && !predicates.clone().any(|c| clause_credit(c) >= 0.5);
            let host = (sentence.elaborates[own] && own > 0)
                .then(|| {
                    ms.iter()
                        .zip(&fits)
                        .take(k)
                        .filter(|(o, f)| **f && sentence.clause_of(o.at) == own - 1)
                        .map(|(o, _)| o)
                        .next_back()
                })
                .flatten();
            let part_of = host.map(|h| h.text.clone());
            // A name stands for every sentence under a heading or title that
            // gives it.
            let named = |c: &Concept| {
                passage.near.get(c.index).copied().unwrap_or(0.0) > 0.0
                    || sentence.credit_in_sentence(m, c.concept, &ms, &fits) > 0.0
            };
            if !names.iter().all(named) {
                continue;
            }
            // "The Ardel fire burned 3,000 hectares" is another fire than the
            // Brenna Valley fire the question names; "Cells regularly hold
            // 80–100 prisoners" says what the cells hold, not CECOT.
            if another_named(passage.text, m, concepts)
                || another_subject(passage.text, m, concepts)
            {
                continue;
            }
            // Of counts side by side, the one whose own noun the question
            // names is its answer: its event ("38 muertos y cerca de 500
            // heridos" for "how many were injured": not the 38 dead), or
            // what it counts ("68 muertes y unos 4.900 casos" for the death
            // toll).
            let names_asked = |o: &Mention| noun_credited(o, concepts.iter());
            // (Not one that a verb the question has no word for ties to
            // another event: "have brought 27 miners to the surface after…
            // trapped 33 men" for how many were trapped.)
            if m.noun.is_some()
                && !names_asked(m)
                && ms.iter().zip(&fits).any(|(o, f)| {
                    *f && o.start != m.start
                        && sentence.clause_of(o.at) == own
                        && names_asked(o)
                        && !after_unasked_event(o, passage.text)
                })
            {
                continue;
            }
            // A concept named in the figure's own noun ("14,000 graduate
            // students") stands with it fully.
            let head = m.noun.as_deref().map(index::analyze).unwrap_or_default();
            // So does the question's measure word, or an adjective of the
            // same attribute on its side, right after the figure ("how
            // tall": "a 48-metre-high dam").
            let after = clause_words(passage.text, m.end)
                .next()
                .map(str::to_lowercase)
                .unwrap_or_default();
            let measured = |c: &Concept| {
                is_measure(c) && (c.concept.word == after || same_side.contains(&after.as_str()))
            };
            // A measurement written as an adjective ("a 15-kilometre
            // exclusion zone") measures the noun after it: it answers "how
            // tall is Mount Tarsel?" only when that noun is the question's,
            // or a word of its measure ("48-metre-high").
            // So does one linked by "of" to the noun before it ("an
            // exclusion zone of 15 kilometres"); the measure's own nouns
            // ("a total length of…", "a height of…") are the question's.
            let measured_noun = if hyphen_glued(&m.text) {
                Some(after.clone())
            } else {
                noun_of(passage.text, m.start)
            };
            if let (Some(measure), Some(noun)) = (&asked.measure, measured_noun)
                && !noun.is_empty()
            {
                let terms = index::analyze(&noun);
                let measure_word = concepts
                    .iter()
                    .find(|c| is_measure(c))
                    .map_or("", |c| c.concept.word.as_str());
                let own = same_side.contains(&noun.as_str())
                    || terms.contains(measure)
                    || words::attribute_nouns(measure_word).contains(&noun.as_str())
                    || concepts.iter().any(|c| c.concept.credit_in(&terms) > 0.0);
                if !own {
                    continue;
                }
            }
            let credit: Vec<f32> = concepts
                .iter()
                .map(|c| match c.concept.credit_in(&head) {
                    1.0 => 1.0,
                    _ if measured(c) => 1.0,
                    named => sentence.credit(m, c, &ms, &fits).max(named),
                })
                .collect();
            for (c, credit) in concepts
                .iter()
                .zip(&credit)
                .filter(|_| tracing::enabled!(tracing::Level::TRACE))
            {
                tracing::trace!(figure = %m.text, concept = %c.concept.word, weight = c.weight, credit, "concept credit");
            }
            let relevance = if total > 0.0 {
                concepts
                    .iter()
                    .zip(&credit)
                    .map(|(c, credit)| c.weight * credit)
                    .sum::<f32>()
                    / total
            } else {
                1.0
            };
            if relevance < selection.min_relevance {
                continue;
            }
            // A figure whose own clause says what happened to it, in words
            // that are not the question's verb nor near it in the model
            // ("22,000 people have been evacuated" for "how many died"),
            // counts another event.
            let another_event = |verb: &str| credited(verb, predicates.clone()) == Some(false);
            // So does one right after the verb of an event the question
            // names nowhere, where the question's verb in its clause is
            // another figure's ("killing at least 86 people and injuring
            // more than 1,200" for "how many died")…
            // …unless the question's verb follows the figure as its own
            // ("tracked roughly 250–288 people transferred from…").
            let own_verb = clause_words(passage.text, m.end)
                .take(2)
                .any(|w| credited(w, predicates.clone()) == Some(true));
            let clash = verb_apart
                && own_passive(passage.text, m.end, passage.lang).is_some_and(another_event)
                || !own_verb && after_unasked_event(m, passage.text);
            if clash {
                continue;
            }
            let penalty = if verb_apart { selection.penalty } else { 1.0 };
            let relevance =
                relevance * penalty * sentence.head_penalty(m, concepts, selection.penalty);
            tracing::debug!(figure = %m.text, relevance, verb_apart, passage = p, "figure candidate");
            let stated = Stated {
                passage: p,
                mention: m.clone(),
                relevance,
                part_of,
            };
            found.push((stated, credit));
        }
    }
    found
}

/// Does one of `concepts` credit `word` (by its analyzed terms)? `None` for
/// a word without terms (a stop word).
fn credited<'a, 'q: 'a>(
    word: &str,
    mut concepts: impl Iterator<Item = &'a Concept<'q>>,
) -> Option<bool> {
    let terms = index::analyze(word);
    (!terms.is_empty()).then(|| concepts.any(|c| c.concept.credit_in(&terms) > 0.0))
}

/// Does a question concept credit the figure's own noun ("97 deaths" for
/// "died")? No, for a figure without one.
fn noun_credited<'a, 'q: 'a>(
    m: &Mention,
    mut concepts: impl Iterator<Item = &'a Concept<'q>>,
) -> bool {
    m.noun.as_deref().is_some_and(|noun| {
        let head = index::analyze(noun);
        concepts.any(|c| c.concept.credit_in(&head) > 0.0)
    })
}

/// The verb of an event right before a figure ("deported 261", "killing at
/// least 86", "injuring more than 1,200"), if any: a participle or gerund,
/// not one of state or relation, which says what the figure is part of or
/// amounts to ("comprising 79 libraries", "including 238 men"), nor one of
/// telling or knowing, which says who counted it ("recorded 1,340
/// aftershocks").
fn event_before<'t>(text: &'t str, m: &Mention) -> Option<&'t str> {
    const MODALS: &[&str] = &[
        "will", "would", "shall", "should", "can", "could", "may", "might", "must", "to",
    ];
    let head = &text[..m.start];
    let mut words = head
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .rev();
    let word = words.next().filter(|_| head.ends_with(' '))?;
    let lower = word.to_lowercase();
    // A participle or gerund, or a verb after a modal ("will invest €90
    // million").
    let verb_form = crate::question::is_participle(&lower)
        || word.len() > 4 && lower.ends_with("ing")
        || word.len() > 3 && words.next().is_some_and(|w| MODALS.contains(&w));
    (word.chars().next().is_some_and(char::is_lowercase)
        && verb_form
        && lower != "being"
        && !lexicon::FUNCTION_WORDS.contains(&lower.as_str())
        && !words::stative_form(&lower)
        && !words::reporting_form(&lower))
    .then_some(word)
}

/// Does the figure's clause name another thing of the kind the question
/// names ("the Ardel fire burned 3,000 hectares" for "how many hectares did
/// the Brenna Valley fire burn")? Where the question puts a name right
/// before a noun ("Brenna Valley fire"), the clause has that noun right after
/// a capitalized word that is no word of the question's names.
fn another_named(text: &str, m: &Mention, concepts: &[Concept]) -> bool {
    let kinds: Vec<&crate::question::Concept> = concepts
        .windows(2)
        .filter(|w| w[0].concept.name && !w[1].concept.name)
        .filter(|w| w[1].index == w[0].index + 1)
        .map(|w| w[1].concept)
        .collect();
    if kinds.is_empty() {
        return false;
    }
    let name_words: Vec<String> = concepts
        .iter()
        .filter(|c| c.concept.name)
        .flat_map(|c| c.concept.terms.iter().cloned())
        .collect();
    let (start, end) = clause_around(text, m);
    let words: Vec<&str> = text[start..end]
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.windows(2).enumerate().any(|(k, pair)| {
        let (before, word) = (pair[0], pair[1]);
        let capital = before.chars().next().is_some_and(char::is_uppercase);
        let opens = k == 0 && start == 0;
        capital
            && !opens
            && !index::analyze(before)
                .iter()
                .any(|t| name_words.contains(t))
            && kinds.iter().any(|c| c.mentions_any(&index::analyze(word)))
    })
}

/// The byte span of the clause around a figure: from after the last
/// boundary before it to the first after it (a comma, colon or full stop
/// followed by a space, a semicolon, a bracket or a dash; not the comma of
/// "3,000" nor the point of "2.5").
fn clause_around(text: &str, m: &Mention) -> (usize, usize) {
    let start = text[..m.start]
        .char_indices()
        .rev()
        .find(|&(k, c)| ends_clause(text, k, c))
        .map_or(0, |(k, c)| k + c.len_utf8());
    (start, clause_end(text, m.end))
}

/// Does the figure follow the question's verb whose subject in its clause
/// is a plural noun the question does not name, where the question's own
/// subject is a name ("Cells regularly hold 80–100 prisoners" for "how many
/// inmates can CECOT hold?")? A plural is not the one thing a name names.
fn another_subject(text: &str, m: &Mention, concepts: &[Concept]) -> bool {
    let has_name = concepts.iter().any(|c| c.concept.name);
    let predicates: Vec<&Concept> = concepts.iter().filter(|c| c.concept.predicate).collect();
    if !has_name || predicates.is_empty() {
        return false;
    }
    let (start, _) = clause_around(text, m);
    let words: Vec<&str> = text[start..m.start]
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let Some(verb) = words
        .iter()
        .rposition(|w| credited(w, predicates.iter().copied()) == Some(true))
    else {
        return false;
    };
    // The word before the verb, past an adverb ("regularly").
    let mut k = verb;
    while k > 0 && words[k - 1].to_lowercase().ends_with("ly") {
        k -= 1;
    }
    let Some(subject) = k.checked_sub(1).map(|k| words[k]) else {
        return false;
    };
    let lower = subject.to_lowercase();
    lower.len() > 3
        && lower.ends_with('s')
        && !lower.ends_with("ss")
        && lower.chars().all(char::is_alphabetic)
        && !lexicon::FUNCTION_WORDS.contains(&lower.as_str())
        && credited(subject, concepts.iter()) != Some(true)
}

/// Is the figure the whole of a partitive ("Of the 238 men…", "out of 352",
/// "de los 238 hombres")?
fn divided_whole(text: &str, m: &Mention) -> bool {
    let before = text.get(..m.start).unwrap_or("").to_lowercase();
    let words: Vec<&str> = before.split_whitespace().rev().take(2).collect();
    matches!(
        words.as_slice(),
        ["the" | "los" | "las", "of" | "de", ..] | ["of", "out", ..]
    )
}

/// The participle of the passive verb that follows a figure in its clause
/// ("…people have been evacuated": "evacuated"; "personas fueron
/// evacuadas": "evacuadas"), if any: what happened to what it counts. A
/// participle without its auxiliary describes the noun instead ("250
/// individuals alleged to be…").
fn own_passive(text: &str, after: usize, lang: Option<Lang>) -> Option<&str> {
    const AUXILIARIES: &[&str] = &[
        "was", "were", "is", "are", "been", "be", "being", "got", "fue", "fueron", "sido", "son",
        "es", "era", "eran",
    ];
    let words: Vec<&str> = clause_words(text, after).take(8).collect();
    let spanish = lang == Some(Lang::Es);
    words.windows(2).find_map(|pair| {
        let (aux, verb) = (pair[0].to_lowercase(), pair[1].to_lowercase());
        let participle = if spanish {
            ["ado", "ada", "ados", "adas", "ido", "ida", "idos", "idas"]
                .iter()
                .any(|end| verb.len() > end.len() + 2 && verb.ends_with(end))
        } else {
            crate::question::is_participle(&verb)
        };
        (AUXILIARIES.contains(&aux.as_str()) && participle).then_some(pair[1])
    })
}

/// Is a unit glued to its number by a hyphen ("15-kilometre", "48-metre"):
/// the figure written as an adjective?
fn hyphen_glued(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars
        .windows(3)
        .any(|w| w[0].is_ascii_digit() && w[1] == '-' && w[2].is_alphabetic())
}

/// The noun right before "of" ("de") and a figure starting at `start`
/// ("zone" in "an exclusion zone of 15 kilometres"), lower case.
fn noun_of(text: &str, start: usize) -> Option<String> {
    let before = text.get(..start)?;
    let mut words = before
        .rsplit(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty());
    if !matches!(words.next()?, "of" | "de") {
        return None;
    }
    let noun = words.next()?;
    noun.chars()
        .all(char::is_alphabetic)
        .then(|| noun.to_lowercase())
}

/// The words from byte `after` to the end of its clause ([`clause_end`]).
fn clause_words(text: &str, after: usize) -> impl Iterator<Item = &str> {
    let after = if text.is_char_boundary(after) {
        after
    } else {
        text.len()
    };
    text[after..clause_end(text, after)]
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Is the character `c` at byte `k` of `text` the end of a clause: ";",
/// brackets, a dash, or ",", ":", "." before a space or the end (not inside
/// "3,000" or "1.5")?
fn ends_clause(text: &str, k: usize, c: char) -> bool {
    match c {
        ';' | '(' | ')' | '—' => true,
        ',' | ':' | '.' => text[k + c.len_utf8()..]
            .chars()
            .next()
            .is_none_or(char::is_whitespace),
        _ => false,
    }
}

/// Where the clause that `from` is in ends ([`ends_clause`]).
fn clause_end(text: &str, from: usize) -> usize {
    text[from..]
        .char_indices()
        .find(|&(k, c)| ends_clause(text, from + k, c))
        .map_or(text.len(), |(k, _)| from + k)
}

/// Is a mention a figure an answer can give? Not a label,
/// not the equivalent in brackets of the figure before it, and not a number
/// word standing alone ("one of the…", "the one involving").
pub(crate) fn usable(m: &Mention) -> bool {
    if matches!(m.unit, Unit::Label) || m.restates {
        return false;
    }
    if m.written && matches!(m.unit, Unit::Bare) {
        return false;
    }
    !(m.written
        && m.low == 1.0
        && m.high == 1.0
        && matches!(&m.unit, Unit::Thing(n) if !n.ends_with('s')))
}

/// Does the text deny the figure it states ("52 metres, not 48 metres")?
/// A "not" right before a bound is part of it ("not more than 48").
fn denied(text: &str, m: &Mention) -> bool {
    let before = text.get(..m.start).unwrap_or("").trim_end();
    let word_start = before
        .char_indices()
        .rev()
        .find(|(_, c)| !c.is_alphanumeric())
        .map_or(0, |(i, c)| i + c.len_utf8());
    m.qualifier.is_none() && before[word_start..].eq_ignore_ascii_case("not")
}

/// The figures of the asked kind in a quote, for an answer whose figure
/// selection found none: at a rate too ("3 to 14 hours a week" for "how
/// many hours"), since the quote states a number of the kind asked.
pub fn shown_figures(asked: &Asked, quote: &str, lang: Option<Lang>) -> Vec<Mention> {
    answerable_mentions(quote, lang, asked.unit.as_deref())
        .into_iter()
        .filter(|m| asked.want.kind_accepts(&m.unit) && !m.vague && !asked.states(m))
        .collect()
}

/// The mentions in a text that an answer may give, bare numbers taking the
/// unit of the figure before them. A figure restated in brackets in the
/// unit the question names (`prefer`) is given in that unit ("4 kg (8.8 lb)"
/// asked in pounds: 8.8 lb).
fn answerable_mentions(text: &str, lang: Option<Lang>, prefer: Option<&str>) -> Vec<Mention> {
    let all = mentions(text, lang);
    let mut ms: Vec<Mention> = Vec::with_capacity(all.len());
    let mut last_usable: Option<usize> = None;
    for (k, m) in all.iter().enumerate() {
        if m.restates {
            let restated = last_usable.filter(|&l| l + 1 == k).map(|l| &all[l]);
            if let (Some(before), Some(unit)) = (restated, prefer)
                && m.unit.label() == unit
                && before.unit.label() != unit
                && let Some(shown) = ms.last_mut()
            {
                let mut instead = m.clone();
                instead.restates = false;
                instead.qualifier = instead.qualifier.or(before.qualifier);
                instead.noun = before.noun.clone();
                instead.per = instead.per.clone().or_else(|| before.per.clone());
                *shown = instead;
            }
            continue;
        }
        if usable(m) && !denied(text, m) {
            ms.push(m.clone());
            last_usable = Some(k);
        }
    }
    inherit_units(text, &mut ms);
    ms
}

/// A bare number takes the unit of the figure before it in the same sentence
/// ("Of the 238 men…, 179 had…"; "a capacity of 20,000 detainees… to 40,000").
fn inherit_units(text: &str, ms: &mut [Mention]) {
    // "260 of the 352 votes", "260 de los 352 votos": a part counts what
    // its whole counts.
    for k in 1..ms.len() {
        let (before, after) = ms.split_at_mut(k);
        let (part, whole) = (&mut before[k - 1], &after[0]);
        let between = text
            .get(part.end..whole.start)
            .unwrap_or("")
            .trim()
            .to_lowercase();
        let partitive = matches!(
            between.as_str(),
            "of" | "of the" | "out of" | "out of the" | "de" | "de los" | "de las"
        );
        if matches!(part.unit, Unit::Bare)
            && partitive
            && matches!(whole.unit, Unit::People | Unit::Thing(_))
        {
            part.unit = whole.unit.clone();
        }
    }
    // …unless a noun right before it says what it is ("212 aftershocks of
    // magnitude 3 or greater", "category 4").
    let labelled = |m: &Mention| {
        text.get(..m.start)
            .and_then(|head| head.strip_suffix(' '))
            .and_then(|head| head.split(|c: char| !c.is_alphanumeric()).next_back())
            .is_some_and(|w| {
                w.len() > 2
                    && w.chars().all(char::is_lowercase)
                    && !words::lexicon().stop_word(w, None)
            })
    };
    // "Of the suspected cases, 1,140 were confirmed": a count after a
    // group the clause opens with counts that group.
    for m in ms.iter_mut().filter(|m| matches!(m.unit, Unit::Bare)) {
        if let Some((group, spanish)) = opening_group(text, m.start) {
            let head = group.rsplit(' ').next().unwrap_or(group);
            m.unit = if lexicon::is_person_noun(head, spanish) {
                Unit::People
            } else {
                Unit::Thing(group.to_string())
            };
            m.noun = Some(group.to_string());
        }
    }
    let mut last: Option<Unit> = None;
    for m in ms.iter_mut() {
        match &m.unit {
            Unit::People | Unit::Thing(_) => last = Some(m.unit.clone()),
            Unit::Bare if !labelled(m) => {
                if let Some(u) = &last {
                    m.unit = u.clone();
                }
            }
            _ => {}
        }
    }
}

/// The group a sentence opens with before a figure at `at` ("Of the
/// suspected cases, 1,140…": "suspected cases"; "De los heridos, 12…"),
/// when only that opening and its comma come before the figure: a noun
/// phrase of at most four words, without figures; and whether it is
/// Spanish.
fn opening_group(text: &str, at: usize) -> Option<(&str, bool)> {
    let before = text.get(..at)?;
    let start = before
        .rfind(['.', '!', '?', ';', ':', '\n'])
        .map_or(0, |k| k + 1);
    let opening = before[start..].trim_start().strip_suffix(", ")?;
    let lower = opening.to_lowercase();
    let rest = ["of the ", "of those ", "de los ", "de las "]
        .iter()
        .find_map(|p| lower.starts_with(p).then(|| &opening[p.len()..]))?;
    let words: Vec<&str> = rest.split(' ').collect();
    (words.len() <= 4
        && words
            .iter()
            .all(|w| !w.is_empty() && w.chars().all(char::is_alphabetic)))
    .then_some((rest, lower.starts_with("de ")))
}

/// Does `rest` (from a space) open a clause of its own with a count: "and"
/// or "y" right before digits ("Seis mineros murieron y 27 fueron
/// rescatados")? A count after a conjunction is the subject of its own verb
/// unless a number comes right before it too (`before`: "between 1932 and
/// 1937", "12 and 14").
fn coordinates_count(before: &str, rest: &str) -> bool {
    if before.ends_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let mut words = rest.split_whitespace();
    matches!(words.next(), Some("and" | "y" | "e"))
        && words
            .next()
            .and_then(|w| w.chars().next())
            .is_some_and(|c| c.is_ascii_digit())
}

/// A passage cut into clauses, with the analyzed terms of each.
struct Sentence<'a> {
    passage: &'a Passage<'a>,
    /// (start, end, clause id, parenthetical) for each stretch of text.
    stretches: Vec<(usize, usize, usize, bool)>,
    terms: Vec<HashSet<String>>,
    /// For each clause id: the clause whose parenthesis it sits in.
    host: Vec<Option<usize>>,
    elaborates: Vec<bool>,
}

impl<'a> Sentence<'a> {
    fn new(passage: &'a Passage<'a>) -> Sentence<'a> {
        let text = passage.text;
        let dashes: Vec<usize> = text
            .char_indices()
            .filter(|&(i, c)| c == '—' || (matches!(c, '–' | '-') && is_spaced(text, i)))
            .map(|(i, _)| i)
            .collect();
        let paired = dashes.len() - dashes.len() % 2;
        let appositives = name_appositives(text);
        let mut stretches = Vec::new();
        let mut host: Vec<Option<usize>> = vec![None];
        let mut stack: Vec<usize> = Vec::new(); // clause ids we are inside of
        let mut current = 0;
        let mut start = 0;
        let mut dash_seen = 0;
        for (i, c) in text.char_indices() {
            let is_dash = dashes.contains(&i);
            // Commas and colons inside numbers ("110,000", "3:00") are not clause breaks.
            let spaced_after = text[i + c.len_utf8()..]
                .chars()
                .next()
                .is_none_or(char::is_whitespace);
            let boundary = matches!(c, ';' | '(' | ')')
                || matches!(c, ',' | ':') && spaced_after
                || is_dash
                || c == ' ' && coordinates_count(&text[..i], &text[i..]);
            if !boundary {
                continue;
            }
            stretches.push((start, i, current, !stack.is_empty()));
            start = i + c.len_utf8();
            let opens = c == '('
                || (is_dash && dash_seen < paired && dash_seen % 2 == 0)
                || appositives.iter().any(|&(o, _)| o == i);
            let closes = c == ')'
                || (is_dash && dash_seen < paired && dash_seen % 2 == 1)
                || appositives.iter().any(|&(_, e)| e == i);
            if is_dash {
                dash_seen += 1;
            }
            if opens {
                stack.push(current);
                host.push(Some(current));
                current = host.len() - 1;
            } else if closes {
                if let Some(h) = stack.pop() {
                    current = h;
                }
            } else {
                host.push(stack.last().copied());
                current = host.len() - 1;
            }
        }
        stretches.push((start, text.len(), current, !stack.is_empty()));
        let mut terms = vec![HashSet::new(); host.len()];
        let mut elaborates = vec![false; host.len()];
        let mut seen_start = vec![false; host.len()];
        for &(s, e, id, _) in &stretches {
            terms[id].extend(index::analyze(&text[s..e]));
            if !seen_start[id] {
                seen_start[id] = true;
                let lead = text[s..e].trim_start().to_lowercase();
                elaborates[id] = ELABORATING.iter().any(|w| lead.starts_with(w));
            }
        }
        Sentence {
            passage,
            stretches,
            terms,
            host,
            elaborates,
        }
    }

    fn clause_of(&self, at: usize) -> usize {
        self.stretches
            .iter()
            .find(|&&(s, e, _, _)| s <= at && at < e.max(s + 1))
            .map_or(0, |&(_, _, id, _)| id)
    }

    /// How strongly a concept stands around the figure: in its own clause,
    /// the clause it elaborates, a neighbouring clause, elsewhere in the
    /// sentence, around the sentence, or only in what the document is about.
    fn credit(&self, m: &Mention, c: &Concept, all: &[Mention], fits: &[bool]) -> f32 {
        // Around the sentence still counts a little; what the whole document
        // is about says nothing about which of its figures answers.
        let near = self.passage.near.get(c.index).copied().unwrap_or(0.0);
        self.credit_in_sentence(m, c.concept, all, fits)
            .max(0.3 * near)
    }

    /// [`Self::credit`] within the sentence only.
    fn credit_in_sentence(
        &self,
        m: &Mention,
        concept: &crate::question::Concept,
        all: &[Mention],
        fits: &[bool],
    ) -> f32 {
        let has = |set: &HashSet<String>| concept.presence_in(set);
        let own = self.clause_of(m.at);
        let mut best = has(&self.terms[own]);
        if let Some(h) = self.host[own] {
            best = best.max(0.6 * has(&self.terms[h]));
        }
        for (id, set) in self.terms.iter().enumerate() {
            let present = has(set);
            if id == own || present == 0.0 {
                continue;
            }
            let adjacent = id + 1 == own || own + 1 == id;
            let competing = all
                .iter()
                .zip(fits)
                .any(|(o, f)| *f && o.at != m.at && self.clause_of(o.at) == id);
            let credit = if adjacent && id + 1 == own && self.elaborates[own] {
                0.6
            } else if adjacent && !competing {
                0.5
            } else if competing {
                0.15
            } else {
                0.25
            };
            best = best.max(credit * present);
        }
        best
    }

    /// The words that tie a figure to its sentence say what it measures: a
    /// noun right after an amount ("$200 million cost"), the verb after a
    /// count ("350 people have died"), or the verb before it ("deported 261
    /// people"). When such words are there and none of them is something the
    /// question asks about, the figure most likely measures something else.
    fn head_penalty(&self, m: &Mention, concepts: &[Concept], penalty: f32) -> f32 {
        const AUXILIARIES: &[&str] = &[
            "have", "has", "had", "were", "was", "are", "is", "been", "be", "being", "will",
            "would",
        ];
        let asked_about = |word: &str| {
            index::analyze(word).first().is_some_and(|t| {
                concepts
                    .iter()
                    .any(|c| c.concept.mentions_any(std::slice::from_ref(t)))
            })
        };
        let content = |w: &str| {
            !w.is_empty()
                && w.chars().next().is_some_and(char::is_lowercase)
                && !lexicon::FUNCTION_WORDS.contains(&w)
                && !AUXILIARIES.contains(&w)
        };
        let text = self.passage.text;
        // An aside in brackets right after the figure ("(around €27,000)")
        // is not what ties it to the sentence.
        let rest = &text[m.end..];
        let rest = match rest.trim_start().strip_prefix('(') {
            Some(inside) => inside.split_once(')').map_or("", |(_, after)| after),
            None => rest,
        };
        let after: Vec<&str> = rest
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(4)
            .collect();
        let glued = !text[m.end..].starts_with(' ');

        // Strong ties: the noun after an amount, a verb after a count and its
        // auxiliary ("have died") or one that takes no object ("died"). Weak: a participle right after a count
        // ("people transferred"), which may be a mere adjective ("individuals
        // alleged to…"). A verb before the figure ("deported 261", "injuring
        // more than 1,200") is strong.
        let mut strong: Vec<&str> = Vec::new();
        let mut weak: Vec<&str> = Vec::new();
        match m.unit {
            Unit::Money(_) | Unit::Percent | Unit::Bare if m.per.is_none() && !glued => {
                if let Some(w) = after.first().filter(|w| content(w)) {
                    strong.push(w);
                }
            }
            Unit::People | Unit::Thing(_) if !glued => {
                // "11 of them died": after a partitive, a verb is a verb.
                let partitive = usize::from(
                    after.first() == Some(&"of")
                        && after
                            .get(1)
                            .is_some_and(|w| matches!(*w, "them" | "whom" | "these" | "those")),
                ) * 2;
                let aux = partitive
                    + after[partitive.min(after.len())..]
                        .iter()
                        .take_while(|w| AUXILIARIES.contains(w))
                        .count();
                if let Some(w) = after.get(aux).filter(|w| content(w)) {
                    if aux > 0 || words::intransitive_past(w) {
                        strong.push(w);
                    } else if w.ends_with("ed") {
                        weak.push(w);
                    }
                }
            }
            _ => {}
        }
        if let Some(w) = event_before(text, m) {
            strong.push(w);
        }
        if strong.is_empty() || strong.iter().chain(&weak).any(|w| asked_about(w)) {
            1.0
        } else {
            penalty
        }
    }
}

/// The commas around an aside: a name set off as an appositive ("fined the
/// main contractor, Ardent Tunnelling, €3 million"), a relative clause that
/// adds to the noun before it ("The bridge, which opened in 1937, cost…")
/// or a participle's phrase ("The final burned area, mapped from
/// satellite images, is 14,860 hectares"): byte offsets of each pair.
/// Such an aside is read as a parenthesis, so the clause goes on after it.
fn name_appositives(text: &str) -> Vec<(usize, usize)> {
    let commas: Vec<usize> = text
        .char_indices()
        .filter(|&(i, c)| c == ',' && text[i + 1..].starts_with(char::is_whitespace))
        .map(|(i, _)| i)
        .collect();
    commas
        .windows(2)
        .filter(|w| {
            let words: Vec<&str> = text[w[0] + 1..w[1]].split_whitespace().collect();
            let name = words
                .iter()
                .all(|w| w.chars().next().is_some_and(char::is_uppercase));
            let first = words.first().map(|w| w.to_lowercase()).unwrap_or_default();
            let aside = ASIDE_OPENERS.contains(&first.as_str())
                || first.len() > 4
                    && first.ends_with("ed")
                    && first.chars().all(char::is_alphabetic);
            !words.is_empty() && (name || aside)
        })
        .map(|w| (w[0], w[1]))
        .collect()
}

fn is_spaced(text: &str, i: usize) -> bool {
    let before = text[..i]
        .chars()
        .next_back()
        .is_some_and(char::is_whitespace);
    let after = text[i..].chars().nth(1).is_some_and(char::is_whitespace);
    before && after
}

/// The value in a common unit for comparison, when the stated unit converts.
fn normalize(m: &Mention) -> (f64, f64, Option<&'static str>) {
    let scale = |f: f64| (m.low * f, m.high * f);
    let (lo, hi, unit) = match &m.unit {
        // Lengths compare in metres below a kilometre, else in kilometres.
        Unit::Distance(_, km) if m.high * km < 1.0 => {
            let (l, h) = scale(km * 1000.0);
            (l, h, Some("m"))
        }
        Unit::Distance(_, km) => {
            let (l, h) = scale(*km);
            (l, h, Some("km"))
        }
        Unit::Area(_, sqm) => {
            let (l, h) = scale(*sqm);
            (l, h, Some("sq m"))
        }
        Unit::Temperature("°F") => {
            let c = |f: f64| (f - 32.0) * 5.0 / 9.0;
            (c(m.low), c(m.high), Some("°C"))
        }
        Unit::Duration(u) => {
            let hours = match *u {
                "seconds" => Some(1.0 / 3600.0),
                "minutes" => Some(1.0 / 60.0),
                "days" => Some(24.0),
                "weeks" => Some(168.0),
                _ => None,
            };
            let years = match *u {
                "months" => Some(1.0 / 12.0),
                "decades" => Some(10.0),
                "centuries" => Some(100.0),
                _ => None,
            };
            match (hours, years) {
                (Some(f), _) => {
                    let (l, h) = scale(f);
                    (l, h, Some("hours"))
                }
                (_, Some(f)) => {
                    let (l, h) = scale(f);
                    (l, h, Some("years"))
                }
                _ => (m.low, m.high, None),
            }
        }
        _ => (m.low, m.high, None),
    };
    (lo, hi, unit)
}

/// What a unit measures, whatever it is written in: figures of one kind can
/// answer the same question.
fn measures(unit: &Unit) -> &'static str {
    match unit {
        Unit::People | Unit::Thing(_) | Unit::Bare => "count",
        Unit::Money(_) => "money",
        Unit::Duration(_) => "duration",
        Unit::Distance(..) => "length",
        Unit::Area(..) => "area",
        Unit::Temperature(_) => "temperature",
        Unit::Measure(d, ..) => d.name(),
        Unit::Percent => "percent",
        Unit::Times => "times",
        Unit::Year => "year",
        Unit::DayOfMonth => "day of month",
        Unit::Label => "label",
    }
}

/// The class of unit figures are compared in (so "miles" and "km" meet).
fn dimension(m: &Mention) -> String {
    match &m.unit {
        Unit::Distance(..) => "distance".into(),
        Unit::Area(..) => "area".into(),
        Unit::Temperature(_) => "temperature".into(),
        Unit::Money(code) => format!("money {code}"),
        Unit::Duration(_) => match normalize(m).2 {
            Some(u) => format!("duration {u}"),
            None => format!("duration {}", m.unit.label()),
        },
        Unit::People | Unit::Bare => "count".into(),
        // Mass, volume, energy…: compared in the dimension's base unit.
        Unit::Measure(d, ..) => format!("measure {}", d.name()),
        other => other.label(),
    }
}

/// What a figure is compared by: its dimension, its value range in the
/// dimension's unit, and that unit when converted.
fn key(m: &Mention) -> (String, f64, f64, Option<&'static str>) {
    let (lo, hi, conv) = normalize(m);
    // Compare lengths in one unit whatever their size.
    let (lo, hi) = match &m.unit {
        Unit::Distance(_, km) => (m.low * km, m.high * km),
        Unit::Measure(_, _, factor) => (m.low * factor, m.high * factor),
        _ => (lo, hi),
    };
    (dimension(m), lo, hi, conv)
}

/// Do two counted nouns count the same thing across the two languages: one
/// is a Spanish word whose English words include the other, or the head
/// that ends the other (English compounds end with their head: "16 botes
/// salvavidas" are 16 boats, and "lifeboats" are boats)?
fn same_thing(a: &str, b: &str) -> bool {
    let term = |w: &str| index::analyze(w).into_iter().next().unwrap_or_default();
    let translates = |spanish: &str, english: &str| {
        let english = term(english);
        crate::translate::english(spanish).iter().any(|e| {
            let e = term(e);
            e.len() >= 3 && english.ends_with(&e)
        })
    };
    a == b || translates(a, b) || translates(b, a)
}

/// Do two mentions state the same figure (the same amount of the same
/// kind, in whatever unit or form)?
pub fn same_figure(a: &Mention, b: &Mention) -> bool {
    let (da, la, ha, ca) = key(a);
    let (db, lb, hb, cb) = key(b);
    // A currency name several countries use ("pesos") is the same money as
    // a code of its family ("mexican pesos": MXN).
    let family = |x: &Mention, y: &Mention| match (&x.unit, &y.unit) {
        (Unit::Money(g), Unit::Money(code)) => {
            g.chars().all(|c| c.is_ascii_lowercase())
                && words::lexicon().currency_of_family(g, code)
        }
        _ => false,
    };
    let things = || match (&a.unit, &b.unit) {
        (Unit::Thing(x), Unit::Thing(y)) => same_thing(x, y),
        _ => false,
    };
    if da != db && !family(a, b) && !family(b, a) && !things() {
        return false;
    }
    // Across units that convert, the same up to a conversion's rounding
    // ("148 feet (45 m)", "4 kg (8.8 lb)"); otherwise only as stated (1,503
    // is not 1,517).
    let converts =
        |c: Option<&str>, m: &Mention| c.is_some() || matches!(m.unit, Unit::Measure(..));
    if converts(ca, a) && converts(cb, b) && a.unit.label() != b.unit.label() {
        same_value((la, ha), (lb, hb))
    } else {
        la == lb && ha == hb
    }
}

/// The mentions in a text that an answer may give, of the kind asked (at
/// the rate asked, if any).
pub fn asked_mentions(asked: &Asked, text: &str, lang: Option<Lang>) -> Vec<Mention> {
    answerable_mentions(text, lang, asked.unit.as_deref())
        .into_iter()
        .filter(|m| {
            asked.want.kind_accepts(&m.unit) && (asked.per || m.per.is_none()) && !asked.states(m)
        })
        .collect()
}

fn same_value(a: (f64, f64), b: (f64, f64)) -> bool {
    let close = |x: f64, y: f64| (x - y).abs() <= 0.015 * x.abs().max(y.abs()).max(1e-9);
    close(a.0, b.0) && close(a.1, b.1)
}

/// Do the sources disagree? Yes when two figures given in their own right
/// are different amounts (a range is an amount: "250–288" and "261"
/// disagree), unless one is a bound that holds the other ("more than 1,500"
/// and "1,503" agree; "1,503" and "1,517" do not).
pub fn disagree(groups: &[Group]) -> bool {
    let bound = |g: &Group| {
        let (lo, hi) = (g.key.1, g.key.2);
        match g.value.qualifier {
            Some(Qualifier::MoreThan | Qualifier::AtLeast) => Some((lo, f64::INFINITY)),
            Some(Qualifier::UpTo | Qualifier::AtMost) => Some((f64::NEG_INFINITY, hi)),
            _ => None,
        }
    };
    let compatible = |a: &Group, b: &Group| match (bound(a), bound(b)) {
        (None, None) => false,
        (x, y) => {
            let (a, b) = (
                x.unwrap_or((a.key.1, a.key.2)),
                y.unwrap_or((b.key.1, b.key.2)),
            );
            a.0 <= b.1 && b.0 <= a.1
        }
    };
    let own: Vec<&Group> = groups.iter().filter(|g| g.standalone).collect();
    own.iter()
        .enumerate()
        .any(|(i, a)| own[i + 1..].iter().any(|b| !compatible(a, b)))
}

/// A group of stated figures with one value.
#[derive(Debug, Clone)]
pub struct Group {
    pub value: FigureValue,
    /// The statements in it: (passage, mention).
    pub members: Vec<(usize, Mention)>,
    /// Some source gives it as a figure in its own right, not only as part of another.
    pub standalone: bool,
    key: (String, f64, f64),
}

/// Groups stated figures by value (after unit conversion; a range is its own
/// value), in order of value. `doc_of` names the document of a passage.
pub fn group(
    stated: Vec<Stated>,
    prefer: Option<&str>,
    doc_of: impl Fn(usize) -> String,
) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for s in stated {
        let (dim, lo, hi, conv) = key(&s.mention);
        let doc = doc_of(s.passage);
        if let Some(g) = groups
            .iter_mut()
            .find(|g| same_figure(&g.members[0].1, &s.mention))
        {
            if !g.value.docs.contains(&doc) {
                g.value.docs.push(doc);
            }
            if s.part_of.is_none() {
                g.standalone = true;
                g.value.part_of = None;
            }
            // Show the comparison value as a source states it, when one does
            // ("12 km" rather than 7.5 miles converted to 12.07 km).
            if let Some(n) = g.value.normalized.as_mut()
                && s.mention.unit.label() == n.unit
            {
                n.low = s.mention.low;
                n.high = s.mention.high;
            }
            // A group shows its figure as a source states it in the unit
            // the question names ("28 days" asked in days, not "4 weeks").
            if let Some(unit) = prefer
                && g.value.unit != unit
                && s.mention.unit.label() == unit
            {
                let m = &s.mention;
                g.value.text = m.text.clone();
                (g.value.low, g.value.high) = (m.low, m.high);
                g.value.unit = m.unit.label();
                g.value.qualifier = m.qualifier;
            }
            g.members.push((s.passage, s.mention));
            continue;
        }
        let m = &s.mention;
        let normalized = conv
            .filter(|u| *u != m.unit.label())
            .map(|unit| Normalized {
                low: round(lo),
                high: round(hi),
                unit,
            });
        groups.push(Group {
            value: FigureValue {
                text: m.text.clone(),
                low: m.low,
                high: m.high,
                unit: m.unit.label(),
                qualifier: m.qualifier,
                normalized,
                per: m.per.clone(),
                vague: m.vague,
                part_of: s.part_of.clone(),
                docs: vec![doc],
                extracts: Vec::new(),
                spans: Vec::new(),
            },
            standalone: s.part_of.is_none(),
            members: vec![(s.passage, s.mention)],
            key: (dim, lo, hi),
        });
    }
    groups.sort_by(|a, b| {
        a.key
            .1
            .total_cmp(&b.key.1)
            .then(a.key.2.total_cmp(&b.key.2))
            .then(a.key.0.cmp(&b.key.0))
    });
    groups
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
