//! Data-driven tests for quantity extraction: real phrasings and traps.

use super::extract::{Qualifier, Unit};
use super::words::Lang;

fn mentions(text: &str) -> Vec<super::Mention> {
    super::mentions(text, Some(Lang::En))
}

/// Checks the figures found in `text`: each expected item is
/// (figure text, low, high, unit label, qualifier).
fn check(text: &str, expected: &[(&str, f64, f64, &str, Option<Qualifier>)]) {
    let got: Vec<(String, f64, f64, String, Option<Qualifier>)> = mentions(text)
        .into_iter()
        .filter(|m| m.unit.is_quantity() && super::usable(m))
        .map(|m| {
            (
                text[m.start..m.end].to_string(),
                m.low,
                m.high,
                m.unit.label(),
                m.qualifier,
            )
        })
        .collect();
    let want: Vec<(String, f64, f64, String, Option<Qualifier>)> = expected
        .iter()
        .map(|(t, l, h, u, q)| (t.to_string(), *l, *h, u.to_string(), *q))
        .collect();
    assert_eq!(got, want, "in {text:?}");
}

fn none(text: &str) {
    check(text, &[]);
}

use Qualifier::*;

#[test]
fn digits_with_separators_and_decimals() {
    check(
        "built to hold up to 40,000 inmates.",
        &[(
            "up to 40,000 inmates",
            40000.0,
            40000.0,
            "people",
            Some(UpTo),
        )],
    );
    check(
        "sometimes described as 0.6 sq m per prisoner",
        &[("0.6 sq m per prisoner", 0.6, 0.6, "sq m", None)],
    );
    check(
        "confined to their cells for 23.5 hours daily",
        &[("23.5 hours daily", 23.5, 23.5, "hours", None)],
    );
    check(
        "Of the 238 men Trump sent to CECOT, 179 had no criminal record",
        &[
            ("238 men", 238.0, 238.0, "people", None),
            ("179", 179.0, 179.0, "", None),
        ],
    );
    check(
        "Over 350 died in custody",
        &[("Over 350", 350.0, 350.0, "", Some(MoreThan))],
    );
}

#[test]
fn written_numbers_and_multipliers() {
    check(
        "invoked only three times in U.S. history",
        &[("three times", 3.0, 3.0, "times", None)],
    );
    check(
        "when 62 people were killed in a single day",
        &[("62 people", 62.0, 62.0, "people", None)],
    );
    check(
        "sixty-two people were killed",
        &[("sixty-two people", 62.0, 62.0, "people", None)],
    );
    check(
        "the fund holds six million dollars",
        &[("six million dollars", 6e6, 6e6, "USD", None)],
    );
    check(
        "agreed to pay El Salvador $6 million to detain",
        &[("$6 million", 6e6, 6e6, "USD", None)],
    );
    check(
        "a deal worth $6m in total",
        &[("$6m", 6e6, 6e6, "USD", None)],
    );
    check(
        "for up to 23 and a half hours a day.",
        &[(
            "up to 23 and a half hours a day",
            23.5,
            23.5,
            "hours",
            Some(UpTo),
        )],
    );
    check(
        "a dozen guards watched",
        &[("a dozen guards", 12.0, 12.0, "people", None)],
    );
    check(
        "the plant was visited twice by inspectors",
        &[("twice", 2.0, 2.0, "times", None)],
    );
}

#[test]
fn vague_magnitudes() {
    let m = mentions("capacity up to tens of thousands of people");
    assert_eq!(m.len(), 1);
    assert!(m[0].vague);
    assert_eq!((m[0].low, m[0].high), (10_000.0, 99_999.0));
    assert_eq!(m[0].unit, Unit::People);
    let m = mentions("deporting hundreds of detainees directly to CECOT");
    assert_eq!((m[0].low, m[0].high, m[0].vague), (200.0, 999.0, true));
    assert_eq!(m[0].unit, Unit::People);
}

#[test]
fn an_indefinite_count_of_a_multiplier_is_vague() {
    // "several hundred" is not 100: read as "hundreds".
    let m = mentions("for at least several hundred years");
    assert_eq!((m[0].low, m[0].high, m[0].vague), (200.0, 999.0, true));
    let m = mentions("a few thousand people");
    assert_eq!((m[0].low, m[0].high), (2_000.0, 9_999.0));
    assert_eq!(m[0].unit, Unit::People);
    let m = mentions("several hundred thousand dollars");
    assert_eq!((m[0].low, m[0].high), (200_000.0, 999_999.0));
    // Alone, no number.
    assert!(mentions("many people came and a few left").is_empty());
    let es = |text: &str| super::mentions(text, Some(Lang::Es));
    let m = es("miles de personas y decenas de miles de visitantes");
    assert_eq!(
        m.iter().map(|m| (m.low, m.high)).collect::<Vec<_>>(),
        [(2_000.0, 9_999.0), (10_000.0, 99_999.0)]
    );
    let m = es("varios cientos de personas");
    assert_eq!(
        (m[0].low, m[0].high, m[0].unit.clone()),
        (200.0, 999.0, Unit::People)
    );
}

#[test]
fn a_decade_or_a_time_after_a_figure_is_nothing_it_counts() {
    // A glued "s" makes a decade: no count of anything.
    let m = mentions("in the '90s and in his 30s");
    assert!(m.iter().all(|m| !m.unit.is_quantity()), "{m:?}");
    check("the 1960s", &[]);
    assert_eq!(mentions("the 1960s")[0].unit, Unit::Year);
    // "30 last year" counts no years.
    let m = mentions("he was 30 last year");
    assert_eq!((m[0].low, m[0].noun.as_deref()), (30.0, None));
    assert!(!matches!(m[0].unit, Unit::Thing(_)));
}

#[test]
fn ranges() {
    check(
        "NGOs tracked roughly 250–288 people transferred",
        &[(
            "roughly 250–288 people",
            250.0,
            288.0,
            "people",
            Some(Approximately),
        )],
    );
    check(
        "Cells regularly hold 80–100 prisoners",
        &[("80–100 prisoners", 80.0, 100.0, "people", None)],
    );
    check(
        "Cells hold 80-100 prisoners",
        &[("80-100 prisoners", 80.0, 100.0, "people", None)],
    );
    check(
        "the possible deaths of between 189 and 200 persons in detention",
        &[("between 189 and 200 persons", 189.0, 200.0, "people", None)],
    );
    check(
        "Today, Cecot is home to 10,000-20,000 inmates.",
        &[("10,000-20,000 inmates", 10000.0, 20000.0, "people", None)],
    );
    check(
        "estimates grew from 20,000 to 40,000 detainees",
        &[(
            "from 20,000 to 40,000 detainees",
            20000.0,
            40000.0,
            "people",
            None,
        )],
    );
    check(
        "it costs $6-7 million",
        &[("$6-7 million", 6e6, 7e6, "USD", None)],
    );
}

