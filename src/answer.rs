//! The engine and its answers: plain, synchronous data in and out.
//!
//! [`Engine::answer`] turns a question into an [`Answer`]: verbatim extracts,
//! each with a [`Citation`]-ready description of where it comes from, or an
//! honest "not found". Boundary: no terminal, no Discord, no async; it never
//! changes the words of a quote — `quote` is always exactly
//! `file[start..end]`, read from the file and checked against the index
//! ([`crate::quotes`]). It never panics either: when the index turns out
//! damaged while answering, it is rebuilt and the question answered again.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use serde::Serialize;

use crate::config::{AnswerSettings, Settings};
use crate::corpus::{Meta, Skipped};
use crate::figures::asked::Asked;
use crate::figures::{self, Figures, Passage};
use crate::index::{DocInfo, IN_ABOUT, IN_NEAR, IN_TEXT, Index, Origin, QueryTerm, fingerprint};
use crate::question::{self, Question};
use crate::quotes::Quotes;
use crate::retrieve::{self, Ranked, Retrieval};

pub mod fitted;

/// What the bot says when the documents do not answer a question.
pub const NOT_FOUND: &str = "I couldn't find this in the documents.";

/// At most this many quotes are shown for figures, even beyond `answer.extracts`.
const MAX_FIGURE_QUOTES: usize = 10;
/// How many candidates under the coverage floor a figure question reads for
/// their figures (the best first; each costs a read of its text).
const MAX_UNDER_FLOOR: usize = 4;
/// How many of the best sentences are read to see whether what a "what is
/// the …" question asks about is measured by a figure (the best only: lower
/// ones mention the noun in passing).
const MEASURED_BY: usize = 1;
/// How many of the best candidates the decline model's figure signal reads
/// (as many as the ranker's second stage reads word by word).
const FIGURE_READ: usize = crate::fitted::RERANK_TOP;
/// How many distinct figures are looked for elsewhere in the corpus.
const MAX_FIGURES_COMPLETED: usize = 4;
/// How many sentences holding a figure's digits are read for each.
const SAME_FIGURE_CANDIDATES: usize = 20;
/// The question's words only order the sentences that hold a figure's
/// digits: a small weight beside the digits' own.
const QUESTION_WORDS_BOOST: f32 = 0.2;

#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    pub question: String,
    pub answered: bool,
    /// [`NOT_FOUND`] when not answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    pub extracts: Vec<Extract>,
    /// The figures the sources give, when the question asks for a quantity.
    pub figures: Option<Figures>,
    /// How many sentences of the ranking this page went through: more than
    /// its extracts when one took in a neighbour that was on the page too.
    /// The next page ("More") starts after them.
    #[serde(skip)]
    pub consumed: usize,
}

/// A verbatim span of one document, with what a citation needs.
#[derive(Debug, Clone, Serialize)]
pub struct Extract {
    /// Path relative to the corpus folder.
    pub doc: String,
    pub title: String,
    pub publisher: Option<String>,
    pub author: Option<String>,
    pub url: Option<String>,
    pub date: Option<String>,
    /// Exactly `file[start..end]`.
    pub quote: String,
    pub start: usize,
    pub end: usize,
    pub score: f32,
    /// The section heading the quote sits under, when the document has one.
    pub section: Option<String>,
    /// 1-based number of the prose paragraph in the document.
    pub paragraph: u32,
    /// The document's own reference-list entries for markers like `[5]` in the quote.
    pub references: Vec<SourceReference>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceReference {
    pub marker: u32,
    pub title: String,
    pub url: Option<String>,
}

/// A corpus document as listed by `sources`.
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub doc: String,
    #[serde(flatten)]
    pub meta: Meta,
    pub bytes: u64,
    pub sentences: u64,
}

/// The question-answering engine over one corpus and its index.
#[derive(Debug)]
pub struct Engine {
    /// The index answers come from: the opened one, or its rebuild after
    /// damage was found while answering.
    current: Arc<RwLock<Arc<Index>>>,
    /// Held while the index is rebuilt, so that one rebuild serves every
    /// answer that found the damage.
    rebuilding: Arc<Mutex<()>>,
    /// Set while a background rebuild runs (see [`Engine::rebuild_in_background`]).
    background_running: Arc<AtomicBool>,
    /// Rebuild a damaged index on a thread of its own and keep answering
    /// from the valid part of the old one, instead of rebuilding before
    /// answering again.
    background: bool,
    index_dir: PathBuf,
    corpus: PathBuf,
    /// Related words closer than this widen a question.
    neighbour_min: f32,
    /// What a figure of the asked measure is worth for the measure's word.
    measure_credit: f32,
    /// What a word of the other language is worth for a question's word.
    translation_credit: f32,
    /// How strictly figures are selected.
    selection: figures::Selection,
    /// Each further extract from a shown document scores this much less.
    same_doc_discount: f32,
    /// Extracts after the best need this share of its coverage.
    relative_share: f32,
    /// A sentence elsewhere that states a found figure needs this share of
    /// the best extract's coverage.
    elsewhere_share: f32,
    /// …or this likeness (cosine of the sentence vectors) to a sentence
    /// that states it.
    elsewhere_likeness: f32,
    settings: AnswerSettings,
    origin: Origin,
}

impl Engine {
    /// Opens the corpus and index named by `settings`, building the index when
    /// needed. Shows a progress bar while building when `progress` is set and
    /// stderr is a terminal.
    pub fn open(settings: &Settings, progress: bool) -> anyhow::Result<Engine> {
        Self::open_paths(
            &settings.corpus.path,
            &settings.index.path,
            settings.answer.clone(),
            progress,
        )
    }

