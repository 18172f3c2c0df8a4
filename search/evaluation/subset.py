"""The corpus subset an evaluation runs on.

``evaluation_subset(corpus, qs, size, seed, support)`` draws ``size``
articles with ``corpus.select_subset`` around the *support* articles of the
query set (``support`` articles per name spelling, per side of a
must-not-merge pair, per Latin-script name), then adds the known-item
targets that the draw left out. Targets are not forced in before the draw,
so that at the default size and seed (``DEFAULT_SIZE``, ``SUBSET_SEED``) the
subset is exactly the one ``build_eval_set`` counted the known items'
competitors in (their words occur together in 1–20 of its articles).
"""
from __future__ import annotations

from .corpus import select_subset

__all__ = ["DEFAULT_SIZE", "SUBSET_SEED", "SUPPORT", "support_ids", "evaluation_subset"]

DEFAULT_SIZE = 10000
SUBSET_SEED = 0
SUPPORT = 3


def support_ids(qs: dict, support: int = SUPPORT) -> list[str]:
    """``support`` articles per spelling, per pair side (Light10 and
    skeleton pairs) and per Latin name."""
    ids = []
    for group in qs.get("spelling_groups", ()):
        for s in group["spellings"]:
            ids.extend(s["doc_ids"][:support])
    for pair in qs.get("must_not_merge", ()):
        ids.extend(pair["a_only_ids"][:support])
        ids.extend(pair["b_only_ids"][:support])
    for pair in qs.get("skeleton_pairs", ()):
        ids.extend(pair["a_only_ids"][:support])
        ids.extend(pair["b_only_ids"][:support])
    for entry in qs.get("latin_names", ()):
        ids.extend(entry["doc_ids"][:support])
    return list(dict.fromkeys(ids))


def evaluation_subset(corpus, qs: dict, size: int = DEFAULT_SIZE, seed: int = SUBSET_SEED,
                      support: int = SUPPORT) -> list:
    """The subset (sorted by id): the draw around the support articles, plus
    every known-item target that is in the corpus."""
    docs = select_subset(corpus, size, support_ids(qs, support), seed=seed)
    have = {d.id for d in docs}
    missing = {it["target"] for it in qs.get("known_items", ()) if it["target"] not in have}
    if missing:
        docs = docs + [d for d in corpus if d.id in missing]
        docs.sort(key=lambda d: d.id)
    return docs
