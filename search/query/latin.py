"""A query word in Latin letters, searched as the archive's Arabic spellings.

``latin_spellings(word, vocab)`` returns the Arabic spellings of the index
a Latin word («Wagner», «Prigozhin», «Kazakhstan») stands for, most
frequent first: the gazetteers' spellings (``search.latin_gazetteer``) that
occur in the index, and the indexed forms found under the ``skeleton`` keys
of the word's transliterations (``search.analysis.latin``) whose alignment
with the Latin word costs at most ``MAX_COST`` (forms of up to ``SHORT``
letters, which have no skeleton group, are looked up as transliterated).
Guessed spellings that are Arabic words are refused first
(``_drop_arabic_words``): a form the index also holds with Arabic suffixes
or verb prefixes («مسؤول» for Mosul, «بارك» for Barack), a common short
word inside a longer spelling («كيف» for Kiev), an article noun where a
bare spelling aligns as well («الفوز» for Fox, «الحالي» for Haley). Among
the rest, a spelling much rarer than the best one (under ``MIN_SHARE`` of
its documents) or costlier than ``MARGIN`` above it is dropped: a short
skeleton such as «BTن» (Putin) also holds «بطين», which is another word;
only a chosen spelling with vowel letters left out («كمبردج» for
«كامبريدج») passes the margin (``_vowel_variants``).

``latin_forms(spellings, vocab)`` gives the exact indexed forms to search
for them (the spelling, with proclitics and with the article). Results are
cached per vocabulary; the index decides everything, so a Latin word never
becomes an English dictionary word.
"""
from __future__ import annotations

from search.analysis import STOPWORDS
from search.analysis.clitics import ARTICLE_CHAINS, CLITICS, strip_article
from search.analysis.latin import arabic_candidates, latin_cost, latin_word, skeleton_keys
from search.analysis.variants import skeleton
from search.latin_gazetteer import arabic_for_latin, exonym_owners, place_spellings

MIN_LATIN = 3  # letters: shorter Latin words are abbreviations, left alone
MAX_COST = 1.0
MARGIN = 0.25
MIN_SHARE = 0.03
MAJOR_SHARE = 0.1
OTHER_SHARE = 0.25  # a rarer spelling with other consonants than the frequent ones is another word
MIN_DF = 2  # in an index of at least SMALL_INDEX documents
SMALL_INDEX = 1000
RARE_COST, RARE_LEN = 0.3, 6  # ... unless nothing more common is found and it aligns this well
MAX_SPELLINGS = 6
_DIRECT = 6  # cheapest transliterations also looked up as they are
SHORT = 3  # letters: a form this short has no skeleton group; it is looked up as transliterated
SHORT_COST = 0.5  # ... when it aligns this well (a short form is most often an Arabic word)
SHORT_COMMON = 0.01  # share of the documents from which a short form is a common Arabic word («كيف»)
NATIVE_SUFFIXES = ("ه", "ها", "هم", "ين", "ون", "ات", "ا", "ان")
NATIVE_PREFIXES = ("م", "ي", "ت")  # a participle or a verb: «مبارك», «يبارك» next to «بارك»
NATIVE_SHARE = 0.25  # suffixed forms per bare form above which a guessed spelling is an Arabic word




def _nisba(form: str, latin: str) -> bool:
    """«الهولندي», «الروسية»: an adjective made from the name the Latin word
    spells (the form without «ي» aligns with it), not the name; «الحريري»
    (Hariri) is a name: «حرير» does not align with «hariri»."""
    if not (form.startswith("ال") and form.endswith(("ي", "يه"))):
        return False
    base = form[2:-2] if form.endswith("يه") else form[2:-1]
    cost = latin_cost(latin, base) if len(base) >= 2 else None
    return cost is not None and cost <= MAX_COST


def _native(form: str, vocab) -> bool:
    """An Arabic word, not a transliteration: the index holds it with
    Arabic suffixes (pronouns, plurals, the accusative «ا»: «مسؤولين»,
    «فوزه», «مدركا») or verb and participle prefixes («مبارك», «يبارك»)
    in at least ``NATIVE_SHARE`` of its own count. After a
    final vowel letter only the pronoun suffixes count («الحوثيين» is the
    plural of a name's adjective)."""
    bare = strip_article(form)
    own = vocab.df(bare) + vocab.df("ال" + bare)
    if not own:
        return False
    vowel_end = bare.endswith(("ي", "ا", "و", "ه"))
    suffixes = ("ها", "هم") if vowel_end else NATIVE_SUFFIXES
    found = sum(vocab.df(bare + s) + vocab.df("ال" + bare + s) for s in suffixes)
    found += sum(vocab.df(p + bare) for p in NATIVE_PREFIXES)
    return found >= NATIVE_SHARE * own


