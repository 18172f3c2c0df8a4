"""Merging outlets, and undoing a merge, as plain functions.

- ``merge_candidates(sources)``: the outlets with their article counts and
  date ranges (the confirmation page), most articles first.
- ``merge_sources(survivor, others, user=None) -> MergeRecord``: moves the
  others' articles and feeds to the survivor, keeps their slugs as
  ``SourceAlias`` rows and deletes them, recording all that undoing needs.
- ``undo_merge(record, user=None)``: restores the merged outlets (same ids,
  slugs and fields), their articles, feeds and aliases. Raises
  ``MergeError`` (an Arabic message) when it cannot.
- ``resolve_source_slug(slug)`` / ``resolve_source_slugs(slugs)``: the one
  place an old slug becomes its survivor's (pages, API, exports, feeds).

Both changes run in one transaction and send ``articles_changed`` for the
moved ids, so the search index follows (``check_index`` stays clean).
"""
from __future__ import annotations

from django.core import serializers
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from archive.batching import chunked
from archive.models import Article, CollectedPage, Feed, MergeRecord, Source, SourceAlias
from archive.signals import articles_changed

# Ids per ``pk__in`` query (below every database's parameter limit).
ID_CHUNK = 500


class MergeError(Exception):
    """A merge or an undo that cannot be done; ``message`` is Arabic."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# --- old slugs ----------------------------------------------------------------------------

def resolve_source_slugs(slugs) -> list[str]:
    """``slugs`` with every old (merged) slug replaced by its survivor's, in
    order and without repeats. A slug of an existing outlet stays itself."""
    slugs = list(slugs)
    if not slugs:
        return []
    live = set(Source.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    aliases = dict(SourceAlias.objects.filter(slug__in=set(slugs) - live).values_list("slug", "source__slug"))
    resolved = []
    for slug in slugs:
        target = slug if slug in live else aliases.get(slug, slug)
        if target not in resolved:
            resolved.append(target)
    return resolved


def resolve_source_slug(slug: str) -> str | None:
    """The survivor's slug for an old slug, ``None`` when ``slug`` is not an
    old slug (an existing outlet's slug or unknown)."""
    if Source.objects.filter(slug=slug).exists():
        return None
    return SourceAlias.objects.filter(slug=slug).values_list("source__slug", flat=True).first()


# --- the confirmation page ------------------------------------------------------------

def merge_candidates(sources):
    """The outlets (a queryset or ids) with ``n``, ``first`` and ``last``,
    most articles first."""
    ids = [s.pk if isinstance(s, Source) else s for s in sources]
    rows = Source.objects.filter(pk__in=ids).annotate(
        n=Count("articles"), first=Min("articles__published"), last=Max("articles__published"),
    )
    return sorted(rows, key=lambda s: (-s.n, s.pk))


# --- merge ---------------------------------------------------------------------------------

def _note(source) -> str:
    return f"دُمج معه: {source.name} ({source.slug})"


@transaction.atomic
def merge_sources(survivor: Source, others, user=None) -> MergeRecord:
    """Merge ``others`` into ``survivor``; returns the ``MergeRecord``."""
    others = [s for s in others if s.pk != survivor.pk]
    if not others:
        raise MergeError("اختر مصدرين على الأقل للدمج.")
    survivor = Source.objects.select_for_update().get(pk=survivor.pk)
    record = MergeRecord.objects.create(
        survivor=survivor, survivor_name=survivor.name, user=user,
        survivor_before={"notes": survivor.notes, "homepage": survivor.homepage},
    )
    survivor_urls = set(survivor.feeds.values_list("url", flat=True))
    entries, moved = [], []
    for source in others:
        article_ids = sorted(source.articles.values_list("pk", flat=True))
        feeds = list(source.feeds.all())
        kept = [f for f in feeds if f.url not in survivor_urls]
        dropped = [f for f in feeds if f.url in survivor_urls]
        pages = {
            str(feed.pk): sorted(feed.pages.values_list("pk", flat=True)) for feed in dropped
        }
        alias_ids = sorted(source.aliases.values_list("pk", flat=True))
        merge_ids = sorted(source.merges.values_list("pk", flat=True))  # earlier merges into it
        entries.append({
            "slug": source.slug,
            "name": source.name,
            "snapshot": serializers.serialize("json", [source, *dropped]),
            "article_ids": article_ids,
            "feed_ids": [f.pk for f in kept],
            "pages": pages,
            "alias_ids": alias_ids,
            "merge_ids": merge_ids,
        })
        source.articles.update(source=survivor)
        Feed.objects.filter(pk__in=[f.pk for f in kept]).update(source=survivor)
        survivor_urls.update(f.url for f in kept)
        SourceAlias.objects.filter(pk__in=alias_ids).update(source=survivor)
        survivor.notes = f"{survivor.notes}\n{_note(source)}".strip()
        if not survivor.homepage and source.homepage:
            survivor.homepage = source.homepage
        slug, key, name = source.slug, source.key, source.name
        Source.objects.get(pk=source.pk).delete()  # the caller's object keeps its id (history)
        SourceAlias.objects.create(slug=slug, key=key, name=name, source=survivor, merge=record)
        moved.extend(article_ids)
    survivor.save()
    record.merged = entries
    record.save(update_fields=["merged"])
    if moved:
        articles_changed.send(sender=Article, ids=moved)
    return record


# --- undo ------------------------------------------------------------------------------------

def undo_blocker(record: MergeRecord) -> str | None:
    """Why ``record`` cannot be undone (Arabic), or ``None``."""
    if record.undone is not None:
        return "تم التراجع عن هذا الدمج من قبل."
    if record.survivor_id is None:
        return "المصدر الباقي لم يعد موجودًا (دُمج بدوره أو حُذف): تراجع عن الدمج اللاحق أولًا."
    for entry in record.merged:
        obj = next(serializers.deserialize("json", entry["snapshot"])).object
        if Source.objects.filter(pk=obj.pk).exists() or Source.objects.filter(slug=obj.slug).exists():
            return f"يوجد الآن مصدر بالمعرّف «{obj.slug}»: لا يمكن إرجاع المصدر المدموج."
        if obj.key and Source.objects.filter(key=obj.key).exists():
            return f"يوجد الآن مصدر بمفتاح المدونة «{obj.key}»: لا يمكن إرجاع المصدر المدموج."
    return None


@transaction.atomic
def undo_merge(record: MergeRecord, user=None) -> int:
    """Restore what ``record`` merged; returns the number of articles moved back."""
    record = MergeRecord.objects.select_for_update().get(pk=record.pk)
    blocker = undo_blocker(record)
    if blocker:
        raise MergeError(blocker)
    survivor = Source.objects.select_for_update().get(pk=record.survivor_id)
    SourceAlias.objects.filter(merge=record).delete()
    moved = []
    for entry in record.merged:
        objects = list(serializers.deserialize("json", entry["snapshot"]))
        for item in objects:
            item.save()
        source_pk = objects[0].object.pk
        for chunk in chunked(entry["article_ids"], ID_CHUNK):
            ids = list(Article.objects.filter(pk__in=chunk, source=survivor).values_list("pk", flat=True))
            Article.objects.filter(pk__in=ids).update(source_id=source_pk)
            moved.extend(ids)
        for chunk in chunked(entry["feed_ids"], ID_CHUNK):
            Feed.objects.filter(pk__in=chunk, source=survivor).update(source_id=source_pk)
        for feed_pk, page_ids in entry["pages"].items():
            for chunk in chunked(page_ids, ID_CHUNK):
                CollectedPage.objects.filter(pk__in=chunk, feed=None).update(feed_id=int(feed_pk))
        SourceAlias.objects.filter(pk__in=entry["alias_ids"], source=survivor).update(source_id=source_pk)
        MergeRecord.objects.filter(pk__in=entry.get("merge_ids", ()), survivor=None).update(survivor_id=source_pk)
        # What the merge wrote into the survivor goes, unless edited since.
        notes = [line for line in survivor.notes.splitlines() if line.strip() != _note(objects[0].object)]
        survivor.notes = "\n".join(notes)
        if (survivor.homepage and not record.survivor_before.get("homepage")
                and survivor.homepage == objects[0].object.homepage):
            survivor.homepage = ""
    survivor.save()
    record.undone = timezone.now()
    record.undone_by = user
    record.save(update_fields=["undone", "undone_by"])
    if moved:
        articles_changed.send(sender=Article, ids=moved)
    return len(moved)
