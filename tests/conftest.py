"""Shared pytest setup. Fixtures live in one module per area (see pytest_plugins)."""
# pytest.ini selects config.settings_test, which keeps tests out of var/.
pytest_plugins = [
    "tests.fixtures_archive",
    "tests.fixtures_search",
    "tests.fixtures_browser",
    "tests.fixtures_collect",
]


def pytest_unconfigure(config):
    """Remove the throwaway data folder made by config.settings_test."""
    import os
    import shutil
    import tempfile

    data_dir = os.environ.get("ARCHIVE_DATA_DIR", "")
    tmp = os.path.realpath(tempfile.gettempdir())
    if os.path.basename(data_dir).startswith("archive-test-") and \
            os.path.realpath(os.path.dirname(data_dir)) == tmp:
        shutil.rmtree(data_dir, ignore_errors=True)
