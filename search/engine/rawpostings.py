"""Whoosh 3 term tables and postings read straight from the segment files.

A never-seen query asks every segment for each of its terms (a word's
expansions are dozens of mostly rare forms, absent from most segments).
Through Whoosh, each (term, segment) costs a hash probe of the ``.trm``
table by seek + read calls, a ``W3TermInfo`` and a matcher object, then a
seek + read + unpickle per block. Here the same bytes are read with ``os.pread``
from the segment's ``.trm`` and ``.pst`` files: the probe is one or two
reads of the table with Whoosh's own hash function and directory, the
posting list one read, and each block one ``pickle.loads`` of its info and
one of its data; positions are unpickled
one block at a time (the per-document pickles joined into one). No new file
is written: the index stays Whoosh's.

- ``segment_files(sub)``: the ``SegmentFiles`` of a leaf reader, or None
  when it is not a plain Whoosh 3 file segment (RAM or compound storage,
  another codec): callers then use Whoosh's own matchers;
- ``SegmentFiles.postings(field, tbytes)`` → (ids int32, weights uint8 or float32)
  or None; ``SegmentFiles.positions(field, tbytes)`` → (ids, position
  counts, position deltas) or None.

Not ``mmap``: the kernel maps 16 pages around every touched page, so a
process mapping the postings would hold hundreds of MB of them in its
resident set after a few hundred queries at 70k. Open files survive a later
commit deleting them, so a view of an older generation keeps reading.
"""
from __future__ import annotations

import io
import os
import struct
import threading
import zlib
from collections import OrderedDict
from itertools import chain
from operator import itemgetter
from pickle import load, loads

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo, W3TermsReader

from search.engine.compact import fixed_deltas

_POINTER = struct.Struct("!Iq")  # filetables._pointer: (key hash, item position)
_LENGTHS = struct.Struct("!ii")  # filetables._lengths: (key length, value length)
_EXTENT = struct.Struct("!qi")  # after W3TermInfo._struct: (postings offset, length)
_BLOCK_LEN = struct.Struct("!i")
_INFO_SIZE = W3TermInfo._struct.size
_CACHE_SIZE = 64  # open segments (two file descriptors each)
_SLOTS_PER_READ = 4  # hash slots read at once (linear probing)
_VALUE_GUESS = 48  # bytes read after a key: a term info with its extent is 37
_cache: OrderedDict = OrderedDict()
_lock = threading.Lock()
stats = {"opened": 0, "fallback": 0}


class SegmentFiles:
    """The ``.trm`` and ``.pst`` files of one segment (read with ``pread``)
    and its open terms reader's hash directory (``tables``, ``hashfn``,
    field numbers)."""

    __slots__ = ("_trm", "_pst", "_tables", "_hashfn", "_prefix")

    def __init__(self, terms: W3TermsReader, trm_path: str, pst_path: str):
        tindex = terms._tindex
        if tindex.startoffset:
            raise ValueError("embedded term table")
        self._tables = list(tindex.tables)
        self._hashfn = tindex.hashfn
        self._prefix = {name: struct.pack("!H", num) for name, num in terms._fieldmap.items()}
        # unbuffered: every read is one pread at an offset (no shared position)
        self._trm = open(trm_path, "rb", buffering=0)
        self._pst = open(pst_path, "rb", buffering=0)

    def _value(self, key: bytes):
        """The term table's value of ``key`` (the term info bytes), or None:
        ``HashReader.ranges_for_key`` with a few ``pread`` calls."""
        h = self._hashfn(key)
        tablestart, numslots = self._tables[h & 255]
        if not numslots:
            return None
        fd = self._trm.fileno()
        size = _POINTER.size
        end = tablestart + numslots * size
        slotpos = tablestart + ((h >> 8) % numslots) * size
        n = len(key)
        unpack_pointer = _POINTER.unpack_from
        probed = 0
        while probed < numslots:
            count = min(_SLOTS_PER_READ, (end - slotpos) // size, numslots - probed)
            buf = os.pread(fd, count * size, slotpos)
            for i in range(count):
                slothash, itempos = unpack_pointer(buf, i * size)
                if not itempos:
                    return None
                if slothash == h:
                    item = os.pread(fd, 8 + n + _VALUE_GUESS, itempos)
                    keylen, datalen = _LENGTHS.unpack_from(item)
                    if keylen == n and item[8:8 + n] == key:
                        value = item[8 + n:8 + n + datalen]
                        if len(value) < datalen:
                            value = os.pread(fd, datalen, itempos + 8 + n)
                        return value
            probed += count
            slotpos += count * size
            if slotpos == end:
                slotpos = tablestart
        return None

    def _blocks(self, fieldname: str, tbytes: bytes):
        """The decoded data tuples (ids deltas, weights, values) of every
        block of a term, or None if the segment lacks it."""
        prefix = self._prefix.get(fieldname)
        if prefix is None:
            return None
        value = self._value(prefix + tbytes)
        if value is None:
            return None
        if value[0]:  # inlined postings (not written with inlinelimit 1)
            ids, weights, values = loads(value[_INFO_SIZE:])
            deltas = np.diff(np.asarray(ids, dtype=np.int64), prepend=0) if len(ids) else ()
            return [(tuple(deltas.tolist()), tuple(weights), tuple(values))]
        offset, length = _EXTENT.unpack_from(value, _INFO_SIZE)
        buf = os.pread(self._pst.fileno(), length, offset)
        if len(buf) != length or buf[:4] != WHOOSH3_HEADER_MAGIC:
            raise ValueError("block tag error")
        pos, out = 4, []
        while True:
            (blen,) = _BLOCK_LEN.unpack_from(buf, pos)
            last = blen < 0
            blen = -blen if last else blen
            block = buf[pos + 4:pos + 4 + blen]
            f = io.BytesIO(block)
            info = load(f)
            data = block[f.tell():]
            out.append(loads(zlib.decompress(data) if info[3] else data))
            pos += 4 + blen
            if last:
                return out

    def postings(self, fieldname: str, tbytes: bytes):
        """(docnums int32, weights) of a term in this segment, or None.
        Whoosh writes weights from ``array("f")``: exact in float32; kept
        as uint8 when they are all small integers (term frequencies, the
        usual case: 5 bytes a posting in the caches instead of 8)."""
        blocks = self._blocks(fieldname, tbytes)
        if blocks is None:
            return None
        id_parts, w_parts = [], []
        for raw_ids, raw_w, _values in blocks:
            ids = np.array(raw_ids, dtype=np.int32).cumsum(dtype=np.int32)
            id_parts.append(ids)
            if raw_w is None:
                w_parts.append(np.ones(len(ids), dtype=np.float32))
            elif type(raw_w) is float:
                w_parts.append(np.full(len(ids), raw_w, dtype=np.float32))
            else:
                w_parts.append(np.array(raw_w, dtype=np.float32))
        ids = id_parts[0] if len(id_parts) == 1 else np.concatenate(id_parts)
        ws = w_parts[0] if len(w_parts) == 1 else np.concatenate(w_parts)
        small = ws.astype(np.uint8)
        return ids, (small if (small == ws).all() else ws)

    def positions(self, fieldname: str, tbytes: bytes):
        """(docnums int64, position counts int64, position deltas int64) of
        a term whose values are Whoosh ``Positions`` (a 4-byte count then a
        pickled list of deltas), or None if the segment lacks the term: doc
        ``docnums[i]`` has ``counts[i]`` positions, the next ``counts[i]``
        deltas (each document's start from 0). A block of the compact
        writer's fixed-width values is read with numpy
        (``compact.fixed_deltas``); any other block's lists are unpickled
        with one ``loads`` (``unpickle_position_lists``)."""
        blocks = self._blocks(fieldname, tbytes)
        if blocks is None:
            return None
        id_parts = [np.cumsum(np.asarray(raw_ids, dtype=np.int64)) for raw_ids, _w, _v in blocks]
        ids = id_parts[0] if len(id_parts) == 1 else np.concatenate(id_parts)
        values = blocks[0][2] if len(blocks) == 1 else list(chain.from_iterable(b[2] for b in blocks))
        found = fixed_deltas(values)  # the whole term's values at once
        if found is not None:
            return ids, found[0], found[1]
        lists = list(chain.from_iterable(unpickle_position_lists(b[2]) for b in blocks))
        counts = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
        return ids, counts, np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(counts.sum()))


