//! What quantity a question asks for: a count of people, of some thing, money,
//! a duration, a distance, an area, a temperature, a share, a number of
//! times, or a year — and whether it asks for a rate ("a day", "each").
//!
//! Boundary: reads the question's words only.

use std::sync::OnceLock;

use rustc_hash::FxHashSet;

use super::extract::Unit;
use super::lexicon;
use super::tokens::Stream;
use super::words::{self, Dimension};
use crate::index;

#[derive(Debug, Clone, PartialEq)]
pub enum Want {
    People,
    /// Some counted thing, by its analyzed term ("moon").
    Thing(String),
    /// A count of something not named ("how many were deported?").
    Count,
    Money,
    /// A duration, in this unit when the question names one.
    Duration(Option<&'static str>),
    /// "How long": a duration or a distance.
    Length,
    Percent,
    Distance,
    Area,
    Temperature,
    /// An amount of something the question names, in any unit ("how much
    /// turbine power", "by how much").
    Amount,
    /// Another measure (volume, mass, energy…).
    Measure(Dimension),
    Times,
    Year,
    /// Whatever the sources measure the asked noun in ("what was the death
    /// toll?", "what is the top speed?": [`words::measure_noun`]): any
    /// quantity, until a source says which ([`measured_in`]).
    Stated,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Asked {
    pub want: Want,
    /// The question asks for a rate or a share per item ("a day", "each", "per cell").
    pub per: bool,
    /// Analyzed terms that name the unit asked for ("hour", "day"); they say
    /// what is measured, not which quantity, so relevance ignores them.
    pub unit_terms: Vec<String>,
    /// The figures the question itself states ("out of the 352 votes"):
    /// given, so never its answer. As (low, high).
    pub given: Vec<(f64, f64)>,
    /// The unit the question names ("pounds" → `lb`), as [`Unit::label`]
    /// gives it: a figure stated in it too is shown in it.
    pub unit: Option<String>,
    /// What the rate is per, when it is not time ("cell" in "in one cell",
    /// "prisoner" in "each prisoner"): a figure must be per it or about it.
    pub per_terms: Vec<String>,
    /// The analyzed term of the question's word for what is measured
    /// ("far", "warm", "space", "cost", "people"): a sentence stating a
    /// figure of the asked measure ([`Asked::kinds`]) has what it asks.
    pub measure: Option<String>,
    /// The question is in Spanish ([`crate::translate::is_spanish`]): what
    /// it counts is matched through translations.
    pub spanish: bool,
    /// It asks for a part of a whole ("how many of the deportees…",
    /// "¿cuántos de los…?"): the whole a sentence divides ("Of the 238 men,
    /// 179 had…") is not its answer.
    pub partitive: bool,
}

impl Asked {
    /// Can a figure in `unit`, read in a text in `lang`, answer this
    /// ([`Want::accepts`])? When the question or the text is Spanish, a
    /// counted thing named by a translation of the asked one does too ("340
    /// autobuses" for "how many buses").
    pub fn accepts(&self, unit: &Unit, lang: Option<super::Lang>) -> bool {
        let across = self.spanish || lang == Some(super::Lang::Es);
        self.want.accepts(unit)
            || across
                && match (&self.want, unit) {
                    (Want::Thing(term), Unit::Thing(noun)) => {
                        let head = noun.rsplit(' ').next().unwrap_or(noun);
                        crate::translate::same_meaning(head, term)
                    }
                    _ => false,
                }
    }

    /// The measures ([`super::measure_kinds`]: [`Dimension::kind`], [`super::PEOPLE`])
    /// of a figure of the asked measure; 0 when any figure may be.
    pub fn kinds(&self) -> u64 {
        use super::PEOPLE;
        match &self.want {
            Want::People => PEOPLE,
            Want::Money => Dimension::Money.kind(),
            Want::Duration(_) => Dimension::Duration.kind(),
            Want::Length => Dimension::Length.kind() | Dimension::Duration.kind(),
            Want::Percent => Dimension::Percent.kind(),
            Want::Distance => Dimension::Length.kind(),
            Want::Area => Dimension::Area.kind(),
            Want::Temperature => Dimension::Temperature.kind(),
            Want::Measure(d) => d.kind(),
            Want::Times => Dimension::Times.kind(),
            Want::Thing(_) | Want::Count | Want::Amount | Want::Year | Want::Stated => 0,
        }
    }

    /// Does the question itself state the figure `m` ("out of the 352
    /// votes")? Then it is given, never the answer.
    pub fn states(&self, m: &super::Mention) -> bool {
        self.given.contains(&(m.low, m.high))
    }
}

const MONEY_WORDS: &[&str] = &[
    "pay", "pays", "paying", "paid", "cost", "costs", "costing", "spend", "spends", "spent",
    "spending", "fund", "funds", "funding", "budget", "price", "prices", "worth", "charge",
    "charged", "fee", "fees", "fine", "fined", "earn", "earns", "earned", "owe", "owes", "money",
    "dollars", "salary", "wage", "wages", "revenue", "income", "profit", "sell", "sold", "buy",
    "bought", "afford",
];

/// Words that open a question for a count ("how many", "¿cuántos?"); "many"
/// after "how" only.
const COUNT_OPENERS: &[&str] = &["cuántos", "cuántas", "cuantos", "cuantas"];
/// Words that open a question for an amount ("how much", "¿cuánto?").
const AMOUNT_OPENERS: &[&str] = &["cuánto", "cuánta", "cuanto", "cuanta"];

/// Is `word` (lower case) a Spanish function word of a question: a stop
/// word or an opener of a quantity question, accents folded or not ("mas"
/// as "más")?
pub fn is_function_word_es(word: &str) -> bool {
    static FOLDED: OnceLock<FxHashSet<String>> = OnceLock::new();
    FOLDED
        .get_or_init(|| {
            super::words::stop_words(super::Lang::Es)
                .chain(COUNT_OPENERS.iter().copied())
                .chain(AMOUNT_OPENERS.iter().copied())
                .map(fold_es)
                .collect()
        })
        .contains(&fold_es(word))
}

/// Does `word` (lower case) open a Spanish question for a quantity ("¿cuántos?", "¿cuánto?")?
pub fn opens_quantity_es(word: &str) -> bool {
    COUNT_OPENERS.contains(&word) || AMOUNT_OPENERS.contains(&word)
}

/// Is `word` one of [`MONEY_WORDS`], or, in a Spanish question, a word one of
/// whose English words is ("costó": cost)?
fn money_word(word: &str, spanish: bool) -> bool {
    MONEY_WORDS.contains(&word) || spanish && crate::translate::means_one_of(word, MONEY_WORDS)
}

/// A lower-case Spanish word without its accents ("más" → "mas").
fn fold_es(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            'á' => 'a',
            'é' => 'e',
            'í' => 'i',
            'ó' | 'ö' => 'o',
            'ú' | 'ü' => 'u',
            'ñ' => 'n',
            c => c,
        })
        .collect()
}

