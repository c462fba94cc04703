//! The language of a text and the word lists for reading its figures: number
//! words, units and currencies, qualifiers. The lists are the data files in
//! `src/figures/words/` (each says where it came from), compiled in and read
//! once.
//!
//! Boundary: lookups only. Reading numbers is `number`; putting numbers,
//! units and qualifiers together is `extract`.

use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use super::extract::Qualifier;
use super::tokens::{Kind, Stream, tokenize};

/// The language a document is written in, for reading its figures:
/// decimal and group separators, and number words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Lang {
    #[serde(rename = "en")]
    En,
    #[serde(rename = "es")]
    Es,
}

impl Lang {
    /// From an ISO 639 code ("en", "es", "en-GB", "spa").
    pub fn from_code(code: &str) -> Option<Lang> {
        let code = code.trim().to_ascii_lowercase();
        let base = code.split(['-', '_']).next().unwrap_or("");
        match base {
            "en" | "eng" | "english" => Some(Lang::En),
            "es" | "spa" | "spanish" | "español" => Some(Lang::Es),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// The language a text is written in, when it is clearly one this
    /// module reads (detected by `whatlang`'s trigram profiles).
    pub fn detect(text: &str) -> Option<Lang> {
        let info = whatlang::detect(text)?;
        if !info.is_reliable() {
            return None;
        }
        match info.lang() {
            whatlang::Lang::Eng => Some(Lang::En),
            // Trigrams of a few Latin words amid another script ("WARN_ONCE"
            // and paths in a Chinese page) can look Spanish: Spanish text
            // also has more Spanish function words than English ones.
            whatlang::Lang::Spa if crate::translate::is_spanish(text) => Some(Lang::Es),
            _ => None,
        }
    }
}

/// What a number word does in a number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Role {
    /// A cardinal added to the number ("seven", "doscientos").
    Card,
    /// Multiplies the part before it by 100.
    Hundred,
    /// Closes a group ("thousand", "millones").
    Scale,
    /// Multiplies the last part by 12.
    Dozen,
    /// A fraction's denominator, singular ("third") or plural ("thirds").
    Den { plural: bool },
    /// One half, with no numerator ("half a dozen").
    Half,
    /// A decimal point in words.
    Point,
    /// Makes the number negative.
    Neg,
    /// Joins parts ("hundred and six", "cincuenta y dos").
    And,
    /// An article that counts one before a multiplier ("a hundred").
    One,
    /// A ratio ("one over three").
    Over,
    /// A ratio of a part to a larger whole ("one in five", "two out of five").
    OutOf,
    /// A number of times in one word ("twice").
    Times,
    /// An indefinite count of the multiplier after it ("several hundred");
    /// no number alone.
    Few,
    /// Tens of the plural multiplier after it ("tens of thousands").
    Tens,
}

#[derive(Debug, Clone, Copy)]
pub struct NumberWord {
    pub role: Role,
    pub value: f64,
}

/// What a unit measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dimension {
    Length,
    Area,
    Volume,
    Mass,
    Duration,
    Temperature,
    Speed,
    Energy,
    Power,
    Data,
    Angle,
    Frequency,
    Pressure,
    Money,
    Percent,
    Times,
}

impl Dimension {
    pub const ALL: [Dimension; 16] = [
        Dimension::Length,
        Dimension::Area,
        Dimension::Volume,
        Dimension::Mass,
        Dimension::Duration,
        Dimension::Temperature,
        Dimension::Speed,
        Dimension::Energy,
        Dimension::Power,
        Dimension::Data,
        Dimension::Angle,
        Dimension::Frequency,
        Dimension::Pressure,
        Dimension::Money,
        Dimension::Percent,
        Dimension::Times,
    ];

    fn parse(s: &str) -> Option<(Dimension, bool)> {
        Some(match s {
            "length" => (Dimension::Length, false),
            "area" => (Dimension::Area, false),
            "volume" => (Dimension::Volume, false),
            "mass" => (Dimension::Mass, false),
            "duration" => (Dimension::Duration, false),
            "temperature" => (Dimension::Temperature, false),
            "speed" => (Dimension::Speed, false),
            "energy" => (Dimension::Energy, false),
            "power" => (Dimension::Power, false),
            "data" => (Dimension::Data, false),
            "angle" => (Dimension::Angle, false),
            "frequency" => (Dimension::Frequency, false),
            "pressure" => (Dimension::Pressure, false),
            "money" => (Dimension::Money, false),
            "money-before" => (Dimension::Money, true),
            "percent" => (Dimension::Percent, false),
            "times" => (Dimension::Times, false),
            _ => return None,
        })
    }