#[test]
fn qualifiers() {
    check(
        "Over 350 people have died in custody",
        &[("Over 350 people", 350.0, 350.0, "people", Some(MoreThan))],
    );
    check(
        "At least 261 people have died",
        &[("At least 261 people", 261.0, 261.0, "people", Some(AtLeast))],
    );
    check(
        "with as many as 40,000 detainees at once",
        &[(
            "as many as 40,000 detainees",
            40000.0,
            40000.0,
            "people",
            Some(UpTo),
        )],
    );
    check(
        "fewer than 10 guards",
        &[("fewer than 10 guards", 10.0, 10.0, "people", Some(AtMost))],
    );
    check(
        "cells built to hold approximately 80 inmates each",
        &[(
            "approximately 80 inmates each",
            80.0,
            80.0,
            "people",
            Some(Approximately),
        )],
    );
    check(
        "for upwards of 100 prisoners",
        &[(
            "upwards of 100 prisoners",
            100.0,
            100.0,
            "people",
            Some(MoreThan),
        )],
    );
}

#[test]
fn units() {
    check(
        "approximately 40 miles from the nation’s capital",
        &[(
            "approximately 40 miles",
            40.0,
            40.0,
            "miles",
            Some(Approximately),
        )],
    );
    check(
        "temperatures reaching up to 35°C (95°F) during the day",
        &[("up to 35°C", 35.0, 35.0, "°C", Some(UpTo))],
    );
    check(
        "paid $6 million (£4.6 million) last year",
        &[("$6 million", 6e6, 6e6, "USD", None)],
    );
    check(
        "100% of subscription fees",
        &[("100%", 100.0, 100.0, "percent", None)],
    );
    check(
        "about 12 percent of detainees",
        &[(
            "about 12 percent",
            12.0,
            12.0,
            "percent",
            Some(Approximately),
        )],
    );
    check(
        "the annual $200 million cost of maintaining",
        &[("$200 million", 2e8, 2e8, "USD", None)],
    );
    check(
        "a cost of $200 million a year.",
        &[("$200 million a year", 2e8, 2e8, "USD", None)],
    );
    check(
        "a 13-year civil war",
        &[("13-year", 13.0, 13.0, "years", None)],
    );
    check(
        "a 31-year-old Venezuelan makeup artist",
        &[("31-year-old", 31.0, 31.0, "years", None)],
    );
    check(
        "only 30 minutes allocated",
        &[("30 minutes", 30.0, 30.0, "minutes", None)],
    );
    check(
        "Cells feature only two toilets and two sinks",
        &[
            ("two toilets", 2.0, 2.0, "toilets", None),
            ("two sinks", 2.0, 2.0, "sinks", None),
        ],
    );
    check(
        "the prison houses 238 Venezuelans",
        &[("238 Venezuelans", 238.0, 238.0, "people", None)],
    );
}

#[test]
fn a_listed_unit_is_never_read_as_another_misspelt() {
    // "grados" is one edit from "gramos": as listed, it is degrees.
    let labels = |text: &str| -> Vec<String> {
        super::mentions(text, Some(Lang::Es))
            .iter()
            .map(|m| m.unit.label())
            .collect()
    };
    assert_eq!(labels("menos cinco grados"), ["°"]);
    assert_eq!(labels("pesa 5 gramos"), ["g"]);
    // An unlisted word one edit from a unit is still read as it.
    assert_eq!(
        mentions("it reached 40 celcius")
            .iter()
            .map(|m| m.unit.label())
            .collect::<Vec<_>>(),
        ["°C"]
    );
}

#[test]
fn rates_are_marked() {
    let m = mentions("a cost of $200 million a year.");
    assert_eq!(m[0].per.as_deref(), Some("a year"));
    let m = mentions("cells built to hold approximately 80 inmates each");
    assert_eq!(m[0].per.as_deref(), Some("each"));
    let m = mentions("the annual $200 million cost");
    assert_eq!(m[0].per.as_deref(), Some("annual"));
    let m = mentions("there is one judge from each member state, 28 at present");
    assert_eq!(m[0].per.as_deref(), Some("from each member"));
    assert_eq!(m[1].per, None);
}

#[test]
fn digits_inside_names_and_codes_are_not_figures() {
    let read = |text: &str| -> Vec<String> { mentions(text).into_iter().map(|m| m.text).collect() };
    for text in [
        "Limits the number of IPv4 FIB entries.",
        "ieee802154_register_device() and the i915 driver",
        "Licensed under GPL-2.0 or the MPL-1.1 text.",
        "register [0x3fc3/0x1fff] at bank 0x21",
        "The 3GPP and 13F filings.",
        "see <9_whatisRCU> and Linux v2.6.32",
    ] {
        assert_eq!(read(text), Vec::<String>::new(), "in {text:?}");
    }
    // A currency's code, a unit and a suffix written on are still read.
    assert_eq!(read("It costs USD115.5."), vec!["USD115.5"]);
    assert_eq!(
        read("a 64KB buffer for 100k users"),
        vec!["64KB", "100k users"]
    );
}

#[test]
fn traps_are_not_figures() {
    check(
        "members of MS-13 and the two factions of Barrio 18",
        &[("two factions", 2.0, 2.0, "factions", None)],
    );
    none("a wartime law unused since World War II");
    none("widely documented as abusive [1] [2] [13].");
    none("the deadliest day in the country’s recent history[6].");
    none("Call 555-1234 for details.");
    none("Lights are on 24/7 and meals at 6:30.");
    none("one of the largest prisons");
    none("Covid-19 spread through the cells");
    none("See Article 5 and No. 7 of the rules.");
    none("on the 21st of March");
    none("Checked on 2025-11-29 by the desk");
    none("the one involving CECOT");
}

#[test]
fn counted_nouns_hyphened_or_acronyms() {
    check(
        "It is a single-step, 5-cylinder engine.",
        &[("5-cylinder", 5.0, 5.0, "cylinder", None)],
    );
    check(
        "Of the 129 MSPs, 73 are elected.",
        &[
            ("129 MSPs", 129.0, 129.0, "msps", None),
            ("73", 73.0, 73.0, "", None),
        ],
    );
    // Not a count: a label glued into a name, a year before a hyphen.
    none("the helper cell's CD4 co-receptor");
    // A participle right after a number, with no plural after it, is the
    // number's verb: "64" counts what the sentence counted before.
    check(
        "Of the 2,480 hanger cables, 64 showed corrosion.",
        &[
            ("2,480 hanger cables", 2480.0, 2480.0, "cables", None),
            ("64", 64.0, 64.0, "", None),
        ],
    );
    // A plural after it is its head ("alleged members", "trained dogs").
    check(
        "They brought 40 trained dogs.",
        &[("40 trained dogs", 40.0, 40.0, "dogs", None)],
    );
}

