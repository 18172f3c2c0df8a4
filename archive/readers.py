# SHIM: removed at merge
"""Moved to ``archive.importing.readers`` (this name is that module)."""
import sys

from archive.importing import readers as _moved

sys.modules[__name__] = _moved
