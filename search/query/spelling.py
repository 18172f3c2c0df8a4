"""Which indexed words may be other spellings of a query word.

``candidate_keys(word)`` lists the vocabulary skeletons (``search.analysis.
variants.skeleton``) to look other spellings up under: the word's own and
those of its class-aware alternatives (``ك`` written for a foreign G,
«إنكلترا/إنجلترا»; initial «ه»/«أ» for a foreign H, «هولاند/أولاند»; a final
«ا»/«ة», «مالطا/مالطة»). ``spelling_edits(a, b)`` aligns two words and
``plausible_spelling(a, b)`` accepts or refuses them as spellings of one name:

- the consonants, in the same sound classes (``SOUND_CLASSES``, plus «ك» as a
  G), the same, in the same order; only medial long vowels and hamza
  («ا و ي ء») may be added or dropped, and a vowel letter may stand for
  another («بيلاروسيا/بيلوروسيا»: one substitution, counted as one edit);
- the first letter is kept, or «ه»/«ا» alternate in words of at least
  ``MIN_INITIAL_H`` letters; the last letter is kept, or a final «ا» and
  «ه» (teh marbuta) alternate, except after «ي» (``روسيا/روسية`` is the
  adjective) and in words of fewer than ``MIN_FINAL_ALT`` letters;
- short words (up to ``SHORT`` letters) allow one vowel edit, longer ones
  two (three from ``LONG`` letters: «فاينانشيال/فايننشال»);
- **no false friends**: in a short word (up to ``SHORT`` letters) a change
  across the letters that Arabic keeps apart (``EMPHATIC``: ت/ط, س/ص, د/ض,
  ه/ح, ك/ق, ث/س, ز/ظ) is refused («بوتين/بطين», «بوتن/بطن», «سعيد/صعيد»),
  and so is a G-class change in a short word ending in «ة», «ت» or «ا»
  («قالت/جالت»); «ز» is never a hard G («توقيع/توزيع»); a vowel-letter
  substitution needs a long word («بوتين/بوتان», «فيروس/فارس» refused).
"""
from __future__ import annotations

from functools import lru_cache

from search.analysis.variants import SOUND_CLASSES, VOWEL_LETTERS, skeleton

__all__ = ["candidate_keys", "spelling_edits", "plausible_spelling", "EMPHATIC"]

SHORT = 5  # letters: one vowel edit, no emphatic change
LONG = 9  # letters: three vowel edits
MIN_INITIAL_H = 5
MIN_FINAL_ALT = 5
MIN_VOWEL_SUB = 8  # letters: a vowel letter written for another («بيلاروسيا/بيلوروسيا»)
# Letter pairs that are distinct native phonemes: in a short word, one of
# them changed together with another edit makes another word.
EMPHATIC = frozenset(frozenset(p) for p in ("تط", "سص", "دض", "هح", "كق", "ثس", "زظ", "صث"))
_G = "G"
# «ز» shares the G class through «ج» (Russian ж: «بريغوزين/بريغوجين») but is
# never written for a hard G: «قالت/زالت», «توقيع/توزيع» are other words
_ZH = frozenset("زژ")
_HARD_G = frozenset("قغكگ")
_EXTRA_G = "ك"  # «ك» stands alone in the skeleton; here it may be a foreign G
_NATIVE_FINALS = frozenset("هتا")
_INF = 99


def _cls(c: str) -> str:
    return _G if c == _EXTRA_G else SOUND_CLASSES.get(c, c)


def _sound(word: str) -> list[str]:
    out = [_cls(c) for c in word]
    if word and word[0] == "و":
        out[0] = "F"
    return out


def candidate_keys(word: str) -> list[str]:
    """Skeletons of ``word`` and of its class-aware alternative spellings."""
    keys = [skeleton(word)]
    alts = []
    core = word[2:] if word.startswith("ال") and len(word) >= 5 else word
    if len(core) >= MIN_INITIAL_H:
        if core[0] == "ه":
            alts.append("ا" + core[1:])
        elif core[0] == "ا":
            alts.append("ه" + core[1:])
    if len(core) >= MIN_FINAL_ALT and core[-2] != "ي":
        if core[-1] == "ا":
            alts.append(core[:-1] + "ه")
        elif core[-1] == "ه":
            alts.append(core[:-1] + "ا")
    if len(core) >= SHORT and ("ك" in core or any(SOUND_CLASSES.get(c) == _G for c in core)):
        alts.append("".join("ج" if c == "ك" else c for c in core))
        alts.append("".join("ك" if SOUND_CLASSES.get(c) == _G else c for c in core))
    for alt in alts:
        k = skeleton(alt)
        if k not in keys:
            keys.append(k)
    return keys


