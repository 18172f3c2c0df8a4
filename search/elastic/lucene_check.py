"""Run the index's analysis chain in real Lucene, offline (no cluster needed).

Elasticsearch 7.10 and OpenSearch 1.x analyze with Lucene 8; Debian's
``liblucene8-java`` ships those classes. ``analyze(body, texts)`` writes the
analysis rules of an index body (``search.elastic.settings.index_body``) to a
folder, compiles ``lucene/ArabicChain.java`` (the same filters, in the same
order, with the rules parsed as Elasticsearch parses them) and returns, for
each text, the tokens of the index, search and exact analyzers. Used by
tests/engine/test_elasticsearch.py when Java and the jars are present
(``apt-get install liblucene8-java``); skipped otherwise.
"""
from __future__ import annotations

import glob
import shutil
import subprocess
import tempfile
from pathlib import Path

SOURCE = Path(__file__).resolve().parent / "lucene" / "ArabicChain.java"
JAR_DIRS = ("/usr/share/java",)


def jars() -> list[str]:
    found = []
    for pattern in ("lucene-core-8*.jar", "lucene-analyzers-common-8*.jar"):
        hits = sorted(h for d in JAR_DIRS for h in glob.glob(f"{d}/{pattern}"))
        if not hits:
            return []
        found.append(hits[-1])
    return found


def available() -> bool:
    return bool(jars()) and shutil.which("javac") is not None and shutil.which("java") is not None


def _write(path: Path, lines) -> None:
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")


def analyze(body: dict, texts, workdir=None) -> list[dict]:
    """[{"index": [[tok, ...] per position], "search": ..., "exact": ...}]."""
    own = workdir is None
    work = Path(workdir or tempfile.mkdtemp(prefix="lucene-chain-"))
    try:
        a = body["settings"]["analysis"]
        f = a["filter"]
        stop = f["archive_stop"]["stopwords"]
        _write(work / "mapping.txt", a["char_filter"]["archive_normalize"]["mappings"])
        _write(work / "pattern.txt", [a["char_filter"]["archive_word_breaks"]["pattern"]])
        _write(work / "stop.txt", [] if stop == "_none_" else stop)
        _write(work / "overrides.txt", f["archive_names"]["rules"])
        _write(work / "synonyms.txt", f["archive_aliases"]["synonyms"])
        _write(work / "keywords.txt", f["archive_protected"]["keywords"])
        _write(work / "input.txt", [" ".join(str(t).split()) for t in texts])
        classpath = ":".join(jars() + [str(work)])
        subprocess.run(["javac", "-nowarn", "-cp", classpath, "-d", str(work), str(SOURCE)], check=True,
                       capture_output=True, timeout=300)
        out = subprocess.run(["java", "-cp", classpath, "ArabicChain", str(work)], check=True,
                             capture_output=True, timeout=300)
        lines = out.stdout.decode("utf-8").splitlines()
        results = []
        for i in range(0, len(lines), 3):
            entry = {}
            for line in lines[i:i + 3]:
                kind, _, toks = line.partition("\t")
                entry[kind] = [pos.split("|") for pos in toks.split(" ")] if toks else []
            results.append(entry)
        return results
    finally:
        if own:
            shutil.rmtree(work, ignore_errors=True)
