"""The query vocabulary read from per-segment side files (real Whoosh indexes on disk)."""
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from whoosh import fields, index
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.filedb.filestore import RamStorage

from search.analysis.variants import skeleton
from search.engine import vocabulary as V
from search.engine.vocabulary import Vocabulary
from search.schema import EXACT_FIELD

ROOT = Path(__file__).resolve().parents[2]

# Spellings that share a skeleton («بوتين»/«بوتن»), clitic forms, short and non-Arabic words.
BATCHES = [
    ["بوتين يزور موسكو", "قال بوتن اليوم", "الرئيس بوتين والحكومة", "غاز بوتان في المصنع"],
    ["الجزائر تواجه أزمة", "وتواجه البلاد أزمة", "زار الجزائر امس", "فكرة جديدة 2024 abc"],
    ["بوتين في الجزائر", "الفكرة الجديدة", "الحكومة تواجه", "من هو بطون"],
]


def _schema():
    return fields.Schema(id=fields.ID(stored=True, unique=True),
                         text_exact=fields.TEXT(analyzer=SpaceSeparatedTokenizer()))


def _make_index(path, batches=BATCHES, delete=None):
    """One segment per batch (no merging); optionally delete a document."""
    os.makedirs(path, exist_ok=True)
    ix = index.create_in(str(path), _schema())
    n = 0
    for batch in batches:
        w = ix.writer()
        for text in batch:
            n += 1
            w.add_document(id=str(n), text_exact=text)
        w.commit(merge=False)
    if delete:
        w = ix.writer()
        w.delete_by_term("id", delete)
        w.commit(merge=False)
    return ix


def _reference(reader):
    """The former in-memory vocabulary: {form: df} and per-segment {skeleton: [forms]}."""
    from search.analysis.variants import variant_key

    df, groups = {}, []
    subs = [reader] if reader.is_atomic() else [s for s, _ in reader.leaf_readers()]
    for sub in subs:
        by_key = {}
        for raw, info in sub.iter_field(EXACT_FIELD):
            term = raw.decode("utf-8")
            df[term] = df.get(term, 0) + info.doc_frequency()
            if len(term) >= 4 and "\u0621" <= term[0] <= "\u064a":
                by_key.setdefault(skeleton(term, variant_key), []).append(term)
        groups.append(by_key)
    variants = {}
    for by_key in groups:
        for key, forms in by_key.items():
            out = variants.setdefault(key, [])
            out.extend(f for f in forms if f not in out)
    return df, variants


def _side_files(path):
    return sorted(p for p in Path(path).iterdir() if p.name.startswith(V.SIDE_PREFIX))


@pytest.fixture(autouse=True)
def _fresh_cache():
    V.clear_cache()
    yield
    V.clear_cache()


def _assert_same(vocab, reader):
    df, variants = _reference(reader)
    assert len(df) > 8 and any(len(v) > 1 for v in variants.values())
    for form, n in df.items():
        assert vocab.df(form) == n, form
        assert form in vocab
    for form in ["غيرموجود", "xyz", "ال", "بوتينن", ""]:
        assert vocab.df(form) == df.get(form, 0)
    for key, forms in variants.items():
        assert vocab.variants_of_key(key) == forms, key
    for key in ["", "zz", skeleton("غيرموجود"), "\U0001F600"]:
        assert vocab.variants_of_key(key) == variants.get(key, [])
    assert vocab.doc_count == reader.doc_count()


def test_side_files_give_the_same_answers_as_the_dict_version(tmp_path):
    ix = _make_index(tmp_path / "ix", delete="2")
    with ix.reader() as reader:
        assert len(reader.leaf_readers()) == 3
        vocab = Vocabulary.from_reader(reader)
        assert all(isinstance(t, V._FileTable) for t in vocab.tables)
        assert len(_side_files(tmp_path / "ix")) == 3
        _assert_same(vocab, reader)
        # «بوتين» (segments 1 and 3) and «بوتن» (segment 1) share a group
        group = vocab.variants_of_key(skeleton("بوتين"))
        assert {"بوتين", "بوتن"} <= set(group) and len(group) == len(set(group))


