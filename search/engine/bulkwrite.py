"""A faster Whoosh segment writer for bulk indexing (same segment on disk).

``BulkWriter`` is a ``whoosh.writing.SegmentWriter`` (same locking, TOC,
merge policies, deletions, commit and cancel) with two parts replaced:

1. Analysis of the Arabic text fields. Whoosh runs the analyzer chain token
   by token for every field (``text``, ``text_exact`` and ``title`` = three
   passes over each article). Here each surface word is looked up once in a
   cache of ``(exact terms, stemmed terms)`` computed with the very functions
   the analyzers use (``normalize_token``, ``STOPWORDS``, ``light_stem``),
   and a field whose value equals the previous field's value (``text`` and
   ``text_exact`` get the same string) reuses its word list. Only fields
   whose analyzer *equals* ``ArabicAnalyzer()`` or ``ArabicExactAnalyzer()``
   with the ``Positions`` format take this path; every other field goes
   through Whoosh's own ``field.index()``.
2. The postings pool. Whoosh pickles every posting into sorted temporary
   runs and merges them at commit, then looks up the document's field length
   once per posting. Here postings are kept in memory per field and term
   (documents arrive in docnum order, so each list is already sorted) and
   written a term at a time into the ``W3FieldWriter``'s files
   (``write_postings``: Whoosh 3 blocks of 128 postings, the same block
   statistics, term infos and term table; the pickles are written
   compactly by ``search.engine.compact``, a term found in one document
   keeps its posting in the term table, small blocks are left
   uncompressed, see there).

Tokens, positions, weights, field lengths, stored fields and columns are
exactly those of ``SegmentWriter.add_document`` (tests/engine/test_bulk_indexing.py
compares the postings and statistics of every term, the stored fields, field
lengths and columns of both paths). Memory grows with the segment (about 30
bytes per posting): ``SegmentedWriter`` starts a new segment every
``segment_docs`` documents (``search.indexing.SEGMENT_DOCS``).
"""
from __future__ import annotations

import os
import shutil
import tempfile
import time
import zlib
from array import array
from itertools import chain
from operator import sub

from whoosh import formats
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3FieldWriter,
    W3TermInfo,
    _lenfield,
)
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.filetables import _lengths
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from search.analysis import stemming
from search.analysis.normalization import normalize_token
from search.analysis.stemming import light_stem
from search.analysis.stopwords import STOPWORDS
from search.analysis.tokenization import TOKEN_RE
from search.engine.compact import (
    SINGLE_POSITIONS,
    block_data,
    block_info,
    encode_positions,
    inline_postings,
)
from search.engine.vocabulary import write_side_file

EXACT, STEMMED = 0, 1
COMPRESS_MIN = 64  # bytes: smaller posting blocks are stored uncompressed
INLINE_MAX = 1  # postings of a term with at most this many documents are kept in the term table
# zlib's default 32 KB window and memLevel 8 make each call set up ~400 KB of
# state (85 µs for a 400-byte block here); a posting block is at most a few
# KB, and a 4 KB window compresses it as well, 5-8x faster. Any window size
# decompresses with zlib.decompress.
ZLIB_WBITS = 12
ZLIB_MEMLEVEL = 4
SURFACE_CACHE_LIMIT = 1_000_000
# delete_by_term calls on a field after which SegmentedWriter reads its terms once
DELETE_LOOKUPS_BEFORE_SCAN = 200
# Staging folders of staged SegmentedWriters, inside the index folder (a leading
# dot: Whoosh's file cleanup skips it).
STAGING_PREFIX = ".staging-"
VALUE_CACHE_LIMIT = 5000  # distinct values of a non-text field before its cache is dropped

# surface word -> (exact term bytes, stemmed term bytes); cleared when the
# protected-name set changes (the stems depend on it).
_SURFACES: dict[str, tuple[tuple[bytes, ...], tuple[bytes, ...]]] = {}
cache_stats = {"hits": 0, "misses": 0}


def clear_caches():
    _SURFACES.clear()


