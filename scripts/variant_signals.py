#!/usr/bin/env python3
"""Would the index tell a name clash from a real spelling variant? (issue #15)

For every other spelling that the expansion accepts for a query of the dev
name-spelling groups (a real variant) and for the dev skeleton pairs it merges
(a clash: «رافايل/رافال», «ماتيس/ماتياس», «مورينيو/مورينو»), prints the
evidence the index could give, one line per (query, spelling):

- shared articles: articles of each word (with its proclitic forms), articles
  holding both, and the lift (shared x N / (a x b); 1 = chance);
- outlets: the overlap of the two words' outlet distributions (1 = the same
  outlets in the same proportions, 0 = disjoint outlets);
- sections: the same over the corpus categories (sport, economy...), a
  stand-in for the topics facet, which the eval index lacks.

It reads the ``ours`` index an earlier ``make eval`` left in ``--workdir``
(never writes there but for the vocabulary side files the engine keeps) and
draws the same subset to know each article's outlet and section. Run from the
project root:

    ARCHIVE_DATA_DIR=/tmp/x/data .venv/bin/python scripts/variant_signals.py --workdir /tmp/evalw/ix
"""
import argparse
import json
import os
import sys

import django
import numpy as np

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from whoosh.filedb.filestore import FileStorage  # noqa: E402

from search.analysis import normalize  # noqa: E402
from search.analysis.clitics import CLITICS  # noqa: E402
from search.engine.snapshot import IndexView  # noqa: E402
from search.evaluation.corpus import load_corpus  # noqa: E402
from search.evaluation.runner import DEFAULT_QUERY_SET  # noqa: E402
from search.evaluation.split import DEV, group_key, pair_key, split_of  # noqa: E402
from search.evaluation.subset import evaluation_subset  # noqa: E402
from search.query.expansion import expand_word, nisba_relations  # noqa: E402
from search.schema import EXACT_FIELD  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workdir", required=True, help="the make eval work folder (holds ours/)")
    ap.add_argument("--size", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    qs = json.loads(DEFAULT_QUERY_SET.read_text(encoding="utf-8"))
    docs = evaluation_subset(load_corpus(), qs, args.size, seed=args.seed)
    view = IndexView(FileStorage(os.path.join(args.workdir, "ours")).open_index().searcher())
    vocab, pks = view.vocabulary, view.pks

    def articles(word):
        parts = [view.postings(EXACT_FIELD, f)[0] for f in (word,) + tuple(p + word for p in CLITICS)
                 if vocab.df(f)]
        return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)

    def overlap(da, db, key):
        values = sorted({key(d) for d in docs})
        ca, cb = np.zeros(len(values)), np.zeros(len(values))
        for c, ids in ((ca, da), (cb, db)):
            for pk in pks[ids]:
                c[values.index(key(docs[pk - 1]))] += 1
        return float(np.minimum(ca / max(1, ca.sum()), cb / max(1, cb.sum())).sum())

    def line(kind, name, a, b):
        da, db = articles(a), articles(b)
        both = np.intersect1d(da, db).size
        lift = both * view.n / max(1, da.size * db.size)
        print(f"{kind}\t{name}\t{a}\t{b}\ta={da.size}\tb={db.size}\tshared={both}\tlift={lift:.1f}"
              f"\toutlets={overlap(da, db, lambda d: d.source_id):.2f}"
              f"\tsections={overlap(da, db, lambda d: d.category):.2f}")

    for g in qs["spelling_groups"]:
        if (g.get("split") or split_of(group_key(g))) != DEV:
            continue
        spellings = {normalize(s["text"]) for s in g["spellings"]}
        for s in sorted(spellings):
            exp = expand_word(s, vocab)
            related = set(nisba_relations().related(exp.base))
            for v in exp.variants:
                if v not in related:
                    same = v in spellings or v.removeprefix("ال") in spellings or "ال" + v in spellings
                    line("variant" if same else "other", g["name"], exp.base, v)
    for p in qs["skeleton_pairs"]:
        if (p.get("split") or split_of(pair_key(p))) != DEV:
            continue
        for q, o in (("a", "b"), ("b", "a")):
            a, b = normalize(p[q]["text"]), normalize(p[o]["text"])
            exp = expand_word(a, vocab)
            for v in exp.variants:
                if b in v or v in b:
                    line("clash", p["meaning"], exp.base, v)


if __name__ == "__main__":
    main()
