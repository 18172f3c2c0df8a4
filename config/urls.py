from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path


def favicon(request):
    """Browsers ask for /favicon.ico on documents without a <link rel="icon">
    (the raw Atom feed): send them to the site's icon (resolved per request, so
    the static manifest is read only when it exists)."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


urlpatterns = [
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon),
    path("", include("archive.urls")),
    path("", include("search.urls")),
]
