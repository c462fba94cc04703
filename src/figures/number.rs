//! Reads one number at a token: digits in the document's locale ("40,000",
//! "40.000", "16,4", ".08", "10 000"), signs, scientific notation
//! ("1.3e6", "2.48×10−5"), fractions ("1/40", "2 1/2", "¾"), short suffixes
//! ("100k", "1.2b"), and numbers written in words, alone or mixed with digits
//! ("a hundred and two", "4 thousand 3 hundred and 21", "two million and one
//! half", "five eighths", "one over 20", "cincuenta y dos", "2 mil
//! millones"). Each form is one small function.
//!
//! Boundary: a number and the tokens it spans; never a unit, a qualifier or
//! what the number counts (that is `extract`). Where a form is ambiguous in
//! the text's language ("1.234" when the language is unknown) nothing is
//! read, and the caller is told to skip it.

use super::tokens::{Kind, Stream};
use super::words::{Lang, Role, lexicon};

/// A number read at some token.
#[derive(Debug, Clone, PartialEq)]
pub struct Num {
    pub value: f64,
    /// First token of the number and the token after it.
    pub first: usize,
    pub next: usize,
    /// It begins with a word ("two", "a hundred"), not a digit.
    pub written: bool,
    /// An order of magnitude ("hundreds of", "tens of thousands"): the range it spans.
    pub vague: Option<(f64, f64)>,
    /// A fraction or ratio ("1/4", "one in five").
    pub ratio: bool,
}

/// What reading at a token found.
#[derive(Debug, Clone, PartialEq)]
pub enum Read {
    Number(Num),
    /// Digits that are not a number this reader will vouch for (an ambiguous
    /// separator, a version or address such as "1.2.3"): skip to this token.
    Skip(usize),
    Nothing,
}

/// The number that starts at token `i`.
pub fn read(st: &Stream, i: usize, lang: Option<Lang>) -> Read {
    if let Some(r) = signed(st, i, lang) {
        return r;
    }
    if let Some((w, after)) = lexicon().number(st, i, lang)
        && w.role == Role::Neg
    {
        return match compose(st, after, lang) {
            Read::Number(mut n) => {
                n.value = -n.value;
                n.first = i;
                n.written = true;
                Read::Number(n)
            }
            other => other,
        };
    }
    if let Some(v) = vague(st, i, lang) {
        return Read::Number(v);
    }
    compose(st, i, lang)
}

/// "-5", "−18", "+3": a sign that touches the digits and no word before it.
fn signed(st: &Stream, i: usize, lang: Option<Lang>) -> Option<Read> {
    let sign = match st.s(i) {
        "-" | "−" | "–" => -1.0,
        "+" => 1.0,
        _ => return None,
    };
    let digit_next = st.is(i + 1, Kind::Digits) || leading_decimal(st, i + 1, lang);
    if !digit_next || !st.glued(i, i + 1) {
        return None;
    }
    if i > 0 && st.glued(i - 1, i) && matches!(st.kind(i - 1), Some(Kind::Word | Kind::Digits)) {
        return None;
    }
    // "75 -300mm": a dash after a number is a dash, not a sign.
    if i > 0 && st.is(i - 1, Kind::Digits) {
        return None;
    }
    Some(match compose(st, i + 1, lang) {
        Read::Number(mut n) => {
            n.value *= sign;
            n.first = i;
            Read::Number(n)
        }
        other => other,
    })
}

