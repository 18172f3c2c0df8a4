# SHIM: removed at merge
"""Moved to ``search.indexing.consistency``."""
from search.indexing.consistency import (  # noqa: F401
    CHUNK,
    DriftReport,
    RepairResult,
    compare,
    database_state,
    index_state,
    repair,
)
