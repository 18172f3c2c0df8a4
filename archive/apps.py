from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "archive"
    verbose_name = "الأرشيف"

    def ready(self):
        from archive import dataversion

        dataversion.connect()
