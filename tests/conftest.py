"""Shared pytest setup. Fixtures live in one module per area (see pytest_plugins).

Layout: unit/ (pure functions), engine/ (a real Whoosh index), web/ (Django's
test client), system/ (browser, faults, load, quality, PostgreSQL, benchmark).
Every test in system/, every ``browser`` and ``corpus`` test and the tail of each
parametrized sweep (SWEEPS) are marked ``slow`` here; another slow test
carries ``@pytest.mark.slow`` itself.
``pytest -m "not slow"`` (``make test-fast``) is the inner loop.
"""
from pathlib import Path

import pytest

# pytest.ini selects config.settings_test, which keeps tests out of var/.
pytest_plugins = [
    "tests.fixtures_archive",
    "tests.fixtures_search",
    "tests.fixtures_browser",
    "tests.fixtures_collect",
]

SYSTEM_DIR = Path(__file__).resolve().parent / "system"

# Parametrized sweeps of bad or varied input, each case on a freshly indexed
# archive: the first SWEEP_FAST_CASES cases of each stay in the fast loop, the
# others are marked slow (make test runs every case).
SWEEPS = {
    "test_invalid_parameters_get_400_with_arabic_error",  # web/test_api.py
    "test_malformed_input_never_500",  # web/test_search_page.py
    "test_bad_parameters_are_400",  # web/test_export.py
    "test_bad_parameters_give_the_400_page",  # web/test_search_ui.py
    "test_bad_page_params_never_500",  # web/test_pages.py
    "test_sql_looking_input_is_just_text",  # web/test_xss.py
    "test_broken_index_gives_503_page_and_json",  # engine/test_check_index.py
    "test_variants_find_the_same_articles",  # engine/test_search_relevance.py
}
SWEEP_FAST_CASES = 2


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark system, browser and corpus tests and the tail of each sweep slow,
    so that -m "not slow" leaves them out."""
    seen = {}
    for item in items:
        if (item.path.is_relative_to(SYSTEM_DIR) or item.get_closest_marker("browser")
                or item.get_closest_marker("corpus")):
            item.add_marker(pytest.mark.slow)
        elif getattr(item, "originalname", None) in SWEEPS:
            key = (item.path, item.originalname)
            seen[key] = seen.get(key, 0) + 1
            if seen[key] > SWEEP_FAST_CASES:
                item.add_marker(pytest.mark.slow)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_setupnodes(config, specs):
    """With pytest-xdist (-n 2), each worker gets its own data folder (default
    index, queue, SQLite file) inside the main process's throwaway one."""
    import os

    data_dir = os.environ.get("ARCHIVE_DATA_DIR", "")
    for number, spec in enumerate(specs):
        spec.env["ARCHIVE_DATA_DIR"] = os.path.join(data_dir, f"gw{number}")


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


def pytest_runtest_setup(item):
    """``sqlite_only`` tests run once per ``make test``: in the SQLite pass."""
    if item.get_closest_marker("sqlite_only"):
        from django.conf import settings

        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
            pytest.skip("runs in the SQLite pass only (it does not use the suite's database)")


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """Each test starts with no cached page parts (archive.pagecache): the
    database rolls back between tests, the per-process cache would not."""
    from archive import pagecache

    pagecache.clear()
    yield
