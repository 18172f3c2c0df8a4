"""Security: response headers, CSRF, admin login throttling, API rate limit,
production settings (`check --deploy`), and the admin under the CSP in a real browser."""
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from config import ratelimit

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
PASSWORD = "a-long-passphrase-123"


class Clock:
    """Stands in for config.ratelimit.now so a test can jump past a window."""

    def __init__(self, start):
        self.t = float(start)

    def __call__(self):
        return self.t


@pytest.fixture
def clock(monkeypatch):
    # Start just after a window boundary common to every test window used here.
    c = Clock(3600 * 24 * 20000 + 1)
    monkeypatch.setattr(ratelimit, "now", c)
    return c


def anonymous():
    # 500s from pages that other tests cover must not hide the headers checked here.
    return Client(raise_request_exception=False)


# --- Headers ------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/articles/999999/", "/admin/login/", "/api/search/?q=اليمن"])
def test_security_headers_on_pages_and_api(path):
    response = anonymous().get(path)
    assert response["Content-Security-Policy"] == CSP
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response  # no HTTPS configured by default


def test_csp_forbids_inline_script_and_style():
    directives = dict(d.strip().split(" ", 1) for d in CSP.split(";"))
    for name in ("script-src", "style-src", "default-src"):
        assert "'unsafe-inline'" not in directives[name] and "'unsafe-eval'" not in directives[name]


@override_settings(
    SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=31536000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SECURE_HSTS_PRELOAD=True,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
)
def test_https_settings_redirect_and_send_hsts():
    client = anonymous()
    plain = client.get("/admin/login/")
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/admin/login/"
    assert "Strict-Transport-Security" not in plain
    for response in (
        client.get("/admin/login/", secure=True),
        client.get("/admin/login/", headers={"X-Forwarded-Proto": "https"}),
    ):
        assert response.status_code == 200
        assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
        assert response["Content-Security-Policy"] == CSP


# --- CSRF ---------------------------------------------------------------------

