"""Per-segment decoding and the process-wide segment cache.

Whoosh segments are immutable: a segment's columns, field lengths, facet
postings and term postings never change, only its deletions do. They are
decoded here with numpy straight from Whoosh 3's codec structures and cached
by (index folder, segment id) in one process-wide cache bounded in bytes
(the ``segments`` share of ``SEARCH_CACHE_BUDGET_MB``, search.engine.budget;
least recently used out first), so the searcher
opened after a commit re-reads only the new segment; the deletions (live
mask) are read per view (``search.engine.snapshot``).

- ``segment_key(sub)``, ``segment_cached(sub, key, build)``: the cache;
- ``numeric_column``, ``length_bytes``, ``LENGTH_TABLE``: columns and lengths;
- ``segment_postings``, ``segment_pairs``, ``segment_positions``,
  ``position_keys``: term postings, facet (doc, value) pairs, positions.
"""
from __future__ import annotations

from itertools import chain

import numpy as np
from whoosh import formats
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length, length_to_byte

from search.engine import rawpostings
from search.engine.budget import ByteLRU, sizeof


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


_seg_cache = ByteLRU("segments")


def segment_key(sub):
    """(index folder, segment id) of a leaf reader, or None."""
    try:
        seg = sub.segment()
        folder = getattr(getattr(sub, "_storage", None), "folder", None)
        return (folder or id(getattr(sub, "_storage", None)), seg.segment_id())
    except Exception:
        return None


def segment_cached(sub, key, build, skey=None):
    """``build()`` for this segment, cached process-wide by (segment, key);
    ``skey``: the segment's ``segment_key`` when the caller has it."""
    skey = segment_key(sub) if skey is None else skey
    if skey is None:
        return build()
    full = (skey, key)
    found = _seg_cache.get(full)
    if found is not None:
        return found[0]
    value = build()
    # wrapped: a cached None (term absent) is a hit
    _seg_cache.put(full, (value,), _entry_size(value) + _KEY_SIZE + 2 * len(key[-1]))
    return value


_KEY_SIZE = 400  # bytes: a cache key's tuples and strings (the term's own bytes added)


def _entry_size(value) -> int:
    """``budget.sizeof`` of a cached value, without recursion for the
    common shapes (None, a tuple of arrays)."""
    if value is None:
        return 72
    if type(value) is tuple and all(type(v) is np.ndarray for v in value):
        return 72 + 8 * len(value) + sum(v.nbytes + 112 for v in value)
    return sizeof(value) + 72


def numeric_column(sub, fieldname):
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


def length_bytes(sub, fieldname):
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
    for i in range(count):
        out[i] = length_to_byte(sub.doc_field_length(i, fieldname) or 0)
    return out


def _matcher(sub, fieldname, text):
    """The raw matcher of a term in one segment (deletions not filtered:
    ``live_mask`` handles them), or None if the segment lacks the term. On
    Whoosh 3 segments the term table is probed once (``in`` then
    ``postings`` probed it twice: a hash and a seek per probe)."""
    terms = getattr(sub, "_terms", None)
    if hasattr(terms, "term_info") and hasattr(terms, "_codec") and hasattr(terms, "_postfile"):
        try:
            field = sub.schema[fieldname]
            tbytes = field.to_bytes(text) if isinstance(text, str) else text
            info = terms.term_info(fieldname, tbytes)
            return terms._codec.postings_reader(terms._postfile, info, field.format, term=(fieldname, tbytes))
        except (KeyError, TermNotFound):
            return None
        except Exception:
            pass  # not the codec this expects: the generic path below
    try:
        if (fieldname, text) not in sub:
            return None
        m = sub.postings(fieldname, text)
    except Exception:
        return None
    return getattr(m, "child", m)  # unwrap the deletion filter


def _raw(sub, fieldname, text, skey):
    """(``SegmentFiles``, term bytes) for reading a term straight from the
    mapped files (search.engine.rawpostings), or None: use Whoosh's matcher."""
    files = rawpostings.segment_files(sub, skey)
    if files is None:
        return None
    if type(text) is bytes:
        return files, text
    try:
        return files, sub.schema[fieldname].to_bytes(text)
    except (KeyError, ValueError):
        return None


