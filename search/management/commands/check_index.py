"""Compare the search index with the database; repair drift with --fix.

    python manage.py check_index           # report; exit 1 on drift, 2 if unreadable,
                                           # 3 if the database is unavailable
    python manage.py check_index --fix     # re-index/remove drifting ids, or
                                           # rebuild an unreadable index
    python manage.py check_index --quick   # ids only (no dates/facets)
    python manage.py check_index --json    # the report as JSON on stdout

See search/consistency.py for what is compared.
"""
import json

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from search.indexing import consistency


class Command(BaseCommand):
    help = "يقارن فهرس البحث بقاعدة البيانات ويصلح الفرق مع --fix."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="repair the drift that was found")
        parser.add_argument("--quick", action="store_true",
                            help="compare ids only, not dates, sources, countries and topics")
        parser.add_argument("--json", action="store_true", help="print the report(s) as JSON")
        parser.add_argument("--timeout", type=float, default=None,
                            help="seconds to wait for the index write lock (default: the backend's)")

    def handle(self, *args, **options):
        try:
            self._check(**options)
        except DatabaseError as exc:
            raise CommandError(f"database unavailable ({type(exc).__name__}: {exc}); "
                               "nothing was compared or changed", returncode=3) from exc

    def _check(self, *, fix=False, quick=False, json=False, timeout=None, **options):
        as_json = json
        report = consistency.compare(deep=not quick)
        out = {"before": report.as_dict()}
        self._print(report, as_json)
        if fix and not report.ok:
            result = consistency.repair(report, timeout=timeout)
            out["repair"] = {"action": result.action, "count": result.count, "queued": result.queued,
                             "seconds": round(result.seconds, 2)}
            if not as_json:
                queued = f" ({result.queued} left queued: the index was busy)" if result.queued else ""
                self.stdout.write(f"repair: {result.action} {result.count}{queued} in {result.seconds:.1f} s")
            report = consistency.compare(deep=not quick)
            out["after"] = report.as_dict()
            self._print(report, as_json, prefix="after repair: ")
        if as_json:
            self.stdout.write(_json_dumps(out))
        if report.unreadable:
            raise CommandError("search index unreadable; run: python manage.py check_index --fix "
                               "(or python manage.py rebuild_search_index)", returncode=2)
        if not report.ok:
            hint = "" if fix else " (run with --fix to repair)"
            raise CommandError(f"index and database differ{hint}", returncode=1)

    def _print(self, report, as_json, prefix=""):
        if as_json:
            return
        for line in report.summary_lines():
            self.stdout.write(prefix + line)
        if report.ok:
            self.stdout.write(self.style.SUCCESS(
                f"{prefix}index matches the database ({report.indexed} articles, {report.seconds:.1f} s)"))


def _json_dumps(data):
    return json.dumps(data, ensure_ascii=False, default=list)