#[test]
fn over_a_span_of_time_is_no_fraction() {
    let ms = mentions("a programme expected to cost $48 million over eight years");
    assert_eq!(ms[0].low, 48e6, "{ms:?}");
    let ms = mentions("one over twenty");
    assert_eq!(ms[0].low, 0.05, "{ms:?}");
}

#[test]
fn a_currency_name_several_countries_use_names_no_country() {
    check(
        "allowed to claim 6 million Lira from the government",
        &[("6 million Lira", 6e6, 6e6, "lira", None)],
    );
    check(
        "5 Turkish lira",
        &[("5 Turkish lira", 5.0, 5.0, "TRY", None)],
    );
}

#[test]
fn years_and_dates_are_recognised_as_such() {
    let m = mentions("the Alien Enemies Act of 1798, invoked in March 2025");
    assert!(m.iter().all(|m| m.unit == Unit::Year), "{m:?}");
    assert_eq!(m.len(), 2);
    let m = mentions("a breaking point on March 26, 2022, when 62 people were killed");
    let units: Vec<Unit> = m.iter().map(|m| m.unit.clone()).collect();
    assert_eq!(units, vec![Unit::DayOfMonth, Unit::Year, Unit::People]);
    let m = mentions("Who won the 2022 FIFA World Cup?");
    assert_eq!(m[0].unit, Unit::Year);
    let m = mentions("as of early 2024 following its crackdown, and a 2023 human rights report");
    assert!(m.iter().all(|m| m.unit == Unit::Year), "{m:?}");
    let m = mentions("some 1500 soldiers");
    assert_eq!(m[0].unit, Unit::People);
}

#[test]
fn spans_are_byte_exact() {
    let text = "NGOs tracked roughly 250–288 people; “35°C (95°F)” and £4.6 million.";
    for m in mentions(text) {
        assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
        assert!(m.start <= m.at && m.at < m.end);
    }
}

mod selection {
    //! Which stated figures answer a question, and how they group.

    use crate::figures::asked::asked;
    use crate::figures::{Concept, Passage, Stated, group, select};
    use crate::question;

    /// Figures (as written) that answer `q` in these one-sentence passages,
    /// every concept weighing the same.
    fn answers(q: &str, passages: &[&str]) -> Vec<String> {
        answers_with(q, passages, super::super::Selection::default())
    }

    /// [`answers`], selected as strictly as `selection` says.
    fn answers_with(q: &str, passages: &[&str], selection: super::super::Selection) -> Vec<String> {
        stated_with(q, passages, selection)
            .into_iter()
            .map(|s| s.mention.text)
            .collect()
    }

    fn stated(q: &str, passages: &[&str]) -> Vec<Stated> {
        stated_with(q, passages, super::super::Selection::default())
    }

    fn stated_with(q: &str, passages: &[&str], selection: super::super::Selection) -> Vec<Stated> {
        with_inputs(q, passages, |asked, concepts, passages| {
            select(asked, concepts, passages, selection)
        })
    }

    /// A selection that keeps every candidate figure, whatever its
    /// relevance: what a test then sees is what candidacy alone allows.
    fn any_relevance() -> super::super::Selection {
        super::super::Selection {
            min_relevance: 0.0,
            relative_relevance: 0.0,
            max_missing: 1.0,
            ..Default::default()
        }
    }

    /// [`crate::figures::best_relevance`] of `q` over one-sentence passages.
    fn best(q: &str, passages: &[&str]) -> f32 {
        with_inputs(q, passages, |asked, concepts, passages| {
            crate::figures::best_relevance(asked, concepts, passages, Default::default())
        })
    }

    /// `f` of what `q` asks for, its concepts (every one weighing the same)
    /// and `passages` as one-sentence English passages on the subject.
    fn with_inputs<T>(
        q: &str,
        passages: &[&str],
        f: impl FnOnce(&crate::figures::asked::Asked, &[Concept], &[Passage]) -> T,
    ) -> T {
        with_question(q, &question::analyze(q), passages, f)
    }

    /// [`with_inputs`] with `question` as `q`'s analysis (widened as a test
    /// needs).
    fn with_question<T>(
        q: &str,
        question: &question::Question,
        passages: &[&str],
        f: impl FnOnce(&crate::figures::asked::Asked, &[Concept], &[Passage]) -> T,
    ) -> T {
        with_asked(
            &asked(q).expect("a quantity question"),
            question,
            passages,
            f,
        )
    }

    /// [`with_question`] for what `asked` says the question asks.
    fn with_asked<T>(
        asked: &crate::figures::asked::Asked,
        question: &question::Question,
        passages: &[&str],
        f: impl FnOnce(&crate::figures::asked::Asked, &[Concept], &[Passage]) -> T,
    ) -> T {
        let concepts: Vec<Concept> = question
            .concepts
            .iter()
            .enumerate()
            .map(|(index, c)| Concept {
                concept: c,
                weight: 1.0,
                index,
            })
            .collect();
        let passages: Vec<Passage> = passages
            .iter()
            .map(|t| Passage {
                text: t,
                near: &[],
                lang: Some(crate::figures::Lang::En),
                on_subject: true,
            })
            .collect();
        f(asked, &concepts, &passages)
    }

    #[test]
    fn the_decline_model_reads_how_well_the_best_figure_answers() {
        let paid = "The U.S. government will pay $6 million to house the deportees.";
        let built = "Building the prison cost $90 million.";
        // A figure of the asked kind that shares no word with the question
        // answers less than one that states it; no figure of the kind, none.
        let q = "How much did it cost to build the prison?";
        let (for_paid, for_built) = (best(q, &[paid]), best(q, &[built]));
        assert!(for_built > for_paid, "{for_built} vs {for_paid}");
        assert!(for_built >= 0.9, "{for_built}");
        assert_eq!(
            best(q, &["The prison opened in 2023 with 40,000 inmates."]),
            0.0
        );
        // The best of several passages counts, whichever comes first.
        assert_eq!(best(q, &[paid, built]), for_built);
        assert_eq!(best(q, &[built, paid]), for_built);
    }

