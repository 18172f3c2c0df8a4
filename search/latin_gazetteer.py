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
lengthened, «الروس», «برازيليا»); ``place_pairs()``: the places' Latin
names of search/data/latin_places.json (capitals, large cities, the
Ukraine-war and Central Asian places; Kiev/Kyiv, Odessa/Odesa…) with the
Arabic spellings the press uses. Both are trusted as they are: a country's
or a place's Arabic name is an exonym that need not align with its Latin
name («مصر» for Egypt, «دمشق» for Damascus, «الرياض» for Riyadh). Only
single-word names on both sides are used (the query reads one Latin word
at a time; «Abu Dhabi», «Deir ez-Zor» stay in the file), and an entry whose
Arabic spelling is also a common word («صور», Tyre) is left out
(``common_word``). The other sources' spellings must align
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
from search.analysis.clitics import strip_article
from search.analysis.latin import arabic_candidates, latin_cost, latin_word
from search.analysis.variants import skeleton

GAZETTEER_TTL = 300.0  # seconds
ALIAS_COST = 2.0  # an alias farther from the Latin name is another name (a capital, a region)
_COUNTRIES_FILE = Path(__file__).resolve().parent.parent / "archive" / "data" / "countries.json"
_PLACES_FILE = Path(__file__).resolve().parent / "data" / "latin_places.json"
_NISBA_ENDINGS = ("ي", "يه", "يون", "يين", "يان")

LatinSource = Callable[[], Iterable[tuple[str, str]]]
_sources: list[LatinSource] = []
_lock = threading.Lock()
_state: dict = {"table": None, "loaded": 0.0, "owners": {}, "places": {}}


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
        name = strip_article(normalize(name_ar))
        for alias in aliases:
            alias = normalize(alias or "").strip()
            if " " in alias or len(alias) < 3 or alias.endswith(_NISBA_ENDINGS) or _derived(strip_article(alias), name):
                continue
            cost = latin_cost(latin, alias)
            if cost is not None and cost <= ALIAS_COST:
                out.append((latin, alias))
    return out


_place_file: dict = {}  # the places file's rows, read once per version of the file


def _place_rows() -> list[dict]:
    """The places of ``_PLACES_FILE``, parsed once per version of the file
    (``place_pairs`` and ``_place_table`` both read them at every reload)."""
    try:
        version = _PLACES_FILE.stat().st_mtime_ns
        if _place_file.get("version") != version:
            data = json.loads(_PLACES_FILE.read_text(encoding="utf-8"))
            _place_file.update(version=version, rows=[p for p in data.get("places", []) if isinstance(p, dict)])
    except (OSError, ValueError, AttributeError):
        return []
    return _place_file["rows"]


def place_pairs() -> list[tuple[str, str]]:
    """(Latin name, Arabic spelling) of every single-word place name of
    ``_PLACES_FILE`` (entries marked ``common_word`` left out)."""
    out = []
    for place in _place_rows():
        if place.get("common_word"):
            continue
        arabic = [a for a in place.get("arabic", []) if a and " " not in a.strip()]
        for name in place.get("latin", []):
            if latin_word(name):
                out.extend((name, a) for a in arabic)
    return out


def _place_table() -> dict[str, tuple[str, ...]]:
    """{latin word: its normalized single-word spellings} of every place of
    ``_PLACES_FILE``, () for those with none usable («Ramallah» → «رام الله»,
    «Tyre» → «صور», a common word)."""
    out: dict[str, dict[str, None]] = {}
    for place in _place_rows():
        spellings = [] if place.get("common_word") else [normalize(a or "").strip() for a in place.get("arabic", [])]
        for name in place.get("latin", []):
            key = latin_word(name)
            if key:
                out.setdefault(key, {}).update((s, None) for s in spellings if s and " " not in s)
    return {k: tuple(v) for k, v in out.items()}


_TRUSTED = (country_pairs, place_pairs)  # exonyms: not aligned with their Latin names




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
        if (cost is not None and cost <= ALIAS_COST) or strip_article(spelling)[0] in starts:
            out.append((latin, arabic))
    return out


def latin_gazetteer() -> dict[str, tuple[str, ...]]:
    """{latin word: normalized Arabic spellings} of every source."""
    return _tables()["table"]


def _tables() -> dict:
    now = time.monotonic()
    if _state["table"] is not None and now - _state["loaded"] < GAZETTEER_TTL:
        return _state
    found: dict[str, dict[str, None]] = {}
    owners: dict[str, set[str]] = {}
    for source in list(_TRUSTED) + list(_sources):
        try:
            pairs = list(source())
        except Exception:  # a broken source never breaks the search
            continue
        trusted = source in _TRUSTED
        if not trusted:  # a country's or place's own Arabic name is trusted («مصر», «دمشق»)
            pairs = aligned_only(pairs)
        for latin, arabic in pairs:
            key = latin_word(latin)
            spelling = normalize(arabic or "").strip()
            if key and spelling and " " not in spelling:
                found.setdefault(key, {})[spelling] = None
                if trusted:
                    owners.setdefault(skeleton(strip_article(spelling)), set()).add(key)
    try:
        places = _place_table()
    except Exception:
        places = {}
    with _lock:
        _state["table"] = {k: tuple(v) for k, v in found.items()}
        _state["owners"] = {k: frozenset(v) for k, v in owners.items()}
        _state["places"] = places
        _state["loaded"] = now
    return _state


def arabic_for_latin(word: str) -> tuple[str, ...]:
    """The gazetteers' Arabic spellings of a Latin word ("" when none)."""
    key = latin_word(word)
    return latin_gazetteer().get(key, ()) if key else ()


def place_spellings(word: str) -> tuple[str, ...] | None:
    """The single-word Arabic spellings of a Latin place name of
    ``_PLACES_FILE`` (() when it has none usable), None when ``word`` is not
    a place name there."""
    key = latin_word(word)
    return _tables()["places"].get(key) if key else None


def exonym_owners(key: str) -> frozenset[str]:
    """The Latin words of the countries and places whose Arabic name has
    the ``skeleton`` ``key`` (without «ال»; «بلغراد» and «بلجراد»:
    belgrade, belgorod)."""
    return _tables()["owners"].get(key, frozenset())
