//! How strictly figures are selected, fitted by `tools/fit/figures.py` on
//! the public SQuAD how-many/how-much questions and the project's own
//! questions (do not edit by hand: rerun the script, which rewrites this
//! file).
//!
//! Boundary: numbers only; `figures::Selection` says what each one does.
//!
//! Fitted on: 237 passes (squad 32/37, dev 23/23, reservoir 10/10, figures 31/62, chat 141/205).

pub const MIN_RELEVANCE: f32 = 0.2;
pub const RELATIVE_RELEVANCE: f32 = 0.5;
pub const PENALTY: f32 = 0.5;
pub const MAX_MISSING: f32 = 0.3;