    #[test]
    fn a_bare_count_after_the_question_s_verb_is_whom_it_happened_to() {
        let p = [
            "The quake struck at dawn, killing at least 31 people and injuring more than 400.",
            "The earthquake killed 38 people and injured 517.",
        ];
        let lenient = super::super::Selection {
            relative_relevance: 0.0,
            max_missing: 1.0,
            ..Default::default()
        };
        let got = answers_with(
            "How many people were injured in the earthquake?",
            &p,
            lenient,
        );
        assert!(got.contains(&"more than 400".to_string()), "{got:?}");
        assert!(got.contains(&"517".to_string()), "{got:?}");
    }

    #[test]
    fn of_counts_side_by_side_the_one_naming_the_event_answers() {
        let p = ["The Sorell earthquake left 38 dead and about 500 injured people."];
        let lenient = super::super::Selection {
            relative_relevance: 0.0,
            max_missing: 1.0,
            ..Default::default()
        };
        let got = answers_with(
            "How many people were injured in the Sorell earthquake?",
            &p,
            lenient,
        );
        assert!(got.iter().any(|f| f.contains("500")), "{got:?}");
        assert!(!got.iter().any(|f| f.contains("38")), "{got:?}");
    }

    #[test]
    fn of_counts_side_by_side_the_one_the_question_names_answers() {
        // "death toll": the deaths are what it counts, the cases beside them
        // are not; a count of people who died is the same quantity.
        let p = [
            "The Karsel epidemic caused 68 deaths and about 4,900 suspected cases.",
            "At least 74 people died in the Karsel epidemic.",
        ];
        let q = "What was the death toll of the Karsel epidemic?";
        // The measure noun asks for whatever the sources count it in.
        let stated = crate::figures::asked::asked_as(q, crate::figures::asked::Want::Stated);
        let got: Vec<String> = with_asked(&stated, &question::analyze(q), &p, |a, c, p| {
            select(a, c, p, Default::default())
        })
        .into_iter()
        .map(|s| s.mention.text)
        .collect();
        assert!(got.iter().any(|f| f.contains("68")), "{got:?}");
        assert!(got.iter().any(|f| f.contains("74")), "{got:?}");
        assert!(!got.iter().any(|f| f.contains("4,900")), "{got:?}");
    }

    #[test]
    fn a_count_after_the_group_a_sentence_opens_with_counts_that_group() {
        let got = answers(
            "How many cases were confirmed by laboratory tests?",
            &["Of the suspected cases, 1,140 were confirmed by laboratory tests."],
        );
        assert_eq!(got, ["1,140"]);
        let people = super::mentions("De los heridos, 12 están graves.");
        let m = crate::figures::answerable_mentions(
            "De los heridos, 12 están graves.",
            Some(crate::figures::Lang::Es),
            None,
        );
        assert_eq!(people.len(), 1);
        assert_eq!(m[0].noun.as_deref(), Some("heridos"), "{m:?}");
        // Only an opening group: "the 12 in hospital" after other words is
        // not counted as the group.
        let m = crate::figures::answerable_mentions(
            "Doctors say that of the injured, 12 are in hospital.",
            Some(crate::figures::Lang::En),
            None,
        );
        assert_eq!(m[0].unit, super::Unit::Bare, "{m:?}");
    }

    #[test]
    fn people_the_question_s_event_happened_to_are_its_answer_however_named() {
        // "trapped 33 men": the miners, named otherwise; "have brought 27
        // miners": another event, which neither answers nor crowds out the
        // count beside it.
        let p = [
            "Rescuers have brought 27 miners to the surface after a roof collapse at the Tallis colliery trapped 33 men underground.",
        ];
        let got = answers_with(
            "How many miners were trapped in the Tallis collapse?",
            &p,
            any_relevance(),
        );
        assert_eq!(got, ["33 men"]);
    }

    #[test]
    fn a_count_after_and_is_the_subject_of_its_own_verb() {
        let got = answers_with(
            "How many miners died in the Tallis collapse?",
            &["Six miners died in the Tallis collapse and 27 were rescued."],
            any_relevance(),
        );
        assert_eq!(got, ["Six miners"]);
        // Numbers joined by "and" are one range or list, not two clauses.
        let got = answers(
            "What did the Orrin bridge cost to build?",
            &["The Orrin bridge was built between 1932 and 1937 at a cost of $35 million."],
        );
        assert_eq!(got, ["$35 million"]);
    }

    #[test]
    fn a_count_of_other_people_is_not_of_the_people_asked_for() {
        let p = [
            "The Arvale stadium has room for 42,500 spectators.",
            "About 1,200 workers are building the Arvale stadium.",
            "Some 3,000 people live around the Arvale stadium.",
        ];
        let got = answers_with(
            "How many workers are building the Arvale stadium?",
            &p,
            any_relevance(),
        );
        assert!(got.iter().any(|f| f.contains("1,200")), "{got:?}");
        assert!(!got.iter().any(|f| f.contains("42,500")), "{got:?}");
        // People in general may be the workers.
        assert!(got.iter().any(|f| f.contains("3,000")), "{got:?}");
    }

    #[test]
    fn a_plural_subject_of_the_question_s_verb_is_not_the_named_thing() {
        let p = [
            "CECOT was built to hold up to 40,000 inmates.",
            "At CECOT, cells regularly hold 80–100 prisoners, more than twice their capacity.",
        ];
        let got = answers_with("How many inmates can CECOT hold?", &p, any_relevance());
        assert!(got.iter().any(|f| f.contains("40,000")), "{got:?}");
        assert!(!got.iter().any(|f| f.contains("80")), "{got:?}");
    }

    #[test]
    fn who_counted_a_figure_is_no_event_of_it() {
        let p = ["After the earthquake the network recorded 1,340 aftershocks."];
        assert_eq!(
            answers("How many aftershocks followed the earthquake?", &p),
            ["1,340 aftershocks"]
        );
    }

    #[test]
    fn a_verb_after_a_modal_ties_its_figure_to_that_event() {
        let p = [
            "Kelbrook made a net loss of €340 million last year.",
            "Kelbrook will invest €90 million in Lenz.",
        ];
        let got = answers("How much money did Kelbrook lose last year?", &p);
        assert!(!got.iter().any(|f| f.contains("90")), "{got:?}");
    }

    #[test]
    fn an_amount_of_one_thing_is_no_count_of_another() {
        let p = [
            "The acme was the Corliss steam engine, patented in 1849, which was a four-valve counter flow engine.",
            "In addition to using 30% less steam, the Corliss engine ran more evenly.",
        ];
        // However leniently figures are kept, the valves are not one.
        assert_eq!(
            answers_with(
                "How much less steam did the Corliss engine use?",
                &p,
                any_relevance()
            ),
            ["30%"]
        );
    }

