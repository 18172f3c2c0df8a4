from django.apps import AppConfig


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    verbose_name = "البحث"

    def ready(self):
        from search import labels  # noqa: F401  (connects the label cache's signals)
        from search.indexing import receivers
        from search.latin_gazetteer import register_latin_source
        from search.people import person_latin_pairs

        receivers.connect()
        register_latin_source(person_latin_pairs)  # people's Latin names for Latin-letter queries
