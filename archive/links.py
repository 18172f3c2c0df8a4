"""Links the reading room builds: the search page (filtered), the digit
switcher's options and a request's query string with changes.

Links to the search page go through ``search_url_for`` so that they keep
working before and after the search app routes ``/search/``.
"""
from __future__ import annotations

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from archive.formatting import digit_style_for


def search_base_url() -> str:
    """The search page's URL; ``/search/`` until the search app routes it."""
    try:
        return reverse("search")
    except NoReverseMatch:
        return "/search/"


def search_url_for(**params) -> str:
    """The search page filtered by ``params`` (empty values are dropped)."""
    query = {k: v for k, v in params.items() if v not in (None, "")}
    base = search_base_url()
    return f"{base}?{urlencode(query)}" if query else base


def digit_switcher_options(request) -> dict:
    """The header's digit switcher: one option per style, the active one marked."""
    style = digit_style_for(request)
    next_url = request.get_full_path() if request is not None else "/"
    try:
        base = reverse("set_digits")
    except NoReverseMatch:  # pragma: no cover - urls always define it
        base = "/digits/"
    return {
        "options": [
            {
                "style": "arab",
                "label": "٠١٢٣",
                "name": "أرقام عربية مشرقية",
                "url": f"{base}?{urlencode({'set': 'arab', 'next': next_url})}",
                "active": style == "arab",
            },
            {
                "style": "latn",
                "label": "0123",
                "name": "أرقام لاتينية",
                "url": f"{base}?{urlencode({'set': 'latn', 'next': next_url})}",
                "active": style == "latn",
            },
        ],
    }


def query_string_with(querydict, **changes):
    """The request's query string with ``changes`` (``None`` removes a key)."""
    params = querydict.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return format_html("?{}", encoded) if encoded else ""
