//! Weights fitted on public data by `tools/fit/fit.py` (do not edit by hand:
//! rerun the script, which rewrites this file). The ranker scores a
//! candidate sentence from its signals; the decline model turns the best
//! candidate's signals into the probability that the documents answer the
//! question; the bot answers when it is at least `DECLINE_THRESHOLD`.
//!
//! Boundary: numbers only; `retrieve` says what each signal is.
//!
//! Fitted on: 3307 questions; held out by article: ROC AUC 0.696, unanswerable declined 30.4 % at 94.7 % answered; own questions held out by fold: ROC AUC 0.865 (own share 0.67)

/// Related words below this similarity are not offered.
pub const NEIGHBOUR_MIN_SIMILARITY: f32 = 0.6;

/// What a figure of the measure a question asks for ("how far": a length)
/// is worth for the question's word for it.
pub const MEASURE_CREDIT: f32 = 1.0;

/// Ranker weights, in the order of `retrieve::Signals::ranking`
/// (coverage, text_coverage, bm25, dense, fits, uncovered).
pub const RANK_WEIGHTS: [f32; 6] = [6.59625, 2.47058, 3.44354, 3.25982, 1.29035, -0.733477];

/// Second stage: the ranker's best `RERANK_TOP` are re-ordered by their
/// score plus these weights times `retrieve::Reading::rerank_inputs`
/// (alignment, names_away, polarity_mismatch, numbers_missing, contrast, names_missing).
pub const RERANK_TOP: usize = 5;
pub const RERANK_WEIGHTS: [f32; 6] = [0.403258, -1.09731, -0.2098, -0.102779, 1.18761, 0.307609];

/// Decline model: intercept and weights, in the order of
/// `retrieve::Decline::features` (coverage, text_coverage, dense, fits, margin, unknown, uncovered, ln(1+concepts), polarity_mismatch, numbers_missing, names_missing, alignment, contrast, names_away, foreign, absent_names, asks_figure, figure).
pub const DECLINE_INTERCEPT: f32 = 0.354024;
pub const DECLINE_WEIGHTS: [f32; 18] = [
    0.0, 0.0, 0.0, 0.0, 0.0350179, -0.15932, -2.00533, 0.295159, -2.41097, -3.35503, 0.0, 0.282394,
    0.508943, -0.868775, -1.1473, -3.8274, -1.16749, 4.0486,
];
/// Answer when the modelled probability is at least this: it answers
/// 94.7 % of the public answerable questions.
pub const DECLINE_THRESHOLD: f32 = 0.361648;
