# SHIM: removed at merge
"""Old path of search.engine.bulkwrite: the same module object (monkeypatching works)."""
import sys

from search.engine import bulkwrite as _moved

sys.modules[__name__] = _moved
