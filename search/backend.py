"""A haystack engine over Whoosh that is correct for Arabic and fast enough.

What differs from haystack's stock ``whoosh_backend``:

- Schema (``build_schema``): text fields use ``ArabicAnalyzer`` (stock:
  English ``StemmingAnalyzer``); ``text_exact`` uses ``ArabicExactAnalyzer``;
  facet fields are unanalyzed ``ID``/``KEYWORD`` terms (stock: stemmed TEXT,
  so «الشرق الأوسط» became two buckets); ``day``/``article_id`` are sortable
  ints. Only the ids are stored: snippets are built from the database text.
- One long-lived searcher per process and index directory
  (``SharedIndex``), reopened only when the index generation changed (a new
  searcher, never ``searcher.refresh()``, whose reader reuse is broken in
  whoosh-reloaded 2.7.5: merged-away segments stay visible), with
  per-searcher numpy caches: a live-doc mask, the ``day`` and ``article_id``
  columns, the date orders, filter/date masks and (doc, value) pairs for
  the facet fields (filters are mask operations, facet counts one
  ``bincount``; no ``groupedby`` and no per-bucket queries); a segment's
  immutable data is cached process-wide (``segment_cached``).
- Exhaustive scoring (``IndexView.evaluate``): every match is scored, so the
  page is the true top-k and the count is exact (Whoosh's block-quality
  ``limit=`` optimisation returns a wrong top 10 for some AND queries,
  whoosh issue #413).
- No ``*`` query on the request path: match-all is the cached live-doc set.
- Writes never use ``AsyncWriter`` (which hides a busy lock in a thread);
  ``writer(timeout)`` raises ``LockError`` and haystack's SILENTLY_FAIL is
  honoured (the project sets it to False).
- Highlighting (haystack ``highlight=True``) goes through the Arabic
  analyzer (``search.service.snippet_html``).
"""
from __future__ import annotations

import logging
import os
import threading
import warnings
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import chain
from pickle import loads

import numpy as np

from django.utils.encoding import force_str
from haystack.backends import BaseEngine, log_query
from haystack.backends.whoosh_backend import WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError, SkipDocument
from haystack.models import SearchResult
from haystack.utils import get_identifier
from whoosh import formats
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import scoring
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length
from whoosh.fields import BOOLEAN, DATETIME, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.fields import ID as WHOOSH_ID
from whoosh.filedb.filestore import FileStorage
from whoosh.qparser import QueryParser
from whoosh.writing import CLEAR

log = logging.getLogger(__name__)

# Field names the search service relies on.
TEXT_FIELD = "text"
EXACT_FIELD = "text_exact"
TITLE_FIELD = "title"
DAY_FIELD = "day"
PK_FIELD = "article_id"
FACET_FIELDS = ("countries", "source", "topics", "month", "year")

DEFAULT_LOCK_TIMEOUT = 60.0
SCORE_CACHE_SIZE = 16
_NO_IDS = np.zeros(0, dtype=np.int64)
_NO_SCORES = np.zeros(0, dtype=np.float64)
# Assembled term postings per searcher (segments: segment_cached), bounded by
# count and size: a query's expansions are dozens of mostly rare forms.
POSTINGS_CACHE_SIZE = 4096
POSTINGS_CACHE_BYTES = 16 * 2**20
MASK_CACHE_SIZE = 64  # filter/date masks per searcher


# --- schema -------------------------------------------------------------------

def build_schema(fields):
    """Whoosh schema for haystack search fields. Returns (content_field, schema)."""
    from search.analysis import ArabicAnalyzer, ArabicExactAnalyzer
    from search.vocabulary import load_protected_names

    load_protected_names()  # gazetteer + NameVariant names: unstemmed, as at query time

    schema_fields = {
        ID: WHOOSH_ID(stored=True, unique=True),
        DJANGO_CT: WHOOSH_ID(stored=True),
        DJANGO_ID: WHOOSH_ID(stored=True),
    }
    content_field_name = ""
    for _name, f in fields.items():
        ftype = f.field_type
        boost = f.boost or 1.0
        if ftype == "arabic_text":
            wf = TEXT(analyzer=ArabicAnalyzer(), phrase=True, stored=False, field_boost=boost)
        elif ftype == "arabic_exact":
            wf = TEXT(analyzer=ArabicExactAnalyzer(), phrase=True, stored=False, field_boost=boost)
        elif ftype == "facet_id":
            wf = WHOOSH_ID(stored=False)
        elif ftype == "facet_keyword":
            wf = KEYWORD(stored=False, commas=True, lowercase=False, scorable=False)
        elif ftype in ("day", "sortable_int"):
            wf = NUMERIC(numtype=int, bits=64, stored=False, sortable=True, signed=True)
        elif ftype in ("date", "datetime"):
            wf = DATETIME(stored=False, sortable=True)
        elif ftype == "integer":
            wf = NUMERIC(numtype=int, bits=64, stored=f.stored, field_boost=boost)
        elif ftype == "float":
            wf = NUMERIC(numtype=float, stored=f.stored, field_boost=boost)
        elif ftype == "boolean":
            wf = BOOLEAN(stored=f.stored)
        elif f.is_multivalued:
            wf = KEYWORD(stored=f.stored, commas=True, lowercase=False)
        else:
            # Any other text is still Arabic text, never English-stemmed.
            wf = TEXT(analyzer=ArabicAnalyzer(), stored=f.stored, field_boost=boost)
        schema_fields[f.index_fieldname] = wf
        if f.document:
            content_field_name = f.index_fieldname
    if len(schema_fields) <= 3:
        raise SearchBackendError("No fields were found in any search_indexes.")
    return content_field_name, Schema(**schema_fields)