    /// Its bit in a set of measures ([`super::measure_kinds`]).
    pub fn kind(self) -> u64 {
        1 << (self as u32)
    }

    pub fn name(self) -> &'static str {
        match self {
            Dimension::Length => "length",
            Dimension::Area => "area",
            Dimension::Volume => "volume",
            Dimension::Mass => "mass",
            Dimension::Duration => "duration",
            Dimension::Temperature => "temperature",
            Dimension::Speed => "speed",
            Dimension::Energy => "energy",
            Dimension::Power => "power",
            Dimension::Data => "data",
            Dimension::Angle => "angle",
            Dimension::Frequency => "frequency",
            Dimension::Pressure => "pressure",
            Dimension::Money => "money",
            Dimension::Percent => "percent",
            Dimension::Times => "times",
        }
    }
}

/// A unit as it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitWord {
    /// The surface's tokens (lower case unless `exact`).
    tokens: Vec<String>,
    /// For each token after the first, whether it touches the one before
    /// ("km2" must be written together; "sq mi" apart or not).
    glued: Vec<bool>,
    exact: bool,
    lang: Option<Lang>,
    pub dimension: Dimension,
    /// How it is shown ("km", "°C", "USD").
    pub label: &'static str,
    /// Its size in the dimension's base unit (metres, kilograms, seconds, …;
    /// for money, the currency's main unit: 0.01 for cents).
    pub factor: f64,
}

#[derive(Debug, Clone)]
struct QualifierWords {
    tokens: Vec<String>,
    lang: Option<Lang>,
    qualifier: Qualifier,
    after: bool,
}

pub struct Lexicon {
    numbers: FxHashMap<(Lang, String), NumberWord>,
    /// Units written after a number, longest first.
    units_after: Vec<UnitWord>,
    /// Currency symbols and codes written before a number, longest first.
    units_before: Vec<UnitWord>,
    qualifiers: Vec<QualifierWords>,
    /// The first token of every unit written after a number and the last of
    /// every currency written before one, lower case: a quick test before
    /// the full match.
    unit_edges: FxHashSet<String>,
    /// For each first token (lower case), the units after a number that
    /// start with it, as indexes into `units_after`, longest first.
    units_by_first: FxHashMap<String, Vec<usize>>,
    /// The first and the last token of every qualifier, lower case: the
    /// same quick test for qualifiers.
    qualifier_edges: FxHashSet<String>,
    /// Snowball's stop words of both languages, lower case.
    stop: [(Lang, FxHashSet<&'static str>); 2],
}

const NUMBERS: &str = include_str!("words/numbers.tsv");
const UNITS: &str = include_str!("words/units.tsv");
const QUALIFIERS: &str = include_str!("words/qualifiers.tsv");
const STOP_EN: &str = include_str!("words/stop-en.txt");
const STOP_ES: &str = include_str!("words/stop-es.txt");

const ATTRIBUTES: &str = include_str!("words/attributes.tsv");

/// The nouns of the attribute an English adjective values ("long": length,
/// duration; "tall": stature, height), from WordNet 3.0
/// (`words/attributes.tsv`, written by `tools/lexicon/attributes.py`).
pub fn attribute_nouns(adjective: &str) -> &'static [&'static str] {
    static MAP: OnceLock<FxHashMap<&'static str, Vec<&'static str>>> = OnceLock::new();
    MAP.get_or_init(|| {
        rows(ATTRIBUTES)
            .filter(|r| r.len() == 2)
            .map(|r| (r[0], r[1].split(',').collect()))
            .collect()
    })
    .get(adjective)
    .map_or(&[], Vec::as_slice)
}

/// The adjectives that value an attribute noun ("height": high, little,
/// low, short, tall), from the same table as [`attribute_nouns`].
pub fn attribute_adjectives(noun: &str) -> &'static [&'static str] {
    static MAP: OnceLock<FxHashMap<&'static str, Vec<&'static str>>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map: FxHashMap<&'static str, Vec<&'static str>> = FxHashMap::default();
        for r in rows(ATTRIBUTES).filter(|r| r.len() == 2) {
            for noun in r[1].split(',') {
                map.entry(noun).or_default().push(r[0]);
            }
        }
        map
    })
    .get(noun)
    .map_or(&[], Vec::as_slice)
}

