"""Countries at two levels: the trap words, ``about`` by evidence on real
articles, topic windows, and ``manage.py retag``."""
from datetime import date

import pytest
from django.core.management import call_command

from archive.importing import build_matchers
from archive.importing.aboutness import MAX_ABOUT, tag_countries
from archive.importing.tagging import words
from archive.models import Article, ArticleCountry, Source, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def matcher():
    return build_matchers()[0]


@pytest.fixture
def tag(matcher):
    def run(title, body="", home=None):
        return tag_countries(matcher, words(title), words(body), home)
    return run


# Each trap word in a sentence: (text, the country it must not give, the one it must give or None).
TRAPS = [
    ("قدم البنك دعما ماليا وقال المحلل المالي إن السنة المالية انتهت", "ML", None),
    ("أدى المصلون صلاة المغرب في المسجد ثم عادوا بعد المغرب إلى بيوتهم", "MA", None),
    ("تتعاون دول المغرب العربي في مكافحة الجراد", "MA", None),
    ("فاز فريق المغرب التطواني على ضيفه في الدوري", "MA", None),
    ("تغلب بروسيا دورتموند على ضيفه بهدفين في الدوري الألماني", "RU", "DE"),
    ("سقط قطر الندى على أوراق الشجر في الصباح", "QA", None),
    ("حجزت الشرطة كمية من القنب الهندي في سوسة", "IN", "TN"),
    ("بلغت اللاعبة نصف نهائي بطولة إنديان ويلز للتنس", "GB", "US"),
    ("رفع اللاعب يده اليمنى بعد الهدف وأصيب في القدم اليمنى", "YE", None),
    ("تنطلق تصفيات أمريكا الجنوبية المؤهلة إلى كأس العالم", "US", None),
    ("وقع رئيس جنوب السودان اتفاق السلام في جوبا", "SD", "SS"),
    ("فاز مالك الجزيري في الدور الأول من البطولة", "DZ", None),
    ("قتل تسعة أشخاص في تحطم طائرة في ولاية جورجيا الأمريكية", "GE", "US"),
]


@pytest.mark.parametrize("text, wrong, right", TRAPS)
def test_trap_words(tag, text, wrong, right):
    tags = tag(text)
    assert wrong not in tags.mentioned and wrong not in tags.about, text
    if right:
        assert right in tags.about, (text, tags)


def test_oman_and_amman_by_context(tag):
    assert tag("وصل الملك إلى عمان قادما من الأردن بعد جولة").about == ["JO"]
    assert "OM" not in tag("وصل الملك إلى عمان قادما من الأردن بعد جولة").mentioned
    assert "OM" in tag("زار الوزير سلطنة عمان وقال إن العلاقات مع عمان متينة").about


def test_capitals_are_the_country(tag):
    assert tag("احتجاجات في الجزائر", "خرج المتظاهرون في شوارع الجزائر العاصمة").about == ["DZ"]
    assert tag("الكويت تعلن الميزانية").about == ["KW"]


def test_a_town_locates_a_story_that_names_no_country(tag, matcher):
    tags = tag("انقطاع التيار الكهربائي في صفاقس وقابس", "أعلنت الشركة عن قطع التيار في عدة مناطق")
    assert tags.about == ["TN"] and tags.mentioned == {"TN": 0}
    assert tag("أمطار غزيرة على أبها", "توقعت الأرصاد هطول أمطار على منطقة عسير").about == ["SA"]
    # A city (not a capital) locates but is not a mention by name.
    assert "AE" not in matcher.count("سافر الوفد إلى دبي ثم إلى الشارقة")
    assert matcher.count("سافر الوفد إلى أبوظبي") == {"AE": 1}  # the capital is


