//! `verbatim figures` and the language of documents, through the real binary:
//! digits read by each language's convention, nothing read where the
//! convention is unknown and the form ambiguous, and the language taken from
//! front matter or detected per document.

mod common;

use serde_json::Value;

fn figures(args: &[&str]) -> Vec<Value> {
    let out = common::bare()
        .arg("figures")
        .arg("--json")
        .args(args)
        .output()
        .expect("run figures");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("one JSON array");
    v.as_array().expect("array").clone()
}

fn values(found: &[Value]) -> Vec<(f64, f64)> {
    found
        .iter()
        .map(|m| (m["low"].as_f64().unwrap(), m["high"].as_f64().unwrap()))
        .collect()
}

#[test]
fn digits_follow_the_language_given() {
    let es = figures(&[
        "--lang",
        "es",
        "Costó C$ 16,4 millones y llegaron 40.000 personas",
    ]);
    assert_eq!(
        values(&es),
        vec![(16.4e6, 16.4e6), (40_000.0, 40_000.0)],
        "{es:?}"
    );
    assert_eq!(es[0]["unit"], "CAD");
    let en = figures(&[
        "--lang",
        "en",
        "It cost $16.4 million and 40,000 people came",
    ]);
    assert_eq!(
        values(&en),
        vec![(16.4e6, 16.4e6), (40_000.0, 40_000.0)],
        "{en:?}"
    );
    // The same form means 1.234 in English and 1234 in Spanish.
    assert_eq!(
        values(&figures(&["--lang", "en", "1.234 kg"])),
        vec![(1.234, 1.234)]
    );
    assert_eq!(
        values(&figures(&["--lang", "es", "1.234 kg"])),
        vec![(1234.0, 1234.0)]
    );
}

#[test]
fn an_ambiguous_form_in_an_unknown_language_is_not_read() {
    // Too short to tell the language: "1.234" could be either, so no figure;
    // "1.234.567" and "16,4" can only be read one way.
    let found = figures(&["1.234 x 1.234.567 y 16,4"]);
    assert_eq!(
        values(&found),
        vec![(1_234_567.0, 1_234_567.0), (16.4, 16.4)],
        "{found:?}"
    );
}

#[test]
fn each_line_of_stdin_gets_its_array_with_byte_spans() {
    let mut cmd = common::bare();
    cmd.args(["figures", "--json", "--lang", "en", "-"]);
    let input =
        "temperatures ranged from -18 °C to -34 °C\nnothing here\nabout ½ of 250–288 people\n";
    let out = common::run_with_stdin(cmd, input);
    assert!(out.status.success());
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    for (line, text) in lines.iter().zip(input.lines()) {
        for m in line.as_array().unwrap() {
            let (s, e) = (
                m["start"].as_u64().unwrap() as usize,
                m["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(Some(m["text"].as_str().unwrap()), text.get(s..e));
        }
    }
    assert_eq!(values(lines[0].as_array().unwrap()), vec![(-34.0, -18.0)]);
    assert_eq!(lines[0][0]["unit"], "°C");
    assert!(lines[1].as_array().unwrap().is_empty());
    assert_eq!(
        values(lines[2].as_array().unwrap()),
        vec![(0.5, 0.5), (250.0, 288.0)]
    );
}

#[test]
fn an_unknown_language_code_is_a_clear_error() {
    let out = common::bare()
        .args(["figures", "--lang", "xx", "10"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown language") && !err.contains("panicked"),
        "{err}"
    );
}

#[test]
fn documents_carry_their_language() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::write(
        corpus.join("declared.md"),
        "---\ntitle: Informe\nlang: es\n---\nEl centro tiene capacidad para 40.000 presos.\n",
    )
    .unwrap();
    std::fs::write(
        corpus.join("detected.md"),
        "# Crónica\n\nSegún el gobierno, el centro penitenciario tiene capacidad para cuarenta mil \
         presos y costó unos 250.000 dólares al mes en mantenimiento, según informaron las \
         autoridades durante la visita de los periodistas extranjeros a la prisión.\n",
    )
    .unwrap();
    std::fs::write(
        corpus.join("english.md"),
        "# Report\n\nThe government says the prison can hold 40,000 inmates and that its upkeep \
         costs about 250,000 dollars a month, officials told the foreign journalists who visited.\n",
    )
    .unwrap();
    let out = common::verbatim(&corpus, &dir.path().join("index"))
        .args(["sources", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let lang = |doc: &str| {
        v["documents"]
            .as_array()
            .expect("sources --json lists documents")
            .iter()
            .find(|d| d["doc"] == doc)
            .map(|d| d["lang"].clone())
            .unwrap_or_else(|| panic!("{doc} in {v}"))
    };
    assert_eq!(lang("declared.md"), "es");
    assert_eq!(lang("detected.md"), "es");
    assert_eq!(lang("english.md"), "en");
}
