//! A word the corpus writes as a name (with a capital inside its sentences,
//! and no common English word) is a name in a question however the question
//! writes it: in lower case, or shouted. Through the engine, on a corpus
//! written here.

mod common;

#[test]
fn a_name_typed_in_lower_case_still_names_the_subject() {
    let (_c, _i, engine) = common::engine_over(&[
        (
            "velmora.md",
            "# The eruption on Velmora\n\nThe volcano on Velmora erupted in October. About 22,000 people were evacuated from the island in four days. Velmora's ferries ran day and night.\n",
        ),
        (
            "orsa.md",
            "# Floods in the valley\n\nThe river burst its banks in spring. About 5,000 people were evacuated from the valley towns. The water fell after a week.\n",
        ),
    ]);
    let named = engine.answer("How many people were evacuated from Velmora?");
    assert_eq!(
        common::figures(&named),
        ["About 22,000 people"],
        "{named:?}"
    );
    for typed in [
        "how many people were evacuated from velmora",
        "HOW MANY PEOPLE WERE EVACUATED FROM VELMORA?",
    ] {
        let answer = engine.answer(typed);
        assert_eq!(
            common::figures(&answer),
            common::figures(&named),
            "{typed}: {answer:?}"
        );
    }
}

#[test]
fn a_name_is_named_by_its_own_word_not_by_its_english_ones() {
    let (_c, _i, engine) = common::engine_over(&[
        (
            "bridge.md",
            "# The Orrin Strait Bridge\n\nThe Orrin Strait Bridge opened in 1937. The project cost $35 million, paid for by tolls.\n",
        ),
        (
            "puente.md",
            "---\nlang: es\ntitle: \"Cruzando el puente del estrecho de Orrin\"\n---\n\nEl verano pasado crucé a pie el puente. Se construyó entre 1932 y 1937 y costó 35 millones de dólares, una fortuna para la época.\n",
        ),
        (
            "kelm.md",
            "# Strait ferries\n\nThe Strait Bridge of Kelm cost $35 million too.\n",
        ),
    ]);
    let answer = engine.answer("What did the Orrin Strait Bridge cost to build?");
    let values = &answer.figures.as_ref().expect("figures").values;
    assert_eq!(values.len(), 1, "{answer:?}");
    // The Spanish source translates "Strait Bridge" and keeps "Orrin"; the
    // Kelm bridge shares only the English words.
    assert_eq!(values[0].docs, ["bridge.md", "puente.md"], "{answer:?}");
}

#[test]
fn a_word_only_a_title_uses_is_still_a_word_of_the_corpus() {
    let (_c, _i, engine) = common::engine_over(&[
        (
            "news.md",
            "---\ntitle: \"Hundreds feared dead as Karvo Dam collapses\"\n---\nThe Karvo Dam on the Selle River gave way early on 14 March 2024, sending a wall of water through three villages downstream. The 48-metre-high earthen dam was completed in 1971.\n",
        ),
        (
            "report.md",
            "# Report on the Selle valley\n\nThe Selle valley has three villages and a dam. Farming is the main work in the valley.\n",
        ),
    ]);
    // "collapse" is in no sentence, only in a title: the question is about
    // something the corpus knows, and that document's sentence answers it.
    let answer = engine.answer("When did the Karvo Dam collapse?");
    assert!(answer.answered, "{answer:?}");
    assert_eq!(answer.extracts[0].doc, "news.md", "{answer:?}");
    assert!(answer.extracts[0].quote.contains("gave way"), "{answer:?}");
}

#[test]
fn a_sentence_that_carries_on_the_one_before_names_what_its_document_names() {
    // "It was financed…" does not repeat "Line 4", which the title gives:
    // the name, and the number in it, are not missing from it.
    let (_c, _i, engine) = common::engine_over(&[
        (
            "line4.md",
            "# Porvena Metro Line 4\n\n## Cost and financing\n\nThe line cost €1.2 billion. It was financed by the regional government (60%) and by a loan from the Northern Bank (40%).\n",
        ),
        (
            "line2.md",
            "# Porvena Metro Line 2\n\nLine 2 opened in 1998 with 14 stations. Its trains run every four minutes.\n",
        ),
    ]);
    let (_, _, retrieval) =
        engine.retrieve("What share of Line 4 was financed by the Northern Bank?");
    let best = &retrieval.candidates[0];
    assert!(best.hit.prev_start.is_some(), "{best:?}");
    let answer = engine.answer("What share of Line 4 was financed by the Northern Bank?");
    assert!(answer.answered, "{answer:?}");
    assert!(
        answer.extracts[0].quote.contains("(40%)"),
        "{:?}",
        answer.extracts
    );
}
