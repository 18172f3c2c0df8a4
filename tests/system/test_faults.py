"""Faults: an interrupted import loses no index update; the CI-size fault suite.

``make faults-smoke`` = scripts/faults.py --smoke (1,100 corpus articles in a
throwaway SQLite folder): kill -9 an import half-way and rerun it, kill -9 the
index writer while writing and while committing, a read-only and a full data
folder (tmpfs; SKIP where mounting is not allowed), the database file gone.
"""
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from archive.importing import Importer
from archive.models import Article
from search import indexing
from search.indexing import consistency
from search.models import IndexQueue

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
CORPUS = ROOT.parent / "shared" / "corpus" / "articles.jsonl.gz"


@pytest.mark.django_db
def test_imported_articles_are_queued_with_them(search_index):
    """A process that dies after writing articles but before indexing them
    leaves their queue rows, so the next drain indexes them."""
    report = Importer(workers=1).run([str(SEEDS)])  # no index_articles: as if killed here
    assert report.created == 5
    queued = set(IndexQueue.objects.values_list("article_id", flat=True))
    assert queued == set(Article.objects.values_list("pk", flat=True))
    assert consistency.compare().missing == sorted(queued)
    assert indexing.drain(timeout=5.0) == 5
    assert consistency.compare().ok and not IndexQueue.objects.exists()


@pytest.mark.django_db
def test_import_command_indexes_leftovers_of_an_interrupted_run(search_index, tmp_path):
    from django.core.management import call_command

    Importer(workers=1).run([str(SEEDS)])  # "killed" before indexing
    call_command("import_articles", str(SEEDS), "--no-progress", "--workers", "1", stdout=open("/dev/null", "w"))
    assert consistency.compare().ok and consistency.compare().indexed == 5
    assert not IndexQueue.objects.exists()


@pytest.mark.django_db
def test_import_on_a_broken_database_is_a_clear_error(search_index, monkeypatch):
    from django.core.management import CommandError, call_command
    from django.db import OperationalError

    def fail(self, items):
        raise OperationalError("database or disk is full")

    monkeypatch.setattr(Importer, "_write", fail)
    with pytest.raises(CommandError) as info:
        call_command("import_articles", str(SEEDS), "--no-progress", "--workers", "1")
    assert "database or disk is full" in str(info.value) and "run the same command again" in str(info.value)
    assert not Article.objects.exists()


@pytest.mark.django_db
@pytest.mark.sqlite_only
def test_faults_smoke():
    if connection.vendor != "sqlite":
        pytest.skip("runs once, in the SQLite pass (the script uses its own SQLite folders)")
    if not CORPUS.exists():
        pytest.skip("needs ../shared/corpus")
    proc = subprocess.run([sys.executable, "scripts/faults.py", "--smoke"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-4000:]
    for name in ("kill_import", "kill_writer", "db_gone"):
        assert f"PASS {name}" in output, output[-4000:]
    for name in ("unwritable", "full_disk"):  # tmpfs mounts need root
        assert f"PASS {name}" in output or f"SKIP {name}" in output, output[-4000:]
    assert "FAIL" not in output
