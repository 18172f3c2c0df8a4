"""haystack's Elasticsearch 7 backend with the Arabic chain (search.elastic.settings).

``ArabicElasticsearchEngine`` is selected by ``config/settings.py`` when
``ELASTICSEARCH_URL`` is set. Differences from the stock backend:

- the index is created with our analysis settings and mappings
  (``index_body()``), behind an alias (``search.elastic.aliases``), so
  ``manage.py es_reindex`` can rebuild it without downtime;
- documents drop ``text_exact`` (``text.exact`` indexes the same words) and
  send an undated article's ``day`` as missing (sorted last, outside every
  date range);
- ``clear()`` deletes the indices behind the alias (Elasticsearch refuses to
  delete an index through an alias);
- ``writer()``/``bulk_writer()``/``write_objects()`` give ``search.indexing``
  (the queue drainer, ``index_articles``) the small writer interface it uses
  with Whoosh: buffered index/delete actions sent in one bulk request on
  ``commit()``, nothing sent on ``cancel()``; a full rebuild there raises
  (``manage.py es_reindex`` rebuilds).
- connection option ``OPENSEARCH`` (``ELASTICSEARCH_OPENSEARCH=1``): skip the
  Python client's product check, which refuses OpenSearch (same 7.10 API).
"""
from __future__ import annotations

import logging
import warnings

from django.conf import settings
from haystack.backends import BaseEngine
from haystack.backends.elasticsearch7_backend import Elasticsearch7SearchBackend, Elasticsearch7SearchQuery
from haystack.constants import ID

from search.analysis import STOPWORDS, protected_words
from search.names import load_protected_names
from search.query.expansion import name_variant_groups

from . import aliases
from .settings import (
    DEFAULT_REFRESH_INTERVAL,
    DEFAULT_REPLICAS,
    DEFAULT_SHARDS,
    DROPPED_FIELDS,
    index_body,
    properties,
)

log = logging.getLogger(__name__)

# elasticsearch-py 7.16+ warns that ``body=`` will go in its 8.x API; the
# client is pinned to 7.17 (haystack's ES7 backend passes ``body=`` as well).
warnings.filterwarnings("ignore", message="The 'body' parameter is deprecated", category=DeprecationWarning)


def analysis_inputs() -> dict:
    """Protected names, curated spelling groups and stopwords, normalized, as
    the Whoosh side uses them (gazetteer, NameVariant, data/*.txt)."""
    load_protected_names()
    try:
        groups = name_variant_groups()
    except Exception:  # no table yet: no curated spellings
        groups = {}
        log.warning("name variants unavailable for the Elasticsearch synonyms", exc_info=True)
    return {
        "protected": sorted(protected_words()),
        "alias_groups": [sorted(g) for _, g in sorted(groups.items())],
        "stopwords": sorted(STOPWORDS),
    }


def index_options() -> dict:
    return {
        "shards": getattr(settings, "ELASTICSEARCH_SHARDS", DEFAULT_SHARDS),
        "replicas": getattr(settings, "ELASTICSEARCH_REPLICAS", DEFAULT_REPLICAS),
        "refresh_interval": getattr(settings, "ELASTICSEARCH_REFRESH_INTERVAL", DEFAULT_REFRESH_INTERVAL),
    }


MULTI_VALUED = ("countries", "mentioned", "topics", "people", "collections")  # comma-joined in Whoosh documents
REBUILD_MESSAGE = "rebuild the Elasticsearch index with `manage.py es_reindex`"


class BulkWriter:
    """Buffered bulk actions with the part of the Whoosh writers' API that
    ``search.indexing`` uses (``delete_by_term``, ``add_document`` with a
    Whoosh-shaped document, ``added``, ``commit``, ``cancel``). A whole-index
    rebuild (``commit(clear=True)`` / ``mergetype``) is ``es_reindex``'s job."""

    def __init__(self, backend):
        self.backend = backend
        self.actions = []
        self.added = 0

    def add(self, doc: dict):
        """Add an Elasticsearch document (``ArabicElasticsearchBackend.document``)."""
        doc = dict(doc)
        self.actions.append({"_op_type": "index", "_id": doc.pop("_id", doc.get(ID)), "_source": doc})
        self.added += 1

    def add_document(self, **fields):
        """Add a document as the Whoosh writers take it (``article_documents``)."""
        self.add(self.backend.from_whoosh_document(fields))

    def delete_by_term(self, fieldname, value):
        if fieldname != ID:
            raise ValueError(f"only deletes by {ID} are supported, not {fieldname}")
        self.actions.append({"_op_type": "delete", "_id": value})

    def commit(self, mergetype=None, clear=False, **_kwargs):
        if mergetype is not None or clear:
            self.actions = []
            raise NotImplementedError(REBUILD_MESSAGE)
        actions, self.actions = self.actions, []
        if actions:
            self.backend.bulk(actions)

    def cancel(self):
        self.actions = []


