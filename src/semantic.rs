//! The static embedding model: word vectors distilled from a sentence-embedding
//! model, so that questions are matched by meaning and not only by their words.
//!
//! The model (`model/`, made by `tools/distill/distill.py` from
//! all-MiniLM-L6-v2, Apache-2.0) is a vocabulary of English words and
//! WordPiece pieces, each with a 256-dimensional unit vector (quantized to
//! `i8`), a pooling weight that makes frequent words count less, and its 32
//! nearest words. It is compiled into the binary: nothing is downloaded and
//! nothing has to sit beside the program.
//!
//! A word outside the vocabulary is embedded from its WordPiece pieces; a
//! text is the weighted mean of its words. Boundary: knows nothing of the
//! index or the corpus; callers decide which neighbours are worth keeping.

use std::cell::RefCell;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use safetensors::{Dtype, SafeTensors};

/// Dimensions of every vector.
pub const DIMS: usize = 256;
/// Leading dimensions used for a first, coarse pass over many vectors (the
/// model's dimensions are principal components, most variance first).
pub const COARSE_DIMS: usize = 32;

static VOCAB: &str = include_str!("../model/vocab.txt");
static TENSORS: &[u8] = include_bytes!("../model/model.safetensors");

/// Longest word embedded from its pieces; longer ones are not words.
const MAX_PIECED_CHARS: usize = 40;

/// A sentence vector as stored in the index: a unit vector scaled into `i8`,
/// each component kept as its byte.
pub type Quantized = [u8; DIMS];

/// The loaded model. Get it with [`model`].
pub struct Model {
    ids: FxHashMap<&'static str, u32>,
    /// One over the length of each stored row (rows are unit vectors before
    /// quantization), computed once.
    inverse_norms: Vec<f32>,
    words: Vec<&'static str>,
    vectors: &'static [u8],
    weights: Vec<f32>,
    neighbours: &'static [u8],
    sims: &'static [u8],
    k: usize,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("words", &self.words.len())
            .finish()
    }
}

/// The model compiled into the program, parsed on first use.
pub fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| Model::parse(VOCAB, TENSORS).expect("the embedded model is well-formed"))
}

