"""The curation desk speaks Arabic: no English interface text on its pages."""
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from archive.models import Article, Source, Topic

pytestmark = pytest.mark.django_db

# Latin words that are data, not interface (values, codes, slugs, URLs).
_LATIN = re.compile(r"[A-Za-z]{3,}")


class _Text(HTMLParser):
    """Visible text and the labels a user reads (title, placeholder, value of buttons)."""

    SKIP = {"script", "style", "svg", "symbol", "textarea", "option", "code"}

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skip += 1
        attrs = dict(attrs)
        for name in ("title", "placeholder", "aria-label"):
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def english_words(html: str, allowed) -> set[str]:
    parser = _Text()
    parser.feed(html)
    text = " ".join(parser.parts)
    return {w for w in _LATIN.findall(text)} - set(allowed)


@pytest.fixture
def staff_client(client):
    user = User.objects.create_superuser("editor", "editor@example.com", "a-long-passphrase-123")
    client.force_login(user)
    return client


def test_admin_pages_have_no_english_interface_text(staff_client, seeded):
    article = Article.objects.order_by("pk").first()
    source = Source.objects.get(slug="marebpress")
    topic = Topic.objects.order_by("pk").first()
    # Data shown as data: user name, slugs, codes, outlet English names, feed kinds.
    allowed = {"editor", "example", "com", "RSS", "Atom", "sitemap", "ISO", "source", "collect",
               "Control", "Command"}  # key names inside Django's Arabic help text
    for s in Source.objects.all():
        allowed |= set(_LATIN.findall(f"{s.name_en} {s.slug} {s.key or ''} {s.homepage}"))
    for t in Topic.objects.all():
        allowed |= set(_LATIN.findall(f"{t.slug} {t.category or ''}"))
    allowed |= set(_LATIN.findall(f"{article.origin} {article.url} {article.fingerprint} {article.raw_text}"))
    pages = [
        reverse("admin:index"),
        reverse("admin:archive_article_changelist"),
        reverse("admin:archive_article_change", args=[article.pk]),
        reverse("admin:archive_source_changelist"),
        reverse("admin:archive_source_change", args=[source.pk]),
        reverse("admin:archive_topic_changelist"),
        reverse("admin:archive_topic_change", args=[topic.pk]),
        reverse("admin:archive_country_change", args=["RU"]),
        reverse("admin:archive_retagjob_changelist"),
        reverse("admin:archive_mergerecord_changelist"),
        reverse("admin:archive_article_history", args=[article.pk]),
    ]
    found = {}
    for url in pages:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        words = english_words(response.content.decode(), allowed)
        if words:
            found[url] = sorted(words)
    assert not found


def test_list_filters_only_list_values_in_use(staff_client, seeded):
    from archive.models import ArticleCountry, Country

    used = set(ArticleCountry.objects.values_list("country__name_ar", flat=True))
    unused = Country.objects.exclude(name_ar__in=used).values_list("name_ar", flat=True)[:20]
    html = staff_client.get(reverse("admin:archive_article_changelist")).content.decode()
    filters = html.split('id="changelist-filter"')[1].split("</nav>")[0]
    assert used and all(name in filters for name in used)
    assert not [name for name in unused if f">{name}<" in filters]
