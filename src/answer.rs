//! The engine and its answers: plain, synchronous data in and out.
//!
//! [`Engine::answer`] turns a question into an [`Answer`]: verbatim extracts,
//! each with a [`Citation`]-ready description of where it comes from, or an
//! honest "not found". Boundary: no terminal, no Discord, no async; it never
//! changes the words of a quote — `quote` is always exactly
//! `file[start..end]`.

use std::path::Path;

use serde::Serialize;

use crate::config::{AnswerSettings, Settings};
use crate::corpus::{Meta, Skipped};
use crate::figures::{self, Figures, Passage};
use crate::index::{DocInfo, Index, Origin, fingerprint};
use crate::question::{self, Question};
use crate::retrieve::{self, Ranked, Retrieval};

/// What the bot says when the documents do not answer a question.
pub const NOT_FOUND: &str = "I couldn't find this in the documents.";

/// Each further extract from a document already shown scores this much less,
/// so that an answer hears from several sources.
const SAME_DOC_DISCOUNT: f32 = 0.8;

/// At most this many quotes are shown for figures, even beyond `answer.extracts`.
const MAX_FIGURE_QUOTES: usize = 10;

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
    index: Index,
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
        let (index, origin) = Index::open_or_build(corpus, index, progress)?;
        Ok(Engine {
            index,
            settings,
            origin,
        })
    }

    /// Whether the index was reused or (re)built, and why.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    pub fn skipped(&self) -> &[Skipped] {
        self.index.skipped()
    }

    /// A short identifier of the corpus state the answers come from.
    pub fn fingerprint_id(&self) -> String {
        fingerprint::id(self.index.fingerprint())
    }

    pub fn sentence_count(&self) -> u64 {
        self.index.sentence_count()
    }

    /// The documents of the corpus, in path order.
    pub fn sources(&self) -> Vec<Source> {
        self.index
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
    pub fn answer_page(&self, question: &str, skip: usize, take: usize) -> Answer {
        let analyzed = question::analyze(question);
        let retrieval = match retrieve::retrieve(&self.index, &analyzed, &self.settings) {
            Ok(r) => r,
            Err(e) => {
                tracing::error!(error = %e, "search failed");
                Retrieval::default()
            }
        };
        self.compose(question, &analyzed, retrieval, skip, take)
    }

    fn compose(
        &self,
        text: &str,
        question: &Question,
        retrieval: Retrieval,
        skip: usize,
        take: usize,
    ) -> Answer {
        if retrieval.ranked.is_empty() {
            return Answer {
                question: text.to_string(),
                answered: false,
                message: Some(NOT_FOUND.to_string()),
                extracts: Vec::new(),
                figures: None,
            };
        }
        let asked = figures::asked::asked(text);
        let mut groups = Vec::new();
        let mut stating: Vec<usize> = Vec::new();
        if let Some(asked) = &asked {
            let parts: Vec<(String, String)> = retrieval
                .ranked
                .iter()
                .map(|r| r.hit.context_parts())
                .collect();
            let passages: Vec<Passage> = retrieval
                .ranked
                .iter()
                .zip(&parts)
                .map(|(r, (_, near))| Passage {
                    text: &r.hit.text,
                    near,
                })
                .collect();
            let concepts: Vec<figures::Concept> = question
                .concepts
                .iter()
                .zip(&retrieval.weights)
                .map(|(c, w)| figures::Concept {
                    concept: c,
                    weight: *w,
                })
                .collect();
            let stated = figures::select(asked, &concepts, &passages);
            for s in &stated {
                if !stating.contains(&s.passage) {
                    stating.push(s.passage);
                }
            }
            stating.sort_unstable();
            let docs = self.index.docs();
            groups = figures::group(stated, |p| {
                docs[retrieval.ranked[p].hit.doc as usize].path.clone()
            });
        }

        // Quotes that state a figure come first (best ranked first), then the
        // rest of the ranking, several sources before more of one.
        let mut ranked: Vec<Option<Ranked>> = retrieval.ranked.into_iter().map(Some).collect();
        let mut order: Vec<(usize, Ranked)> = stating
            .iter()
            .filter_map(|&p| ranked[p].take().map(|r| (p, r)))
            .collect();
        let figure_quotes = order.len();
        let rest: Vec<(usize, Ranked)> = ranked
            .into_iter()
            .enumerate()
            .filter_map(|(p, r)| r.map(|r| (p, r)))
            .collect();
        order.extend(diversify(rest));
        let order = dedupe_keeping(order, figure_quotes);

        let take = if skip == 0 {
            take.max(figure_quotes.min(MAX_FIGURE_QUOTES))
        } else {
            take
        };
        let page: Vec<(usize, Ranked)> = order.into_iter().skip(skip).take(take).collect();
        let figures = asked.as_ref().filter(|_| skip == 0).map(|_| {
            let mut values = Vec::new();
            let standalone = groups.iter().filter(|g| g.standalone).count();
            for g in groups {
                let mut value = g.value;
                for (p, m) in &g.members {
                    if let Some(i) = page.iter().position(|(q, _)| q == p) {
                        if !value.extracts.contains(&i) {
                            value.extracts.push(i);
                        }
                        value.spans.push(figures::FigureSpan {
                            extract: i,
                            start: m.start,
                            end: m.end,
                        });
                    }
                }
                values.push(value);
            }
            // A part of a larger figure ("including 238…") does not contradict it.
            Figures {
                conflict: standalone > 1,
                values,
            }
        });
        Answer {
            question: text.to_string(),
            answered: true,
            message: None,
            extracts: page.into_iter().map(|(_, r)| self.extract(r)).collect(),
            figures,
        }
    }

    fn extract(&self, r: Ranked) -> Extract {
        let info: &DocInfo = &self.index.docs()[r.hit.doc as usize];
        let (paragraph, section) = info
            .paragraphs
            .get(r.hit.paragraph as usize)
            .copied()
            .unwrap_or((0, None));
        let references = markers(&r.hit.text)
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
            quote: r.hit.text,
            start: r.hit.start,
            end: r.hit.end,
            score: (r.score * 1000.0).round() / 1000.0,
            section: section.and_then(|s| info.headings.get(s as usize).cloned()),
            paragraph,
            references,
        }
    }
}

