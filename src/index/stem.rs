//! The analyzer's word normalization (lower case, accents folded, English
//! stop words dropped, Snowball stem), remembering what each word it has seen
//! became: a corpus repeats a small vocabulary many times over (every
//! sentence is analyzed again as its neighbours' context), and one lookup
//! costs a fraction of running the filters. A word seen for the first time
//! goes through tantivy's own filters, so the terms are exactly theirs; this
//! module only adds the memory, bounded so that no corpus makes it grow
//! without end.

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
    Token, TokenFilter, TokenStream, Tokenizer,
};

/// At most this many words are remembered per analyzer: enough for the
/// words that make up most of any text (they come first), small enough that
/// the several analyzers of an index build stay a few megabytes each.
const MAX_REMEMBERED: usize = 20_000;

/// A [`TokenFilter`] that replaces each token by its normalized term, or
/// drops it (a stop word).
#[derive(Clone, Copy, Default)]
pub struct Normalize;

impl TokenFilter for Normalize {
    type Tokenizer<T: Tokenizer> = NormalizeFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> NormalizeFilter<T> {
        NormalizeFilter {
            inner,
            terms: FxHashMap::default(),
            filters: TextAnalyzer::builder(RawTokenizer::default())
                .filter(LowerCaser)
                .filter(AsciiFoldingFilter)
                .filter(StopWordFilter::new(Language::English).expect("English stop words"))
                .filter(Stemmer::new(Language::English))
                .build(),
        }
    }
}

#[derive(Clone)]
pub struct NormalizeFilter<T> {
    inner: T,
    /// Each word seen, with its term (`None`: a stop word).
    terms: FxHashMap<Box<str>, Option<Box<str>>>,
    /// The filters, run on one word at a time.
    filters: TextAnalyzer,
}

impl<T: Tokenizer> Tokenizer for NormalizeFilter<T> {
    type TokenStream<'a> = NormalizeStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        NormalizeStream {
            tail: self.inner.token_stream(text),
            terms: &mut self.terms,
            filters: &mut self.filters,
        }
    }
}

pub struct NormalizeStream<'a, T> {
    tail: T,
    terms: &'a mut FxHashMap<Box<str>, Option<Box<str>>>,
    filters: &'a mut TextAnalyzer,
}

/// Replaces `word` by its term, from memory or from the filters; false for
/// a stop word.
fn normalize(
    terms: &mut FxHashMap<Box<str>, Option<Box<str>>>,
    filters: &mut TextAnalyzer,
    word: &mut String,
) -> bool {
    if let Some(term) = terms.get(word.as_str()) {
        let Some(term) = term else { return false };
        word.clear();
        word.push_str(term);
        return true;
    }
    let term: Option<Box<str>> = filters
        .token_stream(word)
        .next()
        .map(|t| t.text.as_str().into());
    if terms.len() < MAX_REMEMBERED {
        terms.insert(word.as_str().into(), term.clone());
    }
    let Some(term) = term else { return false };
    word.clear();
    word.push_str(&term);
    true
}

impl<T: TokenStream> TokenStream for NormalizeStream<'_, T> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            if normalize(self.terms, self.filters, &mut self.tail.token_mut().text) {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{
        AsciiFoldingFilter, Language, LowerCaser, SimpleTokenizer, Stemmer, StopWordFilter,
        TextAnalyzer,
    };

    use super::Normalize;

    fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.offset_from, t.position));
        }
        out
    }

    #[test]
    fn normalizes_as_tantivy_does_the_first_time_and_every_time_after() {
        let text = "The Deportations were DEPORTED; running runs ran, the generously \
                    generous Hernández of relational relativity and the THE";
        let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(StopWordFilter::new(Language::English).unwrap())
            .filter(Stemmer::default())
            .build();
        let mut remembering = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(Normalize)
            .build();
        let want = terms(&mut plain, text);
        assert!(want.iter().any(|t| t.0 == "deport"), "{want:?}");
        assert!(want.iter().any(|t| t.0 == "hernandez"), "{want:?}");
        assert!(!want.iter().any(|t| t.0 == "the"), "{want:?}");
        for _ in 0..3 {
            assert_eq!(terms(&mut remembering, text), want);
        }
    }
}