/// The other adjectives that value the same attribute as `adjective` and
/// on its side of it ("tall": high, for the height in "a 48-metre-high
/// dam"): not its opposites ("short"), and of two opposites of each other
/// ("high", "low") the one the model puts nearer to it.
pub fn same_side_adjectives(adjective: &str) -> Vec<&'static str> {
    let stem = |w: &str| {
        crate::index::analyze(w)
            .into_iter()
            .next()
            .unwrap_or_default()
    };
    let own = stem(adjective);
    let opposed = |a: &str, b: &str| opposite(&stem(a), &stem(b));
    let mut others: Vec<&'static str> = attribute_nouns(adjective)
        .iter()
        .flat_map(|noun| attribute_adjectives(noun))
        .copied()
        .filter(|a| stem(a) != own && !opposed(adjective, a))
        .collect();
    others.sort_unstable();
    others.dedup();
    let model = crate::semantic::model();
    let near = |a: &str| model.similarity(adjective, a);
    others
        .iter()
        .copied()
        .filter(|a| !others.iter().any(|b| opposed(a, b) && near(b) > near(a)))
        .collect()
}

const NAMES: &str = include_str!("words/names.tsv");

/// For an English word whose first meaning is a proper name ("brazil",
/// "uk", "mandela"), the other one-word names of that meaning ("britain");
/// `None` for any other word. From WordNet 3.0 (`words/names.tsv`, written
/// by `tools/lexicon/names.py`).
pub fn name_aliases(word: &str) -> Option<&'static [&'static str]> {
    static MAP: OnceLock<FxHashMap<&'static str, Vec<&'static str>>> = OnceLock::new();
    MAP.get_or_init(|| {
        rows(NAMES)
            .map(|r| {
                let aliases = r.get(1).map_or(Vec::new(), |a| {
                    a.split(',').filter(|w| !w.is_empty()).collect()
                });
                (r[0], aliases)
            })
            .collect()
    })
    .get(word)
    .map(Vec::as_slice)
}

const ANTONYMS: &str = include_str!("words/antonyms.tsv");

/// Are two analyzed terms of opposite meaning ("surviv" and "die", "rise"
/// and "fall")? From WordNet 3.0 (`words/antonyms.tsv`, written by
/// `tools/lexicon/antonyms.py`), compared by stem. The pairs are kept as
/// 64-bit hashes (some 41,000 of them): a chance collision costs one model
/// neighbour, not a wrong quote.
pub fn opposite(a: &str, b: &str) -> bool {
    static PAIRS: OnceLock<FxHashSet<u64>> = OnceLock::new();
    let pair = |a: &str, b: &str| {
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        let mut h = rustc_hash::FxHasher::default();
        std::hash::Hash::hash(&(a, b), &mut h);
        std::hash::Hasher::finish(&h)
    };
    PAIRS
        .get_or_init(|| {
            let stem = |w: &str| crate::index::analyze(w).into_iter().next();
            let mut pairs = FxHashSet::default();
            for r in rows(ANTONYMS) {
                let Some(word) = stem(r[0]) else { continue };
                for other in r.get(1).copied().unwrap_or("").split(',').filter_map(stem) {
                    pairs.insert(pair(&word, &other));
                }
            }
            pairs
        })
        .contains(&pair(a, b))
}

const PERSONS: &str = include_str!("words/persons.txt");

/// For an English noun (lower case) that counts people ("passengers",
/// "grandchildren", "firefighters"), whether it says no more than that
/// ("people", "individuals"); `None` for any other word. From WordNet 3.0
/// (`words/persons.txt`, written by `tools/lexicon/persons.py`).
pub fn person_noun(word: &str) -> Option<bool> {
    static MAP: OnceLock<FxHashMap<&'static str, bool>> = OnceLock::new();
    MAP.get_or_init(|| {
        rows(PERSONS)
            .map(|r| (r[0], r.get(1) == Some(&"1")))
            .collect()
    })
    .get(word)
    .copied()
}

