#!/usr/bin/env python3
"""Fit verbatim's ranker and decline model on public and own labelled questions.

usage: python3 tools/fit/fit.py --bin target/release/verbatim [--write]

Data (all in the repository):
  tests/fixtures/squad-public/      SQuAD 2.0 public part (CC BY-SA 4.0): 1,465
                                    answerable and 1,507 adversarial unanswerable questions
  tests/fixtures/chat-questions.toml  the project's own chat-style questions on corpus/
  tests/fixtures/dev-questions.toml   the shared development questions on corpus/

What it does, for each candidate pair of NEIGHBOUR_MIN_SIMILARITY and
MEASURE_CREDIT:
  1. runs `verbatim signals` on every question: per question the decline
     inputs and the signals of its 40 best BM25 candidates with their text;
  2. labels a candidate positive when it contains a gold answer (SQuAD) or a
     `quote_has` string (own questions);
  3. fits the ranker: a linear score over the candidate signals, by a listwise
     softmax loss (the positives' share of the softmax over a question's
     candidates), on answerable questions with a positive candidate;
  4. fits the decline model: logistic regression of "the documents answer it"
     on the best candidate's signals (under the fitted ranker) and the
     question's own signals, on every question;
  5. sets the threshold so that TARGET_ANSWERED of the answerable SQuAD
     questions are answered.
The pair kept is the one with the best sum of hit@1 and the
unanswerable share declined at the target. Cross-validated by document
(leave-one-SQuAD-article-out; own questions in OWN_FOLDS groups), it prints
ROC AUC, hit@1 and the declined share. The weight of the own questions in
the decline fit (OWN_SHARE_GRID) is chosen by the same cross-validation,
the own questions held out in folds. With --write it rewrites src/fitted.rs.

Needs numpy only (tools/fit/requirements.txt).
"""
import json
import os
import subprocess
import sys
import tempfile
import tomllib

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The operating point: answer this share of answerable questions. Set a little
# above the product bar (93 %) so that held-out questions keep to it.
TARGET_ANSWERED = 0.947
NEIGHBOUR_GRID = [0.6]
# What a figure of the asked measure ("how far": a length) is worth for the
# question's word for it.
MEASURE_GRID = [0.5, 0.75, 1.0]
RANK_NAMES = ["coverage", "text_coverage", "bm25", "dense", "fits", "uncovered"]
READING_NAMES = ["polarity_mismatch", "numbers_missing", "names_missing", "alignment",
                 "contrast", "names_away"]
DECLINE_NAMES = ["coverage", "text_coverage", "dense", "fits", "margin", "unknown",
                 "uncovered", "ln(1+concepts)"] + READING_NAMES + ["foreign", "absent_names",
                                                                  "asks_figure", "figure"]
L2 = 1e-3
# What each decline input means fixes the sign of its weight: more of the
# question found (coverage, similarity, alignment, a fitting figure) never
# lowers the probability of an answer, and words or names the documents lack,
# a negation or number the sentence does not share, never raise it. The fit
# keeps each weight on its side (0 where the data would cross it): SQuAD's
# unanswerable questions reuse the article's words, which alone would teach
# that matching more of the question means less of an answer. The others
# (contrast, the number of concepts, asking for a figure) are free.
DECLINE_SIGNS = {"coverage": 1, "text_coverage": 1, "dense": 1, "fits": 1, "margin": 1,
                 "unknown": -1, "uncovered": -1, "polarity_mismatch": -1,
                 "numbers_missing": -1, "names_missing": -1, "alignment": 1,
                 "names_away": -1, "foreign": -1, "absent_names": -1, "figure": 1}
# Second stage: the ranker's best few are read word by word (`retrieve::read`)
# and re-ordered by the first-stage score plus these inputs, fitted like the
# ranker. Few, because each one's text is read from the index.
RERANK_TOP = 5
RERANK_NAMES = ["alignment", "names_away", "polarity_mismatch", "numbers_missing", "contrast",
                "names_missing"]
