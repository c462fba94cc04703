//! How an answer is composed from the ranked sentences, fitted on public
//! data by `tools/fit/compose.py` (do not edit by hand: rerun the script,
//! which rewrites this file).
//!
//! Boundary: numbers only; `answer` says what each one does.
//!
//! Fitted on: 2663 passes (squad 2455/2930, dev 23/23, reservoir 10/10, figures 33/62, chat 142/205).

/// Each further extract from a document already shown scores this much
/// less, so that an answer hears from several sources.
pub const SAME_DOC_DISCOUNT: f32 = 1.0;

/// Extracts after the best need this share of the best extract's coverage.
pub const RELATIVE_SHARE: f32 = 0.6;

/// A sentence elsewhere in the corpus that states a figure already found
/// needs this share of the best extract's coverage to be quoted for it.
pub const ELSEWHERE_SHARE: f32 = 0.3;
