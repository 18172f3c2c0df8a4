"""Feeds and sitemaps -> the article links they list.

RSS/Atom through feedparser; sitemaps (``urlset`` and ``sitemapindex``,
Google News extension too) through lxml with entities and network off.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import feedparser
from lxml import etree

from archive.collect.urls import is_web_url

MAX_ENTRIES = 2000  # links taken from one feed or sitemap


@dataclass
class Entry:
    url: str
    title: str = ""
    published: dt.date | None = None


@dataclass
class Listing:
    entries: list[Entry]
    sitemaps: list[str]  # child sitemaps of a sitemap index
    error: str = ""


def _date_from_struct(value):
    if value:
        try:
            return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
        except (ValueError, AttributeError):
            return None
    return None


def parse_feed(data: bytes) -> Listing:
    parsed = feedparser.parse(data)
    entries = []
    for item in parsed.entries[:MAX_ENTRIES]:
        link = (item.get("link") or "").strip()
        if not is_web_url(link):
            continue
        entries.append(Entry(
            url=link,
            title=" ".join((item.get("title") or "").split()),
            published=_date_from_struct(item.get("published_parsed") or item.get("updated_parsed")),
        ))
    error = ""
    if not entries and parsed.get("bozo"):
        error = f"not a readable feed: {parsed.get('bozo_exception')}"[:500]
    return Listing(entries, [], error)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_sitemap(data: bytes) -> Listing:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return Listing([], [], f"not a readable sitemap: {exc}")
    if root is None:
        return Listing([], [], "not a readable sitemap: empty document")
    entries, children = [], []
    kind = _local(root.tag)
    for node in root:
        if _local(node.tag) not in ("url", "sitemap"):
            continue
        loc, lastmod, title = "", None, ""
        for child in node.iter():
            name = _local(child.tag)
            text = (child.text or "").strip()
            if name == "loc" and not loc:
                loc = text
            elif name in ("lastmod", "publication_date") and text and lastmod is None:
                try:
                    lastmod = dt.date.fromisoformat(text[:10])
                except ValueError:
                    lastmod = None
            elif name == "title" and text:
                title = " ".join(text.split())
        if not is_web_url(loc):
            continue
        if kind == "sitemapindex":
            children.append(loc)
        else:
            entries.append(Entry(url=loc, title=title, published=lastmod))
        if len(entries) + len(children) >= MAX_ENTRIES:
            break
    if kind not in ("urlset", "sitemapindex"):
        return Listing([], [], f"not a sitemap (root element <{kind}>)")
    return Listing(entries, children)
