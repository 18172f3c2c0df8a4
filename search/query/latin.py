"""A query word in Latin letters, searched as the archive's Arabic spellings.

``latin_spellings(word, vocab)`` returns the Arabic spellings of the index
a Latin word («Wagner», «Prigozhin», «Kazakhstan») stands for, most
frequent first: the gazetteers' spellings (``search.latin_gazetteer``) that
occur in the index, and the indexed forms found under the ``skeleton`` keys
of the word's transliterations (``search.analysis.latin``) whose alignment
with the Latin word costs at most ``MAX_COST``. Among those, a spelling
much rarer than the best one (under ``MIN_SHARE`` of its documents) or
costlier than ``MARGIN`` above it is dropped: a short skeleton such as
«BTن» (Putin) also holds «بطين», which is another word.

``latin_forms(spellings, vocab)`` gives the exact indexed forms to search
for them (the spelling, with proclitics and with the article). Results are
cached per vocabulary; the index decides everything, so a Latin word never
becomes an English dictionary word.
"""
from __future__ import annotations

from search.analysis import STOPWORDS
from search.analysis.clitics import ARTICLE_CHAINS, CLITICS
from search.analysis.latin import arabic_candidates, latin_cost, latin_word, skeleton_keys
from search.latin_gazetteer import arabic_for_latin

MIN_LATIN = 3  # letters: shorter Latin words are abbreviations, left alone
MAX_COST = 1.0
MARGIN = 0.25
MIN_SHARE = 0.03
MAJOR_SHARE = 0.1
MIN_DF = 2  # in an index of at least SMALL_INDEX documents
SMALL_INDEX = 1000
MAX_SPELLINGS = 6
_DIRECT = 6  # cheapest transliterations also looked up as they are (short forms have no skeleton)


def _bare(form: str) -> str:
    return form[2:] if form.startswith("ال") and len(form) >= 5 else form


def _nisba(form: str) -> bool:
    """«الهولندي», «الروسية»: an adjective made from a name, not the name."""
    return form.startswith("ال") and form.endswith(("ي", "يه"))


def _candidates(latin: str, vocab) -> dict[str, float]:
    """{indexed form: alignment cost} for the Latin word."""
    found: dict[str, float] = {}
    for spelling in arabic_for_latin(latin):
        if vocab.df(spelling):
            found[spelling] = 0.0
    for key in skeleton_keys(latin):
        for form in vocab.variants_of_key(key):
            if form in found or form in STOPWORDS or _nisba(form):
                continue
            cost = latin_cost(latin, form)
            if cost is not None and cost <= MAX_COST:
                found[form] = cost
    for arabic, cost in arabic_candidates(latin)[:_DIRECT]:
        if arabic not in found and cost <= MAX_COST and vocab.df(arabic):
            found[arabic] = cost
    # «هولندي» next to «هولند»: the adjective of a name the word also matched
    return {f: c for f, c in found.items() if not (f.endswith("ي") and f[:-1] in found)}


def latin_spellings(word: str, vocab, excluded=frozenset(), curated=()) -> list[str]:
    """Arabic spellings in the index for a Latin ``word`` (see module doc);
    [] when ``word`` is not a Latin word or nothing fits. ``excluded``:
    normalized spellings the reader switched off or a curator blocked;
    ``curated``: spellings a curator added for the word (searched first)."""
    latin = latin_word(word)
    if vocab is None or len(latin) < MIN_LATIN:
        return []
    cache = getattr(vocab, "_latin", None)
    if cache is None:
        cache = vocab._latin = {}
    spellings = cache.get(latin)
    if spellings is None:
        spellings = _choose(_candidates(latin, vocab), vocab, trusted=frozenset(arabic_for_latin(latin)))
        if len(cache) > 2048:
            cache.clear()
        cache[latin] = spellings
    extra = [c for c in sorted(curated) if c not in spellings and _is_arabic(c) and vocab.df(c)]
    return [s for s in extra + spellings if s not in excluded and _bare(s) not in excluded][:MAX_SPELLINGS]


def _is_arabic(word: str) -> bool:
    return bool(word) and "\u0621" <= word[0] <= "\u064a"


def _choose(found: dict[str, float], vocab, trusted=frozenset()) -> list[str]:
    """``trusted``: the gazetteers' spellings of the word, kept however rare."""
    # one entry per name: «الناتو» and «ناتو» are the same spelling
    merged: dict[str, tuple[float, int, str]] = {}
    kept: set[str] = set()  # bare forms of trusted spellings
    for form, cost in found.items():
        bare = _bare(form)
        df = vocab.df(form)
        old = merged.get(bare)
        if form in trusted:
            kept.add(bare)
        if old is None:
            merged[bare] = (cost, df, form)
        else:
            shown = form if df > vocab.df(old[2]) else old[2]
            merged[bare] = (min(cost, old[0]), old[1] + df, shown)
    min_df = MIN_DF if (vocab.doc_count or 0) >= SMALL_INDEX else 1
    # a gazetteer's spelling (a person's or a country's own name) is kept however rare
    rows = [r for bare, r in merged.items() if r[1] >= min_df or bare in kept]
    if not rows:
        return []
    top_df = max(r[1] for r in rows)
    rows = [r for r in rows if r[1] >= MIN_SHARE * top_df or _bare(r[2]) in kept]
    # the frequent spellings set the bar: a rare cheap form never shuts out a common one
    best_cost = min(r[0] for r in rows if r[1] >= MAJOR_SHARE * top_df)
    rows = [r for r in rows if r[0] <= best_cost + MARGIN + 1e-9]
    # a costlier reading that the archive mostly writes with «ال» is an Arabic noun («التوتر» for Twitter)
    rows = [r for r in rows if r[0] <= best_cost or _name_like(r[2], vocab)]
    rows.sort(key=lambda r: (-r[1], r[0], r[2]))
    return [r[2] for r in rows[:MAX_SPELLINGS]]


def _name_like(form: str, vocab) -> bool:
    bare = _bare(form)
    return vocab.df("ال" + bare) * 2 <= vocab.df(bare)


def latin_forms(spellings, vocab) -> list[str]:
    """The indexed exact forms of ``spellings``: each with and without the
    article and with the proclitics."""
    out: dict[str, None] = {}
    for spelling in spellings:
        bare = _bare(spelling)
        for form in [bare, spelling] + [p + bare for p in CLITICS] + [a + bare for a in ARTICLE_CHAINS]:
            if form not in out and vocab.df(form):
                out[form] = None
    return list(out)
