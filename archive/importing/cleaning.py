"""Turn a scraped plain-text Arabic news page into a clean article.

Plain Python (no Django import) so it can be used by the importer, by
management commands and by tests alike.

Entry points:

* ``clean_scraped_text(raw) -> CleanedText`` -- drop tickers, boilerplate,
  promos and datelines, pick the headline, split the body into paragraphs and
  extract publication metadata that the text itself states.
* ``strip_boilerplate(lines) -> list[str]`` -- the same line rules for a body
  whose title is known separately (structured records); no headline logic.
* ``parse_arabic_date(text) -> date | None`` -- find a day/month/year date in
  Arabic text ("26 - 07 - 2022", "26 يونيو 2023", "٢٦ حزيران ٢٠٢٣",
  "3 جوان 2022" ...).  Never guesses: relative dates, partial dates and
  ambiguous strings give ``None``.

All rules are feature based (line length, segment structure, punctuation,
position in the text) plus small regex tables of boilerplate *families*,
matched on a normalized form of the line and anchored / length-limited so
that an ordinary news sentence mentioning e.g. "تعليق" is never dropped.
"""

from __future__ import annotations

import datetime
import re
import statistics
from dataclasses import dataclass, field

__all__ = [
    "CleanedText",
    "CleaningError",
    "clean_scraped_text",
    "parse_arabic_date",
    "strip_boilerplate",
]


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


@dataclass
class CleanedText:
    title: str
    paragraphs: list[str]
    published: datetime.date | None = None  # only if the text states it
    source_name: str | None = None  # outlet named by the text itself
    removed: list[str] = field(default_factory=list)  # dropped lines (debugging)

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


class CleaningError(ValueError):
    """Raised when nothing article-like is left (empty input, only noise)."""


# ---------------------------------------------------------------------------
# Text normalization helpers (local on purpose: the search package has its
# own normalizer and is developed separately)
# ---------------------------------------------------------------------------

# Arabic-Indic (U+0660..) and Extended Arabic-Indic / Persian (U+06F0..) digits.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
# Harakat, tanween, shadda, sukun, superscript alef, Quranic marks.
_DIACRITICS_RE = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
# Zero-width and bidi control characters that scrapers leave behind.
_INVISIBLE_RE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff\u00ad]")
_ALEF_RE = re.compile("[أإآٱ]")
_WS_RE = re.compile(r"\s+")
# Letters or digits of any script (used to spot purely decorative lines).
_WORDISH_RE = re.compile(r"[^\W_]")
# What _norm() deletes (invisible characters, diacritics, tatweel), as one
# pattern, and the non-ASCII digits it folds (rare: only then is the slow
# per-character str.translate worth running).
_NORM_DELETE_RE = re.compile(
    "[" + _INVISIBLE_RE.pattern[1:-1] + _DIACRITICS_RE.pattern[1:-1] + _TATWEEL + "]+"
)
_NON_ASCII_DIGIT_RE = re.compile("[٠-٩۰-۹]")


def _norm(text: str) -> str:
    """Normalized form used only for *matching* (never returned to callers).

    Invisible characters, diacritics and tatweel go, Arabic-Indic digits
    become ASCII, alef forms «أ إ آ ٱ» become «ا», «ى» «ي» and «ة» «ه»;
    whitespace is collapsed, the result lower-cased.
    """
    text = _NORM_DELETE_RE.sub("", text)
    if _NON_ASCII_DIGIT_RE.search(text):
        text = text.translate(_DIGITS)
    text = (
        text.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا").replace("ٱ", "ا")
        .replace("ى", "ي").replace("ة", "ه")
    )
    return " ".join(text.split()).lower()


def _collapse(text: str) -> str:
    """Trim and collapse every run of whitespace (incl. NBSP) to one space.

    ``str.split()`` splits on exactly the characters ``\\s`` matches.
    """
    return " ".join(text.split())


def _words(text: str) -> int:
    return len(text.split())


def _line_words(collapsed: str) -> int:
    """``_words`` of a collapsed text (single spaces, no edges: ``_Line.text``
    and ``_Line.norm``), counted without splitting it."""
    return collapsed.count(" ") + 1 if collapsed else 0


_CLOSERS = "\"'”’»)]}›*"
_TERMINAL = ".!?؟…"


def _ends_sentence(text: str) -> bool:
    """True when the line ends like a sentence (., !, ؟, … possibly before a
    closing quote/bracket).  Headlines and subheadings usually do not."""
    stripped = text.rstrip().rstrip(_CLOSERS).rstrip()
    return bool(stripped) and stripped[-1] in _TERMINAL


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------

