"""Template tags and filters of the reading room (registration only).

Load with ``{% load reading_room %}``. The logic lives in
``archive.formatting`` (digits, Arabic dates and months, counts) and
``archive.links`` (search links, digit switcher, query strings).

Filters: ``digits``, ``number`` (grouped + digits), ``ar_month``, ``ar_date``
(``"full"`` | ``"month"`` | ``"year"``), ``ar_datetime``, ``ar_count``,
``web_url``.
Tags: ``activate_digits``, ``digit_switcher``, ``search_url``, ``chart``,
``query_string``.
"""
from __future__ import annotations

from django import template
from django.utils.safestring import SafeData, mark_safe

from archive.formatting import (
    DIGIT_STYLES,
    activate_digit_style,
    count_label,
    digit_style_for,
    format_date,
    format_datetime,
    format_number,
    month_of,
    to_digits,
)
from archive.importing.readers import web_url
from archive.links import digit_switcher_options, query_string_with, search_url_for

register = template.Library()


@register.filter(is_safe=True)
def digits(value, style=None):
    """Convert the digits of plain text (never of markup: URLs would break)."""
    converted = to_digits(value, style if style in DIGIT_STYLES else None)
    if isinstance(value, SafeData):
        return mark_safe(converted)  # only digits changed; no markup added
    return converted


@register.filter
def number(value, style=None):
    return format_number(value, style if style in DIGIT_STYLES else None)


# ``value`` if it is an http(s) URL, else "": a stored ``javascript:`` link is
# never rendered as a link.
register.filter("web_url", web_url)


@register.simple_tag(takes_context=True)
def activate_digits(context):
    """Set the active digit style from the request; renders nothing."""
    activate_digit_style(digit_style_for(context.get("request")))
    return ""


@register.inclusion_tag("partials/digit_switcher.html", takes_context=True)
def digit_switcher(context):
    return digit_switcher_options(context.get("request"))


@register.filter
def ar_month(value):
    """A month number (1–12) or a date as the Arabic month name."""
    return month_of(value)


@register.filter
def ar_date(value, fmt="full"):
    return format_date(value, fmt or "full")


@register.filter
def ar_datetime(value):
    return format_datetime(value)


@register.filter
def ar_count(value, noun="article"):
    return count_label(value, noun)


@register.simple_tag
def search_url(**params):
    """``{% search_url country=c.code %}`` → ``/search/?country=RU``."""
    return search_url_for(**params)


@register.inclusion_tag("partials/chart.html")
def chart(chart_data):
    """Render a chart built by ``archive.charts.build_chart`` (figure + data table)."""
    return {"chart": chart_data}


@register.simple_tag
def query_string(querydict, **changes):
    """The request's query string with ``changes`` (``None`` removes a key)."""
    return query_string_with(querydict, **changes)

