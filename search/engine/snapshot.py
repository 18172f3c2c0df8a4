"""``IndexView``: one searcher generation and everything cached for it.

The request path works on dense numpy arrays indexed by global docnum: a
live-doc mask, the ``day``/``article_id`` columns, the date orders, decoded
field lengths, per-term postings arrays (ids, weights, bounded by count and
size) and per-facet (doc, value) pair arrays; filters and date ranges are
cached masks, facet counts one ``bincount``, the page a partial top-k
(``execute``). Scoring is ``search.engine.scoring``; a segment's immutable
data comes from ``search.engine.segments``. No ``*`` query on the request
path: match-all is the cached live-doc set.
"""
from __future__ import annotations

import threading

import numpy as np
from haystack.constants import DJANGO_ID

from search.analysis.edits import nearest_words
from search.engine import segments
from search.engine.budget import ByteLRU
from search.engine.result import EngineResult
from search.engine.scoring import NO_IDS, NO_SCORES, Scoring
from search.engine.vocabulary import vocabulary_for
from search.schema import DAY_FIELD, EXACT_FIELD, PK_FIELD, TEXT_FIELD, TITLE_FIELD


class IndexView(Scoring):
    """One searcher and everything cached for it (valid until the index changes).

    The request path works on dense numpy arrays indexed by global docnum:
    a live-doc mask, the ``day``/``article_id`` columns, decoded field
    lengths, per-term postings arrays (ids, weights) and per-facet
    (doc, value) pair arrays. Scoring is term-at-a-time BM25F over the cached
    postings with Whoosh's own formula, idf and average field lengths, so the
    scores equal Whoosh's exhaustive scores (tests/engine/test_search_correctness.py);
    facet counts are one ``bincount``, filters are cached masks.
    """

    def __init__(self, searcher):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.n = self.reader.doc_count_all()
        self._live = None
        self._leaves = None
        self._live_mask = None
        self._days = None
        self._pks = None
        self._orders = None
        self._term_sets = {}
        self._pairs = {}
        self._lengths = {}
        # bounded in bytes by their shares of SEARCH_CACHE_BUDGET_MB (search.engine.budget)
        self._postings = ByteLRU("postings")
        self._avg_lengths = {}
        self._scores = ByteLRU("scores")
        self._masks = ByteLRU("masks")
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
        _ = self.live_mask, self.pks, self.days  # load the cached properties now
        for fname in (TEXT_FIELD, TITLE_FIELD, EXACT_FIELD):
            self.lengths(fname)
        return self

    # columns and sets ---------------------------------------------------------
    def _column(self, fieldname):
        parts = [segments.segment_cached(sub, ("col", fieldname),
                                         lambda sub=sub: segments.numeric_column(sub, fieldname))
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
            parts = [segments.segment_cached(sub, ("len", fieldname),
                                             lambda sub=sub: segments.length_bytes(sub, fieldname))
                     for sub, _offset in self.reader.leaf_readers()]
            raw = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint8)
            found = segments.LENGTH_TABLE[raw] if len(raw) == self.n else np.zeros(self.n, dtype=np.float64)
            self._lengths[fieldname] = found
        return found

    @property
    def leaves(self):
        """(leaf reader, docnum offset, segment cache key) of every segment."""
        if self._leaves is None:
            self._leaves = [(sub, offset, segments.segment_key(sub)) for sub, offset in self.reader.leaf_readers()]
        return self._leaves

    def postings(self, fieldname, text):
        """(global docnums int32, weights float32 or float64) of a term,
        deleted docs included: convert the weights to float64 before any
        arithmetic (Whoosh scores in float64).

        Per-segment postings are cached process-wide (segment_cached); this
        per-view LRU keeps the assembled arrays of the most recent terms (a
        term found in one segment at offset 0 shares that segment's arrays)."""
        key = (fieldname, text)
        found = self._postings.get(key)
        if found is not None:
            return found
        ids_parts, w_parts = [], []
        for sub, offset, skey in self.leaves:
            part = segments.segment_cached(sub, ("post", fieldname, text),
                                           lambda sub=sub, skey=skey: segments.segment_postings(sub, fieldname, text, skey),
                                           skey)
            if part is None or not len(part[0]):
                continue
            ids_parts.append(part[0] + np.int32(offset) if offset else part[0])
            w_parts.append(part[1])
        if len(ids_parts) > 1:
            found = (np.concatenate(ids_parts), np.concatenate(w_parts))
        elif ids_parts:
            found = (ids_parts[0], w_parts[0])
        else:
            found = (NO_IDS, NO_SCORES)
        return self._postings.put(key, found)

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
            segs = [(segments.segment_cached(sub, ("pairs", fieldname),
                                             lambda sub=sub: segments.segment_pairs(sub, fieldname)),
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
        return self._masks.get(key)

    def _store_mask(self, key, mask):
        self._masks.put(key, mask)

    def _set_mask(self, docs):
        mask = np.zeros(self.n, dtype=bool)
        if docs:
            mask[np.fromiter(docs, dtype=np.int64)] = True
        return mask

    def docs_for(self, q):
        """Match mask (live docs) of a query, unscored use (cached with
        ``evaluate``); pass it to ``execute(restrict=...)``."""
        return self.evaluate(q)[0]

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
    @property
    def vocabulary(self):
        """The index ``Vocabulary`` of this view (search.engine.vocabulary),
        one per searcher generation: query expansion reads it."""
        return vocabulary_for(self)

    def exact_df(self, form: str) -> int:
        """Documents containing a normalized, unstemmed form (query clitics):
        from the vocabulary side files (one hash probe per segment, memoized)
        rather than Whoosh's term tables (a seek and reads per segment)."""
        try:
            return self.vocabulary.df(form)
        except Exception:
            return 0

    def known_term(self, fieldname, text) -> bool:
        try:
            return self.reader.doc_frequency(fieldname, text) > 0
        except Exception:
            return False

    def suggest(self, fieldname, word, maxdist=2):
        """Closest indexed words (edit distance, then frequency), nearest
        distance first («بوتبن» → «بوتين», not a frequent word two edits away).

        One edit away (a deletion, a swap of neighbours, a substitution or an
        insertion after the first letter) is looked up in the vocabulary
        (``search.analysis.edits.one_edit``: a few hundred strings, nearly all
        ruled out by one bit test) for the exact field; scanning every indexed
        word with the first letter, as Whoosh's corrector does, took seconds
        for «و» or «ا» at 70k. Two edits, for words of five letters or more
        with no word one edit away, use Whoosh's corrector over the words
        sharing the first two letters (three after «ال»)."""
        if len(word) < 3:
            return []
        maxdist = 1 if len(word) <= 4 else maxdist
        if fieldname == EXACT_FIELD and self.vocabulary is not None:
            found = [w for _df, w in nearest_words(word, self.vocabulary.dfs, keep_first=True)]
        else:
            found = self.reader.corrector(fieldname).suggest(word, limit=3, maxdist=1, prefix=1)
        if found or maxdist < 2:
            return found
        prefix = 3 if word.startswith("ال") else 2
        return self.reader.corrector(fieldname).suggest(word, limit=3, maxdist=2, prefix=prefix)

    def key_terms(self, fieldname, text, numterms=12):
        return self.searcher.key_terms_from_text(fieldname, text, numterms=numterms, normalize=True)

    def docnum_for_pk(self, article_id):
        return self.searcher.document_number(**{DJANGO_ID: str(article_id)})
