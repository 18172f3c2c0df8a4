"""The user's query syntax: lexer and recursive-descent parser.

Syntax (Google-like):

- words are ANDed: ``بوتين أوكرانيا``;
- "quoted phrases" (also «…» and “…”): ``"الرئيس الروسي"``;
- ``-word`` / ``-"phrase"`` / ``-(group)`` excludes; ``NOT`` is the same;
- ``OR`` between two terms (binds tighter than the implicit AND):
  ``بوتين روسيا OR أوكرانيا`` = بوتين AND (روسيا OR أوكرانيا);
- parentheses group: ``(روسيا OR أوكرانيا) -بيلاروسيا``; ``AND`` is allowed
  and means nothing more than a space.

``clean_query(raw)`` checks and single-spaces the text; ``parse_tree(text)``
returns a small AST: ("word", s) ("phrase", s) ("not", node) ("and", [nodes])
("or", [nodes]). Malformed input raises ``QueryError`` with an Arabic message.
No Django, no Whoosh.
"""
from __future__ import annotations

import re
import unicodedata

MAX_QUERY_LENGTH = 500
MAX_TERMS = 40

MSG_TOO_LONG = f"الاستعلام طويل جدًا: الحد الأقصى {MAX_QUERY_LENGTH} حرف."
MSG_CONTROL = "الاستعلام يحوي محارف تحكم غير مسموح بها."
MSG_QUOTES = "علامات التنصيص غير متوازنة: أغلق العبارة بعلامة تنصيص."
MSG_OPEN_PAREN = "قوس مفتوح دون قوس يغلقه."
MSG_CLOSE_PAREN = "قوس إغلاق دون قوس يفتحه."
MSG_EMPTY_PARENS = "قوسان فارغان: ضع بينهما كلمة للبحث."
MSG_LONE_OR = "يجب أن تقع OR بين كلمتين، مثل: روسيا OR أوكرانيا."
MSG_LONE_MINUS = "علامة الاستبعاد (-) يجب أن تلتصق بالكلمة المستبعدة، مثل: -روسيا."
MSG_LONE_NOT = "يجب أن تتبع NOT كلمةً تريد استبعادها."
MSG_NO_WORDS = "الاستعلام لا يحوي كلمات يمكن البحث عنها"
MSG_ONLY_EXCLUDED = "أضف كلمة واحدة على الأقل للبحث عنها إلى جانب الكلمات المستبعدة."
MSG_TOO_MANY = f"الاستعلام يحوي كلمات كثيرة جدًا: الحد الأقصى {MAX_TERMS} كلمة."

_QUOTES = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "″": '"', "＂": '"'})
_SPACE_CONTROLS = {"\t", "\n", "\r"}


