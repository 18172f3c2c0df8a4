"""Latin name -> its Arabic spellings, from the gazetteers.

``arabic_for_latin(word)`` answers the Arabic spellings the gazetteers give
for a single Latin word («kazakhstan» → «كازاخستان», «كازخستان»,
«قازاخستان»…), normalized. Query-time transliteration
(``search.query.latin``) trusts these spellings before its own guesses.

Sources are plain callables returning ``(latin name, arabic spelling)``
pairs; ``register_latin_source(fn)`` adds one (a people gazetteer can
register itself from its app's ``ready()``). Built in:
``country_pairs()``: the countries' English names (archive/data/
countries.json and the Country table) with their Arabic name and those
single-word aliases that spell the same name (a capital or a nisba
adjective is not a spelling of the country: the alias must align with the
Latin name, ``search.analysis.latin.latin_cost``, and not be the name cut or
lengthened, «الروس», «برازيليا»). The other sources' spellings must align
with their Latin word too (``aligned_only``: a person's first name is not a
spelling of the surname).

The table is rebuilt at most every ``GAZETTEER_TTL`` seconds per process.
"""
from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from search.analysis import normalize
from search.analysis.latin import arabic_candidates, latin_cost, latin_word

GAZETTEER_TTL = 300.0  # seconds
ALIAS_COST = 2.0  # an alias farther from the Latin name is another name (a capital, a region)
_COUNTRIES_FILE = Path(__file__).resolve().parent.parent / "archive" / "data" / "countries.json"
_NISBA_ENDINGS = ("ي", "يه", "يون", "يين", "يان")

LatinSource = Callable[[], Iterable[tuple[str, str]]]
_sources: list[LatinSource] = []
_lock = threading.Lock()
_state: dict = {"table": None, "loaded": 0.0}


def register_latin_source(source: LatinSource) -> None:
    """Add a source of ``(latin name, arabic spelling)`` pairs (idempotent)."""
    with _lock:
        if source not in _sources:
            _sources.append(source)
        _state["table"] = None


def _country_rows():
    try:
        data = json.loads(_COUNTRIES_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = []
    rows = [(c.get("name_en", ""), c.get("name_ar", ""), list(c.get("aliases", []))) for c in data]
    try:
        from archive.models import Country

        for name_en, name_ar, aliases in Country.objects.values_list("name_en", "name_ar", "aliases"):
            rows.append((name_en, name_ar, (aliases or "").splitlines()))
    except Exception:  # no database (yet): the file alone
        pass
    return rows


def country_pairs() -> list[tuple[str, str]]:
    """(English name, Arabic spelling) of every single-word country name."""
    out = []
    for name_en, name_ar, aliases in _country_rows():
        latin = latin_word(name_en or "")
        if not latin or not name_ar:
            continue
        out.append((latin, name_ar))
        name = _bare(normalize(name_ar))
        for alias in aliases:
            alias = normalize(alias or "").strip()
            if " " in alias or len(alias) < 3 or alias.endswith(_NISBA_ENDINGS) or _derived(_bare(alias), name):
                continue
            cost = latin_cost(latin, alias)
            if cost is not None and cost <= ALIAS_COST:
                out.append((latin, alias))
    return out


def _bare(word: str) -> str:
    return word[2:] if word.startswith("ال") and len(word) >= 5 else word


def _derived(alias: str, name: str) -> bool:
    """An alias that is the name cut or lengthened (the people «الروس» of
    «روسيا», the capital «برازيليا» of «البرازيل») is another word."""
    return alias != name and (alias.startswith(name) or name.startswith(alias))


def aligned_only(pairs) -> list[tuple[str, str]]:
    """``pairs`` whose Arabic spelling aligns with the Latin word (cost at
    most ``ALIAS_COST``) or at least starts with a letter the word's first
    sound is written with («خاشقجي» for «khashoggi»): a person's first name
    is not a spelling of the surname («هيلاري» for «clinton», «كريستيانو»
    for «ronaldo»)."""
    out = []
    for latin, arabic in pairs:
        key = latin_word(latin)
        spelling = normalize(arabic or "").strip()
        if not key or not spelling:
            continue
        cost = latin_cost(key, spelling)
        starts = {a[0] for a, _c in arabic_candidates(key)}
        if (cost is not None and cost <= ALIAS_COST) or _bare(spelling)[0] in starts:
            out.append((latin, arabic))
    return out


def latin_gazetteer() -> dict[str, tuple[str, ...]]:
    """{latin word: normalized Arabic spellings} of every source."""
    now = time.monotonic()
    table = _state["table"]
    if table is not None and now - _state["loaded"] < GAZETTEER_TTL:
        return table
    found: dict[str, dict[str, None]] = {}
    for source in [country_pairs] + list(_sources):
        try:
            pairs = list(source())
        except Exception:  # a broken source never breaks the search
            continue
        if source is not country_pairs:  # a country's own Arabic name is trusted («مصر» for Egypt)
            pairs = aligned_only(pairs)
        for latin, arabic in pairs:
            key = latin_word(latin)
            spelling = normalize(arabic or "").strip()
            if key and spelling and " " not in spelling:
                found.setdefault(key, {})[spelling] = None
    table = {k: tuple(v) for k, v in found.items()}
    with _lock:
        _state["table"] = table
        _state["loaded"] = now
    return table


def arabic_for_latin(word: str) -> tuple[str, ...]:
    """The gazetteers' Arabic spellings of a Latin word ("" when none)."""
    key = latin_word(word)
    return latin_gazetteer().get(key, ()) if key else ()
