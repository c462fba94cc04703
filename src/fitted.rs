//! Weights fitted on public data by `tools/fit/fit.py` (do not edit by hand:
//! rerun the script, which rewrites this file). The ranker scores a
//! candidate sentence from its signals; the decline model turns the best
//! candidate's signals into the probability that the documents answer the
//! question; the bot answers when it is at least `DECLINE_THRESHOLD`.
//!
//! Boundary: numbers only; `retrieve` says what each signal is.
//!
//! Fitted on: 3200 questions; held out by article: ROC AUC 0.658, unanswerable declined 15.5 % at 94.5 % answered

/// Related words below this similarity are not offered.
pub const NEIGHBOUR_MIN_SIMILARITY: f32 = 0.6;

/// Ranker weights, in the order of `retrieve::Signals::ranking`
/// (coverage, text_coverage, bm25, dense, fits, uncovered).
pub const RANK_WEIGHTS: [f32; 6] = [6.47854, 2.53898, 3.58037, 3.27737, 1.22789, -0.637275];

/// Decline model: intercept and weights, in the order of
/// `retrieve::Decline::features` (coverage, text_coverage, dense, fits, margin, unknown, uncovered, ln(1+concepts), polarity_mismatch, numbers_missing, names_missing, alignment, names_away, foreign).
pub const DECLINE_INTERCEPT: f32 = 0.569618;
pub const DECLINE_WEIGHTS: [f32; 14] = [
    -1.29806,
    0.901698,
    -1.61337,
    0.0193788,
    0.0275703,
    0.54927,
    -3.40783,
    0.696,
    -0.971111,
    -1.4016,
    -0.00781774,
    0.557035,
    -1.32502,
    -1.51957,
];
/// Answer when the modelled probability is at least this: it answers
/// 94.5 % of the public answerable questions.
pub const DECLINE_THRESHOLD: f32 = 0.337254;
