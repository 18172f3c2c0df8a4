"""Latin-script names on the dev half and the dev2 set (search.evaluation.latin_check).

    python manage.py check_latin --workdir /tmp/evalw/ix            # both sets
    python manage.py check_latin --workdir /tmp/evalw/ix --set dev2
"""
from django.core.management.base import BaseCommand

from search.evaluation.latin_check import SETS, check


class Command(BaseCommand):
    help = "Recall and precision@100 of Latin-script names (dev half, dev2) on an evaluate_search index."

    def add_arguments(self, parser):
        parser.add_argument("--workdir", required=True,
                            help="folder of an earlier evaluate_search run (its ours index is reused)")
        parser.add_argument("--set", choices=SETS, action="append", help="dev, dev2 (default both)")

    def handle(self, *args, **opts):
        check(opts["workdir"], sets=opts["set"] or SETS, log=self.stdout.write)