class QueryError(ValueError):
    """A query the user has to fix; ``message`` is Arabic and safe to show."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# --- lexer ------------------------------------------------------------------------

_WORD, _PHRASE, _OR, _AND, _NOT, _MINUS, _LPAREN, _RPAREN = (
    "WORD", "PHRASE", "OR", "AND", "NOT", "MINUS", "LPAREN", "RPAREN",
)
_SPECIAL = '"()'


def clean_query(raw: str) -> str:
    """The query text checked (no control characters, not too long), its
    quotes unified and its spaces collapsed."""
    if raw is None:
        return ""
    text = str(raw)
    for ch in text:
        if ch in _SPACE_CONTROLS:
            continue
        if unicodedata.category(ch) == "Cc":
            raise QueryError(MSG_CONTROL)
    text = text.translate(_QUOTES)
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(MSG_TOO_LONG)
    return text


def _lex(text: str):
    tokens = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch == '"':
            j = text.find('"', i + 1)
            if j < 0:
                raise QueryError(MSG_QUOTES)
            tokens.append((_PHRASE, text[i + 1:j]))
            i = j + 1
        elif ch == "(":
            tokens.append((_LPAREN, ch))
            i += 1
        elif ch == ")":
            tokens.append((_RPAREN, ch))
            i += 1
        elif ch == "-" and (i == 0 or text[i - 1].isspace() or text[i - 1] == "("):
            if i + 1 >= n or text[i + 1].isspace() or text[i + 1] == ")":
                # A lone "-" (or "--"): only an error if nothing else is there
                # to exclude; "a - b" reads as a dash between words.
                tokens.append((_MINUS, None))
            else:
                tokens.append((_MINUS, "-"))
            i += 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in _SPECIAL:
                j += 1
            word = text[i:j]
            if word == "OR":
                tokens.append((_OR, word))
            elif word == "AND":
                tokens.append((_AND, word))
            elif word == "NOT":
                tokens.append((_NOT, word))
            else:
                tokens.append((_WORD, word))
            i = j
    return tokens


# --- parser (recursive descent) → small AST -----------------------------------------------
# AST nodes: ("word", s) ("phrase", s) ("not", node) ("and", [nodes]) ("or", [nodes])


class _Parser:
    def __init__(self, tokens):
        self.tokens = tokens
        self.pos = 0

    def peek(self):
        return self.tokens[self.pos][0] if self.pos < len(self.tokens) else None

    def take(self):
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def parse(self):
        if not self.tokens:
            raise QueryError(MSG_NO_WORDS)
        node = self.and_expr(top=True)
        if self.pos < len(self.tokens):
            # Only a stray ")" can stop the top-level expression early.
            raise QueryError(MSG_CLOSE_PAREN)
        return node

    def and_expr(self, top=False):
        items = []
        while True:
            kind = self.peek()
            if kind is None:
                break
            if kind == _RPAREN:
                if top:
                    raise QueryError(MSG_CLOSE_PAREN)
                break
            if kind == _AND:
                self.take()
                if not items or self.peek() in (None, _RPAREN, _OR, _AND):
                    raise QueryError(MSG_LONE_OR.replace("OR", "AND"))
                continue
            if kind == _OR:
                raise QueryError(MSG_LONE_OR)
            items.append(self.or_expr())
        return ("and", items)

    def or_expr(self):
        items = [self.unary()]
        while self.peek() == _OR:
            self.take()
            if self.peek() in (None, _RPAREN, _OR, _AND):
                raise QueryError(MSG_LONE_OR)
            items.append(self.unary())
        return items[0] if len(items) == 1 else ("or", items)

    def unary(self):
        kind = self.peek()
        if kind == _MINUS:
            _k, value = self.take()
            if value is None:
                # A lone "-": ignore it if it separates words, else complain.
                if self.peek() in (None, _RPAREN, _OR, _AND):
                    raise QueryError(MSG_LONE_MINUS)
                return self.unary()
            if self.peek() in (None, _RPAREN, _OR, _AND, _MINUS, _NOT):
                raise QueryError(MSG_LONE_MINUS)
            return ("not", self.unary())
        if kind == _NOT:
            self.take()
            if self.peek() in (None, _RPAREN, _OR, _AND, _NOT):
                raise QueryError(MSG_LONE_NOT)
            return ("not", self.unary())
        return self.atom()

    def atom(self):
        kind = self.peek()
        if kind == _LPAREN:
            self.take()
            if self.peek() == _RPAREN:
                raise QueryError(MSG_EMPTY_PARENS)
            node = self.and_expr()
            if self.peek() != _RPAREN:
                raise QueryError(MSG_OPEN_PAREN)
            self.take()
            return node
        if kind in (_WORD, _PHRASE):
            k, value = self.take()
            return ("word" if k == _WORD else "phrase", value)
        if kind == _RPAREN:
            raise QueryError(MSG_CLOSE_PAREN)
        if kind == _OR:
            raise QueryError(MSG_LONE_OR)
        raise QueryError(MSG_NO_WORDS)


def parse_tree(text: str):
    """The AST of a cleaned query text (``clean_query``); raises QueryError."""
    return _Parser(_lex(text)).parse()
