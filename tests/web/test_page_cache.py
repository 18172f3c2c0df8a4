"""Cached pages follow the data (archive.pagecache, archive.dataversion):
a page kept by one process shows an import, an admin edit or a hide made
by another process (or by itself) on its next load; the data version is
one number in the database that every process reads."""
import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive import dataversion
from archive.models import Article, Source

# A process serving pages: loads a page, says how many queries it took, then
# for each line read from stdin loads it again.
SERVER = r"""
import sys
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client()
for path in sys.stdin:
    with CaptureQueriesContext(connection) as queries:
        html = client.get(path.strip()).content.decode()
    print(len(queries), html.replace("\n", " "), flush=True)
"""


def _manage(data_dir, *args):
    env = dict(os.environ, ARCHIVE_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="config.settings",
               PAGE_CACHE="1")
    env.pop("DATABASE_URL", None)
    return subprocess.run([sys.executable, str(settings.BASE_DIR / "manage.py"), *args], env=env,
                          capture_output=True, text=True, timeout=300)


def _record(i, source_id, source):
    return {"id": f"PAGES-{source_id}-{i}", "title": f"خبر تجريبي رقم {i} عن {source}",
            "body": f"نص الخبر رقم {i} عن الاقتصاد والسياسة في المنطقة.\nفقرة ثانية.",
            "date": f"2019-04-{i + 1:02d}", "source": source, "source_id": source_id, "url": f"https://example.com/{source_id}/{i}"}


def _import(data_dir, tmp_path, source_id, source, n):
    path = tmp_path / f"{source_id}.jsonl"
    path.write_text("\n".join(json.dumps(_record(i, source_id, source), ensure_ascii=False) for i in range(n)) + "\n",
                    encoding="utf-8")
    done = _manage(data_dir, "import_articles", str(path), "--no-index", "--no-progress")
    assert done.returncode == 0, done.stderr


class PageServer:
    def __init__(self, data_dir):
        env = dict(os.environ, ARCHIVE_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="config.settings",
                   PAGE_CACHE="1", PYTHONPATH=str(settings.BASE_DIR))
        env.pop("DATABASE_URL", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "import django; django.setup()\n" + SERVER], cwd=settings.BASE_DIR,
            env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def get(self, path):
        self.proc.stdin.write(path + "\n")
        self.proc.stdin.flush()
        queries, html = self.proc.stdout.readline().split(" ", 1)
        return int(queries), html

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


