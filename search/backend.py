"""A haystack engine over Whoosh that is correct for Arabic and fast enough.

What differs from haystack's stock ``whoosh_backend``:

- Schema (``build_schema``): text fields use ``ArabicAnalyzer`` (stock:
  English ``StemmingAnalyzer``); ``text_exact`` uses ``ArabicExactAnalyzer``;
  facet fields are unanalyzed ``ID``/``KEYWORD`` terms (stock: stemmed TEXT,
  so «الشرق الأوسط» became two buckets); ``day``/``article_id`` are sortable
  ints. Only the ids are stored: snippets are built from the database text.
- One long-lived searcher per process and index directory
  (``SharedIndex``), reopened only when the index generation changed (a new
  searcher, never ``searcher.refresh()``, whose reader reuse is broken in
  whoosh-reloaded 2.7.5: merged-away segments stay visible), with
  per-searcher caches: live docs, the ``day`` and ``article_id`` columns,
  a day-sorted doc list (date ranges by bisection) and term → docnum sets for
  the facet fields (filters and facet counts are set operations, no
  ``groupedby`` and no per-bucket queries).
- Exhaustive scoring (``IndexView.score_all``): every match is scored, so the
  page is the true top-k and the count is exact (Whoosh's block-quality
  ``limit=`` optimisation returns a wrong top 10 for some AND queries,
  whoosh issue #413).
- No ``*`` query on the request path: match-all is the cached live-doc set.
- Writes never use ``AsyncWriter`` (which hides a busy lock in a thread);
  ``writer(timeout)`` raises ``LockError`` and haystack's SILENTLY_FAIL is
  honoured (the project sets it to False).
- Highlighting (haystack ``highlight=True``) goes through the Arabic
  analyzer (``search.service.snippet_html``).
"""
from __future__ import annotations

import heapq
import logging
import os
import threading
import warnings
from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.encoding import force_str
from haystack.backends import BaseEngine, log_query
from haystack.backends.whoosh_backend import WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError, SkipDocument
from haystack.models import SearchResult
from haystack.utils import get_identifier
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.fields import BOOLEAN, DATETIME, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.fields import ID as WHOOSH_ID
from whoosh.filedb.filestore import FileStorage
from whoosh.qparser import QueryParser
from whoosh.writing import CLEAR

log = logging.getLogger(__name__)

# Field names the search service relies on.
TEXT_FIELD = "text"
EXACT_FIELD = "text_exact"
TITLE_FIELD = "title"
DAY_FIELD = "day"
PK_FIELD = "article_id"
FACET_FIELDS = ("countries", "source", "topics", "month", "year")

DEFAULT_LOCK_TIMEOUT = 60.0
SCORE_CACHE_SIZE = 16


# --- schema -------------------------------------------------------------------

def build_schema(fields):
    """Whoosh schema for haystack search fields. Returns (content_field, schema)."""
    from search.analysis import ArabicAnalyzer, ArabicExactAnalyzer

    schema_fields = {
        ID: WHOOSH_ID(stored=True, unique=True),
        DJANGO_CT: WHOOSH_ID(stored=True),
        DJANGO_ID: WHOOSH_ID(stored=True),
    }
    content_field_name = ""
    for _name, f in fields.items():
        ftype = f.field_type
        boost = f.boost or 1.0
        if ftype == "arabic_text":
            wf = TEXT(analyzer=ArabicAnalyzer(), phrase=True, stored=False, field_boost=boost)
        elif ftype == "arabic_exact":
            wf = TEXT(analyzer=ArabicExactAnalyzer(), phrase=True, stored=False, field_boost=boost)
        elif ftype == "facet_id":
            wf = WHOOSH_ID(stored=False)
        elif ftype == "facet_keyword":
            wf = KEYWORD(stored=False, commas=True, lowercase=False, scorable=False)
        elif ftype in ("day", "sortable_int"):
            wf = NUMERIC(numtype=int, bits=64, stored=False, sortable=True, signed=True)
        elif ftype in ("date", "datetime"):
            wf = DATETIME(stored=False, sortable=True)
        elif ftype == "integer":
            wf = NUMERIC(numtype=int, bits=64, stored=f.stored, field_boost=boost)
        elif ftype == "float":
            wf = NUMERIC(numtype=float, stored=f.stored, field_boost=boost)
        elif ftype == "boolean":
            wf = BOOLEAN(stored=f.stored)
        elif f.is_multivalued:
            wf = KEYWORD(stored=f.stored, commas=True, lowercase=False)
        else:
            # Any other text is still Arabic text, never English-stemmed.
            wf = TEXT(analyzer=ArabicAnalyzer(), stored=f.stored, field_boost=boost)
        schema_fields[f.index_fieldname] = wf
        if f.document:
            content_field_name = f.index_fieldname
    if len(schema_fields) <= 3:
        raise SearchBackendError("No fields were found in any search_indexes.")
    return content_field_name, Schema(**schema_fields)


