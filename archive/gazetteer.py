# SHIM: removed at merge
"""Moved to ``archive.importing.gazetteer`` (this name is that module)."""
import sys

from archive.importing import gazetteer as _moved

sys.modules[__name__] = _moved
