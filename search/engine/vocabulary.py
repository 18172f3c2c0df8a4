"""The index vocabulary as query expansion needs it, without loading it.

``vocabulary_for(view)`` returns the ``Vocabulary`` of an open
``search.engine.snapshot.IndexView`` (one per searcher generation, stored on the
view). It answers from the unstemmed ``text_exact`` field:

- ``df(form)``: documents (in all segments) holding the exact normalized
  form, summed over segments, memoized per vocabulary (the ``vocabulary``
  share of ``SEARCH_CACHE_BUDGET_MB``, search.engine.budget);
- ``variants_of_key(key)``: the indexed forms whose ``skeleton`` is ``key``.

Both are read from a per-segment side file
``<indexdir>/vocab_<segment id>.skel`` opened with ``mmap``: a checked
header, a hash table of ``form -> df`` (a few microseconds per lookup, about
ten times cheaper than Whoosh's own term lookup, and expansion asks ~100 per
word) and sorted ``skeleton<TAB>form`` lines searched by bisection. Nothing
is loaded into Python dicts, so a process opens the vocabulary in
milliseconds and every worker shares the same page cache.

Whoosh segments are immutable, so a side file is written once per segment,
atomically (temp file + ``os.replace``), by the first process that needs it
(``warm_side_files(reader)`` does it ahead of time). A side file whose
header, size or checksum does not match is rebuilt, never trusted. Side
files of segments that are in neither the reader nor the latest TOC and are
older than ``STALE_AFTER`` seconds are deleted (a reader of an older
generation that loses its file just rebuilds it). Storage without a folder
(RAM indexes) or a read-only folder falls back to an in-memory table.

The protected names fed to the analyzer are ``search.names``.
"""
from __future__ import annotations

import logging
import mmap
import os
import struct
import sys
import threading
import time
import zlib
from array import array
from collections import OrderedDict

from search.analysis.variants import skeleton, variant_key
from search.engine.budget import ByteLRU, sizeof
from search.schema import EXACT_FIELD

log = logging.getLogger(__name__)

MIN_KEY_LEN = 4  # shorter forms are never expanded by sound class
SIDE_PREFIX = "vocab_"
SIDE_SUFFIX = ".skel"
STALE_AFTER = 60  # seconds: side files of vanished segments younger than this are kept
_MAGIC = b"#search-vocab-1"
_SEGMENT_CACHE_SIZE = 64
_segment_cache: OrderedDict = OrderedDict()
_cleaned: dict = {}  # folder -> segment ids of the generation last cleaned up
_cache_lock = threading.Lock()
stats = {"built": 0, "opened": 0, "rejected": 0, "removed": 0}


def _keyable(term: str) -> bool:
    return len(term) >= MIN_KEY_LEN and "\u0621" <= term[0] <= "\u064a"


def _grouped(terms, key_of=None) -> dict:
    """{skeleton: [forms]} of ``terms`` (in their order)."""
    if key_of is None:
        key_of = getattr(variant_key, "__wrapped__", variant_key)  # do not churn its LRU
    by_key = {}
    for term in terms:
        if _keyable(term):
            by_key.setdefault(skeleton(term, key_of), []).append(term)
    return by_key


# --- per-segment tables -----------------------------------------------------------------------

class _DictTable:
    """One segment's forms held in memory (tests, RAM indexes, read-only folders)."""

    __slots__ = ("dfs", "by_key")

    def __init__(self, dfs, by_key):
        self.dfs = dfs
        self.by_key = by_key

    def df(self, form: str, raw: bytes, crc=None, key=None) -> int:
        return self.dfs.get(form, 0)

    def lookup(self, key: str) -> list[str]:
        return self.by_key.get(key, [])


_SLOT = struct.Struct("<I")
_LEN = struct.Struct("<H")


