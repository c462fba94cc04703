//! The search index: the only module that knows tantivy.
//!
//! One tantivy document per quotable sentence: the sentence text (stored,
//! stemmed, stop words removed); `near`, its section heading and neighbouring
//! sentences; `measure`, the
//! measures its figures are in ([`crate::figures::measure_kinds`]: "length",
//! "people"); and, as fast fields, the sentence's position in its file and
//! the kinds of answer it can give, where its sentence vector is and how far
//! the sentence after it carries it on. Sentence vectors
//! ([`crate::semantic`]) sit beside the tantivy files in `vectors.bin`, one
//! row per sentence. A search returns, for each hit, which query terms occur
//! in the sentence, around it or in what its document is about (a measure
//! term: among the sentence's measures) — read from the postings, so that
//! ranking never re-reads or re-analyzes text. Beside
//! the tantivy files, `verbatim.json` keeps the corpus fingerprint and the
//! per-document data that citations need (metadata, headings, paragraph
//! numbers, reference lists) and what each document is about (the analyzed
//! terms of its title and topic words: the same for all its sentences, so
//! kept once per document rather than indexed with every sentence).
//!
//! [`Index::open_or_build`] is the whole life cycle: it reuses the index when
//! the corpus fingerprint matches and every index file still has the
//! checksum it was written with ([`integrity`]), and otherwise (first use,
//! corpus changed, index missing, damaged or from another version) rebuilds
//! it in a fresh folder and swaps it in, one process at a time ([`lock`]).
//! Reads that tantivy might panic on are guarded: a panic marks the index
//! damaged ([`Index::is_damaged`]) and the next open rebuilds it.

mod build;
pub mod fingerprint;
pub mod integrity;
pub mod lock;
mod stem;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context;
use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::tokenizer::{RemoveLongFilter, SimpleTokenizer, TextAnalyzer};
use tantivy::{DocAddress, DocSet, ReloadPolicy, TantivyDocument, Term};

use crate::corpus::{self, Meta, Skipped};
use crate::guard::guard;
use crate::segment::Reference;
use fingerprint::FilePrint;
use integrity::Damage;

/// Bump when the schema, the analyzer or segmentation changes: older indexes are rebuilt.
const FORMAT: u32 = 24;
const META_FILE: &str = "verbatim.json";
const VECTORS_FILE: &str = "vectors.bin";
const ANALYZER: &str = "verbatim_en";

/// What citations need to know about one document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DocInfo {
    pub path: String,
    pub meta: Meta,
    pub size: u64,
    pub headings: Vec<String>,
    /// Per paragraph: its prose number (0 if not prose) and section heading index.
    pub paragraphs: Vec<(u32, Option<u32>)>,
    pub references: BTreeMap<u32, Reference>,
    /// Number of quotable sentences indexed from it.
    pub sentences: u64,
    /// [`fingerprint::hash`] of the file's bytes as indexed.
    pub hash: u64,
    /// The analyzed terms of the words its sentences write as names that are
    /// no common English word: with a capital inside a sentence more often
    /// than without ("Halcyon", "CECOT"), so that a question typed in lower
    /// case still names them.
    #[serde(default)]
    pub names: Vec<String>,
    /// The analyzed terms of its title and topic words, sorted: what every
    /// one of its sentences is about ([`IN_ABOUT`]).
    #[serde(default)]
    pub about: Vec<String>,
    /// For a Spanish document, the analyzed terms of its words, sorted: what
    /// an English question's word can be translated into
    /// ([`Index::spanish_forms`]).
    #[serde(default)]
    pub spanish_terms: Vec<String>,
    /// The analyzed terms of who published it and of who wrote it, each
    /// name's sorted: a question
    /// that names its source ("according to Critical Resistance", "the
    /// Britannica article") finds it in every one of its sentences, as
    /// [`IN_ABOUT`] (`retrieve` marks it); unlike `about`, never what the
    /// document names (a local paper's name is no subject of its articles).
    /// The source is named by at least half its words: "from Ostrava" does
    /// not name "Ostrava Regional News".
    #[serde(default)]
    pub source: Vec<Vec<String>>,
    /// Its names of several capitalized words with their initials
    /// (("hrw", "Human Rights Watch")): what a question that types the
    /// initials names ([`Index::initialism`]).
    #[serde(default)]
    pub initialisms: Vec<(String, String)>,
}

/// Each term some document is about ([`DocInfo::about`]), with those
/// documents in order.
fn about_docs(docs: &[DocInfo]) -> rustc_hash::FxHashMap<String, Vec<u32>> {
    let mut map: rustc_hash::FxHashMap<String, Vec<u32>> = Default::default();
    for (k, d) in docs.iter().enumerate() {
        for term in &d.about {
            map.entry(term.clone()).or_default().push(k as u32);
        }
    }
    map
}