# The project's own questions (chat style, on the bundled corpus) and the
# cross-corpus ones are few beside SQuAD's; in the decline fit they carry this
# share of the total weight, so that the model also learns what a small,
# on-topic corpus looks like when it does not answer, and what a question
# about something else looks like.
# It is chosen from OWN_SHARE_GRID by cross-validation: the share whose
# model, fitted without the held-out part, best ranks answerable above
# unanswerable own questions (ROC AUC on held-out folds) while held-out
# SQuAD articles keep to the product's bar (SQUAD_DECLINED_BAR of the
# unanswerable questions declined at TARGET_ANSWERED answered).
OWN_SHARE_GRID = [1 / 4, 1 / 3, 0.4, 0.45, 1 / 2, 0.55, 0.6, 2 / 3]
SQUAD_DECLINED_BAR = 0.25
# The project's own question sets and the corpus each is asked of.
OWN_SETS = [("chat-questions.toml", "corpus"), ("dev-questions.toml", "corpus"),
            ("figures-questions.toml", "tests/fixtures/TEST_figures"),
            ("reservoir-questions.toml", "tests/fixtures/TEST_reservoir")]
# The own questions are held out in this many folds (every n-th question).
OWN_FOLDS = 5
# Every this-many-th SQuAD question is also asked of the bundled corpus.
CROSS_EVERY = 0  # 0: no cross-corpus questions


def load_questions():
    """(question, corpus dir, answerable, gold strings, group) for every labelled question."""
    out = []
    squad = os.path.join(ROOT, "tests/fixtures/squad-public")
    for line in open(os.path.join(squad, "questions.jsonl"), encoding="utf-8"):
        r = json.loads(line)
        out.append((r["q"], os.path.join(squad, "corpus"), not r["impossible"],
                    [g.lower() for g in r["answers"]], "squad:" + r["doc"]))
    own = []
    for name, corpus in OWN_SETS:
        path = os.path.join(ROOT, "tests/fixtures", name)
        for q in tomllib.load(open(path, "rb"))["question"]:
            golds = [s.lower() for s in q.get("quote_has", [])]
            own.append((q["q"], os.path.join(ROOT, corpus), q.get("answerable", True), golds,
                        f"own:{len(own) % OWN_FOLDS}"))
    out.extend(own)
    # Questions asked of the other corpus are unanswerable by construction:
    # they teach the model what a question about something else looks like
    # (SQuAD's own unanswerable questions are all on topic).
    squad_qs = [q for q in out if q[4].startswith("squad:")]
    if CROSS_EVERY:
        for q in squad_qs[::CROSS_EVERY]:
            out.append((q[0], os.path.join(ROOT, "corpus"), False, [], "cross"))
        for q in own:
            if q[2]:
                out.append((q[0], os.path.join(squad, "corpus"), False, [], "cross"))
    return out


def run_signals(binary, questions, neighbour_min, measure_credit):
    """Signals for every question, grouped by corpus so each index is built once."""
    results = [None] * len(questions)
    by_corpus = {}
    for i, q in enumerate(questions):
        by_corpus.setdefault(q[1], []).append(i)
    for corpus, idxs in by_corpus.items():
        with tempfile.TemporaryDirectory() as index:
            text = "".join(questions[i][0].replace("\n", " ") + "\n" for i in idxs)
            p = subprocess.run([binary, "--corpus", corpus, "--index", index, "signals",
                                "--neighbour-min", str(neighbour_min),
                                "--measure-credit", str(measure_credit)],
                               input=text, capture_output=True, text=True, check=True)
            lines = p.stdout.splitlines()
            assert len(lines) == len(idxs), (len(lines), len(idxs), p.stderr[-500:])
            for i, line in zip(idxs, lines):
                results[i] = json.loads(line)
    return results


