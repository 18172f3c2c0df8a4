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
- ``variants``: other spellings of the same name in the index: indexed
  forms under the word's skeleton or a class-aware alternative one, accepted
  by ``search.query.spelling.plausible_spelling`` (the same consonants in
  the same sound classes and order; medial long vowels added, dropped or
  swapped within limits; initial «ه»/«أ», final «ا»/«ة», G as ج/غ/ق/ك; no
  emphatic change combined with another edit in a short word), so «بوتين»
  gets «بوتن» but not «بطين», «بوتان», «بطون» or «بوت». Also: document
  frequency ≥ ``MIN_VARIANT_DF``, the query word itself indexed, not a
  stopword, a different light stem, and both words name-like (the index
  seldom writes them with «ال»: «المالي» rules out «مالي») or, for a brand
  some outlets write with «ال» («الفايسبوك»), the two spellings counted
  together name-like; plus the curated spellings of
  ``search.models.NameVariant``. A word written with «ال» («الفيروس») gets
  the «ال» forms of its core's spellings («الفايروس», and «فايروس»), cores
  of at least ``MIN_ARTICLE_CORE`` letters, never a singular and its broken
  plural («المجلس/المجالس»). Two frequent words that the articles name
  side by side at a few times chance are two names, not one spelling
  (``search.query.variant_evidence``: «سلمان/سليمان», «محمد/محمود»).
  When a proclitic was split off, the variants
  of the word as typed are added («بلينكن» is not «ب» + «لينكن»).
  ``variant_forms`` adds their indexed proclitic and «ال» forms.
- country adjectives: a nisba adjective also searches the country's names
  and a name its adjectives («الكازاخستانية» ↔ «كازاخستان», «وكازاخستان»;
  ``search.analysis.nisba`` over the gazetteer, ``search.names``), with
  their proclitic forms, among ``variant_forms`` (the most frequent
  ``MAX_RELATED_SHOWN`` listed in ``variants``).
- ``typo``: a word absent from the index whose proclitic split would search
  another word, when a word one edit away is ``TYPO_DOMINANCE`` times as
  frequent («بوتبن» → «بوتين», not «ب» + «وتبن»): the builder searches it
  as typed only (nothing is found) and the page offers «هل تقصد» with the
  count of the suggested search.

Everything is dict lookups over the vocabulary (built once per index
generation), and results are cached per vocabulary.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from search.analysis import STOPWORDS, is_protected, light_stem, normalize, strip_proclitics
from search.analysis.clitics import ARTICLE_CHAINS, CLITICS, strip_article
from search.analysis.edits import nearest_words
from search.analysis.nisba import nisba_table
from search.analysis.variants import VOWEL_LETTERS
from search.query.spelling import candidate_keys, plausible_spelling, spelling_edits  # noqa: F401 (re-exported)
from search.query.variant_evidence import clash

DOMINANCE = 8
MIN_VARIANT_DF = 2
SMALL_INDEX = 1000  # documents; below it a variant seen once is enough
MAX_VARIANTS = 8
TYPO_DOMINANCE = 10  # a typo's target is this many times as frequent as the proclitic split
MIN_TYPO_DF = 5
MAX_RELATED_SHOWN = 3  # country names / nisba adjectives listed among the searched spellings
MIN_LOANWORD_LEN = 6
MIN_LOANWORD_CONSONANTS = 4
_PLURAL_ENDINGS = ("ات", "ه")  # «معلومات/معلمات»; «ين», «ون» end loanwords too («أكسجين»)
MIN_ARTICLE_CORE = 5
# endings of native plurals, duals and feminines: a word written with «ال» in them gets no spellings
_NATIVE_ENDINGS = ("ه", "ات", "ون", "ان", "اء")  # letters after «ال» for a word written with it to get other spellings
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
    typo: str | None = None  # an absent word that is a typo of this frequent word: searched as typed only


def _is_arabic(word: str) -> bool:
    return bool(word) and "\u0621" <= word[0] <= "\u064a"




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


# --- spelling variants: search.query.spelling ------------------------------------------------

# --- expansion -----------------------------------------------------------------------------