@pytest.mark.slow
def test_a_page_cached_in_one_process_shows_changes_made_by_others(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    assert _manage(data_dir, "migrate", "--noinput", "-v0").returncode == 0
    _import(data_dir, tmp_path, "first", "صحيفة الأولى", 3)
    server = PageServer(data_dir)
    try:
        built, html = server.get("/sources/")
        assert "صحيفة الأولى" in html and "صحيفة الثانية" not in html
        again, html = server.get("/sources/")
        assert again < built  # kept: only the data version was read
        assert again == 1
        # an import in another process
        _import(data_dir, tmp_path, "second", "صحيفة الثانية", 2)
        _queries, html = server.get("/sources/")
        assert "صحيفة الأولى" in html and "صحيفة الثانية" in html
        _queries, home = server.get("/")
        assert "صحيفة الثانية" in home
        # an admin-style edit (a save) in another process
        renamed = _manage(data_dir, "shell", "-c",
                          "from archive.models import Source; s = Source.objects.get(name='صحيفة الثانية'); "
                          "s.name = 'صحيفة معدلة'; s.save()")
        assert renamed.returncode == 0, renamed.stderr
        _queries, html = server.get("/sources/")
        assert "صحيفة معدلة" in html and "صحيفة الثانية" not in html
        _queries, home = server.get("/")
        assert "صحيفة معدلة" in home
    finally:
        server.close()


@pytest.mark.django_db(transaction=True)
def test_the_data_version_is_shared_through_the_database():
    before = dataversion.current()[0]
    dataversion.changed()  # autocommit: bumped at once
    assert dataversion.current()[0] == before + 1
    with connection.cursor() as cursor:  # what any other connection reads
        cursor.execute("SELECT version FROM archive_dataversion WHERE id = 1")
        assert cursor.fetchone()[0] == before + 1
    Source.objects.create(slug="new", name="جديدة")
    assert dataversion.current()[0] == before + 2


@pytest.mark.django_db(transaction=True)
def test_one_bump_per_transaction_and_none_on_rollback():
    from django.db import transaction

    before = dataversion.current()[0]
    with transaction.atomic():
        for i in range(3):
            Source.objects.create(slug=f"s{i}", name=f"مصدر {i}")
        assert dataversion.current()[0] == before  # not before the commit
    assert dataversion.current()[0] == before + 1
    with pytest.raises(RuntimeError), transaction.atomic():
        Source.objects.create(slug="gone", name="ملغى")
        raise RuntimeError
    assert dataversion.current()[0] == before + 1


@pytest.mark.django_db
def test_hiding_in_the_admin_updates_the_cached_pages(admin_client, make_article):
    outlet = Source.objects.create(slug="outlet", name="المصدر")
    kept = make_article(title="يبقى", body="نص", source=outlet, published=dt.date(2016, 1, 5))
    hidden = make_article(title="يخفى", body="نص", source=outlet, published=dt.date(2016, 2, 5))
    page = admin_client.get(reverse("source_detail", args=["outlet"])).content.decode()
    assert "يخفى" in page
    with CaptureQueriesContext(connection) as queries:
        admin_client.get(reverse("home"))
    with CaptureQueriesContext(connection) as cached:
        home = admin_client.get(reverse("home")).content.decode()
    assert len(cached) < len(queries)
    assert "يخفى" in home
    changelist = reverse("admin:archive_article_changelist")
    done = admin_client.post(changelist, {"action": "hide", "_selected_action": [hidden.pk]})
    assert done.status_code == 302
    assert Article.objects.get(pk=hidden.pk).is_hidden
    home = admin_client.get(reverse("home")).content.decode()
    assert "يخفى" not in home and "يبقى" in home
    page = admin_client.get(reverse("source_detail", args=["outlet"])).content.decode()
    assert "يخفى" not in page and kept.title in page


def _one_article_and_counted_searches(module, search_index, make_article, monkeypatch) -> list:
    """One indexed article about «اقتصاد»; the queries ``module.run_search``
    answers are appended to the list returned (a kept answer adds none)."""
    make_article(title="اقتصاد الخليج", body="نص عن الاقتصاد في الخليج", published=dt.date(2017, 3, 1))
    search_index.build()
    calls = []
    real = module.run_search
    monkeypatch.setattr(module, "run_search", lambda params: calls.append(params.q) or real(params))
    return calls


@pytest.mark.django_db
def test_whole_pages_are_kept_per_path_and_digits_until_a_change(client, settings, search_index, make_article,
                                                                  monkeypatch):
    from search import views

    settings.PAGE_CACHE_HTML_MB = 16
    calls = _one_article_and_counted_searches(views, search_index, make_article, monkeypatch)
    url = reverse("search") + "?q=اقتصاد"
    first = client.get(url)
    again = client.get(url)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content and calls == ["اقتصاد"]  # the second came from the cache
    assert "Cookie" in again["Vary"]
    client.cookies["digits"] = "arab"
    arabic = client.get(url).content.decode()
    assert len(calls) == 2 and "١" in arabic  # another digit style is another page
    del client.cookies["digits"]
    client.get(reverse("search") + "?q=الخليج")
    assert len(calls) == 3
    make_article(title="اقتصاد مصر", body="نص آخر عن الاقتصاد", published=dt.date(2017, 4, 1))
    search_index.build()
    client.get(url)
    assert len(calls) == 4  # the data changed: built again


@pytest.mark.django_db
def test_an_article_without_its_related_articles_is_not_kept(client, settings, make_article, monkeypatch):
    from search import results

    settings.PAGE_CACHE_HTML_MB = 16
    article = make_article(title="خبر", body="نص", published=dt.date(2017, 3, 1))
    other = make_article(title="خبر آخر", body="نص", published=dt.date(2017, 3, 2))

    def broken(*_args, **_kwargs):
        raise RuntimeError("no index")

    monkeypatch.setattr(results, "related_articles", broken)
    assert "مقالات ذات صلة" not in client.get(article.get_absolute_url()).content.decode()
    monkeypatch.setattr(results, "related_articles", lambda article_id, n=5: [other.pk])
    assert "مقالات ذات صلة" in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_kept_page_answers_304_to_its_etag_until_it_changes(client, settings, make_article):
    settings.PAGE_CACHE_HTML_MB = 16
    outlet = Source.objects.create(slug="outlet", name="المصدر")
    make_article(title="خبر أول", body="نص", source=outlet, published=dt.date(2016, 1, 5))
    first = client.get(reverse("source_list"))
    etag = first["ETag"]
    assert etag
    again = client.get(reverse("source_list"), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag and not again.content
    assert client.get(reverse("source_list"), HTTP_IF_NONE_MATCH='"other"').status_code == 200
    make_article(title="خبر ثان", body="نص", source=outlet, published=dt.date(2016, 2, 5))
    changed = client.get(reverse("source_list"), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_api_answers_are_kept_until_the_data_changes(client, settings, search_index, make_article, monkeypatch):
    """A repeated API query is answered from the kept answer (and 304 to its
    ETag); an index commit (the data version) makes the next one search again."""
    from search import api

    settings.PAGE_CACHE_HTML_MB = 16
    calls = _one_article_and_counted_searches(api, search_index, make_article, monkeypatch)
    url = reverse("api_search") + "?q=اقتصاد"
    first = client.get(url)
    again = client.get(url)
    assert first.status_code == again.status_code == 200 and calls == ["اقتصاد"]
    assert again.json() == first.json() and first.json()["count"] == 1
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(reverse("api_search") + "?q=اقتصاد&date_from=2017-13-01").status_code == 400
    assert client.get(reverse("api_search") + "?q=اقتصاد&date_from=2017-13-01").status_code == 400
    make_article(title="اقتصاد مصر", body="نص آخر عن الاقتصاد", published=dt.date(2017, 4, 1))
    search_index.build()
    assert client.get(url).json()["count"] == 2 and calls == ["اقتصاد", "اقتصاد"]
