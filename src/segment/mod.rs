//! Turns a [`Document`] into paragraphs and sentences with exact byte ranges
//! into the file, the section heading each sentence sits under, and the
//! document's own reference list (`[5] Title URL`).
//!
//! Boundary: pure functions over text. Every range it returns satisfies
//! `doc.text[start..end] == sentence` and never crosses a paragraph; nothing
//! here knows about indexes, questions or rendering.

mod kinds;
mod quotable;
mod sentences;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::corpus::Document;

pub use kinds::{DEFINES, PERSON, PLACE, QUANTITY, TIME, kinds};
pub use quotable::{sentence_is_quotable, word_count};

/// One sentence of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Byte range in the file as stored on disk.
    pub start: usize,
    pub end: usize,
    /// Index into [`Segmented::paragraphs`].
    pub paragraph: u32,
    /// Only quotable sentences are ever shown as answers.
    pub quotable: bool,
}

/// One paragraph: a line, or several wrapped lines, between breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    pub start: usize,
    pub end: usize,
    /// 1-based number among the document's prose paragraphs (0: not prose).
    pub number: u32,
    /// Index into [`Segmented::headings`] of the section it belongs to.
    pub section: Option<u32>,
}

/// An entry of the document's own reference list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    pub title: String,
    pub url: Option<String>,
}

/// Everything segmentation learns about one document.
#[derive(Debug, Clone, Default)]
pub struct Segmented {
    pub paragraphs: Vec<Paragraph>,
    pub sentences: Vec<Sentence>,
    pub headings: Vec<String>,
    pub references: BTreeMap<u32, Reference>,
}

/// Segments the body of `doc`.
pub fn segment(doc: &Document) -> Segmented {
    let blocks = paragraphs(&doc.text, doc.body_start);
    let mut out = Segmented::default();
    // Sentences first: whether a paragraph holds anything quotable decides
    // which short lines before it are section headings.
    let markers: Vec<Option<(usize, bool)>> = blocks
        .iter()
        .map(|&(s, e)| list_marker(&doc.text[s..e]))
        .collect();
    // An item with a neighbour of the same kind (bullets or numbers).
    let in_list = |i: usize| {
        let kind = |j: usize| {
            markers
                .get(j)
                .copied()
                .flatten()
                .map(|(_, numbered)| numbered)
        };
        kind(i).is_some_and(|k| (i > 0 && kind(i - 1) == Some(k)) || kind(i + 1) == Some(k))
    };
    let split: Vec<Vec<(usize, usize, bool)>> = blocks
        .iter()
        .enumerate()
        .map(|(i, &(start, end))| {
            // A list item is quoted without its marker; an item of a list
            // (not a lone numbered heading) may be prose without a final stop.
            let start = start + markers[i].map_or(0, |(len, _)| len);
            let text = &doc.text[start..end];
            let prose = quotable::paragraph_is_quotable(text)
                || (in_list(i) && quotable::word_count(text) >= 5);
            sentences::split(text)
                .into_iter()
                .map(|(s, e)| {
                    let ok = prose && quotable::sentence_is_quotable(&text[s..e]);
                    (start + s, start + e, ok)
                })
                .collect()
        })
        .collect();
    let has_quotable = |i: usize| split.get(i).is_some_and(|v| v.iter().any(|x| x.2));
    let mut section: Option<u32> = None;
    let mut number = 0;
    for (i, &(start, end)) in blocks.iter().enumerate() {
        let text = &doc.text[start..end];
        if let Some((n, tail)) = quotable::reference_entry(text)
            && quotable::has_link(tail)
        {
            out.references.insert(n, reference(tail));
        }
        let any_quotable = has_quotable(i);
        // A heading-like line directly followed by prose names a section.
        // (In reStructuredText the heading stands above its underline.)
        let heading = if quotable::is_rule(text) && i > 0 {
            &doc.text[blocks[i - 1].0..blocks[i - 1].1]
        } else {
            text
        };
        if !any_quotable
            && has_quotable(i + 1)
            && quotable::is_heading_like(heading)
            && !quotable::is_rule(heading)
            && !heading.trim().ends_with(':')
        {
            out.headings
                .push(heading.trim().trim_start_matches('#').trim().to_string());
            section = Some(out.headings.len() as u32 - 1);
        }
        let index = out.paragraphs.len() as u32;
        for &(s, e, quotable) in &split[i] {
            out.sentences.push(Sentence {
                start: s,
                end: e,
                paragraph: index,
                quotable,
            });
        }
        if any_quotable {
            number += 1;
        }
        out.paragraphs.push(Paragraph {
            start,
            end,
            number: if any_quotable { number } else { 0 },
            section,
        });
    }
    out
}

