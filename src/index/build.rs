//! Builds a fresh index from the corpus files into a temporary folder beside
//! the index folder, then swaps it in, so a reader never sees half an index
//! and a failed build leaves the old one in place. The caller holds the
//! build lock ([`super::lock`]) throughout.
//!
//! Files are read and segmented on all cores; a file that cannot be used is
//! recorded as skipped (with a warning) and the build goes on. When only a
//! few files changed, [`update`] edits the index in place instead: tantivy
//! commits atomically, and the record beside it is replaced after the commit,
//! so a crash between the two leaves a mismatch that the next open rebuilds.

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tantivy::{IndexWriter, TantivyDocument};

use super::fingerprint::FilePrint;
use super::{
    ANALYZER, DocInfo, FORMAT, IndexMeta, VECTORS_FILE, analyzer, integrity, lock, schema,
    write_meta,
};
use crate::corpus::{self, Document, Entry, Skipped};
use crate::figures;
use crate::segment::{self, Segmented};
use crate::semantic;

pub(super) fn build(
    entries: &[Entry],
    mut skipped: Vec<Skipped>,
    prints: Vec<FilePrint>,
    index_dir: &Path,
    progress: bool,
) -> anyhow::Result<()> {
    let tmp = lock::building_dir(index_dir);
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).with_context(|| format!("creating {}", tmp.display()))?;

    let result = write_index(entries, &prints, &tmp, progress).and_then(|(docs, skips, rows)| {
        skipped.extend(skips);
        let meta = record(&tmp, prints, docs, skipped, rows)?;
        tracing::info!(
            docs = meta.docs.len(),
            sentences = meta.sentences,
            skipped = meta.skipped.len(),
            "index built"
        );
        Ok(())
    });
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    swap_in(&tmp, index_dir)
}

/// Writes the index's own record beside the tantivy files, with the
/// checksum of every one of them, warning about every skipped file.
fn record(
    dir: &Path,
    prints: Vec<FilePrint>,
    docs: Vec<DocInfo>,
    mut skipped: Vec<Skipped>,
    vectors: u64,
) -> anyhow::Result<IndexMeta> {
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    skipped.dedup_by(|a, b| a.path == b.path);
    for s in &skipped {
        tracing::warn!("{s}");
    }
    let meta = IndexMeta {
        format: FORMAT,
        fingerprint: prints,
        sentences: docs.iter().map(|d| d.sentences).sum(),
        docs,
        skipped,
        vectors,
        files: integrity::sums(dir).context("reading back the index files")?,
    };
    write_meta(dir, &meta)?;
    Ok(meta)
}

/// Replaces `target` with `fresh` using renames (the caller made sure that
/// `target`, if it exists, is a folder).
fn swap_in(fresh: &Path, target: &Path) -> anyhow::Result<()> {
    let old = lock::old_dir(target);
    let _ = std::fs::remove_dir_all(&old);
    if std::fs::symlink_metadata(target).is_ok() {
        std::fs::rename(target, &old)
            .with_context(|| format!("moving the old index {} aside", target.display()))?;
    }
    std::fs::rename(fresh, target)
        .with_context(|| format!("moving the new index into {}", target.display()))?;
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}

fn write_index(
    entries: &[Entry],
    prints: &[FilePrint],
    dir: &Path,
    progress: bool,
) -> anyhow::Result<(Vec<DocInfo>, Vec<Skipped>, u64)> {
    let (schema, fields) = schema();
    let index = tantivy::Index::create_in_dir(dir, schema)?;
    index.tokenizers().register(ANALYZER, analyzer());
    let mut writer = new_writer(&index)?;
    let all: Vec<&Entry> = entries.iter().collect();
    let vectors = Mutex::new(Vec::new());
    let (docs, skipped) = add_files(&all, 0, prints, &writer, fields, &vectors, progress)?;
    let rows = write_vectors(dir, vectors)?;
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok((docs, skipped, rows))
}

/// Writes the sentence vectors beside the tantivy files (through a temporary
/// file and a rename); returns how many rows they are.
fn write_vectors(dir: &Path, vectors: Mutex<Vec<u8>>) -> anyhow::Result<u64> {
    let bytes = vectors.into_inner().expect("lock");
    let tmp = dir.join(format!("{VECTORS_FILE}.tmp"));
    std::fs::write(&tmp, &bytes).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, dir.join(VECTORS_FILE))?;
    Ok((bytes.len() / semantic::DIMS) as u64)
}