/// "hundreds of", "thousands of", "tens of thousands", "dozens of";
/// "several hundred", "a few thousand", "several hundred thousand".
fn vague(st: &Stream, i: usize, lang: Option<Lang>) -> Option<Num> {
    let lex = lexicon();
    if let Some((w, after)) = lex.number(st, i, lang)
        && w.role == Role::Few
    {
        let (m, mut next) = lex.number(st, after, lang)?;
        if !matches!(m.role, Role::Hundred | Role::Scale | Role::Dozen) {
            return None;
        }
        let mut unit = m.value;
        if let Some((larger, after)) = lex.number(st, next, lang)
            && larger.role == Role::Scale
            && larger.value > unit
        {
            unit *= larger.value;
            next = after;
        }
        return Some(Num {
            value: 2.0 * unit,
            first: i,
            next,
            written: true,
            vague: Some((2.0 * unit, 10.0 * unit - 1.0)),
            ratio: false,
        });
    }
    let word = st.lower(i);
    if !word.ends_with('s') {
        return None;
    }
    let of = |k: usize| matches!(st.lower(k).as_ref(), "of" | "de");
    let tens = lex
        .number(st, i, lang)
        .is_some_and(|(w, _)| w.role == Role::Tens);
    if tens && of(i + 1) {
        let (w, after) = lex.number(st, i + 2, lang)?;
        if w.role == Role::Scale && st.lower(i + 2).ends_with('s') {
            return Some(Num {
                value: 10.0 * w.value,
                first: i,
                next: after,
                written: true,
                vague: Some((10.0 * w.value, 100.0 * w.value - 1.0)),
                ratio: false,
            });
        }
        return None;
    }
    let (w, after) = lex.number(st, i, lang)?;
    if !matches!(w.role, Role::Hundred | Role::Scale | Role::Dozen) || !of(after) {
        return None;
    }
    Some(Num {
        value: 2.0 * w.value,
        first: i,
        next: after,
        written: true,
        vague: Some((2.0 * w.value, 10.0 * w.value - 1.0)),
        ratio: false,
    })
}

/// The decimal mark of a language, when it is known.
fn decimal_mark(lang: Option<Lang>) -> Option<&'static str> {
    match lang {
        Some(Lang::En) => Some("."),
        Some(Lang::Es) => Some(","),
        None => None,
    }
}

/// ".08", ",25": a decimal mark right before digits, with no digit before it.
fn leading_decimal(st: &Stream, i: usize, lang: Option<Lang>) -> bool {
    let mark = decimal_mark(lang).unwrap_or(".");
    st.s(i) == mark
        && st.is(i + 1, Kind::Digits)
        && st.glued(i, i + 1)
        && !(i > 0 && st.glued(i - 1, i) && st.is(i - 1, Kind::Digits))
}

/// A number written in digits.
#[derive(Debug, Clone, Copy)]
struct Digits {
    value: f64,
    next: usize,
    /// Written as a plain integer with no separator, exponent or suffix.
    plain: bool,
}

/// Is token `k` a separator between digits: glued on both sides?
fn separator_at<'a>(st: &Stream<'a>, k: usize) -> Option<&'a str> {
    let s = st.s(k);
    (matches!(s, "," | ".")
        && st.glued(k - 1, k)
        && st.glued(k, k + 1)
        && st.is(k + 1, Kind::Digits))
    .then_some(s)
}