    pub fn open_paths(
        corpus: &Path,
        index: &Path,
        settings: AnswerSettings,
        progress: bool,
    ) -> anyhow::Result<Engine> {
        let index_dir = index.to_path_buf();
        let (index, origin) = Index::open_or_build(corpus, index, progress)?;
        Ok(Engine {
            current: Arc::new(RwLock::new(Arc::new(index))),
            rebuilding: Arc::new(Mutex::new(())),
            background_running: Arc::new(AtomicBool::new(false)),
            background: false,
            index_dir,
            corpus: corpus.to_path_buf(),
            neighbour_min: crate::fitted::NEIGHBOUR_MIN_SIMILARITY,
            measure_credit: crate::fitted::MEASURE_CREDIT,
            translation_credit: figures::fitted::TRANSLATION_CREDIT,
            selection: figures::Selection::default(),
            same_doc_discount: fitted::SAME_DOC_DISCOUNT,
            relative_share: fitted::RELATIVE_SHARE,
            elsewhere_share: fitted::ELSEWHERE_SHARE,
            elsewhere_likeness: fitted::ELSEWHERE_LIKENESS,
            settings,
            origin,
        })
    }

    /// A long-running server's choice: when an answer finds the index
    /// damaged, it is rebuilt on a thread of its own while answers go on
    /// from what the old index still holds valid (every quote is checked
    /// against its file either way). One-shot commands rebuild first and
    /// answer from the new index.
    pub fn rebuild_in_background(mut self) -> Engine {
        self.background = true;
        self
    }

    /// Whether the index was reused or (re)built, and why.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    /// Files of the corpus that the current index leaves out, with why.
    pub fn skipped(&self) -> Vec<Skipped> {
        self.index().skipped().to_vec()
    }

    /// Every corpus file as the current index knows it (path, size, content hash).
    pub fn fingerprint(&self) -> Vec<fingerprint::FilePrint> {
        self.index().fingerprint().to_vec()
    }

    /// A short identifier of the corpus state the answers come from (it
    /// changes when a damaged or outdated index is rebuilt).
    pub fn fingerprint_id(&self) -> String {
        self.index().fingerprint_id().to_string()
    }

    pub fn sentence_count(&self) -> u64 {
        self.index().sentence_count()
    }

    /// The index answers come from now.
    fn index(&self) -> Arc<Index> {
        self.current.read().expect("index lock").clone()
    }

    /// The documents of the corpus, in path order.
    pub fn sources(&self) -> Vec<Source> {
        self.index()
            .docs()
            .iter()
            .filter(|d| !d.path.is_empty())
            .map(|d| Source {
                doc: d.path.clone(),
                meta: d.meta.clone(),
                bytes: d.size,
                sentences: d.sentences,
            })
            .collect()
    }

    /// Answers with up to the configured number of extracts.
    pub fn answer(&self, question: &str) -> Answer {
        self.answer_page(question, 0, self.settings.extracts)
    }

    /// Answers with extracts `skip..skip + take` of the full ranking (for "More").
    /// When the index shows damage on the way (a read fails or panics, a
    /// quote differs from its file), the index is rebuilt and the question
    /// answered once more from the new one.
    pub fn answer_page(&self, question: &str, skip: usize, take: usize) -> Answer {
        let index = self.index();
        let first = self.answer_from(&index, question, skip, take);
        if !index.is_damaged() {
            return first;
        }
        if self.background {
            self.spawn_rebuild(index);
            return first;
        }
        match rebuild(
            &self.rebuilding,
            &self.current,
            &self.corpus,
            &self.index_dir,
            &index,
        ) {
            Some(fresh) => self.answer_from(&fresh, question, skip, take),
            None => first,
        }
    }

