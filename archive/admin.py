"""The curation desk: outlets, articles, countries and topics, in Arabic."""
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, Max, Min
from django.urls import reverse
from django.utils.html import format_html

from archive import history
from archive.admin_merge import MergeAdminMixin
from archive.admin_people import ArticlePersonInline  # also registers Person and Collection
from archive.admin_rules import RuleAdminMixin
from archive.importing import retag_articles
from archive.models import Article, ArticleCountry, ArticleRevision, CollectedPage, Country, Feed, Source, Topic
from archive.retagging import start_retag
from archive.signals import articles_changed

admin.site.site_header = "مكتب تحرير أرشيف الأخبار العربية"
admin.site.site_title = "إدارة الأرشيف"
admin.site.index_title = "التحرير والتنسيق"


# The collector's inlines (archive/collect, python manage.py collect).
def _found_summary(feed) -> str:
    if feed.last_collected is None:
        return "لم تُجمع بعد"
    return (f"وُجد {feed.last_found} · جديد {feed.last_new} · حُدّث {feed.last_updated} · "
            f"مكرر {feed.last_duplicates} · تعذّر {feed.last_failed}")


class FeedInline(admin.TabularInline):
    model = Feed
    extra = 0
    fields = ("url", "kind", "interval_minutes", "enabled", "last_collected", "found", "last_error")
    readonly_fields = ("last_collected", "found", "last_error")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    verbose_name = "خلاصة"
    verbose_name_plural = "الخلاصات وخرائط المواقع (تُجمع بالأمر collect)"

    @admin.display(description="ما وُجد في آخر جمع")
    def found(self, obj):
        return _found_summary(obj)


class ArticleRevisionInline(admin.TabularInline):
    model = ArticleRevision
    extra = 0
    fields = ("replaced", "title", "body")
    readonly_fields = ("replaced", "title", "body")
    can_delete = False
    verbose_name = "نسخة سابقة (قبل أن يغيّر الجمع النص)"
    verbose_name_plural = "النسخ السابقة"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Source)