/// Threads for reading files and for tantivy's writer: every core, at most 8.
fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8)
}

fn new_writer(index: &tantivy::Index) -> tantivy::Result<IndexWriter> {
    let threads = threads();
    index.writer_with_num_threads(threads, 64_000_000 * threads)
}

/// Reads, segments and indexes `files` on all cores; the k-th file gets the
/// document ordinal `first + k`. Returns one `DocInfo` per file (a
/// placeholder for a skipped one) and the skipped files.
fn add_files(
    files: &[&Entry],
    first: u64,
    prints: &[FilePrint],
    writer: &IndexWriter,
    fields: super::Fields,
    vectors: &Mutex<Vec<u8>>,
    progress: bool,
) -> anyhow::Result<(Vec<DocInfo>, Vec<Skipped>)> {
    let threads = threads();
    let total: u64 = files.iter().map(|e| e.size).sum();
    let bar = if progress {
        ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(
            "indexing {bar:30} {binary_bytes}/{binary_total_bytes} ({binary_bytes_per_sec}, {eta} left)",
        )
        .expect("valid template"),
    );

    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<DocInfo, Skipped>>>> = Mutex::new(vec![None; files.len()]);
    let failure: Mutex<Option<anyhow::Error>> = Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(entry) = files.get(i) else { break };
                    let outcome = match corpus::read(entry) {
                        Err(skip) => Err(skip),
                        Ok(doc) => {
                            for w in &doc.warnings {
                                tracing::warn!(file = %doc.path, "{w}");
                            }
                            let seg = segment::segment(&doc);
                            let ordinal = first + i as u64;
                            let target = Target {
                                writer,
                                fields,
                                vectors,
                            };
                            match doc_info(&doc, &seg, ordinal, prints, &target) {
                                Ok(info) => Ok(info),
                                Err(e) => {
                                    // The index writer failed: the whole build fails.
                                    failure.lock().expect("lock").get_or_insert(e);
                                    break;
                                }
                            }
                        }
                    };
                    results.lock().expect("lock")[i] = Some(outcome);
                    bar.inc(entry.size);
                }
            });
        }
    });
    bar.finish_and_clear();
    if let Some(e) = failure.into_inner().expect("lock") {
        return Err(e);
    }
    // Documents keep the order of `files`; ordinals were assigned from it.
    let mut docs = Vec::new();
    let mut skipped = Vec::new();
    for r in results.into_inner().expect("lock").into_iter().flatten() {
        match r {
            Ok(d) => docs.push(d),
            Err(s) => {
                skipped.push(s);
                docs.push(DocInfo::placeholder());
            }
        }
    }
    Ok((docs, skipped))
}

/// Updates the index in `dir` in place for the files that changed since
/// `old` was built: their sentences are deleted, the new and changed files
/// are read and added under fresh ordinals, and unchanged files are not read
/// at all. Returns how many files were read, or `None` when so much changed
/// that a full rebuild is the better deal.
pub(super) fn update(
    dir: &Path,
    old: IndexMeta,
    entries: &[Entry],
    listing_skips: Vec<Skipped>,
    prints: Vec<FilePrint>,
    progress: bool,
) -> anyhow::Result<Option<usize>> {
    let unchanged = |p: &FilePrint| {
        old.fingerprint
            .binary_search_by(|o| o.path.as_str().cmp(&p.path))
            .is_ok_and(|i| {
                let o = &old.fingerprint[i];
                o.size == p.size && o.hash == p.hash
            })
    };
    let changed: Vec<&Entry> = entries
        .iter()
        .zip(&prints)
        .filter(|(_, p)| !unchanged(p))
        .map(|(e, _)| e)
        .collect();
    let live: std::collections::HashSet<&str> = prints
        .iter()
        .filter(|p| unchanged(p))
        .map(|p| p.path.as_str())
        .collect();
    let stale: Vec<u64> = old
        .docs
        .iter()
        .enumerate()
        .filter(|(_, d)| !d.path.is_empty() && !live.contains(d.path.as_str()))
        .map(|(i, _)| i as u64)
        .collect();
    let placeholders = old.docs.iter().filter(|d| d.path.is_empty()).count() + stale.len();
    let total = old.docs.len() + changed.len();
    if changed.len() * 2 > entries.len().max(1) || placeholders * 10 > total.max(1) * 3 {
        return Ok(None);
    }

    let index = tantivy::Index::open_in_dir(dir)?;
    let (expected, fields) = schema();
    anyhow::ensure!(index.schema() == expected, "schema differs");
    index.tokenizers().register(ANALYZER, analyzer());
    let mut writer = new_writer(&index)?;
    let mut docs = old.docs;
    for &ordinal in &stale {
        writer.delete_term(tantivy::Term::from_field_u64(fields.doc, ordinal));
        docs[ordinal as usize] = DocInfo::placeholder();
    }
    let first = docs.len() as u64;
    let existing = std::fs::read(dir.join(VECTORS_FILE)).context("reading sentence vectors")?;
    let vectors = Mutex::new(existing);
    let (added, mut skipped) = add_files(
        &changed, first, &prints, &writer, fields, &vectors, progress,
    )?;
    docs.extend(added);
    let rows = write_vectors(dir, vectors)?;
    writer.commit()?;
    writer.wait_merging_threads()?;

    // Files skipped before and unchanged are still skipped.
    skipped.extend(
        old.skipped
            .into_iter()
            .filter(|s| live.contains(s.path.as_str())),
    );
    skipped.extend(listing_skips);
    let meta = record(dir, prints, docs, skipped, rows)?;
    tracing::info!(
        read = changed.len(),
        removed = stale.len(),
        sentences = meta.sentences,
        "index updated"
    );
    Ok(Some(changed.len()))
}