def spelling_edits(a: str, b: str):
    """(vowel edits, substitutions, emphatic changes) turning ``a`` into
    ``b``, or None when they are not spellings of one sound sequence (see
    the module docstring). A vowel letter replaced by another counts one
    vowel edit, and so does a final «ا»/«ه» or an initial «ه»/«ا»
    alternation."""
    if abs(len(a) - len(b)) > 3 or not a or not b:
        return None
    n, m = len(a), len(b)
    sa, sb = _sound(a), _sound(b)
    alt = 0
    if sa[0] != sb[0]:
        if not ({a[0], b[0]} == {"ه", "ا"} and min(n, m) >= MIN_INITIAL_H):
            return None
        sa[0] = sb[0]
        alt += 1
    if sa[-1] != sb[-1]:
        if not ({a[-1], b[-1]} == {"ا", "ه"} and min(n, m) >= MIN_FINAL_ALT and a[-2] != "ي" and b[-2] != "ي"):
            return None
        sa[-1] = sb[-1]
        alt += 1
    long_word = max(n, m) >= MIN_VOWEL_SUB
    inf = (_INF, _INF, _INF)
    prev = [inf] * (m + 1)
    prev[0] = (0, 0, 0)
    for j in range(1, m + 1):
        prev[j] = (prev[j - 1][0] + 1, 0, 0) if 0 < j - 1 < m - 1 and b[j - 1] in VOWEL_LETTERS else inf
    for i in range(1, n + 1):
        cur = [inf] * (m + 1)
        medial_a = 0 < i - 1 < n - 1 and a[i - 1] in VOWEL_LETTERS
        if medial_a and prev[0][0] < _INF:
            cur[0] = (prev[0][0] + 1, prev[0][1], prev[0][2])
        for j in range(1, m + 1):
            best = inf
            ca, cb = a[i - 1], b[j - 1]
            d = prev[j - 1]
            if d[0] < _INF:
                if sa[i - 1] == sb[j - 1] and not ({ca, cb} & _ZH and {ca, cb} & _HARD_G):
                    changed = ca != cb
                    e = 1 if changed and frozenset((ca, cb)) in EMPHATIC else 0
                    best = (d[0], d[1] + changed, d[2] + e)
                elif (long_word and medial_a and cb in VOWEL_LETTERS and 0 < j - 1 < m - 1):
                    best = (d[0] + 1, d[1], d[2])  # a vowel letter for another
            if medial_a:  # drop a medial vowel of a
                d = prev[j]
                if d[0] < _INF and (d[0] + 1, d[1], d[2]) < best:
                    best = (d[0] + 1, d[1], d[2])
            if 0 < j - 1 < m - 1 and cb in VOWEL_LETTERS:  # add a medial vowel of b
                d = cur[j - 1]
                if d[0] < _INF and (d[0] + 1, d[1], d[2]) < best:
                    best = (d[0] + 1, d[1], d[2])
            cur[j] = best
        prev = cur
    v, s, e = prev[m]
    if v >= _INF:
        return None
    return v + alt, s - alt, e


@lru_cache(maxsize=2**14)
def plausible_spelling(a: str, b: str) -> bool:
    """Whether ``b`` may be another spelling of the name ``a`` (``spelling_edits``
    and the limits of the module docstring)."""
    edits = spelling_edits(a, b)
    if edits is None:
        return False
    vowels, _subs, emphatic = edits
    longest = max(len(a), len(b))
    limit = 1 if longest <= SHORT else (3 if longest >= LONG else 2)
    if vowels > limit:
        return False
    if longest <= SHORT:
        if emphatic:
            return False  # «بوتين/بطين», «سعيد/صعيد»: a native word, not a spelling
        if _subs and (a[-1] in _NATIVE_FINALS or b[-1] in _NATIVE_FINALS):
            return False  # «قالت/جالت», «كبيرة/جبيرة»: feminine, verb and accusative endings
    return True