    /// Starts one background rebuild of `damaged` unless one is running.
    fn spawn_rebuild(&self, damaged: Arc<Index>) {
        if self.background_running.swap(true, Ordering::AcqRel) {
            return;
        }
        let (lock, current, running) = (
            self.rebuilding.clone(),
            self.current.clone(),
            self.background_running.clone(),
        );
        let (corpus, index_dir) = (self.corpus.clone(), self.index_dir.clone());
        let spawned = std::thread::Builder::new()
            .name("verbatim-rebuild".into())
            .spawn(move || {
                if rebuild(&lock, &current, &corpus, &index_dir, &damaged).is_some() {
                    tracing::info!(index = %index_dir.display(), "damaged index rebuilt in the background");
                }
                running.store(false, Ordering::Release);
            });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "could not start the background rebuild");
            self.background_running.store(false, Ordering::Release);
        }
    }

    /// One attempt at an answer; a panic on the way is a "not found".
    fn answer_from(&self, index: &Index, question: &str, skip: usize, take: usize) -> Answer {
        let attempt = crate::guard::guard(|| {
            let (analyzed, asked, retrieval, subject) = self.retrieve_from(index, question);
            self.compose(
                index,
                question,
                &analyzed,
                (asked.as_ref(), subject),
                &retrieval,
                skip,
                take,
            )
        });
        attempt.unwrap_or_else(|panic| {
            tracing::error!(error = %panic, "answering failed");
            Answer::not_found(question)
        })
    }

    /// The question analyzed and widened against the corpus, what quantity
    /// it asks for, and the ranked candidates with the decision.
    pub fn retrieve(&self, question: &str) -> (Question, Option<Asked>, Retrieval) {
        let (question, asked, retrieval, _) = self.retrieve_from(&self.index(), question);
        (question, asked, retrieval)
    }

    /// [`Engine::retrieve`], with the documents on the question's subject
    /// when it asks for a quantity.
    fn retrieve_from(
        &self,
        index: &Index,
        question: &str,
    ) -> (Question, Option<Asked>, Retrieval, Option<Subject>) {
        let mut analyzed = question::analyze(question);
        question::widen(
            &mut analyzed,
            index,
            self.neighbour_min,
            self.translation_credit,
        );
        // "What was the top speed…?": a measure asks for a figure, in
        // whatever the sources measure it; a name is no measure ("what is
        // SCHED_DEADLINE").
        let stated = || {
            let noun = figures::asked::asked_noun(&analyzed.text)?;
            let term = crate::index::analyze(&noun).into_iter().next()?;
            let named = analyzed
                .concepts
                .iter()
                .any(|c| c.name && c.terms.contains(&term));
            (figures::words::measure_noun(&noun) && !named)
                .then(|| figures::asked::asked_as(&analyzed.text, figures::asked::Want::Stated))
        };
        let asked = figures::asked::asked(&analyzed.text).or_else(stated);
        if let Some(asked) = &asked {
            analyzed.set_measure(asked, self.measure_credit, index);
        }
        // A quantity question reads more candidates, to see every figure the corpus gives.
        let candidates = match asked {
            Some(_) => self.settings.candidates * 2,
            None => self.settings.candidates,
        };
        let subject = asked.as_ref().map(|_| Subject::of(index, &analyzed));
        let fit = |retrieval: &Retrieval, ranked: &[Ranked]| match (&asked, &subject) {
            (Some(asked), Some(subject)) => figure_fit(
                index,
                &analyzed,
                asked,
                subject,
                self.selection,
                retrieval,
                ranked,
            ),
            _ => 0.0,
        };
        let mut retrieval = match retrieve::retrieve(
            index,
            &analyzed,
            &self.settings,
            candidates,
            self.relative_share,
            asked.is_some().then_some(&fit as &retrieve::FigureFit),
        ) {
            Ok(r) => r,
            Err(e) => {
                tracing::error!(error = %e, "search failed");
                Retrieval::default()
            }
        };
        // What the best sentences measure the question's noun in ("the real
        // death toll was 1,517": a count).
        let measured = || {
            let noun = figures::asked::asked_noun(&analyzed.text)?;
            retrieval.ranked.iter().take(MEASURED_BY).find_map(|r| {
                let text = index.text(&r.hit).ok()?;
                figures::asked::measured_in(&noun, &text, doc_lang(index, r.hit.doc))
            })
        };
        let asked = match asked {
            // A measure, in the kind its best sentence gives it, if it does.
            Some(a) if a.want == figures::asked::Want::Stated => {
                Some(measured().map_or(a, |want| figures::asked::asked_as(&analyzed.text, want)))
            }
            Some(a) => Some(a),
            // "What was the death toll…?": a question about something the
            // best sources measure with a figure asks for that figure.
            None => measured().map(|want| figures::asked::asked_as(&analyzed.text, want)),
        };
        // A question without a word ("~2", "[2]", "250") is only answered by
        // sentences that state it as written: its digits alone match too much
        // (every reference marker "[2]").
        if let Some(literal) = wordless(question) {
            retrieval.ranked.retain(|r| {
                index
                    .text(&r.hit)
                    .is_ok_and(|t| states_literally(&t, literal))
            });
        }
        (analyzed, asked, retrieval, subject)
    }

    /// Widens questions with related words at least this close (for fitting).
    pub fn set_neighbour_min(&mut self, similarity: f32) {
        self.neighbour_min = similarity;
    }

    /// Selects figures this strictly (for fitting).
    pub fn set_figure_selection(&mut self, selection: figures::Selection) {
        self.selection = selection;
    }

    /// Credits a word of the other language this much (for fitting).
    pub fn set_translation_credit(&mut self, credit: f32) {
        self.translation_credit = credit;
    }

    /// Composes answers with this same-document discount, these relative
    /// coverage shares and this likeness of a figure's other sources (for
    /// fitting).
    pub fn set_composition(
        &mut self,
        same_doc_discount: f32,
        relative_share: f32,
        elsewhere_share: f32,
        elsewhere_likeness: f32,
    ) {
        self.same_doc_discount = same_doc_discount;
        self.relative_share = relative_share;
        self.elsewhere_share = elsewhere_share;
        self.elsewhere_likeness = elsewhere_likeness;
    }

    /// Credits a figure of the asked measure this much (for fitting).
    pub fn set_measure_credit(&mut self, credit: f32) {
        self.measure_credit = credit;
    }

    /// What the ranker and the decline model saw for a question, with the
    /// text of the best `limit` candidates (for `tools/fit/fit.py`).
    pub fn signals(&self, question: &str, limit: usize) -> serde_json::Value {
        let index = self.index();
        let (analyzed, _, retrieval, _) = self.retrieve_from(&index, question);
        let candidates: Vec<serde_json::Value> = retrieval
            .candidates
            .iter()
            .take(limit)
            .map(|r| {
                let text = index.text(&r.hit).unwrap_or_default();
                serde_json::json!({
                    "doc": index.docs()[r.hit.doc as usize].path,
                    "start": r.hit.start,
                    "signals": r.signals,
                    "reading": retrieve::read_hit(&analyzed, &retrieval, &r.hit, &text),
                    "text": text,
                })
            })
            .collect();
        serde_json::json!({
            "question": question,
            "decline": retrieval.decline,
            "confidence": retrieval.confidence,
            "candidates": candidates,
        })
    }

    #[expect(clippy::too_many_arguments, reason = "one answer's parts, passed once")]
    fn compose(
        &self,
        index: &Index,
        text: &str,
        question: &Question,
        (asked, subject): (Option<&Asked>, Option<Subject>),
        retrieval: &Retrieval,
        skip: usize,
        take: usize,
    ) -> Answer {
        if retrieval.ranked.is_empty() {
            return Answer::not_found(text);
        }
        // Known already unless the quantity was read from the best sources.
        let subject = asked.and_then(|_| subject.or_else(|| Some(Subject::of(index, question))));
        // A figure question that names its subject also reads the candidates
        // under the coverage floor that state a figure, in documents that
        // name it: a source that words the figure apart from the name ("then
        // 1,517 people died that night") still gives it. They are quoted
        // only if a figure of theirs answers.
        let pool: Vec<Ranked>;
        // Not for a year: a document dates many things, and its years are not
        // one quantity that sources could disagree on.
        let named = question.concepts.iter().any(|c| c.name)
            && asked.is_some_and(|a| a.want != figures::asked::Want::Year);
        let ranked: &[Ranked] = match subject.as_ref().filter(|_| named) {
            Some(subject) => {
                let shown =
                    |c: &Ranked| retrieval.ranked.iter().any(|r| r.hit.same_sentence(&c.hit));
                let under = retrieval
                    .candidates
                    .iter()
                    .filter(|c| {
                        c.hit.kinds & crate::segment::QUANTITY != 0
                            && subject.every[c.hit.doc as usize]
                            && !shown(c)
                    })
                    .take(MAX_UNDER_FLOOR);
                pool = retrieval.ranked.iter().chain(under).cloned().collect();
                &pool
            }
            None => &retrieval.ranked,
        };
        let floor = retrieval.ranked.len();
        let mut texts = Texts::new(Quotes::new(&self.corpus, index), ranked);

        let mut stated = Vec::new();
        let mut elsewhere = Vec::new();
        if let (Some(asked), Some(subject)) = (asked, &subject) {
            let near = nearness(question, retrieval, ranked);
            let all: Vec<usize> = (0..ranked.len()).collect();
            texts.load(&all);
            let passages: Vec<Passage> = all
                .iter()
                .map(|&p| Passage {
                    text: texts.get(p).unwrap_or(""),
                    near: &near[p],
                    lang: doc_lang(index, ranked[p].hit.doc),
                    on_subject: subject.every[ranked[p].hit.doc as usize],
                })
                .collect();
            let concepts = figure_concepts(question, retrieval);
            stated = figures::select(asked, &concepts, &passages, self.selection);
            // Every document that states a figure found, not only those
            // worded closest to the question.
            if !stated.is_empty() {
                let floor = retrieval.ranked[0].coverage * self.elsewhere_share;
                elsewhere = same_figures_elsewhere(
                    index,
                    retrieval,
                    Elsewhere {
                        // A source of a figure already found may name only
                        // part of what the question names (a report on the
                        // eruption that calls Velmora "the island").
                        subject: &subject.some,
                        asked,
                        floor,
                        likeness: self.elsewhere_likeness,
                    },
                    ranked,
                    &mut stated,
                );
            }
        }
        let pool_len = ranked.len();
        let with_elsewhere: Vec<Ranked>;
        let ranked: &[Ranked] = if elsewhere.is_empty() {
            ranked
        } else {
            with_elsewhere = ranked.iter().cloned().chain(elsewhere).collect();
            &with_elsewhere
        };
        let mut texts = texts.rebind(ranked);
        let mut stating: Vec<usize> = Vec::new();
        for s in &stated {
            if !stating.contains(&s.passage) {
                stating.push(s.passage);
            }
        }
        stating.sort_unstable();
        let docs = index.docs();
        let prefer = asked.and_then(|a| a.unit.as_deref());
        let groups = figures::group(stated, prefer, |p| {
            docs[ranked[p].hit.doc as usize].path.clone()
        });

        // Quotes that state a figure come first (best ranked first), then the
        // best sentence if it states none (however many figure quotes there
        // are: it is the answer's best match), then the rest of the ranking,
        // several sources before more of one, without near-duplicates.
        // Candidates under the floor are quoted only for their figures.
        let best_unstated = !stating.is_empty() && !stating.contains(&0);
        let rest: Vec<usize> = (0..ranked.len())
            .filter(|&p| !stating.contains(&p) && (p < floor || p >= pool_len))
            .filter(|&p| !(best_unstated && p == 0))
            .collect();
        let shown_first = stating.len().min(MAX_FIGURE_QUOTES);
        let order: Vec<usize> = stating[..shown_first]
            .iter()
            .copied()
            .chain(best_unstated.then_some(0))
            .chain(stating[shown_first..].iter().copied())
            .chain(diversify(ranked, rest, self.same_doc_discount))
            .collect();
        let take = match skip {
            0 => take.max(shown_first + usize::from(best_unstated)),
            _ => take,
        };
        let mut kept: Vec<(usize, HashSet<String>)> = Vec::new();
        for p in order {
            let Some(t) = texts.fetch(p) else { continue };
            let words = retrieve::word_set(t);
            let duplicate = kept
                .iter()
                .any(|(_, k)| retrieve::near_duplicate(&words, k));
            if duplicate && !stating.contains(&p) {
                continue;
            }
            kept.push((p, words));
            if kept.len() >= skip + take {
                break;
            }
        }
        let listed: Vec<usize> = kept.into_iter().map(|(p, _)| p).collect();
        let consumed = listed.len().saturating_sub(skip);
        // Earlier pages' quotes are joined again, so that this page's never
        // take in a sentence one of theirs quoted; only this page's are shown.
        let (mut extracts, mut placed) = self.joined_extracts(index, &mut texts, ranked, &listed);
        if skip > 0 {
            // Extracts are numbered in the order of their first passage.
            let earlier = placed[..skip.min(placed.len())]
                .iter()
                .map(|x| x.extract + 1)
                .max()
                .unwrap_or(0);
            extracts.drain(..earlier.min(extracts.len()));
            placed.clear();
        }
        let figures = asked.filter(|_| skip == 0).map(|_| {
            let conflict = figures::disagree(&groups);
            let values = figure_values(groups, |p| {
                placed
                    .iter()
                    .find(|x| x.passage == p)
                    .map(|x| (x.extract, x.offset))
            });
            // A part of a larger figure ("including 238…") does not contradict it.
            Figures {
                conflict,
                untied: false,
                values,
            }
        });
        let mut answer = Answer {
            question: text.to_string(),
            answered: true,
            message: None,
            extracts,
            figures,
            consumed,
        };
        if let Some(asked) = asked.filter(|_| skip == 0) {
            let mut langs: Vec<Option<figures::Lang>> = vec![None; answer.extracts.len()];
            for x in &placed {
                langs[x.extract] = doc_lang(index, ranked[x.passage].hit.doc);
            }
            figures_shown(asked, &langs, &mut answer);
        }
        answer
    }

    /// The extracts of a page: each sentence with its neighbours when they
    /// belong to it (the answer next door): the sentence before when this
    /// one refers back to it ("It opened…"), the sentence after when that
    /// one carries this on ("This is called…"), unless another extract
    /// already quotes it. A sentence of the page that an earlier extract
    /// took in is quoted there, not again. Each extract is still one exact
    /// span of its file; with them, where each passage of the page is.
    fn joined_extracts(
        &self,
        index: &Index,
        texts: &mut Texts,
        ranked: &[Ranked],
        page: &[usize],
    ) -> (Vec<Extract>, Vec<Placed>) {
        let mut out: Vec<Extract> = Vec::with_capacity(page.len());
        let mut placed = Vec::with_capacity(page.len());
        let mut spans: Vec<(u32, usize, usize)> = Vec::with_capacity(page.len());
        let free = |spans: &[(u32, usize, usize)], doc: u32, from: usize, to: usize| {
            !spans
                .iter()
                .any(|&(d, s, e)| d == doc && s < to && from < e)
        };
        for &p in page {
            let r = &ranked[p];
            let h = &r.hit;
            if let Some(host) = spans
                .iter()
                .position(|&(d, s, e)| d == h.doc && s <= h.start && h.end <= e)
            {
                placed.push(Placed {
                    passage: p,
                    extract: host,
                    offset: h.start - spans[host].1,
                });
                continue;
            }
            let from = h
                .prev_start
                .filter(|&s| free(&spans, h.doc, s, h.start))
                .unwrap_or(h.start);
            let to = if h.next_end > h.end && free(&spans, h.doc, h.end, h.next_end) {
                h.next_end
            } else {
                h.end
            };
            let joined = ((from, to) != (h.start, h.end))
                .then(|| texts.quotes.span(h.doc, from, to))
                .flatten();
            let (from, to, quote) = match joined {
                Some(quote) => (from, to, quote),
                None => (
                    h.start,
                    h.end,
                    texts.fetch(p).unwrap_or_default().to_string(),
                ),
            };
            let mut e = self.extract(index, r, quote);
            (e.start, e.end) = (from, to);
            placed.push(Placed {
                passage: p,
                extract: out.len(),
                offset: h.start - from,
            });
            spans.push((h.doc, from, to));
            out.push(e);
        }
        (out, placed)
    }

    /// An extract of the hit `r` quoting `quote`, with what its citation needs.
    fn extract(&self, index: &Index, r: &Ranked, quote: String) -> Extract {
        let info: &DocInfo = &index.docs()[r.hit.doc as usize];
        let (paragraph, section) = info
            .paragraphs
            .get(r.hit.paragraph as usize)
            .copied()
            .unwrap_or((0, None));
        let references = markers(&quote)
            .into_iter()
            .filter_map(|m| {
                info.references.get(&m).map(|rf| SourceReference {
                    marker: m,
                    title: rf.title.clone(),
                    url: rf.url.clone(),
                })
            })
            .collect();
        Extract {
            doc: info.path.clone(),
            title: info.meta.title.clone(),
            publisher: info.meta.publisher.clone(),
            author: info.meta.author.clone(),
            url: info.meta.url.clone(),
            date: info.meta.date.clone(),
            quote,
            start: r.hit.start,
            end: r.hit.end,
            score: (r.score * 1000.0).round() / 1000.0,
            section: section.and_then(|s| info.headings.get(s as usize).cloned()),
            paragraph,
            references,
        }
    }
}

