"""Property tests (hypothesis) over the Arabic analysis package: hostile text.

Whatever Unicode comes in (Arabic letters with harakat, tatweel, hamza forms,
Arabic-Indic digits, ZWJ/ZWNJ, bidi marks, presentation-form ligatures,
combining marks of other scripts, very long words), the analysis never
raises, normalization is idempotent, token offsets point into the text at
the word they came from, stems are non-empty, and the plain pipeline and
the Whoosh analyzers agree. Runs are derandomized and keep no example
database, so CI sees the same examples every time.
"""
from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from search.analysis import (
    ArabicAnalyzer,
    ArabicExactAnalyzer,
    analyze,
    light_stem,
    normalize,
    strip_proclitics,
    tokenize,
    variant_key,
)
from search.analysis.normalization import normalize_token
from search.analysis.tokenization import TOKEN_RE

PROPS = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=150,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _chars(*ranges):
    return [chr(c) for lo, hi in ranges for c in range(lo, hi + 1)]


ARABIC_LETTERS = _chars((0x0621, 0x063A), (0x0641, 0x064A))
HARAKAT = _chars((0x064B, 0x0652), (0x0670, 0x0670))
TATWEEL = ["\u0640"]
HAMZA_FORMS = list("ءآأؤإئٱٲٳٵٶٷٸ") + ["\u0654", "\u0655", "\u0674"]
ARABIC_DIGITS = _chars((0x0660, 0x0669), (0x06F0, 0x06F9)) + list("٫٬")
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u061c", "\u202a", "\u202b",
             "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\ufeff", "\u00ad"]
PERSIAN = list("کڪیېےۓھہۀۃەپڤڥچژڨگ")
QURANIC = _chars((0x0610, 0x061A), (0x06D6, 0x06ED), (0x08D3, 0x08FF))
# Presentation forms: ligatures that NFKC expands («ﻻ», «ﷲ», «ﷺ» = four words).
PRESENTATION = ["\ufefb", "\ufef5", "\ufdf2", "\ufdfa", "\ufdfb", "\ufb50", "\ufe8d", "\ufeea", "\ufc5e"]
PUNCT = list(" .,،؛؟!-_«»\"'()[]/\\:\n\t") + ["\u00a0", "\u3000"]
OTHER = list("abcXYZ0123456789éß") + ["\u0301", "\u0308", "²", "½", "ﬁ", "Ⅻ", "𝐀", "İ", "ǅ"]

ARABIC_ALPHABET = (ARABIC_LETTERS * 4 + HARAKAT * 2 + TATWEEL + HAMZA_FORMS + ARABIC_DIGITS
                   + INVISIBLE + PERSIAN + QURANIC + PRESENTATION + PUNCT * 2 + OTHER)

any_unicode = st.text(st.characters(exclude_categories=("Cs",)), max_size=80)
arabic_heavy = st.text(st.sampled_from(ARABIC_ALPHABET), max_size=120)
long_word = st.text(st.sampled_from(ARABIC_LETTERS + HARAKAT + TATWEEL + ["\u200c", "\u200d"]),
                    min_size=300, max_size=3000)
hostile_text = st.one_of(
    any_unicode,
    arabic_heavy,
    arabic_heavy,
    long_word,
    st.lists(st.one_of(arabic_heavy, any_unicode), max_size=4).map(" ".join),
)

# Cases found or feared: mark/joiner-only strings, a ligature of four words,
# NFKC compositions made possible by removing a mark, a lone leading tatweel.
EXAMPLES = [
    "",
    "\u0640\u0640\u0640",
    "\u064b\u0651\u200d",
    "ﷺ",
    "محمد ﷺ ﻻ",
    "ا\u0653",  # alef + combining madda: NFKC composes «آ»
    "و\u0654\u0640",
    "\u0640روسيا",
    "رُوسيـــا\u200cو\u200dأوكرانيا",
    "١٢٣٫٥ ۱۲۳",
    "\u202eالسعودية\u202c",
    "x²",
    "İstanbul",
    "𝐀𝐁",
]


def with_examples(test=None, **fixed):
    """Add every EXAMPLES text as an explicit @example (``fixed``: the other arguments)."""
    def decorate(fn):
        for case in EXAMPLES:
            fn = example(text=case, **fixed)(fn)
        return fn

    return decorate(test) if test is not None else decorate


