import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, get_user_model, logout
from django.contrib.messages.storage import default_storage
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from birge.accounts.services import two_factor_enrolled
from birge.audit.services import event_record

STARTED = "birge_started"
SEEN = "birge_seen"


def session_seconds_left(request) -> int:
    """Seconds until this session ends unless she does something (the page's warning)."""
    now = time.time()
    idle = settings.BIRGE_SESSION_IDLE.total_seconds() - (now - request.session.get(SEEN, now))
    absolute = settings.BIRGE_SESSION_ABSOLUTE.total_seconds() - (
        now - request.session.get(STARTED, now)
    )
    return max(0, int(min(idle, absolute)))


def session_touch(request) -> None:
    """She is here: the idle limit counts from now."""
    request.session[SEEN] = time.time()


def _redirect(request, url: str):
    # HtmxMiddleware runs after this one, so read the header itself. htmx ignores headers
    # on a 3xx (the browser follows it and the page would land inside a fragment): 200.
    if request.headers.get("HX-Request") == "true":
        response = HttpResponseClientRedirect(url)
    else:
        response = redirect(url)
    # NoStoreMiddleware is later in the chain too and does not see this answer.
    patch_cache_control(response, no_store=True, private=True, max_age=0)
    return response


def _session_end(request, *, actor, why: str) -> None:
    event_record(
        action="auth.session.expired",
        actor=actor,
        object_type="user",
        object_id=actor.pk,
        data={"why": why},
    )
    logout(request)


def _session_ended(request, *, actor, why: str):
    """Record why the session ended, end it, and send her to sign in with a note."""
    _session_end(request, actor=actor, why=why)
    # MessageMiddleware comes later in the chain and does not run for this
    # answer, so the note is stored here (in a cookie: the session is gone).
    notes = default_storage(request)
    notes.add(messages.INFO, _("Your session ended. Please sign in again."))
    url = reverse(settings.LOGIN_URL)
    if request.method == "GET" and request.headers.get("HX-Request") != "true":
        # Signed in again (both factors), she is back on the page she was on.
        url += "?" + urlencode({"next": request.get_full_path()})
    response = _redirect(request, url)
    notes.update(response)
    return response


class SessionLimitsMiddleware:
    """End a session after BIRGE_SESSION_IDLE without a request, BIRGE_SESSION_ABSOLUTE in all,
    and for good once Django no longer accepts the person it names (deactivated, her
    sessions ended by birge.agencies.services.user_sessions_end, her password changed)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        named = request.session.get(SESSION_KEY)  # read before Django checks (and flushes) it
        user = request.user
        if named is not None and not user.is_authenticated:
            return self._refused(request, named)
        if user.is_authenticated:
            now = time.time()
            started = request.session.setdefault(STARTED, now)
            seen = request.session.get(SEEN, now)
            idle = now - seen > settings.BIRGE_SESSION_IDLE.total_seconds()
            too_long = now - started > settings.BIRGE_SESSION_ABSOLUTE.total_seconds()
            if idle or too_long:
                return _session_ended(request, actor=user, why="idle" if idle else "absolute")
            # Saving the session on every request is wasteful; a minute's precision is enough.
            if now - request.session.get(SEEN, 0) >= 60 or SEEN not in request.session:
                request.session[SEEN] = now
        return self.get_response(request)

    def _refused(self, request, named):
        """The session names someone Django refuses: it ends here, once and for good (an
        inactive person's session is not flushed by Django, and would otherwise come back
        to life on reactivation)."""
        person = get_user_model()._default_manager.filter(pk=named).first()
        if person is None:  # the session of an account that no longer exists
            request.session.flush()
        elif request.path.startswith("/api/"):  # the API signs in with tokens, not sessions
            _session_end(request, actor=person, why="revoked")
        else:
            return _session_ended(request, actor=person, why="revoked")
        return self.get_response(request)


# Pages a signed-in person may reach before the second factor is checked.
_OPEN_PREFIXES = ("/static/", "/account/two-factor/", "/account/logout/", "/language/")


class TwoFactorRequiredMiddleware:
    """Until the second factor is checked, a password alone opens nothing but the 2FA pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            if two_factor_enrolled(user):
                url = reverse("accounts:two_factor_verify")
                if request.method == "GET":
                    # After the check she lands where she was going.
                    url += "?" + urlencode({"next": request.get_full_path()})
                return _redirect(request, url)
            if settings.BIRGE_REQUIRE_2FA:
                return _redirect(request, reverse("accounts:two_factor_setup"))
        return self.get_response(request)