def test_the_outlets_country_for_a_local_story(tag):
    body = "أعلنت وزارة التربية في بلاغ لها عن موعد نشر نتائج البكالوريا"
    assert tag("موعد النتائج", body, home="TN").about == ["TN"]
    assert tag("موعد النتائج", body).about == []  # no outlet country, no guess
    assert tag("شجرة تنتج أربعين نوعا من الفاكهة", "قام فنان بتطعيم شجرة", home="SA").about == []  # no domestic cue


def test_cnn_dateline_is_not_the_story(tag):
    tags = tag("إيران تضخ 8 مليارات دولار", "دبي، الإمارات العربية المتحدة (CNN)-- كشف رئيس اللجنة الاقتصادية "
               "بمجلس الشورى في إيران أن البنك المركزي الإيراني يعتزم ضخ المال")
    assert tags.about == ["IR"] and "AE" not in tags.mentioned


# Real articles of the corpus (ANT, shortened): (title, body, about, mentioned).
REAL = [
    ("مجلس الأمن يمدد العقوبات على جنوب السودان",
     "وافق مجلس الأمن التابع للأمم المتحدة، الخميس، على تجديد بعض العقوبات على جنوب السودان حتى منتصف يوليو، "
     "قبيل النظر في فرض حظر للسفر وتجميد أرصدة ستة من زعماء جنوب السودان. والقرار نسخة مخففة من مشروع قرار "
     "اقترحته الولايات المتحدة التي قالت سفيرتها لدى الأمم المتحدة نيكي هيلي في مقال بصحيفة واشنطن بوست إن "
     "الإدارة صبرها نفد",
     ["SS"], {"SS", "US"}),
    ("كولومبيا تنفجر غضباً وتنهي آمال بولندا المونديالية",
     "أنعش منتخب كولومبيا آماله في التأهل لدور الستة عشر ببطولة كأس العالم لكرة القدم، المقامة حاليا بروسيا، "
     "وأطاح بنظيره البولندي من البطولة مبكرا، بعدما تغلب عليه 3 - صفر. وافتتح ييري مينا التسجيل لكولومبيا "
     "في الدقيقة 40، بعد محاولات لاتينية متكررة على مرمى الفريق الأوروبي",
     ["CO", "PL"], {"CO", "PL", "RU"}),
    ("سوسة : الكشف عن عصابة اتجار في المخدرات",
     "داهمت فرقة الشرطة العدلية بسوسة أمس الثلاثاء منزل شخص يبلغ من العمر 36 سنة من ذوي الشبهة في ترويج "
     "المخدّرات وحجز كيلوغرامين من مخدّر القنب الهندي الزطلة ومبلغ مالي قدره 2310 دينار",
     ["TN"], {"TN"}),
    ("جورجيا تقطع علاقاتها مع دمشق بسبب أبخازيا",
     "قررت جمهورية جورجيا، الثلاثاء، قطع علاقاتها الدبلوماسية مع سوريا على خلفية اعتراف الأخيرة باستقلال "
     "جمهوريتي أبخازيا وأوسيتيا الجنوبية. وذكرت وزارة الخارجية الجورجية، أنها باشرت بتنفيذ الإجراءات اللازمة "
     "لقطع العلاقات الدبلوماسية مع دمشق",
     ["GE", "SY"], {"GE", "SY"}),
]


@pytest.mark.parametrize("title, body, about, mentioned", REAL)
def test_two_levels_on_real_articles(tag, title, body, about, mentioned):
    tags = tag(title, body)
    assert sorted(tags.about) == sorted(about)
    assert set(tags.mentioned) == mentioned


def test_no_more_than_ten_about_countries(tag):
    names = ["روسيا", "الصين", "فرنسا", "ألمانيا", "إيطاليا", "إسبانيا", "اليابان", "الهند", "البرازيل", "كندا",
             "تركيا", "مصر", "إيران", "المكسيك"]
    tags = tag(" و".join(names), " ".join(f"وصل وفد {n} ثم غادر وفد {n}." for n in names))
    assert len(tags.mentioned) == len(names)
    assert len(tags.about) == MAX_ABOUT


