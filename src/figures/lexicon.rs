//! English word lists around figures that are not yet data files: number
//! words (for answer kinds in segmentation), nouns for people, count units,
//! function words, months, rate words, and the duration and distance words
//! that question analysis reads. General English, never tied to a corpus.
//! Numbers, units and qualifiers themselves are read from `words/`.

/// English cardinal number words.
pub const NUMBER_WORDS: &[&str] = &[
    "zero",
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
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "thousand",
    "million",
    "billion",
    "trillion",
];

/// Does `word` (lower case) name people ([`super::words::counts_people`]),
/// or, in Spanish, a word whose first English word does, or most of them
/// ("personas", "habitantes"; not "autobuses": bus, coach, omnibus)?
pub fn is_person_noun(word: &str, spanish: bool) -> bool {
    use super::words::counts_people;
    if counts_people(word) {
        return true;
    }
    if !spanish {
        return false;
    }
    let english = crate::translate::english(word);
    let people = english.iter().filter(|e| counts_people(e)).count();
    english.first().is_some_and(|e| counts_people(e)) || 2 * people > english.len()
}

/// Does a person noun say no more than that people are counted ("people",
/// "personas"), rather than which ("stowaways")? Only then is it the unit,
/// not part of which quantity is asked.
pub fn only_people(word: &str, spanish: bool) -> bool {
    let generic = |w: &str| super::words::person_noun(w) == Some(true);
    generic(word)
        || spanish
            && crate::translate::english(word)
                .first()
                .is_some_and(|e| generic(e))
}

/// Units that are counted like things and head their phrase ("an 8 byte
/// field" counts bytes, not fields).
#[rustfmt::skip]
pub const COUNT_UNITS: &[&str] = &[
    "byte", "bytes", "bit", "bits", "kb", "mb", "gb", "tb", "kib", "mib", "gib", "tib",
    "kilobytes", "megabytes", "gigabytes", "terabytes", "pixel", "pixels", "page", "pages",
    "character", "characters", "word", "words", "line", "lines", "sector", "sectors", "block",
    "blocks", "core", "cores", "thread", "threads", "cpu", "cpus", "slot", "slots", "entry",
    "entries", "item", "items", "step", "steps", "level", "levels", "bed", "beds", "cell",
    "cells", "room", "rooms", "floor", "floors", "vote", "votes", "seat", "seats",
];

/// Words after which a following noun is not what a number counts, and
/// verbs that show a number stands alone ("179 had no record").
pub const FUNCTION_WORDS: &[&str] = &[
    "a",
    "an",
    "the",
    "of",
    "to",
    "in",
    "on",
    "at",
    "by",
    "for",
    "from",
    "with",
    "without",
    "and",
    "or",
    "but",
    "nor",
    "as",
    "than",
    "that",
    "which",
    "who",
    "whom",
    "whose",
    "this",
    "these",
    "those",
    "it",
    "its",
    "they",
    "them",
    "their",
    "he",
    "she",
    "his",
    "her",
    "we",
    "our",
    "you",
    "your",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "has",
    "have",
    "had",
    "do",
    "does",
    "did",
    "will",
    "would",
    "can",
    "could",
    "may",
    "might",
    "must",
    "shall",
    "should",
    "said",
    "says",
    "per",
    "each",
    "every",
    "into",
    "onto",
    "over",
    "under",
    "about",
    "after",
    "before",
    "during",
    "since",
    "until",
    "while",
    "when",
    "where",
    "if",
    "so",
    "not",
    "no",
    "more",
    "less",
    "most",
    "least",
    "only",
    "also",
    "then",
    "there",
    "here",
    "out",
    "up",
    "down",
    "off",
    "all",
    "both",
    "either",
    "such",
    "other",
    "another",
    "some",
    "any",
    "many",
    "much",
    "few",
    "several",
    "later",
    "earlier",
    "ago",
    "again",
    "already",
    "still",
    "yet",
    "even",
    "just",
    "including",
    "among",
    "between",
    "through",
    "across",
    "against",
    "toward",
    "towards",
    "within",
    "via",
];

pub const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

/// Spanish month names: a day by one is a day only in Spanish text ("Mayo"
/// and "Julio" are names in English).
pub const MONTHS_ES: &[&str] = &[
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "setiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

/// Words that mean the figure is a rate per unit of time or per item.
pub const PER_WORDS: &[&str] = &[
    "daily", "annually", "yearly", "monthly", "weekly", "hourly", "each", "apiece", "nightly",
];

/// Duration units: the word (singular or plural) → the unit label.
pub fn duration(word: &str) -> Option<&'static str> {
    Some(match word {
        "second" | "seconds" | "sec" | "secs" => "seconds",
        "minute" | "minutes" | "min" | "mins" => "minutes",
        "hour" | "hours" | "hr" | "hrs" => "hours",
        "day" | "days" => "days",
        "week" | "weeks" => "weeks",
        "month" | "months" => "months",
        "year" | "years" | "yr" | "yrs" => "years",
        "decade" | "decades" => "decades",
        "century" | "centuries" => "centuries",
        _ => return None,
    })
}
