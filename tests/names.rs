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
