"""The collector against a local web server: feeds, sitemaps and outlet pages
built from corpus articles, served from 127.0.0.1 (no internet)."""
import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from archive.collect.fetch import Fetcher
from archive.collect.measure import overlap
from archive.collect.runner import Collector
from archive.models import Article, ArticleRevision, CollectedPage, Feed, Source
from tests.fixtures_collect import rss, sitemap

pytestmark = [pytest.mark.django_db, pytest.mark.corpus]


def fetcher(**kwargs):
    return Fetcher(**{"delay": 0.0, "retries": 0, "backoff": 0.01, "timeout": 5.0, **kwargs})


def publish(web, pages, feed_path="/rss.xml"):
    for page in pages:
        web.put(urlsplit(page.url).path, page.html)
    web.put(feed_path, rss([(p.url, p.title) for p in pages]), "application/rss+xml")
    web.put("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")


def outlet(web, path="/rss.xml", kind=Feed.KIND_FEED):
    source = Source.objects.create(name="أخبار اليوم", slug="akhbar-alyawm", homepage=web.base)
    return Feed.objects.create(source=source, url=web.url(path), kind=kind)


def words_score(reference, found):
    common, ref_total, found_total = overlap(reference, found)
    return common / ref_total, common / found_total


def test_collect_stores_the_articles_of_a_feed_with_text_date_and_outlet(web, corpus_pages):
    pages = corpus_pages(6, web.base)
    publish(web, pages)
    feed = outlet(web)
    summary = Collector(fetcher()).run()
    assert (summary.found, summary.new, summary.failed) == (6, 6, 0), summary.problems
    for page in pages:
        article = Article.objects.get(url=page.url)
        assert article.title == page.title
        assert article.published == page.published
        assert article.source == feed.source
        assert article.author == page.author
        recall, precision = words_score(page.body, article.body)
        assert recall >= 0.95 and precision >= 0.95, (page.origin, recall, precision)
        for furniture in ("عاجل:", "شارك على فيسبوك", "التعليقات", "جميع الحقوق محفوظة", "اقرأ أيضا"):
            assert furniture not in article.body
    feed.refresh_from_db()
    assert (feed.last_found, feed.last_new, feed.last_failed, feed.last_error) == (6, 6, 0, "")
    assert feed.last_collected is not None
    agents = {headers.get("User-Agent") for _, headers in web.requests}
    assert agents == {Fetcher().user_agent}


def test_collecting_twice_adds_nothing_and_asks_conditionally(web, corpus_pages):
    pages = corpus_pages(4, web.base)
    publish(web, pages)
    outlet(web)
    Collector(fetcher()).run()
    count = Article.objects.count()
    web.requests.clear()
    summary = Collector(fetcher()).run(list(Feed.objects.all()))
    assert Article.objects.count() == count
    assert (summary.new, summary.updated, summary.failed) == (0, 0, 0)
    # The unchanged feed answers 304: its pages are not even asked for.
    feed_headers = [h for p, h in web.requests if p == "/rss.xml"]
    assert feed_headers and "If-None-Match" in feed_headers[0]
    assert not [p for p in web.paths_requested() if p.startswith("/news/")]


def test_a_changed_page_updates_its_article_and_keeps_the_earlier_text(web, corpus_pages):
    pages = corpus_pages(3, web.base)
    publish(web, pages)
    outlet(web)
    Collector(fetcher()).run()
    page = pages[0]
    before = Article.objects.get(url=page.url)
    old_body = before.body
    addition = "وأضاف المتحدث في تصريح لاحق أن التحقيق ما زال مستمرا حتى الآن."
    web.put(urlsplit(page.url).path, page.html.replace('<div class="article-body">',
                                                       f'<div class="article-body"><p>{addition}</p>'))
    web.put("/rss.xml", rss([(p.url, p.title) for p in pages] + [(page.url + "?utm_source=x", page.title)]),
            "application/rss+xml")  # the feed changed too; a tracking link is the same page
    summary = Collector(fetcher(), recheck=dt.timedelta(0)).run(list(Feed.objects.all()))
    assert (summary.new, summary.updated) == (0, 1), summary.problems
    after = Article.objects.get(pk=before.pk)
    assert addition in after.body
    revision = ArticleRevision.objects.get(article=after)
    assert revision.body == old_body
    assert Article.objects.count() == 3