    #[test]
    fn another_thing_of_the_kind_named_otherwise_is_not_the_question_s() {
        let p = [
            "The Brenna Valley fire has burned more than 12,000 hectares.",
            "It is the worst fire since 2009, when the Ardel fire burned 3,000 hectares.",
        ];
        assert_eq!(
            answers("How many hectares did the Brenna Valley fire burn?", &p),
            ["more than 12,000 hectares"]
        );
    }

    #[test]
    fn deaths_in_another_named_fire_are_not_the_question_s() {
        let p = [
            "At least 14 people died in the Brenna Valley fire.",
            "It is the worst fire in the Brenna Valley since 2009, when the Ardel fire burned 3,000 hectares and killed six people.",
        ];
        let got = answers_with(
            "How many people died in the Brenna Valley fire?",
            &p,
            any_relevance(),
        );
        assert!(got.iter().any(|f| f.contains("14")), "{got:?}");
        assert!(!got.iter().any(|f| f.contains("six")), "{got:?}");
    }

    #[test]
    fn the_whole_a_sentence_divides_is_no_answer_for_a_part_of_it() {
        let passage =
            ["Of the 238 men Trump sent to CECOT, 179 had no criminal record whatsoever."];
        assert_eq!(
            answers(
                "How many of the deported men had no criminal record?",
                &passage
            ),
            ["179"]
        );
        // Nor where the question is about the part more than the whole.
        assert_eq!(
            answers("How many deportees had no criminal record?", &passage),
            ["179"]
        );
        // Asked for the whole, it is the answer.
        assert!(
            answers("How many men did Trump send to CECOT?", &passage)
                .contains(&"238 men".to_string())
        );
    }

    #[test]
    fn a_figure_that_its_own_verb_ties_to_another_event_is_no_answer() {
        let q = "How many people died in the eruption?";
        let evacuated = "About 22,000 people have been evacuated since the eruption.";
        let died = "About 120 people died in the eruption.";
        assert!(answers(q, &[evacuated]).is_empty());
        assert_eq!(answers(q, &[evacuated, died]).len(), 1);
        // A participle without its auxiliary describes the noun; the verb
        // that follows is the figure's own.
        let q = "How many people were deported?";
        let p = "250 individuals alleged to be gang members were deported in March.";
        assert_eq!(answers(q, &[p]).len(), 1);
        assert_eq!(super::super::own_passive(p, 15, None), Some("deported"));
        assert_eq!(
            super::super::own_passive(
                " personas fueron evacuadas.",
                0,
                Some(crate::figures::Lang::Es)
            ),
            Some("evacuadas")
        );
    }

    #[test]
    fn a_figure_without_the_word_that_sets_the_quantity_apart_is_another_quantity() {
        let p = [
            "Repainting the bridge is expected to cost $48 million over eight years.",
            "The bridge was built between 1932 and 1937 at a cost of 35 million dollars.",
        ];
        let q = "What will repainting the bridge cost?";
        assert_eq!(answers(q, &p), vec!["$48 million"]);
        // The building cost covers two of the three words, enough by
        // relevance alone: it is the missing "repainting" that drops it.
        let lenient = super::super::Selection {
            max_missing: 1.0,
            ..Default::default()
        };
        assert_eq!(
            answers_with(q, &p, lenient),
            vec!["$48 million", "35 million dollars"]
        );
    }

    #[test]
    fn a_different_quantity_in_the_same_passage_is_not_an_answer() {
        let p = [
            "Under the agreement the U.S. government will pay $6 million to house the deportees, a fraction of the annual $200 million cost of the prison system.",
        ];
        assert_eq!(
            answers("How much is the U.S. paying to house the deportees?", &p),
            vec!["$6 million"]
        );
        assert_eq!(
            answers("How much does the prison system cost each year?", &p),
            vec!["$200 million"]
        );
    }

    #[test]
    fn the_verb_decides_which_count_answers() {
        let p = [
            "Over 350 people have died in custody across the country's prisons.",
            "More than 110,000 people are imprisoned in the country.",
            "On one day in March, 62 people were killed in gang violence.",
        ];
        assert_eq!(
            answers("How many people are imprisoned in the country?", &p),
            vec!["More than 110,000 people"]
        );
        assert_eq!(
            answers("How many people have died in prisons?", &p),
            vec!["Over 350 people"]
        );
        assert_eq!(
            answers("How many people were killed in March?", &p),
            vec!["62 people"]
        );
    }

    #[test]
    fn units_must_fit_the_question() {
        let p = [
            "Prisoners spend 23.5 hours a day in cells of about 80 inmates, with only 30 minutes outside, in temperatures up to 35°C.",
        ];
        assert_eq!(
            answers("How many hours a day do prisoners spend in cells?", &p),
            vec!["23.5 hours a day"]
        );
        // (No related words here: "hot" finds "temperatures" only through
        // the corpus's words, which `select` does not see.)
        assert_eq!(
            answers("What temperature does it reach in the cells?", &p),
            vec!["up to 35°C"]
        );
        assert!(stated("What percentage of prisoners spend time outside?", &p).is_empty());
    }

    #[test]
    fn a_bare_count_before_the_asked_verb_counts_what_did_it() {
        let p = ["After the sinking, only 712 survived, rescued by a steamer."];
        assert_eq!(
            answers("How many people survived the sinking?", &p),
            vec!["712"]
        );
        // Not before another verb.
        let p = ["After the sinking, in the end 712 were rescued by a steamer."];
        assert!(answers("How many people survived the sinking?", &p).is_empty());
    }

    #[test]
    fn the_measure_word_decides_between_a_length_and_a_duration() {
        let p = [
            "On the metro line, an end-to-end journey takes 26 minutes.",
            "The metro line is 14.5 km long and has 12 stations.",
            "The metro line lies 40 km south of the capital.",
        ];
        assert_eq!(answers("How long is the metro line?", &p), vec!["14.5 km"]);
        assert_eq!(
            answers("How long does a journey on the metro line take?", &p),
            vec!["26 minutes"]
        );
    }

    #[test]
    fn which_people_are_counted_weighs_in() {
        // Any noun WordNet has as people counts people ("stowaways",
        // "firefighters"); one that names which people is a concept the
        // figure must stand with, not only the unit.
        let p = [
            "In all, 2,229 people were aboard the ship.",
            "Five stowaways were aboard the ship.",
        ];
        assert_eq!(
            answers("How many stowaways were aboard the ship?", &p),
            vec!["Five stowaways"]
        );
        // Stowaways are people aboard too.
        assert_eq!(
            answers("How many people were aboard the ship?", &p),
            vec!["2,229 people", "Five stowaways"]
        );
        let m = super::mentions("About 40 firefighters fought the blaze.");
        assert_eq!(m[0].unit, super::Unit::People);
        // A Spanish noun phrase counts what it begins with.
        let m = crate::figures::mentions(
            "El barco llevaba 16 botes salvavidas.",
            Some(crate::figures::Lang::Es),
        );
        assert_ne!(m[0].unit, super::Unit::People);
    }