# dateparser's base "ar" locale only knows the Egyptian/Gulf month names
# (يناير ... ديسمبر).  The regional sets live in sub-locales: ar-IQ has the
# Syriac/Levantine names (كانون الثاني، شباط، آذار ... حزيران، تموز، آب ...),
# ar-DZ / ar-TN the French-derived Maghreb names (جانفي، فيفري، أفريل، ماي،
# جوان، جويلية، أوت), ar-MA the Moroccan ones (يوليوز، غشت، شتنبر، نونبر،
# دجنبر) and ar-MR the Mauritanian spellings.  Each is tried in turn.
_DATE_LOCALES = ("ar", "ar-IQ", "ar-DZ", "ar-TN", "ar-MA", "ar-MR")
_DATEPARSER_SETTINGS = {
    "DATE_ORDER": "DMY",
    "PREFER_DAY_OF_MONTH": "first",
    "REQUIRE_PARTS": ["day", "month", "year"],  # no guessing of missing parts
    "STRICT_PARSING": True,
    "PARSERS": ["absolute-time"],  # no relative dates ("أمس", "منذ 3 أيام")
    "RETURN_AS_TIMEZONE_AWARE": False,
}
_date_parsers: dict[str, object] | None = None


def _get_date_parsers() -> dict[str, object]:
    global _date_parsers
    if _date_parsers is None:
        from dateparser.date import DateDataParser  # imported lazily (slow)

        _date_parsers = {
            loc: DateDataParser(
                languages=["ar"],
                locales=[loc],
                settings=_DATEPARSER_SETTINGS,
                try_previous_locales=False,
                use_given_order=True,
            )
            for loc in _DATE_LOCALES
        }
    return _date_parsers


_MIN_YEAR, _MAX_YEAR = 1900, 2100

# Numeric day-first dates: "26 - 07 - 2022", "26/7/2022", "26.07.2022".
_NUMERIC_DMY_RE = re.compile(r"(?<!\d)(\d{1,2})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{4})(?!\d)")
# ISO-like year-first dates: "2022-07-26", "2022/07/26".
_NUMERIC_YMD_RE = re.compile(r"(?<!\d)(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?!\d)")
# "<day> [من] [شهر] <month>[/<month>] [،] [عام|سنة] <year>".  Two-word Levantine
# months (كانون الثاني، تشرين الأول ...) are matched as one token.
_MONTH_TOKEN = r"(?:(?:كانون|تشرين)\s+(?:ال)?(?:[اأ]ول|ثاني)|(?:كانون|تشرين)\s*[12]|[\u0621-\u064a]+)"
_NAMED_DATE_RE = re.compile(
    r"(?<!\d)(\d{1,2})\s+(?:من\s+)?(?:شهر\s+)?"
    r"(" + _MONTH_TOKEN + r")"
    r"(?:\s*[/(]\s*(" + _MONTH_TOKEN + r")\s*\)?)?"
    r"\s*[،,]?\s*(?:من\s+)?(?:عام\s+|سنة\s+|سنه\s+)?(\d{4})(?!\d)"
)


def _prepare_date_text(text: str) -> str:
    text = _INVISIBLE_RE.sub("", text).translate(_DIGITS)
    text = _DIACRITICS_RE.sub("", text).replace(_TATWEEL, "")
    return _WS_RE.sub(" ", text)


def _make_date(year: int, month: int, day: int) -> datetime.date | None:
    if not (_MIN_YEAR <= year <= _MAX_YEAR):
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _parse_named(day: str, month: str, year: str) -> datetime.date | None:
    if not (_MIN_YEAR <= int(year) <= _MAX_YEAR):
        return None
    candidate = f"{int(day)} {month} {year}"
    for parser in _get_date_parsers().values():
        try:
            result = parser.get_date_data(candidate)  # type: ignore[attr-defined]
        except Exception:  # dateparser must never break cleaning
            continue
        if result and result.date_obj is not None:
            return _make_date(result.date_obj.year, result.date_obj.month, result.date_obj.day)
    return None


