"""Compact bytes for Whoosh 3 posting blocks (decoded by Whoosh's own readers).

Whoosh 3 pickles each posting block's data ``(ids, weights, values)`` and
its info tuple with protocol 2, and each position list of the
``Positions`` format as a 4-byte count and a protocol 2 pickle. In Python 3,
protocol 2 pickles a ``bytes`` value as a call of ``_codecs.encode`` on a
latin-1 string (about 30 bytes more per posting, and bytes >= 0x80 take
two), and every pickle carries a protocol header, memo entries and a STOP.

The writers here emit the same objects with fewer opcodes: no protocol
header, no memo, ``SHORT_BINBYTES`` for bytes, and position lists without
the STOP (Whoosh's ``Positions.decode_positions`` and
``search.engine.segments`` add it back). ``pickle.loads`` returns exactly
the tuples, floats, ints and bytes Whoosh's writer pickles, so every reader
(Whoosh's matchers, ``segments``' numpy decoding) sees the same postings;
only the file is smaller. Indexes written either way can be read and merged
together.

- ``encode_positions(poslist)``: a ``Positions`` value (fixed-width deltas,
  ``fixed_deltas`` reads a block of them with numpy);
- ``block_data(ids, weights, values)``: a block's data pickle (the minified
  tuple of ``W3PostingsWriter``);
- ``block_info(...)``: a block's info pickle;
- ``inline_postings(ids, weights, values)``: a term info's inlined postings.
"""
from __future__ import annotations

from pickle import dumps
from struct import Struct

import numpy as np
from whoosh.system import pack_uint

_INT2 = Struct("<H").pack  # BININT2
_INT4 = Struct("<i").pack  # BININT
_DOUBLE = Struct(">d").pack  # BINFLOAT
_LEN4 = Struct("<I").pack
_SHORT_BYTES = [b"C" + bytes((n,)) for n in range(256)]  # SHORT_BINBYTES + length
SINGLE_POSITIONS: dict[int, bytes] = {}  # position -> its encoded list
TABLE_SIZE = 16384  # ints with a ready opcode (about 0.7 MB, built on first use by a writer)
_ops: list[bytes] = []  # int -> its opcode (BININT1, BININT2)


def _table() -> list[bytes]:
    if not _ops:
        _ops.extend([b"K" + bytes((i,)) for i in range(256)] + _m_ops()[256:TABLE_SIZE])
    return _ops


def int_op(i: int) -> bytes:
    """The opcode pushing int ``i``."""
    if 0 <= i < TABLE_SIZE:
        return _table()[i]
    if 0 <= i < 65536:
        return b"M" + _INT2(i)
    if -(1 << 31) <= i < (1 << 31):
        return b"J" + _INT4(i)
    return dumps(i, 2)[2:-1]  # LONG1


def _ints(values) -> bytes:
    """The opcodes of many ints (one C-level join when all are small)."""
    if not isinstance(values, (list, tuple)):
        values = list(values)
    if values and min(values) < 0:
        return b"".join(map(int_op, values))
    try:
        return b"".join(map(_table().__getitem__, values))
    except (IndexError, TypeError):  # negative or large
        return b"".join(map(int_op, values))


class _WeightOps(dict):
    """weight -> its opcode inside a tuple or list: a whole float (a term
    frequency) as the int of equal value (2 bytes instead of 9; readers only
    compute with it), any other float as itself. Keys are the few distinct
    weights of an index."""

    def __missing__(self, w):
        if isinstance(w, float) and not (w.is_integer() and 0 <= w < 65536):
            op = b"G" + _DOUBLE(w)
        else:
            op = int_op(int(w))
        if len(self) < 4096:
            self[w] = op
        return op


_WEIGHT_OPS = _WeightOps()
weight_op = _WEIGHT_OPS.__getitem__


def bytes_op(b: bytes) -> bytes:
    return (_SHORT_BYTES[len(b)] if len(b) < 256 else b"B" + _LEN4(len(b))) + b


_M_OPS: list[bytes] = []  # delta -> BININT2 opcode, every delta below 65536


def _m_ops() -> list[bytes]:
    if not _M_OPS:
        _M_OPS.extend(b"M" + _INT2(i) for i in range(65536))
    return _M_OPS