impl DocInfo {
    /// Stands in for a skipped file so that document ordinals stay positions.
    fn placeholder() -> DocInfo {
        DocInfo {
            path: String::new(),
            meta: Default::default(),
            size: 0,
            headings: Vec::new(),
            paragraphs: Vec::new(),
            references: Default::default(),
            sentences: 0,
            hash: 0,
            names: Vec::new(),
            about: Vec::new(),
            spanish_terms: Vec::new(),
            source: Vec::new(),
            initialisms: Vec::new(),
        }
    }
}

/// The words a document keeps coming back to (its subject, such as the name
/// of what it describes). Every sentence of the document is implicitly about
/// them, so they join each sentence's context.
fn topic_words(doc: &Document, seg: &Segmented) -> String {
    const MAX_WORDS: usize = 8;
    let quotable: Vec<&str> = seg
        .sentences
        .iter()
        .filter(|s| s.quotable)
        .map(|s| &doc.text[s.start..s.end])
        .collect();
    let mut counts: std::collections::HashMap<String, usize> = Default::default();
    for s in &quotable {
        let mut seen: Vec<String> = Vec::new();
        for w in s.split(|c: char| !c.is_alphanumeric()) {
            let w = w.to_lowercase();
            if w.chars().count() >= 3
                && !w.chars().all(|c| c.is_ascii_digit())
                && !seen.contains(&w)
            {
                seen.push(w);
            }
        }
        for w in seen {
            *counts.entry(w).or_default() += 1;
        }
    }
    let min = (quotable.len() / 10).max(3);
    let mut frequent: Vec<(String, usize)> = counts
        .into_iter()
        .filter(|(w, n)| *n >= min && !super::analyze(w).is_empty())
        .collect();
    frequent.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    frequent
        .into_iter()
        .take(MAX_WORDS)
        .map(|(w, _)| w)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The analyzed terms of the words a document writes as names: inside its
/// quotable sentences (not as a sentence's first word, where any word has a
/// capital), with a capital more often than without ("CECOT" too), and no
/// word of the model's English vocabulary ("War" in "the Cold War" stays a
/// word).
fn name_terms(doc: &Document, seg: &Segmented) -> Vec<String> {
    let words = || {
        seg.sentences.iter().filter(|s| s.quotable).flat_map(|s| {
            doc.text[s.start..s.end]
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .skip(1)
        })
    };
    let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    // (with a capital, without), counted without one only for words that
    // have one somewhere: most words never do, and cost no allocation.
    let mut counts: rustc_hash::FxHashMap<String, (u32, u32)> = Default::default();
    for w in words().filter(|w| capital(w)) {
        counts.entry(w.to_lowercase()).or_default().0 += 1;
    }
    for w in words().filter(|w| w.chars().next().is_some_and(char::is_lowercase)) {
        if let Some(entry) = counts.get_mut(w) {
            entry.1 += 1;
        }
    }
    let model = semantic::model();
    let mut names: Vec<String> = counts
        .into_iter()
        .filter(|(w, (capital, lower))| capital > lower && !model.knows(w))
        .flat_map(|(w, _)| super::analyze(&w))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// The names of several capitalized words that the document writes
/// ("Human Rights Watch"), each with its initials ("hrw"), for a question
/// that types them ("according to hrw"). Short lower-case words may stand
/// inside a name ("Convention against Torture": "cat"), not at its ends.
fn initialisms(doc: &Document, seg: &Segmented) -> Vec<(String, String)> {
    const MAX_WORDS: usize = 6;
    let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let mut found: Vec<(String, String)> = Vec::new();
    for s in seg.sentences.iter().filter(|s| s.quotable) {
        let text = &doc.text[s.start..s.end];
        let mut words: Vec<(usize, &str)> = Vec::new();
        let mut start = None;
        for (at, c) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
        {
            if c.is_alphanumeric() || c == '-' {
                start.get_or_insert(at);
            } else if let Some(s) = start.take() {
                words.push((s, &text[s..at]));
            }
        }
        // Only spaces may stand between the words of one name: not a comma,
        // a bracket or a full stop ("Tecoluca, El Salvador" is two).
        let spaced = |k: usize| {
            let (before, w) = (words[k - 1], words[k]);
            text[before.0 + before.1.len()..w.0]
                .chars()
                .all(char::is_whitespace)
        };
        let mut i = 0;
        while i < words.len() {
            if !capital(words[i].1) {
                i += 1;
                continue;
            }
            // The run: capitalized words, with short lower-case ones inside.
            let mut end = i + 1;
            let mut last = i;
            while end < words.len() && end - i < 2 * MAX_WORDS && spaced(end) {
                let w = words[end].1;
                if capital(w) {
                    last = end;
                } else if w.len() > 3 || w.chars().any(|c| !c.is_alphabetic()) {
                    break;
                }
                end += 1;
            }
            // A first word may be capitalized for another reason (it opens
            // the sentence): the run may start after it too ("The United
            // Nations": "un").
            let second = (i + 1..last).find(|&k| capital(words[k].1));
            // A stop word is no part of a name ("The", "In" opening a sentence).
            let named = |&k: &usize| !super::analyze(words[k].1).is_empty();
            for first in std::iter::once(i).chain(second).filter(named) {
                let run = &words[first..=last];
                let capitals: String = run
                    .iter()
                    .filter(|(_, w)| capital(w))
                    .filter_map(|(_, w)| w.chars().next())
                    .flat_map(char::to_lowercase)
                    .collect();
                let n = capitals.chars().count();
                if (2..=MAX_WORDS).contains(&n) && capitals.chars().all(|c| c.is_alphabetic()) {
                    let (start, end) =
                        (run[0].0, run[run.len() - 1].0 + run[run.len() - 1].1.len());
                    let phrase = text[start..end].to_string();
                    if !found.iter().any(|(c, p)| *c == capitals && *p == phrase) {
                        found.push((capitals, phrase));
                    }
                }
            }
            i = last + 1;
        }
    }
    found
}

/// The analyzed terms of `text`, sorted, each once.
fn distinct_terms(text: &str) -> Vec<String> {
    let mut terms = super::analyze(text);
    terms.sort_unstable();
    terms.dedup();
    terms
}

/// Where a file's sentences go: the index writer and the vector rows.
struct Target<'a> {
    writer: &'a IndexWriter,
    fields: super::Fields,
    vectors: &'a Mutex<Vec<u8>>,
}

/// Pronouns and demonstratives that, opening a sentence, refer back to the
/// one before it (closed-class English grammar, not a topic list).
const REFERRING_OPENERS: &[&str] = &[
    "he", "she", "it", "they", "this", "these", "that", "those", "his", "her", "its", "their",
];

/// Does `next` carry `this` on: `this` introduces it (ends with a colon), or
/// `next` opens with a word that refers back?
fn carries_on(this: &str, next: &str) -> bool {
    let first = next
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("");
    this.trim_end().ends_with(':') || REFERRING_OPENERS.contains(&first.to_lowercase().as_str())
}

fn doc_info(
    doc: &Document,
    seg: &Segmented,
    ordinal: u64,
    prints: &[FilePrint],
    target: &Target,
) -> anyhow::Result<DocInfo> {
    let (writer, f) = (target.writer, target.fields);
    let mut count = 0;
    let sentences = &seg.sentences;
    let lang = doc.meta.lang.as_deref().and_then(figures::Lang::from_code);
    let model = semantic::model();
    let quotable: Vec<usize> = (0..sentences.len())
        .filter(|&i| sentences[i].quotable)
        .collect();
    // The kinds of answer each quotable sentence can give (a sentence's are
    // also stored with the one before it, when it carries that one on).
    let mut kinds = vec![0; sentences.len()];
    for &i in &quotable {
        kinds[i] = segment::kinds(&doc.text[sentences[i].start..sentences[i].end]);
    }
    let mut rows = Vec::with_capacity(quotable.len() * semantic::DIMS);
    for &i in &quotable {
        let s = &sentences[i];
        let v = model
            .embed(
                semantic::words(&doc.text[s.start..s.end]).map(|w| match lang {
                    // The model is English: a Spanish sentence is embedded as
                    // its words' English words.
                    Some(figures::Lang::Es) => crate::translate::first_english(w),
                    _ => w,
                }),
            )
            .map_or([0; semantic::DIMS], |v| semantic::quantize(&v));
        rows.extend_from_slice(&v);
    }
    let first_row = {
        let mut all = target.vectors.lock().expect("lock");
        let first = all.len() / semantic::DIMS;
        all.extend_from_slice(&rows);
        first as u64
    };
    for (row, &i) in quotable.iter().enumerate() {
        let s = &sentences[i];
        let para = &seg.paragraphs[s.paragraph as usize];
        let mut near = String::new();
        if let Some(h) = para.section {
            near.push_str(&seg.headings[h as usize]);
        }
        // The sentences before and after: in the paragraph, or quotable ones
        // across a paragraph break (a paragraph often goes on with what the
        // one before it set up), but not into another section.
        let section = |k: usize| seg.paragraphs[sentences[k].paragraph as usize].section;
        for j in [i.wrapping_sub(1), i + 1] {
            let beside = |n: &&segment::Sentence| {
                n.paragraph == s.paragraph || n.quotable && section(j) == para.section
            };
            if let Some(n) = sentences.get(j).filter(beside) {
                near.push('\n');
                near.push_str(&doc.text[n.start..n.end]);
            }
        }
        let text = &doc.text[s.start..s.end];
        let (next_end, next_kinds) = match sentences.get(i + 1) {
            Some(n)
                if n.paragraph == s.paragraph
                    && n.quotable
                    && carries_on(text, &doc.text[n.start..n.end]) =>
            {
                (n.end as u64, kinds[i + 1])
            }
            _ => (0, 0),
        };
        let prev_start = match i.checked_sub(1).map(|j| &sentences[j]) {
            Some(p)
                if p.paragraph == s.paragraph
                    && p.quotable
                    && carries_on(&doc.text[p.start..p.end], text) =>
            {
                p.start as u64 + 1
            }
            _ => 0,
        };
        let mut d = TantivyDocument::default();
        d.add_text(f.text, text);
        d.add_text(f.near, &near);
        d.add_u64(f.doc, ordinal);
        d.add_u64(f.start, s.start as u64);
        d.add_u64(f.end, s.end as u64);
        d.add_u64(f.paragraph, u64::from(s.paragraph));
        d.add_u64(f.kinds, kinds[i]);
        let measures = figures::measure_kinds(text, lang);
        d.add_text(f.measure, figures::measure_names(measures).join(" "));
        d.add_u64(f.vector, first_row + row as u64);
        d.add_u64(f.next_end, next_end);
        d.add_u64(f.next_kinds, next_kinds);
        d.add_u64(f.prev_start, prev_start);
        writer.add_document(d)?;
        count += 1;
    }
    let size = prints
        .binary_search_by(|p| p.path.as_str().cmp(&doc.path))
        .map_or(doc.text.len() as u64, |i| prints[i].size);
    Ok(DocInfo {
        path: doc.path.clone(),
        meta: doc.meta.clone(),
        size,
        headings: seg.headings.clone(),
        paragraphs: seg
            .paragraphs
            .iter()
            .map(|p| (p.number, p.section))
            .collect(),
        references: seg.references.clone(),
        sentences: count,
        hash: super::fingerprint::hash(doc.text.as_bytes()),
        names: name_terms(doc, seg),
        about: distinct_terms(&format!("{}\n{}", doc.meta.title, topic_words(doc, seg))),
        spanish_terms: match lang {
            Some(figures::Lang::Es) => distinct_terms(&doc.text),
            _ => Vec::new(),
        },
        initialisms: initialisms(doc, seg),
        source: [&doc.meta.publisher, &doc.meta.author]
            .into_iter()
            .flatten()
            .map(|name| distinct_terms(name))
            .filter(|terms| !terms.is_empty())
            .collect(),
    })
}
