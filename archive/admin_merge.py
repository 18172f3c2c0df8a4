"""The outlets' merge in the admin: a confirmation page that lists the
outlets (articles, first and last date) and asks which one survives, and an
«undo merge» on the survivor's page. The work is ``archive.merging``; the
history entries ``archive.history``.
"""
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from archive import history
from archive.merging import MergeError, merge_candidates, merge_sources, undo_blocker, undo_merge
from archive.models import MergeRecord, Source


class MergeAdminMixin:
    """For ``SourceAdmin``: the ``merge_selected`` action and the undo view."""

    change_form_template = "admin/archive/source/change_form.html"
    merge_confirmation_template = "admin/archive/source/merge_confirmation.html"

    @admin.action(description="دمج المصادر المحددة (تأكيد واختيار المصدر الباقي)", permissions=["change", "delete"])
    def merge_selected(self, request, queryset):
        candidates = merge_candidates(queryset.values_list("pk", flat=True))
        if len(candidates) < 2:
            self.message_user(request, "اختر مصدرين على الأقل للدمج.", messages.WARNING)
            return None
        error = None
        if request.POST.get("apply"):
            chosen = request.POST.get("survivor", "")
            survivor = next((s for s in candidates if str(s.pk) == chosen), None)
            if survivor is None:
                error = "اختر المصدر الذي يبقى."
            else:
                return self._merge(request, survivor, [s for s in candidates if s.pk != survivor.pk])
        context = {
            **self.admin_site.each_context(request),
            "title": "تأكيد دمج المصادر",
            "opts": self.model._meta,
            "candidates": candidates,
            "default_survivor": candidates[0].pk,
            "error": error,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "total_articles": sum(s.n for s in candidates),
        }
        return TemplateResponse(request, self.merge_confirmation_template, context)

    def _merge(self, request, survivor, others):
        try:
            record = merge_sources(survivor, others, user=request.user)
        except MergeError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return None
        names = "، ".join(f"«{s.name}» ({s.slug})" for s in others)
        history.record(request.user, [survivor],
                       f"دُمج فيه {names} ونُقل إليه {record.article_count} مقال (الدمج رقم {record.pk}).")
        history.record(request.user, others, f"دُمج في «{survivor.name}» (الدمج رقم {record.pk}).",
                       flag=history.DELETION)
        self.message_user(
            request,
            f"دُمج {len(others)} مصدر في «{survivor.name}» ونُقل {record.article_count} مقال. "
            "يمكن التراجع عن الدمج من صفحة المصدر.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:archive_source_change", args=[survivor.pk]))

    # --- the survivor's page ---------------------------------------------------------------
    def get_urls(self):
        extra = [
            path("<int:object_id>/undo-merge/<int:record_id>/", self.admin_site.admin_view(self.undo_merge_view),
                 name="archive_source_undo_merge"),
        ]
        return extra + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        if str(object_id).isdigit():
            records = MergeRecord.objects.filter(survivor_id=int(object_id), undone=None)
            extra_context["merges"] = [
                {"record": r, "blocker": undo_blocker(r)} for r in records
            ]
        return super().change_view(request, object_id, form_url, extra_context)

    def undo_merge_view(self, request, object_id, record_id):
        return _undo(self, request, object_id, record_id)


def _undo(model_admin, request, object_id, record_id):
    survivor = get_object_or_404(Source, pk=object_id)
    if request.method != "POST":
        return HttpResponseRedirect(reverse("admin:archive_source_change", args=[survivor.pk]))
    if not (model_admin.has_change_permission(request, survivor) and model_admin.has_add_permission(request)):
        return HttpResponseRedirect(reverse("admin:index"))
    record = get_object_or_404(MergeRecord, pk=record_id, survivor=survivor)
    try:
        moved = undo_merge(record, user=request.user)
    except MergeError as exc:
        model_admin.message_user(request, exc.message, messages.ERROR)
        return HttpResponseRedirect(reverse("admin:archive_source_change", args=[survivor.pk]))
    slugs = [entry["slug"] for entry in record.merged]
    restored = list(Source.objects.filter(slug__in=slugs))
    history.record(request.user, [survivor],
                   f"تُراجع عن الدمج رقم {record.pk}: أُرجع {len(restored)} مصدر و{moved} مقال إليها.")
    history.record(request.user, restored, f"أُرجع بالتراجع عن الدمج رقم {record.pk} مع {moved} مقال.",
                   flag=history.ADDITION)
    model_admin.message_user(
        request, f"تم التراجع عن الدمج: أُرجع {len(restored)} مصدر و{moved} مقال.", messages.SUCCESS,
    )
    return HttpResponseRedirect(reverse("admin:archive_source_change", args=[survivor.pk]))


@admin.register(MergeRecord)
class MergeRecordAdmin(admin.ModelAdmin):
    """Every merge, read-only: who, when, what; undo from the survivor's page."""

    list_display = ("__str__", "survivor_link", "articles", "user", "created", "undone", "undone_by")
    list_filter = ("undone",)
    readonly_fields = ("survivor", "survivor_name", "user", "created", "merged_outlets", "undone", "undone_by")
    exclude = ("merged", "survivor_before")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="المصدر الباقي")
    def survivor_link(self, obj):
        if obj.survivor_id is None:
            return obj.survivor_name
        return format_html('<a href="{}">{}</a>', reverse("admin:archive_source_change", args=[obj.survivor_id]),
                           obj.survivor_name)

    @admin.display(description="المقالات المنقولة")
    def articles(self, obj):
        return obj.article_count

    @admin.display(description="المصادر المدموجة")
    def merged_outlets(self, obj):
        return "، ".join(f"{e['name']} ({e['slug']}): {len(e['article_ids'])} مقال" for e in obj.merged)
