//! The token stream that figures are read from: runs of letters, runs of
//! ASCII digits and single other characters, each with its byte span, so that
//! every reader can ask what a token says and whether two tokens touch.
//!
//! Boundary: splitting only. What the tokens mean is for `number`, `words`
//! and `extract`.

use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A run of letters ("kg", "millones", "µm").
    Word,
    /// A run of ASCII digits, without separators.
    Digits,
    /// Any other single character that is not white space ("$", ".", "°").
    Sym,
}

#[derive(Debug, Clone, Copy)]
pub struct Tok {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

/// A text and its tokens. Positions past the end read as empty.
pub struct Stream<'a> {
    pub text: &'a str,
    pub toks: Vec<Tok>,
}

impl<'a> Stream<'a> {
    pub fn new(text: &'a str) -> Self {
        Stream {
            text,
            toks: tokenize(text),
        }
    }

    pub fn len(&self) -> usize {
        self.toks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.toks.is_empty()
    }

    /// The token as written ("" past the end).
    pub fn s(&self, i: usize) -> &'a str {
        self.toks.get(i).map_or("", |t| &self.text[t.start..t.end])
    }

    /// The token in lower case.
    pub fn lower(&self, i: usize) -> Cow<'a, str> {
        let s = self.s(i);
        if s.chars().any(char::is_uppercase) {
            Cow::Owned(s.to_lowercase())
        } else {
            Cow::Borrowed(s)
        }
    }

    pub fn kind(&self, i: usize) -> Option<Kind> {
        self.toks.get(i).map(|t| t.kind)
    }

    pub fn is(&self, i: usize, kind: Kind) -> bool {
        self.kind(i) == Some(kind)
    }

    /// Do tokens `a` and `b` touch, with no space between?
    pub fn glued(&self, a: usize, b: usize) -> bool {
        matches!((self.toks.get(a), self.toks.get(b)), (Some(x), Some(y)) if x.end == y.start)
    }

    /// The text between token `i` and the one before it.
    fn gap_before(&self, i: usize) -> Option<&'a str> {
        let prev = self.toks.get(i.checked_sub(1)?)?;
        let tok = self.toks.get(i)?;
        Some(&self.text[prev.end..tok.start])
    }

    /// Is the gap before token `i` a single space-like character (a space, a
    /// no-break or thin space), as between digit groups?
    pub fn one_space_before(&self, i: usize) -> bool {
        let Some(gap) = self.gap_before(i) else {
            return false;
        };
        let mut chars = gap.chars();
        matches!(chars.next(), Some(' ' | '\u{a0}' | '\u{202f}' | '\u{2009}'))
            && chars.next().is_none()
    }

    /// Is the gap before token `i` white space on one line?
    pub fn space_before(&self, i: usize) -> bool {
        self.gap_before(i).is_some_and(|gap| {
            !gap.is_empty() && gap.chars().all(|c| c.is_whitespace() && c != '\n')
        })
    }

    /// Does the token start with a capital letter?
    pub fn capitalized(&self, i: usize) -> bool {
        self.is(i, Kind::Word) && self.s(i).chars().next().is_some_and(char::is_uppercase)
    }

    /// Is token `i` the first of its sentence (nothing before it, or a
    /// sentence end, a colon, an opening quote or bracket)?
    pub fn opens_sentence(&self, i: usize) -> bool {
        let mut p = i;
        while p > 0 {
            p -= 1;
            match self.s(p) {
                "\"" | "“" | "‘" | "'" | "(" | "[" | "*" | "_" | "#" | "-" | "•" | ">" => {
                    continue;
                }
                "." | "!" | "?" | ":" | ";" | "¿" | "¡" => return true,
                _ => return false,
            }
        }
        true
    }

    /// Byte span of tokens `from..to` (exclusive).
    pub fn span(&self, from: usize, to: usize) -> (usize, usize) {
        (self.toks[from].start, self.toks[to.max(from + 1) - 1].end)
    }
}

pub fn tokenize(text: &str) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        let kind = if c.is_ascii_digit() {
            Kind::Digits
        } else if c.is_alphabetic() {
            Kind::Word
        } else {
            toks.push(Tok {
                start: i,
                end: i + c.len_utf8(),
                kind: Kind::Sym,
            });
            continue;
        };
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            let same = match kind {
                Kind::Digits => d.is_ascii_digit(),
                _ => d.is_alphabetic(),
            };
            if !same {
                break;
            }
            end = j + d.len_utf8();
            chars.next();
        }
        toks.push(Tok {
            start: i,
            end,
            kind,
        });
    }
    toks
}
