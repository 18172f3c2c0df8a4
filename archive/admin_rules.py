"""Keyword rules in the admin, with a preview before saving and a background
re-tag with progress after.

``RuleAdminMixin`` (for ``TopicAdmin`` and ``CountryAdmin``): the change form
gets a «preview» button that posts the edited form to ``<id>/preview/``; the
preview page (``archive.rule_preview``) shows how many articles the rules
would tag and untag, a sample of each, and a «save» button that posts the
same values to the change form. Saving changed rules starts a ``RetagJob``
(``archive.retagging``); ``RetagJobAdmin`` lists the jobs with their progress.
"""
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from archive.models import RetagJob
from archive.retagging import start_retag
from archive.rule_preview import preview_country, preview_topic

# How often the jobs page reloads itself while a job runs (seconds).
PROGRESS_REFRESH_SECONDS = 2


class RuleAdminMixin:
    change_form_template = "admin/archive/rule_change_form.html"
    rule_fields: tuple = ()
    rule_kind = ""  # "topic" or "country"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        extra = [
            path("<path:object_id>/preview/", self.admin_site.admin_view(self.rule_preview_view),
                 name="%s_%s_rule_preview" % info),
        ]
        return extra + super().get_urls()

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        info = self.opts.app_label, self.opts.model_name
        object_id = "add" if obj is None else str(obj.pk)
        context["rule_preview_url"] = reverse("admin:%s_%s_rule_preview" % info, args=[object_id])
        context["retag_jobs"] = list(obj.retag_jobs.all()[:3]) if obj is not None else []
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def _back_url(self, obj):
        info = self.opts.app_label, self.opts.model_name
        if obj is None:
            return reverse("admin:%s_%s_add" % info)
        return reverse("admin:%s_%s_change" % info, args=[obj.pk])

    def rule_preview_view(self, request, object_id):
        obj = None if object_id == "add" else self.get_object(request, unquote(object_id))
        if object_id != "add" and obj is None:
            return HttpResponseRedirect(reverse("admin:%s_%s_changelist" % (self.opts.app_label, self.opts.model_name)))
        allowed = self.has_add_permission(request) if obj is None else self.has_change_permission(request, obj)
        if request.method != "POST" or not allowed:
            return HttpResponseRedirect(self._back_url(obj))
        edited = self.model() if obj is None else self.get_object(request, unquote(object_id))
        form = self.get_form(request, obj, change=obj is not None)(request.POST, request.FILES, instance=edited)
        preview = None
        if form.is_valid():
            edited = form.save(commit=False)
            preview = (preview_topic if self.rule_kind == "topic" else preview_country)(obj, edited)
        repost = [(key, value) for key, values in request.POST.lists() if key not in ("csrfmiddlewaretoken",)
                  for value in values]
        context = {
            **self.admin_site.each_context(request),
            "title": f"معاينة أثر القواعد: {edited}",
            "opts": self.opts,
            "original": obj,
            "preview": preview,
            "errors": form.errors,
            "repost": repost,
            "save_url": self._back_url(obj),
        }
        return TemplateResponse(request, "admin/archive/rule_preview.html", context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = [name for name in self.rule_fields if name in form.changed_data]
        if changed and (change or any(getattr(obj, name) for name in changed)):
            job = start_retag(f"تعديل قواعد «{obj}»", user=request.user, **{self.rule_kind: obj})
            url = reverse("admin:archive_retagjob_changelist")
            self.message_user(request, format_html(
                "بدأت إعادة وسم كل المقالات بالقواعد الجديدة في الخلفية (العملية رقم {}). "
                "<a href=\"{}\">تابع التقدّم</a>.", job.pk, url), messages.INFO)


@admin.register(RetagJob)
class RetagJobAdmin(admin.ModelAdmin):
    list_display = ("reason", "status", "progress", "changed", "user", "created", "finished")
    list_filter = ("status",)
    readonly_fields = ("reason", "topic", "country", "user", "status", "total", "done", "changed", "message",
                       "created", "finished")
    change_list_template = "admin/archive/retagjob/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="التقدّم")
    def progress(self, obj):
        return format_html('<progress max="100" value="{}"></progress> {}٪ ({} من {})',
                           obj.percent, obj.percent, obj.done, obj.total)

    def changelist_view(self, request, extra_context=None):
        extra_context = dict(extra_context or {})
        running = RetagJob.objects.filter(status__in=[RetagJob.STATUS_PENDING, RetagJob.STATUS_RUNNING]).exists()
        extra_context["refresh_seconds"] = PROGRESS_REFRESH_SECONDS if running else None
        return super().changelist_view(request, extra_context)
