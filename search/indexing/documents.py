"""Documents for the index from the database: the backend, the haystack
index of ``Article``, and ``write_docs`` (the current state of some ids into
a bulk writer: visible articles added, others removed)."""
from __future__ import annotations

from haystack.constants import ID

from archive.models import Article
from search.documents import article_documents
from search.engine.adapter import get_backend  # noqa: F401  (the indexing package's backend)
from search.schema import identifier


def search_index():
    from haystack import connections

    return connections["default"].get_unified_index().get_index(Article)


def write_docs(writer, ids, *, replace=True) -> int:
    """Write the current state of ``ids`` (visible: add, else remove) into a
    bulk writer. Returns the number of documents added."""
    docs = article_documents(ids)
    for pk in ids:
        if replace:
            writer.delete_by_term(ID, identifier(pk))
        doc = docs.get(pk)
        if doc is not None:
            writer.add_document(**doc)
    return len(docs)


def index_doc_count() -> int:
    backend = get_backend()
    with backend.view() as view:
        return len(view.live)
