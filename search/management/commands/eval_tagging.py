"""python manage.py eval_tagging — precision and recall of the country levels
(about, mentioned) and of the mission topics on the labelled articles
(search/evaluation/data/*_labelled.json), dev and test halves (``make eval``).

    python manage.py eval_tagging             # the table
    python manage.py eval_tagging --errors    # and the dev half's mistakes
"""
from django.core.management.base import BaseCommand, CommandError

from archive.importing import build_matchers
from search.evaluation.corpus import corpus_available, corpus_dir
from search.evaluation.tagging import (
    COUNTRIES_FILE,
    DATA,
    TOPICS_FILE,
    format_report,
    labelled_topics,
    load_labelled,
    score_countries,
    score_topics,
)


class Command(BaseCommand):
    help = "Precision/recall of the about/mentioned countries and the topics on the labelled articles."

    def add_arguments(self, parser):
        parser.add_argument("--corpus", help="corpus folder (default settings.CORPUS_DIR)")
        parser.add_argument("--errors", action="store_true", help="list the dev half's mistakes")

    def handle(self, *args, corpus=None, errors=False, **options):
        if not corpus_available(corpus):
            raise CommandError(f"corpus not found in {corpus_dir(corpus)}")
        country_matcher, topic_matcher = build_matchers()
        articles = load_labelled(COUNTRIES_FILE, corpus)
        countries = score_countries(country_matcher, articles, country_matcher.homes)
        topics = None
        if (DATA / TOPICS_FILE).exists():
            topic_articles = load_labelled(TOPICS_FILE, corpus)
            topics = score_topics(topic_matcher, topic_articles, labelled_topics())
        self.stdout.write(f"{len(articles)} labelled articles (countries)")
        self.stdout.write(format_report(countries, topics))
        if errors:
            for article_id, level, missing, extra in countries["errors"]:
                self.stdout.write(f"  {article_id} {level}: missing {missing} extra {extra}")
