"""Cite an article: archive.citation (RIS, BibTeX) and the article page's citation box."""
import datetime as dt
import html as htmllib
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from archive.citation import Citation, bibtex_escape, bibtex_url, citation_for, download_name, to_bibtex, to_ris
from archive.formatting import format_date
from archive.models import Source

ACCESSED = dt.date(2026, 12, 7)
PERMALINK = "https://archive.example/articles/7/"


def sample(**changes):
    article = SimpleNamespace(
        pk=7, title="فاغنر\nتتقدم   نحو روستوف", source=SimpleNamespace(name="الجزيرة نت"), author="",
        published=dt.date(2023, 6, 24), url="https://www.aljazeera.net/news/2023/6/24/wagner?a=1&b=2",
    )
    for key, value in changes.items():
        setattr(article, key, value)
    return citation_for(article, PERMALINK, ACCESSED)


# --- archive.citation ----------------------------------------------------------------------

def test_citation_for():
    c = sample()
    assert c == Citation(
        key="arabicnews7", title="فاغنر تتقدم نحو روستوف", outlet="الجزيرة نت", author="",
        published=dt.date(2023, 6, 24), url="https://www.aljazeera.net/news/2023/6/24/wagner?a=1&b=2",
        permalink=PERMALINK, accessed=ACCESSED,
    )
    assert sample(source=None).outlet == ""
    assert sample(url="javascript:alert(1)").url == ""  # only web links are cited
    assert download_name(c, "ris") == "arabicnews7.ris"


def test_ris():
    text = to_ris(sample(author="محمد علي"))
    assert text.endswith("ER  - \r\n")
    lines = text.split("\r\n")
    assert "\n" not in text.replace("\r\n", "")  # CRLF only, no line break inside a value
    assert lines[:2] == ["TY  - NEWS", "TI  - فاغنر تتقدم نحو روستوف"]
    tags = dict(line.split("  - ", 1) for line in lines if line)
    assert tags["AU"] == "محمد علي"
    assert tags["T2"] == "الجزيرة نت"
    assert tags["PY"] == "2023" and tags["DA"] == "2023/06/24"
    assert tags["UR"] == "https://www.aljazeera.net/news/2023/6/24/wagner?a=1&b=2"
    assert tags["L2"] == PERMALINK
    assert tags["Y2"] == "2026/12/07"
    assert tags["LA"] == "ar"
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines if line)
    # undated, without outlet, author or original URL: the permalink is the URL
    tags = dict(line.split("  - ", 1) for line in to_ris(sample(published=None, source=None, url="")).split("\r\n")
                if line)
    assert "PY" not in tags and "DA" not in tags and "T2" not in tags and "AU" not in tags and "L2" not in tags
    assert tags["UR"] == PERMALINK


def test_bibtex_escapes_special_characters():
    assert bibtex_escape(r"50% & $3 #1 a_b ^ ~ {x} \end") == (
        r"50\% \& \$3 \#1 a\_b \^{} \~{} \{x\} \textbackslash{}end")
    assert bibtex_escape("روسيا\nوأوكرانيا") == "روسيا وأوكرانيا"
    assert bibtex_url('https://x.example/a b}{"\\?q=%D8&x=1#f') == "https://x.example/a%20b%7D%7B%22%5C?q=%D8&x=1#f"


def braces_balanced(text):
    depth = 0
    for i, ch in enumerate(text):
        if ch in "{}" and (i == 0 or text[i - 1] != "\\"):
            depth += 1 if ch == "{" else -1
            assert depth >= 0
    return depth == 0


def test_bibtex():
    text = to_bibtex(sample(title="100% {فاغنر} & روسيا_2023 } @misc{x,", author="Reuters and AFP"))
    assert text.startswith("@misc{arabicnews7,\n") and text.endswith("\n}\n")
    assert braces_balanced(text)
    fields = dict(re.findall(r"^  (\w+) = \{(.*)\},?$", text, re.M))
    assert fields["title"] == r"{100\% \{فاغنر\} \& روسيا\_2023 \} @misc\{x,}"
    assert fields["author"] == "{Reuters and AFP}"  # one name, not two authors
    assert fields["organization"] == "الجزيرة نت"
    assert fields["year"] == "2023" and fields["date"] == "2023-06-24"
    assert fields["url"] == "https://www.aljazeera.net/news/2023/6/24/wagner?a=1&b=2"
    assert fields["urldate"] == "2026-12-07"
    assert fields["note"] == r"أرشيف الأخبار العربية, \url{https://archive.example/articles/7/}"
    undated = to_bibtex(sample(published=None, source=None, url=""))
    assert "year =" not in undated and "organization =" not in undated and "author =" not in undated
    assert f"url = {{{PERMALINK}}}" in undated