/// Texts of ranked hits, read from their files (and checked against the
/// index) once each and only when needed.
struct Texts<'a> {
    quotes: Quotes<'a>,
    ranked: &'a [Ranked],
    texts: Vec<Option<Option<String>>>,
}

impl<'a> Texts<'a> {
    fn new(quotes: Quotes<'a>, ranked: &'a [Ranked]) -> Self {
        Texts {
            quotes,
            ranked,
            texts: vec![None; ranked.len()],
        }
    }

    /// The same texts over a longer ranking that begins with this one.
    fn rebind<'b>(self, ranked: &'b [Ranked]) -> Texts<'b>
    where
        'a: 'b,
    {
        let mut texts = self.texts;
        texts.resize(ranked.len(), None);
        Texts {
            quotes: self.quotes,
            ranked,
            texts,
        }
    }

    fn load(&mut self, which: &[usize]) {
        for &p in which {
            self.fetch(p);
        }
    }

    /// The text, or `None` when the file does not hold what the index has
    /// (it is then never quoted).
    fn fetch(&mut self, p: usize) -> Option<&str> {
        if self.texts[p].is_none() {
            self.texts[p] = Some(self.quotes.sentence(&self.ranked[p].hit));
        }
        self.get(p)
    }

    fn get(&self, p: usize) -> Option<&str> {
        self.texts[p].as_ref().and_then(|t| t.as_deref())
    }
}

