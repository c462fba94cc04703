//! Quotes are read from the corpus files, the source of truth, and checked
//! against what was indexed before anyone sees them.
//!
//! For every sentence an answer would show, [`Quotes::sentence`] reads
//! `file[start..end]` from disk and compares it with the sentence the index
//! stored. When they differ — the file was edited since it was indexed (even
//! with its size and modification time kept), or the index is damaged — the
//! sentence is dropped, a warning names the file, and the index is marked
//! damaged so that it is rebuilt ([`Index::mark_damaged`]).
//!
//! Boundary: reads corpus files at the places the index names; no ranking,
//! no rendering. Whatever it returns is exactly the file's bytes.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use crate::index::{Hit, Index, fingerprint};

/// Reads spans of corpus files for one answer (each file opened once).
pub struct Quotes<'a> {
    corpus: &'a Path,
    index: &'a Index,
    /// Open files by document ordinal (`None`: cannot be opened).
    files: HashMap<u32, Option<File>>,
}

impl<'a> Quotes<'a> {
    pub fn new(corpus: &'a Path, index: &'a Index) -> Self {
        Quotes {
            corpus,
            index,
            files: HashMap::new(),
        }
    }

    /// The hit's sentence as the file holds it, when that is what was
    /// indexed; otherwise `None` (with a warning, and the index marked).
    pub fn sentence(&mut self, hit: &Hit) -> Option<String> {
        let indexed = self.index.text(hit).ok()?;
        match self.span(hit.doc, hit.start, hit.end) {
            Some(text) if text == indexed => Some(text),
            _ => {
                self.mismatch(hit.doc);
                None
            }
        }
    }

    /// `file[from..to]` of document `doc`, when it can be read and is UTF-8.
    pub fn span(&mut self, doc: u32, from: usize, to: usize) -> Option<String> {
        let info = self.index.docs().get(doc as usize)?;
        if from >= to || info.path.is_empty() {
            return None;
        }
        let corpus = self.corpus;
        let file = self
            .files
            .entry(doc)
            .or_insert_with(|| File::open(corpus.join(&info.path)).ok())
            .as_mut()?;
        let mut bytes = vec![0; to - from];
        file.seek(SeekFrom::Start(from as u64)).ok()?;
        file.read_exact(&mut bytes).ok()?;
        String::from_utf8(bytes).ok()
    }

    /// Says why a document's file and the index disagree, and marks the index.
    fn mismatch(&self, doc: u32) {
        let Some(info) = self.index.docs().get(doc as usize) else {
            self.index
                .mark_damaged("a sentence names a document the index does not have");
            return;
        };
        let changed = std::fs::read(self.corpus.join(&info.path))
            .map_or(true, |bytes| fingerprint::hash(&bytes) != info.hash);
        let why = if changed {
            "the file changed since it was indexed"
        } else {
            "the index does not match the file"
        };
        tracing::warn!(file = %info.path, "{why}: its extract is left out and the index will be rebuilt");
        self.index.mark_damaged(&format!("{}: {why}", info.path));
    }
}
