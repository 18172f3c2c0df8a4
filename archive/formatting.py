"""Formatting for the reading room: digits, Arabic dates and months, counts.

Plain functions (no template registration: ``archive.templatetags.reading_room``
registers the filters and tags that call these).

Digits
------
Readers choose Arabic-Indic (``arab``: ٠١٢٣) or Latin (``latn``: 0123) digits
with the header control, stored in the ``digits`` cookie. The default is
**Latin**: the archived texts themselves (scraped from news sites) carry Latin
digits, as do most Arabic news sites today, so the page chrome matches the
article text; a reader who prefers the Mashriq's Arabic-Indic digits switches
once and the cookie remembers it. The article text is never rewritten: only
numbers the site itself prints (counts, dates, page numbers, chart labels) go
through ``to_digits``.

The active choice lives in a context variable (like Django's active
language): ``activate_digit_style`` sets it (``{% activate_digits %}`` at the
top of ``base.html`` and the context processor call it from the request);
``to_digits``/``format_number`` use it unless a style is given.

Dates and months: ``month_name(month)``, ``month_label("YYYY-MM")``,
``format_date(value, "full" | "month" | "year")``, ``format_datetime``.
Counts: ``count_noun(n, noun)`` after the CLDR Arabic plural rules.
"""
from __future__ import annotations

import contextvars
import datetime as dt

from django.core.signals import request_finished
from django.utils import timezone

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


# --- months and dates -------------------------------------------------------------

def month_name(month: int) -> str:
    return MONTHS_AR[int(month) - 1]


def month_label(value: str) -> str:
    """``"2022-07"`` → ``يوليو 2022`` (Latin digits); ``value`` unchanged if
    it is not a month."""
    try:
        year, month = value.split("-")
        return f"{month_name(month)} {int(year)}"
    except (ValueError, IndexError):
        return value


def month_of(value) -> str:
    """A month number (1–12) or a date as the Arabic month name; "" otherwise."""
    if isinstance(value, (dt.date, dt.datetime)):
        return month_name(value.month)
    try:
        return month_name(int(value))
    except (TypeError, ValueError, IndexError):
        return ""


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


def format_datetime(value) -> str:
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


def count_label(value, noun: str = "article") -> str:
    """``count_noun`` for a known noun, else the grouped number."""
    if noun not in NOUNS:
        return format_number(value)
    return count_noun(value, noun)