fn reference(tail: &str) -> Reference {
    let url = tail
        .split_whitespace()
        .find(|w| w.starts_with("http://") || w.starts_with("https://"))
        .map(|w| w.trim_end_matches(['.', ',', ')']).to_string());
    let title = match tail.find("http://").or_else(|| tail.find("https://")) {
        Some(i) => tail[..i].trim(),
        None => tail.trim(),
    };
    let title = title
        .trim_end_matches(['–', '-', '—', ':', ' '])
        .to_string();
    Reference { title, url }
}

/// Splits the text from `from` on into paragraphs: byte ranges of one line or
/// of several wrapped lines. Blank lines always end a paragraph. Inside a run
/// of lines, a line break joins two lines only when the first is unfinished
/// (no final stop) and the next continues it: it starts in lower case, or the
/// run looks hard-wrapped (every line short, as in wrapped plain text) and the
/// first line is not a short heading. List items, headings and reference
/// entries always stand alone.
fn paragraphs(text: &str, from: usize) -> Vec<(usize, usize)> {
    // Runs of non-blank lines, each line as a trimmed byte range.
    let mut runs: Vec<Vec<(usize, usize)>> = vec![Vec::new()];
    let mut offset = from;
    for raw in text[from..].split_inclusive('\n') {
        let line_start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim();
        if trimmed.is_empty() {
            runs.push(Vec::new());
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        let s = line_start + lead;
        runs.last_mut().expect("a run").push((s, s + trimmed.len()));
    }
    let mut out: Vec<(usize, usize)> = Vec::new();
    for run in runs.into_iter().filter(|r| !r.is_empty()) {
        let wrapped = run.len() >= 2 && run.iter().all(|&(s, e)| text[s..e].chars().count() <= 100);
        let mut prev: Option<&str> = None;
        for &(s, e) in &run {
            let line = &text[s..e];
            if prev.is_some_and(|p| continues_line(p, line, wrapped)) {
                out.last_mut().expect("open paragraph").1 = e;
            } else {
                out.push((s, e));
            }
            prev = Some(line);
        }
    }
    out
}

fn continues_line(prev: &str, next: &str, wrapped: bool) -> bool {
    if prev.ends_with(['.', '!', '?', ':', ';', '…', '"', '”'])
        || prev.starts_with('#')
        || quotable::is_rule(prev)
        || starts_like_item(next)
        || quotable::is_rule(next)
    {
        return false;
    }
    let lower_start = next.chars().next().is_some_and(char::is_lowercase);
    lower_start || (wrapped && prev.chars().count() >= 40)
}

/// The length of a list marker ("- ", "* ", "• ", "3. ", "2) ") and the
/// spaces after it, when `line` starts with one, and whether it is numbered.
fn list_marker(line: &str) -> Option<(usize, bool)> {
    let first = line.split_whitespace().next()?;
    let bullet = matches!(first, "-" | "*" | "+" | "•" | "–");
    let number = first.len() <= 4
        && first.ends_with(['.', ')'])
        && first.len() > 1
        && first[..first.len() - 1].chars().all(|c| c.is_ascii_digit());
    if !(bullet || number) || line.len() == first.len() {
        return None;
    }
    let rest = &line[first.len()..];
    Some((first.len() + (rest.len() - rest.trim_start().len()), number))
}

fn starts_like_item(line: &str) -> bool {
    let first = line.split_whitespace().next().unwrap_or("");
    matches!(first, "-" | "*" | "+" | "•" | "–")
        || line.starts_with('#')
        || line.starts_with('[')
        || line.starts_with('|')
        || (first.len() <= 4
            && first.ends_with(['.', ')'])
            && first[..first.len() - 1].chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus;

    fn seg(text: &str) -> (Document, Segmented) {
        let doc = corpus::parse("t.md", text.as_bytes().to_vec()).unwrap();
        let s = segment(&doc);
        (doc, s)
    }

    fn quotable(text: &str) -> Vec<String> {
        let (doc, s) = seg(text);
        s.sentences
            .iter()
            .filter(|x| x.quotable)
            .map(|x| doc.text[x.start..x.end].to_string())
            .collect()
    }

    #[test]
    fn lines_are_paragraphs_and_headings_name_sections() {
        let text = "---\ntitle: T\n---\nAn intro line is here.\nPhysical Infrastructure\nCells hold 80 inmates each. They are crowded.\n";
        let (doc, s) = seg(text);
        assert_eq!(s.paragraphs.len(), 3);
        assert_eq!(s.headings, vec!["Physical Infrastructure"]);
        let cells = s
            .sentences
            .iter()
            .find(|x| doc.text[x.start..x.end].starts_with("Cells"))
            .unwrap();
        let para = &s.paragraphs[cells.paragraph as usize];
        assert_eq!(para.section, Some(0));
        assert_eq!(para.number, 2);
        for x in &s.sentences {
            assert!(doc.text.is_char_boundary(x.start) && doc.text.is_char_boundary(x.end));
        }
    }

    #[test]
    fn wrapped_text_joins_into_one_paragraph() {
        let text = "Memory allocation\n=================\n\nThe kmalloc function allocates memory for objects smaller than page size in\nthe kernel. It takes flags and returns a pointer to\nMemory that is suitably aligned.\n\n- item one is here.\n- item two is here.\n";
        let (doc, s) = seg(text);
        let texts: Vec<&str> = s
            .paragraphs
            .iter()
            .map(|p| &doc.text[p.start..p.end])
            .collect();
        assert_eq!(texts.len(), 5, "{texts:?}");
        assert!(
            texts[2].contains(
                "size in\nthe kernel. It takes flags and returns a pointer to\nMemory that"
            )
        );
        assert_eq!(s.headings, vec!["Memory allocation"]);
        assert!(quotable(text).contains(
            &"The kmalloc function allocates memory for objects smaller than page size in\nthe kernel."
                .to_string()
        ));
    }

    #[test]
    fn long_lines_are_paragraphs_of_their_own() {
        let long = "An Urgent Warning About the Human Cost of Authoritarianism and U.S. Complicity";
        let text = format!(
            "{long}\nIn this insight, we examine a prison designed for permanent incarceration of individuals labeled as dangerous, and what it means for the region.\n"
        );
        let (doc, s) = seg(&text);
        assert_eq!(&doc.text[s.paragraphs[0].start..s.paragraphs[0].end], long);
        assert_eq!(s.paragraphs.len(), 2);
    }

    #[test]
    fn list_items_are_quoted_without_their_markers() {
        let text = "Facts\n\n- The prison holds up to 40,000 inmates\n- Cells hold 80 to 100 people each\n- Home\n\n1. What CECOT is and why it matters\n\nCECOT is a prison in Tecoluca, El Salvador.\n";
        let q = quotable(text);
        assert!(
            q.contains(&"The prison holds up to 40,000 inmates".to_string()),
            "{q:?}"
        );
        assert!(
            q.contains(&"Cells hold 80 to 100 people each".to_string()),
            "{q:?}"
        );
        assert!(
            !q.iter()
                .any(|s| s.contains("Home") || s.contains("why it matters")),
            "{q:?}"
        );
    }

    #[test]
    fn reference_lists_are_parsed_and_not_quoted() {
        let text = "Body sentence with a marker here[1].\nCitations:\n[1] What we know about it – CNN https://cnn.com/a\n[2] Another one https://x.org/b\nLeave a Reply\n";
        let (_, s) = seg(text);
        assert_eq!(s.references.len(), 2);
        assert_eq!(s.references[&1].url.as_deref(), Some("https://cnn.com/a"));
        assert_eq!(s.references[&1].title, "What we know about it – CNN");
        assert_eq!(quotable(text), vec!["Body sentence with a marker here[1]."]);
    }

    #[test]
    fn question_headings_and_chrome_are_never_quotable() {
        let text = "Top Questions\n\nWhat is CECOT, and where is it located?\n\nSelect Citation Style\nFeedback\nCECOT is a prison in Tecoluca. It holds many.\n";
        assert_eq!(
            quotable(text),
            vec!["CECOT is a prison in Tecoluca."],
            "short sentences (under four words) are not answers either"
        );
    }
}
