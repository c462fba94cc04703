//! Answers as Discord messages: one embed, buttons, and nothing that can
//! ping or break out of a quote. Pure functions over plain data — this file
//! knows Discord's limits and markdown, not serenity.
//!
//! Boundary: every string it returns is within Discord's limits (embed title
//! 256, description 4096, field 1024, footer 2048, 6000 in all, custom_id
//! 100), quoted text has Discord markdown escaped and mentions defused, and a
//! quote is only ever shortened at a sentence or word boundary with `…`.

use std::fmt::Write;

use crate::answer::{Answer, Extract, Source};

pub const TITLE_MAX: usize = 256;
pub const DESCRIPTION_MAX: usize = 4096;
pub const FIELD_NAME_MAX: usize = 256;
pub const FIELD_VALUE_MAX: usize = 1024;
pub const FIELDS_MAX: usize = 25;
pub const FOOTER_MAX: usize = 2048;
pub const EMBED_TOTAL_MAX: usize = 6000;
pub const CONTENT_MAX: usize = 2000;
pub const CUSTOM_ID_MAX: usize = 100;

/// Sources listed per page of `/sources`.
pub const SOURCES_PER_PAGE: usize = 10;

/// A message for Discord, before it becomes a serenity builder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub title: String,
    pub description: String,
    /// (name, value) pairs.
    pub fields: Vec<(String, String)>,
    pub footer: String,
    pub buttons: Vec<Button>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub custom_id: String,
    pub label: String,
}

/// Custom ids of the buttons. An answer's buttons carry no data: what they
/// need is kept by the bot under the message's id.
pub mod ids {
    pub const PIN: &str = "pin";
    pub const MORE: &str = "more";
    pub const SOURCES: &str = "sources";

    /// More, also on messages of versions that wrote "more:<skip>:<asker>".
    pub fn is_more(id: &str) -> bool {
        id == MORE || id.starts_with("more:")
    }

    /// "sources:<page>"
    pub fn sources(page: usize) -> String {
        format!("{SOURCES}:{page}")
    }

    pub fn parse_sources(id: &str) -> Option<usize> {
        id.strip_prefix(SOURCES)?.strip_prefix(':')?.parse().ok()
    }
}

/// The answer message; its extracts are numbered from `skip + 1`. `footer` is
/// the bot's own line (corpus fingerprint, who pinned it).
pub fn answer(answer: &Answer, skip: usize, footer: &str) -> Reply {
    let title = cut(&escape(answer.question.trim()), TITLE_MAX);
    let title = if title.is_empty() {
        "(empty question)".to_string()
    } else {
        title
    };
    if !answer.answered {
        return Reply {
            title,
            description: answer
                .message
                .clone()
                .unwrap_or_else(|| crate::NOT_FOUND.into()),
            fields: Vec::new(),
            footer: cut(footer, FOOTER_MAX),
            buttons: Vec::new(),
        };
    }
    let mut description = String::new();
    if let Some(figures) = &answer.figures {
        let mut block = format!("**{}**\n", escape(&super::verdict(figures)));
        for v in &figures.values {
            let refs: String = v
                .extracts
                .iter()
                .map(|i| format!("[{}]", skip + i + 1))
                .collect();
            let docs: Vec<String> = v
                .docs
                .iter()
                .map(|d| {
                    let name = answer
                        .extracts
                        .iter()
                        .find(|e| &e.doc == d)
                        .map_or(d.as_str(), super::source_name);
                    escape(&cut(name, 60))
                })
                .collect();
            let _ = writeln!(
                block,
                "• **{}** — {} {}",
                escape(&super::figure_label(v)),
                docs.join(", "),
                refs
            );
        }
        block.push('\n');
        push_within(&mut description, &block, DESCRIPTION_MAX / 2);
    }
    let mut shown = 0;
    for (i, e) in answer.extracts.iter().enumerate() {
        let citation = format!("— {}\n\n", escape(&citation(e)));
        let label = format!("**[{}]** ", skip + i + 1);
        let room = DESCRIPTION_MAX
            .saturating_sub(description.chars().count())
            .saturating_sub(label.chars().count() + citation.chars().count() + 4);
        if room < 120 {
            break;
        }
        let quote = block_quote(&shorten(&e.quote, room.min(1200)));
        let _ = write!(description, "{label}\n{quote}\n{citation}");
        shown += 1;
    }
    if shown < answer.extracts.len() {
        let note = format!(
            "…{} more extract(s) did not fit.",
            answer.extracts.len() - shown
        );
        push_within(&mut description, &note, DESCRIPTION_MAX);
    }
    let mut fields = Vec::new();
    let mut sources = String::new();
    for (i, e) in answer.extracts.iter().take(shown).enumerate() {
        let file = e.doc.replace('`', "'");
        let line = match &e.url {
            Some(url) if url.starts_with("http://") || url.starts_with("https://") => format!(
                "[{}] [{}](<{}>) · `{file}`\n",
                skip + i + 1,
                escape(&cut(&e.title, 80)),
                url.replace('>', "%3E")
            ),
            _ => format!(
                "[{}] {} · `{file}`\n",
                skip + i + 1,
                escape(&cut(&e.title, 80))
            ),
        };
        if sources.chars().count() + line.chars().count() > FIELD_VALUE_MAX {
            break;
        }
        sources.push_str(&line);
    }
    if !sources.is_empty() {
        fields.push(("Sources".to_string(), sources));
    }
    let mut reply = Reply {
        title,
        description: description.trim_end().to_string(),
        fields,
        footer: cut(footer, FOOTER_MAX),
        buttons: vec![
            Button {
                custom_id: ids::MORE.into(),
                label: "More".into(),
            },
            Button {
                custom_id: ids::PIN.into(),
                label: "Pin".into(),
            },
        ],
    };
    fit_total(&mut reply);
    reply
}

