"""Country forms of a word, for the must-not-merge truth (``runner._pair_truth``).

Issue #15 asks a country's nisba adjective to find the country's name and the
reverse («الكازاخستانية» ↔ «كازاخستان»). An article that writes «البحرينية»
uses the word «البحرين» in that sense, so the must-not-merge truth counts it
as holding «البحرين» (it is never "forbidden" for that query, whatever else
it holds, e.g. «البحر»). The rule, stated before measuring:

- a word's *country* is the gazetteer country (``archive/data/countries.json``)
  one of whose names it is, or a name stem of which plus a nisba ending it is
  (canonical words, «ال» stripped);
- a country's names are its single-word ``name_ar`` and the single-word
  aliases sharing the first three letters of it (not its cities); a name's
  stem is the name without a final «ا»/«ه» («تركيا» → «ترك»);
- the word's *country forms* are the names and every stem + nisba ending
  (``NISBA_ENDINGS``), with any proclitic (``text.with_proclitics``).

Ground truth stays independent of the engines: canonical words
(``text.canon``) and the gazetteer file only, never the project's analyzer
or its nisba table.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from .text import canon, strip_al, with_proclitics

GAZETTEER = Path(__file__).resolve().parents[2] / "archive" / "data" / "countries.json"
NISBA_ENDINGS = ("ي", "يه", "يون", "يين", "يان", "يات")
PREFIX = 3  # letters an alias shares with the country's name to count as a name


def _core(word: str) -> str:
    return strip_al(canon(word).strip())


def _stem(name: str) -> str:
    return name[:-1] if name.endswith(("ا", "ه")) and len(name) > 3 else name


@lru_cache(maxsize=1)
def _countries(path: str = str(GAZETTEER)) -> list[frozenset]:
    """Per country: the canonical cores of its single-word names."""
    try:
        entries = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    out = []
    for c in entries:
        name = _core(c.get("name_ar") or "")
        if not name or " " in name:
            continue
        names = {name} | {a for a in map(_core, c.get("aliases") or ()) if " " not in a and a[:PREFIX] == name[:PREFIX]}
        out.append(frozenset(n for n in names if len(n) >= PREFIX))
    return out


def _words(names) -> set[str]:
    """The names and every name stem + nisba ending."""
    out = set(names)
    for n in names:
        out.update(_stem(n) + e for e in NISBA_ENDINGS)
    return out


@lru_cache(maxsize=1024)
def country_forms(word: str) -> frozenset:
    """Every canonical written form of the country forms of ``word`` (empty
    when ``word`` is no country's name or nisba adjective)."""
    core = _core(word)
    found = set()
    for names in _countries():
        words = _words(names)
        if core in words:
            found |= words
    return frozenset(f for w in found for f in with_proclitics(w))
