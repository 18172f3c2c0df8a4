"""``manage.py bench_readers`` at a tiny size: a throwaway data folder (the
seeds plus 30 corpus articles when the corpus is there), 24 queries over 2
new processes and through gunicorn with one worker; the printed table has
every column, and never-seen and warm were both measured (no timing
assertions)."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "articles.jsonl.gz"


def _manage(env, *args):
    proc = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:]
    return proc.stdout


@pytest.mark.sqlite_only
def test_bench_readers_smoke(tmp_path):
    env = dict(os.environ)
    for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ENV"):
        env.pop(name, None)
    env.update(ARCHIVE_DATA_DIR=str(tmp_path / "data"), DJANGO_DEBUG="0")
    _manage(env, "migrate", "--noinput", "-v", "0")
    _manage(env, "import_articles", "seeds/", "--no-progress")
    if CORPUS.exists():
        _manage(env, "import_articles", str(CORPUS), "--limit", "30", "--no-progress", "--workers", "1")
    # the import indexes what it imports: no rebuild needed
    qfile = tmp_path / "queries.json"
    out = _manage(env, "bench_readers", "--queries", "24", "--procs", "2", "--http-limit", "12",
                  "--http-budget", "60", "--query-file", str(qfile))

    # the query set was written for reuse: distinct, each with its kind
    queries = json.loads(qfile.read_text(encoding="utf-8"))
    assert 0 < len(queries) <= 24
    assert len({(q["q"], json.dumps(q["params"], sort_keys=True)) for q in queries}) == len(queries)
    assert "cores:" in out and "load average:" in out
    assert "server worker after" in out and "private" in out and "pages of mapped files" in out
    assert "memory not readable" not in out
    lines = out.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("kind"))
    for column in ("view_never", "view_warm", "http_never", "http_warm", "never/warm(view)"):
        assert column in lines[head], column
    rows = {line.split()[0]: line.split()[1:] for line in lines[head + 1:] if line.strip() and not
            line.startswith("cores:")}
    assert "all" in rows
    # n, then p50 p95 max for view never/warm and http never/warm: all numbers
    figures = rows["all"][:13]
    assert int(figures[0]) == len(queries)
    assert all(re.fullmatch(r"\d+\.\d", f) for f in figures[1:13]), rows["all"]
    assert all(float(f) > 0 for f in figures[1:13])

    # a second run reads the same set back
    again = _manage(env, "bench_readers", "--queries", "24", "--procs", "1", "--no-http",
                    "--query-file", str(qfile))
    assert f"query set read from {qfile}" in again
