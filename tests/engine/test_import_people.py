"""People are tagged at import (in the worker processes too), replaced when
an article's text changes, and re-tagged after a spelling is edited."""
import json

from archive.importing import retag_articles
from archive.models import Article, ArticlePerson, Person


def _write(path, records):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")


def _record(i, body):
    return {"id": f"P-{i}", "title": f"خبر رقم {i}", "body": body, "date": "2018-03-01",
            "source_id": "skynews", "url": f"https://example.com/p/{i}"}


def people_of(origin):
    return dict(ArticlePerson.objects.filter(article__origin=origin).values_list("person__slug", "mentions"))


def test_import_tags_people_in_workers(import_paths, tmp_path):
    bodies = ["قال الرئيس الروسي فلاديمير بوتين إن بوتين يرحب.",
              "زئير الأسد في حديقة الحيوان.",
              "قال بشار الأسد إن الأسد لن يتنحى، وذكر محمود عباس."]
    _write(tmp_path / "a.jsonl", [_record(i, f"{bodies[i % 3]} الفقرة {i}.") for i in range(120)])
    report = import_paths(tmp_path / "a.jsonl", workers=2)
    assert report.created == 120 and not report.rejected
    assert people_of("P-0") == {"vladimir-putin": 2}
    assert people_of("P-1") == {}  # «الأسد» alone is the lion
    assert people_of("P-2") == {"bashar-al-assad": 2, "mahmoud-abbas": 1}
    assert ArticlePerson.objects.filter(person__slug="vladimir-putin").count() == 40


def test_changed_text_replaces_people_and_retag_follows_spellings(import_paths, tmp_path):
    _write(tmp_path / "a.jsonl", [_record(1, "قال بوتين إن المحادثات مستمرة.")])
    import_paths(tmp_path / "a.jsonl")
    assert people_of("P-1") == {"vladimir-putin": 1}
    _write(tmp_path / "a.jsonl", [_record(1, "قال أردوغان إن المحادثات مستمرة.")])
    assert import_paths(tmp_path / "a.jsonl").updated == 1
    assert people_of("P-1") == {"recep-tayyip-erdogan": 1}
    # an editor adds a spelling in the admin, then re-tags
    person = Person.objects.get(slug="vladimir-putin")
    person.spellings += "\nالمحادثات"
    person.save()
    assert retag_articles(Article.objects.filter(origin="P-1")) == 1
    assert people_of("P-1") == {"recep-tayyip-erdogan": 1, "vladimir-putin": 1}
