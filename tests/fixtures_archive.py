"""Fixtures for the archive: the seed articles imported into the test database."""
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "seeds"
CORPUS_DIR = ROOT.parent / "shared" / "corpus"


@pytest.fixture
def import_paths(db):
    """Run the importer on paths (single process) and return its report."""
    from archive.importing import Importer

    def run(*paths, workers=1, limit=None):
        return Importer(workers=workers, limit=limit).run([str(p) for p in paths])

    return run


@pytest.fixture
def seeded(import_paths):
    """The five seed articles in the database; returns the import report."""
    report = import_paths(SEEDS_DIR)
    assert report.created == 5, report.rejected
    return report