def _dfs(vocab, forms) -> list[int]:
    """Document frequencies of ``forms`` in one call (``Vocabulary.dfs``)."""
    many = getattr(vocab, "dfs", None)
    return many(forms) if many is not None else [vocab.df(f) for f in forms]


def _clitic_forms(base: str, vocab, chains=CLITICS) -> list[str]:
    forms = [p + base for p in chains]
    return [f for f, df in zip(forms, _dfs(vocab, forms), strict=True) if df]


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
    if min(len(a), len(b)) < MIN_LOANWORD_LEN:
        return False  # «تويتر/توتر»: a short native word is not a brand's spelling
    bare = vocab.df(a) + vocab.df(b)
    return bare >= 1 and (vocab.df("ال" + a) + vocab.df("ال" + b)) * 2 <= bare


def _gender_family(base: str, vocab):
    """Exact forms to search instead of the stemmed term, or None."""
    core = strip_article(base)
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
    forms = []
    for b, ending in bases:
        articles = () if ending in _PRONOUN_ENDINGS else tuple(a + b for a in ARTICLE_CHAINS)
        forms.extend((b,) + articles + tuple(p + b for p in CLITICS))
    out = [f for f, df in zip(forms, _dfs(vocab, forms), strict=True) if df]
    return out or None


def _candidates(word: str, vocab) -> list[str]:
    """Indexed forms under the skeletons of ``word`` and its class-aware
    alternatives (``search.query.spelling.candidate_keys``)."""
    out = []
    for key in candidate_keys(word):
        for c in vocab.variants_of_key(key):
            if c not in out:
                out.append(c)
    return out


def _broken_plural(a: str, b: str) -> bool:
    """«مجلس/مجالس», «مشروع/مشاريع», «تقرير/تقارير»: «ا» after the first two
    letters of one word only (the Arabic broken-plural pattern)."""
    return (len(a) > 3 and len(b) > 3 and a[:2] == b[:2] and (a[2] == "ا") != (b[2] == "ا"))


_VERB_PREFIXES = "يتنا"
PROCLITIC_SHARE = 4  # a word is a clitic/accusative form when the bare word has a quarter of its frequency


def _conjugated(word: str, vocab) -> bool:
    """A verb form: the same word with another imperfect prefix is indexed
    («يسمح» / «تسمح», «وتعد» / «ويعد»). Names and loanwords are not
    conjugated, so a verb never gets or gives other spellings («تحول» is
    not «تحاول», «يسمح» not «يسامح»)."""
    head = word[1:] if word[:1] in "وف" and len(word) > 4 else word
    prefix = head[:1]
    if prefix not in _VERB_PREFIXES or len(head) < 4:
        return False
    lead = word[: len(word) - len(head)]
    if lead and not vocab.df(head):
        return False  # «فيروس» is not «ف» + a verb
    return any(vocab.df(lead + p + head[1:]) >= MIN_VARIANT_DF for p in _VERB_PREFIXES if p != prefix)


def _native(word: str, vocab) -> bool:
    """A native Arabic word, not a name or loanword: a verb
    (``_conjugated``), a proclitic on a more frequent word, an accusative in
    «ا» of an indexed word, or a word that takes the pronoun suffixes
    «ها»/«هم» («موقعها», «وزيرهم», «مجلتها», «قالها»), which names and their
    adjectives never do. Such a word neither gets nor gives other spellings."""
    if _conjugated(word, vocab):
        return True
    if word.startswith("لل"):
        return True  # «للفريق» = ل + «الفريق»
    if word[0] in "وفبلك" and len(word) >= 4 and vocab.df(word[1:]) * PROCLITIC_SHARE >= max(
            MIN_VARIANT_DF, vocab.df(word)):
        return True  # a proclitic on a word: «وقالت», «فليس» («بوتين» is not «ب» + «وتين»)
    if word.endswith("ا") and vocab.df(word[:-1]) * PROCLITIC_SHARE >= max(MIN_VARIANT_DF, vocab.df(word)):
        return True  # an accusative: «عاما», «شخصا», «مجددا» (and «سوريا» beside «سوري»)
    stem = word[:-1] + "ت" if word.endswith("ه") else word
    return vocab.df(stem + "ها") + vocab.df(stem + "هم") >= MIN_VARIANT_DF