/// The quantity `question` asks for, or `None` when it asks for no quantity.
pub fn asked(question: &str) -> Option<Asked> {
    let lower = question.to_lowercase();
    let words = split_keeping(&lower, '%');
    // "how many" and "how much" read as one opener each, as in Spanish.
    let spanish = crate::translate::is_spanish(question);
    let words: Vec<&str> = {
        let mut out = Vec::with_capacity(words.len());
        let mut k = 0;
        while k < words.len() {
            match (words[k], words.get(k + 1).copied()) {
                ("how", Some("many")) => {
                    out.push("cuántos");
                    k += 2;
                }
                ("how", Some("much")) => {
                    out.push("cuánto");
                    k += 2;
                }
                (w, _) => {
                    out.push(w);
                    k += 1;
                }
            }
        }
        out
    };
    let at = |i: usize| words.get(i).copied().unwrap_or("");
    let has = |w: &str| words.contains(&w);
    let pair = |a: &str, b: &str| words.windows(2).any(|x| x[0] == a && x[1] == b);
    let mut unit_words: Vec<&str> = Vec::new();
    // "How do I read a temperature sensor?" asks how, not how much: a word
    // naming a measure does not make it a quantity question.
    let procedural = at(0) == "how"
        && matches!(
            at(1),
            "do" | "does" | "did" | "can" | "could" | "should" | "would" | "to" | "is" | "are"
        );
    let has = |w: &str| !procedural && has(w);

    // The question's word for what is measured ("far", "warm", "space",
    // "cost", "people"): a figure of the asked measure answers it.
    let mut measure: Option<&str> = None;
    // The first of `list` that follows "how" ("how far", "how warm").
    let how = |list: &[&'static str]| list.iter().copied().find(|w| pair("how", w));
    let first_of = |list: &[&str]| words.iter().copied().find(|w| list.contains(w));
    let want = if let Some(i) = words.iter().position(|w| COUNT_OPENERS.contains(w)) {
        let want = counted(&words, i, spanish, &mut unit_words);
        if want == Want::People {
            measure = unit_words.last().copied();
        }
        want
    } else if let Some(i) = words.iter().position(|w| AMOUNT_OPENERS.contains(w)) {
        let next = at(i + 1);
        let phrase = noun_phrase(&words, i + 1);
        if let Some(want) = phrase_unit(&phrase, &mut unit_words) {
            want
        } else if matches!(next, "space" | "room" | "area" | "land") {
            measure = Some(next);
            Want::Area
        } else if next == "time" {
            measure = Some(next);
            Want::Duration(None)
        } else if next == "of" || has("percent") {
            // "How much of Afghanistan…": a share of something.
            Want::Percent
        } else if next == "mide" || next == "miden" || next == "medía" {
            Want::Length
        } else if (i > 0 && matches!(words[i - 1], "by" | "en"))
            || phrase
                .first()
                .is_some_and(|w| !money_word(w, spanish) && !is_verb_like(w))
        {
            // "By how much did it fall?", "How much turbine power…": an
            // amount of what the question names, in whatever unit.
            Want::Amount
        } else {
            measure = words.iter().copied().find(|w| money_word(w, spanish));
            Want::Money
        }
    } else if let Some(w) = how(&["far", "deep", "tall", "high", "wide", "thick"])
        .or_else(|| has("distance").then_some("distance"))
    {
        measure = Some(w);
        Want::Distance
    } else if let Some(i) = words.windows(2).position(|x| x == ["how", "long"]) {
        measure = Some("long");
        // "How long is the bridge?" asks a length, or a time; with another
        // verb than "be", the time it goes on ("how long did the journey
        // take", "how long has he been held").
        if matches!(at(i + 2), "is" | "was" | "are" | "were") {
            Want::Length
        } else {
            Want::Duration(None)
        }
    } else if pair("how", "old") || pair("what", "age") {
        unit_words.push("old");
        Want::Duration(Some("years"))
    } else if pair("how", "hot")
        || pair("how", "cold")
        || pair("how", "warm")
        || has("temperature")
        || has("temperatures")
    {
        measure = first_of(&["temperature", "temperatures"]).or(how(&["hot", "cold", "warm"]));
        Want::Temperature
    } else if has("percentage")
        || has("percent")
        || has("%")
        || pair("what", "proportion")
        || pair("what", "share")
    {
        measure = first_of(&["percentage", "percent", "proportion", "share"]);
        Want::Percent
    } else if pair("how", "often") {
        measure = Some("often");
        Want::Times
    } else if pair("what", "year") || at(0) == "when" || pair("which", "year") {
        Want::Year
    } else if (has("what") || has("what's"))
        && (has("capacity") || has("population") || has("number"))
    {
        Want::Count
    } else if (has("what") || has("what's"))
        && words.iter().any(|w| MONEY_WORDS.contains(w))
        && (has("cost") || has("price") || has("budget") || has("fee") || has("salary"))
    {
        measure = first_of(MONEY_WORDS);
        Want::Money
    } else if let Some(adjective) = words.windows(2).find_map(|x| {
        // "How big…", "how heavy…": an adjective whose attribute is a
        // measure (WordNet: big → size) asks for it in whatever unit the
        // sources give.
        (x[0] == "how"
            && !procedural
            && words::attribute_nouns(x[1])
                .iter()
                .any(|n| words::measure_noun(n)))
        .then_some(x[1])
    }) {
        // The size of a sum of money is its amount ("how big is the fine").
        match words.iter().copied().find(|w| money_word(w, spanish)) {
            Some(money) => {
                measure = Some(money);
                Want::Money
            }
            None => {
                measure = Some(adjective);
                Want::Stated
            }
        }
    } else {
        return None;
    };

    const RATE_WORDS: &[&str] = &[
        "each", "per", "every", "daily", "annually", "yearly", "average", "apiece",
    ];
    // In Spanish, a word one of whose English words is ("anual", "cada").
    let per = words.iter().any(|w| {
        RATE_WORDS.contains(w) || spanish && crate::translate::means_one_of(w, RATE_WORDS)
    }) || words.windows(2).any(|x| {
        matches!(x[0], "a" | "an" | "one" | "single")
            && (lexicon::duration(x[1]).is_some() || matches!(x[1], "cell" | "room" | "person"))
    });
    if let Want::Duration(_) = want
        && per
    {
        // "hours a day": "day" names the rate, not a concept to match.
        for w in &words {
            if lexicon::duration(w).is_some() {
                unit_words.push(w);
            }
        }
    }
    let unit_terms = unit_words
        .iter()
        .filter_map(|w| index::analyze(w).into_iter().next())
        .collect();
    let per_terms = words
        .windows(2)
        .filter(|x| {
            matches!(
                x[0],
                "each" | "per" | "every" | "one" | "single" | "a" | "an"
            )
        })
        .filter(|x| lexicon::duration(x[1]).is_none() && !lexicon::FUNCTION_WORDS.contains(&x[1]))
        .filter(|x| x[0] != "a" && x[0] != "an" || matches!(x[1], "cell" | "room" | "person"))
        .filter_map(|x| index::analyze(x[1]).into_iter().next())
        .collect();
    // The unit named right after the opener, if any.
    let unit = words
        .iter()
        .position(|w| opens_quantity_es(w))
        .and_then(|i| phrase_unit_labelled(&noun_phrase(&words, i + 1), &mut Vec::new()))
        .map(|(_, label)| label);
    let given = given(question);
    let measure = measure.and_then(|w| index::analyze(w).into_iter().next());
    let partitive = words
        .iter()
        .position(|w| COUNT_OPENERS.contains(w))
        .is_some_and(|i| matches!(at(i + 1), "of" | "de"));
    Some(Asked {
        want,
        per,
        given,
        unit,
        unit_terms,
        per_terms,
        measure,
        spanish,
        partitive,
    })
}

/// A question for `want`, read from the sources rather than its wording
/// ([`measured_in`]).
pub fn asked_as(question: &str, want: Want) -> Asked {
    Asked {
        want,
        per: false,
        given: given(question),
        unit: None,
        unit_terms: Vec::new(),
        per_terms: Vec::new(),
        measure: None,
        spanish: crate::translate::is_spanish(question),
        partitive: false,
    }
}

/// The figures a question states, as (low, high).
fn given(question: &str) -> Vec<(f64, f64)> {
    super::mentions(question, None)
        .iter()
        .map(|m| (m.low, m.high))
        .collect()
}

/// The noun a "what is the …" question asks about: the last word of the
/// noun phrase after "what is/was the" ("What was the death toll of the
/// Halcyon Star disaster?" → "toll"). Whether it asks for a number is for
/// the sources to say ([`measured_in`]).
pub fn asked_noun(question: &str) -> Option<String> {
    let lower = question.to_lowercase();
    let words = split_keeping(&lower, '\'');
    match words.as_slice() {
        ["what's", rest @ ..] | ["what" | "whats", "is" | "was" | "are" | "were", rest @ ..] => {
            phrase_head(rest, words::lexicon())
        }
        _ => None,
    }
}

/// The words of `text`, split at every character that is neither
/// alphanumeric nor `keep`.
fn split_keeping(text: &str, keep: char) -> Vec<&str> {
    text.split(|c: char| !c.is_alphanumeric() && c != keep)
        .filter(|w| !w.is_empty())
        .collect()
}

/// The last word of the noun phrase at the start of `words`, past an article.
fn phrase_head(words: &[&str], lexicon: &words::Lexicon) -> Option<String> {
    let from = usize::from(matches!(words.first(), Some(&("the" | "a" | "an"))));
    let phrase: Vec<&str> = words[from.min(words.len())..]
        .iter()
        .take_while(|w| !lexicon.stop_word(w, Some(words::Lang::En)))
        .take(6)
        .copied()
        .collect();
    // A participle ends a clause, not a noun phrase ("what are maps used
    // for"); a measure is a noun, whatever it ends in ("speed").
    phrase
        .last()
        .filter(|w| !w.ends_with("ed") && !w.ends_with("ing") || words::measure_noun(w))
        .map(|w| w.to_string())
}

/// Words that link a noun to the figure that measures it ("toll was 1,517",
/// "capacity of 40,000", "stood at 3,000").
const LINKS: &[&str] = &[
    "is", "was", "are", "were", "of", "at", "stood", "stands", "reached", "to", "about", "around",
    "nearly", "some", "es", "fue", "era", "de", "del",
];

/// What the sources measure `noun` in, read from a sentence that states it
/// ("the real death toll was 1,517": a count): the quantity a question about
/// it asks for, when a figure stands right after the noun with at most two
/// linking words between.
pub fn measured_in(noun: &str, sentence: &str, lang: Option<words::Lang>) -> Option<Want> {
    // ASCII lower-casing keeps byte offsets, so the figures' spans hold.
    let lower = sentence.to_ascii_lowercase();
    let ms = super::mentions(sentence, lang);
    for (at, _) in lower.match_indices(noun) {
        let end = at + noun.len();
        let whole = lower[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
            && lower[end..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
        if !whole {
            continue;
        }
        let Some(m) = ms.iter().find(|m| m.start >= end) else {
            continue;
        };
        let Some(gap) = lower.get(end..m.start) else {
            continue;
        };
        let between: Vec<&str> = gap.split_whitespace().collect();
        // …or a verb of change and its "to"/"at" ("toll rose to 212",
        // "stood at"): where the noun got to.
        let changed_to = matches!(between.as_slice(), [_, "to" | "at"] | [_, _, "to" | "at"]);
        if !changed_to && (between.len() > 2 || between.iter().any(|w| !LINKS.contains(w))) {
            continue;
        }
        return Some(match &m.unit {
            Unit::People | Unit::Thing(_) | Unit::Bare => Want::Count,
            Unit::Money(_) => Want::Money,
            Unit::Percent => Want::Percent,
            Unit::Duration(_) => Want::Duration(None),
            Unit::Distance(..) => Want::Distance,
            Unit::Area(..) => Want::Area,
            Unit::Temperature(_) => Want::Temperature,
            Unit::Measure(d, ..) => Want::Measure(*d),
            Unit::Times => Want::Times,
            _ => continue,
        });
    }
    None
}

/// The noun phrase after an opener at `from`: past a partitive ("of the",
/// "de los"), the words up to a stop word or the question's verb, at most
/// four ("how many | paid holiday days | do …").
fn noun_phrase<'a>(words: &[&'a str], from: usize) -> Vec<&'a str> {
    let lexicon = words::lexicon();
    let stop = |w: &str| lexicon.stop_word(w, None);
    let mut k = from;
    if matches!(words.get(k), Some(&("of" | "de"))) {
        while words.get(k).is_some_and(|w| stop(w)) {
            k += 1;
        }
    }
    words[k.min(words.len())..]
        .iter()
        .take_while(|w| !stop(w))
        .enumerate()
        .take_while(|(n, w)| *n == 0 || !is_verb_like(w))
        .map(|(_, w)| *w)
        .take(4)
        .collect()
}

