//! What kinds of answer a sentence can give — a number, a place, a time, a
//! person — computed once at indexing time so that ranking can prefer
//! sentences of the kind a question asks for without re-reading them.

/// The sentence states a quantity.
pub const QUANTITY: u64 = 1;
/// It names or locates a place.
pub const PLACE: u64 = 2;
/// It gives a year or a month.
pub const TIME: u64 = 4;
/// It names people.
pub const PERSON: u64 = 8;
/// It says what something is ("X is a…", "X (Y), a…").
pub const DEFINES: u64 = 16;

/// Cues of a definition near the start of a sentence.
const DEFINITION_CUES: &[&str] = &[
    " is a ",
    " is an ",
    " is the ",
    " are a ",
    " are the ",
    " was a ",
    " was an ",
    " was the ",
    " is one of ",
    " refers to ",
    " means ",
    "), ",
    " – a ",
    " — a ",
];

/// The kinds of answer `text` can give, as bits.
pub fn kinds(text: &str) -> u64 {
    let mut k = 0;
    if has_number(text) {
        k |= QUANTITY;
    }
    let lower = text.to_lowercase();
    if [
        "located",
        "situated",
        " near ",
        "miles from",
        "km from",
        "north of",
        "south of",
        "east of",
        "west of",
    ]
    .iter()
    .any(|cue| lower.contains(cue))
        || capitalized_after(text, &["in", "at", "near"])
    {
        k |= PLACE;
    }
    if has_year(text) || MONTHS.iter().any(|m| text.contains(m)) {
        k |= TIME;
    }
    let head: String = lower.chars().take(120).collect();
    if DEFINITION_CUES.iter().any(|cue| head.contains(cue)) {
        k |= DEFINES;
    }
    if text
        .split_whitespace()
        .skip(1)
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count()
        >= 2
    {
        k |= PERSON;
    }
    k
}

/// The text without reference markers such as `[5]`, whose digits are not figures.
fn without_markers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find(']') {
            Some(close)
                if after[..close]
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == ',' || c == ' ') =>
            {
                rest = &after[close + 1..];
            }
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Words that state an amount without digits, beyond the cardinals.
const AMOUNT_WORDS: &[&str] = &[
    "hundreds",
    "thousands",
    "millions",
    "dozen",
    "dozens",
    "twice",
    "half",
];

fn has_number(text: &str) -> bool {
    without_markers(text).chars().any(|c| c.is_ascii_digit())
        || text.split(|c: char| !c.is_alphabetic()).any(|w| {
            let w = w.to_lowercase();
            crate::figures::lexicon::NUMBER_WORDS.contains(&w.as_str())
                || AMOUNT_WORDS.contains(&w.as_str())
        })
}

fn has_year(text: &str) -> bool {
    without_markers(text)
        .split(|c: char| !c.is_ascii_digit())
        .any(|d| d.len() == 4 && (d.starts_with("1") || d.starts_with("20")))
}

fn capitalized_after(text: &str, preps: &[&str]) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    words
        .windows(2)
        .any(|w| preps.contains(&w[0]) && w[1].chars().next().is_some_and(char::is_uppercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_of_answer_are_recognised() {
        for (text, want, not) in [
            ("It holds 40,000 inmates.", QUANTITY, 0),
            ("It was used three times.", QUANTITY, 0),
            ("It is a large prison.", 0, QUANTITY),
            ("Abuse was reported [1] [2] [11].", 0, QUANTITY),
            ("The prison is located in the town.", PLACE, 0),
            ("It was built in Tecoluca last year.", PLACE, 0),
            ("It was built quickly.", 0, PLACE),
            ("It opened in 2023.", TIME, 0),
            ("It opened in March.", TIME, 0),
            ("It holds 40,000 inmates.", 0, TIME),
            ("It was built by Nayib Bukele for Donald Trump.", PERSON, 0),
            (
                "CECOT (Centro de Confinamiento del Terrorismo) is a sprawling prison.",
                DEFINES,
                0,
            ),
            (
                "Terrorism Confinement Center (CECOT), maximum-security mega-prison.",
                DEFINES,
                0,
            ),
            ("The prison opened in 2023.", 0, DEFINES),
        ] {
            let k = kinds(text);
            assert_eq!(k & want, want, "{text}");
            assert_eq!(k & not, 0, "{text}");
        }
    }
}
