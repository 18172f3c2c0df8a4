"""Search-side state kept in the database: the index write queue."""
from django.db import models


class IndexQueue(models.Model):
    """Pending index work: article ids whose index entry must be refreshed.

    Web processes never write to Whoosh (one write lock per index); they
    append here and a single writer drains the queue.
    """

    article_id = models.BigIntegerField(db_index=True)
    enqueued = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "عنصر في طابور الفهرسة"
        verbose_name_plural = "طابور الفهرسة"


class NameVariant(models.Model):
    """One spelling of a name, grouped under a canonical spelling, or a
    blocked pair (``blocked``: the search never expands one into the other).

    Searching any spelling of a group also finds the others that occur in the
    index (ranked below the spelling typed). Takes effect for expansion
    without a restart; the spellings are also protected from stemming, which
    changes index terms: rebuild the index (``rebuild_search_index``) after
    adding a name the stemmer would otherwise cut.
    """

    canonical = models.CharField(
        "الاسم المرجعي",
        max_length=100,
        db_index=True,
        help_text="التهجئة المعتمدة للاسم، مثل: فاغنر. كل التهجئات ذات الاسم المرجعي نفسه مجموعة واحدة.",
    )
    spelling = models.CharField(
        "تهجئة أخرى",
        max_length=100,
        help_text=(
            "تهجئة بديلة للاسم نفسه، كلمة واحدة، مثل: فاجنر. يُبحث عنها تلقائيًا مع كل تهجئات "
            "المجموعة (خلال نصف دقيقة على الأكثر). تُحمى التهجئات من التجذيع أيضًا، وهذا يغيّر "
            "مصطلحات الفهرس: أعد بناء فهرس البحث وأعد تشغيل الخادم بعد الإضافة."
        ),
    )
    created = models.DateTimeField(auto_now_add=True)
    blocked = models.BooleanField(
        "محظورة",
        default=False,
        help_text=(
            "إن فُعّلت فهذا الزوج محظور: لا يُبحث عن هذه التهجئة مع الاسم المرجعي ولا العكس، "
            "ولو اقترحها البحث تلقائيًا (خلال نصف دقيقة على الأكثر)."
        ),
    )
    changed_by = models.CharField("غيّرها", max_length=150, blank=True, editable=False)
    changed = models.DateTimeField("آخر تغيير", auto_now=True)

    class Meta:
        ordering = ["canonical", "spelling"]
        unique_together = [("canonical", "spelling")]
        verbose_name = "تهجئة اسم"
        verbose_name_plural = "تهجئات الأسماء"

    def __str__(self):
        return f"{self.canonical} ✕ {self.spelling}" if self.blocked else f"{self.canonical} ← {self.spelling}"
