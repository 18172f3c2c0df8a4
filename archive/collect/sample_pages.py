"""Realistic outlet pages built from corpus articles (tests and measures).

Each page wraps one article's own title and body in the furniture of a news
site: navigation, a breaking-news ticker, share buttons, related links,
readers' comments, a footer, scripts and an iframe. Three outlet templates
rotate. ``article_page`` returns the HTML and ``body_words``' reference text.
"""
from __future__ import annotations

import datetime as dt
import gzip
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

AUTHORS = ["سامر الخطيب", "ليلى منصور", "محمد العلي", "هدى الزين", "كريم حداد"]
SECTIONS = ["الرئيسية", "أخبار عربية", "العالم", "اقتصاد", "رياضة", "ثقافة وفنون", "منوعات", "فيديو"]
TICKER = [
    "عاجل: انقطاع الكهرباء عن عدة أحياء في العاصمة",
    "عاجل: ارتفاع أسعار النفط في التعاملات الآسيوية",
    "عاجل: المنتخب يتأهل إلى الدور النهائي",
]
COMMENTS = [
    "مقال رائع شكرا للكاتب على هذا التحليل",
    "أختلف مع الكاتب في بعض النقاط لكن الموضوع مهم",
    "متى يتحرك المسؤولون لحل هذه المشكلة؟",
]
_SENTENCE_END = re.compile(r"(?<=[.!؟?])\s+")


@dataclass
class SamplePage:
    origin: str
    url: str
    title: str
    body: str          # the article's own text (reference)
    published: dt.date | None
    author: str
    html: str


def _paragraphs(body: str, per=3) -> list[str]:
    out = []
    for block in body.split("\n"):
        sentences = [s for s in _SENTENCE_END.split(block.strip()) if s]
        for start in range(0, len(sentences), per):
            out.append(" ".join(sentences[start:start + per]))
    return [p for p in out if p.strip()]


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def article_page(record: dict, related: list[dict], variant: int = 0) -> SamplePage:
    """One page for the corpus ``record`` (a dict of the JSONL corpus);
    ``related`` gives the titles and links of the related-articles box."""
    title = " ".join(record["title"].split())
    body = record["body"]
    published = dt.date.fromisoformat(record["date"][:10]) if record.get("date") else None
    url = record.get("sample_url") or f"http://127.0.0.1/news/{record['id']}.html"
    author = AUTHORS[sum(map(ord, record["id"])) % len(AUTHORS)]
    blocks = [f"<p>{_e(p)}</p>" for p in _paragraphs(body)]
    # In-body furniture, as outlets have it: a photo with its caption, an
    # «also read» box in the middle, an embedded video frame.
    blocks.insert(0, f'<figure><img src="/img/{record["id"]}.jpg" alt=""><figcaption>صورة أرشيفية'
                     "</figcaption></figure>")
    if len(blocks) > 3:
        inline = related[0]["title"] if related else "خبر ذو صلة"
        blocks.insert(len(blocks) // 2, f'<div class="read-also"><strong>اقرأ أيضا:</strong> '
                                        f'<a href="/news/x.html">{_e(" ".join(inline.split()))}</a></div>')
    if variant % 2:
        blocks.append('<div class="video"><iframe src="https://video.example.invalid/embed/1"></iframe></div>')
    paragraphs = "\n".join(blocks)
    tags = "".join(f'<a href="/tag/{i}">{_e(t)}</a> ' for i, t in enumerate(("أخبار", record.get("category") or "عام")))
    nav = "".join(f'<li><a href="/section/{i}">{_e(s)}</a></li>' for i, s in enumerate(SECTIONS))
    ticker = "".join(f"<span>{_e(t)}</span> | " for t in TICKER)
    related_html = "".join(
        f'<li><a href="/news/{i}.html">{_e(" ".join(r["title"].split()))}</a></li>' for i, r in enumerate(related)
    )
    comments = "".join(
        f'<div class="comment"><b>زائر {i + 1}</b><p>{_e(c)}</p></div>' for i, c in enumerate(COMMENTS)
    )
    share = ('<div class="share"><a href="#">شارك على فيسبوك</a> <a href="#">تويتر</a> '
             '<a href="javascript:alert(1)">واتساب</a> <a href="#">طباعة</a></div>')
    date_iso = published.isoformat() if published else ""
    head = (
        f'<meta charset="utf-8"><title>{_e(title)} | أخبار اليوم</title>'
        f'<link rel="canonical" href="{_e(url)}">'
        f'<meta property="og:title" content="{_e(title)}">'
        f'<meta property="article:published_time" content="{date_iso}T10:00:00+03:00">'
        f'<meta name="author" content="{_e(author)}">'
        '<script>window.dataLayer=[];function track(){document.cookie="x=1"}</script>'
        '<style>body{direction:rtl}</style>'
    )
    header = (f'<header><div class="logo"><a href="/">أخبار اليوم</a></div><nav><ul>{nav}</ul></nav>'
              f'<div class="ticker">{ticker}</div></header>')
    byline = f'<div class="byline">بقلم: <span class="author">{_e(author)}</span> — <time datetime="{date_iso}">{date_iso}</time></div>'
    article = f'<article><h1>{_e(title)}</h1>{byline}{share}<div class="article-body">{paragraphs}</div><div class="tags">الوسوم: {tags}</div>{share}</article>'
    aside = f'<aside class="related"><h3>اقرأ أيضا</h3><ul>{related_html}</ul></aside>'
    comments_html = f'<section id="comments"><h3>التعليقات</h3>{comments}</section>'
    ad = '<iframe src="http://ads.example.invalid/banner" width="300" height="250"></iframe>'
    footer = ('<footer><p>جميع الحقوق محفوظة © أخبار اليوم 2024</p><a href="/about">من نحن</a> '
              '<a href="/contact">اتصل بنا</a> <a href="/privacy">سياسة الخصوصية</a></footer>')
    if variant % 3 == 0:
        page = f"{header}<main>{article}{aside}{comments_html}</main>{ad}{footer}"
    elif variant % 3 == 1:
        page = (f'{header}<div class="container"><div class="col-main">{article}{comments_html}</div>'
                f'<div class="sidebar">{aside}{ad}<div class="most-read"><h3>الأكثر قراءة</h3>'
                f'<ol>{related_html}</ol></div></div></div>{footer}')
    else:
        page = (f'{header}<div id="content"><div class="post">{article.replace("<article>", "<div class=entry>").replace("</article>", "</div>")}</div>'
                f'{comments_html}{aside}</div><div class="newsletter">اشترك في النشرة البريدية</div>{ad}{footer}')
    doc = (f'<!DOCTYPE html><html lang="ar" dir="rtl"><head>{head}</head><body>{page}'
           '<script>track();</script></body></html>')
    return SamplePage(record["id"], url, title, body, published, author, doc)


