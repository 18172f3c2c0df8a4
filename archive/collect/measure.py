"""Measures of the collector on generated pages (``manage.py measure_collect``).

- ``extraction_quality``: word recall and precision of the body extracted
  from outlet pages against the article's own text, for the extractor
  (trafilatura) and for the text cleaner (``clean_scraped_text``) given the
  page's visible text, as a scraper would have saved it.
- ``page_text``: that visible text (scripts and styles dropped, one line
  per block).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from archive.collect.extract import ExtractionError, extract_article
from archive.importing.cleaning import CleaningError, clean_scraped_text
from archive.importing.tagging import words

_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "header", "footer", "nav", "section", "article",
           "aside", "main", "br", "tr", "ul", "ol", "time", "span"}


def page_text(html_text: str) -> str:
    from lxml import html as lxml_html

    root = lxml_html.fromstring(html_text)
    for bad in root.xpath("//script|//style|//iframe|//noscript"):
        bad.drop_tree()
    lines, current = [], []

    def walk(node):
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _BLOCKS and current:
            lines.append("".join(current))
            current.clear()
        if node.text:
            current.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                current.append(child.tail)
        if tag in _BLOCKS and current:
            lines.append("".join(current))
            current.clear()

    walk(root)
    if current:
        lines.append("".join(current))
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


@dataclass
class Score:
    recall: float = 0.0
    precision: float = 0.0
    pages: int = 0
    failed: int = 0


def overlap(reference: str, found: str) -> tuple[int, int, int]:
    ref, got = Counter(words(reference)), Counter(words(found))
    common = sum((ref & got).values())
    return common, sum(ref.values()), sum(got.values())


def _score(pairs) -> Score:
    common = ref_total = got_total = failed = pages = 0
    for reference, found in pairs:
        pages += 1
        if found is None:
            failed += 1
            found = ""
        c, r, g = overlap(reference, found)
        common, ref_total, got_total = common + c, ref_total + r, got_total + g
    return Score(common / ref_total if ref_total else 0.0, common / got_total if got_total else 0.0, pages, failed)


def _extracted_body(page):
    try:
        return "\n".join(extract_article(page.html, page.url).paragraphs)
    except ExtractionError:
        return None


def _cleaned_body(page):
    try:
        return "\n".join(clean_scraped_text(page_text(page.html)).paragraphs)
    except CleaningError:
        return None


def extraction_quality(pages) -> dict[str, Score]:
    """{"extractor": Score, "cleaner": Score} over ``pages`` (SamplePage)."""
    return {
        "extractor": _score((p.body, _extracted_body(p)) for p in pages),
        "cleaner": _score((p.body, _cleaned_body(p)) for p in pages),
    }
