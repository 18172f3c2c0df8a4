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
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# The suite runs on Whoosh even when ELASTICSEARCH_URL is set; the live
# Elasticsearch test (tests/test_elasticsearch.py) switches to it itself.
HAYSTACK_CONNECTIONS = {"default": dict(WHOOSH_CONNECTION)}  # noqa: F405
