//! Question analysis: what kind of answer is expected, and which concepts the
//! question is about, each as a group of interchangeable analyzed terms (the
//! word itself plus a few words that questions and documents use for the
//! same thing: "deported" / "sent" / "flown").
//!
//! Boundary: works on the question alone. Term rarity (how much each concept
//! weighs) is looked up by the caller, which knows the index. The user's text
//! is only ever split into words here; it is never parsed as query syntax.

use std::collections::HashMap;
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
    Other,
}

/// One concept of the question: the analyzed term as asked, then its related terms.
#[derive(Debug, Clone, PartialEq)]
pub struct Concept {
    /// The word as the user wrote it.
    pub word: String,
    /// Analyzed terms; `terms[0]` is the question's own.
    pub terms: Vec<String>,
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
const RELATED: &[&[&str]] = &[
    &[
        "deported",
        "deport",
        "deportation",
        "deportee",
        "sent",
        "send",
        "transferred",
        "transfer",
        "flown",
        "flew",
        "expelled",
        "expel",
        "removed",
        "removal",
    ],
    &[
        "prisoners",
        "prisoner",
        "inmates",
        "inmate",
        "detainees",
        "detainee",
        "convicts",
        "incarcerated",
        "imprisoned",
    ],
    &["people", "persons", "individuals", "men", "women"],
    &[
        "killed",
        "kill",
        "died",
        "die",
        "death",
        "deaths",
        "dead",
        "murdered",
        "fatalities",
    ],
    &[
        "hold",
        "holds",
        "held",
        "kept",
        "keep",
        "capacity",
        "house",
        "houses",
        "housing",
        "accommodate",
        "confine",
        "contain",
    ],
    &[
        "pay", "paying", "paid", "payment", "funds", "funding", "fee",
    ],
    &[
        "cost", "costs", "budget", "spend", "spending", "expense", "expenses",
    ],
    &[
        "far",
        "distance",
        "away",
        "miles",
        "mile",
        "km",
        "kilometers",
        "kilometres",
    ],
    &[
        "hot",
        "heat",
        "temperature",
        "temperatures",
        "degrees",
        "warm",
    ],
    &["cold", "temperature", "temperatures", "degrees", "freezing"],
    &[
        "long", "duration", "hours", "days", "weeks", "months", "years",
    ],
    &["day", "days", "daily"],
    &["locked", "lock", "confined", "confinement", "shut"],
    &["space", "room", "area", "square", "sq"],
    &["located", "location", "situated", "lies", "site"],
    &["size", "large", "big", "largest", "biggest", "capacity"],
    &["old", "age", "aged"],
    &[
        "built",
        "build",
        "constructed",
        "construction",
        "opened",
        "open",
        "founded",
    ],
    &["used", "use", "invoked", "invoke", "invocation", "applied"],
    &["law", "act", "statute", "legislation"],
    &["arrested", "arrest", "detained", "detain", "captured"],
    &["released", "release", "freed", "leave"],
    &["percent", "percentage", "proportion", "share"],
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
    let mut concepts: Vec<Concept> = Vec::new();
    for word in lower.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() || QUESTION_WORDS.contains(&word) {
            continue;
        }
        let Some(term) = index::analyze(word).into_iter().next() else {
            continue;
        };
        if concepts.iter().any(|c| c.terms[0] == term) {
            continue;
        }
        let mut terms = vec![term.clone()];
        if let Some(rel) = related().get(&term) {
            terms.extend(rel.iter().cloned());
        }
        concepts.push(Concept {
            word: word.to_string(),
            terms,
        });
        if concepts.len() == MAX_CONCEPTS {
            break;
        }
    }
    Question { expect, concepts }
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
            ("What is the Alien Enemies Act?", Expect::Other),
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
            vec!["miguel", "sarre", "cecot"]
        );
        assert!(words("").is_empty());
        assert!(words("??? !!! \u{0}\u{7}").is_empty());
    }

    #[test]
    fn related_terms_are_attached() {
        let q = analyze("How many were deported?");
        let deported = &q.concepts[0];
        assert_eq!(deported.terms[0], "deport");
        assert!(deported.terms.contains(&"sent".to_string()));
        assert!(deported.terms.contains(&"flown".to_string()));
    }

    #[test]
    fn query_syntax_is_just_words() {
        assert_eq!(words("title:foo AND ("), vec!["title", "foo"]);
    }

    #[test]
    fn huge_questions_are_bounded() {
        let q: String = (0..5000).map(|i| format!("word{i} ")).collect();
        assert_eq!(analyze(&q).concepts.len(), MAX_CONCEPTS);
    }
}