/// For each initials, the name the most documents write with them (the
/// first such name on a tie).
fn commonest_names(docs: &[DocInfo]) -> rustc_hash::FxHashMap<String, String> {
    let mut counts: rustc_hash::FxHashMap<(&str, &str), usize> = Default::default();
    for d in docs {
        for (initials, name) in &d.initialisms {
            *counts
                .entry((initials.as_str(), name.as_str()))
                .or_default() += 1;
        }
    }
    let mut best: rustc_hash::FxHashMap<String, (usize, String)> = Default::default();
    let mut ordered: Vec<((&str, &str), usize)> = counts.into_iter().collect();
    ordered.sort_unstable();
    for ((initials, name), n) in ordered {
        let entry = best
            .entry(initials.to_string())
            .or_insert_with(|| (0, String::new()));
        if n > entry.0 {
            *entry = (n, name.to_string());
        }
    }
    best.into_iter().map(|(k, (_, name))| (k, name)).collect()
}

impl DocInfo {
    /// Is the analyzed `term` among what the document is about?
    pub fn is_about(&self, term: &str) -> bool {
        self.about
            .binary_search_by(|t| t.as_str().cmp(term))
            .is_ok()
    }

    /// Does a question whose analyzed terms are those `asked` says yes to
    /// name who published or wrote it, by at least half the words of the
    /// name ("the Britannica article": "Encyclopaedia Britannica")?
    pub fn source_named(&self, asked: impl Fn(&str) -> bool) -> bool {
        self.source.iter().any(|terms| {
            let named = terms.iter().filter(|t| asked(t)).count();
            !terms.is_empty() && 2 * named >= terms.len()
        })
    }

    /// Is the analyzed `term` a word of who published or wrote it?
    pub fn is_source(&self, term: &str) -> bool {
        self.source
            .iter()
            .any(|terms| terms.binary_search_by(|t| t.as_str().cmp(term)).is_ok())
    }
}

/// The index's own record of what it was built from.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndexMeta {
    pub format: u32,
    pub fingerprint: Vec<FilePrint>,
    pub docs: Vec<DocInfo>,
    pub skipped: Vec<Skipped>,
    pub sentences: u64,
    /// Rows in `vectors.bin` (deleted sentences keep theirs until a rebuild).
    pub vectors: u64,
    /// Checksum of every other file in the index folder, by name ([`integrity::sums`]).
    pub files: BTreeMap<String, u64>,
}

/// A query word (already analyzed) and its weight.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryTerm {
    pub term: String,
    pub boost: f32,
    /// A measure that sentences state figures in (a name from
    /// [`crate::figures::measure_names`], analyzed), looked up among each
    /// sentence's measures rather than its words; found [`IN_TEXT`].
    pub measure: bool,
    /// Only sentences that have it are found (the others are not read).
    pub required: bool,
}

impl QueryTerm {
    /// A word of the sentence's text.
    pub fn word(term: String, boost: f32) -> Self {
        QueryTerm {
            term,
            boost,
            measure: false,
            required: false,
        }
    }

    /// A word every sentence found has in its text.
    pub fn required(term: String, boost: f32) -> Self {
        QueryTerm {
            required: true,
            ..QueryTerm::word(term, boost)
        }
    }
}

/// Where a query term occurs for a hit: in the sentence itself…
pub const IN_TEXT: u8 = 1;
/// …around it (section heading, neighbouring sentences)…
pub const IN_NEAR: u8 = 2;
/// …or in what its document is about (title, topic words).
pub const IN_ABOUT: u8 = 4;

/// One retrieved sentence (its text is read on demand with [`Index::text`]).
#[derive(Debug, Clone)]
pub struct Hit {
    /// Index into [`Index::docs`].
    pub doc: u32,
    pub start: usize,
    pub end: usize,
    pub paragraph: u32,
    /// The kinds of answer the sentence can give ([`crate::segment::kinds`]).
    pub kinds: u64,
    pub score: f32,
    /// For each query term, in order: [`IN_TEXT`] | [`IN_NEAR`] | [`IN_ABOUT`] bits.
    pub found: Vec<u8>,
    /// Row of the sentence's vector in `vectors.bin`.
    pub vector: u64,
    /// When the next sentence of the paragraph carries this one on (this one
    /// ends with a colon, or the next begins with a pronoun): where it ends.
    pub next_end: usize,
    /// The kinds of answer that next sentence can give.
    pub next_kinds: u64,
    /// When this sentence carries the one before it on (opens with a word
    /// that refers back, or the one before ends with a colon): where that
    /// one starts.
    pub prev_start: Option<usize>,
    address: DocAddress,
}

