# SHIM: removed at merge
"""Old path of search.engine.vocabulary: the same module object (monkeypatching works)."""
import sys

from search.engine import vocabulary as _moved

sys.modules[__name__] = _moved
