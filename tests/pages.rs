//! The pages of an answer (the Discord "More" button): each page starts
//! where the one before stopped in the ranking, so no sentence is quoted on
//! two pages, also when a quote took in a neighbouring sentence that was
//! ranked on its own. Through the engine, on a corpus written here.

mod common;

#[test]
fn no_sentence_is_quoted_on_two_pages() {
    let (_c, _i, engine) = common::engine_over(&[
        (
            "plant.md",
            "# Kelvin Bay power station\n\nThe Kelvin Bay power station produced power from coal for the region. It produced 600 megawatts at its peak. Its two chimneys were 200 metres tall.\n\nThe power station was pulled down in 2019.\n",
        ),
        (
            "grid.md",
            "# The regional grid\n\nThe Kelvin Bay power station produced 640 megawatts in its first year. This was a fifth of the region's power.\n",
        ),
        (
            "town.md",
            "# Kelvin Bay\n\nThe town of Kelvin Bay grew around its power station. The station's workers built the harbour school.\n",
        ),
    ]);
    let question = "How many megawatts did the Kelvin Bay power station produce?";
    let mut seen: Vec<(String, usize, usize)> = Vec::new();
    let mut skip = 0;
    for _ in 0..4 {
        let page = engine.answer_page(question, skip, 1);
        if page.extracts.is_empty() {
            break;
        }
        assert!(page.consumed >= page.extracts.len(), "{page:?}");
        for e in &page.extracts {
            assert!(
                !seen
                    .iter()
                    .any(|(d, s, end)| *d == e.doc && *s < e.end && e.start < *end),
                "quoted twice: {e:?} after {seen:?}"
            );
            seen.push((e.doc.clone(), e.start, e.end));
        }
        skip += page.consumed;
    }
    assert!(seen.len() >= 2, "{seen:?}");
}
