"""Checks on the shipped gazetteer data (archive/data/*.json): plain JSON, no Django, no DB.

Run alone with: .venv/bin/pytest tests/unit/test_gazetteer_data.py -q -p no:django
"""
import gzip
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "archive" / "data"
CORPUS = ROOT.parent / "shared" / "corpus"

UN_MEMBERS = set(
    "AF AL DZ AD AO AG AR AM AU AT AZ BS BH BD BB BY BE BZ BJ BT BO BA BW BR BN BG BF BI "
    "CV KH CM CA CF TD CL CN CO KM CG CR CI HR CU CY CZ KP CD DK DJ DM DO EC EG SV GQ ER "
    "EE SZ ET FJ FI FR GA GM GE DE GH GR GD GT GN GW GY HT HN HU IS IN ID IR IQ IE IL IT "
    "JM JP JO KZ KE KI KW KG LA LV LB LS LR LY LI LT LU MG MW MY MV ML MT MH MR MU MX FM "
    "MD MC MN ME MA MZ MM NA NR NP NL NZ NI NE NG MK NO OM PK PW PA PG PY PE PH PL PT QA "
    "KR RO RU RW KN LC VC WS SM ST SA SN RS SC SL SG SK SI SB SO ZA SS ES LK SD SR SE CH "
    "SY TJ TH TL TG TO TT TN TR TM TV UG UA AE GB TZ US UY UZ VU VE VN YE ZM ZW".split()
)
CATEGORY_KEYS = {
    "culture", "economy", "internationalNews", "middleEast", "sport",
    "technology", "localNews", "politic", "society", "diverse",
}
CURATED_TOPICS = {"ukraine-war", "wagner-mutiny", "central-asia-russia"}

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
_ARABIC = re.compile("[\u0621-\u064a]")


def norm(text):
    """Remove diacritics/tatweel, unify أإآ→ا, ى→ي, ة→ه, ؤ→و, ئ→ي, collapse spaces."""
    return " ".join(_DIACRITICS.sub("", text).translate(_LETTERS).split())


def load(name):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def countries():
    return load("countries.json")


@pytest.fixture(scope="module")
def by_code(countries):
    return {row["code"]: row for row in countries}


# --- countries -----------------------------------------------------------------

def test_country_shape_and_order(countries):
    assert [row["code"] for row in countries] == sorted(row["code"] for row in countries)
    for row in countries:
        assert set(row) == {"code", "name_ar", "name_en", "aliases", "weak_aliases"}, row["code"]
        assert re.fullmatch("[A-Z]{2}", row["code"])
        assert isinstance(row["aliases"], list) and isinstance(row["weak_aliases"], list)
        assert all(isinstance(a, str) and a.strip() == a and a for a in row["aliases"] + row["weak_aliases"])


def test_all_un_members_and_observers(by_code):
    assert len(UN_MEMBERS) == 193
    assert set(by_code) == UN_MEMBERS | {"PS", "VA"}


def test_names_are_arabic_and_english(countries):
    for row in countries:
        assert _ARABIC.search(row["name_ar"]), row["code"]
        assert row["name_en"].strip() and not _ARABIC.search(row["name_en"]), row["code"]
        for alias in row["aliases"] + row["weak_aliases"]:
            assert _ARABIC.search(alias), (row["code"], alias)


def test_name_ar_is_an_alias_strong_or_weak(countries):
    # The display name names the country in text: strongly, or weakly when
    # it is also a common word (مالي: "financial").
    for row in countries:
        strong = {norm(a) for a in row["aliases"]}
        weak = {norm(a) for a in row["weak_aliases"]}
        assert norm(row["name_ar"]) in strong ^ weak, row["code"]


def test_every_country_has_aliases(countries):
    for row in countries:
        assert len(row["aliases"]) >= 2, row["code"]


def test_no_strong_alias_shared_between_countries(countries):
    owner = {}
    for row in countries:
        for alias in row["aliases"]:
            key = norm(alias)
            assert owner.setdefault(key, row["code"]) == row["code"], (alias, owner[key], row["code"])


def test_no_duplicates_within_a_country(countries):
    for row in countries:
        keys = [norm(a) for a in row["aliases"]]
        assert len(keys) == len(set(keys)), row["code"]
        keys = [norm(a) for a in row["weak_aliases"]]
        assert len(keys) == len(set(keys)), row["code"]


def test_weak_aliases_are_never_strong(countries):
    strong_all = {norm(a) for row in countries for a in row["aliases"]}
    for row in countries:
        own = {norm(a) for a in row["aliases"]}
        for alias in row["weak_aliases"]:
            assert norm(alias) not in own, (row["code"], alias)
            assert norm(alias) not in strong_all, (row["code"], alias)


