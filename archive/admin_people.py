"""The admin of people (the people gazetteer) and of collections of outlets.

Imported by ``archive.admin`` (admin autodiscovery). A person's spellings
are edited here; «إعادة وسم» tags every article again with the edited
spellings (``archive.importing.retag_articles``) and re-indexes them.
"""
from django.contrib import admin, messages
from django.db.models import Count

from archive.importing import retag_articles
from archive.models import Article, ArticlePerson, Collection, Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name_ar", "name_en", "slug", "role", "article_count", "origin")
    search_fields = ("slug", "name_ar", "name_en", "latin_names", "spellings", "weak_spellings")
    list_filter = ("origin",)
    fieldsets = (
        (None, {"fields": ("name_ar", "slug", "role")}),
        ("الأسماء اللاتينية", {"fields": ("name_en", "latin_names")}),
        ("التهجئات العربية (سطر لكل صيغة)", {"fields": ("spellings", "weak_spellings")}),
        ("المصدر", {"fields": ("origin",)}),
    )
    actions = ["retag_all"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_article_count=Count("article_mentions"))

    @admin.display(description="عدد المقالات", ordering="_article_count")
    def article_count(self, obj):
        return obj._article_count

    @admin.action(description="إعادة وسم كل المقالات بعد تعديل التهجئات")
    def retag_all(self, request, queryset):
        articles = Article.objects.all()
        n = retag_articles(articles, workers=1)  # no worker processes inside a web request; re-indexes them
        self.message_user(request, f"أُعيد وسم {n} مقال.", messages.SUCCESS)


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ("name_ar", "slug", "outlet_count")
    search_fields = ("slug", "name_ar")
    filter_horizontal = ("sources",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_outlet_count=Count("sources"))

    @admin.display(description="عدد المصادر", ordering="_outlet_count")
    def outlet_count(self, obj):
        return obj._outlet_count


class ArticlePersonInline(admin.TabularInline):
    """The people an article names (shown on the article's admin page)."""

    model = ArticlePerson
    extra = 0
    autocomplete_fields = ("person",)
    verbose_name = "شخص مذكور"
    verbose_name_plural = "الأشخاص المذكورون"
