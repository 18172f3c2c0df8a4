# SHIM: removed at merge
"""Moved to ``archive.importing.cleaning`` (this name is that module)."""
import sys

from archive.importing import cleaning as _moved

sys.modules[__name__] = _moved
