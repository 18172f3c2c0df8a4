"""Admin for the editable name spellings used by query expansion."""
from django.contrib import admin
from django.db.models.signals import post_delete, post_save

from search.models import NameVariant
from search.query.expansion import invalidate_aliases


@admin.register(NameVariant)
class NameVariantAdmin(admin.ModelAdmin):
    list_display = ("canonical", "spelling", "created")
    search_fields = ("canonical", "spelling")
    ordering = ("canonical", "spelling")
    fields = ("canonical", "spelling")


post_save.connect(invalidate_aliases, sender=NameVariant, dispatch_uid="namevariant_saved")
post_delete.connect(invalidate_aliases, sender=NameVariant, dispatch_uid="namevariant_deleted")

# The article list's search box through the search engine (replaces ArticleAdmin).
from search import admin_search  # noqa: E402,F401
