#!/usr/bin/env python3
"""Fit how verbatim composes an answer from its ranked sentences
(src/answer/fitted.rs).

usage: python3 tools/fit/compose.py --bin target/release/verbatim [--write]

Four numbers decide which sentences after the best are quoted:
SAME_DOC_DISCOUNT, how much less each further extract from a document
already quoted scores (so that an answer hears from several sources),
RELATIVE_SHARE, the share of the best sentence's coverage the others need,
ELSEWHERE_SHARE, the share of it a sentence elsewhere in the corpus
needs to be quoted because it states a figure already found (the same
value in a sentence about something else is not the same quantity), and
ELSEWHERE_LIKENESS, the cosine of sentence vectors with a sentence that
states the figure that such a sentence may have instead (a source that
words the figure apart from the question but like its other sources; above
1: never).
For each point of a small grid this script asks, through
`verbatim ask --json --composition DISCOUNT,SHARE,ELSEWHERE,LIKENESS`,

  - the answerable public SQuAD 2.0 questions (tests/fixtures/squad-public,
    CC BY-SA 4.0), counting those with a gold answer in some quote (hit@k,
    as ../shared/eval/squad-public/score.py counts it) and, once more, those
    with one in the first quote (hit@1);
  - the project's own questions (as tools/fit/figures.py: every check their
    entry lists, unanswerable ones declined),

and keeps the point with the most passes in all (ties: the point nearest the
centre of the grid). None of them changes whether a question is answered,
only which quotes an answer shows. With --write it rewrites
src/answer/fitted.rs. Standard library only; about five minutes on two
cores.
"""
import concurrent.futures
import itertools
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from figures import OWN, ROOT, SET_NAMES, ask, own_sets, start  # noqa: E402

GRID = {
    "same_doc_discount": [0.8, 0.9, 1.0],
    "relative_share": [0.5, 0.6, 0.7],
    "elsewhere_share": [0.0, 0.2, 0.3, 0.4, 0.5, 0.6],
    "elsewhere_likeness": [0.5, 0.6, 0.7, 0.8, 1.01],
}


def load():
    """(corpus, items, questions, scorer) per set."""
    squad = os.path.join(ROOT, "tests/fixtures/squad-public")
    rows = [json.loads(l) for l in open(os.path.join(squad, "questions.jsonl"), encoding="utf-8")]
    rows = [r for r in rows if not r["impossible"]]

    def squad_pass(r, a):
        # hit@k plus hit@1: a composition that moves the right quote down
        # the page loses.
        golds = [g.lower() for g in r["answers"]]
        quotes = [e["quote"].lower() for e in a.get("extracts") or []]
        hitk = any(g in q for q in quotes for g in golds)
        hit1 = bool(quotes) and any(g in quotes[0] for g in golds)
        return hitk + hit1

    return [(os.path.join(squad, "corpus"), rows, [r["q"] for r in rows], squad_pass)] + own_sets()


def run(binary, sets, indexes, point):
    return ask(binary, sets, indexes, ["--composition", ",".join(map(str, point))])


def main():
    sets = load()
    binary, args = start(__doc__, sets)
    names = SET_NAMES
    keys = list(GRID)
    middle = [(min(v) + max(v)) / 2 for v in GRID.values()]
    points = list(itertools.product(*GRID.values()))
    with tempfile.TemporaryDirectory() as tmp:
        indexes = [os.path.join(tmp, str(k)) for k in range(len(sets))]
        # Build each index once before the points run side by side.
        run(binary, [(c, i[:1], q[:1], s) for c, i, q, s in sets], indexes, points[0])
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            results = list(pool.map(lambda pt: run(binary, sets, indexes, pt), points))
    best = None
    for point, passes in zip(points, results):
        print(dict(zip(keys, point)), dict(zip(names, passes)), "total", sum(passes))
        distance = sum(abs(a - b) for a, b in zip(point, middle))
        key = (sum(passes), -distance)
        if best is None or key > best[0]:
            best = (key, point, passes)
    _, point, passes = best
    # A SQuAD question counts twice: hit@k and hit@1.
    worth = [2] + [1] * len(OWN)
    report = f"{sum(passes)} passes ({', '.join(f'{n} {p}/{w * len(s[1])}' for n, p, w, s in zip(names, passes, worth, sets))})"
    print("kept", dict(zip(keys, point)), report)
    if "--write" in args:
        text = f'''//! How an answer is composed from the ranked sentences, fitted on public
//! data by `tools/fit/compose.py` (do not edit by hand: rerun the script,
//! which rewrites this file).
//!
//! Boundary: numbers only; `answer` says what each one does.
//!
//! Fitted on: {report}.

/// Each further extract from a document already shown scores this much
/// less, so that an answer hears from several sources.
pub const SAME_DOC_DISCOUNT: f32 = {point[0]};

/// Extracts after the best need this share of the best extract's coverage.
pub const RELATIVE_SHARE: f32 = {point[1]};

/// A sentence elsewhere in the corpus that states a figure already found
/// needs this share of the best extract's coverage to be quoted for it.
pub const ELSEWHERE_SHARE: f32 = {point[2]};

/// …or this likeness to a sentence that states it (the cosine of their
/// vectors; above 1: never).
pub const ELSEWHERE_LIKENESS: f32 = {point[3]};
'''
        open(os.path.join(ROOT, "src/answer/fitted.rs"), "w").write(text)
        print("wrote src/answer/fitted.rs")


if __name__ == "__main__":
    main()