@pytest.mark.parametrize(
    "code, strong, weak",
    [
        ("RU", ["موسكو", "الكرملين", "الروسية", "روسيا", "الروس"], []),
        ("BY", ["بيلاروسيا", "روسيا البيضاء", "بيلاروس", "مينسك"], []),
        ("KZ", ["كازاخستان", "الكازاخستاني"], []),
        ("UZ", ["أوزبكستان", "أوزباكستان"], []),
        ("KG", ["قيرغيزستان", "قرغيزستان", "قرغيزيا"], []),
        ("TJ", ["طاجيكستان"], []),
        ("TM", ["تركمانستان"], []),
        ("UA", ["أوكرانيا", "كييف", "الأوكرانية"], []),
        ("US", ["الولايات المتحدة", "أمريكا", "أميركا", "واشنطن", "البيت الأبيض", "البنتاغون", "الأمريكيون"], []),
        ("AE", ["الإمارات", "الإمارات العربية المتحدة"], []),
        ("KP", ["كوريا الشمالية", "كوريا الديمقراطية"], []),
        ("KR", ["كوريا الجنوبية"], ["كوريا"]),
        ("ML", ["باماكو"], ["مالي", "المالي", "المالية", "الماليين"]),
        ("OM", ["سلطنة عمان", "العمانية"], ["عمان"]),
        ("JO", ["الأردن", "الأردني"], ["عمان"]),
        ("CD", ["الكونغو الديمقراطية"], ["الكونغو"]),
        ("CG", ["كونغو برازافيل"], ["الكونغو"]),
        ("GN", ["غينيا"], []),
        ("GW", ["غينيا بيساو"], []),
        ("GQ", ["غينيا الاستوائية"], []),
        ("PG", ["بابوا غينيا الجديدة"], []),
        ("SD", ["السودان"], []),
        ("SS", ["جنوب السودان"], []),
        ("ZA", ["جنوب أفريقيا"], []),
        ("PS", ["فلسطين", "غزة", "الضفة الغربية"], []),
        ("IL", ["إسرائيل", "تل أبيب"], []),
        ("CN", ["الصين", "بكين"], []),
        ("TR", ["تركيا", "أنقرة"], []),
        ("IR", ["إيران", "طهران"], []),
        ("SA", ["السعودية", "الرياض"], []),
        ("QA", ["قطر", "الدوحة"], []),
    ],
)
def test_required_samples(by_code, code, strong, weak):
    row = by_code[code]
    strong_keys = {norm(a) for a in row["aliases"]}
    weak_keys = {norm(a) for a in row["weak_aliases"]}
    for alias in strong:
        assert norm(alias) in strong_keys, (code, alias)
    for alias in weak:
        assert norm(alias) in weak_keys, (code, alias)


def test_overrides_of_cldr_names(by_code):
    assert by_code["BY"]["name_ar"] == "بيلاروسيا"
    assert "بيلاروس" in by_code["BY"]["aliases"]  # the CLDR form is kept
    assert by_code["PS"]["name_ar"] == "فلسطين"
    assert by_code["ML"]["name_ar"] == "مالي"
    assert "جمهورية مالي" in by_code["ML"]["aliases"]


def test_nothing_silly_matches_mali(countries):
    for row in countries:
        for alias in row["aliases"] + row["weak_aliases"]:
            assert norm(alias) not in {"الشماليه", "الشمالي", "صومالي", "الصومالي"} or row["code"] == "SO", alias


def test_blockers(countries):
    blockers = load("country_blockers.json")
    assert isinstance(blockers, list) and blockers
    assert all(isinstance(b, str) and _ARABIC.search(b) for b in blockers)
    keys = [norm(b) for b in blockers]
    assert len(keys) == len(set(keys))
    aliases = {norm(a) for row in countries for a in row["aliases"] + row["weak_aliases"]}
    assert not aliases & set(keys)
    for phrase in ("بحر الصين", "أمريكا اللاتينية", "أمريكا الجنوبية", "أمريكا الشمالية"):
        assert norm(phrase) in keys


def test_aliases_file_is_well_formed():
    curated = load("country_aliases.json")
    assert "_notes" in curated
    for code, entry in curated.items():
        if code.startswith("_"):
            continue
        assert code in UN_MEMBERS | {"PS", "VA"}, code
        assert set(entry) <= {"name_ar", "name_en", "aliases", "weak_aliases"}, code