stemming._cache_clear_hooks.append(clear_caches)


def _surface_entry(surface):
    parts = normalize_token(surface)
    entry = (
        tuple(p.encode("utf-8") for p in parts),
        tuple(light_stem(p).encode("utf-8") for p in parts if p not in STOPWORDS),
    )
    if len(_SURFACES) >= SURFACE_CACHE_LIMIT:
        _SURFACES.clear()
    _SURFACES[surface] = entry
    return entry


def analyze_surfaces(text):
    """The cached ``(exact, stemmed)`` entries of each surface word of ``text``."""
    surfaces = TOKEN_RE.findall(text)
    get = _SURFACES.get
    entries = [get(s) for s in surfaces]
    misses = 0
    for i, entry in enumerate(entries):
        if entry is None:
            entries[i] = _surface_entry(surfaces[i])
            misses += 1
    cache_stats["misses"] += misses
    cache_stats["hits"] += len(entries) - misses
    return entries


def term_positions(entries, kind):
    """term bytes -> positions, as ``formats.Positions.word_values`` sees them."""
    poses = {}
    get = poses.get
    pos = 0
    for entry in entries:
        for term in entry[kind]:
            found = get(term)
            if found is None:
                poses[term] = [pos]
            else:
                found.append(pos)
        pos += 1
    return poses


def arabic_kind(field):
    """EXACT/STEMMED if ``field`` can take the fast path, else None."""
    from whoosh.fields import TEXT

    from search.analysis import ArabicAnalyzer, ArabicExactAnalyzer

    if not isinstance(field, TEXT) or type(field.format) is not formats.Positions:
        return None
    if field.vector or field.separate_spelling() or not field.indexed:
        return None
    if field.analyzer == ArabicAnalyzer():
        return STEMMED
    if field.analyzer == ArabicExactAnalyzer():
        return EXACT
    return None


class MemoryPool:
    """Postings in memory: fieldname -> term bytes -> (docnums, weights, values).

    ``add_document`` adds documents in docnum order, so each term's postings
    are sorted as they arrive; postings added through Whoosh's pool
    interface (``add``: merged segments) may not be, and are sorted when
    written.
    """

    def __init__(self):
        self.fields = {}
        self.ordered = True

    def add(self, item):
        """Whoosh's pool interface: (fieldname, tbytes, docnum, weight, vbytes)."""
        fieldname, tbytes, docnum, weight, vbytes = item
        self.ordered = False
        self.add_posting(fieldname, tbytes, docnum, weight, vbytes)

    def add_posting(self, fieldname, tbytes, docnum, weight, vbytes):
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
        found = terms.get(tbytes)
        if found is None:
            terms[tbytes] = ([docnum], [weight], [vbytes])
        else:
            found[0].append(docnum)
            found[1].append(weight)
            found[2].append(vbytes)

    def sorted_terms(self, fieldname):
        """(tbytes, docnums, weights, values) in term order, postings by docnum."""
        terms = self.fields.get(fieldname, {})
        ordered = self.ordered
        for tbytes in sorted(terms):
            docs, weights, values = terms[tbytes]
            if not ordered and len(docs) > 1:
                order = sorted(range(len(docs)), key=docs.__getitem__)
                docs = [docs[i] for i in order]
                weights = [weights[i] for i in order]
                values = [values[i] for i in order]
            yield tbytes, docs, weights, values

    def iter_postings(self):
        """Whoosh's sorted posting stream (for codecs without the fast path)."""
        for fieldname in sorted(self.fields):
            for tbytes, docs, weights, values in self.sorted_terms(fieldname):
                for docnum, weight, vbytes in zip(docs, weights, values, strict=False):
                    yield fieldname, tbytes, docnum, weight, vbytes

    def cleanup(self):
        self.fields = {}