/// One page of `/sources`, with page buttons when there are more.
pub fn sources(sources: &[Source], skipped: usize, page: usize) -> Reply {
    let pages = sources.len().div_ceil(SOURCES_PER_PAGE).max(1);
    let page = page.min(pages - 1);
    let mut description = String::new();
    for (i, s) in sources
        .iter()
        .enumerate()
        .skip(page * SOURCES_PER_PAGE)
        .take(SOURCES_PER_PAGE)
    {
        let mut line = format!("**{}.** {}", i + 1, escape(&cut(&s.meta.title, 120)));
        for part in [&s.meta.publisher, &s.meta.date].into_iter().flatten() {
            let _ = write!(line, " — {}", escape(&cut(part, 80)));
        }
        if let Some(url) = s.meta.url.as_ref().filter(|u| u.starts_with("http")) {
            let _ = write!(line, " — <{}>", url.replace('>', "%3E"));
        }
        let _ = writeln!(line, "\n`{}`", s.doc.replace('`', "'"));
        push_within(&mut description, &line, DESCRIPTION_MAX);
    }
    if sources.is_empty() {
        description = "The corpus has no documents.".into();
    }
    let mut footer = format!("{} documents · page {} of {pages}", sources.len(), page + 1);
    if skipped > 0 {
        let _ = write!(footer, " · {skipped} file(s) skipped");
    }
    let mut buttons = Vec::new();
    if page > 0 {
        buttons.push(Button {
            custom_id: ids::sources(page - 1),
            label: "Previous".into(),
        });
    }
    if page + 1 < pages {
        buttons.push(Button {
            custom_id: ids::sources(page + 1),
            label: "Next".into(),
        });
    }
    Reply {
        title: "Documents".into(),
        description,
        fields: Vec::new(),
        footer,
        buttons,
    }
}

/// A short message in an embed (refusals, errors, reload reports).
pub fn notice(title: &str, text: &str) -> Reply {
    Reply {
        title: cut(title, TITLE_MAX),
        description: cut(text, DESCRIPTION_MAX),
        fields: Vec::new(),
        footer: String::new(),
        buttons: Vec::new(),
    }
}

/// Plain text made safe for Discord: markdown escaped, mentions defused,
/// line breaks kept out.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' | '*' | '_' | '~' | '`' | '|' | '>' | '#' | '-' | '[' | ']' | '(' | ')' | '<'
            | ':' => {
                out.push('\\');
                out.push(c);
            }
            // A zero-width space after "@" keeps "@everyone" and "@here" inert.
            '@' => out.push_str("@\u{200b}"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Escaped text as a Markdown block quote.
fn block_quote(text: &str) -> String {
    format!("> {}", escape(text))
}

fn citation(e: &Extract) -> String {
    let mut s = e.title.clone();
    if let Some(p) = &e.publisher {
        let _ = write!(s, ", {p}");
    }
    if e.paragraph > 0 {
        let _ = write!(s, ", ¶ {}", e.paragraph);
    }
    if let Some(section) = &e.section {
        let _ = write!(s, " “{}”", cut(section, 80));
    }
    s
}

/// At most `max` characters of `text`, cut at a word boundary with `…`.
pub fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let limit: String = text.chars().take(max.saturating_sub(1)).collect();
    let at = limit
        .rfind(char::is_whitespace)
        .filter(|&i| i > limit.len() / 2)
        .unwrap_or(limit.len());
    format!("{}…", limit[..at].trim_end())
}

/// A quote of at most `max` characters: whole when it fits, else up to the
/// last sentence end (or word) that fits, marked with `…`. Never joins text
/// from two places.
pub fn shorten(quote: &str, max: usize) -> String {
    if quote.chars().count() <= max {
        return quote.to_string();
    }
    let limit: String = quote.chars().take(max.saturating_sub(1)).collect();
    let sentence_end = limit
        .char_indices()
        .rfind(|&(i, c)| {
            matches!(c, '.' | ';' | '!' | '?')
                && limit[i + 1..].starts_with(' ')
                && i + 1 > limit.len() / 3
        })
        .map(|(i, _)| i + 1);
    match sentence_end {
        Some(i) => format!("{} …", &limit[..i]),
        None => cut(quote, max),
    }
}