def featurize(questions, signals):
    """Per question: candidate matrix (n, 5), uncovered (n,), labels (n,), question features."""
    data = []
    for (q, _, answerable, golds, group), s in zip(questions, signals):
        cands = s["candidates"]
        x = np.array([[c["signals"][k] for k in RANK_NAMES] for c in cands],
                     dtype=float).reshape(-1, len(RANK_NAMES))
        unc = np.array([c["signals"]["uncovered"] for c in cands], dtype=float)
        reading = np.array([[c["reading"][k] for k in READING_NAMES] for c in cands],
                           dtype=float).reshape(-1, len(READING_NAMES))
        texts = [c["text"].lower() for c in cands]
        pos = np.array([answerable and any(g in t for g in golds) for t in texts], dtype=bool)
        rr = np.array([[c["reading"][k] for k in RERANK_NAMES] for c in cands],
                      dtype=float).reshape(-1, len(RERANK_NAMES))
        d = s["decline"]
        data.append(dict(x=x, unc=unc, reading=reading, rr=rr, pos=pos, answerable=answerable, group=group,
                         unknown=d["unknown"], foreign=d["foreign"], concepts=d["concepts"],
                         question=[d["absent_names"], d["asks_figure"], d["figure"]]))
    return data


def fit_ranker(data, init):
    """Listwise softmax: maximise log(sum over positives of softmax(score)), by
    gradient descent on all questions' candidate lists at once (padded)."""
    lists = [(d["x"], d["pos"]) for d in data if d["pos"].any() and len(d["x"]) > 1]
    n = max(len(x) for x, _ in lists)
    X = np.zeros((len(lists), n, len(RANK_NAMES)))
    valid = np.zeros((len(lists), n), dtype=bool)
    pos = np.zeros((len(lists), n), dtype=bool)
    for i, (x, p) in enumerate(lists):
        X[i, : len(x)] = x
        valid[i, : len(x)] = True
        pos[i, : len(x)] = p
    w = np.array(init, dtype=float)
    for _ in range(500):
        z = np.where(valid, X @ w, -np.inf)
        z -= z.max(1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(1, keepdims=True)
        pp = (p * pos).sum(1)
        q = p * pos / (pp[:, None] + 1e-12)
        grad = ((p - q)[:, :, None] * X).sum((0, 1)) / len(lists) + L2 * w
        w -= 0.5 * grad
    loss = -np.log(pp + 1e-12).mean()
    return w, loss


def final_order(d, w):
    """Candidates in the order the product ranks them, and first-stage scores."""
    w1, v = w
    s1 = d["x"] @ w1
    order = np.argsort(-s1, kind="stable")
    top = order[:RERANK_TOP]
    s2 = s1[top] + d["rr"][top] @ v
    top = top[np.argsort(-s2, kind="stable")]
    return np.concatenate([top, order[RERANK_TOP:]]), s1


def fit_rerank(data, w1):
    """Listwise softmax over each question's first-stage top RERANK_TOP, on
    the first-stage score plus the reading inputs: fits the inputs' weights."""
    lists = []
    for d in data:
        if len(d["x"]) < 2:
            continue
        s1 = d["x"] @ w1
        top = np.argsort(-s1, kind="stable")[:RERANK_TOP]
        if d["pos"][top].any():
            lists.append((s1[top], d["rr"][top], d["pos"][top]))
    v = np.zeros(len(RERANK_NAMES))
    for _ in range(500):
        grad = np.zeros_like(v)
        for s1, z, pos in lists:
            t = s1 + z @ v
            p = np.exp(t - t.max())
            p /= p.sum()
            q = p * pos / (p * pos).sum()
            grad += ((p - q)[:, None] * z).sum(0)
        v -= 0.5 * (grad / len(lists) + L2 * v)
    return v


def decline_features(d, w):
    """The decline model's inputs for one question, as retrieve::Decline::features."""
    if len(d["x"]) == 0:
        return None
    order, scores = final_order(d, w)
    b = order[0]
    margin = scores[b] - (scores[order[1]] if len(order) > 1 else 0.0)
    x = d["x"][b]
    features = np.concatenate([[x[0], x[1], x[3], x[4], margin, d["unknown"], d["unc"][b],
                                np.log(1 + d["concepts"])], d["reading"][b], [d["foreign"]],
                               d["question"]])
    return features, bool(d["pos"][b])


def fit_logistic(X, y, weights=None, signs=None):
    """L2-regularised, weighted logistic regression on standardised inputs,
    each weight kept on the side `signs` gives it (+1, -1, 0: free);
    returns the intercept and weights for the raw inputs."""
    sw = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=float)
    sw = sw / sw.mean()
    mu, sd = X.mean(0), X.std(0) + 1e-9
    Z = (X - mu) / sd
    w = np.zeros(Z.shape[1])
    b = 0.0
    for _ in range(3000):
        p = 1 / (1 + np.exp(-(Z @ w + b)))
        g = (p - y) * sw
        w -= 0.5 * (Z.T @ g / len(y) + L2 * w)
        if signs is not None:
            w = np.where(signs > 0, np.maximum(w, 0), np.where(signs < 0, np.minimum(w, 0), w))
        b -= 0.5 * g.mean()
    raw = w / sd
    return b - (mu * raw).sum(), raw


