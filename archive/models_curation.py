"""The curation desk's records: merges of outlets (with the old slugs kept as
aliases) and background re-tags with their progress.

Imported at the end of ``archive.models`` (so Django registers them); the
relations name their models by string, so this module imports no other
archive module.
"""
from django.conf import settings
from django.db import models


class MergeRecord(models.Model):
    """One merge of outlets into a survivor, with what undoing it needs.

    ``merged`` is a list with one entry per merged outlet: ``slug``, ``name``,
    ``snapshot`` (the outlet row and the feeds deleted with it, serialized by
    ``django.core.serializers`` as JSON), ``article_ids`` (the articles moved
    to the survivor), ``feed_ids`` (its feeds moved to the survivor),
    ``pages`` (collected pages of its deleted feeds, per feed), ``alias_ids``
    (older aliases that pointed at it) and ``merge_ids`` (earlier merges into
    it). ``survivor_before`` holds the
    survivor's notes and homepage before the merge changed them.
    """

    survivor = models.ForeignKey(
        "archive.Source", verbose_name="المصدر الباقي", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="merges",
    )
    survivor_name = models.CharField("اسم المصدر الباقي", max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="دمجها", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField("تاريخ الدمج", auto_now_add=True)
    merged = models.JSONField("المصادر المدموجة", default=list)
    survivor_before = models.JSONField("المصدر الباقي قبل الدمج", default=dict)
    undone = models.DateTimeField("تاريخ التراجع", null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="تراجع عنه", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = "دمج مصادر"
        verbose_name_plural = "عمليات دمج المصادر"

    def __str__(self):
        names = "، ".join(entry.get("name", "") for entry in self.merged)
        return f"{names} ← {self.survivor_name}"

    @property
    def article_count(self) -> int:
        return sum(len(entry.get("article_ids", ())) for entry in self.merged)


class SourceAlias(models.Model):
    """An old slug (and corpus key and name) of an outlet merged into another:
    ``/sources/<slug>/`` and ``source=<slug>`` mean ``source``."""

    slug = models.SlugField("المعرّف القديم", max_length=100, unique=True)
    key = models.CharField("مفتاح المدونة القديم", max_length=50, blank=True, null=True)
    name = models.CharField("الاسم القديم", max_length=200, blank=True)
    source = models.ForeignKey(
        "archive.Source", verbose_name="المصدر", on_delete=models.CASCADE, related_name="aliases",
    )
    merge = models.ForeignKey(
        MergeRecord, verbose_name="الدمج", null=True, blank=True, on_delete=models.CASCADE, related_name="aliases",
    )

    class Meta:
        ordering = ["slug"]
        verbose_name = "معرّف قديم لمصدر"
        verbose_name_plural = "المعرّفات القديمة للمصادر"

    def __str__(self):
        return f"{self.slug} → {self.source_id}"


class RetagJob(models.Model):
    """A re-tag of every article after a rule changed, run in the background
    (``archive.retagging``), with its progress for the admin."""

    STATUS_PENDING = "pending"
    STATUS_RUNNING = "running"
    STATUS_DONE = "done"
    STATUS_FAILED = "failed"
    STATUSES = [
        (STATUS_PENDING, "في الانتظار"), (STATUS_RUNNING, "جارية"), (STATUS_DONE, "انتهت"), (STATUS_FAILED, "تعذّرت"),
    ]

    reason = models.CharField("السبب", max_length=300)
    topic = models.ForeignKey("archive.Topic", verbose_name="الموضوع", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="retag_jobs")
    country = models.ForeignKey("archive.Country", verbose_name="البلد", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="retag_jobs")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="بدأها", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField("الحالة", max_length=10, choices=STATUSES, default=STATUS_PENDING)
    total = models.PositiveIntegerField("عدد المقالات", default=0)
    done = models.PositiveIntegerField("ما أُنجز", default=0)
    changed = models.PositiveIntegerField("مقالات تغيّرت وسومها", default=0)
    message = models.TextField("الرسالة", blank=True)
    created = models.DateTimeField("بدأت", auto_now_add=True)
    finished = models.DateTimeField("انتهت", null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = "إعادة وسم"
        verbose_name_plural = "عمليات إعادة الوسم"

    def __str__(self):
        return f"{self.reason} ({self.percent}%)"

    @property
    def percent(self) -> int:
        if self.status == self.STATUS_DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
