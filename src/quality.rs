//! `verbatim bench --quality FILE`: answer quality on SQuAD-style questions
//! (JSON Lines of `{"q", "doc", "impossible", "answers", "type"}`), scored
//! exactly as the shared scorer `eval/squad-public/score.py` does: per
//! question type the share answered, hit@1 (the first quote holds a gold
//! answer) and hit@k (some quote does); the share of unanswerable questions
//! declined; for how-many/how-much questions with a digit answer, how often
//! a gold number is among the figures; and that every quote is the file's bytes.
//!
//! Boundary: measurement and reporting only, through the public engine API.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use serde::Deserialize;

use crate::answer::Engine;

#[derive(Debug, Deserialize)]
struct Case {
    q: String,
    impossible: bool,
    #[serde(default)]
    answers: Vec<String>,
    #[serde(rename = "type", default)]
    kind: String,
}

/// Counts for one row of the table.
#[derive(Debug, Default, Clone, Copy)]
struct Row {
    n: usize,
    answered: usize,
    hit1: usize,
    hitk: usize,
}

/// The figures of one run, as the scorer's last line prints them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quality {
    pub answered: f64,
    pub hit1: f64,
    pub hitk: f64,
    pub declined: f64,
    pub figures: f64,
    pub bad_quotes: usize,
}

/// Scores `engine` on the questions in `file`, printing the scorer's table.
pub fn run(engine: &Engine, corpus: &Path, file: &Path) -> anyhow::Result<Quality> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("reading questions from {}", file.display()))?;
    let cases: Vec<Case> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| {
            serde_json::from_str(l).with_context(|| format!("{}:{}", file.display(), i + 1))
        })
        .collect::<anyhow::Result<_>>()?;
    anyhow::ensure!(!cases.is_empty(), "no questions in {}", file.display());

    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    let (mut unanswerable, mut declined) = (0usize, 0usize);
    let (mut numeric, mut listed) = (0usize, 0usize);
    let (mut quotes, mut bad) = (0usize, 0usize);
    let mut files: HashMap<String, Vec<u8>> = HashMap::new();
    let started = Instant::now();
    for case in &cases {
        let answer = engine.answer(&case.q);
        for e in &answer.extracts {
            let bytes = files
                .entry(e.doc.clone())
                .or_insert_with(|| std::fs::read(corpus.join(&e.doc)).unwrap_or_default());
            quotes += 1;
            let span = bytes.get(e.start..e.end).map(String::from_utf8_lossy);
            bad += usize::from(span.as_deref() != Some(e.quote.as_str()));
        }
        if case.impossible {
            unanswerable += 1;
            declined += usize::from(!answer.answered);
            continue;
        }
        let golds: Vec<String> = case.answers.iter().map(|g| g.to_lowercase()).collect();
        let lower: Vec<String> = answer
            .extracts
            .iter()
            .map(|e| e.quote.to_lowercase())
            .collect();
        let hit1 = lower
            .first()
            .is_some_and(|q| golds.iter().any(|g| q.contains(g.as_str())));
        let hitk = lower
            .iter()
            .any(|q| golds.iter().any(|g| q.contains(g.as_str())));
        for key in ["answerable".to_string(), format!("type:{}", case.kind)] {
            let row = rows.entry(key).or_default();
            row.n += 1;
            if answer.answered {
                row.answered += 1;
                row.hit1 += usize::from(hit1);
                row.hitk += usize::from(hitk);
            }
        }
        let gold_numbers: Vec<f64> = case.answers.iter().flat_map(|g| numbers(g)).collect();
        if case.kind == "how many/much" && !gold_numbers.is_empty() {
            numeric += 1;
            let values: Vec<f64> = answer
                .figures
                .as_ref()
                .map(|f| {
                    let json = serde_json::to_value(f).unwrap_or_default();
                    json["values"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .flat_map(|v| [v["low"].as_f64(), v["high"].as_f64()])
                        .flatten()
                        .collect()
                })
                .unwrap_or_default();
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-6 * a.abs().max(b.abs());
            listed += usize::from(
                values
                    .iter()
                    .any(|v| gold_numbers.iter().any(|g| close(*v, *g))),
            );
        }
    }
    let wall = started.elapsed();
    let pct = |a: usize, n: usize| 100.0 * a as f64 / n.max(1) as f64;
    sayln!(
        "{:22} {:>5} {:>9} {:>6} {:>6}",
        "set",
        "n",
        "answered",
        "hit@1",
        "hit@k"
    )?;
    let answerable = rows.get("answerable").copied().unwrap_or_default();
    let ordered = std::iter::once(("answerable".to_string(), answerable)).chain(
        rows.iter()
            .filter(|(k, _)| k.starts_with("type:"))
            .map(|(k, r)| (k.clone(), *r)),
    );
    for (k, r) in ordered {
        sayln!(
            "{:22} {:5} {:9.1} {:6.1} {:6.1}",
            k,
            r.n,
            pct(r.answered, r.n),
            pct(r.hit1, r.n),
            pct(r.hitk, r.n)
        )?;
    }
    let quality = Quality {
        answered: pct(answerable.answered, answerable.n),
        hit1: pct(answerable.hit1, answerable.n),
        hitk: pct(answerable.hitk, answerable.n),
        declined: pct(declined, unanswerable),
        figures: pct(listed, numeric),
        bad_quotes: bad,
    };
    sayln!(
        "unanswerable declined: {:.1}% of {unanswerable}",
        quality.declined
    )?;
    sayln!(
        "how many/much with a digit answer: a gold number in the figures block {:.1}% of {numeric}",
        quality.figures
    )?;
    sayln!(
        "quotes verbatim: {}/{quotes}; {:.2} ms per question (one process, index built)",
        quotes - bad,
        1000.0 * wall.as_secs_f64() / cases.len() as f64
    )?;
    sayln!(
        "squad: answered {:.1} hit1 {:.1} hitk {:.1} declined {:.1} figures {:.1} bad_quotes {}",
        quality.answered,
        quality.hit1,
        quality.hitk,
        quality.declined,
        quality.figures,
        quality.bad_quotes
    )?;
    Ok(quality)
}

/// Numbers written with digits, as the scorer reads them: `\d[\d,]*(\.\d+)?`
/// with the commas dropped.
fn numbers(text: &str) -> Vec<f64> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b',') {
            i += 1;
        }
        if i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
            i += 1;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
        }
        let digits: String = text[start..i].chars().filter(|c| *c != ',').collect();
        if let Ok(v) = digits.parse() {
            out.push(v);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_as_the_scorer_reads_them() {
        assert_eq!(numbers("about 1,200.5 people in 3 towns"), [1200.5, 3.0]);
        assert_eq!(numbers("12. and 7,"), [12.0, 7.0]);
        assert!(numbers("none").is_empty());
    }
}
