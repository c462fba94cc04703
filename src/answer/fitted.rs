//! How an answer is composed from the ranked sentences, fitted on public
//! data by `tools/fit/compose.py` (do not edit by hand: rerun the script,
//! which rewrites this file).
//!
//! Boundary: numbers only; `answer` says what each one does.
//!
//! Fitted on: 2699 passes (squad 2477/2930, dev 23/23, reservoir 10/10, figures 35/62, chat 150/205, agreement 4/4).

/// Each further extract from a document already shown scores this much
/// less, so that an answer hears from several sources.
pub const SAME_DOC_DISCOUNT: f32 = 1.0;

/// Extracts after the best need this share of the best extract's coverage.
pub const RELATIVE_SHARE: f32 = 0.6;

/// A sentence elsewhere in the corpus that states a figure already found
/// needs this share of the best extract's coverage to be quoted for it.
pub const ELSEWHERE_SHARE: f32 = 0.3;

/// …or this likeness to a sentence that states it (the cosine of their
/// vectors; above 1: never).
pub const ELSEWHERE_LIKENESS: f32 = 0.6;