impl Hit {
    /// Is `other` the same sentence (whatever query found it)?
    pub fn same_sentence(&self, other: &Hit) -> bool {
        self.doc == other.doc && self.start == other.start
    }
}

/// How [`Index::open_or_build`] got its index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Reused,
    Built { reason: String },
}

#[derive(Clone, Copy)]
struct Fields {
    text: Field,
    near: Field,
    measure: Field,
    doc: Field,
    start: Field,
    end: Field,
    paragraph: Field,
    kinds: Field,
    vector: Field,
    next_end: Field,
    next_kinds: Field,
    prev_start: Field,
}

/// Names of the fast fields: a sentence's place in its file, its kinds, its
/// vector's row, and the sentence that carries it on.
const FAST_FIELDS: [&str; 9] = [
    "doc",
    "start",
    "end",
    "paragraph",
    "kinds",
    "vector",
    "next_end",
    "next_kinds",
    "prev_start",
];

/// An open index, ready to search. Cheap to share behind an `Arc`.
pub struct Index {
    /// The one searcher of this index (it never reloads: a new corpus is a new `Index`).
    searcher: tantivy::Searcher,
    /// The fast-field columns of each segment, opened once ([`FAST_FIELDS`] order).
    columns: Vec<Vec<tantivy::columnar::Column<u64>>>,
    /// Every sentence vector, [`crate::semantic::DIMS`] bytes each.
    vectors: Vec<u8>,
    /// The live sentence of each vector row (`None` for a deleted one).
    rows: Vec<Option<DocAddress>>,
    /// The leading [`crate::semantic::COARSE_DIMS`] components of every
    /// vector, side by side, for the dense pass to read in one sweep.
    heads: Vec<u8>,
    fields: Fields,
    meta: IndexMeta,
    /// [`fingerprint::id`] of the corpus state indexed, computed once.
    id: String,
    /// Every document's [`DocInfo::names`].
    names: rustc_hash::FxHashSet<String>,
    /// Every document's [`DocInfo::source`] terms.
    sources: rustc_hash::FxHashSet<String>,
    /// Every document's [`DocInfo::about`] terms, each with the documents
    /// (in order) it is about.
    about: rustc_hash::FxHashMap<String, Vec<u32>>,
    /// Initials → the name the most documents write with them.
    initialisms: rustc_hash::FxHashMap<String, String>,
    /// [`Index::spanish_forms`], worked out on first use.
    spanish: std::sync::OnceLock<rustc_hash::FxHashMap<String, Vec<String>>>,
    path: PathBuf,
    /// Set when a read showed the index damaged; the next open rebuilds it.
    damaged: AtomicBool,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("path", &self.path)
            .field("docs", &self.meta.docs.len())
            .field("sentences", &self.meta.sentences)
            .finish()
    }
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let indexed = |record: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER)
                .set_index_option(record),
        )
    };
    // Only the sentence is ranked by BM25 (frequencies); `near` is only
    // asked whether a term occurs.
    let fields = Fields {
        text: b.add_text_field("text", indexed(IndexRecordOption::WithFreqs).set_stored()),
        near: b.add_text_field("near", indexed(IndexRecordOption::Basic)),
        // The measures the sentence's figures are in ("length people").
        measure: b.add_text_field("measure", indexed(IndexRecordOption::WithFreqs)),
        // Indexed too, so that an update can delete a file's sentences.
        doc: b.add_u64_field(FAST_FIELDS[0], FAST | INDEXED),
        start: b.add_u64_field(FAST_FIELDS[1], FAST),
        end: b.add_u64_field(FAST_FIELDS[2], FAST),
        paragraph: b.add_u64_field(FAST_FIELDS[3], FAST),
        kinds: b.add_u64_field(FAST_FIELDS[4], FAST),
        vector: b.add_u64_field(FAST_FIELDS[5], FAST),
        next_end: b.add_u64_field(FAST_FIELDS[6], FAST),
        next_kinds: b.add_u64_field(FAST_FIELDS[7], FAST),
        // One more than the offset; 0 for none.
        prev_start: b.add_u64_field(FAST_FIELDS[8], FAST),
    };
    (b.build(), fields)
}

/// English analysis shared by indexing and questions: words split on
/// non-alphanumerics, lower-cased, accents folded ("Hernández" = "hernandez"),
/// stop words removed, Snowball-stemmed ([`stem`] remembers each word's term).
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(stem::Normalize)
        .build()
}