class BulkWriter(SegmentWriter):
    """``SegmentWriter`` with cached Arabic analysis and an in-memory pool."""

    def __init__(self, ix, **kwargs):
        if any(field.separate_spelling() for _name, field in ix.schema.items()):
            raise ValueError("BulkWriter does not write separate spelling fields")
        super().__init__(ix, **kwargs)
        self.pool.cleanup()
        self.pool = MemoryPool()
        self._kinds = {name: arabic_kind(self.schema[name]) for name in self.schema.names()}
        self._weights = {}
        self._last_text = None
        self._last_entries = None
        self._value_cache = {name: {} for name in self.schema.names()}

    def _entries(self, value):
        if value is not self._last_text and value != self._last_text:
            self._last_entries = analyze_surfaces(value)
            self._last_text = value
        return self._last_entries

    def _add_text(self, fieldname, kind, value, docnum, boost):
        """Index one Arabic text value; returns the field length."""
        poses = term_positions(self._entries(value), kind)
        pool = self.pool
        terms = pool.fields.get(fieldname)
        if terms is None:
            terms = pool.fields[fieldname] = {}
        weights = self._weights.get(boost)
        if weights is None:
            # Positions.word_values: the sum of 1.0 token boosts times the
            # format's field_boost, then add_document's "weight *= fieldboost".
            weights = self._weights[boost] = [(float(f) * boost[0]) * boost[1] for f in range(64)]
        single = SINGLE_POSITIONS
        get = terms.get
        w1 = weights[1]
        length = 0
        for tbytes, poslist in poses.items():
            if len(poslist) == 1:
                length += 1
                weight = w1
                vbytes = single.get(poslist[0])
                if vbytes is None:
                    vbytes = encode_positions(poslist)
            else:
                freq = len(poslist)
                length += freq
                weight = weights[freq] if freq < 64 else (float(freq) * boost[0]) * boost[1]
                vbytes = encode_positions(poslist)
            # MemoryPool.add_posting inlined: this loop runs once per posting.
            found = get(tbytes)
            if found is None:
                terms[tbytes] = ([docnum], [weight], [vbytes])
            else:
                found[0].append(docnum)
                found[1].append(weight)
                found[2].append(vbytes)
        return length

    def _index_value(self, fieldname, field, value):
        """``field.index(value)`` as a list, cached per value for fields whose
        values repeat (dates, facets); unique values (ids) are not kept."""
        cache = self._value_cache.get(fieldname)
        if cache is None:
            return list(field.index(value))
        key = (type(value), value)
        found = cache.get(key)
        if found is None:
            found = cache[key] = list(field.index(value))
            if len(cache) > VALUE_CACHE_LIMIT:
                self._value_cache[fieldname] = None
        return found

    def add_document(self, **fields):
        """``SegmentWriter.add_document`` with the Arabic fast path."""
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        add_post = self.pool.add_posting

        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields.keys() if not name.startswith("_"))
        self._check_fields(schema, fieldnames)

        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    fieldboost = self._field_boost(fields, fieldname, docboost)
                    kind = self._kinds.get(fieldname)
                    if kind is not None and isinstance(value, str):
                        length = self._add_text(
                            fieldname, kind, value, docnum, (field.format.field_boost, fieldboost)
                        )
                    else:
                        scorable = field.scorable
                        for tbytes, freq, weight, vbytes in self._index_value(fieldname, field, value):
                            weight *= fieldboost
                            if scorable:
                                length += freq
                            add_post(fieldname, tbytes, docnum, weight, vbytes)
                vformat = field.vector
                if vformat:
                    vitems = vformat.word_values(value, field.analyzer, mode="index")
                    vitems = sorted((text, weight, vbytes) for text, _, weight, vbytes in vitems)
                    perdocwriter.add_vector_items(fieldname, field, vitems)
                customval = fields.get("_stored_%s" % fieldname, value)
                sv = customval if field.stored else None
                perdocwriter.add_field(fieldname, field, sv, length)
                column = field.column_type
                if column and customval is not None:
                    perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    # --- writing the segment ---------------------------------------------------------
    def _flush_segment(self):
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        try:
            write_postings(self.fieldwriter, self.schema, pdr, self.pool, self.docnum)
            self.fieldwriter.close()
        finally:
            if pdr:
                pdr.close()
        _write_vocabulary_side_file(self)


