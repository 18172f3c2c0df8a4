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
