"""Strings one edit away from a word, over the normalized Arabic alphabet.

``one_edit(word)`` yields every string one deletion, transposition of two
neighbours, substitution or insertion away from ``word`` (letters of
``LETTERS``, the alphabet ``normalize`` leaves). Query expansion uses it to
tell a typo from a proclitic split, the engine's «هل تقصد» to find the
indexed words nearest an absent one (looked up in the vocabulary instead of
scanning every indexed word); ``nearest_words(word, dfs)`` does that lookup
for both.
"""
from __future__ import annotations

LETTERS = "ءابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def one_edit(word: str):
    """Every string one deletion, transposition, substitution or insertion
    away from ``word`` (repeats possible)."""
    for i in range(len(word)):
        yield word[:i] + word[i + 1:]
        if i + 1 < len(word):
            yield word[:i] + word[i + 1] + word[i] + word[i + 2:]
        for c in LETTERS:
            if c != word[i]:
                yield word[:i] + c + word[i + 1:]
    for i in range(len(word) + 1):
        for c in LETTERS:
            yield word[:i] + c + word[i:]


def nearest_words(word: str, dfs, *, keep_first: bool = False, limit: int = 3) -> list[tuple[int, str]]:
    """The strings one edit from ``word`` that ``dfs`` (a list of forms → their
    document frequencies) finds, as ``(df, form)``, most frequent first, then
    alphabetical; ``keep_first``: only those with ``word``'s first letter."""
    cands = [c for c in dict.fromkeys(one_edit(word))
             if c and c != word and (not keep_first or c[0] == word[0])]
    found = sorted(((df, c) for c, df in zip(cands, dfs(cands), strict=True) if df), key=lambda x: (-x[0], x[1]))
    return found[:limit]
