//! Decides which lines and sentences may be quoted as an answer.
//!
//! Web pages saved as text carry navigation, bylines, share buttons, reference
//! lists, subscription blurbs and "top questions". None of that answers a
//! question, so it is never quoted. The rules look at the *shape* of the text
//! (length, final punctuation, list markers, links, a question mark, words
//! addressed to the reader about the page itself), never at exact strings of
//! one site.

/// Characters that end a complete sentence (closing quotes and brackets may follow).
fn ends_like_sentence(line: &str) -> bool {
    let core = line.trim_end_matches(|c: char| {
        matches!(c, '"' | '”' | '’' | '\'' | ')' | ']' | '»') || c.is_ascii_digit()
    });
    // "history[6]." is handled by trimming the marker; "[1][4]" after the stop too.
    let core = core.trim_end_matches(['[', ']']);
    core.ends_with(['.', '!', '?', '。', '！', '？'])
}

/// Number of words (runs of characters with a letter or digit).
pub fn word_count(s: &str) -> usize {
    s.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// A short line without a final full stop: a heading, a label, a button,
/// a byline. It can name a section but is never an answer.
pub fn is_heading_like(line: &str) -> bool {
    let line = line.trim();
    if line.starts_with('#') {
        return true;
    }
    !ends_like_sentence(line) && word_count(line) <= 12
}

/// A line made only of punctuation, such as a reStructuredText underline.
pub fn is_rule(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty()
        && t.chars()
            .all(|c| !c.is_alphanumeric() && !c.is_whitespace())
}

/// `[3] Title https://…`, `3. Title https://…` or `^ Title …`: an entry of a reference list.
/// Returns the entry number when the line starts with one.
pub fn reference_entry(line: &str) -> Option<(u32, &str)> {
    let t = line.trim();
    let rest = t.strip_prefix('[')?;
    let close = rest.find(']')?;
    let n: u32 = rest[..close].trim().parse().ok()?;
    let tail = rest[close + 1..].trim();
    (!tail.is_empty()).then_some((n, tail))
}

pub fn has_link(s: &str) -> bool {
    s.contains("http://") || s.contains("https://") || s.contains("www.")
}

/// A paragraph (one or more lines) that as a whole is not quotable.
pub fn paragraph_is_quotable(text: &str) -> bool {
    let t = text.trim();
    if is_heading_like(t) || is_rule(t) {
        return false;
    }
    if reference_entry(t).is_some() && has_link(t) {
        return false;
    }
    // A teaser cut off mid-sentence ("…261 people that…").
    if t.ends_with('…') || t.ends_with("...") {
        return false;
    }
    true
}

/// Phrases by which a page talks about itself or to its reader, rather than
/// about its subject: site chrome, not content.
const META_CUES: &[&str] = &[
    "this article",
    "the article",
    "this page",
    "this post",
    "this site",
    "this website",
    "citation style",
    "subscribe",
    "subscription",
    "subscriber",
    "newsletter",
    "sign up",
    "log in",
    "login",
    "cookie",
    "privacy policy",
    "terms of use",
    "all rights reserved",
    "click here",
    "read more",
    "learn more",
    "let us know",
    "your feedback",
    "leave a reply",
    "leave a comment",
    "share this",
    "disclaimer",
    "can make mistakes",
];

/// One sentence of a quotable paragraph: is it fit to be an answer?
pub fn sentence_is_quotable(sentence: &str) -> bool {
    let t = sentence.trim();
    if word_count(t) < 4 || t.len() > 2000 {
        return false;
    }
    let lower = t.to_lowercase();
    let core = lower.trim_end_matches(|c: char| {
        matches!(c, '"' | '”' | '’' | '\'' | ')' | ']') || c.is_ascii_digit() || c == '['
    });
    // A question, or a lead-in to what follows ("He commented on the situation:").
    if core.ends_with('?') || core.ends_with(':') {
        return false;
    }
    if META_CUES.iter().any(|cue| lower.contains(cue)) {
        return false;
    }
    // Requests to the reader: "Please verify…", "If you haven't already, please also read…".
    if lower.starts_with("please ") || (lower.contains("please") && lower.contains("you")) {
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn navigation_and_bylines_are_not_quotable() {
        for line in [
            "Select Citation Style",
            "Leave a Reply",
            "Liam Avatar",
            "By",
            "Feedback",
            "Thank you for your feedback",
            "Citations:",
            "Spanish:",
            "prison, Tecoluca, El Salvador",
            "Checked on November 29, 2025",
            "Historical Context and Establishment",
            "# A heading that ends with a period.",
            "=======",
        ] {
            assert!(
                !paragraph_is_quotable(line),
                "{line:?} should not be quotable"
            );
        }
    }

    #[test]
    fn reference_lists_are_not_quotable() {
        let line = "[4] What we know about El Salvador’s ‘mega prison’ https://www.cnn.com/2025/03/17/x.html";
        assert!(!paragraph_is_quotable(line));
        assert_eq!(reference_entry(line).map(|(n, _)| n), Some(4));
        assert_eq!(reference_entry("[12]"), None);
        assert_eq!(reference_entry("No marker"), None);
    }

    #[test]
    fn truncated_teasers_are_not_quotable() {
        assert!(!paragraph_is_quotable(
            "Cecot is attracting attention. Most recently, it provided shelter for 261 people that…"
        ));
    }

    #[test]
    fn questions_and_page_chrome_sentences_are_not_quotable() {
        for s in [
            "What is CECOT, and where is it located?",
            "Prefer a one-time support option?",
            "Why would the u.s. purposely send people there?",
            "Disclaimer: Factually can make mistakes.",
            "Please verify important information or breaking news.",
            "Our editors will review what you’ve submitted and determine whether to revise the article.",
            "Subscriber Fee Transparency: Currently, 100% of subscription fees are going into journalism.",
            "If you haven't already, please also read Disposable People to understand the context.",
            "Learn more.",
            "Corrections? Updates? Omissions?",
            "Gustavo Flores-Macias commented on the situation:",
        ] {
            assert!(!sentence_is_quotable(s), "{s:?} should not be quotable");
        }
    }

    #[test]
    fn prose_is_quotable() {
        for s in [
            "Of the 238 men Trump sent to CECOT, 179 had no criminal record whatsoever; no criminal history, either in the U.S. or abroad.",
            "The deadliest day in the country’s recent history[6].",
            "Extreme overcrowding: Cells regularly hold 80–100 prisoners, more than twice their intended capacity.",
            "As Miguel Sarre put it, the prison was built to “dispose of people without formally applying the death penalty.”",
        ] {
            assert!(
                paragraph_is_quotable(s),
                "{s:?} paragraph should be quotable"
            );
            assert!(sentence_is_quotable(s), "{s:?} should be quotable");
        }
    }
}
