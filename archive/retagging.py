"""Re-tagging every article after a rule changed, in the background, with
its progress in a ``RetagJob`` row (shown in the admin).

- ``start_retag(reason, user=None, topic=None, country=None) -> RetagJob``:
  records the job and, once the saving transaction commits, runs it in a
  thread of this process (``run_retag_job``).
- ``run_retag_job(job_id)``: ``retag_articles`` over all articles in
  batches; after each batch the progress is saved and ``articles_changed``
  is sent for the articles whose countries or topics changed (only those
  are indexed again). The end is written to the admin history of the topic
  or country (``archive.history``).
"""
from __future__ import annotations

import logging
import threading

from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from archive import history
from archive.importing import retag_articles
from archive.models import Article, ArticleCountry, RetagJob
from archive.signals import articles_changed

BATCH = 500
logger = logging.getLogger(__name__)
# One re-tag at a time in a process: two would write the same rows.
_RUNNING = threading.Lock()


def start_retag(reason: str, user=None, topic=None, country=None, *, background: bool = True) -> RetagJob:
    job = RetagJob.objects.create(reason=reason[:300], user=user, topic=topic, country=country)
    if background:
        transaction.on_commit(lambda: threading.Thread(
            target=_run_in_thread, args=(job.pk,), name=f"retag-{job.pk}", daemon=True).start())
    return job


def _run_in_thread(job_id: int):
    close_old_connections()
    try:
        run_retag_job(job_id)
    finally:
        connection.close()


def _tags(ids) -> dict[int, tuple]:
    """Each article's (topic ids, country mentions), to tell what a batch changed."""
    topics: dict[int, set] = {}
    for article_id, topic_id in Article.topics.through.objects.filter(article_id__in=ids).values_list(
            "article_id", "topic_id"):
        topics.setdefault(article_id, set()).add(topic_id)
    countries: dict[int, set] = {}
    for article_id, code, n in ArticleCountry.objects.filter(article_id__in=ids).values_list(
            "article_id", "country_id", "mentions"):
        countries.setdefault(article_id, set()).add((code, n))
    return {pk: (frozenset(topics.get(pk, ())), frozenset(countries.get(pk, ()))) for pk in ids}


def run_retag_job(job_id: int) -> RetagJob:
    with _RUNNING:
        job = RetagJob.objects.get(pk=job_id)
        ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
        job.status, job.total, job.done, job.changed = RetagJob.STATUS_RUNNING, len(ids), 0, 0
        job.save(update_fields=["status", "total", "done", "changed"])
        try:
            before = {}
            for start in range(0, len(ids), BATCH):
                before.update(_tags(ids[start:start + BATCH]))

            def batch_done(batch_ids):
                after = _tags(batch_ids)
                changed = [pk for pk in batch_ids if before.get(pk) != after.get(pk)]
                if changed:
                    articles_changed.send(sender=Article, ids=changed)
                job.done += len(batch_ids)
                job.changed += len(changed)
                job.save(update_fields=["done", "changed"])

            # one process: no fork from a web process's thread
            retag_articles(Article.objects.all(), batch_size=BATCH, on_batch=batch_done, workers=1)
        except Exception as exc:  # the job row says it failed; the log has the traceback
            logger.exception("re-tag job %s failed", job_id)
            job.status, job.message, job.finished = RetagJob.STATUS_FAILED, str(exc)[:500], timezone.now()
            job.save(update_fields=["status", "message", "finished"])
            return job
        job.status, job.finished = RetagJob.STATUS_DONE, timezone.now()
        job.message = f"أُعيد وسم {job.done} مقال؛ تغيّرت وسوم {job.changed} منها."
        job.save(update_fields=["status", "finished", "message"])
        target = job.topic or job.country
        if target is not None:
            history.record(job.user, [target], f"إعادة وسم بعد تعديل القواعد: {job.message}")
        return job
