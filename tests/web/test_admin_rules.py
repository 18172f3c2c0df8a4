"""Keyword rules: a preview before saving, a background re-tag with progress after."""
import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.urls import reverse

from archive.models import Article, ArticleCountry, Country, RetagJob, Topic
from archive.retagging import run_retag_job
from search.indexing.consistency import compare

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    user = User.objects.create_superuser("editor", "editor@example.com", "a-long-passphrase-123")
    client.force_login(user)
    return client


@pytest.fixture
def lithium(search_seeded, make_article):
    """Three articles about lithium (one with «+ البطاريات»), one about oil; all indexed."""
    made = [
        make_article(title="مناجم الليثيوم في تشيلي", body="ارتفع إنتاج الليثيوم والبطاريات."),
        make_article(title="سوق المعادن", body="اهتمام متزايد بالليثيوم."),
        make_article(title="الليثيوم والسيارات", body="مصانع السيارات الكهربائية."),
        make_article(title="أسعار النفط", body="ارتفعت أسعار النفط."),
    ]
    search_seeded.build()
    return made


def _topic_post(topic, keywords):
    return {"slug": topic.slug, "name_ar": topic.name_ar, "description": topic.description,
            "category": topic.category or "", "keywords": keywords}


def test_topic_preview_counts_and_samples_before_saving(staff_client, lithium):
    topic = Topic.objects.get(slug="central-asia-russia")
    old_keywords = topic.keywords
    tagged_now = topic.articles.count()
    url = reverse("admin:archive_topic_rule_preview", args=[topic.pk])
    # The change form offers the preview.
    form = staff_client.get(reverse("admin:archive_topic_change", args=[topic.pk])).content.decode()
    assert url in form
    html = staff_client.post(url, _topic_post(topic, "الليثيوم")).content.decode()
    assert '<strong id="preview-tag">3</strong>' in html  # «بالليثيوم» too: the clitic rules of the import
    assert f'<strong id="preview-untag">{tagged_now}</strong>' in html
    assert "مناجم الليثيوم في تشيلي" in html and "أسعار النفط" not in html
    narrower = staff_client.post(url, _topic_post(topic, "الليثيوم + البطاريات")).content.decode()
    assert '<strong id="preview-tag">1</strong>' in narrower
    # Nothing was saved or tagged.
    topic.refresh_from_db()
    assert topic.keywords == old_keywords and topic.articles.count() == tagged_now
    assert not RetagJob.objects.exists()


def test_saving_a_rule_runs_a_retag_job_with_progress_and_history(staff_client, lithium, search_index):
    topic = Topic.objects.get(slug="central-asia-russia")
    change = reverse("admin:archive_topic_change", args=[topic.pk])
    response = staff_client.post(change, {**_topic_post(topic, "الليثيوم"), "_continue": "1"})
    assert response.status_code == 302
    job = RetagJob.objects.get()
    assert job.topic == topic and job.status == RetagJob.STATUS_PENDING
    run_retag_job(job.pk)
    job.refresh_from_db()
    assert job.status == RetagJob.STATUS_DONE and job.done == job.total == Article.objects.count()
    assert job.percent == 100 and job.changed >= 3
    assert sorted(topic.articles.values_list("pk", flat=True)) == sorted(a.pk for a in lithium[:3])
    search_index.drain()
    assert compare().ok
    assert LogEntry.objects.filter(object_id=str(topic.pk), change_message__contains="إعادة وسم").exists()
    jobs_page = staff_client.get(reverse("admin:archive_retagjob_changelist")).content.decode()
    assert "100٪" in jobs_page


def test_country_preview_uses_the_edited_aliases(staff_client, lithium, make_article):
    chile = Country.objects.get(code="CL")
    now = ArticleCountry.objects.filter(country=chile).count()
    url = reverse("admin:archive_country_rule_preview", args=["CL"])
    data = {"code": "CL", "name_ar": chile.name_ar, "name_en": chile.name_en,
            "aliases": chile.aliases + "\nسوق المعادن", "weak_aliases": chile.weak_aliases}
    html = staff_client.post(url, data).content.decode()
    # «سوق المعادن» by the new alias, «... في تشيلي» because it was never tagged (made directly).
    assert '<strong id="preview-tag">2</strong>' in html
    sample = html.split('id="preview-tag-sample"')[1].split("</section>")[0]
    assert "سوق المعادن" in sample and "مناجم الليثيوم في تشيلي" in sample and "أسعار النفط" not in sample
    assert f'<strong id="preview-now">{now}</strong>' in html


def test_preview_with_bad_input_is_no_server_error(staff_client, lithium):
    topic = Topic.objects.get(slug="central-asia-russia")
    url = reverse("admin:archive_topic_rule_preview", args=[topic.pk])
    assert staff_client.post(url, {"slug": "", "keywords": "+ + +"}).status_code == 200
    assert staff_client.get(url).status_code == 302
    assert staff_client.post(reverse("admin:archive_topic_rule_preview", args=[99999]), {}).status_code == 302


@pytest.mark.parametrize("kind,key,edit", [
    ("topic", "central-asia-russia", "الليثيوم\nروسيا + بوتين\nفاغنر"),
    ("topic", "wagner-mutiny", None),
    ("country", "RU", None),
    ("country", "ML", "سوق المعادن"),
])
def test_quick_text_test_never_drops_a_match(lithium, make_article, monkeypatch, kind, key, edit):
    """The raw-text test before tagging gives the same set as tagging every article."""
    import copy

    from archive import rule_preview

    make_article(title="روسيّا وبوتـين", body="قال بوتين إن موسكو لن تتراجع. للولايات المتحدة رأي آخر.")
    make_article(title="مالى", body="في جمهورية مالي اليوم، وبباماكو أمس.")
    obj = Topic.objects.get(slug=key) if kind == "topic" else Country.objects.get(code=key)
    edited = copy.copy(obj)
    if edit is not None:
        if kind == "topic":
            edited.keywords = edit
        else:
            edited.aliases = f"{obj.aliases}\n{edit}"
    quick = rule_preview.articles_tagged_by(kind, edited)
    monkeypatch.setattr(rule_preview, "may_mention", lambda rules: lambda text: True)
    assert rule_preview.articles_tagged_by(kind, edited) == quick
    assert quick[1]  # something is tagged, so the comparison means something