/// Does an English noun (lower case) count people ([`person_noun`])?
pub fn counts_people(word: &str) -> bool {
    person_noun(word).is_some()
}

/// The words of a one-word-a-line data file, read into `cell` on first use.
fn word_set(
    cell: &'static OnceLock<FxHashSet<&'static str>>,
    data: &'static str,
) -> &'static FxHashSet<&'static str> {
    cell.get_or_init(|| rows(data).map(|r| r[0]).collect())
}

const INTRANSITIVE: &str = include_str!("words/intransitive.txt");

/// Is an English word (lower case) the past tense of a verb that never
/// takes an object ("died", "arrived")? After a count it is the count's own
/// verb, never a participle describing the noun. From WordNet 3.0's verb
/// frames (`words/intransitive.txt`, written by
/// `tools/lexicon/intransitive.py`).
pub fn intransitive_past(word: &str) -> bool {
    static SET: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    word_set(&SET, INTRANSITIVE).contains(word)
}

const STATIVE: &str = include_str!("words/stative.txt");

/// Is an English word (lower case) the "-ing" or "-ed" form of a verb whose
/// first meaning is a state or relation ("comprising", "including",
/// "totalled"), not an event? From WordNet 3.0's verb.stative file
/// (`words/stative.txt`, written by `tools/lexicon/stative.py`).
pub fn stative_form(word: &str) -> bool {
    static SET: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    word_set(&SET, STATIVE).contains(word)
}

const REPORTING: &str = include_str!("words/reporting.txt");

/// Is an English word (lower case) the "-ing" or "-ed" form of a verb whose
/// first meaning is one of telling or knowing ("recorded", "estimated",
/// "reported"): who told or counted a figure, not an event that happened
/// to what it counts? From WordNet 3.0's verb.communication and
/// verb.cognition files (`words/reporting.txt`, written by
/// `tools/lexicon/reporting.py`).
pub fn reporting_form(word: &str) -> bool {
    static SET: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    word_set(&SET, REPORTING).contains(word)
}

const LINKING: &str = include_str!("words/linking.txt");

/// Is an English verb (lower case, base form) one that WordNet 3.0 gives a
/// frame with an adjective after it ("get", "become", "stay": "the water
/// gets warm")? From `words/linking.txt`, written by
/// `tools/lexicon/linking.py`.
pub fn linking_verb(word: &str) -> bool {
    static SET: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    word_set(&SET, LINKING).contains(word)
}

const MEASURES: &str = include_str!("words/measures.txt");

/// Is an English noun (lower case, singular or plural) one whose first
/// meaning is a magnitude, measure, rate, price or cost ("size", "speed",
/// "toll", "budgets")? A "what is the …" question about it asks for a
/// number. From WordNet 3.0 (`words/measures.txt`, written by
/// `tools/lexicon/measures.py`).
pub fn measure_noun(word: &str) -> bool {
    static SET: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    let set = word_set(&SET, MEASURES);
    set.contains(word)
        || word
            .strip_suffix("ies")
            .is_some_and(|stem| set.contains(format!("{stem}y").as_str()))
        || word.strip_suffix('s').is_some_and(|w| set.contains(w))
}

/// Snowball's stop words of a language, lower case.
pub fn stop_words(lang: Lang) -> impl Iterator<Item = &'static str> {
    let data = match lang {
        Lang::En => STOP_EN,
        Lang::Es => STOP_ES,
    };
    data.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::trim)
}

/// The rows of a data file: tab-separated, `#` comments.
fn rows(data: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    data.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
}

fn lang_of(code: &str) -> Option<Lang> {
    if code == "*" {
        None
    } else {
        Lang::from_code(code)
    }
}

fn surface_glue(surface: &str) -> Vec<bool> {
    tokenize(surface)
        .windows(2)
        .map(|w| w[0].end == w[1].start)
        .collect()
}

fn surface_tokens(surface: &str, exact: bool) -> Vec<String> {
    tokenize(surface)
        .iter()
        .map(|t| {
            let s = &surface[t.start..t.end];
            if exact {
                s.to_string()
            } else {
                s.to_lowercase()
            }
        })
        .collect()
}

