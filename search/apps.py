from django.apps import AppConfig


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    verbose_name = "البحث"

    def ready(self):
        from search import labels  # noqa: F401  (connects the label cache's signals)
        from search.indexing import receivers

        receivers.connect()
