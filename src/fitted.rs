//! Weights fitted on public data by `tools/fit/fit.py` (do not edit by hand:
//! rerun the script, which rewrites this file). The ranker scores a
//! candidate sentence from its signals; the decline model turns the best
//! candidate's signals into the probability that the documents answer the
//! question; the bot answers when it is at least `DECLINE_THRESHOLD`.
//!
//! Boundary: numbers only; `retrieve` says what each signal is.
//!
//! Fitted on: 3200 questions; held out by article: ROC AUC 0.709, unanswerable declined 25.7 % at 94.7 % answered

/// Related words below this similarity are not offered.
pub const NEIGHBOUR_MIN_SIMILARITY: f32 = 0.6;

/// What a figure of the measure a question asks for ("how far": a length)
/// is worth for the question's word for it.
pub const MEASURE_CREDIT: f32 = 1.0;

/// Ranker weights, in the order of `retrieve::Signals::ranking`
/// (coverage, text_coverage, bm25, dense, fits, uncovered).
pub const RANK_WEIGHTS: [f32; 6] = [6.58193, 2.50631, 3.45798, 3.25853, 1.27035, -0.728055];

/// Second stage: the ranker's best `RERANK_TOP` are re-ordered by their
/// score plus these weights times `retrieve::Reading::rerank_inputs`
/// (alignment, names_away, polarity_mismatch, numbers_missing, contrast, names_missing).
pub const RERANK_TOP: usize = 5;
pub const RERANK_WEIGHTS: [f32; 6] = [0.494687, -1.27453, -0.229879, -0.196231, 1.14874, 0.522047];

/// Decline model: intercept and weights, in the order of
/// `retrieve::Decline::features` (coverage, text_coverage, dense, fits, margin, unknown, uncovered, ln(1+concepts), polarity_mismatch, numbers_missing, names_missing, alignment, contrast, names_away, foreign, absent_names, asks_figure, figure).
pub const DECLINE_INTERCEPT: f32 = -0.00312434;
pub const DECLINE_WEIGHTS: [f32; 18] = [
    0.0, 0.0, 0.0, 0.0, 0.0188778, 0.0, -2.4979, 0.419435, -2.30403, -1.84776, -0.144795, 0.278162,
    0.087482, -0.753137, -0.359884, -2.34282, -0.782088, 1.93066,
];
/// Answer when the modelled probability is at least this: it answers
/// 94.7 % of the public answerable questions.
pub const DECLINE_THRESHOLD: f32 = 0.253775;
