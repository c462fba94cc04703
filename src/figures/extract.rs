//! Finds the quantities stated in a piece of text, with byte spans: the value
//! or range, its qualifier, its unit, what it counts, and whether it is a rate.
//!
//! Digits ("40,000", "23.5"), written numbers read by `text2num`
//! ("sixty-two", "six million", "three times"), multipliers ("$6 million",
//! "$6m"), halves ("23 and a half"), ranges ("250–288", "between 189 and
//! 200", "from 20,000 to 40,000"), vague magnitudes ("hundreds of",
//! "tens of thousands") and equivalents in parentheses ("35°C (95°F)") are
//! read. Reference markers ("[13]"), names with numbers ("MS-13",
//! "Barrio 18"), phone-like numbers, times and dates are not figures; years
//! are recognised as years.
//!
//! Boundary: text in, mentions out. Nothing here knows about questions.

use serde::Serialize;

use super::lexicon::{self, NUMBER_WORDS};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Qualifier {
    #[serde(rename = "approximately")]
    Approximately,
    #[serde(rename = "at least")]
    AtLeast,
    #[serde(rename = "more than")]
    MoreThan,
    #[serde(rename = "up to")]
    UpTo,
    #[serde(rename = "at most")]
    AtMost,
}

impl Qualifier {
    pub fn label(self) -> &'static str {
        match self {
            Qualifier::Approximately => "approximately",
            Qualifier::AtLeast => "at least",
            Qualifier::MoreThan => "more than",
            Qualifier::UpTo => "up to",
            Qualifier::AtMost => "at most",
        }
    }
}

