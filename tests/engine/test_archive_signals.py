"""The archive's own helpers after the split from search: ``articles_changed``
queues ids in the sender's transaction (through ``search.indexing.receivers``),
``archive.batching.chunked``, ``archive.formatting`` month labels."""
import pytest
from django.db import transaction

from archive.batching import chunked
from archive.formatting import month_label, month_name
from archive.models import Article
from archive.signals import articles_changed
from search.indexing import queue
from search.models import IndexQueue


def test_chunked_slices_sequences_and_consumes_iterables():
    assert list(chunked([1, 2, 3, 4, 5], 2)) == [[1, 2], [3, 4], [5]]
    assert list(chunked((1, 2, 3), 2)) == [(1, 2), (3,)]
    assert list(chunked((i for i in range(5)), 2)) == [[0, 1], [2, 3], [4]]
    assert list(chunked([], 3)) == []
    with pytest.raises(ValueError):
        list(chunked([1], 0))


def test_month_label_and_name():
    assert month_label("2022-07") == "يوليو 2022"
    assert month_label("2022-13") == "2022-13"
    assert month_label("none") == "none"
    assert month_name(1) == "يناير" and month_name("12") == "ديسمبر"


@pytest.mark.django_db
def test_articles_changed_queues_in_the_senders_transaction(make_article, django_capture_on_commit_callbacks):
    article = make_article("مقال للإشارة", "نص")
    IndexQueue.objects.all().delete()

    with pytest.raises(RuntimeError):
        with transaction.atomic():
            articles_changed.send(sender=Article, ids=[article.pk, article.pk])
            assert list(IndexQueue.objects.values_list("article_id", flat=True)) == [article.pk]
            raise RuntimeError("rolled back")
    assert not IndexQueue.objects.exists()  # rolled back with the sender's change

    with django_capture_on_commit_callbacks() as callbacks:
        articles_changed.send(sender=Article, ids=[article.pk])
    assert IndexQueue.objects.filter(article_id=article.pk).count() == 1
    assert callbacks == [queue.wake_drainer]  # the drainer is woken after commit

    with django_capture_on_commit_callbacks() as callbacks:
        articles_changed.send(sender=Article, ids=[article.pk], wake=False)  # as the import sends it
    assert IndexQueue.objects.filter(article_id=article.pk).count() == 2
    assert callbacks == []