def on_hostile_text(test):
    """Run ``test(text)`` on drawn hostile text plus every EXAMPLES text."""
    return PROPS(given(hostile_text)(with_examples(test)))


# ------------------------------------------------------------------ normalize


@on_hostile_text
def test_normalize_never_raises_and_is_idempotent(text):
    once = normalize(text)
    assert isinstance(once, str)
    assert normalize(once) == once
    assert normalize(text) == once  # deterministic


@on_hostile_text
def test_normalize_token_parts_are_normalized_words(text):
    parts = normalize_token(text)
    assert isinstance(parts, tuple)
    for part in parts:
        assert part and not any(ch.isspace() for ch in part)
        assert normalize(part) == part


# ------------------------------------------------------------------- tokenize


@on_hostile_text
def test_tokenize_offsets_point_at_the_surface_word(text):
    previous_end = 0
    for surface, start, end in tokenize(text):
        assert 0 <= previous_end <= start < end <= len(text)
        assert text[start:end] == surface
        previous_end = end
    assert list(tokenize(text)) == list(tokenize(text))


# ---------------------------------------------------------------- light_stem


@on_hostile_text
def test_light_stem_and_clitics_on_every_normalized_word(text):
    for word in normalize(text).split():
        stem = light_stem(word)
        assert stem, word
        assert len(stem) <= len(word)
        assert light_stem(word) == stem
        # strip_proclitics only ever removes a prefix, even when it knows everything
        for known in (lambda w: True, lambda w: False):
            rest = strip_proclitics(word, known)
            assert rest and word.endswith(rest)
        assert isinstance(variant_key(word), str)


@PROPS
@given(st.lists(st.sampled_from(ARABIC_LETTERS + ["ال", "وال", "لل", "ها", "ات", "ين", "ون", "ان", "ه", "ستان"]),
                min_size=1, max_size=8).map("".join))
def test_light_stem_on_affix_heavy_words(word):
    word = normalize(word)
    stem = light_stem(word)
    assert stem and len(stem) <= len(word)
    # the stem is the word less affixes, except «لل…» → «ال…» for protected names
    assert stem in word or (stem.startswith("ال") and word.endswith(stem[2:]))


# -------------------------------------------------------------------- analyze


@PROPS
@given(text=hostile_text, stem=st.booleans(), stopwords=st.booleans())
@with_examples(stem=True, stopwords=True)
def test_analyze_offsets_inside_text_and_terms_from_their_surface(text, stem, stopwords):
    tokens = analyze(text, stem=stem, stopwords=stopwords)
    last_pos = -1
    for token in tokens:
        assert 0 <= token.start < token.end <= len(text)
        surface = text[token.start:token.end]
        assert TOKEN_RE.fullmatch(surface), (surface, token)
        words = normalize_token(surface)
        expected = {light_stem(w) for w in words} if stem else set(words)
        assert token.text in expected
        assert token.text
        assert token.pos >= last_pos
        last_pos = token.pos
    assert analyze(text, stem=stem, stopwords=stopwords) == tokens  # deterministic


@on_hostile_text
def test_whoosh_analyzers_agree_with_analyze(text):
    full = [(t.text, t.startchar, t.endchar, t.pos)
            for t in ArabicAnalyzer()(text, positions=True, chars=True)]
    assert full == [tuple(t) for t in analyze(text)]
    exact = [(t.text, t.startchar, t.endchar, t.pos)
             for t in ArabicExactAnalyzer()(text, positions=True, chars=True)]
    assert exact == [tuple(t) for t in analyze(text, stem=False, stopwords=False)]
    # query mode analyses the same way (documents and queries agree)
    assert [t.text for t in ArabicAnalyzer()(text, mode="query")] == [t[0] for t in full]


@PROPS
@given(long_word)
def test_very_long_words_are_one_token_each(word):
    text = f"{word} {word}"
    tokens = list(tokenize(text))
    # joiners and marks stay inside the word; the space splits the two copies
    assert len(tokens) % 2 == 0
    half = len(tokens) // 2
    assert [s for s, _, _ in tokens[:half]] == [s for s, _, _ in tokens[half:]]
    assert all(text[s:e] == w for w, s, e in tokens)
