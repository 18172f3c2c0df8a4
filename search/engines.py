"""The engine interface: ``current()`` returns the engine module in use.

Both engines implement the same functions with the same signatures:

- ``execute(params, *, offset=0, limit=20, sort=None, facets=False)`` →
  ``EngineResult`` (total, [(article_id, score)], {field: {value: count}});
- ``suggest_spelling(parsed)`` → a corrected query text or None;
- ``related_article_ids(article_id, n=5)`` → [(id, score)];
- ``query_vocabulary()``: context manager giving (doc_frequency, vocabulary)
  for ``search.query.parse_query`` ((None, None) where there is none).

The built-in Whoosh engine is ``search.engine.searcher``; with
``ELASTICSEARCH_URL`` set it is ``search.elastic.engine``.
"""
from __future__ import annotations

from search.elastic import engine as elastic_engine
from search.engine import searcher as whoosh_engine
from search.engine.result import EngineResult

__all__ = ["EngineResult", "current"]


def current(using: str = "default"):
    """The engine module of haystack connection ``using``."""
    return elastic_engine if elastic_engine.enabled(using) else whoosh_engine
