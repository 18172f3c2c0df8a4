"""check_index and the corrupt-index answer, on a real Whoosh index and DB."""
import json
import logging
import os
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from archive.models import Article, ArticleCountry, Country
from search.engine.shared import IndexUnavailable, reset_shared
from search.indexing import consistency
from search.models import IndexQueue
from search.service import parse_search_params, run_search


def found(q):
    return {h.id for h in run_search(parse_search_params({"q": q, "page_size": "100"})).hits}


def check(*args):
    """Run check_index --json; (exit code, parsed output)."""
    from io import StringIO

    out = StringIO()
    try:
        call_command("check_index", "--json", *args, stdout=out)
        code = 0
    except CommandError as exc:
        code = exc.returncode
    return code, json.loads(out.getvalue())


def corrupt_toc(path: Path):
    toc = sorted(path.glob("_MAIN_*.toc"))[-1]
    with open(toc, "r+b") as f:
        f.truncate(20)
    reset_shared()  # a new process would open the damaged files


@pytest.mark.django_db
def test_clean_index_reports_no_drift(search_seeded):
    report = consistency.compare()
    assert report.ok
    assert report.db_visible == report.indexed == Article.objects.count() == 5
    code, out = check()
    assert code == 0 and out["before"]["ok"] is True


@pytest.mark.django_db
def test_missing_article_found_and_fixed(search_seeded, make_article):
    article = make_article("خبر عن زمردستان", "نص عن زمردستان الجديدة")
    IndexQueue.objects.all().delete()  # the update was lost
    report = consistency.compare()
    assert report.missing == [article.pk] and not report.extra
    code, out = check()
    assert code == 1 and out["before"]["missing"] == [article.pk]
    assert found("زمردستان") == set()
    code, out = check("--fix")
    assert code == 0
    assert out["repair"]["action"] == "reindexed" and out["repair"]["queued"] == 0
    assert out["after"]["ok"] is True
    assert found("زمردستان") == {article.pk}


@pytest.mark.django_db
def test_repair_says_what_a_busy_index_left_queued(search_seeded, make_article, monkeypatch):
    """The lock is taken by someone else after the first segment: the rest is
    queued (nothing lost) and the repair says so instead of "reindexed"."""
    from whoosh.index import LockError

    from search import indexing
    from search.indexing import bulk as bulk_indexing

    made = [make_article(f"خبر {i} عن مرجانستان", "نص") for i in range(3)]
    IndexQueue.objects.all().delete()  # the updates were lost
    from functools import partial

    monkeypatch.setattr(bulk_indexing, "SEGMENT_DOCS", 1)  # a commit per article
    monkeypatch.setattr(bulk_indexing, "index_articles", partial(indexing.index_articles, batch_size=1))
    backend = indexing.get_backend()
    bulk_writer = backend.bulk_writer
    calls = []

    def busy_after_first(**kwargs):
        calls.append(kwargs)
        if len(calls) > 1:
            raise LockError("held by another writer")
        return bulk_writer(**kwargs)

    monkeypatch.setattr(backend, "bulk_writer", busy_after_first)
    result = consistency.repair(consistency.compare())
    assert (result.action, result.count, result.queued) == ("queued", 3, 2)
    assert len(found("مرجانستان")) == 1
    assert IndexQueue.objects.filter(article_id__in=[a.pk for a in made]).count() == 2
    monkeypatch.undo()
    search_seeded.drain()
    assert found("مرجانستان") == {a.pk for a in made}


@pytest.mark.django_db
def test_deleted_and_hidden_articles_are_extra_and_removed(search_seeded):
    first, second = Article.objects.order_by("pk")[:2]
    gone = first.pk
    first.delete()
    Article.objects.filter(pk=second.pk).update(is_hidden=True)  # no signal
    IndexQueue.objects.all().delete()
    report = consistency.compare()
    assert report.extra == sorted([gone, second.pk]) and not report.missing
    call_command("check_index", "--fix", stdout=open(os.devnull, "w"))
    after = consistency.compare()
    assert after.ok and after.indexed == 3


@pytest.mark.django_db
def test_outdated_facets_and_dates_are_detected(search_seeded):
    article = Article.objects.order_by("pk").first()
    country = Country.objects.exclude(pk__in=article.country_mentions.values("country_id")).first()
    ArticleCountry.objects.create(article=article, country=country, mentions=3)
    Article.objects.filter(pk=article.pk).update(published=date(1999, 1, 2))
    IndexQueue.objects.all().delete()
    report = consistency.compare()
    assert report.outdated == [article.pk]
    assert consistency.compare(deep=False).ok  # ids alone match
    result = consistency.repair(report)
    assert result.action == "reindexed"
    assert consistency.compare().ok