def encode_positions(poslist) -> bytes:
    """``formats.Positions.encode(poslist)``, compact: the count, then
    a pickled list of deltas without protocol header, memo and STOP.

    Every delta is a BININT2 (``M`` and two bytes) when all are below 65536
    (always, for positions in an article), so a block's values are fixed-width
    records a reader decodes with numpy (``fixed_deltas``) instead of
    unpickling a list per document; a wider delta makes the value a general
    pickle (read by ``pickle.loads``)."""
    if len(poslist) == 1:
        pos = poslist[0]
        found = SINGLE_POSITIONS.get(pos)
        if found is None:
            if 0 <= pos < 65536:
                found = b"\x00\x00\x00\x01](" + _m_ops()[pos] + b"e"
            else:
                found = b"\x00\x00\x00\x01]" + int_op(pos) + b"a"
            SINGLE_POSITIONS[pos] = found
        return found
    table = _m_ops()
    out = [pack_uint(len(poslist)), b"]("]
    base = 0
    try:
        for pos in poslist:
            out.append(table[pos - base])
            base = pos
    except IndexError:  # a delta of 65536 or more (or negative)
        out[2:] = [int_op(b - a) for a, b in zip([0, *poslist], poslist, strict=False)]
    out.append(b"e")
    return b"".join(out)


_M, _LIST, _MARK, _APPENDS = 0x4D, 0x5D, 0x28, 0x65  # "M", "]", "(", "e"


def fixed_deltas(values):
    """(counts int64, deltas int64) of ``Positions`` values when every one
    is ``encode_positions``' fixed-width form (a 4-byte count, "](", a
    BININT2 per delta, "e"), else None. The values are joined once and read
    with numpy: no Python per value or per delta."""
    n = len(values)
    if not n:
        return None
    blob = np.frombuffer(b"".join(values), dtype=np.uint8)
    sizes = np.fromiter(map(len, values), dtype=np.int64, count=n)
    counts, rest = np.divmod(sizes - 7, 3)
    if rest.any() or (counts < 1).any():
        return None
    starts = np.zeros(n, dtype=np.int64)
    np.cumsum(sizes[:-1], out=starts[1:])
    if not ((blob[starts + 4] == _LIST).all() and (blob[starts + 5] == _MARK).all()
            and (blob[starts + sizes - 1] == _APPENDS).all()):
        return None
    # the first byte of every record: value start + 6, then every 3 bytes
    total = int(counts.sum())
    first = np.repeat(starts + 6 - 3 * (np.cumsum(counts) - counts), counts)
    at = first + 3 * np.arange(total, dtype=np.int64)
    if not (blob[at] == _M).all():
        return None
    deltas = blob[at + 1].astype(np.int64) | (blob[at + 2].astype(np.int64) << 8)
    return counts, deltas


def _weights_op(weights) -> bytes:
    if weights is None:
        return b"N"
    if isinstance(weights, float):  # one weight for all: readers test for a float
        return b"G" + _DOUBLE(weights)
    return b"(" + b"".join(map(weight_op, weights)) + b"t"


def _values_op(values) -> bytes:
    if values is None:
        return b"N"
    if isinstance(values, bytes):
        return bytes_op(values)
    short = _SHORT_BYTES
    return b"(" + b"".join([short[len(v)] + v if len(v) < 256 else bytes_op(v) for v in values]) + b"t"


def block_data(ids, weights, values) -> bytes:
    """The pickle of ``(ids, weights, values)`` (ids: a tuple of ints;
    weights: None, a float or a tuple of floats; values: None, bytes or a
    tuple of bytes)."""
    ids_op = int_op(ids[0]) + b"\x85" if len(ids) == 1 else b"(" + _ints(ids) + b"t"
    return ids_op + _weights_op(weights) + _values_op(values) + b"\x87."


def block_info(count, last_id, maxweight, compression, minlen_byte, maxlen_byte) -> bytes:
    """The pickle of a block's info tuple (read by ``StructFile.read_pickle``)."""
    return (b"(" + int_op(count) + int_op(last_id) + weight_op(maxweight) + int_op(compression)
            + int_op(minlen_byte) + int_op(maxlen_byte) + b"t.")


def inline_postings(ids, weights, values) -> bytes:
    """The pickle of a term info's inlined postings: lists of ids, weights
    (floats) and values (bytes or None), as ``ListMatcher`` takes them."""
    return (b"((" + _ints(ids) + b"l(" + b"".join(map(weight_op, weights)) + b"l("
            + b"".join([b"N" if v is None else bytes_op(v) for v in values]) + b"lt.")
