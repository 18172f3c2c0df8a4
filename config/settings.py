"""Settings for the Arabic news archive.

Everything that differs between a laptop and production comes from the
environment, with safe defaults for local use:

- ``ARCHIVE_DATA_DIR``: folder for the SQLite database and the Whoosh index
  (default ``var/`` in the project root).
- ``DATABASE_URL``: optional database override (e.g. ``postgres://...``).
- ``DJANGO_DEBUG``, ``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS``.
- ``DJANGO_ENV=production`` (set by ``make serve``): refuses to start without
  ``DJANGO_SECRET_KEY`` or with ``DJANGO_DEBUG=1``. HTTPS, proxies, rate
  limits: see the "Security and production" section below and the README.
"""
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from search.elastic import settings as es_defaults  # the library defaults of the Elasticsearch index settings

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default=0):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


# "production" (set by `make serve`) makes the settings strict; anything else
# (the default, used by `make run`, `make test` and CI) is a development setup.
DJANGO_ENV = os.environ.get("DJANGO_ENV", "development").strip().lower() or "development"
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env_bool("DJANGO_DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG=1 is not allowed with DJANGO_ENV=production.")

DEV_SECRET_KEY = "dev-only-insecure-key-set-DJANGO_SECRET_KEY-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
    # A development-only key; production sets DJANGO_SECRET_KEY (see README).
    SECRET_KEY = DEV_SECRET_KEY
elif PRODUCTION and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must not be the development key in production.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")

DATA_DIR = Path(os.environ.get("ARCHIVE_DATA_DIR") or BASE_DIR / "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

# Where the shared corpus lives (read by path, never committed).
CORPUS_DIR = Path(os.environ.get("ARCHIVE_CORPUS_DIR") or BASE_DIR.parent / "shared" / "corpus")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "haystack",
    "archive",
    "search",
    "config",  # shared rate-limit counters (config/models.py)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.ApiRateLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.LoginThrottleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # IndexUnavailable / DatabaseError in a view: 503 with an Arabic message.
    "search.middleware.ServiceUnavailableMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite by default; DATABASE_URL selects another server, e.g.
# postgres://user:pass@host:5432/archive or, over a unix socket,
# postgres://user@/archive?host=/run/postgresql. The PostgreSQL role needs
# CREATEDB to run the tests (they create test_<name>).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'archive.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while an import writes; wait instead of failing on a lock.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"timeout": 30, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", "العربية")]
# Arabic strings Django's own catalogs lack (the admin's scripts: "Choose all %s"...).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
if PRODUCTION:
    # `make serve` runs collectstatic first: hashed names, cached for a year.
    STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"
    WHITENOISE_USE_FINDERS = False

# --- Security and production ------------------------------------------------
# HTTPS. All off by default (local http://127.0.0.1); the production
# environment in the README turns them on, and `check --deploy` is then clean.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT")
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER"):
    # Only behind a proxy that sets X-Forwarded-Proto itself (never passes the client's).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Strict-Transport-Security is sent only over HTTPS and only when this is > 0.
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=SECURE_SSL_REDIRECT)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SESSION_COOKIE_HTTPONLY = True

# Response headers (SecurityMiddleware, XFrameOptionsMiddleware and
# config.middleware.SecurityHeadersMiddleware). No inline script or style
# anywhere: templates load their CSS and JS from static/. The Django admin
# works under this policy (it keeps its data in data-* attributes).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)

# Rate limits, "HITS/SECONDS" ("0" or "off" disables). Counted in the database
# (config/ratelimit.py) so every gunicorn worker shares them.
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120/60")
API_RATE_LIMIT_PREFIX = "/api/"
# Failed sign-ins per client IP and user name before the login is blocked.
ADMIN_LOGIN_RATE_LIMIT = os.environ.get("ADMIN_LOGIN_RATE_LIMIT", "5/900")
LOGIN_THROTTLE_URL_NAMES = ["admin:login"]
# Reverse proxies in front of gunicorn that append to X-Forwarded-For; the
# client IP for rate limits is then read from that header (0: REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)

# --- Page caches (archive.pagecache) -----------------------------------------
# Counts, charts and related articles of the public pages are kept per process
# until the data version changes (archive.dataversion); PAGE_CACHE=0 turns the
# cache off (the bench_pages baseline).
PAGE_CACHE = env_bool("PAGE_CACHE", True)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
PAGE_CACHE_ENTRIES = env_int("PAGE_CACHE_ENTRIES", 2000)
# Whole answers of the public pages kept per process (archive.pagecache.cached_page), in MB.
PAGE_CACHE_HTML_MB = env_int("PAGE_CACHE_HTML_MB", 16)

# --- Search -----------------------------------------------------------------
SEARCH_INDEX_DIR = DATA_DIR / "whoosh_index"
# One budget, in MB, for every cache of the engine that grows with the queries
# a process answers (search.engine.budget.SHARES splits it). Repeated queries are
# answered from the page cache (PAGE_CACHE_HTML_MB); at 70k articles in two
# segments, 40 holds a gunicorn worker's anonymous memory under 150 MB after 2,000
# distinct queries at about the never-seen speed of 96 (docs/speed.md, 2026-12-07).
SEARCH_CACHE_BUDGET_MB = env_int("SEARCH_CACHE_BUDGET_MB", 40)
WHOOSH_CONNECTION = {
    "ENGINE": "search.engine.adapter.ArabicWhooshEngine",
    "PATH": str(SEARCH_INDEX_DIR),
    "BATCH_SIZE": 1000,
}
# Scale-out (README "Elasticsearch"): ELASTICSEARCH_URL switches search to
# Elasticsearch 7/8 or OpenSearch (ELASTICSEARCH_OPENSEARCH=1), index alias
# ELASTICSEARCH_INDEX; `manage.py es_reindex` (re)builds it without downtime.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "").strip()
ELASTICSEARCH_SHARDS = env_int("ELASTICSEARCH_SHARDS", es_defaults.DEFAULT_SHARDS)
ELASTICSEARCH_REPLICAS = env_int("ELASTICSEARCH_REPLICAS", es_defaults.DEFAULT_REPLICAS)
ELASTICSEARCH_REFRESH_INTERVAL = (os.environ.get("ELASTICSEARCH_REFRESH_INTERVAL", "").strip()
                                  or es_defaults.DEFAULT_REFRESH_INTERVAL)
ELASTICSEARCH_CONNECTION = {
    "ENGINE": "search.elastic.backend.ArabicElasticsearchEngine",
    "URL": ELASTICSEARCH_URL,
    "INDEX_NAME": os.environ.get("ELASTICSEARCH_INDEX", "").strip() or "arabic_archive",
    "TIMEOUT": env_int("ELASTICSEARCH_TIMEOUT", 10),
    "BATCH_SIZE": 500,
    "OPENSEARCH": env_bool("ELASTICSEARCH_OPENSEARCH"),
}
HAYSTACK_CONNECTIONS = {"default": ELASTICSEARCH_CONNECTION if ELASTICSEARCH_URL else WHOOSH_CONNECTION}
# The stock narrow query on django_ct costs ~100 ms at 100k articles; the
# index holds one model only.
HAYSTACK_LIMIT_TO_REGISTERED_MODELS = False
HAYSTACK_SIGNAL_PROCESSOR = "search.signals.QueuedSignalProcessor"
# Never hide a LockError or a broken index: the queue retries instead.
HAYSTACK_SILENTLY_FAIL = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
