"""Postings read straight from the segment files (pread) equal Whoosh's own
matchers (real Whoosh indexes on disk; search.engine.rawpostings)."""
import random
from pickle import dumps

import numpy as np
import pytest
from whoosh import fields, index
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.filedb.filestore import RamStorage

from search.engine import rawpostings, segments
from search.engine.segments import segment_key

WORDS = [f"w{i}" for i in range(40)]


def _schema():
    return fields.Schema(id=fields.ID(stored=True, unique=True),
                         body=fields.TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=True),
                         tag=fields.KEYWORD)


def _docs(n, seed):
    rng = random.Random(seed)
    for i in range(n):
        # skewed: a few words in most documents (several blocks, compressed),
        # repeated words (weights > 1), many rare ones (one small block)
        words = [WORDS[min(int(rng.expovariate(0.15)), len(WORDS) - 1)] for _ in range(rng.randint(1, 30))]
        yield {"id": f"{seed}-{i}", "body": " ".join(words), "tag": rng.choice(["a", "b", "c"])}


def _fill(ix, batches, compound=False):
    for seed, n in batches:
        w = ix.writer(compound=compound)
        for doc in _docs(n, seed):
            w.add_document(**doc)
        w.commit(merge=False)
    return ix


def _whoosh_postings(sub, fieldname, tbytes):
    m = sub.postings(fieldname, tbytes)
    m = getattr(m, "child", m)
    ids, ws, vals = [], [], []
    fmt = sub.schema[fieldname].format
    while m.is_active():
        ids.append(m.id())
        ws.append(m.weight())
        vals.append(fmt.decoder("positions")(m.value()) if fmt.supports("positions") else None)
        m.next()
    return ids, ws, vals


def test_mapped_postings_equal_whoosh_matchers(tmp_path):
    ix = _fill(index.create_in(str(tmp_path), _schema()), [(1, 700), (2, 90), (3, 1)])
    with ix.reader() as reader:
        subs = [sub for sub, _offset in reader.leaf_readers()]
        assert len(subs) == 3
        checked = blocks = 0
        for sub in subs:
            files = rawpostings.segment_files(sub, segment_key(sub))
            assert isinstance(files, rawpostings.SegmentFiles)
            for fieldname, tbytes in sub.all_terms():
                ids, ws, positions = _whoosh_postings(sub, fieldname, tbytes)
                got_ids, got_ws = files.postings(fieldname, tbytes)
                assert got_ids.tolist() == ids, (fieldname, tbytes)
                assert got_ws.tolist() == [float(w) for w in ws]
                if fieldname == "body":
                    docs, counts, deltas = files.positions(fieldname, tbytes)
                    assert docs.tolist() == ids and counts.sum() == len(deltas)
                    lists = np.split(deltas, np.cumsum(counts)[:-1])
                    assert [np.cumsum(x).tolist() for x in lists] == positions
                    entry = segments.segment_positions(sub, fieldname, tbytes, segment_key(sub))
                    assert entry[0].tolist() == ids
                    assert [entry[2][a:b].tolist() for a, b in zip(entry[1][:-1], entry[1][1:], strict=True)] == positions
                blocks = max(blocks, len(ids) // 128 + 1)
                checked += 1
            assert files.postings("body", b"absent") is None
            assert files.positions("body", b"absent") is None
            assert files.postings("nofield", b"w1") is None
        assert checked > 100 and blocks >= 3  # multi-block lists were read


def test_segment_postings_fall_back_to_whoosh(tmp_path, monkeypatch):
    """RAM and compound storage are read through Whoosh; so is a segment
    whose mapped read fails: the same arrays either way."""
    ram = _fill(RamStorage().create_index(_schema()), [(1, 200)])
    (tmp_path / "c").mkdir()
    (tmp_path / "p").mkdir()
    comp = _fill(index.create_in(str(tmp_path / "c"), _schema()), [(1, 200)], compound=True)
    plain = _fill(index.create_in(str(tmp_path / "p"), _schema()), [(1, 200)])
    expected = None
    for ix, mapped in ((ram, False), (comp, False), (plain, True)):
        with ix.reader() as reader:
            (sub,) = [s for s, _o in reader.leaf_readers()] if not reader.is_atomic() else [reader]
            assert (rawpostings.segment_files(sub, segment_key(sub)) is not None) == mapped
            got = segments.segment_postings(sub, "body", b"w0", segment_key(sub))
            docs, starts, positions = segments.segment_positions(sub, "body", b"w0", segment_key(sub))
            got = (got[0].tolist(), got[1].tolist(), docs.tolist(), starts.tolist(), positions.tolist())
            expected = expected or got
            assert got == expected and len(got[0]) > 128
            assert got[2] == got[0]  # the positions' documents are the postings'
    with plain.reader() as reader:
        sub = reader if reader.is_atomic() else reader.leaf_readers()[0][0]

        def broken(*args):
            raise ValueError("block tag error")

        monkeypatch.setattr(rawpostings.SegmentFiles, "postings", broken)
        monkeypatch.setattr(rawpostings.SegmentFiles, "positions", broken)
        got = segments.segment_postings(sub, "body", b"w0", segment_key(sub))
        assert (got[0].tolist(), got[1].tolist()) == expected[:2]
        found = segments.segment_positions(sub, "body", b"w0", segment_key(sub))
        assert tuple(a.tolist() for a in found) == expected[2:]
        assert segments.segment_postings(sub, "body", b"absent", segment_key(sub)) is None


def test_position_lists_are_unpickled_per_block():
    lists = [[3], [1, 4, 2], list(range(1, 1500)), []]
    values = [len(x).to_bytes(4, "big") + dumps(x, 2) for x in lists]
    assert rawpostings.unpickle_position_lists(values) == lists
    stripped = [v[:-1] for v in values]  # STOP stripped
    assert rawpostings.unpickle_position_lists(stripped) == lists
    assert rawpostings.unpickle_position_lists(values[:1] + [b"\0\0\0\1" + dumps([7], 0)]) == [[3], [7]]


def test_compact_position_lists_are_unpickled_with_one_loads(monkeypatch):
    from search.engine.compact import encode_positions

    positions = [[46], [0], [1, 4, 46, 47], list(range(0, 40000, 7)), [5, 70000]]
    deltas = [[b - a for a, b in zip([0, *p], p, strict=False)] for p in positions]
    values = [encode_positions(p) for p in positions]
    calls = []
    real = rawpostings.loads
    monkeypatch.setattr(rawpostings, "loads", lambda data: calls.append(1) or real(data))
    assert rawpostings.unpickle_position_lists(values) == deltas
    assert len(calls) == 1
    mixed = values + [len([2]).to_bytes(4, "big") + dumps([2], 2)]
    assert rawpostings.unpickle_position_lists(mixed) == deltas + [[2]]


@pytest.fixture(autouse=True)
def _fresh_cache():
    rawpostings.clear_cache()
    yield
    rawpostings.clear_cache()