def segment_postings(sub, fieldname, text, skey=None):
    """(local docnums int32, weights uint8, float32 or float64) of a term in
    one segment, deleted docs included (tf weights are small integers: exact
    in uint8 or float32; convert before arithmetic)."""
    raw = _raw(sub, fieldname, text, skey)
    if raw is not None:
        try:
            return raw[0].postings(fieldname, raw[1])  # int32, float32 already
        except Exception:  # not the layout expected: Whoosh's matcher below
            pass
    m = _matcher(sub, fieldname, text)
    if m is None:
        return None
    ids, ws = _read_postings(m)
    ws = np.asarray(ws, dtype=np.float64)
    w32 = ws.astype(np.float32)
    return (np.asarray(ids, dtype=np.int32), w32 if (w32 == ws).all() else ws)


def segment_pairs(sub, fieldname):
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


LENGTH_TABLE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


def segment_positions(sub, fieldname, text, skey=None):
    """(local docnums int32, start offsets int64 [n + 1], positions int32) of
    every posting of a term in one segment, deleted docs included: the
    positions of doc ``docs[i]`` are ``positions[starts[i]:starts[i + 1]]``.
    Decoded once per segment and term (``segment_cached``), so a phrase of
    common words costs array lookups instead of decoding thousands of
    postings per query."""
    fmt = sub.schema[fieldname].format
    raw = _raw(sub, fieldname, text, skey) if type(fmt) is formats.Positions else None
    if raw is not None:
        try:
            found = raw[0].positions(fieldname, raw[1])
        except Exception:  # not the layout expected: Whoosh's matcher below
            found = False
        if found is None:
            return None
        if found is not False:
            return _delta_arrays(*found)
    m = _matcher(sub, fieldname, text)
    if m is None:
        return None
    decode = fmt.decoder("positions")
    # Whoosh's Positions values: a 4-byte count, then the pickled list of
    # position deltas (the trailing STOP may be stripped); read a block's
    # deltas as rawpostings does (``unpickle_position_lists``) and add them
    # up with numpy.
    raw_deltas = type(fmt) is formats.Positions
    id_parts, lists = [], []
    if all(hasattr(m, a) for a in ("_read_data", "_read_values", "_lastblock", "_next_block")):
        while m.is_active():
            id_parts.append(_block_arrays(m, weights=False)[0])
            if m._values is None:
                m._read_values()
            if raw_deltas:
                lists.extend(rawpostings.unpickle_position_lists(m._values))
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
    return _position_arrays(docs, lists, raw_deltas)


def _position_arrays(docs, lists, raw_deltas):
    """(docs int32, starts int32, positions int32) from per-document lists
    of positions (``raw_deltas``: lists of deltas, summed here)."""
    counts = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    flat = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(counts.sum()))
    if raw_deltas:
        return _delta_arrays(docs, counts, flat)
    starts = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    return docs.astype(np.int32), starts.astype(np.int32), flat.astype(np.int32)


def _delta_arrays(docs, counts, deltas):
    """(docs int32, starts int32, positions int32) from each document's
    position count and the deltas of all of them (each document's from 0)."""
    starts = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    flat = deltas
    if len(flat):
        # per-document running sums of the deltas
        total = np.cumsum(flat)
        before = np.zeros(len(counts), dtype=np.int64)
        nonempty = counts > 0
        first = starts[:-1][nonempty]
        before[nonempty] = np.where(first > 0, total[np.maximum(first - 1, 0)], 0)
        flat = total - np.repeat(before, counts)
    return docs.astype(np.int32), starts.astype(np.int32), flat.astype(np.int32)


def position_keys(entry, local):
    """Sorted int64 keys ``doc << 32 | position`` of the given sorted local
    docs (each must hold the term) from a ``segment_positions`` entry."""
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
