"""The bulk path: a large id list is indexed by Whoosh's two-process writer."""
import pytest

from search import indexing
from search.service import parse_search_params, run_search

pytestmark = pytest.mark.django_db


def _count(q, **params):
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    data["q"] = q
    for key, value in params.items():
        data[key] = value
    return run_search(parse_search_params(data)).count


def test_bulk_writer_indexes_everything_once(search_seeded, make_article, monkeypatch):
    monkeypatch.setattr(indexing, "BULK_THRESHOLD", 10)
    monkeypatch.setattr(indexing.os, "cpu_count", lambda: 2)
    backend = indexing.get_backend()
    writers = []
    real_writer = type(backend).writer

    def spy(self, timeout=None, **kwargs):
        writer = real_writer(self, timeout=timeout, **kwargs)
        writers.append((kwargs, type(writer).__name__))
        return writer

    monkeypatch.setattr(type(backend), "writer", spy)
    articles = [
        make_article(title=f"تقرير رقم {i} عن ميناء عدن", body=f"قالت السلطات في اليمن إن ميناء عدن استقبل سفينة {i}.",
                     countries=("YE",))
        for i in range(40)
    ]
    hidden = make_article(title="ميناء عدن مخفي", body="ميناء عدن", is_hidden=True)
    indexing.drain()  # the signals queued them; a drain may already have indexed some
    ids = [a.pk for a in articles] + [hidden.pk]
    assert indexing.index_articles(ids) == len(ids)
    assert writers[-1] == (indexing.BULK_WRITER, "MpWriter")
    assert _count("ميناء عدن") == 40
    assert _count("ميناء", country="YE") == 40
    assert indexing.index_doc_count() == 5 + 40
    # Indexing the same ids again replaces documents, never duplicates them.
    assert indexing.index_articles(ids) == len(ids)
    assert _count("ميناء عدن") == 40
    assert indexing.index_doc_count() == 5 + 40
