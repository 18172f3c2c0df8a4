"""Settings for the test suite: the real settings, with a throwaway data folder.

Tests never touch the developer's ``var/``: unless ARCHIVE_DATA_DIR is set,
the database file, the static root and the default index path point at a
fresh temporary folder.
"""
import os
import tempfile

os.environ.setdefault("ARCHIVE_DATA_DIR", tempfile.mkdtemp(prefix="archive-test-"))

from config.settings import *  # noqa: E402,F401,F403

# whitenoise warns when the static root is missing; tests serve from finders.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# The suite runs on Whoosh even when ELASTICSEARCH_URL is set; the live
# Elasticsearch test (tests/system/test_elasticsearch_live.py) switches to it itself.
HAYSTACK_CONNECTIONS = {"default": dict(WHOOSH_CONNECTION)}  # noqa: F405

# The SQLite test database is a file in the throwaway folder, not Django's
# shared-cache in-memory database: the index drainer thread writes the queue
# table while a test writes articles, and shared-cache SQLite fails such a
# write at once ("database table is locked") where a file database waits
# (timeout, WAL), as in production.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test_archive.sqlite3")}  # noqa: F405

# Tests read response.context, which a page answered from the whole-page cache
# (archive.pagecache.cached_page) does not have: off here, on in the tests of
# that cache (tests/web/test_page_cache.py) and in subprocesses.
PAGE_CACHE_HTML_MB = 0
