"""The index vocabulary as query expansion needs it, cached per index segment.

``vocabulary_for(view)`` returns the ``Vocabulary`` of an open
``search.backend.IndexView`` (built once per searcher generation and stored
on the view). It is built from the unstemmed ``text_exact`` field of every
segment:

- ``df(form)``: documents (in all segments) holding the exact normalized form;
- ``variants_of_key(key)``: the indexed forms whose ``variant_key`` is ``key``.

Whoosh segments are immutable, so each segment's lexicon is read once and
kept in a small process-wide LRU keyed by the segment id: after a commit that
adds a small segment only that segment is read. Reading a 70k-article index
from scratch takes about a second; a query then costs only dict lookups.

``load_protected_names()`` feeds ``search.analysis.set_extra_protected``
with the gazetteer names (archive/data/countries.json, the Country table) and
the editable name spellings (``search.models.NameVariant``). It is called at
index time (``search.backend.build_schema``) and at query time, once per
process, so both sides stem identically; a change needs a restart and an
index rebuild (the admin says so).
"""
from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from pathlib import Path

log = logging.getLogger(__name__)

EXACT_FIELD = "text_exact"
MIN_KEY_LEN = 4  # shorter forms are never expanded by sound class
_SEGMENT_CACHE_SIZE = 64
_segment_cache: OrderedDict = OrderedDict()
_cache_lock = threading.Lock()


class SegmentLexicon:
    __slots__ = ("df", "by_key")

    def __init__(self, df, by_key):
        self.df = df
        self.by_key = by_key


_VOWELS = frozenset("اويء")


def skeleton(word: str, key_of=None) -> str:
    """``variant_key`` with every medial long vowel dropped, also in words
    shorter than 5 letters («بوتن» = «بوتين»); words in «ه» keep theirs
    («الجامعة» ≠ «الجمعة»)."""
    if key_of is None:
        from search.analysis.variants import variant_key as key_of
    key = key_of(word)
    if len(key) < 4 or key.endswith("H") or word.endswith("ه"):
        return key
    return key[0] + "".join(c for c in key[1:-1] if c not in _VOWELS) + key[-1]


def _read_segment(sub, fieldname=EXACT_FIELD) -> SegmentLexicon:
    from search.analysis.variants import variant_key

    key_of = getattr(variant_key, "__wrapped__", variant_key)  # do not churn its LRU
    df = {}
    by_key = {}
    if fieldname in sub.schema:
        for raw, info in sub.iter_field(fieldname):
            term = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            df[term] = info.doc_frequency()
            if len(term) >= MIN_KEY_LEN and "\u0621" <= term[0] <= "\u064a":
                by_key.setdefault(skeleton(term, key_of), []).append(term)
    return SegmentLexicon(df, by_key)


def _segment_lexicon(sub) -> SegmentLexicon:
    seg = sub.segment() if hasattr(sub, "segment") else None
    ident = None
    if seg is not None:
        try:
            ident = (getattr(sub, "_storage", None) and id(sub._storage), seg.segment_id())
        except Exception:
            ident = None
    if ident is None:
        return _read_segment(sub)
    with _cache_lock:
        found = _segment_cache.get(ident)
        if found is not None:
            _segment_cache.move_to_end(ident)
            return found
    found = _read_segment(sub)
    with _cache_lock:
        _segment_cache[ident] = found
        while len(_segment_cache) > _SEGMENT_CACHE_SIZE:
            _segment_cache.popitem(last=False)
    return found


class Vocabulary:
    """Exact-form document frequencies and variant-key groups of an index."""

    def __init__(self, segments, doc_count=None):
        self.segments = [s for s in segments if s.df]
        self._one = self.segments[0] if len(self.segments) == 1 else None
        self._dfs = tuple(s.df for s in self.segments)
        self.doc_count = doc_count

    @classmethod
    def from_reader(cls, reader):
        if reader.is_atomic():
            subs = [reader]
        else:
            subs = [sub for sub, _offset in reader.leaf_readers()]
        return cls([_segment_lexicon(sub) for sub in subs], doc_count=reader.doc_count())

    @classmethod
    def from_counts(cls, df: dict, doc_count=None):
        """A vocabulary from {form: document frequency} (tests, tools)."""
        from search.analysis.variants import variant_key

        by_key = {}
        for term in df:
            if len(term) >= MIN_KEY_LEN and "\u0621" <= term[0] <= "\u064a":
                by_key.setdefault(skeleton(term, variant_key), []).append(term)
        return cls([SegmentLexicon(dict(df), by_key)], doc_count=doc_count)

    def df(self, form: str) -> int:
        one = self._one
        if one is not None:
            return one.df.get(form, 0)
        n = 0
        for d in self._dfs:  # a plain loop: about twice as fast as sum() over a generator
            n += d.get(form, 0)
        return n

    def __contains__(self, form) -> bool:
        return any(form in d for d in self._dfs)

    def variants_of_key(self, key: str) -> list[str]:
        one = self._one
        if one is not None:
            return one.by_key.get(key, [])
        out = []
        for s in self.segments:
            for t in s.by_key.get(key, ()):
                if t not in out:
                    out.append(t)
        return out


def vocabulary_for(view):
    """The ``Vocabulary`` of an IndexView (cached on the view), or None."""
    if view is None:
        return None
    vocab = getattr(view, "_search_vocabulary", None)
    if vocab is None:
        vocab = Vocabulary.from_reader(view.reader)
        try:
            view._search_vocabulary = vocab
        except AttributeError:
            pass
    return vocab


def clear_cache():
    with _cache_lock:
        _segment_cache.clear()


# --- protected names (same at index and query time) ------------------------------------------

_COUNTRIES_FILE = Path(__file__).resolve().parent.parent / "archive" / "data" / "countries.json"
_loaded = False
_load_lock = threading.Lock()
_NISBA_ENDINGS = ("ي", "ية", "يه", "يون", "يين", "يان")


def _name_forms(text: str) -> list[str]:
    """Single-word names of ``text``; nisba adjectives are left to the stemmer."""
    words = (text or "").split()
    if len(words) != 1:
        return []
    w = words[0]
    if len(w) < 3 or w.endswith(_NISBA_ENDINGS):
        return []
    return [w]


def gazetteer_names() -> list[str]:
    """Names from the gazetteer file and, when reachable, the Country and
    NameVariant tables (sorted: deterministic)."""
    names = set()
    try:
        data = json.loads(_COUNTRIES_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = []
    for c in data:
        for text in [c.get("name_ar", "")] + list(c.get("aliases", [])):
            names.update(_name_forms(text))
    try:
        from archive.models import Country

        for name_ar, aliases in Country.objects.values_list("name_ar", "aliases"):
            for text in [name_ar] + (aliases or "").splitlines():
                names.update(_name_forms(text.strip()))
        from search.models import NameVariant

        for spelling in NameVariant.objects.values_list("spelling", flat=True):
            names.update(_name_forms(spelling.strip()))
    except Exception:  # no database (yet): the file alone
        pass
    return sorted(names)


def load_protected_names(force: bool = False) -> None:
    """``set_extra_protected(gazetteer_names())`` once per process."""
    global _loaded
    if _loaded and not force:
        return
    with _load_lock:
        if _loaded and not force:
            return
        from search.analysis import set_extra_protected

        set_extra_protected(gazetteer_names())
        _loaded = True