    #[test]
    fn a_count_takes_what_the_model_puts_near_the_counted_noun() {
        let q = "How many grandkids is she raising?";
        let p = ["She is raising six grandchildren alone."];
        assert!(answers(q, &p).is_empty());
        // As the corpus's vocabulary widens it: the model's neighbour.
        let mut question = question::analyze(q);
        let k = question
            .concepts
            .iter()
            .position(|c| c.word == "grandkids")
            .unwrap();
        question.concepts[k]
            .related
            .push(("grandchildren".to_string(), 0.72));
        let found = with_question(q, &question, &p, |asked, concepts, passages| {
            select(asked, concepts, passages, Default::default())
        });
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].mention.text, "six grandchildren");
    }

    #[test]
    fn rates_answer_only_rate_questions() {
        let p = [
            "The prison holds up to 40,000 inmates.",
            "Cells hold approximately 80 inmates each.",
        ];
        assert_eq!(
            answers("How many inmates can the prison hold?", &p),
            vec!["up to 40,000 inmates"]
        );
        assert_eq!(
            answers("How many inmates are kept in one cell?", &p),
            vec!["approximately 80 inmates each"]
        );
        // Asked per year: the yearly cost, where a source gives one.
        let p = [
            "The line cost €1.2 billion to build.",
            "Maintaining the line will cost about €45 million a year.",
        ];
        assert_eq!(
            answers("What will maintaining the line cost each year?", &p),
            vec!["about €45 million a year"]
        );
    }

    #[test]
    fn a_count_whose_own_verb_takes_no_object_counts_that_event() {
        let p = [
            "About 1,200 workers built the bridge.",
            "Eleven workers died during the building of the bridge.",
        ];
        let texts: Vec<String> = stated("How many workers built the bridge?", &p)
            .into_iter()
            .map(|s| s.mention.text)
            .collect();
        assert_eq!(texts, vec!["About 1,200 workers"]);
        // A transitive verb's participle may only describe the noun.
        let p = ["Some 250 workers hired in 1932 built the bridge."];
        let texts: Vec<String> = stated("How many workers built the bridge?", &p)
            .into_iter()
            .map(|s| s.mention.text)
            .collect();
        assert_eq!(texts, vec!["Some 250 workers"]);
    }

    #[test]
    fn an_adjective_of_the_asked_measure_right_after_a_figure_stands_for_it() {
        let texts = |p: &[&str]| -> Vec<String> {
            stated("How tall is the dam?", p)
                .into_iter()
                .map(|s| s.mention.text)
                .collect()
        };
        assert_eq!(
            texts(&["The 48-metre-high dam was finished in 1971."]),
            vec!["48-metre"]
        );
        // Elsewhere in the sentence "high" is another word.
        assert_eq!(
            texts(&[
                "The 48-metre-high dam was finished in 1971.",
                "Some 40 km from the dam, a prison holds high-ranking members.",
            ]),
            vec!["48-metre"]
        );
        assert!(crate::figures::words::same_side_adjectives("tall").contains(&"high"));
        assert!(!crate::figures::words::same_side_adjectives("tall").contains(&"low"));
        assert!(!crate::figures::words::same_side_adjectives("tall").contains(&"short"));
    }

    #[test]
    fn a_measurement_of_another_noun_does_not_answer_a_measure_question() {
        let texts = |p: &[&str]| -> Vec<String> {
            stated("How tall is the volcano?", p)
                .into_iter()
                .map(|s| s.mention.text)
                .collect()
        };
        // The zone is 15 km across, whatever it is around.
        assert!(
            texts(&["Police closed an exclusion zone of 15 kilometres around the volcano."])
                .is_empty()
        );
        assert!(
            texts(&["Police closed a 15-kilometre exclusion zone around the volcano."]).is_empty()
        );
        // The measure's own nouns and words are the question's.
        assert_eq!(
            texts(&["The volcano has a height of 2,100 metres."]),
            vec!["2,100 metres"]
        );
        assert_eq!(
            texts(&["The volcano is a 2,100-metre-high cone."]),
            vec!["2,100-metre"]
        );
    }

    #[test]
    fn a_verb_that_links_the_subject_to_the_measure_names_no_event() {
        // "grow" (WordNet: "Somebody ----s Adjective") only links the tower
        // to "tall": the figure need not stand with it.
        let linked = best(
            "How tall did the tower grow?",
            &["The tower is 300 metres tall."],
        );
        assert!(crate::figures::words::linking_verb("grow"));
        assert!(!crate::figures::words::linking_verb("die"));
        // An event verb the sentence lacks costs the figure.
        let event = best(
            "How tall did the tower burn?",
            &["The tower is 300 metres tall."],
        );
        assert!(linked > event, "{linked} {event}");
    }

    #[test]
    fn a_figure_the_text_denies_is_not_stated() {
        // What the search for the same figure elsewhere reads a sentence for.
        let read = |text: &str| -> Vec<String> {
            let asked = asked("How tall is the dam?").unwrap();
            crate::figures::asked_mentions(&asked, text, Some(crate::figures::Lang::En))
                .into_iter()
                .map(|m| m.text)
                .collect()
        };
        assert_eq!(
            read("The crest is 52 metres above the river, not 48 metres as the plans said."),
            vec!["52 metres"]
        );
        // "not more than" is a bound, not a denial.
        assert_eq!(
            read("The dam is not more than 48 metres tall."),
            vec!["not more than 48 metres"]
        );
    }

    #[test]
    fn a_figure_after_the_verb_of_another_event_counts_that_event() {
        // "died" as the corpus's vocabulary widens it: the model's
        // neighbours "killed" (0.71) and "deaths" (0.60).
        let q = "How many people died in the quake?";
        let mut question = question::analyze(q);
        let k = question
            .concepts
            .iter()
            .position(|c| c.word == "died")
            .unwrap();
        question.concepts[k]
            .related
            .extend([("kill".to_string(), 0.71), ("death".to_string(), 0.6)]);
        let texts = |p: &[&str]| -> Vec<String> {
            with_question(q, &question, p, |asked, concepts, passages| {
                select(asked, concepts, passages, Default::default())
            })
            .into_iter()
            .map(|s| s.mention.text)
            .collect()
        };
        assert_eq!(
            texts(&[
                "The quake struck on Saturday, killing at least 86 people and injuring more than 1,200."
            ]),
            vec!["at least 86 people"]
        );
        // A count of what the question's verb names counts whom it
        // happened to.
        assert_eq!(
            texts(&[
                "As of Friday, 97 deaths and 1,480 injuries have been confirmed after the quake."
            ]),
            vec!["97 deaths"]
        );
        // A verb of state or relation says what a figure is part of.
        let before = |text: &str| {
            let m = crate::figures::mentions(text, Some(crate::figures::Lang::En)).remove(0);
            crate::figures::event_before(text, &m).map(str::to_string)
        };
        assert_eq!(
            before("killing at least 86 people").as_deref(),
            Some("killing")
        );
        assert_eq!(before("the system, comprising 79 libraries"), None);
        assert_eq!(before("and totalling 79 libraries"), None);
        // The verb before is another event's, but the question's own
        // follows the figure: it counts what the question asks.
        assert_eq!(
            answers(
                "How many people were transferred to the prison?",
                &["NGOs tracked roughly 250 people transferred to the prison from U.S. custody."]
            ),
            vec!["roughly 250 people"]
        );
        assert_eq!(
            answers(
                "How many individual libraries make up the Harvard Library?",
                &["It runs the Harvard Library, comprising 79 individual libraries."]
            ),
            vec!["79 individual libraries"]
        );
    }

    #[test]
    fn a_number_a_noun_labels_takes_no_unit_from_the_figure_before_it() {
        assert_eq!(
            answers(
                "How many aftershocks followed the quake?",
                &["The quake was followed by 212 aftershocks of magnitude 3 or greater."]
            ),
            vec!["212 aftershocks"]
        );
    }

    #[test]
    fn parts_of_a_larger_figure_are_marked() {
        let p = [
            "The administration deported 261 people to the prison, including 238 men from Venezuela.",
        ];
        let s = stated("How many people were deported to the prison?", &p);
        let parts: Vec<(String, Option<String>)> =
            s.into_iter().map(|s| (s.mention.text, s.part_of)).collect();
        assert_eq!(
            parts,
            vec![
                ("261 people".to_string(), None),
                ("238 men".to_string(), Some("261 people".to_string())),
            ]
        );
    }

    fn grouped(q: &str, passages: &[&str]) -> Vec<(f64, f64, Vec<String>)> {
        let s = stated(q, passages);
        group(s, None, |p| format!("doc{p}"))
            .into_iter()
            .map(|g| (g.value.low, g.value.high, g.value.docs))
            .collect()
    }

    #[test]
    fn equal_amounts_written_differently_are_one_figure() {
        let g = grouped(
            "How many hours a day are prisoners locked up?",
            &[
                "Prisoners are locked up 23.5 hours a day.",
                "Prisoners are locked up for 23 and a half hours a day.",
            ],
        );
        assert_eq!(g, vec![(23.5, 23.5, vec!["doc0".into(), "doc1".into()])]);

        let g = grouped(
            "How hot does it get in the cells?",
            &[
                "The cells reach 35°C in the day.",
                "The cells reach 95°F in the day.",
            ],
        );
        assert_eq!(g.len(), 1, "{g:?}");
        assert_eq!(g[0].2.len(), 2);

        let g = grouped(
            "How far is the prison from the capital?",
            &[
                "The prison is 40 miles from the capital.",
                "The prison is 64 km from the capital.",
            ],
        );
        assert_eq!(g.len(), 1, "{g:?}");
    }

    #[test]
    fn different_figures_are_separate_and_ordered_by_value() {
        let g = grouped(
            "How many people were deported?",
            &[
                "The government deported 261 people.",
                "Officials deported 250 individuals.",
                "NGOs say roughly 250–288 people were deported.",
                "Another report says 261 people were deported.",
            ],
        );
        let values: Vec<(f64, f64, usize)> = g.iter().map(|(l, h, d)| (*l, *h, d.len())).collect();
        assert_eq!(
            values,
            vec![(250.0, 250.0, 1), (250.0, 288.0, 1), (261.0, 261.0, 2)]
        );
    }

    #[test]
    fn close_counts_in_one_unit_are_different_figures() {
        // 1.5 % apart is a conversion's rounding across units, a
        // disagreement in one unit.
        let g = grouped(
            "How many people died?",
            &["In all, 1,503 people died.", "Then 1,517 people died."],
        );
        assert_eq!(g.len(), 2, "{g:?}");
        let g = grouped(
            "How deep is the lake?",
            &["The lake is 148 feet deep.", "The lake is 45 m deep."],
        );
        assert_eq!(g.len(), 1, "{g:?}");
        // Masses compare in kilograms, whichever unit a source states.
        let g = grouped(
            "How much steam does it use?",
            &["It uses 4 kg of steam.", "It uses 8.8 lb of steam."],
        );
        assert_eq!(g.len(), 1, "{g:?}");
        // A currency name several countries use is the same money as a code
        // of its family.
        let q = "How much did it cost?";
        let a = stated(q, &["It cost 40 million pesos."]);
        let b = stated(q, &["It cost 40 million Mexican pesos."]);
        assert!(crate::figures::same_figure(&a[0].mention, &b[0].mention));
    }

    #[test]
    fn a_part_that_did_something_else_is_not_the_answer() {
        let p = ["About 1,200 workers built the bridge, and 11 of them died during construction."];
        assert_eq!(
            answers("How many workers built the bridge?", &p),
            vec!["About 1,200 workers"]
        );
    }

    #[test]
    fn a_bound_agrees_with_the_figures_it_holds() {
        let q = "How many people died?";
        let verdict = |p: &[&str]| {
            crate::figures::disagree(&group(stated(q, p), None, |p| format!("doc{p}")))
        };
        assert!(!verdict(&[
            "More than 1,500 people died.",
            "In all, 1,503 people died."
        ]));
        assert!(verdict(&[
            "In all, 1,503 people died.",
            "Then 1,517 people died."
        ]));
        assert!(verdict(&[
            "More than 1,500 people died.",
            "Some 1,200 people died."
        ]));
        // A range is an amount of its own, not a bound.
        assert!(verdict(&[
            "Between 250 and 288 people died.",
            "Then 261 people died."
        ]));
        assert!(!verdict(&[
            "More than 200 people died.",
            "Between 250 and 288 people died."
        ]));
    }

    #[test]
    fn a_figure_the_question_gives_is_not_its_answer() {
        let p = ["This means around 74 per cent, or 260 of the 352 votes."];
        assert_eq!(
            answers("How many votes out of the 352 votes are needed?", &p),
            vec!["260"]
        );
    }

    #[test]
    fn a_figure_restated_in_the_asked_unit_is_given_in_it() {
        let p = ["The engine consumes approx. 4 kg (8.8 lb) of steam per kWh."];
        let s = stated("How many pounds of steam does the engine consume?", &p);
        let got: Vec<(f64, String)> = s
            .iter()
            .map(|s| (s.mention.low, s.mention.unit.label()))
            .collect();
        assert_eq!(got, vec![(8.8, "lb".to_string())]);
        let s = stated("How many kilograms of steam does the engine consume?", &p);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].mention.low, 4.0);
    }

    #[test]
    fn a_group_shows_the_figure_in_the_asked_unit() {
        let q = "How many paid holiday days do workers get?";
        let p = [
            "Every worker gets at least 4 weeks paid holidays.",
            "Workers get more than 28 days paid holidays.",
        ];
        let g = group(stated(q, &p), asked(q).unwrap().unit.as_deref(), |p| {
            format!("doc{p}")
        });
        assert_eq!(g.len(), 1, "{g:?}");
        assert_eq!((g[0].value.low, g[0].value.unit.as_str()), (28.0, "days"));
    }
}

