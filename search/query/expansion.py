"""Query-time expansion of one word against the index vocabulary.

``expand_word(form, vocab)`` takes a normalized, unstemmed query word and the
``search.engine.vocabulary.Vocabulary`` of the open index and returns a
``WordExpansion``:

- ``base``: the word with a proclitic (و ف ب ل ك, وب ول فب فل وك فك) split off
  when the vocabulary says so: the rest is a protected name, or the word as
  typed is absent from the index, or the rest is at least ``DOMINANCE``
  times as frequent («لبوتين», «بموسكو» → the bare word), or the rest is at
  least as frequent and the whole form never takes the article («وتواجه»,
  «وحصص», «ليتعادل» split; «فكرة», «بلدية» stay whole: «الفكرة» and
  «البلدية» are indexed, so they are words of their own). «وللإحالات»
  (و + ل + «الإحالات») counts as known when «الإحالات» is. A protected name
  never loses its first letter (``strip_proclitics``). Splitting only adds
  the bare word to what is searched; the word as typed still ranks first.
- ``extra_bases``: the protected name with «ال» when the word is one
  written without it («جزائر» → «الجزائر»), searched like ``base``.
- ``clitic_forms``: the indexed exact forms proclitic + base («لموسكو»,
  «وموسكو»…): documents that only write «بموسكو» are found by «موسكو»
  (searched in the unstemmed field, so «زار» finds «وزار» but never
  «وزارة»).
- ``gender``: for a word in teh marbuta whose stem loses it («مكتبة» →
  «مكتب») the stemmed term would merge it with the masculine word; the
  exact forms of the feminine word («مكتبة، المكتبات، مكتبته»…) are
  searched instead (``family``). Symmetrically for a masculine word whose
  feminine is indexed («مكتب» but not «مكتبة»). Pronoun endings never
  follow «ال», and a final «ي» is a nisba adjective, not «my» («الإنساني»
  is not a form of «إنسان»).
- ``variants``: other spellings of the same name in the index: the same
  sound skeleton (``variant_key``, medial long vowels dropped) and
  ``plausible_spelling``: the same consonants in the same sound classes, in
  the same order, the first and last letters kept, and only medial long
  vowels/hamza added or dropped (one in words of up to 5 letters, two in
  longer words), so «بوتين» gets
  «بوتن» but not «بوتان», «بطون» or «بوت». Also: document frequency ≥
  ``MIN_VARIANT_DF``, the query word itself indexed, not a stopword, a
  different light stem, and both words name-like (the index seldom writes
  them with «ال»: «المالي» rules out «مالي») or, for a brand some outlets
  write with «ال» («الفايسبوك»), the two spellings counted together
  name-like; plus the curated spellings of ``search.models.NameVariant``.
  When a proclitic was split off, the variants of the word as typed are
  added («بلينكن» is not «ب» + «لينكن»). ``variant_forms`` adds their
  indexed proclitic and «ال» forms.

Everything is dict lookups over the vocabulary (built once per index
generation), and results are cached per vocabulary.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache

from search.analysis import STOPWORDS, is_protected, light_stem, normalize, strip_proclitics
from search.analysis.clitics import ARTICLE_CHAINS, CLITICS
from search.analysis.variants import SOUND_CLASSES, VOWEL_LETTERS, skeleton

DOMINANCE = 8
MIN_VARIANT_DF = 2
SMALL_INDEX = 1000  # documents; below it a variant seen once is enough
MAX_VARIANTS = 8
ALIAS_TTL = 30.0  # seconds; saves in this process invalidate at once

_FEM_ENDINGS = ("ه", "ات", "ته", "تها", "تهم", "تهما", "تهن", "تك", "تكم", "تنا", "تي", "تان", "تين",
                "اته", "اتها", "اتهم", "اتنا", "اتك")
_MASC_ENDINGS = ("", "ها", "هم", "هما", "هن", "ك", "كم", "نا", "ان", "ين", "ون", "ات", "اته", "اتها")
# Pronoun suffixes never follow the article: «مكتبها» but not «المكتبها».
_PRONOUN_ENDINGS = frozenset({"ها", "هم", "هما", "هن", "ك", "كم", "نا", "ته", "تها", "تهم", "تهما", "تهن", "تك",
                              "تكم", "تنا", "تي", "اته", "اتها", "اتهم", "اتنا", "اتك"})


@dataclass
class WordExpansion:
    form: str
    base: str
    clitic_forms: list = field(default_factory=list)
    family: list | None = None  # exact forms replacing the stemmed term (gender split)
    variants: list = field(default_factory=list)  # other spellings (display)
    variant_forms: list = field(default_factory=list)  # exact forms searched for them
    extra_bases: list = field(default_factory=list)  # more forms searched like ``base``


def _is_arabic(word: str) -> bool:
    return bool(word) and "\u0621" <= word[0] <= "\u064a"


def _strip_al(word: str) -> str:
    return word[2:] if word.startswith("ال") and len(word) >= 5 else word


# --- curated aliases (NameVariant) ---------------------------------------------------------

_alias_lock = threading.Lock()
_alias_state = {"groups": None, "loaded": 0.0, "version": 0}


def invalidate_aliases(**_kwargs):
    """Drop the cached alias groups (NameVariant saved or deleted)."""
    with _alias_lock:
        _alias_state["groups"] = None
        _alias_state["version"] += 1


def name_variant_groups() -> dict[str, set]:
    """{normalized canonical: its normalized spellings, itself included}
    (NameVariant rows); raises when the table cannot be read."""
    from search.models import NameVariant  # the app registry must be ready

    by_group: dict[str, set] = {}
    for canonical, spelling in NameVariant.objects.filter(blocked=False).values_list("canonical", "spelling"):
        key = normalize(canonical).strip()
        by_group.setdefault(key, {key}).add(normalize(spelling).strip())
    return by_group


def alias_groups() -> dict:
    """{normalized spelling: frozenset of the other spellings of its group}."""
    now = time.monotonic()
    state = _alias_state
    groups = state["groups"]
    if groups is not None and now - state["loaded"] < ALIAS_TTL:
        return groups
    try:
        by_group = name_variant_groups()
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


# --- spelling variants ----------------------------------------------------------------------

_INF = 99


def _sound(word: str) -> list[str]:
    """Sound class per letter (``variant_key``'s classes; a word-initial «و» is F)."""
    out = [SOUND_CLASSES.get(c, c) for c in word]
    if word and word[0] == "و":
        out[0] = "F"
    return out


def spelling_edits(a: str, b: str):
    """(vowel edits, sound-class substitutions) turning ``a`` into ``b``, or
    None when they are not spellings of one sound sequence: the consonants,
    in the same sound classes, must be the same, in the same order; only a
    medial long vowel or hamza («ا و ي ء») may be added or dropped; the first
    and the last letter are never added or dropped («بوتين» → «بوت» drops the
    final consonant, «سلمان» → «سلم» the ending, both refused)."""
    if abs(len(a) - len(b)) > 2:
        return None
    sa, sb = _sound(a), _sound(b)
    if sa[0] != sb[0] or sa[-1] != sb[-1]:
        return None
    n, m = len(a), len(b)
    # dp over (i, j): best (indels, subs) aligning a[:i] with b[:j]
    inf = (_INF, _INF)
    prev = [inf] * (m + 1)
    prev[0] = (0, 0)
    for j in range(1, m + 1):
        prev[j] = (prev[j - 1][0] + 1, 0) if 0 < j - 1 < m - 1 and b[j - 1] in VOWEL_LETTERS else inf
    for i in range(1, n + 1):
        cur = [inf] * (m + 1)
        if 0 < i - 1 < n - 1 and a[i - 1] in VOWEL_LETTERS and prev[0][0] < _INF:
            cur[0] = (prev[0][0] + 1, prev[0][1])
        for j in range(1, m + 1):
            best = inf
            ca, cb = a[i - 1], b[j - 1]
            d = prev[j - 1]
            if d[0] < _INF and sa[i - 1] == sb[j - 1]:
                best = (d[0], d[1] + (ca != cb))
            if 0 < i - 1 < n - 1 and ca in VOWEL_LETTERS:  # drop a medial vowel of a
                d = prev[j]
                if d[0] < _INF and (d[0] + 1, d[1]) < best:
                    best = (d[0] + 1, d[1])
            if 0 < j - 1 < m - 1 and cb in VOWEL_LETTERS:  # add a medial vowel of b
                d = cur[j - 1]
                if d[0] < _INF and (d[0] + 1, d[1]) < best:
                    best = (d[0] + 1, d[1])
            cur[j] = best
        prev = cur
    return None if prev[m][0] >= _INF else prev[m]


@lru_cache(maxsize=2**14)
def plausible_spelling(a: str, b: str) -> bool:
    """Whether ``b`` may be another spelling of the name ``a`` (``spelling_edits``):
    any substitutions within the sound classes («غوغل/جوجل»,
    «بيونغيانغ/بيونجيانج») and one vowel edit in words of up to 5 letters
    («ترامب/ترمب»; never «بوتين/بوتان» or «بوتين/بطون»), two in longer
    words («تيلرسون/تليرسون», «خامنئي/خامئني»)."""
    edits = spelling_edits(a, b)
    if edits is None:
        return False
    vowels, _subs = edits
    return vowels <= (1 if max(len(a), len(b)) <= 5 else 2)


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


def _name_like_pair(a: str, b: str, vocab) -> bool:
    """Two spellings that, counted together, are seldom written with «ال»:
    «فايسبوك» (6, «الفايسبوك» 10) with «فيسبوك» (234, «الفيسبوك» 10)."""
    bare = vocab.df(a) + vocab.df(b)
    return bare >= 1 and (vocab.df("ال" + a) + vocab.df("ال" + b)) * 2 <= bare


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
        bases = [(c + e, e) for e in _FEM_ENDINGS]
    else:
        fem = core + "ه"
        if vocab.df(fem) < 2 or light_stem(fem) != stem:
            return None
        bases = [(core + e, e) for e in _MASC_ENDINGS]
    out = []
    for b, ending in bases:
        articles = () if ending in _PRONOUN_ENDINGS else tuple(a + b for a in ARTICLE_CHAINS)
        for f in (b,) + articles + tuple(p + b for p in CLITICS):
            if vocab.df(f):
                out.append(f)
    return out or None


def _variants(base: str, vocab, aliases) -> list[str]:
    if len(base) < 4 or base in STOPWORDS or not _is_arabic(base):
        return []
    curated = aliases.get(base, frozenset())
    out = [a for a in sorted(curated) if vocab.df(a)]
    if not vocab.df(base):
        return out  # an absent word: the spelling suggestion's job, not expansion
    base_name_like = _name_like(base, vocab)
    stem = light_stem(base)
    # a document-frequency floor means nothing in a tiny index (the seeds)
    min_df = MIN_VARIANT_DF if (vocab.doc_count or 0) >= SMALL_INDEX else 1
    scored = []
    for c in vocab.variants_of_key(skeleton(base)):
        if c == base or c in out or c.startswith("ال") or c in STOPWORDS or len(c) < 4:
            continue
        if not plausible_spelling(base, c):
            continue
        df = vocab.df(c)
        if df < min_df or light_stem(c) == stem:
            continue
        c_name_like = _name_like(c, vocab)
        if not (base_name_like and c_name_like) and not (
            (base_name_like or c_name_like) and _name_like_pair(base, c, vocab)
        ):
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
        d = vocab.df(rest)
        if not d and rest.startswith("لل") and len(rest) >= 5:
            d = vocab.df("ال" + rest[2:])  # «وللإحالات» = و + ل + «الإحالات»
        if is_protected(rest):
            return d >= 1 or df_form == 0
        if d < 1:
            return False
        if df_form == 0 or d >= DOMINANCE * df_form:
            return True
        # The rest is at least as frequent and the whole form never takes
        # the article (a noun such as «فكرة», «بلدية» does: «الفكرة»):
        # «وتواجه», «وحصص», «ليتعادل» are proclitic + word.
        return d >= df_form and not vocab.df("ال" + form)

    base = form if is_protected(form) else strip_proclitics(form, known)
    chains = CLITICS if len(_strip_al(base)) > 4 else tuple(p for p in CLITICS if "ك" not in p)
    clitics = [f for f in _clitic_forms(base, vocab, chains) if f != form]
    exp = WordExpansion(form, base, clitic_forms=clitics, family=_gender_family(base, vocab))
    with_al = "ال" + base
    if len(base) >= 4 and not base.startswith("ال") and not is_protected(base) and is_protected(with_al):
        # a name written without its article («جزائر», «دانمارك»): the stemmer
        # keeps «الجزائر» whole, so search that form too
        exp.extra_bases.append(with_al)
    if variants:
        aliases = alias_groups()
        exp.variants = _variants(base, vocab, aliases)
        if base != form:
            # the word as typed may itself be a name («بلينكن» is not «ب» + «لينكن»)
            exp.variants += [v for v in _variants(form, vocab, aliases) if v not in exp.variants]
            exp.variants = exp.variants[:MAX_VARIANTS]
        vforms = []
        for v in exp.variants:
            vforms.append(v)
            vforms.extend(_clitic_forms(v, vocab))
            vforms.extend(_clitic_forms(v, vocab, ARTICLE_CHAINS))
        exp.variant_forms = list(dict.fromkeys(vforms))
    if len(cache) > 4096:
        cache.clear()
    cache[key] = exp
    return exp