_AFTER_COUNT = itemgetter(slice(4, None))
_LIST_TYPE = {list}


def _joined_lists(values, joined: bytes):
    """The lists unpickled from ``joined`` if they are one per value, else None."""
    try:
        found = loads(b"(" + joined + b"l.")
    except Exception:
        return None
    if type(found) is list and len(found) == len(values) and (not found or set(map(type, found)) == _LIST_TYPE):
        return found
    return None


def unpickle_position_lists(values) -> list:
    """The position delta lists of a block's values with one ``loads``:
    each value is a 4-byte count then the pickle opcodes of one list (the
    compact writer's, search.engine.compact: no protocol header, no STOP;
    a PROTO opcode between them is allowed), so the lists joined between a
    MARK and a LIST opcode unpickle as the list of them. A value ending in
    a STOP (Whoosh's own writer) ends the joined pickle early, which the
    check of ``_joined_lists`` sees: the STOPs are then removed one by one;
    anything else is unpickled value by value."""
    found = _joined_lists(values, b"".join(map(_AFTER_COUNT, values)))  # slicing in C
    if found is None:
        found = _joined_lists(values, b"".join([v[4:-1] if v.endswith(b".") else v[4:] for v in values]))
    if found is None:
        return [loads(v[4:] if v.endswith(b".") else v[4:] + b".") for v in values]
    return found


def _paths(sub):
    """(terms reader, .trm path, .pst path) of a plain Whoosh 3 file segment."""
    terms = getattr(sub, "_terms", None)
    storage = getattr(sub, "_storage", None)
    folder = getattr(storage, "folder", None)
    seg = sub.segment() if hasattr(sub, "segment") else None
    if type(terms) is not W3TermsReader or not folder or seg is None or seg.is_compound():
        return None
    codec = terms._codec
    return (terms, os.path.join(folder, seg.make_filename(codec.TERMS_EXT)),
            os.path.join(folder, seg.make_filename(codec.POSTS_EXT)))


def segment_files(sub, skey=None):
    """The ``SegmentFiles`` of a leaf reader (cached per process by the
    segment's ``segments.segment_key``), or None: use Whoosh's matchers."""
    if skey is not None:
        found = _cache.get(skey)  # a dict read needs no lock; LRU order is by opening
        if found is not None:
            return found or None
    found = False
    try:
        where = _paths(sub)
        if where is not None:
            found = SegmentFiles(*where)
            stats["opened"] += 1
    except (OSError, ValueError, AttributeError, struct.error):
        found = False
    if found is False:
        stats["fallback"] += 1
    if skey is not None:
        with _lock:
            _cache[skey] = found
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
    return found or None


def clear_cache():
    with _lock:
        _cache.clear()