def _native_core(core: str, vocab) -> bool:
    """A word after «ال» that is a native plural, dual or feminine («العلاقات»,
    «اللاعبين» beside «لاعب»), or a native word; «الفلبين» is not."""
    if core.endswith(_NATIVE_ENDINGS) or _native(core, vocab):
        return True
    return core.endswith("ين") and vocab.df(core[:-2]) >= MIN_VARIANT_DF


def _consonants(word: str) -> int:
    return sum(1 for c in word[1:] if c not in VOWEL_LETTERS) + 1


def _loanword_pair(a: str, b: str) -> bool:
    """Two spellings of a loanword that the press writes with «ال» as often
    as not («ديمقراطي/ديموقراطي», «كمبيوتر/كومبيوتر»): both at least
    ``MIN_LOANWORD_LEN`` letters with ``MIN_LOANWORD_CONSONANTS`` consonant
    letters (more than an Arabic root and its pattern letters usually have),
    differing by vowel letters and sound-class letters (no emphatic change),
    with no plural or feminine ending."""
    if min(len(a), len(b)) < MIN_LOANWORD_LEN or min(_consonants(a), _consonants(b)) < MIN_LOANWORD_CONSONANTS:
        return False
    if a.endswith(_PLURAL_ENDINGS) or b.endswith(_PLURAL_ENDINGS):
        return False
    edits = spelling_edits(a, b)
    return edits is not None and edits[2] == 0


def _feminine_of_indexed(a: str, b: str, vocab, min_df: int) -> bool:
    """A final «ا»/«ة» alternation where the «ة» word is the feminine of an
    indexed word («مكتبة» of «مكتب», «سورية» of «سوري»): a native word or an
    adjective, not another spelling of a name («مالطة/مالطا»)."""
    if {a[-1], b[-1]} != {"ا", "ه"}:
        return False  # not that alternation («جونج/جونغ»: a G, not a feminine)
    fem = a if a.endswith("ه") else b
    return vocab.df(fem[:-1]) >= 1


def _article_variants(base: str, vocab, min_df: int) -> list[str]:
    """Other spellings of a word written with «ال» («الفيروس/الفايروس»,
    «الفلبين/الفيليبين»): indexed «ال» forms whose cores (both at least
    ``MIN_ARTICLE_CORE`` letters) are plausible spellings of each other, not
    a singular and its broken plural, with another light stem."""
    core = base[2:]
    if len(core) < MIN_ARTICLE_CORE or _native_core(core, vocab):
        return []  # «الجمعية/القمعية», «العلاقات/العلاجات», «الأنباء/الأنبياء»: native words
    stem = light_stem(base)
    scored = []
    for c in _candidates(base, vocab):
        if not c.startswith("ال") or c == base or len(c) - 2 < MIN_ARTICLE_CORE or c in STOPWORDS:
            continue
        cc = c[2:]
        if _native_core(cc, vocab) or _broken_plural(core, cc) or not plausible_spelling(core, cc) or spelling_edits(core, cc)[2]:
            continue  # a singular and its plural, or a letter Arabic keeps apart
        df = vocab.df(c)
        if df < min_df or light_stem(c) == stem or clash(base, c, vocab):
            continue
        scored.append((-df, c))
    scored.sort()
    return [c for _df, c in scored]


