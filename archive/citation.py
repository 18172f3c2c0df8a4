"""How to cite an archived article: the data, RIS and BibTeX (plain Python).

``Citation`` holds what a reference needs: outlet, title, author, date,
original URL, the permalink of the article page here and the date accessed.
``citation_for(article, permalink, accessed)`` builds it from an ``Article``
(only attribute access, so any object with those attributes will do);
``to_ris`` and ``to_bibtex`` write the two download formats:

- RIS (``TY  - NEWS``), lines ending in CRLF as the format asks, one value per
  line (line breaks inside a value become spaces);
- BibTeX (``@misc``, read by BibTeX and biblatex): the characters BibTeX
  and LaTeX treat specially (``\\ { } % & $ # _ ^ ~``) are escaped in text
  fields; URLs are kept verbatim except that braces, backslashes, quotes and
  spaces are percent-encoded (they cannot appear in a valid URL anyway).

``download_name`` gives the ASCII file name of a download. Both downloads are
UTF-8 text (Arabic is written as is).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import quote

ARCHIVE_NAME = "أرشيف الأخبار العربية"
RIS_TYPE = "NEWS"
RIS_CONTENT_TYPE = "application/x-research-info-systems; charset=utf-8"
BIBTEX_CONTENT_TYPE = "application/x-bibtex; charset=utf-8"
BIBTEX_KEY_PREFIX = "arabicnews"

_SPACE = re.compile(r"\s+")
_BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}
_BIBTEX_SPECIAL_RE = re.compile("|".join(re.escape(ch) for ch in _BIBTEX_SPECIALS))
_URL_UNSAFE_RE = re.compile(r'[{}\\"\s]')


@dataclass(frozen=True)
class Citation:
    key: str
    title: str
    outlet: str
    author: str
    published: dt.date | None
    url: str
    permalink: str
    accessed: dt.date


def one_line(text) -> str:
    """``text`` with every run of whitespace (line breaks too) as one space."""
    return _SPACE.sub(" ", str(text or "")).strip()


def citation_for(article, permalink: str, accessed: dt.date) -> Citation:
    source = getattr(article, "source", None)
    url = one_line(article.url)
    return Citation(
        key=f"{BIBTEX_KEY_PREFIX}{article.pk}",
        title=one_line(article.title),
        outlet=one_line(source.name) if source else "",
        author=one_line(getattr(article, "author", "")),
        published=article.published,
        url=url if url.lower().startswith(("http://", "https://")) else "",
        permalink=permalink,
        accessed=accessed,
    )


# --- RIS ---------------------------------------------------------------------------------

def _ris_date(day: dt.date) -> str:
    return f"{day:%Y/%m/%d}"


def to_ris(c: Citation) -> str:
    lines = [("TY", RIS_TYPE), ("TI", c.title)]
    if c.author:
        lines.append(("AU", c.author))
    if c.outlet:
        lines.append(("T2", c.outlet))
    if c.published:
        lines += [("PY", str(c.published.year)), ("DA", _ris_date(c.published))]
    lines += [("UR", c.url or c.permalink), ("LA", "ar"), ("DB", ARCHIVE_NAME)]
    if c.url:
        lines.append(("L2", c.permalink))  # the archived copy
    lines += [
        ("Y2", _ris_date(c.accessed)),
        ("N1", f"Archived copy: {c.permalink}"),
        ("ER", ""),
    ]
    return "".join(f"{tag}  - {one_line(value)}\r\n" for tag, value in lines)


# --- BibTeX ------------------------------------------------------------------------------

def bibtex_escape(text: str) -> str:
    """Text safe inside a BibTeX ``{…}`` value (LaTeX specials escaped)."""
    return _BIBTEX_SPECIAL_RE.sub(lambda m: _BIBTEX_SPECIALS[m.group(0)], one_line(text))


def bibtex_url(url: str) -> str:
    """A URL for a verbatim BibTeX field: unbalancing characters percent-encoded."""
    return _URL_UNSAFE_RE.sub(lambda m: quote(m.group(0), safe=""), url.strip())


def to_bibtex(c: Citation) -> str:
    fields = [("title", "{" + bibtex_escape(c.title) + "}")]  # double braces keep the case
    if c.author:
        fields.append(("author", "{" + bibtex_escape(c.author) + "}"))  # one name, never split on "and"
    if c.outlet:
        fields.append(("organization", bibtex_escape(c.outlet)))
    if c.published:
        fields += [("year", str(c.published.year)), ("date", c.published.isoformat())]
    archived = bibtex_url(c.permalink)
    fields += [
        ("url", bibtex_url(c.url or c.permalink)),
        ("urldate", c.accessed.isoformat()),
        ("language", "arabic"),
        ("note", f"{bibtex_escape(ARCHIVE_NAME)}, \\url{{{archived}}}"),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{c.key},\n{body}\n}}\n"


def download_name(c: Citation, extension: str) -> str:
    return f"{c.key}.{extension}"