#[test]
fn a_sentence_is_marked_with_the_measures_its_figures_are_in() {
    use super::PEOPLE;
    use super::words::Dimension;
    let kinds = |t: &str| super::measure_kinds(t, Some(Lang::En));
    let length = Dimension::Length.kind();
    assert_eq!(kinds("The lake lies 12 km north of Ostrava."), length);
    assert_eq!(
        kinds("It paid $6 million and 4,000 euros."),
        Dimension::Money.kind()
    );
    assert_eq!(
        kinds("The surface reaches up to 24°C (75°F) in August."),
        Dimension::Temperature.kind()
    );
    assert_eq!(
        kinds("Each cell gives 0.6 sq m per prisoner."),
        Dimension::Area.kind()
    );
    assert_eq!(
        kinds("About 3,000 local residents and 6 million people left."),
        PEOPLE
    );
    assert_eq!(
        kinds("Prisoners spend 23.5 hours a day inside."),
        Dimension::Duration.kind()
    );
    // A year, a bare count, a count of things: no measure.
    assert_eq!(kinds("It opened in 1986 with 256 cells."), 0);
    // A unit that is also a word counts only where the full reader takes it.
    assert_eq!(kinds("Gunmen killed 30 in the attack on the town."), 0);
    // In a Spanish document, Spanish units.
    assert_eq!(
        super::measure_kinds("El lago está a 12 kilómetros de Ostrava.", Some(Lang::Es)),
        length
    );
    assert_eq!(kinds("No digits here, twelve kilometres away."), 0);
}

