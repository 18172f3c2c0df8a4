"""Rebuild the Elasticsearch index without downtime (ELASTICSEARCH_URL set).

    python manage.py es_reindex              # new index, load, flip alias, drop old
    python manage.py es_reindex --keep-old   # keep the previous index (rollback)
    python manage.py es_reindex --print-body # print the index settings/mappings only
    python manage.py es_reindex --if-needed  # only if the index count differs (make run)

Searches use the alias (ELASTICSEARCH_INDEX) throughout and switch to the new
index in one atomic alias update (search.elastic.aliases). Articles changed
while the new index was loading are indexed again after the switch.
Run it after changing the analysis (a new NameVariant, protected names,
shards) or the mappings.
"""
import json
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from archive.batching import chunked
from archive.models import Article


def article_actions(backend, search_index, ids, batch_size=500, progress=None):
    """Bulk index actions of the visible articles ``ids``, read in batches."""
    done = 0
    for chunk in chunked(ids, batch_size):
        for obj in search_index.index_queryset().filter(pk__in=chunk):
            doc = backend.document(search_index, obj)
            yield {"_id": doc.pop("_id"), "_source": doc}
        done += len(chunk)
        if progress:
            progress(done, len(ids))


class Command(BaseCommand):
    help = "يعيد بناء فهرس Elasticsearch في فهرس جديد ثم ينقل الاسم المستعار إليه دون انقطاع."

    def add_arguments(self, parser):
        parser.add_argument("--keep-old", action="store_true", help="keep the previous index")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--print-body", action="store_true",
                            help="print the index settings and mappings as JSON and exit")
        parser.add_argument("--if-needed", action="store_true",
                            help="only when the index does not hold every visible article; then drain the queue")

    def handle(self, *args, keep_old=False, batch_size=500, print_body=False, if_needed=False, **options):
        from search import elastic

        if not elastic.enabled():
            raise CommandError("ELASTICSEARCH_URL is not set: the archive uses the Whoosh index "
                               "(rebuild it with rebuild_search_index).")
        from haystack import connections

        from search import indexing
        from search.elastic import aliases

        backend = connections["default"].get_backend()
        body = backend.index_body()
        if print_body:
            self.stdout.write(json.dumps(body, ensure_ascii=False, indent=2))
            return
        if if_needed and self.up_to_date(backend):
            drained = indexing.drain(timeout=30.0)
            self.stdout.write(f"search index up to date; indexed {drained} queued changes")
            return
        sidx = indexing.search_index()
        started = timezone.now()
        t0 = time.monotonic()
        ids = list(sidx.index_queryset().values_list("pk", flat=True))

        def progress(done, total):
            if done % (batch_size * 20) == 0 or done == total:
                self.stderr.write(f"{done}/{total}")

        try:
            summary = aliases.reindex(
                backend.conn, backend.index_name, body,
                article_actions(backend, sidx, ids, batch_size, progress),
                keep_old=keep_old, log=lambda m: self.stderr.write(m),
            )
        except Exception as exc:
            raise CommandError(f"reindex failed, the alias is unchanged: {type(exc).__name__}: {exc}") from exc
        backend.setup_complete = True
        # articles edited, added, hidden or deleted while the new index was loading
        changed = set(Article.objects.filter(updated__gte=started).values_list("pk", flat=True))
        changed |= set(ids) - set(sidx.index_queryset().values_list("pk", flat=True))
        if changed:
            indexing.index_articles(changed)
        self.stdout.write(
            f"indexed {summary['count']} articles into {summary['index']} in {time.monotonic() - t0:.1f}s; "
            f"alias {summary['alias']} -> {summary['index']}; "
            f"previous: {', '.join(summary['previous']) or '-'}; deleted: {', '.join(summary['deleted']) or '-'}; "
            f"re-indexed after the switch: {len(changed)}"
        )

    def up_to_date(self, backend) -> bool:
        visible = Article.objects.filter(is_hidden=False).count()
        try:
            backend.setup()
            backend.conn.indices.refresh(index=backend.index_name)
            indexed = backend.conn.count(index=backend.index_name)["count"]
        except Exception as exc:
            self.stderr.write(f"search index unreadable ({type(exc).__name__}: {exc}); rebuilding")
            return False
        return indexed == visible
