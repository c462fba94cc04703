//! Spanish and English words of the same meaning, so that a question in one
//! language finds documents written in the other: "How much did the bridge
//! cost?" finds "costó 35 millones" and "¿Cuánto costó el puente?" finds "cost
//! $35 million". Also tells a Spanish text from an English one by its
//! function words ([`is_spanish`]).
//!
//! The data (`translate/es-en.tsv`, written by `tools/lexicon/bilingual.py`)
//! is the Spanish WordNet of MultiWordNet read against Princeton WordNet: each
//! Spanish word with the English words of its meanings. Spanish words are
//! matched by their Snowball stem, so any inflection finds them ("costó",
//! "costará" → costar). Boundary: words in, words out, read from the table
//! and the stop word lists of [`crate::figures::words`]; the caller decides
//! which of them a corpus uses and what they are worth.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use rustc_hash::FxHashMap;

use crate::index;
pub use crate::index::spanish_stem;

static TABLE: &str = include_str!("translate/es-en.tsv");

/// The translations, indexed both ways.
struct Table {
    /// Each Spanish word's English words, stem and the word itself, by row.
    rows: Vec<(Vec<&'static str>, String, &'static str)>,
    /// Spanish word, or an irregular form of one ("murieron"), → its row.
    words: FxHashMap<&'static str, usize>,
    /// Spanish stem → the rows of the words with that stem.
    stems: FxHashMap<String, Vec<usize>>,
    /// English analyzed term (as the index writes it) → the stems of its
    /// Spanish words and of their irregular forms, each with the place of
    /// the English word among the Spanish word's (0: its first meaning).
    spanish: FxHashMap<String, Vec<(String, usize)>>,
}

/// Only a Spanish word's first this many English words are its translations
/// (its commonest meanings: "lanzar" is "throw", "launch" before it is
/// "speed"). Fitted by `tools/fit/figures.py`; changed only for fitting
/// ([`set_max_rank`]).
static MAX_RANK: AtomicUsize = AtomicUsize::new(crate::figures::fitted::TRANSLATION_RANK);

/// Sets how many of a Spanish word's English words count (for fitting).
pub fn set_max_rank(rank: usize) {
    MAX_RANK.store(rank, Ordering::Relaxed);
}

fn max_rank() -> usize {
    MAX_RANK.load(Ordering::Relaxed)
}

fn table() -> &'static Table {
    static TABLE_: OnceLock<Table> = OnceLock::new();
    TABLE_.get_or_init(|| {
        let mut t = Table {
            rows: Vec::new(),
            words: FxHashMap::default(),
            stems: FxHashMap::default(),
            spanish: FxHashMap::default(),
        };
        let mut terms: FxHashMap<&'static str, Vec<String>> = FxHashMap::default();
        for line in TABLE.lines().filter(|l| !l.starts_with('#')) {
            let mut columns = line.split('\t');
            let (Some(word), Some(english)) = (columns.next(), columns.next()) else {
                continue;
            };
            let forms = columns
                .next()
                .unwrap_or("")
                .split(' ')
                .filter(|f| !f.is_empty());
            let row = t.rows.len();
            let mut stems = vec![spanish_stem(word)];
            t.rows
                .push((english.split(' ').collect(), stems[0].clone(), word));
            t.words.insert(word, row);
            for form in forms {
                t.words.entry(form).or_insert(row);
                let stem = spanish_stem(form);
                if !stems.contains(&stem) {
                    stems.push(stem);
                }
            }
            t.stems.entry(stems[0].clone()).or_default().push(row);
            for (rank, e) in english.split(' ').enumerate() {
                for term in terms.entry(e).or_insert_with(|| index::analyze(e)) {
                    let into = t.spanish.entry(term.clone()).or_default();
                    for stem in &stems {
                        match into.iter_mut().find(|(s, _)| s == stem) {
                            Some((_, r)) => *r = (*r).min(rank),
                            None => into.push((stem.clone(), rank)),
                        }
                    }
                }
            }
        }
        t
    })
}

/// Is a Spanish word an inflected form of a verb: listed under the verb's
/// infinitive ("murieron": morir, "evacuadas": evacuar), or of a stem that
/// only verbs have? (Not the infinitive itself, nor a participle that is a
/// word of its own: "muerto", "herido".)
pub fn verb_form(word: &str) -> bool {
    let t = table();
    let infinitive = |row: usize| {
        ["ar", "er", "ir", "ír"]
            .iter()
            .any(|e| t.rows[row].2.ends_with(e))
    };
    match t.words.get(word) {
        Some(&row) => t.rows[row].2 != word && infinitive(row),
        None => t
            .stems
            .get(&spanish_stem(word))
            .is_some_and(|rows| rows.iter().all(|&row| infinitive(row))),
    }
}

/// The English words a Spanish word (any inflection) means: those of the
/// word itself, or of the word an irregular form is of ("murieron": morir),
/// first; then those of every word with that word's stem ("trabajadores":
/// trabajador, trabajar, trabajo).
pub fn english(spanish_word: &str) -> Vec<&'static str> {
    let t = table();
    let lower = spanish_word.to_lowercase();
    let own = t.words.get(lower.as_str()).copied();
    let stem = own.map_or_else(|| spanish_stem(&lower), |row| t.rows[row].1.clone());
    let mut out: Vec<&'static str> = Vec::new();
    // A form listed with its word is that word's only ("costó": costar, not
    // costa or coste); any other, its stem's words.
    let family = match own {
        Some(row) if t.rows[row].2 != lower => None,
        _ => t.stems.get(&stem),
    };
    let rows = own.into_iter().chain(family.into_iter().flatten().copied());
    for row in rows {
        for &e in t.rows[row].0.iter().take(max_rank()) {
            if !out.contains(&e) {
                out.push(e);
            }
        }
    }
    out
}

