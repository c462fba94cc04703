//! The command line: parses arguments, layers flags over the settings, and
//! runs one subcommand.
//!
//! Boundary: input and output only. Every question, however odd, gets an
//! answer and exit code 0; errors are for a broken set-up (no corpus,
//! unreadable config, unwritable index) and come back to `main` as one line.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::answer::Engine;
use crate::config::Settings;
use crate::render;

#[derive(Debug, Parser)]
#[command(
    name = "verbatim",
    version,
    about = "Answers questions over a folder of documents with quoted, cited extracts only."
)]
pub struct Cli {
    /// Folder of .md/.txt documents [config: corpus.path, default corpus/]
    #[arg(long, global = true, value_name = "DIR")]
    pub corpus: Option<PathBuf>,
    /// Index folder [config: index.path, default data/index]
    #[arg(long, global = true, value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// Settings file, instead of the optional config/local.toml
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Answer a question; `-` reads one question per line from stdin
    Ask {
        /// One JSON object per answer (JSON Lines with `-`)
        #[arg(long)]
        json: bool,
        /// How many extracts to show at most [config: answer.extracts]
        #[arg(long, value_name = "N")]
        extracts: Option<usize>,
        /// The question (several words are joined), or `-` for stdin
        #[arg(required = true, value_name = "QUESTION")]
        question: Vec<String>,
        /// Figure selection: least relevance, share of the best, penalty, most
        /// missing share (for fitting)
        #[arg(
            long,
            hide = true,
            value_name = "MIN,SHARE,PENALTY,MISSING[,MEASURE]",
            value_delimiter = ','
        )]
        figure_selection: Option<Vec<f32>>,
        /// What a word of the other language is worth for a question's word
        /// (for fitting)
        #[arg(long, hide = true, value_name = "CREDIT")]
        translation_credit: Option<f32>,
        /// How many of a Spanish word's English words are its translations
        /// (for fitting)
        #[arg(long, hide = true, value_name = "N")]
        translation_rank: Option<usize>,
        /// Same-document discount and relative coverage share of further
        /// extracts, and the share of the question or likeness to a stating
        /// sentence a figure's other sources need (for fitting)
        #[arg(
            long,
            hide = true,
            value_name = "DISCOUNT,SHARE,ELSEWHERE,LIKENESS",
            value_delimiter = ','
        )]
        composition: Option<Vec<f32>>,
    },
    /// Build (or rebuild) the index, with progress
    Index {
        /// Rebuild even when the corpus did not change
        #[arg(long)]
        force: bool,
    },
    /// List the corpus documents and any skipped files
    Sources {
        /// One JSON object: `documents` and `skipped` (each with its reason)
        #[arg(long)]
        json: bool,
    },
    /// Run the Discord bot (token from DISCORD_TOKEN or VERBATIM__DISCORD__TOKEN)
    Serve,
    /// List the pinned answers (from the bot's state database)
    Pins {
        /// One JSON array of pin records
        #[arg(long)]
        json: bool,
    },
    /// Exit 0 when the index opens and the running bot reported a live gateway connection
    Healthcheck,
    /// Measure index build time and answer latency on a question file
    Bench(crate::bench::BenchArgs),
    /// Print the figures read in a text, to see why a figure was or was not read
    Figures {
        /// One JSON array of figures (per input line with `-`)
        #[arg(long)]
        json: bool,
        /// The text's language (en, es) [default: detected from the whole text]
        #[arg(long, value_name = "CODE")]
        lang: Option<String>,
        /// The text (several words are joined), or `-` for one text per line of stdin
        #[arg(required = true, value_name = "TEXT")]
        text: Vec<String>,
    },
    /// For fitting (tools/fit/fit.py): per question on stdin, one JSON line
    /// with the ranker's and the decline model's signals
    #[command(hide = true)]
    Signals {
        /// Candidates to list per question
        #[arg(long, default_value_t = 40)]
        candidates: usize,
        /// Widen questions with related words at least this similar
        #[arg(long, value_name = "COSINE")]
        neighbour_min: Option<f32>,
        /// Credit of a figure of the asked measure for the measure's word
        #[arg(long, value_name = "CREDIT")]
        measure_credit: Option<f32>,
    },
}

