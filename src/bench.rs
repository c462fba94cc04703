//! `verbatim bench`: measures index build time and whole-answer latency
//! (retrieval, ranking and composition) over a file of questions; with
//! `--quality`, answer quality instead ([`crate::quality`]).
//!
//! Boundary: measurement and reporting only; it uses the public engine API
//! exactly as the CLI and the bot do.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;

use crate::answer::Engine;
use crate::config::Settings;

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("what").required(true).args(["questions", "quality"]))]
pub struct BenchArgs {
    /// Questions, one per line (blank lines and lines starting with # are ignored)
    #[arg(long, value_name = "FILE")]
    pub questions: Option<PathBuf>,
    /// Answer quality instead: SQuAD-style questions (JSON Lines), scored as
    /// the shared scorer does (e.g. tests/fixtures/squad-public/questions.jsonl
    /// with --corpus tests/fixtures/squad-public/corpus)
    #[arg(long, value_name = "FILE")]
    pub quality: Option<PathBuf>,
    /// Rebuild the index first and report build speed
    #[arg(long)]
    pub rebuild: bool,
    /// Timed passes over the questions after the first (cold) pass
    #[arg(long, default_value_t = 5)]
    pub rounds: usize,
    /// Also write every passage the index holds (one quotable sentence per
    /// line) to this file, for running a peer on the same passages
    #[arg(long, value_name = "FILE")]
    pub export_passages: Option<PathBuf>,
}

/// How many of the slowest questions the report names.
const SLOWEST_SHOWN: usize = 3;

pub fn run(settings: &Settings, args: &BenchArgs) -> anyhow::Result<()> {
    if args.rebuild {
        crate::index::forget(&settings.index.path);
    }
    if let Some(file) = &args.quality {
        let engine = Engine::open(settings, false)?;
        crate::quality::run(&engine, &settings.corpus.path, file)?;
        return Ok(());
    }
    let Some(file) = &args.questions else {
        anyhow::bail!("give --questions FILE or --quality FILE");
    };
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("reading questions from {}", file.display()))?;
    let questions: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    anyhow::ensure!(!questions.is_empty(), "no questions in {}", file.display());

    if let Some(path) = &args.export_passages {
        let n = export_passages(&settings.corpus.path, path)?;
        sayln!("passages        {n} written to {}", path.display())?;
    }
    let started = Instant::now();
    let engine = Engine::open(settings, false)?;
    let open_time = started.elapsed();
    let bytes: u64 = engine.sources().iter().map(|s| s.bytes).sum();
    let built = matches!(engine.origin(), crate::index::Origin::Built { .. });

    let cold_start = Instant::now();
    let mut answered = 0;
    for q in &questions {
        answered += usize::from(engine.answer(q).answered);
    }
    let cold = cold_start.elapsed();

    let mut times: Vec<Duration> = Vec::with_capacity(questions.len() * args.rounds);
    // Each question's times, for the slowest questions' medians.
    let mut each: Vec<Vec<Duration>> = vec![Vec::with_capacity(args.rounds); questions.len()];
    for _ in 0..args.rounds {
        for (q, own) in questions.iter().zip(&mut each) {
            let t = Instant::now();
            std::hint::black_box(engine.answer(q));
            let took = t.elapsed();
            times.push(took);
            own.push(took);
        }
    }
    times.sort();
    let mut slowest: Vec<(Duration, &str)> = each
        .iter_mut()
        .zip(&questions)
        .filter(|(own, _)| !own.is_empty())
        .map(|(own, q)| {
            own.sort();
            (own[own.len() / 2], *q)
        })
        .collect();
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    let pct = |p: f64| -> f64 {
        if times.is_empty() {
            return 0.0;
        }
        let i = ((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1;
        times[i].as_secs_f64() * 1000.0
    };
    let mb = bytes as f64 / 1_000_000.0;
    sayln!(
        "corpus          {} documents, {:.1} MB, {} sentences",
        engine.sources().len(),
        mb,
        engine.sentence_count()
    )?;
    if built {
        sayln!(
            "index build     {:.2} s ({:.1} MB/s)",
            open_time.as_secs_f64(),
            mb / open_time.as_secs_f64().max(1e-9)
        )?;
    } else {
        sayln!(
            "index open      {:.1} ms (reused)",
            open_time.as_secs_f64() * 1000.0
        )?;
    }
    sayln!(
        "cold pass       {} questions in {:.1} ms ({} answered)",
        questions.len(),
        cold.as_secs_f64() * 1000.0,
        answered
    )?;
    sayln!(
        "answer latency  p50 {:.3} ms  p90 {:.3} ms  p99 {:.3} ms  max {:.3} ms  ({} answers)",
        pct(0.50),
        pct(0.90),
        pct(0.99),
        pct(1.0),
        times.len()
    )?;
    for (median, q) in slowest.iter().take(SLOWEST_SHOWN) {
        sayln!(
            "slowest         {:.3} ms (median)  {}",
            median.as_secs_f64() * 1000.0,
            q
        )?;
    }
    if let Some(rss) = peak_rss_kib() {
        sayln!("peak RSS        {:.1} MiB", rss as f64 / 1024.0)?;
    }
    Ok(())
}

/// Writes each quotable sentence of the corpus on its own line.
fn export_passages(corpus: &std::path::Path, path: &std::path::Path) -> anyhow::Result<usize> {
    use std::io::Write;
    let (entries, _) = crate::corpus::list(corpus)?;
    let mut out = std::io::BufWriter::new(
        std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
    );
    let mut n = 0;
    for entry in &entries {
        let Ok(doc) = crate::corpus::read(entry) else {
            continue;
        };
        for s in crate::segment::segment(&doc)
            .sentences
            .iter()
            .filter(|s| s.quotable)
        {
            let line = doc.text[s.start..s.end].replace(['\n', '\r'], " ");
            writeln!(out, "{line}")?;
            n += 1;
        }
    }
    out.flush()?;
    Ok(n)
}

/// Peak resident set size of this process (Linux), in KiB.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}