/// The stems of the Spanish words for an English word, given as the index
/// analyzes it ("evacu" for "evacuated": evacuar, desalojar, …): the words it
/// is one of the first English words of.
pub fn spanish_stems(english_term: &str) -> Vec<&'static str> {
    let rank = max_rank();
    table()
        .spanish
        .get(english_term)
        .into_iter()
        .flatten()
        .filter(|(_, r)| *r < rank)
        .map(|(s, _)| s.as_str())
        .collect()
}

/// A Spanish word's first English word, for embedding Spanish text with
/// the English model; the word itself when it has none (a number), when it
/// is written with a capital (a name: "Paz", "Cruz"), or when it is a
/// function word ("de" is not Delaware).
pub fn first_english(spanish_word: &str) -> &str {
    if spanish_word.chars().next().is_some_and(char::is_uppercase)
        || crate::figures::asked::is_function_word_es(&spanish_word.to_lowercase())
    {
        return spanish_word;
    }
    english(spanish_word)
        .first()
        .copied()
        .unwrap_or(spanish_word)
}

/// Is one of a Spanish word's English words in `list` ("personas" in a
/// list of person nouns, "costó" in one of money words)?
pub fn means_one_of(spanish_word: &str, list: &[&str]) -> bool {
    english(spanish_word).iter().any(|e| list.contains(e))
}

/// Do a word and an analyzed term name the same thing in the two languages:
/// does one translate to the other ("autobuses" and "bus", "buses" and
/// "autobus")?
pub fn same_meaning(word: &str, term: &str) -> bool {
    let translates = |from: &str, to: &str| {
        english(from)
            .iter()
            .any(|e| index::analyze(e).first().is_some_and(|t| t == to))
    };
    translates(word, term)
        || index::analyze(word)
            .first()
            .is_some_and(|own| translates(term, own))
}

/// Is `text` Spanish: it opens with "¿" or "¡", or more of its words
/// (names aside) are Spanish function words than English ones (Snowball's
/// stop word lists; a word on both counts for neither)?
pub fn is_spanish(text: &str) -> bool {
    if text.trim_start().starts_with(['¿', '¡']) {
        return true;
    }
    let lexicon = crate::figures::words::lexicon();
    let (mut es, mut en) = (0, 0);
    // Words written with a capital after the first are names ("La Paz de la
    // Cruz"), whatever their language.
    let words = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .enumerate()
        .filter(|(i, w)| *i == 0 || !w.chars().next().is_some_and(char::is_uppercase))
        .map(|(_, w)| w);
    for w in words {
        let w = w.to_lowercase();
        let in_es = lexicon.stop_word(&w, Some(crate::figures::Lang::Es));
        let in_en = lexicon.stop_word(&w, Some(crate::figures::Lang::En));
        es += usize::from(in_es && !in_en);
        en += usize::from(in_en && !in_es);
    }
    es > en
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spanish_text_embeds_near_its_english_through_its_words() {
        use crate::semantic::{self, dot};
        let model = semantic::model();
        let es = "el puente costó treinta millones";
        let en = model.embed(["the", "bridge", "cost", "millions"]).unwrap();
        let as_is = model.embed(semantic::words(es)).unwrap();
        let translated = model.embed(semantic::words(es).map(first_english)).unwrap();
        assert!(
            dot(&translated, &en) > dot(&as_is, &en) + 0.1,
            "{} vs {}",
            dot(&translated, &en),
            dot(&as_is, &en)
        );
    }

    #[test]
    fn inflections_share_a_stem() {
        assert_eq!(spanish_stem("costó"), spanish_stem("costar"));
        assert_eq!(spanish_stem("Evacuados"), spanish_stem("evacuar"));
        assert_ne!(spanish_stem("puente"), spanish_stem("costar"));
    }

    #[test]
    fn words_translate_both_ways() {
        assert!(english("costó").contains(&"cost"));
        assert!(english("autobuses").contains(&"bus"));
        let bridge = index::analyze("bridge");
        let stems = spanish_stems(&bridge[0]);
        assert!(
            stems.contains(&spanish_stem("puente").as_str()),
            "{stems:?}"
        );
        assert!(english("xylofonía").is_empty());
        // Function words and names are not translated for embedding.
        assert_eq!(first_english("de"), "de");
        assert_eq!(first_english("Cruz"), "Cruz");
        assert_eq!(first_english("puente"), "bridge");
        // An irregular form finds its word, not another word of its stem
        // ("murieron" is not "muro", a wall).
        assert!(english("murieron").contains(&"die"));
        // A participle that is a word of its own is its verb's too, first:
        // "han muerto" is "died", not only "dead".
        assert_eq!(english("muerto").first(), Some(&"die"));
        assert!(english("muerto").contains(&"dead"));
        assert!(verb_form("murieron") && verb_form("evacuadas"));
        assert!(!verb_form("puente") && !verb_form("muerto"));
        assert!(!english("murieron").contains(&"wall"));
        // So does a form whose stem other words share: "costó" is of
        // "costar", not "costa" (coast) nor "coste".
        assert!(!english("costó").contains(&"shore"));
        assert!(!english("costó").contains(&"toll"));
        assert!(same_meaning("autobuses", "bus"));
        assert!(same_meaning("bridges", &index::analyze("puentes")[0]));
        assert!(!same_meaning("bridges", &index::analyze("autobuses")[0]));
        let die = index::analyze("die");
        assert!(spanish_stems(&die[0]).contains(&spanish_stem("murieron").as_str()));
    }
}
