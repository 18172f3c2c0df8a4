"""Elasticsearch/OpenSearch index settings and mappings (plain Python, no Django).

``index_body(...)`` returns the body of ``PUT /<index>``: analysis settings,
shards/replicas/refresh interval and the field mappings. Every input comes in
as a plain list or dict, so tests can build it without a database.

The analysis chain mirrors ``search.analysis`` (tokenize → normalize → stop →
light stem) with the built-in pieces of Elasticsearch 7 / OpenSearch (the
7.10 API, no plugin needed):

- char filter ``archive_normalize`` (type ``mapping``): OUR normalization
  table (``normalization_rules()``: harakat and invisible marks removed, alef
  forms → «ا», «ى» → «ي», «ة» → «ه», «ؤ ئ» → «ء», Persian letters, Eastern
  digits, the NFKC folding of the Arabic presentation forms and of the
  decomposed hamza sequences), so Elasticsearch sees the same letters as our
  analyzer;
- char filter ``archive_word_breaks`` (``pattern_replace``): a space where
  our tokenizer splits but Unicode word breaks would not (letter/digit,
  «.» or «,» between letters);
- tokenizer ``standard``; filters ``lowercase``, ``decimal_digit``,
  ``arabic_normalization`` (a no-op after the char filter, kept as a safety
  net), ``archive_stop`` (our stopword list);
- ``archive_names`` (``stemmer_override``): each protected name (gazetteer,
  curated spellings, ``protected_names.txt``) and its proclitic/article forms
  map to the bare name and are kept from the stemmer («وروسيا», «لروسيا»,
  «والكرملين» → the name), which is what our stemmer guard plus the query's
  proclitic expansion achieve;
- search analyzer only: ``archive_aliases`` (``synonym_graph``): one rule per
  curated name-spelling group («فاغنر, فاجنر, واغنر»);
- ``archive_protected`` (``keyword_marker``) then ``arabic_stemmer``
  (``stemmer``, language ``arabic``: Lucene's Light10-like ArabicStemmer).

Fields: ``text``/``title`` use that chain, each with an ``exact`` subfield
(normalized, unstemmed, stopwords kept: exact-wording boosts); facet fields
are ``keyword``; ``day`` (YYYYMMDD) and ``article_id`` are integers.
"""
from __future__ import annotations

import unicodedata

from search.analysis.clitics import ARTICLES, CLITICS

DEFAULT_SHARDS = 1
DEFAULT_REPLICAS = 0
DEFAULT_REFRESH_INTERVAL = "1s"

ANALYZER = "arabic_archive"  # index time
SEARCH_ANALYZER = "arabic_archive_search"  # query time: + curated spellings
EXACT_ANALYZER = "arabic_archive_exact"  # normalized only

DROPPED_FIELDS = ("text_exact",)  # replaced by the ``text.exact`` subfield

# Proclitics and article forms whose combination with a protected name maps
# to the name: search.analysis.clitics (CLITICS, ARTICLES).

# Code points whose normalized form is checked when building the char filter:
# the Arabic blocks, Arabic presentation forms, invisible format characters and
# the spaces and punctuation NFKC folds,
# full-width forms (NFKC) and the combining marks our normalizer removes.
_CANDIDATE_RANGES = (
    (0x00A0, 0x00AD),
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x0870, 0x08FF),
    (0x2000, 0x206F),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
    (0xFF01, 0xFF5E),
)


# Characters the standard tokenizer (Unicode word breaks, UAX #29) keeps
# inside a word («و’ابلغ», «a:b») while our tokenizer splits there: mapped to
# a space. «.» and «,» are left alone (both keep «3.5» and «1,000» whole).
WORD_BREAKS = "'`:_\uFF3F\u00B7\u02BC\u0387\u05F4\u2018\u2019\u201B\u2024\u2027\uFE13\uFE52\uFE55\uFF07\uFF1A"

# UAX #29 also joins letters and digits («و6», «2023م») and letters around
# «.» or «,» («العربيه.نت»); ours never does: a pattern_replace char filter
# puts a space there (after the mapping, so digits are ASCII already).
WORD_BREAK_PATTERN = r"(?<=\p{L})(?=\p{Nd})|(?<=\p{Nd})(?=\p{L})|(?<=\p{L})[.,](?=\p{L})"
CHAR_FILTERS = ["archive_normalize", "archive_word_breaks"]


def apply_char_filters(rules: dict[str, str], text: str) -> str:
    """Both char filters, in order, as Elasticsearch applies them."""
    import regex

    return regex.sub(WORD_BREAK_PATTERN, " ", apply_mapping(rules, text))