impl Index {
    /// Opens the index at `index_dir` for the corpus at `corpus_dir`, building
    /// or rebuilding it when needed. Fails only when the corpus folder cannot
    /// be listed or the index folder cannot be written (or is not a folder).
    pub fn open_or_build(
        corpus_dir: &Path,
        index_dir: &Path,
        progress: bool,
    ) -> anyhow::Result<(Index, Origin)> {
        lock::check_target(index_dir)?;
        let (entries, listing_skips) = corpus::list(corpus_dir)?;
        // Most opens find the index whole and up to date: no lock needed.
        if let Some(index) = Index::reuse(index_dir, &entries) {
            return Ok((index, Origin::Reused));
        }
        let held = lock::acquire(index_dir)?;
        lock::remove_stale(index_dir, &held);
        // Another process may have built the index while this one waited.
        let stored = match read_meta(index_dir) {
            Ok(m) => Ok(m),
            Err(damage) => Err(format!("index damaged ({damage})")),
        };
        let previous = match &stored {
            Ok(Some(m)) => &m.fingerprint[..],
            _ => &[][..],
        };
        let prints = fingerprint::current(&entries, previous);
        let reason = match &stored {
            Err(reason) => reason.clone(),
            Ok(None) => "no index yet".to_string(),
            Ok(Some(m)) if m.format != FORMAT => "index from another version".to_string(),
            Ok(Some(m)) if !fingerprint::same_contents(&m.fingerprint, &prints) => {
                "corpus changed".to_string()
            }
            Ok(Some(m)) => match Index::open(index_dir, m.clone()) {
                Ok(index) => {
                    remember_times(index_dir, m, prints);
                    return Ok((index, Origin::Reused));
                }
                Err(e) => format!("index damaged ({e:#})"),
            },
        };
        if reason.starts_with("index damaged") {
            tracing::warn!(index = %index_dir.display(), "{reason}; rebuilding");
        }
        // A few changed files: update in place, reading only those.
        if reason == "corpus changed"
            && let Ok(Some(old)) = stored
            && let Some(index) =
                Index::update(index_dir, old, &entries, &listing_skips, &prints, progress)
        {
            return Ok(index);
        }
        tracing::info!(reason = %reason, index = %index_dir.display(), "building index");
        build::build(&entries, listing_skips, prints, index_dir, progress)?;
        let meta = read_meta(index_dir)
            .ok()
            .flatten()
            .context("reading the index just built")?;
        let index = Index::open(index_dir, meta).context("opening the index just built")?;
        Ok((index, Origin::Built { reason }))
    }

    /// The index as it is, when it is whole and was built from `entries` as
    /// they are now.
    fn reuse(index_dir: &Path, entries: &[corpus::Entry]) -> Option<Index> {
        let meta = read_meta(index_dir).ok()??;
        if meta.format != FORMAT {
            return None;
        }
        let prints = fingerprint::current(entries, &meta.fingerprint);
        if !fingerprint::same_contents(&meta.fingerprint, &prints) {
            return None;
        }
        let index = Index::open(index_dir, meta.clone()).ok()?;
        remember_times(index_dir, &meta, prints);
        Some(index)
    }

    /// Updates the index in place for the files that changed; `None` when
    /// a full rebuild is needed instead.
    fn update(
        index_dir: &Path,
        old: IndexMeta,
        entries: &[corpus::Entry],
        listing_skips: &[Skipped],
        prints: &[FilePrint],
        progress: bool,
    ) -> Option<(Index, Origin)> {
        if let Err(damage) = integrity::verify(index_dir, &old.files) {
            tracing::warn!(index = %index_dir.display(), "index damaged ({damage}); rebuilding");
            return None;
        }
        let updated = guard(|| {
            build::update(
                index_dir,
                old,
                entries,
                listing_skips.to_vec(),
                prints.to_vec(),
                progress,
            )
        });
        match updated {
            Ok(Ok(Some(read))) => {
                let opened = read_meta(index_dir)
                    .map_err(anyhow::Error::from)
                    .and_then(|m| m.context("the record is missing"))
                    .and_then(|meta| Index::open(index_dir, meta));
                match opened {
                    Ok(index) => {
                        let reason =
                            format!("corpus changed; updated in place, {read} file(s) read");
                        return Some((index, Origin::Built { reason }));
                    }
                    Err(e) => {
                        tracing::warn!(error = %format!("{e:#}"), "the updated index does not open; rebuilding")
                    }
                }
            }
            Ok(Ok(None)) => {}
            Ok(Err(e)) => {
                tracing::warn!(error = %format!("{e:#}"), "updating the index failed; rebuilding")
            }
            Err(panic) => {
                tracing::warn!(error = %panic, "updating the index failed; rebuilding")
            }
        }
        None
    }

    /// Opens the index in `dir` as recorded in `meta`, after checking that
    /// every file still has the bytes it was written with.
    fn open(dir: &Path, meta: IndexMeta) -> anyhow::Result<Index> {
        integrity::verify(dir, &meta.files)?;
        guard(|| Index::open_verified(dir, meta))
            .unwrap_or_else(|panic| Err(anyhow::anyhow!("reading the index failed: {panic}")))
    }

