"""Shared pytest setup. Fixtures live in one module per area (see pytest_plugins)."""
import os
import tempfile

# Tests never touch the developer's var/: point the data folder at a fresh
# temporary directory before Django reads its settings.
os.environ.setdefault("ARCHIVE_DATA_DIR", tempfile.mkdtemp(prefix="archive-test-"))

pytest_plugins = [
    "tests.fixtures_archive",
    "tests.fixtures_search",
    "tests.fixtures_browser",
]
