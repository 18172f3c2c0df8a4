"""Scale-out search on Elasticsearch 7/8 or OpenSearch (``ELASTICSEARCH_URL``).

- ``settings``: index settings and mappings (our Arabic chain), no Django;
- ``query``: the user's query and filters as a request body, no Django;
- ``aliases``: timestamped indices behind an alias, zero-downtime reindex;
- ``backend``: the haystack engine (``ArabicElasticsearchEngine``);
- ``engine``: ``execute``/``suggest_spelling``/``related_article_ids`` for
  ``search.service``.

``enabled()`` is cheap and imports no client library.
"""
from __future__ import annotations


def enabled(using: str = "default") -> bool:
    from .engine import enabled as _enabled

    return _enabled(using)


def execute(params, **kwargs):
    from .engine import execute as _execute

    return _execute(params, **kwargs)


def suggest_spelling(parsed):
    from .engine import suggest_spelling as _suggest

    return _suggest(parsed)


def related_article_ids(article_id, n=5):
    from .engine import related_article_ids as _related

    return _related(article_id, n)