    fn open_verified(dir: &Path, meta: IndexMeta) -> anyhow::Result<Index> {
        let index = tantivy::Index::open_in_dir(dir)?;
        let (expected, fields) = schema();
        if index.schema() != expected {
            anyhow::bail!("schema differs");
        }
        index.tokenizers().register(ANALYZER, analyzer());
        let reader: tantivy::IndexReader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let searcher = reader.searcher();
        if searcher.num_docs() != meta.sentences {
            anyhow::bail!(
                "index holds {} sentences, its record says {}",
                searcher.num_docs(),
                meta.sentences
            );
        }
        // Touch every segment's term dictionary so that damage shows now, not mid-question.
        let mut columns = Vec::new();
        for segment in searcher.segment_readers() {
            for field in [fields.text, fields.near, fields.measure] {
                segment.inverted_index(field)?;
            }
            columns.push(
                FAST_FIELDS
                    .iter()
                    .map(|name| segment.fast_fields().u64(name))
                    .collect::<tantivy::Result<Vec<_>>>()?,
            );
        }
        let vectors = std::fs::read(dir.join(VECTORS_FILE)).context("reading sentence vectors")?;
        anyhow::ensure!(
            vectors.len() as u64 == meta.vectors * crate::semantic::DIMS as u64,
            "sentence vectors: {} bytes, the record says {} rows",
            vectors.len(),
            meta.vectors
        );
        // Which live sentence each vector row belongs to.
        let mut rows = vec![None; meta.vectors as usize];
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let column = &columns[ord][5];
            for doc_id in 0..segment.max_doc() {
                if segment.is_deleted(doc_id) {
                    continue;
                }
                let row = column.first(doc_id).unwrap_or(u64::MAX) as usize;
                anyhow::ensure!(row < rows.len(), "a sentence has no vector row");
                rows[row] = Some(DocAddress::new(ord as u32, doc_id));
            }
        }
        let heads = vectors
            .chunks_exact(crate::semantic::DIMS)
            .flat_map(|v| &v[..crate::semantic::COARSE_DIMS])
            .copied()
            .collect();
        Ok(Index {
            searcher,
            columns,
            vectors,
            rows,
            heads,
            fields,
            id: fingerprint::id(&meta.fingerprint),
            names: meta.docs.iter().flat_map(|d| d.names.clone()).collect(),
            sources: meta.docs.iter().flat_map(|d| d.source.concat()).collect(),
            about: about_docs(&meta.docs),
            initialisms: commonest_names(&meta.docs),
            spanish: std::sync::OnceLock::new(),
            meta,
            path: dir.to_path_buf(),
            damaged: AtomicBool::new(false),
        })
    }

    /// A short identifier of the corpus state this index holds.
    pub fn fingerprint_id(&self) -> &str {
        &self.id
    }

    pub fn docs(&self) -> &[DocInfo] {
        &self.meta.docs
    }

    pub fn skipped(&self) -> &[Skipped] {
        &self.meta.skipped
    }

    pub fn sentence_count(&self) -> u64 {
        self.meta.sentences
    }

    pub fn fingerprint(&self) -> &[FilePrint] {
        &self.meta.fingerprint
    }

    /// In how many sentences `term` (already analyzed) occurs.
    pub fn doc_freq(&self, term: &str) -> u64 {
        let term = Term::from_field_text(self.fields.text, term);
        self.guarded(|| Ok(self.searcher.doc_freq(&term)?))
            .unwrap_or(0)
    }

    /// Is the analyzed `term` a word of some document's publisher or author
    /// ([`DocInfo::source`])?
    pub fn names_a_source(&self, term: &str) -> bool {
        self.sources.contains(term)
    }

    /// Is the analyzed `term` among what some document is about, its title
    /// or topic words ([`DocInfo::about`])?
    pub fn about_a_document(&self, term: &str) -> bool {
        self.about.contains_key(term)
    }

    /// The name whose initials `word` is ("hrw": "Human Rights Watch"), if
    /// the corpus writes one ([`DocInfo::initialisms`]).
    pub fn initialism(&self, word: &str) -> Option<&str> {
        self.initialisms.get(word).map(String::as_str)
    }

    /// Does some document write the analyzed `term` as a name ([`DocInfo::names`])?
    pub fn is_name(&self, term: &str) -> bool {
        self.names.contains(term)
    }

    /// The terms of the corpus's words whose Spanish stem
    /// ([`crate::translate::spanish_stem`]) is `stem`: the forms a Spanish
    /// document writes a word in ("costó", "costará" for "cost"). None when
    /// no document is in Spanish.
    pub fn spanish_forms(&self, stem: &str) -> &[String] {
        self.spanish_forms_map()
            .get(stem)
            .map_or(&[], Vec::as_slice)
    }

    fn spanish_forms_map(&self) -> &rustc_hash::FxHashMap<String, Vec<String>> {
        self.spanish.get_or_init(|| {
            let mut map: rustc_hash::FxHashMap<String, Vec<String>> = Default::default();
            for term in self.meta.docs.iter().flat_map(|d| &d.spanish_terms) {
                let forms = map.entry(spanish_stem(term)).or_default();
                if !forms.contains(term) {
                    forms.push(term.clone());
                }
            }
            map
        })
    }

    /// Is some document in Spanish (has [`DocInfo::spanish_terms`])?
    pub fn has_spanish(&self) -> bool {
        !self.spanish_forms_map().is_empty()
    }

    /// In how many sentences a figure is stated in the measure `term`
    /// (analyzed, as [`QueryTerm::measure`]).
    pub fn measure_freq(&self, term: &str) -> u64 {
        let term = Term::from_field_text(self.fields.measure, term);
        self.guarded(|| Ok(self.searcher.doc_freq(&term)?))
            .unwrap_or(0)
    }

    /// For each document, whether `term` (analyzed) occurs in any of its
    /// sentences, headings or titles.
    pub fn docs_with(&self, term: &str) -> Vec<bool> {
        let mut has = vec![false; self.meta.docs.len()];
        for &doc in self.about.get(term).map_or(&[][..], Vec::as_slice) {
            has[doc as usize] = true;
        }
        let f = self.fields;
        // One pass over the term's postings in each field of each segment,
        // the document of each live sentence read from its fast field.
        let _ = self.guarded(|| {
            for (ord, segment) in self.searcher.segment_readers().iter().enumerate() {
                let alive = segment.alive_bitset();
                let columns = &self.columns[ord];
                for field in [f.text, f.near] {
                    let inverted = segment.inverted_index(field)?;
                    let term = Term::from_field_text(field, term);
                    let Some(mut postings) =
                        inverted.read_postings(&term, IndexRecordOption::Basic)?
                    else {
                        continue;
                    };
                    let mut doc_id = postings.doc();
                    while doc_id != tantivy::TERMINATED {
                        if alive.is_none_or(|a| a.is_alive(doc_id))
                            && let Some(doc) = columns[0].first(doc_id)
                            && let Some(slot) = has.get_mut(doc as usize)
                        {
                            *slot = true;
                        }
                        doc_id = postings.advance();
                    }
                }
            }
            Ok(())
        });
        has
    }

    /// Whether a read showed this index damaged (it is then rebuilt on the next open).
    pub fn is_damaged(&self) -> bool {
        self.damaged.load(Ordering::Relaxed)
    }

    /// Records that this index cannot be trusted: a warning, and the next
    /// open rebuilds it.
    pub fn mark_damaged(&self, why: &str) {
        if !self.damaged.swap(true, Ordering::Relaxed) {
            tracing::warn!(index = %self.path.display(), "index damaged ({why}); it will be rebuilt");
            forget(&self.path);
        }
    }

    /// Runs a read of the index; an error or a panic in it marks the index damaged.
    fn guarded<T>(&self, read: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<T> {
        let result = guard(read).unwrap_or_else(|panic| Err(anyhow::anyhow!("{panic}")));
        if let Err(e) = &result {
            self.mark_damaged(&format!("{e:#}"));
        }
        result
    }

    /// The `limit` sentences whose vectors are closest to `query` (a unit
    /// vector): a coarse pass over every sentence with the leading
    /// dimensions (the model's are ordered by variance), then exact cosines
    /// for the best of those.
    pub fn dense(&self, query: &[f32; crate::semantic::DIMS], limit: usize) -> Vec<DocAddress> {
        use crate::semantic::{COARSE_DIMS, DIMS, dot_i8, quantize};
        if limit == 0 {
            return Vec::new();
        }
        // Integer dot products over the leading dimensions: the stored rows
        // are not unit length once quantized, which the exact pass corrects.
        let q = quantize(query);
        let head = &q[..COARSE_DIMS];
        let keep = (limit * 4).min(self.rows.len());
        if keep == 0 {
            return Vec::new();
        }
        // The best `keep` by a running floor: a small buffer, cut back to
        // the best `keep` whenever it fills.
        let mut coarse: Vec<(i32, u32)> = Vec::with_capacity(keep * 4);
        let mut floor = i32::MIN;
        let cut = |coarse: &mut Vec<(i32, u32)>| {
            coarse.select_nth_unstable_by(keep - 1, |a, b| b.0.cmp(&a.0));
            coarse.truncate(keep);
            coarse.iter().map(|c| c.0).min().unwrap_or(i32::MIN)
        };
        for (row, v) in self.heads.chunks_exact(COARSE_DIMS).enumerate() {
            let score = dot_i8(head, v);
            if score > floor && self.rows[row].is_some() {
                coarse.push((score, row as u32));
                if coarse.len() == coarse.capacity() {
                    floor = cut(&mut coarse);
                }
            }
        }
        if coarse.len() > keep {
            cut(&mut coarse);
        }
        let mut exact: Vec<(f32, usize)> = coarse
            .into_iter()
            .map(|(_, row)| {
                let row = row as usize;
                let v = &self.vectors[row * DIMS..(row + 1) * DIMS];
                (crate::semantic::cosine(query, v), row)
            })
            .collect();
        exact.sort_by(|a, b| b.0.total_cmp(&a.0));
        exact
            .into_iter()
            .take(limit)
            .filter_map(|(_, row)| self.rows[row])
            .collect()
    }

    /// The best `limit` sentences for a bag of weighted terms, by BM25 over
    /// the sentence, then the sentences at `extra` that BM25 did not find
    /// (with a score of 0); each hit with where every term occurs (in the
    /// sentence, around it, in what its document is about). What surrounds a
    /// sentence counts in re-ranking, from those flags; BM25 over it as well
    /// would cost more than it finds.
    pub fn search(
        &self,
        terms: &[QueryTerm],
        limit: usize,
        extra: &[DocAddress],
    ) -> anyhow::Result<Vec<Hit>> {
        self.guarded(|| self.search_unguarded(terms, limit, extra))
    }

    fn search_unguarded(
        &self,
        terms: &[QueryTerm],
        limit: usize,
        extra: &[DocAddress],
    ) -> anyhow::Result<Vec<Hit>> {
        if terms.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let f = self.fields;
        let clauses: Vec<(Occur, Box<dyn Query>)> = terms
            .iter()
            .map(|t| {
                let field = if t.measure { f.measure } else { f.text };
                let q = TermQuery::new(
                    Term::from_field_text(field, &t.term),
                    IndexRecordOption::WithFreqs,
                );
                (
                    if t.required {
                        Occur::Must
                    } else {
                        Occur::Should
                    },
                    Box::new(BoostQuery::new(Box::new(q), t.boost)) as Box<dyn Query>,
                )
            })
            .collect();
        let query = BooleanQuery::new(clauses);
        let searcher = &self.searcher;
        let mut top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        for &address in extra {
            if !top.iter().any(|(_, a)| *a == address) {
                top.push((0.0, address));
            }
        }

        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let columns = &self.columns[address.segment_ord as usize];
            let value = |k: usize| columns[k].first(address.doc_id).unwrap_or(0);
            anyhow::ensure!(
                value(0) < self.meta.docs.len() as u64 && value(1) < value(2),
                "a sentence's place in its file is out of range"
            );
            hits.push(Hit {
                doc: value(0) as u32,
                start: value(1) as usize,
                end: value(2) as usize,
                paragraph: value(3) as u32,
                kinds: value(4),
                score,
                found: vec![0; terms.len()],
                vector: value(5),
                next_end: value(6) as usize,
                next_kinds: value(7),
                prev_start: value(8).checked_sub(1).map(|v| v as usize),
                address,
            });
        }
        // Which terms occur where: one pass over each term's postings per
        // segment, seeking the hits in document order.
        let mut order: Vec<(u32, u32, usize)> = hits
            .iter()
            .enumerate()
            .map(|(i, h)| (h.address.segment_ord, h.address.doc_id, i))
            .collect();
        order.sort_unstable();
        for group in order.chunk_by(|a, b| a.0 == b.0) {
            let segment = searcher.segment_reader(group[0].0);
            for (bit, field) in [(IN_TEXT, f.text), (IN_NEAR, f.near)] {
                let words = segment.inverted_index(field)?;
                // A measure is looked up among the sentence's measures only.
                let measures = match bit {
                    IN_TEXT => Some(segment.inverted_index(f.measure)?),
                    _ => None,
                };
                for (k, t) in terms.iter().enumerate() {
                    let (inverted, field) = match (t.measure, &measures) {
                        (false, _) => (&words, field),
                        (true, Some(measures)) => (measures, f.measure),
                        (true, None) => continue,
                    };
                    let term = Term::from_field_text(field, &t.term);
                    let Some(mut postings) =
                        inverted.read_postings(&term, IndexRecordOption::Basic)?
                    else {
                        continue;
                    };
                    for &(_, doc, i) in group {
                        if postings.doc() <= doc && postings.seek(doc) == doc {
                            hits[i].found[k] |= bit;
                        }
                    }
                }
            }
        }
        for hit in &mut hits {
            let doc = &self.meta.docs[hit.doc as usize];
            for (k, t) in terms.iter().enumerate().filter(|(_, t)| !t.measure) {
                if doc.is_about(&t.term) {
                    hit.found[k] |= IN_ABOUT;
                }
            }
        }
        Ok(hits)
    }

    /// The stored vector of a hit's sentence (empty if the row is missing).
    pub fn vector(&self, hit: &Hit) -> &[u8] {
        let dims = crate::semantic::DIMS;
        let at = hit.vector as usize * dims;
        self.vectors.get(at..at + dims).unwrap_or(&[])
    }

    /// Whether `term` (analyzed) occurs anywhere in the corpus's sentences.
    pub fn has_term(&self, term: &str) -> bool {
        self.doc_freq(term) > 0
    }

    /// The stored text of a hit: what `file[start..end]` was when indexed.
    pub fn text(&self, hit: &Hit) -> anyhow::Result<String> {
        self.guarded(|| {
            let d: TantivyDocument = self.searcher.doc(hit.address)?;
            Ok(d.get_first(self.fields.text)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string())
        })
    }

    /// The folder the index is in.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Analyzed terms of `text` with the index's analyzer, outside any index.
