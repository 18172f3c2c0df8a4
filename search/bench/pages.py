"""The pages bench (``manage.py bench_pages``): every public page through
HTTP against gunicorn with one worker (``search.bench.reader_http.Gunicorn``)
on the configured data folder.

- ``page_urls(seed)``: the pages timed, chosen from the database: home,
  outlets, the busiest outlet (first and a later page), a few articles
  (related articles), browse-all and browse by outlet, a few searches from
  headline words, a comparison.
- ``run_pages(urls, rounds, repeats)``: a worker with the page cache on:
  every page's first load by the new worker; then ``rounds`` times the data
  version is bumped (as an import or an admin edit does, from this process:
  another process than the server's) and every page is loaded once (after a
  change) and ``repeats`` times more (repeated). Then a worker with
  ``PAGE_CACHE=0`` loads every page ``rounds × repeats`` times after one
  warm-up load: the baseline of the same run. The worker's CPU time per
  load (``/proc/<pid>/stat``) is kept beside the wall time: on a loaded
  machine it is what the page costs.
- ``report(result, out)``: p50/p95 per page and state, the baseline and its
  ratio to the repeated load, mean CPU per load, cores and load average.
"""
from __future__ import annotations

import os
import random
import statistics
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from search.bench.reader_http import Gunicorn, _get

ARTICLES = 3
SEARCHES = 3
MIN_WORD = 4


def _words(titles):
    words = []
    for title in titles:
        for word in title.split():
            word = word.strip("«»\"'.,:؛،!?()[]-")
            if len(word) >= MIN_WORD and word.isalpha() and word not in words:
                words.append(word)
                break
    return words


def page_urls(seed: int = 16) -> list[tuple[str, str]]:
    """``[(label, path)]`` of the pages timed (deterministic for a seed)."""
    from archive.models import Article, Source
    from archive.stats import totals

    rng = random.Random(seed)
    urls = [("home", "/"), ("outlets", "/sources/")]
    per_source = totals().per_source
    if per_source:
        busiest = max(per_source, key=lambda s: per_source[s].n)
        slug = Source.objects.get(pk=busiest).slug
        urls += [("outlet", f"/sources/{slug}/"), ("outlet page 3", f"/sources/{slug}/?page=3")]
    ids = list(Article.objects.filter(is_hidden=False).order_by("pk").values_list("pk", flat=True))
    picked = sorted(rng.sample(ids, min(len(ids), ARTICLES + SEARCHES * 2)))
    urls += [(f"article {pk}", f"/articles/{pk}/") for pk in picked[:ARTICLES]]
    urls.append(("browse all", "/search/"))
    if per_source:
        urls.append(("browse outlet", f"/search/?{urlencode({'source': slug})}"))
    titles = Article.objects.filter(pk__in=picked[ARTICLES:]).order_by("pk").values_list("title", flat=True)
    words = _words(titles)
    for word in words[:SEARCHES]:
        urls.append((f"search {word}", f"/search/?{urlencode({'q': word})}"))
    if len(words) >= 2:
        urls.append(("compare", f"/search/compare/?{urlencode([('q', words[0]), ('q', words[1])])}"))
    return urls


@contextmanager
def _env(**values):
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _cpu_ms(pid) -> float:
    """User + system CPU of a process so far (clock ticks, summed over loads
    for a mean: one load is often below a tick)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except (OSError, TypeError):
        return float("nan")
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _load(server, path, errors, cpu=None):
    pid = server.worker_pid() if cpu is not None else None
    before = _cpu_ms(pid) if pid else None
    ms, status = _get(server.base + path)
    if status != 200:
        errors.append((path, status))
    if before is not None:
        cpu.append(_cpu_ms(pid) - before)
    return ms


def run_pages(urls, rounds: int = 5, repeats: int = 5, log_dir=None) -> dict:
    from archive import dataversion

    log_dir = Path(log_dir or tempfile.mkdtemp(prefix="bench_pages_"))
    log_dir.mkdir(parents=True, exist_ok=True)
    kinds = ("first", "after", "repeated", "nocache")
    stats = {label: {kind: [] for kind in kinds} for label, _ in urls}
    cpu = {label: {kind: [] for kind in kinds} for label, _ in urls}
    errors: list = []
    load = [os.getloadavg()]
    with _env(PAGE_CACHE="1"), Gunicorn(log_dir / "gunicorn_cached.log") as server:
        for label, path in urls:
            stats[label]["first"].append(_load(server, path, errors, cpu[label]["first"]))
        for _ in range(rounds):
            dataversion.bump()
            for label, path in urls:
                stats[label]["after"].append(_load(server, path, errors, cpu[label]["after"]))
            for _ in range(repeats):
                for label, path in urls:
                    stats[label]["repeated"].append(_load(server, path, errors, cpu[label]["repeated"]))
    with _env(PAGE_CACHE="0"), Gunicorn(log_dir / "gunicorn_nocache.log") as server:
        for _label, path in urls:
            _load(server, path, errors)
        for _ in range(rounds * repeats):
            for label, path in urls:
                stats[label]["nocache"].append(_load(server, path, errors, cpu[label]["nocache"]))
    load.append(os.getloadavg())
    return {"urls": urls, "stats": stats, "cpu": cpu, "errors": errors, "load": load}


def _pct(values, q):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(result: dict, out) -> None:
    cores = os.cpu_count()
    (a1, a5, a15), (b1, b5, b15) = result["load"]
    out(f"cores {cores}; load average before {a1:.2f} {a5:.2f} {a15:.2f}, after {b1:.2f} {b5:.2f} {b15:.2f}")
    out("ms per page through HTTP (gunicorn, one worker); p50 / p95")
    head = f"{'page':<28} {'first':>7} {'after change':>15} {'repeated':>15} {'no cache':>15} {'÷':>6}"
    out(head)
    out("-" * len(head))
    for label, _path in result["urls"]:
        s = result["stats"][label]
        rep = statistics.median(s["repeated"]) if s["repeated"] else float("nan")
        base = statistics.median(s["nocache"]) if s["nocache"] else float("nan")
        out(f"{label[:28]:<28} {s['first'][0] if s['first'] else float('nan'):>7.1f} "
            f"{_pct(s['after'], .5):>7.1f}/{_pct(s['after'], .95):>7.1f} "
            f"{_pct(s['repeated'], .5):>7.1f}/{_pct(s['repeated'], .95):>7.1f} "
            f"{_pct(s['nocache'], .5):>7.1f}/{_pct(s['nocache'], .95):>7.1f} "
            f"{base / rep if rep else float('nan'):>6.1f}")
    out("first: the new worker's first load; after change: the first load after the data version was "
        "bumped by another process; ÷: no cache p50 ÷ repeated p50")
    out("")
    out("the worker's CPU ms per load (mean; what the wall times above become on an idle machine)")
    head = f"{'page':<28} {'first':>7} {'after change':>13} {'repeated':>9} {'no cache':>9}"
    out(head)
    out("-" * len(head))
    for label, _path in result["urls"]:
        c = result["cpu"][label]
        mean = {k: statistics.fmean(v) if v else float("nan") for k, v in c.items()}
        out(f"{label[:28]:<28} {mean['first']:>7.1f} {mean['after']:>13.1f} {mean['repeated']:>9.1f} "
            f"{mean['nocache']:>9.1f}")
    if result["errors"]:
        out(f"non-200 answers: {len(result['errors'])} (first: {result['errors'][0]})")
