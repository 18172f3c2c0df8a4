"""Exhaustive BM25F scoring of Whoosh queries over cached numpy postings.

``Scoring`` is the scoring half of ``search.engine.snapshot.IndexView``:
``evaluate(q)`` gives (match mask, dense scores) with EVERY matching live
document scored (no block skipping: Whoosh's block-quality ``limit=``
optimisation returns a wrong top 10 for some AND queries, whoosh issue #413),
term-at-a-time with Whoosh's own BM25F formula, idf and average field
lengths, so the scores equal Whoosh's exhaustive scores
(tests/engine/test_search_correctness.py). Phrases are checked on positions decoded
once per segment (``segments.segment_positions``).
"""
from __future__ import annotations

from math import log

import numpy as np
from whoosh import query as wq
from whoosh import scoring

from search.engine import segments

NO_IDS = np.zeros(0, dtype=np.int64)
NO_SCORES = np.zeros(0, dtype=np.float64)


def _compact(mask, scores):
    """What the scores cache keeps of (mask, dense scores): the matches and
    their scores when that is smaller (most queries match a few per cent of
    the index), else both dense arrays. Callers read scores only where the
    mask is set."""
    docs = np.flatnonzero(mask)
    if len(docs) * 12 < len(mask) * 9:
        return (docs.astype(np.int32), scores[docs])
    return (mask, scores)


def _dense(found, n):
    """(mask, dense scores) from a ``_compact`` entry."""
    first, second = found
    if first.dtype == np.bool_:
        return first, second
    mask = np.zeros(n, dtype=bool)
    mask[first] = True
    scores = np.zeros(n, dtype=np.float64)
    scores[first] = second
    return mask, scores


class Scoring:
    """Mixin of ``IndexView``: needs ``reader``, ``n``, ``live_mask``,
    ``postings``, ``lengths``, ``avg_length``, ``_scores`` (a
    ``budget.ByteLRU``) and ``_lock``."""

    def evaluate(self, q):
        """(match mask, dense scores) of a query: EVERY matching live doc
        scored (no block skipping), cached per searcher."""
        key = repr(q)
        found = self._scores.get(key)
        if found is not None:
            return _dense(found, self.n)
        mask, scores = self._eval(q.normalize())
        mask = mask & self.live_mask
        self._scores.put(key, _compact(mask, scores))
        return mask, scores

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
        if isinstance(q, wq.DisjunctionMax) and q.boost == 1.0 and not q.tiebreak and q.subqueries:
            # Whoosh's DisjunctionMaxMatcher without tiebreak: the best clause's score
            mask = np.zeros(n, dtype=bool)
            scores = np.zeros(n, dtype=np.float64)
            for sub in q.subqueries:
                if self._scorable_term(sub, w):
                    ids, s = self._term_scores(sub, w)
                    mask[ids] = True
                    scores[ids] = np.maximum(scores[ids], s)
                else:
                    m2, s2 = self._eval(sub)
                    mask |= m2
                    np.maximum(scores, np.where(m2, s2, 0.0), out=scores)
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
        cached positions (``segment_positions``). None: let Whoosh's
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
            for sub, offset, skey in self.leaves:
                count = sub.doc_count_all()
                local = cand[(cand >= offset) & (cand < offset + count)] - offset
                if not len(local):
                    continue
                # ends: keys (doc << 32 | position) where the phrase so far
                # ends; a word's position p extends an end e when
                # 1 <= p - e <= slop (the largest e below p decides).
                ends = None
                for word in words:
                    entry = segments.segment_cached(
                        sub, ("positions", fieldname, word),
                        lambda sub=sub, word=word, skey=skey: segments.segment_positions(sub, fieldname, word, skey),
                        skey)
                    if entry is None:
                        ends = None
                        break
                    keys = segments.position_keys(entry, local)
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

    def _idf(self, fieldname, text, df):
        """Whoosh's idf, ``log(doc_count_all / (df + 1)) + 1``, with ``df``
        the length of the postings already read (every posting, deleted
        docs included, as the term infos count them) instead of a term
        table probe per segment (and ``Searcher._idf_cache``, unbounded)."""
        w = self.searcher.weighting
        if type(w).idf is not scoring.WeightingModel.idf:
            return self.searcher.idf(fieldname, text)
        return log(self.reader.doc_count_all() / (df + 1)) + 1

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
            return NO_IDS, NO_SCORES
        ids, tf = self.postings(fieldname, text)
        if not len(ids):
            return NO_IDS, NO_SCORES
        tf = tf.astype(np.float64)  # cached as uint8 or float32 (exact): score in float64 as Whoosh does
        idf = self._idf(fieldname, text, len(ids))
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
