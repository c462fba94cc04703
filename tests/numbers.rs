//! The figure reader against 751 cases from two peers' public test suites
//! (quantulum3, Microsoft Recognizers-Text; `tests/fixtures/numbers`), run
//! through the real `verbatim figures --json -` and scored as the shared
//! `eval/numbers/score.py` scores them: recall of the expected values per
//! suite, and misread values (a figure over an expected one with another
//! value), which must be none outside the exclusions file.

mod common;

use std::collections::{BTreeMap, HashSet};

use serde_json::Value;

/// Recall floors from the bar: English suites, Spanish suites.
const ENGLISH_RECALL_FLOOR: f64 = 92.0;
const SPANISH_RECALL_FLOOR: f64 = 88.0;
/// At most this share of the cases may be excluded.
const MAX_EXCLUDED_SHARE: f64 = 0.05;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9_f64.max(1e-6 * a.abs().max(b.abs()))
}

fn num(v: &Value, key: &str) -> Option<f64> {
    v.get(key).and_then(Value::as_f64)
}

#[test]
fn numbers_suites_are_read_with_high_recall_and_no_misreads() {
    let dir = common::root().join("tests/fixtures/numbers");
    let cases: Vec<Value> = std::fs::read_to_string(dir.join("cases.jsonl"))
        .expect("cases")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("case json"))
        .collect();
    let excluded: HashSet<String> = std::fs::read_to_string(dir.join("exclusions.tsv"))
        .expect("exclusions")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (text, reason) = l.split_once('\t').expect("text<TAB>reason");
            assert!(
                !reason.trim().is_empty(),
                "an exclusion needs a reason: {text}"
            );
            text.trim().to_string()
        })
        .collect();

    // One `figures` process per language, one line per case.
    let mut mentions: Vec<Value> = vec![Value::Null; cases.len()];
    for lang in ["en", "es"] {
        let idx: Vec<usize> = (0..cases.len())
            .filter(|&i| cases[i]["lang"] == lang)
            .collect();
        let input: String = idx
            .iter()
            .map(|&i| cases[i]["text"].as_str().unwrap().replace('\n', " ") + "\n")
            .collect();
        let mut cmd = common::bare();
        cmd.args(["figures", "--json", "--lang", lang, "-"]);
        let out = common::run_with_stdin(cmd, &input);
        assert!(
            out.status.success(),
            "figures failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let lines: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
        assert_eq!(lines.len(), idx.len(), "one JSON line per input line");
        for (&i, line) in idx.iter().zip(lines) {
            mentions[i] = serde_json::from_str(line).expect("figures json");
        }
    }

    let mut per_suite: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut misreads = Vec::new();
    let mut excluded_cases = 0;
    for (case, found) in cases.iter().zip(&mentions) {
        let text = case["text"].as_str().unwrap();
        let found = found.as_array().expect("an array per line");
        // Every figure's span is the text's own bytes.
        for m in found {
            let (s, e) = (
                m["start"].as_u64().unwrap() as usize,
                m["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(
                text.get(s..e),
                m["text"].as_str(),
                "span of {m} in {text:?}"
            );
        }
        let is_excluded = excluded.contains(text.trim());
        if is_excluded {
            excluded_cases += 1;
            continue;
        }
        let suite = per_suite
            .entry(case["suite"].as_str().unwrap().to_string())
            .or_default();
        let mut used = HashSet::new();
        for want in case["want"].as_array().unwrap() {
            suite.0 += 1;
            let (lo, hi) = (num(want, "low").unwrap(), num(want, "high").unwrap());
            let hit = found.iter().enumerate().find(|(k, m)| {
                let (ml, mh) = (num(m, "low").unwrap(), num(m, "high").unwrap());
                !used.contains(k)
                    && ((close(ml, lo) && close(mh, hi))
                        || (lo == hi && (close(ml, lo) || close(mh, lo))))
            });
            if let Some((k, _)) = hit {
                used.insert(k);
                suite.1 += 1;
                continue;
            }
            let (Some(ws), Some(we)) = (want["start"].as_u64(), want["end"].as_u64()) else {
                continue;
            };
            for m in found {
                let (ms, me) = (m["start"].as_u64().unwrap(), m["end"].as_u64().unwrap());
                let (ml, mh) = (num(m, "low").unwrap(), num(m, "high").unwrap());
                if ms < we && ws < me && !(close(ml, lo) || close(mh, hi)) {
                    misreads.push(format!("{text:?}: want {lo}..{hi}, read {m}"));
                }
            }
        }
    }
    assert!(
        (excluded_cases as f64) <= MAX_EXCLUDED_SHARE * cases.len() as f64,
        "{excluded_cases} excluded cases"
    );
    assert!(
        misreads.is_empty(),
        "misread figures:\n{}",
        misreads.join("\n")
    );
    for (suite, (want, found)) in &per_suite {
        let recall = 100.0 * *found as f64 / (*want).max(1) as f64;
        let floor = if suite.ends_with(":es") {
            SPANISH_RECALL_FLOOR
        } else {
            ENGLISH_RECALL_FLOOR
        };
        eprintln!("{suite:40} {recall:5.1}%");
        assert!(
            recall >= floor,
            "{suite}: recall {recall:.1}% below {floor}%"
        );
    }
}
