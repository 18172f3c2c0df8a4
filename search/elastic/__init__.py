"""Scale-out search on Elasticsearch 7/8 or OpenSearch (``ELASTICSEARCH_URL``).

- ``settings``: index settings and mappings (our Arabic chain), no Django;
- ``query``: the user's query and filters as a request body, no Django;
- ``aliases``: timestamped indices behind an alias, zero-downtime reindex;
- ``backend``: the haystack engine (``ArabicElasticsearchEngine``);
- ``engine``: ``execute``/``suggest_spelling``/``related_article_ids``, the
  engine interface of ``search.engines`` (the twin of ``search.engine``).

``enabled()`` is cheap and imports no client library.
"""
from __future__ import annotations


def enabled(using: str = "default") -> bool:
    from .engine import enabled as _enabled

    return _enabled(using)
