"""python manage.py load_reference_data — add missing countries, topics, outlets, people and collections from archive/data."""
from django.core.management.base import BaseCommand

from archive.importing.gazetteer import load_reference_data
from archive.importing.people_data import load_collections, load_people


class Command(BaseCommand):
    help = "Create the countries, topics and outlets of archive/data/*.json that are not in the database yet."

    def handle(self, *args, **options):
        load_reference_data()
        load_people()
        load_collections()
        self.stdout.write("reference data loaded")
