"""People tagging (archive.importing.people), word by word, and the shipped
people gazetteer (archive/data/people.json)."""
import json
from collections import Counter

import pytest

from archive.importing.gazetteer import DATA_DIR
from archive.importing.people import PersonEntry, PersonMatcher
from archive.importing.people_data import latin_index, latin_key, person_matcher

PEOPLE = [
    PersonEntry("putin", names=("فلاديمير بوتين", "بوتين", "بوتن")),
    PersonEntry("assad", names=("بشار الأسد",), weak=("الأسد", "بشار")),
    PersonEntry("abbas", names=("محمود عباس", "أبو مازن"), weak=("عباس",)),
    # a spelling two people share is weak for both
    PersonEntry("king-abdullah", names=("الملك عبدالله بن عبدالعزيز", "الملك عبدالله")),
    PersonEntry("abdullah-ii", names=("عبدالله الثاني", "الملك عبدالله الثاني", "الملك عبدالله")),
]
BLOCKERS = ["حافظ الأسد"]


@pytest.fixture(scope="module")
def matcher():
    return PersonMatcher(PEOPLE, BLOCKERS)


@pytest.mark.parametrize("text, expected", [
    ("استقبل فلاديمير بوتين نظيره", {"putin": 1}),
    ("قال بوتين إن", {"putin": 1}),  # an unambiguous surname alone counts
    ("وبوتين ولبوتين وكبوتين", {"putin": 3}),  # proclitics
    ("الرئيس الروسي بوتن", {"putin": 1}),  # another spelling
    ("الرئيس فلاديمير بوتين، وقال بوتين", {"putin": 2}),  # the full name is one mention
    ("بوتينية البوتينية", {}),  # whole words only
    ("زئير الأسد في الغابة", {}),  # an ambiguous surname alone: nothing
    ("قال بشار الأسد إن الأسد باق", {"assad": 2}),  # ... counts with the full name
    ("صورة حافظ الأسد", {}),  # a blocker names someone else
    ("حافظ الأسد والد بشار الأسد", {"assad": 1}),  # the blocker consumes its words
    ("التقى أبو مازن، وقال عباس", {"abbas": 2}),
    ("زار عباس المدينة", {}),
    ("قال محمود عباس إن المدرسة بعباس", {"abbas": 1}),  # a weak form after ب is not taken
    ("الملك عبدالله", {}),  # shared by two people: weak for both
    ("الملك عبدالله الثاني", {"abdullah-ii": 1}),  # the longer name wins
    ("استقبل عبدالله الثاني الوفد وقال الملك عبدالله", {"abdullah-ii": 2}),
])
def test_words(matcher, text, expected):
    assert dict(matcher.count(text)) == expected


def test_count_words_equals_count(matcher):
    from archive.importing.tagging import words

    text = "قال بشار الأسد إن الأسد باق وبوتين"
    assert matcher.count_words(words(text)) == matcher.count(text) == Counter({"assad": 2, "putin": 1})


def _data():
    return json.loads((DATA_DIR / "people.json").read_text(encoding="utf-8"))


def test_shipped_people_file():
    data = _data()
    people = data["people"]
    slugs = [p["slug"] for p in people]
    assert len(slugs) == len(set(slugs)) and 60 <= len(slugs) <= 130
    for slug in ("vladimir-putin", "volodymyr-zelensky", "yevgeny-prigozhin", "alexander-lukashenko",
                 "sergei-shoigu", "valery-gerasimov", "kassym-jomart-tokayev", "shavkat-mirziyoyev",
                 "emomali-rahmon", "sadyr-japarov", "recep-tayyip-erdogan", "joe-biden", "antony-blinken"):
        assert slug in slugs
    strong_owner = {}
    for p in people:
        assert p["name_ar"] and p["name_en"] and p["spellings"] and p["source"] in ("mission", "corpus")
        assert not set(p["spellings"]) & set(p["weak_spellings"]), p["slug"]
        for s in p["spellings"]:
            assert strong_owner.setdefault(s, p["slug"]) == p["slug"], f"{s} is strong for two people"
    for blocker in data["blockers"]:
        assert blocker not in strong_owner


def test_shipped_people_on_real_sentences(db):
    matcher = person_matcher()
    assert matcher.count("أكد الرئيس التركي رجب طيب أردوغان وأردوغان") == Counter({"recep-tayyip-erdogan": 2})
    assert matcher.count("قال زيلينسكي إن بريغوجين ولوكاشينكو") == Counter(
        {"volodymyr-zelensky": 1, "yevgeny-prigozhin": 1, "alexander-lukashenko": 1})
    assert matcher.count("مركز الملك سلمان للإغاثة") == Counter()  # an institution, not the king
    assert matcher.count("قال مستشار الأمن القومي جون بولتون. وقال بولتون") == Counter({"john-bolton": 2})
    assert matcher.count("صرّح بولتون زعيم حزب الاستقلال") == Counter()  # another Bolton
    assert matcher.count("بيان الرئيس السوري بشار الأسد") == Counter({"bashar-al-assad": 1})
    assert matcher.count("مدرب الأسد") == Counter()
    assert matcher.count("معرض ميسي فرانكفورت للمواد") == Counter()  # Messe Frankfurt, not Messi
    assert matcher.count("سجل ميسي هدفين") == Counter({"lionel-messi": 1})


def test_latin_index(db):
    index = latin_index()
    assert "أردوغان" in index["erdogan"] and index["recep tayyip erdogan"] == index["erdogan"]
    assert "زيلينسكي" in index["zelensky"] and "زيلينسكي" in index["zelenskyy"]
    assert "بوتين" in index["putin"]
    assert "bin" not in index  # a last word shared by several people is not a key
    assert latin_key("Erdoğan") == "erdogan" and latin_key("Kim Jong-un") == "kim jong un"
