"""The article list's search box through the search engine.

``EngineSearchArticleAdmin`` replaces ``archive.admin.ArticleAdmin`` (the
archive app may not import the search service): its search box matches
titles and bodies with the public search's analysis (normalization,
clitics, name spellings), capped at ``ADMIN_SEARCH_LIMIT`` best matches,
plus the old database match on title and origin (hidden articles are not
in the index). The list filters (outlet, country, topic, hidden, date) are
applied before and keep working with it.

``engine_article_ids(text) -> (total, ids, error)`` is the plain function.
"""
from __future__ import annotations

from django.contrib import admin, messages

from archive.admin import ArticleAdmin
from archive.models import Article
from search.engine.shared import IndexUnavailable
from search.service import InvalidSearch, parse_search_params, ranked_ids

# Most engine matches the admin list takes (best first); the rest are counted.
ADMIN_SEARCH_LIMIT = 5000


def engine_article_ids(text: str, limit: int = ADMIN_SEARCH_LIMIT) -> tuple[int, list[int], str | None]:
    """(number of matches, ids of the best ``limit``, Arabic error or None)."""
    try:
        params = parse_search_params({"q": text, "sort": "relevance"})
    except InvalidSearch as exc:
        return 0, [], exc.message
    if params.parsed is None:
        return 0, [], None
    try:
        total, ids = ranked_ids(params, limit=limit, sort="relevance")
    except IndexUnavailable:
        return 0, [], "فهرس البحث غير متاح الآن: البحث في العناوين فقط."
    return total, ids, None


class EngineSearchArticleAdmin(ArticleAdmin):
    search_help_text = "يبحث في العنوان والنص كما يبحث الموقع (التطبيع والسوابق وتهجئات الأسماء)، وفي الأصل."

    def get_search_results(self, request, queryset, search_term):
        by_database, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        text = search_term.strip()
        if not text:
            return by_database, may_have_duplicates
        total, ids, error = engine_article_ids(text)
        if error:
            self.message_user(request, error, messages.WARNING)
        elif total > len(ids):
            self.message_user(
                request, f"طابق البحث {total} مقالًا؛ تُعرض أفضل {len(ids)} منها. ضيّق البحث بالمرشّحات.",
                messages.INFO,
            )
        return queryset.filter(pk__in=ids) | by_database, may_have_duplicates


admin.site.unregister(Article)
admin.site.register(Article, EngineSearchArticleAdmin)
