//! A question in one language finds documents written in the other
//! (`translate`, `question::widen`): through the engine, on a corpus written
//! here, where each fact is stated in one language only.

mod common;

const DOCS: &[(&str, &str)] = &[
    (
        "presa.md",
        "---\ntitle: La presa de Kolvar\nlang: es\n---\nLa presa de Kolvar costó 80 millones de euros. Las obras duraron seis años y el embalse se llenó en 1962.\n",
    ),
    (
        "dam.md",
        "# Kolvar Dam\n\nFourteen workers died while the Kolvar Dam was being built. The reservoir behind it supplies the town of Brena with water.\n",
    ),
];

#[test]
fn an_english_question_finds_a_spanish_document() {
    let (_c, _i, engine) = common::engine_over(DOCS);
    let answer = engine.answer("How much did the Kolvar Dam cost?");
    assert!(answer.answered, "{answer:?}");
    assert!(
        answer
            .extracts
            .iter()
            .any(|e| e.quote.contains("80 millones")),
        "{:?}",
        answer.extracts
    );
    let figures = common::figures(&answer);
    assert!(
        figures.iter().any(|f| f.contains("80 millones")),
        "{figures:?}"
    );
}

#[test]
fn a_spanish_question_finds_an_english_document() {
    let (_c, _i, engine) = common::engine_over(DOCS);
    let answer = engine.answer("¿Cuántos trabajadores murieron en la presa de Kolvar?");
    assert!(answer.answered, "{answer:?}");
    assert!(
        answer.extracts[0].quote.contains("Fourteen workers died"),
        "{:?}",
        answer.extracts
    );
    let figures = common::figures(&answer);
    assert_eq!(figures, ["Fourteen workers"]);
}
