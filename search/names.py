"""Protected names, the same at index and at query time.

``load_protected_names()`` feeds ``search.analysis.set_extra_protected`` with
the gazetteer names (archive/data/countries.json, the Country table) and the
editable name spellings (``search.models.NameVariant``). It is called at index
time (``search.schema.build_schema``) and at query time
(``search.query.parse_query``), once per process, so both sides stem
identically; a change needs a restart and an index rebuild (the admin says so).
"""
from __future__ import annotations

import json
import threading
from pathlib import Path

from search.analysis import set_extra_protected

_COUNTRIES_FILE = Path(__file__).resolve().parent.parent / "archive" / "data" / "countries.json"
_loaded = False
_load_lock = threading.Lock()
_NISBA_ENDINGS = ("ي", "ية", "يه", "يون", "يين", "يان")


def _name_forms(text: str) -> list[str]:
    """Single-word names of ``text``; nisba adjectives are left to the stemmer."""
    words = (text or "").split()
    if len(words) != 1:
        return []
    w = words[0]
    if len(w) < 3 or w.endswith(_NISBA_ENDINGS):
        return []
    return [w]


def gazetteer_names() -> list[str]:
    """Names from the gazetteer file and, when reachable, the Country and
    NameVariant tables (sorted: deterministic)."""
    names = set()
    try:
        data = json.loads(_COUNTRIES_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = []
    for c in data:
        for text in [c.get("name_ar", "")] + list(c.get("aliases", [])):
            names.update(_name_forms(text))
    try:
        from archive.models import Country

        for name_ar, aliases in Country.objects.values_list("name_ar", "aliases"):
            for text in [name_ar] + (aliases or "").splitlines():
                names.update(_name_forms(text.strip()))
        from search.models import NameVariant

        for spelling in NameVariant.objects.filter(blocked=False).values_list("spelling", flat=True):
            names.update(_name_forms(spelling.strip()))
    except Exception:  # no database (yet): the file alone
        pass
    return sorted(names)


def load_protected_names(force: bool = False) -> None:
    """``set_extra_protected(gazetteer_names())`` once per process."""
    global _loaded
    if _loaded and not force:
        return
    with _load_lock:
        if _loaded and not force:
            return
        set_extra_protected(gazetteer_names())
        _loaded = True


def gazetteer_countries() -> list[dict]:
    """Country rows (``name_ar``, ``aliases``, ``weak_aliases``): the Country
    table when reachable (an editor's changes win), else the gazetteer file."""
    try:
        from archive.models import Country

        rows = [{"name_ar": n, "aliases": a or "", "weak_aliases": w or ""}
                for n, a, w in Country.objects.values_list("name_ar", "aliases", "weak_aliases")]
        if rows:
            return rows
    except Exception:  # no database (yet): the file alone
        pass
    try:
        return json.loads(_COUNTRIES_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