/// What a figure measures.
#[derive(Debug, Clone, PartialEq)]
pub enum Unit {
    /// A count of people ("238 men", "250 individuals").
    People,
    /// A count of something else, by its noun as written ("two toilets").
    Thing(String),
    /// Money, by ISO currency code.
    Money(&'static str),
    Duration(&'static str),
    Percent,
    /// Distance, with kilometres per unit.
    Distance(&'static str, f64),
    /// Area, with square metres per unit.
    Area(&'static str, f64),
    /// "°C", "°F", or "°" when the scale is not said.
    Temperature(&'static str),
    /// How many times something happened ("three times", "twice").
    Times,
    /// A calendar year ("1798", "in 2022").
    Year,
    /// A day of a month ("March 26").
    DayOfMonth,
    /// A number with nothing said about what it counts.
    Bare,
}

impl Unit {
    /// The unit as shown in answers and JSON.
    pub fn label(&self) -> String {
        match self {
            Unit::People => "people".into(),
            Unit::Thing(noun) => noun.clone(),
            Unit::Money(code) => (*code).into(),
            Unit::Duration(u) => (*u).into(),
            Unit::Percent => "percent".into(),
            Unit::Distance(u, _) | Unit::Area(u, _) | Unit::Temperature(u) => (*u).into(),
            Unit::Times => "times".into(),
            Unit::Year => "year".into(),
            Unit::DayOfMonth => "day of month".into(),
            Unit::Bare => String::new(),
        }
    }
}

/// One quantity found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// The figure as written: `text[start..end]`.
    pub text: String,
    /// Byte range in the text of the whole figure (qualifier, number, unit, rate).
    pub start: usize,
    pub end: usize,
    /// Byte offset of the number itself.
    pub at: usize,
    pub low: f64,
    pub high: f64,
    pub qualifier: Option<Qualifier>,
    pub unit: Unit,
    /// The counted noun phrase as written ("alleged members").
    pub noun: Option<String>,
    /// A rate: "a day", "each", "a year", "daily".
    pub per: Option<String>,
    /// An order of magnitude rather than a figure ("hundreds of").
    pub vague: bool,
    /// A converted value given beside it in parentheses ("95°F").
    pub equivalent: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word,
    Num,
    Sym,
}

#[derive(Debug, Clone, Copy)]
struct Tok {
    start: usize,
    end: usize,
    kind: Kind,
}

fn tokenize(text: &str) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        let (kind, mut end) = if c.is_ascii_digit() {
            (Kind::Num, i + 1)
        } else if c.is_alphabetic() {
            (Kind::Word, i + c.len_utf8())
        } else {
            toks.push(Tok {
                start: i,
                end: i + c.len_utf8(),
                kind: Kind::Sym,
            });
            continue;
        };
        while let Some(&(j, d)) = chars.peek() {
            let next_is_digit = text[j + d.len_utf8()..]
                .chars()
                .next()
                .is_some_and(|x| x.is_ascii_digit());
            let next_is_alpha = text[j + d.len_utf8()..]
                .chars()
                .next()
                .is_some_and(char::is_alphabetic);
            let keep = match kind {
                Kind::Num => d.is_ascii_digit() || (matches!(d, ',' | '.') && next_is_digit),
                _ => d.is_alphanumeric() || (matches!(d, '\'' | '’') && next_is_alpha),
            };
            if !keep {
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

struct Scanner<'a> {
    text: &'a str,
    toks: Vec<Tok>,
}

/// A number read at some token position.
struct Read {
    value: f64,
    /// Token index after the number.
    next: usize,
    written: bool,
    vague: Option<(f64, f64)>,
}

impl<'a> Scanner<'a> {
    fn s(&self, i: usize) -> &'a str {
        self.toks.get(i).map_or("", |t| &self.text[t.start..t.end])
    }

    fn lower(&self, i: usize) -> String {
        self.s(i).to_lowercase()
    }

    fn kind(&self, i: usize) -> Option<Kind> {
        self.toks.get(i).map(|t| t.kind)
    }

    fn glued(&self, a: usize, b: usize) -> bool {
        matches!((self.toks.get(a), self.toks.get(b)), (Some(x), Some(y)) if x.end == y.start)
    }

    fn is_number_word(&self, i: usize) -> bool {
        self.kind(i) == Some(Kind::Word) && NUMBER_WORDS.contains(&self.lower(i).as_str())
    }

    /// Reads a number (digits or words) starting at token `i`.
    fn read_number(&self, i: usize) -> Option<Read> {
        match self.kind(i)? {
            Kind::Num => {
                let digits: String = self.s(i).chars().filter(|c| *c != ',').collect();
                let mut value: f64 = digits.parse().ok()?;
                let mut next = i + 1;
                // "23 and a half"
                if self.lower(next) == "and"
                    && self.lower(next + 1) == "a"
                    && self.lower(next + 2) == "half"
                {
                    value += 0.5;
                    next += 3;
                }
                if let Some(m) = lexicon::multiplier(&self.lower(next)) {
                    value *= m;
                    next += 1;
                }
                Some(Read {
                    value,
                    next,
                    written: false,
                    vague: None,
                })
            }
            Kind::Word => self.read_words(i),
            Kind::Sym => None,
        }
    }

    fn read_words(&self, i: usize) -> Option<Read> {
        let w = self.lower(i);
        // "tens of thousands", "hundreds of thousands"
        if matches!(w.as_str(), "tens" | "hundreds") && self.lower(i + 1) == "of" {
            let scale = match self.lower(i + 2).as_str() {
                "thousands" => Some(1e3),
                "millions" => Some(1e6),
                _ => None,
            };
            if let Some(scale) = scale {
                let (lo, hi) = if w == "tens" {
                    (10.0, 99.0)
                } else {
                    (100.0, 999.0)
                };
                return Some(Read {
                    value: lo * scale,
                    next: i + 3,
                    written: true,
                    vague: Some((lo * scale, (hi + 1.0) * scale - 1.0)),
                });
            }
        }
        if let Some(range) = lexicon::vague(&w)
            && self.lower(i + 1) == "of"
        {
            return Some(Read {
                value: range.0,
                next: i + 1,
                written: true,
                vague: Some(range),
            });
        }
        // "a dozen", "a hundred", "a million"
        if matches!(w.as_str(), "a" | "an") {
            let next = self.lower(i + 1);
            let value = if next == "dozen" {
                12.0
            } else {
                lexicon::multiplier(&next).filter(|_| next != "millions")?
            };
            return Some(Read {
                value,
                next: i + 2,
                written: true,
                vague: None,
            });
        }
        if w == "twice" || w == "thrice" {
            return Some(Read {
                value: if w == "twice" { 2.0 } else { 3.0 },
                next: i + 1,
                written: true,
                vague: None,
            });
        }
        if !self.is_number_word(i) {
            return None;
        }
        // The longest run of number words, joined by hyphens or "and".
        let mut j = i + 1;
        loop {
            if self.is_number_word(j) {
                j += 1;
            } else if (self.s(j) == "-" && self.glued(j - 1, j) && self.glued(j, j + 1)
                || self.lower(j) == "and")
                && self.is_number_word(j + 1)
            {
                j += 2;
            } else {
                break;
            }
        }
        let words: Vec<String> = (i..j).map(|k| self.lower(k)).filter(|w| w != "-").collect();
        let parsed =
            text2num::text2digits(&words.join(" "), &text2num::Language::english()).ok()?;
        let mut value: f64 = parsed.parse().ok()?;
        let mut next = j;
        if self.lower(next) == "dozen" {
            value *= 12.0;
            next += 1;
        }
        if self.lower(next) == "and"
            && self.lower(next + 1) == "a"
            && self.lower(next + 2) == "half"
        {
            value += 0.5;
            next += 3;
        }
        Some(Read {
            value,
            next,
            written: true,
            vague: None,
        })
    }

    /// A qualifier that ends right before token `i`, with the token where it starts.
    fn qualifier_before(&self, i: usize) -> Option<(Qualifier, usize)> {
        for (words, q) in lexicon::QUALIFIERS {
            let n = words.len();
            if i < n {
                continue;
            }
            if (0..n).all(|k| self.lower(i - n + k) == words[k]) {
                return Some((*q, i - n));
            }
        }
        None
    }

    /// Is the number at token `i` part of a name, a reference marker, a time or a phone number?
    fn is_not_a_figure(&self, i: usize) -> bool {
        let prev = i.checked_sub(1);
        let next_s = self.s(i + 1);
        // [13]
        if prev.is_some_and(|p| self.s(p) == "[" && self.glued(p, i)) && next_s == "]" {
            return true;
        }
        // MS-13, COVID-19
        if let Some(p) = prev
            && self.s(p) == "-"
            && self.glued(p, i)
            && p > 0
            && self.kind(p - 1) == Some(Kind::Word)
            && self.glued(p - 1, p)
            && !self.is_number_word(p - 1)
        {
            return true;
        }
        // The middle or end of a dash chain such as 2025-11-29.
        if prev.is_some_and(|p| {
            self.s(p) == "-"
                && self.glued(p, i)
                && p > 0
                && self.kind(p - 1) == Some(Kind::Num)
                && self.glued(p - 1, p)
        }) {
            return true;
        }
        // 24/7, 9/11, 3:00, 555-1234
        if matches!(next_s, "/" | ":")
            && self.glued(i, i + 1)
            && self.kind(i + 2) == Some(Kind::Num)
            && self.glued(i + 1, i + 2)
        {
            return true;
        }
        if prev.is_some_and(|p| {
            matches!(self.s(p), "/" | ":")
                && self.glued(p, i)
                && p > 0
                && self.kind(p - 1) == Some(Kind::Num)
        }) {
            return true;
        }
        let digits = self.s(i);
        if next_s == "-" && self.glued(i, i + 1) && self.glued(i + 1, i + 2) {
            let after = self.s(i + 2);
            if digits.len() == 3
                && !digits.contains(',')
                && after.len() == 4
                && !after.contains(',')
            {
                return true;
            }
        }
        // 21st, 3rd, 1990s
        if self.kind(i + 1) == Some(Kind::Word)
            && self.glued(i, i + 1)
            && matches!(self.lower(i + 1).as_str(), "st" | "nd" | "rd" | "th" | "s")
        {
            return true;
        }
        // "Barrio 18", "Article 5", "No. 5": a name or label, not an amount.
        if let Some(p) = prev {
            let word = self.s(p);
            let capitalized = self.kind(p) == Some(Kind::Word)
                && word.chars().next().is_some_and(char::is_uppercase);
            if capitalized
                && !lexicon::CAPITALIZED_LEADS.contains(&word.to_lowercase().as_str())
                && !lexicon::MONTHS.contains(&word.to_lowercase().as_str())
                && self.qualifier_before(i).is_none()
            {
                return true;
            }
            if word == "."
                && p > 0
                && matches!(
                    self.lower(p - 1).as_str(),
                    "no" | "nos" | "vol" | "p" | "pp" | "art" | "sec" | "ch"
                )
            {
                return true;
            }
            if matches!(word, "#" | "§" | "№") {
                return true;
            }
        }
        false
    }

    fn currency_before(&self, i: usize) -> Option<(&'static str, usize)> {
        let p = i.checked_sub(1)?;
        let code = lexicon::currency_symbol(self.s(p))?;
        // "US$6"
        if p > 0 && self.s(p - 1).eq_ignore_ascii_case("us") && self.glued(p - 1, p) {
            return Some(("USD", p - 1));
        }
        Some((code, p))
    }
}

/// All quantities in `text`, in order.
pub fn mentions(text: &str) -> Vec<Mention> {
    let sc = Scanner {
        text,
        toks: tokenize(text),
    };
    let mut out: Vec<Mention> = Vec::new();
    let mut i = 0;
    while i < sc.toks.len() {
        match mention_at(&sc, i) {
            Some(Step::Found(m, next)) => {
                out.push(m);
                i = next.max(i + 1);
            }
            Some(Step::Skip(next)) => i = next.max(i + 1),
            None => i += 1,
        }
    }
    out
}

/// What reading at one token found.
enum Step {
    Found(Mention, usize),
    /// Not a figure; go on at this token.
    Skip(usize),
}

fn mention_at(sc: &Scanner, i: usize) -> Option<Step> {
    let numeric = sc.kind(i) == Some(Kind::Num);
    if numeric && sc.is_not_a_figure(i) {
        // Skip the whole "555-1234" or "24/7" group.
        let mut j = i + 1;
        while matches!(sc.s(j), "-" | "/" | ":")
            && sc.glued(j - 1, j)
            && sc.kind(j + 1) == Some(Kind::Num)
        {
            j += 2;
        }
        return Some(Step::Skip(j));
    }
    let read = sc.read_number(i)?;
    let mut value = read.value;
    let mut next = read.next;
    let mut start_tok = i;
    let mut currency = None;
    if numeric && let Some((code, at)) = sc.currency_before(i) {
        currency = Some(code);
        start_tok = at;
        // "$6m", "£4bn"
        if read.next == i + 1
            && sc.glued(i, i + 1)
            && let Some(m) = lexicon::short_multiplier(&sc.lower(i + 1))
        {
            value *= m;
            next = i + 2;
        }
    }
    let qualifier = match sc.qualifier_before(start_tok) {
        Some((q, at)) => {
            start_tok = at;
            Some(q)
        }
        None => None,
    };
    // "between 189 and 200", "from 20,000 to 40,000", "250–288", "80-100"
    let mut high = value;
    let opener = start_tok.checked_sub(1).map(|p| sc.lower(p));
    let (joiner_ok, joiner_len) = match sc.s(next) {
        "–" | "—" | "-" => (
            sc.glued(next - 1, next) == sc.glued(next, next + 1) || sc.s(next) == "–",
            1,
        ),
        _ => match (sc.lower(next).as_str(), opener.as_deref()) {
            ("and", Some("between")) | ("to", Some("from")) => (true, 1),
            _ => (false, 0),
        },
    };
    if joiner_ok && read.vague.is_none() {
        let mut k = next + joiner_len;
        if lexicon::currency_symbol(sc.s(k)).is_some() {
            k += 1;
        }
        if let Some(second) = sc.read_number(k).filter(|r| r.vague.is_none()) {
            let mut lo = value;
            let hi = second.value;
            // "6-7 million": the multiplier applies to both ends.
            if second.next > k + 1 && !second.written && next == read.next && lo < hi / 1000.0 {
                lo *= hi / sc.s(k).replace(',', "").parse::<f64>().unwrap_or(hi);
            }
            if hi > lo {
                value = lo;
                high = hi;
                next = second.next;
                if opener.as_deref() == Some("between") || opener.as_deref() == Some("from") {
                    start_tok -= 1;
                }
            }
        }
    }
    let (vague, low) = match read.vague {
        Some((lo, hi)) => {
            high = hi;
            (true, lo)
        }
        None => (false, value),
    };

    // What follows: unit, counted noun, rate.
    let mut unit = Unit::Bare;
    let mut noun = None;
    let mut end_tok = next; // exclusive
    if let Some(code) = currency {
        unit = Unit::Money(code);
    } else if let Some(code) = lexicon::currency_word(&sc.lower(next)) {
        unit = Unit::Money(code);
        end_tok = next + 1;
    } else if sc.s(next) == "%" || sc.lower(next) == "percent" {
        unit = Unit::Percent;
        end_tok = next + 1;
    } else if sc.lower(next) == "per" && sc.lower(next + 1) == "cent" {
        unit = Unit::Percent;
        end_tok = next + 2;
    } else if sc.s(next) == "°" {
        let scale = match sc.s(next + 1) {
            "C" => "°C",
            "F" => "°F",
            _ => "°",
        };
        unit = Unit::Temperature(scale);
        end_tok = if scale == "°" { next + 1 } else { next + 2 };
    } else if sc.lower(next) == "degrees" {
        let scale = match sc.lower(next + 1).as_str() {
            "celsius" | "c" | "centigrade" => "°C",
            "fahrenheit" | "f" => "°F",
            _ => "°",
        };
        unit = Unit::Temperature(scale);
        end_tok = if scale == "°" { next + 1 } else { next + 2 };
    } else if matches!(sc.lower(next).as_str(), "sq" | "square") {
        if let Some((label, f)) = lexicon::area(&sc.lower(next + 1), true) {
            unit = Unit::Area(label, f);
            end_tok = next + 2;
        }
    } else if let Some((label, f)) = lexicon::area(&sc.lower(next), false) {
        unit = Unit::Area(label, f);
        end_tok = next + 1;
    } else if sc.s(next) == "-" && sc.glued(next - 1, next) && sc.glued(next, next + 1) {
        // "13-year", "31-year-old", "one-year", "30-minute"
        if let Some(u) = lexicon::duration(&sc.lower(next + 1)) {
            unit = Unit::Duration(u);
            end_tok = next + 2;
            if sc.s(end_tok) == "-" && sc.lower(end_tok + 1) == "old" {
                end_tok += 2;
                noun = Some("years old".to_string());
            }
        } else if let Some((label, f)) = lexicon::distance(&sc.lower(next + 1)) {
            unit = Unit::Distance(label, f);
            end_tok = next + 2;
        }
    } else if let Some(u) = lexicon::duration(&sc.lower(next)) {
        unit = Unit::Duration(u);
        end_tok = next + 1;
    } else if let Some((label, f)) = lexicon::distance(&sc.lower(next)).filter(|(l, _)| {
        // A bare "m" is metres only right after a number.
        *l != "m" || sc.glued(next - 1, next) || sc.lower(next) != "m"
    }) {
        unit = Unit::Distance(label, f);
        end_tok = next + 1;
    } else if sc.lower(next) == "times"
        || read.value == 2.0 && sc.lower(i) == "twice"
        || sc.lower(i) == "thrice"
    {
        unit = Unit::Times;
        if sc.lower(next) == "times" {
            end_tok = next + 1;
        }
    } else {
        // A counted noun phrase: up to three words before a function word.
        let from = if read.vague.is_some() && sc.lower(next) == "of" {
            next + 1
        } else {
            next
        };
        let mut k = from;
        let mut words = Vec::new();
        while k < from + 3 && sc.kind(k) == Some(Kind::Word) {
            let w = sc.lower(k);
            if lexicon::FUNCTION_WORDS.contains(&w.as_str()) || NUMBER_WORDS.contains(&w.as_str()) {
                break;
            }
            words.push((k, w));
            k += 1;
        }
        let capitalized = |k: usize| sc.s(k).chars().next().is_some_and(char::is_uppercase);
        if let Some(pos) = words
            .iter()
            .position(|(_, w)| lexicon::PERSON_NOUNS.contains(&w.as_str()))
        {
            unit = Unit::People;
            end_tok = words[pos].0 + 1;
            noun = Some(sc.text[sc.toks[from].start..sc.toks[words[pos].0].end].to_string());
        } else if let Some((k0, w)) = words.first() {
            if capitalized(*k0) && (w.ends_with("ans") || w.ends_with("ese")) {
                // "238 Venezuelans"
                unit = Unit::People;
                end_tok = k0 + 1;
                noun = Some(sc.s(*k0).to_string());
            } else if !capitalized(*k0) {
                // The head of the phrase is its first plural ("tourists visit"),
                // else its last word ("alleged violations", "human rights
                // report"); a lone participle is a verb ("350 died").
                let lower_run: Vec<&(usize, String)> =
                    words.iter().take_while(|(k, _)| !capitalized(*k)).collect();
                let (kl, wl) = lower_run
                    .first()
                    .filter(|(_, w)| lexicon::COUNT_UNITS.contains(&w.as_str()))
                    .or_else(|| {
                        lower_run
                            .iter()
                            .find(|(_, w)| w.len() > 3 && w.ends_with('s') && !w.ends_with("ss"))
                    })
                    .or(lower_run.last())
                    .expect("first word is lowercase");
                if !wl.ends_with("ed") {
                    unit = Unit::Thing(wl.clone());
                    end_tok = kl + 1;
                    noun = Some(sc.text[sc.toks[from].start..sc.toks[*kl].end].to_string());
                }
            }
        }
    }
    // A written number with nothing after it is rarely a figure ("one of the…"),
    // nor is a lone "one" before a word that is not a unit ("the one involving").
    if read.written && matches!(unit, Unit::Bare) {
        return None;
    }
    if read.written && value == 1.0 && matches!(&unit, Unit::Thing(n) if !n.ends_with('s')) {
        return None;
    }
    // Dates and years.
    let before = start_tok
        .checked_sub(1)
        .map(|p| sc.lower(p))
        .unwrap_or_default();
    let integer = low.fract() == 0.0 && high == low;
    if numeric && currency.is_none() && integer && matches!(unit, Unit::Bare) {
        let month_beside = lexicon::MONTHS.contains(&before.as_str())
            || lexicon::MONTHS.contains(&sc.lower(next).as_str());
        if month_beside && low <= 31.0 {
            unit = Unit::DayOfMonth;
        } else if !sc.s(i).contains(',') && (1000.0..=2100.0).contains(&low) && sc.s(i).len() == 4 {
            unit = Unit::Year;
        }
    }
    if numeric
        && currency.is_none()
        && integer
        && sc.s(i).len() == 4
        && !sc.s(i).contains(',')
        && (1000.0..=2100.0).contains(&low)
        && matches!(&unit, Unit::Thing(_) if {
            let first = sc.lower(next);
            !first.ends_with('s') || sc.s(next).chars().next().is_some_and(char::is_uppercase)
        })
    {
        unit = Unit::Year;
    }
    if matches!(unit, Unit::Year) && high != low && !(1000.0..=2100.0).contains(&high) {
        high = low;
    }

    // A rate: "a day", "per cell", "each", "daily", "a year".
    let mut per = None;
    let w = sc.lower(end_tok);
    if matches!(w.as_str(), "a" | "an" | "per" | "every" | "each")
        && sc.kind(end_tok + 1) == Some(Kind::Word)
        && !lexicon::FUNCTION_WORDS.contains(&sc.lower(end_tok + 1).as_str())
        && (lexicon::duration(&sc.lower(end_tok + 1)).is_some() || w != "a" && w != "an")
    {
        per = Some(sc.text[sc.toks[end_tok].start..sc.toks[end_tok + 1].end].to_string());
        end_tok += 2;
    } else if lexicon::PER_WORDS.contains(&w.as_str()) {
        per = Some(sc.s(end_tok).to_string());
        end_tok += 1;
    } else if start_tok > 0
        && matches!(
            sc.lower(start_tok - 1).as_str(),
            "annual" | "yearly" | "monthly" | "daily" | "weekly"
        )
    {
        per = Some(sc.s(start_tok - 1).to_string());
    }

    // An equivalent in parentheses right after: "35°C (95°F)", "$6 million (£4.6 million)".
    let mut equivalent = None;
    if sc.s(end_tok) == "(" {
        let found = |k: usize| match mention_at(sc, k) {
            Some(Step::Found(m, after)) => Some((m, after)),
            _ => None,
        };
        // The number may follow a currency symbol or a qualifier inside the brackets.
        if let Some((inner, after)) = (end_tok + 1..end_tok + 4).find_map(found)
            && sc.s(after) == ")"
            && inner.start == sc.toks[end_tok + 1].start
            && same_dimension(&inner.unit, &unit)
        {
            equivalent = Some(sc.text[inner.start..inner.end].to_string());
            end_tok = after + 1;
        }
    }

    let start = sc.toks[start_tok].start;
    let end = sc.toks[end_tok.max(i + 1) - 1].end;
    Some(Step::Found(
        Mention {
            text: sc.text[start..end].to_string(),
            start,
            end,
            at: sc.toks[i].start,
            low,
            high,
            qualifier,
            unit,
            noun,
            per,
            vague,
            equivalent,
        },
        end_tok.max(next),
    ))
}

fn same_dimension(a: &Unit, b: &Unit) -> bool {
    matches!(
        (a, b),
        (Unit::Money(_), Unit::Money(_))
            | (Unit::Temperature(_), Unit::Temperature(_))
            | (Unit::Distance(..), Unit::Distance(..))
            | (Unit::Area(..), Unit::Area(..))
            | (Unit::Duration(_), Unit::Duration(_))
    )
}