/// Removes near-duplicate quotes, never one of the first `keep` (they state figures).
fn dedupe_keeping(order: Vec<(usize, Ranked)>, keep: usize) -> Vec<(usize, Ranked)> {
    let (first, rest): (Vec<_>, Vec<_>) =
        order.into_iter().enumerate().partition(|(i, _)| *i < keep);
    let kept_positions: Vec<usize> = first.iter().map(|(_, (p, _))| *p).collect();
    let all: Vec<Ranked> = first
        .iter()
        .map(|(_, (_, r))| r.clone())
        .chain(rest.iter().map(|(_, (_, r))| r.clone()))
        .collect();
    let positions: Vec<usize> = kept_positions
        .iter()
        .copied()
        .chain(rest.iter().map(|(_, (p, _))| *p))
        .collect();
    let unique = retrieve::dedupe_indices(&all, keep);
    unique
        .into_iter()
        .map(|i| (positions[i], all[i].clone()))
        .collect()
}

/// Orders ranked sentences so that each further pick from an already-used
/// document is discounted: the answer hears from several sources first.
fn diversify(mut pool: Vec<(usize, Ranked)>) -> Vec<(usize, Ranked)> {
    let mut out = Vec::with_capacity(pool.len());
    let mut used: Vec<(u32, i32)> = Vec::new();
    while !pool.is_empty() {
        let adjusted = |r: &Ranked| {
            let n = used
                .iter()
                .find(|(d, _)| *d == r.hit.doc)
                .map_or(0, |(_, n)| *n);
            r.score * SAME_DOC_DISCOUNT.powi(n)
        };
        let best = (0..pool.len())
            .max_by(|&a, &b| adjusted(&pool[a].1).total_cmp(&adjusted(&pool[b].1)))
            .expect("non-empty pool");
        let (p, r) = pool.remove(best);
        match used.iter_mut().find(|(d, _)| *d == r.hit.doc) {
            Some((_, n)) => *n += 1,
            None => used.push((r.hit.doc, 1)),
        }
        out.push((p, r));
    }
    out
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
}