pub fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let mut numbers = FxHashMap::default();
        for row in rows(NUMBERS) {
            let [lang, word, role, value] = row[..] else {
                panic!("numbers.tsv: bad row {row:?}");
            };
            let role = match role {
                "card" => Role::Card,
                "hundred" => Role::Hundred,
                "scale" => Role::Scale,
                "dozen" => Role::Dozen,
                "den" => Role::Den { plural: false },
                "dens" => Role::Den { plural: true },
                "half" => Role::Half,
                "point" => Role::Point,
                "neg" => Role::Neg,
                "and" => Role::And,
                "one" => Role::One,
                "over" => Role::Over,
                "outof" => Role::OutOf,
                "times" => Role::Times,
                "few" => Role::Few,
                "tens" => Role::Tens,
                other => panic!("numbers.tsv: unknown role {other}"),
            };
            let value: f64 = value.parse().expect("numbers.tsv: value");
            let lang = Lang::from_code(lang).expect("numbers.tsv: language");
            numbers.insert((lang, word.to_string()), NumberWord { role, value });
        }
        let mut units_after = Vec::new();
        let mut units_before = Vec::new();
        for row in rows(UNITS) {
            let [lang, surface, kind, label, factor] = row[..] else {
                panic!("units.tsv: bad row {row:?}");
            };
            let (dimension, before) = Dimension::parse(kind).expect("units.tsv: kind");
            // Capitals make a symbol ("L", "MB"), except in currency marks
            // written before an amount ("C $", "US$"), which read in any case.
            let exact = !before && surface.chars().any(char::is_uppercase);
            let unit = UnitWord {
                tokens: surface_tokens(surface, exact),
                glued: surface_glue(surface),
                exact,
                lang: lang_of(lang),
                dimension,
                label,
                factor: factor.parse().expect("units.tsv: factor"),
            };
            if before {
                units_before.push(unit);
            } else {
                units_after.push(unit);
            }
        }
        units_after.sort_by_key(|u| std::cmp::Reverse(u.tokens.len()));
        units_before.sort_by_key(|u| std::cmp::Reverse(u.tokens.len()));
        let mut qualifiers: Vec<QualifierWords> = rows(QUALIFIERS)
            .map(|row| {
                let [lang, phrase, qualifier, place] = row[..] else {
                    panic!("qualifiers.tsv: bad row {row:?}");
                };
                QualifierWords {
                    tokens: surface_tokens(phrase, false),
                    lang: lang_of(lang),
                    qualifier: Qualifier::parse(qualifier).expect("qualifiers.tsv: qualifier"),
                    after: place == "after",
                }
            })
            .collect();
        qualifiers.sort_by_key(|q| std::cmp::Reverse(q.tokens.len()));
        let stop = [
            (Lang::En, stop_words(Lang::En).collect()),
            (Lang::Es, stop_words(Lang::Es).collect()),
        ];
        let unit_edges = units_after
            .iter()
            .filter_map(|u| u.tokens.first())
            .chain(units_before.iter().filter_map(|u| u.tokens.last()))
            .map(|t| t.to_lowercase())
            .collect();
        let qualifier_edges = qualifiers
            .iter()
            .flat_map(|q| q.tokens.first().into_iter().chain(q.tokens.last()))
            .map(|t| t.to_lowercase())
            .collect();
        let mut units_by_first: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (k, u) in units_after.iter().enumerate() {
            if let Some(first) = u.tokens.first() {
                units_by_first
                    .entry(first.to_lowercase())
                    .or_default()
                    .push(k);
            }
        }
        Lexicon {
            numbers,
            unit_edges,
            units_by_first,
            qualifier_edges,
            units_after,
            units_before,
            qualifiers,
            stop,
        }
    })
}

/// Is `written` a misspelling of the listed word `listed` ("celcius",
/// "aproximately"): a word of at least `MIN_MISSPELT` letters that the word
/// model does not know, one edit (a letter added, dropped, changed, or two
/// swapped) from it?
/// Shorter words are too often other words one letter away.
const MIN_MISSPELT: usize = 6;