def _candidates(latin: str, vocab) -> dict[str, float]:
    """{indexed form: alignment cost} for the Latin word."""
    found: dict[str, float] = {}
    for spelling in arabic_for_latin(latin):
        if vocab.df(spelling):
            found[spelling] = 0.0
    for key in skeleton_keys(latin):
        for form in vocab.variants_of_key(key):
            if form in found or strip_article(form) in STOPWORDS or _nisba(form, latin):
                continue
            cost = latin_cost(latin, form)
            if cost is not None and cost <= MAX_COST:
                found[form] = cost
    for i, (arabic, cost) in enumerate(arabic_candidates(latin)):
        if (i < _DIRECT or len(arabic) <= SHORT and cost <= SHORT_COST) and arabic not in found and cost <= MAX_COST:
            if arabic not in STOPWORDS and vocab.df(arabic):
                found[arabic] = cost
    trusted = set(arabic_for_latin(latin))
    if trusted and not found.keys() & trusted and place_spellings(latin) is None:
        # a person or country of the gazetteers that the archive never names in any of its
        # listed spellings: a guess would be another word («التكييف» for Tokayev, «توكاييف»)
        return {}
    found = {f: c for f, c in found.items() if f in trusted or _guess_allowed(f, latin)}
    # «هولندي» next to «هولند»: the adjective of a name the word also matched
    return {f: c for f, c in found.items() if not (f.endswith("ي") and f[:-1] in found)}


def _guess_allowed(form: str, latin: str) -> bool:
    """A guessed spelling does not spell (same ``skeleton``) the name of
    another country or place of the gazetteers («بلغراد», «بلجراد»:
    Belgrade, for «Belgorod»; «غزه» for «Giza») that aligns at least as
    well with that name's Latin word,
    and for a place of search/data/latin_places.json it only spells one of
    the place's own spellings with other vowel letters (the same
    ``skeleton``), with «ال» only if one of them has it: «الامن» is not
    Amman, «الالات» not Eilat, «مدينه» not Medina (whose name is
    two Arabic words), nothing is guessed for «Tyre» («صور» is a common
    word)."""
    bare = strip_article(form)
    others = exonym_owners(skeleton(bare)) - {latin}
    if others:
        cost = latin_cost(latin, form)
        if cost is None or any((c := latin_cost(o, form)) is not None and c <= cost for o in others):
            return False
    own = place_spellings(latin)
    if own is None:
        return True
    if form != bare and not any(s != strip_article(s) for s in own):  # «الالات» (machines) is not Eilat
        return False
    return skeleton(bare) in {skeleton(strip_article(s)) for s in own}


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
    return [s for s in extra + spellings if s not in excluded and strip_article(s) not in excluded][:MAX_SPELLINGS]


def _is_arabic(word: str) -> bool:
    return bool(word) and "\u0621" <= word[0] <= "\u064a"


def _choose(found: dict[str, float], vocab, trusted=frozenset()) -> list[str]:
    """``trusted``: the gazetteers' spellings of the word, kept however rare."""
    # one entry per name: «الناتو» and «ناتو» are the same spelling
    merged: dict[str, tuple[float, int, str]] = {}
    kept: set[str] = set()  # bare forms of trusted spellings
    for form, cost in found.items():
        bare = strip_article(form)
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
        # nothing common: a long spelling that aligns almost exactly is the name, however rare
        # («لوكاشينكو», one article in 10,000)
        rows = [r for bare, r in merged.items() if r[0] <= RARE_COST and len(bare) >= RARE_LEN]
    if not rows:
        return []
    rows = _drop_arabic_words(rows, vocab, kept)
    if not rows:
        return []
    top_df = max(r[1] for r in rows)
    rows = [r for r in rows if r[1] >= MIN_SHARE * top_df or strip_article(r[2]) in kept]
    # the frequent spellings set the bar: a rare cheap form never shuts out a common one
    best_cost = min(r[0] for r in rows if r[1] >= MAJOR_SHARE * top_df)
    near = [r for r in rows if r[0] <= best_cost + MARGIN + 1e-9]
    # a costlier reading that the archive mostly writes with «ال» is an Arabic noun («التوتر» for Twitter)
    near = [r for r in near if r[0] <= best_cost or _name_like(r[2], vocab)]
    rows = near + _vowel_variants(rows, near, vocab)
    rows.sort(key=lambda r: (-r[1], r[0], r[2]))
    rows = _drop_rare_others(rows, kept)
    return [r[2] for r in rows[:MAX_SPELLINGS]]


