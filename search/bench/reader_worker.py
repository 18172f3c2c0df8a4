"""One fresh process of the reader bench: ``python -m search.bench.reader_worker
IN.json OUT.json``.

``IN.json`` holds a slice of the query set. The process sets Django up, sends
one warm-up request (a Latin word no query uses: it opens the index, so the
first timed query does not pay for the process's start), then runs every
query once through ``/api/search/`` (RequestFactory → the view; never seen
by this process), then every query again (warm). ``OUT.json`` gets the
timings in ms per query and the process's memory (``memory.smaps_rollup``).
"""
from __future__ import annotations

import json
import os
import sys
import time

WARMUP_QUERY = "benchwarmup"


def _request(rf, view, query):
    params = {"q": query["q"], "page_size": "10", **query.get("params", {})}
    t0 = time.perf_counter()
    resp = view(rf.get("/api/search/", params))
    ms = (time.perf_counter() - t0) * 1000
    return ms, resp.status_code


def main(argv):
    src, dst = argv[1], argv[2]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import RequestFactory

    from search import api
    from search.bench.memory import smaps_rollup

    settings.SEARCH_INDEX_DRAINER_THREAD = False
    with open(src, encoding="utf-8") as fh:
        queries = json.load(fh)
    rf = RequestFactory()
    _request(rf, api.search_api, {"q": WARMUP_QUERY})
    result = {"never": [], "warm": [], "errors": 0}
    for label in ("never", "warm"):
        for query in queries:
            ms, status = _request(rf, api.search_api, query)
            result[label].append(ms)
            result["errors"] += status != 200
    result["memory"] = smaps_rollup(os.getpid())
    with open(dst, "w", encoding="utf-8") as fh:
        json.dump(result, fh)


if __name__ == "__main__":
    main(sys.argv)
