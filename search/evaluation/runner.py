"""One evaluation run: subset → four indexes → queries → metrics → table.

``run_evaluation(EvalConfig(...))`` returns a JSON-serialisable dict:
``config``, ``subset``, ``targets``, ``engines`` (per engine: metrics and
per-query details) and ``ci_failures``. ``format_table(results)`` renders
the comparison table; ``ci_failures(results)`` lists every metric on which
"ours" is worse than a baseline (what ``--ci`` fails on).

Ground truth is computed on the subset with ``text.canon`` words (never
with an engine's analyzer):

- known item: the target article must rank first (MRR@100, Success@1/@10);
- spelling recall: for a query with one spelling of a name, the share of
  the subset's articles that contain another spelling of the group (and not
  the queried one) that the engine returns (any rank);
- must-not-merge: querying one word of a pair must not return any article
  where the pair's Light10 class is represented *only* by the other word
  (e.g. «الجامعة» must not return an article that has «الجامع» and no form
  of «الجامعة»); the violation rate is the share of such queries (both
  directions of every pair) that return at least one. "Own-word recall" is
  the share of articles with only the queried word that are returned, so an
  engine cannot score by returning nothing.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import metrics as M
from .corpus import load_corpus, select_subset
from .engines import ENGINE_ORDER, make_engine
from .light10 import light10_stem
from .text import canon, canon_token_set, pair_doc_kind, pair_forms, with_proclitics

__all__ = [
    "DEFAULT_QUERY_SET",
    "TARGETS",
    "EvalConfig",
    "load_query_set",
    "trim_query_set",
    "required_ids",
    "run_evaluation",
    "format_table",
    "ci_failures",
    "failing_examples",
]

DEFAULT_QUERY_SET = Path(__file__).resolve().parent / "data" / "dev_queries.json"
BASELINES = ("stock-haystack", "norm-only", "light10")
OURS = "ours"

# metric -> (comparison, threshold, label)
TARGETS = {
    "mrr": (">=", 0.95, "≥ 0.95"),
    "success_10": (">=", 0.99, "≥ 0.99"),
    "spelling_recall": (">=", 0.80, "≥ 0.80"),
    "violation_rate": ("<=", 0.05, "≤ 0.05"),
    "analysis_p95_ms": ("<=", 5.0, "≤ 5 ms"),
    "analysis_cpu_p95_ms": ("<=", 5.0, "≤ 5 ms"),
}
# metrics on which --ci requires ours to be at least as good as the baselines
# it must beat. False merges are the price of Arabic stemming: ours must
# merge less than Lucene's Light10 and stay within the target. norm-only and
# haystack's stock analyzer (an English stemmer) do not stem Arabic, so they
# merge almost nothing and find none of the other forms: they are beaten on
# the recall metrics instead.
CI_METRICS = (
    ("mrr", "higher", BASELINES),
    ("success_10", "higher", BASELINES),
    ("spelling_recall", "higher", BASELINES),
    ("violation_rate", "lower", ("light10",)),
)
CI_ABSOLUTE = ("violation_rate",)
EPS = 1e-9
WARM_UP = ("الحكومة", "الرئيس الأمريكي", "كرة القدم")


@dataclass
class EvalConfig:
    size: int = 10000
    seed: int = 0
    engines: tuple = ENGINE_ORDER
    jobs: int = 2
    support: int = 3  # articles per spelling / per pair side forced into the subset
    query_set: str | None = None
    corpus_path: str | None = None
    workdir: str | None = None
    keep_workdir: bool = False
    per_kind: int | None = None  # keep only the first N known items of each kind
    max_groups: int | None = None
    max_pairs: int | None = None
    docs: list | None = field(default=None, repr=False)  # pre-loaded documents (tests)


# --- the query set ---------------------------------------------------------------------------

def load_query_set(path=None) -> dict:
    with open(path or DEFAULT_QUERY_SET, encoding="utf-8") as fh:
        return json.load(fh)


def trim_query_set(qs: dict, per_kind=None, max_groups=None, max_pairs=None) -> dict:
    qs = dict(qs)
    if per_kind is not None:
        seen = defaultdict(int)
        kept = []
        for item in qs["known_items"]:
            if seen[item["kind"]] < per_kind:
                seen[item["kind"]] += 1
                kept.append(item)
        qs["known_items"] = kept
    if max_groups is not None:
        qs["spelling_groups"] = qs["spelling_groups"][:max_groups]
    if max_pairs is not None:
        qs["must_not_merge"] = qs["must_not_merge"][:max_pairs]
    return qs


def required_ids(qs: dict, support: int = 3) -> list[str]:
    """Targets, then ``support`` articles per spelling and per pair side."""
    ids = [item["target"] for item in qs["known_items"]]
    for group in qs["spelling_groups"]:
        for s in group["spellings"]:
            ids.extend(s["doc_ids"][:support])
    for pair in qs["must_not_merge"]:
        ids.extend(pair["a_only_ids"][:support])
        ids.extend(pair["b_only_ids"][:support])
    return list(dict.fromkeys(ids))


# --- ground truth on the subset ---------------------------------------------------------------

def _spelling_truth(docs, token_sets, groups):
    """[(group name, spelling text, query forms, relevant doc ids)] where the
    relevant ids contain another spelling and not the queried one."""
    contains = {}
    for group in groups:
        for s in group["spellings"]:
            forms = with_proclitics(canon(s["text"]))
            contains[s["text"]] = {d.id for d, toks in zip(docs, token_sets) if toks & forms}
    out = []
    for group in groups:
        spellings = [s["text"] for s in group["spellings"]]
        for s in spellings:
            others = set()
            for o in spellings:
                if o != s:
                    others |= contains[o]
            relevant = others - contains[s]
            out.append({"group": group["name"], "query": s, "own": len(contains[s]),
                        "relevant": sorted(relevant)})
    return out


def _pair_truth(docs, token_sets, pairs):
    """Per direction: query text, forbidden ids (only the other side), own ids
    (only the queried side); see ``text.pair_doc_kind``."""
    out = []
    stems = {p["light10_stem"] for p in pairs}
    class_words = [{t for t in toks if light10_stem(t) in stems} for toks in token_sets]
    for p in pairs:
        stem = p["light10_stem"]
        a_forms, b_forms = pair_forms(canon(p["a"]["text"]), canon(p["b"]["text"]))
        only = {"a": [], "b": []}
        for d, toks, words in zip(docs, token_sets, class_words):
            words = [t for t in words if light10_stem(t) == stem]
            if not words:
                continue
            kind = pair_doc_kind(words, bool(toks & a_forms), bool(toks & b_forms), a_forms, b_forms)
            if kind == "a_only":
                only["a"].append(d.id)
            elif kind == "b_only":
                only["b"].append(d.id)
        for q, other in (("a", "b"), ("b", "a")):
            out.append({
                "query": p[q]["text"], "other": p[other]["text"], "stem": stem,
                "forbidden": only[other], "own": only[q],
            })
    return out


# --- running the engines -------------------------------------------------------------------------

_BUILD_DOCS = None


def _build_one(name, workdir):
    engine = make_engine(name, workdir)
    t0 = time.perf_counter()
    engine.index(_BUILD_DOCS)
    return name, time.perf_counter() - t0


def _build_all(names, workdir, docs, jobs, log):
    global _BUILD_DOCS
    _BUILD_DOCS = docs
    seconds = {}
    try:
        if jobs > 1 and len(names) > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            from django.db import connections

            connections.close_all()  # never share a database socket with the children
            ctx = multiprocessing.get_context("fork")
            # slowest first so the two workers finish together
            order = sorted(names, key=lambda n: ("stock-haystack", "ours", "light10", "norm-only").index(n)
                           if n in ("stock-haystack", "ours", "light10", "norm-only") else 9)
            with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
                for name, secs in pool.map(_build_one, order, [workdir] * len(order)):
                    seconds[name] = secs
                    log(f"  indexed {name} in {secs:.1f} s")
        else:
            for name in names:
                _n, secs = _build_one(name, workdir)
                seconds[name] = secs
                log(f"  indexed {name} in {secs:.1f} s")
    finally:
        _BUILD_DOCS = None
    return seconds


def _run_engine(engine, known, spelling, pairs):
    details = {"known_items": [], "spelling": [], "must_not_merge": [], "analysis_cpu_ms": []}
    latencies, analysis = [], []
    # warm-up with words outside the query set (opens columns, fills the
    # caches a running server has warm, without caching a measured query)
    for word in WARM_UP:
        engine.search(word, 10)
    for item in known:
        t0, c0 = time.perf_counter(), time.thread_time()
        engine.build_query(item["query"])
        analysis.append((time.perf_counter() - t0) * 1000)
        # CPU time of this thread: the cost itself, without the waits for a
        # core that wall-clock time includes on a loaded machine
        details["analysis_cpu_ms"].append((time.thread_time() - c0) * 1000)
        t0 = time.perf_counter()
        ranking = engine.search(item["query"], 100)
        latencies.append((time.perf_counter() - t0) * 1000)
        rank = M.rank_of(ranking, item["target"])
        details["known_items"].append({
            "id": item["id"], "kind": item["kind"], "query": item["query"], "target": item["target"],
            "rank": rank, "top": ranking[:3],
        })
    for entry in details["known_items"]:
        if entry["rank"] is None:
            # which words of the query do not find the target on their own
            entry["missing_words"] = [
                w for w in entry["query"].split() if entry["target"] not in set(engine.search(w, None))
            ]
    for s in spelling:
        found = set(engine.search(s["query"], None))
        r = M.recall(found, s["relevant"])
        missed = sorted(set(s["relevant"]) - found)
        details["spelling"].append({
            "group": s["group"], "query": s["query"], "relevant": len(s["relevant"]),
            "recall": r, "missed": missed[:5],
        })
    for p in pairs:
        found = set(engine.search(p["query"], None))
        bad = sorted(found & set(p["forbidden"]))
        own = M.recall(found, p["own"])
        details["must_not_merge"].append({
            "query": p["query"], "other": p["other"], "forbidden": len(p["forbidden"]),
            "violation": bool(bad) if p["forbidden"] else None, "violating": bad[:5],
            "own_recall": own,
        })
    return details, latencies, analysis


def _summarise(details, latencies, analysis, kinds):
    ki = details["known_items"]

    def block(items):
        ranks = [it["rank"] for it in items]
        return {
            "n": len(items),
            "mrr": M.mean((1.0 / r if r else 0.0) for r in ranks),
            "success_1": M.mean(1.0 if r == 1 else 0.0 for r in ranks),
            "success_10": M.mean(1.0 if r and r <= 10 else 0.0 for r in ranks),
        }

    overall = block(ki)
    per_kind = {k: block([it for it in ki if it["kind"] == k]) for k in kinds}
    spelled = [s["recall"] for s in details["spelling"] if s["recall"] is not None]
    flags = [p["violation"] for p in details["must_not_merge"] if p["violation"] is not None]
    own = [p["own_recall"] for p in details["must_not_merge"] if p["own_recall"] is not None]
    return {
        **overall,
        "per_kind": per_kind,
        "spelling_recall": M.mean(spelled),
        "spelling_full": M.mean(1.0 if r >= 1.0 - EPS else 0.0 for r in spelled),
        "spelling_queries": len(spelled),
        "violation_rate": M.violation_rate(flags),
        "violation_queries": len(flags),
        "own_recall": M.mean(own),
        "latency_median_ms": M.percentile(latencies, 50),
        "latency_p95_ms": M.percentile(latencies, 95),
        "analysis_median_ms": M.percentile(analysis, 50),
        "analysis_p95_ms": M.percentile(analysis, 95),
        "analysis_cpu_median_ms": M.percentile(details.get("analysis_cpu_ms") or [], 50),
        "analysis_cpu_p95_ms": M.percentile(details.get("analysis_cpu_ms") or [], 95),
    }


def run_evaluation(cfg: EvalConfig, log=print) -> dict:
    started = time.perf_counter()
    qs = trim_query_set(load_query_set(cfg.query_set), cfg.per_kind, cfg.max_groups, cfg.max_pairs)
    kinds = qs.get("kinds") or sorted({it["kind"] for it in qs["known_items"]})
    if cfg.docs is not None:
        corpus = cfg.docs
    else:
        log("reading the corpus ...")
        corpus = load_corpus(cfg.corpus_path)
    required = required_ids(qs, cfg.support)
    docs = select_subset(corpus, cfg.size, required, seed=cfg.seed)
    in_subset = {d.id for d in docs}
    known = [it for it in qs["known_items"] if it["target"] in in_subset]
    dropped = len(qs["known_items"]) - len(known)
    log(f"subset: {len(docs)} articles ({len([i for i in required if i in in_subset])} required by the query set)")

    token_sets = [canon_token_set(f"{d.title}\n{d.body}") for d in docs]
    spelling = [s for s in _spelling_truth(docs, token_sets, qs["spelling_groups"]) if s["relevant"]]
    pairs = _pair_truth(docs, token_sets, qs["must_not_merge"])
    del token_sets

    workdir = cfg.workdir or tempfile.mkdtemp(prefix="arabic-eval-")
    os.makedirs(workdir, exist_ok=True)
    results = {
        "config": {k: v for k, v in asdict(cfg).items() if k != "docs"},
        "subset": {
            "articles": len(docs), "required": len(required), "known_items": len(known),
            "known_items_dropped": dropped, "spelling_queries": len(spelling),
            "spelling_groups": len(qs["spelling_groups"]),
            "must_not_merge_pairs": len(qs["must_not_merge"]),
            "must_not_merge_queries": sum(1 for p in pairs if p["forbidden"]),
            "sources": len({d.source_id for d in docs}),
        },
        "kinds": kinds,
        "targets": {k: {"op": op, "value": v} for k, (op, v, _l) in TARGETS.items()},
        "engines": {},
    }
    try:
        log(f"indexing {len(docs)} articles with {len(cfg.engines)} engines (jobs={cfg.jobs}) ...")
        seconds = _build_all(list(cfg.engines), workdir, docs, cfg.jobs, log)
        for name in cfg.engines:
            engine = make_engine(name, workdir)
            engine.open(docs)
            try:
                log(f"querying {name} ...")
                details, lat, ana = _run_engine(engine, known, spelling, pairs)
            finally:
                engine.close()
            summary = _summarise(details, lat, ana, kinds)
            summary["index_seconds"] = seconds.get(name)
            results["engines"][name] = {"metrics": summary, "details": details}
    finally:
        if not cfg.keep_workdir and not cfg.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    results["ci_failures"] = ci_failures(results)
    results["seconds"] = time.perf_counter() - started
    return results


# --- reporting ---------------------------------------------------------------------------------------

def ci_failures(results) -> list[str]:
    """Every metric of CI_METRICS on which ours is worse than a baseline."""
    engines = results["engines"]
    if OURS not in engines:
        return []
    ours = engines[OURS]["metrics"]
    out = []
    for metric, better, baselines in CI_METRICS:
        mine = ours.get(metric)
        if metric in CI_ABSOLUTE and mine is not None:
            op, threshold, label = TARGETS[metric]
            if (op == "<=" and mine > threshold + EPS) or (op == ">=" and mine < threshold - EPS):
                out.append(f"{metric}: ours {mine:.3f} misses the target {label}")
        for base in baselines:
            if base not in engines:
                continue
            theirs = engines[base]["metrics"].get(metric)
            if mine is None or theirs is None:
                continue
            worse = mine < theirs - EPS if better == "higher" else mine > theirs + EPS
            if worse:
                out.append(f"{metric}: ours {mine:.3f} {'<' if better == 'higher' else '>'} {base} {theirs:.3f}")
    return out


def _fmt(value, kind="ratio"):
    if value is None:
        return "-"
    if kind == "ms":
        return f"{value:.2f}"
    if kind == "s":
        return f"{value:.1f}"
    return f"{value:.3f}"


def _target_cell(metric, value):
    if metric not in TARGETS:
        return ""
    op, threshold, label = TARGETS[metric]
    if value is None:
        return label
    ok = value >= threshold - EPS if op == ">=" else value <= threshold + EPS
    return f"{label} {'ok' if ok else 'MISS'}"


ROWS = (
    ("known-item MRR@100", "mrr", "ratio"),
    ("known-item Success@1", "success_1", "ratio"),
    ("known-item Success@10", "success_10", "ratio"),
    ("spelling recall (other spellings)", "spelling_recall", "ratio"),
    ("spelling queries with full recall", "spelling_full", "ratio"),
    ("must-not-merge violation rate", "violation_rate", "ratio"),
    ("must-not-merge own-word recall", "own_recall", "ratio"),
    ("query latency median (ms)", "latency_median_ms", "ms"),
    ("query latency p95 (ms)", "latency_p95_ms", "ms"),
    ("query analysis median (ms)", "analysis_median_ms", "ms"),
    ("query analysis p95 (ms)", "analysis_p95_ms", "ms"),
    ("query analysis CPU median (ms)", "analysis_cpu_median_ms", "ms"),
    ("query analysis CPU p95 (ms)", "analysis_cpu_p95_ms", "ms"),
    ("index build (s)", "index_seconds", "s"),
)


def format_table(results) -> str:
    names = list(results["engines"])
    sub = results["subset"]
    header = ["metric"] + names + ["target (ours)"]
    rows = []
    for label, key, kind in ROWS:
        values = [results["engines"][n]["metrics"].get(key) for n in names]
        ours = results["engines"].get(OURS, {}).get("metrics", {}).get(key)
        rows.append([label] + [_fmt(v, kind) for v in values] + [_target_cell(key, ours)])
    rows.append(None)
    for kind in results["kinds"]:
        for label, key in (("MRR@100", "mrr"), ("Success@1", "success_1"), ("Success@10", "success_10")):
            blocks = [results["engines"][n]["metrics"]["per_kind"].get(kind, {}) for n in names]
            n = blocks[0].get("n", 0) if blocks else 0
            if not n:
                continue
            rows.append([f"{kind} (n={n}) {label}"] + [_fmt(b.get(key)) for b in blocks] + [""])
    widths = [max(len(str(r[i])) for r in [header] + [r for r in rows if r]) for i in range(len(header))]

    def line(cells):
        return "  ".join(str(c).ljust(widths[0]) if i == 0 else str(c).rjust(widths[i]) if i < len(cells) - 1
                         else str(c).ljust(widths[i]) for i, c in enumerate(cells)).rstrip()

    out = [
        f"Arabic search evaluation: {sub['articles']} articles ({sub['sources']} outlets), "
        f"{sub['known_items']} known-item queries, {sub['spelling_queries']} spelling queries "
        f"({sub['spelling_groups']} groups), {sub['must_not_merge_queries']} must-not-merge queries "
        f"({sub['must_not_merge_pairs']} pairs)",
        line(header),
        line(["-" * w for w in widths]),
    ]
    for r in rows:
        out.append(line(["-" * w for w in widths]) if r is None else line(r))
    return "\n".join(out)


def failing_examples(results, engine=OURS, n=8) -> str:
    """A few concrete failures of one engine, to guide the work on it."""
    if engine not in results["engines"]:
        return ""
    d = results["engines"][engine]["details"]
    lines = [f"Failures of {engine} (first {n} of each):"]
    misses = [it for it in d["known_items"] if it["rank"] != 1]
    lines.append(f"  known items not at rank 1: {len(misses)}")
    shown = []
    for kind in results["kinds"]:  # a few of each kind first, then the rest
        shown.extend([it for it in misses if it["kind"] == kind][:2])
    shown.extend(it for it in misses if it not in shown)
    for it in shown[:n]:
        if it["rank"] is None:
            why = "not found; missing " + " ".join(f"«{w}»" for w in it.get("missing_words", [])) \
                if it.get("missing_words") else "not found"
        else:
            why = f"rank {it['rank']} (top: {', '.join(it['top'][:2])})"
        lines.append(f"    [{it['kind']}] «{it['query']}» → {it['target']}: {why}")
    weak = sorted((s for s in d["spelling"] if s["recall"] is not None and s["recall"] < 1.0),
                  key=lambda s: s["recall"])
    lines.append(f"  spelling queries missing other spellings: {len(weak)}")
    for s in weak[:n]:
        lines.append(f"    «{s['query']}» ({s['group']}) recall {s['recall']:.2f} of {s['relevant']}"
                     f" e.g. {', '.join(s['missed'][:2])}")
    bad = [p for p in d["must_not_merge"] if p["violation"]]
    lines.append(f"  must-not-merge violations: {len(bad)}")
    for p in bad[:n]:
        lines.append(f"    «{p['query']}» returns articles with only «{p['other']}»: {', '.join(p['violating'][:2])}")
    return "\n".join(lines)