/// Digits with their group and decimal separators, read by the language's
/// convention; `Err` with the token to skip to when the form is ambiguous
/// or not a number (a version, an address).
fn digits(st: &Stream, i: usize, lang: Option<Lang>) -> Result<Option<Digits>, usize> {
    if leading_decimal(st, i, lang) {
        let frac = st.s(i + 1);
        let value: f64 = format!("0.{frac}").parse().map_err(|_| i + 2)?;
        return Ok(Some(Digits {
            value,
            next: i + 2,
            plain: false,
        }));
    }
    if !st.is(i, Kind::Digits) {
        return Ok(None);
    }
    let int = st.s(i);
    let mut whole = int.to_string();
    let mut k = i + 1;
    // Groups of three after a separator ("1,500,000", "40.000") or a space ("10 000").
    let mut group_mark: Option<&str> = None;
    let mut groups = 0;
    while let Some(sep) = separator_at(st, k)
        && st.s(k + 1).len() == 3
        && int.len() <= 3
        && group_mark.is_none_or(|g| g == sep)
    {
        // A lone "1.234" or "1,234" is decided below.
        group_mark = Some(sep);
        whole.push_str(st.s(k + 1));
        groups += 1;
        k += 2;
    }
    if group_mark.is_none() && int.len() <= 3 {
        while st.is(k, Kind::Digits)
            && st.s(k).len() == 3
            && st.one_space_before(k)
            && !(st.is(k + 1, Kind::Digits) && st.one_space_before(k + 1) && st.s(k + 1).len() != 3)
        {
            whole.push_str(st.s(k));
            groups += 1;
            k += 1;
        }
    }
    // A decimal part after a different mark ("1,674,200.5", "1.234,5").
    let mut fraction = None;
    if let Some(mark) = separator_at(st, k)
        && group_mark.is_none_or(|g| g != mark)
    {
        fraction = Some((mark, st.s(k + 1)));
        k += 2;
    }
    // A further separator means a version, an address or a date ("1.2.3", "192.168.1.2").
    if separator_at(st, k).is_some() {
        let mut j = k;
        while separator_at(st, j).is_some() {
            j += 2;
        }
        return Err(j);
    }
    let mut value_text = whole.clone();
    match (group_mark, fraction) {
        (Some(_), Some((_, f))) => value_text = format!("{whole}.{f}"),
        (None, Some((mark, f))) => {
            // "16,4", "4.800", "1,3": one mark. With three digits after it the
            // mark may group ("1,234") or be a decimal ("1.234" in Spanish is
            // 1234, in English 1.234): the language decides, or nothing is read.
            if f.len() == 3 && int.len() <= 3 {
                match decimal_mark(lang) {
                    Some(d) if d == mark => value_text = format!("{whole}.{f}"),
                    Some(_) => value_text = format!("{whole}{f}"),
                    None => return Err(k),
                }
            } else {
                value_text = format!("{whole}.{f}");
            }
        }
        (Some(g), None) if groups == 1 => {
            // "1,234" / "1.234": the same question as above.
            match decimal_mark(lang) {
                Some(d) if d == g => {
                    let (a, b) = whole.split_at(int.len());
                    value_text = format!("{a}.{b}");
                }
                Some(_) => {}
                None => return Err(k),
            }
        }
        _ => {}
    }
    let value: f64 = value_text.parse().map_err(|_| k)?;
    let plain = groups == 0 && fraction.is_none();
    Ok(Some(Digits {
        value,
        next: k,
        plain,
    }))
}

/// "e6", "e+14", "e-3" right after a mantissa.
fn exponent(st: &Stream, k: usize) -> Option<(f64, usize)> {
    if !matches!(st.s(k), "e" | "E") || !st.glued(k - 1, k) {
        return None;
    }
    signed_integer(st, k + 1)
        .filter(|_| st.glued(k, k + 1))
        .map(|(e, next)| (10f64.powf(e), next))
}

/// An integer with an optional sign glued to it, at token `k`.
fn signed_integer(st: &Stream, k: usize) -> Option<(f64, usize)> {
    let (sign, at) = match st.s(k) {
        "-" | "−" => (-1.0, k + 1),
        "+" => (1.0, k + 1),
        _ => (1.0, k),
    };
    if !st.is(at, Kind::Digits) || (at != k && !st.glued(k, at)) {
        return None;
    }
    let e: f64 = st.s(at).parse().ok()?;
    Some((sign * e, at + 1))
}

/// "^2", "^+23" right after a number: a power.
fn power(st: &Stream, k: usize) -> Option<(f64, usize)> {
    if st.s(k) != "^" || !st.glued(k - 1, k) {
        return None;
    }
    signed_integer(st, k + 1)
}

/// "×10^6", "x10−5", "* 2^10": times a power.
fn times_power(st: &Stream, k: usize) -> Option<(f64, usize)> {
    if !matches!(st.s(k), "×" | "x" | "X" | "*" | "·") {
        return None;
    }
    let base_at = k + 1;
    if !st.is(base_at, Kind::Digits) {
        return None;
    }
    let base: f64 = st.s(base_at).parse().ok()?;
    if let Some((e, next)) = power(st, base_at + 1) {
        return Some((base.powf(e), next));
    }
    // "10−5": a minus glued to the base ten.
    if base == 10.0
        && matches!(st.s(base_at + 1), "−" | "-")
        && st.glued(base_at, base_at + 1)
        && let Some((e, next)) = signed_integer(st, base_at + 1)
    {
        return Some((10f64.powf(e), next));
    }
    None
}

/// Unicode vulgar fractions.
fn vulgar(s: &str) -> Option<f64> {
    Some(match s {
        "½" => 0.5,
        "⅓" => 1.0 / 3.0,
        "⅔" => 2.0 / 3.0,
        "¼" => 0.25,
        "¾" => 0.75,
        "⅕" => 0.2,
        "⅖" => 0.4,
        "⅗" => 0.6,
        "⅘" => 0.8,
        "⅙" => 1.0 / 6.0,
        "⅚" => 5.0 / 6.0,
        "⅛" => 0.125,
        "⅜" => 0.375,
        "⅝" => 0.625,
        "⅞" => 0.875,
        _ => return None,
    })
}

