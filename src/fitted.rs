//! Weights fitted on public data by `tools/fit/fit.py` (do not edit by hand:
//! rerun the script, which rewrites this file). The ranker scores a
//! candidate sentence from its signals; the decline model turns the best
//! candidate's signals into the probability that the documents answer the
//! question; the bot answers when it is at least `DECLINE_THRESHOLD`.
//!
//! Boundary: numbers only; `retrieve` says what each signal is.
//!
//! Fitted on: 3200 questions; held out by article: ROC AUC 0.690, unanswerable declined 21.0 % at 94.5 % answered

/// Related words below this similarity are not offered.
pub const NEIGHBOUR_MIN_SIMILARITY: f32 = 0.6;

/// What a figure of the measure a question asks for ("how far": a length)
/// is worth for the question's word for it.
pub const MEASURE_CREDIT: f32 = 1.0;

/// Ranker weights, in the order of `retrieve::Signals::ranking`
/// (coverage, text_coverage, bm25, dense, fits, uncovered).
pub const RANK_WEIGHTS: [f32; 6] = [6.52194, 2.57131, 3.48997, 3.25611, 1.27155, -0.695762];

/// Second stage: the ranker's best `RERANK_TOP` are re-ordered by their
/// score plus these weights times `retrieve::Reading::rerank_inputs`
/// (alignment, names_away, polarity_mismatch, numbers_missing, contrast, names_missing).
pub const RERANK_TOP: usize = 5;
pub const RERANK_WEIGHTS: [f32; 6] = [0.435732, -1.40211, -0.248526, -0.245098, 1.17955, 0.511001];

/// Decline model: intercept and weights, in the order of
/// `retrieve::Decline::features` (coverage, text_coverage, dense, fits, margin, unknown, uncovered, ln(1+concepts), polarity_mismatch, numbers_missing, names_missing, alignment, contrast, names_away, foreign).
pub const DECLINE_INTERCEPT: f32 = 0.0702397;
pub const DECLINE_WEIGHTS: [f32; 15] = [
    -1.83299, 0.244315, -1.56976, -0.054623, 0.0166127, 0.550417, -3.9608, 0.721315, -2.14301,
    -1.39031, 0.0594565, 2.43987, -0.0163946, -1.39934, -1.46317,
];
/// Answer when the modelled probability is at least this: it answers
/// 94.5 % of the public answerable questions.
pub const DECLINE_THRESHOLD: f32 = 0.268867;