/// What a count question counts, from the noun phrase after "how many" at
/// `i`: a unit ("cubic meters", "days"), people, times, or a thing by the
/// phrase's head noun — its last word in English ("graduate students"), its
/// first in Spanish ("personas desplazadas").
fn counted<'a>(words: &[&'a str], i: usize, spanish: bool, unit_words: &mut Vec<&'a str>) -> Want {
    let phrase = noun_phrase(words, i + 1);
    if let Some(want) = phrase_unit(&phrase, unit_words) {
        return want;
    }
    // English: the first plural ("individual libraries | make up"), else
    // the last word.
    let at = if spanish {
        0
    } else {
        phrase
            .iter()
            .position(|w| w.len() > 3 && w.ends_with('s') && !w.ends_with("ss"))
            .unwrap_or(phrase.len().saturating_sub(1))
    };
    let Some(&head) = phrase.get(at) else {
        return Want::Count;
    };
    // People when a person noun heads the phrase or comes before its head
    // and is followed by no other plural ("individual libraries" are
    // libraries; "courses must undergraduates" counts courses); in Spanish,
    // the head comes first ("botes salvavidas" are boats).
    let plural = |w: &&str| {
        w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") && !lexicon::is_person_noun(w, false)
    };
    if let Some(k) = phrase[..=at]
        .iter()
        .position(|w| lexicon::is_person_noun(w, spanish))
        && if spanish {
            k == 0
        } else {
            !phrase[k + 1..].iter().any(plural)
        }
    {
        // "How many people" names the unit only; "how many stowaways" also
        // which people, and that weighs in a figure's relevance.
        if lexicon::only_people(phrase[k], spanish) {
            unit_words.push(phrase[k]);
        }
        return Want::People;
    }
    match head {
        "times" | "veces" => Want::Times,
        w if phrase.len() == 1 && is_verb_like(w) => Want::Count,
        w => {
            unit_words.push(w);
            match index::analyze(w).into_iter().next() {
                Some(term) => Want::Thing(term),
                None => Want::Count,
            }
        }
    }
}

