"""Shared pytest setup. Fixtures live in one module per area (see pytest_plugins)."""
# pytest.ini selects config.settings_test, which keeps tests out of var/.
pytest_plugins = [
    "tests.fixtures_archive",
    "tests.fixtures_search",
    "tests.fixtures_browser",
]
