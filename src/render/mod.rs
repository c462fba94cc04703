//! Output formats for answers, each a pure function: terminal text and JSON
//! here, Discord messages in [`discord`].
//!
//! Boundary: rendering never changes the words of a quote. It may wrap lines
//! and replace control characters (which could drive a terminal) with `�` in
//! terminal output; JSON carries every quote byte for byte.

pub mod discord;

use std::fmt::Write;

use crate::answer::{Answer, Extract, Source};
use crate::figures::{FigureValue, Figures};

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
    if let Some(figures) = &answer.figures {
        out.push_str(&printable_block(&figures_block(figures, &answer.extracts)));
        out.push('\n');
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

/// The verdict line: "Sources disagree — 4 figures from 5 sources", "3 sources
/// agree", "One source gives a figure", that none does, or that the quotes'
/// figures are not tied to the question.
pub fn verdict(figures: &Figures) -> String {
    let sources = figures
        .values
        .iter()
        .flat_map(|v| &v.docs)
        .fold(Vec::new(), |mut seen, d| {
            if !seen.contains(&d) {
                seen.push(d);
            }
            seen
        })
        .len();
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    if figures.values.is_empty() {
        "No source gives a figure for this".to_string()
    } else if figures.untied {
        "Figures in these extracts, none clearly about this".to_string()
    } else if figures.conflict {
        format!(
            "Sources disagree — {} from {}",
            plural(figures.values.len(), "figure", "figures"),
            plural(sources, "source", "sources")
        )
    } else if sources == 1 {
        "One source gives a figure".to_string()
    } else {
        format!("{sources} sources agree")
    }
}

/// A figure as a short label: "about 250–288 people", "$6 million", "23.5 hours a day".
pub fn figure_label(v: &FigureValue) -> String {
    let money = match v.unit.as_str() {
        "USD" => Some("$"),
        "GBP" => Some("£"),
        "EUR" => Some("€"),
        "JPY" => Some("¥"),
        _ => None,
    };
    let number = |x: f64| match money {
        Some(_) => big(x),
        None => plain(x),
    };
    // A year is written as a year ("1986", not "1,986 year").
    let year = v.unit == "year";
    let number = |x: f64| {
        if year { format!("{x:.0}") } else { number(x) }
    };
    let mut value = if v.low == v.high {
        number(v.low)
    } else {
        format!("{}–{}", number(v.low), number(v.high))
    };
    if v.vague {
        value = v.text.clone();
    } else if let Some(symbol) = money {
        value = format!("{symbol}{value}");
    } else {
        match v.unit.as_str() {
            "" | "year" => {}
            "percent" => value.push('%'),
            u if u.starts_with('°') => value.push_str(u),
            u => {
                value.push(' ');
                value.push_str(u);
            }
        }
    }
    if let Some(q) = v.qualifier.filter(|_| !v.vague) {
        value = format!("{} {value}", q.label());
    }
    if let Some(per) = &v.per {
        value = format!("{value} {per}");
    }
    if let Some(n) = &v.normalized {
        let conv = if n.low == n.high {
            plain(n.low)
        } else {
            format!("{}–{}", plain(n.low), plain(n.high))
        };
        value = format!("{value} (≈ {conv} {})", n.unit);
    }
    if let Some(whole) = &v.part_of {
        value = format!("{value}, part of “{whole}”");
    }
    value
}

fn figures_block(figures: &Figures, extracts: &[Extract]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}:", verdict(figures));
    for v in &figures.values {
        let _ = writeln!(out, "  {}", figure_label(v));
        let mut shown: Vec<&str> = Vec::new();
        for span in &v.spans {
            let Some(e) = extracts.get(span.extract) else {
                continue;
            };
            if shown.contains(&e.doc.as_str()) {
                continue;
            }
            shown.push(&e.doc);
            let _ = writeln!(
                out,
                "      {} [{}]: “{}”",
                short_source(e),
                span.extract + 1,
                snippet(&e.quote, span.start, span.end, 60)
            );
        }
        for doc in v.docs.iter().filter(|d| !shown.contains(&d.as_str())) {
            let _ = writeln!(out, "      {doc}");
        }
    }
    out
}