def test_topic_window_and_required_phrases():
    _countries, topics = build_matchers()
    text = words("أعلن قائد مجموعة فاغنر بدء التمرد المسلح على قيادة الجيش الروسي في روستوف")
    assert "wagner-mutiny" in topics.assign_words(text, (), date(2023, 6, 24))
    assert "wagner-mutiny" not in topics.assign_words(text, (), date(2018, 2, 15))  # before the mutiny
    assert "wagner-mutiny" in topics.assign_words(text, (), None)  # undated: the rules decide
    # A rule phrase without any of the topic's required phrases does not tag it.
    assert "ukraine-war" in topics.assign_words(words("تقدم الانفصاليين الموالين لروسيا في دونيتسك"), (),
                                                date(2015, 1, 10))
    assert "ukraine-war" not in topics.assign_words(words("هاجم الانفصاليين الموالين لروسيا البلدة"), (),
                                                    date(2015, 1, 10))


def test_retag_command_recomputes_both_levels(make_article, capsys):
    source = Source.objects.create(name="إذاعة محلية", slug="local-fm", country_id="TN")
    local = make_article(title="موعد نتائج البكالوريا", body="أعلنت وزارة التربية عن موعد النتائج",
                         source=source, mentioned=("FR",))
    match = make_article(title="كولومبيا تهزم بولندا", body="فاز منتخب كولومبيا على نظيره البولندي في روسيا",
                         published=date(2018, 6, 24))
    topic = Topic.objects.get(slug="ukraine-war")
    old = make_article(title="قصف في دونيتسك", body="قصفت القوات الأوكرانية مواقع الانفصاليين في دونيتسك",
                       published=date(2013, 5, 1), topics=("ukraine-war",))
    call_command("retag", "--no-index")
    assert "re-tagged 3 articles" in capsys.readouterr().out

    def levels(article):
        rows = ArticleCountry.objects.filter(article=article)
        return ({r.country_id for r in rows if r.is_about}, {r.country_id for r in rows})

    assert levels(local) == ({"TN"}, {"TN"})
    assert levels(match) == ({"CO", "PL"}, {"CO", "PL", "RU"})
    assert not topic.articles.filter(pk=old.pk).exists()  # before the war's window
    assert Article.objects.get(pk=old.pk).country_mentions.filter(country_id="UA", is_about=True).exists()


def test_rule_previews_before_saving(make_article):
    """The admin's preview (archive.rule_preview) applies an unsaved topic's
    required phrases and date window, and an unsaved country's aliases."""
    from archive.models import Country
    from archive.rule_preview import preview_country, preview_topic

    war = make_article(title="قصف في دونيتسك", body="قصفت القوات الأوكرانية مواقع الانفصاليين في دونيتسك",
                       published=date(2015, 1, 10))
    make_article(title="قصف في دونيتسك قديم", body="قصفت القوات الأوكرانية مواقع الانفصاليين في دونيتسك",
                 published=date(2013, 1, 10))
    edited = Topic(slug="donetsk-preview", name_ar="دونيتسك", keywords="دونيتسك + القوات",
                   requires="أوكرانيا | الأوكرانية", starts=date(2014, 2, 20))
    preview = preview_topic(None, edited)
    assert preview.tag == [war.pk] and preview.untag == [] and preview.scanned == 2
    edited.requires = "فاغنر"
    assert preview_topic(None, edited).tag == []
    named = make_article(title="زيارة إلى بلاد الأرز", body="وصل الوفد إلى بلاد الأرز ثم عاد")
    lebanon = Country.objects.get(code="LB")
    lebanon.aliases = "لبنان\nبلاد الأرز"
    assert named.pk in preview_country(Country.objects.get(code="LB"), lebanon).tag
    lebanon.aliases = "لبنان"
    assert named.pk not in preview_country(Country.objects.get(code="LB"), lebanon).tag


