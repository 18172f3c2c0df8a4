"""Template helpers of the reading room: digits, Arabic dates, counts, links.

Load with ``{% load reading_room %}``.

Digits
------
Readers choose Arabic-Indic (``arab``: ٠١٢٣) or Latin (``latn``: 0123) digits
with the header control, stored in the ``digits`` cookie. The default is
**Latin**: the archived texts themselves (scraped from news sites) carry Latin
digits, as do most Arabic news sites today, so the page chrome matches the
article text; a reader who prefers the Mashriq's Arabic-Indic digits switches
once and the cookie remembers it. The article text is never rewritten: only
numbers the site itself prints (counts, dates, page numbers, chart labels) go
through ``digits``.

The active choice lives in a context variable (like Django's active
language): ``{% activate_digits %}`` at the top of ``base.html`` sets it from
the request, and so does the optional context processor
``archive.context_processors.reading_room`` for templates that do not extend
``base.html``. ``{{ value|digits }}`` then converts; ``{{ value|digits:"arab" }}``
forces a style.

Filters: ``digits``, ``number`` (grouped + digits), ``ar_month``, ``ar_date``
(``"full"`` | ``"month"`` | ``"year"``), ``ar_datetime``, ``ar_count``.
Tags: ``activate_digits``, ``digit_switcher``, ``search_url``, ``chart``.
"""
from __future__ import annotations

import contextvars
import datetime as dt
from urllib.parse import urlencode

from django import template
from django.core.signals import request_finished
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeData, mark_safe

from archive.readers import web_url

register = template.Library()

DIGITS_COOKIE = "digits"
DIGIT_STYLES = ("latn", "arab")
DEFAULT_DIGITS = "latn"

_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_active_digits: contextvars.ContextVar[str] = contextvars.ContextVar("digits", default=DEFAULT_DIGITS)

MONTHS_AR = (
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
    "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
)

UNKNOWN_DATE = "تاريخ غير معروف"


# --- digits -------------------------------------------------------------------

def digit_style_for(request) -> str:
    """The reader's digit style from the ``digits`` cookie (default Latin)."""
    value = getattr(request, "COOKIES", {}).get(DIGITS_COOKIE) if request is not None else None
    return value if value in DIGIT_STYLES else DEFAULT_DIGITS


def activate_digit_style(style: str) -> None:
    _active_digits.set(style if style in DIGIT_STYLES else DEFAULT_DIGITS)


def active_digit_style() -> str:
    return _active_digits.get()


def _reset_digits(**_kwargs):
    _active_digits.set(DEFAULT_DIGITS)


# A thread that served a reader who chose Arabic-Indic digits must not carry the
# choice over into a render that has no request (e.g. the 500 page).
request_finished.connect(_reset_digits, dispatch_uid="reading_room_reset_digits")


def to_digits(value, style: str | None = None) -> str:
    """``value`` as text with ASCII digits in the given (or active) style."""
    text = "" if value is None else str(value)
    style = style or active_digit_style()
    if style == "arab":
        return text.translate(_ARABIC_INDIC)
    return text


def format_number(value, style: str | None = None) -> str:
    """An integer with thousands grouping, in the digit style."""
    style = style or active_digit_style()
    try:
        number = int(value)
    except (TypeError, ValueError):
        return to_digits(value, style)
    text = f"{number:,}"
    if style == "arab":
        text = text.replace(",", "٬")  # ARABIC THOUSANDS SEPARATOR
    return to_digits(text, style)


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
    style = digit_style_for(context.get("request"))
    activate_digit_style(style)
    return ""


@register.inclusion_tag("partials/digit_switcher.html", takes_context=True)
def digit_switcher(context):
    request = context.get("request")
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


# --- dates --------------------------------------------------------------------

def month_name(month: int) -> str:
    return MONTHS_AR[int(month) - 1]


def format_date(value, fmt: str = "full", style: str | None = None) -> str:
    """A date in Arabic: ``26 يوليو 2022`` / ``يوليو 2022`` / ``2022``; "" for None."""
    if value in (None, ""):
        return ""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    if not isinstance(value, dt.date):
        return ""
    if fmt == "year":
        text = f"{value.year}"
    elif fmt == "month":
        text = f"{month_name(value.month)} {value.year}"
    else:
        text = f"{value.day} {month_name(value.month)} {value.year}"
    return to_digits(text, style)


@register.filter
def ar_month(value):
    """A month number (1–12) or a date as the Arabic month name."""
    if isinstance(value, (dt.date, dt.datetime)):
        return month_name(value.month)
    try:
        return month_name(int(value))
    except (TypeError, ValueError, IndexError):
        return ""


@register.filter
def ar_date(value, fmt="full"):
    return format_date(value, fmt or "full")


@register.filter
def ar_datetime(value):
    """``26 يوليو 2022، الساعة 13:05 بتوقيت غرينتش`` (local time of the site)."""
    if not isinstance(value, dt.datetime):
        return format_date(value)
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    text = f"{format_date(local.date())}، الساعة {to_digits(local.strftime('%H:%M'))}"
    if timezone.get_current_timezone_name() in ("UTC", "Etc/UTC", "GMT"):
        text += " بتوقيت غرينتش"
    return text


# --- counted nouns ----------------------------------------------------------------

# (one, two, few 3–10, many 11–99, other 100+) after the CLDR Arabic plural rules.
NOUNS = {
    "article": ("مقال واحد", "مقالان", "مقالات", "مقالاً", "مقال"),
    "source": ("مصدر واحد", "مصدران", "مصادر", "مصدراً", "مصدر"),
    "country": ("بلد واحد", "بلدان", "بلدان", "بلداً", "بلد"),
    "topic": ("موضوع واحد", "موضوعان", "موضوعات", "موضوعاً", "موضوع"),
    "result": ("نتيجة واحدة", "نتيجتان", "نتائج", "نتيجة", "نتيجة"),
    "page": ("صفحة واحدة", "صفحتان", "صفحات", "صفحة", "صفحة"),
}
ZERO = {
    "article": "لا مقالات",
    "source": "لا مصادر",
    "country": "لا بلدان",
    "topic": "لا موضوعات",
    "result": "لا نتائج",
    "page": "لا صفحات",
}


def count_noun(n, noun: str, style: str | None = None) -> str:
    """``5 مقالات``, ``مقالان``, ``11 مقالاً`` … with the digit style applied."""
    forms = NOUNS[noun]
    try:
        n = int(n)
    except (TypeError, ValueError):
        return ""
    if n == 0:
        return ZERO[noun]
    if n == 1:
        return forms[0]
    if n == 2:
        return forms[1]
    rest = n % 100
    if 3 <= rest <= 10:
        word = forms[2]
    elif 11 <= rest <= 99:
        word = forms[3]
    else:
        word = forms[4]
    return f"{format_number(n, style)} {word}"


@register.filter
def ar_count(value, noun="article"):
    if noun not in NOUNS:
        return format_number(value)
    return count_noun(value, noun)


# --- links ----------------------------------------------------------------------

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
    params = querydict.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return format_html("?{}", encoded) if encoded else ""