@pytest.mark.django_db
def test_unreadable_index_reported_and_rebuilt(search_seeded):
    corrupt_toc(Path(search_seeded.path))
    report = consistency.compare()
    assert report.unreadable and "rebuild_search_index" in report.unreadable
    code, out = check()
    assert code == 2 and out["before"]["unreadable"]
    code, out = check("--fix")
    assert code == 0 and out["repair"]["action"] == "rebuilt" and out["repair"]["count"] == 5
    assert out["after"]["indexed"] == 5


@pytest.mark.django_db
def test_rebuild_command_repairs_a_corrupt_index(search_seeded):
    corrupt_toc(Path(search_seeded.path))
    call_command("rebuild_search_index", stdout=open(os.devnull, "w"))
    assert consistency.compare().ok
    assert run_search(parse_search_params({})).count == 5


# --- the pages ---------------------------------------------------------------------

def _break_index(path: Path, how: str):
    if how == "truncated toc":
        corrupt_toc(path)
    elif how == "garbage toc":
        for toc in path.glob("_MAIN_*.toc"):
            toc.write_bytes(b"not an index" * 4)
        reset_shared()
    elif how == "segment file deleted":
        next(path.glob("MAIN_*.trm")).unlink()
        reset_shared()
    elif how == "toc deleted":
        for toc in path.glob("_MAIN_*.toc"):
            toc.unlink()
        reset_shared()


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["truncated toc", "garbage toc", "segment file deleted", "toc deleted"])
def test_broken_index_gives_503_page_and_json(client, search_seeded, caplog, how):
    _break_index(Path(search_seeded.path), how)
    with caplog.at_level(logging.ERROR, logger="search.unavailable"):
        page = client.get("/search/", {"q": "روسيا"})
        api = client.get("/api/search/", {"q": "روسيا"})
    assert page.status_code == 503
    text = page.content.decode()
    assert "البحث غير متاح مؤقتًا" in text and 'dir="rtl"' in text
    assert "Traceback" not in text and "IndexUnavailable" not in text
    assert page["Retry-After"]
    assert api.status_code == 503
    assert api.json()["error"].startswith("البحث غير متاح")
    assert "python manage.py rebuild_search_index" in caplog.text
    # Not silently replaced by an empty index: the files are still there.
    assert list(Path(search_seeded.path).glob("MAIN_*.pst"))


@pytest.mark.django_db
def test_page_recovers_after_rebuild(client, search_seeded):
    _break_index(Path(search_seeded.path), "truncated toc")
    assert client.get("/search/", {"q": "روسيا"}).status_code == 503
    call_command("rebuild_search_index", stdout=open(os.devnull, "w"))
    assert client.get("/search/", {"q": "روسيا"}).status_code == 200
    assert client.get("/api/search/").json()["count"] == 5


@pytest.mark.django_db
def test_missing_index_at_first_start_is_created_empty(client, search_index, seeded):
    assert not Path(search_index.path).exists()
    response = client.get("/api/search/")
    assert response.status_code == 200 and response.json()["count"] == 0
    assert consistency.compare().missing == sorted(Article.objects.values_list("pk", flat=True))


@pytest.mark.django_db
def test_open_raises_index_unavailable_not_whoosh_errors(search_seeded):
    from search.engine.adapter import get_backend

    corrupt_toc(Path(search_seeded.path))
    with pytest.raises(IndexUnavailable) as info:
        with get_backend().view():
            pass
    assert "rebuild_search_index" in str(info.value)


def test_database_error_in_a_view_gives_503(rf):
    from django.db import OperationalError

    from search.middleware import ServiceUnavailableMiddleware

    middleware = ServiceUnavailableMiddleware(lambda request: None)
    page = middleware.process_exception(rf.get("/articles/1/"), OperationalError("no such table"))
    api = middleware.process_exception(rf.get("/api/search/"), OperationalError("no such table"))
    assert page.status_code == 503 and "قاعدة البيانات" in page.content.decode()
    assert api.status_code == 503 and "قاعدة البيانات" in json.loads(api.content)["error"]
    assert middleware.process_exception(rf.get("/"), ValueError("other")) is None


@pytest.mark.django_db
def test_ensure_index_rebuilds_a_corrupt_index(search_seeded):
    """`make serve`/`make run` start with ensure_index: a corrupt index is rebuilt there."""
    _break_index(Path(search_seeded.path), "garbage toc")
    call_command("ensure_index", stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w"))
    assert consistency.compare().ok and consistency.compare().indexed == 5
