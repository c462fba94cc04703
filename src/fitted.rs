//! Weights fitted on public data by `tools/fit/fit.py` (do not edit by hand:
//! rerun the script, which rewrites this file). The ranker scores a
//! candidate sentence from its signals; the decline model turns the best
//! candidate's signals into the probability that the documents answer the
//! question; the bot answers when it is at least `DECLINE_THRESHOLD`.
//!
//! Boundary: numbers only; `retrieve` says what each signal is.
//!
//! Fitted on: 3200 questions; held out by article: ROC AUC 0.664, unanswerable declined 16.5 % at 94.5 % answered

/// Related words below this similarity are not offered.
pub const NEIGHBOUR_MIN_SIMILARITY: f32 = 0.6;

/// Ranker weights, in the order of `retrieve::Signals::ranking`
/// (coverage, text_coverage, bm25, dense, fits, uncovered).
pub const RANK_WEIGHTS: [f32; 6] = [6.4781, 2.53901, 3.58065, 3.27722, 1.22795, -0.637245];

/// Decline model: intercept and weights, in the order of
/// `retrieve::Decline::features` (coverage, text_coverage, dense, fits, margin, unknown, uncovered, ln(1+concepts), polarity_mismatch, numbers_missing, names_missing, alignment, contrast, names_away, foreign).
pub const DECLINE_INTERCEPT: f32 = 0.600755;
pub const DECLINE_WEIGHTS: [f32; 15] = [
    -1.39607, 0.969146, -1.65814, 0.0044264, 0.0300867, 0.478455, -3.58804, 0.664149, -1.08774,
    -1.47581, -0.0154767, 0.640286, 0.231174, -1.34483, -1.46112,
];
/// Answer when the modelled probability is at least this: it answers
/// 94.5 % of the public answerable questions.
pub const DECLINE_THRESHOLD: f32 = 0.323273;