#[test]
fn a_measure_question_names_the_word_a_figure_answers() {
    use super::PEOPLE;
    use super::asked::asked;
    use super::words::Dimension;
    let read = |q: &str| {
        let a = asked(q).expect("a quantity question");
        (a.measure.clone(), a.kinds())
    };
    let term = |w: &str| Some(crate::index::analyze(w)[0].clone());
    assert_eq!(
        read("How far is CECOT from San Salvador?"),
        (term("far"), Dimension::Length.kind())
    );
    assert_eq!(
        read("How warm does the water get?"),
        (term("warm"), Dimension::Temperature.kind())
    );
    assert_eq!(
        read("How much space does each prisoner have?"),
        (term("space"), Dimension::Area.kind())
    );
    assert_eq!(
        read("How much did the dam cost?"),
        (term("cost"), Dimension::Money.kind())
    );
    assert_eq!(
        read("How many people were relocated?"),
        (term("people"), PEOPLE)
    );
    // The word that asked, wherever "how" first stands.
    assert_eq!(
        read("How often, and how far, do the ferries sail?").0,
        term("far")
    );
    // A count of a thing names no measure: the thing itself must be there.
    assert_eq!(read("How many cells does CECOT have?").1, 0);
}

#[test]
fn spanish_dates_and_prepositions_are_no_figures() {
    let es = |text: &str| super::mentions(text, Some(Lang::Es));
    // "3 de octubre" is a day, as "3 October" is.
    let m = es("el monte entró en erupción el lunes 3 de octubre");
    assert_eq!(m.len(), 1, "{m:?}");
    assert_eq!(m[0].unit, Unit::DayOfMonth);
    // "a pie" is "on foot": in Spanish "a" is no article counting one.
    assert!(es("crucé a pie el puente").is_empty());
    let m = es("recorrí un kilómetro a pie");
    assert_eq!(m.len(), 1, "{m:?}");
    assert_eq!((m[0].low, m[0].unit.label()), (1.0, "km".to_string()));
    // In English "a foot" still counts one.
    assert_eq!(mentions("a foot of snow")[0].low, 1.0);
    // "un", "una" alone are articles, as "a" is: "una multa" is a fine, not
    // one; before a multiplier or a unit they count, and "uno" does.
    assert!(es("deberá pagar una multa por un accidente").is_empty());
    let m = es("costó un millón y murieron treinta y un mineros; uno sobrevivió");
    let values: Vec<f64> = m.iter().map(|m| m.low).collect();
    assert_eq!(values, [1_000_000.0, 31.0, 1.0], "{m:?}");
}

#[test]
fn a_name_between_commas_does_not_end_the_clause() {
    let text =
        "The office fined the main contractor, Ardent Tunnelling, €3 million for the delays.";
    let pairs = super::name_appositives(text);
    assert_eq!(pairs.len(), 1);
    assert_eq!(&text[pairs[0].0 + 1..pairs[0].1], " Ardent Tunnelling");
    // So do a relative clause and a participle's phrase.
    let text = "The final burned area, mapped from satellite images, is 14,860 hectares.";
    assert_eq!(super::name_appositives(text).len(), 1);
    let text = "The bridge, which opened in 1937, cost $35 million.";
    assert_eq!(super::name_appositives(text).len(), 1);
    // Clauses between commas that are not names still end there.
    assert!(
        super::name_appositives("In 2019, prices rose, and wages fell, Smith said.").is_empty()
    );
}

#[test]
fn small_counts_have_their_words_in_both_languages() {
    let twelve: Vec<&str> = super::words::lexicon().cardinal_words(12.0).collect();
    assert!(
        twelve.contains(&"twelve") && twelve.contains(&"doce"),
        "{twelve:?}"
    );
    assert_eq!(super::words::lexicon().cardinal_words(12.5).count(), 0);
}

#[test]
fn a_count_of_the_same_thing_in_the_other_language_is_the_same_figure() {
    let en = super::mentions("The ship carried only 16 lifeboats.", None);
    let es = super::mentions("El barco solo llevaba 16 botes salvavidas.", Some(Lang::Es));
    let other = super::mentions("The port had 16 cranes.", None);
    assert!(super::same_figure(&en[0], &es[0]), "{en:?} {es:?}");
    assert!(super::same_figure(&es[0], &en[0]));
    assert!(!super::same_figure(&en[0], &other[0]), "{other:?}");
}
