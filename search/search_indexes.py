"""The haystack index of articles.

Field types are mapped to Whoosh fields by ``search.backend.build_schema``:

- ``text``/``title``: Arabic analyzer (normalize, stopwords, light stem);
- ``text_exact``: the same text through the exact analyzer (no stem, no
  stopwords) for exact-wording boosts and spelling suggestions;
- ``source``/``year``/``month``: unanalyzed ID terms (one bucket per value);
- ``countries``/``topics``: comma-separated KEYWORD terms;
- ``published``: DATETIME (haystack ordering); ``day``: sortable int
  ``YYYYMMDD`` (0 when unknown) for date sort and date ranges.

Hidden articles are not indexed (``index_queryset``), and the backend removes
a hidden article passed to ``update``.

``article_documents(ids)`` builds the same documents (the dicts
``backend.prepare_document`` returns) from three ``values_list`` queries,
without model instances or haystack's per-object ``full_prepare``: the bulk
indexing path (``search.indexing``). tests/test_bulk_indexing.py checks that
both give equal documents.
"""
from datetime import datetime

from haystack import indexes

from archive.models import Article, ArticleCountry


def identifier(article_id) -> str:
    """An article's unique ``id`` in the index (haystack's ``get_identifier``)."""
    return f"archive.article.{article_id}"


def article_id_of(identifier_text: str) -> int:
    """The article id in an ``identifier``."""
    return int(identifier_text.rsplit(".", 1)[1])


class ArabicTextField(indexes.CharField):
    field_type = "arabic_text"


class ArabicExactField(indexes.CharField):
    field_type = "arabic_exact"


class FacetIdField(indexes.CharField):
    """One unanalyzed term (a slug, a year, a month id)."""

    field_type = "facet_id"


class FacetKeywordField(indexes.MultiValueField):
    """Several unanalyzed terms (ISO codes, slugs)."""

    field_type = "facet_keyword"


class SortableIntField(indexes.IntegerField):
    """An int kept in a sortable column (``day``: YYYYMMDD or 0; ``article_id``)."""

    field_type = "sortable_int"


def article_text(article) -> str:
    return f"{article.title}\n{article.body}"


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    text = ArabicTextField(document=True)
    text_exact = ArabicExactField()
    title = ArabicTextField(model_attr="title", boost=2.0)
    source = FacetIdField(null=True)
    countries = FacetKeywordField()
    topics = FacetKeywordField()
    published = indexes.DateField(model_attr="published", null=True)
    day = SortableIntField()
    article_id = SortableIntField(model_attr="pk")
    year = FacetIdField(null=True)
    month = FacetIdField(null=True)

    def get_model(self):
        return Article

    def get_updated_field(self):
        return "updated"

    def index_queryset(self, using=None):
        return (
            Article.objects.filter(is_hidden=False)
            .select_related("source")
            .prefetch_related("topics", "country_mentions")
            .order_by("pk")
        )

    def read_queryset(self, using=None):
        return Article.objects.filter(is_hidden=False).select_related("source")

    def should_update(self, instance, **kwargs):
        return True

    # prepare_* ------------------------------------------------------------
    def prepare_text(self, obj):
        return article_text(obj)

    def prepare_text_exact(self, obj):
        return article_text(obj)

    def prepare_source(self, obj):
        return obj.source.slug if obj.source_id else None

    def prepare_countries(self, obj):
        return sorted({m.country_id for m in obj.country_mentions.all()})

    def prepare_topics(self, obj):
        return sorted({t.slug for t in obj.topics.all()})

    def prepare_day(self, obj):
        return _day_fields(obj.published)[1]

    def prepare_year(self, obj):
        return _day_fields(obj.published)[2]

    def prepare_month(self, obj):
        return _day_fields(obj.published)[3]


# --- documents straight from database rows (bulk indexing) ----------------------------

def _day_fields(published):
    """(published, day, year, month) as prepared for the index."""
    if published is None:
        return None, 0, None, None
    return (
        datetime(published.year, published.month, published.day),
        published.year * 10000 + published.month * 100 + published.day,
        f"{published.year:04d}",
        f"{published.year:04d}-{published.month:02d}",
    )


def article_documents(ids) -> dict:
    """article id -> Whoosh document, for the visible articles among ``ids``
    (hidden or missing ids are absent). Equal to
    ``backend.prepare_document(ArticleIndex(), article)`` for each article."""
    ids = list(ids)
    rows = (
        Article.objects.filter(pk__in=ids, is_hidden=False)
        .values_list("pk", "title", "body", "published", "source__slug")
    )
    countries: dict[int, set] = {}
    for article_id, code in ArticleCountry.objects.filter(article_id__in=ids).values_list(
            "article_id", "country_id"):
        countries.setdefault(article_id, set()).add(code)
    topics: dict[int, set] = {}
    through = Article.topics.through
    for article_id, slug in through.objects.filter(article_id__in=ids).values_list(
            "article_id", "topic__slug"):
        topics.setdefault(article_id, set()).add(slug)
    docs = {}
    for pk, title, body, published, source_slug in rows:
        text = f"{title}\n{body}"
        when, day, year, month = _day_fields(published)
        doc = {
            "id": identifier(pk),
            "django_ct": "archive.article",
            "django_id": str(pk),
            "text": text,
            "text_exact": text,
            "title": title,
            "countries": ",".join(sorted(countries.get(pk, ()))),
            "topics": ",".join(sorted(topics.get(pk, ()))),
            "day": day,
            "article_id": pk,
        }
        if source_slug is not None:
            doc["source"] = source_slug
        if when is not None:
            doc["published"] = when
            doc["year"] = year
            doc["month"] = month
        docs[pk] = doc
    return docs
