"""Signals the archive sends; other apps listen (the search app indexes).

``articles_changed``: some articles' stored text or tags changed in a way
that sends no model signal (bulk inserts, re-tagging, admin actions). Sent
with ``ids=[article ids]`` inside the transaction that made the change, so a
listener can record work in that same transaction; ``wake=False`` says the
sender will see to the work itself (the import's background indexers).
"""
import django.dispatch

articles_changed = django.dispatch.Signal()
