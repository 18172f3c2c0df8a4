"""Security middleware: response headers, API rate limit, admin login throttle.

Settings (see config/settings.py and README "Configuration"):

- ``CONTENT_SECURITY_POLICY``: the ``Content-Security-Policy`` header value.
- ``API_RATE_LIMIT`` (``"120/60"``) and ``API_RATE_LIMIT_PREFIX`` (``"/api/"``).
- ``ADMIN_LOGIN_RATE_LIMIT`` (``"5/900"``): failed sign-ins per client IP and
  user name; ``LOGIN_THROTTLE_URL_NAMES`` lists the guarded login views.
- ``TRUSTED_PROXY_COUNT``: reverse proxies in front of the app (client IP).

Every setting is read per request, so ``override_settings`` works in tests.
"""
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape

from config import ratelimit

LOGIN_SCOPE = "login"
API_SCOPE = "api"


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy header to every response.

    Django's SecurityMiddleware already sends ``X-Content-Type-Options``,
    ``Referrer-Policy``, ``Cross-Origin-Opener-Policy`` and (over HTTPS, when
    configured) ``Strict-Transport-Security``; XFrameOptionsMiddleware sends
    ``X-Frame-Options``. A view may set its own policy, which is kept.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response


class ApiRateLimitMiddleware:
    """Limits requests under ``API_RATE_LIMIT_PREFIX`` per client IP.

    Over the limit the answer is 429 with ``Retry-After`` and an Arabic JSON
    ``{"error": ...}``; every API answer carries ``X-RateLimit-Limit`` and
    ``X-RateLimit-Remaining``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rate = ratelimit.Rate.parse(getattr(settings, "API_RATE_LIMIT", None))
        prefix = getattr(settings, "API_RATE_LIMIT_PREFIX", "/api/")
        if rate is None or not request.path_info.startswith(prefix):
            return self.get_response(request)
        usage = ratelimit.hit(API_SCOPE, ratelimit.client_ip(request), rate)
        if usage.exceeded:
            retry_after = usage.retry_after()
            response = JsonResponse(
                {
                    "error": "تجاوزتَ الحدّ المسموح به من الطلبات إلى واجهة البحث. "
                    f"أعد المحاولة بعد {ratelimit.arabic_duration(retry_after)}.",
                    "retry_after": retry_after,
                },
                status=429,
                json_dumps_params={"ensure_ascii": False},
            )
            response["Retry-After"] = str(retry_after)
        else:
            response = self.get_response(request)
        response["X-RateLimit-Limit"] = str(rate.limit)
        response["X-RateLimit-Remaining"] = str(usage.remaining)
        return response


def _login_rate():
    return ratelimit.Rate.parse(getattr(settings, "ADMIN_LOGIN_RATE_LIMIT", None))


def _login_key(request, username) -> str:
    return f"{ratelimit.client_ip(request)}\n{(username or '').strip().casefold()}"


def _guarded_login_paths():
    paths = set()
    for name in getattr(settings, "LOGIN_THROTTLE_URL_NAMES", ("admin:login",)):
        try:
            paths.add(reverse(name))
        except NoReverseMatch:
            pass
    return paths


class LoginThrottleMiddleware:
    """Blocks sign-in attempts after too many failures for one IP and user name.

    Failures are counted from Django's ``user_login_failed`` signal (so a
    request rejected by CSRF never counts); while blocked, a POST to a guarded
    login view gets 429 and an Arabic page, even with the right password.
    Keying by IP *and* user name means an attacker cannot lock the real user
    out from another address. A successful sign-in clears the count.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rate = _login_rate()
        if rate is not None and request.method == "POST" and request.path_info in _guarded_login_paths():
            usage = ratelimit.peek(LOGIN_SCOPE, _login_key(request, request.POST.get("username")), rate)
            if usage.count >= rate.limit:
                return self.blocked(request, usage.retry_after())
        return self.get_response(request)

    @staticmethod
    def blocked(request, retry_after):
        wait = ratelimit.arabic_duration(retry_after)
        login_url = escape(request.get_full_path())
        page = (
            '<!doctype html>\n<html lang="ar" dir="rtl">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            "<title>محاولات دخول كثيرة</title>\n</head>\n<body>\n<main>\n"
            "<h1>محاولات دخول فاشلة كثيرة</h1>\n"
            "<p>أُوقف تسجيل الدخول بهذا الاسم من عنوانك مؤقتًا بعد عدة محاولات بكلمة مرور خاطئة، "
            "حمايةً للحساب.</p>\n"
            f"<p>حاول مجددًا بعد {wait}.</p>\n"
            f'<p><a href="{login_url}">العودة إلى صفحة الدخول</a></p>\n'
            "</main>\n</body>\n</html>\n"
        )
        response = HttpResponse(page, status=429, content_type="text/html; charset=utf-8")
        response["Retry-After"] = str(retry_after)
        return response


@receiver(user_login_failed, dispatch_uid="config.count_login_failure")
def count_login_failure(sender, credentials, request=None, **kwargs):
    rate = _login_rate()
    if rate is None or request is None:
        return
    ratelimit.hit(LOGIN_SCOPE, _login_key(request, credentials.get("username")), rate)


@receiver(user_logged_in, dispatch_uid="config.clear_login_failures")
def clear_login_failures(sender, request=None, user=None, **kwargs):
    rate = _login_rate()
    if rate is None or request is None or user is None or request.method != "POST":
        return
    ratelimit.reset(LOGIN_SCOPE, _login_key(request, request.POST.get("username")), rate)
