from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """The project package as an app: it holds the shared rate counters."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "config"
    verbose_name = "الإعدادات"

    def ready(self):
        from config import middleware  # noqa: F401  (connects the login signals)