def _write_vocabulary_side_file(writer, fieldname="text_exact"):
    """The new segment's query-vocabulary side file (``search.engine.vocabulary``)
    from the terms in memory, so no reader has to build it; best effort."""
    terms = writer.pool.fields.get(fieldname) if isinstance(writer.pool, MemoryPool) else None
    folder = getattr(writer.storage, "folder", None)
    if not terms or not folder:
        return
    try:
        write_side_file(folder, writer.newsegment.segment_id(),
                        ((t.decode("utf-8"), len(terms[t][0])) for t in sorted(terms)))
    except Exception as exc:  # readers build it when they need it
        import logging

        logging.getLogger(__name__).warning("vocabulary side file not written: %s", exc)


class SegmentedWriter:
    """New documents in segments of ``segment_docs``, committed under one lock.

    ``main`` (a ``BulkWriter``) holds the write lock, applies deletions
    (``delete_by_term``) and writes the TOC; documents go to lock-less
    ``BulkWriter``s, each sealed into a segment on disk when it holds
    ``segment_docs`` documents, so memory stays bounded. ``commit()`` makes
    all of it visible at once (``clear=True``: instead of the old segments),
    ``cancel()`` leaves the index as it was (sealed segment files are removed
    by Whoosh's cleanup at the next commit).

    ``staged=True`` lets several processes index at once: the lock is taken
    only by ``commit()``. Segments are built in a private staging folder (a
    commit by anyone else deletes every segment file of the index folder
    that its TOC does not list, which would include half-written ones),
    deletions are recorded and applied at commit to the segments committed
    by then, and the sealed segments' files are moved into the index folder
    under the lock, just before the TOC that lists them is written.
    ``timeout`` is then how long ``commit()`` waits for the lock. A
    document that such a deletion finds in a segment committed *after* this
    writer started was written by someone else meanwhile (the queue drainer
    of a web process, after an edit) and may be newer than the state staged
    here: its term is listed in ``rewritten_elsewhere`` for the caller to
    index again.
    """

    def __init__(self, ix, *, segment_docs, staged=False, timeout=0.0, delay=0.1, **kwargs):
        kwargs.setdefault("compound", False)
        self.ix = ix
        self.segment_docs = segment_docs
        self.sealed = []
        self.current = None
        self.added = 0
        self._main_args = dict(kwargs, timeout=timeout, delay=delay)
        self._deletes = {}  # fieldname -> texts (staged) or number of calls so far
        self._present = {}  # fieldname -> every term of it in the committed segments
        self.staging = None
        self.rewritten_elsewhere = []  # (fieldname, text), see above
        if staged:
            self._start_segments = {segment.segment_id() for segment in ix._segments()}
            self._staging_folder = tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=ix.storage.folder)
            self.staging = FileStorage(self._staging_folder).create_index(ix.schema, indexname=ix.indexname)
            self.main = None
        else:
            self.main = BulkWriter(ix, **self._main_args)

    def delete_by_term(self, fieldname, text):
        """Delete the committed documents with ``text`` in ``fieldname``
        (staged: at commit; returns None then, the count is not known yet).

        Whoosh looks the term up in every segment's term table (a seek and a
        read each: about 1 ms at 70k articles in 8 segments), which for a bulk
        import of new articles is a miss every time. After
        ``DELETE_LOOKUPS_BEFORE_SCAN`` calls on a field, its terms are read
        once (the writer holds the lock: they cannot change) and a term that
        is not among them costs a set lookup.
        """
        if self.main is None:
            self._deletes.setdefault(fieldname, []).append(text)
            return None
        present = self._present.get(fieldname)
        if present is None:
            calls = self._deletes[fieldname] = self._deletes.get(fieldname, 0) + 1
            if calls > DELETE_LOOKUPS_BEFORE_SCAN:
                present = self._present[fieldname] = _field_terms(self.main, fieldname)
        if present is not None and self.main.schema[fieldname].to_bytes(text) not in present:
            return 0
        return self.main.delete_by_term(fieldname, text)

    def add_document(self, **fields):
        if self.current is None:
            self.current = BulkWriter(self.staging or self.ix, _lk=False, compound=False)
        self.current.add_document(**fields)
        self.added += 1
        if self.current.doc_count() >= self.segment_docs:
            self.seal()

    def seal(self):
        """Write the documents added so far as one segment (not yet visible)."""
        sub, self.current = self.current, None
        if sub is None:
            return
        if sub._added:
            self.sealed.append(sub._finalize_segment())
        else:
            sub._close_segment()
        # The temporary folder is shared with ``main`` (or the staging folder),
        # which removes it.
        sub.is_closed = True

    def commit(self, *, clear=False):
        from whoosh.writing import CLEAR, NO_MERGE

        self.seal()
        if self.staging is not None:
            self._commit_staged()
            return
        main = self.main
        main._check_state()
        segments = main._merge_segments(CLEAR if clear else NO_MERGE, None, None)
        main._close_segment()
        main._commit_toc(segments + self.sealed)
        main._finish()

    def _commit_staged(self):
        from whoosh.query import Term
        from whoosh.writing import NO_MERGE

        main = self.main = BulkWriter(self.ix, **self._main_args)  # LockError if busy
        try:
            searcher = main.searcher()
            for fieldname, texts in self._deletes.items():
                present = _field_terms(main, fieldname) if len(texts) > DELETE_LOOKUPS_BEFORE_SCAN else None
                to_bytes = main.schema[fieldname].to_bytes
                for text in texts:
                    if present is not None and to_bytes(text) not in present:
                        continue
                    for docnum in searcher.docs_for_query(Term(fieldname, text), for_deletion=True):
                        segment, _ = main._segment_and_docnum(docnum)
                        if segment.segment_id() not in self._start_segments:
                            self.rewritten_elsewhere.append((fieldname, text))
                        main.delete_document(docnum)
            segments = main._merge_segments(NO_MERGE, None, None)
            main._close_segment()
            self._move_sealed_files()
            main._commit_toc(segments + self.sealed)
        except BaseException:
            main.cancel()
            self._remove_staging()
            raise
        main._finish()
        self._remove_staging()

    def _move_sealed_files(self):
        """Move the sealed segments' files (and their vocabulary side files)
        from the staging folder into the index folder (same file system:
        each move is a rename)."""
        ids = [segment.segment_id() for segment in self.sealed]
        for name in os.listdir(self._staging_folder):
            if any(segid in name for segid in ids):
                os.replace(os.path.join(self._staging_folder, name),
                           os.path.join(self.ix.storage.folder, name))

    def _remove_staging(self):
        if self.staging is not None:
            shutil.rmtree(self._staging_folder, ignore_errors=True)

    def cancel(self):
        if self.current is not None:
            try:
                self.current._close_segment()
            finally:
                self.current.is_closed = True
                self.current = None
        if self.main is not None and not self.main.is_closed:
            self.main.cancel()
        self._remove_staging()


