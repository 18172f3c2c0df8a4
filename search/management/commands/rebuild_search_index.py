"""Rebuild the search index from the database (one commit).

    python manage.py rebuild_search_index              # always rebuild
    python manage.py rebuild_search_index --if-needed  # only if the index does
                                                       # not match the database
    python manage.py rebuild_search_index --procs 1    # one process (default:
                                                       # one per core, up to 2)
Searches keep using the old index until the new one is committed.
haystack's ``rebuild_index``/``update_index`` work too.
"""
import time

from django.core.management.base import BaseCommand

from archive.models import Article
from search import indexing


class Command(BaseCommand):
    help = "يعيد بناء فهرس البحث من قاعدة البيانات."

    def add_arguments(self, parser):
        parser.add_argument("--if-needed", action="store_true",
                            help="skip when the index already holds every visible article")
        parser.add_argument("--procs", type=int, default=indexing.BULK_PROCESSES,
                            help="processes writing the index (default %(default)s, at most one per core)")
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, if_needed=False, procs=indexing.BULK_PROCESSES, batch_size=1000, **options):
        from search import elastic

        if elastic.enabled():  # ELASTICSEARCH_URL: zero-downtime rebuild of the cluster's index
            from django.core.management import call_command

            return call_command("es_reindex", *(["--if-needed"] if if_needed else []))
        if if_needed:
            visible = Article.objects.filter(is_hidden=False).count()
            indexed = indexing.index_doc_count()
            if visible == indexed and not indexing.pending():
                self.stdout.write(f"search index up to date ({indexed} articles)")
                return
        started = time.perf_counter()
        verbose = options["verbosity"] > 1

        def progress(done, total):
            if verbose:
                self.stdout.write(f"  {done}/{total}")

        n = indexing.rebuild(batch_size=batch_size, progress=progress, processes=procs)
        self.stdout.write(self.style.SUCCESS(
            f"search index rebuilt: {n} articles in {time.perf_counter() - started:.1f} s"
        ))
