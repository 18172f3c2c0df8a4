"""HTML -> the article it carries: title, paragraphs, date, author, canonical URL.

trafilatura finds the main text (navigation, tickers, comments, related
links, share buttons left out) and the metadata; htmldate is asked for the
date when trafilatura has none. Whatever the page holds (scripts, iframes,
``javascript:`` links), the result is plain text only.

Bytes are decoded with the charset the server declared, else the one the
page declares, else UTF-8, else a detected one (charset_normalizer); a page
that cannot be decoded is refused with a clear message.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

HTML_TYPES = ("text/html", "application/xhtml+xml")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
# Share of U+FFFD in the decoded text above which the page is refused.
MAX_REPLACEMENT_SHARE = 0.02
MIN_BODY_CHARS = 80


class ExtractionError(ValueError):
    """A page that holds no article we can store (message says why)."""


@dataclass
class Extracted:
    url: str              # canonical URL if the page gives one, else the fetched URL
    title: str
    paragraphs: list[str]
    published: dt.date | None
    author: str
    text: str             # title + body as plain text (the article's raw text)
    sitename: str = ""    # the outlet's name as the page gives it (og:site_name)


def charset_of(content_type: str) -> str:
    """The ``charset`` parameter of a Content-Type header ("" when absent)."""
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("\"'").lower()
    return ""


def _try_decode(data: bytes, charset: str):
    try:
        return data.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return None


def decode_html(data: bytes, declared: str = "") -> str:
    """The page as text, or ExtractionError when its encoding is broken."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExtractionError("binary content, not a web page")
    candidates = []
    if declared:
        candidates.append(declared)
    match = _META_CHARSET.search(data[:4096])
    if match:
        candidates.append(match.group(1).decode("ascii", "ignore").lower())
    candidates += ["utf-8-sig"]
    for charset in candidates:
        text = _try_decode(data, charset)
        if text is not None:
            return text
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    text = str(best) if best is not None else data.decode("utf-8", "replace")
    if text.count("\ufffd") > MAX_REPLACEMENT_SHARE * max(len(text), 1):
        raise ExtractionError("broken text encoding: the page cannot be decoded")
    return text


def _date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value if not isinstance(value, dt.datetime) else value.date()
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _plain(text: str) -> str:
    return " ".join((text or "").split())


_META = {
    "title": ('//meta[@property="og:title"]/@content', '//meta[@name="twitter:title"]/@content', "//h1"),
    "date": ('//meta[@property="article:published_time"]/@content', '//meta[@itemprop="datePublished"]/@content',
             '//*[@itemprop="datePublished"]/@datetime', '//meta[@name="date"]/@content',
             '//meta[@name="pubdate"]/@content', "//article//time/@datetime", "//time/@datetime"),
    "author": ('//meta[@name="author"]/@content', '//meta[@property="article:author"]/@content',
               '//*[@rel="author"]//text()', '//*[contains(@class, "author")]//text()'),
    "canonical": ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'),
    "sitename": ('//meta[@property="og:site_name"]/@content',),
}


_TITLE_SEPARATORS = re.compile(r"\s+[|–—-]\s+|\s+::\s+")


def _page_title(tree) -> str:
    """The document's <title> without the site's name («الخبر | الموقع»): its longest part."""
    title = _plain(" ".join(tree.xpath("//title/text()")))
    parts = [p for p in _TITLE_SEPARATORS.split(title) if p.strip()]
    return max(parts, key=len) if parts else ""


def _first(tree, paths) -> str:
    for path in paths:
        for value in tree.xpath(path):
            value = _plain(value.text_content() if hasattr(value, "text_content") else str(value))
            if value:
                return value
    return ""


def extract_article(html_text: str, url: str = "") -> Extracted:
    """The article of one page (raises ExtractionError when there is none).

    Metadata is read from the page's own markup (Open Graph, schema.org,
    ``<time>``, ``<h1>``), htmldate looks for the date where none is given;
    trafilatura (fast mode) finds the body.
    """
    import trafilatura
    from trafilatura.utils import load_html

    if not html_text or not html_text.strip():
        raise ExtractionError("empty page")
    tree = load_html(html_text)
    if tree is None:
        raise ExtractionError("not a web page (no HTML could be parsed)")
    title = (_first(tree, _META["title"]) or _page_title(tree))[:500]
    published = _date(_first(tree, _META["date"]))
    author = _first(tree, _META["author"])[:300]
    canonical = _first(tree, _META["canonical"])
    sitename = _first(tree, _META["sitename"])[:200]
    if published is None:
        published = _find_date(tree, url)
    try:
        doc = trafilatura.bare_extraction(
            tree, url=url or None, with_metadata=False, include_comments=False, include_tables=False,
            include_images=False, include_links=False, fast=True, favor_precision=True, deduplicate=False,
        )
    except Exception as exc:  # a library failure on odd markup is the page's problem
        raise ExtractionError(f"extraction failed: {type(exc).__name__}: {exc}") from exc
    if doc is None:
        raise ExtractionError("no article text found on the page")
    body = getattr(doc, "text", "") or ""
    paragraphs = [_plain(line) for line in body.split("\n") if _plain(line)]
    if sum(len(p) for p in paragraphs) < MIN_BODY_CHARS:
        raise ExtractionError("no article text found on the page (too short)")
    if paragraphs and title and _plain(paragraphs[0]) == title:
        paragraphs = paragraphs[1:]
    if canonical and url:
        from urllib.parse import urljoin

        canonical = urljoin(url, canonical)
    if not canonical.lower().startswith(("http://", "https://")):
        canonical = url
    text = title + "\n\n" + "\n\n".join(paragraphs)
    return Extracted(url=canonical, title=title, paragraphs=paragraphs, published=published,
                     author=author, text=text, sitename=sitename)


def _find_date(tree, url: str) -> dt.date | None:
    from htmldate import find_date

    try:
        return _date(find_date(tree, url=url or None, extensive_search=False, original_date=True))
    except Exception:  # htmldate on a broken page: no date rather than no article
        return None


def extract_html_bytes(data: bytes, url: str = "", content_type: str = "text/html", charset: str = "") -> Extracted:
    """``extract_article`` on a response body, refusing what is not HTML."""
    if content_type and content_type.split(";")[0].strip().lower() not in HTML_TYPES:
        raise ExtractionError(f"not a web page (content type {content_type[:80]})")
    return extract_article(decode_html(data, charset or charset_of(content_type)), url)
