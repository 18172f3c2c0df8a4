"""The haystack index of articles.

Field types are mapped to Whoosh fields by ``search.schema.build_schema``:

- ``text``/``title``: Arabic analyzer (normalize, stopwords, light stem);
- ``text_exact``: the same text through the exact analyzer (no stem, no
  stopwords) for exact-wording boosts and spelling suggestions;
- ``source``/``year``/``month``: unanalyzed ID terms (one bucket per value);
- ``countries`` (the countries an article is about), ``mentioned`` (every
  country it names), ``topics``, ``people``, ``collections``: comma-separated
  KEYWORD terms (``collections``: the outlet's collections);
- ``outlet_country``: the outlet's country (ISO code), an ID term;
- ``published``: DATETIME (haystack ordering); ``day``: sortable int
  ``YYYYMMDD`` (0 when unknown) for date sort and date ranges.

Hidden articles are not indexed (``index_queryset``), and the backend removes
a hidden article passed to ``update``.

``search.documents.article_documents(ids)`` builds the same documents for
the bulk indexing path.
"""
from haystack import indexes

from archive.models import Article
from search.documents import article_text
from search.schema import day_fields


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


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    text = ArabicTextField(document=True)
    text_exact = ArabicExactField()
    title = ArabicTextField(model_attr="title", boost=2.0)
    source = FacetIdField(null=True)
    countries = FacetKeywordField()  # the countries an article is about
    mentioned = FacetKeywordField()  # every country it names
    topics = FacetKeywordField()
    published = indexes.DateField(model_attr="published", null=True)
    day = SortableIntField()
    article_id = SortableIntField(model_attr="pk")
    year = FacetIdField(null=True)
    month = FacetIdField(null=True)
    people = FacetKeywordField()
    outlet_country = FacetIdField(null=True)
    collections = FacetKeywordField()

    def get_model(self):
        return Article

    def get_updated_field(self):
        return "updated"

    def index_queryset(self, using=None):
        return (
            Article.objects.filter(is_hidden=False)
            .select_related("source")
            .prefetch_related("topics", "country_mentions", "person_mentions__person", "source__collections")
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
        return sorted({m.country_id for m in obj.country_mentions.all() if m.is_about})

    def prepare_mentioned(self, obj):
        return sorted({m.country_id for m in obj.country_mentions.all()})

    def prepare_topics(self, obj):
        return sorted({t.slug for t in obj.topics.all()})

    def prepare_people(self, obj):
        return sorted({m.person.slug for m in obj.person_mentions.all()})

    def prepare_outlet_country(self, obj):
        return obj.source.country_id if obj.source_id else None

    def prepare_collections(self, obj):
        return sorted({c.slug for c in obj.source.collections.all()}) if obj.source_id else []

    def prepare_day(self, obj):
        return day_fields(obj.published)[1]

    def prepare_year(self, obj):
        return day_fields(obj.published)[2]

    def prepare_month(self, obj):
        return day_fields(obj.published)[3]