def _escape(text: str) -> str:
    """A mapping-rule side, every non-ASCII-alphanumeric char as \\uXXXX."""
    out = []
    for ch in text:
        if ch.isascii() and ch.isalnum():
            out.append(ch)
        else:
            out.append("\\u%04X" % ord(ch))
    return "".join(out)


def normalization_rules(normalize=None) -> dict[str, str]:
    """{source: replacement} so that applying them (``apply_mapping``), then
    lower-casing, gives ``normalize(text)`` for Arabic text (``WORD_BREAKS``
    become spaces: the same tokens, see above).

    Derived from ``search.analysis.normalize`` itself, one code point at a
    time, plus the decomposed forms NFKC would compose (alef/waw/yeh + a
    combining hamza or madda) where removing the mark alone would differ.
    """
    if normalize is None:
        from search.analysis.normalization import normalize
    rules: dict[str, str] = {}
    for lo, hi in _CANDIDATE_RANGES:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            if unicodedata.category(ch) == "Cn":
                continue
            target = normalize(ch)
            if target != ch and target != ch.lower():
                rules[ch] = target
    for ch in WORD_BREAKS:
        rules[ch] = " "
    # decomposed sequences: «و» + U+0654 is «ؤ» for NFKC, hence «ء», while
    # dropping the mark alone would leave «و».
    for cp in range(0x0622, 0x06D4):
        ch = chr(cp)
        seq = unicodedata.normalize("NFD", ch)
        if len(seq) > 1:
            target = normalize(ch)
            if apply_mapping(rules, seq) != target:
                rules[seq] = target
    return rules


def apply_mapping(rules: dict[str, str], text: str) -> str:
    """What a ``mapping`` char filter does with ``rules``: left to right,
    the longest matching source at each position is replaced."""
    if not rules:
        return text
    longest = max(len(k) for k in rules)
    out = []
    i, n = 0, len(text)
    while i < n:
        for size in range(min(longest, n - i), 0, -1):
            rep = rules.get(text[i:i + size])
            if rep is not None:
                out.append(rep)
                i += size
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def mapping_lines(rules: dict[str, str]) -> list[str]:
    """Rules in the ``mappings`` syntax of the char filter (sorted)."""
    return [f"{_escape(src)} => {_escape(dst)}" for src, dst in sorted(rules.items())]


def parse_mapping_lines(lines) -> dict[str, str]:
    """The inverse of ``mapping_lines`` (the char filter's own parsing)."""
    rules = {}
    for line in lines:
        src, _, dst = line.partition("=>")
        rules[_unescape(src.strip())] = _unescape(dst.strip())
    return rules


def _unescape(text: str) -> str:
    out = []
    i = 0
    while i < len(text):
        if text[i] == "\\" and text[i + 1:i + 2] == "u":
            out.append(chr(int(text[i + 2:i + 6], 16)))
            i += 6
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def synonym_rules(groups) -> list[str]:
    """One equivalence rule per group of spellings (normalized, single words,
    at least two), e.g. ``"فاغنر, فاجنر, واغنر"``; sorted, deduplicated."""
    rules = set()
    for group in groups:
        words = sorted({w.strip() for w in group if w and w.strip() and " " not in w.strip()})
        if len(words) >= 2:
            rules.add(", ".join(words))
    return sorted(rules)


def name_overrides(protected, light_stem=None) -> list[str]:
    """``stemmer_override`` rules: each protected name and its proclitic and
    article forms → the name («وروسيا => روسيا», «للكرملين => الكرملين»).

    A form is mapped only when our stemmer would give the name for it, or it
    is a proclitic + the name (the query side's proclitic expansion); «ك»
    chains are left out for names of four letters or less, as in
    ``search.query.expansion``.
    """
    if light_stem is None:
        from search.analysis import light_stem
    names = sorted({p for p in protected if p and " " not in p and "=>" not in p and "," not in p})
    target: dict[str, str] = {}
    for name in names:
        target.setdefault(name, name)
    for name in names:
        core = name[2:] if name.startswith("ال") and len(name) >= 5 else name
        short = len(core) <= 4
        for form in (c + name for c in CLITICS if not (short and "ك" in c)):
            target.setdefault(form, name)  # never re-target a protected word itself
        for form in (a + core for a in ARTICLES):
            if form not in target and light_stem(form) == name:
                target[form] = name
    return [f"{src} => {dst}" for src, dst in sorted(target.items())]