def to_whoosh_value(value):
    """A prepared haystack value as Whoosh wants it (None → drop)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return ",".join(force_str(v) for v in value)
    return force_str(value)


# --- the shared, long-lived searcher -------------------------------------------

@dataclass
class EngineResult:
    total: int
    hits: list  # [(article_id, score)] in page order
    facets: dict = field(default_factory=dict)  # field -> {value: count}


def _block_arrays(m, weights=True):
    """(ids int64, weights float64 | None) of the current block of a Whoosh
    3 leaf matcher, decoded with numpy from the block's data tuple (ids are
    delta-coded from 0; weights None = all 1.0, a float = all that value)."""
    if m._data is None:
        m._read_data()
    raw_ids = m._data[0]
    if m._byteids or isinstance(raw_ids, (bytes, bytearray)):
        if m._ids is None:
            m._read_ids()
        ids = np.asarray(m._ids, dtype=np.int64)
    else:
        ids = np.cumsum(np.asarray(raw_ids, dtype=np.int64))
    if not weights:
        return ids, None
    raw_w = m._data[1]
    if raw_w is None:
        ws = np.ones(len(ids), dtype=np.float64)
    elif isinstance(raw_w, float):
        ws = np.full(len(ids), raw_w, dtype=np.float64)
    else:
        ws = np.asarray(raw_w, dtype=np.float64)
    return ids, ws


def _read_postings(m, weights=True):
    """(ids, weights) of a whole posting list, block by block when possible
    (numpy arrays on the Whoosh 3 codec; weights None if not wanted)."""
    if all(hasattr(m, a) for a in ("_read_data", "_data", "_byteids", "_lastblock", "_next_block")):
        id_parts, w_parts = [], []
        while m.is_active():
            ids, ws = _block_arrays(m, weights)
            id_parts.append(ids)
            if weights:
                w_parts.append(ws)
            if m._lastblock:
                break
            m._next_block()
        if not id_parts:
            return np.zeros(0, dtype=np.int64), (np.zeros(0) if weights else None)
        ids = np.concatenate(id_parts) if len(id_parts) > 1 else id_parts[0]
        if not weights:
            return ids, None
        return ids, (np.concatenate(w_parts) if len(w_parts) > 1 else w_parts[0])
    ids, ws = [], []
    while m.is_active():
        ids.append(m.id())
        ws.append(m.weight())
        m.next()
    return np.asarray(ids, dtype=np.int64), (np.asarray(ws, dtype=np.float64) if weights else None)


# --- per-segment caches (shared by every IndexView of the process) ----------------
#
# Whoosh segments are immutable: a segment's columns, field lengths, facet
# postings and term postings never change, only its deletions do. They are
# cached here by (index folder, segment id), so the searcher opened after a
# commit re-reads only the new segment; the deletions (live mask) are read
# per view. The cache is bounded in bytes (least recently used out first).

SEGMENT_CACHE_MB = int(os.environ.get("SEARCH_SEGMENT_CACHE_MB", "64"))
_seg_cache: OrderedDict = OrderedDict()
_seg_cache_bytes = 0
_seg_cache_lock = threading.Lock()


def _nbytes(value) -> int:
    if isinstance(value, np.ndarray):
        return value.nbytes
    if isinstance(value, (tuple, list)):
        return sum(_nbytes(v) for v in value) + 8 * len(value)
    if isinstance(value, str):
        return len(value) * 2 + 50
    return 64


def segment_key(sub):
    """(index folder, segment id) of a leaf reader, or None."""
    try:
        seg = sub.segment()
        folder = getattr(getattr(sub, "_storage", None), "folder", None)
        return (folder or id(getattr(sub, "_storage", None)), seg.segment_id())
    except Exception:
        return None


def segment_cached(sub, key, build):
    """``build()`` for this segment, cached process-wide by (segment, key)."""
    global _seg_cache_bytes
    skey = segment_key(sub)
    if skey is None:
        return build()
    full = (skey, key)
    with _seg_cache_lock:
        found = _seg_cache.get(full)
        if found is not None:
            _seg_cache.move_to_end(full)
            return found[0]
    value = build()
    size = _nbytes(value)
    with _seg_cache_lock:
        if full not in _seg_cache:
            _seg_cache[full] = (value, size)
            _seg_cache_bytes += size
        budget = SEGMENT_CACHE_MB * 2**20
        while _seg_cache_bytes > budget and len(_seg_cache) > 1:
            _k, (_v, s) = _seg_cache.popitem(last=False)
            _seg_cache_bytes -= s
    return value


def _numeric_column(sub, fieldname):
    """int64 values of a numeric column of one segment (missing → 0)."""
    count = sub.doc_count_all()
    out = np.zeros(count, dtype=np.int64)
    if not count or fieldname not in sub.schema or not sub.has_column(fieldname):
        return out
    try:
        raw_reader = sub.column_reader(fieldname, translate=False)
    except Exception:
        raw_reader = None
    col = sub.column_reader(fieldname)
    typecode = getattr(raw_reader, "_typecode", None)
    if typecode in ("Q", "q", "I", "i") and hasattr(raw_reader, "_dbfile"):
        # Read the fixed-width column at once; decode Whoosh's sortable
        # encoding (unsigned, offset by 2**(bits-1)) the way the field does,
        # and check a few values against Whoosh's own translation.
        stored = raw_reader._count
        raw = np.frombuffer(
            raw_reader._dbfile.get(raw_reader._basepos, stored * raw_reader._fixedlen),
            dtype=">" + typecode,
        )
        if typecode in "QI":
            half = 1 << (raw.dtype.itemsize * 8 - 1)
            vals = (raw.astype(np.uint64) - np.uint64(half)).view(np.int64) if typecode == "Q" \
                else raw.astype(np.int64) - half
        else:
            vals = raw.astype(np.int64)
        default = col[count - 1] if stored < count else None
        out[:stored] = vals
        if stored < count:
            out[stored:] = default or 0
        probes = sorted({0, stored // 2, max(stored - 1, 0)}) if stored else []
        if all((col[i] or 0) == out[i] for i in probes):
            return out
    try:
        out[:] = np.fromiter((v or 0 for v in col), dtype=np.int64, count=count)
    except (TypeError, ValueError):
        for i, v in enumerate(col):
            out[i] = v or 0
    return out


def _length_bytes(sub, fieldname):
    """The encoded (one byte per doc) field lengths of one segment."""
    count = sub.doc_count_all()
    out = np.zeros(count, dtype=np.uint8)
    if not count or fieldname not in sub.schema:
        return out
    try:
        reader = sub._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    except Exception:
        reader = None
    if reader is not None and getattr(reader, "_typecode", None) == "B" and hasattr(reader, "_dbfile"):
        stored = min(reader._count, count)
        out[:stored] = np.frombuffer(reader._dbfile.get(reader._basepos, stored), dtype=np.uint8)
        return out
    if reader is not None:
        out[:] = np.fromiter((reader[i] for i in range(count)), dtype=np.int64, count=count)
        return out
    from whoosh.util.numeric import length_to_byte

    for i in range(count):
        out[i] = length_to_byte(sub.doc_field_length(i, fieldname) or 0)
    return out


def _segment_postings(sub, fieldname, text):
    """(local docnums int32, weights float32) of a term in one segment,
    deleted docs included (tf weights are small integers: exact in float32)."""
    try:
        if (fieldname, text) not in sub:
            return None
        m = sub.postings(fieldname, text)
    except Exception:
        return None
    m = getattr(m, "child", m)  # unwrap the deletion filter; live_mask handles it
    ids, ws = _read_postings(m)
    ws = np.asarray(ws, dtype=np.float64)
    w32 = ws.astype(np.float32)
    return (np.asarray(ids, dtype=np.int32), w32 if np.array_equal(w32, ws) else ws)


def _segment_pairs(sub, fieldname):
    """(values, local docnums int32, value index int32) of an ID/KEYWORD field."""
    values, docs, vals = [], [], []
    if fieldname in sub.schema:
        for value in sub.field_terms(fieldname):
            m = sub.postings(fieldname, value)
            m = getattr(m, "child", m)
            ids = _read_postings(m, weights=False)[0].astype(np.int32)
            if len(ids):
                vals.append(np.full(len(ids), len(values), dtype=np.int32))
                docs.append(ids)
                values.append(value)
    if docs:
        return values, np.concatenate(docs), np.concatenate(vals)
    return [], np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32)


_LENGTH_TABLE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


def _segment_positions(sub, fieldname, text):
    """(local docnums int32, start offsets int64 [n + 1], positions int32) of
    every posting of a term in one segment, deleted docs included: the
    positions of doc ``docs[i]`` are ``positions[starts[i]:starts[i + 1]]``.
    Decoded once per segment and term (``segment_cached``), so a phrase of
    common words costs array lookups instead of decoding thousands of
    postings per query."""
    try:
        if (fieldname, text) not in sub:
            return None
        m = sub.postings(fieldname, text)
        fmt = sub.schema[fieldname].format
    except Exception:
        return None
    m = getattr(m, "child", m)
    decode = fmt.decoder("positions")
    # Whoosh's Positions values: a 4-byte count, then the pickled list of
    # position deltas (the trailing STOP may be stripped); read the deltas
    # with one ``loads`` each and add them up with numpy.
    raw_deltas = type(fmt) is formats.Positions
    id_parts, lists = [], []
    if all(hasattr(m, a) for a in ("_read_data", "_read_values", "_lastblock", "_next_block")):
        while m.is_active():
            id_parts.append(_block_arrays(m, weights=False)[0])
            if m._values is None:
                m._read_values()
            if raw_deltas:
                lists.extend(loads(v[4:] if v.endswith(b".") else v[4:] + b".") for v in m._values)
            else:
                lists.extend(map(decode, m._values))
            if m._lastblock:
                break
            m._next_block()
        docs = np.concatenate(id_parts) if id_parts else np.zeros(0, dtype=np.int64)
    else:
        raw_deltas = False
        ids = []
        while m.is_active():
            ids.append(m.id())
            lists.append(decode(m.value()))
            m.next()
        docs = np.asarray(ids, dtype=np.int64)
    counts = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    starts = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    flat = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(starts[-1]))
    if raw_deltas and len(flat):
        # per-document running sums of the deltas
        total = np.cumsum(flat)
        before = np.zeros(len(lists), dtype=np.int64)
        nonempty = counts > 0
        first = starts[:-1][nonempty]
        before[nonempty] = np.where(first > 0, total[np.maximum(first - 1, 0)], 0)
        flat = total - np.repeat(before, counts)
    return docs.astype(np.int32), starts.astype(np.int32), flat.astype(np.int32)


def _position_keys(entry, local):
    """Sorted int64 keys ``doc << 32 | position`` of the given sorted local
    docs (each must hold the term) from a ``_segment_positions`` entry."""
    docs, starts, positions = entry
    idx = np.searchsorted(docs, local)
    found = idx < len(docs)
    found[found] = docs[idx[found]] == local[found]
    idx = idx[found]
    lo, hi = starts[idx], starts[idx + 1]
    lengths = hi - lo
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    # indices lo[i] .. hi[i]-1 for every i, flattened
    shift = np.repeat(lo - (np.cumsum(lengths) - lengths), lengths)
    gather = np.arange(total, dtype=np.int64) + shift
    return (np.repeat(docs[idx].astype(np.int64), lengths) << 32) | positions[gather].astype(np.int64)


class IndexView:
    """One searcher and everything cached for it (valid until the index changes).

    The request path works on dense numpy arrays indexed by global docnum:
    a live-doc mask, the ``day``/``article_id`` columns, decoded field
    lengths, per-term postings arrays (ids, weights) and per-facet
    (doc, value) pair arrays. Scoring is term-at-a-time BM25F over the cached
    postings with Whoosh's own formula, idf and average field lengths, so the
    scores equal Whoosh's exhaustive scores (tests/test_search_correctness.py);
    facet counts are one ``bincount``, filters are cached masks.
    """

    def __init__(self, searcher):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.n = self.reader.doc_count_all()
        self._live = None
        self._live_mask = None
        self._days = None
        self._pks = None
        self._orders = None
        self._term_sets = {}
        self._pairs = {}
        self._lengths = {}
        self._postings = OrderedDict()
        self._postings_bytes = 0
        self._avg_lengths = {}
        self._scores = OrderedDict()
        self._masks = OrderedDict()
        self._lock = threading.RLock()

    def warm(self):
        """Open now the files Whoosh opens lazily (field lengths, stored
        fields) and load the columns: a later commit may delete the files of
        a merged-away segment, which an open handle survives."""
        for sub, _offset in self.reader.leaf_readers():
            if not sub.doc_count_all():
                continue
            for fname in (TEXT_FIELD, TITLE_FIELD, EXACT_FIELD):
                if fname in sub.schema:
                    sub.doc_field_length(0, fname)
            sub.stored_fields(0)
        self.live_mask
        self.pks
        self.days
        for fname in (TEXT_FIELD, TITLE_FIELD, EXACT_FIELD):
            self.lengths(fname)
        return self

    # columns and sets ---------------------------------------------------------
    def _column(self, fieldname):
        parts = [segment_cached(sub, ("col", fieldname), lambda sub=sub: _numeric_column(sub, fieldname))
                 for sub, _offset in self.reader.leaf_readers()]
        if not parts:
            return np.zeros(self.n, dtype=np.int64)
        return np.concatenate(parts) if len(parts) > 1 else parts[0]

    @property
    def live_mask(self):
        if self._live_mask is None:
            mask = np.ones(self.n, dtype=bool)
            for sub, offset in self.reader.leaf_readers():
                if sub.has_deletions():
                    dels = getattr(sub, "deleted_docs_set", None)
                    if dels is None:
                        dels = [d for d in range(sub.doc_count_all()) if sub.is_deleted(d)]
                    dels = np.fromiter(dels, dtype=np.int64)
                    if len(dels):
                        mask[dels + offset] = False
            self._live_mask = mask
        return self._live_mask

    @property
    def live(self) -> frozenset:
        if self._live is None:
            self._live = frozenset(np.flatnonzero(self.live_mask).tolist())
        return self._live

    @property
    def days(self):
        if self._days is None:
            self._days = self._column(DAY_FIELD)
        return self._days

    @property
    def pks(self):
        if self._pks is None:
            self._pks = self._column(PK_FIELD)
        return self._pks

    @property
    def orders(self):
        """Live docnums in newest/oldest order (undated last in both)."""
        if self._orders is None:
            docs = np.flatnonzero(self.live_mask)
            days, pks = self.days[docs], self.pks[docs]
            oldest_all = docs[np.lexsort((pks, days))]
            dated = self.days[oldest_all] > 0
            undated = oldest_all[~dated]
            self._orders = {
                "oldest": np.concatenate([oldest_all[dated], undated]),
                "newest": np.concatenate([oldest_all[dated][::-1], undated[::-1]]),
            }
        return self._orders

    def lengths(self, fieldname):
        """Decoded field lengths (as Whoosh's scorer sees them) per docnum."""
        found = self._lengths.get(fieldname)
        if found is None:
            parts = [segment_cached(sub, ("len", fieldname), lambda sub=sub: _length_bytes(sub, fieldname))
                     for sub, _offset in self.reader.leaf_readers()]
            raw = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint8)
            found = _LENGTH_TABLE[raw] if len(raw) == self.n else np.zeros(self.n, dtype=np.float64)
            self._lengths[fieldname] = found
        return found

    def postings(self, fieldname, text):
        """(global docnums int64, weights float64) of a term, deleted docs included.

        Per-segment postings are cached process-wide (segment_cached); this
        per-view LRU keeps the assembled arrays of the most recent terms."""
        key = (fieldname, text)
        found = self._postings.get(key)
        if found is not None:
            self._postings.move_to_end(key)
            return found
        ids_parts, w_parts = [], []
        for sub, offset in self.reader.leaf_readers():
            part = segment_cached(sub, ("post", fieldname, text),
                                  lambda sub=sub: _segment_postings(sub, fieldname, text))
            if part is None or not len(part[0]):
                continue
            ids_parts.append(part[0].astype(np.int64) + offset)
            w_parts.append(part[1].astype(np.float64))
        if len(ids_parts) > 1:
            found = (np.concatenate(ids_parts), np.concatenate(w_parts))
        elif ids_parts:
            found = (ids_parts[0], w_parts[0])
        else:
            found = (_NO_IDS, _NO_SCORES)
        self._postings[key] = found
        self._postings_bytes += found[0].nbytes + found[1].nbytes
        while len(self._postings) > POSTINGS_CACHE_SIZE or \
                (self._postings_bytes > POSTINGS_CACHE_BYTES and len(self._postings) > 1):
            _key, (ids, weights) = self._postings.popitem(last=False)
            self._postings_bytes -= ids.nbytes + weights.nbytes
        return found

    def avg_length(self, fieldname):
        """``searcher.avg_field_length``, once per view (it sums every segment)."""
        found = self._avg_lengths.get(fieldname)
        if found is None:
            found = self._avg_lengths[fieldname] = self.searcher.avg_field_length(fieldname) or 1
        return found

    def term_sets(self, fieldname) -> dict:
        """value → frozenset of live docnums, for an ID/KEYWORD field."""
        sets = self._term_sets.get(fieldname)
        if sets is None:
            values, docs, vals = self.pairs(fieldname)
            sets = {}
            for i, value in enumerate(values):
                s = frozenset(docs[vals == i].tolist())
                if s:
                    sets[value] = s
            self._term_sets[fieldname] = sets
        return sets

    def pairs(self, fieldname):
        """(values list, docnums int64, value index int64) over live docs, for
        an ID/KEYWORD field: facet counts are one bincount."""
        found = self._pairs.get(fieldname)
        if found is None:
            segs = [(segment_cached(sub, ("pairs", fieldname), lambda sub=sub: _segment_pairs(sub, fieldname)),
                     offset) for sub, offset in self.reader.leaf_readers()]
            names = sorted({v for (values, _d, _v), _o in segs for v in values})
            index = {v: i for i, v in enumerate(names)}
            docs_parts, vals_parts = [], []
            for (values, docs, vals), offset in segs:
                if not values:
                    continue
                remap = np.array([index[v] for v in values], dtype=np.int64)
                docs_parts.append(docs.astype(np.int64) + offset)
                vals_parts.append(remap[vals])
            if docs_parts:
                docs = np.concatenate(docs_parts)
                vals = np.concatenate(vals_parts)
                keep = self.live_mask[docs]
                docs, vals = docs[keep], vals[keep]
                used = np.flatnonzero(np.bincount(vals, minlength=len(names)))
                if len(used) < len(names):
                    remap = np.full(len(names), -1, dtype=np.int64)
                    remap[used] = np.arange(len(used))
                    names = [names[i] for i in used.tolist()]
                    vals = remap[vals]
                found = (names, docs, vals)
            else:
                found = ([], np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
            self._pairs[fieldname] = found
        return found

    def value_mask(self, fieldname, values):
        """Mask of live docs with any of ``values`` in ``fieldname`` (cached)."""
        key = ("f", fieldname, tuple(sorted(values)))
        found = self._cached_mask(key)
        if found is None:
            names, docs, vals = self.pairs(fieldname)
            index = {v: i for i, v in enumerate(names)}
            wanted = [index[v] for v in values if v in index]
            found = np.zeros(self.n, dtype=bool)
            if wanted:
                found[docs[np.isin(vals, wanted)]] = True
            self._store_mask(key, found)
        return found

    def day_mask(self, lo, hi):
        key = ("d", lo, hi)
        found = self._cached_mask(key)
        if found is None:
            days = self.days
            found = (days >= max(lo or 1, 1)) & self.live_mask
            if hi:
                found &= days <= hi
            self._store_mask(key, found)
        return found

    def _cached_mask(self, key):
        found = self._masks.get(key)
        if found is not None:
            self._masks.move_to_end(key)
        return found

    def _store_mask(self, key, mask):
        self._masks[key] = mask
        if len(self._masks) > MASK_CACHE_SIZE:
            self._masks.popitem(last=False)

    def _set_mask(self, docs):
        mask = np.zeros(self.n, dtype=bool)
        if docs:
            mask[np.fromiter(docs, dtype=np.int64)] = True
        return mask

    def docs_for(self, q):
        """Match mask (live docs) of a query, unscored use (cached with
        ``evaluate``); pass it to ``execute(restrict=...)``."""
        return self.evaluate(q)[0]

    # scoring --------------------------------------------------------------------
    def evaluate(self, q):
        """(match mask, dense scores) of a query: EVERY matching live doc
        scored (no block skipping), cached per searcher."""
        key = repr(q)
        found = self._scores.get(key)
        if found is not None:
            self._scores.move_to_end(key)
            return found
        mask, scores = self._eval(q.normalize())
        mask = mask & self.live_mask
        found = (mask, scores)
        self._scores[key] = found
        if len(self._scores) > SCORE_CACHE_SIZE:
            self._scores.popitem(last=False)
        return found

    def _bm25_params(self):
        w = self.searcher.weighting
        if type(w) is not scoring.BM25F:
            return None
        return w

    def _scorable_term(self, q, w) -> bool:
        return isinstance(q, wq.Term) and w is not None and q.fieldname in self.searcher.schema \
            and self.searcher.schema[q.fieldname].scorable

    def _eval(self, q):
        n = self.n
        w = self._bm25_params()
        if self._scorable_term(q, w):
            return self._eval_term(q, w)
        is_or = isinstance(q, wq.Or) and not q.scale and not q.minmatch
        if (is_or or isinstance(q, wq.And)) and q.boost == 1.0 and q.subqueries:
            # Summed in subquery order, as before one dense pair per clause;
            # a term clause (most of them: a word's expansions are an Or of
            # dozens of rare forms) is added from its postings alone, which
            # gives the same floats (adding 0.0 changes nothing) without two
            # arrays of the index's size per term.
            mask = np.zeros(n, dtype=bool) if is_or else np.ones(n, dtype=bool)
            scores = np.zeros(n, dtype=np.float64)
            for sub in q.subqueries:
                if self._scorable_term(sub, w):
                    ids, s = self._term_scores(sub, w)
                    if is_or:
                        mask[ids] = True
                    else:
                        m2 = np.zeros(n, dtype=bool)
                        m2[ids] = True
                        mask &= m2
                    scores[ids] += s
                    continue
                m2, s2 = self._eval(sub)
                if is_or:
                    mask |= m2
                else:
                    mask &= m2
                scores += s2
            if not is_or:
                scores[~mask] = 0.0
            return mask, scores
        if isinstance(q, wq.AndMaybe) and q.boost == 1.0:
            # Whoosh's AndMaybeMatcher: a's matches; b's score added where b matches too.
            mask, scores = self._eval(q.a)
            m2, s2 = self._eval(q.b)
            both = mask & m2
            scores = scores.copy()
            scores[both] = scores[both] + s2[both]
            return mask, scores
        if isinstance(q, wq.Phrase) and w is not None and q.fieldname in self.searcher.schema \
                and self.searcher.schema[q.fieldname].scorable and q.words and q.slop >= 1:
            found = self._eval_phrase(q, w)
            if found is not None:
                return found
        if isinstance(q, wq.AndNot) and q.boost == 1.0:
            mask, scores = self._eval(q.a)
            neg, _ = self._eval(q.b)
            mask = mask & ~neg
            scores = np.where(mask, scores, 0.0)
            return mask, scores
        if isinstance(q, wq.NullQuery.__class__):
            return np.zeros(n, dtype=bool), np.zeros(n, dtype=np.float64)
        # Anything else (phrases, spans, boosted compounds): Whoosh's own
        # exhaustive matcher for this subtree.
        mask = np.zeros(n, dtype=bool)
        scores = np.zeros(n, dtype=np.float64)
        context = self.searcher.context()
        for sub, offset in self.searcher.leaf_searchers():
            m = q.matcher(sub, context)
            ids, vals = [], []
            while m.is_active():
                ids.append(m.id() + offset)
                vals.append(m.score())
                m.next()
            if ids:
                ids = np.asarray(ids, dtype=np.int64)
                mask[ids] = True
                scores[ids] = vals
        return mask, scores

    def _eval_phrase(self, q, w):
        """A phrase as Whoosh scores it (SpanNear2, ordered, mindist 1: the
        sum of the words' BM25F scores where each word follows the previous
        one within ``slop`` positions), with the candidates found by
        intersecting cached postings and checked with numpy on each term's
        cached positions (``_segment_positions``). None: let Whoosh's
        matcher do it."""
        n = self.n
        fieldname = q.fieldname
        field = self.searcher.schema[fieldname]
        if not field.format or not field.format.supports("positions"):
            return None
        try:
            words = [field.to_bytes(word) for word in q.words]
        except ValueError:
            return np.zeros(n, dtype=bool), np.zeros(n, dtype=np.float64)
        if any((fieldname, word) not in self.reader for word in words):
            return np.zeros(n, dtype=bool), np.zeros(n, dtype=np.float64)
        cand = None
        for word in words:
            ids = self.postings(fieldname, word)[0]
            cand = ids if cand is None else np.intersect1d(cand, ids, assume_unique=True)
            if not len(cand):
                break
        cand = cand[self.live_mask[cand]] if len(cand) else cand
        mask = np.zeros(n, dtype=bool)
        if len(cand):
            slop = q.slop
            for sub, offset in self.reader.leaf_readers():
                count = sub.doc_count_all()
                local = cand[(cand >= offset) & (cand < offset + count)] - offset
                if not len(local):
                    continue
                # ends: keys (doc << 32 | position) where the phrase so far
                # ends; a word's position p extends an end e when
                # 1 <= p - e <= slop (the largest e below p decides).
                ends = None
                for word in words:
                    entry = segment_cached(sub, ("positions", fieldname, word),
                                           lambda sub=sub, word=word: _segment_positions(sub, fieldname, word))
                    if entry is None:
                        ends = None
                        break
                    keys = _position_keys(entry, local)
                    if ends is not None:
                        below = np.searchsorted(ends, keys - 1, side="right") - 1
                        ok = below >= 0
                        ok[ok] = ends[below[ok]] >= keys[ok] - slop
                        keys = keys[ok]
                    ends = keys
                    if not len(ends):
                        break
                if ends is not None and len(ends):
                    mask[np.unique(ends >> 32) + offset] = True
        # the score: the words' Term scores, summed as Whoosh's binary tree of
        # IntersectionMatchers does, times the phrase boost
        term_scores = [self._eval_term(wq.Term(fieldname, word), w)[1] for word in words]

        def tree_sum(items):
            if len(items) == 1:
                return items[0]
            half = len(items) // 2
            return tree_sum(items[:half]) + tree_sum(items[half:])

        scores = np.where(mask, tree_sum(term_scores), 0.0)
        if q.boost != 1.0:
            scores = scores * q.boost
        return mask, scores

    def _eval_term(self, q, w):
        ids, s = self._term_scores(q, w)
        mask = np.zeros(self.n, dtype=bool)
        scores = np.zeros(self.n, dtype=np.float64)
        mask[ids] = True
        scores[ids] = s
        return mask, scores

    def _term_scores(self, q, w):
        """(docnums, BM25F scores) of a term's postings (deleted docs included)."""
        fieldname = q.fieldname
        field = self.searcher.schema[fieldname]
        try:
            text = field.to_bytes(q.text)
        except ValueError:
            return _NO_IDS, _NO_SCORES
        ids, tf = self.postings(fieldname, text)
        if not len(ids):
            return _NO_IDS, _NO_SCORES
        searcher = self.searcher
        idf = searcher.idf(fieldname, text)
        avgfl = self.avg_length(fieldname)
        B = w._field_B.get(fieldname, w.B)
        K1 = w.K1
        fl = self.lengths(fieldname)[ids]
        # Whoosh's bm25(), operation for operation (same float results):
        # idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))
        s = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + (B * fl) / avgfl)))
        if q.boost != 1.0:
            s = s * q.boost
        return ids, s

    # the one search entry point ------------------------------------------------------
    def execute(
        self,
        q=None,
        *,
        filters: dict | None = None,
        day_range: tuple | None = None,
        restrict=None,
        exclude: set | None = None,
        sort: str = "relevance",
        offset: int = 0,
        limit: int = 20,
        facet_fields=(),
    ) -> EngineResult:
        """Run a search.

        ``q``: a whoosh query, or None for all documents. ``filters``:
        {field: [values]} — values of one field are ORed, fields are ANDed.
        ``day_range``: (lo, hi) YYYYMMDD ints, either may be None.
        ``restrict``: docnum set or bool mask (``docs_for``); ``exclude``:
        docnum set. ``sort``: relevance | newest |
        oldest. Facet counts for a field ignore that field's own filter
        (multi-select facets) and follow everything else.
        """
        scores = None
        if q is not None:
            base, scores = self.evaluate(q)
        else:
            base = self.live_mask
        if day_range and (day_range[0] or day_range[1]):
            base = base & self.day_mask(*day_range)
        if restrict is not None:
            base = base & (restrict if isinstance(restrict, np.ndarray) else self._set_mask(restrict))
        if exclude:
            base = base & ~self._set_mask(exclude)

        fmasks = {}
        for fname, values in (filters or {}).items():
            values = [v for v in values if v is not None]
            if values:
                fmasks[fname] = self.value_mask(fname, values)

        def narrowed(skip=None):
            result = base
            for fname, m in fmasks.items():
                if fname != skip:
                    result = result & m
            return result

        final = narrowed()
        facets = {}
        for fname in facet_fields:
            docs = narrowed(skip=fname) if fname in fmasks else final
            names, pdocs, pvals = self.pairs(fname)
            counts = {}
            if len(pdocs):
                c = np.bincount(pvals[docs[pdocs]], minlength=len(names))
                for i in np.flatnonzero(c).tolist():
                    counts[names[i]] = int(c[i])
            facets[fname] = counts

        total = int(np.count_nonzero(final))
        page = self._top(final, total, scores, sort, offset + limit)[offset:]
        pks = self.pks
        hits = [(int(pks[d]), float(scores[d]) if scores is not None else 0.0) for d in page]
        return EngineResult(total=total, hits=hits, facets=facets)

    def _top(self, final, total, scores, sort, k):
        if k <= 0 or not total:
            return []
        days, pks = self.days, self.pks
        if sort == "relevance" and scores is not None:
            docs = np.flatnonzero(final)
            s = scores[docs]
            if k < len(docs):
                # every doc scoring at least the k-th best score (ties kept)
                kth = np.partition(s, len(s) - k)[len(s) - k]
                keep = s >= kth
                docs, s = docs[keep], s[keep]
            order = np.lexsort((-pks[docs], -days[docs], -s))
            return docs[order[:k]].tolist()
        order = self.orders["oldest" if sort == "oldest" else "newest"]
        if total * 8 >= len(order):
            return order[final[order]][:k].tolist()
        docs = np.flatnonzero(final)
        d = days[docs]
        undated = d == 0
        if sort == "oldest":
            key = np.lexsort((pks[docs], d, undated))
        else:
            key = np.lexsort((-pks[docs], -d, undated))
        return docs[key[:k]].tolist()

    # spelling and similar documents ----------------------------------------------------
    def exact_df(self, form: str) -> int:
        """Documents containing a normalized, unstemmed form (query clitics):
        from the vocabulary side files (one hash probe per segment, memoized)
        rather than Whoosh's term tables (a seek and reads per segment)."""
        from search.vocabulary import vocabulary_for

        try:
            return vocabulary_for(self).df(form)
        except Exception:
            return 0

    def known_term(self, fieldname, text) -> bool:
        try:
            return self.reader.doc_frequency(fieldname, text) > 0
        except Exception:
            return False

    def suggest(self, fieldname, word, maxdist=2):
        """Closest indexed words (edit distance, then frequency)."""
        if len(word) < 3:
            return []
        maxdist = 1 if len(word) <= 4 else maxdist
        corrector = self.reader.corrector(fieldname)
        return corrector.suggest(word, limit=3, maxdist=maxdist, prefix=1)

    def key_terms(self, fieldname, text, numterms=12):
        return self.searcher.key_terms_from_text(fieldname, text, numterms=numterms, normalize=True)

    def docnum_for_pk(self, article_id):
        return self.searcher.document_number(**{DJANGO_ID: str(article_id)})