def _field_terms(writer, fieldname) -> set[bytes]:
    """Every term of ``fieldname`` in the segments ``writer`` started from."""
    with writer.reader() as reader:
        return set(reader.lexicon(fieldname))


def remove_stale_staging(folder, older_than: float = 3600.0) -> int:
    """Remove staging folders left by bulk indexers that died (a live one is
    touched at least every few minutes while it writes segments)."""
    removed = 0
    now = time.time()
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        if name.startswith(STAGING_PREFIX) and os.path.isdir(path):
            try:
                if now - os.path.getmtime(path) > older_than:
                    shutil.rmtree(path, ignore_errors=True)
                    removed += 1
            except OSError:
                pass
    return removed


def _length_bytes(pdr, fieldname, doccount):
    """Per docnum, the field length byte as stored (0: no length), or None."""
    if pdr is None:
        return None
    reader = pdr._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if reader is None:
        return None
    return bytes(reader[i] for i in range(doccount))


def _fast_codec(fieldwriter):
    codec = getattr(fieldwriter, "_codec", None)
    return (
        isinstance(fieldwriter, W3FieldWriter)
        and isinstance(codec, W3Codec)
        and codec._inlinelimit <= 1
        and codec._blocklimit >= 1
    )


def write_postings(fieldwriter, schema, pdr, pool, doccount):
    """Write the pool's postings into a ``W3FieldWriter``'s files.

    The blocks, term infos and term table entries are those of
    ``FieldWriter.add_postings`` + ``W3PostingsWriter`` (blocks of
    ``blocklimit`` postings, the same statistics) with these differences,
    all of which Whoosh's readers decode to the same postings:

    - pickles (block data, block info, position lists) are written by
      ``search.engine.compact``: no protocol header, memo or ``_codecs``
      calls for bytes, whole weights as ints (about half the bytes);
    - a term found in ``INLINE_MAX`` documents or fewer keeps its postings
      in its term info (Whoosh's ``inlinelimit``; about half the terms are
      in one document): no block header and info in the postings file;
    - a block whose pickle is shorter than ``COMPRESS_MIN`` bytes is stored
      uncompressed (compression level 0 in its header, which readers honour),
      as is any block zlib does not shrink; larger ones are compressed with a
      smaller zlib window (the same level). Whoosh means to skip small blocks
      ("if the pickle is less than 20 bytes, don't bother compressing") but
      overwrites the flag; zlib's setup costs more than the rest of a tiny
      block's writing and gains nothing on it.
    """
    if not _fast_codec(fieldwriter):
        fieldwriter.add_postings(schema, pdr, pool.iter_postings())
        return
    codec = fieldwriter._codec
    limit = codec._blocklimit
    level = codec._compression
    raw = fieldwriter._postfile.file
    write = raw.write
    offset = raw.tell()
    tindex = fieldwriter._tindex
    fieldmap = fieldwriter._fieldmap
    pack_info = W3TermInfo._struct.pack
    compressobj = zlib.compressobj
    DEFLATED = zlib.DEFLATED
    magic = WHOOSH3_HEADER_MAGIC
    ltb = length_to_byte
    btl = byte_to_length
    for fieldname in sorted(pool.fields):
        if fieldname not in schema:
            continue
        fieldobj = schema[fieldname]
        if fieldname not in fieldmap:
            fieldmap[fieldname] = len(fieldmap)
        prefix = pack_ushort(fieldmap[fieldname])
        fixedsize = fieldobj.format.fixed_value_size()
        lbytes = _length_bytes(pdr, fieldname, doccount)
        entries = []  # (key, value) for the term table, in key order
        for tbytes, docs, weights, values in pool.sorted_terms(fieldname):
            n = len(docs)
            if n <= INLINE_MAX:  # into the term table (compact.inline_postings)
                entries.append((prefix + tbytes, _inline_info(pack_info, docs, weights, values, fixedsize, lbytes)))
                continue
            parts = [magic]
            total = 0.0
            t_minlen = None
            t_maxlen = 0
            t_maxweight = 0
            for start in range(0, n, limit):
                end = start + limit
                if n <= limit:
                    ids, raw_weights, vals = docs, weights, values
                else:
                    ids, raw_weights, vals = docs[start:end], weights[start:end], values[start:end]
                wa = array("f", raw_weights)
                # W3PostingsWriter._mini_ids / _mini_weights / _mini_values
                if len(ids) == 1:
                    mini_ids = (ids[0],)
                else:
                    mini_ids = tuple(map(sub, ids, chain((0,), ids)))  # deltas from 0
                first = wa[0]
                if first == 1.0 and wa.count(1.0) == len(wa):
                    mini_weights = None
                elif wa.count(first) == len(wa):
                    mini_weights = first
                else:
                    mini_weights = tuple(wa)
                if fixedsize is None or fixedsize < 0:
                    mini_values = tuple(vals) if all(vals) else tuple(v for v in vals if v)
                elif fixedsize == 0:
                    mini_values = None
                else:
                    mini_values = b"".join(v for v in vals if v)
                databytes = block_data(mini_ids, mini_weights, mini_values)
                comp = level if len(databytes) >= COMPRESS_MIN else 0
                if comp:
                    zc = compressobj(comp, DEFLATED, ZLIB_WBITS, ZLIB_MEMLEVEL)
                    packed = zc.compress(databytes) + zc.flush()
                    if len(packed) < len(databytes):
                        databytes = packed
                    else:
                        comp = 0
                b_maxweight = max(raw_weights)
                if b_maxweight <= 0:
                    b_maxweight = 0
                b_minlen = None
                b_maxlen = 0
                if lbytes is not None:
                    if len(ids) == 1:
                        lb = lbytes[ids[0]]
                        if lb:
                            b_minlen = b_maxlen = btl(lb)
                    else:
                        lens = [x for x in map(lbytes.__getitem__, ids) if x]
                        if lens:
                            b_minlen = btl(min(lens))
                            b_maxlen = btl(max(lens))
                infobytes = block_info(len(ids), ids[-1], b_maxweight, comp, ltb(b_minlen), ltb(b_maxlen))
                blocklength = len(infobytes) + len(databytes)
                if end >= n:
                    blocklength = -blocklength
                parts.append(pack_int(blocklength))
                parts.append(infobytes)
                parts.append(databytes)
                # W3TermInfo.add_block
                total += sum(wa)
                if t_minlen is None:
                    t_minlen = b_minlen
                elif b_minlen is not None and b_minlen < t_minlen:
                    t_minlen = b_minlen
                if b_maxlen > t_maxlen:
                    t_maxlen = b_maxlen
                if b_maxweight > t_maxweight:
                    t_maxweight = b_maxweight
            data = b"".join(parts)
            write(data)
            # W3TermInfo.to_bytes (not inlined)
            entries.append((
                prefix + tbytes,
                pack_info(False, total, n, 0 if t_minlen is None else ltb(t_minlen), ltb(t_maxlen),
                          t_maxweight, docs[0], docs[-1]) + pack_long(offset) + pack_int(len(data)),
            ))
            offset += len(data)
        _add_terms(tindex, entries)


