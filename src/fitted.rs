//! Weights fitted on public data by `tools/fit/fit.py` (do not edit by hand:
//! rerun the script, which rewrites this file). The ranker scores a
//! candidate sentence from its signals; the decline model turns the best
//! candidate's signals into the probability that the documents answer the
//! question; the bot answers when it is at least `DECLINE_THRESHOLD`.
//!
//! Boundary: numbers only; `retrieve` says what each signal is.
//!
//! Fitted on: 3200 questions; held out by article: ROC AUC 0.687, unanswerable declined 21.9 % at 94.5 % answered

/// Related words below this similarity are not offered.
pub const NEIGHBOUR_MIN_SIMILARITY: f32 = 0.6;

/// What a figure of the measure a question asks for ("how far": a length)
/// is worth for the question's word for it.
pub const MEASURE_CREDIT: f32 = 1.0;

/// Ranker weights, in the order of `retrieve::Signals::ranking`
/// (coverage, text_coverage, bm25, dense, fits, uncovered).
pub const RANK_WEIGHTS: [f32; 6] = [6.51988, 2.50526, 3.53302, 3.22504, 1.25917, -0.6762];

/// Second stage: the ranker's best `RERANK_TOP` are re-ordered by their
/// score plus these weights times `retrieve::Reading::rerank_inputs`
/// (alignment, names_away, polarity_mismatch, numbers_missing, contrast, names_missing).
pub const RERANK_TOP: usize = 5;
pub const RERANK_WEIGHTS: [f32; 6] = [0.443152, -1.31278, -0.240131, -0.247342, 1.16092, 0.515688];

/// Decline model: intercept and weights, in the order of
/// `retrieve::Decline::features` (coverage, text_coverage, dense, fits, margin, unknown, uncovered, ln(1+concepts), polarity_mismatch, numbers_missing, names_missing, alignment, contrast, names_away, foreign, absent_names, asks_figure, figure).
pub const DECLINE_INTERCEPT: f32 = 0.0698103;
pub const DECLINE_WEIGHTS: [f32; 18] = [
    -1.78465, -0.095577, -1.58026, -0.0790067, 0.0166248, 1.15218, -3.24962, 0.703786, -2.11197,
    -1.42235, -0.0343047, 2.70397, -0.204934, -0.86295, -2.18156, -1.79858, -0.730981, 1.94229,
];
/// Answer when the modelled probability is at least this: it answers
/// 94.5 % of the public answerable questions.
pub const DECLINE_THRESHOLD: f32 = 0.285244;
