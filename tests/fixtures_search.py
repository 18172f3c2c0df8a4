"""Search fixtures: a real Whoosh index in tmp_path.

- ``search_index``: points haystack's default connection at a fresh index
  directory, resets the long-lived searcher and the drainer thread (before
  and after), and returns a helper with ``build()`` (rebuild from the DB),
  ``drain()`` and ``path``.
- ``search_seeded``: the five seeds imported and indexed.
"""
import copy

import pytest


class SearchIndexHelper:
    def __init__(self, path):
        self.path = path

    def build(self):
        from search.indexing import rebuild

        return rebuild()

    def drain(self):
        from search.indexing import drain

        return drain(timeout=5.0)

    def backend(self):
        from search.engine.adapter import get_backend

        return get_backend()

    def doc_count(self):
        from search.indexing import index_doc_count

        return index_doc_count()


def _reset_search_state():
    from haystack import connections

    from search.engine.shared import reset_shared
    from search.indexing import stop_drainer

    stop_drainer()
    reset_shared()
    connections.reload("default")


@pytest.fixture
def search_index(tmp_path, settings):
    from haystack import connections

    path = tmp_path / "whoosh_index"
    original = connections.connections_info
    info = copy.deepcopy(original)
    info["default"]["PATH"] = str(path)
    info["default"]["LOCK_TIMEOUT"] = 5.0
    settings.HAYSTACK_CONNECTIONS = info
    connections.connections_info = info
    _reset_search_state()
    try:
        yield SearchIndexHelper(path)
    finally:
        connections.connections_info = original
        _reset_search_state()


@pytest.fixture
def search_seeded(seeded, search_index):
    """Seeds imported and indexed; returns the SearchIndexHelper."""
    search_index.build()
    return search_index


@pytest.fixture
def make_article(db):
    """Create an article directly (signals fire; call build()/drain() to index).

    make_article(title=..., body=..., source=None, published=None,
                 countries=("RU",), topics=("slug",), is_hidden=False, mentioned=("US",))
    (``countries``: about, and mentioned; ``mentioned``: named only)
    """
    import hashlib
    import itertools

    from archive.models import Article, ArticleCountry, Topic

    counter = itertools.count(1)

    def make(title="عنوان", body="نص", *, source=None, published=None, countries=(), topics=(),
             is_hidden=False, mentioned=(), **extra):
        n = next(counter)
        digest = hashlib.sha1(f"{title}{body}{n}".encode()).hexdigest()
        article = Article.objects.create(
            title=title, body=body, raw_text=f"{title}\n{body}", raw_checksum=digest,
            origin=f"test-{digest[:12]}-{n}", fingerprint=digest, source=source,
            published=published, is_hidden=is_hidden, **extra,
        )
        for code in countries:  # the countries the article is about
            ArticleCountry.objects.create(article=article, country_id=code, mentions=1, is_about=True)
        for code in mentioned:  # only named in it
            ArticleCountry.objects.create(article=article, country_id=code, mentions=1)
        for slug in topics:
            article.topics.add(Topic.objects.get(slug=slug))
        return article

    return make