class _FileTable:
    """One segment's forms in a memory-mapped side file: an open-addressing
    hash table (crc32, linear probing) of ``form -> df`` records, then the
    sorted ``skeleton<TAB>form`` lines."""

    __slots__ = ("path", "_mm", "_slots", "_mask", "_start", "_end")

    def __init__(self, path, mm, slots_at, nslots, lines_at):
        self.path = path
        self._mm = mm
        view = memoryview(mm)[slots_at:slots_at + 4 * nslots]
        # native uint32 view of the little-endian slots (a copy on big-endian machines)
        self._slots = view.cast("I") if sys.byteorder == "little" else array("I", bytes(view))
        if sys.byteorder != "little":
            self._slots.byteswap()
        self._mask = nslots - 1
        self._start = lines_at
        self._end = len(mm)

    def df(self, form: str, raw: bytes, crc=None, key=None) -> int:
        """Probes compare ``uint16 length + form`` in one slice; ``crc``
        (crc32 of ``raw``) and ``key`` may be given, computed once for every
        segment's table."""
        mm, slots, mask = self._mm, self._slots, self._mask
        h = (zlib.crc32(raw) if crc is None else crc) & mask
        if key is None:
            key = _LEN.pack(len(raw)) + raw
        n = len(key)
        while True:
            off = slots[h]
            if not off:
                return 0
            if mm[off:off + n] == key:
                return int.from_bytes(mm[off + n:off + n + 4], "little")
            h = (h + 1) & mask

    def lookup(self, key: str) -> list[str]:
        target = key.encode("utf-8") + b"\t"
        mm = self._mm
        lo, hi = self._start, self._end
        # lo and hi are line starts; the byte before lo is always "\n".
        while lo < hi:
            mid = (lo + hi) // 2
            s = mm.rfind(b"\n", lo - 1, mid) + 1
            e = mm.find(b"\n", s)
            if mm[s:e] < target:
                lo = e + 1
            else:
                hi = s
        out = []
        n = len(target)
        while lo < self._end:
            e = mm.find(b"\n", lo)
            line = mm[lo:e]
            if not line.startswith(target):
                break
            out.append(line[n:].decode("utf-8"))
            lo = e + 1
        return out


def side_file_bytes(segid: str, terms, key_of=None) -> bytes:
    """The side file of a segment from its ``(form, doc frequency)`` pairs
    (``text_exact``, in index order). Layout: a text header line
    ``MAGIC segid nslots lines_at size crc32(rest)``, then, from the start
    of the file on: the slot table (``nslots`` little-endian uint32 offsets
    of records, 0 = empty), the records (uint16 length, UTF-8 form, uint32
    df), a newline, and the sorted ``skeleton<TAB>form`` lines."""
    terms = [(t, int(d)) for t, d in terms]
    nslots = 8
    while nslots < 2 * len(terms):
        nslots *= 2
    head_len = 128  # the header line is padded to this size
    slots = array("I", bytes(4 * nslots))
    records = bytearray()
    rec_at = head_len + 4 * nslots
    mask = nslots - 1
    for term, df in terms:
        raw = term.encode("utf-8", "surrogatepass")
        if len(raw) > 0xFFFF:  # no real word; ``Vocabulary.df`` answers 0 for it
            continue
        h = zlib.crc32(raw) & mask
        while slots[h]:
            h = (h + 1) & mask
        slots[h] = rec_at + len(records)
        records += _LEN.pack(len(raw)) + raw + _SLOT.pack(df)
    records += b"\n"
    lines = sorted(f"{k}\t{t}".encode("utf-8")
                   for k, forms in _grouped((t for t, _d in terms), key_of).items()
                   for t in forms if "\n" not in t and "\t" not in t)
    if sys.byteorder != "little":
        slots.byteswap()
    body = slots.tobytes() + bytes(records) + (b"\n".join(lines) + b"\n" if lines else b"")
    lines_at = rec_at + len(records)
    size = head_len + len(body)
    head = b"%s %s %d %d %d %d" % (_MAGIC, segid.encode("ascii", "replace"), nslots, lines_at, size,
                                   zlib.crc32(body))
    if len(head) >= head_len:
        raise ValueError("segment id too long")
    return head + b" " * (head_len - 1 - len(head)) + b"\n" + body


def side_file_path(folder, segid: str) -> str:
    return os.path.join(str(folder), f"{SIDE_PREFIX}{segid}{SIDE_SUFFIX}")


