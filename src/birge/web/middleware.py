from django.conf import settings
from django.db import OperationalError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext_lazy as _

from birge.web import request_context
from birge.web.forms import stale_form_begin, stale_form_refused
from birge.web.languages import language_supported

BUSY_MESSAGE = _("The system is busy and your request was stopped. Please try again in a moment.")


class RequestContextMiddleware:
    """Give every request an id (also sent back as X-Request-ID) and note the client's address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        context = request_context.begin(request)
        request.request_id = context.request_id
        try:
            response = self.get_response(request)
        finally:
            request_context.end()
        response["X-Request-ID"] = context.request_id
        return response


class LanguageMiddleware:
    """Azerbaijani unless the person chose otherwise (cookie, or her saved preference).

    Unlike Django's LocaleMiddleware the browser's Accept-Language is not consulted for
    pages: a national system opens in the national language, and the switch is in the
    header. API clients may send Accept-Language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if not language_supported(language) and request.path.startswith("/api/"):
            # API clients have no cookie to set; they say it with Accept-Language.
            language = translation.get_language_from_request(request)
        if not language_supported(language):
            language = settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # override, not activate/deactivate: the language in force before the request
        # comes back after it (nothing leaks from one request into the next).
        with translation.override(language):
            response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response


class NoStoreMiddleware:
    """Nothing a signed-in person saw may stay in a browser or proxy cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/api/"):
            patch_cache_control(response, no_store=True, private=True, max_age=0)
        return response


class StaleFormMiddleware:
    """A form refused because its record changed since the page was shown is a conflict:
    the page (the form with its "reload" message) answers 409, never 400 or 200, so that a
    client or a test can tell it from a mistake in what was typed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        stale_form_begin()
        response = self.get_response(request)
        if stale_form_refused() and response.status_code in (200, 400):
            response.status_code = 409
        stale_form_begin()
        return response


# PostgreSQL's codes for a statement stopped by statement_timeout (query_canceled) and for
# a lock not obtained within lock_timeout (lock_not_available).
DATABASE_BUSY_CODES = frozenset({"57014", "55P03"})


def database_busy(error: BaseException) -> bool:
    """Whether `error` is the database stopping a statement at one of its time limits."""
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    code = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    return code in DATABASE_BUSY_CODES


class DatabaseBusyMiddleware:
    """A statement or a lock wait stopped at its time limit (settings.py's database
    timeouts) is the system being busy, not broken: 503 with Retry-After, a page in the
    person's language, or JSON under /api/. The view's transaction has rolled back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_busy(exception):
            return None
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": str(BUSY_MESSAGE)}, status=503)
        else:
            response = render(request, "web/error.html", {"status": 503}, status=503)
        response["Retry-After"] = str(settings.BIRGE_DB_RETRY_AFTER)
        return response