/// Can `written` (lower case) be a listed word misspelt ([`misspelt`]): an
/// unknown word of letters, long enough?
fn may_be_misspelt(written: &str) -> bool {
    written.chars().count() + 1 >= MIN_MISSPELT
        && written.chars().all(char::is_alphabetic)
        && !crate::semantic::model().knows(written)
}

fn misspelt(written: &str, listed: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (written.chars().collect(), listed.chars().collect());
    if b.len() < MIN_MISSPELT
        || a.len().abs_diff(b.len()) > 1
        || !a.iter().all(|c| c.is_alphabetic())
    {
        return false;
    }
    one_edit_apart(&a, &b) && !crate::semantic::model().knows(written)
}

fn one_edit_apart(a: &[char], b: &[char]) -> bool {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    match a.len().cmp(&b.len()) {
        std::cmp::Ordering::Equal => {
            a[1..] == b[1..] || (a.len() >= 2 && a[0] == b[1] && a[1] == b[0] && a[2..] == b[2..])
        }
        std::cmp::Ordering::Less => a == &b[1..],
        std::cmp::Ordering::Greater => &a[1..] == b,
    }
}

/// Does `lang` (of the text) admit a word list entry for `entry`?
fn admits(text: Option<Lang>, entry: Option<Lang>) -> bool {
    match (entry, text) {
        (None, _) => true,
        (Some(e), Some(t)) => e == t,
        // A text of unknown language reads English words.
        (Some(e), None) => e == Lang::En,
    }
}

impl Lexicon {
    /// Is `word` (lower case) a stop word — a function word that carries no
    /// content — in `lang` (either language when unknown)?
    /// Does the generic currency name `generic` ("peso") name the currency
    /// `code` ("MXN") too? Yes when a listed surface for `code` holds the
    /// name ("mexican pesos").
    pub fn currency_of_family(&self, generic: &str, code: &str) -> bool {
        self.units_after.iter().any(|u| {
            u.dimension == Dimension::Money
                && u.label == code
                && u.tokens.iter().any(|t| t.starts_with(generic))
        })
    }

    /// The one-word cardinals of English and Spanish worth `value`
    /// ("twelve", "doce" for 12): how a small count may be written.
    pub fn cardinal_words(&self, value: f64) -> impl Iterator<Item = &str> {
        self.numbers
            .iter()
            .filter(move |(_, n)| n.role == Role::Card && n.value == value)
            .map(|((_, word), _)| word.as_str())
    }

    pub fn stop_word(&self, word: &str, lang: Option<Lang>) -> bool {
        self.stop
            .iter()
            .any(|(l, set)| lang.is_none_or(|lang| lang == *l) && set.contains(word))
    }

    /// The number word at token `i` in the text's language (a word may be
    /// two tokens: "out of"), with the token after it.
    pub fn number(&self, st: &Stream, i: usize, lang: Option<Lang>) -> Option<(NumberWord, usize)> {
        if !st.is(i, Kind::Word) {
            return None;
        }
        let lang = lang.unwrap_or(Lang::En);
        if st.is(i + 1, Kind::Word) {
            let two = format!("{} {}", st.lower(i), st.lower(i + 1));
            if let Some(w) = self.numbers.get(&(lang, two)) {
                return Some((*w, i + 2));
            }
        }
        self.numbers
            .get(&(lang, st.lower(i).into_owned()))
            .map(|w| (*w, i + 1))
    }

    /// Does the unit stand at token `i`, its glued tokens glued?
    fn unit_matches(st: &Stream, i: usize, u: &UnitWord) -> bool {
        Self::matches(st, i, &u.tokens, u.exact)
            && u.glued
                .iter()
                .enumerate()
                .all(|(k, g)| !g || st.glued(i + k, i + k + 1))
    }

    /// Does the phrase (lower-case tokens) stand at token `i`?
    fn matches(st: &Stream, i: usize, tokens: &[String], exact: bool) -> bool {
        tokens.iter().enumerate().all(|(k, t)| {
            if exact {
                st.s(i + k) == t
            } else {
                let written = st.lower(i + k);
                written == t.as_str() || misspelt(&written, t)
            }
        })
    }

    /// Can a unit start at this token, or a currency written before a
    /// number end at it (spelt as listed, any case)?
    pub fn unit_edge(&self, token: &str) -> bool {
        self.unit_edges.contains(token)
    }