REBUILD_COMMAND = "python manage.py rebuild_search_index"


class IndexUnavailable(Exception):
    """The index folder exists but cannot be opened (corrupt or truncated
    files, files missing, no permission). The pages answer 503; the fix is
    ``REBUILD_COMMAND`` (or ``python manage.py check_index --fix``)."""

    def __init__(self, path, cause):
        self.path = str(path)
        self.cause = cause
        detail = f"{type(cause).__name__}: {cause}" if isinstance(cause, BaseException) else str(cause)
        super().__init__(f"search index at {self.path} cannot be opened ({detail}); "
                         f"rebuild it with: {REBUILD_COMMAND}")


def _segment_files(path) -> list[str]:
    """Segment files of the default index (``MAIN_*``, not the write lock)."""
    try:
        return [n for n in os.listdir(path) if n.startswith("MAIN_") and n != "MAIN_WRITELOCK"]
    except OSError:
        return []


class SharedIndex:
    """Process-wide handle on one index directory: index, searcher, caches.

    Whoosh file readers are not safe for concurrent use, so searches in one
    process take ``lock`` (the web workers are single-threaded in practice;
    the cost is nil there).
    """

    def __init__(self, path, schema):
        self.path = path
        self.schema = schema
        self.lock = threading.RLock()
        self._ix = None
        self._view = None

    def _open(self):
        """Open the index; a missing or empty folder gets a new empty index.

        A folder that holds segment files but no readable table of contents,
        or any other failure to open, raises ``IndexUnavailable`` (never a
        silent empty index: that would hide data loss)."""
        try:
            os.makedirs(self.path, exist_ok=True)
            storage = FileStorage(self.path)
            try:
                return storage.open_index(schema=self.schema)
            except whoosh_index.EmptyIndexError:
                if _segment_files(self.path):
                    raise IndexUnavailable(self.path, "segment files without a table of contents") from None
                return storage.create_index(self.schema)
        except IndexUnavailable:
            raise
        except Exception as exc:
            raise IndexUnavailable(self.path, exc) from exc

    def index(self):
        with self.lock:
            if self._ix is None:
                self._ix = self._open()
            return self._ix

    def recreate(self):
        """Start over with an empty index (unreadable or missing index)."""
        with self.lock:
            self._close_view()
            os.makedirs(self.path, exist_ok=True)
            self._ix = FileStorage(self.path).create_index(self.schema)
            return self._ix

    def _close_view(self):
        if self._view is not None:
            try:
                self._view.searcher.close()
            except Exception:
                pass
            self._view = None

    def close(self):
        with self.lock:
            self._close_view()
            self._ix = None

    @contextmanager
    def view(self):
        """The current IndexView (reopened if the index changed), locked.

        If a file of the view's segments vanished (merged away by a writer),
        the view is dropped and the error re-raised; callers may retry."""
        with self.lock:
            view = self._current_view()
            try:
                yield view
            except FileNotFoundError:
                if self._view is view:
                    self._close_view()
                raise

    def _current_view(self):
        ix = self.index()
        view = self._view
        try:
            if view is None:
                self._view = IndexView(ix.searcher()).warm()
            elif not view.searcher.up_to_date():
                # Not searcher.refresh(): whoosh-reloaded 2.7.5's reader reuse
                # (index._reader(reuse=...)) keeps segments that were merged
                # away (duplicate documents) and reuses a segment's reader
                # with its old deletions (updated documents found twice).
                self._view = IndexView(ix.searcher()).warm()
                try:
                    view.searcher.close()
                except Exception:
                    pass
        except IndexUnavailable:
            self._view = self._ix = None
            raise
        except (whoosh_index.EmptyIndexError, FileNotFoundError, OSError):
            # The directory was removed or replaced under us: reopen.
            log.warning("search index at %s changed under the searcher; reopening", self.path)
            self._view = self._ix = None
            try:
                self._ix = self._open()
                self._view = IndexView(self._ix.searcher()).warm()
            except IndexUnavailable:
                self._view = self._ix = None
                raise
            except Exception as exc:
                self._view = self._ix = None
                raise IndexUnavailable(self.path, exc) from exc
        except Exception as exc:  # a corrupt table of contents or segment
            self._view = self._ix = None
            raise IndexUnavailable(self.path, exc) from exc
        return self._view