def parse_arabic_date(text: str) -> datetime.date | None:
    """Return the first complete (day, month, year) date stated in ``text``.

    Numeric dates are read day-first ("26 - 07 - 2022"), except unambiguous
    ISO "2022-07-26".  Month names come from dateparser's Arabic locales (all
    regional sets).  Returns ``None`` when unsure: no relative dates, no
    partial dates, no impossible dates.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    prepared = _prepare_date_text(text)

    found: list[tuple[int, datetime.date]] = []
    for m in _NUMERIC_DMY_RE.finditer(prepared):
        d = _make_date(int(m.group(4)), int(m.group(3)), int(m.group(1)))
        if d:
            found.append((m.start(), d))
            break
    for m in _NUMERIC_YMD_RE.finditer(prepared):
        d = _make_date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
        if d:
            found.append((m.start(), d))
            break
    for m in _NAMED_DATE_RE.finditer(prepared):
        day, month, alt, year = m.groups()
        d = _parse_named(day, month, year)
        if d is None and alt:
            d = _parse_named(day, alt, year)
        if d:
            found.append((m.start(), d))
            break
    if not found:
        return None
    return min(found, key=lambda item: item[0])[1]


# ---------------------------------------------------------------------------
# Line features
# ---------------------------------------------------------------------------

# Separators inside a headline ticker: runs of 2+ whitespace characters
# (NBSP included), or a spaced pipe/bullet.
_TICKER_SPLIT_RE = re.compile(r"\s{2,}|\s[|•·▪◄►]\s")


def _ticker_segments(line: str) -> list[str]:
    return [s.strip() for s in _TICKER_SPLIT_RE.split(line.strip()) if s.strip()]


_TICKER_BULLETS = "|•·▪◄►"


def _is_ticker(line: str, collapsed: str | None = None) -> bool:
    """A headline ticker: one long line made of many short segments separated
    by runs of spaces (or | / •), almost none of which is a sentence.

    ``collapsed`` (``_collapse(line)``, if the caller has it) allows a quick
    no: a line whose collapsed form is as long as the stripped line has no
    run of two spaces, and without a bullet it has no separator at all.
    """
    stripped = line.strip()
    if len(stripped) < 80:
        return False
    if collapsed is not None and len(collapsed) == len(stripped) \
            and not any(bullet in stripped for bullet in _TICKER_BULLETS):
        return False
    segments = _ticker_segments(stripped)
    if len(segments) < 4:
        return False
    word_counts = [_words(s) for s in segments]
    # Sloppy double spacing between single words is not a ticker.
    if statistics.median(word_counts) < 2 or statistics.mean(word_counts) > 25:
        return False
    sentence_like = sum(
        1 for s in segments if (s.endswith(".") and not s.endswith("..")) or ". " in s
    )
    return sentence_like / len(segments) < 0.25


# Boilerplate families: (family, regex on the _norm()-alized line, max words).
# The word limit keeps a real news sentence that merely contains one of these
# words from being dropped; most patterns are also anchored at line start.
_SOCIAL = (
    r"(?:فيسبوك|فيس بوك|تويتر|اكس|واتساب|واتس اب|تيليجرام|تليجرام|تلغرام|تلجرام|"
    r"انستغرام|انستجرام|انستقرام|يوتيوب|تيك توك|لينكد ?ان|جوجل نيوز|غوغل نيوز|"
    r"google news|facebook|twitter|whatsapp|telegram|instagram|youtube|tiktok|linkedin)"
)
_BOILERPLATE: list[tuple[str, re.Pattern[str], int]] = [
    # Comment forms: "leave a reply/comment", "email will not be published",
    # "required fields are marked", form field labels, comment counters.
    ("comment", re.compile(r"^(?:اترك|اضف|اكتب|ارسل|شاركنا|سجل)\s+(?:تعليقا|تعليق|تعليقك|ردا|رد|ردك|رايك)\b"), 8),
    ("comment", re.compile(
        r"^(?:التعليقات|تعليقات|تعليقات القراء|عدد التعليقات|لا توجد تعليقات|\d+ تعليقات?|"
        r"كن اول من يعلق|الغاء الرد|ارسال التعليق|اضف تعليقك|علق)\W*$"), 6),
    ("comment", re.compile(
        r"بريدك? الالكتروني.{0,40}(?:لن|لا) (?:يتم )?(?:ينشر|نشر|يظهر|تنشر)|"
        r"(?:لن|لا) (?:يتم )?(?:ينشر|نشر|يظهر|تنشر).{0,40}بريدك? الالكتروني"), 30),
    ("comment", re.compile(r"الحقول (?:الالزاميه|المطلوبه|الاجباريه)"), 30),
    ("comment", re.compile(r"^(?:الاسم|الاسم الكامل|البريد الالكتروني|الموقع الالكتروني|التعليق)\s*\*?\s*:?\s*\*?$"), 4),
    ("comment", re.compile(r"^احفظ اسمي"), 30),
    # Share / follow-us / subscribe / newsletter / app promos.
    ("share", re.compile(
        r"^(?:شارك|مشاركه|انشر)(?:\s+(?:الخبر|المقال|الموضوع|الصفحه|هذا \S+|عبر|علي|مع اصدقائك))*"
        r"\s*:?(?:\s*" + _SOCIAL + r"|\s*[,،|/-])*\s*$"), 8),
    ("follow", re.compile(
        r"^(?:تابعونا|تابعنا|تابعوا|تابع|انضم|انضموا|اشترك|اشتركوا|اشترك الان)\b.*\b(?:علي|عبر|في)\s.*"
        + _SOCIAL), 20),
    ("follow", re.compile(r"(?:قناتنا|صفحتنا|حسابنا)\s.{0,30}(?:علي|عبر)\s.*" + _SOCIAL), 20),
    ("newsletter", re.compile(
        r"^(?:اشترك|اشتركوا|سجل)\b.*(?:النشره البريديه|نشرتنا|القائمه البريديه|newsletter)"), 25),
    ("newsletter", re.compile(r"^(?:النشره البريديه|newsletter)\b"), 10),
    ("app", re.compile(r"^(?:حمل|حملوا|نزل|نزلوا|قم بتحميل|قم بتنزيل|احصل علي)\s+(?:تطبيق|التطبيق)"), 20),
    ("app", re.compile(r"تطبيق.*(?:app store|google play|جوجل بلاي|اب ستور)"), 20),
    # "Click here to read the story from its source" and source links.
    ("source_link", re.compile(r"^(?:انقر|انقروا|اضغط|اضغطوا)\s+(?:هنا|علي الرابط|علي هذا الرابط)"), 15),
    ("source_link", re.compile(
        r"^(?:لقراءه|للاطلاع علي|لمتابعه)\s+(?:الخبر|المقال|الموضوع|التفاصيل).*(?:مصدره|المصدر|الرابط|الاصلي)"), 15),
    ("source_link", re.compile(r"^(?:اقرا|قراءه)\s+(?:الخبر|المقال|المزيد|التفاصيل)(?:\s+(?:كاملا|من المصدر|من مصدره))?\W*$"), 6),
    ("source_link", re.compile(r"^(?:الرابط|رابط)(?:\s+(?:المصدر|الخبر|المختصر|المقال))?\s*:"), 10),
    # "Back to top" buttons, breadcrumbs, next/previous article links.
    ("navigation", re.compile(
        r"^(?:زر\s+)?(?:الذهاب|العوده|الرجوع|انتقل)\s+(?:الي\s+|ل)?(?:الاعلي|اعلي الصفحه|بدايه الصفحه)\W*$"), 8),
    ("navigation", re.compile(r"^(?:الي الاعلي|للاعلي|اعلي الصفحه)\W*$"), 4),
    ("navigation", re.compile(r"^الرئيسيه\s*[»›>/|-]"), 12),
    ("navigation", re.compile(r"^(?:المقال|الخبر|الموضوع)\s+(?:التالي|السابق)\b"), 20),
    # "Related articles" / "read also" headers (a linked headline may follow
    # on the same line after a colon).
    ("related", re.compile(
        r"^(?:مقالات|اخبار|مواضيع|موضوعات|قصص|تقارير)\s+"
        r"(?:ذات صله|ذات علاقه|متعلقه|مشابهه|مرتبطه|قد تهمك|اخري)\W*$"), 5),
    ("related", re.compile(r"^(?:ذات صله|الاكثر (?:قراءه|مشاهده|تداولا|شعبيه))\W*$"), 4),
    ("related", re.compile(r"^(?:اقرا|اقرئي|اقراوا|شاهد|طالع)\s+(?:ايضا|كذلك)\b"), 25),
    ("related", re.compile(r"^(?:قد|ربما)\s+(?:يهمك|يعجبك|يثير اهتمامك)\b"), 25),
    ("related", re.compile(r"^(?:المزيد من|مزيد من)\s+(?:الاخبار|المقالات|الفيديوهات)\W*$"), 6),
    # Tag lists.
    ("tags", re.compile(r"^(?:الوسوم|وسوم|كلمات مفتاحيه|الكلمات المفتاحيه|الكلمات الدلاليه|tags)\s*:?"), 30),
    # "Story developing, more to follow", "updating".
    ("developing", re.compile(r"(?:تطوير|تطور|تتطور) القصه"), 12),
    ("developing", re.compile(r"^(?:قصه|خبر)\s+(?:متطوره|متطور|قيد التطوير|قيد التحديث)"), 12),
    ("developing", re.compile(r"(?:الخبر|القصه|المقال)\s+(?:قيد التحديث|يتم تحديثه|سيتم تحديثه)"), 12),
    ("developing", re.compile(r"^(?:جار|جاري)\s+التحديث"), 8),
    ("developing", re.compile(r"^(?:المزيد|مزيد من التفاصيل|المزيد من التفاصيل|التفاصيل)\s+"
                              r"(?:لمتابعه|للمتابعه|قريبا|لاحقا|تباعا)"), 8),
    ("developing", re.compile(r"^(?:يتبع|عاجل|خبر عاجل)\W*$"), 2),
    # Image-report notices ("thanks for reporting", "this image will be hidden").
    ("image_report", re.compile(r"^شكرا\s+(?:لك\s+|لكم\s+)?(?:علي|ل)\s*(?:الابلاغ|ابلاغك|التبليغ)"), 8),
    ("image_report", re.compile(r"سيتم\s+(?:حجب|اخفاء|حذف)\s+(?:هذه\s+)?(?:الصوره|الصور|المحتوي)"), 25),
    ("image_report", re.compile(r"^(?:ابلغ|الابلاغ|بلغ)\s+عن\s+(?:خطا|الصوره|صوره|هذه الصوره|محتوي|تعليق)"), 10),
    # Copyright lines.
    ("copyright", re.compile(
        r"©|\(c\)|copyright|all rights reserved|(?:جميع|كل) الحقوق محفوظه|حقوق (?:الطبع|النشر) محفوظه"), 25),
    # Photo credits / captions labels.
    ("photo_credit", re.compile(
        r"^(?:مصدر الصوره|حقوق الصوره|صوره ارشيفيه|صوره تعبيريه|الصوره\s*:|صوره\s*:|تصوير\s*:|photo\s*:|getty images)"), 12),
    # Advertisement slots.
    ("ads", re.compile(r"^(?:اعلان|اعلانات|محتوي اعلاني|محتوي مدفوع|مساحه اعلانيه|advertisement|sponsored)\W*$"), 3),
]

# Families that mark the end of the article: once one of them appears after
# the body, a following run of lines with no real sentence is noise too.
_TERMINAL_FAMILIES = {"comment", "related", "navigation", "source_link", "developing", "tags", "copyright"}


# The rules that apply to a line of n words, in table order, for each n up
# to the largest limit (a longer line is never boilerplate).
_BOILERPLATE_BY_WORDS: list[list[tuple[str, re.Pattern[str]]]] = [
    [(family, pattern) for family, pattern, max_words in _BOILERPLATE if n <= max_words]
    for n in range(max(max_words for _f, _p, max_words in _BOILERPLATE) + 1)
]


def _boilerplate_family(norm: str) -> str | None:
    n_words = _line_words(norm)
    if n_words >= len(_BOILERPLATE_BY_WORDS):
        return None
    for family, pattern in _BOILERPLATE_BY_WORDS[n_words]:
        if pattern.search(norm):
            return family
    return None


# Datelines: "نشر في <outlet> يوم|بتاريخ <date>", "نشر بتاريخ <date>",
# "تاريخ النشر: <date>", "آخر تحديث: <date>".
_DATELINE_WITH_SOURCE_RE = re.compile(
    r"^(?:نشر|نشرت|منشور)\s+(?:في|على|علي|ب)\s+(?P<source>.+?)\s+(?:يوم|بتاريخ|في تاريخ)\s*:?\s*(?P<date>.+)$"
)
# Matched on the _norm()-alized line.
_DATELINE_RE = re.compile(
    r"^(?:نشر|نشرت|تم النشر|منشور|تاريخ النشر|بتاريخ|اخر تحديث|تم التحديث|تحديث|التاريخ)"
    r"\s*(?:في|يوم|بتاريخ)?\s*[:：\-–]?\s*(?P<date>.+)$"
)
# A generic source attribution line: "المصدر: <outlet>".
_SOURCE_LINE_RE = re.compile(r"^(?:المصدر|مصدر الخبر|source)\s*[:：\-–]\s*(?P<source>.+)$", re.IGNORECASE)
_GENERIC_SOURCES = {"وكالات", "متابعات", "مواقع", "وسائل اعلام", "الانترنت", "مصادر", "مواقع التواصل", "خاص"}
# Byline / credit lines that may precede the headline.
_BYLINE_RE = re.compile(r"^(?:بقلم|كتب|كتبت|اعداد|تحرير|ترجمه|متابعات|وكالات)\s*[:：]")


def _match_dateline(text: str, norm: str) -> tuple[str | None, datetime.date | None] | None:
    """Return (source_name, date) if the line is a dateline, else None.

    The part after the keyword must be essentially just a date (see
    ``_is_bare_date_line``) so that a body sentence starting with «بتاريخ ...»
    is not mistaken for a dateline."""
    if _line_words(norm) > 14:
        return None
    m = _DATELINE_WITH_SOURCE_RE.match(text)
    if m:
        date = _is_bare_date_line(m.group("date"))
        if date is not None:
            return m.group("source").strip(" :،,-") or None, date
    m = _DATELINE_RE.match(norm)
    if m:
        rest = m.group("date")
        date = _is_bare_date_line(rest)
        if date is not None:
            return None, date
        # An unparseable date/time right after the keyword ("آخر تحديث: 10:30")
        # is still metadata, not body text.
        if _words(rest) <= 4 and _DATE_FRAGMENT_RE.search(rest):
            return None, None
    return None


# Something that looks like a date or time (used to accept datelines whose
# date could not be fully parsed: they are still metadata, not body text).
_DATE_FRAGMENT_RE = re.compile(r"\d{1,4}\s*[-/.:]\s*\d{1,2}")


def _is_bare_date_line(text: str) -> datetime.date | None:
    """A short line that is essentially just a date (optionally with weekday
    and time), e.g. "الاثنين 26 يونيو 2023 - 10:30"."""
    if _words(text) > 8:
        return None
    date = parse_arabic_date(text)
    if date is None:
        return None
    rest = _NAMED_DATE_RE.sub(" ", _prepare_date_text(text))
    rest = _NUMERIC_DMY_RE.sub(" ", rest)
    rest = _NUMERIC_YMD_RE.sub(" ", rest)
    rest = re.sub(r"\d{1,2}:\d{2}(?::\d{2})?|[^\w\s]|\d+", " ", rest)
    leftover = [w for w in rest.split() if w not in {"ص", "م", "صباحا", "مساء", "مساءا", "الساعه", "الساعة"}]
    return date if len(leftover) <= 2 else None


# Promo features for a trailing subscription / trial / offer paragraph.
_PROMO_FREE_RE = re.compile(r"مجانا|مجاني|مجانيه|\bfree\b")
_PROMO_VERB_RE = re.compile(r"\b(?:اشترك|اشتركوا|اشتراك|اشتراكك|جرب|جربوا|سجل|استمتع|احصل|subscribe|trial)")
_PROMO_OFFER_RE = re.compile(r"\bعرض|عرضنا|لمده (?:شهر|اسبوع|سنه)|شهريا|سنويا|حصري|خصم|\boffer\b")
_PROMO_PRICE_RE = re.compile(r"\d+(?:[.,]\d+)?\s*(?:دولار|دولارات|يورو|جنيه|ريال|درهم|دينار|\$|£|€)|[$£€]\s*\d")
_LATIN_BRAND_RE = re.compile(r"\b[A-Z][A-Za-z&.'-]+(?:\s+[A-Z][A-Za-z&.'-]+)*")


def _is_promo(text: str) -> bool:
    if _words(text) > 60:
        return False
    norm = _norm(text)
    free = bool(_PROMO_FREE_RE.search(norm))
    price = bool(_PROMO_PRICE_RE.search(norm))
    verb = bool(_PROMO_VERB_RE.search(norm))
    offer = bool(_PROMO_OFFER_RE.search(norm))
    brand = bool(_LATIN_BRAND_RE.search(text))
    if not (free or price):
        return False
    if not (verb or offer):
        return False
    return free + price + verb + offer + brand >= 3


# ---------------------------------------------------------------------------
# Cleaning pipeline
# ---------------------------------------------------------------------------


@dataclass
class _Line:
    index: int  # position in the raw text (for ordering `removed`)
    text: str  # whitespace-collapsed original text
    norm: str  # normalized text for matching


def _coerce(raw: object) -> str:
    if raw is None:
        raise CleaningError("no text")
    if isinstance(raw, (bytes, bytearray)):
        raw = bytes(raw).decode("utf-8", errors="replace")
    if not isinstance(raw, str):
        raise CleaningError(f"expected text, got {type(raw).__name__}")
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return _INVISIBLE_RE.sub("", text)


def _is_label(line: _Line) -> bool:
    """A section label such as «عالمية», «محليات», «أخبار»: one or two words,
    no sentence punctuation, no digits."""
    return (
        _words(line.text) <= 2
        and len(line.text) <= 25
        and not _ends_sentence(line.text)
        and not re.search(r"\d", line.norm)
    )


def _ends_with_full_stop(text: str) -> bool:
    """Ends with a single full stop (not an ellipsis "..", common in headlines)."""
    stripped = text.rstrip().rstrip(_CLOSERS).rstrip()
    return stripped.endswith(".") and not stripped.endswith("..")


def _is_plausible_headline(line: _Line) -> bool:
    n = _words(line.text)
    if n < 3 or n > 40 or len(line.text) > 300:
        return False
    # A long line ending with a full stop is a body paragraph, not a headline.
    return not (_ends_with_full_stop(line.text) and n > 25)


def _short_non_sentence(text: str) -> bool:
    return _words(text) < 12 and not _ends_sentence(text)


def _derive_title(text: str) -> str:
    """Title for a text without a headline line: its first sentence, cut at a
    word boundary."""
    first = re.split(r"(?<=[.!؟?])\s", text, maxsplit=1)[0]
    if len(first) <= 150:
        return first.rstrip(" .")
    cut = first[:150].rsplit(" ", 1)[0]
    return cut + "…"


class _Removed:
    """Collects dropped lines, kept in document order."""

    def __init__(self) -> None:
        self.items: list[tuple[int, str]] = []

    def __call__(self, line: _Line) -> None:
        self.items.append((line.index, line.text))

    def as_list(self) -> list[str]:
        return [t for _, t in sorted(self.items, key=lambda item: item[0])]


def _split_lines(text: str, drop: _Removed) -> tuple[list[_Line], list[str | None]]:
    """Pass 1 -- line features: tickers and decorative lines are dropped, every
    other non-empty line gets its boilerplate family (or None)."""
    lines: list[_Line] = []
    families: list[str | None] = []
    for index, raw_line in enumerate(text.split("\n")):
        if not raw_line.strip():
            continue
        collapsed = _collapse(raw_line)
        line = _Line(index, collapsed, _norm(collapsed))
        if _is_ticker(raw_line, collapsed) or not _WORDISH_RE.search(collapsed):  # ticker, "***", "----"
            drop(line)
            continue
        lines.append(line)
        families.append(_boilerplate_family(line.norm))
    return lines, families


def _extract_metadata(
    lines: list[_Line], families: list[str | None], drop: _Removed
) -> tuple[list[_Line], list[str | None], datetime.date | None, str | None]:
    """Pass 2 -- datelines and "المصدر:" lines become metadata and leave the body."""
    published: datetime.date | None = None
    source_name: str | None = None
    kept: list[_Line] = []
    kept_families: list[str | None] = []
    for line, family in zip(lines, families, strict=False):
        if family is None:
            dateline = _match_dateline(line.text, line.norm)
            if dateline is not None:
                src, date = dateline
                source_name = source_name or src
                published = published or date
                drop(line)
                continue
            m = _SOURCE_LINE_RE.match(line.text)
            if m and _line_words(line.text) <= 6:
                src = m.group("source").strip(" .:،,-")
                if source_name is None and src and _norm(src) not in _GENERIC_SOURCES:
                    source_name = src
                drop(line)
                continue
        kept.append(line)
        kept_families.append(family)
    return kept, kept_families, published, source_name


def _remove_boilerplate(lines: list[_Line], families: list[str | None], drop: _Removed) -> list[_Line]:
    """Pass 3 -- drop boilerplate lines.  A terminal marker (comment form,
    related header, back-to-top, ...) followed only by short non-sentence
    lines takes those lines with it; a "related / read also" header also takes
    the run of linked headlines right after it."""
    has_body_before = False
    kept: list[_Line] = []
    i = 0
    while i < len(lines):
        line, family = lines[i], families[i]
        if family is None:
            kept.append(line)
            if _line_words(line.text) >= 8 and _ends_sentence(line.text):
                has_body_before = True
            i += 1
            continue
        drop(line)
        j = i + 1
        if family in _TERMINAL_FAMILIES and has_body_before:
            rest = lines[j:]
            if rest and all(
                families[j + k] is not None or (_line_words(r.text) <= 25 and not _ends_sentence(r.text))
                for k, r in enumerate(rest)
            ):
                for r in rest:
                    drop(r)
                break
        if family == "related":
            while j < len(lines) and families[j] is None and _line_words(lines[j].text) <= 25 \
                    and not _ends_sentence(lines[j].text):
                drop(lines[j])
                j += 1
        i = j
    return kept


def _finish_paragraphs(lines: list[_Line], title: str, drop: _Removed, trim_short_tail: bool = True) -> list[str]:
    """Pass 5/6 -- drop a repeated headline and consecutive duplicates, then
    trailing promos and short non-sentence lines after the last paragraph."""
    paragraphs: list[_Line] = []
    for line in lines:
        if (paragraphs and line.text == paragraphs[-1].text) or (not paragraphs and title and line.text == title):
            drop(line)
            continue
        paragraphs.append(line)
    while paragraphs:
        last = paragraphs[-1]
        if _is_promo(last.text) or (trim_short_tail and _short_non_sentence(last.text)):
            drop(paragraphs.pop())
            continue
        break
    return [p.text for p in paragraphs]


def strip_boilerplate(lines: list[str] | str) -> list[str]:
    """Clean the body of a record whose title is known separately.

    Applies the same line rules as ``clean_scraped_text`` (tickers,
    boilerplate families, datelines, trailing promos / short lines,
    duplicates) but does no headline detection.  Returns the remaining
    paragraphs, possibly an empty list; never raises on odd input.
    """
    if lines is None:
        return []
    if isinstance(lines, (str, bytes, bytearray)):
        lines = [_coerce(lines)]
    text = "\n".join(_coerce(line) for line in lines if isinstance(line, (str, bytes, bytearray)))
    drop = _Removed()
    parsed, families = _split_lines(text, drop)
    parsed, families, _, _ = _extract_metadata(parsed, families, drop)
    parsed = _remove_boilerplate(parsed, families, drop)
    # The body of a record is article text already: short lines at its end
    # (a results table, a list) are content, not page furniture.
    paragraphs = _finish_paragraphs(parsed, "", drop, trim_short_tail=False)
    if paragraphs:
        paragraphs[0] = _AGENCY_DATELINE_RE.sub("", paragraphs[0], count=1) or paragraphs[0]
    return [p for p in paragraphs if p.strip()]


# A wire dateline opening a body: «دبي، الإمارات العربية المتحدة (CNN)--».
# The place names the bureau, not what the story is about.
_AGENCY_DATELINE_RE = re.compile(
    r"^[^.\n()]{0,80}\((?:CNN|سي ?إن ?إن|رويترز|Reuters|أ ?ف ?ب|AFP|د ?ب ?أ|واس|SPA|الأناضول)\)\s*[-–—:]+\s*"
)


def clean_scraped_text(raw: str) -> CleanedText:
    """Clean a scraped plain-text news page.  See the module docstring."""
    text = _coerce(raw)
    drop = _Removed()

    lines, families = _split_lines(text, drop)
    lines, families, published, source_name = _extract_metadata(lines, families, drop)
    lines = _remove_boilerplate(lines, families, drop)

    # 4. Headline: skip bylines, bare dates and section labels in front of it.
    body_start = 0
    while body_start < len(lines):
        line = lines[body_start]
        if _BYLINE_RE.match(line.norm) and _words(line.text) <= 6:
            drop(line)
            body_start += 1
            continue
        bare = _is_bare_date_line(line.text)
        if bare is not None:
            published = published or bare
            drop(line)
            body_start += 1
            continue
        if _is_label(line):
            # A label is skipped only when a plausible headline follows it.
            nxt = body_start + 1
            while nxt < len(lines) and _is_label(lines[nxt]):
                nxt += 1
            if nxt < len(lines) and _is_plausible_headline(lines[nxt]) \
                    and not _ends_with_full_stop(lines[nxt].text):
                for skipped in lines[body_start:nxt]:
                    drop(skipped)
                body_start = nxt
                continue
        break

    title = ""
    paragraph_lines = lines[body_start:]
    if paragraph_lines:
        first = paragraph_lines[0]
        if _words(first.text) <= 40 and len(first.text) <= 300:
            title = first.text
            paragraph_lines = paragraph_lines[1:]
        else:  # no headline line: derive one, keep the paragraph
            title = _derive_title(first.text)

    # A bare date line right after the headline is a dateline as well.
    while paragraph_lines and (bare := _is_bare_date_line(paragraph_lines[0].text)) is not None:
        published = published or bare
        drop(paragraph_lines[0])
        paragraph_lines = paragraph_lines[1:]

    paragraphs = _finish_paragraphs(paragraph_lines, title, drop)
    if not paragraphs:
        raise CleaningError("nothing article-like left after cleaning")

    return CleanedText(
        title=title,
        paragraphs=paragraphs,
        published=published,
        source_name=source_name,
        removed=drop.as_list(),
    )
