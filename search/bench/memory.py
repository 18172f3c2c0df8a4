"""A process's resident memory from ``/proc/<pid>/smaps_rollup``: private
pages (anonymous and private file pages) and pages of mapped files, in MB."""
from __future__ import annotations

_FIELDS = ("Rss", "Pss", "Private_Clean", "Private_Dirty", "Shared_Clean", "Shared_Dirty", "Anonymous")


def smaps_rollup(pid) -> dict:
    """``{"rss_mb", "private_mb", "anon_mb", "file_mb", ...}`` or ``{}`` when
    the file cannot be read (the process is gone, or not Linux)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            text = fh.read()
    except OSError:
        return {}
    kb = {}
    for line in text.splitlines():
        name, _, rest = line.partition(":")
        if name in _FIELDS and rest.split():
            kb[name] = int(rest.split()[0])
    if "Rss" not in kb:
        return {}
    anon = kb.get("Anonymous", 0)
    return {
        "rss_mb": kb["Rss"] / 1024,
        "private_mb": (kb.get("Private_Clean", 0) + kb.get("Private_Dirty", 0)) / 1024,
        "anon_mb": anon / 1024,
        # resident pages of mapped files (the index, libraries): shared with the page cache
        "file_mb": (kb["Rss"] - anon) / 1024,
    }
