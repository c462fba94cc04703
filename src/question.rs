//! Question analysis: what kind of answer is expected, and which concepts the
//! question is about, each as its analyzed terms plus, once [`widen`]ed
//! against a corpus, the corpus words closest to it in meaning (from the
//! embedding model: "deportees" finds "deported", "jail" finds "prison").
//!
//! What people add in chat is taken off first ([`clean`]): Discord mentions,
//! a greeting before the question, shouting, repeated punctuation. A word
//! that neither the model nor the corpus knows is read as a one-letter typo
//! of a corpus word when there is one.
//!
//! Boundary: works on the question and, for widening, on what a [`Vocabulary`]
//! says about the corpus's terms; term rarity is weighed by the caller. The
//! user's text is only ever split into words; it is never parsed as query syntax.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::index;
use crate::semantic;

/// The kind of answer a question asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// how many / how much / how far / what percentage / what is the capacity…
    Quantity,
    /// where
    Place,
    /// when / what year
    Time,
    /// who
    Person,
    /// what is / what are / what does … mean: a definition
    Definition,
    Other,
}

/// One concept of the question: a word, or a name of several words
/// ("El Salvador", "Alien Enemies Act"), with related words.
#[derive(Debug, Clone, PartialEq)]
pub struct Concept {
    /// The word or name as the user wrote it (lower-cased).
    pub word: String,
    /// The analyzed terms of the word itself; several for a name.
    pub terms: Vec<String>,
    /// Analyzed terms of corpus words close to it in meaning, with the credit
    /// each gives (its similarity): "sent" for "deported".
    pub related: Vec<(String, f32)>,
    /// The question's verb: what happens to what is counted ("deported",
    /// "died", "can … hold"), as opposed to who or where.
    pub predicate: bool,
    /// A name the user wrote with capitals ("Orrin Strait Bridge", "CECOT"):
    /// what the question is about, not how it is worded.
    pub name: bool,
    /// A name said before the question itself ("According to Kelvin Coast
    /// Watch, what…"): kept only where the corpus uses it, so that "Hey
    /// Bot, quick question:" adds nothing.
    pub aside: bool,
}

impl Concept {
    /// How fully the concept is present, given which analyzed terms are: 1
    /// when all its own terms are; else the best of the share of its own
    /// terms (for a name) and the credit of a related word that is.
    pub fn presence(&self, has: impl Fn(&str) -> bool) -> f32 {
        let own = self.terms.iter().filter(|t| has(t)).count();
        if own == self.terms.len() {
            return 1.0;
        }
        let related = self
            .related
            .iter()
            .filter(|(t, _)| has(t))
            .map(|(_, credit)| *credit)
            .fold(0.0, f32::max);
        related.max(own as f32 / self.terms.len() as f32)
    }

    /// [`Concept::presence`] in a set of analyzed terms.
    pub fn presence_in(&self, set: &HashSet<String>) -> f32 {
        self.presence(|t| set.contains(t))
    }

    /// How fully it stands in `terms`: 1 for an own term, a related term's
    /// credit (its similarity) for the closest related one, else 0.
    pub fn credit_in(&self, terms: &[String]) -> f32 {
        if self.terms.iter().any(|t| terms.contains(t)) {
            return 1.0;
        }
        self.related
            .iter()
            .filter(|(t, _)| terms.contains(t))
            .map(|(_, credit)| *credit)
            .fold(0.0, f32::max)
    }

    /// Does any of its terms, own or related, appear in `terms`?
    pub fn mentions_any(&self, terms: &[String]) -> bool {
        self.terms
            .iter()
            .chain(self.related.iter().map(|(t, _)| t))
            .any(|t| terms.contains(t))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub expect: Expect,
    pub concepts: Vec<Concept>,
    /// The question as [`clean`] left it.
    pub text: String,
    /// What a quantity question measures, when one of its concepts names
    /// it ("far", "warm", "people"): a sentence that states a figure of it
    /// has the concept, worded as a figure ("12 km north of").
    pub measure: Option<Measure>,
    /// Written in Spanish ([`crate::translate::is_spanish`]): its words are matched in English
    /// documents through their translations.
    pub spanish: bool,
}

/// See [`Question::measure`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measure {
    /// The concept that names it.
    pub concept: usize,
    /// The measures a figure of it is in ([`crate::figures::asked::Asked::kinds`]).
    pub kinds: u64,
    /// What such a figure is worth for the concept ([`crate::fitted::MEASURE_CREDIT`]).
    pub credit: f32,
}

impl Question {
    /// Notes what `asked` measures, if one of the concepts names it; the
    /// concept gains the corpus's words for the attribute it values.
    pub fn set_measure(
        &mut self,
        asked: &crate::figures::asked::Asked,
        credit: f32,
        vocabulary: &dyn Vocabulary,
    ) {
        let kinds = asked.kinds();
        self.measure = asked
            .measure
            .as_ref()
            .filter(|_| kinds != 0)
            .and_then(|term| {
                let concept = self
                    .concepts
                    .iter()
                    .position(|c| c.terms == [term.clone()])?;
                // The attribute the question's word values stands for it:
                // "how long" is asked of "a total length of 2,737 metres".
                let c = &mut self.concepts[concept];
                // So do the adjectives of that attribute on its side, for
                // retrieval ("tall": "a 48-metre-high dam"); a figure takes
                // them only right after it (`figures::candidates`).
                let adjectives = crate::figures::words::same_side_adjectives(&c.word);
                let nouns = crate::figures::attribute_nouns(&c.word);
                for word in nouns.iter().chain(&adjectives) {
                    for t in index::analyze(word) {
                        if !c.mentions_any(std::slice::from_ref(&t)) && vocabulary.doc_freq(&t) > 0
                        {
                            c.related.push((t, credit));
                        }
                    }
                }
                Some(Measure {
                    concept,
                    kinds,
                    credit,
                })
            });
    }
}

/// Concepts beyond this many are ignored: a 10,000-character question still
/// becomes a bounded query.
pub const MAX_CONCEPTS: usize = 24;

/// Words that shape a question but say nothing about its subject.
const QUESTION_WORDS: &[&str] = &[
    "how",
    "many",
    "much",
    "what",
    "which",
    "who",
    "whom",
    "whose",
    "where",
    "when",
    "why",
    "do",
    "does",
    "did",
    "done",
    "is",
    "are",
    "was",
    "were",
    "am",
    "be",
    "been",
    "being",
    "has",
    "have",
    "had",
    "can",
    "could",
    "would",
    "should",
    "will",
    "shall",
    "may",
    "might",
    "must",
    "i",
    "me",
    "my",
    "we",
    "us",
    "our",
    "you",
    "your",
    "he",
    "she",
    "him",
    "her",
    "his",
    "its",
    "they",
    "them",
    "their",
    "tell",
    "know",
    "about",
    "kind",
    "sort",
    "type",
    "each",
    "every",
    "any",
    "some",
    "please",
    "say",
    "says",
    "said",
    "get",
    "gets",
    "got",
    "give",
    "there",
    "here",
    "number",
    "amount",
    "total",
    "before",
    "ever",
    "also",
    "exactly",
    "approximately",
    "roughly",
    "around",
    "really",
    "actually",
    "currently",
    "now",
    "so",
    "than",
    "from",
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
    "with",
    "and",
    "or",
    "not",
    "no",
    "it",
    "this",
    "that",
    "these",
    "those",
    "if",
    "into",
    "as",
    "one",
    "like",
    "anything",
    "something",
    "way",
];