pub fn analyze(text: &str) -> Vec<String> {
    thread_local! {
        static ANALYZER: std::cell::RefCell<TextAnalyzer> = std::cell::RefCell::new(analyzer());
    }
    ANALYZER.with(|a| analyze_with(&mut a.borrow_mut(), text))
}

/// A Spanish word's Snowball stem, lower case, accents folded ("costó",
/// "costar" → "cost"). Also the stem of an index term of a Spanish word:
/// the index's English analysis rarely touches a Spanish ending.
pub fn spanish_stem(word: &str) -> String {
    thread_local! {
        static ANALYZER: std::cell::RefCell<TextAnalyzer> = std::cell::RefCell::new(
            TextAnalyzer::builder(tantivy::tokenizer::RawTokenizer::default())
                .filter(tantivy::tokenizer::LowerCaser)
                .filter(tantivy::tokenizer::Stemmer::new(tantivy::tokenizer::Language::Spanish))
                .filter(tantivy::tokenizer::AsciiFoldingFilter)
                .build(),
        );
    }
    ANALYZER.with(|a| analyze_with(&mut a.borrow_mut(), word).concat())
}

fn analyze_with(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

/// Opens the index at `dir` as it is, without looking at the corpus or
/// rebuilding; returns how many sentences it holds. A damaged index is an
/// error that says so ("index damaged"), never a panic.
pub fn check(dir: &Path) -> anyhow::Result<u64> {
    lock::check_target(dir)?;
    let damaged = |e: &dyn std::fmt::Display| {
        anyhow::anyhow!(
            "index damaged in {}: {e} (run `verbatim index` to rebuild it)",
            dir.display()
        )
    };
    let meta = match read_meta(dir) {
        Ok(Some(meta)) => meta,
        Ok(None) => anyhow::bail!(
            "no readable index in {} (run `verbatim index`)",
            dir.display()
        ),
        Err(e) => return Err(damaged(&e)),
    };
    anyhow::ensure!(
        meta.format == FORMAT,
        "the index in {} is from another version (run `verbatim index`)",
        dir.display()
    );
    let index = Index::open(dir, meta).map_err(|e| damaged(&format!("{e:#}")))?;
    Ok(index.sentence_count())
}

/// Makes the next open rebuild the index in `dir` from scratch.
pub fn forget(dir: &Path) {
    let _ = std::fs::remove_file(dir.join(META_FILE));
}

/// The index's record in `dir`: `None` when there is none, an error when it
/// is there but damaged.
fn read_meta(dir: &Path) -> Result<Option<IndexMeta>, Damage> {
    match std::fs::read(dir.join(META_FILE)) {
        Ok(bytes) => integrity::open_seal(&bytes).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Damage(format!("{META_FILE}: {e}"))),
    }
}

/// Writes the record through a temporary file of this process and a rename,
/// so that a reader sees the old record or the new one, never a mix.
fn write_meta(dir: &Path, meta: &IndexMeta) -> anyhow::Result<()> {
    let tmp = dir.join(format!("{META_FILE}.tmp-{}", std::process::id()));
    std::fs::write(&tmp, integrity::seal(meta)?)?;
    std::fs::rename(&tmp, dir.join(META_FILE))?;
    Ok(())
}

/// When only modification times changed, records them so that the next
/// start does not hash those files again: only when no other process is
/// building, and the record is still the one that was read.
fn remember_times(dir: &Path, meta: &IndexMeta, prints: Vec<FilePrint>) {
    if prints == meta.fingerprint {
        return;
    }
    let Some(_held) = lock::try_acquire(dir) else {
        return;
    };
    if let Ok(Some(now)) = read_meta(dir)
        && now.files == meta.files
        && now.fingerprint == meta.fingerprint
    {
        let mut meta = now;
        meta.fingerprint = prints;
        let _ = write_meta(dir, &meta);
    }
}
