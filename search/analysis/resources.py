"""Loading of the word lists shipped in ``data/``."""
from __future__ import annotations

from pathlib import Path

from .normalization import normalize

DATA_DIR = Path(__file__).resolve().parent / "data"


def load_wordlist(name: str) -> frozenset[str]:
    """Read ``data/<name>``: one word per line in natural spelling, ``#``
    comments and blank lines ignored; every word is normalized."""
    words = set()
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        for line in fh:
            line = line.split("#", 1)[0].strip()
            if line:
                word = normalize(line)
                if word:
                    words.add(word)
    return frozenset(words)
