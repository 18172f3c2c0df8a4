# SHIM: removed at merge
"""Old path of the built-in engine: see search/engine/ (MOVES.tsv)."""
from search.engine.adapter import (  # noqa: F401
    DEFAULT_LOCK_TIMEOUT,
    ArabicWhooshEngine,
    ArabicWhooshSearchBackend,
    ArabicWhooshSearchQuery,
    get_backend,
)
from search.engine.result import EngineResult  # noqa: F401
from search.engine.scoring import SCORE_CACHE_SIZE  # noqa: F401
from search.engine.segments import segment_cached, segment_key  # noqa: F401
from search.engine.segments import length_bytes as _length_bytes  # noqa: F401
from search.engine.segments import numeric_column as _numeric_column  # noqa: F401
from search.engine.segments import position_keys as _position_keys  # noqa: F401
from search.engine.segments import segment_pairs as _segment_pairs  # noqa: F401
from search.engine.segments import segment_positions as _segment_positions  # noqa: F401
from search.engine.segments import segment_postings as _segment_postings  # noqa: F401
from search.engine.shared import (  # noqa: F401
    REBUILD_COMMAND,
    IndexUnavailable,
    SharedIndex,
    reset_shared,
    shared_index,
)
from search.engine.snapshot import MASK_CACHE_SIZE, POSTINGS_CACHE_BYTES, POSTINGS_CACHE_SIZE, IndexView  # noqa: F401
from search.schema import (  # noqa: F401
    DAY_FIELD,
    EXACT_FIELD,
    FACET_FIELDS,
    PK_FIELD,
    TEXT_FIELD,
    TITLE_FIELD,
    build_schema,
    to_whoosh_value,
)
