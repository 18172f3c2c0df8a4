"""config/gunicorn.conf.py hands the worker's freed heap back every
GUNICORN_MALLOC_TRIM_EVERY requests (post_request hook), never otherwise."""
import runpy
from pathlib import Path
from types import SimpleNamespace

CONF = Path(__file__).resolve().parents[2] / "config" / "gunicorn.conf.py"


def test_post_request_trims_every_n_requests(monkeypatch):
    monkeypatch.setenv("GUNICORN_MALLOC_TRIM_EVERY", "3")
    conf = runpy.run_path(str(CONF))
    calls = []
    conf["post_request"].__globals__["_malloc_trim"] = lambda: calls.append(1)
    worker = SimpleNamespace()
    for _ in range(7):
        conf["post_request"](worker, None, {}, None)
    assert worker.served_requests == 7 and len(calls) == 2
    runpy.run_path(str(CONF))["_malloc_trim"]()  # the real one runs without error here


def test_trim_can_be_switched_off(monkeypatch):
    monkeypatch.setenv("GUNICORN_MALLOC_TRIM_EVERY", "0")
    conf = runpy.run_path(str(CONF))
    calls = []
    conf["post_request"].__globals__["_malloc_trim"] = lambda: calls.append(1)
    for _ in range(5):
        conf["post_request"](SimpleNamespace(), None, {}, None)
    assert calls == []
