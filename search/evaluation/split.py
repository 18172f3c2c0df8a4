"""The dev/test split of every evaluation set.

Each query (or group) has a key — a known item's target article id, a
name-spelling group's label, a must-not-merge pair «a|b», a Latin-script
name, a topical need's query — and ``split_of(key)`` puts it in ``dev`` (tune on it) or ``test``
(report only; the ``--ci`` gate reads it) by the first byte of a SHA-1, so
the split never depends on the order of a set or on the engines. The split
is recorded in the data (``"split"``) when the set is built and checked
against ``split_of`` by the tests.
"""
from __future__ import annotations

import hashlib

__all__ = ["SPLITS", "DEV", "TEST", "split_of", "known_item_key", "group_key", "pair_key", "latin_key", "topic_key"]

DEV, TEST = "dev", "test"
SPLITS = (DEV, TEST)


def split_of(key: str) -> str:
    """``dev`` or ``test`` for ``key``: about half each, stable forever."""
    digest = hashlib.sha1(f"eval-split:{key}".encode("utf-8")).digest()
    return DEV if digest[0] % 2 == 0 else TEST


def known_item_key(item: dict) -> str:
    return "ki:" + item["target"]


def group_key(group: dict) -> str:
    return "group:" + group["name"]


def pair_key(pair: dict) -> str:
    return f"pair:{pair['a']['text']}|{pair['b']['text']}"


def latin_key(entry: dict) -> str:
    return "latin:" + entry["latin"]


def topic_key(topic: dict) -> str:
    return "topic:" + topic["query"]