/// "1/40", "3/4": a proper fraction of two plain integers, not part of a
/// date ("5/17/2018") or a rate ("24/7").
fn slash_fraction(st: &Stream, k: usize) -> Option<(f64, usize)> {
    let (a, b) = (
        st.s(k).parse::<f64>().ok()?,
        st.s(k + 2).parse::<f64>().ok()?,
    );
    let touching = st.is(k, Kind::Digits)
        && st.s(k + 1) == "/"
        && st.is(k + 2, Kind::Digits)
        && st.glued(k, k + 1)
        && st.glued(k + 1, k + 2);
    let chained = (st.s(k + 3) == "/" && st.glued(k + 2, k + 3))
        || (k > 0 && st.s(k - 1) == "/" && st.glued(k - 1, k));
    (touching && !chained && b > 0.0 && a < b).then_some((a / b, k + 3))
}

/// Short multipliers glued to digits ("100k", "1.2b", "1MM", "3bn").
fn suffix(st: &Stream, k: usize) -> Option<f64> {
    if !st.is(k, Kind::Word) || !st.glued(k - 1, k) {
        return None;
    }
    Some(match st.s(k) {
        "k" | "K" => 1e3,
        "M" | "MM" | "mn" | "mln" => 1e6,
        "b" | "bn" | "Bn" | "BN" => 1e9,
        "tn" => 1e12,
        _ => return None,
    })
}

/// "2,33 k", "1,674,200.5 M": a lone multiplier letter after a space, at the end of a clause.
fn spaced_suffix(st: &Stream, k: usize) -> Option<f64> {
    let value = match st.s(k) {
        "k" | "K" => 1e3,
        "M" => 1e6,
        _ => return None,
    };
    (st.kind(k + 1).is_none_or(|kind| kind == Kind::Sym)).then_some(value)
}

/// A number in digits with whatever is glued to it: exponent, power,
/// fraction, suffix.
fn numeral(st: &Stream, i: usize, lang: Option<Lang>) -> Result<Option<(Digits, bool)>, usize> {
    // "¾", "2½"
    if let Some(v) = vulgar(st.s(i)) {
        return Ok(Some((
            Digits {
                value: v,
                next: i + 1,
                plain: false,
            },
            true,
        )));
    }
    if let Some((v, next)) = slash_fraction(st, i) {
        return Ok(Some((
            Digits {
                value: v,
                next,
                plain: false,
            },
            true,
        )));
    }
    let Some(mut d) = digits(st, i, lang)? else {
        return Ok(None);
    };
    let mut ratio = false;
    if let Some((m, next)) = exponent(st, d.next) {
        d = Digits {
            value: d.value * m,
            next,
            plain: false,
        };
    } else if let Some((e, next)) = power(st, d.next) {
        d = Digits {
            value: d.value.powf(e),
            next,
            plain: false,
        };
    } else if let Some((m, next)) = times_power(st, d.next) {
        d = Digits {
            value: d.value * m,
            next,
            plain: false,
        };
    } else if d.plain
        && let Some(v) = vulgar(st.s(d.next)).filter(|_| st.glued(d.next - 1, d.next))
    {
        d = Digits {
            value: d.value + v,
            next: d.next + 1,
            plain: false,
        };
    } else if d.plain
        && st.space_before(d.next)
        && let Some((v, next)) = slash_fraction(st, d.next)
    {
        // "2 1/2"
        d = Digits {
            value: d.value + v,
            next,
            plain: false,
        };
        ratio = true;
    } else if let Some(m) = suffix(st, d.next) {
        d = Digits {
            value: d.value * m,
            next: d.next + 1,
            plain: false,
        };
    } else if let Some(m) = spaced_suffix(st, d.next) {
        d = Digits {
            value: d.value * m,
            next: d.next + 1,
            plain: false,
        };
    }
    Ok(Some((d, ratio)))
}