def to_whoosh_value(value):
    """A prepared haystack value as Whoosh wants it (None → drop)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return ",".join(force_str(v) for v in value)
    return force_str(value)


# --- the shared, long-lived searcher -------------------------------------------

@dataclass
class EngineResult:
    total: int
    hits: list  # [(article_id, score)] in page order
    facets: dict = field(default_factory=dict)  # field -> {value: count}


class IndexView:
    """One searcher and everything cached for it (valid until the index changes)."""

    def __init__(self, searcher):
        self.searcher = searcher
        self.reader = searcher.reader()
        self._live = None
        self._days = None
        self._pks = None
        self._by_day = None
        self._term_sets = {}
        self._scores = OrderedDict()
        self._docsets = OrderedDict()

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
        self.live
        self.pks
        self.days
        return self

    # columns and sets ---------------------------------------------------------
    def _column(self, fieldname):
        total = self.reader.doc_count_all()
        values = array("q", bytes(8 * total))
        for sub, offset in self.reader.leaf_readers():
            if fieldname in sub.schema and sub.has_column(fieldname):
                for i, v in enumerate(sub.column_reader(fieldname)):
                    values[offset + i] = v or 0
        return values

    @property
    def live(self) -> frozenset:
        if self._live is None:
            self._live = frozenset(self.reader.all_doc_ids())
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
    def by_day(self):
        """(docnums sorted by (day, article id), their days) for live docs."""
        if self._by_day is None:
            days, pks = self.days, self.pks
            order = sorted(self.live, key=lambda d: (days[d], pks[d]))
            self._by_day = (order, [days[d] for d in order])
        return self._by_day

    def term_sets(self, fieldname) -> dict:
        """value → frozenset of live docnums, for an ID/KEYWORD field."""
        sets = self._term_sets.get(fieldname)
        if sets is None:
            collected = {}
            for sub, offset in self.reader.leaf_readers():
                if fieldname not in sub.schema:
                    continue
                for value in sub.field_terms(fieldname):
                    ids = sub.postings(fieldname, value).all_ids()
                    bucket = collected.setdefault(value, [])
                    bucket.extend(ids if not offset else (i + offset for i in ids))
            sets = {k: frozenset(v) for k, v in collected.items() if v}
            self._term_sets[fieldname] = sets
        return sets

    def day_range(self, lo: int | None, hi: int | None) -> set:
        """Live docnums with lo <= day <= hi (YYYYMMDD ints; undated excluded)."""
        order, days = self.by_day
        i = bisect_left(days, max(lo or 1, 1))
        j = bisect_right(days, hi) if hi else len(days)
        return set(order[i:j])

    def docs_for(self, q) -> frozenset:
        """Unscored docnum set of a query (cached by repr)."""
        key = repr(q)
        found = self._docsets.get(key)
        if found is None:
            found = frozenset(self.searcher.docs_for_query(q))
            self._docsets[key] = found
            if len(self._docsets) > SCORE_CACHE_SIZE:
                self._docsets.popitem(last=False)
        else:
            self._docsets.move_to_end(key)
        return found

    # scoring --------------------------------------------------------------------
    def score_all(self, q) -> dict:
        """docnum → score for EVERY document matching q (no block skipping)."""
        key = repr(q)
        found = self._scores.get(key)
        if found is not None:
            self._scores.move_to_end(key)
            return found
        scores = {}
        q = q.normalize()
        context = self.searcher.context()
        for sub, offset in self.searcher.leaf_searchers():
            m = q.matcher(sub, context)
            while m.is_active():
                scores[m.id() + offset] = m.score()
                m.next()
        self._scores[key] = scores
        if len(self._scores) > SCORE_CACHE_SIZE:
            self._scores.popitem(last=False)
        return scores

    # the one search entry point ------------------------------------------------------
    def execute(
        self,
        q=None,
        *,
        filters: dict | None = None,
        day_range: tuple | None = None,
        restrict: set | None = None,
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
        ``restrict``/``exclude``: docnum sets. ``sort``: relevance | newest |
        oldest. Facet counts for a field ignore that field's own filter
        (multi-select facets) and follow everything else.
        """
        scores = self.score_all(q) if q is not None else None
        base = scores.keys() if scores is not None else self.live
        if day_range and (day_range[0] or day_range[1]):
            base = self.day_range(*day_range) & base
        if restrict is not None:
            base = base & restrict
        if exclude:
            base = base - exclude
        base = base if isinstance(base, (set, frozenset)) else set(base)

        fsets = {}
        for fname, values in (filters or {}).items():
            values = [v for v in values if v is not None]
            if not values:
                continue
            sets = self.term_sets(fname)
            chosen = [sets[v] for v in values if v in sets]
            fsets[fname] = frozenset().union(*chosen) if chosen else frozenset()

        def narrowed(skip=None):
            result = base
            for fname, s in sorted(fsets.items(), key=lambda kv: len(kv[1])):
                if fname != skip:
                    result = result & s
            return result

        final = narrowed()
        facets = {}
        for fname in facet_fields:
            docs = narrowed(skip=fname) if fname in fsets else final
            counts = {}
            if docs:
                for value, s in self.term_sets(fname).items():
                    n = len(docs & s) if len(docs) < len(s) else len(s & docs)
                    if n:
                        counts[value] = n
            facets[fname] = counts

        page = self._top(final, scores, sort, offset + limit)[offset:]
        pks = self.pks
        hits = [(int(pks[d]), float(scores[d]) if scores is not None else 0.0) for d in page]
        return EngineResult(total=len(final), hits=hits, facets=facets)

    def _top(self, docs, scores, sort, k):
        if k <= 0 or not docs:
            return []
        days, pks = self.days, self.pks
        if sort == "relevance" and scores is not None:
            return heapq.nlargest(k, docs, key=lambda d: (scores[d], days[d], pks[d]))
        newest = sort != "oldest"
        if len(docs) * 8 >= len(self.live):
            # Dense: walk the cached date order.
            order, odays = self.by_day
            first_dated = bisect_left(odays, 1)
            dated = reversed(order[first_dated:]) if newest else order[first_dated:]
            out = []
            for group in (dated, reversed(order[:first_dated])):
                for d in group:
                    if d in docs:
                        out.append(d)
                        if len(out) >= k:
                            return out
            return out
        # Sparse: sort the matches; undated last in both directions.
        if newest:
            key = lambda d: (days[d] == 0, -days[d], -pks[d])  # noqa: E731
        else:
            key = lambda d: (days[d] == 0, days[d], pks[d])  # noqa: E731
        return heapq.nsmallest(k, docs, key=key)

    # spelling and similar documents ----------------------------------------------------
    def exact_df(self, form: str) -> int:
        """Documents containing a normalized, unstemmed form (query clitics)."""
        try:
            return self.reader.doc_frequency(EXACT_FIELD, form)
        except Exception:
            return 0

    def known_term(self, fieldname, text) -> bool:
        try:
            return self.reader.doc_frequency(fieldname, text) > 0
        except Exception:
            return False

    def suggest(self, fieldname, word, maxdist=2):
        """Closest indexed words (edit distance, then frequency)."""
        if len(word) < 3:
            return []
        maxdist = 1 if len(word) <= 4 else maxdist
        corrector = self.reader.corrector(fieldname)
        return corrector.suggest(word, limit=3, maxdist=maxdist, prefix=1)

    def key_terms(self, fieldname, text, numterms=12):
        return self.searcher.key_terms_from_text(fieldname, text, numterms=numterms, normalize=True)

    def docnum_for_pk(self, article_id):
        return self.searcher.document_number(**{DJANGO_ID: str(article_id)})