class SourceAdmin(MergeAdminMixin, admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name", "name_en", "slug", "country", "article_count", "first_date", "last_date", "is_active")
    list_filter = ("is_active", ("country", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "name_en", "slug", "key", "homepage")
    actions = ["merge_selected"]
    autocomplete_fields = ("country",)
    inlines = [FeedInline]  # the collector's feeds of the outlet

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            _article_count=Count("articles"),
            _first=Min("articles__published"),
            _last=Max("articles__published"),
        )

    @admin.display(description="عدد المقالات", ordering="_article_count")
    def article_count(self, obj):
        return obj._article_count

    @admin.display(description="أول تاريخ", ordering="_first")
    def first_date(self, obj):
        return obj._first

    @admin.display(description="آخر تاريخ", ordering="_last")
    def last_date(self, obj):
        return obj._last


class ArticleCountryInline(admin.TabularInline):
    model = ArticleCountry
    extra = 0
    autocomplete_fields = ("country",)
    verbose_name = "بلد مذكور"
    verbose_name_plural = "البلدان المذكورة"


class PublishedKnownFilter(admin.SimpleListFilter):
    title = "التاريخ"
    parameter_name = "dated"

    def lookups(self, request, model_admin):
        return [("yes", "معروف"), ("no", "غير معروف")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(published=None)
        if self.value() == "no":
            return queryset.filter(published=None)
        return queryset


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("title", "source", "published", "country_list", "is_hidden")
    # Only the outlets, countries and topics that articles use (not all 195 countries).
    list_filter = ("is_hidden", PublishedKnownFilter, ("source", admin.RelatedOnlyFieldListFilter),
                   ("countries", admin.RelatedOnlyFieldListFilter), ("topics", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title", "origin")
    date_hierarchy = "published"
    list_select_related = ("source",)
    list_per_page = 50
    autocomplete_fields = ("source",)
    filter_horizontal = ("topics",)
    inlines = [ArticleCountryInline, ArticleRevisionInline, ArticlePersonInline]
    readonly_fields = ("origin", "fingerprint", "created", "updated", "raw_text")
    fieldsets = (
        (None, {"fields": ("title", "body", "source", "author", "url", "published", "is_hidden")}),
        ("التصنيف", {"fields": ("topics",)}),
        ("المنشأ", {"classes": ("collapse",), "fields": ("origin", "fingerprint", "created", "updated", "raw_text")}),
    )
    actions = ["hide", "unhide", "retag"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("countries")

    @admin.display(description="البلدان")
    def country_list(self, obj):
        return "، ".join(c.name_ar for c in obj.countries.all()) or "—"

    def _set_hidden(self, request, queryset, hidden):
        changed = []
        for article in queryset:
            if article.is_hidden != hidden:
                article.is_hidden = hidden
                article.save(update_fields=["is_hidden", "updated"])
                changed.append(article)
        history.record(request.user, changed, "أُخفي المقال عن القرّاء والبحث." if hidden
                       else "أُظهر المقال للقرّاء والبحث من جديد.")
        return len(changed)

    @admin.action(description="إخفاء المقالات المحددة", permissions=["change"])
    def hide(self, request, queryset):
        n = self._set_hidden(request, queryset, True)
        self.message_user(request, f"أُخفي {n} مقال.", messages.SUCCESS)

    @admin.action(description="إظهار المقالات المحددة", permissions=["change"])
    def unhide(self, request, queryset):
        n = self._set_hidden(request, queryset, False)
        self.message_user(request, f"أُظهر {n} مقال.", messages.SUCCESS)

    @admin.action(description="إعادة وسم البلدان والموضوعات", permissions=["change"])
    def retag(self, request, queryset):
        n = retag_articles(queryset, workers=1)  # no worker processes inside a web request
        _touch(queryset)
        history.record(request.user, queryset, "أُعيد وسم البلدان والموضوعات من النص المخزّن.")
        self.message_user(request, f"أُعيد وسم {n} مقال.", messages.SUCCESS)


def _touch(queryset):
    """Tell listeners (the search index) that these articles' tags changed."""
    articles_changed.send(sender=Article, ids=list(queryset.values_list("pk", flat=True)))


@admin.register(Country)
class CountryAdmin(RuleAdminMixin, admin.ModelAdmin):
    rule_fields = ("name_ar", "aliases", "weak_aliases")
    rule_kind = "country"
    list_display = ("name_ar", "code", "name_en", "article_count")
    search_fields = ("code", "name_ar", "name_en", "aliases")
    actions = ["retag_mentioning"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_article_count=Count("articles"))

    @admin.display(description="عدد المقالات", ordering="_article_count")
    def article_count(self, obj):
        return obj._article_count

    @admin.action(description="إعادة وسم كل المقالات بعد تعديل الأسماء (في الخلفية)", permissions=["change"])
    def retag_mentioning(self, request, queryset):
        _start_retag_all(self, request, list(queryset), "country")


@admin.register(Topic)
class TopicAdmin(RuleAdminMixin, admin.ModelAdmin):
    rule_fields = ("keywords",)
    rule_kind = "topic"
    list_display = ("name_ar", "slug", "category", "article_count")
    search_fields = ("slug", "name_ar", "keywords")
    actions = ["retag_all"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_article_count=Count("articles"))

    @admin.display(description="عدد المقالات", ordering="_article_count")
    def article_count(self, obj):
        return obj._article_count

    @admin.action(description="إعادة وسم كل المقالات بعد تعديل القواعد (في الخلفية)", permissions=["change"])
    def retag_all(self, request, queryset):
        _start_retag_all(self, request, list(queryset), "topic")


def _start_retag_all(model_admin, request, objects, kind):
    """The «re-tag all» actions: one background job, its progress in the admin."""
    names = "، ".join(str(o) for o in objects[:5])
    job = start_retag(f"إعادة وسم يدوية ({names})", user=request.user,
                      **{kind: objects[0] if len(objects) == 1 else None})
    model_admin.message_user(request, format_html(
        "بدأت إعادة وسم كل المقالات في الخلفية (العملية رقم {}). <a href=\"{}\">تابع التقدّم</a>.",
        job.pk, reverse("admin:archive_retagjob_changelist")), messages.INFO)


# --- the collector (archive/collect, python manage.py collect) ---------------------

@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("url", "source", "kind", "enabled", "interval_minutes", "last_collected", "found",
                    "short_error")
    list_filter = ("enabled", "kind", ("source", admin.RelatedOnlyFieldListFilter))
    search_fields = ("url", "source__name")
    list_select_related = ("source",)
    autocomplete_fields = ("source",)
    fields = ("source", "url", "kind", "interval_minutes", "enabled", "last_collected", "last_success", "found",
              "failures", "last_error")
    readonly_fields = ("last_collected", "last_success", "found", "failures", "last_error")
    actions = ["collect_next_run"]

    @admin.display(description="ما وُجد في آخر جمع")
    def found(self, obj):
        return _found_summary(obj)

    @admin.display(description="آخر خطأ")
    def short_error(self, obj):
        return (obj.last_error[:120] + "…") if len(obj.last_error) > 120 else obj.last_error

    @admin.action(description="اجمعها في الجولة القادمة (دون انتظار الفاصل)")
    def collect_next_run(self, request, queryset):
        count = queryset.update(last_collected=None, failures=0, etag="", last_modified="")
        self.message_user(request, f"ستُجمع {count} خلاصة في الجولة القادمة.", messages.SUCCESS)


@admin.register(CollectedPage)
class CollectedPageAdmin(admin.ModelAdmin):
    list_display = ("url", "status", "article", "fetched", "attempts", "message")
    list_filter = ("status", "feed__source")
    search_fields = ("url", "message")
    list_select_related = ("article",)
    readonly_fields = ("feed", "url", "article", "status", "message", "attempts", "first_seen", "fetched")
    exclude = ("etag", "last_modified")

    def has_add_permission(self, request):
        return False