/// Transitional: what is left of the hand-written groups of words from
/// before the embedding model, the rows that a measured question still needs
/// (each the same event in other words: "deported" / "flown", "held" /
/// "home to", "locked" / "confines", "built" / "construction", "evacuated"
/// / "moved"; "prison" / "jail" is the model's now). Measures and their units ("far" /
/// "miles") are no longer here: a figure of the asked measure stands for its
/// word (`figures::measure_kinds`). Issue 9 removes the rest once the model
/// relates them. Do not add to it.
#[rustfmt::skip]
const RELATED: &[&[&str]] = &[
    &["deported", "deport", "deportation", "deportee", "sent", "send", "transferred", "transfer",
      "flown", "flew", "expelled", "expel", "removed", "removal"],
    &["hold", "holds", "held", "kept", "keep", "capacity", "house", "houses", "housing", "home",
      "accommodate", "confine", "contain"],
    &["locked", "lock", "confined", "confinement", "shut"],
    &["built", "build", "constructed", "construction", "opened", "open", "founded"],
    &["relocated", "relocate", "relocation", "displaced", "displace", "evacuated", "evacuate",
      "resettled", "resettle", "moved"],
];

/// Terms related to each analyzed term, built once.
fn related() -> &'static HashMap<String, Vec<String>> {
    static MAP: OnceLock<HashMap<String, Vec<String>>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        for group in RELATED {
            let stems: Vec<String> =
                group
                    .iter()
                    .flat_map(|w| index::analyze(w))
                    .fold(Vec::new(), |mut v, s| {
                        if !v.contains(&s) {
                            v.push(s);
                        }
                        v
                    });
            for s in &stems {
                let entry = map.entry(s.clone()).or_default();
                for other in &stems {
                    if other != s && !entry.contains(other) {
                        entry.push(other.clone());
                    }
                }
            }
        }
        map
    })
}

