//! Weights fitted on public data by `tools/fit/fit.py` (do not edit by hand:
//! rerun the script, which rewrites this file). The ranker scores a
//! candidate sentence from its signals; the decline model turns the best
//! candidate's signals into the probability that the documents answer the
//! question; the bot answers when it is at least `DECLINE_THRESHOLD`.
//!
//! Boundary: numbers only; `retrieve` says what each signal is.
//!
//! Fitted on: 3200 questions; held out by article: ROC AUC 0.671, unanswerable declined 16.3 % at 94.5 % answered

/// Related words below this similarity are not offered.
pub const NEIGHBOUR_MIN_SIMILARITY: f32 = 0.6;

/// Ranker weights, in the order of `retrieve::Signals::ranking`
/// (coverage, text_coverage, bm25, dense, fits, uncovered).
pub const RANK_WEIGHTS: [f32; 6] = [6.47816, 2.53936, 3.58044, 3.27748, 1.22753, -0.637646];

/// Decline model: intercept and weights, in the order of
/// `retrieve::Decline::features` (coverage, text_coverage, dense, fits, margin, unknown, uncovered, ln(1+concepts), polarity_mismatch, numbers_missing, names_missing, alignment, contrast, names_away, foreign).
pub const DECLINE_INTERCEPT: f32 = 0.501749;
pub const DECLINE_WEIGHTS: [f32; 15] = [
    -1.58792, 1.16332, -1.4937, -0.0214862, 0.0250421, 0.410028, -3.71163, 0.702745, -1.35474,
    -1.43714, 0.0131653, 0.625591, 0.229554, -1.23244, -1.31461,
];
/// Answer when the modelled probability is at least this: it answers
/// 94.5 % of the public answerable questions.
pub const DECLINE_THRESHOLD: f32 = 0.307277;