_SHARED: dict[str, SharedIndex] = {}
_SHARED_LOCK = threading.Lock()


def shared_index(path, schema) -> SharedIndex:
    with _SHARED_LOCK:
        shared = _SHARED.get(path)
        if shared is None:
            shared = _SHARED[path] = SharedIndex(path, schema)
        return shared


def reset_shared():
    """Close every long-lived searcher (tests, after the index path changed)."""
    with _SHARED_LOCK:
        for shared in _SHARED.values():
            shared.close()
        _SHARED.clear()


# --- the haystack backend -----------------------------------------------------------

class ArabicWhooshSearchBackend(WhooshSearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        if not self.use_file_storage:
            raise SearchBackendError("ArabicWhooshEngine supports file storage only.")
        self.path = os.path.abspath(self.path)
        self.lock_timeout = float(connection_options.get("LOCK_TIMEOUT", DEFAULT_LOCK_TIMEOUT))
        self.shared = None

    def setup(self):
        from haystack import connections

        self.content_field_name, schema = self.build_schema(
            connections[self.connection_alias].get_unified_index().all_searchfields()
        )
        self.shared = shared_index(self.path, schema)
        self.schema = self.shared.schema
        self.parser = QueryParser(self.content_field_name, schema=self.schema)
        self.setup_complete = True

    def build_schema(self, fields):
        return build_schema(fields)

    # The stock code reads ``self.index``; keep it pointing at the shared one.
    @property
    def index(self):
        if not self.setup_complete:
            self.setup()
        return self.shared.index()

    @index.setter
    def index(self, value):
        pass

    def view(self):
        if not self.setup_complete:
            self.setup()
        return self.shared.view()

    def writer(self, timeout=None, **kwargs):
        """A Whoosh writer; raises whoosh.index.LockError if the lock stays busy.

        Segments are written as separate files (``compound=False``): opening a
        compound segment makes Whoosh copy the whole file into memory
        (``BufferFile(BytesIO(mmap view))``: ~0.9 GB and ~0.5 s per searcher
        at 70k articles), plain files are read on demand.
        """
        if timeout is None:
            timeout = self.lock_timeout
        kwargs.setdefault("compound", False)
        return self.index.writer(timeout=timeout, delay=0.05, **kwargs)

    def bulk_writer(self, timeout=None, *, segment_docs, staged=False):
        """A ``search.bulkwrite.SegmentedWriter`` (bulk indexing: the same
        segments as ``writer()`` writes, faster; a new segment every
        ``segment_docs`` documents). Raises LockError like ``writer()``
        (``staged``: segments built without the lock, which only ``commit()``
        takes; several processes can index at once)."""
        from search.bulkwrite import SegmentedWriter

        if timeout is None:
            timeout = self.lock_timeout
        return SegmentedWriter(self.index, segment_docs=segment_docs, staged=staged,
                               timeout=timeout, delay=0.05)

    # --- documents ---------------------------------------------------------------
    def prepare_document(self, search_index, obj) -> dict:
        doc = search_index.full_prepare(obj)
        out = {}
        for key, value in doc.items():
            if key == "boost":
                continue
            value = to_whoosh_value(value)
            if value is not None and key in self.schema:
                out[key] = value
        return out

    def write_objects(self, writer, search_index, objs):
        """Add/replace visible objects, remove hidden ones, in an open writer."""
        written = 0
        for obj in objs:
            if getattr(obj, "is_hidden", False):
                writer.delete_by_term(ID, get_identifier(obj))
                continue
            try:
                doc = self.prepare_document(search_index, obj)
            except SkipDocument:
                writer.delete_by_term(ID, get_identifier(obj))
                continue
            writer.update_document(**doc)
            written += 1
        return written

    def update(self, index, iterable, commit=True):
        if not self.setup_complete:
            self.setup()
        objs = list(iterable)
        if not objs:
            return
        try:
            writer = self.writer()
        except Exception:
            if not self.silently_fail:
                raise
            self.log.exception("Could not open the Whoosh writer")
            return
        try:
            self.write_objects(writer, index, objs)
            writer.commit()
        except Exception:
            writer.cancel()
            if not self.silently_fail:
                raise
            self.log.exception("Failed to update the Whoosh index")

    def remove(self, obj_or_string, commit=True):
        if not self.setup_complete:
            self.setup()
        try:
            writer = self.writer()
            writer.delete_by_term(ID, get_identifier(obj_or_string))
            writer.commit()
        except Exception:
            if not self.silently_fail:
                raise
            self.log.exception("Failed to remove %s from Whoosh", get_identifier(obj_or_string))

    def clear(self, models=None, commit=True):
        """Empty the index in one commit (searchers see the old one until then)."""
        if not self.setup_complete:
            self.setup()
        try:
            try:
                writer = self.writer()
            except whoosh_index.LockError:
                raise
            except Exception:
                # Unreadable index (e.g. an old schema): start over.
                self.shared.recreate()
                return
            writer.commit(mergetype=CLEAR)
        except Exception:
            if not self.silently_fail:
                raise
            self.log.exception("Failed to clear the Whoosh index")

    def delete_index(self):
        self.clear()

    def optimize(self):
        writer = self.writer()
        writer.commit(optimize=True)

    # --- haystack's search API (SearchQuerySet) ----------------------------------------
    def _sort_name(self, sort_by):
        if not sort_by:
            return "relevance"
        first = sort_by[0]
        name = first.lstrip("-")
        if name in ("published", DAY_FIELD):
            return "newest" if first.startswith("-") else "oldest"
        if name == "score":
            return "relevance"
        raise SearchBackendError("The Arabic Whoosh backend sorts by score or published only.")

    def _parse(self, query_string):
        query_string = force_str(query_string).strip()
        if query_string in ("*", "*:*", "(*)"):
            return None
        parsed = self.parser.parse(query_string)
        if isinstance(parsed, wq.Every):
            return None
        return parsed

    @log_query
    def search(
        self,
        query_string,
        sort_by=None,
        start_offset=0,
        end_offset=None,
        fields="",
        highlight=False,
        facets=None,
        date_facets=None,
        query_facets=None,
        narrow_queries=None,
        spelling_query=None,
        within=None,
        dwithin=None,
        distance_point=None,
        models=None,
        limit_to_registered_models=None,
        result_class=None,
        **kwargs,
    ):
        if not self.setup_complete:
            self.setup()
        empty = {"results": [], "hits": 0, "facets": {}, "spelling_suggestion": None}
        if not query_string or not force_str(query_string).strip():
            return empty
        q = self._parse(query_string)
        if q is wq.NullQuery:
            return empty
        sort = self._sort_name(sort_by)
        start_offset = start_offset or 0
        limit = (end_offset - start_offset) if end_offset is not None else 1_000_000
        if limit <= 0:
            limit = 1
        if query_facets:
            warnings.warn("Whoosh does not handle query faceting.", Warning, stacklevel=2)
        facet_fields = [f for f in (facets or []) if f in self.schema]
        date_fields = {}
        for key, spec in (date_facets or {}).items():
            gap = spec.get("gap_by", "month")
            if gap not in ("year", "month") or int(spec.get("gap_amount", 1)) != 1:
                raise SearchBackendError("Date facets are available by year or by month only.")
            date_fields[key] = (gap, spec)
        wanted = set(facet_fields) | {gap for gap, _ in date_fields.values()}

        with self.view() as view:
            restrict = None
            for nq in narrow_queries or ():
                parsed = self._parse(nq)
                if parsed is None:
                    continue
                docs = view.docs_for(parsed)
                restrict = docs if restrict is None else restrict & docs
            result = view.execute(
                q, restrict=restrict, sort=sort, offset=start_offset, limit=limit,
                facet_fields=sorted(wanted),
            )
            spelling = None
            if self.include_spelling and result.total == 0:
                from search.service import suggest_spelling

                spelling = suggest_spelling(spelling_query or query_string)

        facets_out = {}
        if facet_fields or date_fields:
            facets_out = {"fields": {}, "dates": {}, "queries": {}}
            for fname in facet_fields:
                facets_out["fields"][fname] = sorted(
                    result.facets.get(fname, {}).items(), key=lambda kv: (-kv[1], kv[0])
                )
            for key, (gap, spec) in date_fields.items():
                start, end = spec.get("start_date"), spec.get("end_date")
                buckets = []
                for value, count in sorted(result.facets.get(gap, {}).items()):
                    parts = [int(p) for p in value.split("-")]
                    when = datetime(parts[0], parts[1] if len(parts) > 1 else 1, 1)
                    if start and when < datetime(start.year, start.month, 1):
                        continue
                    if end and when > datetime(end.year, end.month, end.day):
                        continue
                    buckets.append((when, count))
                facets_out["dates"][key] = buckets

        result_class = result_class or SearchResult
        results = []
        highlights = {}
        if highlight and result.hits:
            from search.service import snippets_for

            highlights = snippets_for([pk for pk, _ in result.hits], query_string)
        from search.search_indexes import identifier

        for pk, score in result.hits:
            extra = {ID: identifier(pk)}
            if highlight:
                extra["highlighted"] = {self.content_field_name: [highlights.get(pk, "")]}
            results.append(result_class("archive", "article", str(pk), score, **extra))
        return {
            "results": results,
            "hits": result.total,
            "facets": facets_out,
            "spelling_suggestion": spelling,
        }

    def more_like_this(
        self,
        model_instance,
        additional_query_string=None,
        start_offset=0,
        end_offset=None,
        models=None,
        limit_to_registered_models=None,
        result_class=None,
        **kwargs,
    ):
        from search.service import related_article_ids

        top = (end_offset or 10) - (start_offset or 0)
        ids = related_article_ids(model_instance.pk, n=max(top, 1))
        result_class = result_class or SearchResult
        return {
            "results": [result_class("archive", "article", str(pk), score) for pk, score in ids],
            "hits": len(ids),
        }

    def create_spelling_suggestion(self, query_string):
        from search.service import suggest_spelling

        return suggest_spelling(query_string)


class ArabicWhooshSearchQuery(WhooshSearchQuery):
    pass


class ArabicWhooshEngine(BaseEngine):
    backend = ArabicWhooshSearchBackend
    query = ArabicWhooshSearchQuery


def get_backend(using="default") -> ArabicWhooshSearchBackend:
    from haystack import connections

    backend = connections[using].get_backend()
    if not backend.setup_complete:
        backend.setup()
    return backend