def test_merged_df_lookups_equal_the_per_segment_sums(tmp_path):
    """``Vocabulary.df``/``dfs`` probe every side file inline: the same counts
    as asking each segment's table and adding them up, present or absent."""
    ix = _make_index(tmp_path / "ix")
    with ix.reader() as reader:
        vocab = Vocabulary.from_reader(reader)
        assert len(vocab.tables) == 3
        df, _variants = _reference(reader)
        forms = list(df) + ["غيرموجود", "بوتينن", "xyz", "", "وبوتين", "بوتين"]
        per_segment = []
        for form in forms:
            raw = form.encode("utf-8")
            per_segment.append(sum(t.df(form, raw) for t in vocab.tables))
        assert per_segment[forms.index("بوتين")] == 3 and per_segment[forms.index("غيرموجود")] == 0
        assert vocab.dfs(forms) == per_segment  # one batch, memo cold
        assert [vocab.df(f) for f in forms] == per_segment  # memo warm
        assert Vocabulary.from_reader(reader).dfs(reversed(forms)) == per_segment[::-1]
    counts = {"بوتين": 3, "موسكو": 1}
    small = Vocabulary.from_counts(counts)
    assert small.dfs(["موسكو", "بوتن", "بوتين"]) == [1, 0, 3] == [small.df(f) for f in ["موسكو", "بوتن", "بوتين"]]


def test_single_segment_and_app_index(search_index, make_article):
    for i in range(3):
        make_article(title="خبر", body=f"قال بوتين اليوم {i} والجزائر تواجه أزمة")
    make_article(title="خبر", body="قال بوتن في الجزائر")
    search_index.build()
    # the bulk writer wrote the side files with the segments: no reader builds them
    files = _side_files(search_index.path)
    assert files
    mtimes = [f.stat().st_mtime_ns for f in files]
    from search.engine.adapter import get_backend
    from search.engine.vocabulary import vocabulary_for

    before = dict(V.stats)
    with get_backend().view() as view:
        vocab = vocabulary_for(view)
        assert vocabulary_for(view) is vocab
        _assert_same(vocab, view.reader)
    assert V.stats["built"] == before["built"] and V.stats["rejected"] == before["rejected"]
    assert V.stats["opened"] == before["opened"] + len(files)
    assert [f.stat().st_mtime_ns for f in _side_files(search_index.path)] == mtimes
    assert vocab.df("بوتين") == 3 and vocab.df("بوتن") == 1


def test_side_file_is_reused_by_another_process(tmp_path):
    path = tmp_path / "ix"
    ix = _make_index(path)
    with ix.reader() as reader:
        here = Vocabulary.from_reader(reader)
        expected = here.variants_of_key(skeleton("بوتين"))
    files = _side_files(path)
    mtimes = [f.stat().st_mtime_ns for f in files]
    script = (
        "import json, sys; from whoosh import index; from search.engine import vocabulary as V\n"
        "r = index.open_dir(sys.argv[1]).reader(); v = V.Vocabulary.from_reader(r)\n"
        "print(json.dumps([V.stats, v.df(sys.argv[2]), v.variants_of_key(sys.argv[3])]))\n"
    )
    out = subprocess.run([sys.executable, "-c", script, str(path), "بوتين", skeleton("بوتين")],
                         cwd=str(ROOT), capture_output=True, text=True, timeout=120, check=True)
    stats, df, variants = json.loads(out.stdout.strip().splitlines()[-1])
    assert stats["built"] == 0 and stats["opened"] == 3 and stats["rejected"] == 0
    assert df == 3 and variants == expected and "بوتن" in variants
    assert [f.stat().st_mtime_ns for f in _side_files(path)] == mtimes


