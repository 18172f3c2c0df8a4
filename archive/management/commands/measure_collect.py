"""python manage.py measure_collect — the collector's figures on generated pages.

- extraction quality: outlet pages built from corpus articles (navigation,
  ticker, comments, related links, share buttons, scripts); word recall and
  precision of the extracted body against the article's own text, for the
  extractor (trafilatura) and for the text cleaner (clean_scraped_text on
  the page's visible text);
- web archive speed: a gzipped WARC of ``--warc`` such pages imported through
  ``Importer`` (the ``import_articles`` path, without indexing) in one
  transaction that is rolled back, so the database is left as it was.
"""
import resource
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from archive.collect.measure import extraction_quality
from archive.collect.sample_pages import sample_pages, write_warc
from archive.importing import Importer


class _RollBack(Exception):
    pass


class Command(BaseCommand):
    help = "يقيس جودة استخراج النص من صفحات المصادر وسرعة استيراد أرشيف الويب (WARC)."

    def add_arguments(self, parser):
        parser.add_argument("--pages", type=int, default=200, help="pages for the quality measure (default 200)")
        parser.add_argument("--warc", type=int, default=1000, help="pages in the generated WARC (0: skip)")
        parser.add_argument("--corpus", default=str(settings.CORPUS_DIR / "articles.jsonl.gz"))
        parser.add_argument("--workers", type=int, default=None, help="import workers (default: up to 2)")

    def handle(self, *args, pages, warc, corpus, workers, **options):
        corpus = Path(corpus)
        if not corpus.exists():
            raise CommandError(f"corpus file not found: {corpus}")
        if pages:
            scores = extraction_quality(sample_pages(corpus, pages))
            for name, score in scores.items():
                self.stdout.write(f"{name:9} pages {score.pages} (failed {score.failed}): "
                                  f"recall {score.recall:.3f}, precision {score.precision:.3f}")
        if warc:
            with tempfile.TemporaryDirectory(prefix="measure-warc-") as folder:
                path = write_warc(Path(folder) / "pages.warc.gz", sample_pages(corpus, warc,
                                                                               base_url="http://measure.invalid"))
                size = path.stat().st_size
                started, cpu_started = time.perf_counter(), _cpu_seconds()
                try:
                    with transaction.atomic():
                        report = Importer(workers=workers).run([str(path)])
                        raise _RollBack
                except _RollBack:
                    pass
                seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu_started
            pages_done = report.processed + len(report.rejected)
            self.stdout.write(
                f"warc      {pages_done} pages ({size / 1e6:.1f} MB gzipped) imported in {seconds:.1f} s: "
                f"{pages_done / seconds:.0f} pages/s (created {report.created}, rejected {len(report.rejected)}; "
                f"rolled back); CPU {cpu:.1f} s in all processes = {pages_done / cpu:.0f} pages per CPU-second"
            )


def _cpu_seconds() -> float:
    """User + system CPU time of this process and its finished children
    (the import's worker pools): a figure that does not depend on what else
    the machine is running."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
