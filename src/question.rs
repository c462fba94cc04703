//! Question analysis: what kind of answer is expected, and which concepts the
//! question is about, each as a group of interchangeable analyzed terms (the
//! word itself plus a few words that questions and documents use for the
//! same thing: "deported" / "sent" / "flown").
//!
//! Boundary: works on the question alone. Term rarity (how much each concept
//! weighs) is looked up by the caller, which knows the index. The user's text
//! is only ever split into words here; it is never parsed as query syntax.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::index;

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
    /// Analyzed terms of words used for the same thing ("sent" for "deported").
    pub related: Vec<String>,
    /// The question's verb: what happens to what is counted ("deported",
    /// "died", "can … hold"), as opposed to who or where.
    pub predicate: bool,
}

/// Credit for a concept found through a related word rather than its own.
pub const RELATED_CREDIT: f32 = 0.85;

impl Concept {
    /// How fully the concept is present, given which analyzed terms are: 1
    /// when all its own terms are, [`RELATED_CREDIT`] through a related word,
    /// and for a name the share of its words that are.
    pub fn presence(&self, has: impl Fn(&str) -> bool) -> f32 {
        let own = self.terms.iter().filter(|t| has(t)).count();
        if own == self.terms.len() {
            1.0
        } else if self.related.iter().any(|t| has(t)) {
            RELATED_CREDIT
        } else {
            own as f32 / self.terms.len() as f32
        }
    }

    /// [`Concept::presence`] in a set of analyzed terms.
    pub fn presence_in(&self, set: &HashSet<String>) -> f32 {
        self.presence(|t| set.contains(t))
    }

