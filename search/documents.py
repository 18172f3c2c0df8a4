"""Index documents straight from database rows (the bulk indexing path).

``article_documents(ids)`` builds, from three ``values_list`` queries and
without model instances or haystack's per-object ``full_prepare``, the same
documents that ``prepare_document(ArticleIndex(), article)`` returns
(tests/engine/test_bulk_indexing.py checks that both are equal);
``article_text(article)`` is the text both index.
"""
from __future__ import annotations

from archive.models import Article, ArticleCountry, ArticlePerson, Collection
from search.schema import day_fields, identifier


def article_text(article) -> str:
    return f"{article.title}\n{article.body}"


def outlet_collections() -> dict:
    """{source id: sorted collection slugs} (the ``collections`` index field)."""
    found: dict[int, list] = {}
    for source_id, slug in Collection.sources.through.objects.values_list("source_id", "collection__slug"):
        found.setdefault(source_id, []).append(slug)
    return {source_id: sorted(slugs) for source_id, slugs in found.items()}


def article_documents(ids) -> dict:
    """article id -> Whoosh document, for the visible articles among ``ids``
    (hidden or missing ids are absent). Equal to
    ``backend.prepare_document(ArticleIndex(), article)`` for each article."""
    ids = list(ids)
    rows = (
        Article.objects.filter(pk__in=ids, is_hidden=False)
        .values_list("pk", "title", "body", "published", "source__slug", "source__country_id", "source_id")
    )
    people: dict[int, set] = {}
    for article_id, slug in ArticlePerson.objects.filter(article_id__in=ids).values_list(
            "article_id", "person__slug"):
        people.setdefault(article_id, set()).add(slug)
    collections = outlet_collections()
    countries: dict[int, set] = {}  # about
    mentioned: dict[int, set] = {}
    for article_id, code, is_about in ArticleCountry.objects.filter(article_id__in=ids).values_list(
            "article_id", "country_id", "is_about"):
        mentioned.setdefault(article_id, set()).add(code)
        if is_about:
            countries.setdefault(article_id, set()).add(code)
    topics: dict[int, set] = {}
    through = Article.topics.through
    for article_id, slug in through.objects.filter(article_id__in=ids).values_list(
            "article_id", "topic__slug"):
        topics.setdefault(article_id, set()).add(slug)
    docs = {}
    for pk, title, body, published, source_slug, outlet_country, source_id in rows:
        text = f"{title}\n{body}"
        when, day, year, month = day_fields(published)
        doc = {
            "id": identifier(pk),
            "django_ct": "archive.article",
            "django_id": str(pk),
            "text": text,
            "text_exact": text,
            "title": title,
            "countries": ",".join(sorted(countries.get(pk, ()))),
            "mentioned": ",".join(sorted(mentioned.get(pk, ()))),
            "topics": ",".join(sorted(topics.get(pk, ()))),
            "day": day,
            "article_id": pk,
            "people": ",".join(sorted(people.get(pk, ()))),
            "collections": ",".join(collections.get(source_id, ())),
        }
        if outlet_country is not None:
            doc["outlet_country"] = outlet_country
        if source_slug is not None:
            doc["source"] = source_slug
        if when is not None:
            doc["published"] = when
            doc["year"] = year
            doc["month"] = month
        docs[pk] = doc
    return docs