def write_side_file(folder, segid: str, terms, key_of=None) -> str:
    """Write the side file of segment ``segid`` from its ``text_exact``
    ``(form, doc frequency)`` pairs, atomically; returns its path."""
    data = side_file_bytes(segid, terms, key_of)
    path = side_file_path(folder, segid)
    tmp = os.path.join(str(folder), f".{SIDE_PREFIX}{segid}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    stats["built"] += 1
    return path


def _open_side_file(path: str, segid: str):
    """The ``_FileTable`` of a valid side file, or None (missing, truncated,
    corrupt, another segment's). The checksum is read with plain reads (page
    cache, not this process's memory); lookups then touch a few pages."""
    try:
        f = open(path, "rb")
    except FileNotFoundError:
        return None
    except OSError as exc:
        return _reject(path, exc)
    with f:
        try:
            head = f.read(128)
            parts = head.split()
            if len(head) != 128 or head[-1:] != b"\n" or len(parts) != 6 or parts[0] != _MAGIC \
                    or parts[1] != segid.encode("ascii", "replace"):
                raise ValueError("bad header")
            nslots, lines_at, size, crc = (int(p) for p in parts[2:])
            if os.fstat(f.fileno()).st_size != size or nslots < 8 or nslots & (nslots - 1) \
                    or not 128 + 4 * nslots < lines_at <= size:
                raise ValueError("truncated")
            check = 0
            while True:
                chunk = f.read(1 << 20)
                if not chunk:
                    break
                check = zlib.crc32(chunk, check)
            if check != crc:
                raise ValueError("checksum")
            mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError) as exc:
            return _reject(path, exc)
    if mm[lines_at - 1:lines_at] != b"\n" or (lines_at < size and mm[size - 1:size] != b"\n"):
        mm.close()
        return _reject(path, "layout")
    stats["opened"] += 1
    return _FileTable(path, mm, 128, nslots, lines_at)


def _reject(path, why):
    stats["rejected"] += 1
    log.warning("vocabulary side file %s rejected (%s); rebuilding", path, why)
    return None


def _folder_of(storage):
    while storage is not None:
        folder = getattr(storage, "folder", None)
        if folder:
            return folder
        storage = getattr(storage, "b", None)  # OverlayStorage (compound segments)
    return None


def _segment_terms(sub, fieldname=EXACT_FIELD):
    """``(form, doc frequency)`` of every ``text_exact`` term of a segment."""
    if fieldname not in sub.schema:
        return
    for raw, info in sub.iter_field(fieldname):
        yield (raw.decode("utf-8") if isinstance(raw, bytes) else raw), info.doc_frequency()


def _dict_table(terms) -> _DictTable:
    dfs = dict(terms)
    return _DictTable(dfs, _grouped(dfs))


def _segment_place(sub):
    """(folder, segment) of a leaf reader; folder None for storage without
    one (RAM indexes)."""
    seg = sub.segment() if hasattr(sub, "segment") else None
    folder = _folder_of(getattr(sub, "_storage", None)) if seg is not None else None
    return folder, seg


def _segment_table(sub):
    """The skeleton table of one leaf reader (cached per process)."""
    folder, seg = _segment_place(sub)
    if folder is None:
        return _dict_table(_segment_terms(sub))
    segid = seg.segment_id()
    ident = (folder, segid)
    with _cache_lock:
        found = _segment_cache.get(ident)
        if found is not None:
            _segment_cache.move_to_end(ident)
            return found
    path = side_file_path(folder, segid)
    found = _open_side_file(path, segid)
    if found is None:
        try:
            write_side_file(folder, segid, _segment_terms(sub))
            found = _open_side_file(path, segid)
        except (OSError, ValueError) as exc:
            log.warning("cannot write vocabulary side file %s: %s", path, exc)
        if found is None:  # read-only folder, or rejected again: in memory
            found = _dict_table(_segment_terms(sub))
    with _cache_lock:
        _segment_cache[ident] = found
        while len(_segment_cache) > _SEGMENT_CACHE_SIZE:
            _segment_cache.popitem(last=False)
    return found


def _leaves(reader):
    if reader.is_atomic():
        return [reader]
    return [sub for sub, _offset in reader.leaf_readers()]


def warm_side_files(reader) -> int:
    """Write the side files the segments of ``reader`` lack (e.g. after a
    commit, so the first query does not pay for it); returns how many
    segments there are."""
    subs = _leaves(reader)
    for sub in subs:
        _segment_table(sub)
    _cleanup(subs)
    return len(subs)