    /// Does any of its terms, own or related, appear in `terms`?
    pub fn mentions_any(&self, terms: &[String]) -> bool {
        self.terms
            .iter()
            .chain(&self.related)
            .any(|t| terms.contains(t))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub expect: Expect,
    pub concepts: Vec<Concept>,
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

/// Groups of words that questions and documents use for the same thing.
/// General English, not tied to any corpus.
#[rustfmt::skip]
const RELATED: &[&[&str]] = &[
    &["deported", "deport", "deportation", "deportee", "sent", "send", "transferred", "transfer",
      "flown", "flew", "expelled", "expel", "removed", "removal"],
    &["prisoners", "prisoner", "inmates", "inmate", "detainees", "detainee", "convicts",
      "incarcerated", "imprisoned"],
    &["prison", "prisons", "jail", "jails", "penitentiary", "detention"],
    &["people", "persons", "individuals", "men", "women", "residents", "inhabitants", "villagers",
      "locals", "citizens", "civilians"],
    &["died", "die", "dies", "dying", "death", "deaths", "dead", "fatalities"],
    &["killed", "kill", "killing", "murdered", "murder", "deaths", "dead"],
    &["hold", "holds", "held", "kept", "keep", "capacity", "house", "houses", "housing", "home",
      "accommodate", "confine", "contain"],
    &["pay", "paying", "paid", "payment", "funds", "funding", "fee"],
    &["cost", "costs", "budget", "spend", "spending", "expense", "expenses"],
    &["far", "distance", "away", "miles", "mile", "km", "kilometers", "kilometres"],
    &["hot", "heat", "temperature", "temperatures", "degrees", "warm"],
    &["cold", "temperature", "temperatures", "degrees", "freezing"],
    &["long", "duration", "hours", "days", "weeks", "months", "years"],
    &["day", "days", "daily"],
    &["locked", "lock", "confined", "confinement", "shut"],
    &["space", "room", "area", "square", "sq"],
    &["located", "location", "situated", "lies", "site"],
    &["size", "large", "big", "largest", "biggest", "capacity"],
    &["old", "age", "aged"],
    &["built", "build", "constructed", "construction", "opened", "open", "founded"],
    &["used", "use", "invoked", "invoke", "invocation", "applied"],
    &["law", "act", "statute", "legislation"],
    &["arrested", "arrest", "detained", "detain", "captured"],
    &["released", "release", "freed", "leave"],
    &["percent", "percentage", "proportion", "share"],
    &["deep", "depth", "deepest"],
    &["tall", "height", "high", "highest", "tallest"],
    &["wide", "width", "widest"],
    &["long", "length", "longest"],
    &["relocated", "relocate", "relocation", "displaced", "displace", "evacuated", "evacuate",
      "resettled", "resettle", "moved"],
    &["visit", "visits", "visited", "visitors", "tourists", "tourism"],
    &["summer", "june", "july", "august"],
    &["winter", "december", "january", "february"],
    &["completed", "complete", "completion", "finished", "opened", "inaugurated"],
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

/// Analyzes a question. Never fails: an empty or odd question has no concepts.
pub fn analyze(text: &str) -> Question {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let lower = clean.to_lowercase();
    let expect = expect(&lower);
    let words: Vec<&str> = clean
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut concepts: Vec<Concept> = Vec::new();
    let mut i = 0;
    while i < words.len() && concepts.len() < MAX_CONCEPTS {
        // A run of capitalized words after the first word is one name.
        let mut j = i;
        while j < words.len() && is_name_word(words[j], j) {
            j += 1;
        }
        let (run, next) = if j > i + 1 {
            (&words[i..j], j)
        } else {
            (&words[i..i + 1], i + 1)
        };
        i = next;
        let word = run.join(" ").to_lowercase();
        if run.len() == 1 && QUESTION_WORDS.contains(&word.as_str()) {
            continue;
        }
        let terms: Vec<String> = run.iter().flat_map(|w| index::analyze(w)).collect();
        if terms.is_empty() || concepts.iter().any(|c| c.terms == terms) {
            continue;
        }
        let mut related: Vec<String> = Vec::new();
        if run.len() == 1 {
            if let Some(rel) = self::related().get(&terms[0]) {
                related.extend(rel.iter().cloned());
            }
            // A demonym also finds its place: "Salvadoran" → "Salvador".
            if run[0].chars().next().is_some_and(char::is_uppercase)
                && word.len() > 5
                && word.ends_with('n')
            {
                for stem in [&word[..word.len() - 1], word.trim_end_matches("an")] {
                    related.extend(
                        index::analyze(stem)
                            .into_iter()
                            .filter(|t| !terms.contains(t)),
                    );
                }
            }
            related.dedup();
        }
        let predicate = run.len() == 1 && is_predicate(&words, next - 1);
        concepts.push(Concept {
            word,
            terms,
            related,
            predicate,
        });
    }
    Question { expect, concepts }
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
    let w = words[i];
    if w.chars().next().is_some_and(char::is_uppercase) || PREPOSITIONS.contains(&w) {
        return false;
    }
    let lower = w.to_lowercase();
    let after_determiner = i > 0 && DETERMINERS.contains(&words[i - 1].to_lowercase().as_str());
    let participle = (lower.len() > 4 && lower.ends_with("ed"))
        || (lower.len() > 5 && lower.ends_with("ing"))
        || IRREGULAR_PARTICIPLES.contains(&lower.as_str());
    if participle {
        return !after_determiner;
    }
    let aux_before = words[..i]
        .iter()
        .any(|x| AUXILIARIES.contains(&x.to_lowercase().as_str()));
    let ends_clause = words
        .get(i + 1)
        .is_none_or(|n| FOLLOWERS.contains(&n.to_lowercase().as_str()));
    aux_before && ends_clause && !after_determiner
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
    if first == "when" || has_pair("what", &["year", "date", "day", "month"]) {
        return Expect::Time;
    }
    if words.contains(&"where") {
        return Expect::Place;
    }
    if first == "who" || words.get(..2) == Some(&["who", "is"][..]) {
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

    #[test]
    fn related_terms_are_attached() {
        let q = analyze("How many were deported?");
        let deported = &q.concepts[0];
        assert_eq!(deported.terms, vec!["deport"]);
        assert!(deported.related.contains(&"sent".to_string()));
        assert!(deported.related.contains(&"flown".to_string()));
        let q = analyze("How many died in Salvadoran prisons?");
        assert!(
            q.concepts[1].related.contains(&"salvador".to_string()),
            "{q:?}"
        );
    }

    #[test]
    fn predicates() {
        let predicates = |q: &str| -> Vec<String> {
            analyze(q)
                .concepts
                .into_iter()
                .filter(|c| c.predicate)
                .map(|c| c.word)
                .collect()
        };
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
