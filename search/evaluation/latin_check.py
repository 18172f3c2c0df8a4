"""Latin-script names on the dev half and on a second dev-like set.

``python manage.py check_latin --workdir DIR`` queries the ``ours`` index an
earlier ``evaluate_search`` run left in ``DIR`` (``--reuse-index``: nothing
is rebuilt) with

- ``dev``: the dev half of ``latin_names.LATIN_NAMES`` (never the test half);
- ``dev2``: ``data/latin_dev2.json``, 83 more names of people, places,
  countries, clubs, companies and media picked from Arabic names frequent in
  the default 10,000-article subset, none of them in ``LATIN_NAMES``, each
  Latin form as an English newspaper writes it. It is not split: it exists
  to check that a rule tuned on ``dev`` holds on names it was not tuned on.

Per name it prints the Arabic spellings ``search.query.latin`` chose, the
recall of the subset's articles holding one of the name's spellings and the
share of such articles in the first 100 answers (as ``runner`` measures
them), then the means.
"""
from __future__ import annotations

import json
from pathlib import Path

from search.query.latin import latin_spellings

from .corpus import load_corpus
from .engines import make_engine
from .latin_names import LATIN_NAMES
from .runner import _latin_truth, load_query_set
from .split import DEV, latin_key, split_of
from .subset import DEFAULT_SIZE, SUBSET_SEED, SUPPORT, evaluation_subset
from .text import canon_token_set

DEV2_FILE = Path(__file__).resolve().parent / "data" / "latin_dev2.json"
SETS = ("dev", "dev2")


def entries(name: str) -> list[dict]:
    """The names of set ``name`` as ``{"latin", "arabic"}`` entries."""
    if name == "dev2":
        return [dict(e, split=DEV) for e in json.loads(DEV2_FILE.read_text(encoding="utf-8"))["names"]]
    found = [{"latin": latin, "arabic": list(arabic)} for latin, arabic in LATIN_NAMES]
    return [e for e in found if split_of(latin_key(e)) == DEV]


def check(workdir, sets=SETS, log=print) -> dict:
    """{set: {"recall", "precision_100", "rows"}} on the ``ours`` index of ``workdir``."""
    docs = evaluation_subset(load_corpus(), load_query_set(), DEFAULT_SIZE, seed=SUBSET_SEED, support=SUPPORT)
    token_sets = [canon_token_set(f"{d.title}\n{d.body}") for d in docs]
    engine = make_engine("ours", workdir)
    engine.open(docs)
    out = {}
    try:
        for name in sets:
            rows = []
            for e in _latin_truth(docs, token_sets, entries(name)):
                ranking = engine.search(e["query"], None)
                relevant = set(e["relevant"])
                top = ranking[:100]
                rows.append({
                    "query": e["query"], "arabic": e["arabic"], "relevant": len(relevant),
                    "chosen": latin_spellings(e["query"], engine._view.vocabulary),
                    "recall": len(relevant & set(ranking)) / len(relevant),
                    "precision_100": sum(1 for x in top if x in relevant) / len(top) if top else 0.0,
                })
                r = rows[-1]
                log(f"{name:4} {r['query']:12} R={r['recall']:.2f} P@100={r['precision_100']:.2f} "
                    f"chosen={' '.join(r['chosen'])} (spellings: {' '.join(r['arabic'])})")
            n = len(rows) or 1
            out[name] = {"recall": sum(r["recall"] for r in rows) / n,
                         "precision_100": sum(r["precision_100"] for r in rows) / n, "rows": rows}
            log(f"{name}: {len(rows)} names, recall {out[name]['recall']:.3f}, "
                f"precision@100 {out[name]['precision_100']:.3f}")
    finally:
        engine.close()
    return out