impl Answer {
    /// The honest "not found" answer to `question`.
    pub fn not_found(question: &str) -> Answer {
        Answer {
            question: question.to_string(),
            answered: false,
            message: Some(NOT_FOUND.to_string()),
            extracts: Vec::new(),
            figures: None,
            consumed: 0,
        }
    }
}

/// Which documents name what a question names: a name is named by the
/// rarest of its own words (those that are no English word: "Orrin"), by
/// half the words of a name of English words only ("Line 4"), or by a word
/// close to it in meaning ("Salvador" for "Salvadoran"), anywhere in the
/// document. Every document when the question names nothing.
struct Subject {
    /// Names everything the question names: a figure from a document about
    /// something else never answers ("the Halcyon Star cost £1.5 million"
    /// for a bridge).
    every: Vec<bool>,
    /// Names something the question names: where a figure already found
    /// may have another source (a report on the eruption that calls
    /// Velmora "the island").
    some: Vec<bool>,
}

impl Subject {
    fn of(index: &Index, question: &Question) -> Subject {
        let docs = index.docs().len();
        let names: Vec<&crate::question::Concept> =
            question.concepts.iter().filter(|c| c.name).collect();
        let mut every = vec![true; docs];
        let mut some = vec![names.is_empty(); docs];
        for named in names.into_iter().filter_map(|c| named_docs(index, c)) {
            for ((e, s), n) in every.iter_mut().zip(&mut some).zip(named) {
                *e &= n;
                *s |= n;
            }
        }
        Subject { every, some }
    }
}

