"""Tests for archive.importing.cleaning (plain Python, no database, no Django)."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest

from archive.importing.cleaning import (
    CleanedText,
    CleaningError,
    clean_scraped_text,
    parse_arabic_date,
    strip_boilerplate,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def seed_path(prefix: str) -> Path:
    (path,) = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    return path


def raw(prefix: str) -> str:
    return seed_path(prefix).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cleaned() -> dict[str, CleanedText]:
    return {prefix: clean_scraped_text(raw(prefix)) for prefix in ("000", "001", "002", "003", "004")}


def full_text(result: CleanedText) -> str:
    return result.title + "\n" + result.body


# ---------------------------------------------------------------------------
# Seeds: titles
# ---------------------------------------------------------------------------

EXPECTED_TITLES = {
    "000": "فلاديمير بوتين يتلقى رداً فاتراً من الحلفاء بشأن المشكلة “الداخلية”",
    "001": "بسبب حرب أوكرانيا.. بوتين يتلقي ضربة قوية من حلفائه",
    "002": (
        "يجري وزير الخارجية أنطوني بلينكين محادثات أزمة مع أقرب حلفاء أمريكا ويقول إن "
        "الولايات المتحدة تعمل “بتنسيق وثيق” مع مجموعة السبع والاتحاد الأوروبي وسط تمرد مسلح في روسيا"
    ),
    "003": "بوتين يجري محادثات مع زعيم بيلاروسيا",
    "004": "على غير المتوقع.. بوتين يتلقى صدمة من حلفائه في آسيا الوسطى",
}


@pytest.mark.parametrize("prefix", sorted(EXPECTED_TITLES))
def test_seed_title(cleaned, prefix):
    assert cleaned[prefix].title == EXPECTED_TITLES[prefix]


@pytest.mark.parametrize("prefix", sorted(EXPECTED_TITLES))
def test_title_not_repeated_in_paragraphs(cleaned, prefix):
    assert cleaned[prefix].title not in cleaned[prefix].paragraphs


# ---------------------------------------------------------------------------
# Seeds: metadata
# ---------------------------------------------------------------------------


def test_seed_004_dateline(cleaned):
    result = cleaned["004"]
    assert result.published == datetime.date(2022, 7, 26)
    assert result.source_name == "مأرب برس"
    assert "نشر في مأرب برس يوم 26 - 07 - 2022" in result.removed
    assert "نشر في" not in result.body


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003"])
def test_seeds_without_stated_date_or_outlet(cleaned, prefix):
    # These texts state no outlet and no date: nothing may be invented.
    assert cleaned[prefix].published is None
    assert cleaned[prefix].source_name is None


def test_metadata_json_matches_seeds(cleaned):
    data = json.loads((SEEDS / "metadata.json").read_text(encoding="utf-8"))
    assert "_comment" in data
    seeds = {p.name for p in SEEDS.glob("*.txt")}
    entries = {k: v for k, v in data.items() if not k.startswith("_")}
    assert set(entries) == seeds
    for name, entry in entries.items():
        assert set(entry) == {"source", "source_slug", "url", "published", "note"}
        assert entry["note"]
        result = cleaned[name[:3]]
        assert entry["source"] == result.source_name
        expected = result.published.isoformat() if result.published else None
        assert entry["published"] == expected
    assert entries[seed_path("004").name]["source_slug"] == "marebpress"


# ---------------------------------------------------------------------------
# Seeds: noise removal
# ---------------------------------------------------------------------------


def ticker_segments(text: str) -> list[str]:
    segments = []
    for line in text.split("\n"):
        parts = [p.strip() for p in re.split(r"\s{2,}", line.strip()) if p.strip()]
        if len(parts) >= 4:  # a ticker line: many segments separated by runs of spaces
            segments.extend(p for p in parts if len(p) >= 10)
    return segments


def test_seed_004_ticker_headlines_absent(cleaned):
    segments = ticker_segments(raw("004"))
    assert len(segments) > 30  # the ticker was found in the raw file
    text = full_text(cleaned["004"])
    leaked = [s for s in segments if s in text]
    assert leaked == []


BOILERPLATE_PHRASES = [
    "شكرا على الإبلاغ",
    "سيتم حجب هذه الصورة",
    "نشر في مأرب برس",
    "انقر هنا لقراءة الخبر",
    "مقالات ذات صلة",
    "اترك تعليقاً",
    "لن يتم نشر عنوان بريدك الإلكتروني",
    "الحقول الإلزامية",
    "زر الذهاب إلى الأعلى",
    "تطوير القصة",
    "المزيد لمتابعة",
    "اترك ردك",
    "وسّع آفاقك",
    "The Telegraph",
    "مجانًا لمدة شهر",
]


@pytest.mark.parametrize("prefix", sorted(EXPECTED_TITLES))
def test_no_boilerplate_survives(cleaned, prefix):
    text = full_text(cleaned[prefix])
    assert [p for p in BOILERPLATE_PHRASES if p in text] == []


def test_seed_003_section_label_dropped(cleaned):
    result = cleaned["003"]
    assert "عالمية" in result.removed
    assert result.paragraphs[0].startswith("وصل الرئيس الروسي")


@pytest.mark.parametrize("prefix", sorted(EXPECTED_TITLES))
def test_paragraphs_are_clean(cleaned, prefix):
    for paragraph in cleaned[prefix].paragraphs:
        assert paragraph == paragraph.strip()
        assert "\n" not in paragraph
        assert "  " not in paragraph
        assert "\xa0" not in paragraph
    pairs = zip(cleaned[prefix].paragraphs, cleaned[prefix].paragraphs[1:], strict=False)
    assert all(a != b for a, b in pairs)


# ---------------------------------------------------------------------------
# Seeds: structure
# ---------------------------------------------------------------------------


def test_subheadings_kept(cleaned):
    assert "صدمة لبوتين" in cleaned["004"].paragraphs
    assert "كازاخستان تُعيد التفكير" in cleaned["004"].paragraphs
    assert "طرق بديلة عن روسيا" in cleaned["004"].paragraphs
    assert "دور أكثر نشاطا؟" in cleaned["003"].paragraphs


def test_seed_004_structure(cleaned):
    result = cleaned["004"]
    assert len(result.paragraphs) >= 15
    assert result.paragraphs[0].startswith("ينظر الرئيس الروسي")
    assert result.paragraphs[-1].startswith("وبعد أسابيع من الغزو")


def test_seed_000_promo_removed(cleaned):
    result = cleaned["000"]
    assert result.paragraphs[-1].startswith("يعتقد المسؤولون الأمريكيون")
    assert "Telegraph" not in result.body
    assert any("The Telegraph" in line for line in result.removed)
    # The normal sentence mentioning "التعليق" is kept.
    assert any("حذرين من التعليق" in p for p in result.paragraphs)


def test_seed_003_ends_with_xi_jinping_sentence(cleaned):
    last = cleaned["003"].paragraphs[-1]
    assert last.startswith("وبينما تُجرى التدريبات")
    assert "شي جين بينغ" in last


def test_seed_002_ends_with_last_news_paragraph(cleaned):
    assert cleaned["002"].paragraphs[-1].startswith("في إشارة إلى مدى جدية")


@pytest.mark.parametrize(
    "prefix,count",
    [("000", 23), ("001", 18), ("002", 17), ("003", 23), ("004", 21)],
)
def test_seed_paragraph_counts(cleaned, prefix, count):
    # 001 and 002 use single newlines between paragraphs, the others blank lines.
    assert len(cleaned[prefix].paragraphs) == count


def test_body_property(cleaned):
    result = cleaned["001"]
    assert result.body == "\n\n".join(result.paragraphs)
    assert result.body.count("\n\n") == len(result.paragraphs) - 1


# ---------------------------------------------------------------------------
# Synthetic articles
# ---------------------------------------------------------------------------

P1 = "أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في العاصمة بسعة ثلاثمئة سرير لخدمة المواطنين."
P2 = "وقال الوزير في مؤتمر صحفي إن المستشفى سيبدأ استقبال المرضى مطلع الشهر المقبل بعد اكتمال التجهيزات."
P3 = "وأضاف أن الحكومة تعتزم بناء خمسة مستشفيات أخرى في المحافظات خلال العامين المقبلين."
TITLE = "افتتاح مستشفى جديد في العاصمة"


def test_synthetic_ticker_with_different_headlines():
    headlines = [
        "ارتفاع أسعار الذهب في الأسواق المحلية",
        "المنتخب يفوز على ضيفه بثلاثة أهداف",
        "أمطار غزيرة تضرب المناطق الساحلية",
        "البنك المركزي يثبت سعر الفائدة",
        "افتتاح معرض الكتاب الدولي بمشاركة واسعة",
        "وزير التعليم يعلن نتائج الامتحانات!!",
    ]
    ticker = "   ".join(headlines) + "   "
    piped = " | ".join(reversed(headlines))
    text = f"{ticker}\n\n{TITLE}\n\n{P1}\n\n{P2}\n\n{P3}\n\n{piped}\n"
    result = clean_scraped_text(text)
    assert result.title == TITLE
    assert result.paragraphs == [P1, P2, P3]
    body = full_text(result)
    assert not any(h in body for h in headlines)


def test_synthetic_comment_form_wording():
    text = "\n".join([
        TITLE, P1, P2, P3,
        "أضف تعليقاً",
        "بريدك الإلكتروني لن يُنشر، والحقول المطلوبة عليها علامة *",
        "الاسم *",
        "العودة إلى أعلى الصفحة",
    ])
    result = clean_scraped_text(text)
    assert result.paragraphs == [P1, P2, P3]
    assert "أضف تعليقاً" in result.removed


def test_synthetic_related_and_read_also():
    text = "\n\n".join([
        "محليات",
        TITLE,
        P1,
        "اقرأ أيضاً: وزير الصحة يتفقد مستشفيات الجنوب",
        P2,
        P3,
        "أخبار ذات صلة",
        "الحكومة تقر موازنة الصحة للعام المقبل",
        "افتتاح مركز لغسيل الكلى في الشمال",
        "جميع الحقوق محفوظة © 2024",
    ])
    result = clean_scraped_text(text)
    assert result.title == TITLE
    assert result.paragraphs == [P1, P2, P3]


@pytest.mark.parametrize(
    "dateline,expected",
    [
        ("نشر في صحيفة الوطن يوم 3 جوان 2022", datetime.date(2022, 6, 3)),  # Maghreb
        ("نشر بتاريخ ٢٦ حزيران ٢٠٢٣", datetime.date(2023, 6, 26)),  # Levant, Arabic-Indic digits
        ("تاريخ النشر: 26 يونيو 2023", datetime.date(2023, 6, 26)),  # Egypt / Gulf
        ("آخر تحديث: الأحد 4 غشت 2024 - 10:30", datetime.date(2024, 8, 4)),  # Morocco
    ],
)
def test_synthetic_dateline_regional_months(dateline, expected):
    text = "\n".join([TITLE, dateline, "", P1, P2, P3])
    result = clean_scraped_text(text)
    assert result.title == TITLE
    assert result.published == expected
    assert result.paragraphs == [P1, P2, P3]
    assert dateline in result.removed


def test_synthetic_dateline_source_name():
    text = "\n".join([TITLE, "نشر في صحيفة الوطن يوم 3 جوان 2022", P1, P2])
    assert clean_scraped_text(text).source_name == "صحيفة الوطن"


def test_synthetic_no_date_not_invented():
    text = "\n".join([TITLE, P1, "وفي 12 مايو 2021 أعلنت الوزارة خطة مماثلة لم تنفذ بالكامل.", P3])
    result = clean_scraped_text(text)
    # A date inside a body sentence is not a publication date.
    assert result.published is None
    assert len(result.paragraphs) == 3


def test_synthetic_normal_sentences_with_trigger_words_kept():
    comment = "ورفض المتحدث باسم الوزارة التعليق على هذه التقارير، مكتفياً بالقول إن التحقيق مستمر."
    subscribe = "وقال مدير الشركة إن أكثر من مليون شخص اشترك مجاناً في الخدمة لمدة شهر منذ إطلاقها."
    reply = "اترك الوزير تعليقاً مكتوباً للصحفيين قبل مغادرته القاعة بعد انتهاء الاجتماع المغلق."
    text = "\n\n".join([TITLE, P1, comment, subscribe, reply, P2, P3])
    result = clean_scraped_text(text)
    assert result.paragraphs == [P1, comment, subscribe, reply, P2, P3]


def test_synthetic_trailing_promo_and_short_lines():
    promo = "اشترك الآن في Premium News واحصل على أول شهر مجاناً ثم 5 دولارات شهرياً فقط."
    text = "\n\n".join([TITLE, P1, P2, P3, promo, "شارك الخبر", "فيسبوك تويتر واتساب", "الوسم"])
    result = clean_scraped_text(text)
    assert result.paragraphs == [P1, P2, P3]
    assert promo in result.removed


def test_synthetic_duplicates_and_single_newlines():
    text = f"{TITLE}\n{P1}\n{P1}\n{P2}\r\n{P3}   \n"
    result = clean_scraped_text(text)
    assert result.paragraphs == [P1, P2, P3]


def test_synthetic_headline_repeated_in_body():
    text = "\n\n".join([TITLE, TITLE, P1, P2])
    assert clean_scraped_text(text).paragraphs == [P1, P2]


def test_synthetic_arabic_indic_digits_in_body_kept():
    p = "وبلغ عدد الزوار ١٢٠٠٠ زائر خلال الأسبوع الأول من افتتاح المعرض في المدينة."
    result = clean_scraped_text("\n".join([TITLE, p, P2]))
    assert result.paragraphs == [p, P2]


def test_only_noise_raises():
    ticker = "   ".join(["خبر أول عن الطقس اليوم", "خبر ثان عن الرياضة", "خبر ثالث عن الاقتصاد",
                         "خبر رابع عن السياسة", "خبر خامس عن الثقافة والفنون"])
    text = "\n\n".join([ticker, "شكرا على الإبلاغ!", "اترك تعليقاً",
                        "لن يتم نشر عنوان بريدك الإلكتروني.", "زر الذهاب إلى الأعلى", "***"])
    with pytest.raises(CleaningError):
        clean_scraped_text(text)


@pytest.mark.parametrize("text", ["", "   \n\n\t \n", "***\n----\n", "\x00\x01\x02"])
def test_empty_raises(text):
    with pytest.raises(CleaningError):
        clean_scraped_text(text)


def test_headline_only_raises():
    with pytest.raises(CleaningError):
        clean_scraped_text(TITLE + "\n")


def test_cleaning_error_is_value_error():
    assert issubclass(CleaningError, ValueError)


@pytest.mark.parametrize(
    "garbage",
    ["؟؟؟ !!! ...", "a" * 5000, "كلمة " * 3000, "\n".join(["x  y  z  w  v"] * 50), "12 - 99 - 2022"],
)
def test_garbage_never_raises_other_errors(garbage):
    try:
        clean_scraped_text(garbage)
    except CleaningError:
        pass


def test_long_first_line_without_headline():
    long_para = " ".join([P1, P2, P3, P1, P2])  # > 40 words: not a headline
    result = clean_scraped_text(long_para + "\n\n" + P3)
    assert result.paragraphs[0] == long_para
    assert result.title and long_para.startswith(result.title.rstrip("…"))


# ---------------------------------------------------------------------------
# parse_arabic_date
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        ("26 - 07 - 2022", datetime.date(2022, 7, 26)),
        ("نشر في مأرب برس يوم 26 - 07 - 2022", datetime.date(2022, 7, 26)),
        ("05/04/2022", datetime.date(2022, 4, 5)),  # day-first
        ("2022-07-26", datetime.date(2022, 7, 26)),  # ISO
        ("26 يونيو 2023", datetime.date(2023, 6, 26)),
        ("26 يونيه 2023", datetime.date(2023, 6, 26)),
        ("٢٦ حزيران ٢٠٢٣", datetime.date(2023, 6, 26)),
        ("3 جوان 2022", datetime.date(2022, 6, 3)),
        ("3 جويلية 2022", datetime.date(2022, 7, 3)),
        ("3 يوليوز 2022", datetime.date(2022, 7, 3)),
        ("3 أوت 2022", datetime.date(2022, 8, 3)),
        ("15 شتنبر 2021", datetime.date(2021, 9, 15)),
        ("1 أيار 2020", datetime.date(2020, 5, 1)),
        ("1 ايار 2020", datetime.date(2020, 5, 1)),
        ("الاثنين، 5 كانون الثاني 2021", datetime.date(2021, 1, 5)),
        ("5 تشرين الأول 2020", datetime.date(2020, 10, 5)),
        ("في 12 مايو/أيار 2022", datetime.date(2022, 5, 12)),
        ("١٢ من شهر أغسطس، عام ٢٠٢١", datetime.date(2021, 8, 12)),
        ("٢٦ - ٠٧ - ٢٠٢٢", datetime.date(2022, 7, 26)),
    ],
)
def test_parse_arabic_date(text, expected):
    assert parse_arabic_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "أمس",
        "منذ 3 أيام",
        "اليوم الإثنين",
        "يونيو 2023",  # no day
        "26 يونيو",  # no year
        "31 - 02 - 2022",  # impossible
        "07/26/2022",  # month-first: not read day-first, so unsure
        "3 فلان 2022",
        "1 - 1 - 1444",  # Hijri year
        "لا يوجد تاريخ هنا",
    ],
)
def test_parse_arabic_date_unsure_returns_none(text):
    assert parse_arabic_date(text) is None


def test_parse_arabic_date_non_string():
    assert parse_arabic_date(None) is None  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# strip_boilerplate (bodies of structured records, title known separately)
# ---------------------------------------------------------------------------


def test_strip_boilerplate_body_lines():
    lines = [P1, "", "اقرأ أيضاً: وزير الصحة يتفقد مستشفيات الجنوب", P2, P2, P3,
             "مقالات ذات صلة", "اترك تعليقاً", "زر الذهاب إلى الأعلى"]
    assert strip_boilerplate(lines) == [P1, P2, P3]


def test_strip_boilerplate_keeps_short_first_line():
    # No headline detection: a short first line stays a paragraph.
    assert strip_boilerplate(["صدمة لبوتين", P1]) == ["صدمة لبوتين", P1]


@pytest.mark.parametrize("lines", [[], [""], ["اترك ردك"], None])
def test_strip_boilerplate_empty(lines):
    assert strip_boilerplate(lines) == []


def test_strip_boilerplate_matches_seed_body(cleaned):
    lines = raw("003").split("\n")
    # Without the section label and the headline, the body equals the seed's.
    assert strip_boilerplate(lines[4:]) == cleaned["003"].paragraphs
