#!/usr/bin/env python3
"""Writes src/figures/words/reporting.txt: the "-ing" and "-ed" forms of
every English verb whose first meaning in WordNet 3.0 is one of telling or
knowing (lexicographer files verb.communication and verb.cognition:
"report", "record", "estimate", "count", "say"), one per line.

usage: python3 tools/lexicon/reporting.py PATH/TO/wordnet/dict

Such a verb right before a figure says who told or counted it ("the
network recorded 1,340 aftershocks", "officials estimated 300"), not an
event that happened to what it counts as "killing 86 people" does;
`figures` ties a figure to an event verb before it, never to one of these.
Forms as tools/lexicon/stative.py spells them; WordNet 3.0 as there
(licence in src/figures/words/LICENSE-WORDNET.txt). Standard library only.
"""
import sys

from intransitive import write_list
from stative import verb_forms

REPORTING = {"verb.communication", "verb.cognition"}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = verb_forms(sys.argv[1], REPORTING)
    target = write_list("reporting.txt", [
        "-ing and -ed forms of the English verbs whose first WordNet 3.0 meaning",
        "is one of telling or knowing (verb.communication, verb.cognition);",
        "written by tools/lexicon/reporting.py (do not edit by hand).",
    ], out)
    print(f"{len(out)} forms -> {target}")


if __name__ == "__main__":
    main()