/// The want of a noun phrase that holds a unit of measure ("cubic meters",
/// "paid holiday days", "kilómetros"): the first unit in it.
fn phrase_unit<'a>(phrase: &[&'a str], unit_words: &mut Vec<&'a str>) -> Option<Want> {
    phrase_unit_labelled(phrase, unit_words).map(|(want, _)| want)
}

/// [`phrase_unit`], with the label of the unit found.
fn phrase_unit_labelled<'a>(
    phrase: &[&'a str],
    unit_words: &mut Vec<&'a str>,
) -> Option<(Want, String)> {
    let text = phrase.join(" ");
    let stream = Stream::new(&text);
    let (unit, at) = (0..stream.len()).find_map(|k| {
        words::lexicon()
            .unit_at(&stream, k, None)
            .map(|(u, _)| (u, k))
    })?;
    // The phrase word the unit starts in: as many words in as spaces before it.
    let first = stream.span(at, at + 1).0;
    if let Some(w) = phrase.get(text[..first].matches(' ').count()) {
        unit_words.push(w);
    }
    let unit = Unit::of(unit);
    let label = unit.label();
    Some((
        match unit {
            Unit::Duration(label) => Want::Duration(Some(label)),
            Unit::Distance(..) => Want::Distance,
            Unit::Area(..) => Want::Area,
            Unit::Temperature(_) => Want::Temperature,
            Unit::Money(_) => Want::Money,
            Unit::Percent => Want::Percent,
            Unit::Times => Want::Times,
            Unit::Measure(dimension, ..) => Want::Measure(dimension),
            _ => return None,
        },
        label,
    ))
}

