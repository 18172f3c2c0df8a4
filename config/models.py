"""Operational state kept in the database (see config/ratelimit.py)."""
from django.db import models


class RateCounter(models.Model):
    """Hits of one client in one fixed time window, shared by every worker."""

    # "<scope>:<window seconds>:<window start>:<sha256 of the client key>"
    bucket = models.CharField(max_length=120, unique=True)
    count = models.PositiveIntegerField(default=0)
    # Epoch seconds at which the window ends; rows past it are deleted.
    expires_at = models.BigIntegerField(db_index=True)

    class Meta:
        verbose_name = "عدّاد معدّل الطلبات"
        verbose_name_plural = "عدّادات معدّل الطلبات"

    def __str__(self):
        return f"{self.bucket} = {self.count}"
