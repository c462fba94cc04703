//! A quantity question's word for what it measures ("how far", "how deep")
//! is found through the figures of that measure (`figures::measure_kinds`,
//! the index's `measure` field), and only where the corpus states such
//! figures: through the engine, on corpora written here.

mod common;

#[test]
fn a_distance_answers_how_far_without_the_word() {
    let (_c, _i, engine) = common::engine_over(&[
        (
            "lake.md",
            "# Varna Lake\n\nThe lake lies 12 km north of Ostrava. Anglers come from Ostrava every weekend.\n",
        ),
        (
            "town.md",
            "# Ostrava\n\nOstrava is a city with a long mining history. Its old town hall stands on the main square.\n",
        ),
    ]);
    let answer = engine.answer("How far is Varna Lake from Ostrava?");
    assert!(answer.answered, "{answer:?}");
    assert!(
        answer.extracts[0].quote.contains("12 km"),
        "{:?}",
        answer.extracts
    );
}

#[test]
fn a_measure_the_corpus_never_states_stands_in_for_nothing() {
    let docs = [(
        "cats.md",
        "# Cats\n\nThe cat sat on the mat near the door. The cat had 3 kittens in spring.\n",
    )];
    let (_c, _i, engine) = common::engine_over(&docs);
    // "deep" is not in the corpus and no sentence states a length.
    let (_, _, retrieval) = engine.retrieve("How deep is the mat?");
    assert!(retrieval.decline.foreign > 0.0, "{:?}", retrieval.decline);
    // With a length stated, the measure stands in for the word.
    let (_c, _i, engine) = common::engine_over(&[(
        "cats.md",
        "# Cats\n\nThe cat sat on the mat, which is 2 cm thick. The cat had 3 kittens in spring.\n",
    )]);
    let (_, _, retrieval) = engine.retrieve("How deep is the mat?");
    assert_eq!(retrieval.decline.foreign, 0.0, "{:?}", retrieval.decline);
}

#[test]
fn the_attribute_a_measure_word_values_stands_for_it() {
    // "long" is in neither document, nor a word the model puts near it;
    // "length" (WordNet's attribute of "long") is in one. The height of the
    // portal is another quantity.
    let (_c, _i, engine) = common::engine_over(&[
        (
            "tunnel.md",
            "# Verrin Tunnel\n\nThe Verrin Tunnel has a total length of 1,520 metres. It was finished in 1931 after four years of work.\n",
        ),
        (
            "guide.md",
            "# Visiting the Verrin Tunnel\n\nThe portal of the Verrin Tunnel has a height of 12 metres. Visitors buy tickets at the gate.\n",
        ),
    ]);
    let answer = engine.answer("How long is the Verrin Tunnel?");
    assert!(answer.answered, "{answer:?}");
    assert_eq!(common::figures(&answer), ["1,520 metres"], "{answer:?}");
}

#[test]
fn a_question_about_a_measure_lists_its_figures_in_whatever_unit() {
    // "speed" is a measure (WordNet): the question asks for a figure, which
    // one source gives in knots and the other in km/h; the passengers, cars
    // and crew are counts of something else.
    let (_c, _i, engine) = common::engine_over(&[
        (
            "ferry.md",
            "# The Marisol ferry\n\nThe Marisol's top speed was 22 knots on a calm sea. She carried 400 passengers and 60 cars.\n",
        ),
        (
            "log.md",
            "# Ferry log\n\nOn her trials the Marisol reached a top speed of 41 km/h across the bay. The crew numbered 31.\n",
        ),
    ]);
    let answer = engine.answer("What was the top speed of the Marisol?");
    let figures = answer.figures.as_ref().expect("figures");
    // 22 knots is 40.7 km/h: one figure, stated by both sources.
    assert_eq!(figures.values.len(), 1, "{figures:?}");
    assert_eq!(
        figures.values[0].docs,
        ["ferry.md", "log.md"],
        "{figures:?}"
    );
    assert!(!figures.conflict);
}

#[test]
fn a_name_that_ends_in_a_measure_asks_for_no_figure() {
    // "deadline" is a measure (a time limit); SCHED_DEADLINE is a name.
    let (_c, _i, engine) = common::engine_over(&[(
        "sched.md",
        "# Scheduling policies\n\nSCHED_DEADLINE is a scheduling policy that takes 3 parameters. It was merged in 2014.\n",
    )]);
    let answer = engine.answer("what is SCHED_DEADLINE");
    assert!(answer.answered, "{answer:?}");
    assert!(answer.figures.is_none(), "{:?}", answer.figures);
}

#[test]
fn a_measure_of_people_is_not_a_count_of_things() {
    // "toll" is a measure: the figures of the death toll count people; the
    // villages the water went through are another count.
    let (_c, _i, engine) = common::engine_over(&[
        (
            "news.md",
            "# Brenn Dam fails\n\nIn the Brenn Dam disaster a wall of water went through three villages. At least 212 people were killed.\n",
        ),
        (
            "inquiry.md",
            "# Inquiry into the Brenn Dam failure\n\nThe inquiry found that 241 people died in the Brenn Dam disaster.\n",
        ),
    ]);
    let answer = engine.answer("What was the death toll of the Brenn Dam disaster?");
    let figures = answer.figures.as_ref().expect("figures");
    let values: Vec<&str> = figures.values.iter().map(|v| v.text.as_str()).collect();
    assert!(values.iter().any(|v| v.contains("241")), "{values:?}");
    assert!(!values.iter().any(|v| v.contains("three")), "{values:?}");
}
