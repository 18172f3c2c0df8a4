"""Fixed-window rate counters shared by every web worker.

Why a table and not Django's cache: ``make serve`` runs several gunicorn
worker processes, so a per-process cache (locmem) would give each worker its
own counters and multiply every limit by the worker count. Django's
DatabaseCache would be shared, but its ``incr`` is a read-then-write that
loses hits under concurrency (a brute-force client sending requests in
parallel would slip through) and it needs ``createcachetable`` outside the
migrations. The ``RateCounter`` table is created by ``migrate`` like every
other table, and a hit is one atomic ``UPDATE ... SET count = count + 1``
on SQLite and PostgreSQL alike, so the count is exact across workers and
hosts. It also leaves ``CACHES`` free for other uses.

A window is a fixed slice of time aligned on multiples of its length: a limit
of N per W seconds lets at most N hits through per slice (2N across a slice
boundary in the worst case), which is enough against brute force and
scraping. Rows of past windows are deleted as new ones are created.
"""
from __future__ import annotations

import hashlib
import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.db.models import F


def now() -> float:
    """The clock (a function so tests can move time forward)."""
    return time.time()


@dataclass(frozen=True)
class Rate:
    limit: int
    window: int  # seconds

    @classmethod
    def parse(cls, value) -> "Rate | None":
        """``"120/60"`` -> 120 hits per 60 seconds; ``""``, ``"0"`` or ``"off"`` -> no limit."""
        if value is None:
            return None
        if isinstance(value, Rate):
            return value
        text = str(value).strip().lower()
        if text in {"", "0", "off", "none"}:
            return None
        try:
            limit, _, window = text.partition("/")
            rate = cls(int(limit), int(window or 60))
        except ValueError:
            raise ImproperlyConfigured(
                f"Invalid rate {value!r}: expected HITS/SECONDS, e.g. 120/60."
            ) from None
        if rate.limit < 1 or rate.window < 1:
            raise ImproperlyConfigured(f"Invalid rate {value!r}: both numbers must be positive.")
        return rate


@dataclass(frozen=True)
class Usage:
    count: int
    limit: int
    reset_at: float  # epoch seconds when the current window ends

    @property
    def exceeded(self) -> bool:
        return self.count > self.limit

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.count)

    def retry_after(self) -> int:
        """Whole seconds until the window ends (at least 1), for ``Retry-After``."""
        return max(1, int(-(-(self.reset_at - now()) // 1)))


def _bucket(scope: str, ident: str, rate: Rate, at: float) -> tuple[str, int]:
    start = int(at // rate.window) * rate.window
    digest = hashlib.sha256(ident.encode("utf-8")).hexdigest()[:40]
    return f"{scope}:{rate.window}:{start}:{digest}", start + rate.window


def hit(scope: str, ident: str, rate: Rate) -> Usage:
    """Count one hit for ``ident`` in the current window and return the usage."""
    from config.models import RateCounter

    at = now()
    bucket, expires_at = _bucket(scope, ident, rate, at)
    counters = RateCounter.objects.filter(bucket=bucket)
    if not counters.update(count=F("count") + 1):
        try:
            with transaction.atomic():
                RateCounter.objects.create(bucket=bucket, count=1, expires_at=expires_at)
        except IntegrityError:
            # Another worker created the row between our UPDATE and INSERT.
            counters.update(count=F("count") + 1)
        else:
            # A new window started for this client: drop the rows of past windows.
            RateCounter.objects.filter(expires_at__lte=int(at)).delete()
    count = counters.values_list("count", flat=True).first() or 1
    return Usage(count=count, limit=rate.limit, reset_at=expires_at)


def peek(scope: str, ident: str, rate: Rate) -> Usage:
    """The usage of ``ident`` in the current window, without counting a hit."""
    from config.models import RateCounter

    bucket, expires_at = _bucket(scope, ident, rate, now())
    count = RateCounter.objects.filter(bucket=bucket).values_list("count", flat=True).first() or 0
    return Usage(count=count, limit=rate.limit, reset_at=expires_at)


def reset(scope: str, ident: str, rate: Rate) -> None:
    """Forget the hits of ``ident`` in the current window."""
    from config.models import RateCounter

    bucket, _ = _bucket(scope, ident, rate, now())
    RateCounter.objects.filter(bucket=bucket).delete()


def client_ip(request) -> str:
    """The client address used as the rate-limit key.

    ``REMOTE_ADDR`` unless ``TRUSTED_PROXY_COUNT`` reverse proxies stand in
    front of the app, in which case the address that the outermost trusted
    proxy saw is read from ``X-Forwarded-For`` (never the client-supplied
    left end, which anyone can forge). IPv6 clients are keyed by their /64,
    since one host usually owns a whole /64.
    """
    address = request.META.get("REMOTE_ADDR", "") or ""
    hops = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if hops > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if forwarded:
            address = forwarded[-min(hops, len(forwarded))]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


# --- Arabic wording -----------------------------------------------------------

def _arabic_count(n: int, one: str, two: str, few: str, many: str) -> str:
    """Arabic counted noun after a preposition: 1, 2, 3-10, 11+."""
    if n == 1:
        return one
    if n == 2:
        return two
    if 3 <= n % 100 <= 10:
        return f"{n} {few}"
    return f"{n} {many}"


def arabic_duration(seconds: int) -> str:
    """``بعد ...``: seconds under a minute, otherwise whole minutes (rounded up)."""
    seconds = max(1, int(seconds))
    if seconds < 60:
        return _arabic_count(seconds, "ثانية واحدة", "ثانيتين", "ثوانٍ", "ثانية")
    minutes = -(-seconds // 60)
    return _arabic_count(minutes, "دقيقة واحدة", "دقيقتين", "دقائق", "دقيقة")
