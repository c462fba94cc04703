//! How an answer is composed around its figures: once a figure is found,
//! the other sentences of the corpus that state it are looked for so that a
//! count of sources is complete — also in a document that names only part
//! of what the question names — but a sentence that states the same value
//! about something else is not one of them. Through the engine, on corpora
//! written here.

mod common;

#[test]
fn the_same_value_about_something_else_is_not_a_source() {
    let (_c, _i, mut engine) = common::engine_over(&[
        (
            "college.md",
            "# The college\n\nThe college was formed in 1636 by a vote of the colony's court. Its first printing press arrived two years later.\n",
        ),
        (
            "history.md",
            "# A short history\n\nA vote of the colony's court formed the college in 1636. Its library grew from one gift of books.\n",
        ),
        (
            "plague.md",
            "# Plague in the port\n\nPlague epidemics ravaged the port in 1625 and in 1636. The epidemic of 1665 killed a fifth of its people.\n",
        ),
    ]);
    let question = "In what year was the college formed?";
    let docs = |answer: &verbatim::answer::Answer| {
        let mut docs: Vec<String> = answer.extracts.iter().map(|e| e.doc.clone()).collect();
        docs.sort();
        docs.dedup();
        docs
    };
    let answer = engine.answer(question);
    assert_eq!(common::figures(&answer), ["1636"], "{answer:?}");
    assert_eq!(docs(&answer), ["college.md", "history.md"], "{answer:?}");
    // Without the coverage it asks of them, the search for the same value
    // quotes the plague too: the test can fail.
    engine.set_composition(
        verbatim::answer::fitted::SAME_DOC_DISCOUNT,
        verbatim::answer::fitted::RELATIVE_SHARE,
        0.0,
        verbatim::answer::fitted::ELSEWHERE_LIKENESS,
    );
    let unguarded = engine.answer(question);
    assert!(
        docs(&unguarded).contains(&"plague.md".to_string()),
        "{unguarded:?}"
    );
}

#[test]
fn a_source_that_names_part_of_the_subject_is_counted() {
    let (_c, _i, engine) = common::engine_over(&[
        (
            "news.md",
            "# Eruption on Velmora\n\nAbout 22,000 people were evacuated from Velmora after Mount Tarsel erupted. Ferries ran day and night.\n",
        ),
        (
            "report.md",
            "---\ntitle: \"After-action report: the Mount Tarsel eruption\"\n---\n\nThe eruption of Mount Tarsel began on 3 October. Over four days, about 22,000 residents were moved out of the south of the island. Schools stayed shut for a month.\n",
        ),
        (
            "harbour.md",
            "# The harbour\n\nThe harbour handled 22,000 containers last year. Velmora ships fish to the mainland.\n",
        ),
    ]);
    let answer =
        engine.answer("How many people were evacuated from Velmora when Mount Tarsel erupted?");
    let values = &answer.figures.as_ref().expect("figures").values;
    assert_eq!(values.len(), 1, "{answer:?}");
    // The report calls Velmora "the island"; the harbour's 22,000 counts
    // containers.
    assert_eq!(values[0].docs, ["news.md", "report.md"], "{answer:?}");
}
