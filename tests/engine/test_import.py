"""The import command: seeds, idempotency, duplicates, bad input, corpus files."""
import gzip
import json
import re
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from archive.models import Article, Source
from tests.fixtures_archive import CORPUS_DIR, SEEDS_DIR

pytestmark = pytest.mark.django_db

SEED_TITLES = {
    "000_7e1908c697cfb7e2.txt": "فلاديمير بوتين يتلقى رداً فاتراً من الحلفاء بشأن المشكلة “الداخلية”",
    "001_7cbccdc01d08b9ff.txt": "بسبب حرب أوكرانيا.. بوتين يتلقي ضربة قوية من حلفائه",
    "003_5a2e85d36892b51a.txt": "بوتين يجري محادثات مع زعيم بيلاروسيا",
    "004_1dfa1cc5bcbb9d08.txt": "على غير المتوقع.. بوتين يتلقى صدمة من حلفائه في آسيا الوسطى",
}

BOILERPLATE = [
    "اترك ردك",
    "اترك تعليقاً",
    "لن يتم نشر عنوان بريدك الإلكتروني",
    "انقر هنا لقراءة الخبر من مصدره",
    "زر الذهاب إلى الأعلى",
    "شكرا على الإبلاغ",
    "جرب The Telegraph",
    "نشر في مأرب برس",
]


def _ticker_headlines():
    """Every headline of seed 004's ticker (a long line of space-separated items)."""
    raw = (SEEDS_DIR / "004_1dfa1cc5bcbb9d08.txt").read_text(encoding="utf-8")
    lines = [line for line in raw.splitlines() if len(line) > 1000]
    assert lines
    return [item.strip() for line in lines for item in re.split(r"\s{3,}", line) if len(item.strip()) >= 10]


def test_seeds_have_real_titles_dates_and_outlets(seeded):
    articles = {a.origin: a for a in Article.objects.select_related("source")}
    assert set(articles) == {p.name for p in SEEDS_DIR.glob("*.txt")}
    for origin, title in SEED_TITLES.items():
        assert articles[origin].title == title
    blinken = articles["002_66071d0093fa933f.txt"]
    assert blinken.title.startswith("يجري وزير الخارجية أنطوني بلينكين محادثات أزمة")
    marib = articles["004_1dfa1cc5bcbb9d08.txt"]
    assert marib.published.isoformat() == "2022-07-26"
    assert marib.source.name == "مأرب برس"
    # No date or outlet is stated in the other seeds: they stay unknown.
    for origin in ("000_7e1908c697cfb7e2.txt", "001_7cbccdc01d08b9ff.txt", "003_5a2e85d36892b51a.txt"):
        assert articles[origin].published is None


def test_seed_boilerplate_is_gone_and_paragraphs_kept(seeded):
    headlines = _ticker_headlines()
    assert len(headlines) > 50
    for article in Article.objects.all():
        text = article.title + "\n" + article.body
        for phrase in BOILERPLATE:
            assert phrase not in text, (article.origin, phrase)
        for headline in headlines:
            assert headline not in text, (article.origin, headline)
        assert len(article.paragraphs) >= 8, article.origin
        # The raw text is kept exactly as imported.
        assert article.raw_text == (SEEDS_DIR / article.origin).read_text(encoding="utf-8")
    marib = Article.objects.get(origin="004_1dfa1cc5bcbb9d08.txt")
    assert marib.paragraphs[0].startswith("ينظر الرئيس الروسي فلاديمير بوتين")
    assert "صدمة لبوتين" in marib.paragraphs


def test_second_run_creates_nothing(seeded, import_paths):
    report = import_paths(SEEDS_DIR)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 5)
    assert Article.objects.count() == 5


def test_changed_file_updates_its_article(import_paths, tmp_path):
    for path in SEEDS_DIR.glob("*.txt"):
        shutil.copy(path, tmp_path / path.name)
    import_paths(tmp_path)
    target = tmp_path / "003_5a2e85d36892b51a.txt"
    text = target.read_text(encoding="utf-8").replace("بوتين يجري محادثات مع زعيم بيلاروسيا", "بوتين يصل إلى مينسك")
    target.write_text(text, encoding="utf-8")
    report = import_paths(tmp_path)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 4)
    article = Article.objects.get(origin=target.name)
    assert article.title == "بوتين يصل إلى مينسك"
    assert Article.objects.count() == 5