def auc(scores, labels):
    """ROC AUC by the rank-sum formula, ties sharing their mean rank."""
    labels = np.asarray(labels, dtype=bool)
    scores = np.asarray(scores, dtype=float)
    n_pos, n_neg = labels.sum(), (~labels).sum()
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    order = np.argsort(scores, kind="stable")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    i = 0
    while i < len(scores):
        j = i
        while j + 1 < len(scores) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i: j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return (ranks[labels].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def evaluate(data, w, intercept, coef, threshold, squad=True):
    """hit@1 of answered answerable questions, answered and declined shares
    (SQuAD's, or with squad=False the project's own)."""
    ans = hit = n_ans = n_un = dec = 0
    for d in data:
        if d["group"].startswith("squad:") != squad or (not squad and not d["group"].startswith("own")):
            continue
        f = decline_features(d, w)
        conf = 0.0 if f is None else 1 / (1 + np.exp(-(intercept + f[0] @ coef)))
        answered = conf >= threshold
        if d["answerable"]:
            n_ans += 1
            ans += answered
            hit += answered and f is not None and f[1]
        else:
            n_un += 1
            dec += not answered
    return hit / max(1, n_ans), ans / max(1, n_ans), dec / max(1, n_un)


def fit_all(data, init, own_share):
    w1, loss = fit_ranker(data, init)
    w = (w1, fit_rerank(data, w1))
    intercept, coef, threshold = fit_decline(data, w, own_share)
    return w, loss, intercept, coef, threshold


def fit_decline(data, w, own_share):
    """The decline model under the ranking `w`, the own questions carrying
    `own_share` of the weight; its threshold answers TARGET_ANSWERED of the
    answerable SQuAD questions (the product's bar)."""
    rows = [(decline_features(d, w), d) for d in data]
    X = np.array([f[0] for f, d in rows if f is not None])
    y = np.array([d["answerable"] for f, d in rows if f is not None], dtype=float)
    own = np.array([not d["group"].startswith("squad:") for f, d in rows if f is not None])
    sw = np.ones(len(y))
    if own.any():
        sw[own] = own_share / (1 - own_share) * (~own).sum() / own.sum()
    signs = np.array([DECLINE_SIGNS.get(n, 0) for n in DECLINE_NAMES])
    intercept, coef = fit_logistic(X, y, sw, signs)
    conf = 1 / (1 + np.exp(-(intercept + X @ coef)))
    # Questions without candidates are declined anyway.
    answerable = np.array([d["answerable"] and d["group"].startswith("squad:")
                           for f, d in rows if f is not None])
    n_ans_total = sum(1 for d in data if d["answerable"] and d["group"].startswith("squad:"))
    keep = int(np.floor(TARGET_ANSWERED * n_ans_total))
    ranked = np.sort(conf[answerable])[::-1]
    threshold = float(ranked[min(keep, len(ranked)) - 1]) if keep > 0 else 0.0
    return intercept, coef, threshold


def cross_validate(data, init, shares):
    """Leave one group out (a SQuAD article, a fold of the own questions):
    per own share, out-of-fold decline confidence for every question, scored
    as (SQuAD AUC, SQuAD declined at TARGET_ANSWERED, own AUC)."""
    groups = sorted({d["group"] for d in data})
    conf = {share: {} for share in shares}
    for g in groups:
        train = [d for d in data if d["group"] != g]
        w1, _ = fit_ranker(train, init)
        w = (w1, fit_rerank(train, w1))
        for share in shares:
            b, coef, _ = fit_decline(train, w, share)
            for i, d in enumerate(data):
                if d["group"] == g:
                    f = decline_features(d, w)
                    conf[share][i] = 0.0 if f is None else float(1 / (1 + np.exp(-(b + f[0] @ coef))))
    squad = np.array([d["group"].startswith("squad:") for d in data])
    labels = np.array([d["answerable"] for d in data])
    out = {}
    for share in shares:
        scores = np.array([conf[share][i] for i in range(len(data))])
        # Declined share of unanswerable SQuAD questions at TARGET_ANSWERED, out of fold.
        s_ans = np.sort(scores[squad & labels])[::-1]
        t = s_ans[int(np.floor(TARGET_ANSWERED * len(s_ans))) - 1]
        declined = float((scores[squad & ~labels] < t).mean())
        out[share] = (auc(scores[squad], labels[squad]), declined,
                      auc(scores[~squad], labels[~squad]))
    return out


def write_fitted(neighbour_min, measure_credit, w, intercept, coef, threshold, report):
    fmt = lambda v: ", ".join(f"{x:.6}" for x in v)
    text = f'''//! Weights fitted on public data by `tools/fit/fit.py` (do not edit by hand:
//! rerun the script, which rewrites this file). The ranker scores a
//! candidate sentence from its signals; the decline model turns the best
//! candidate's signals into the probability that the documents answer the
//! question; the bot answers when it is at least `DECLINE_THRESHOLD`.
//!
//! Boundary: numbers only; `retrieve` says what each signal is.
//!
//! Fitted on: {report}

/// Related words below this similarity are not offered.
pub const NEIGHBOUR_MIN_SIMILARITY: f32 = {neighbour_min};

/// What a figure of the measure a question asks for ("how far": a length)
/// is worth for the question's word for it.
pub const MEASURE_CREDIT: f32 = {measure_credit};

/// Ranker weights, in the order of `retrieve::Signals::ranking`
/// ({", ".join(RANK_NAMES)}).
pub const RANK_WEIGHTS: [f32; {len(RANK_NAMES)}] = [{fmt(w[0])}];

/// Second stage: the ranker's best `RERANK_TOP` are re-ordered by their
/// score plus these weights times `retrieve::Reading::rerank_inputs`
/// ({", ".join(RERANK_NAMES)}).
pub const RERANK_TOP: usize = {RERANK_TOP};
pub const RERANK_WEIGHTS: [f32; {len(RERANK_NAMES)}] = [{fmt(w[1])}];

/// Decline model: intercept and weights, in the order of
/// `retrieve::Decline::features` ({", ".join(DECLINE_NAMES)}).
pub const DECLINE_INTERCEPT: f32 = {intercept:.6};
pub const DECLINE_WEIGHTS: [f32; {len(DECLINE_NAMES)}] = [{fmt(coef)}];
/// Answer when the modelled probability is at least this: it answers
/// {TARGET_ANSWERED:.1%} of the public answerable questions.
pub const DECLINE_THRESHOLD: f32 = {threshold:.6};
'''
    path = os.path.join(ROOT, "src/fitted.rs")
    open(path, "w").write(text.replace("%", " %"))
    # Laid out as `cargo fmt` would (CI checks it); skipped where rustfmt is missing.
    try:
        subprocess.run(["rustfmt", "--edition", "2024", path], check=False)
    except FileNotFoundError:
        print("rustfmt not found: run `cargo fmt` before committing src/fitted.rs")


def main():
    args = sys.argv[1:]
    if len(args) < 2 or args[0] != "--bin":
        sys.exit(__doc__)
    binary, write = args[1], "--write" in args
    neighbours, measures = NEIGHBOUR_GRID, MEASURE_GRID
    if "--neighbour" in args:
        neighbours = [float(args[args.index("--neighbour") + 1])]
    if "--measure" in args:
        measures = [float(args[args.index("--measure") + 1])]
    grid = [(nm, mc) for nm in neighbours for mc in measures]
    questions = load_questions()
    print(f"{len(questions)} questions ({sum(q[2] for q in questions)} answerable)")
    init = [4.0, 0.0, 1.5, 1.0, 1.0, 0.0]
    best = None
    for nm, mc in grid:
        data = featurize(questions, run_signals(binary, questions, nm, mc))
        cv = cross_validate(data, init, OWN_SHARE_GRID)
        for share, (a, dec, own_auc) in cv.items():
            print(f"    own share {share:.2f}: held out: SQuAD AUC {a:.3f}, declined {dec:.3f}; "
                  f"own AUC {own_auc:.3f}")
        within = [sh for sh in OWN_SHARE_GRID if cv[sh][1] >= SQUAD_DECLINED_BAR]
        share = max(within or OWN_SHARE_GRID, key=lambda sh: (cv[sh][1] >= SQUAD_DECLINED_BAR,
                                                               cv[sh][2]))
        cv_auc, cv_declined, own_auc = cv[share]
        w, loss, b, coef, t = fit_all(data, init, share)
        hit1, answered, declined = evaluate(data, w, b, coef, t)
        _, own_answered, own_declined = evaluate(data, w, b, coef, t, squad=False)
        print(f"    own questions: answered {own_answered:.3f}, declined {own_declined:.3f}")
        print(f"neighbour_min {nm:.2f}, measure_credit {mc:.2f}, own share {share:.2f}: ranker loss "
              f"{loss:.3f}; fitted: hit@1 {hit1:.3f}, answered {answered:.3f}, declined "
              f"{declined:.3f}; held out: AUC {cv_auc:.3f}, declined {cv_declined:.3f}, "
              f"own AUC {own_auc:.3f}")
        key = hit1 + cv_declined
        if best is None or key > best[0]:
            best = (key, nm, mc, w, b, coef, t, hit1, cv_auc, cv_declined, own_auc, share)
    _, nm, mc, w, b, coef, t, hit1, cv_auc, cv_declined, own_auc, share = best
    print(f"kept neighbour_min {nm}, measure_credit {mc}, own share {share:.2f}; "
          f"ranker {dict(zip(RANK_NAMES, np.round(w[0], 3)))}; "
          f"rerank {dict(zip(RERANK_NAMES, np.round(w[1], 3)))}")
    print(f"decline intercept {b:.3f} weights {dict(zip(DECLINE_NAMES, np.round(coef, 3)))} "
          f"threshold {t:.4f}")
    report = (f"{len(questions)} questions; held out by article: ROC AUC {cv_auc:.3f}, "
              f"unanswerable declined {cv_declined:.1%} at {TARGET_ANSWERED:.1%} answered; "
              f"own questions held out by fold: ROC AUC {own_auc:.3f} (own share {share:.2f})")
    print(report)
    if write:
        write_fitted(nm, mc, w, b, coef, t, report)
        print("wrote src/fitted.rs")


if __name__ == "__main__":
    main()
