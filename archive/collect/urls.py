"""Canonical URLs: the identity of a collected page.

Two links to the same article (tracking parameters, a fragment, upper-case
host, default port) give the same canonical URL, hence the same article.
"""
from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

# Query parameters that only track where a reader came from.
TRACKING_PARAMS = frozenset({
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id",
    "fbclid", "gclid", "dclid", "mc_cid", "mc_eid", "ref", "ref_src", "ocid", "cmpid", "xtor", "at_medium",
    "at_campaign", "amp",
})
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Article.origin holds at most 255 characters.
ORIGIN_MAX = 255


def is_web_url(url: str) -> bool:
    return isinstance(url, str) and url.strip().lower().startswith(("http://", "https://"))


def canonical_url(url: str) -> str:
    """``url`` in canonical form ("" when it is not an http(s) URL)."""
    if not is_web_url(url):
        return ""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        return ""
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    path = quote(unquote(parts.path or "/"), safe="/%:@!$&'()*+,;=-._~")
    query = urlencode(sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS
    ))
    return urlunsplit((scheme, netloc, path, query, ""))


def origin_for(url: str) -> str:
    """The ``Article.origin`` of a page: its canonical URL, or when longer
    than the column its start and a hash of the whole."""
    canon = canonical_url(url) or url
    if len(canon) <= ORIGIN_MAX:
        return canon
    digest = hashlib.sha1(canon.encode("utf-8")).hexdigest()
    return f"{canon[:ORIGIN_MAX - 41]}#{digest}"


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()
