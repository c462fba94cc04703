//! The search index: the only module that knows tantivy.
//!
//! One tantivy document per quotable sentence, with the sentence text (stored,
//! stemmed, stop words removed), a `context` field (document title, section
//! heading, neighbouring sentences) that helps a sentence match a question
//! whose words sit around it, and the sentence's position in its file. Beside
//! the tantivy files, `verbatim.json` keeps the corpus fingerprint and the
//! per-document data that citations need (metadata, headings, paragraph
//! numbers, reference lists).
//!
//! [`Index::open_or_build`] is the whole life cycle: it reuses the index when
//! the corpus fingerprint matches, and otherwise (first use, corpus changed,
//! index missing, corrupt or from another version) rebuilds it in a fresh
//! folder and swaps it in.

mod build;
pub mod fingerprint;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer,
};
use tantivy::{DocAddress, IndexReader, ReloadPolicy, TantivyDocument, Term};

use crate::corpus::{self, Meta, Skipped};
use crate::segment::Reference;
use fingerprint::FilePrint;

/// Bump when the schema, the analyzer or segmentation changes: older indexes are rebuilt.
const FORMAT: u32 = 3;
const META_FILE: &str = "verbatim.json";
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
}

/// The index's own record of what it was built from.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndexMeta {
    pub format: u32,
    pub fingerprint: Vec<FilePrint>,
    pub docs: Vec<DocInfo>,
    pub skipped: Vec<Skipped>,
    pub sentences: u64,
}

/// A query word (already analyzed) and its weight.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryTerm {
    pub term: String,
    pub boost: f32,
}

/// One retrieved sentence.
#[derive(Debug, Clone)]
pub struct Hit {
    /// Index into [`Index::docs`].
    pub doc: u32,
    pub start: usize,
    pub end: usize,
    pub paragraph: u32,
    pub text: String,
    /// Title, section heading and neighbouring sentences, as indexed.
    pub context: String,
    pub score: f32,
}

impl Hit {
    /// The context split into what the whole document is about (title and
    /// topic words) and what stands right around the sentence (section
    /// heading and neighbouring sentences).
    pub fn context_parts(&self) -> (String, String) {
        let mut lines = self.context.splitn(3, '\n');
        let doc = format!(
            "{} {}",
            lines.next().unwrap_or(""),
            lines.next().unwrap_or("")
        );
        (doc, lines.next().unwrap_or("").to_string())
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
    context: Field,
    doc: Field,
    start: Field,
    end: Field,
    paragraph: Field,
}

/// An open index, ready to search. Cheap to share behind an `Arc`.
pub struct Index {
    reader: IndexReader,
    fields: Fields,
    meta: IndexMeta,
    path: PathBuf,
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
    let indexed = |stored: bool| {
        let opts = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqs),
        );
        if stored { opts.set_stored() } else { opts }
    };
    let fields = Fields {
        text: b.add_text_field("text", indexed(true)),
        context: b.add_text_field("context", indexed(true)),
        doc: b.add_u64_field("doc", STORED),
        start: b.add_u64_field("start", STORED),
        end: b.add_u64_field("end", STORED),
        paragraph: b.add_u64_field("paragraph", STORED),
    };
    (b.build(), fields)
}

/// English analysis shared by indexing and questions: words split on
/// non-alphanumerics, lower-cased, accents folded ("Hernández" = "hernandez"),
/// stop words removed, Snowball-stemmed.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StopWordFilter::new(Language::English).expect("English stop words"))
        .filter(Stemmer::new(Language::English))
        .build()
}

