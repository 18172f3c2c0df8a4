# SHIM: removed at merge
"""Moved to ``archive.importing.tagging`` (this name is that module)."""
import sys

from archive.importing import tagging as _moved

sys.modules[__name__] = _moved
