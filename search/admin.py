"""Admin for the name spellings used by query expansion: curated spellings,
blocked pairs (who changed them and when), and a tool that shows, for any
word, the spellings the search adds with their article counts, where a
curator blocks a pair or adds one (``search.curation``)."""
from django.contrib import admin, messages
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode

from search import curation
from search.models import NameVariant
from search.query.curation import invalidate_blocks
from search.query.expansion import invalidate_aliases


@admin.register(NameVariant)
class NameVariantAdmin(admin.ModelAdmin):
    list_display = ("canonical", "spelling", "kind", "changed_by", "changed")
    list_filter = ("blocked",)
    search_fields = ("canonical", "spelling")
    ordering = ("canonical", "spelling")
    fields = ("canonical", "spelling", "blocked")
    change_list_template = "admin/search/namevariant/change_list.html"

    @admin.display(description="النوع", ordering="blocked")
    def kind(self, obj):
        return curation.KIND_LABELS["blocked" if obj.blocked else "curated"]

    def save_model(self, request, obj, form, change):
        obj.changed_by = request.user.get_username()[:150]
        super().save_model(request, obj, form, change)

    def get_urls(self):
        extra = [path("spellings/", self.admin_site.admin_view(self.spellings_view),
                      name="search_namevariant_spellings")]
        return extra + super().get_urls()

    def spellings_view(self, request):
        """GET ?word=: the word's spellings; POST: block, add or remove a pair."""
        if not self.has_view_permission(request):
            return HttpResponseRedirect(reverse("admin:index"))
        source = request.POST if request.method == "POST" else request.GET
        raw = source.get("word", "")
        word = curation.clean_word(raw)
        if request.method == "POST" and word and self.has_change_permission(request):
            self._apply(request, word)
            return HttpResponseRedirect(reverse("admin:search_namevariant_spellings") + "?" + urlencode({"word": word}))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "تهجئات كلمة في البحث",
            "word": word,
            "raw": raw,
            "error": curation.MSG_ONE_WORD if raw.strip() and not word else "",
            "rows": curation.spellings_of(word) if word else [],
            "can_change": self.has_change_permission(request),
        }
        return TemplateResponse(request, "admin/search/namevariant/spellings.html", context)

    def _apply(self, request, word):
        action = request.POST.get("action")
        spelling = request.POST.get("spelling", "")
        if action == "block":
            row = curation.block_pair(word, spelling, request.user)
            if row is None:
                messages.error(request, "اكتب تهجئة واحدة مختلفة عن الكلمة.")
                return
            self.log_change(request, row, f"حظر الزوج {row.canonical} / {row.spelling}")
            messages.success(request, f"حُظر الزوج «{word}» / «{row.spelling if row.canonical == word else row.canonical}».")
        elif action == "add":
            row = curation.add_pair(word, spelling, request.user)
            if row is None:
                messages.error(request, "اكتب تهجئة واحدة مختلفة عن الكلمة.")
                return
            self.log_addition(request, row, f"إضافة التهجئة {row.spelling} إلى {row.canonical}")
            messages.success(request, f"أضيفت التهجئة إلى «{word}».")
        elif action == "remove":
            rows = NameVariant.objects.filter(pk=curation.row_id(request.POST.get("row")))
            if rows:
                label = str(rows[0])
                self.log_deletions(request, rows)
                rows.delete()
                messages.success(request, f"أزيل الزوج «{label}».")


post_save.connect(invalidate_aliases, sender=NameVariant, dispatch_uid="namevariant_saved")
post_delete.connect(invalidate_aliases, sender=NameVariant, dispatch_uid="namevariant_deleted")
post_save.connect(invalidate_blocks, sender=NameVariant, dispatch_uid="namevariant_block_saved")
post_delete.connect(invalidate_blocks, sender=NameVariant, dispatch_uid="namevariant_block_deleted")

# The article list's search box through the search engine (replaces ArticleAdmin).
from search import admin_search  # noqa: E402,F401