def _inline_info(pack_info, docs, weights, values, fixedsize, lbytes):
    """``W3TermInfo.to_bytes`` of a term whose postings are inlined (as
    ``W3PostingsWriter.finish_postings`` inlines them under ``inlinelimit``),
    with the values Whoosh 3 block readers return (None for a format
    without values)."""
    wa = array("f", weights)
    maxweight = max(weights)
    lens = [byte_to_length(x) for x in map(lbytes.__getitem__, docs) if x] if lbytes is not None else []
    vals = [None] * len(docs) if fixedsize == 0 else list(values)
    return pack_info(True, sum(wa), len(docs), length_to_byte(min(lens)) if lens else 0,
                     length_to_byte(max(lens)) if lens else 0, maxweight if maxweight > 0 else 0,
                     docs[0], docs[-1]) + inline_postings(docs, list(wa), vals)


def _add_terms(tindex, entries):
    """``OrderedHashWriter.add`` for many (key, value) pairs in key order."""
    dbfile = tindex.dbfile
    raw = dbfile.file
    pos = raw.tell()
    if entries and entries[0][0] <= tindex.lastkey:
        raise ValueError("Keys must increase: %r..%r" % (tindex.lastkey, entries[0][0]))
    index_append = tindex.index.append
    buckets = tindex.buckets
    hashfn = tindex.hashfn
    pack_lengths = _lengths.pack
    chunks = []
    for key, value in entries:
        index_append(pos)
        chunk = pack_lengths(len(key), len(value)) + key + value
        chunks.append(chunk)
        h = hashfn(key)
        buckets[h & 255].append((h, pos))
        pos += len(chunk)
    raw.write(b"".join(chunks))
    if entries:
        tindex.lastkey = entries[-1][0]


__all__ = ["BulkWriter", "SegmentedWriter", "MemoryPool", "analyze_surfaces", "cache_stats", "clear_caches"]
