//! Weights fitted on public data by `tools/fit/fit.py` (do not edit by hand:
//! rerun the script, which rewrites this file). The ranker scores a
//! candidate sentence from its signals; the decline model turns the best
//! candidate's signals into the probability that the documents answer the
//! question; the bot answers when it is at least `DECLINE_THRESHOLD`.
//!
//! Boundary: numbers only; `retrieve` says what each signal is.
//!
//! Fitted on: 3200 questions; held out by article: ROC AUC 0.691, unanswerable declined 20.8 % at 94.5 % answered

/// Related words below this similarity are not offered.
pub const NEIGHBOUR_MIN_SIMILARITY: f32 = 0.6;

/// What a figure of the measure a question asks for ("how far": a length)
/// is worth for the question's word for it.
pub const MEASURE_CREDIT: f32 = 1.0;

/// Ranker weights, in the order of `retrieve::Signals::ranking`
/// (coverage, text_coverage, bm25, dense, fits, uncovered).
pub const RANK_WEIGHTS: [f32; 6] = [6.47396, 2.59898, 3.51932, 3.25378, 1.26249, -0.638395];

/// Second stage: the ranker's best `RERANK_TOP` are re-ordered by their
/// score plus these weights times `retrieve::Reading::rerank_inputs`
/// (alignment, names_away, polarity_mismatch, numbers_missing, contrast, names_missing).
pub const RERANK_TOP: usize = 5;
pub const RERANK_WEIGHTS: [f32; 6] = [0.449692, -1.41009, -0.247671, -0.242586, 1.16233, 0.520695];

/// Decline model: intercept and weights, in the order of
/// `retrieve::Decline::features` (coverage, text_coverage, dense, fits, margin, unknown, uncovered, ln(1+concepts), polarity_mismatch, numbers_missing, names_missing, alignment, contrast, names_away, foreign).
pub const DECLINE_INTERCEPT: f32 = 0.162142;
pub const DECLINE_WEIGHTS: [f32; 15] = [
    -1.83879,
    0.328331,
    -1.43416,
    -0.0569513,
    0.020371,
    0.557531,
    -4.04085,
    0.686954,
    -2.14642,
    -1.39432,
    0.0518331,
    2.22625,
    -0.00546148,
    -1.38729,
    -1.42866,
];
/// Answer when the modelled probability is at least this: it answers
/// 94.5 % of the public answerable questions.
pub const DECLINE_THRESHOLD: f32 = 0.267373;