impl Model {
    fn parse(vocab: &'static str, bytes: &'static [u8]) -> anyhow::Result<Model> {
        let words: Vec<&'static str> = vocab.split('\n').collect();
        let n = words.len();
        let tensors = SafeTensors::deserialize(bytes)?;
        let tensor = |name: &str, dtype: Dtype, cols: usize| -> anyhow::Result<&'static [u8]> {
            let t = tensors.tensor(name)?;
            anyhow::ensure!(t.dtype() == dtype, "{name}: expected {dtype:?}");
            anyhow::ensure!(
                t.shape() == [n, cols] || (cols == 1 && t.shape() == [n]),
                "{name}: shape {:?} does not fit {n} words",
                t.shape()
            );
            // The view borrows from `bytes`, which is 'static.
            let data = t.data();
            let offset = data.as_ptr() as usize - bytes.as_ptr() as usize;
            Ok(&bytes[offset..offset + data.len()])
        };
        let vectors = tensor("vectors", Dtype::I8, DIMS)?;
        let weights = tensor("weights", Dtype::F32, 1)?
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        let k = tensors
            .tensor("neighbours")?
            .shape()
            .get(1)
            .copied()
            .unwrap_or(0);
        let neighbours = tensor("neighbours", Dtype::U16, k)?;
        let sims = tensor("neighbour_sims", Dtype::U8, k)?;
        let ids = words
            .iter()
            .enumerate()
            .map(|(i, w)| (*w, i as u32))
            .collect();
        let inverse_norms = vectors
            .chunks_exact(DIMS)
            .map(|row| {
                let norm = row
                    .iter()
                    .map(|&x| component(x) * component(x))
                    .sum::<f32>()
                    .sqrt();
                if norm > 0.0 { 1.0 / norm } else { 0.0 }
            })
            .collect();
        Ok(Model {
            ids,
            inverse_norms,
            words,
            vectors,
            weights,
            neighbours,
            sims,
            k,
        })
    }

    /// Number of words and pieces.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The id of a lower-case word, when the vocabulary has it.
    pub fn id(&self, word: &str) -> Option<u32> {
        self.ids.get(word).copied()
    }

    /// The whole words of the vocabulary (lower-case a–z; no WordPiece
    /// continuation pieces) that begin with the letter `first`.
    pub fn whole_words_from(&self, first: u8) -> impl Iterator<Item = &'static str> + '_ {
        self.words
            .iter()
            .copied()
            .filter(move |w| w.as_bytes().first() == Some(&first))
            .filter(|w| w.bytes().all(|b| b.is_ascii_lowercase()))
    }

    /// Is `word` (any case) a word the model knows as a whole?
    pub fn knows(&self, word: &str) -> bool {
        self.id(&word.to_lowercase()).is_some()
    }

    /// The stored components of a word's vector (`i8` values as bytes).
    fn row(&self, id: u32) -> &[u8] {
        let start = id as usize * DIMS;
        &self.vectors[start..start + DIMS]
    }

    /// Pooling weight of a word: near 1 for rare words, small for frequent
    /// ones (`a / (a + p)` with the word's frequency in English).
    pub fn weight(&self, word: &str) -> f32 {
        self.id(&word.to_lowercase())
            .map_or(1.0, |id| self.weights[id as usize])
    }

    /// The unit vector of a word (any case): its own, or the mean of its
    /// WordPiece pieces. `None` for a word that cannot be pieced.
    pub fn vector(&self, word: &str) -> Option<[f32; DIMS]> {
        let lower = word.to_lowercase();
        let mut out = [0f32; DIMS];
        match self.id(&lower) {
            Some(id) => add_row(&mut out, self.row(id), self.inverse_norms[id as usize]),
            None => {
                let pieces = self.pieces(&lower)?;
                for id in pieces {
                    add_row(&mut out, self.row(id), self.inverse_norms[id as usize]);
                }
            }
        }
        normalize(&mut out).then_some(out)
    }

    /// [`Model::vector`] of a lower-case word outside the vocabulary,
    /// remembered per thread: identifiers and names recur.
    fn pieced(&self, lower: &str) -> Option<[f32; DIMS]> {
        thread_local! {
            static CACHE: RefCell<FxHashMap<String, Option<[f32; DIMS]>>> = RefCell::default();
        }
        /// A cache past this many words starts over.
        const CACHE_WORDS: usize = 8_192;
        CACHE.with(|cache| {
            let mut cache = cache.borrow_mut();
            if let Some(v) = cache.get(lower) {
                return *v;
            }
            if cache.len() >= CACHE_WORDS {
                cache.clear();
            }
            let v = self.vector(lower);
            cache.insert(lower.to_string(), v);
            v
        })
    }

    /// WordPiece: the longest known prefix, then the longest known `##`
    /// continuation, and so on; `None` when some part is unknown.
    fn pieces(&self, word: &str) -> Option<Vec<u32>> {
        if word.is_empty() || word.chars().count() > MAX_PIECED_CHARS {
            return None;
        }
        let mut out = Vec::new();
        let mut start = 0;
        let mut piece = String::new();
        while start < word.len() {
            let mut end = word.len();
            let found = loop {
                if end <= start {
                    break None;
                }
                if word.is_char_boundary(end) {
                    piece.clear();
                    if start > 0 {
                        piece.push_str("##");
                    }
                    piece.push_str(&word[start..end]);
                    if let Some(id) = self.id(&piece) {
                        break Some(id);
                    }
                }
                end -= 1;
            };
            out.push(found?);
            start = end;
        }
        Some(out)
    }

    /// The nearest whole words of a word the vocabulary has, closest first,
    /// with their cosine similarity.
    pub fn neighbours(&self, word: &str) -> Vec<(&'static str, f32)> {
        let Some(id) = self.id(&word.to_lowercase()) else {
            return Vec::new();
        };
        let at = id as usize * self.k;
        (0..self.k)
            .map(|j| {
                let b = &self.neighbours[(at + j) * 2..(at + j) * 2 + 2];
                let other = u16::from_le_bytes([b[0], b[1]]) as usize;
                (self.words[other], f32::from(self.sims[at + j]) / 255.0)
            })
            .collect()
    }

    /// Cosine similarity of two words (0 when either cannot be embedded).
    pub fn similarity(&self, a: &str, b: &str) -> f32 {
        match (self.vector(a), self.vector(b)) {
            (Some(x), Some(y)) => dot(&x, &y),
            _ => 0.0,
        }
    }

    /// The unit vector of a text: its words' vectors, each weighted by
    /// [`Model::weight`]. `None` when no word can be embedded.
    pub fn embed<'a>(&self, words: impl IntoIterator<Item = &'a str>) -> Option<[f32; DIMS]> {
        let mut out = [0f32; DIMS];
        let mut lower = String::new();
        for w in words {
            lower.clear();
            if w.is_ascii() {
                lower.push_str(w);
                lower.make_ascii_lowercase();
            } else {
                lower.extend(w.chars().flat_map(char::to_lowercase));
            }
            match self.id(&lower) {
                Some(id) => add_row(
                    &mut out,
                    self.row(id),
                    self.weights[id as usize] * self.inverse_norms[id as usize],
                ),
                None => {
                    if let Some(v) = self.pieced(&lower) {
                        for (o, x) in out.iter_mut().zip(v) {
                            *o += x;
                        }
                    }
                }
            }
        }
        normalize(&mut out).then_some(out)
    }
}

