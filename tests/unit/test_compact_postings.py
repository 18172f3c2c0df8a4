"""The compact posting pickles (search.engine.compact) load to exactly what
Whoosh 3's writer pickles, and Whoosh's own decoders read them; they are
smaller than Whoosh's protocol 2 pickles."""
from pickle import dumps, loads

import numpy as np
import pytest
from whoosh import formats
from whoosh.filedb.structfile import StructFile

from search.engine import compact

POSITION_LISTS = [[0], [7], [255], [256], [16384], [65535], [65536], [5, 20_000, 40_000], [3, 4, 300, 70_000], [1, 2 ** 31 + 5],
                  list(range(0, 3000, 7))]


@pytest.mark.parametrize("poslist", POSITION_LISTS)
def test_positions_decode_as_whoosh_encodes(poslist):
    fmt = formats.Positions()
    ours, theirs = compact.encode_positions(poslist), fmt.encode(poslist)
    assert fmt.decode_positions(ours) == fmt.decode_positions(theirs) == poslist
    assert fmt.decode_frequency(ours) == len(poslist)
    assert loads(ours[4:] + b".") == loads(theirs[4:])  # how search.engine.segments reads them
    # three bytes a delta (fixed width, read with numpy); shorter than
    # Whoosh's pickle for the usual one to three positions
    assert len(ours) <= 7 + 5 * len(poslist)
    if len(poslist) <= 3:
        assert len(ours) < len(theirs)


def test_a_block_of_fixed_width_positions_reads_with_numpy():
    lists = [p for p in POSITION_LISTS if max(b - a for a, b in zip([0, *p], p, strict=False)) < 65536]
    values = [compact.encode_positions(p) for p in lists]
    counts, deltas = compact.fixed_deltas(values)
    assert counts.tolist() == [len(p) for p in lists]
    got = [list(np.cumsum(part)) for part in np.split(deltas, np.cumsum(counts)[:-1])]
    assert got == lists
    # a value with a delta of 65536 or more, or Whoosh's own pickle: not this form
    assert compact.fixed_deltas(values + [compact.encode_positions([65536])]) is None
    assert compact.fixed_deltas(values + [formats.Positions().encode([3])]) is None
    assert compact.fixed_deltas([]) is None


BLOCKS = [
    ((5,), None, (b"\x00\x00\x00\x01]K\x05a",)),
    ((5, 1, 300, 70_000), (1.0, 2.0, 3.5, 1.0), (b"ab", b"x" * 300, b"", b"\x80\xff")),
    ((9, 2), 2.0, None),  # one weight for all, a format without values
    ((1, 1, 1), (1.0, 70000.0, 0.25), b"abcdef"),  # fixed-size values
]


@pytest.mark.parametrize("block", BLOCKS)
def test_block_data_loads_to_the_same_tuple(block):
    ours = loads(compact.block_data(*block))
    assert ours == block
    # a single weight stays a float (readers test for it); whole weights in
    # a tuple load as ints of equal value
    assert type(ours[1]) is type(block[1])
    assert len(compact.block_data(*block)) < len(dumps(block, 2))


@pytest.mark.parametrize("info", [(1, 5, 1.0, 0, 12, 12), (128, 70_000, 2.5, 3, 0, 255), (3, 7, 0, 0, 0, 0)])
def test_block_info_reads_from_a_stream(info, tmp_path):
    path = tmp_path / "blocks"
    path.write_bytes(compact.block_info(*info) + b"rest")
    with open(path, "rb") as raw:
        f = StructFile(raw)
        assert f.read_pickle() == info
        assert f.read(4) == b"rest"  # the reader stops at the end of the pickle


def test_inline_postings():
    postings = ([42], [3.0], [b"\x00\x00\x00\x01]K\x05a"])
    assert loads(compact.inline_postings(*postings)) == postings
    assert loads(compact.inline_postings([1, 9], [1.0, 0.5], [None, None])) == ([1, 9], [1.0, 0.5], [None, None])