class SharedIndex:
    """Process-wide handle on one index directory: index, searcher, caches.

    Whoosh file readers are not safe for concurrent use, so searches in one
    process take ``lock`` (the web workers are single-threaded in practice;
    the cost is nil there).
    """

    def __init__(self, path, schema):
        self.path = path
        self.schema = schema
        self.lock = threading.RLock()
        self._ix = None
        self._view = None

    def _open(self):
        os.makedirs(self.path, exist_ok=True)
        storage = FileStorage(self.path)
        try:
            return storage.open_index(schema=self.schema)
        except whoosh_index.EmptyIndexError:
            return storage.create_index(self.schema)

    def index(self):
        with self.lock:
            if self._ix is None:
                self._ix = self._open()
            return self._ix

    def recreate(self):
        """Start over with an empty index (unreadable or missing index)."""
        with self.lock:
            self._close_view()
            os.makedirs(self.path, exist_ok=True)
            self._ix = FileStorage(self.path).create_index(self.schema)
            return self._ix

    def _close_view(self):
        if self._view is not None:
            try:
                self._view.searcher.close()
            except Exception:
                pass
            self._view = None

    def close(self):
        with self.lock:
            self._close_view()
            self._ix = None

    @contextmanager
    def view(self):
        """The current IndexView (reopened if the index changed), locked.

        If a file of the view's segments vanished (merged away by a writer),
        the view is dropped and the error re-raised; callers may retry."""
        with self.lock:
            view = self._current_view()
            try:
                yield view
            except FileNotFoundError:
                if self._view is view:
                    self._close_view()
                raise

    def _current_view(self):
        ix = self.index()
        view = self._view
        try:
            if view is None:
                self._view = IndexView(ix.searcher()).warm()
            elif not view.searcher.up_to_date():
                # Not searcher.refresh(): whoosh-reloaded 2.7.5's reader reuse
                # (index._reader(reuse=...)) keeps segments that were merged
                # away (duplicate documents) and reuses a segment's reader
                # with its old deletions (updated documents found twice).
                self._view = IndexView(ix.searcher()).warm()
                try:
                    view.searcher.close()
                except Exception:
                    pass
        except (whoosh_index.EmptyIndexError, FileNotFoundError, OSError):
            # The directory was removed or replaced under us: reopen.
            log.warning("search index at %s changed under the searcher; reopening", self.path)
            self._view = None
            self._ix = self._open()
            self._view = IndexView(self._ix.searcher()).warm()
        return self._view


