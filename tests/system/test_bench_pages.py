"""``manage.py bench_pages`` at a tiny size: a throwaway data folder (the
seeds plus 30 corpus articles when the corpus is there), one round through
gunicorn with the page cache on and off; every page answered 200 and has a
row with every figure (no timing assertions)."""
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
def test_bench_pages_smoke(tmp_path):
    env = dict(os.environ)
    for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ENV"):
        env.pop(name, None)
    env.update(ARCHIVE_DATA_DIR=str(tmp_path / "data"), DJANGO_DEBUG="0")
    _manage(env, "migrate", "--noinput", "-v", "0")
    _manage(env, "import_articles", "seeds/", "--no-progress")
    if CORPUS.exists():
        _manage(env, "import_articles", str(CORPUS), "--limit", "30", "--no-progress", "--workers", "1")
    out = _manage(env, "bench_pages", "--rounds", "1", "--repeats", "2")
    assert "cores" in out and "load average" in out
    assert "non-200" not in out
    lines = out.splitlines()
    wall = lines[lines.index(next(line for line in lines if line.startswith("page"))) + 2:]
    labels = ("home", "outlets", "outlet", "article", "browse all", "search", "compare")
    for label in labels[:-1]:
        row = next(line for line in wall if line.startswith(label))
        figures = re.findall(r"\d+\.\d", row)
        assert len(figures) >= 8, row  # first, three p50/p95 pairs, the ratio
    cpu_head = next(i for i, line in enumerate(lines) if line.startswith("the worker's CPU"))
    assert any(line.startswith("home") for line in lines[cpu_head:])