/// The words of a text as the model sees them: runs of letters and digits.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// A stored component: an `i8` kept as its byte.
fn component(b: u8) -> f32 {
    f32::from(b as i8)
}

/// Adds a quantized row times `scale`.
fn add_row(out: &mut [f32; DIMS], row: &[u8], scale: f32) {
    for (o, &x) in out.iter_mut().zip(row) {
        *o += component(x) * scale;
    }
}

fn normalize(v: &mut [f32; DIMS]) -> bool {
    let norm = dot(v, v).sqrt();
    if norm <= f32::EPSILON {
        return false;
    }
    for x in v.iter_mut() {
        *x /= norm;
    }
    true
}

/// Dot product (the cosine of two unit vectors).
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// A unit vector scaled into `i8` for storage.
pub fn quantize(v: &[f32; DIMS]) -> Quantized {
    let max = v.iter().fold(0f32, |m, x| m.max(x.abs())).max(f32::EPSILON);
    let mut out = [0u8; DIMS];
    for (o, x) in out.iter_mut().zip(v) {
        *o = (x * 127.0 / max).round() as i8 as u8;
    }
    out
}

/// Dot product of two stored vectors (or parts of them), in integers: fast
/// enough to compare a query with every sentence of a large corpus.
pub fn dot_i8(a: &[u8], b: &[u8]) -> i32 {
    a.iter()
        .zip(b)
        .map(|(&x, &y)| i32::from(x as i8) * i32::from(y as i8))
        .sum()
}

/// Cosine similarity of two stored vectors.
pub fn stored_cosine(a: &[u8], b: &[u8]) -> f32 {
    let (ab, aa, bb) = (dot_i8(a, b), dot_i8(a, a), dot_i8(b, b));
    if aa == 0 || bb == 0 {
        0.0
    } else {
        ab as f32 / ((aa as f32) * (bb as f32)).sqrt()
    }
}

/// Cosine similarity of a unit vector and a stored one.
pub fn cosine(q: &[f32; DIMS], stored: &[u8]) -> f32 {
    let mut d = 0f32;
    let mut n = 0f32;
    for (x, &s) in q.iter().zip(stored) {
        let s = component(s);
        d += x * s;
        n += s * s;
    }
    if n == 0.0 { 0.0 } else { d / n.sqrt() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_loads_and_is_consistent() {
        let m = model();
        assert!(m.len() > 30_000, "{} words", m.len());
        for w in ["prison", "people", "deported", "money"] {
            let v = m.vector(w).expect(w);
            assert!((dot(&v, &v) - 1.0).abs() < 1e-3);
            let n = m.neighbours(w);
            assert!(!n.is_empty());
            assert!(n.windows(2).all(|p| p[0].1 >= p[1].1), "{w}: {n:?}");
        }
    }

    #[test]
    fn related_words_are_closer_than_unrelated_ones() {
        let m = model();
        for (a, b, c) in [
            ("prison", "jail", "banana"),
            ("killed", "died", "painted"),
            ("money", "payment", "river"),
            ("inmates", "prisoners", "recipes"),
        ] {
            assert!(
                m.similarity(a, b) > m.similarity(a, c) + 0.1,
                "{a}~{b} {} vs {a}~{c} {}",
                m.similarity(a, b),
                m.similarity(a, c)
            );
        }
    }

    #[test]
    fn unknown_words_are_pieced() {
        let m = model();
        assert!(m.id("cecotization").is_none());
        assert!(m.vector("cecotization").is_some());
        assert!(m.vector("").is_none());
        assert!(m.vector(&"x".repeat(500)).is_none());
    }

    #[test]
    fn texts_embed_and_quantize() {
        let m = model();
        let a = m
            .embed(words(
                "Prisoners spend 23.5 hours a day locked in their cells.",
            ))
            .unwrap();
        let b = m
            .embed(words("Inmates are confined to cells almost all day."))
            .unwrap();
        let c = m
            .embed(words("The recipe needs two eggs and flour."))
            .unwrap();
        let (qa, qb, qc) = (quantize(&a), quantize(&b), quantize(&c));
        assert!(cosine(&a, &qb) > cosine(&a, &qc) + 0.1);
        assert!((cosine(&a, &qa) - 1.0).abs() < 0.01);
        let _ = (qb, qc);
        assert!(m.embed(words("!!! ???")).is_none());
    }
}