def test_countries_json_is_in_sync_with_generator():
    pytest.importorskip("babel")
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_countries", DATA / "build_countries.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.render(module.build()) == (DATA / "countries.json").read_text(encoding="utf-8"), (
        "countries.json is stale: run .venv/bin/python archive/data/build_countries.py"
    )


# --- topics ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def topics():
    return load("topics.json")


def test_topic_shape(topics):
    slugs = [t["slug"] for t in topics]
    assert len(slugs) == len(set(slugs))
    for topic in topics:
        assert {"slug", "name_ar", "description", "category", "keywords"} <= set(topic), topic["slug"]
        assert set(topic) <= {"slug", "name_ar", "description", "category", "keywords", "requires", "starts", "ends"}
        assert isinstance(topic.get("requires", []), list)
        for key in ("starts", "ends"):
            assert topic.get(key) is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", topic[key])
        assert re.fullmatch("[a-z0-9]+(-[a-z0-9]+)*", topic["slug"])
        assert _ARABIC.search(topic["name_ar"]) and _ARABIC.search(topic["description"])
        assert topic["category"] is None or topic["category"] in CATEGORY_KEYS
        assert isinstance(topic["keywords"], list)


def test_curated_and_category_topics(topics):
    by_slug = {t["slug"]: t for t in topics}
    assert CURATED_TOPICS <= set(by_slug)
    for slug in CURATED_TOPICS:
        assert by_slug[slug]["category"] is None and by_slug[slug]["keywords"], slug
    categories = [t["category"] for t in topics if t["category"]]
    assert sorted(categories) == sorted(CATEGORY_KEYS)
    for topic in topics:
        if topic["category"]:
            assert topic["keywords"] == []
    assert len(topics) == 13
    expected = {
        "culture": "culture", "economy": "economy", "international": "internationalNews",
        "middle-east": "middleEast", "sport": "sport", "technology": "technology", "local": "localNews",
        "politics": "politic", "society": "society", "misc": "diverse",
    }
    assert {s: by_slug[s]["category"] for s in expected} == expected


def test_topic_rules_parse(topics):
    for topic in topics:
        seen = set()
        for rule in topic["keywords"]:
            assert isinstance(rule, str) and rule.strip() == rule, rule
            parts = rule.split(" + ")
            assert all(p.strip() == p and p and "+" not in p for p in parts), rule
            assert all(_ARABIC.search(p) for p in parts), rule
            key = tuple(sorted(norm(p) for p in parts))
            assert key not in seen, rule
            seen.add(key)


def test_curated_rules_samples(topics):
    rules = {t["slug"]: {norm(r) for r in t["keywords"]} for t in topics}
    assert norm("فاغنر + تمرد") in rules["wagner-mutiny"]
    assert norm("فاجنر + تمرد") in rules["wagner-mutiny"]
    assert norm("آسيا الوسطى + روسيا") in rules["central-asia-russia"]
    assert norm("الحرب في أوكرانيا") in rules["ukraine-war"]
    # Ukraine itself is never enough: every ukraine-war rule is more specific than the bare name.
    assert norm("أوكرانيا") not in rules["ukraine-war"]


# --- sources ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def sources():
    return load("sources.json")


def test_source_shape(sources, countries):
    codes = {row["code"] for row in countries}
    slugs = [s["slug"] for s in sources]
    assert len(slugs) == len(set(slugs))
    keys = [s["key"] for s in sources if s["key"] is not None]
    assert len(keys) == len(set(keys))
    for source in sources:
        assert {"key", "name_en", "name_ar", "slug", "homepage", "country"} <= set(source)
        assert re.fullmatch("[a-z0-9]+(-[a-z0-9]+)*", source["slug"]), source["slug"]
        assert _ARABIC.search(source["name_ar"]) and source["name_en"]
        assert re.fullmatch(r"https?://[a-z0-9.-]+(/[\w-]*)?", source["homepage"]), source["homepage"]
        assert source["country"] in codes
    marib = next(s for s in sources if s["slug"] == "marebpress")
    assert marib["key"] is None and marib["country"] == "YE" and marib["name_ar"] == "مأرب برس"


@pytest.mark.slow
def test_sources_cover_the_corpus(sources):
    files = sorted(CORPUS.glob("*.jsonl.gz")) if CORPUS.is_dir() else []
    if not files:
        pytest.skip(f"corpus not found at {CORPUS}")
    seen = {}
    for path in files:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                seen.setdefault(record["source_id"], record["source"])
    by_key = {s["key"]: s for s in sources if s["key"]}
    assert len(seen) == 20
    assert set(seen) <= set(by_key), sorted(set(seen) - set(by_key))
    for key, name in seen.items():
        assert by_key[key]["name_en"] == name, key
