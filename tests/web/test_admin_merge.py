"""Reversible merges of outlets: confirmation, survivor, old slugs, undo, index."""
import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.urls import reverse

from archive.merging import MergeError, merge_sources, resolve_source_slugs, undo_merge
from archive.models import Article, Feed, MergeRecord, Source, SourceAlias
from search.indexing.consistency import compare

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    user = User.objects.create_superuser("editor", "editor@example.com", "a-long-passphrase-123")
    client.force_login(user)
    return client


@pytest.fixture
def twins(search_seeded):
    """The seeds, with two of marebpress's articles moved to a twin outlet (indexed)."""
    marib = Source.objects.get(slug="marebpress")
    twin = Source.objects.create(name="مأرب برس (نسخة)", slug="marib-twin", key="marib-twin-key",
                                 homepage="https://twin.example.org", notes="نسخة مكررة")
    Feed.objects.create(source=twin, url="https://twin.example.org/rss")
    ids = sorted(Article.objects.filter(source=marib).values_list("pk", flat=True))
    moved = ids[:1]
    Article.objects.filter(pk__in=moved).update(source=twin)
    search_seeded.build()
    return {"marib": marib, "twin": twin, "twin_pk": twin.pk, "moved": moved, "index": search_seeded}


def _by_source():
    return sorted(Article.objects.values_list("pk", "source__slug"))


def _search_ids(client, **params):
    data = client.get(reverse("api_search"), {"page_size": 100, **params}).json()
    return sorted(hit["id"] for hit in data["results"])


def test_confirmation_lists_outlets_with_counts_and_lets_the_curator_choose(staff_client, twins):
    url = reverse("admin:archive_source_changelist")
    ids = [twins["marib"].pk, twins["twin"].pk]
    page = staff_client.post(url, {"action": "merge_selected", "_selected_action": ids}).content.decode()
    assert "أي مصدر يبقى؟" in page and "marib-twin" in page and "marebpress" in page
    marib_count = Article.objects.filter(source=twins["marib"]).count()
    assert f'<td class="n">{marib_count}</td>' in page and '<td class="n">1</td>' in page
    # No survivor chosen: asked again, nothing merged.
    again = staff_client.post(url, {"action": "merge_selected", "_selected_action": ids, "apply": "yes"})
    assert again.status_code == 200 and "اختر المصدر الذي يبقى" in again.content.decode()
    assert Source.objects.filter(slug="marib-twin").exists()
    # The smaller outlet survives when the curator says so.
    done = staff_client.post(url, {"action": "merge_selected", "_selected_action": ids, "apply": "yes",
                                   "survivor": twins["twin"].pk})
    assert done.status_code == 302
    assert not Source.objects.filter(slug="marebpress").exists()
    assert SourceAlias.objects.get(slug="marebpress").source == twins["twin"]
    assert LogEntry.objects.filter(object_id=str(twins["twin"].pk), change_message__contains="دُمج فيه").exists()
    assert LogEntry.objects.filter(object_id=str(twins["marib"].pk), change_message__contains="دُمج في «").exists()


def test_merge_and_undo_keep_articles_links_and_index(staff_client, client, twins):
    before = _by_source()
    index = twins["index"]
    search_before = _search_ids(client, source="marib-twin")
    assert search_before == twins["moved"]
    all_before = _search_ids(client, q="بوتين")
    record = merge_sources(twins["marib"], [twins["twin"]], user=User.objects.get(username="editor"))
    index.drain()
    assert compare().ok
    assert Article.objects.count() == len(before)
    assert not Article.objects.filter(source=None).exclude(pk__in=[p for p, s in before if s is None]).exists()
    # Old slug: the outlet page answers 301, and source=<old> means the survivor everywhere.
    old_page = client.get("/sources/marib-twin/?page=2")
    assert old_page.status_code == 301 and old_page["Location"] == "/sources/marebpress/?page=2"
    merged_ids = sorted(Article.objects.filter(source=twins["marib"]).values_list("pk", flat=True))
    assert _search_ids(client, source="marib-twin") == merged_ids
    assert client.get(reverse("search"), {"source": "marib-twin"}).status_code == 200
    assert client.get(reverse("search_export_csv"), {"source": "marib-twin"}).status_code == 200
    assert resolve_source_slugs(["marib-twin", "marebpress"]) == ["marebpress"]
    # Undo from the survivor's page.
    change = staff_client.get(reverse("admin:archive_source_change", args=[twins["marib"].pk])).content.decode()
    assert "تراجع عن الدمج" in change
    undo_url = reverse("admin:archive_source_undo_merge", args=[twins["marib"].pk, record.pk])
    assert staff_client.post(undo_url).status_code == 302
    index.drain()
    assert compare().ok
    assert _by_source() == before
    twin = Source.objects.get(slug="marib-twin")
    assert (twin.pk, twin.key, twin.notes, twin.homepage) == (
        twins["twin_pk"], "marib-twin-key", "نسخة مكررة", "https://twin.example.org")
    assert Feed.objects.get(url="https://twin.example.org/rss").source == twin
    assert Source.objects.get(slug="marebpress").notes == twins["marib"].notes
    assert not SourceAlias.objects.exists()
    assert _search_ids(client, source="marib-twin") == search_before
    assert _search_ids(client, q="بوتين") == all_before
    assert client.get("/sources/marib-twin/").status_code == 200
    assert MergeRecord.objects.get(pk=record.pk).undone is not None
    with pytest.raises(MergeError):
        undo_merge(MergeRecord.objects.get(pk=record.pk))


def test_chained_merges_undo_in_reverse_order(twins):
    third = Source.objects.create(name="مصدر ثالث", slug="third")
    before = _by_source()
    first = merge_sources(twins["marib"], [twins["twin"]])
    second = merge_sources(third, [twins["marib"]])
    assert resolve_source_slugs(["marib-twin"]) == ["third"]
    with pytest.raises(MergeError):
        undo_merge(first)  # its survivor was merged in turn
    undo_merge(second)
    undo_merge(first)
    twins["index"].drain()
    assert _by_source() == before and compare().ok


def test_a_later_import_of_the_old_outlet_goes_to_the_survivor(twins):
    from archive.importing import Importer
    from archive.importing.readers import Record

    merge_sources(twins["marib"], [twins["twin"]])
    importer = Importer(workers=1)
    for record in (Record(origin="x1", location="x", raw_text="x", kind="jsonl", source_key="marib-twin-key"),
                   Record(origin="x2", location="x", raw_text="x", kind="jsonl", source_slug="marib-twin"),
                   Record(origin="x3", location="x", raw_text="x", kind="jsonl")):
        name = "مأرب برس (نسخة)" if record.origin == "x3" else None
        assert importer._source_for(record, name) == twins["marib"]
    assert not Source.objects.filter(slug__startswith="marib-twin").exists()


def test_view_only_staff_cannot_merge_or_undo(client, twins):
    from django.contrib.auth.models import Permission

    viewer = User.objects.create_user("viewer", "v@example.com", "a-long-passphrase-123", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_source"))
    client.force_login(viewer)
    url = reverse("admin:archive_source_changelist")
    ids = [twins["marib"].pk, twins["twin"].pk]
    client.post(url, {"action": "merge_selected", "_selected_action": ids, "apply": "yes",
                      "survivor": twins["marib"].pk})
    assert Source.objects.filter(slug="marib-twin").exists()
    record = merge_sources(twins["marib"], [twins["twin"]])
    client.post(reverse("admin:archive_source_undo_merge", args=[twins["marib"].pk, record.pk]))
    assert MergeRecord.objects.get(pk=record.pk).undone is None