def test_admin_login_post_without_csrf_token_is_rejected():
    User.objects.create_superuser("editor", "editor@example.com", PASSWORD)
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def _views(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _views(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def test_no_view_is_csrf_exempt():
    views = list(_views(get_resolver().url_patterns))
    assert len(views) > 10
    exempt = [route for route, view in views if getattr(view, "csrf_exempt", False)]
    assert exempt == []


# --- Admin login throttling -----------------------------------------------------

def login(client, password, username="editor", ip="198.51.100.7"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
    )


@override_settings(ADMIN_LOGIN_RATE_LIMIT="3/600", PASSWORD_HASHERS=FAST_HASHER)
def test_admin_login_is_throttled_per_ip_and_user_name(clock):
    User.objects.create_superuser("editor", "editor@example.com", PASSWORD)
    client = Client()
    for _ in range(3):
        response = login(client, "wrong-password")
        assert response.status_code == 200  # the form again, with Django's error
        assert "_auth_user_id" not in client.session

    blocked = login(client, PASSWORD)  # even the right password
    assert blocked.status_code == 429
    page = blocked.content.decode()
    assert "محاولات دخول فاشلة كثيرة" in page and "حاول مجددًا بعد 10 دقائق" in page
    assert 'lang="ar" dir="rtl"' in page
    assert blocked["Retry-After"] == "599"
    assert blocked["Content-Security-Policy"] == CSP
    assert "_auth_user_id" not in client.session
    # The login form itself still shows; only attempts are refused.
    assert client.get("/admin/login/", REMOTE_ADDR="198.51.100.7").status_code == 200

    # Another user name from the same address, and the same user from another
    # address, are not affected (an attacker cannot lock the editor out).
    assert login(Client(), "wrong-password", username="someone-else").status_code == 200
    assert login(Client(), PASSWORD, ip="203.0.113.9").status_code == 302

    clock.t += 600  # the window is over
    response = login(client, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.session["_auth_user_id"] == str(User.objects.get(username="editor").pk)


@override_settings(ADMIN_LOGIN_RATE_LIMIT="3/600", PASSWORD_HASHERS=FAST_HASHER)
def test_successful_login_clears_failures_and_user_name_case_does_not_matter(clock):
    User.objects.create_superuser("editor", "editor@example.com", PASSWORD)
    for _ in range(2):
        assert login(Client(), "wrong-password").status_code == 200
    assert login(Client(), PASSWORD).status_code == 302  # clears the two failures
    for _ in range(3):
        assert login(Client(), "wrong-password").status_code == 200
    assert login(Client(), PASSWORD, username="EDITOR ").status_code == 429


@override_settings(ADMIN_LOGIN_RATE_LIMIT="off", PASSWORD_HASHERS=FAST_HASHER)
def test_login_throttle_can_be_switched_off(clock):
    User.objects.create_superuser("editor", "editor@example.com", PASSWORD)
    for _ in range(8):
        assert login(Client(), "wrong-password").status_code == 200
    assert login(Client(), PASSWORD).status_code == 302


# --- API rate limit -------------------------------------------------------------

API = "/api/search/?q=%D8%A7%D9%84%D9%8A%D9%85%D9%86"


@override_settings(API_RATE_LIMIT="3/60")
def test_api_is_rate_limited_per_client_ip(clock):
    client = anonymous()
    for left in (2, 1, 0):
        response = client.get(API)
        assert response.status_code != 429
        assert response["X-RateLimit-Limit"] == "3"
        assert response["X-RateLimit-Remaining"] == str(left)

    clock.t += 15
    limited = client.get(API)
    assert limited.status_code == 429
    assert limited["Content-Type"].startswith("application/json")
    assert limited["Retry-After"] == "44"
    body = limited.json()
    assert body["error"].startswith("تجاوزتَ الحدّ المسموح به من الطلبات")
    assert "44 ثانية" in body["error"]
    assert body["retry_after"] == 44
    assert "\\u" not in limited.content.decode()  # readable Arabic, not escapes
    assert limited["Content-Security-Policy"] == CSP
    assert client.post("/api/search/", {"q": "x"}).status_code == 429  # any method, any /api/ path
    assert client.get("/api/other/").status_code == 429

    # Another client is not affected; pages outside /api/ are not limited.
    assert client.get(API, REMOTE_ADDR="203.0.113.20").status_code != 429
    assert client.get("/").status_code != 429

    clock.t += 45  # next window
    assert client.get(API).status_code != 429


@override_settings(API_RATE_LIMIT="2/60", TRUSTED_PROXY_COUNT=1)
def test_api_rate_limit_behind_a_proxy_uses_the_forwarded_address(clock):
    client = anonymous()

    def get(forwarded):
        return client.get(API, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    assert get("192.0.2.1").status_code != 429
    # A client cannot escape by forging the left end of the header.
    assert get("10.9.9.9, 192.0.2.1").status_code != 429
    assert get("10.8.8.8, 192.0.2.1").status_code == 429
    assert get("192.0.2.2").status_code != 429


@override_settings(API_RATE_LIMIT="0")
def test_api_rate_limit_can_be_switched_off():
    client = anonymous()
    for _ in range(5):
        response = client.get(API)
        assert response.status_code != 429
        assert "X-RateLimit-Limit" not in response


def test_rate_parsing_and_client_keys():
    assert ratelimit.Rate.parse("120/60") == ratelimit.Rate(120, 60)
    assert ratelimit.Rate.parse("30") == ratelimit.Rate(30, 60)
    assert ratelimit.Rate.parse("off") is None and ratelimit.Rate.parse("") is None
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        ratelimit.Rate.parse("many/minute")

    class Request:
        def __init__(self, addr):
            self.META = {"REMOTE_ADDR": addr}

    assert ratelimit.client_ip(Request("2001:db8:1:2:3:4:5:6")) == "2001:db8:1:2::/64"
    assert ratelimit.client_ip(Request("::ffff:192.0.2.5")) == "192.0.2.5"
    assert [ratelimit.arabic_duration(s) for s in (1, 2, 5, 44, 60, 120, 600, 900)] == [
        "ثانية واحدة", "ثانيتين", "5 ثوانٍ", "44 ثانية",
        "دقيقة واحدة", "دقيقتين", "10 دقائق", "15 دقيقة",
    ]


def test_old_windows_are_cleaned_up(clock):
    from config.models import RateCounter

    rate = ratelimit.Rate(5, 60)
    for ip in ("192.0.2.1", "192.0.2.2"):
        ratelimit.hit("api", ip, rate)
    assert RateCounter.objects.count() == 2
    clock.t += 60
    ratelimit.hit("api", "192.0.2.3", rate)
    assert list(RateCounter.objects.values_list("count", flat=True)) == [1]


# --- Production settings (subprocesses: settings are read at start-up) ----------

def production_env_from_readme():
    """The `export NAME=value` lines of the README's "Production" section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Production", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    env = {}
    for line in block.splitlines():
        match = re.match(r"export (\w+)=(\S+)", line)
        if not match:
            continue
        name, value = match.groups()
        if value.startswith('"$('):
            assert name == "DJANGO_SECRET_KEY", f"{name} must be a literal in the README"
            value = secrets.token_urlsafe(64)
        env[name] = value.strip("'\"")
    return env


def manage(*args, env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_")) and k != "DATABASE_URL"}
    base["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120,
    )


@pytest.mark.slow  # over a second: left out of make test-fast
def test_readme_production_environment_passes_check_deploy():
    env = production_env_from_readme()
    assert env["DJANGO_ENV"] == "production"
    assert {"DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DJANGO_SECURE_SSL_REDIRECT", "DJANGO_HSTS_SECONDS"} <= set(env)
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output
    assert "WARNINGS" not in output and "ERRORS" not in output


def test_production_refuses_a_missing_secret_key_or_debug():
    env = production_env_from_readme()
    missing = manage("check", env={k: v for k, v in env.items() if k != "DJANGO_SECRET_KEY"})
    assert missing.returncode != 0 and "DJANGO_SECRET_KEY must be set" in missing.stderr
    debug = manage("check", env={**env, "DJANGO_DEBUG": "1"})
    assert debug.returncode != 0 and "DJANGO_DEBUG=1 is not allowed" in debug.stderr


@pytest.mark.slow
def test_default_development_environment_still_starts():
    for env in ({}, {"DJANGO_DEBUG": "1"}):
        result = manage("check", env=env)
        assert result.returncode == 0, result.stderr
    # ...and `check --deploy` still points out what production must set.
    result = manage("check", "--deploy", env={})
    assert "security.W004" in result.stderr and "security.W008" in result.stderr


# --- The admin under the CSP, in a real browser -----------------------------------

@pytest.mark.browser
@override_settings(PASSWORD_HASHERS=FAST_HASHER)
def test_admin_and_pages_work_under_the_content_security_policy(open_page):
    """Signs in and opens the admin's richest pages in Chromium (tests/fixtures_browser.py):
    their scripts run, and no page reports a Content Security Policy violation."""
    User.objects.create_superuser("editor", "editor@example.com", PASSWORD)
    site = open_page("/admin/login/")
    page = site.page
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(site.base_url + "/admin/")
    site.goto("/admin/archive/article/")
    page.wait_for_selector("select[name=action]")
    page.wait_for_selector("#changelist-search")
    site.goto("/admin/archive/article/add/")
    # Only the admin's JavaScript creates these: its scripts ran.
    page.wait_for_selector("#id_topics_from")        # filter_horizontal (SelectFilter2.js)
    page.wait_for_selector(".datetimeshortcuts")     # calendar shortcuts (DateTimeShortcuts.js)
    page.wait_for_selector(".select2-container")     # autocomplete (select2)
    site.goto("/admin/archive/source/")
    for path in ("/", "/articles/1/"):
        site.goto(path)
    violations = [m for m in site.console_errors if "Content Security Policy" in m]
    assert violations == []
