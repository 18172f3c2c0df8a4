"""Shared pytest setup. Fixtures live in one module per area (see pytest_plugins).

Layout: unit/ (pure functions), engine/ (a real Whoosh index), web/ (Django's
test client), system/ (browser, faults, load, quality, PostgreSQL, benchmark).
Every test in system/ and every ``browser`` test is marked ``slow``
here; a slow test elsewhere carries ``@pytest.mark.slow`` itself.
``pytest -m "not slow"`` (``make test-fast``) is the inner loop.
"""
from pathlib import Path

import pytest

# pytest.ini selects config.settings_test, which keeps tests out of var/.
pytest_plugins = [
    "tests.fixtures_archive",
    "tests.fixtures_search",
    "tests.fixtures_browser",
]

SYSTEM_DIR = Path(__file__).resolve().parent / "system"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark system tests and browser tests slow, so that -m "not slow" leaves them out."""
    for item in items:
        if item.path.is_relative_to(SYSTEM_DIR) or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


def pytest_unconfigure(config):
    """Remove the throwaway data folder made by config.settings_test (by the main
    process only: pytest-xdist workers share it through ARCHIVE_DATA_DIR)."""
    if hasattr(config, "workerinput"):
        return
    import os
    import shutil
    import tempfile

    data_dir = os.environ.get("ARCHIVE_DATA_DIR", "")
    tmp = os.path.realpath(tempfile.gettempdir())
    if os.path.basename(data_dir).startswith("archive-test-") and \
            os.path.realpath(os.path.dirname(data_dir)) == tmp:
        shutil.rmtree(data_dir, ignore_errors=True)