/// The state of a number being composed from words and digits.
#[derive(Debug, Clone, Default)]
struct Build {
    /// Closed groups: (value, scale), scales decreasing.
    done: Vec<(f64, f64)>,
    /// The open part (below the last scale).
    cur: f64,
    /// What the open part's last atom added, for "dozen".
    last_part: f64,
    last: Last,
    /// Atoms read.
    atoms: usize,
    /// The first atom was a word.
    written: bool,
    /// A fraction or ratio was read.
    ratio: bool,
    /// What came before the last "and".
    before_and: Last,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
enum Last {
    #[default]
    Start,
    /// A cardinal word with its value.
    Card(f64),
    /// Digits: a plain integer or not.
    Digits(bool),
    Hundred,
    Scale(f64),
    And,
    /// "a", "an": waits for a multiplier.
    One,
    Dozen,
    Fraction,
}

impl Build {
    fn value(&self) -> f64 {
        self.done.iter().map(|(v, s)| v * s).sum::<f64>() + self.cur
    }

    /// The smallest closed scale, or infinity.
    fn last_scale(&self) -> f64 {
        self.done.last().map_or(f64::INFINITY, |d| d.1)
    }

    /// The whole number so far replaced by a fraction or ratio of `value`
    /// (every caller has read a written numerator, or keeps how it began).
    fn fraction(&self, value: f64) -> Build {
        Build {
            cur: value,
            last: Last::Fraction,
            atoms: self.atoms + 1,
            written: self.written,
            ratio: true,
            ..Build::default()
        }
    }

    /// Can a cardinal of value `v` be added now?
    fn takes_card(&self, v: f64, word: bool) -> bool {
        match self.last {
            Last::Start => true,
            Last::Scale(s) => v < s,
            Last::Hundred => v < 100.0,
            Last::And => match self.before_and {
                Last::Hundred => v < 100.0,
                Last::Scale(s) => v < s.min(1000.0),
                // "twenty and three", "cincuenta y dos"
                Last::Card(l) => word && place_takes(l, v),
                _ => false,
            },
            // "twenty one", "doscientos dos": a smaller place after a round one.
            Last::Card(l) => word && place_takes(l, v),
            _ => false,
        }
    }

    fn add(&mut self, v: f64, last: Last) {
        self.cur += v;
        self.last_part = v;
        self.last = last;
        self.atoms += 1;
    }

