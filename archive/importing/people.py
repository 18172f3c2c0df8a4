"""People tagging: which gazetteer people an article names, and how often.

Plain Python (no Django import), like ``tagging``: built once from database
rows (``PersonEntry``) and run in the import's worker processes.

Rules (the same word matching as countries: ``tagging.PhraseMatcher``, whole
words after normalization, proclitics و ف ب ل ك allowed, longest phrase wins):

- A person's *spellings* are full names («فلاديمير بوتين», «بشار الأسد») and
  surnames that name only that person in Arabic news («بوتين», «أردوغان»).
  Each occurrence counts.
- *Weak spellings* are short forms that also mean something else or someone
  else: «الأسد» (the lion; Hafez al-Assad), «عباس» (a first name), «سلمان»,
  «رحمون». They count only when the same article also names the person by a
  full spelling; then every weak occurrence counts too. A weak form read
  after a preposition (ب ل ك) is not taken: «بالأسد» may be "with the lion".
- A strong spelling that two people share is weak for both: it counts for
  whichever of them the article names in full (and for both if it names both).
- *Blockers* are phrases that contain a spelling but name someone else
  («حافظ الأسد», «ماهر الأسد»): they consume their words and tag nothing.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from archive.importing.tagging import PhraseMatcher, words


@dataclass(frozen=True)
class PersonEntry:
    slug: str
    names: tuple[str, ...]  # full names and unambiguous surnames
    weak: tuple[str, ...] = ()


def _key(phrase: str) -> str:
    return " ".join(words(phrase))


class PersonMatcher:
    """Counts the gazetteer people an article names (see the module rules).

    A phrase's label is a tuple of (slug, is_strong) pairs; ``None`` labels a
    blocker.
    """

    def __init__(self, people: list[PersonEntry], blockers=()):
        owners: dict[str, dict[str, bool]] = {}
        for entry in people:
            for name in entry.names:
                owners.setdefault(_key(name), {})[entry.slug] = True
            for name in entry.weak:
                owners.setdefault(_key(name), {}).setdefault(entry.slug, False)
        phrases: dict[str, object] = {}
        for phrase in blockers:
            if _key(phrase):
                phrases[_key(phrase)] = None
        for phrase, slugs in owners.items():
            if not phrase or phrase in phrases:
                continue
            strong = [slug for slug, is_strong in slugs.items() if is_strong]
            if len(strong) == 1 and len(slugs) == 1:
                phrases[phrase] = ((strong[0], True),)
            else:  # weak, or shared: resolved by the article's full mentions
                phrases[phrase] = tuple((slug, False) for slug in sorted(slugs))
        self._matcher = PhraseMatcher(phrases, weak=lambda label: bool(label) and not label[0][1])

    def count(self, text: str) -> Counter:
        return self.count_words(words(text))

    def count_words(self, text_words: list[str]) -> Counter:
        hits = [label for _pos, _len, label in self._matcher.find(text_words) if label]
        counts = Counter(label[0][0] for label in hits if label[0][1])
        named = set(counts)
        for label in hits:
            if not label[0][1]:
                for slug, _strong in label:
                    if slug in named:
                        counts[slug] += 1
        return counts


def person_entries(rows) -> list[PersonEntry]:
    """``PersonEntry``s from objects or dicts with slug, spellings (lines or
    list) and weak_spellings."""
    entries = []
    for row in rows:
        get = row.get if isinstance(row, dict) else (lambda name, r=row: getattr(r, name))
        names, weak = get("spellings"), get("weak_spellings")
        names = names.splitlines() if isinstance(names, str) else list(names or ())
        weak = weak.splitlines() if isinstance(weak, str) else list(weak or ())
        entries.append(PersonEntry(
            slug=get("slug"),
            names=tuple(n.strip() for n in names if n.strip()),
            weak=tuple(n.strip() for n in weak if n.strip()),
        ))
    return entries
