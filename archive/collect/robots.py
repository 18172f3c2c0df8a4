"""robots.txt, fetched once per host per run and honoured (urllib.robotparser).

A missing robots.txt (4xx other than 401/403) allows everything; 401/403
forbid everything; a server error or network failure forbids the host for
this run (the pages are retried on a later run).
"""
from __future__ import annotations

import urllib.robotparser
from urllib.parse import urlsplit

from archive.collect.fetch import Fetcher

MAX_CRAWL_DELAY = 60.0  # seconds; a larger Crawl-delay is capped


class Robots:
    def __init__(self, fetcher: Fetcher):
        self.fetcher = fetcher
        self._parsers: dict[str, tuple[urllib.robotparser.RobotFileParser | None, str]] = {}

    def _for(self, url: str):
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
        if base not in self._parsers:
            result = self.fetcher.fetch(base + "/robots.txt")
            parser = urllib.robotparser.RobotFileParser()
            problem = ""
            if result.ok:
                parser.parse(result.body.decode("utf-8", "replace").splitlines())
            elif result.status in (401, 403):
                parser.disallow_all = True
                problem = f"robots.txt answered HTTP {result.status}"
            elif 400 <= result.status < 500:
                parser.allow_all = True
            else:
                parser = None
                problem = f"robots.txt unreachable ({result.error or result.status}); retried on a later run"
            self._parsers[base] = (parser, problem)
            delay = parser.crawl_delay(self.fetcher.user_agent) if parser is not None else None
            if delay is not None:
                self.fetcher.host_delays[(parts.hostname or "").lower()] = max(
                    self.fetcher.delay, min(float(delay), MAX_CRAWL_DELAY))
        return self._parsers[base]

    def check(self, url: str) -> str:
        """"" when ``url`` may be fetched, else why not."""
        parser, problem = self._for(url)
        if parser is None:
            return problem
        if not parser.can_fetch(self.fetcher.user_agent, url):
            return problem or "disallowed by robots.txt"
        return ""