/// Per document: does it name the name `c`? (See [`Subject`].) `None` for a
/// name without terms.
fn named_docs(index: &Index, c: &crate::question::Concept) -> Option<Vec<bool>> {
    let model = crate::semantic::model();
    // A name's own words ("Orrin") before its English ones ("Strait",
    // "Bridge"), which a document in another language translates.
    let own: Vec<usize> = (0..c.terms.len())
        .filter(|&k| {
            !c.word
                .split(' ')
                .any(|w| model.knows(w) && crate::index::analyze(w) == [c.terms[k].as_str()])
        })
        .collect();
    let english_only = own.is_empty();
    let pool = if english_only {
        (0..c.terms.len()).collect()
    } else {
        own
    };
    let rarest = pool
        .into_iter()
        .min_by_key(|&k| index.doc_freq(&c.terms[k]))?;
    let each: Vec<Vec<bool>> = c.terms.iter().map(|t| index.docs_with(t)).collect();
    let mut named = each[rarest].clone();
    // A document is named by its source too ("According to Kelvin Coast
    // Watch": its articles), and so is one whose source is named after it:
    // the Velmora Civil Protection Agency's report is about Velmora,
    // wherever it says "the island". (Only where some term is a source's.)
    if c.terms.iter().any(|t| index.names_a_source(t)) {
        for (n, d) in named.iter_mut().zip(index.docs()) {
            *n |= d.source_named(|t| c.terms.iter().any(|own| own == t))
                || c.terms.iter().all(|t| d.is_source(t));
        }
    }
    let related = c.related.iter().map(|(t, _)| index.docs_with(t));
    // Half the words of a name of English words only ("Metro Line 4") name it;
    // where it has a word of its own, its English words ("Strait Bridge")
    // name other things too.
    // A number in a name is what tells it from others of its kind ("Line
    // 4", not the Brennock Line): it must be there.
    let numbered: Vec<usize> = (0..c.terms.len())
        .filter(|&k| c.terms[k].chars().any(|ch| ch.is_ascii_digit()))
        .collect();
    let halves = (c.terms.len() > 1 && english_only).then(|| {
        (0..named.len())
            .map(|d| {
                2 * each.iter().filter(|h| h[d]).count() >= c.terms.len()
                    && numbered.iter().all(|&k| each[k][d])
            })
            .collect::<Vec<bool>>()
    });
    for other in related.chain(halves) {
        for (n, o) in named.iter_mut().zip(other) {
            *n |= o;
        }
    }
    Some(named)
}

/// Where a passage of a page is quoted: in which extract, and how many
/// bytes into it its sentence starts.
struct Placed {
    passage: usize,
    extract: usize,
    offset: usize,
}

/// Where [`same_figures_elsewhere`] may look.
struct Elsewhere<'a> {
    /// Per document: does it name something the question names?
    subject: &'a [bool],
    asked: &'a Asked,
    /// The least coverage of the question (as [`Retrieval::coverage`]) a
    /// sentence needs ([`fitted::ELSEWHERE_SHARE`] of the best extract's)…
    floor: f32,
    /// …unless it is this alike in meaning to a sentence that states the
    /// figure ([`fitted::ELSEWHERE_LIKENESS`], the cosine of their vectors):
    /// "Supporters of the $6 million agreement say…" words the payment
    /// apart from the question but like the sources that state it.
    likeness: f32,
}

/// The sentences elsewhere in the corpus that state a figure already found
/// (the same amount of the same kind, in any form), about what the question
/// names and covering enough of the question: each is
/// added to `stated`, numbered after the ranking, and returned as a hit to
/// quote. Looks for each distinct figure's digits among sentences on the
/// question's words.
fn same_figures_elsewhere(
    index: &Index,
    retrieval: &Retrieval,
    Elsewhere {
        subject,
        asked,
        floor,
        likeness: least_likeness,
    }: Elsewhere,
    ranked: &[Ranked],
    stated: &mut Vec<figures::Stated>,
) -> Vec<Ranked> {
    let question_terms = retrieval.word_terms();
    let mut distinct: Vec<figures::Mention> = Vec::new();
    for s in stated.iter().filter(|s| s.part_of.is_none()) {
        if !distinct.iter().any(|m| figures::same_figure(m, &s.mention)) {
            distinct.push(s.mention.clone());
        }
    }
    let asked_terms: Vec<QueryTerm> = question_terms
        .iter()
        .map(|t| QueryTerm::word(t.clone(), QUESTION_WORDS_BOOST))
        .collect();
    let first = ranked.len();
    let mut found: Vec<Ranked> = Vec::new();
    for figure in distinct.iter().take(MAX_FIGURES_COMPLETED) {
        // The figure as written with digits, and as a word where it is a
        // small count ("12": "twelve", "doce").
        let digits: Vec<String> = crate::index::analyze(&figure.text)
            .into_iter()
            .filter(|t| t.chars().any(|c| c.is_ascii_digit()))
            .collect();
        let words = (figure.low == figure.high)
            .then(|| figures::words::lexicon().cardinal_words(figure.low))
            .into_iter()
            .flatten()
            .map(crate::index::analyze);
        // A fraction may be written in words after the whole part ("23 and a
        // half" for 23.5): the whole part alone finds it, and the reading
        // below says whether it is the same figure.
        let whole = (figure.low == figure.high && figure.low.fract() != 0.0 && figure.low >= 1.0)
            .then(|| crate::index::analyze(&format!("{}", figure.low.trunc())));
        let forms: Vec<Vec<String>> = std::iter::once(digits)
            .chain(whole)
            .chain(words)
            .filter(|f| !f.is_empty())
            .collect();
        let hits = forms.iter().flat_map(|form| {
            let mut terms = asked_terms.clone();
            // Only sentences with the figure's terms are read: the others
            // could not state it.
            terms.extend(form.iter().map(|d| QueryTerm::required(d.clone(), 1.0)));
            index
                .search(&terms, SAME_FIGURE_CANDIDATES, &[])
                .unwrap_or_default()
                .into_iter()
                .map(move |hit| (hit, terms.len()))
        });
        for (hit, terms_len) in hits.collect::<Vec<_>>() {
            let figure_in_text = (asked_terms.len()..terms_len)
                .all(|k| hit.found.get(k).is_some_and(|f| f & IN_TEXT != 0));
            // A sentence already ranked counts once, where it stands.
            let at = ranked
                .iter()
                .chain(&found)
                .position(|r| r.hit.same_sentence(&hit));
            let known = at.is_some_and(|p| stated.iter().any(|s| s.passage == p));
            // A document counts once for a figure: another of its sentences
            // stating it adds no source.
            let counted = stated.iter().any(|s| {
                let doc = match s.passage.checked_sub(first) {
                    None => ranked[s.passage].hit.doc,
                    Some(k) => found[k].hit.doc,
                };
                doc == hit.doc && figures::same_figure(&s.mention, figure)
            });
            let on_subject = subject[hit.doc as usize];
            // About the question as much as the extracts it already has:
            // the same value in a sentence about something else is not the
            // same quantity ("2006" in every article that dates something).
            let coverage = retrieval.coverage(&hit);
            let likeness = stated
                .iter()
                .filter(|s| figures::same_figure(&s.mention, figure))
                .map(|s| {
                    let stating = match s.passage.checked_sub(first) {
                        None => &ranked[s.passage].hit,
                        Some(k) => &found[k].hit,
                    };
                    crate::semantic::stored_cosine(index.vector(stating), index.vector(&hit))
                })
                .fold(0.0, f32::max);
            tracing::trace!(figure = %figure.text, doc = hit.doc, figure_in_text, known, counted, on_subject, coverage, likeness, "same figure elsewhere?");
            let about = coverage >= floor || likeness >= least_likeness;
            if !figure_in_text || known || counted || !on_subject || !about {
                continue;
            }
            let Ok(text) = index.text(&hit) else { continue };
            let Some(same) = figures::asked_mentions(asked, &text, doc_lang(index, hit.doc))
                .into_iter()
                .find(|m| figures::same_figure(m, figure))
            else {
                continue;
            };
            stated.push(figures::Stated {
                passage: at.unwrap_or(first + found.len()),
                mention: same,
                relevance: 0.0,
                part_of: None,
            });
            if at.is_none() {
                found.push(Ranked {
                    hit,
                    signals: Default::default(),
                    coverage: 0.0,
                    score: 0.0,
                    reading: None,
                });
            }
        }
    }
    found
}

