"""The admin's history of curation actions (Django's ``LogEntry``): merges,
undone merges, hides and re-tags are written with an Arabic message, so each
object's «التاريخ» page says who did what and when.

``record(user, objects, message, flag=CHANGE)``: one entry per object.
"""
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry

__all__ = ["ADDITION", "CHANGE", "DELETION", "record"]


def record(user, objects, message: str, flag: int = CHANGE) -> int:
    """Write one history entry per object (no user: nothing written)."""
    objects = list(objects)
    if user is None or not getattr(user, "pk", None) or not objects:
        return 0
    LogEntry.objects.log_actions(user.pk, objects, flag, change_message=message)
    return len(objects)
