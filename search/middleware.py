"""503 instead of a stack trace when the search index or the database is down.

``ServiceUnavailableMiddleware.process_exception`` turns two failures of a
view into a clear Arabic answer with status 503 and ``Retry-After``:

- ``search.engine.shared.IndexUnavailable`` (corrupt, truncated or unreadable index
  folder): the log names the one command that repairs it
  (``python manage.py rebuild_search_index``);
- ``django.db.DatabaseError`` (database file gone, server stopped): the log
  says so.

Paths under ``/api/`` get JSON ``{"error": "..."}``; pages get
``templates/search/unavailable.html`` (or a bare Arabic page when even the
template cannot be rendered). Nothing is retried or recreated here: an empty
index would hide the loss.
"""
import logging

from django.db import DatabaseError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

from search.engine.shared import REBUILD_COMMAND, IndexUnavailable

log = logging.getLogger("search.unavailable")

RETRY_AFTER_SECONDS = 60
API_PREFIX = "/api/"
MESSAGES = {
    "index": "البحث غير متاح مؤقتًا: تعذّر فتح فهرس البحث. أُبلغ المسؤول، ويمكنك المحاولة بعد قليل.",
    "database": "الأرشيف غير متاح مؤقتًا: تعذّر الوصول إلى قاعدة البيانات. يمكنك المحاولة بعد قليل.",
}
FALLBACK_PAGE = (
    '<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
    "<title>الخدمة غير متاحة — أرشيف الأخبار العربية</title></head>"
    "<body><main><h1>الخدمة غير متاحة مؤقتًا</h1><p>{message}</p>"
    '<p><a href="/">العودة إلى الصفحة الرئيسية</a></p></main></body></html>'
)


def classify(exc) -> str | None:
    """'index', 'database' or None for an exception a view raised."""
    if isinstance(exc, IndexUnavailable):
        return "index"
    if isinstance(exc, DatabaseError):
        return "database"
    return None


def unavailable_response(request, kind: str):
    message = MESSAGES[kind]
    if request.path_info.startswith(API_PREFIX):
        response = JsonResponse({"error": message}, status=503, json_dumps_params={"ensure_ascii": False})
    else:
        try:
            body = render_to_string("search/unavailable.html", {"message": message, "kind": kind}, request)
        except Exception:  # the template itself needs what is down (e.g. the database)
            body = FALLBACK_PAGE.format(message=message)
        response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class ServiceUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        kind = classify(exception)
        if kind is None:
            return None
        if kind == "index":
            log.error("%s %s: %s. Repair: %s (or: python manage.py check_index --fix)",
                      request.method, request.path, exception, REBUILD_COMMAND)
        else:
            log.error("%s %s: database unavailable: %s: %s", request.method, request.path,
                      type(exception).__name__, exception)
        return unavailable_response(request, kind)
