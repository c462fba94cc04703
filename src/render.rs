//! Output formats for answers, each a pure function: terminal text and JSON.
//!
//! Boundary: rendering never changes the words of a quote. It may wrap lines
//! and replace control characters (which could drive a terminal) with `�` in
//! terminal output; JSON carries every quote byte for byte.

use std::fmt::Write;

use crate::answer::{Answer, Extract, Source};

const WIDTH: usize = 96;

/// The answer as a person reads it in a terminal.
pub fn terminal(answer: &Answer) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}\n", printable(answer.question.trim()));
    if !answer.answered {
        let _ = writeln!(
            out,
            "{}",
            answer
                .message
                .as_deref()
                .unwrap_or(crate::answer::NOT_FOUND)
        );
        return out;
    }
    for (i, e) in answer.extracts.iter().enumerate() {
        let label = format!("[{}] ", i + 1);
        let quote = format!("“{}”", printable(&e.quote));
        for (j, line) in wrap(&quote, WIDTH - label.len()).iter().enumerate() {
            let lead = if j == 0 {
                label.clone()
            } else {
                " ".repeat(label.len())
            };
            let _ = writeln!(out, "{lead}{line}");
        }
        let pad = " ".repeat(label.len());
        let _ = writeln!(out, "{pad}— {}", printable(&citation(e)));
        if let Some(url) = &e.url {
            let _ = writeln!(out, "{pad}  {}", printable(url));
        }
        for r in &e.references {
            let link = r
                .url
                .as_deref()
                .map(|u| format!(" {u}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "{pad}  [{}] {}{}",
                r.marker,
                printable(&r.title),
                printable(&link)
            );
        }
        out.push('\n');
    }
    out
}

/// "Title, Publisher (Author), ¶ 4 "Section"" — the citation line for an extract.
pub fn citation(e: &Extract) -> String {
    let mut s = e.title.clone();
    match (&e.publisher, &e.author) {
        (Some(p), Some(a)) => {
            let _ = write!(s, ", {p} ({a})");
        }
        (Some(p), None) => {
            let _ = write!(s, ", {p}");
        }
        (None, Some(a)) => {
            let _ = write!(s, ", {a}");
        }
        (None, None) => {}
    }
    if let Some(d) = &e.date {
        let _ = write!(s, ", {d}");
    }
    if e.paragraph > 0 {
        let _ = write!(s, ", ¶ {}", e.paragraph);
    }
    if let Some(section) = &e.section {
        let _ = write!(s, " “{section}”");
    }
    let _ = write!(s, " ({})", e.doc);
    s
}

/// One JSON object on one line.
pub fn json(answer: &Answer) -> String {
    serde_json::to_string(answer).expect("answers serialize")
}

/// The corpus documents, one per line.
pub fn sources(sources: &[Source]) -> String {
    let mut out = String::new();
    for s in sources {
        let mut line = format!("{}  {}", s.doc, s.meta.title);
        for part in [&s.meta.publisher, &s.meta.date, &s.meta.url]
            .into_iter()
            .flatten()
        {
            let _ = write!(line, " — {part}");
        }
        let _ = writeln!(out, "{}", printable(&line));
    }
    out
}

/// Replaces control characters so that text cannot drive the terminal.
pub fn printable(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// Greedy word wrap; words longer than the width stand on their own line.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_neutralised() {
        assert_eq!(printable("a\u{1b}[31mb\nc"), "a\u{fffd}[31mb c");
    }

    #[test]
    fn wrapping_keeps_every_word() {
        let text = "one two three four five six seven";
        let lines = wrap(text, 10);
        assert!(lines.iter().all(|l| l.chars().count() <= 10));
        assert_eq!(lines.join(" "), text);
    }
}
