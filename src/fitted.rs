//! Weights fitted on public data by `tools/fit/fit.py` (do not edit by hand:
//! rerun the script, which rewrites this file). The ranker scores a
//! candidate sentence from its signals; the decline model turns the best
//! candidate's signals into the probability that the documents answer the
//! question; the bot answers when it is at least `DECLINE_THRESHOLD`.
//!
//! Boundary: numbers only; `retrieve` says what each signal is.
//!
//! Fitted on: 3200 questions; held out by article: ROC AUC 0.649, unanswerable declined 14.1 % at 94.5 % answered

/// Related words below this similarity are not offered.
pub const NEIGHBOUR_MIN_SIMILARITY: f32 = 0.6;

/// Ranker weights, in the order of `retrieve::Signals::ranking`
/// (coverage, text_coverage, bm25, dense, fits, uncovered).
pub const RANK_WEIGHTS: [f32; 6] = [6.47797, 2.53876, 3.58044, 3.27805, 1.22788, -0.637062];

/// Decline model: intercept and weights, in the order of
/// `retrieve::Decline::features` (coverage, text_coverage, dense, fits, margin, unknown, uncovered, ln(1+concepts), polarity_mismatch, numbers_missing, names_missing, alignment, foreign).
pub const DECLINE_INTERCEPT: f32 = 0.478605;
pub const DECLINE_WEIGHTS: [f32; 13] = [
    -0.599289, 0.324928, -1.59068, 0.0216117, 0.0270149, 0.61974, -3.55681, 0.690322, -0.963093,
    -1.74982, -0.358657, 0.547852, -1.41312,
];
/// Answer when the modelled probability is at least this: it answers
/// 94.5 % of the public answerable questions.
pub const DECLINE_THRESHOLD: f32 = 0.34;