@pytest.mark.parametrize("damage", ["truncate", "flip", "empty", "garbage_header", "other_segment"])
def test_damaged_side_file_is_rebuilt_not_trusted(tmp_path, damage):
    path = tmp_path / "ix"
    ix = _make_index(path)
    with ix.reader() as reader:
        Vocabulary.from_reader(reader)
    victim = max(_side_files(path), key=lambda p: p.stat().st_size)
    data = victim.read_bytes()
    if damage == "truncate":
        victim.write_bytes(data[: len(data) - 7])
    elif damage == "flip":
        mid = len(data) // 2
        victim.write_bytes(data[:mid] + bytes([data[mid] ^ 0x55]) + data[mid + 1:])
    elif damage == "empty":
        victim.write_bytes(b"")
    elif damage == "garbage_header":
        victim.write_bytes(b"\x00" * 200 + data[200:])
    else:  # a valid file of another segment under this name
        other = next(p for p in _side_files(path) if p != victim)
        victim.write_bytes(other.read_bytes())
    V.clear_cache()
    before = dict(V.stats)
    with ix.reader() as reader:
        vocab = Vocabulary.from_reader(reader)
        assert V.stats["rejected"] == before["rejected"] + 1
        assert V.stats["built"] == before["built"] + 1
        _assert_same(vocab, reader)
    assert victim.read_bytes() == data


def test_stale_side_files_are_removed(tmp_path):
    path = tmp_path / "ix"
    ix = _make_index(path)
    with ix.reader() as reader:
        Vocabulary.from_reader(reader)
    live = _side_files(path)
    old = time.time() - 2 * V.STALE_AFTER
    stale = path / f"{V.SIDE_PREFIX}MAIN_gone0000000000{V.SIDE_SUFFIX}"
    recent = path / f"{V.SIDE_PREFIX}MAIN_new00000000000{V.SIDE_SUFFIX}"
    tmp = path / f".{V.SIDE_PREFIX}MAIN_gone0000000000.1.2.tmp"
    for p in (stale, recent, tmp):
        p.write_bytes(b"x")
    os.utime(stale, (old, old))
    os.utime(tmp, (time.time() - 7200, time.time() - 7200))
    for p in live:  # live files are kept however old they are
        os.utime(p, (old, old))
    # after a merge into one segment, the side files of the merged segments go too (once old)
    w = ix.writer()
    w.add_document(id="99", text_exact="خبر اخر")
    w.commit(optimize=True)
    V.clear_cache()
    with ix.reader() as reader:
        vocab = Vocabulary.from_reader(reader)
        assert reader.is_atomic()
        _assert_same(vocab, reader)
    names = {p.name for p in _side_files(path)}
    assert stale.name not in names and not tmp.exists()
    assert recent.name in names  # maybe a newer generation's: too young to judge
    assert not names & {p.name for p in live}
    assert len(names) == 2


def test_memory_index_and_from_counts_fall_back_to_dicts():
    ix = RamStorage().create_index(_schema())
    w = ix.writer()
    for i, text in enumerate(BATCHES[0]):
        w.add_document(id=str(i), text_exact=text)
    w.commit()
    with ix.reader() as reader:
        vocab = Vocabulary.from_reader(reader)
        assert isinstance(vocab.tables[0], V._DictTable)
        _assert_same(vocab, reader)
    counts = Vocabulary.from_counts({"بوتين": 5, "بوتن": 2, "في": 9}, doc_count=10)
    assert counts.df("بوتين") == 5 and counts.df("غير") == 0 and "في" in counts
    assert counts.variants_of_key(skeleton("بوتن")) == ["بوتين", "بوتن"]


def test_queue_writer_writes_the_side_files_of_its_segments(search_index, make_article, settings):
    """An edit through the queue (Whoosh's own writer, possibly merging) leaves
    a side file for every segment, so no search builds one."""
    from search.engine.adapter import get_backend
    from search.indexing import drain_once, enqueue

    make_article(title="خبر", body="قال بوتين اليوم")
    search_index.build()
    for i in range(3):
        article = make_article(title="خبر", body=f"زار بوتن الجزائر {i}")
        enqueue([article.pk], wake=False)
        assert drain_once() >= 1
        while drain_once():
            pass
    reader = get_backend().index.reader()
    try:
        live = {sub.segment().segment_id() for sub, _ in reader.leaf_readers()} \
            if not reader.is_atomic() else {reader.segment().segment_id()}
    finally:
        reader.close()
    names = {p.name for p in _side_files(search_index.path)}
    assert all(any(seg in name for name in names) for seg in live)
    before = dict(V.stats)
    with get_backend().view() as view:
        assert vocabulary_for_view(view).df("بوتن") == 3
    assert V.stats["built"] == before["built"]


def vocabulary_for_view(view):
    from search.engine.vocabulary import vocabulary_for

    return vocabulary_for(view)