/// Orders ranked sentences so that each further pick from an already-used
/// document scores `discount` times less
/// ([`fitted::SAME_DOC_DISCOUNT`]): the answer hears from several sources first.
fn diversify(ranked: &[Ranked], mut pool: Vec<usize>, discount: f32) -> Vec<usize> {
    let mut out = Vec::with_capacity(pool.len());
    let mut used: Vec<(u32, i32)> = Vec::new();
    while !pool.is_empty() {
        let adjusted = |p: usize| {
            let r = &ranked[p];
            let n = used
                .iter()
                .find(|(d, _)| *d == r.hit.doc)
                .map_or(0, |(_, n)| *n);
            r.score * discount.powi(n)
        };
        let best = (0..pool.len())
            .max_by(|&a, &b| adjusted(pool[a]).total_cmp(&adjusted(pool[b])))
            .expect("non-empty pool");
        let p = pool.remove(best);
        let doc = ranked[p].hit.doc;
        match used.iter_mut().find(|(d, _)| *d == doc) {
            Some((_, n)) => *n += 1,
            None => used.push((doc, 1)),
        }
        out.push(p);
    }
    out
}

/// The question as written, trimmed of spaces and closing `?`/`!`, when it
/// has no letter at all (digits, signs, query syntax); `None` otherwise.
fn wordless(question: &str) -> Option<&str> {
    let literal = question.trim().trim_end_matches(['?', '!']).trim_end();
    (!literal.is_empty() && !literal.chars().any(char::is_alphabetic)).then_some(literal)
}

/// Whether `sentence` states `literal` as a whole (not inside a longer
/// number or word) and not as one of its own reference markers (`[2]`).
fn states_literally(sentence: &str, literal: &str) -> bool {
    let marker_spans = marker_spans(sentence);
    sentence.match_indices(literal).any(|(at, _)| {
        let end = at + literal.len();
        let before = sentence[..at].chars().next_back();
        let after = sentence[end..].chars().next();
        let whole =
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric);
        whole && !marker_spans.iter().any(|&(s, e)| at < e && s < end)
    })
}

/// Byte ranges of the reference markers (`[5]`, `[2, 3]`) in a text.
fn marker_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find('[').map(|i| from + i) {
        let Some(close) = text[open..].find(']').map(|i| open + i) else {
            break;
        };
        let inside = &text[open + 1..close];
        if !inside.is_empty()
            && inside
                .chars()
                .all(|c| c.is_ascii_digit() || c == ',' || c == ' ')
        {
            spans.push((open, close + 1));
        }
        from = open + 1;
    }
    spans
}

/// Reference markers such as `[5]` or `[1][4]` or `[2, 3]` in a quote, in order, once each.
pub fn markers(text: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        rest = &rest[open + 1..];
        let Some(close) = rest.find(']') else { break };
        for part in rest[..close].split(',') {
            if let Ok(n) = part.trim().parse::<u32>()
                && !out.contains(&n)
            {
                out.push(n);
            }
        }
        rest = &rest[close + 1..];
    }
    out
}