fn push_within(out: &mut String, text: &str, max: usize) {
    let room = max.saturating_sub(out.chars().count());
    if text.chars().count() <= room {
        out.push_str(text);
    } else if room > 1 {
        out.push_str(&cut(text, room));
    }
}

/// Characters Discord counts towards the 6000 of an embed.
pub fn total_len(r: &Reply) -> usize {
    r.title.chars().count()
        + r.description.chars().count()
        + r.footer.chars().count()
        + r.fields
            .iter()
            .map(|(n, v)| n.chars().count() + v.chars().count())
            .sum::<usize>()
}

fn fit_total(r: &mut Reply) {
    while total_len(r) > EMBED_TOTAL_MAX && !r.fields.is_empty() {
        r.fields.pop();
    }
    let over = total_len(r).saturating_sub(EMBED_TOTAL_MAX);
    if over > 0 {
        let keep = r.description.chars().count().saturating_sub(over + 1);
        r.description = cut(&r.description, keep);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::{Answer, Extract};

    fn extract(quote: &str) -> Extract {
        Extract {
            doc: "a.md".into(),
            title: "A title".into(),
            publisher: Some("Pub".into()),
            author: None,
            url: Some("https://example.org/a".into()),
            date: None,
            quote: quote.into(),
            start: 0,
            end: quote.len(),
            score: 1.0,
            section: None,
            paragraph: 3,
            references: Vec::new(),
        }
    }

    fn answered(question: &str, quotes: &[&str]) -> Answer {
        Answer {
            question: question.into(),
            answered: true,
            message: None,
            extracts: quotes.iter().map(|q| extract(q)).collect(),
            figures: None,
            consumed: quotes.len(),
        }
    }

    fn check_limits(r: &Reply) {
        assert!(r.title.chars().count() <= TITLE_MAX);
        assert!(r.description.chars().count() <= DESCRIPTION_MAX);
        assert!(r.footer.chars().count() <= FOOTER_MAX);
        assert!(r.fields.len() <= FIELDS_MAX);
        for (n, v) in &r.fields {
            assert!(n.chars().count() <= FIELD_NAME_MAX);
            assert!(!v.is_empty() && v.chars().count() <= FIELD_VALUE_MAX);
        }
        assert!(total_len(r) <= EMBED_TOTAL_MAX);
        for b in &r.buttons {
            assert!(!b.custom_id.is_empty() && b.custom_id.len() <= CUSTOM_ID_MAX);
            assert!(b.label.chars().count() <= 80);
        }
    }

    #[test]
    fn markdown_and_mentions_are_defused() {
        assert_eq!(
            escape("**bold** @everyone <@123>"),
            "\\*\\*bold\\*\\* @\u{200b}everyone \\<@\u{200b}123\\>"
        );
        let r = answer(
            &answered(
                "@here what?",
                &["Ping @everyone and <@&42> now, `code` ||spoiler||."],
            ),
            0,
            "f",
        );
        assert!(!r.description.contains("@everyone"));
        assert!(!r.title.contains("@here"));
        assert!(r.description.contains("\\`code\\`"));
        check_limits(&r);
    }

    #[test]
    fn long_answers_stay_within_limits_and_mark_cuts() {
        let long = "This sentence is long enough to matter. ".repeat(200);
        let quotes: Vec<&str> = vec![long.as_str(); 12];
        let r = answer(
            &answered(&"why ".repeat(500), &quotes),
            0,
            &"x".repeat(5000),
        );
        check_limits(&r);
        assert!(r.title.ends_with('…'));
        assert!(r.description.contains(" …") || r.description.contains('…'));
    }

    #[test]
    fn shortening_prefers_sentence_ends() {
        let q = "First sentence here. Second sentence is longer than the rest of it. Third.";
        assert_eq!(shorten(q, 40), "First sentence here. …");
        assert_eq!(shorten("short", 40), "short");
        let words = shorten("alpha beta gamma delta epsilon", 14);
        assert!(
            words.ends_with('…') && words.chars().count() <= 14,
            "{words}"
        );
    }

    #[test]
    fn custom_ids_round_trip() {
        assert!(ids::is_more(ids::MORE) && ids::is_more("more:5:1234567890123456789"));
        assert!(!ids::is_more(ids::PIN));
        assert_eq!(ids::parse_sources(&ids::sources(3)), Some(3));
    }

    #[test]
    fn declined_answers_have_no_buttons() {
        let a = Answer {
            question: "capital of France?".into(),
            answered: false,
            message: Some(crate::NOT_FOUND.into()),
            extracts: Vec::new(),
            figures: None,
            consumed: 0,
        };
        let r = answer(&a, 0, "");
        assert!(r.buttons.is_empty());
        assert_eq!(r.description, crate::NOT_FOUND);
    }
}
