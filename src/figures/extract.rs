//! Finds the quantities stated in a piece of text, with byte spans: the value
//! or range, its qualifier, its unit, what it counts, and whether it is a rate.
//!
//! Numbers are read by `number` in the document's language; this module puts
//! around them what makes them a figure: a currency before or after ("$6
//! million", "16,4 millones de dólares"), a unit from the word lists
//! ("27-kilometer", "-18 °C"), a qualifier ("at least", "o más"), a range
//! ("8- to 16-meter", "between 20 and 30", "at most 100 and at least 20"), a
//! rate ("a day"), the counted noun ("238 men"), an equivalent in
//! parentheses, and what a number is not: a reference marker ("[13]"), a
//! name ("MS-13", "Barrio 18" is read as a label), a time, a phone number, an
//! ordinal. Years and days of the month are recognised as such.
//!
//! Boundary: text in, mentions out. Nothing here knows about questions.

use serde::Serialize;

use super::lexicon::{self, NUMBER_WORDS};
use super::number::{self, Num, Read};
use super::tokens::{Kind, Stream};
use super::words::{Dimension, Lang, UnitWord, lexicon as words};

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

    pub fn parse(label: &str) -> Option<Qualifier> {
        [
            Qualifier::Approximately,
            Qualifier::AtLeast,
            Qualifier::MoreThan,
            Qualifier::UpTo,
            Qualifier::AtMost,
        ]
        .into_iter()
        .find(|q| q.label() == label)
    }

    /// A lower bound ("at least", "more than") rather than an upper one.
    fn lower_bound(self) -> Option<bool> {
        match self {
            Qualifier::AtLeast | Qualifier::MoreThan => Some(true),
            Qualifier::UpTo | Qualifier::AtMost => Some(false),
            Qualifier::Approximately => None,
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
    /// "°C", "°F", "K", or "°" when the scale is not said.
    Temperature(&'static str),
    /// Any other unit of measure (mass, volume, energy, data, cents…): its
    /// dimension, label and size in the dimension's base unit.
    Measure(Dimension, &'static str, f64),
    /// How many times something happened ("three times", "twice").
    Times,
    /// A calendar year ("1798", "in 2022").
    Year,
    /// A day of a month ("March 26").
    DayOfMonth,
    /// A number that names something ("Barrio 18", "English 101").
    Label,
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
            Unit::Distance(u, _)
            | Unit::Area(u, _)
            | Unit::Temperature(u)
            | Unit::Measure(_, u, _) => (*u).into(),
            Unit::Times => "times".into(),
            Unit::Year => "year".into(),
            Unit::DayOfMonth => "day of month".into(),
            Unit::Label => "label".into(),
            Unit::Bare => String::new(),
        }
    }

    /// The unit a word from the lists stands for.
    pub(crate) fn of(word: &UnitWord) -> Unit {
        match word.dimension {
            Dimension::Length => Unit::Distance(word.label, word.factor / 1000.0),
            Dimension::Area => Unit::Area(word.label, word.factor),
            Dimension::Duration => Unit::Duration(word.label),
            Dimension::Temperature => Unit::Temperature(word.label),
            Dimension::Money if word.factor == 1.0 => Unit::Money(word.label),
            Dimension::Money => {
                Unit::Measure(Dimension::Money, money_part(word.factor), word.factor)
            }
            Dimension::Percent => Unit::Percent,
            Dimension::Times => Unit::Times,
            other => Unit::Measure(other, word.label, word.factor),
        }
    }

    /// Is this a quantity (not a year, a date, a label)?
    pub fn is_quantity(&self) -> bool {
        !matches!(self, Unit::Year | Unit::DayOfMonth | Unit::Label)
    }
}

fn money_part(factor: f64) -> &'static str {
    if factor == 0.01 {
        "cents"
    } else if factor == 0.05 {
        "nickels"
    } else if factor == 0.1 {
        "dimes"
    } else {
        "money"
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
    /// Written in words ("two", "a hundred"), not digits.
    pub written: bool,
    /// A converted value given beside it in parentheses ("95°F").
    pub equivalent: Option<String>,
    /// This figure is the equivalent in parentheses of the one before it.
    pub restates: bool,
}

/// A mention as `verbatim figures --json` prints it.
pub fn to_json(m: &Mention) -> serde_json::Value {
    let mut v = serde_json::json!({
        "text": m.text,
        "start": m.start,
        "end": m.end,
        "low": m.low,
        "high": m.high,
        "unit": m.unit.label(),
        "qualifier": m.qualifier,
    });
    let extra = [
        ("noun", m.noun.clone().map(serde_json::Value::from)),
        ("per", m.per.clone().map(serde_json::Value::from)),
        (
            "equivalent",
            m.equivalent.clone().map(serde_json::Value::from),
        ),
        ("vague", m.vague.then_some(true.into())),
        ("written", m.written.then_some(true.into())),
        ("restates", m.restates.then_some(true.into())),
    ];
    for (key, value) in extra {
        if let Some(value) = value {
            v[key] = value;
        }
    }
    v
}

/// All quantities in `text`, in order, read by the conventions of `lang`
/// (`None`: the language is not known, and digits whose separators could be
/// read two ways are not read).
pub fn mentions(text: &str, lang: Option<Lang>) -> Vec<Mention> {
    let st = Stream::new(text);
    let mut out: Vec<Mention> = Vec::new();
    let mut i = 0;
    while i < st.len() {
        let floor = out.last().map_or(0, |m: &Mention| {
            st.toks.partition_point(|t| t.start < m.end)
        });
        match mention_at(&st, i, floor, lang) {
            Step::Found(m, next) => {
                // An equivalent in parentheses right after the figure before it.
                if let Some(prev) = out.last_mut()
                    && restates(&st, prev, &m)
                {
                    prev.equivalent = Some(m.text.clone());
                    out.push(Mention {
                        restates: true,
                        ..m
                    });
                } else {
                    out.push(m);
                }
                i = next.max(i + 1);
            }
            Step::Skip(next) => i = next.max(i + 1),
            Step::Nothing => i += 1,
        }
    }
    out
}

/// "35°C (95°F)": `m` stands alone in brackets right after `prev`, in the same dimension.
fn restates(st: &Stream, prev: &Mention, m: &Mention) -> bool {
    let between = &st.text[prev.end..m.start];
    let after = &st.text[m.end..];
    between.trim() == "("
        && after.trim_start().starts_with(')')
        && same_dimension(&prev.unit, &m.unit)
}

/// What reading at one token found.
enum Step {
    Found(Mention, usize),
    /// Not a figure; go on at this token.
    Skip(usize),
    Nothing,
}

/// A figure being put together, by tokens.
struct Draft {
    /// The first token this figure may take (the one after the figure before).
    floor: usize,
    start: usize,
    num: Num,
    low: f64,
    high: f64,
    end: usize,
    unit: Unit,
    qualifier: Option<Qualifier>,
    noun: Option<String>,
    per: Option<String>,
    /// Where the figure ended before a counted noun was added.
    bare_end: usize,
}

fn mention_at(st: &Stream, i: usize, floor: usize, lang: Option<Lang>) -> Step {
    if let Some(skip) = not_a_figure(st, i) {
        return Step::Skip(skip);
    }
    let num = match number::read(st, i, lang) {
        Read::Number(n) => n,
        Read::Skip(next) => return Step::Skip(next),
        Read::Nothing => {
            return a_unit(st, i, lang).map_or(Step::Nothing, |(m, next)| Step::Found(m, next));
        }
    };
    // Spanish "un", "una" alone are articles, as "a" is in English ("una
    // multa": a fine); they count one only before a multiplier ("un
    // millón", a number of more words) or a unit ("un paso").
    if lang == Some(Lang::Es)
        && num.next == num.first + 1
        && matches!(st.lower(num.first).as_ref(), "un" | "una")
    {
        return a_unit(st, i, lang).map_or(Step::Nothing, |(m, next)| Step::Found(m, next));
    }
    if is_time(st, &num) {
        return Step::Skip(num.next + 1);
    }
    let (low, high) = num.vague.unwrap_or((num.value, num.value));
    let mut d = Draft {
        floor,
        start: num.first,
        end: num.next,
        low,
        high,
        num,
        unit: Unit::Bare,
        qualifier: None,
        noun: None,
        per: None,
        bare_end: 0,
    };
    if words()
        .number(st, d.num.first, lang)
        .is_some_and(|(w, _)| w.role == super::words::Role::Times)
    {
        d.unit = Unit::Times;
    }
    currency_before(st, &mut d, lang);
    percent_before(st, &mut d, lang);
    unit_after(st, &mut d, lang);
    range(st, &mut d, lang);
    qualifier(st, &mut d, lang);
    if matches!(d.unit, Unit::Bare) {
        counted(st, &mut d, lang);
    }
    // "in 2024 following…", "2023 human rights report": a year before a
    // word that is not a plural count ("1500 people" is a count).
    // A noun hyphened on is singular by grammar ("5-cylinder").
    let before_singular = matches!(&d.unit, Unit::Thing(_))
        && st.s(d.num.next) != "-"
        && (!st.lower(d.num.next).ends_with('s') || st.capitalized(d.num.next));
    if matches!(d.unit, Unit::Bare) || before_singular {
        label_or_date(st, &mut d, lang);
    }
    rate(st, &mut d, lang);
    // Digits with capitals or an underscore written on after them that say
    // no unit are part of a name or code ("3GPP", "13F filing",
    // "9_whatisRCU"); lower case may be a unit the lexicon lacks ("1Ga").
    let capitals = |w: &str| w.chars().all(|c| c.is_ascii_uppercase());
    if d.end == d.num.next
        && st.glued(d.end - 1, d.end)
        && (st.is(d.end, Kind::Word) && capitals(st.s(d.end)) || st.s(d.end) == "_")
    {
        let mut j = d.end + 1;
        while st.glued(j - 1, j)
            && (matches!(st.kind(j), Some(Kind::Word | Kind::Digits)) || st.s(j) == "_")
        {
            j += 1;
        }
        return Step::Skip(j);
    }
    let (start, end) = st.span(d.start, d.end);
    let next = d.end;
    Step::Found(
        Mention {
            text: st.text[start..end].to_string(),
            start,
            end,
            at: st.toks[d.num.first].start,
            low: tidy(d.low),
            high: tidy(d.high),
            qualifier: d.qualifier,
            unit: d.unit,
            noun: d.noun,
            per: d.per,
            vague: d.num.vague.is_some(),
            written: d.num.written,
            equivalent: None,
            restates: false,
        },
        next,
    )
}

/// "a gallon", "un paso", "A kibibyte": an article that counts one of a unit.
fn a_unit(st: &Stream, i: usize, lang: Option<Lang>) -> Option<(Mention, usize)> {
    // The article of one is the language's: in Spanish "a" is a preposition
    // ("a pie": on foot).
    let article = match lang {
        Some(Lang::Es) => matches!(st.lower(i).as_ref(), "un" | "una"),
        _ => matches!(st.lower(i).as_ref(), "a" | "an"),
    };
    if !article {
        return None;
    }
    let (word, next) = words().unit_at(st, i + 1, lang)?;
    // "twice a day", "per cent": a rate, not a count.
    let after_number = i > 0 && matches!(number::read(st, i - 1, lang), Read::Number(_));
    if after_number
        || matches!(
            word.dimension,
            Dimension::Percent | Dimension::Times | Dimension::Duration
        )
    {
        return None;
    }
    let (start, end) = st.span(i, next);
    Some((
        Mention {
            text: st.text[start..end].to_string(),
            start,
            end,
            at: start,
            low: 1.0,
            high: 1.0,
            qualifier: None,
            unit: Unit::of(word),
            noun: None,
            per: None,
            vague: false,
            written: true,
            equivalent: None,
            restates: false,
        },
        next,
    ))
}

/// Numbers at token `i` that are not figures: reference markers, names with
/// numbers, dash and slash chains (dates, phone numbers), clock times, ordinals.
/// Returns the token to go on at.
fn not_a_figure(st: &Stream, i: usize) -> Option<usize> {
    if !st.is(i, Kind::Digits) {
        return None;
    }
    let prev = i.checked_sub(1);
    // [13]
    if prev.is_some_and(|p| st.s(p) == "[" && st.glued(p, i)) && st.s(i + 1) == "]" {
        return Some(i + 2);
    }
    // The end of a run of letters and digits written as one word, with
    // the points inside it ("v2.6.32").
    let word_end = |mut j: usize| {
        let alnum = |k: usize| matches!(st.kind(k), Some(Kind::Word | Kind::Digits));
        loop {
            if st.glued(j - 1, j) && alnum(j) {
                j += 1;
            } else if matches!(st.s(j), "." | ",")
                && st.glued(j - 1, j)
                && st.glued(j, j + 1)
                && alnum(j + 1)
            {
                j += 2;
            } else {
                break j;
            }
        }
    };
    // Digits written onto letters are part of a name or code ("IPv4",
    // "i915", "ieee802154", "COVID19"), unless the letters are a currency
    // ("USD115"); "0x" begins a hexadecimal number ("0x3fc3").
    let hex = st.s(i) == "0"
        && st.is(i + 1, Kind::Word)
        && st.glued(i, i + 1)
        && st.lower(i + 1).starts_with('x')
        && (st.s(i + 1).len() > 1 || st.glued(i + 1, i + 2) && st.is(i + 2, Kind::Digits));
    let in_a_word = prev.is_some_and(|p| st.is(p, Kind::Word) && st.glued(p, i))
        && words().currency_before(st, i, None).is_none();
    if in_a_word || hex {
        return Some(word_end(i + 1));
    }
    // …with the decimals of a part ("GPL-2.0").
    let chain_end = |mut j: usize| {
        while (matches!(st.s(j), "-" | "/" | ":" | "–") || st.s(j) == "." && st.glued(j, j + 1))
            && st.glued(j - 1, j)
            && st.is(j + 1, Kind::Digits)
        {
            j += 2;
        }
        j
    };
    if let Some(p) = prev
        && matches!(st.s(p), "-" | "/" | ":")
        && st.glued(p, i)
        && p > 0
        && st.glued(p - 1, p)
    {
        // MS-13, COVID-19; the middle or end of 2025-11-29, 24/7, 3:00.
        if st.is(p - 1, Kind::Digits)
            || (st.is(p - 1, Kind::Word) && words().number(st, p - 1, None).is_none())
        {
            return Some(chain_end(i + 1));
        }
    }
    let next = st.s(i + 1);
    let glued_digits =
        |k: usize| st.glued(k - 1, k) && st.glued(k, k + 1) && st.is(k + 1, Kind::Digits);
    // 3:00, 555-1234, 2013-14, 1-222-2222
    if (next == ":" && glued_digits(i + 1))
        || (matches!(next, "-" | "–") && glued_digits(i + 1) && {
            let (a, b) = (st.s(i), st.s(i + 2));
            (a.len() == 3 && b.len() == 4)
                || (a.len() == 4 && matches!(b.len(), 2 | 4) && !b.starts_with('0') && {
                    let (x, y) = (a.parse::<u32>().unwrap_or(0), b.parse::<u32>().unwrap_or(0));
                    (1000..=2100).contains(&x) && (y < 100 || (1000..=2100).contains(&y))
                })
                || st.s(i + 3) == "-"
        })
        || (next == "/" && glued_digits(i + 1) && {
            // 5/17/2018, 24/7, 9/11: a date or a rate; 1/4 is a fraction.
            let (a, b) = (
                st.s(i).parse::<f64>().unwrap_or(0.0),
                st.s(i + 2).parse::<f64>().unwrap_or(0.0),
            );
            st.s(i + 3) == "/" || a >= b
        })
    {
        return Some(chain_end(i + 1));
    }
    // 21st, 3rd, May 4th
    if st.is(i + 1, Kind::Word)
        && st.glued(i, i + 1)
        && matches!(
            st.lower(i + 1).as_ref(),
            "st" | "nd" | "rd" | "th" | "º" | "ª" | "er" | "o"
        )
        && st.s(i + 1) != "o"
    {
        return Some(i + 2);
    }
    None
}

/// "2 pm", "2.13 am", "2:30 p.m.": a clock time (an hour, or an hour and two
/// digits of minutes, before am or pm).
fn is_time(st: &Stream, num: &Num) -> bool {
    let k = num.next;
    let meridiem = matches!(st.lower(k).as_ref(), "am" | "pm")
        || (matches!(st.lower(k).as_ref(), "a" | "p")
            && st.s(k + 1) == "."
            && st.lower(k + 2) == "m");
    if !meridiem || num.written || !st.is(num.first, Kind::Digits) {
        return false;
    }
    let hour_ok = st
        .s(num.first)
        .parse::<u32>()
        .is_ok_and(|h| (1..=12).contains(&h));
    match num.next - num.first {
        1 => hour_ok,
        3 => hour_ok && matches!(st.s(num.first + 1), "." | ":") && st.s(num.first + 2).len() == 2,
        _ => false,
    }
}

/// "$6", "US$ 1MM", "C$ 16,4 millones", "dollar 22.5 million".
fn currency_before(st: &Stream, d: &mut Draft, lang: Option<Lang>) {
    // "MAUD 60": millions of a currency, by its code.
    if let Some(p) = d.start.checked_sub(1).filter(|p| *p >= d.floor)
        && let Some(code) = st.s(p).strip_prefix('M')
        && code.len() == 3
        && let Some(word) = words().currency_code(code)
    {
        d.unit = Unit::Money(word.label);
        d.start = p;
        d.low *= 1e6;
        d.high *= 1e6;
        return;
    }
    if let Some((word, from)) = words().currency_before(st, d.start, lang)
        && from >= d.floor
    {
        d.unit = Unit::Money(word.label);
        d.start = from;
        // "$6m", "£4bn", "$2.174T"
        let m = match st.s(d.end) {
            "m" | "mn" => Some(1e6),
            "T" | "tn" | "trn" => Some(1e12),
            _ => None,
        };
        if let Some(m) = m
            && st.glued(d.end - 1, d.end)
        {
            d.low *= m;
            d.high *= m;
            d.end += 1;
        }
    }
}

/// "percent of 10", "per cent of twenty-two".
fn percent_before(st: &Stream, d: &mut Draft, lang: Option<Lang>) {
    let Some(of) = d.start.checked_sub(1) else {
        return;
    };
    if !matches!(st.lower(of).as_ref(), "of" | "de") {
        return;
    }
    if of < d.floor {
        return;
    }
    for from in of.saturating_sub(3).max(d.floor)..of {
        if let Some((word, next)) = words().unit_at(st, from, lang)
            && next == of
            && word.dimension == Dimension::Percent
        {
            d.unit = Unit::Percent;
            d.start = from;
            return;
        }
    }
}

/// A unit or currency right after the number, with "-" ("27-kilometer",
/// "13-year-old"), "de" ("millones de dólares"), or a million prefix ("30 MUSD").
fn unit_after(st: &Stream, d: &mut Draft, lang: Option<Lang>) {
    let mut k = d.end;
    // "13-year", "8- to 16-meter" (the unit comes with the second number).
    let hyphen = matches!(st.s(k), "-" | "‑") && st.glued(k - 1, k);
    if hyphen {
        k += 1;
    }
    // "6 millones de dólares", "2.4 billion of": only after a multiplier word.
    let after_scale = d.num.next > d.num.first + 1 && st.is(d.num.next - 1, Kind::Word);
    if !hyphen
        && after_scale
        && matches!(st.lower(k).as_ref(), "de" | "of")
        && let Some((word, _)) = words().unit_at(st, k + 1, lang)
        && word.dimension == Dimension::Money
    {
        k += 1;
    }
    // "30 MUSD", "48.5 MGBP"
    if let Some(code) = st.s(k).strip_prefix('M')
        && code.len() == 3
        && st.is(k, Kind::Word)
        && let Some(word) = words().currency_code(code)
    {
        d.low *= 1e6;
        d.high *= 1e6;
        d.unit = Unit::Money(word.label);
        d.end = k + 1;
        return;
    }
    if !matches!(d.unit, Unit::Bare) {
        money_in_parts(st, d, lang);
        return;
    }
    let Some((word, next)) = words().unit_at(st, k, lang) else {
        return;
    };
    if !unit_fits(st, k, next, word) {
        return;
    }
    if hyphen
        && !matches!(
            word.dimension,
            Dimension::Length
                | Dimension::Duration
                | Dimension::Area
                | Dimension::Mass
                | Dimension::Volume
                | Dimension::Data
                | Dimension::Power
                | Dimension::Energy
        )
    {
        return;
    }
    d.unit = Unit::of(word);
    d.end = next;
    // "75 USD million", "125 USD millones"
    if word.dimension == Dimension::Money
        && let Some((w, after)) = words().number(st, d.end, lang)
        && w.role == super::words::Role::Scale
    {
        d.low *= w.value;
        d.high *= w.value;
        d.end = after;
    }
    // "13-year-old", "10 years old", "3 years of age"
    if word.dimension == Dimension::Duration {
        if matches!(st.s(d.end), "-") && st.lower(d.end + 1) == "old" {
            d.end += 2;
            d.noun = Some("years old".into());
        } else if st.lower(d.end) == "old" {
            d.end += 1;
            d.noun = Some("years old".into());
        } else if st.lower(d.end) == "of" && st.lower(d.end + 1) == "age" {
            d.end += 2;
            d.noun = Some("years old".into());
        }
    }
    money_in_parts(st, d, lang);
    compound_measure(st, d, word, lang);
}

/// "5 feet 2 inches", "12 ft 2 in": a smaller unit of the same dimension
/// right after, in a system that is not decimal (metric amounts are written
/// as decimals, so "12 m 2 dm" is two figures).
fn compound_measure(st: &Stream, d: &mut Draft, first: &UnitWord, lang: Option<Lang>) {
    if d.low != d.high || !matches!(first.dimension, Dimension::Length | Dimension::Mass) {
        return;
    }
    let Read::Number(n) = number::read(st, d.end, lang) else {
        return;
    };
    let Some((second, next)) = words().unit_at(st, n.next, lang) else {
        return;
    };
    let ratio = first.factor / second.factor;
    let decimal = (ratio.log10() - ratio.log10().round()).abs() < 1e-9;
    if second.dimension != first.dimension || ratio <= 1.0 || decimal || n.value >= ratio {
        return;
    }
    d.low += n.value / ratio;
    d.high = d.low;
    d.end = next;
}

/// Short or ambiguous unit words count only where they cannot be something
/// else: "2 in" at the end of a clause, a one-letter unit glued or before a
/// digit or the end.
pub(crate) fn unit_fits(st: &Stream, k: usize, next: usize, word: &UnitWord) -> bool {
    let s = st.s(k);
    let one_token = next == k + 1;
    let ends_clause = st.kind(next).is_none_or(|kind| kind == Kind::Sym);
    if one_token && matches!(s, "in" | "am" | "pm") {
        return ends_clause
            || matches!(word.dimension, Dimension::Length) && st.is(next, Kind::Word) && s != "in";
    }
    if one_token && s.chars().count() == 1 && s.chars().all(|c| c.is_ascii_lowercase()) {
        return st.glued(k - 1, k) || ends_clause || st.is(next, Kind::Digits);
    }
    true
}

/// "15 dollars and 15", "thirteen dollars forty-five cents": money in parts.
fn money_in_parts(st: &Stream, d: &mut Draft, lang: Option<Lang>) {
    if !matches!(d.unit, Unit::Money(_)) || d.low != d.high {
        return;
    }
    let mut k = d.end;
    if matches!(st.lower(k).as_ref(), "and" | "y" | "con") {
        k += 1;
    }
    let Read::Number(cents) = number::read(st, k, lang) else {
        return;
    };
    if cents.value >= 100.0 || cents.value.fract() != 0.0 || cents.value <= 0.0 {
        return;
    }
    let unit = words().unit_at(st, cents.next, lang);
    // "rmb 10 usd 20": a currency code before the next number starts a new amount.
    if k == d.end
        && words()
            .currency_before(st, d.end, lang)
            .is_some_and(|(w, from)| {
                from == d.end - 1 && w.token_count() == 1 && st.is(from, Kind::Word)
            })
    {
        return;
    }
    let is_cents = unit.is_some_and(|(w, _)| w.dimension == Dimension::Money && w.factor == 0.01);
    let bare_end = unit.is_none() && st.kind(cents.next).is_none_or(|kind| kind == Kind::Sym);
    if !(is_cents || bare_end) {
        return;
    }
    d.low += cents.value / 100.0;
    d.high = d.low;
    d.end = if is_cents {
        unit.map_or(cents.next, |(_, n)| n)
    } else {
        cents.next
    };
}

/// "250–288", "between 20 and 30", "from 20,000 to 40,000", "3 to 4 L",
/// "-18 °C to -34 °C", "8- to 16-meter", "entre 20 y 30", "de 20 a 30".
fn range(st: &Stream, d: &mut Draft, lang: Option<Lang>) {
    if d.num.vague.is_some() || d.num.ratio {
        return;
    }
    let opener = d
        .start
        .checked_sub(1)
        .filter(|p| *p >= d.floor)
        .map(|p| st.lower(p).into_owned());
    let mut k = d.end;
    // "8- to 16-meter": the hyphen waits for the unit.
    if matches!(st.s(k), "-")
        && st.glued(k - 1, k)
        && matches!(st.lower(k + 1).as_ref(), "to" | "a")
    {
        k += 1;
    }
    let joiner = st.lower(k);
    let dash = matches!(joiner.as_ref(), "–" | "—" | "-");
    let ok = dash
        || matches!(
            (joiner.as_ref(), opener.as_deref()),
            ("to" | "a" | "hasta", _) | ("and", Some("between")) | ("y", Some("entre"))
        );
    if !ok {
        return;
    }
    // A dash must sit the same way on both sides ("80-100", "40 - 50"), and a
    // dash glued only on one side is a minus ("-78-0" reads -78 to 0).
    if dash && st.glued(k - 1, k) != st.glued(k, k + 1) && !matches!(st.s(k), "–" | "—") {
        return;
    }
    let mut j = k + 1;
    // "$20 to $30": a one-token currency before the second amount.
    let currency_second = words()
        .currency_before(st, j + 1, lang)
        .filter(|(_, from)| *from == j);
    if let Some((w, _)) = currency_second {
        j += w.token_count();
    }
    let Read::Number(second) = number::read(st, j, lang) else {
        return;
    };
    if second.vague.is_some() || second.ratio {
        return;
    }
    // "three-nought-four", "1-222-2222": a chain, not a range.
    let chained_after =
        matches!(st.s(second.next), "-" | "–") && st.glued(second.next - 1, second.next);
    let chained_before =
        d.start > 0 && matches!(st.s(d.start - 1), "-" | "–") && st.glued(d.start - 1, d.start);
    if dash && (chained_after || chained_before) {
        return;
    }
    let mut hi = Draft {
        floor: j,
        start: j,
        end: second.next,
        low: second.value,
        high: second.value,
        num: second.clone(),
        unit: Unit::Bare,
        qualifier: None,
        noun: None,
        per: None,
        bare_end: 0,
    };
    // A multiplier on the second end applies to both: "6-7 million".
    let mut lo = d.low;
    if d.num.next == d.num.first + 1
        && second.next > second.first + 1
        && !second.written
        && lo < second.value / 1000.0
        && let Ok(plain) = st.s(second.first).replace(',', "").parse::<f64>()
        && plain > 0.0
    {
        lo *= second.value / plain;
    }
    unit_after(st, &mut hi, lang);
    if let Some((w, _)) = currency_second {
        hi.unit = Unit::Money(w.label);
    }
    let units_agree = match (&d.unit, &hi.unit) {
        (Unit::Bare, _) | (_, Unit::Bare) => true,
        (a, b) => a == b,
    };
    // "from 44 ml to 50 mg": two figures, not a range; "2013 to 2020": years.
    if !units_agree || lo == second.value {
        return;
    }
    if matches!(joiner.as_ref(), "to" | "a" | "hasta")
        && opener.is_none()
        && lo > second.value
        && lo > 0.0
    {
        return;
    }
    d.low = lo.min(second.value);
    d.high = lo.max(second.value);
    if matches!(d.unit, Unit::Bare) {
        d.unit = hi.unit;
        d.noun = hi.noun;
    }
    d.end = hi.end;
    if matches!(
        opener.as_deref(),
        Some("between" | "from" | "entre" | "de" | "desde")
    ) {
        d.start -= 1;
    }
}

/// A qualifier before ("at least 20") or after ("200 or more"), and two
/// bounds joined into a range ("at most 100 and at least 20").
fn qualifier(st: &Stream, d: &mut Draft, lang: Option<Lang>) {
    if let Some((q, from)) = words()
        .qualifier_before(st, d.start, lang)
        .filter(|(_, from)| *from >= d.floor)
    {
        d.qualifier = Some(q);
        d.start = from;
    } else if let Some((q, next)) = words().qualifier_after(st, d.end, lang) {
        d.qualifier = Some(q);
        d.end = next;
    }
    let Some(bound) = d.qualifier.and_then(Qualifier::lower_bound) else {
        return;
    };
    if d.low != d.high || !matches!(st.lower(d.end).as_ref(), "and" | "y" | "but") {
        return;
    }
    let Some((q2, from)) = (d.end + 2..d.end + 8).rev().find_map(|k| {
        words()
            .qualifier_before(st, k, lang)
            .filter(|(_, from)| *from == d.end + 1)
            .map(|(q, _)| (q, k))
    }) else {
        return;
    };
    if q2.lower_bound() != Some(!bound) {
        return;
    }
    let Read::Number(other) = number::read(st, from, lang) else {
        return;
    };
    let (lo, hi) = if bound {
        (d.low, other.value)
    } else {
        (other.value, d.low)
    };
    if lo < hi {
        d.low = lo;
        d.high = hi;
        d.qualifier = None;
        d.end = other.next;
        let mut tail = Draft {
            floor: from,
            start: from,
            end: other.next,
            low: other.value,
            high: other.value,
            num: other,
            unit: Unit::Bare,
            qualifier: None,
            noun: None,
            per: None,
            bare_end: 0,
        };
        unit_after(st, &mut tail, lang);
        if matches!(d.unit, Unit::Bare) {
            d.unit = tail.unit;
        }
        d.end = tail.end;
    }
}

/// The counted noun after a bare number ("238 men", "two toilets").
fn counted(st: &Stream, d: &mut Draft, lang: Option<Lang>) {
    d.bare_end = d.end;
    // A share ("a two-thirds majority vote", "one in five people") counts
    // nothing.
    if d.num.ratio && d.high < 1.0 {
        return;
    }
    let from = if d.num.vague.is_some() && matches!(st.lower(d.end).as_ref(), "of" | "de") {
        d.end + 1
    } else {
        d.end
    };
    // "a 5-cylinder engine": the word hyphened onto the number is what it
    // counts.
    let year_like = (1000.0..=2100.0).contains(&d.low) && st.s(d.num.first).len() == 4;
    let in_a_name = d.num.first > 0
        && st.glued(d.num.first - 1, d.num.first)
        && st.is(d.num.first - 1, Kind::Word);
    if st.s(from) == "-"
        && !year_like
        && !in_a_name
        && st.glued(from - 1, from)
        && st.glued(from, from + 1)
        && st.is(from + 1, Kind::Word)
        && !st.capitalized(from + 1)
    {
        let w = st.lower(from + 1).into_owned();
        if !lexicon::FUNCTION_WORDS.contains(&w.as_str())
            && words().number(st, from + 1, lang).is_none()
        {
            d.end = from + 2;
            d.noun = Some(st.s(from + 1).to_string());
            d.unit = Unit::Thing(w);
        }
        return;
    }
    // A letter glued to the digits is no noun they count: "the '90s", "in
    // his 30s" name a decade, "the 11–13th century" a rank, not a figure
    // of anything.
    if st.is(from, Kind::Word) && !st.space_before(from) {
        let decade = st.lower(from) == "s" && !year_like && d.low % 10.0 == 0.0;
        let ordinal = matches!(st.lower(from).as_ref(), "st" | "nd" | "rd" | "th");
        if decade || ordinal {
            d.unit = Unit::Label;
        }
        return;
    }
    // "Of the 129 MSPs": a plural acronym is a counted thing.
    if st.is(from, Kind::Word) && st.space_before(from) {
        let w = st.s(from);
        let stem = w.strip_suffix('s').unwrap_or("");
        if stem.chars().count() >= 2 && stem.chars().all(|c| c.is_ascii_uppercase()) {
            d.end = from + 1;
            d.noun = Some(w.to_string());
            d.unit = Unit::Thing(w.to_lowercase());
            return;
        }
    }
    let mut words_after: Vec<(usize, String)> = Vec::new();
    let mut k = from;
    // A Spanish noun phrase starts with its head ("300 personas detenidas").
    let longest = if lang == Some(Lang::Es) { 1 } else { 3 };
    while k < from + longest && st.is(k, Kind::Word) {
        let w = st.lower(k).into_owned();
        // A Spanish function word counts nothing ("12 están graves"); the
        // head of a Spanish noun phrase comes first, so nothing after it
        // is the noun either.
        if lexicon::FUNCTION_WORDS.contains(&w.as_str())
            || lang == Some(Lang::Es) && words().stop_word(&w, lang)
            || NUMBER_WORDS.contains(&w.as_str())
            || words().number(st, k, lang).is_some()
            || (lang == Some(Lang::Es) && w.chars().count() <= 3)
        {
            break;
        }
        words_after.push((k, w));
        k += 1;
    }
    // A person noun is the head unless a plural follows it in English
    // ("80 individual libraries" counts libraries); a Spanish head comes
    // first ("16 botes salvavidas" counts boats).
    let plural = |w: &str| {
        w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") && !lexicon::is_person_noun(w, false)
    };
    if let Some(pos) = words_after
        .iter()
        .position(|(_, w)| lexicon::is_person_noun(w, lang == Some(Lang::Es)))
        .filter(|&pos| {
            if lang == Some(Lang::Es) {
                return pos == 0;
            }
            !words_after[pos + 1..]
                .iter()
                .any(|(k, w)| !st.capitalized(*k) && plural(w))
        })
    {
        // The last of a run of them ("graduate students", "Muslim volunteers").
        let run = words_after[pos..]
            .iter()
            .take_while(|(_, w)| lexicon::is_person_noun(w, lang == Some(Lang::Es)))
            .count();
        let last = words_after[pos + run - 1].0;
        d.unit = Unit::People;
        d.end = last + 1;
        d.noun = Some(st.text[st.toks[from].start..st.toks[last].end].to_string());
        return;
    }
    let Some((k0, _)) = words_after.first() else {
        return;
    };
    // A name after a figure is no noun it counts ("in 2016 Democratic
    // Presidential…"); the peoples WordNet has are read above ("238
    // Venezuelans").
    if st.capitalized(*k0) {
        return;
    }
    // The head of the phrase is its first plural ("tourists visit"), else its
    // last word ("alleged violations"); a lone participle is a verb ("350 died").
    let lower_run: Vec<&(usize, String)> = words_after
        .iter()
        .take_while(|(k, _)| !st.capitalized(*k))
        .collect();
    let headed = lower_run
        .first()
        .filter(|(_, w)| lexicon::COUNT_UNITS.contains(&w.as_str()))
        .or_else(|| {
            lower_run
                .iter()
                .find(|(_, w)| w.len() > 3 && w.ends_with('s') && !w.ends_with("ss"))
        });
    // With no plural to be the head, a participle right after the number
    // is its verb ("64 showed corrosion": the 64 counts what came before).
    let verb_first = headed.is_none() && lower_run.first().is_some_and(|(_, w)| w.ends_with("ed"));
    let Some((kl, wl)) = headed.or(lower_run.last()).copied() else {
        return;
    };
    // Many of one unit of time is no count: "he was 30 last year" (a time
    // said after the figure; a count would agree, "30 years").
    if headed.is_none() && d.high > 1.0 && lexicon::duration(wl).is_some_and(|_| !wl.ends_with('s'))
    {
        return;
    }
    if !wl.ends_with("ed") && !verb_first {
        d.unit = Unit::Thing(wl.clone());
        d.end = kl + 1;
        d.noun = Some(st.text[st.toks[from].start..st.toks[*kl].end].to_string());
    }
}

/// A number right after a name is a label ("Barrio 18"); by a month it is a
/// day; four plain digits from 1000 to 2100 are a year ("in 1798", "1960s").
fn label_or_date(st: &Stream, d: &mut Draft, lang: Option<Lang>) {
    if matches!(d.unit, Unit::Bare) {
        d.bare_end = d.end;
    }
    let num = &d.num;
    let plain = !num.written && num.next == num.first + 1 && st.is(num.first, Kind::Digits);
    // The word before the number itself, not before its qualifier ("the
    // Pellan Reef roughly 40 nautical miles" is no label).
    let before = num.first.checked_sub(1);
    let spanish = lang == Some(Lang::Es);
    let month = |k: Option<usize>| {
        k.is_some_and(|k| {
            let w = st.lower(k);
            lexicon::MONTHS.contains(&w.as_ref())
                || spanish && lexicon::MONTHS_ES.contains(&w.as_ref())
        })
    };
    if plain
        && d.low == d.high
        && d.low <= 31.0
        && d.low >= 1.0
        && (month(before)
            || month(Some(d.end))
            // "3 de octubre"
            || spanish && st.lower(d.end) == "de" && month(Some(d.end + 1)))
    {
        d.unit = Unit::DayOfMonth;
        return;
    }
    let years = 1000.0..=2100.0;
    let year_form =
        plain && st.s(num.first).len() == 4 && years.contains(&d.low) && years.contains(&d.high);
    if year_form {
        d.unit = Unit::Year;
        d.noun = None;
        d.end = d.bare_end;
        // "1960s"
        if st.lower(d.end) == "s" && st.glued(d.end - 1, d.end) {
            d.end += 1;
        }
        return;
    }
    if let Some(p) = before
        && st.capitalized(p)
        && !st.opens_sentence(p)
        && !month(Some(p))
    {
        d.unit = Unit::Label;
    } else if let Some(p) = before
        && matches!(st.s(p), "#" | "§" | "№")
    {
        d.unit = Unit::Label;
    } else if let Some(p) = before
        && st.s(p) == "."
        && p > 0
        && st.is(p - 1, Kind::Word)
        && st.glued(p - 1, p)
        && (1..=4).contains(&st.s(p - 1).chars().count())
        && st.s(p - 1).chars().count() > 1
        && !(p > 1 && st.s(p - 2) == "." && st.glued(p - 2, p - 1))
    {
        // "No. 7", "Vol. 3", "pp. 12": an abbreviated label.
        d.unit = Unit::Label;
    }
}

/// A rate: "a day", "per cell", "each", "from each state", "daily", "/hour".
fn rate(st: &Stream, d: &mut Draft, lang: Option<Lang>) {
    let k = d.end;
    let w = st.lower(k);
    let word_after =
        st.is(k + 1, Kind::Word) && !lexicon::FUNCTION_WORDS.contains(&st.lower(k + 1).as_ref());
    let duration_after = words()
        .unit_at(st, k + 1, lang)
        .is_some_and(|(u, _)| u.dimension == Dimension::Duration);
    if (matches!(
        w.as_ref(),
        "a" | "an" | "per" | "every" | "each" | "por" | "al" | "cada"
    ) && word_after
        && (duration_after || !matches!(w.as_ref(), "a" | "an" | "al")))
        || (w == "/" && st.glued(k - 1, k) && st.is(k + 1, Kind::Word))
    {
        let (start, end) = st.span(k, k + 2);
        d.per = Some(st.text[start..end].to_string());
        d.end = k + 2;
    } else if matches!(
        w.as_ref(),
        "from" | "for" | "in" | "at" | "on" | "de" | "en" | "para"
    ) && matches!(st.lower(k + 1).as_ref(), "each" | "every" | "cada")
        && st.is(k + 2, Kind::Word)
    {
        // "one judge from each member state", "un juez de cada Estado".
        let (start, end) = st.span(k, k + 3);
        d.per = Some(st.text[start..end].to_string());
        d.end = k + 3;
    } else if lexicon::PER_WORDS.contains(&w.as_ref()) {
        d.per = Some(st.s(k).to_string());
        d.end = k + 1;
    } else if d.start > 0
        && matches!(
            st.lower(d.start - 1).as_ref(),
            "annual" | "yearly" | "monthly" | "daily" | "weekly"
        )
    {
        d.per = Some(st.s(d.start - 1).to_string());
    }
}

/// A value without the binary noise of scaling ("16,4 millones" is
/// 16400000, not 16399999.999999998): rounded to 12 significant digits.
fn tidy(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    format!("{v:.11e}").parse().unwrap_or(v)
}

fn same_dimension(a: &Unit, b: &Unit) -> bool {
    matches!(
        (a, b),
        (Unit::Money(_), Unit::Money(_))
            | (Unit::Temperature(_), Unit::Temperature(_))
            | (Unit::Distance(..), Unit::Distance(..))
            | (Unit::Area(..), Unit::Area(..))
            | (Unit::Duration(_), Unit::Duration(_))
    ) || matches!((a, b), (Unit::Measure(x, ..), Unit::Measure(y, ..)) if x == y)
}
