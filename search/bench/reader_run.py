"""``manage.py bench_readers``: the reader's path, never-seen and warm.

The query set (``reader_queries``) is split over ``procs`` new worker
processes (``reader_worker``): each runs its queries once (never seen by that
process) then again (warm) through the API view. The same set (bounded)
then goes through HTTP to gunicorn with one worker (``reader_http``). Every
kind's never-seen p50 is printed as its ratio to the warm p50 of the same
run; with ``fts5=True`` the peers are built and timed in this process
(``search.bench.peers``: FTS5 planned MATCH-first and tantivy over the same
analysed tokens, top 10, count, four facets, the filters; their own
engine-level table with ours ÷ each peer), and every figure is also printed
as its ratio to FTS5's warm time. Prints the machine's cores and load average first.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from search.bench.reader_queries import QUERY_KINDS
from search.bench.runner import pct

ROOT = Path(__file__).resolve().parents[2]
PATHS = ("view", "http")
PASSES = ("never", "warm")


def machine_line() -> str:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"cores: {cores}  load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"


def run_view(queries, procs, workdir, timeout_s=3600) -> tuple[dict, list]:
    """The query set over ``procs`` new processes: ``{"never": [...],
    "warm": [...], "errors": n}`` in query order, and each worker's memory."""
    chunks = [queries[i::procs] for i in range(procs)]
    jobs = []
    for i, chunk in enumerate(chunks):
        if not chunk:
            continue
        src, dst = Path(workdir) / f"in{i}.json", Path(workdir) / f"out{i}.json"
        src.write_text(json.dumps(chunk, ensure_ascii=False), encoding="utf-8")
        jobs.append((i, dst))
    # one process after the other: the workers must not compete for the cores
    results = {}
    for i, dst in jobs:
        proc = subprocess.run([sys.executable, "-m", "search.bench.reader_worker",
                               str(Path(workdir) / f"in{i}.json"), str(dst)],
                              cwd=ROOT, env=dict(os.environ), capture_output=True, text=True, timeout=timeout_s)
        if proc.returncode:
            raise RuntimeError(f"reader worker {i} failed:\n{proc.stderr[-2000:]}")
        results[i] = json.loads(dst.read_text(encoding="utf-8"))
    merged = {"never": [None] * len(queries), "warm": [None] * len(queries), "errors": 0}
    for i, res in results.items():
        for label in PASSES:
            for j, ms in enumerate(res[label]):
                merged[label][i + j * procs] = ms
        merged["errors"] += res["errors"]
    return merged, [results[i]["memory"] for i in sorted(results)]


def _stats(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"n": len(values), "p50": pct(values, 50), "p95": pct(values, 95), "max": max(values)}


def summarize(queries, series) -> dict:
    """``{kind: {series_name: stats}}`` for every kind and ``all``;
    ``series``: name -> ms per query (in query order; None or short = not run)."""
    table = {}
    for kind in (*QUERY_KINDS, "all"):
        idx = [i for i, q in enumerate(queries) if kind == "all" or q["kind"] == kind]
        if not idx:
            continue
        table[kind] = {name: _stats([vals[i] for i in idx if i < len(vals)]) for name, vals in series.items()}
    return table


def _fmt(st):
    return "-" if not st else f"{st['p50']:7.1f} {st['p95']:7.1f} {st['max']:7.1f}"


def _ratio(a, b):
    return "-" if not a or not b or not b["p50"] else f"{a['p50'] / b['p50']:6.1f}"


def print_table(table, out, baseline="fts5"):
    """One line per kind; only the series that were measured (no HTTP
    columns with ``--no-http``, no baseline columns without ``--fts5``)."""
    present = {name for row in table.values() for name, st in row.items() if st}
    names = [n for n in ("view_never", "view_warm", "http_never", "http_warm") if n in present]
    base = baseline in present
    out("ms per query: p50 p95 max (n); ratios are of p50s")
    head = f"{'kind':<13}{'n':>5}  " + "  ".join(f"{n:<23}" for n in names)
    head += f"  {baseline:<23}" if base else ""
    pairs = [(a, b) for a, b in (("view_never", "view_warm"), ("http_never", "http_warm")) if a in present]
    head += "".join(f"  {'never/warm(' + a.split('_')[0] + ')':>16}" for a, _b in pairs)
    head += "".join(f"  {n}/{baseline}" for n in names) if base else ""
    out(head)
    for kind, row in table.items():
        first = next((row[x] for x in names if row.get(x)), None)
        n = first["n"] if first else 0
        line = f"{kind:<13}{n:>5}  " + "  ".join(f"{_fmt(row.get(x)):<23}" for x in names)
        line += f"  {_fmt(row.get(baseline)):<23}" if base else ""
        line += "".join(f"  {_ratio(row.get(a), row.get(b)):>16}" for a, b in pairs)
        if base:
            line += "".join(f"  {_ratio(row.get(x), row.get(baseline)):>{len(x) + len(baseline) + 1}}" for x in names)
        out(line)


def _memory_line(label, mem):
    if not mem:
        return f"{label}: memory not readable"
    return (f"{label}: RSS {mem['rss_mb']:.0f} MB, private {mem['private_mb']:.0f} MB "
            f"(anonymous {mem['anon_mb']:.0f} MB), pages of mapped files {mem['file_mb']:.0f} MB")


def run(queries, out=print, procs=4, http=True, http_limit=None, http_budget_s=600.0, fts5=False,
        workdir=None) -> dict:
    """Measure and print; returns the summary table."""
    out(machine_line())
    kinds = {}
    for q in queries:
        kinds[q["kind"]] = kinds.get(q["kind"], 0) + 1
    out(f"queries: {len(queries)} distinct ({', '.join(f'{k} {v}' for k, v in kinds.items())})")
    tmp = Path(tempfile.mkdtemp(prefix="bench-readers-", dir=workdir))
    try:
        series = _measure(queries, out, tmp, procs, http, http_limit, http_budget_s, fts5)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    table = summarize(queries, series)
    out("")
    print_table(table, out)
    out(machine_line())
    return table


def _measure(queries, out, tmp, procs, http, http_limit, http_budget_s, fts5) -> dict:
    series, worker_mem = {}, []
    if procs:  # --procs 0: HTTP only
        t0 = time.perf_counter()
        view, worker_mem = run_view(queries, procs, tmp)
        series["view_never"], series["view_warm"] = view["never"], view["warm"]
        out(f"view: {procs} new processes, {time.perf_counter() - t0:.0f} s, {view['errors']} non-200 answers")
    if http:
        from search.bench.reader_http import run_http

        t0 = time.perf_counter()
        res = run_http(queries, tmp / "gunicorn.log", limit=http_limit, budget_s=http_budget_s)
        series["http_never"], series["http_warm"] = res["never"], res["warm"]
        out(f"http: gunicorn, 1 worker, {len(res['never'])} + {len(res['warm'])} requests, "
            f"{time.perf_counter() - t0:.0f} s, {res['errors']} non-200 answers")
        out(_memory_line(f"server worker after {len(res['never']) + len(res['warm'])} requests", res["memory"]))
    for i, mem in enumerate(worker_mem):
        out(_memory_line(f"view worker {i}", mem))
    if fts5:
        from search.bench.peers import run_peers

        t0 = time.perf_counter()
        series["fts5"] = run_peers(queries, tmp, out)["fts5"]
        out(f"peers (same analysed tokens, top 10 + count + facets + filters): {time.perf_counter() - t0:.0f} s")
    return series
