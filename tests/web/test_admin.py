"""The curation desk: login required; staff list, filter, edit, hide and merge."""
import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from archive.models import Article, Source, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    user = User.objects.create_superuser("editor", "editor@example.com", "a-long-passphrase-123")
    client.force_login(user)
    return client


def test_anonymous_users_are_sent_to_login(client, seeded):
    for name in ("admin:archive_article_changelist", "admin:archive_source_changelist", "admin:index"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]


def test_staff_can_list_filter_and_search(staff_client, seeded):
    url = reverse("admin:archive_article_changelist")
    response = staff_client.get(url)
    assert response.status_code == 200
    assert "بوتين يجري محادثات مع زعيم بيلاروسيا" in response.content.decode()
    marib = Source.objects.get(slug="marebpress")
    filtered = staff_client.get(url, {"source__id__exact": marib.pk}).content.decode()
    assert "صدمة من حلفائه في آسيا الوسطى" in filtered
    assert "بوتين يجري محادثات مع زعيم بيلاروسيا" not in filtered
    by_country = staff_client.get(url, {"countries__code__exact": "ML"}).content.decode()
    assert "رداً فاتراً" in by_country and "صدمة من حلفائه" not in by_country
    topic = Topic.objects.get(slug="central-asia-russia")
    by_topic = staff_client.get(url, {"topics__id__exact": topic.pk}).content.decode()
    assert "صدمة من حلفائه" in by_topic and "زعيم بيلاروسيا" not in by_topic
    searched = staff_client.get(url, {"q": "بيلاروسيا"}).content.decode()
    assert "بوتين يجري محادثات مع زعيم بيلاروسيا" in searched
    dated = staff_client.get(url, {"published__year": "2022"}).content.decode()
    assert "صدمة من حلفائه" in dated and "زعيم بيلاروسيا" not in dated
    for name in ("source", "country", "topic"):
        assert staff_client.get(reverse(f"admin:archive_{name}_changelist")).status_code == 200


def test_staff_can_edit_and_hide(staff_client, seeded):
    article = Article.objects.get(origin="003_5a2e85d36892b51a.txt")
    change = reverse("admin:archive_article_change", args=[article.pk])
    assert staff_client.get(change).status_code == 200
    url = reverse("admin:archive_article_changelist")
    response = staff_client.post(url, {"action": "hide", "_selected_action": [article.pk]})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_hidden
    assert staff_client.get(article.get_absolute_url()).status_code == 404
    staff_client.post(url, {"action": "unhide", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert not article.is_hidden


def test_merge_duplicate_outlets(staff_client, seeded):
    """The action asks first (a confirmation page), then merges into the chosen outlet."""
    marib = Source.objects.get(slug="marebpress")
    twin = Source.objects.create(name="مأرب برس (نسخة)", slug="marib-press-2")
    moved = Article.objects.filter(origin="003_5a2e85d36892b51a.txt")
    moved.update(source=twin)
    url = reverse("admin:archive_source_changelist")
    asked = staff_client.post(url, {"action": "merge_selected", "_selected_action": [marib.pk, twin.pk]})
    assert asked.status_code == 200 and "أي مصدر يبقى؟" in asked.content.decode()
    assert Source.objects.filter(pk=twin.pk).exists()
    response = staff_client.post(url, {"action": "merge_selected", "_selected_action": [marib.pk, twin.pk],
                                       "apply": "yes", "survivor": marib.pk})
    assert response.status_code == 302
    assert not Source.objects.filter(pk=twin.pk).exists()
    assert Article.objects.get(origin="003_5a2e85d36892b51a.txt").source == marib
    assert "marib-press-2" in Source.objects.get(pk=marib.pk).notes
