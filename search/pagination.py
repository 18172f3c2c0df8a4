"""Numbered page links for the results page (plain functions, no Django).

``page_numbers(current, pages, around=2)`` gives the page numbers to show:
the first, the last and ``around`` neighbours on each side of the current
page, with ``None`` where numbers are left out (shown as «…»):

    page_numbers(6, 25) == [1, None, 4, 5, 6, 7, 8, None, 25]

A gap of a single page is filled with that page rather than «…», so a gap
always hides at least two pages.
"""
from __future__ import annotations

GAP = None


def page_numbers(current: int, pages: int, around: int = 2) -> list:
    """Page numbers around ``current`` in 1..``pages`` with ``GAP`` (None)
    where two or more pages are skipped; [] when there are no pages.

    ``current`` outside 1..pages is clamped for choosing the neighbours."""
    if pages < 1:
        return []
    around = max(around, 0)
    current = min(max(current, 1), pages)
    shown = {1, pages} | set(range(max(1, current - around), min(pages, current + around) + 1))
    out: list = []
    previous = 0
    for number in sorted(shown):
        if number - previous == 2:
            out.append(previous + 1)  # one page hidden: show it instead of «…»
        elif number - previous > 2:
            out.append(GAP)
        out.append(number)
        previous = number
    return out


def page_links(current: int, pages: int, url_for, around: int = 2) -> list[dict]:
    """``page_numbers`` as dicts for a template: ``{"number", "url",
    "current"}`` per page and ``{"gap": True}`` per gap; ``url_for(number)``
    builds each link."""
    links = []
    for number in page_numbers(current, pages, around):
        if number is GAP:
            links.append({"gap": True})
        else:
            links.append({"number": number, "url": url_for(number), "current": number == current})
    return links
