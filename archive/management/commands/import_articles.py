"""python manage.py import_articles [PATH ...] — import scraped pages and corpus files."""
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from archive.importing import Importer


class Command(BaseCommand):
    help = (
        "Import articles from scraped .txt pages and JSON Lines files (gzipped or not). "
        "PATH may be files or folders; the default is seeds/. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="files or folders (default: seeds/)")
        parser.add_argument("--workers", type=int, default=None, help="cleaning processes (default: up to 2)")
        parser.add_argument("--limit", type=int, default=None, help="read at most N records per JSONL file")
        parser.add_argument("--no-index", action="store_true", help="do not update the search index")
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    def handle(self, *args, paths, workers, limit, no_index, no_progress, verbosity, **options):
        paths = paths or [str(settings.BASE_DIR / "seeds")]
        progress = None
        if not no_progress and verbosity > 0:
            from tqdm import tqdm

            progress = tqdm(unit=" articles", desc="import", file=sys.stderr, mininterval=0.5, disable=None)
        try:
            report = Importer(workers=workers, progress=progress, limit=limit).run(paths)
        finally:
            if progress is not None:
                progress.close()

        for problem in report.rejected:
            self.stderr.write(f"rejected: {problem.location}: {problem.reason}")
        self.stdout.write(
            f"created {report.created}, updated {report.updated}, unchanged {report.unchanged}, "
            f"duplicates {report.duplicates}, rejected {len(report.rejected)} "
            f"in {report.seconds:.1f} s ({report.rate:.0f} articles/s)"
        )
        if report.changed_ids and not no_index:
            from search.indexing import index_articles

            indexed = index_articles(report.changed_ids, progress=not no_progress and verbosity > 0)
            self.stdout.write(f"indexed {indexed} articles")
        if report.rejected:
            raise CommandError(f"{len(report.rejected)} input(s) rejected; every valid record was imported.")
