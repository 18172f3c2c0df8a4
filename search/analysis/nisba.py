"""Country names and their nisba adjectives («كازاخستان» ↔ «الكازاخستانية»).

``nisba_table(countries)`` takes the gazetteer rows (``name_ar``, ``aliases``,
``weak_aliases``: archive/data/countries.json or the Country table) and
returns ``NisbaTable``: for every normalized single-word form, the country's
names (for a nisba adjective) or its nisba adjectives (for a name).

Rules (plain string rules, no Django):

- a country's *names* are its single-word ``name_ar`` and the strong aliases
  that are not nisba adjectives and share the transliteration skeleton of a
  nisba stem or of the official name («كازخستان», «الهنود»; «السعودية» is
  both; cities and landmarks such as «أستانا», «موسكو» are not names here);
- its *stems* are the strong nisba aliases without «ال» and the nisba ending
  («الكازاخستانية» → «كازاخستان», «المصري» → «مصر»), plus the stem derived
  from each name (without «ال» and a final «ا»/«ه»/«ي»: «أوكرانيا» →
  «أوكران») when it has at least ``MIN_DERIVED_STEM`` letters (a three-letter
  stem needs a curated alias as evidence: «مالي» is also "financial");
- the nisba forms of a stem are stem + ``NISBA_ENDINGS``, with and without
  «ال»; a form listed among the country's weak aliases («كوبي»: Kobe) or
  equal to a name of another country is never derived.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .clitics import AL, strip_article
from .normalization import normalize
from .variants import skeleton

__all__ = ["NISBA_ENDINGS", "NisbaTable", "nisba_table", "nisba_stem"]

# Endings of the nisba adjective (normalized: teh marbuta is «ه»), longest first.
NISBA_ENDINGS = ("يتين", "يتان", "يون", "يين", "يان", "يات", "يه", "ي")
MIN_DERIVED_STEM = 4





def nisba_stem(word: str) -> str | None:
    """The stem of a nisba adjective («الاوكرانيون» → «اوكران»), or None."""
    core = strip_article(word)
    for ending in NISBA_ENDINGS:
        if core.endswith(ending) and len(core) - len(ending) >= 3:
            return core[: -len(ending)]
    return None


def _derived_stem(name: str) -> str:
    core = strip_article(name)
    if core.endswith(("ا", "ه")):
        core = core[:-1]
    if core.endswith("ي"):
        core = core[:-1]
    return core


def _nisba_forms(stem: str) -> list[str]:
    out = []
    for ending in NISBA_ENDINGS:
        out.append(stem + ending)
        out.append(AL + stem + ending)
    return out


def _single_words(texts) -> list[str]:
    out = []
    for text in texts:
        w = normalize(text or "").strip()
        if w and " " not in w and len(w) >= 3:
            out.append(w)
    return out


@dataclass
class NisbaTable:
    """{normalized form: frozenset of related forms} (see the module doc)."""

    names_of: dict = field(default_factory=dict)  # nisba adjective -> the country's names
    nisbas_of: dict = field(default_factory=dict)  # name -> the country's nisba adjectives

    def related(self, word: str) -> frozenset:
        return self.names_of.get(word) or self.nisbas_of.get(word) or frozenset()


def nisba_table(countries) -> NisbaTable:
    """``countries``: iterable of dicts with ``name_ar``, ``aliases`` and
    ``weak_aliases`` (lists or newline-separated strings)."""

    def listed(value):
        return value.splitlines() if isinstance(value, str) else list(value or ())

    rows = []
    all_names = set()
    for c in countries:
        weak = set(_single_words(listed(c.get("weak_aliases"))))
        official = set(_single_words([c.get("name_ar", "")])) - weak
        words = [w for w in _single_words([c.get("name_ar", "")] + listed(c.get("aliases"))) if w not in weak]
        stem_of = {w: (None if w in official else nisba_stem(w)) for w in dict.fromkeys(words)}
        # a nisba is listed in two forms at least («الكازاخي», «الكازاخية»);
        # «ألماتي» (a city) ends like one but is listed alone
        counts = {}
        for stem in stem_of.values():
            counts[stem] = counts.get(stem, 0) + 1
        stems = set()
        candidates, feminine = [], []
        for w, stem in stem_of.items():
            if stem is None or counts[stem] < 2:
                candidates.append(w)
            else:
                stems.add(stem)
                if w.startswith(AL) and w.endswith("يه"):
                    feminine.append(w)
        # a name shares its skeleton with a nisba stem or the official name
        # («كازخستان», «الهنود»); cities and landmarks («أستانا», «موسكو») do not
        keys = {skeleton(s) for s in stems} | {skeleton(_derived_stem(w)) for w in official}
        names = [w for w in candidates if w in official or skeleton(_derived_stem(w)) in keys]
        if not names:
            names = feminine  # «السعودية» names the kingdom (its official name is three words)
        for name in names:
            derived = _derived_stem(name)
            if len(derived) >= MIN_DERIVED_STEM:
                stems.add(derived)
        rows.append((names, stems, weak))
        all_names.update(names)
    table = NisbaTable()
    for names, stems, weak in rows:
        if not names or not stems:
            continue
        nisbas = {f for s in stems for f in _nisba_forms(s)} - weak - (all_names - set(names))
        nisbas -= set(names)
        name_set = frozenset(names)
        nisba_set = frozenset(nisbas)
        for f in nisbas:
            table.names_of[f] = table.names_of.get(f, frozenset()) | name_set
        for n in names:
            table.nisbas_of[n] = table.nisbas_of.get(n, frozenset()) | nisba_set
    return table
