"""The Elasticsearch/OpenSearch path against a live cluster (search.elastic).

``TestLive`` runs only when ELASTICSEARCH_URL is set; otherwise it is reported
as skipped with that reason. The offline checks of what we send are in
tests/engine/test_elasticsearch.py.
"""
import os
import uuid

import pytest

pytestmark = pytest.mark.filterwarnings("ignore:The 'body' parameter is deprecated:DeprecationWarning")

LIVE_URL = os.environ.get("ELASTICSEARCH_URL", "").strip()


@pytest.mark.skipif(not LIVE_URL, reason="ELASTICSEARCH_URL not set: live Elasticsearch test skipped")
@pytest.mark.django_db
class TestLive:
    @pytest.fixture
    def live(self, settings, seeded):
        from haystack import connections

        from search.models import NameVariant

        NameVariant.objects.create(canonical="فاغنر", spelling="فاجنر")
        NameVariant.objects.create(canonical="فاغنر", spelling="واغنر")
        from search.query.expansion import invalidate_aliases

        invalidate_aliases()
        alias = f"archive_test_{uuid.uuid4().hex[:10]}"
        original = connections.connections_info
        info = {"default": {"ENGINE": "search.elastic.backend.ArabicElasticsearchEngine", "URL": LIVE_URL,
                            "INDEX_NAME": alias,
                            "OPENSEARCH": os.environ.get("ELASTICSEARCH_OPENSEARCH", "") in ("1", "true")}}
        settings.HAYSTACK_CONNECTIONS = info
        connections.connections_info = info
        connections.reload("default")
        backend = connections["default"].get_backend()
        try:
            from django.core.management import call_command

            call_command("es_reindex")
            yield backend
        finally:
            backend.clear()
            connections.connections_info = original
            connections.reload("default")
            invalidate_aliases()

    def test_wagner_both_spellings_facets_and_filters(self, live):
        from archive.models import Article
        from search import service

        wagner = set(Article.objects.filter(body__contains="فاغنر").values_list("pk", flat=True)) | set(
            Article.objects.filter(body__contains="فاجنر").values_list("pk", flat=True))
        assert len(wagner) == 2
        result = service.search({"q": "فاغنر"})
        assert {h.id for h in result.hits} >= wagner
        # facets: the counts of each country add up to the articles that mention it
        countries = {f.value: f.count for f in result.facets["country"]}
        assert countries
        code, count = max(countries.items(), key=lambda kv: kv[1])
        filtered = service.search({"q": "فاغنر", "country": code})
        assert filtered.count == count
        assert all(code in h.countries for h in filtered.hits)
        # a date range that excludes everything, and every article with no query
        assert service.search({"q": "فاغنر", "date_from": "1900-01-01", "date_to": "1900-01-02"}).count == 0
        assert service.search({}).count == Article.objects.filter(is_hidden=False).count()
