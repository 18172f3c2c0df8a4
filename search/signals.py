"""Queue index updates on every change that affects an article's index entry.

``QueuedSignalProcessor`` (HAYSTACK_SIGNAL_PROCESSOR) never touches Whoosh:
it appends article ids to ``IndexQueue`` inside the current transaction and,
after commit, wakes the drainer thread (``search.indexing.queue``).

Watched changes:
- Article saved or deleted;
- Article.topics and Article.countries M2M changes (both directions);
- ArticleCountry rows saved or deleted (the admin inline edits them directly;
  deleting a Country cascades through here too);
- a Source's or Topic's slug changed, or a Source/Topic deleted (its
  articles' facet values change; those cascades send no M2M signal);
- ArticlePerson rows saved or deleted, a Person's slug changed or a Person
  deleted; a Source's country changed; a Collection's outlets, slug or
  existence changed (the articles of the outlets concerned).

bulk_create/queryset.update send no model signals: callers use
``search.indexing.index_articles(ids)`` or send
``archive.signals.articles_changed`` (``search.indexing.receivers``).
"""
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from haystack.signals import BaseSignalProcessor

from archive.models import Article, ArticleCountry, ArticlePerson, Collection, Person, Source, Topic


def _enqueue(ids):
    from search.indexing.queue import enqueue

    enqueue(ids)


class QueuedSignalProcessor(BaseSignalProcessor):
    _UID = "search.QueuedSignalProcessor"

    def _connections(self):
        return [
            (post_save, self.article_saved, Article),
            (post_delete, self.article_deleted, Article),
            (m2m_changed, self.m2m_changed, Article.topics.through),
            (m2m_changed, self.m2m_changed, Article.countries.through),
            (post_save, self.mention_changed, ArticleCountry),
            (post_delete, self.mention_changed, ArticleCountry),
            (pre_save, self.slug_pre_save, Source),
            (post_save, self.slug_post_save, Source),
            (pre_save, self.slug_pre_save, Topic),
            (post_save, self.slug_post_save, Topic),
            (pre_delete, self.owner_deleted, Source),
            (pre_delete, self.owner_deleted, Topic),
            # people and outlet groups (index fields people, outlet_country, collections)
            (post_save, self.mention_changed, ArticlePerson),
            (post_delete, self.mention_changed, ArticlePerson),
            (pre_save, self.slug_pre_save, Person),
            (post_save, self.slug_post_save, Person),
            (pre_delete, self.owner_deleted, Person),
            (pre_save, self.outlet_country_pre_save, Source),
            (post_save, self.outlet_country_post_save, Source),
            (m2m_changed, self.collection_changed, Collection.sources.through),
            (pre_save, self.slug_pre_save, Collection),
            (post_save, self.collection_slug_saved, Collection),
            (pre_delete, self.collection_deleted, Collection),
        ]

    def setup(self):
        for signal, handler, sender in self._connections():
            signal.connect(handler, sender=sender, dispatch_uid=f"{self._UID}.{handler.__name__}.{sender.__name__}")

    def teardown(self):
        for signal, handler, sender in self._connections():
            signal.disconnect(handler, sender=sender, dispatch_uid=f"{self._UID}.{handler.__name__}.{sender.__name__}")

    # handlers ------------------------------------------------------------------------
    def article_saved(self, sender, instance, **kwargs):
        _enqueue([instance.pk])

    def article_deleted(self, sender, instance, **kwargs):
        _enqueue([instance.pk])

    def m2m_changed(self, sender, instance, action, reverse, model, pk_set, **kwargs):
        if action not in ("post_add", "post_remove", "pre_clear", "post_clear"):
            return
        if not reverse:
            if action != "pre_clear":
                _enqueue([instance.pk])
            return
        # instance is a Topic/Country; pk_set holds article ids (None on clear).
        if action == "pre_clear":
            _enqueue(list(instance.articles.values_list("pk", flat=True)))
        elif pk_set:
            _enqueue(sorted(pk_set))

    def mention_changed(self, sender, instance, **kwargs):
        _enqueue([instance.article_id])

    def slug_pre_save(self, sender, instance, **kwargs):
        instance._search_old_slug = None
        if instance.pk:
            instance._search_old_slug = (
                sender.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
            )

    def slug_post_save(self, sender, instance, created, **kwargs):
        old = getattr(instance, "_search_old_slug", None)
        if not created and old is not None and old != instance.slug:
            _enqueue(list(instance.articles.values_list("pk", flat=True)))

    def owner_deleted(self, sender, instance, **kwargs):
        _enqueue(list(instance.articles.values_list("pk", flat=True)))

    def outlet_country_pre_save(self, sender, instance, **kwargs):
        instance._search_old_country = None
        if instance.pk:
            instance._search_old_country = (
                Source.objects.filter(pk=instance.pk).values_list("country_id", flat=True).first() or ""
            )

    def outlet_country_post_save(self, sender, instance, created, **kwargs):
        old = getattr(instance, "_search_old_country", None)
        if not created and old is not None and old != (instance.country_id or ""):
            _enqueue(list(instance.articles.values_list("pk", flat=True)))

    def collection_changed(self, sender, instance, action, reverse, model, pk_set, **kwargs):
        """Outlets added to or removed from a collection (either side)."""
        if action not in ("post_add", "post_remove", "pre_clear"):
            return
        if reverse:  # instance is a Source
            _enqueue(list(instance.articles.values_list("pk", flat=True)))
            return
        sources = pk_set if action != "pre_clear" else set(instance.sources.values_list("pk", flat=True))
        _enqueue(list(Article.objects.filter(source_id__in=sorted(sources or ())).values_list("pk", flat=True)))

    def collection_slug_saved(self, sender, instance, created, **kwargs):
        old = getattr(instance, "_search_old_slug", None)
        if not created and old is not None and old != instance.slug:
            self.collection_deleted(sender, instance)

    def collection_deleted(self, sender, instance, **kwargs):
        _enqueue(list(Article.objects.filter(source__collections=instance).values_list("pk", flat=True)))
