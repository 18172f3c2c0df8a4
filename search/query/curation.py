"""Spelling pairs a curator blocked (``search.models.NameVariant`` rows with
``blocked``): the search never expands one word of the pair into the other,
whether the expansion was automatic (``search.query.expansion``) or a
transliteration (``search.query.latin``).

``blocked_with(word)`` answers the normalized spellings blocked with a
normalized ``word``. The pairs are read from the database at most every
``ALIAS_TTL`` seconds per process (the curated aliases' interval, so every
process follows a change within half a minute without a rebuild); a save in
this process drops them at once (``invalidate_blocks``, connected in
``search.admin``).
"""
from __future__ import annotations

import threading
import time

from search.analysis import normalize
from search.query.expansion import ALIAS_TTL

_lock = threading.Lock()
_state: dict = {"pairs": None, "loaded": 0.0}


def invalidate_blocks(**_kwargs) -> None:
    """Drop the cached blocked pairs (a NameVariant row saved or deleted)."""
    with _lock:
        _state["pairs"] = None


def _load() -> dict[str, frozenset]:
    from search.models import NameVariant  # the app registry must be ready

    pairs: dict[str, set] = {}
    for a, b in NameVariant.objects.filter(blocked=True).values_list("canonical", "spelling"):
        a, b = normalize(a).strip(), normalize(b).strip()
        if a and b:
            pairs.setdefault(a, set()).add(b)
            pairs.setdefault(b, set()).add(a)
    return {k: frozenset(v) for k, v in pairs.items()}


def blocked_pairs() -> dict[str, frozenset]:
    """{normalized word: the spellings blocked with it}."""
    now = time.monotonic()
    pairs = _state["pairs"]
    if pairs is not None and now - _state["loaded"] < ALIAS_TTL:
        return pairs
    try:
        pairs = _load()
    except Exception:  # no database or table: nothing blocked
        pairs = {}
    with _lock:
        _state["pairs"] = pairs
        _state["loaded"] = now
    return pairs


def blocked_with(*words: str) -> frozenset:
    """The spellings blocked with any of ``words`` (normalized)."""
    pairs = blocked_pairs()
    if not pairs:
        return frozenset()
    out = frozenset()
    for w in words:
        out |= pairs.get(w, frozenset())
    return out
