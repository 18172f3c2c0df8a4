"""Follow a search: ``/search/feed.atom`` (url name ``search_feed``).

An Atom feed (Django's syndication framework) of the ``FEED_SIZE`` newest
articles matching any search: same parameters as the search page (``sort``,
``page`` and ``page_size`` are ignored; the feed is always newest first).
Each entry: the article's title, its page here (link and id), the outlet as
author, the publication date, the topics as categories and a snippet with the
query words marked as the summary (``type="html"``, escaped by the feed
writer; titles are text). Bad parameters answer 400 with the Arabic message
as plain text.

``feed_url(params)`` is the feed's address for a search, used by the results
page for ``<link rel="alternate">`` and its visible link.
"""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_GET

from search.results import hydrate
from search.service import InvalidSearch, SearchParams, parse_search_params, ranked_ids

FEED_SIZE = 50
FEED_SORT = "newest"
SITE_NAME = "أرشيف الأخبار العربية"


def _pairs(params: SearchParams):
    return params.to_pairs(sort="", page="", page_size="")


def feed_url(params: SearchParams) -> str:
    """The feed's path for the search ``params`` (filters kept, paging dropped)."""
    pairs = _pairs(params)
    return reverse("search_feed") + ("?" + urlencode(pairs) if pairs else "")


def feed_title(params: SearchParams) -> str:
    return f"{SITE_NAME}: أحدث المقالات عن «{params.q}»" if params.q else f"{SITE_NAME}: أحدث المقالات"


def newest_hits(params: SearchParams, size: int | None = None):
    """The ``size`` (``FEED_SIZE``) newest matching articles as ``SearchHit``
    (snippets marked)."""
    _total, ids = ranked_ids(params, limit=FEED_SIZE if size is None else size, sort=FEED_SORT)
    terms = params.parsed.terms if params.parsed else frozenset()
    return hydrate([(pk, 0.0) for pk in ids], terms)


class SearchFeed(Feed):
    feed_type = Atom1Feed
    language = "ar"

    def get_object(self, request):
        return parse_search_params(request.GET)  # valid: search_feed checked it

    def title(self, params):
        return feed_title(params)

    def subtitle(self, params):
        return f"أحدث {FEED_SIZE} مقالاً تطابق هذا البحث، الأحدث أولاً."

    def link(self, params):
        pairs = _pairs(params)
        return reverse("search") + ("?" + urlencode(pairs) if pairs else "")

    def feed_url(self, params):
        return feed_url(params)

    def author_name(self, params):
        return SITE_NAME

    def items(self, params):
        return newest_hits(params)

    def item_title(self, hit):
        return hit.title

    def item_description(self, hit):
        return str(hit.snippet_html)

    def item_link(self, hit):
        return hit.url

    def item_author_name(self, hit):
        return hit.source.name if hit.source else None

    def item_pubdate(self, hit):
        if hit.published is None:
            return None
        return dt.datetime.combine(hit.published, dt.time(), tzinfo=dt.timezone.utc)

    item_updateddate = item_pubdate  # Atom wants <updated> on every dated entry

    def item_categories(self, hit):
        return [name for _slug, name in hit.topic_labels]


_feed = SearchFeed()


@require_GET
def search_feed(request):
    try:
        parse_search_params(request.GET)
    except InvalidSearch as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    return _feed(request)