/// The part of `quote` around `start..end`, cut at word boundaries with `…`
/// where it is cut, on one line (line breaks and runs of white space read as
/// one space, as in a quote block). Never joins text from two places.
pub fn snippet(quote: &str, start: usize, end: usize, context: usize) -> String {
    let (start, end) = (start.min(quote.len()), end.min(quote.len()));
    let mut from = start.saturating_sub(context);
    while !quote.is_char_boundary(from) {
        from -= 1;
    }
    if from > 0 {
        from = quote[from..start].find(' ').map_or(start, |i| from + i + 1);
    }
    let mut to = (end + context).min(quote.len());
    while !quote.is_char_boundary(to) {
        to += 1;
    }
    if to < quote.len() {
        to = quote[end..to].rfind(' ').map_or(end, |i| end + i);
    }
    let mut s = String::new();
    if from > 0 {
        s.push('…');
    }
    let words: Vec<String> = quote[from..to].split_whitespace().map(printable).collect();
    s.push_str(&words.join(" "));
    if to < quote.len() {
        s.push('…');
    }
    s
}

/// The publisher when known, else the title, shortened.
fn short_source(e: &Extract) -> &str {
    let name = source_name(e);
    match name.char_indices().nth(48) {
        Some((i, _)) => &name[..i],
        None => name,
    }
}

/// How an extract's source is named in a figures block: its publisher, else its title.
pub fn source_name(e: &Extract) -> &str {
    e.publisher.as_deref().unwrap_or(&e.title)
}

/// "40,000", "23.5", "0.6".
fn plain(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        let digits = format!("{}", x.abs() as u64);
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        if x < 0.0 {
            out.insert(0, '-');
        }
        out
    } else {
        let s = format!("{x:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// "6 million", "1.5 billion", "40,000".
fn big(x: f64) -> String {
    for (scale, name) in [(1e12, "trillion"), (1e9, "billion"), (1e6, "million")] {
        if x.abs() >= scale {
            return format!("{} {name}", plain(x / scale));
        }
    }
    plain(x)
}

fn printable_block(s: &str) -> String {
    s.lines().map(|l| printable(l) + "\n").collect()
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

/// `verbatim figures` in the terminal: each figure read, with its value and unit.
pub fn figures_read(
    text: &str,
    found: &[crate::figures::Mention],
    lang: Option<crate::figures::Lang>,
) -> String {
    let mut out = String::new();
    if found.is_empty() {
        let _ = writeln!(out, "No figures in: {text}");
        return out;
    }
    let lang = lang.map_or("unknown (digits read only where unambiguous)", |l| l.code());
    let _ = writeln!(out, "{} figure(s), language {lang}:", found.len());
    for m in found {
        let value = if m.low == m.high {
            format!("{}", m.low)
        } else {
            format!("{} to {}", m.low, m.high)
        };
        let mut line = format!("  {:?} at {}..{} = {value}", m.text, m.start, m.end);
        let unit = m.unit.label();
        if !unit.is_empty() {
            let _ = write!(line, " {unit}");
        }
        if let Some(q) = m.qualifier {
            let _ = write!(line, " ({})", q.label());
        }
        if let Some(per) = &m.per {
            let _ = write!(line, " per {per:?}");
        }
        if m.restates {
            line.push_str(" (restates the figure before)");
        }
        let _ = writeln!(out, "{line}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_neutralised() {
        assert_eq!(printable("a\u{1b}[31mb\nc"), "a\u{fffd}[31mb c");
    }

    #[test]
    fn snippets_cut_at_words_and_mark_the_cut() {
        let q = "In March 2025, CECOT gained attention when the administration deported 261 people to the facility, including many.";
        let at = q.find("261 people").unwrap();
        let s = snippet(q, at, at + 10, 20);
        assert_eq!(s, "…deported 261 people to the facility,…");
        assert_eq!(snippet("Only 62 people.", 5, 14, 60), "Only 62 people.");
        // One line, however the file breaks it.
        assert_eq!(
            snippet("an 8 byte field in\r\n  its PCI space", 3, 9, 60),
            "an 8 byte field in its PCI space"
        );
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(plain(40000.0), "40,000");
        assert_eq!(plain(23.5), "23.5");
        assert_eq!(plain(0.6), "0.6");
        assert_eq!(big(6e6), "6 million");
        assert_eq!(big(2e8), "200 million");
        assert_eq!(big(4.6e6), "4.6 million");
    }

    #[test]
    fn a_year_reads_as_a_year() {
        let v = FigureValue {
            text: "in 1986".into(),
            low: 1986.0,
            high: 1986.0,
            unit: "year".into(),
            qualifier: None,
            normalized: None,
            per: None,
            vague: false,
            part_of: None,
            docs: vec!["a.md".into()],
            extracts: vec![0],
            spans: Vec::new(),
        };
        assert_eq!(figure_label(&v), "1986");
    }

    #[test]
    fn wrapping_keeps_every_word() {
        let text = "one two three four five six seven";
        let lines = wrap(text, 10);
        assert!(lines.iter().all(|l| l.chars().count() <= 10));
        assert_eq!(lines.join(" "), text);
    }
}
