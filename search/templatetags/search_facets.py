"""The facet lists of the results page, rendered in Python.

A results page at 70k lists 150-250 facet values; one ``{% include %}`` per
value cost most of the template's time. The markup is the same as that of an
item template would be, built with f-strings, every value passed through ``html.escape``.

Load with ``{% load search_facets %}``:
- ``{% facet_options group items %}``: checkbox items of a facet group;
- ``{% facet_links items %}``: link items (the months).
"""
from __future__ import annotations

from html import escape  # the stdlib's (Django's adds a lazy wrapper per call); same output
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from archive.formatting import format_number, to_digits

register = template.Library()

_COUNT = '<span class="facet-count"><span class="visually-hidden">عدد النتائج: </span>{}</span>'


_PERSON_URL: dict[str, str] = {}
_CURRENT = ' aria-current="true"'
_TICK = '<span aria-hidden="true">✓ </span>'


def _person_url(slug: str) -> str:
    """The person page's URL (``person_detail``), reversed once per process."""
    if "pattern" not in _PERSON_URL:
        _PERSON_URL["pattern"] = reverse("person_detail", args=["SLUG"])
    return _PERSON_URL["pattern"].replace("SLUG", quote(slug, safe=""), 1)


def _option(group: str, item: dict) -> str:
    selected = bool(item.get("selected"))
    box_id = escape(f"f-{group}-{item['value']}")
    label = escape(item["label"])
    person = (f'\n  <a class="facet-option__page" href="{escape(_person_url(str(item["value"])))}" '
              f'aria-label="صفحة {label}">صفحته</a>' if group == "person" else "")
    return (f'<li class="facet-option{" is-selected" if selected else ""}">\n'
            f'  <input type="checkbox" id="{box_id}" name="{escape(group)}" value="{escape(item["value"])}"'
            f'{" checked" if selected else ""}>\n'
            f'  <label for="{box_id}">{label}</label>\n'
            f'  {_COUNT.format(escape(format_number(item["count"])))}{person}\n'
            '</li>')


def _link(item: dict) -> str:
    selected = bool(item.get("selected"))
    return (f'<li class="facet-option{" is-selected" if selected else ""}">\n'
            f'  <a href="{escape(item["url"])}"{_CURRENT if selected else ""}>'
            f'{_TICK if selected else ""}{escape(to_digits(str(item["label"])))}</a>\n'
            f'  {_COUNT.format(escape(format_number(item["count"])))}\n'
            '</li>')


@register.simple_tag
def facet_options(group, items):
    name = group["name"] if isinstance(group, dict) else group.name
    return mark_safe("".join(_option(name, item) for item in items))


@register.simple_tag
def facet_links(items):
    return mark_safe("".join(_link(item) for item in items))
