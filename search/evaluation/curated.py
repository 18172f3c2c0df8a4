"""Hand-checked lists behind the development query set.

How they were found (reproducible with ``python manage.py build_eval_set
--discover names|pairs`` and ``--contexts WORD...``):

* **Name-spelling groups.** Corpus words were grouped by
  ``search.analysis.variant_key`` and by one-letter edits inside the sound
  classes of transliteration (غ/ج/ق, ت/ط, س/ص/ث, a long vowel added or
  dropped); the candidates that looked like names were kept only after
  reading contexts of *every* spelling. Examples of what the contexts
  showed: «ترمب» is Al Arabiya's spelling of Trump («للرئيس الأميركي،
  دونالد ترمب»); «بوتن» is Sky News Arabia's Putin («الرئيس فلاديمير
  بوتن»); «فاجنر» is both Sandro Wagner and the composer Wagner, «واغنر» a
  US official and an insurer — one *name* in three spellings; «بطرسبرج»,
  «بطرسبيرغ» and «بطرسبورغ» are all «سان بطرسبرغ»; «قوقل» is Google in
  Saudi papers. Rejected after reading: «بتكوين» (mostly «ب+تكوين», "by
  forming"), «مورينو» (Rodrigo Moreno as often as Mourinho), «ميلان/مليون»,
  «هواوي/هوائي». Not in this corpus (2012–2018): «بلينكين», «تهران»,
  «اوزبيكستان».
* **Must-not-merge pairs.** Light10 (``light10.py``) was run over every
  corpus word with document frequency ≥ 40; among words that share a stem,
  pairs whose meanings differ were picked by reading contexts (university
  vs mosque, Friday vs association, Lebanon vs milk, Bahrain vs sea, ...).
  Pairs where one word is the other plus a proclitic («وسائل/سائل»,
  «وكيل/كيل», «وفاق/فاق») were left out: a document cannot be said to
  "contain only the other" there.
"""
from __future__ import annotations

# (English label, spellings as writers use them; the first is the most common).
NAME_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Trump", ("ترامب", "ترمب")),
    ("Putin", ("بوتين", "بوتن")),
    ("Google", ("غوغل", "جوجل", "قوقل")),
    ("Facebook", ("فيسبوك", "فايسبوك")),
    ("Wagner", ("فاغنر", "فاجنر", "واغنر")),
    ("Petersburg", ("بطرسبرغ", "بطرسبورغ", "بطرسبرج", "بطرسبيرغ")),
    ("Uzbekistan", ("أوزبكستان", "أوزباكستان")),
    ("Netanyahu", ("نتنياهو", "نتانياهو")),
    ("Tillerson", ("تيلرسون", "تيليرسون", "تليرسون")),
    ("Munich", ("ميونيخ", "ميونخ")),
    ("Greenwich", ("غرينتش", "جرينتش", "غرينيتش")),
    ("Chelsea", ("تشيلسي", "تشلسي")),
    ("Samsung", ("سامسونغ", "سامسونج")),
    ("Instagram", ("إنستغرام", "إنستجرام", "إنستاغرام", "انستقرام")),
    ("Manchester", ("مانشستر", "مانشيستر")),
    ("Guardiola", ("غوارديولا", "جوارديولا")),
    ("Kushner", ("كوشنر", "كوشنير")),
    ("Barzani", ("بارزاني", "برزاني")),
    ("Skripal", ("سكريبال", "سكريبل")),
    ("Pyongyang", ("بيونغيانغ", "بيونجيانج")),
    ("Galaxy", ("غالاكسي", "جالاكسي", "غلاكسي")),
    ("Griezmann", ("غريزمان", "جريزمان")),
    ("Pogba", ("بوغبا", "بوجبا")),
    ("Atletico", ("أتلتيكو", "أتليتيكو", "أتليتكو")),
    ("Iniesta", ("إنييستا", "إنيستا")),
    ("Bangladesh", ("بنغلاديش", "بنغلادش", "بنجلاديش")),
    ("Guatemala", ("غواتيمالا", "جواتيمالا")),
    ("Uruguay", ("أوروغواي", "أوروجواي")),
    ("Paraguay", ("باراغواي", "باراجواي")),
    ("Luxembourg", ("لوكسمبورغ", "لوكسمبورج")),
    ("Hamburg", ("هامبورغ", "هامبورج")),
    ("Corbyn", ("كوربين", "كوربن")),
    ("Bloomberg", ("بلومبيرغ", "بلومبرغ", "بلومبرج")),
    ("Sergei", ("سيرغي", "سيرجي")),
    ("Angela", ("أنغيلا", "أنجيلا")),
    ("Wenger", ("فينغر", "فينجر")),
    ("Jong (Kim Jong-un)", ("جونغ", "جونج")),
    ("Marseille", ("مرسيليا", "مارسيليا")),
    ("Guterres", ("غوتيريش", "غوتيرش")),
    ("Khamenei", ("خامنئي", "خامئني")),
)

# (a, b, what each means) — Light10 gives both the same stem.
MUST_NOT_MERGE: tuple[tuple[str, str, str], ...] = (
    ("بوتين", "بوت", "Putin / bot, Butt"),
    ("الجامعة", "الجامع", "university / mosque"),
    ("الجمعة", "الجمعية", "Friday / association"),
    ("وزارة", "زار", "ministry / visited"),
    ("لبنان", "لبن", "Lebanon / milk, mud brick"),
    ("سورية", "سور", "Syria / wall, suras"),
    ("الرياضة", "الرياض", "sport / Riyadh"),
    ("وطني", "طن", "national / ton"),
    ("التركي", "ترك", "Turkish / left (verb)"),
    ("مكتبة", "مكتب", "library / office"),
    ("مدرسة", "مدرس", "school / teacher"),
    ("طائرة", "طائر", "aeroplane / bird"),
    ("عمان", "عم", "Oman, Amman / uncle"),
    ("سلمان", "سلم", "Salman / handed over, ladder"),
    ("عمران", "عمر", "Omran / Omar, age"),
    ("عدنان", "عدن", "Adnan / Aden"),
    ("أمين", "أم", "Amin, secretary / mother"),
    ("ياسين", "يأس", "Yassin / despair"),
    ("حسين", "حس", "Hussein / sense"),
    ("العملة", "العمل", "currency / work"),
    ("خطة", "خط", "plan / line"),
    ("الحاج", "الحاجة", "pilgrim / need"),
    ("الطلبة", "الطلب", "students / demand"),
    ("القمة", "قم", "summit / Qom"),
    ("السكان", "السكة", "population / railway"),
    ("جوان", "الجو", "June (Maghreb) / weather"),
    ("البحرين", "البحر", "Bahrain / sea"),
    ("إنسان", "أنس", "human / Anas"),
    ("الدوري", "الدور", "league / role"),
    ("العمرة", "العمر", "umrah / age"),
    ("الحملة", "الحمل", "campaign / pregnancy, carrying"),
    ("الشهرة", "الشهر", "fame / month"),
)
