"""python manage.py retag_articles — tag every article again after aliases or keywords change."""
from django.core.management.base import BaseCommand

from archive.importing import retag_articles
from archive.models import Article


class Command(BaseCommand):
    help = "Recompute country mentions, topics and people of all (or some) articles from their stored text."

    def add_arguments(self, parser):
        parser.add_argument("--source", help="only the articles of this outlet slug")
        parser.add_argument("--no-index", action="store_true", help="do not update the search index")

    def handle(self, *args, source=None, no_index=False, **options):
        articles = Article.objects.all()
        if source:
            articles = articles.filter(source__slug=source)
        count = retag_articles(articles)
        self.stdout.write(f"re-tagged {count} articles")
        if not no_index:
            from search.indexing import index_articles

            index_articles(list(articles.values_list("pk", flat=True)))