def test_same_text_under_two_names_is_stored_once(import_paths, tmp_path):
    source = SEEDS_DIR / "001_7cbccdc01d08b9ff.txt"
    shutil.copy(source, tmp_path / source.name)
    shutil.copy(source, tmp_path / "copy-of-001.txt")
    report = import_paths(tmp_path)
    assert report.created == 1 and report.duplicates == 1
    assert Article.objects.count() == 1


def _write_jsonl(path, records, gz=False):
    lines = [json.dumps(r, ensure_ascii=False) if not isinstance(r, str) else r for r in records]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    if gz:
        with gzip.open(path, "wb") as handle:
            handle.write(data)
    else:
        path.write_bytes(data)


def _record(i, **extra):
    record = {
        "id": f"TEST-{i}",
        "title": f"مباحثات روسية أوكرانية رقم {i}",
        "body": f"قال الكرملين إن موسكو تجري مباحثات مع كييف. هذه الفقرة رقم {i}.\nفقرة ثانية عن الاقتصاد.",
        "date": "2018-03-0%d" % (i % 9 + 1),
        "source": "Sky News Arabia",
        "source_id": "skynews",
        "category": "middleEast",
        "categories": ["middleEast"],
        "url": f"https://example.com/{i}",
        "author": None,
    }
    record.update(extra)
    return record


def test_jsonl_import_with_tags_and_sources(import_paths, tmp_path):
    path = tmp_path / "sample.jsonl.gz"
    _write_jsonl(path, [_record(i) for i in range(1, 6)], gz=True)
    report = import_paths(path)
    assert report.created == 5 and not report.rejected
    article = Article.objects.get(origin="TEST-1")
    assert article.source.key == "skynews" and article.source.name == "سكاي نيوز عربية"
    assert article.published.isoformat() == "2018-03-02"
    assert article.url == "https://example.com/1"
    assert article.paragraphs == [
        "قال الكرملين إن موسكو تجري مباحثات مع كييف. هذه الفقرة رقم 1.",
        "فقرة ثانية عن الاقتصاد.",
    ]
    codes = dict(article.country_mentions.values_list("country_id", "mentions"))
    assert codes.get("RU", 0) >= 3  # روسية، الكرملين، موسكو
    assert codes.get("UA", 0) >= 2  # أوكرانية، كييف
    assert "middle-east" in set(article.topics.values_list("slug", flat=True))
    assert import_paths(path).created == 0


def test_bad_input_is_reported_and_valid_records_still_import(tmp_path, db):
    (tmp_path / "latin1.txt").write_bytes("عنوان".encode("cp1256") + b"\xff\xfe broken")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00")
    (tmp_path / "empty.txt").write_text("  \n\n", encoding="utf-8")
    shutil.copy(SEEDS_DIR / "003_5a2e85d36892b51a.txt", tmp_path / "good.txt")
    lines = [
        _record(1),
        '{"id": "TEST-2", "title": "مقطوع", "body": "نص',  # truncated JSON
        "not json at all",
        json.dumps({"id": "TEST-3", "title": "بلا نص"}),  # no body
        _record(4, date="2018-02-31"),  # impossible date
        _record(5),
    ]
    _write_jsonl(tmp_path / "records.jsonl", lines)
    # A gzip file cut in the middle.
    full = tmp_path / "full.jsonl.gz"
    _write_jsonl(full, [_record(i, body="نص طويل " * 400 + str(i)) for i in range(10, 60)], gz=True)
    data = full.read_bytes()
    full.unlink()
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])

    with pytest.raises(CommandError, match="rejected"):
        call_command("import_articles", str(tmp_path), "--no-index", "--no-progress", "--workers", "1")

    origins = set(Article.objects.values_list("origin", flat=True))
    assert {"good.txt", "TEST-1", "TEST-5"} <= origins
    assert not origins & {"TEST-2", "TEST-3", "TEST-4", "latin1.txt", "binary.txt", "empty.txt"}
    # Records before the cut in the truncated gzip still import.
    assert any(o.startswith("TEST-1") and o != "TEST-1" for o in origins)


def test_bad_input_messages_name_file_and_line(import_paths, tmp_path):
    _write_jsonl(tmp_path / "r.jsonl", [_record(1), "{broken", _record(3)])
    (tmp_path / "bin.txt").write_bytes(b"\x00\x00")
    report = import_paths(tmp_path)
    messages = {r.location: r.reason for r in report.rejected}
    assert any(loc.endswith("r.jsonl:2") and "JSON" in reason for loc, reason in messages.items())
    assert any(loc.endswith("bin.txt") and "binary" in reason for loc, reason in messages.items())
    assert report.created == 2