    /// Close the open part with a scale ("thousand", "millones"): groups with
    /// smaller scales join it ("mil millones", "two hundred and two thousand").
    fn scale(&mut self, s: f64) -> bool {
        let mut part = self.cur;
        while let Some(&(v, sc)) = self.done.last()
            && sc < s
        {
            part += v * sc;
            self.done.pop();
        }
        if part == 0.0 {
            if self.atoms > 0 {
                return false;
            }
            part = 1.0;
        }
        if self.last_scale() <= s {
            return false;
        }
        self.done.push((part, s));
        self.cur = 0.0;
        self.last = Last::Scale(s);
        self.atoms += 1;
        true
    }
}

/// Does a round number `l` leave room for `v` in its lower places?
fn place_takes(l: f64, v: f64) -> bool {
    (l >= 100.0 && l % 100.0 == 0.0 && v < 100.0)
        || ((20.0..100.0).contains(&l) && l % 10.0 == 0.0 && v < 10.0)
}

/// A number made of words and digits, read left to right.
fn compose(st: &Stream, i: usize, lang: Option<Lang>) -> Read {
    let lex = lexicon();
    let mut b = Build::default();
    let mut k = i;
    let mut end = i;
    // The state before the last "and", to fall back to when what follows
    // does not belong ("3 hundred and 2 hundred").
    let mut before_and: Option<(Build, usize)> = None;
    loop {
        match numeral(st, k, lang) {
            Err(skip) => {
                if b.atoms == 0 {
                    return Read::Skip(skip);
                }
                break;
            }
            Ok(Some((d, ratio))) => {
                if ratio {
                    if b.atoms > 0 {
                        break;
                    }
                    b.add(d.value, Last::Digits(false));
                    b.ratio = true;
                    k = d.next;
                    end = k;
                    break;
                }
                let fits = match b.last {
                    Last::Start => true,
                    Last::Scale(s) | Last::Card(s) if d.plain => {
                        d.value < s.min(1000.0) && b.last != Last::Card(s)
                    }
                    Last::Hundred | Last::And if d.plain => b.takes_card(d.value, false),
                    _ => false,
                };
                if !fits {
                    break;
                }
                b.add(d.value, Last::Digits(d.plain));
                k = d.next;
                end = k;
                continue;
            }
            Ok(None) => {}
        }
        let Some((w, after)) = lex.number(st, k, lang) else {
            break;
        };
        // Hyphens inside written numbers: "twenty-one", "fifty - two", "one-half".
        let hyphen_next =
            matches!(st.s(after), "-" | "–") && lex.number(st, after + 1, lang).is_some();
        match w.role {
            Role::Card => {
                if !b.takes_card(w.value, true) {
                    // "one twenty-fifth", "twenty twenty fifths": a numerator
                    // and a compound denominator.
                    if let Some((value, next)) = compound_fraction(st, &b, w.value, after, lang) {
                        b = b.fraction(value);
                        k = next;
                        end = k;
                    }
                    break;
                }
                if b.atoms == 0 {
                    b.written = true;
                }
                b.add(w.value, Last::Card(w.value));
            }
            Role::Hundred => {
                let ok = match b.last {
                    Last::Start | Last::One => true,
                    Last::Card(_) => b.cur > 0.0 && b.cur < 100.0,
                    // "322 hundred", "2.12 hundred"; not "3 hundred and 2 hundred".
                    Last::Digits(_) => b.atoms == 1 || b.cur < 100.0,
                    _ => false,
                };
                if !ok {
                    break;
                }
                if b.atoms == 0 {
                    b.written = true;
                }
                let part = if b.cur == 0.0 { 1.0 } else { b.cur };
                b.cur = part * 100.0;
                b.last_part = b.cur;
                b.last = Last::Hundred;
                b.atoms += 1;
            }
            Role::Scale => {
                if matches!(b.last, Last::And) {
                    break;
                }
                let mut next = b.clone();
                if b.atoms == 0 {
                    next.written = true;
                }
                if !next.scale(w.value) {
                    break;
                }
                b = next;
            }
            Role::Dozen => {
                if b.atoms == 0 || matches!(b.last, Last::And | Last::Dozen | Last::Scale(_)) {
                    break;
                }
                b.cur += b.last_part * (w.value - 1.0);
                b.last_part *= w.value;
                b.last = Last::Dozen;
                b.atoms += 1;
            }
            Role::One => {
                if b.atoms != 0 {
                    break;
                }
                // "a" counts only before a multiplier or a fraction.
                let Some((nw, _)) = lex.number(st, after, lang) else {
                    break;
                };
                if !matches!(
                    nw.role,
                    Role::Hundred | Role::Scale | Role::Dozen | Role::Den { .. } | Role::Half
                ) {
                    break;
                }
                b.cur = 1.0;
                b.last_part = 1.0;
                b.last = Last::One;
                b.atoms += 1;
                b.written = true;
            }
            Role::Half | Role::Den { .. } if b.atoms == 0 || b.last == Last::One => {
                // "half a dozen", "half million", "a quarter million", "a half".
                let den = w.value;
                let bare = b.atoms == 0;
                if bare && w.role != Role::Half {
                    // "quarter million": a bare denominator only before a multiplier.
                    let multiplier = lex
                        .number(st, after, lang)
                        .is_some_and(|(nw, _)| matches!(nw.role, Role::Scale | Role::Hundred));
                    if !multiplier {
                        break;
                    }
                }
                b.cur = 1.0 / den;
                b.last_part = b.cur;
                b.last = Last::Fraction;
                b.atoms += 1;
                b.written = true;
                b.ratio = true;
                // "half a dozen", "half a million"
                let mut j = after;
                if matches!(lex.number(st, j, lang), Some((x, _)) if x.role == Role::One)
                    && let Some((m, after_m)) = lex.number(st, j + 1, lang)
                    && matches!(m.role, Role::Dozen | Role::Scale)
                {
                    b.cur *= m.value;
                    b.last = Last::Dozen;
                    j = after_m;
                    k = j;
                    end = k;
                    continue;
                }
            }
            Role::Half | Role::Den { .. } => {
                // A fraction after a written numerator: "five eighths", "one sixth".
                let plural = matches!(w.role, Role::Den { plural: true });
                let numerator = b.value();
                let after_and = b.last == Last::And;
                if after_and || !b.written || !b.done.is_empty() && !plural {
                    break;
                }
                if !plural && numerator != 1.0 {
                    break;
                }
                if w.role == Role::Half && numerator != 1.0 {
                    break;
                }
                let mut value = numerator / w.value;
                // "one hundred thirty-fifths": the hyphen ties the tens to the ordinal.
                if let Last::Card(tens) = b.last
                    && (20.0..100.0).contains(&tens)
                    && tens % 10.0 == 0.0
                    && w.value < 10.0
                    && k > 0
                    && st.s(k - 1) == "-"
                    && numerator > tens
                {
                    value = (numerator - tens) / (tens + w.value);
                }
                // "two thirds of a million"
                if matches!(st.lower(after).as_ref(), "of" | "de")
                    && matches!(lex.number(st, after + 1, lang), Some((x, _)) if x.role == Role::One)
                    && let Some((m, after_m)) = lex.number(st, after + 2, lang)
                    && m.role == Role::Scale
                {
                    value *= m.value;
                    k = after_m;
                    end = k;
                    b = b.fraction(value);
                    continue;
                }
                b = b.fraction(value);
                b.last_part = value;
            }
            Role::And => {
                if b.atoms == 0 || matches!(b.last, Last::And | Last::One) {
                    break;
                }
                // "and a half", "y medio", "and three quarters", "con tres cuartos".
                if let Some((f, next)) = and_fraction(st, after, lang) {
                    let whole = b.value();
                    // After a scale the fraction is of the scale, unless another
                    // scale follows ("one billion and a half million").
                    let following = lex
                        .number(st, next, lang)
                        .filter(|(w, _)| w.role == Role::Scale);
                    let mut nb = b.clone();
                    let mut stop = next;
                    match (b.last, following) {
                        // "one billion and a half million"
                        (Last::Scale(_), Some((s, after_s))) if s.value < b.last_scale() => {
                            nb.done.push((f, s.value));
                            stop = after_s;
                        }
                        // "five and a half million"
                        (_, Some((s, after_s))) if s.value < b.last_scale() => {
                            nb.cur += f;
                            if !nb.scale(s.value) {
                                break;
                            }
                            stop = after_s;
                        }
                        (Last::Scale(s), None) => {
                            nb.done.pop();
                            nb.done.push((whole / s + f - nb.value() / s, s));
                        }
                        _ => nb.cur += f,
                    }
                    nb.last = Last::Fraction;
                    nb.atoms += 1;
                    nb.ratio = true;
                    b = nb;
                    k = stop;
                    end = k;
                    continue;
                }
                before_and = Some((b.clone(), end));
                b.before_and = b.last;
                b.last = Last::And;
                k = after;
                continue;
            }
            Role::Point => {
                if b.atoms == 0 || !b.written || b.cur.fract() != 0.0 {
                    break;
                }
                let Some((decimals, next)) = spoken_decimals(st, after, lang) else {
                    break;
                };
                let v: f64 = format!("0.{decimals}").parse().unwrap_or(0.0);
                b.cur += v;
                b.last = Last::Fraction;
                b.atoms += 1;
                k = next;
                end = k;
                continue;
            }
            Role::Over | Role::OutOf => {
                if b.atoms == 0 || b.ratio || matches!(b.last, Last::And | Last::One) {
                    break;
                }
                let Read::Number(den) = compose(st, after, lang) else {
                    break;
                };
                let numerator = b.value();
                // A part of a larger whole; "in 2020" is a year, not a whole.
                let year_like =
                    !den.written && st.s(den.first).len() == 4 && den.next == den.first + 1;
                let proper = numerator < den.value && !den.ratio && den.vague.is_none();
                // "$48 million over eight years" is a span of time, not a
                // fraction: no unit follows a denominator.
                let unit_after = lexicon().unit_at(st, den.next, lang).is_some();
                let ok = den.value != 0.0
                    && !(w.role == Role::Over && unit_after)
                    && match w.role {
                        Role::Over => !den.ratio && (b.written || den.written),
                        _ => {
                            proper
                                && !year_like
                                && (b.written || den.written || w.role == Role::OutOf)
                        }
                    };
                if !ok {
                    break;
                }
                let value = numerator / den.value;
                b = b.fraction(value);
                k = den.next;
                end = k;
                break;
            }
            Role::Times => {
                if b.atoms == 0 {
                    b.add(w.value, Last::Fraction);
                    b.written = true;
                    k = after;
                    end = k;
                }
                break;
            }
            Role::Neg | Role::Few | Role::Tens => break,
        }
        k = after;
        if !matches!(b.last, Last::One) {
            end = k;
        }
        if hyphen_next {
            k += 1;
        }
    }
    // What followed "and" did not belong: fall back ("3 hundred and 2 hundred").
    if let Some((prev, prev_end)) = before_and
        && (b.last == Last::And
            || lex
                .number(st, end, lang)
                .is_some_and(|(w, _)| matches!(w.role, Role::Hundred | Role::Scale)))
    {
        b = prev;
        end = prev_end;
    }
    if b.atoms == 0 || b.last == Last::One {
        return Read::Nothing;
    }
    if b.last == Last::And {
        // Trailing "and": not part of the number.
        b.last = Last::Start;
    }
    Read::Number(Num {
        value: b.value(),
        first: i,
        next: end,
        written: b.written,
        vague: None,
        ratio: b.ratio,
    })
}

/// A written numerator, then tens and an ordinal as the denominator: the
/// value and the token after it.
fn compound_fraction(
    st: &Stream,
    b: &Build,
    tens: f64,
    after: usize,
    lang: Option<Lang>,
) -> Option<(f64, usize)> {
    if !b.written
        || b.atoms == 0
        || b.last == Last::And
        || !(20.0..100.0).contains(&tens)
        || tens % 10.0 != 0.0
    {
        return None;
    }
    let j = if matches!(st.s(after), "-") {
        after + 1
    } else {
        after
    };
    let (d, next) = lexicon().number(st, j, lang)?;
    let Role::Den { plural } = d.role else {
        return None;
    };
    let numerator = b.value();
    (d.value < 10.0 && plural == (numerator != 1.0)).then_some((numerator / (tens + d.value), next))
}

/// "a half", "one half", "three quarters", "fifty-four hundredths", "medio",
/// "tres cuartos" after "and": a fraction below one.
fn and_fraction(st: &Stream, k: usize, lang: Option<Lang>) -> Option<(f64, usize)> {
    let lex = lexicon();
    let (w, after) = lex.number(st, k, lang)?;
    // "y medio"
    if matches!(w.role, Role::Den { plural: false } | Role::Half) && lang == Some(Lang::Es) {
        return Some((1.0 / w.value, after));
    }
    if !matches!(w.role, Role::One | Role::Card) {
        return None;
    }
    match compose(st, k, lang) {
        Read::Number(n) if n.ratio && n.written && n.value < 1.0 => Some((n.value, n.next)),
        // "a half million": the fraction, leaving the scale to the caller.
        Read::Number(n) if n.ratio && n.written && n.next > k + 1 => {
            let (w, _) = lex.number(st, n.next - 1, lang)?;
            let f = n.value / w.value;
            (w.role == Role::Scale && f < 1.0).then_some((f, n.next - 1))
        }
        _ => None,
    }
}

/// The digits after a spoken decimal point: "zero three", "seventy-one", "eleven".
fn spoken_decimals(st: &Stream, mut k: usize, lang: Option<Lang>) -> Option<(String, usize)> {
    let lex = lexicon();
    let mut out = String::new();
    while let Some((w, after)) = lex.number(st, k, lang) {
        if w.role != Role::Card || w.value >= 100.0 {
            break;
        }
        let mut v = w.value;
        let mut next = after;
        // "seventy-one"
        let j = if matches!(st.s(after), "-") {
            after + 1
        } else {
            after
        };
        if (20.0..100.0).contains(&v)
            && v % 10.0 == 0.0
            && let Some((u, after_u)) = lex.number(st, j, lang)
            && u.role == Role::Card
            && u.value < 10.0
        {
            v += u.value;
            next = after_u;
        }
        out.push_str(&format!("{v}"));
        k = next;
    }
    (!out.is_empty()).then_some((out, k))
}
