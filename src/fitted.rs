//! Weights fitted on public data by `tools/fit/fit.py` (do not edit by hand:
//! rerun the script, which rewrites this file). The ranker scores a
//! candidate sentence from its signals; the decline model turns the best
//! candidate's signals into the probability that the documents answer the
//! question; the bot answers when it is at least `DECLINE_THRESHOLD`.
//!
//! Boundary: numbers only; `retrieve` says what each signal is.
//!
//! Fitted on: 3200 questions; held out by article: ROC AUC 0.698, unanswerable declined 25.7 % at 94.7 % answered; own questions held out by fold: ROC AUC 0.814 (own share 0.55)

/// Related words below this similarity are not offered.
pub const NEIGHBOUR_MIN_SIMILARITY: f32 = 0.6;

/// What a figure of the measure a question asks for ("how far": a length)
/// is worth for the question's word for it.
pub const MEASURE_CREDIT: f32 = 1.0;

/// Ranker weights, in the order of `retrieve::Signals::ranking`
/// (coverage, text_coverage, bm25, dense, fits, uncovered).
pub const RANK_WEIGHTS: [f32; 6] = [6.57969, 2.507, 3.46, 3.26408, 1.2672, -0.727819];

/// Second stage: the ranker's best `RERANK_TOP` are re-ordered by their
/// score plus these weights times `retrieve::Reading::rerank_inputs`
/// (alignment, names_away, polarity_mismatch, numbers_missing, contrast, names_missing).
pub const RERANK_TOP: usize = 5;
pub const RERANK_WEIGHTS: [f32; 6] = [0.493571, -1.26721, -0.229601, -0.197133, 1.16165, 0.522442];

/// Decline model: intercept and weights, in the order of
/// `retrieve::Decline::features` (coverage, text_coverage, dense, fits, margin, unknown, uncovered, ln(1+concepts), polarity_mismatch, numbers_missing, names_missing, alignment, contrast, names_away, foreign, absent_names, asks_figure, figure).
pub const DECLINE_INTERCEPT: f32 = -0.3516;
pub const DECLINE_WEIGHTS: [f32; 18] = [
    0.0, 0.0, 0.0, 0.0, 0.0456071, 0.0, -1.60086, 0.371906, -2.33582, -2.11813, -0.164624,
    0.825884, 0.401978, -0.709803, -0.861408, -2.60418, -1.04232, 2.02963,
];
/// Answer when the modelled probability is at least this: it answers
/// 94.7 % of the public answerable questions.
pub const DECLINE_THRESHOLD: f32 = 0.322239;
