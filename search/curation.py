"""The curator's view of one word's spellings (admin «تهجئات الأسماء»).

``spellings_of(word)`` lists what the public search adds to a word
(the same ``parse_query`` with the index vocabulary: automatic spellings,
transliterations of a Latin word, curated additions) and the pairs a
curator blocked, each with its article count (the spelling searched alone,
in quotes). ``block_pair`` and ``add_pair`` change the
``NameVariant`` table; every process follows within ``ALIAS_TTL`` seconds
(``search.query.curation``, ``search.query.expansion``), this one at once.
Views stay thin: ``search.admin`` calls these and writes the admin log.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from search import engines
from search.analysis import normalize
from search.models import NameVariant
from search.query import QueryError, parse_query
from search.query.expansion import alias_groups
from search.service import engine_result, parse_search_params

KIND_LABELS = {"automatic": "تلقائية", "curated": "مضافة", "blocked": "محظورة"}
MSG_ONE_WORD = "اكتب كلمة واحدة."


@dataclass
class SpellingRow:
    spelling: str
    kind: str  # automatic | curated | blocked
    count: int | None
    row: NameVariant | None = None  # the curated or blocked row, if any

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def clean_word(text: str) -> str:
    """One normalized word, or "" (raises nothing)."""
    words = normalize(text or "").split()
    return words[0][:100] if len(words) == 1 else ""


def article_count(spelling: str) -> int | None:
    """Articles holding ``spelling`` searched alone (quoted), or None when
    the search cannot answer."""
    try:
        return engine_result(parse_search_params({"q": f'"{spelling}"'}), limit=0).total
    except Exception:
        return None


def _pair_rows(word: str, **flags):
    return NameVariant.objects.filter(Q(canonical=word) | Q(spelling=word), **flags).order_by("-changed")


def searched_spellings(word: str) -> list[str]:
    """The spellings the public search adds to ``word`` now."""
    try:
        with engines.current().query_vocabulary() as (doc_frequency, vocabulary):
            parsed = parse_query(word, doc_frequency=doc_frequency, vocabulary=vocabulary)
    except QueryError:
        return []
    out = []
    for exp in parsed.expansions:
        out.extend(v for v in exp["variants"] if v not in out)
    return out


def spellings_of(word: str) -> list[SpellingRow]:
    """Rows for the admin tool (see module doc); ``word`` is ``clean_word``'d."""
    curated_rows = {}
    for row in _pair_rows(word, blocked=False):
        other = normalize(row.spelling if normalize(row.canonical) == word else row.canonical)
        curated_rows.setdefault(other, row)
    curated = set(alias_groups().get(word, ())) | set(curated_rows)
    rows = [SpellingRow(s, "curated" if s in curated else "automatic", article_count(s), curated_rows.get(s))
            for s in searched_spellings(word)]
    for row in _pair_rows(word, blocked=True):
        other = row.spelling if normalize(row.canonical) == word else row.canonical
        rows.append(SpellingRow(other, "blocked", article_count(other), row))
    return rows


def _user(user) -> str:
    return (getattr(user, "get_username", lambda: "")() or "")[:150]


def _set_pair(word: str, spelling: str, user, blocked: bool) -> NameVariant | None:
    """The curated row of ``word``/``spelling`` (both normalized), made or
    found, set to ``blocked``; None when ``spelling`` is not one word or is
    the word itself."""
    spelling = clean_word(spelling)
    if not spelling or spelling == word:
        return None
    row = _pair_rows(word).filter(Q(canonical=spelling) | Q(spelling=spelling)).first()
    if row is None:
        row = NameVariant(canonical=word, spelling=spelling)
    row.blocked = blocked
    row.changed_by = _user(user)
    row.save()
    return row


def block_pair(word: str, spelling: str, user) -> NameVariant | None:
    """Block the pair: a curated row of the pair becomes the block."""
    return _set_pair(word, spelling, user, blocked=True)


def add_pair(word: str, spelling: str, user) -> NameVariant | None:
    """Add ``spelling`` to ``word``'s spellings (a blocked pair is unblocked)."""
    return _set_pair(word, spelling, user, blocked=False)


def row_id(value) -> int | None:
    """A NameVariant id from a form value, or None."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
