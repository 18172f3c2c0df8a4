#!/usr/bin/env python3
"""Write a JSON Lines file of NEW articles made from corpus records.

    python scripts/load_import_file.py OUT.jsonl --count 5000 [--skip 0] [--marker WORD] [--tag RUN]

Each record of ../shared/corpus/articles.jsonl.gz (``--corpus``) is copied
with another id and url (``<tag>-<id>``), so a database that already holds
the corpus imports it as new articles, and with ``--marker`` appended to the
body (a new fingerprint, so it is not a duplicate, and a word to search for
afterwards). The output belongs in a scratch folder, never in the repository.
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "articles.jsonl.gz"
DEFAULT_MARKER = "قرنفلستان"


def write_import_file(out, count, *, corpus=DEFAULT_CORPUS, skip=0, marker=DEFAULT_MARKER, tag="load") -> int:
    written = 0
    opener = gzip.open if str(corpus).endswith(".gz") else open
    with opener(corpus, "rt", encoding="utf-8") as src, open(out, "w", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i < skip:
                continue
            if written >= count:
                break
            record = json.loads(line)
            record["id"] = f"{tag}-{record.get('id', i)}"
            if record.get("url"):
                record["url"] = record["url"].split("#")[0] + f"#{tag}"
            record["body"] = f"{record.get('body', '')}\n{marker} {tag}"
            dst.write(json.dumps(record, ensure_ascii=False) + "\n")
            written += 1
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out")
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--skip", type=int, default=0)
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    parser.add_argument("--marker", default=DEFAULT_MARKER)
    parser.add_argument("--tag", default="load")
    args = parser.parse_args(argv)
    if Path(args.out).resolve().is_relative_to(ROOT):
        parser.error("write the file outside the repository (e.g. /tmp/...)")
    n = write_import_file(args.out, args.count, corpus=args.corpus, skip=args.skip, marker=args.marker, tag=args.tag)
    print(f"wrote {n} records to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