/// The words of a question, without the clitic a contraction adds ("what's",
/// "don't", "they're": a piece of at most two letters right after an
/// apostrophe that follows a letter is the contraction's, not a word).
fn words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let word = &text[s..i];
                let before = text[..s].strip_suffix(['\'', '\u{2019}']);
                let clitic = before
                    .and_then(|b| b.chars().next_back())
                    .is_some_and(char::is_alphanumeric)
                    && word.chars().count() <= 2;
                if !clitic {
                    out.push(word);
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Analyzes a question on its own (no corpus): cleaned of chat, its answer
/// type and its concepts. Never fails: an empty or odd question has no concepts.
pub fn analyze(text: &str) -> Question {
    let (out, question) = chat_parts(text);
    let clean = unshout(&out[question.clone()]);
    let lower = clean.to_lowercase();
    let expect = expect(&lower);
    let words = words(&clean);
    let spanish = crate::translate::is_spanish(&clean);
    let mut concepts: Vec<Concept> = Vec::new();
    let mut i = 0;
    while i < words.len() && concepts.len() < MAX_CONCEPTS {
        // A run of capitalized words after the first word is one name, up
        // to a possessive ("Kelbrook's Varnholt plant": two names).
        let possessive = |w: &str| {
            let end = w.as_ptr() as usize - clean.as_ptr() as usize + w.len();
            clean
                .get(end..)
                .is_some_and(|rest| rest.starts_with("'s") || rest.starts_with("\u{2019}s"))
        };
        let mut j = i;
        while j < words.len() && is_name_word(words[j], j) {
            j += 1;
            if possessive(words[j - 1]) {
                break;
            }
        }
        // A number right after a name is part of it ("Line 4", "Apollo 11").
        if j > i
            && words
                .get(j)
                .is_some_and(|w| w.len() <= 4 && w.chars().all(|ch| ch.is_ascii_digit()))
        {
            j += 1;
        }
        let (run, next) = if j > i + 1 {
            (&words[i..j], j)
        } else {
            (&words[i..i + 1], i + 1)
        };
        i = next;
        let word = run.join(" ").to_lowercase();
        if run.len() == 1
            && (QUESTION_WORDS.contains(&word.as_str())
                || spanish && crate::figures::asked::is_function_word_es(&word))
        {
            continue;
        }
        let terms: Vec<String> = run.iter().flat_map(|w| index::analyze(w)).collect();
        if terms.is_empty() || concepts.iter().any(|c| c.terms == terms) {
            continue;
        }
        let mut related: Vec<(String, f32)> = Vec::new();
        if run.len() == 1 {
            let table = self::related().get(&terms[0]).into_iter().flatten();
            related.extend(table.map(|t| (t.clone(), RELATED_CREDIT)));
            // A demonym also finds its place: "Salvadoran" → "Salvador".
            if run[0].chars().next().is_some_and(char::is_uppercase)
                && word.len() > 5
                && word.ends_with('n')
            {
                for stem in [&word[..word.len() - 1], word.trim_end_matches("an")] {
                    for t in index::analyze(stem) {
                        if !terms.contains(&t) && !related.iter().any(|(r, _)| *r == t) {
                            related.push((t, RELATED_CREDIT));
                        }
                    }
                }
            }
        }
        let predicate = run.len() == 1
            && if spanish {
                is_spanish_predicate(&words, next - 1)
            } else {
                is_predicate(&words, next - 1)
            };
        let name = run.len() > 1 || is_name_word(run[0], next - 1);
        concepts.push(Concept {
            word,
            terms,
            related,
            predicate,
            name,
            aside: false,
        });
    }
    for name in aside_names(&out[..question.start]) {
        let terms = index::analyze(&name);
        if concepts.len() >= MAX_CONCEPTS
            || terms.is_empty()
            || concepts.iter().any(|c| c.terms == terms)
        {
            continue;
        }
        concepts.push(Concept {
            word: name.to_lowercase(),
            terms,
            related: Vec::new(),
            predicate: false,
            name: false,
            aside: true,
        });
    }
    Question {
        expect,
        concepts,
        text: clean,
        measure: None,
        spanish,
    }
}

/// What a corpus says about analyzed terms, for [`widen`].
/// Credit for a concept found through a word of the transitional table.
pub const RELATED_CREDIT: f32 = 0.85;

pub trait Vocabulary {
    /// In how many sentences the analyzed term occurs.
    fn doc_freq(&self, term: &str) -> u64;
    /// Does the corpus write the analyzed term as a name?
    fn is_name(&self, _term: &str) -> bool {
        false
    }
    /// Is the analyzed term a word of a document's publisher or author?
    fn names_a_source(&self, _term: &str) -> bool {
        false
    }
    /// The name of several words the corpus writes with these initials
    /// ("hrw": "Human Rights Watch").
    fn initialism(&self, _word: &str) -> Option<&str> {
        None
    }
    /// The corpus's terms of words with this Spanish stem
    /// ([`crate::translate::spanish_stem`]); none when no document is Spanish.
    fn spanish_forms(&self, _stem: &str) -> &[String] {
        &[]
    }
    /// Is some document in Spanish?
    fn has_spanish(&self) -> bool {
        false
    }
}

/// At most this many related terms per concept: a bounded query.
const MAX_RELATED: usize = 8;

/// Fits `question` to a corpus: a word the corpus does not use is read as
/// the code it writes with a hyphen ("ms13": MS-13), as a corpus word one
/// edit away when the model does not know it either, or as the corpus word
/// a vowel-less chat abbreviation stands for ("ppl": people), if any (not in
/// a Spanish question, whose words the English model does not know); each
/// one-word concept gains the corpus terms of its nearest words in the model
/// that are at least `min_similarity` close
/// ([`crate::fitted::NEIGHBOUR_MIN_SIMILARITY`]), and those of its words in
/// the other language, worth `translation_credit`
/// ([`crate::figures::fitted::TRANSLATION_CREDIT`]).
pub fn widen(
    question: &mut Question,
    vocabulary: &dyn Vocabulary,
    min_similarity: f32,
    translation_credit: f32,
) {
    let model = semantic::model();
    let spanish = question.spanish;
    let text = question.text.clone();
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    // A name said before the question counts where the corpus uses it.
    question.concepts.retain(|c| {
        !c.aside
            || c.terms
                .iter()
                .all(|t| vocabulary.doc_freq(t) > 0 || vocabulary.names_a_source(t))
    });
    let mut fixes: Vec<(String, String)> = Vec::new();
    for c in &mut question.concepts {
        // A word that is no common English word and that the corpus writes
        // as a name is one, however the question writes it ("how many ppl
        // got sent to cecot"). The index keeps only such words, but by stem:
        // the question's own word is checked too, so that a common word
        // sharing a stem with a name ("war", "state") stays a word.
        if !c.name && !c.predicate && !c.terms.is_empty() {
            c.name = c.terms.iter().all(|t| vocabulary.is_name(t))
                && c.word.split(' ').all(|w| !model.knows(w));
        }
        if c.terms.len() != 1 || c.word.contains(' ') {
            continue;
        }
        // A Spanish question's words are mostly unknown to the English model:
        // an unknown word there is not a typo ("tras" is no "tres").
        let unused = vocabulary.doc_freq(&c.terms[0]) == 0
            && !vocabulary.names_a_source(&c.terms[0])
            && !spanish;
        // Initials the model does not know and the corpus does not write, of
        // a name it writes ("hrw": Human Rights Watch), are that name. (Where
        // the corpus writes the initials too, they are its word: a corpus
        // that writes "TFEU" finds it better than "Treaty on the Functioning
        // of the European Union"; tried, SQuAD hit@1 fell 0.2.)
        if unused
            && !model.knows(&c.word)
            && let Some(name) = vocabulary.initialism(&c.word)
        {
            c.word = name.to_lowercase();
            c.terms = index::analyze(name);
            c.name = true;
            continue;
        }
        // Where the question types the word, for a fix of it.
        let typed = words.iter().position(|w| w.to_lowercase() == c.word);
        // A code typed without its hyphen ("ms13" for "MS-13"): its runs of
        // letters and of digits, each used by the corpus, are a name. The
        // text reads it as the corpus writes it: its number is part of the
        // code, there in a sentence that writes "MS-13".
        if unused && let Some(parts) = code_parts(&c.word, vocabulary) {
            if let Some(at) = typed {
                fixes.push((words[at].to_string(), parts.join("-")));
            }
            c.word = parts.join(" ");
            c.terms = parts;
            c.name = true;
            continue;
        }
        if unused
            && let Some((fixed, terms)) = (!model.knows(&c.word))
                .then(|| typo_fix(&c.word, vocabulary))
                .flatten()
                .or_else(|| abbreviation_of(&c.word, vocabulary))
        {
            // The fixed word may be the question's verb ("deportd" → "deported").
            if let Some(at) = typed {
                let mut fixed_words = words.clone();
                fixed_words[at] = &fixed;
                c.predicate = is_predicate(&fixed_words, at);
                fixes.push((words[at].to_string(), fixed.clone()));
            }
            c.word = fixed;
            c.terms = terms;
            let table = self::related().get(&c.terms[0]).into_iter().flatten();
            c.related.extend(table.map(|t| (t.clone(), RELATED_CREDIT)));
        }
        let mut related: Vec<(String, f32)> = std::mem::take(&mut c.related);
        related.retain(|(t, _)| vocabulary.doc_freq(t) > 0);
        // A proper name ("brazil", "uk") stands for one thing: its other
        // names stand in for it ("britain"), and the model's nearest words
        // that are no names ("venezuela": "venezuelan"), never other things
        // of its kind ("argentina").
        let aliases = (!spanish)
            .then(|| crate::figures::words::name_aliases(&c.word))
            .flatten();
        for alias in aliases.into_iter().flatten() {
            for t in index::analyze(alias) {
                if offers(&c.terms, &related, vocabulary, &t) {
                    related.push((t, 1.0));
                }
            }
        }
        // A number's nearest words are other numbers ("4": six, twelve):
        // none stands in for it.
        let number = crate::figures::mentions(&c.word, None)
            .iter()
            .any(|m| m.start == 0 && m.end == c.word.len());
        let mut neighbours = if number {
            Vec::new()
        } else {
            model.neighbours(&c.word)
        };
        if aliases.is_some() {
            neighbours.retain(|(near, _)| crate::figures::words::name_aliases(near).is_none());
        }
        let mut added = 0;
        for (near, similarity) in neighbours {
            if similarity < min_similarity || added >= MAX_RELATED {
                break;
            }
            for t in index::analyze(near) {
                // The model puts opposites side by side ("survived": die).
                let opposite = c
                    .terms
                    .iter()
                    .any(|own| crate::figures::words::opposite(own, &t));
                if !opposite && offers(&c.terms, &related, vocabulary, &t) {
                    related.push((t, similarity));
                    added += 1;
                }
            }
        }
        // A name is translated only where it is an English word too ("Line
        // 4": "línea"; "Mount Tarsel": "monte"), not where it is a name alone.
        if !c.name || model.knows(&c.word) {
            translations(c, spanish, vocabulary, translation_credit, &mut related);
        }
        tracing::debug!(concept = %c.word, related = ?related, "widened");
        c.related = related;
    }
    // The question's text reads as corrected, for what else reads it.
    for (typo, fixed) in fixes {
        question.text = replace_word(&question.text, &typo, &fixed);
    }
}

/// Is `term` something new to offer for a concept: not one of its own
/// `terms`, not yet `related`, and used by the corpus?
fn offers(
    terms: &[String],
    related: &[(String, f32)],
    vocabulary: &dyn Vocabulary,
    term: &str,
) -> bool {
    !terms.iter().any(|t| t == term)
        && !related.iter().any(|(r, _)| r == term)
        && vocabulary.doc_freq(term) > 0
}

/// At most this many translated terms per concept: a bounded query.
const MAX_TRANSLATED: usize = 8;

/// Adds to `related` the corpus terms of `concept`'s word in the other
/// language, each worth `credit`: the English words of a Spanish question's
/// word ([`crate::translate::english`]) and the forms the corpus's Spanish
/// documents write an English question's word in.
fn translations(
    concept: &Concept,
    spanish: bool,
    vocabulary: &dyn Vocabulary,
    credit: f32,
    related: &mut Vec<(String, f32)>,
) {
    let mut found: Vec<String> = Vec::new();
    if spanish {
        // The word's own inflections in the corpus's Spanish documents
        // first ("muerto": "muertos", "muertes"), which the index's English
        // analysis does not bring to one term.
        if vocabulary.has_spanish() {
            let own = crate::translate::spanish_stem(&concept.word);
            found.extend(vocabulary.spanish_forms(&own).iter().cloned());
        }
        for english in crate::translate::english(&concept.word) {
            found.extend(index::analyze(english));
        }
        // …and the Spanish words of its first English word that the
        // corpus's Spanish documents use: other words of its commonest
        // meaning ("usaron": use, "emplearon").
        if vocabulary.has_spanish() {
            let first = crate::translate::first_english(&concept.word);
            for term in index::analyze(first) {
                for stem in crate::translate::spanish_stems(&term) {
                    found.extend(vocabulary.spanish_forms(stem).iter().cloned());
                }
            }
        }
    } else if vocabulary.has_spanish() {
        for stem in crate::translate::spanish_stems(&concept.terms[0]) {
            found.extend(vocabulary.spanish_forms(stem).iter().cloned());
        }
    }
    let mut added = 0;
    for t in found {
        if added >= MAX_TRANSLATED {
            break;
        }
        // A Spanish function word is no translation of an English word
        // ("mas" from "masa"); English words are checked by the corpus alone.
        if (spanish || !crate::figures::asked::is_function_word_es(&t))
            && offers(&concept.terms, related, vocabulary, &t)
        {
            related.push((t, credit));
            added += 1;
        }
    }
}

/// `text` with every whole-word `word` replaced by `by`.
fn replace_word(text: &str, word: &str, by: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(word) {
        let before = rest[..i].chars().next_back();
        let after = rest[i + word.len()..].chars().next();
        out.push_str(&rest[..i]);
        if before.is_some_and(char::is_alphanumeric) || after.is_some_and(char::is_alphanumeric) {
            out.push_str(word);
        } else {
            out.push_str(by);
        }
        rest = &rest[i + word.len()..];
    }
    out.push_str(rest);
    out
}

/// The corpus word one edit (a letter deleted, added, changed, or two
/// swapped) from `word` that is commonest in English, then most used by the
/// corpus, with its analyzed terms.
fn typo_fix(word: &str, vocabulary: &dyn Vocabulary) -> Option<(String, Vec<String>)> {
    const LETTERS: &str = "abcdefghijklmnopqrstuvwxyz";
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 4 || !chars.iter().all(|c| c.is_ascii_lowercase()) {
        return None;
    }
    let mut candidates: Vec<String> = Vec::new();
    let n = chars.len();
    let join = |v: &[char]| v.iter().collect::<String>();
    for i in 0..n {
        let mut v = chars.clone();
        v.remove(i);
        candidates.push(join(&v));
        if i + 1 < n {
            let mut v = chars.clone();
            v.swap(i, i + 1);
            candidates.push(join(&v));
        }
        for l in LETTERS.chars() {
            let mut v = chars.clone();
            v[i] = l;
            candidates.push(join(&v));
        }
    }
    for i in 0..=n {
        for l in LETTERS.chars() {
            let mut v = chars.clone();
            v.insert(i, l);
            candidates.push(join(&v));
        }
    }
    candidates
        .into_iter()
        .filter(|c| c != word)
        .filter_map(|c| {
            let terms = index::analyze(&c);
            let df = match terms.as_slice() {
                [t] => vocabulary.doc_freq(t),
                _ => 0,
            };
            (df > 0).then_some((df, c, terms))
        })
        // The word the user most likely meant: the commonest in English (a
        // lower pooling weight), then the corpus's most used ("cels" is
        // "cells", not "els", whose stem "el" the corpus uses more).
        .max_by(|a, b| {
            let common = |w: &str| semantic::model().weight(w);
            common(&b.1)
                .total_cmp(&common(&a.1))
                .then_with(|| a.0.cmp(&b.0))
                .then_with(|| b.1.cmp(&a.1))
        })
        .map(|(_, c, terms)| (c, terms))
}

/// The analyzed runs of letters and of digits of a word that mixes them
/// ("ms13": ms, 13), when there are several and the corpus uses each.
fn code_parts(word: &str, vocabulary: &dyn Vocabulary) -> Option<Vec<String>> {
    let mut runs: Vec<String> = Vec::new();
    let mut last_digit = None;
    for c in word.chars() {
        let digit = c.is_ascii_digit();
        match runs.last_mut() {
            Some(run) if last_digit == Some(digit) => run.push(c),
            _ => runs.push(c.to_string()),
        }
        last_digit = Some(digit);
    }
    if runs.len() < 2 {
        return None;
    }
    runs.iter()
        .map(|run| match index::analyze(run).as_slice() {
            [t] if vocabulary.doc_freq(t) > 0 => Some(t.clone()),
            _ => None,
        })
        .collect()
}

/// The corpus word that `word` abbreviates the way chat does, by dropping
/// letters ("ppl": people, "hrs": hours, "govt": government), with its
/// analyzed terms: among the English words that begin with the same letter,
/// hold all of `word`'s letters in order and that the model puts closer to
/// it than unrelated words are (cosine above 0), the commonest ("ppl":
/// people, not perplexed), if the corpus uses it ("pls" means "please",
/// which a corpus may not use: then it is not "principles"). Only for a
/// word of at least three letters and no vowel (not even "y": "myth", "gym"
/// are words), the shape of such abbreviations; one that keeps a vowel
/// ("govt") is left to the model's neighbours.
fn abbreviation_of(word: &str, vocabulary: &dyn Vocabulary) -> Option<(String, Vec<String>)> {
    let shaped = word.len() >= 3
        && word
            .chars()
            .all(|c| c.is_ascii_lowercase() && !"aeiouy".contains(c));
    let first = *word.as_bytes().first()?;
    if !shaped {
        return None;
    }
    let holds = |long: &str| {
        let mut letters = long.chars();
        word.chars().all(|c| letters.any(|l| l == c))
    };
    let model = semantic::model();
    let own = model.vector(word)?;
    let mut candidates: Vec<(f32, &str)> = model
        .whole_words_from(first)
        .filter(|w| w.len() > word.len() && holds(w))
        .map(|w| (model.weight(w), w))
        .collect();
    // Commonest first; the first the model puts near is meant (vectors are
    // read for the few tried, not for every candidate).
    candidates.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (_, meant) = candidates.into_iter().find(|(_, w)| {
        model
            .vector(w)
            .is_some_and(|v| semantic::dot(&own, &v) > 0.0)
    })?;
    let terms = index::analyze(meant);
    let used = matches!(terms.as_slice(), [t] if vocabulary.doc_freq(t) > 0);
    used.then(|| (meant.to_string(), terms))
}

/// Takes off what chat adds around a question: Discord mentions (users,
/// roles, channels, `@everyone`, `@here`) and custom emoji, anything before
/// the clause where the question starts ("hey bot, quick question: how…")
/// or before the sentence it is in ("thx bot. also who…"),
/// anything after its question mark, and shouting (a question written all
/// in capitals is read in lower case).
pub fn clean(text: &str) -> String {
    let (out, question) = chat_parts(text);
    unshout(&out[question])
}

/// The text without mentions ([`unmention`]), and where in it the
/// question's own clause is ([`from_question_clause`]): what comes before is
/// chat or an aside ([`aside_names`]).
fn chat_parts(text: &str) -> (String, std::ops::Range<usize>) {
    let out = unmention(text);
    let question = from_question_clause(&out);
    // The question is a slice of `out`.
    let start = question.as_ptr() as usize - out.as_ptr() as usize;
    let range = start..start + question.len();
    (out, range)
}

/// A question written all in capitals, in lower case.
fn unshout(question: &str) -> String {
    let letters = question.chars().filter(|c| c.is_alphabetic());
    let shouted = question.split_whitespace().count() > 1
        && letters.clone().next().is_some()
        && letters.clone().all(char::is_uppercase);
    if shouted {
        question.to_lowercase()
    } else {
        question.to_string()
    }
}

/// The names said in `before`, what comes before the question's own clause,
/// which [`clean`] takes off ("According to Kelvin Coast Watch, what…":
/// "Kelvin Coast Watch"): runs of capitalized words, not the first word of
/// a clause.
fn aside_names(before: &str) -> Vec<String> {
    let mut names = Vec::new();
    for clause in before.split([',', ':', ';', '!', '?', '.', '\n']) {
        let words = words(clause);
        let mut j = 0;
        while j < words.len() {
            let mut k = j;
            while k < words.len() && is_name_word(words[k], k) {
                k += 1;
            }
            if k > j {
                names.push(words[j..k].join(" "));
                j = k;
            } else {
                j += 1;
            }
        }
    }
    names
}

/// The text without Discord mentions, `@everyone`, `@here`, custom emoji
/// and control characters.
fn unmention(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(close) = rest.find('>')
            && is_discord_token(&rest[1..close])
        {
            out.push(' ');
            rest = &rest[close + 1..];
            continue;
        }
        let at_word_start = out.chars().next_back().is_none_or(char::is_whitespace);
        if c == '@' && at_word_start {
            let word = rest[1..]
                .split(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("");
            if word.eq_ignore_ascii_case("everyone") || word.eq_ignore_ascii_case("here") {
                out.push(' ');
                rest = &rest[1 + word.len()..];
                continue;
            }
        }
        out.push(if c.is_control() { ' ' } else { c });
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// `<@123>`, `<@!123>`, `<@&123>`, `<#123>`, `<:name:123>`, `<a:name:123>`,
/// `<t:123:R>` (the part between the angle brackets).
fn is_discord_token(inner: &str) -> bool {
    let id = inner.trim_start_matches(['@', '!', '&', '#']);
    if id.len() < inner.len() && !id.is_empty() && id.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    let parts: Vec<&str> = inner.split(':').collect();
    parts.len() >= 2
        && parts.len() <= 3
        && !inner.contains(char::is_whitespace)
        && parts
            .iter()
            .any(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

/// Words that open a question (an interrogative or an auxiliary put first).
const OPENERS: &[&str] = &[
    "how", "what", "what's", "whats", "when", "where", "who", "whom", "whose", "which", "why",
    "is", "are", "was", "were", "do", "does", "did", "can", "could", "will", "would", "should",
    "has", "have", "had",
];

/// The text from the clause that opens the question to its question mark,
/// when the question is preceded by other clauses ("hey bot, quick question:
/// how many…? thx" → "how many…?"); otherwise the text as it is.
fn from_question_clause(text: &str) -> &str {
    let mut start = None;
    let mut clause_start = 0;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ',')))
    {
        if matches!(c, ',' | ':' | ';' | '!' | '?' | '.' | '\n' | '-' | '—') {
            let clause = &text[clause_start..i];
            let first = clause
                .split(|c: char| !(c.is_alphanumeric() || c == '\''))
                .find(|w| !w.is_empty())
                .map(str::to_lowercase);
            if first.is_some_and(|f| OPENERS.contains(&f.as_str())) {
                start = Some(clause_start);
                break;
            }
            clause_start = i + c.len_utf8();
        }
    }
    let Some(start) = start.or_else(|| after_chat_sentences(text)) else {
        return text;
    };
    if start == 0 {
        return text;
    }
    let question = &text[start..];
    match question.find('?') {
        Some(q) => &question[..=q],
        None => question,
    }
}

/// Where the question starts when sentences of chat come before it ("thx
/// bot. also who ordered…?"): after the last sentence end (".", "!" or "?"
/// after a lower-case letter and before a space: not "U.S.") that comes
/// before the first question word. `None` when there is no such break.
fn after_chat_sentences(text: &str) -> Option<usize> {
    let is_opener = |w: &str| OPENERS.contains(&w.to_lowercase().as_str());
    let mut word_start = None;
    let mut first_opener = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        if c.is_alphanumeric() || c == '\'' {
            word_start.get_or_insert(i);
        } else if let Some(w) = word_start.take()
            && is_opener(&text[w..i])
        {
            first_opener = Some(w);
            break;
        }
    }
    let first_opener = first_opener?;
    let before = &text[..first_opener];
    let mut chars = before.char_indices().peekable();
    let mut last_break = None;
    let mut previous = ' ';
    while let Some((i, c)) = chars.next() {
        let spaced = chars.peek().is_some_and(|(_, n)| n.is_whitespace());
        if matches!(c, '.' | '!' | '?') && previous.is_lowercase() && spaced {
            last_break = Some(i + c.len_utf8());
        }
        previous = c;
    }
    last_break
}

/// Is `word` (lower case) a past participle: "-ed", or one of the common
/// irregular ones?
pub fn is_participle(word: &str) -> bool {
    // Short words ending in "ed" are mostly nouns ("bed", "feed", "seed"),
    // but a verb in "-ie" takes a bare "-d" ("died", "tied", "lied").
    (word.len() > 4 && word.ends_with("ed"))
        || (word.len() == 4 && word.ends_with("ied"))
        || IRREGULAR_PARTICIPLES.contains(&word)
}

/// Past participles that do not end in "-ed".
const IRREGULAR_PARTICIPLES: &[&str] = &[
    "held", "kept", "sent", "paid", "spent", "built", "flown", "given", "taken", "made", "done",
    "seen", "known", "born", "put", "won", "lost", "cut", "hit", "brought", "bought", "sold",
    "told", "found", "left", "run", "shot", "beaten", "hidden", "thrown", "drawn", "grown",
];

/// Is `words[i]` the question's verb? A participle or gerund ("deported",
/// "paying", "held"), unless it follows a determiner ("the deported men");
/// or the word after an auxiliary and its subject that ends the question or
/// meets a preposition ("How many people can CECOT hold?", "…does it cost each year?").
fn is_predicate(words: &[&str], i: usize) -> bool {
    const DETERMINERS: &[&str] = &[
        "the", "a", "an", "each", "every", "per", "these", "those", "its", "their", "his", "her",
        "our", "this", "that",
    ];
    const AUXILIARIES: &[&str] = &[
        "do", "does", "did", "can", "could", "will", "would", "should", "may", "might", "must",
    ];
    const FOLLOWERS: &[&str] = &[
        "each", "per", "every", "a", "an", "in", "on", "at", "to", "for", "from", "by", "with",
        "into", "over", "under", "during", "since", "after", "before", "the", "them", "it",
    ];
    const PREPOSITIONS: &[&str] = &[
        "inside",
        "outside",
        "within",
        "near",
        "across",
        "around",
        "behind",
        "beyond",
        "above",
        "below",
        "between",
        "among",
        "during",
        "without",
        "toward",
        "towards",
        "against",
        "along",
        "through",
        "throughout",
        "upon",
        "onto",
        "underneath",
        "beside",
        "besides",
        "despite",
        "except",
        "including",
        "regarding",
        "concerning",
    ];
    // A verb in a clause that dates the question's event ("how old was he
    // when he got sent there", "how many died when the ship sank") says
    // when, not what the figure counts.
    const SUBORDINATORS: &[&str] = &[
        "when", "while", "whilst", "after", "before", "since", "until", "cuando", "mientras",
    ];
    let w = words[i];
    if w.chars().next().is_some_and(char::is_uppercase)
        || PREPOSITIONS.contains(&w)
        || words[..i]
            .iter()
            .skip(1)
            .any(|x| SUBORDINATORS.contains(&x.to_lowercase().as_str()))
    {
        return false;
    }
    let lower = w.to_lowercase();
    let after_determiner = i > 0 && DETERMINERS.contains(&words[i - 1].to_lowercase().as_str());
    let participle = is_participle(&lower) || (lower.len() > 5 && lower.ends_with("ing"));
    if participle {
        return !after_determiner;
    }
    // The object of a preposition is no verb ("…get in summer?"); after
    // "to" a verb may be ("…require to start a company?").
    let after_preposition = i > 0 && {
        let before = words[i - 1].to_lowercase();
        PREPOSITIONS.contains(&before.as_str())
            || FOLLOWERS.contains(&before.as_str())
                && !DETERMINERS.contains(&before.as_str())
                && !matches!(before.as_str(), "them" | "it" | "to")
    };
    if after_preposition {
        return false;
    }
    let aux_before = words[..i]
        .iter()
        .any(|x| AUXILIARIES.contains(&x.to_lowercase().as_str()));
    let ends_clause = words
        .get(i + 1)
        .is_none_or(|n| FOLLOWERS.contains(&n.to_lowercase().as_str()));
    aux_before && ends_clause && !after_determiner
}

/// Is `words[i]` the verb of a Spanish question: after an auxiliary or
/// "se" ("han muerto", "fueron evacuadas", "se perderán"), or an inflected
/// form of a verb ("murieron")?
fn is_spanish_predicate(words: &[&str], i: usize) -> bool {
    /// Forms of haber and ser that make compound and passive tenses, and the
    /// reflexive "se".
    const AUXILIARIES: &[&str] = &[
        "ha", "han", "he", "has", "hemos", "había", "habían", "hubo", "habrá", "habrán", "habría",
        "habrían", "sido", "fue", "fueron", "será", "serán", "es", "son", "era", "eran", "se",
    ];
    let w = words[i];
    if w.chars().next().is_some_and(char::is_uppercase) {
        return false;
    }
    let after_auxiliary = i > 0 && AUXILIARIES.contains(&words[i - 1].to_lowercase().as_str());
    after_auxiliary || crate::translate::verb_form(&w.to_lowercase())
}

/// A word that is part of a name: capitalized (not as the question's first
/// word) or written in capitals, and not a question word.
fn is_name_word(word: &str, position: usize) -> bool {
    let first_upper = word.chars().next().is_some_and(char::is_uppercase);
    let all_caps = word.len() >= 2 && word.chars().all(|c| c.is_uppercase() || c.is_ascii_digit());
    (first_upper && position > 0 || all_caps)
        && !QUESTION_WORDS.contains(&word.to_lowercase().as_str())
}

fn expect(lower: &str) -> Expect {
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has_pair = |a: &str, bs: &[&str]| words.windows(2).any(|w| w[0] == a && bs.contains(&w[1]));
    let quantity_adjectives = [
        "many", "much", "far", "long", "hot", "cold", "warm", "big", "large", "old", "tall",
        "high", "deep", "wide", "heavy", "often", "fast", "small",
    ];
    if has_pair("how", &quantity_adjectives)
        || words.iter().any(|w| matches!(*w, "percentage" | "percent"))
        || words
            .iter()
            .any(|w| crate::figures::asked::opens_quantity_es(w))
        || words.windows(3).any(|w| {
            matches!(w[0], "what" | "what's" | "whats")
                && matches!(w[1], "is" | "was" | "the")
                && matches!(
                    w[2],
                    "capacity" | "number" | "population" | "cost" | "size" | "amount" | "price"
                )
        })
        || words.windows(4).any(|w| {
            w[0] == "what"
                && w[1] == "is"
                && w[2] == "the"
                && matches!(
                    w[3],
                    "capacity" | "number" | "population" | "cost" | "size" | "amount" | "price"
                )
        })
    {
        return Expect::Quantity;
    }
    let first = words.first().copied().unwrap_or("");
    // Spanish question words, as English ones: "¿cuándo?", "¿dónde?", "¿quién?".
    if matches!(first, "when" | "cuándo" | "cuando")
        || has_pair("what", &["year", "date", "day", "month"])
    {
        return Expect::Time;
    }
    if words.contains(&"where") || words.contains(&"dónde") || first == "donde" {
        return Expect::Place;
    }
    if matches!(first, "who" | "quién" | "quiénes" | "quien" | "quienes")
        || words.get(..2) == Some(&["who", "is"][..])
    {
        return Expect::Person;
    }
    let defines = matches!(
        words.get(..2),
        Some(["what", "is" | "are" | "was" | "were" | "s"])
    ) || (first == "what" && words.last() == Some(&"mean"))
        || first == "define";
    if defines {
        return Expect::Definition;
    }
    Expect::Other
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(q: &str) -> Vec<String> {
        analyze(q).concepts.into_iter().map(|c| c.word).collect()
    }

    #[test]
    fn a_contraction_adds_no_word() {
        let concept_words =
            |q: &str| -> Vec<String> { analyze(q).concepts.into_iter().map(|c| c.word).collect() };
        assert_eq!(
            concept_words("what's the capacity of CECOT"),
            concept_words("what is the capacity of CECOT")
        );
        assert_eq!(
            concept_words("who’s Bukele"),
            concept_words("who is Bukele")
        );
        assert!(!concept_words("they don't release the names").contains(&"t".to_string()));
        // An apostrophe that opens a quote is not a contraction.
        assert!(concept_words("what is 'ms' here").contains(&"ms".to_string()));
    }

    #[test]
    fn expectations() {
        for (q, e) in [
            ("How many people were deported to CECOT?", Expect::Quantity),
            ("how much is the U.S. paying?", Expect::Quantity),
            ("How far is CECOT from San Salvador?", Expect::Quantity),
            (
                "What percentage of detainees had no record?",
                Expect::Quantity,
            ),
            ("What is the capacity of CECOT?", Expect::Quantity),
            ("Where is CECOT located?", Expect::Place),
            ("When did CECOT open?", Expect::Time),
            ("What year was the act passed?", Expect::Time),
            ("Who is Andry Hernández Romero?", Expect::Person),
            ("What is the Alien Enemies Act?", Expect::Definition),
            ("What does incommunicado mean?", Expect::Definition),
            ("Why was CECOT built?", Expect::Other),
            ("", Expect::Other),
        ] {
            assert_eq!(analyze(q).expect, e, "{q}");
        }
    }

    #[test]
    fn question_words_are_not_concepts() {
        assert_eq!(
            words("How many people were deported to CECOT?"),
            vec!["people", "deported", "cecot"]
        );
        assert_eq!(
            words("What did Miguel Sarre say about CECOT?"),
            vec!["miguel sarre", "cecot"]
        );
        assert!(words("").is_empty());
        assert!(words("??? !!! \u{0}\u{7}").is_empty());
    }

    struct Corpus(&'static [&'static str]);

    impl Vocabulary for Corpus {
        fn doc_freq(&self, term: &str) -> u64 {
            self.0
                .iter()
                .filter(|w| index::analyze(w) == [term])
                .count() as u64
        }
    }

    /// A corpus of Spanish words, kept as written (as the index keeps a
    /// Spanish document's words), by stem.
    struct Spanish(Vec<(String, Vec<String>)>);

    impl Spanish {
        fn new(words: &[&str]) -> Spanish {
            let mut by_stem: Vec<(String, Vec<String>)> = Vec::new();
            for w in words {
                let stem = crate::translate::spanish_stem(w);
                match by_stem.iter_mut().find(|(s, _)| *s == stem) {
                    Some((_, forms)) => forms.push(w.to_string()),
                    None => by_stem.push((stem, vec![w.to_string()])),
                }
            }
            Spanish(by_stem)
        }
    }

    impl Vocabulary for Spanish {
        fn doc_freq(&self, term: &str) -> u64 {
            self.0
                .iter()
                .flat_map(|(_, forms)| forms)
                .filter(|w| *w == term)
                .count() as u64
        }
        fn spanish_forms(&self, stem: &str) -> &[String] {
            self.0
                .iter()
                .find(|(s, _)| s == stem)
                .map_or(&[], |(_, forms)| forms.as_slice())
        }
        fn has_spanish(&self) -> bool {
            true
        }
    }

    #[test]
    fn a_spanish_word_finds_the_corpus_words_of_its_commonest_meaning() {
        let corpus = Spanish::new(&["emplearon", "autobuses", "trabajaron"]);
        let mut q = analyze("¿Cuántos autobuses se usaron?");
        widen(&mut q, &corpus, 0.6, 0.8);
        let used = q.concepts.iter().find(|c| c.word == "usaron").unwrap();
        let related: Vec<&str> = used.related.iter().map(|(t, _)| t.as_str()).collect();
        assert!(related.contains(&"emplearon"), "{related:?}");
        // "employ" is a later meaning of "usar", and "trabajar" a word for it.
        assert!(!related.contains(&"trabajaron"), "{related:?}");
    }

    #[test]
    fn a_spanish_word_finds_its_own_inflections_first() {
        // The index's English analysis keeps "muertes" apart from "muerto";
        // the Spanish stem brings them together, before any translation.
        let mut words = vec!["muertes"];
        words.extend([
            "fallecieron",
            "murieron",
            "fallecidos",
            "morir",
            "muere",
            "mueren",
        ]);
        words.extend([
            "fallecer",
            "fallece",
            "fallecen",
            "fallecida",
            "muriendo",
            "murió",
        ]);
        let corpus = Spanish::new(&words);
        let mut q = analyze("¿Cuántas personas han muerto en Velmora?");
        widen(&mut q, &corpus, 0.6, 0.8);
        let died = q.concepts.iter().find(|c| c.word == "muerto").unwrap();
        let related: Vec<&str> = died.related.iter().map(|(t, _)| t.as_str()).collect();
        assert!(related.contains(&"muertes"), "{related:?}");
    }

    /// The words `analyze` reads as `q`'s predicates.
    fn predicates(q: &str) -> Vec<String> {
        analyze(q)
            .concepts
            .into_iter()
            .filter(|c| c.predicate)
            .map(|c| c.word)
            .collect()
    }

    #[test]
    fn the_verb_of_a_spanish_question_is_its_predicate() {
        // After an auxiliary or "se", or an inflected form of a verb.
        assert_eq!(
            predicates("¿Cuántas personas han muerto en Velmora?"),
            ["muerto"]
        );
        assert_eq!(
            predicates("¿Cuántas personas fueron evacuadas?"),
            ["evacuadas"]
        );
        assert_eq!(
            predicates("¿Cuántos empleos se perderán en Varnholt?"),
            ["perderán"]
        );
        assert_eq!(
            predicates("¿Cuántas personas murieron en el naufragio?"),
            ["murieron"]
        );
        // Nouns are not: "puente", "personas".
        assert!(
            predicates("¿Cuánto mide el puente de Orrin?")
                .iter()
                .all(|w| w != "puente")
        );
    }

    #[test]
    fn widening_finds_corpus_words_of_the_same_meaning() {
        let corpus = Corpus(&["prison", "inmates", "deported", "cells", "guards"]);
        let mut q = analyze("How many prisoners are in jail?");
        widen(&mut q, &corpus, 0.6, 0.8);
        let related = |q: &Question, i: usize| -> Vec<String> {
            q.concepts[i]
                .related
                .iter()
                .map(|(t, _)| t.clone())
                .collect()
        };
        assert!(related(&q, 0).contains(&"inmat".to_string()), "{q:?}");
        assert!(related(&q, 1).contains(&"prison".to_string()), "{q:?}");
        // Nothing outside the corpus is offered.
        assert!(
            q.concepts
                .iter()
                .all(|c| c.related.iter().all(|(t, _)| corpus.doc_freq(t) > 0))
        );
    }

    #[test]
    fn typos_of_corpus_words_are_read_as_those_words() {
        let corpus = Corpus(&["deported", "prison"]);
        let mut q = analyze("how many were deportd to the prsion");
        widen(&mut q, &corpus, 0.6, 0.8);
        let words: Vec<&str> = q.concepts.iter().map(|c| c.word.as_str()).collect();
        assert_eq!(words, ["deported", "prison"], "{q:?}");
        assert!(q.concepts[0].predicate, "{q:?}");
        // A real word absent from the corpus is left alone.
        let mut q = analyze("how many moons has Jupiter");
        widen(&mut q, &corpus, 0.6, 0.8);
        assert!(q.concepts.iter().any(|c| c.word == "jupiter"));
    }

    #[test]
    fn chat_typos_and_abbreviations_are_read_as_the_corpus_words_meant() {
        let corpus = Corpus(&[
            "cells",
            "el",
            "el",
            "el",
            "people",
            "hours",
            "principles",
            "local",
        ]);
        let words = |text: &str| -> Vec<String> {
            let mut q = analyze(text);
            widen(&mut q, &corpus, 0.6, 0.8);
            q.concepts.iter().map(|c| c.word.clone()).collect()
        };
        // "cels" is one edit from "cell", "cells" and "els" (whose stem,
        // "el", the corpus uses more): a commoner English word is meant.
        let cels = words("how crowded are the cels");
        assert!(cels[1].starts_with("cell"), "{cels:?}");
        // Letters dropped as in chat: the commonest word they abbreviate.
        assert_eq!(words("how many ppl"), ["people"]);
        assert_eq!(words("how many hrs"), ["hours"]);
        // A code typed without its hyphen is the code the corpus writes.
        let corpus_code = Corpus(&["ms", "13", "gang"]);
        let mut q = analyze("how many were ms13");
        widen(&mut q, &corpus_code, 0.6, 0.8);
        assert_eq!(q.concepts[0].terms, ["ms", "13"], "{q:?}");
        assert!(q.concepts[0].name, "{q:?}");
        // …and the question reads it so: its number is the code's.
        assert_eq!(q.text, "how many were ms-13", "{q:?}");
        // "pls" means "please", which this corpus does not use; "lol" keeps
        // a vowel, so it is no abbreviation of "local".
        assert_eq!(
            words("exact answer pls lol"),
            ["exact", "answer", "pls", "lol"]
        );
    }

    #[test]
    fn a_name_stands_for_one_thing_not_for_its_neighbours() {
        let corpus = Corpus(&[
            "argentina",
            "chile",
            "colombia",
            "peru",
            "venezuela",
            "venezuelan",
            "britain",
            "ireland",
            "france",
        ]);
        let related = |text: &str, word: &str| -> Vec<String> {
            let mut q = analyze(text);
            widen(&mut q, &corpus, 0.6, 0.8);
            let c = q.concepts.iter().find(|c| c.word == word).unwrap();
            c.related.iter().map(|(t, _)| t.clone()).collect()
        };
        // The model puts other countries nearest to a country: none stands in.
        let brazil = related("how many people live in brazil", "brazil");
        assert!(brazil.is_empty(), "{brazil:?}");
        // Another name of the same thing does, and a word that is no name.
        let uk = related("how much did the uk pay", "uk");
        assert_eq!(uk, ["britain"]);
        let venezuela = related("why did he leave venezuela", "venezuela");
        assert!(
            venezuela.contains(&"venezuelan".to_string()),
            "{venezuela:?}"
        );
        assert!(!venezuela.iter().any(|t| t == "colombia" || t == "peru"));
        assert_eq!(
            crate::figures::words::name_aliases("brazil"),
            Some(&["brasil"][..])
        );
        assert_eq!(crate::figures::words::name_aliases("turkey"), None);
        // Nor does a word of opposite meaning, however near in the model.
        let corpus = Corpus(&["die", "live", "outlive", "people"]);
        let mut q = analyze("how many people survived the sinking");
        widen(&mut q, &corpus, 0.6, 0.8);
        let survived = q.concepts.iter().find(|c| c.word == "survived").unwrap();
        assert!(
            !survived.related.iter().any(|(t, _)| t == "die"),
            "{:?}",
            survived.related
        );
        assert!(crate::figures::words::opposite("rise", "fall"));
        assert!(!crate::figures::words::opposite("rise", "increas"));
        // Nor do other numbers stand in for a number.
        let corpus = Corpus(&["four", "six", "twelve", "3", "5", "line"]);
        let mut q = analyze("how many stops does line 4 have");
        widen(&mut q, &corpus, 0.6, 0.8);
        let four = q.concepts.iter().find(|c| c.word == "4").unwrap();
        assert!(four.related.is_empty(), "{:?}", four.related);
    }

    /// A corpus that writes some of its words as names.
    struct Named(&'static [&'static str]);

    impl Vocabulary for Named {
        fn doc_freq(&self, _term: &str) -> u64 {
            1
        }
        fn is_name(&self, term: &str) -> bool {
            self.0.iter().any(|w| index::analyze(w) == [term])
        }
    }

    #[test]
    fn words_the_corpus_writes_as_names_are_names_in_lower_case() {
        let names = |q: &str, corpus: &Named| -> Vec<String> {
            let mut q = analyze(q);
            widen(&mut q, corpus, 0.6, 0.8);
            q.concepts
                .into_iter()
                .filter(|c| c.name)
                .map(|c| c.word)
                .collect()
        };
        let corpus = Named(&["CECOT", "War"]);
        assert_eq!(names("how many ppl got sent to cecot", &corpus), ["cecot"]);
        assert_eq!(
            names("how many ppl got sent to cecot", &corpus),
            names("HOW MANY PPL GOT SENT TO CECOT", &corpus)
        );
        // A common English word stays a word, however the corpus writes it.
        assert!(names("how long did the war last", &corpus).is_empty());
        // Nor is a word a name because the question alone is in lower case.
        assert!(names("how many ppl got sent to cecot", &Named(&[])).is_empty());
    }

    #[test]
    fn spanish_questions_are_told_from_english_ones() {
        assert!(crate::translate::is_spanish("¿Cuántas personas murieron?"));
        assert!(crate::translate::is_spanish(
            "cuantos trabajadores murieron en la presa de Kolvar"
        ));
        assert!(!crate::translate::is_spanish(
            "How many workers died at the Kolvar dam?"
        ));
        assert!(!crate::translate::is_spanish("CECOT"));
        // Spanish names in an English question do not make it Spanish.
        assert!(!crate::translate::is_spanish(
            "How many people died in La Paz de la Cruz?"
        ));
        // Its function words are no concepts.
        let q = analyze("¿Cuántos trabajadores murieron en la presa de Kolvar?");
        let words: Vec<&str> = q.concepts.iter().map(|c| c.word.as_str()).collect();
        assert_eq!(words, ["trabajadores", "murieron", "presa", "kolvar"]);
        assert!(q.spanish);
        assert_eq!(q.expect, Expect::Quantity);
    }

    #[test]
    fn chat_is_taken_off() {
        let plain = words("how many were deported to CECOT?");
        for q in [
            "@everyone how many were deported to CECOT???",
            "<@123456789012345678> how many were deported to CECOT?",
            "<@&987654321098765432> <#42> how many were deported to CECOT!!",
            "hey bot, quick question: how many were deported to CECOT? thx",
            "HOW MANY WERE DEPORTED TO CECOT?",
            "thx bot. also how many were deported to CECOT?",
            "ok lol. so how many were deported to CECOT",
        ] {
            assert_eq!(words(q), plain, "{q}");
        }
        // A stop that ends no sentence of chat stays: "U.S." is a name.
        assert_eq!(
            clean("The U.S. paid El Salvador how much?"),
            "The U.S. paid El Salvador how much?"
        );
        assert_eq!(clean("what is 2 <3 4?"), "what is 2 <3 4?");
        assert_eq!(clean("email me@here.com"), "email me@here.com");
    }

    #[test]
    fn english_predicates() {
        assert_eq!(
            predicates("How many people were deported to CECOT?"),
            vec!["deported"]
        );
        assert_eq!(predicates("How many people can CECOT hold?"), vec!["hold"]);
        assert_eq!(
            predicates("How much does El Salvador's prison system cost each year?"),
            vec!["cost"]
        );
        assert_eq!(
            predicates("How much is the United States paying El Salvador?"),
            vec!["paying"]
        );
        assert!(predicates("How many of the deported men had no criminal record?").is_empty());
        assert!(predicates("How far is CECOT from San Salvador?").is_empty());
        // A clause that dates the event holds no predicate of the figure.
        assert_eq!(
            predicates("How many people were killed when the ship was sinking?"),
            vec!["killed"]
        );
        assert!(predicates("How old was Andry when he got sent there?").is_empty());
        assert_eq!(
            predicates("How many people died when the ship sank?"),
            vec!["died"]
        );
        assert_eq!(predicates("How much feed does a goat need?"), vec!["need"]);
        // The object of a preposition at the end is no verb.
        assert!(
            !predicates("How warm does the water get in summer?").contains(&"summer".to_string())
        );
        assert_eq!(predicates("When was CECOT opened?"), vec!["opened"]);
    }

    #[test]
    fn a_related_word_stands_for_a_concept_only_as_far_as_it_is_close() {
        let mut q = analyze("How many of the deportees were women?");
        let women = q.concepts.iter_mut().find(|c| c.word == "women").unwrap();
        women.related.push(("men".to_string(), 0.63));
        let terms = |s: &str| index::analyze(s);
        assert_eq!(women.credit_in(&terms("women")), 1.0);
        assert_eq!(women.credit_in(&terms("men")), 0.63);
        assert_eq!(women.credit_in(&terms("detainees")), 0.0);
        assert!(women.mentions_any(&terms("men")));
    }

    #[test]
    fn names_said_before_the_question_are_kept_aside() {
        let asides = |text: &str| {
            let (out, question) = chat_parts(text);
            aside_names(&out[..question.start])
        };
        assert_eq!(
            asides("According to Kelvin Coast Watch, what will the terminal cost?"),
            ["Kelvin Coast Watch"]
        );
        assert_eq!(
            asides("<@123456789012345678> In El Salvador, how many were sent?"),
            ["El Salvador"]
        );
        assert!(asides("hey bot, quick question: how many were sent?").is_empty());
        assert!(asides("How many did Kelvin Coast Watch count?").is_empty());
        let q = analyze("According to Kelvin Coast Watch, what will the terminal cost?");
        let aside: Vec<&Concept> = q.concepts.iter().filter(|c| c.aside).collect();
        assert_eq!(aside.len(), 1);
        assert_eq!(aside[0].terms, index::analyze("Kelvin Coast Watch"));
        assert_eq!(q.text.trim(), "what will the terminal cost?");
    }

    #[test]
    fn names_are_one_concept() {
        assert_eq!(
            words("How much is the United States paying El Salvador?"),
            vec!["united states", "paying", "el salvador"]
        );
        assert_eq!(
            words("Who is Andry Hernández Romero?"),
            vec!["andry hernández romero"]
        );
        assert_eq!(words("Where is CECOT located?"), vec!["cecot", "located"]);
        // A possessive ends a name.
        assert_eq!(
            words("How many people work at Kelbrook's Varnholt plant?"),
            vec!["people", "work", "kelbrook", "varnholt", "plant"]
        );
        // A number right after a name is part of it.
        assert_eq!(
            words("How many months late did Line 4 open?"),
            vec!["months", "late", "line 4", "open"]
        );
        let q = analyze("What is the Alien Enemies Act?");
        assert_eq!(q.concepts[0].terms, vec!["alien", "enemi", "act"]);
        let mut set = HashSet::new();
        set.insert("alien".to_string());
        assert!((q.concepts[0].presence_in(&set) - 1.0 / 3.0).abs() < 1e-6);
    }

    #[test]
    fn query_syntax_is_just_words() {
        assert_eq!(words("title:foo AND ("), vec!["title", "foo"]);
        assert_eq!(words("title:foo and ("), vec!["title", "foo"]);
    }

    #[test]
    fn huge_questions_are_bounded() {
        let q: String = (0..5000).map(|i| format!("word{i} ")).collect();
        assert_eq!(analyze(&q).concepts.len(), MAX_CONCEPTS);
    }
}