def _cleanup(subs) -> None:
    """Delete the side files of segments gone from the index (once per
    generation and folder in a process)."""
    by_folder = {}
    for sub in subs:
        folder, seg = _segment_place(sub)
        if folder is not None:
            by_folder.setdefault(folder, (sub, set()))[1].add(seg.segment_id())
    for folder, (sub, live) in by_folder.items():
        key = frozenset(live)
        if _cleaned.get(folder) == key:
            continue
        _cleaned[folder] = key
        try:
            from whoosh.index import TOC

            toc = TOC.read(sub._storage if hasattr(sub._storage, "folder") else _plain_storage(folder),
                           sub.segment().index_name())
            live |= {s.segment_id() for s in toc.segments}
        except Exception as exc:  # cannot tell which segments are current: keep everything
            log.debug("vocabulary cleanup skipped in %s: %s", folder, exc)
            continue
        remove_stale_side_files(folder, live)


def _plain_storage(folder):
    from whoosh.filedb.filestore import FileStorage

    return FileStorage(folder, readonly=True)


def remove_stale_side_files(folder, live_segment_ids, older_than=STALE_AFTER) -> int:
    """Delete side files (and abandoned temp files) of segments not in
    ``live_segment_ids`` last written more than ``older_than`` seconds ago."""
    now = time.time()
    removed = 0
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    for name in names:
        if name.startswith(SIDE_PREFIX) and name.endswith(SIDE_SUFFIX):
            if name[len(SIDE_PREFIX):-len(SIDE_SUFFIX)] in live_segment_ids:
                continue
            limit = older_than
        elif name.startswith("." + SIDE_PREFIX) and name.endswith(".tmp"):
            limit = max(older_than, 3600)
        else:
            continue
        path = os.path.join(folder, name)
        try:
            if now - os.stat(path).st_mtime > limit:
                os.unlink(path)
                removed += 1
        except OSError:
            pass
    stats["removed"] += removed
    return removed


# --- the vocabulary ----------------------------------------------------------------------------

class Vocabulary:
    """Exact-form document frequencies and variant-key groups of an index,
    from per-segment ``tables`` (in segment order)."""

    def __init__(self, tables, doc_count=None):
        self.tables = list(tables)
        self._one = self.tables[0] if len(self.tables) == 1 else None
        self._memo = ByteLRU("vocabulary")  # ("df", form) -> int, ("key", key) -> [forms]
        self.doc_count = doc_count

    @classmethod
    def from_reader(cls, reader):
        subs = _leaves(reader)
        tables = [_segment_table(sub) for sub in subs]
        _cleanup(subs)
        return cls(tables, doc_count=reader.doc_count())

    @classmethod
    def from_counts(cls, df: dict, doc_count=None):
        """A vocabulary from {form: document frequency} (tests, tools)."""
        counts = dict(df)
        return cls([_DictTable(counts, _grouped(counts, variant_key))], doc_count=doc_count)

    def df(self, form: str) -> int:
        n = self._memo.get(("df", form))
        if n is None:
            raw = form.encode("utf-8", "surrogatepass")
            if len(raw) > 0xFFFF:
                return 0
            n = 0
            crc, key = zlib.crc32(raw), _LEN.pack(len(raw)) + raw  # once for every segment
            size = len(key)
            for table in self.tables:
                if type(table) is not _FileTable:
                    n += table.df(form, raw, crc, key)
                    continue
                # _FileTable.df inlined: this loop runs ~200 times per never-seen query and segment
                mm, slots, mask = table._mm, table._slots, table._mask
                h = crc & mask
                while True:
                    off = slots[h]
                    if not off:
                        break
                    if mm[off:off + size] == key:
                        n += int.from_bytes(mm[off + size:off + size + 4], "little")
                        break
                    h = (h + 1) & mask
            self._memo.put(("df", form), n, 2 * sizeof(form) + 120)
        return n

    def __contains__(self, form) -> bool:
        return self.df(form) > 0

    def variants_of_key(self, key: str) -> list[str]:
        out = self._memo.get(("key", key))
        if out is not None:
            return out
        one = self._one
        if one is not None:
            out = one.lookup(key)
        else:
            out = []
            for table in self.tables:
                for t in table.lookup(key):
                    if t not in out:
                        out.append(t)
        return self._memo.put(("key", key), out, sizeof(key) + sizeof(out) + 120)


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
        _cleaned.clear()