def test_hostile_and_broken_responses_are_recorded_and_never_block_the_others(web, corpus_pages):
    pages = corpus_pages(3, web.base)
    good, hostile = pages[0], pages[1]
    web.put(urlsplit(good.url).path, good.html)
    payload = ('<script>alert("x")</script><iframe src="javascript:alert(2)"></iframe>'
               '<p><a href="javascript:alert(3)">اضغط هنا</a> <img src=x onerror="alert(4)"></p>')
    web.put(urlsplit(hostile.url).path, hostile.html.replace('<div class="article-body">',
                                                             f'<div class="article-body">{payload}'))
    web.put("/loop-a", b"", status=302, headers={"Location": "/loop-b"})
    web.put("/loop-b", b"", status=302, headers={"Location": "/loop-a"})
    web.put("/huge.html", b"<html><body><p>" + "كلمة ".encode() * 400_000 + b"</p></body></html>")
    web.put("/image.html", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, content_type="image/png")
    web.put("/broken.html", bytes(range(128, 256)) * 200, content_type="text/html")
    web.put("/error.html", b"oops", status=500, content_type="text/plain")
    web.put("/private/secret.html", good.html)
    web.put("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
    links = [hostile.url, web.url("/loop-a"), web.url("/huge.html"), web.url("/image.html"),
             web.url("/broken.html"), web.url("/error.html"), web.url("/private/secret.html"), good.url]
    web.put("/rss.xml", rss([(u, "عنوان") for u in links]), "application/rss+xml")
    outlet(web)
    summary = Collector(fetcher(max_bytes=1_000_000, retries=1)).run()
    assert (summary.new, summary.failed) == (2, 6), summary.problems
    messages = {p.url.rsplit("/", 1)[-1]: p.message for p in CollectedPage.objects.filter(status="failed")}
    assert "redirect loop" in messages["loop-a"]
    assert "too large" in messages["huge.html"]
    assert "not a web page" in messages["image.html"]
    assert "encoding" in messages["broken.html"] or "no article text" in messages["broken.html"]
    assert "HTTP 500" in messages["error.html"]
    assert "robots.txt" in messages["secret.html"]
    assert "/private/secret.html" not in web.paths_requested()
    assert web.paths_requested().count("/error.html") == 2  # one retry
    article = Article.objects.get(url=hostile.url)
    for text in (article.title, article.body, article.raw_text):
        assert "<" not in text and "javascript:" not in text and "alert(" not in text
    recall, precision = words_score(hostile.body, article.body)
    assert recall >= 0.95 and precision >= 0.95


def test_a_failing_feed_is_recorded_retried_later_and_does_not_stop_another(web, corpus_pages):
    pages = corpus_pages(2, web.base)
    publish(web, pages)
    good = outlet(web)
    bad = Feed.objects.create(source=good.source, url=web.url("/gone.xml"))
    not_a_feed = Feed.objects.create(source=good.source, url=web.url("/robots.txt"))
    summary = Collector(fetcher()).run()
    assert summary.new == 2 and summary.feed_errors == 2
    bad.refresh_from_db()
    not_a_feed.refresh_from_db()
    assert "HTTP 404" in bad.last_error and bad.failures == 1
    assert not_a_feed.last_error
    from archive.collect.runner import due_feeds

    assert bad not in due_feeds()  # waits (interval x 2) before the retry


def test_sitemap_feed(web, corpus_pages):
    pages = corpus_pages(3, web.base)
    publish(web, pages)
    web.put("/sitemap.xml", sitemap([p.url for p in pages]), "application/xml")
    outlet(web, "/sitemap.xml", Feed.KIND_SITEMAP)
    summary = Collector(fetcher()).run()
    assert (summary.found, summary.new) == (3, 3), summary.problems


def test_one_request_per_host_at_a_time_with_a_delay(web, corpus_pages):
    pages = corpus_pages(3, web.base)
    publish(web, pages)
    outlet(web)
    Collector(fetcher(delay=0.15)).run()
    assert len(web.times) == 5  # robots.txt, the feed, 3 pages
    gaps = [b - a for a, b in zip(web.times, web.times[1:], strict=False)]
    assert min(gaps) >= 0.14, gaps


def test_collect_command_makes_the_new_articles_searchable(web, corpus_pages, search_index):
    from search.service import parse_search_params, run_search

    pages = corpus_pages(3, web.base)
    publish(web, pages)
    outlet(web)
    call_command("collect", "--delay", "0", "--retries", "0", verbosity=0)
    article = Article.objects.get(url=pages[0].url)
    title_word = max(article.title.split(), key=len)
    hits = run_search(parse_search_params({"q": title_word, "page_size": "100"})).hits
    assert article.pk in {h.id for h in hits}
    call_command("collect", "--all", "--delay", "0", verbosity=0)
    assert Article.objects.count() == 3


def test_admin_shows_feeds_with_last_collection_counts_and_error(web, corpus_pages, admin_client):
    from django.urls import reverse

    pages = corpus_pages(2, web.base)
    publish(web, pages)
    feed = outlet(web)
    broken = Feed.objects.create(source=feed.source, url=web.url("/gone.xml"))
    Collector(fetcher()).run()
    listing = admin_client.get(reverse("admin:archive_feed_changelist")).content.decode()
    assert "وُجد 2 · جديد 2" in listing and "HTTP 404" in listing
    source_page = admin_client.get(reverse("admin:archive_source_change", args=[feed.source.pk])).content.decode()
    assert feed.url in source_page and broken.url in source_page and "وُجد 2 · جديد 2" in source_page
    pages_list = admin_client.get(reverse("admin:archive_collectedpage_changelist")).content.decode()
    assert pages[0].url in pages_list
    response = admin_client.post(reverse("admin:archive_feed_changelist"),
                                 {"action": "collect_next_run", "_selected_action": [feed.pk]})
    assert response.status_code == 302
    feed.refresh_from_db()
    assert feed.last_collected is None
    article = Article.objects.get(url=pages[0].url)
    assert admin_client.get(reverse("admin:archive_article_change", args=[article.pk])).status_code == 200


def test_collect_loop_runs_passes_until_stopped(web, corpus_pages, monkeypatch):
    from search.management.commands import collect as command

    pages = corpus_pages(2, web.base)
    publish(web, pages)
    outlet(web)
    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(command.time, "sleep", sleep)
    # Between passes the worker drops stale connections; the test's
    # connection holds the test transaction.
    monkeypatch.setattr(command, "close_old_connections", lambda: None)
    from io import StringIO

    out = StringIO()
    err = StringIO()
    call_command("collect", "--loop", "--interval", "7", "--delay", "0", "--no-index", stdout=out, stderr=err)
    assert not err.getvalue()
    lines = [line for line in out.getvalue().splitlines() if line.startswith("collected:")]
    assert len(lines) == 2 and "new 2" in lines[0] and "feeds 0" in lines[1]  # not due again yet
    assert sleeps == [7.0, 7.0]
    assert Article.objects.count() == 2


def test_stored_pages_are_asked_again_only_after_the_recheck_interval(web, corpus_pages):
    pages = corpus_pages(2, web.base)
    publish(web, pages)
    outlet(web)
    Collector(fetcher()).run()
    web.put("/rss.xml", rss([(p.url, p.title + " ") for p in pages]), "application/rss+xml")  # feed changed
    web.requests.clear()
    Collector(fetcher()).run(list(Feed.objects.all()))
    assert not [p for p in web.paths_requested() if p.startswith("/news/")]
    web.put("/rss.xml", rss([(p.url, p.title + " .") for p in pages]), "application/rss+xml")
    web.requests.clear()
    summary = Collector(fetcher(), recheck=dt.timedelta(0)).run(list(Feed.objects.all()))
    asked = [h for p, h in web.requests if p.startswith("/news/")]
    assert len(asked) == 2 and all("If-None-Match" in h for h in asked)
    assert (summary.unchanged, summary.new, summary.updated) == (2, 0, 0)


def test_sitemap_index_leads_to_its_child_sitemaps(web, corpus_pages):
    pages = corpus_pages(4, web.base)
    publish(web, pages)
    web.put("/sitemap-1.xml", sitemap([p.url for p in pages[:2]]), "application/xml")
    web.put("/sitemap-2.xml", sitemap([p.url for p in pages[2:]]), "application/xml")
    web.put("/sitemap.xml", '<?xml version="1.0" encoding="UTF-8"?>'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f'<sitemap><loc>{web.url("/sitemap-1.xml")}</loc></sitemap>'
            f'<sitemap><loc>{web.url("/sitemap-2.xml")}</loc></sitemap></sitemapindex>', "application/xml")
    outlet(web, "/sitemap.xml", Feed.KIND_SITEMAP)
    summary = Collector(fetcher()).run()
    assert (summary.found, summary.new, summary.failed) == (4, 4, 0), summary.problems