/// "No source gives a figure" only when no extract shown states a number of
/// the asked kind: when the figure selection found none, every figure of that
/// kind in the shown quotes (read in their documents' languages, `langs`) is
/// listed as untied to the question, with no verdict (they may measure
/// different things).
fn figures_shown(asked: &Asked, langs: &[Option<figures::Lang>], answer: &mut Answer) {
    let Some(block) = answer.figures.as_mut() else {
        return;
    };
    if !block.values.is_empty() {
        return;
    }
    let mut stated = Vec::new();
    for (i, (e, lang)) in answer.extracts.iter().zip(langs).enumerate() {
        for m in figures::shown_figures(asked, &e.quote, *lang) {
            stated.push(figures::Stated {
                passage: i,
                mention: m,
                relevance: 0.0,
                part_of: None,
            });
        }
    }
    // Counts of the thing asked about, when the quotes give any ("how many
    // libraries": not the counties beside them).
    let counts = |s: &figures::Stated| {
        asked.accepts(&s.mention.unit, langs.get(s.passage).copied().flatten())
    };
    if stated.iter().any(counts) {
        stated.retain(counts);
    }
    let groups = figures::group(stated, asked.unit.as_deref(), |i| {
        answer.extracts[i].doc.clone()
    });
    let values = figure_values(groups, |i| Some((i, 0)));
    // Figures not tied to the question give no verdict: they may measure
    // different things, so they neither agree nor disagree.
    block.conflict = false;
    block.untied = !values.is_empty();
    block.values = values;
}

/// The figures block's values from groups of stated figures, each with the
/// extracts that state it and where: `extract_of` maps a statement's passage
/// to its extract on this page, if shown, and where in the extract the
/// passage's sentence starts.
fn figure_values(
    groups: Vec<figures::Group>,
    extract_of: impl Fn(usize) -> Option<(usize, usize)>,
) -> Vec<figures::FigureValue> {
    let mut values = Vec::new();
    for g in groups {
        let mut value = g.value;
        for (p, m) in &g.members {
            if let Some((i, offset)) = extract_of(*p) {
                if !value.extracts.contains(&i) {
                    value.extracts.push(i);
                }
                value.spans.push(figures::FigureSpan {
                    extract: i,
                    start: offset + m.start,
                    end: offset + m.end,
                });
            }
        }
        values.push(value);
    }
    values
}

/// The language a document's figures are read in, as recorded in the index.
/// Per ranked candidate, how fully each question concept stands around it
/// (a name also in what its document is about: its title).
fn nearness(question: &Question, retrieval: &Retrieval, ranked: &[Ranked]) -> Vec<Vec<f32>> {
    ranked
        .iter()
        .map(|r| {
            question
                .concepts
                .iter()
                .enumerate()
                .map(|(k, c)| {
                    let around = if c.name { IN_NEAR | IN_ABOUT } else { IN_NEAR };
                    retrieval.presence(&r.hit, k, around)
                })
                .collect()
        })
        .collect()
}

/// The question's concepts with their retrieval weights, as figures read them.
fn figure_concepts<'a>(question: &'a Question, retrieval: &Retrieval) -> Vec<figures::Concept<'a>> {
    question
        .concepts
        .iter()
        .zip(&retrieval.weights)
        .enumerate()
        .map(|(index, (concept, weight))| figures::Concept {
            concept,
            weight: *weight,
            index,
        })
        .collect()
}

/// How well the best `FIGURE_READ` candidates state the asked figure: what
/// the decline model reads of a quantity question ([`retrieve::FigureFit`]).
fn figure_fit(
    index: &Index,
    question: &Question,
    asked: &Asked,
    subject: &Subject,
    selection: figures::Selection,
    retrieval: &Retrieval,
    ranked: &[Ranked],
) -> f32 {
    let ranked = &ranked[..ranked.len().min(FIGURE_READ)];
    let near = nearness(question, retrieval, ranked);
    let texts: Vec<String> = ranked
        .iter()
        .map(|r| index.text(&r.hit).unwrap_or_default())
        .collect();
    let passages: Vec<Passage> = ranked
        .iter()
        .zip(&texts)
        .zip(&near)
        .map(|((r, text), near)| Passage {
            text,
            near,
            lang: doc_lang(index, r.hit.doc),
            on_subject: subject.every[r.hit.doc as usize],
        })
        .collect();
    figures::best_relevance(
        asked,
        &figure_concepts(question, retrieval),
        &passages,
        selection,
    )
}

fn doc_lang(index: &Index, doc: u32) -> Option<figures::Lang> {
    index.docs()[doc as usize]
        .meta
        .lang
        .as_deref()
        .and_then(figures::Lang::from_code)
}

/// Replaces a damaged index with a fresh build (once, however many answers
/// found the damage): the index that replaced it when another rebuild came
/// first, the fresh one, or `None` when building fails.
fn rebuild(
    lock: &Mutex<()>,
    current: &RwLock<Arc<Index>>,
    corpus: &Path,
    index_dir: &Path,
    damaged: &Arc<Index>,
) -> Option<Arc<Index>> {
    let _one_at_a_time = lock.lock().unwrap_or_else(|e| e.into_inner());
    let now = current.read().expect("index lock").clone();
    if !Arc::ptr_eq(&now, damaged) {
        return Some(now);
    }
    match Index::open_or_build(corpus, index_dir, false) {
        Ok((fresh, _)) => {
            let fresh = Arc::new(fresh);
            *current.write().expect("index lock") = fresh.clone();
            Some(fresh)
        }
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "rebuilding the damaged index failed");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_markers() {
        assert_eq!(
            markers("history[6]. More[1][4] and [2, 3] [x] [1]"),
            vec![6, 1, 4, 2, 3]
        );
        assert!(markers("no markers [unclosed").is_empty());
    }

    #[test]
    fn a_question_without_words_needs_its_literal_text() {
        // Issue 10: "~2" was answered by sentences with the marker "[2]".
        assert_eq!(wordless(" ~2? "), Some("~2"));
        assert_eq!(wordless("[2]"), Some("[2]"));
        assert_eq!(wordless("how many 2"), None);
        assert_eq!(wordless(" ?? "), None);
        let marked = "It held 261 people[2] in 2023.";
        assert!(!states_literally(marked, "~2"));
        assert!(!states_literally(marked, "[2]"));
        assert!(!states_literally(marked, "2"));
        assert!(!states_literally(marked, "26"));
        assert!(states_literally(marked, "261"));
        assert!(states_literally(marked, "2023"));
        assert!(states_literally("About ~2 km away.", "~2"));
        assert!(states_literally("Cells [2, 3] and 2 more.", "2"));
    }
}