def analysis(*, protected=(), alias_groups=(), stopwords=(), normalize=None, light_stem=None) -> dict:
    """The ``settings.analysis`` section (see the module docstring)."""
    keywords = sorted({p for p in protected if p and " " not in p}
                      | {w for g in alias_groups for w in g if w and " " not in w})
    common = ["lowercase", "decimal_digit", "arabic_normalization"]
    stemmed_tail = ["archive_stop", "archive_names"]
    finish = ["archive_protected", "arabic_stemmer"]
    filters = {
        "archive_stop": {"type": "stop", "stopwords": sorted(set(stopwords)) or "_none_"},
        "archive_names": {"type": "stemmer_override",
                          "rules": name_overrides(protected, light_stem) or ["_ => _"]},
        "archive_aliases": {"type": "synonym_graph", "lenient": True,
                            "synonyms": synonym_rules(alias_groups)},
        "archive_protected": {"type": "keyword_marker", "keywords": keywords or ["_"]},
        "arabic_stemmer": {"type": "stemmer", "language": "arabic"},
    }
    search_filters = common + stemmed_tail + (["archive_aliases"] if filters["archive_aliases"]["synonyms"]
                                              else []) + finish
    return {
        "char_filter": {
            "archive_normalize": {"type": "mapping", "mappings": mapping_lines(normalization_rules(normalize))},
            "archive_word_breaks": {"type": "pattern_replace", "pattern": WORD_BREAK_PATTERN, "replacement": " "},
        },
        "filter": filters,
        "analyzer": {
            ANALYZER: {"type": "custom", "char_filter": list(CHAR_FILTERS), "tokenizer": "standard",
                       "filter": common + stemmed_tail + finish},
            SEARCH_ANALYZER: {"type": "custom", "char_filter": list(CHAR_FILTERS), "tokenizer": "standard",
                              "filter": search_filters},
            EXACT_ANALYZER: {"type": "custom", "char_filter": list(CHAR_FILTERS), "tokenizer": "standard",
                             "filter": list(common)},
        },
    }


def text_mapping() -> dict:
    """A stemmed Arabic text field with its ``exact`` subfield."""
    return {
        "type": "text",
        "analyzer": ANALYZER,
        "search_analyzer": SEARCH_ANALYZER,
        "fields": {"exact": {"type": "text", "analyzer": EXACT_ANALYZER}},
    }


FIELD_TYPES = {
    # haystack field_type -> mapping
    "arabic_text": text_mapping,
    "facet_id": lambda: {"type": "keyword"},
    "facet_keyword": lambda: {"type": "keyword"},
    "sortable_int": lambda: {"type": "integer"},
    "day": lambda: {"type": "integer"},
    "integer": lambda: {"type": "long"},
    "float": lambda: {"type": "float"},
    "boolean": lambda: {"type": "boolean"},
    "date": lambda: {"type": "date"},
    "datetime": lambda: {"type": "date"},
}


def properties(fields) -> dict:
    """Mappings of the haystack fields given as {index_fieldname: field_type}.

    ``text_exact`` is not mapped: ``text.exact`` is the same words, unstemmed.
    Unknown types are Arabic text (never English-stemmed).
    """
    props = {
        "django_ct": {"type": "keyword"},
        "django_id": {"type": "keyword"},
        "id": {"type": "keyword"},
    }
    for name, field_type in fields.items():
        if name in DROPPED_FIELDS or field_type == "arabic_exact":
            continue
        props[name] = FIELD_TYPES.get(field_type, text_mapping)()
    return props


def index_settings(*, shards=DEFAULT_SHARDS, replicas=DEFAULT_REPLICAS,
                   refresh_interval=DEFAULT_REFRESH_INTERVAL) -> dict:
    shards, replicas = int(shards), int(replicas)
    if shards < 1 or replicas < 0:
        raise ValueError("shards must be >= 1 and replicas >= 0")
    return {
        "number_of_shards": shards,
        "number_of_replicas": replicas,
        "refresh_interval": str(refresh_interval),
    }


def index_body(fields, *, protected=(), alias_groups=(), stopwords=(), shards=DEFAULT_SHARDS,
               replicas=DEFAULT_REPLICAS, refresh_interval=DEFAULT_REFRESH_INTERVAL,
               normalize=None, light_stem=None) -> dict:
    """The whole ``PUT /<index>`` body.

    ``fields``: {index_fieldname: haystack field_type}; ``protected``:
    normalized names kept from the stemmer; ``alias_groups``: iterables of
    normalized spellings of one name; ``stopwords``: normalized stopwords.
    """
    return {
        "settings": {
            "index": index_settings(shards=shards, replicas=replicas, refresh_interval=refresh_interval),
            "analysis": analysis(protected=protected, alias_groups=alias_groups, stopwords=stopwords,
                                 normalize=normalize, light_stem=light_stem),
        },
        "mappings": {
            # the long text is searched, never shown from here (snippets come
            # from the database): keep it out of _source
            "_source": {"excludes": ["text", "text_exact"]},
            "properties": properties(fields),
        },
    }