_SHARED: dict[str, SharedIndex] = {}
_SHARED_LOCK = threading.Lock()


def shared_index(path, schema) -> SharedIndex:
    with _SHARED_LOCK:
        shared = _SHARED.get(path)
        if shared is None:
            shared = _SHARED[path] = SharedIndex(path, schema)
        return shared


def reset_shared():
    """Close every long-lived searcher (tests, after the index path changed)."""
    with _SHARED_LOCK:
        for shared in _SHARED.values():
            shared.close()
        _SHARED.clear()


# --- the haystack backend -----------------------------------------------------------

class ArabicWhooshSearchBackend(WhooshSearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        if not self.use_file_storage:
            raise SearchBackendError("ArabicWhooshEngine supports file storage only.")
        self.path = os.path.abspath(self.path)
        self.lock_timeout = float(connection_options.get("LOCK_TIMEOUT", DEFAULT_LOCK_TIMEOUT))
        self.shared = None

    def setup(self):
        from haystack import connections

        self.content_field_name, schema = self.build_schema(
            connections[self.connection_alias].get_unified_index().all_searchfields()
        )
        self.shared = shared_index(self.path, schema)
        self.schema = self.shared.schema
        self.parser = QueryParser(self.content_field_name, schema=self.schema)
        self.setup_complete = True

    def build_schema(self, fields):
        return build_schema(fields)

    # The stock code reads ``self.index``; keep it pointing at the shared one.
    @property
    def index(self):
        if not self.setup_complete:
            self.setup()
        return self.shared.index()

    @index.setter
    def index(self, value):
        pass

    def view(self):
        if not self.setup_complete:
            self.setup()
        return self.shared.view()

    def writer(self, timeout=None, **kwargs):
        """A Whoosh writer; raises whoosh.index.LockError if the lock stays busy.

        Segments are written as separate files (``compound=False``): opening a
        compound segment makes Whoosh copy the whole file into memory
        (``BufferFile(BytesIO(mmap view))``: ~0.9 GB and ~0.5 s per searcher
        at 70k articles), plain files are read on demand.
        """
        if timeout is None:
            timeout = self.lock_timeout
        kwargs.setdefault("compound", False)
        return self.index.writer(timeout=timeout, delay=0.05, **kwargs)

    # --- documents ---------------------------------------------------------------
    def prepare_document(self, search_index, obj) -> dict:
        doc = search_index.full_prepare(obj)
        out = {}
        for key, value in doc.items():
            if key == "boost":
                continue
            value = to_whoosh_value(value)
            if value is not None and key in self.schema:
                out[key] = value
        return out

    def write_objects(self, writer, search_index, objs):
        """Add/replace visible objects, remove hidden ones, in an open writer."""
        written = 0
        for obj in objs:
            if getattr(obj, "is_hidden", False):
                writer.delete_by_term(ID, get_identifier(obj))
                continue
            try:
                doc = self.prepare_document(search_index, obj)
            except SkipDocument:
                writer.delete_by_term(ID, get_identifier(obj))
                continue
            writer.update_document(**doc)
            written += 1
        return written

    def update(self, index, iterable, commit=True):
        if not self.setup_complete:
            self.setup()
        objs = list(iterable)
        if not objs:
            return
        try:
            writer = self.writer()
        except Exception:
            if not self.silently_fail:
                raise
            self.log.exception("Could not open the Whoosh writer")
            return
        try:
            self.write_objects(writer, index, objs)
            writer.commit()
        except Exception:
            writer.cancel()
            if not self.silently_fail:
                raise
            self.log.exception("Failed to update the Whoosh index")

    def remove(self, obj_or_string, commit=True):
        if not self.setup_complete:
            self.setup()
        try:
            writer = self.writer()
            writer.delete_by_term(ID, get_identifier(obj_or_string))
            writer.commit()
        except Exception:
            if not self.silently_fail:
                raise
            self.log.exception("Failed to remove %s from Whoosh", get_identifier(obj_or_string))

    def clear(self, models=None, commit=True):
        """Empty the index in one commit (searchers see the old one until then)."""
        if not self.setup_complete:
            self.setup()
        try:
            try:
                writer = self.writer()
            except whoosh_index.LockError:
                raise
            except Exception:
                # Unreadable index (e.g. an old schema): start over.
                self.shared.recreate()
                return
            writer.commit(mergetype=CLEAR)
        except Exception:
            if not self.silently_fail:
                raise
            self.log.exception("Failed to clear the Whoosh index")

    def delete_index(self):
        self.clear()

    def optimize(self):
        writer = self.writer()
        writer.commit(optimize=True)

    # --- haystack's search API (SearchQuerySet) ----------------------------------------
    def _sort_name(self, sort_by):
        if not sort_by:
            return "relevance"
        first = sort_by[0]
        name = first.lstrip("-")
        if name in ("published", DAY_FIELD):
            return "newest" if first.startswith("-") else "oldest"
        if name == "score":
            return "relevance"
        raise SearchBackendError("The Arabic Whoosh backend sorts by score or published only.")

    def _parse(self, query_string):
        query_string = force_str(query_string).strip()
        if query_string in ("*", "*:*", "(*)"):
            return None
        parsed = self.parser.parse(query_string)
        if isinstance(parsed, wq.Every):
            return None
        return parsed

    @log_query
    def search(
        self,
        query_string,
        sort_by=None,
        start_offset=0,
        end_offset=None,
        fields="",
        highlight=False,
        facets=None,
        date_facets=None,
        query_facets=None,
        narrow_queries=None,
        spelling_query=None,
        within=None,
        dwithin=None,
        distance_point=None,
        models=None,
        limit_to_registered_models=None,
        result_class=None,
        **kwargs,
    ):
        if not self.setup_complete:
            self.setup()
        empty = {"results": [], "hits": 0, "facets": {}, "spelling_suggestion": None}
        if not query_string or not force_str(query_string).strip():
            return empty
        q = self._parse(query_string)
        if q is wq.NullQuery:
            return empty
        sort = self._sort_name(sort_by)
        start_offset = start_offset or 0
        limit = (end_offset - start_offset) if end_offset is not None else 1_000_000
        if limit <= 0:
            limit = 1
        if query_facets:
            warnings.warn("Whoosh does not handle query faceting.", Warning, stacklevel=2)
        facet_fields = [f for f in (facets or []) if f in self.schema]
        date_fields = {}
        for key, spec in (date_facets or {}).items():
            gap = spec.get("gap_by", "month")
            if gap not in ("year", "month") or int(spec.get("gap_amount", 1)) != 1:
                raise SearchBackendError("Date facets are available by year or by month only.")
            date_fields[key] = (gap, spec)
        wanted = set(facet_fields) | {gap for gap, _ in date_fields.values()}

        with self.view() as view:
            restrict = None
            for nq in narrow_queries or ():
                parsed = self._parse(nq)
                if parsed is None:
                    continue
                docs = view.docs_for(parsed)
                restrict = docs if restrict is None else restrict & docs
            result = view.execute(
                q, restrict=restrict, sort=sort, offset=start_offset, limit=limit,
                facet_fields=sorted(wanted),
            )
            spelling = None
            if self.include_spelling and result.total == 0:
                from search.service import suggest_spelling

                spelling = suggest_spelling(spelling_query or query_string)

        facets_out = {}
        if facet_fields or date_fields:
            facets_out = {"fields": {}, "dates": {}, "queries": {}}
            for fname in facet_fields:
                facets_out["fields"][fname] = sorted(
                    result.facets.get(fname, {}).items(), key=lambda kv: (-kv[1], kv[0])
                )
            for key, (gap, spec) in date_fields.items():
                start, end = spec.get("start_date"), spec.get("end_date")
                buckets = []
                for value, count in sorted(result.facets.get(gap, {}).items()):
                    parts = [int(p) for p in value.split("-")]
                    when = datetime(parts[0], parts[1] if len(parts) > 1 else 1, 1)
                    if start and when < datetime(start.year, start.month, 1):
                        continue
                    if end and when > datetime(end.year, end.month, end.day):
                        continue
                    buckets.append((when, count))
                facets_out["dates"][key] = buckets

        result_class = result_class or SearchResult
        results = []
        highlights = {}
        if highlight and result.hits:
            from search.service import snippets_for

            highlights = snippets_for([pk for pk, _ in result.hits], query_string)
        for pk, score in result.hits:
            extra = {ID: f"archive.article.{pk}"}
            if highlight:
                extra["highlighted"] = {self.content_field_name: [highlights.get(pk, "")]}
            results.append(result_class("archive", "article", str(pk), score, **extra))
        return {
            "results": results,
            "hits": result.total,
            "facets": facets_out,
            "spelling_suggestion": spelling,
        }

    def more_like_this(
        self,
        model_instance,
        additional_query_string=None,
        start_offset=0,
        end_offset=None,
        models=None,
        limit_to_registered_models=None,
        result_class=None,
        **kwargs,
    ):
        from search.service import related_article_ids

        top = (end_offset or 10) - (start_offset or 0)
        ids = related_article_ids(model_instance.pk, n=max(top, 1))
        result_class = result_class or SearchResult
        return {
            "results": [result_class("archive", "article", str(pk), score) for pk, score in ids],
            "hits": len(ids),
        }

    def create_spelling_suggestion(self, query_string):
        from search.service import suggest_spelling

        return suggest_spelling(query_string)


class ArabicWhooshSearchQuery(WhooshSearchQuery):
    pass


class ArabicWhooshEngine(BaseEngine):
    backend = ArabicWhooshSearchBackend
    query = ArabicWhooshSearchQuery


def get_backend(using="default") -> ArabicWhooshSearchBackend:
    from haystack import connections

    backend = connections[using].get_backend()
    if not backend.setup_complete:
        backend.setup()
    return backend