    /// Can a listed phrase have token `i` at its edge (`edges`)? Spelt as
    /// listed, or perhaps misspelt ([`misspelt`]: an unknown word of
    /// letters): a quick test that spares the scan of every listed phrase.
    fn at_edge(edges: &FxHashSet<String>, st: &Stream, i: usize) -> bool {
        let written = st.lower(i);
        edges.contains(written.as_ref()) || may_be_misspelt(&written)
    }

    /// The longest unit written at token `i`, with the token after it.
    pub fn unit_at(&self, st: &Stream, i: usize, lang: Option<Lang>) -> Option<(&UnitWord, usize)> {
        if i >= st.len() {
            return None;
        }
        let fits = |u: &&UnitWord| admits(lang, u.lang) && Self::unit_matches(st, i, u);
        // The units that start with the token as written; then any, for a
        // word that may be a misspelt one ("grados" is listed: not "gramos"
        // misspelt). No scan of every unit otherwise.
        let written = st.lower(i);
        let listed = self
            .units_by_first
            .get(written.as_ref())
            .and_then(|ks| ks.iter().map(|&k| &self.units_after[k]).find(fits));
        let found = match listed {
            Some(u) => Some(u),
            None if may_be_misspelt(&written) => self.units_after.iter().find(fits),
            None => None,
        };
        found.map(|u| (u, i + u.tokens.len()))
    }

    /// A currency written before a number that starts at token `i`, with the
    /// token where it starts.
    pub fn currency_before(
        &self,
        st: &Stream,
        i: usize,
        lang: Option<Lang>,
    ) -> Option<(&UnitWord, usize)> {
        if i == 0 || i > st.len() || !Self::at_edge(&self.unit_edges, st, i - 1) {
            return None;
        }
        self.units_before.iter().find_map(|u| {
            let n = u.tokens.len();
            let from = i.checked_sub(n)?;
            (admits(lang, u.lang) && Self::unit_matches(st, from, u)).then_some((u, from))
        })
    }

    /// A qualifier that ends right before token `i`, with the token where it starts.
    pub fn qualifier_before(
        &self,
        st: &Stream,
        i: usize,
        lang: Option<Lang>,
    ) -> Option<(Qualifier, usize)> {
        if i == 0 || i > st.len() || !Self::at_edge(&self.qualifier_edges, st, i - 1) {
            return None;
        }
        self.qualifiers.iter().find_map(|q| {
            let n = q.tokens.len();
            let from = i.checked_sub(n)?;
            (!q.after && admits(lang, q.lang) && Self::matches(st, from, &q.tokens, false))
                .then_some((q.qualifier, from))
        })
    }

    /// A qualifier written right after a figure ("200 or more"), with the token after it.
    pub fn qualifier_after(
        &self,
        st: &Stream,
        i: usize,
        lang: Option<Lang>,
    ) -> Option<(Qualifier, usize)> {
        if i >= st.len() || !Self::at_edge(&self.qualifier_edges, st, i) {
            return None;
        }
        self.qualifiers
            .iter()
            .find(|q| q.after && admits(lang, q.lang) && Self::matches(st, i, &q.tokens, false))
            .map(|q| (q.qualifier, i + q.tokens.len()))
    }
}

impl UnitWord {
    pub fn token_count(&self) -> usize {
        self.tokens.len()
    }
}

impl Lexicon {
    /// A currency by its ISO 4217 code ("USD").
    pub fn currency_code(&self, code: &str) -> Option<&UnitWord> {
        let code = code.to_lowercase();
        self.units_after.iter().find(|u| {
            u.dimension == Dimension::Money
                && u.factor == 1.0
                && u.tokens.len() == 1
                && u.tokens[0] == code
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspellings_are_one_edit_from_a_longer_listed_word_the_model_does_not_know() {
        assert!(misspelt("celcius", "celsius"));
        assert!(misspelt("aproximately", "approximately"));
        assert!(misspelt("kilometrse", "kilometres"));
        // Real words one letter away stay themselves; short words are not guessed.
        assert!(!misspelt("decrees", "degrees"));
        assert!(!misspelt("mils", "mile"));
        assert!(!misspelt("kelvins", "celsius"));
    }
}
