"""Strings one edit away from a word, over the normalized Arabic alphabet.

``one_edit(word)`` yields every string one deletion, transposition of two
neighbours, substitution or insertion away from ``word`` (letters of
``LETTERS``, the alphabet ``normalize`` leaves). Query expansion uses it to
tell a typo from a proclitic split, the engine's «هل تقصد» to find the
indexed words nearest an absent one (looked up in the vocabulary instead of
scanning every indexed word).
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
