"""The search app's listeners to archive signals (connected in
``SearchConfig.ready``): ``archive.signals.articles_changed`` queues the ids
for indexing in the sender's transaction (``queue.enqueue``)."""
from archive.signals import articles_changed
from search.indexing.queue import enqueue

DISPATCH_UID = "search.indexing.receivers.articles_changed"


def queue_changed_articles(sender, ids, wake=True, **kwargs):
    enqueue(ids, wake=wake)


def connect():
    articles_changed.connect(queue_changed_articles, dispatch_uid=DISPATCH_UID)
