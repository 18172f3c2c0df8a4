"""The archive's data: outlets, articles, countries, topics, people and collections of outlets.

The database is the single source of truth; the search index is derived from
it and can always be rebuilt (``python manage.py rebuild_index``).
"""
from django.db import models
from django.urls import reverse


def _lines(text):
    """Non-empty, stripped lines of an admin-editable multi-line field."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class Country(models.Model):
    """A country of the gazetteer, with the Arabic forms that name it."""

    code = models.CharField("الرمز (ISO 3166-1)", max_length=2, primary_key=True)
    name_ar = models.CharField("الاسم بالعربية", max_length=100)
    name_en = models.CharField("الاسم بالإنجليزية", max_length=100)
    aliases = models.TextField(
        "أسماء بديلة",
        blank=True,
        help_text="صيغة في كل سطر: تهجئات، صفات النسبة، العاصمة والكنايات (الكرملين).",
    )
    weak_aliases = models.TextField(
        "أسماء ملتبسة",
        blank=True,
        help_text="صيغ لها معنى آخر شائع (مالي: المالي). لا تُحتسب إلا مع ذكر صريح للبلد في المقال.",
    )

    class Meta:
        ordering = ["name_ar"]
        verbose_name = "بلد"
        verbose_name_plural = "البلدان"

    def __str__(self):
        return self.name_ar

    @property
    def alias_list(self):
        return _lines(self.aliases)

    @property
    def weak_alias_list(self):
        return _lines(self.weak_aliases)


class Topic(models.Model):
    """A subject; assigned from a corpus category or from keyword rules."""

    slug = models.SlugField("المعرّف", max_length=80, unique=True)
    name_ar = models.CharField("الاسم", max_length=120)
    description = models.TextField("الوصف", blank=True)
    category = models.CharField(
        "تصنيف المدونة",
        max_length=40,
        blank=True,
        null=True,
        unique=True,
        help_text="مفتاح التصنيف في المدونة (sport، economy…) إن كان الموضوع يقابله.",
    )
    keywords = models.TextField(
        "قواعد الكلمات المفتاحية",
        blank=True,
        help_text="قاعدة في كل سطر؛ عبارات تربطها « + » يجب أن تَرِد كلها (فاغنر + تمرد).",
    )

    requires = models.TextField(
        "عبارات لازمة",
        blank=True,
        help_text="مجموعة في كل سطر، بدائلها تفصل بينها « | » (أوكرانيا | كييف | دونباس)؛ لا يُوسم المقال "
                  "بالموضوع إلا إذا ورد في عنوانه أو مقدمته بديل من كل مجموعة.",
    )
    starts = models.DateField(
        "يبدأ في", null=True, blank=True,
        help_text="لا يُوسم مقال نُشر قبل هذا التاريخ (المقال بلا تاريخ تحكم فيه القواعد وحدها).",
    )
    ends = models.DateField("ينتهي في", null=True, blank=True, help_text="لا يُوسم مقال نُشر بعد هذا التاريخ.")

    class Meta:
        ordering = ["name_ar"]
        verbose_name = "موضوع"
        verbose_name_plural = "الموضوعات"

    def __str__(self):
        return self.name_ar

    @property
    def keyword_rules(self):
        return _lines(self.keywords)

    @property
    def required_phrases(self):
        return _lines(self.requires)


class Source(models.Model):
    """A news outlet."""

    name = models.CharField("الاسم", max_length=200)
    name_en = models.CharField("الاسم بالإنجليزية", max_length=200, blank=True)
    slug = models.SlugField("المعرّف", max_length=100, unique=True, allow_unicode=False)
    key = models.CharField(
        "مفتاح المدونة", max_length=50, blank=True, null=True, unique=True,
        help_text="قيمة source_id في ملفات المدونة.",
    )
    homepage = models.URLField("الموقع", blank=True)
    country = models.ForeignKey(
        Country, verbose_name="بلد النشر", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="outlets",
    )
    notes = models.TextField("ملاحظات", blank=True)
    is_active = models.BooleanField("نشط", default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "مصدر"
        verbose_name_plural = "المصادر"

    def __str__(self):
        return self.name


class Article(models.Model):
    """One news article, cleaned, with its raw text kept for provenance."""

    title = models.CharField("العنوان", max_length=500)
    body = models.TextField("النص", help_text="الفقرات يفصل بينها سطر فارغ.")
    raw_text = models.TextField("النص الخام كما استُورد", editable=False)
    raw_checksum = models.CharField(max_length=40, editable=False)
    source = models.ForeignKey(
        Source, verbose_name="المصدر", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="articles",
    )
    author = models.CharField("الكاتب", max_length=300, blank=True)
    url = models.URLField("الرابط الأصلي", max_length=1000, blank=True)
    published = models.DateField("تاريخ النشر", null=True, blank=True, db_index=True)
    origin = models.CharField(
        "الأصل", max_length=255, unique=True,
        help_text="اسم ملف البذرة أو معرّف سجل المدونة.",
    )
    fingerprint = models.CharField("البصمة", max_length=40, db_index=True, editable=False)
    countries = models.ManyToManyField(
        Country, through="ArticleCountry", related_name="articles", blank=True,
        verbose_name="البلدان المذكورة",
    )
    topics = models.ManyToManyField(Topic, related_name="articles", blank=True, verbose_name="الموضوعات")
    is_hidden = models.BooleanField("مخفي", default=False, db_index=True)
    created = models.DateTimeField("أُنشئ", auto_now_add=True)
    updated = models.DateTimeField("حُدّث", auto_now=True)

    class Meta:
        ordering = ["-published", "-id"]
        verbose_name = "مقال"
        verbose_name_plural = "المقالات"
        indexes = [
            models.Index(fields=["source", "published"]),
            # The public pages' counts and lists read only these columns
            # (archive.stats): covering indexes keep them off the long rows.
            # (partial: the condition reads ``NOT is_hidden`` as Django's filter
            # does; is_hidden listed too, so SQLite need not read the row).
            models.Index(fields=["source", "published", "is_hidden"], condition=models.Q(is_hidden=False),
                         name="article_public_source_day"),
            models.Index(fields=["published", "is_hidden"], condition=models.Q(is_hidden=False),
                         name="article_public_day"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("article_detail", args=[self.pk])

    @property
    def paragraphs(self):
        return [p for p in self.body.split("\n\n") if p.strip()]


class ArticleCountry(models.Model):
    """A country mentioned in an article, with how often it is mentioned and
    whether the article is about it (``is_about``; archive.importing.aboutness)."""

    article = models.ForeignKey(Article, verbose_name="المقال", on_delete=models.CASCADE,
                                related_name="country_mentions")
    country = models.ForeignKey(Country, verbose_name="البلد", on_delete=models.CASCADE,
                                related_name="article_mentions")
    mentions = models.PositiveIntegerField("عدد الإشارات", default=1)
    is_about = models.BooleanField(
        "المقال عنه", default=False, db_index=True,
        help_text="البلد موضوع المقال (لا مجرد ذكر له): من العنوان والمقدمة وتكرار الذكر والمدن.",
    )

    class Meta:
        unique_together = [("article", "country")]
        ordering = ["-mentions"]
        verbose_name = "إشارة إلى بلد"
        verbose_name_plural = "الإشارات إلى البلدان"

    def __str__(self):
        return f"{self.country_id} ×{self.mentions}"


class Feed(models.Model):
    """An RSS/Atom feed or a sitemap of an outlet, collected on a schedule
    (``python manage.py collect``)."""

    KIND_FEED = "feed"
    KIND_SITEMAP = "sitemap"
    KINDS = [(KIND_FEED, "خلاصة RSS/Atom"), (KIND_SITEMAP, "خريطة موقع (sitemap)")]

    source = models.ForeignKey(Source, verbose_name="المصدر", on_delete=models.CASCADE, related_name="feeds")
    url = models.URLField("رابط الخلاصة", max_length=1000)
    kind = models.CharField("النوع", max_length=10, choices=KINDS, default=KIND_FEED)
    interval_minutes = models.PositiveIntegerField(
        "الفاصل بين جمعتين (دقائق)", default=30,
        help_text="لا تُجمع الخلاصة مرة أخرى قبل مرور هذه المدة.",
    )
    enabled = models.BooleanField("مفعّلة", default=True)
    etag = models.CharField(max_length=300, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_collected = models.DateTimeField("آخر جمع", null=True, blank=True, editable=False)
    last_success = models.DateTimeField("آخر جمع ناجح", null=True, blank=True, editable=False)
    last_found = models.PositiveIntegerField("روابط وُجدت", default=0, editable=False)
    last_new = models.PositiveIntegerField("مقالات جديدة", default=0, editable=False)
    last_updated = models.PositiveIntegerField("مقالات حُدّثت", default=0, editable=False)
    last_duplicates = models.PositiveIntegerField("مكررة", default=0, editable=False)
    last_failed = models.PositiveIntegerField("صفحات تعذّر جمعها", default=0, editable=False)
    last_error = models.TextField("آخر خطأ", blank=True, editable=False)
    failures = models.PositiveIntegerField("إخفاقات متتالية", default=0, editable=False)

    class Meta:
        ordering = ["source__name", "url"]
        unique_together = [("source", "url")]
        verbose_name = "خلاصة"
        verbose_name_plural = "الخلاصات"

    def __str__(self):
        return self.url


class CollectedPage(models.Model):
    """An article page seen by the collector: what was fetched, when, and
    what became of it (for conditional GET, retries and the admin)."""

    STATUS_STORED = "stored"
    STATUS_FAILED = "failed"
    STATUS_SKIPPED = "skipped"
    STATUSES = [(STATUS_STORED, "حُفظ"), (STATUS_FAILED, "تعذّر"), (STATUS_SKIPPED, "تُرك")]

    feed = models.ForeignKey(Feed, verbose_name="الخلاصة", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="pages")
    url = models.CharField("الرابط (موحّدًا)", max_length=1000, unique=True)
    article = models.ForeignKey(Article, verbose_name="المقال", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="collected_pages")
    status = models.CharField("الحالة", max_length=10, choices=STATUSES, default=STATUS_STORED)
    message = models.TextField("الرسالة", blank=True)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveIntegerField("المحاولات", default=0)
    first_seen = models.DateTimeField("أول ظهور", auto_now_add=True)
    fetched = models.DateTimeField("آخر جلب", null=True, blank=True)

    class Meta:
        ordering = ["-fetched"]
        verbose_name = "صفحة مجموعة"
        verbose_name_plural = "الصفحات المجموعة"

    def __str__(self):
        return self.url


class ArticleRevision(models.Model):
    """The text an article had before a later collection changed it."""

    article = models.ForeignKey(Article, verbose_name="المقال", on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField("العنوان", max_length=500)
    body = models.TextField("النص")
    raw_checksum = models.CharField(max_length=40)
    replaced = models.DateTimeField("استُبدل في", auto_now_add=True)

    class Meta:
        ordering = ["-replaced", "-id"]
        verbose_name = "نسخة سابقة"
        verbose_name_plural = "النسخ السابقة"

    def __str__(self):
        return f"{self.article_id} @ {self.replaced:%Y-%m-%d %H:%M}"


class Person(models.Model):
    """A person of the people gazetteer (archive/data/people.json), with the
    Arabic spellings that name them (archive.importing.people)."""

    slug = models.SlugField("المعرّف", max_length=80, unique=True)
    name_ar = models.CharField("الاسم بالعربية", max_length=120)
    name_en = models.CharField("الاسم بالحروف اللاتينية", max_length=120)
    latin_names = models.TextField(
        "صيغ لاتينية أخرى", blank=True, help_text="صيغة في كل سطر (Erdogan، Zelenskyy…).",
    )
    role = models.CharField("الصفة", max_length=200, blank=True)
    spellings = models.TextField(
        "التهجئات العربية",
        blank=True,
        help_text="صيغة في كل سطر: الاسم الكامل بتهجئاته، واسم العائلة وحده إن كان لا يدل إلا على هذا الشخص.",
    )
    weak_spellings = models.TextField(
        "تهجئات ملتبسة",
        blank=True,
        help_text="صيغ قصيرة قد تدل على غيره (الأسد، عباس): لا تُحتسب إلا إذا ذُكر الشخص في المقال بتهجئة كاملة.",
    )
    articles = models.ManyToManyField(
        Article, through="ArticlePerson", related_name="people", blank=True, verbose_name="المقالات",
    )
    origin = models.CharField(
        "مصدر الإدخال", max_length=200, blank=True,
        help_text="لماذا أُدرج: من أشخاص المهمة، أو من أكثر الأسماء ورودًا في المدونة.",
    )

    class Meta:
        ordering = ["name_ar"]
        verbose_name = "شخص"
        verbose_name_plural = "الأشخاص"

    def __str__(self):
        return self.name_ar

    def get_absolute_url(self):
        return reverse("person_detail", args=[self.slug])

    @property
    def spelling_list(self):
        return _lines(self.spellings)

    @property
    def weak_spelling_list(self):
        return _lines(self.weak_spellings)

    @property
    def latin_name_list(self):
        return [self.name_en, *_lines(self.latin_names)]


class ArticlePerson(models.Model):
    """A person named in an article, with how often."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="person_mentions", verbose_name="المقال",
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="article_mentions", verbose_name="الشخص",
    )
    mentions = models.PositiveIntegerField("عدد الإشارات", default=1)

    class Meta:
        unique_together = [("article", "person")]
        ordering = ["-mentions"]
        verbose_name = "إشارة إلى شخص"
        verbose_name_plural = "الإشارات إلى الأشخاص"

    def __str__(self):
        return f"{self.person_id} ×{self.mentions}"


class Collection(models.Model):
    """A curated group of outlets (Gulf press, international broadcasters…)."""

    slug = models.SlugField("المعرّف", max_length=80, unique=True)
    name_ar = models.CharField("الاسم", max_length=120)
    description = models.TextField("الوصف", blank=True)
    sources = models.ManyToManyField(Source, related_name="collections", blank=True, verbose_name="المصادر")

    class Meta:
        ordering = ["name_ar"]
        verbose_name = "مجموعة مصادر"
        verbose_name_plural = "مجموعات المصادر"

    def __str__(self):
        return self.name_ar


class DataVersion(models.Model):
    """One row whose ``version`` every process reads: bumped after each change
    the public pages show (``archive.dataversion``), it keys their caches."""

    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "إصدار البيانات"
        verbose_name_plural = "إصدار البيانات"

    def __str__(self):
        return str(self.version)


# The curation desk's records (merges, old slugs, re-tags): archive/models_curation.py.
from archive.models_curation import MergeRecord, RetagJob, SourceAlias  # noqa: E402,F401