/// Parses the process arguments and runs the command.
pub fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let mut settings = Settings::load(cli.config.as_deref())?;
    if let Some(c) = cli.corpus {
        settings.corpus.path = c;
    }
    if let Some(i) = cli.index {
        settings.index.path = i;
    }
    let progress = std::io::stderr().is_terminal();
    match cli.command {
        Command::Ask {
            json,
            extracts,
            question,
            figure_selection,
            translation_credit,
            translation_rank,
            composition,
        } => {
            if let Some(n) = extracts {
                settings.answer.extracts = n;
                settings.answer.candidates = settings.answer.candidates.max(n);
            }
            settings.validate()?;
            let mut engine = Engine::open(&settings, progress)?;
            if let Some(values) = figure_selection {
                let (min_relevance, relative_relevance, penalty, max_missing, min_measure) =
                    match values[..] {
                        [a, b, c, d] => (a, b, c, d, crate::figures::fitted::MIN_MEASURE),
                        [a, b, c, d, e] => (a, b, c, d, e),
                        _ => anyhow::bail!(
                            "--figure-selection takes 4 or 5 numbers, got {}",
                            values.len()
                        ),
                    };
                engine.set_figure_selection(crate::figures::Selection {
                    min_relevance,
                    relative_relevance,
                    penalty,
                    max_missing,
                    min_measure,
                });
            }
            if let Some(credit) = translation_credit {
                engine.set_translation_credit(credit);
            }
            if let Some(rank) = translation_rank {
                crate::translate::set_max_rank(rank);
            }
            if let Some(values) = composition {
                let [discount, share, elsewhere, likeness] = values[..] else {
                    anyhow::bail!("--composition takes 4 numbers, got {}", values.len());
                };
                engine.set_composition(discount, share, elsewhere, likeness);
            }
            let question = question.join(" ");
            if question == "-" {
                ask_stdin(&engine, json)
            } else {
                write_answer(&engine, &question, json)
            }
        }
        Command::Index { force } => {
            if force {
                crate::index::forget(&settings.index.path);
            }
            let engine = Engine::open(&settings, progress)?;
            let origin = match engine.origin() {
                crate::index::Origin::Reused => "index is up to date".to_string(),
                crate::index::Origin::Built { reason } => format!("index built ({reason})"),
            };
            sayln!(
                "{origin}: {} documents, {} sentences, {} skipped, in {}",
                engine.sources().len(),
                engine.sentence_count(),
                engine.skipped().len(),
                settings.index.path.display()
            )?;
            for s in engine.skipped() {
                sayln!("  {s}")?;
            }
            Ok(())
        }
        Command::Sources { json } => {
            let engine = Engine::open(&settings, progress)?;
            let sources = engine.sources();
            if json {
                let listing = serde_json::json!({
                    "documents": sources,
                    "skipped": engine.skipped(),
                });
                sayln!("{listing}")?;
            } else {
                say!("{}", render::sources(&sources))?;
                for s in engine.skipped() {
                    sayln!("{}", render::printable(&s.to_string()))?;
                }
            }
            Ok(())
        }
        Command::Serve => crate::discord::serve(settings),
        Command::Pins { json } => emit(
            &mut std::io::stdout().lock(),
            &crate::discord::pins::report(&settings, json)?,
        ),
        Command::Healthcheck => {
            let sentences = crate::index::check(&settings.index.path)?;
            let health =
                crate::health::check(&settings.discord.health_file, crate::health::now_secs())
                    .map_err(|e| anyhow::anyhow!(e))?;
            sayln!(
                "healthy: index opens ({sentences} sentences), gateway connected{}",
                health
                    .latency_ms
                    .map(|l| format!(", heartbeat {l} ms"))
                    .unwrap_or_default()
            )?;
            Ok(())
        }
        Command::Bench(args) => crate::bench::run(&settings, &args),
        Command::Figures { json, lang, text } => figures(json, lang.as_deref(), &text),
        Command::Signals {
            candidates,
            neighbour_min,
            measure_credit,
        } => {
            settings.validate()?;
            let mut engine = Engine::open(&settings, progress)?;
            if let Some(m) = neighbour_min {
                engine.set_neighbour_min(m);
            }
            if let Some(c) = measure_credit {
                engine.set_measure_credit(c);
            }
            let mut out = std::io::stdout().lock();
            for line in std::io::stdin().lock().lines() {
                let line = line.context("reading stdin")?;
                emit(
                    &mut out,
                    &format!("{}\n", engine.signals(&line, candidates)),
                )?;
            }
            Ok(())
        }
    }
}

/// `verbatim figures`: the figures in a text, or in each line of stdin (the
/// language, when not given, is detected once over all of it).
fn figures(json: bool, lang: Option<&str>, text: &[String]) -> anyhow::Result<()> {
    use crate::figures::{Lang, mentions};
    let lang = match lang {
        Some(code) => Some(Lang::from_code(code).with_context(|| {
            format!("unknown language {code:?}: figures are read in en (English) or es (Spanish)")
        })?),
        None => None,
    };
    let texts: Vec<String> = if text.len() == 1 && text[0] == "-" {
        let mut all = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin().lock(), &mut all)
            .context("reading stdin")?;
        all.lines().map(str::to_string).collect()
    } else {
        vec![text.join(" ")]
    };
    let lang = lang.or_else(|| Lang::detect(&texts.join("\n")));
    let mut out = std::io::stdout().lock();
    for t in &texts {
        let found = mentions(t, lang);
        let rendered = if json {
            let list: Vec<serde_json::Value> =
                found.iter().map(crate::figures::extract::to_json).collect();
            serde_json::Value::Array(list).to_string() + "\n"
        } else {
            render::figures_read(t, &found, lang)
        };
        emit(&mut out, &rendered)?;
    }
    Ok(())
}

fn write_answer(engine: &Engine, question: &str, json: bool) -> anyhow::Result<()> {
    let answer = engine.answer(question);
    let text = if json {
        render::json(&answer) + "\n"
    } else {
        render::terminal(&answer)
    };
    emit(&mut std::io::stdout().lock(), &text)
}

/// Answers each line of stdin with the index opened once.
fn ask_stdin(engine: &Engine, json: bool) -> anyhow::Result<()> {
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    let mut line = Vec::new();
    let mut input = stdin.lock();
    loop {
        line.clear();
        if input
            .read_until(b'\n', &mut line)
            .context("reading stdin")?
            == 0
        {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&line);
        let question = text.trim_end_matches(['\n', '\r']);
        let answer = engine.answer(question);
        let rendered = if json {
            render::json(&answer) + "\n"
        } else {
            render::terminal(&answer) + "\n"
        };
        emit(&mut out, &rendered)?;
    }
}

/// Writes and flushes; a closed pipe (`| head`) ends the program quietly.
pub fn emit(out: &mut impl Write, text: &str) -> anyhow::Result<()> {
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        r => r.context("writing to stdout"),
    }
}
