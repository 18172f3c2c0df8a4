"""``EngineResult``: what an engine's search returns (both engines, one type)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class EngineResult:
    total: int
    hits: list  # [(article_id, score)] in page order
    facets: dict = field(default_factory=dict)  # field -> {value: count}
