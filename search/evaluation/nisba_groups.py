"""Country adjectives (nisba) and country names: the eval's nisba groups.

Each group pairs an adjective form with the country's name; the runner
measures both directions like a spelling group (``nisba_recall``): querying
«الكازاخستانية» should find the articles that only say «كازاخستان» (with any
proclitic) and the reverse. Chosen by hand across regions, genders, numbers
and article use; «الكندي» is also a surname and «الهندي» a common word
(both kept on purpose: the set must be able to show harm). Split into dev and
test by ``split.group_key`` like every other set.
"""
from __future__ import annotations

from .split import group_key, split_of

NISBA_GROUPS = (
    ("Kazakhstan", ("الكازاخستانية", "كازاخستان")),
    ("Russia", ("الروسي", "روسيا")),
    ("Ukraine", ("الأوكرانيون", "أوكرانيا")),
    ("Egypt", ("المصرية", "مصر")),
    ("Syria", ("السوريين", "سوريا")),
    ("France", ("الفرنسي", "فرنسا")),
    ("Germany", ("الألمانية", "ألمانيا")),
    ("Iran", ("الإيراني", "إيران")),
    ("Turkey", ("التركية", "تركيا")),
    ("China", ("الصيني", "الصين")),
    ("Japan", ("اليابانية", "اليابان")),
    ("Iraq", ("العراقيين", "العراق")),
    ("Lebanon", ("اللبناني", "لبنان")),
    ("Jordan", ("الأردنية", "الأردن")),
    ("Israel", ("الإسرائيلي", "إسرائيل")),
    ("Palestine", ("الفلسطينيين", "فلسطين")),
    ("Qatar", ("القطري", "قطر")),
    ("Libya", ("الليبية", "ليبيا")),
    ("Tunisia", ("التونسي", "تونس")),
    ("Algeria", ("الجزائرية", "الجزائر")),
    ("Morocco", ("المغربي", "المغرب")),
    ("Yemen", ("اليمني", "اليمن")),
    ("Kuwait", ("الكويتية", "الكويت")),
    ("Britain", ("البريطاني", "بريطانيا")),
    ("Italy", ("الإيطالية", "إيطاليا")),
    ("Spain", ("الإسباني", "إسبانيا")),
    ("India", ("الهندية", "الهند")),
    ("Pakistan", ("الباكستاني", "باكستان")),
    ("Afghanistan", ("الأفغانية", "أفغانستان")),
    ("Venezuela", ("الفنزويلي", "فنزويلا")),
    ("Uzbekistan", ("الأوزبكي", "أوزبكستان")),
    ("Brazil", ("البرازيلية", "البرازيل")),
    ("Sudan", ("السوداني", "السودان")),
    ("Ethiopia", ("الإثيوبية", "إثيوبيا")),
    ("Canada", ("الكندي", "كندا")),
    ("Sweden", ("السويدية", "السويد")),
    ("Norway", ("النرويجي", "النرويج")),
    ("Belgium", ("البلجيكية", "بلجيكا")),
    ("Netherlands", ("الهولندي", "هولندا")),
)


def nisba_groups() -> list[dict]:
    """The groups in the query-set format of the spelling groups (no doc ids:
    they never change the subset)."""
    out = []
    for name, words in NISBA_GROUPS:
        group = {"name": "nisba:" + name, "spellings": [{"text": w} for w in words]}
        group["split"] = split_of(group_key(group))
        out.append(group)
    return out