def test_a_failed_batch_leaves_no_half_article(import_paths, tmp_path, monkeypatch):
    from archive import importing

    _write_jsonl(tmp_path / "r.jsonl", [_record(i) for i in range(1, 4)])

    def explode(self, tagged):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing.Importer, "_write_tags", explode)
    with pytest.raises(RuntimeError):
        import_paths(tmp_path)
    assert Article.objects.count() == 0
    monkeypatch.undo()
    assert import_paths(tmp_path).created == 3


def test_parallel_import_matches_single_process(import_paths, tmp_path):
    _write_jsonl(tmp_path / "r.jsonl", [_record(i) for i in range(1, 250)])
    report = import_paths(tmp_path, workers=2)
    assert report.created == 249 and not report.rejected
    assert Article.objects.filter(country_mentions__country_id="RU").distinct().count() == 249


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS_DIR.exists(), reason="../shared/corpus not present")
@pytest.mark.parametrize("name", ["articles.jsonl.gz", "saudinewsnet.jsonl.gz"])
def test_first_lines_of_the_real_corpus_import(import_paths, name):
    report = import_paths(CORPUS_DIR / name, limit=200)
    assert not report.rejected, report.rejected[:3]
    assert report.created + report.duplicates == 200
    assert Source.objects.filter(articles__isnull=False).exists()
    assert not Article.objects.filter(published=None).exists()
    assert Article.objects.filter(country_mentions__isnull=False).exists()


@pytest.mark.slow
def test_import_command_indexes_in_a_second_process(tmp_path):
    """End to end in a subprocess (a file database a second process can see):
    the background indexer indexes what the import commits; nothing stays
    queued."""
    import os
    import sqlite3
    import subprocess
    import sys

    from django.conf import settings
    from whoosh.filedb.filestore import FileStorage

    env = dict(os.environ, ARCHIVE_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings")
    env.pop("DATABASE_URL", None)
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    subprocess.run(manage + ["migrate", "--noinput", "-v0"], env=env, check=True, timeout=300)
    done = subprocess.run(manage + ["import_articles", str(SEEDS_DIR), "--no-progress", "--index", "while"],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "indexed 5 articles while importing" in done.stdout, done.stdout
    with sqlite3.connect(tmp_path / "archive.sqlite3") as db:
        assert db.execute("select count(*) from search_indexqueue").fetchone() == (0,)
        assert db.execute("select count(*) from archive_article").fetchone() == (5,)
    ix = FileStorage(str(tmp_path / "whoosh_index")).open_index()
    with ix.searcher() as searcher:
        assert searcher.doc_count() == 5
        assert searcher.document(django_id="1") is not None


@pytest.mark.slow
def test_first_import_rebuilds_the_index_after(tmp_path):
    """Into an empty index (``--index auto``), the import is indexed once it
    is over, by a rebuild in one commit: every article, nothing queued, one
    segment. Into an index that already holds IMPORT_REBUILD_BELOW articles,
    auto means indexing while importing (``_index_mode``)."""
    import os
    import sqlite3
    import subprocess
    import sys

    from django.conf import settings
    from whoosh.filedb.filestore import FileStorage

    env = dict(os.environ, ARCHIVE_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings")
    env.pop("DATABASE_URL", None)
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    subprocess.run(manage + ["migrate", "--noinput", "-v0"], env=env, check=True, timeout=300)
    done = subprocess.run(manage + ["import_articles", str(SEEDS_DIR), "--no-progress"], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "indexed 5 articles after the import" in done.stdout, done.stdout
    with sqlite3.connect(tmp_path / "archive.sqlite3") as db:
        assert db.execute("select count(*) from search_indexqueue").fetchone() == (0,)
    ix = FileStorage(str(tmp_path / "whoosh_index")).open_index()
    assert len(ix._segments()) == 1
    with ix.searcher() as searcher:
        assert searcher.doc_count() == 5


def test_auto_index_mode_follows_the_index_size(monkeypatch):
    from search.management.commands import import_articles as command

    monkeypatch.setattr(command, "index_doc_count", lambda: command.IMPORT_REBUILD_BELOW - 1)
    assert command._index_mode("auto") == "after"
    monkeypatch.setattr(command, "index_doc_count", lambda: command.IMPORT_REBUILD_BELOW)
    assert command._index_mode("auto") == "while"
    assert command._index_mode("after") == "after" and command._index_mode("while") == "while"

    def unreadable():
        from search.engine.shared import IndexUnavailable

        raise IndexUnavailable("/tmp/index", OSError("broken"))

    monkeypatch.setattr(command, "index_doc_count", unreadable)
    assert command._index_mode("auto") == "after"
