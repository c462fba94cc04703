//! Sentence boundaries inside one paragraph, as exact byte ranges.
//!
//! The Unicode sentence rules (UAX #29, from `unicode-segmentation`) do the
//! work: they already keep decimals ("23.5"), ranges ("250–288"), reference
//! markers ("history[6].") and closing curly quotes in place. On top of them
//! this module only (1) treats line breaks inside a paragraph as spaces, since
//! wrapped text breaks lines mid-sentence, and (2) re-joins a sentence that the
//! rules ended after a known abbreviation ("Pres. Nayib Bukele", "U.S. President").

use unicode_segmentation::UnicodeSegmentation;

/// Abbreviations that end with a period but rarely end a sentence
/// (compared case-insensitively, without the final period).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "pres", "gov", "gen", "sen", "rep", "rev", "lt", "col", "sgt",
    "capt", "cmdr", "adm", "st", "jr", "sr", "mt", "no", "nos", "vol", "vols", "fig", "figs", "p",
    "pp", "vs", "v", "e.g", "i.e", "cf", "al", "approx", "est", "dept", "univ", "inc", "ltd", "co",
    "corp", "jan", "feb", "apr", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n",
    "e.u", "a.m", "p.m", "ph.d", "sq", "ft", "ca",
];

/// Splits `text` (one paragraph, may contain line breaks) into sentences and
/// returns their byte ranges relative to `text`, trimmed of surrounding white space.
pub fn split(text: &str) -> Vec<(usize, usize)> {
    // Same byte length: offsets found in `flat` are offsets in `text`.
    let flat = text.replace(['\n', '\r'], " ");
    let mut pieces: Vec<(usize, usize)> = Vec::new();
    for (start, piece) in flat.split_sentence_bound_indices() {
        let Some((s, e)) = trim_range(piece) else {
            continue;
        };
        let (s, e) = (start + s, start + e);
        match pieces.last_mut() {
            Some(last) if ends_with_abbreviation(&flat[last.0..last.1]) => last.1 = e,
            _ => pieces.push((s, e)),
        }
    }
    pieces
}

fn trim_range(s: &str) -> Option<(usize, usize)> {
    let start = s.len() - s.trim_start().len();
    let end = s.trim_end().len();
    (start < end).then_some((start, end))
}

/// True when the sentence ends in "<abbreviation>." so the period is not a full stop.
fn ends_with_abbreviation(sentence: &str) -> bool {
    let Some(body) = sentence.strip_suffix('.') else {
        return false;
    };
    let word = body
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“')
        .next()
        .unwrap_or("");
    let lower = word.to_lowercase();
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return true;
    }
    // An initial ("Donald J. Trump") or dotted initials ("U.S.A", "D.C").
    let is_initials = !word.is_empty()
        && word
            .split('.')
            .all(|part| part.chars().count() == 1 && part.chars().all(char::is_alphabetic));
    is_initials && word.chars().next().is_some_and(char::is_uppercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: &[&str]) {
        let got: Vec<&str> = split(text).into_iter().map(|(s, e)| &text[s..e]).collect();
        assert_eq!(got, expected, "splitting {text:?}");
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        check(
            "It began under Salvadoran Pres. Nayib Bukele in 2022. It opened in 2023.",
            &[
                "It began under Salvadoran Pres. Nayib Bukele in 2022.",
                "It opened in 2023.",
            ],
        );
        check(
            "According to U.S. officials, 250 individuals were flown. The U.S. President agreed.",
            &[
                "According to U.S. officials, 250 individuals were flown.",
                "The U.S. President agreed.",
            ],
        );
        check(
            "See No. 5 for details. Under Pres. Donald J. Trump it changed.",
            &[
                "See No. 5 for details.",
                "Under Pres. Donald J. Trump it changed.",
            ],
        );
        check(
            "Dr. Smith left at 5 p.m. on Monday. Then he returned.",
            &["Dr. Smith left at 5 p.m. on Monday.", "Then he returned."],
        );
    }

    #[test]
    fn numbers_stay_whole() {
        check(
            "Each has 0.6 sq m of space. They stay 23.5 hours daily. NGOs tracked roughly 250–288 people.",
            &[
                "Each has 0.6 sq m of space.",
                "They stay 23.5 hours daily.",
                "NGOs tracked roughly 250–288 people.",
            ],
        );
    }

    #[test]
    fn reference_markers_stay_with_their_sentence() {
        check(
            "The deadliest day in recent history[6]. This crisis prompted it[1][4]. Next one.",
            &[
                "The deadliest day in recent history[6].",
                "This crisis prompted it[1][4].",
                "Next one.",
            ],
        );
        check(
            "They report torture (HRW, Guardian) [1] [2] [3]. U.S. officials paid.",
            &[
                "They report torture (HRW, Guardian) [1] [2] [3].",
                "U.S. officials paid.",
            ],
        );
    }

    #[test]
    fn curly_quotes_close_the_sentence() {
        check(
            "It was built to “dispose of people without formally applying the death penalty.” In many cases they stay.",
            &[
                "It was built to “dispose of people without formally applying the death penalty.”",
                "In many cases they stay.",
            ],
        );
    }

    #[test]
    fn wrapped_lines_are_one_sentence_and_offsets_are_exact() {
        let text = "The kernel\nallocates memory\r\nquickly. Second\nsentence here.";
        check(
            text,
            &[
                "The kernel\nallocates memory\r\nquickly.",
                "Second\nsentence here.",
            ],
        );
    }

    #[test]
    fn questions_and_exclamations_split() {
        check(
            "Why? Because it is cheap! Fine.",
            &["Why?", "Because it is cheap!", "Fine."],
        );
    }
}