# --- downloads and the article page -----------------------------------------------------------

@pytest.fixture
def article(db, make_article):
    outlet = Source.objects.create(slug="al-arabiya", name="العربية")
    return make_article(
        title='روسيا & "فاغنر" <b>100%</b> {تمرد}', body="نص المقال.", source=outlet,
        published=dt.date(2023, 6, 24), url="https://www.alarabiya.net/a?x=1&y=2", author="سامي_خالد",
    )


@pytest.mark.django_db
def test_urls(article):
    assert reverse("article_cite_ris", args=[article.pk]) == f"/articles/{article.pk}/cite.ris"
    assert reverse("article_cite_bib", args=[article.pk]) == f"/articles/{article.pk}/cite.bib"


@pytest.mark.django_db
def test_ris_download(client, article):
    response = client.get(reverse("article_cite_ris", args=[article.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="arabicnews{article.pk}.ris"'
    text = response.content.decode("utf-8")
    assert f"TI  - {article.title}\r\n" in text
    assert "T2  - العربية\r\n" in text and "DA  - 2023/06/24\r\n" in text
    assert f"L2  - http://testserver/articles/{article.pk}/\r\n" in text
    assert f"Y2  - {timezone.localdate():%Y/%m/%d}\r\n" in text


@pytest.mark.django_db
def test_bibtex_download(client, article):
    response = client.get(reverse("article_cite_bib", args=[article.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="arabicnews{article.pk}.bib"'
    text = response.content.decode("utf-8")
    assert braces_balanced(text)
    assert r'title = {{روسيا \& "فاغنر" <b>100\%</b> \{تمرد\}}},' in text
    assert r"author = {{سامي\_خالد}}," in text
    assert f"urldate = {{{timezone.localdate().isoformat()}}}" in text


@pytest.mark.django_db
def test_hidden_or_missing_articles_are_404(client, make_article):
    hidden = make_article(title="مخفي", is_hidden=True)
    for name in ("article_cite_ris", "article_cite_bib"):
        assert client.get(reverse(name, args=[hidden.pk])).status_code == 404
        assert client.get(reverse(name, args=[999999])).status_code == 404
        assert client.post(reverse(name, args=[hidden.pk])).status_code == 405


@pytest.mark.django_db
def test_article_page_shows_the_citation(client, article):
    response = client.get(reverse("article_detail", args=[article.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    box = re.search(r'<section class="card citation".*?</section>', page, re.S).group(0)
    text = htmllib.unescape(re.sub(r"<[^>]+>", "", re.search(r'<p class="citation__text".*?</p>', box, re.S).group(0)))
    assert text == (
        f"العربية. «{article.title}». 24 يونيو 2023. https://www.alarabiya.net/a?x=1&y=2. "
        f"محفوظ في أرشيف الأخبار العربية: http://testserver/articles/{article.pk}/. "
        f"تاريخ الاطلاع: {format_date(timezone.localdate())}."
    )
    # escaped, never markup
    assert "<b>100%</b>" not in page and "&lt;b&gt;100%&lt;/b&gt;" in box
    for label in ("المصدر", "العنوان", "الكاتب", "تاريخ النشر", "الرابط الأصلي", "الرابط الدائم في الأرشيف",
                  "تاريخ الاطلاع"):
        assert f"<dt>{label}</dt>" in box
    assert f'href="/articles/{article.pk}/cite.ris"' in box and f'href="/articles/{article.pk}/cite.bib"' in box
    assert f'href="http://testserver/articles/{article.pk}/"' in box


@pytest.mark.django_db
def test_citation_without_outlet_date_or_url(client, make_article):
    bare = make_article(title="خبر بلا مصدر")
    box = client.get(reverse("article_detail", args=[bare.pk])).content.decode()
    box = re.search(r'<section class="card citation".*?</section>', box, re.S).group(0)
    text = htmllib.unescape(re.sub(r"<[^>]+>", "", re.search(r'<p class="citation__text".*?</p>', box, re.S).group(0)))
    assert text.startswith("«خبر بلا مصدر». محفوظ في أرشيف الأخبار العربية: ")
    assert "<dd>غير معروف</dd>" in box and "<dd>غير متوفر</dd>" in box
