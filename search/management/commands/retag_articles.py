"""python manage.py retag_articles (or ``retag``) — tag every article again
after aliases, places or topic rules change: both country levels and the
keyword topics, then the search index of the re-tagged articles.

It lives in ``search`` because it ends with indexing (``search.indexing``),
and ``archive`` never imports ``search`` beyond ``search.analysis``."""
import time

from django.core.management.base import BaseCommand

from archive.importing import retag_articles
from archive.models import Article
from search.indexing import index_articles


class Command(BaseCommand):
    help = "Recompute countries (about and mentioned), topics and people of all (or some) articles from their stored text."

    def add_arguments(self, parser):
        parser.add_argument("--source", help="only the articles of this outlet slug")
        parser.add_argument("--no-index", action="store_true", help="do not update the search index")

    def handle(self, *args, source=None, no_index=False, **options):
        articles = Article.objects.all()
        if source:
            articles = articles.filter(source__slug=source)
        started = time.perf_counter()
        # The command indexes the articles itself below (or, with --no-index,
        # leaves the index alone): no per-chunk articles_changed, which would
        # queue every article for a second indexing.
        count = retag_articles(articles, on_batch=lambda ids: None)
        self.stdout.write(f"re-tagged {count} articles in {time.perf_counter() - started:.1f} s")
        if not no_index:
            started = time.perf_counter()
            index_articles(list(articles.values_list("pk", flat=True)))
            self.stdout.write(f"re-indexed them in {time.perf_counter() - started:.1f} s")
