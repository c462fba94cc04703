//! Weights fitted on public data by `tools/fit/fit.py` (do not edit by hand:
//! rerun the script, which rewrites this file). The ranker scores a
//! candidate sentence from its signals; the decline model turns the best
//! candidate's signals into the probability that the documents answer the
//! question; the bot answers when it is at least `DECLINE_THRESHOLD`.
//!
//! Boundary: numbers only; `retrieve` says what each signal is.
//!
//! Fitted on: 3200 questions; held out by article: ROC AUC 0.689, unanswerable declined 20.0 % at 94.5 % answered

/// Related words below this similarity are not offered.
pub const NEIGHBOUR_MIN_SIMILARITY: f32 = 0.6;

/// Ranker weights, in the order of `retrieve::Signals::ranking`
/// (coverage, text_coverage, bm25, dense, fits, uncovered).
pub const RANK_WEIGHTS: [f32; 6] = [6.47809, 2.539, 3.58031, 3.2777, 1.22792, -0.637339];

/// Decline model: intercept and weights, in the order of
/// `retrieve::Decline::features` (coverage, text_coverage, dense, fits, margin, unknown, uncovered, ln(1+concepts), polarity_mismatch, numbers_missing, names_missing, alignment, contrast, names_away, foreign).
pub const DECLINE_INTERCEPT: f32 = 0.604662;
pub const DECLINE_WEIGHTS: [f32; 15] = [
    -1.90013, 1.30569, -1.32494, -0.0340632, 0.0262009, 0.469149, -3.96564, 0.638835, -1.80517,
    -1.48639, 0.0201284, 0.752233, 0.137544, -1.21467, -1.29052,
];
/// Answer when the modelled probability is at least this: it answers
/// 94.5 % of the public answerable questions.
pub const DECLINE_THRESHOLD: f32 = 0.293156;
