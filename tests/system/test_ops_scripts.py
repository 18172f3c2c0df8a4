"""The load script: its guard rails, and the CI-size run against real gunicorn.

``make load-smoke`` = scripts/load_serve.py --smoke: a throwaway data folder
(seeds + 60 corpus articles), gunicorn with 2 workers on a free 127.0.0.1
port, 4 clients x 5 s of searches, facets, article pages and API calls while
40 new articles are imported; 0 errors and the imported articles searchable.
"""
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import load  # noqa: E402


@pytest.mark.parametrize("url", ["http://10.1.2.3:8000", "http://192.168.0.1", "https://127.0.0.1:8443",
                                 "ftp://127.0.0.1", "http://0.0.0.0:8000"])
def test_non_loopback_or_non_http_urls_are_refused(url):
    with pytest.raises(ValueError):
        load.check_loopback(url)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000", "http://[::1]:8000", "http://127.0.0.2"])
def test_loopback_urls_are_accepted(url):
    host, port = load.check_loopback(url)
    assert port in (8000, 80)


def test_cli_refuses_a_remote_host_before_sending_anything():
    proc = subprocess.run([sys.executable, "scripts/load.py", "--base-url", "http://10.1.2.3:80", "--duration", "1"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "non-loopback" in proc.stderr


def test_summary_counts_errors_and_percentiles():
    samples = [load.Sample("search", s / 1000, 200) for s in range(1, 101)]
    samples += [load.Sample("api", 0.5, 503, "HTTP 503 /api/search/"), load.Sample("article", 0.1, None, "timeout")]
    report = load.summarize(samples, seconds=10.0)
    assert report["total"]["requests"] == 102 and report["total"]["errors"] == 2
    assert report["kinds"]["search"]["p50_ms"] == pytest.approx(50.5)
    assert report["kinds"]["search"]["p95_ms"] == pytest.approx(95.05, abs=0.06)
    assert report["kinds"]["search"]["max_ms"] == 100.0
    assert report["total"]["requests_per_s"] == 10.2
    assert len(report["error_samples"]) == 2


def test_import_file_is_new_articles(tmp_path):
    import gzip
    import json

    corpus = tmp_path / "c.jsonl.gz"
    with gzip.open(corpus, "wt", encoding="utf-8") as f:
        for i in range(5):
            f.write(json.dumps({"id": f"x{i}", "url": f"http://e/{i}", "title": "t", "body": "b"}) + "\n")
    out = tmp_path / "o.jsonl"
    import load_import_file

    assert load_import_file.write_import_file(out, 3, corpus=corpus, skip=1, marker="وسم", tag="r1") == 3
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["r1-x1", "r1-x2", "r1-x3"]
    assert all(r["body"].endswith("وسم r1") and r["url"].endswith("#r1") for r in rows)


@pytest.mark.django_db
@pytest.mark.sqlite_only
def test_load_smoke_against_gunicorn():
    if connection.vendor != "sqlite":
        pytest.skip("runs once, in the SQLite pass (the script uses its own SQLite folder)")
    proc = subprocess.run([sys.executable, "scripts/load_serve.py", "--smoke"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-3000:]
    assert "load_serve: PASS" in output and " 0 errors" in output
    if (ROOT.parent / "shared" / "corpus").exists():
        assert '"ok": true' in output  # the 40 imported articles are searchable