fn is_verb_like(w: &str) -> bool {
    w.ends_with("ed")
        || matches!(
            w,
            "were"
                | "are"
                | "was"
                | "is"
                | "have"
                | "has"
                | "had"
                | "did"
                | "do"
                | "does"
                | "can"
                | "could"
                | "will"
                | "would"
                | "died"
                | "live"
                | "work"
                | "remain"
                | "there"
        )
}

impl Want {
    /// Is a figure in `unit` of the kind asked for (any count for "how many
    /// X", whatever it counts)?
    pub fn kind_accepts(&self, unit: &Unit) -> bool {
        match self {
            Want::People | Want::Thing(_) => Want::Count.accepts(unit),
            other => other.accepts(unit),
        }
    }

    /// Can a figure in `unit` answer this?
    pub fn accepts(&self, unit: &Unit) -> bool {
        match (self, unit) {
            (Want::People, Unit::People) => true,
            (Want::Count, Unit::People | Unit::Thing(_) | Unit::Bare) => true,
            (Want::Thing(term), Unit::Thing(noun)) => {
                let head = noun.rsplit(' ').next().unwrap_or(noun);
                index::analyze(head).first() == Some(term)
            }
            (Want::Money, Unit::Money(_)) => true,
            // "How many days" is answered by "4 weeks" too.
            (Want::Duration(_), Unit::Duration(_)) => true,
            (Want::Length, Unit::Duration(_) | Unit::Distance(..)) => true,
            (Want::Percent, Unit::Percent) => true,
            (Want::Distance, Unit::Distance(..)) => true,
            (Want::Area, Unit::Area(..)) => true,
            (Want::Temperature, Unit::Temperature(_)) => true,
            (Want::Times, Unit::Times) => true,
            (Want::Measure(a), Unit::Measure(b, ..)) => a == b,
            (Want::Amount, unit) => unit.is_quantity() && !matches!(unit, Unit::Bare),
            (Want::Year, Unit::Year) => true,
            (Want::Stated, unit) => unit.is_quantity(),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn want(q: &str) -> Option<Want> {
        asked(q).map(|a| a.want)
    }

    #[test]
    fn how_big_asks_for_the_measure_of_its_adjective_or_a_sum_of_money() {
        // big → size (WordNet): in whatever the sources give.
        assert_eq!(want("How big is the Arvale Park site?"), Some(Want::Stated));
        assert_eq!(want("How big was the crowd?"), Some(Want::Stated));
        // The size of a fine, a budget or a salary is an amount of money.
        assert_eq!(
            want("How big is the fine for the collapse?"),
            Some(Want::Money)
        );
        assert_eq!(want("How large was the budget?"), Some(Want::Money));
    }

    #[test]
    fn asking_how_to_is_no_quantity_question() {
        assert_eq!(want("how do I read a hwmon temperature sensor"), None);
        assert_eq!(
            want("How hot does it get inside the cells?"),
            Some(Want::Temperature)
        );
        assert_eq!(
            want("What temperature does water boil at?"),
            Some(Want::Temperature)
        );
    }

    #[test]
    fn a_what_question_asks_for_a_figure_when_its_sources_measure_it() {
        assert_eq!(
            asked_noun("What was the death toll of the Halcyon Star disaster?").as_deref(),
            Some("toll")
        );
        assert_eq!(
            asked_noun("what's the name of the cecot director").as_deref(),
            Some("name")
        );
        assert_eq!(asked_noun("Who built the bridge?"), None);
        let en = Some(words::Lang::En);
        assert_eq!(
            measured_in("toll", "I think the real death toll was 1,517.", en),
            Some(Want::Count)
        );
        assert_eq!(
            measured_in("cost", "The cost was $35 million in all.", en),
            Some(Want::Money)
        );
        // A figure further on, or none, says nothing about the noun.
        assert_eq!(
            measured_in(
                "toll",
                "The toll on the bridge will rise on 1 July to $4.50.",
                en
            ),
            None
        );
        assert_eq!(
            measured_in("name", "The director's name is Osiris Luna.", en),
            None
        );
        // Only linking words between the noun and the figure, or a verb
        // with the "to" of where the noun got to.
        assert_eq!(
            measured_in("capital", "The capital has 2 million residents.", en),
            None
        );
        assert_eq!(
            measured_in("toll", "By Friday the death toll had risen to 212.", en),
            Some(Want::Count)
        );
        assert_eq!(
            measured_in("toll", "The death toll rose to 212 on Friday.", en),
            Some(Want::Count)
        );
        // Letters whose lower case is longer do not shift the figure's place.
        assert_eq!(
            measured_in("toll", "İİİ toll was 1,517.", en),
            Some(Want::Count)
        );
        assert_eq!(measured_in("toll", "The toll İİ 1,517.", en), None);
        // The whole noun phrase, however long.
        assert_eq!(
            asked_noun("What was the Halcyon Star death toll?").as_deref(),
            Some("toll")
        );
        // A measure ending in "-ed" is a noun, not a participle.
        assert_eq!(
            asked_noun("What was the top speed of the Halcyon Star?").as_deref(),
            Some("speed")
        );
        assert_eq!(asked_noun("What are maps used for?"), None);
    }

    #[test]
    fn measures_are_nouns_whose_first_meaning_is_a_quantity() {
        for noun in [
            "speed",
            "toll",
            "tolls",
            "budget",
            "size",
            "salaries",
            "temperature",
        ] {
            assert!(words::measure_noun(noun), "{noun}");
        }
        // A name, a word first meaning something else, a number, a unit.
        for noun in ["name", "term", "one", "dozen", "kilogram", "export"] {
            assert!(!words::measure_noun(noun), "{noun}");
        }
    }

    #[test]
    fn a_person_noun_before_another_person_noun_still_counts_people() {
        assert_eq!(
            want("How many migrant workers were deported?"),
            Some(Want::People)
        );
        assert_eq!(
            want("How many individual libraries are there?"),
            Some(Want::Thing("librari".into()))
        );
    }

    #[test]
    fn questions_are_classified() {
        for (q, w) in [
            (
                "How many people were deported to CECOT?",
                Some(Want::People),
            ),
            ("how many were deported to CECOT?", Some(Want::Count)),
            (
                "How many of the deported men had no criminal record?",
                Some(Want::People),
            ),
            (
                "How many hours a day do prisoners spend locked up?",
                Some(Want::Duration(Some("hours"))),
            ),
            (
                "How many times had the Act been used before?",
                Some(Want::Times),
            ),
            (
                "How many moons does Jupiter have?",
                Some(Want::Thing("moon".into())),
            ),
            (
                "How much is the United States paying El Salvador?",
                Some(Want::Money),
            ),
            (
                "How much does the prison system cost each year?",
                Some(Want::Money),
            ),
            ("How much space does each prisoner have?", Some(Want::Area)),
            ("How far is CECOT from San Salvador?", Some(Want::Distance)),
            ("How deep is the lake?", Some(Want::Distance)),
            ("How long is the bridge?", Some(Want::Length)),
            (
                "How long did the crossing take?",
                Some(Want::Duration(None)),
            ),
            (
                "How hot does it get inside the cells?",
                Some(Want::Temperature),
            ),
            (
                "What percentage of deportees had no record?",
                Some(Want::Percent),
            ),
            ("What is the capacity of CECOT?", Some(Want::Count)),
            ("How old is Andry?", Some(Want::Duration(Some("years")))),
            ("When did CECOT open?", Some(Want::Year)),
            (
                "How many paid holiday days do most member states require?",
                Some(Want::Duration(Some("days"))),
            ),
            (
                "How many graduate students does Harvard have?",
                Some(Want::People),
            ),
            (
                "About how many cubic meters of water does the plant use?",
                Some(Want::Measure(Dimension::Volume)),
            ),
            (
                "How much of Afghanistan did the Taliban take over?",
                Some(Want::Percent),
            ),
            (
                "How much turbine power does the pump consume?",
                Some(Want::Amount),
            ),
            ("By how much did the toll rise?", Some(Want::Amount)),
            // A Spanish verb is read through its English words ("cost").
            ("¿Cuánto costó el puente?", Some(Want::Money)),
            ("¿Cuánto subió el peaje?", Some(Want::Amount)),
            ("¿Cuántas veces se usó la ley?", Some(Want::Times)),
            ("Where is CECOT located?", None),
            ("Who is Andry Hernández Romero?", None),
            ("What is the Alien Enemies Act?", None),
        ] {
            assert_eq!(want(q), w, "{q}");
        }
    }

    #[test]
    fn what_a_rate_is_per() {
        assert_eq!(
            asked("How many inmates are kept in one cell?")
                .unwrap()
                .per_terms,
            vec!["cell"]
        );
        assert_eq!(
            asked("How much space does each prisoner have?")
                .unwrap()
                .per_terms,
            vec!["prison"]
        );
        assert!(
            asked("How much does it cost each year?")
                .unwrap()
                .per_terms
                .is_empty()
        );
        assert!(
            asked("How many hours a day are they locked in?")
                .unwrap()
                .per_terms
                .is_empty()
        );
    }

    #[test]
    fn rates_are_noticed() {
        assert!(
            asked("How many hours a day are they locked in?")
                .unwrap()
                .per
        );
        assert!(asked("How many inmates are kept in one cell?").unwrap().per);
        assert!(
            asked("How much does the prison system cost each year?")
                .unwrap()
                .per
        );
        assert!(
            !asked("How much is the U.S. paying El Salvador?")
                .unwrap()
                .per
        );
        assert!(!asked("How many people can CECOT hold?").unwrap().per);
        assert!(
            !asked("How many people were killed on March 26, 2022?")
                .unwrap()
                .per
        );
    }
}