def _variants(base: str, vocab, aliases) -> list[str]:
    if len(base) < 4 or base in STOPWORDS or not _is_arabic(base):
        return []
    curated = aliases.get(base, frozenset())
    out = [a for a in sorted(curated) if vocab.df(a)]
    if not vocab.df(base) and not vocab.df("ال" + base):
        return out  # an absent word: the spelling suggestion's job, not expansion
    # a document-frequency floor means nothing in a tiny index (the seeds)
    min_df = MIN_VARIANT_DF if (vocab.doc_count or 0) >= SMALL_INDEX else 1
    if _native(base, vocab):
        return out
    base_name_like = _name_like(base, vocab)
    stem = light_stem(base)
    if base.startswith("ال"):
        return (out + [c for c in _article_variants(base, vocab, min_df) if c not in out])[:MAX_VARIANTS]
    scored = []
    seen = set()
    for c in _candidates(base, vocab):
        if c.startswith("ال") and len(c) >= 6:
            c = c[2:]  # «الدكتاتور»: the bare spelling, searched with its «ال» forms
        if c == base or c in out or c in seen or c.startswith("ال") or c in STOPWORDS or len(c) < 4:
            continue
        seen.add(c)
        if not plausible_spelling(base, c) or _feminine_of_indexed(base, c, vocab, min_df) or _native(c, vocab):
            continue
        df = vocab.df(c)
        if df + vocab.df("ال" + c) < min_df or light_stem(c) == stem:
            continue
        c_name_like = _name_like(c, vocab)
        if not (base_name_like and c_name_like) and not (
            (base_name_like or c_name_like) and _name_like_pair(base, c, vocab)
        ) and not _loanword_pair(base, c):
            continue
        if clash(base, c, vocab):
            continue  # two names the articles name side by side («سلمان/سليمان»)
        scored.append((-df, c))
    scored.sort()
    out.extend(c for _df, c in scored)
    return out[:MAX_VARIANTS]


# --- typos of frequent words ------------------------------------------------------------------

def _typo_target(form: str, vocab, split_df: int) -> str | None:
    """The indexed word one edit away from the absent ``form`` that is at
    least ``TYPO_DOMINANCE`` times as frequent as the word a proclitic split
    would search (and at least ``MIN_TYPO_DF``), or None."""
    if len(form) < 4:
        return None
    floor = max(MIN_TYPO_DF, TYPO_DOMINANCE * split_df)
    best = nearest_words(form, lambda forms: _dfs(vocab, forms), limit=1)
    return best[0][1] if best and best[0][0] >= floor else None


# --- country names and their nisba adjectives ---------------------------------------------

_nisba_state = {"table": None}


def nisba_relations():
    """The ``search.analysis.nisba.NisbaTable`` of the gazetteer (once per process)."""
    table = _nisba_state["table"]
    if table is None:
        from search.names import gazetteer_countries

        table = _nisba_state["table"] = nisba_table(gazetteer_countries())
    return table


def _related(base: str, vocab) -> list[tuple[str, list[str]]]:
    """Country names for a nisba adjective («الكازاخستانية» → «كازاخستان») and
    nisba adjectives for a name, with their indexed forms (the word and its
    proclitic forms: «وكازاخستان»), most frequent first."""
    related = nisba_relations().related(base)
    if not related:
        return []
    found = []
    for r in related:
        forms = ([r] if vocab.df(r) else []) + _clitic_forms(r, vocab)
        if forms:
            found.append((-sum(vocab.df(f) for f in forms), r, forms))
    found.sort()
    return [(r, forms) for _df, r, forms in found]


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
    if df_form == 0 and base != form and not is_protected(base):
        split_df = vocab.df(base)
        if base.startswith("لل") and len(base) >= 5:
            split_df = max(split_df, vocab.df("ال" + base[2:]))  # «وللأسود» = و + ل + «الأسود»
        typo = _typo_target(form, vocab, split_df)
        if typo is not None:
            # «بوتبن» is «بوتين» mistyped, not «ب» + «وتبن»: the split would
            # find unrelated words, so the word is searched as typed (nothing)
            # and the page offers «هل تقصد» instead
            exp = WordExpansion(form, form, typo=typo)
            cache[key] = exp
            return exp
    chains = CLITICS if len(strip_article(base)) > 4 else tuple(p for p in CLITICS if "ك" not in p)
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
        related = _related(base, vocab) or (_related(form, vocab) if base != form else [])
        vforms = [f for _r, forms in related for f in forms]
        exp.variants = list(dict.fromkeys(exp.variants + [r for r, _f in related[:MAX_RELATED_SHOWN]]))
        for v in exp.variants:
            vforms.append(v)
            if v.startswith("ال") and vocab.df(v[2:]):
                vforms.append(v[2:])  # «فايروس» for «الفايروس»
                vforms.extend(_clitic_forms(v[2:], vocab))
            vforms.extend(_clitic_forms(v, vocab))
            vforms.extend(_clitic_forms(v, vocab, ARTICLE_CHAINS))
        exp.variant_forms = list(dict.fromkeys(vforms))
    if len(cache) > 4096:
        cache.clear()
    cache[key] = exp
    return exp
