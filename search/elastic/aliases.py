"""Zero-downtime index management behind an alias (any ES 7 / OpenSearch client).

The application always reads and writes the alias (``ELASTICSEARCH_INDEX``,
default ``arabic_archive``); the data lives in timestamped indices
(``arabic_archive_20261123_171500_123456``). A reindex:

1. creates a new timestamped index with the current settings and mappings
   (refresh off and no replicas while loading),
2. bulk-loads every visible article from the database into it,
3. restores refresh/replicas, refreshes, checks the document count,
4. moves the alias to it in ONE ``_aliases`` call (searches switch
   atomically; a concrete index that still carries the alias's name is
   removed in the same call), then
5. deletes the old indices (unless asked to keep them).

If anything fails before step 4 the new index is deleted and the alias is
untouched: searches never see a half-built index.
"""
from __future__ import annotations

from datetime import datetime, timezone

from .settings import DEFAULT_REFRESH_INTERVAL, DEFAULT_REPLICAS


class ReindexError(RuntimeError):
    pass


def new_index_name(alias: str, now: datetime | None = None) -> str:
    now = now or datetime.now(timezone.utc)
    return f"{alias}_{now:%Y%m%d_%H%M%S_%f}"


def _is_not_found(exc) -> bool:
    return getattr(exc, "status_code", None) == 404 or type(exc).__name__ == "NotFoundError"


def indices_behind(client, alias: str) -> tuple[list[str], bool]:
    """(indices the alias points to, whether ``alias`` is a concrete index)."""
    try:
        found = client.indices.get_alias(name=alias)
        return sorted(found), False
    except Exception as exc:
        if not _is_not_found(exc):
            raise
    if client.indices.exists(index=alias):
        return [alias], True
    return [], False


def create_index(client, name: str, body: dict, *, loading: bool = False) -> None:
    """Create ``name`` with ``body``; ``loading``: refresh off, no replicas."""
    if loading:
        body = dict(body)
        settings = dict(body.get("settings", {}))
        settings["index"] = dict(settings.get("index", {}), refresh_interval="-1", number_of_replicas=0)
        body["settings"] = settings
    client.indices.create(index=name, body=body)


def ensure_alias(client, alias: str, body: dict, now: datetime | None = None) -> str | None:
    """Create a first timestamped index behind ``alias`` if nothing answers to
    that name yet. Returns the new index name, or None if it existed."""
    if client.indices.exists(index=alias):
        return None
    name = new_index_name(alias, now)
    create_index(client, name, body)
    client.indices.update_aliases(body={"actions": [{"add": {"index": name, "alias": alias}}]})
    return name


def swap_actions(alias: str, new: str, old: list[str], alias_is_index: bool) -> list[dict]:
    """The ``_aliases`` actions that move ``alias`` to ``new`` atomically."""
    actions = []
    if alias_is_index:
        actions.append({"remove_index": {"index": alias}})
    else:
        actions.extend({"remove": {"index": o, "alias": alias}} for o in old if o != new)
    actions.append({"add": {"index": new, "alias": alias}})
    return actions


def reindex(client, alias: str, body: dict, actions, *, expected: int | None = None,
            keep_old: bool = False, bulk=None, now: datetime | None = None, log=None) -> dict:
    """Build a new index from ``actions`` (bulk actions without ``_index``)
    and move ``alias`` to it. The new index must hold ``expected`` documents
    (default: as many as the bulk load accepted) before the alias moves.
    Returns a summary dict (see module docstring)."""
    if bulk is None:
        from elasticsearch.helpers import bulk
    log = log or (lambda msg: None)
    old, alias_is_index = indices_behind(client, alias)
    new = new_index_name(alias, now)
    create_index(client, new, body, loading=True)
    log(f"created {new}")
    try:
        def with_index():
            for action in actions:
                yield dict(action, _index=new)

        indexed, errors = bulk(client, with_index(), chunk_size=500, request_timeout=120, raise_on_error=True)
        index_settings = body.get("settings", {}).get("index", {})
        client.indices.put_settings(index=new, body={"index": {
            "refresh_interval": index_settings.get("refresh_interval", DEFAULT_REFRESH_INTERVAL),
            "number_of_replicas": index_settings.get("number_of_replicas", DEFAULT_REPLICAS),
        }})
        client.indices.refresh(index=new)
        count = client.count(index=new)["count"]
        expected = indexed if expected is None else expected
        if count != expected:
            raise ReindexError(f"{new} holds {count} documents, expected {expected}")
        client.indices.update_aliases(body={"actions": swap_actions(alias, new, old, alias_is_index)})
    except BaseException:
        client.indices.delete(index=new, ignore=404)
        log(f"deleted {new} (failed); {alias} unchanged")
        raise
    log(f"alias {alias} -> {new}")
    deleted = [alias] if alias_is_index else []  # removed by the swap itself
    if not keep_old:
        for o in old:
            if o != new and not alias_is_index:
                client.indices.delete(index=o, ignore=404)
                deleted.append(o)
    return {"index": new, "alias": alias, "count": count, "previous": old, "deleted": deleted}