impl Index {
    /// Opens the index at `index_dir` for the corpus at `corpus_dir`, building
    /// or rebuilding it when needed. Fails only when the corpus folder cannot
    /// be listed or the index folder cannot be written.
    pub fn open_or_build(
        corpus_dir: &Path,
        index_dir: &Path,
        progress: bool,
    ) -> anyhow::Result<(Index, Origin)> {
        let (entries, listing_skips) = corpus::list(corpus_dir)?;
        let stored = read_meta(index_dir);
        let previous = stored.as_ref().map_or(&[][..], |m| &m.fingerprint[..]);
        let prints = fingerprint::current(&entries, previous);
        let reason = match &stored {
            None => "no index yet".to_string(),
            Some(m) if m.format != FORMAT => "index from another version".to_string(),
            Some(m) if !fingerprint::same_contents(&m.fingerprint, &prints) => {
                "corpus changed".to_string()
            }
            Some(m) => match Index::open(index_dir, m.clone()) {
                Ok(index) => {
                    if prints != m.fingerprint {
                        // Only times changed: remember them so the next start is fast.
                        let mut meta = m.clone();
                        meta.fingerprint = prints;
                        let _ = write_meta(index_dir, &meta);
                    }
                    return Ok((index, Origin::Reused));
                }
                Err(e) => format!("index unreadable ({e:#})"),
            },
        };
        tracing::info!(reason = %reason, index = %index_dir.display(), "building index");
        build::build(&entries, listing_skips, prints, index_dir, progress)?;
        let meta = read_meta(index_dir).context("reading the index just built")?;
        let index = Index::open(index_dir, meta).context("opening the index just built")?;
        Ok((index, Origin::Built { reason }))
    }

    fn open(dir: &Path, meta: IndexMeta) -> anyhow::Result<Index> {
        let index = tantivy::Index::open_in_dir(dir)?;
        let (expected, fields) = schema();
        if index.schema() != expected {
            anyhow::bail!("schema differs");
        }
        index.tokenizers().register(ANALYZER, analyzer());
        let reader = index
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
        for segment in searcher.segment_readers() {
            segment.inverted_index(fields.text)?;
            segment.inverted_index(fields.context)?;
        }
        Ok(Index {
            reader,
            fields,
            meta,
            path: dir.to_path_buf(),
        })
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
        self.reader
            .searcher()
            .doc_freq(&Term::from_field_text(self.fields.text, term))
            .unwrap_or(0)
    }

    /// The best `limit` sentences for a bag of weighted terms, by BM25 over the
    /// sentence (full weight) and its context (lower weight).
    pub fn search(&self, terms: &[QueryTerm], limit: usize) -> anyhow::Result<Vec<Hit>> {
        if terms.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::with_capacity(terms.len() * 2);
        for t in terms {
            for (field, weight) in [(self.fields.text, 1.0), (self.fields.context, 0.35)] {
                let q = TermQuery::new(
                    Term::from_field_text(field, &t.term),
                    IndexRecordOption::WithFreqs,
                );
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(q), t.boost * weight)),
                ));
            }
        }
        let query = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        let top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        top.into_iter()
            .map(|(score, addr)| self.hit(&searcher, addr, score))
            .collect()
    }

    fn hit(
        &self,
        searcher: &tantivy::Searcher,
        addr: DocAddress,
        score: f32,
    ) -> anyhow::Result<Hit> {
        let d: TantivyDocument = searcher.doc(addr)?;
        let f = &self.fields;
        let num = |field| d.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
        let text = |field| {
            d.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        Ok(Hit {
            doc: num(f.doc) as u32,
            start: num(f.start) as usize,
            end: num(f.end) as usize,
            paragraph: num(f.paragraph) as u32,
            text: text(f.text),
            context: text(f.context),
            score,
        })
    }
}

/// Analyzed terms of `text` with the index's analyzer, outside any index.
pub fn analyze(text: &str) -> Vec<String> {
    thread_local! {
        static ANALYZER: std::cell::RefCell<TextAnalyzer> = std::cell::RefCell::new(analyzer());
    }
    ANALYZER.with(|a| analyze_with(&mut a.borrow_mut(), text))
}

fn analyze_with(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

fn read_meta(dir: &Path) -> Option<IndexMeta> {
    let bytes = std::fs::read(dir.join(META_FILE)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

fn write_meta(dir: &Path, meta: &IndexMeta) -> anyhow::Result<()> {
    let tmp = dir.join(format!("{META_FILE}.tmp"));
    std::fs::write(&tmp, serde_json::to_vec(meta)?)?;
    std::fs::rename(&tmp, dir.join(META_FILE))?;
    Ok(())
}
