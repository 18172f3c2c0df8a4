"""Page extraction quality, web archives (WARC) through import_articles, URLs."""
import datetime as dt

import pytest

from archive.collect.extract import ExtractionError, decode_html, extract_html_bytes
from archive.collect.measure import extraction_quality
from archive.collect.sample_pages import write_warc
from archive.collect.urls import canonical_url, origin_for
from archive.models import Article


@pytest.mark.corpus
def test_extraction_quality_over_120_outlet_pages_beats_the_text_cleaner(corpus_pages):
    scores = extraction_quality(corpus_pages(120))
    extractor, cleaner = scores["extractor"], scores["cleaner"]
    print(f"extractor recall {extractor.recall:.3f} precision {extractor.precision:.3f}; "
          f"cleaner recall {cleaner.recall:.3f} precision {cleaner.precision:.3f}")
    assert extractor.pages == 120 and extractor.failed == 0
    assert extractor.recall >= 0.95 and extractor.precision >= 0.95
    # The cleaner, given the page's visible text, keeps the site's furniture.
    assert extractor.precision > cleaner.precision


@pytest.mark.django_db
@pytest.mark.corpus
def test_warc_import_keeps_url_and_capture_date_and_is_idempotent(tmp_path, corpus_pages, import_paths):
    pages = corpus_pages(12, "http://outlet.example")
    undated = pages[0]
    undated.html = (undated.html.replace('<meta property="article:published_time"', '<meta property="x"')
                    .replace("<time", "<span").replace("</time>", "</span>"))
    undated.html = undated.html.replace(undated.published.isoformat(), "")
    path = write_warc(tmp_path / "crawl.warc.gz", pages, captured="2024-03-01T12:00:00Z", extra=[
        ("http://outlet.example/logo.png", "image/png", "200 OK", b"\x89PNG\r\n"),
        ("http://outlet.example/old", "text/html", "301 Moved Permanently", b""),
        ("http://outlet.example/empty.html", "text/html", "200 OK", b"<html><body><p>x</p></body></html>"),
    ])
    report = import_paths(path)
    assert report.created == 12
    assert [r.reason for r in report.rejected] == ["no article text found on the page (too short)"]
    for page in pages:
        article = Article.objects.get(origin=page.url)
        assert article.url == page.url and article.title == page.title
        assert "captured 2024-03-01T12:00:00+00:00" in article.raw_text
    assert Article.objects.get(origin=undated.url).published == dt.date(2024, 3, 1)  # the capture date
    assert Article.objects.get(origin=pages[1].url).published == pages[1].published
    again = import_paths(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 12)


@pytest.mark.django_db
def test_a_corrupt_warc_is_rejected_with_a_message(tmp_path, import_paths):
    path = tmp_path / "broken.warc.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00garbage" * 10)
    report = import_paths(path)
    assert report.created == 0
    assert report.rejected and "corrupt" in report.rejected[0].reason


def test_canonical_urls():
    assert canonical_url("HTTPS://Example.COM:443/a/b?utm_source=x&b=2&a=1#top") == "https://example.com/a/b?a=1&b=2"
    assert canonical_url("http://example.com") == "http://example.com/"
    assert canonical_url("http://example.com/%D8%AE%D8%A8%D8%B1") == canonical_url("http://example.com/خبر")
    assert canonical_url("javascript:alert(1)") == ""
    long = "http://example.com/" + "a" * 400
    assert len(origin_for(long)) == 255 and origin_for(long) != origin_for(long + "b")


def test_encodings_declared_or_not_are_decoded():
    text = "<html><head><meta charset='windows-1256'></head><body><p>خبر عاجل</p></body></html>"
    assert "خبر عاجل" in decode_html(text.encode("windows-1256"))
    assert "خبر عاجل" in decode_html(text.encode("utf-8"), "utf-8")
    with pytest.raises(ExtractionError, match="not a web page"):
        extract_html_bytes(b"%PDF-1.4", "http://x.example/a.pdf", content_type="application/pdf")


def test_metadata_from_markup_and_a_title_without_the_site_name():
    body = "".join(f"<p>فقرة رقم {i} من نص الخبر الذي يتحدث عن الاقتصاد والسياسة في المنطقة.</p>" for i in range(8))
    page = (f"<html><head><title>ارتفاع أسعار النفط | صحيفة الأخبار</title>"
            f'<link rel="canonical" href="/news/1?utm_source=x"></head><body><article>{body}</article></body></html>')
    found = extract_html_bytes(page.encode(), "https://outlet.example/news/1")
    assert found.title == "ارتفاع أسعار النفط"
    assert found.url == "https://outlet.example/news/1?utm_source=x"  # canonicalised by the store
    assert len(found.paragraphs) == 8 and found.published is None
    nested = page.replace("<article>", '<article><h1>عنوان <span>كامل</span></h1><time datetime="2024-05-02"></time>')
    found = extract_html_bytes(nested.encode(), "https://outlet.example/news/1")
    assert found.title == "عنوان كامل" and found.published == dt.date(2024, 5, 2)