def _drop_rare_others(rows, kept):
    """``rows`` (most frequent first) without the guessed spellings under
    ``OTHER_SHARE`` of the first one's documents whose skeleton is none of
    the more frequent spellings': a rare spelling of the same name differs
    in vowel letters or within a sound class («ترمب», «جوجل»); a rare one
    that differs in a consonant is another word («افرين» next to «عفرين»,
    «تمس» next to «تايمز»)."""
    if not rows:
        return rows
    out, keys = [], set()
    for r in rows:
        bare = strip_article(r[2])
        key = skeleton(bare)
        if out and bare not in kept and key not in keys and r[1] < OTHER_SHARE * rows[0][1]:
            continue
        out.append(r)
        keys.add(key)
    return out


def _drop_arabic_words(rows, vocab, kept):
    """``rows`` without the guessed spellings that are Arabic words: one
    the index holds with Arabic suffixes (``_native``: «مسؤول» for Mosul);
    a common word of ``SHORT`` letters (in ``SHORT_COMMON`` of the
    documents) inside a longer spelling that writes one more vowel («كيف»
    next to «كييف», Kiev); one mostly written with «ال»
    while a spelling written without it aligns as well («الفوز» next to
    «فوكس», Fox), or at all when the former is common («الحالي» next to
    «هايلي», Haley). Gazetteer spellings (``kept``) stay."""
    def guessed(r):
        return strip_article(r[2]) not in kept

    rows = [r for r in rows if not (guessed(r) and (_native(r[2], vocab) or _conjunction(r[2], vocab)))]
    common = SHORT_COMMON * (vocab.doc_count or 0)
    rows = [r for r in rows if not (guessed(r) and len(strip_article(r[2])) <= SHORT and r[1] >= common and any(
        len(strip_article(o[2])) > len(strip_article(r[2])) and o[0] <= r[0] + MARGIN + 1e-9
        and _inside(strip_article(r[2]), strip_article(o[2])) for o in rows))]
    names = [r for r in rows if _name_like(r[2], vocab)]
    if names:
        best = min(r[0] for r in names)
        rows = [r for r in rows if not guessed(r) or r in names or (r[0] < best and r[1] < common)
                or any(_vowel_pair(strip_article(r[2]), strip_article(n[2])) for n in names)]
    return rows


def _vowel_pair(a: str, b: str) -> bool:
    """One spelling is the other with vowel letters added («الفايسبوك» and
    «فيسبوك»: the same name with the article)."""
    short, long = sorted((a, b), key=len)
    return skeleton(a) == skeleton(b) and _inside(short, long)


def _conjunction(form: str, vocab) -> bool:
    """«واطر» for «water» is «و» + «اطر» (frames): a form in «و»/«ف» whose
    rest the index holds at least as often is a word with a conjunction."""
    return len(form) >= 4 and form[0] in "وف" and vocab.df(form[1:]) >= max(vocab.df(form), 1)


def _inside(short: str, long: str) -> bool:
    """``short`` is ``long`` with letters left out («كيف» in «كييف»)."""
    it = iter(long)
    return all(c in it for c in short)


def _vowel_variants(rows, near, vocab):
    """Rows outside the cost margin that spell a chosen name with fewer vowel
    letters (the same ``skeleton``, 5 letters or more, the chosen spelling
    with letters left out: «كمبردج» for «كامبريدج», «ميونخ» for «ميونيخ»)
    and take «ال» as it does. A spelling with other or more vowel letters is
    another name («ماتياس» is not «ماتيس», «هاواي» not «هواوي»)."""
    anchors = {}
    for r in near:
        bare = strip_article(r[2])
        if len(bare) >= 5:
            anchors.setdefault(skeleton(bare), (_name_like(r[2], vocab), bare))
    out = []
    for r in rows:
        if r in near:
            continue
        bare = strip_article(r[2])
        key = skeleton(bare) if len(bare) >= 5 else None
        if key in anchors and _name_like(r[2], vocab) == anchors[key][0] and _inside(bare, anchors[key][1]):
            out.append(r)
    return out


def _name_like(form: str, vocab) -> bool:
    bare = strip_article(form)
    return vocab.df("ال" + bare) * 2 <= vocab.df(bare)


def latin_forms(spellings, vocab) -> list[str]:
    """The indexed exact forms of ``spellings``: each with and without the
    article and with the proclitics."""
    out: dict[str, None] = {}
    for spelling in spellings:
        bare = strip_article(spelling)
        if bare in STOPWORDS:  # «الكيف» is searched as it is, never as «كيف»
            bare = spelling
        for form in [bare, spelling] + [p + bare for p in CLITICS] + [a + bare for a in ARTICLE_CHAINS]:
            if form not in out and vocab.df(form):
                out[form] = None
    return list(out)
