"""The curation desk: outlets, articles, countries and topics, in Arabic."""
from django.contrib import admin, messages
from django.db import models, transaction
from django.db.models import Count, Max, Min

from archive.importing import retag_articles
from archive.models import Article, ArticleCountry, ArticleRevision, CollectedPage, Country, Feed, Source, Topic
from archive.signals import articles_changed

admin.site.site_header = "مكتب تحرير أرشيف الأخبار العربية"
admin.site.site_title = "إدارة الأرشيف"
admin.site.index_title = "التحرير والتنسيق"


def merge_sources(keep: Source, others) -> int:
    """Move every article of ``others`` to ``keep`` and delete ``others``.

    Returns the number of articles moved. Runs in one transaction.
    """
    others = [s for s in others if s.pk != keep.pk]
    with transaction.atomic():
        moved = 0
        for source in others:
            ids = list(source.articles.values_list("pk", flat=True))
            moved += len(ids)
            # Save one by one so the search index hears about each change.
            for article in Article.objects.filter(pk__in=ids):
                article.source = keep
                article.save(update_fields=["source", "updated"])
            notes = f"دُمج معه: {source.name} ({source.slug})"
            keep.notes = f"{keep.notes}\n{notes}".strip()
            if not keep.homepage and source.homepage:
                keep.homepage = source.homepage
            source.delete()
        keep.save()
    return moved


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
class SourceAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name", "name_en", "slug", "country", "article_count", "first_date", "last_date", "is_active")
    list_filter = ("is_active", "country")
    search_fields = ("name", "name_en", "slug", "key", "homepage")
    actions = ["merge_into_first"]
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

    @admin.action(description="دمج المصادر المحددة في المصدر ذي أكثر المقالات")
    def merge_into_first(self, request, queryset):
        sources = sorted(queryset, key=lambda s: (-s._article_count, s.pk))
        if len(sources) < 2:
            self.message_user(request, "اختر مصدرين على الأقل للدمج.", messages.WARNING)
            return
        keep, others = sources[0], sources[1:]
        moved = merge_sources(keep, others)
        self.message_user(
            request,
            f"دُمج {len(others)} مصدر في «{keep.name}» ونُقل {moved} مقال.",
            messages.SUCCESS,
        )


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
    list_filter = ("is_hidden", PublishedKnownFilter, "source", "countries", "topics")
    search_fields = ("title", "origin")
    date_hierarchy = "published"
    list_select_related = ("source",)
    list_per_page = 50
    autocomplete_fields = ("source",)
    filter_horizontal = ("topics",)
    inlines = [ArticleCountryInline, ArticleRevisionInline]
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
        count = 0
        for article in queryset:
            if article.is_hidden != hidden:
                article.is_hidden = hidden
                article.save(update_fields=["is_hidden", "updated"])
                count += 1
        return count

    @admin.action(description="إخفاء المقالات المحددة")
    def hide(self, request, queryset):
        n = self._set_hidden(request, queryset, True)
        self.message_user(request, f"أُخفي {n} مقال.", messages.SUCCESS)

    @admin.action(description="إظهار المقالات المحددة")
    def unhide(self, request, queryset):
        n = self._set_hidden(request, queryset, False)
        self.message_user(request, f"أُظهر {n} مقال.", messages.SUCCESS)

    @admin.action(description="إعادة وسم البلدان والموضوعات")
    def retag(self, request, queryset):
        n = retag_articles(queryset, workers=1)  # no worker processes inside a web request
        _touch(queryset)
        self.message_user(request, f"أُعيد وسم {n} مقال.", messages.SUCCESS)


def _touch(queryset):
    """Tell listeners (the search index) that these articles' tags changed."""
    articles_changed.send(sender=Article, ids=list(queryset.values_list("pk", flat=True)))


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ("name_ar", "code", "name_en", "article_count")
    search_fields = ("code", "name_ar", "name_en", "aliases")
    actions = ["retag_mentioning"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_article_count=Count("articles"))

    @admin.display(description="عدد المقالات", ordering="_article_count")
    def article_count(self, obj):
        return obj._article_count

    @admin.action(description="إعادة وسم كل المقالات بعد تعديل الأسماء")
    def retag_mentioning(self, request, queryset):
        articles = Article.objects.all()
        n = retag_articles(articles, workers=1)  # no worker processes inside a web request
        _touch(articles)
        self.message_user(request, f"أُعيد وسم {n} مقال.", messages.SUCCESS)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name_ar", "slug", "category", "article_count")
    search_fields = ("slug", "name_ar", "keywords")
    actions = ["retag_all"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_article_count=Count("articles"))

    @admin.display(description="عدد المقالات", ordering="_article_count")
    def article_count(self, obj):
        return obj._article_count

    @admin.action(description="إعادة وسم كل المقالات بعد تعديل القواعد")
    def retag_all(self, request, queryset):
        articles = Article.objects.all()
        n = retag_articles(articles, workers=1)  # no worker processes inside a web request
        _touch(articles)
        self.message_user(request, f"أُعيد وسم {n} مقال.", messages.SUCCESS)


# --- the collector (archive/collect, python manage.py collect) ---------------------

@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("url", "source", "kind", "enabled", "interval_minutes", "last_collected", "found",
                    "short_error")
    list_filter = ("enabled", "kind", "source")
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
