"""Make sure the search index exists and matches the database (``make run``).

Rebuilds when the index is missing, empty or holds a different number of
articles than the database shows; then drains any queued changes. Cheap when
everything is up to date. ``--force`` always rebuilds.
"""
import time

from django.core.management.base import BaseCommand

from archive.models import Article
from search import indexing


class Command(BaseCommand):
    help = "يتحقق من فهرس البحث ويبنيه إن كان ناقصًا."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="rebuild even if the index looks current")
        parser.add_argument("--procs", type=int, default=indexing.BULK_PROCESSES,
                            help="processes writing the index when it is rebuilt "
                                 "(default %(default)s, at most one per core)")

    def handle(self, *args, force=False, procs=indexing.BULK_PROCESSES, **options):
        from search import elastic

        if elastic.enabled():  # ELASTICSEARCH_URL: the cluster's index (search/elastic)
            from django.core.management import call_command

            return call_command("es_reindex", *([] if force else ["--if-needed"]))
        visible = Article.objects.filter(is_hidden=False).count()
        try:
            indexed = indexing.index_doc_count()
        except Exception as exc:  # unreadable index (e.g. an older schema): rebuild
            self.stderr.write(f"search index unreadable ({exc}); rebuilding")
            indexed = -1
        if force or indexed != visible:
            started = time.perf_counter()
            n = indexing.rebuild(processes=procs)
            self.stdout.write(f"search index built: {n} articles in {time.perf_counter() - started:.1f} s")
        else:
            self.stdout.write(f"search index up to date: {indexed} articles")
        indexing.drain_leftovers(self.stdout, self.stderr)
