//! How strictly figures are selected, and what a translated word is worth,
//! fitted by `tools/fit/figures.py` on
//! the public SQuAD how-many/how-much questions and the project's own
//! questions (do not edit by hand: rerun the script, which rewrites this
//! file).
//!
//! Boundary: numbers only; `figures::Selection` says what each one does.
//!
//! Fitted on: 323 passes (squad 32/37, dev 23/23, reservoir 10/10, figures 99/135, chat 154/205, agreement 5/5).

pub const MIN_RELEVANCE: f32 = 0.2;
pub const RELATIVE_RELEVANCE: f32 = 0.4;
pub const PENALTY: f32 = 0.4;
pub const MAX_MISSING: f32 = 0.3;
pub const MIN_MEASURE: f32 = 0.5;

/// What a word of the other language is worth for a question's word
/// ("costó" for "cost"; `question::widen`).
pub const TRANSLATION_CREDIT: f32 = 1.0;

/// How many of a Spanish word's English words are its translations
/// (`translate`).
pub const TRANSLATION_RANK: usize = 6;
