"""The haystack glue of the built-in engine (``ArabicWhooshEngine``).

What differs from haystack's stock ``whoosh_backend``:

- the schema is ``search.schema.build_schema`` (Arabic analyzers, facet terms,
  sortable ints, only ids stored);
- one long-lived searcher per process and index folder
  (``search.engine.shared.SharedIndex``) and its ``IndexView``: searches are
  exhaustive (true top-k, exact counts) over cached numpy arrays;
- writes never use ``AsyncWriter`` (which hides a busy lock in a thread);
  ``writer(timeout)`` raises ``LockError``, ``bulk_writer`` is the faster
  ``search.engine.bulkwrite.SegmentedWriter``; haystack's SILENTLY_FAIL is
  honoured (the project sets it to False);
- highlighting (haystack ``highlight=True``) goes through the Arabic analyzer
  (``search.highlight``), spelling through ``search.engine.suggest``,
  ``more_like_this`` through ``search.engine.related``.

``get_backend(using)`` returns the set-up backend.
"""
from __future__ import annotations

import os
import warnings
from datetime import datetime

from django.utils.encoding import force_str
from haystack import connections
from haystack.backends import BaseEngine, log_query
from haystack.backends.whoosh_backend import WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import ID
from haystack.exceptions import SearchBackendError, SkipDocument
from haystack.models import SearchResult
from haystack.utils import get_identifier
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.qparser import QueryParser
from whoosh.writing import CLEAR

from search.engine.bulkwrite import SegmentedWriter
from search.engine.related import related_in_view, source_text
from search.engine.shared import shared_index
from search.engine.suggest import suggest_text
from search.highlight import highlight_terms, snippets_for
from search.schema import DAY_FIELD, build_schema, identifier, to_whoosh_value

DEFAULT_LOCK_TIMEOUT = 60.0  # seconds a writer waits for the index lock (connection LOCK_TIMEOUT)


class ArabicWhooshSearchBackend(WhooshSearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        if not self.use_file_storage:
            raise SearchBackendError("ArabicWhooshEngine supports file storage only.")
        self.path = os.path.abspath(self.path)
        self.lock_timeout = float(connection_options.get("LOCK_TIMEOUT", DEFAULT_LOCK_TIMEOUT))

    def _timeout(self, timeout):
        """The writer lock timeout: ``timeout``, else the connection's."""
        return self.lock_timeout if timeout is None else timeout
        self.shared = None

    def setup(self):
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
        kwargs.setdefault("compound", False)
        return self.index.writer(timeout=self._timeout(timeout), delay=0.05, **kwargs)

    def bulk_writer(self, timeout=None, *, segment_docs, staged=False):
        """A ``search.engine.bulkwrite.SegmentedWriter`` (bulk indexing: the same
        segments as ``writer()`` writes, faster; a new segment every
        ``segment_docs`` documents). Raises LockError like ``writer()``
        (``staged``: segments built without the lock, which only ``commit()``
        takes; several processes can index at once)."""
        return SegmentedWriter(self.index, segment_docs=segment_docs, staged=staged,
                               timeout=self._timeout(timeout), delay=0.05)

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
                spelling = suggest_text(view, spelling_query or query_string)
            highlights = {}
            if highlight and result.hits:
                terms = highlight_terms(query_string, doc_frequency=view.exact_df, vocabulary=view.vocabulary)
                highlights = snippets_for([pk for pk, _ in result.hits], terms)

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
        for pk, score in result.hits:
            extra = {ID: identifier(pk)}
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
        top = (end_offset or 10) - (start_offset or 0)
        text = source_text(model_instance.pk)
        ids = []
        if text is not None:
            with self.view() as view:
                ids = related_in_view(view, model_instance.pk, text, n=max(top, 1))
        result_class = result_class or SearchResult
        return {
            "results": [result_class("archive", "article", str(pk), score) for pk, score in ids],
            "hits": len(ids),
        }

    def create_spelling_suggestion(self, query_string):
        if not self.setup_complete:
            self.setup()
        with self.view() as view:
            return suggest_text(view, query_string)


class ArabicWhooshSearchQuery(WhooshSearchQuery):
    pass


class ArabicWhooshEngine(BaseEngine):
    backend = ArabicWhooshSearchBackend
    query = ArabicWhooshSearchQuery


def get_backend(using="default") -> ArabicWhooshSearchBackend:
    backend = connections[using].get_backend()
    if not backend.setup_complete:
        backend.setup()
    return backend
