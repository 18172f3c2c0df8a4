"""Query-time expansion of one word against the index vocabulary.

``expand_word(form, vocab)`` takes a normalized, unstemmed query word and the
``search.vocabulary.Vocabulary`` of the open index and returns a
``WordExpansion``:

- ``base``: the word with a proclitic (و ف ب ل ك, وب ول فب فل وك فك) split off
  when the vocabulary says so: the rest is a protected name, or the word as
  typed is absent from the index, or the rest is at least
  ``DOMINANCE`` times as frequent («لبوتين», «بموسكو», «وتلزم» → the bare
  word; «فكرة», «بلدية» stay whole). A protected name never loses its first
  letter (``strip_proclitics``).
- ``clitic_forms``: the indexed exact forms proclitic + base («لموسكو»,
  «وموسكو»…): documents that only write «بموسكو» are found by «موسكو»
  (searched in the unstemmed field, so «زار» finds «وزار» but never
  «وزارة»).
- ``gender``: for a word in teh marbuta whose stem loses it («مكتبة» →
  «مكتب») the stemmed term would merge it with the masculine word; the
  exact forms of the feminine word («مكتبة، المكتبات، مكتبته»…) are
  searched instead (``family``). Symmetrically for a masculine word whose
  feminine is indexed («مكتب» but not «مكتبة»).
- ``variants``: other spellings of the same name in the index: the same
  sound skeleton (``variant_key``, medial long vowels dropped), at most 2
  edits (1 for 4-letter words), document frequency ≥ ``MIN_VARIANT_DF``,
  not a stopword, a different light stem, and both words name-like (the
  index seldom writes them with «ال»: «المالي» rules out «مالي»); plus the
  curated spellings of ``search.models.NameVariant``. ``variant_forms`` adds
  their indexed proclitic and «ال» forms.

Everything is dict lookups over the vocabulary (built once per index
generation), and results are cached per vocabulary.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from search.analysis import STOPWORDS, is_protected, light_stem, strip_proclitics, variant_key
from search.vocabulary import skeleton

DOMINANCE = 8
MIN_VARIANT_DF = 2
SMALL_INDEX = 1000  # documents; below it a variant seen once is enough
MAX_VARIANTS = 8
ALIAS_TTL = 30.0  # seconds; saves in this process invalidate at once

SINGLE = ("و", "ف", "ب", "ل", "ك")
PAIRS = ("وب", "ول", "فب", "فل", "وك", "فك")
CLITICS = PAIRS + SINGLE
ARTICLES = ("ال", "وال", "فال", "بال", "كال", "لل", "وبال", "ولل", "فلل", "فبال")
_FEM_ENDINGS = ("ه", "ات", "ته", "تها", "تهم", "تهما", "تهن", "تك", "تكم", "تنا", "تي", "تان", "تين",
                "اته", "اتها", "اتهم", "اتنا", "اتك")
_MASC_ENDINGS = ("", "ها", "هم", "هما", "هن", "ك", "كم", "نا", "ي", "ان", "ين", "ون", "ات", "اته", "اتها")


@dataclass
class WordExpansion:
    form: str
    base: str
    clitic_forms: list = field(default_factory=list)
    family: list | None = None  # exact forms replacing the stemmed term (gender split)
    variants: list = field(default_factory=list)  # other spellings (display)
    variant_forms: list = field(default_factory=list)  # exact forms searched for them


def _is_arabic(word: str) -> bool:
    return bool(word) and "\u0621" <= word[0] <= "\u064a"


def _strip_al(word: str) -> str:
    return word[2:] if word.startswith("ال") and len(word) >= 5 else word


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


# --- curated aliases (NameVariant) ---------------------------------------------------------

_alias_lock = threading.Lock()
_alias_state = {"groups": None, "loaded": 0.0, "version": 0}


def invalidate_aliases(**_kwargs):
    """Drop the cached alias groups (NameVariant saved or deleted)."""
    with _alias_lock:
        _alias_state["groups"] = None
        _alias_state["version"] += 1


def alias_groups() -> dict:
    """{normalized spelling: frozenset of the other spellings of its group}."""
    now = time.monotonic()
    state = _alias_state
    groups = state["groups"]
    if groups is not None and now - state["loaded"] < ALIAS_TTL:
        return groups
    from search.analysis import normalize

    by_group: dict[str, set] = {}
    try:
        from search.models import NameVariant

        for canonical, spelling in NameVariant.objects.values_list("canonical", "spelling"):
            key = normalize(canonical).strip()
            group = by_group.setdefault(key, {key})
            group.add(normalize(spelling).strip())
    except Exception:  # no database or table: no curated aliases
        by_group = {}
    groups = {}
    for members in by_group.values():
        members = {m for m in members if m and " " not in m}
        for m in members:
            groups[m] = frozenset(members - {m}) | groups.get(m, frozenset())
    with _alias_lock:
        if groups != state["groups"]:
            state["version"] += 1
        state["groups"] = groups
        state["loaded"] = now
    return groups


def alias_version() -> int:
    alias_groups()
    return _alias_state["version"]


# --- expansion -----------------------------------------------------------------------------

def _clitic_forms(base: str, vocab, chains=CLITICS) -> list[str]:
    out = []
    for p in chains:
        f = p + base
        if vocab.df(f):
            out.append(f)
    return out


def _name_like(word: str, vocab) -> bool:
    if is_protected(word):
        return True
    if word.startswith("ال"):
        return False
    df = vocab.df(word)
    return df >= 1 and vocab.df("ال" + word) * 2 <= df


def _gender_family(base: str, vocab):
    """Exact forms to search instead of the stemmed term, or None."""
    core = _strip_al(base)
    if len(core) < 4 or is_protected(base) or is_protected(core):
        return None
    stem = light_stem(base)
    if core.endswith("ه"):
        if stem.endswith("ه") or core.endswith("يه"):
            return None  # the stem keeps it apart already / nisba
        c = core[:-1]
        bases = [c + e for e in _FEM_ENDINGS]
    else:
        fem = core + "ه"
        if vocab.df(fem) < 2 or light_stem(fem) != stem:
            return None
        bases = [core + e for e in _MASC_ENDINGS]
    out = []
    for b in bases:
        for f in (b,) + tuple(a + b for a in ARTICLES) + tuple(p + b for p in CLITICS):
            if vocab.df(f):
                out.append(f)
    return out or None


def _variants(base: str, vocab, aliases) -> list[str]:
    if len(base) < 4 or base in STOPWORDS or not _is_arabic(base):
        return []
    curated = aliases.get(base, frozenset())
    out = [a for a in sorted(curated) if vocab.df(a)]
    if not _name_like(base, vocab):
        return out
    stem = light_stem(base)
    short = len(base) <= 4
    # a document-frequency floor means nothing in a tiny index (the seeds)
    min_df = MIN_VARIANT_DF if (vocab.doc_count or 0) >= SMALL_INDEX else 1
    scored = []
    for c in vocab.variants_of_key(skeleton(base)):
        if c == base or c in out or c.startswith("ال") or c in STOPWORDS or len(c) < 4:
            continue
        if min(len(c), len(base)) / max(len(c), len(base)) < 0.7:
            continue
        if short or len(c) <= 4:
            # 4-letter words: one edit, counted after the sound classes («جوجل» = «غوغل»)
            if edit_distance(variant_key(base), variant_key(c), 1) > 1:
                continue
        elif edit_distance(base, c, 2) > 2:
            continue
        df = vocab.df(c)
        if df < min_df or light_stem(c) == stem or not _name_like(c, vocab):
            continue
        scored.append((-df, c))
    scored.sort()
    out.extend(c for _df, c in scored)
    return out[:MAX_VARIANTS]


def expand_word(form: str, vocab, *, variants: bool = True) -> WordExpansion:
    """See the module docstring. ``vocab`` may be None (no expansion)."""
    if vocab is None or len(form) < 3 or not _is_arabic(form):
        return WordExpansion(form, form)
    cache = getattr(vocab, "_expansions", None)
    if cache is None:
        cache = vocab._expansions = {}
    key = (form, variants, alias_version() if variants else 0)
    found = cache.get(key)
    if found is not None:
        return found
    df_form = vocab.df(form)

    def known(rest):
        if is_protected(rest):
            return vocab.df(rest) >= 1 or df_form == 0
        d = vocab.df(rest)
        return d >= 1 and (df_form == 0 or d >= DOMINANCE * df_form)

    base = form if is_protected(form) else strip_proclitics(form, known)
    chains = CLITICS if len(_strip_al(base)) > 4 else tuple(p for p in CLITICS if "ك" not in p)
    clitics = [f for f in _clitic_forms(base, vocab, chains) if f != form]
    exp = WordExpansion(form, base, clitic_forms=clitics, family=_gender_family(base, vocab))
    if variants:
        exp.variants = _variants(base, vocab, alias_groups())
        vforms = []
        for v in exp.variants:
            vforms.append(v)
            vforms.extend(_clitic_forms(v, vocab))
            vforms.extend(_clitic_forms(v, vocab, ARTICLES))
        exp.variant_forms = list(dict.fromkeys(vforms))
    if len(cache) > 4096:
        cache.clear()
    cache[key] = exp
    return exp