class ArabicElasticsearchBackend(Elasticsearch7SearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        if connection_options.get("OPENSEARCH"):
            # elasticsearch-py 7.14+ refuses servers that are not Elasticsearch;
            # OpenSearch speaks the same 7.10 API (see the README).
            self.conn.transport._verified_elasticsearch = True

    # schema -------------------------------------------------------------------------
    def build_schema(self, fields):
        content_field_name = ""
        types = {}
        for _, field in fields.items():
            types[field.index_fieldname] = field.field_type
            if field.document:
                content_field_name = field.index_fieldname
        return content_field_name, properties(types)

    def field_types(self) -> dict:
        from haystack import connections

        fields = connections[self.connection_alias].get_unified_index().all_searchfields()
        return {f.index_fieldname: f.field_type for f in fields.values()}

    def index_body(self) -> dict:
        return index_body(self.field_types(), **analysis_inputs(), **index_options())

    def setup(self):
        """Create the first index behind the alias when there is none yet.
        An existing index is never changed here: ``es_reindex`` does that."""
        from haystack import connections

        unified = connections[self.connection_alias].get_unified_index()
        self.content_field_name, mapping = self.build_schema(unified.all_searchfields())
        try:
            created = aliases.ensure_alias(self.conn, self.index_name, self.index_body())
            if created:
                log.info("created Elasticsearch index %s behind alias %s", created, self.index_name)
        except Exception:
            if not self.silently_fail:
                raise
            log.exception("Elasticsearch setup failed")
            return
        self.existing_mapping = {"properties": mapping}
        self.setup_complete = True

    def clear(self, models=None, commit=True):
        if models is not None:
            return super().clear(models=models, commit=commit)
        indices, _is_index = aliases.indices_behind(self.conn, self.index_name)
        for name in indices:
            self.conn.indices.delete(index=name, ignore=404)
        self.setup_complete = False
        self.existing_mapping = {}

    # documents ------------------------------------------------------------------------
    def _prepare_object(self, index, obj):
        data = index.full_prepare(obj)
        for name in DROPPED_FIELDS:
            data.pop(name, None)
        if data.get("day") == 0:
            data["day"] = None  # undated: missing, sorted last, outside date ranges
        return data

    def from_whoosh_document(self, fields: dict) -> dict:
        """The Elasticsearch document for a Whoosh-shaped one (comma-joined
        facet values, ``day`` 0 when undated, ``text_exact`` present)."""
        data = {}
        for key, value in fields.items():
            if key in DROPPED_FIELDS or value is None:
                continue
            if key in MULTI_VALUED and isinstance(value, str):
                value = [v for v in value.split(",") if v]
            data[key] = self._from_python(value)
        if data.get("day") == 0:
            data["day"] = None
        data["_id"] = data[ID]
        return data

    def document(self, index, obj) -> dict:
        """The JSON document of ``obj`` (with ``_id``), as ``update`` sends it."""
        data = {key: self._from_python(value) for key, value in self._prepare_object(index, obj).items()}
        data["_id"] = data[ID]
        return data

    def bulk(self, actions):
        from elasticsearch.helpers import bulk

        if not self.setup_complete:
            self.setup()
        bulk(self.conn, actions, index=self.index_name, ignore_status=(404,))
        self.conn.indices.refresh(index=self.index_name)

    # the writer interface of search.indexing ---------------------------------------------
    def writer(self, timeout=None, **_kwargs) -> BulkWriter:
        return BulkWriter(self)

    def bulk_writer(self, timeout=None, **_kwargs) -> BulkWriter:
        return BulkWriter(self)

    def write_objects(self, writer, search_index, objs):
        for obj in objs:
            writer.add(self.document(search_index, obj))


class ArabicElasticsearchQuery(Elasticsearch7SearchQuery):
    pass


class ArabicElasticsearchEngine(BaseEngine):
    backend = ArabicElasticsearchBackend
    query = ArabicElasticsearchQuery