def corpus_records(path: Path, count: int, *, min_chars: int = 400, skip: int = 0):
    """Up to ``count`` records with a title and a body of ``min_chars`` or
    more, spread over the file (every 7th eligible record)."""
    out = []
    seen = 0
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if not record.get("title") or len(record.get("body") or "") < min_chars:
                continue
            seen += 1
            if seen <= skip or seen % 7:
                continue
            out.append(record)
            if len(out) >= count:
                break
    return out


def sample_pages(path: Path, count: int, *, base_url: str = "http://127.0.0.1") -> list[SamplePage]:
    records = corpus_records(path, count + 3)
    pages = []
    for i, record in enumerate(records[:count]):
        record = dict(record, sample_url=f"{base_url}/news/{i}-{record['id']}.html")
        related = [records[(i + k) % len(records)] for k in (1, 2, 3)]
        pages.append(article_page(record, related, variant=i))
    return pages


def write_warc(path: Path, pages, *, captured: str = "2024-03-01T12:00:00Z", extra=()) -> Path:
    """A gzipped WARC holding a request and a response record per page (as
    a crawler writes them); ``extra``: (url, content type, status, bytes)
    responses to add (images, redirects, odd pages)."""
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=str(path).endswith(".gz"))

        def response(url, ctype, status, data):
            headers = StatusAndHeaders(status, [("Content-Type", ctype), ("Content-Length", str(len(data)))],
                                       protocol="HTTP/1.1")
            path_part = "/" + url.split("/", 3)[-1] if url.count("/") >= 3 else "/"
            request_head = f"GET {path_part} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode("utf-8")
            request = writer.create_warc_record(url, "request", payload=BytesIO(request_head),
                                                warc_headers_dict={"WARC-Date": captured})
            writer.write_record(request)
            record = writer.create_warc_record(url, "response", payload=BytesIO(data), http_headers=headers,
                                               warc_headers_dict={"WARC-Date": captured})
            writer.write_record(record)

        for page in pages:
            response(page.url, "text/html; charset=utf-8", "200 OK", page.html.encode("utf-8"))
        for url, ctype, status, data in extra:
            response(url, ctype, status, data)
    return path
