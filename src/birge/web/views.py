from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from birge.agencies.capabilities import capability_label
from birge.agencies.selectors import user_capabilities, user_roles
from birge.agencies.services import user_set_language
from birge.web.api import json_under_api
from birge.web.languages import language_remember, language_supported


@login_required
def home(request: HttpRequest) -> HttpResponse:
    capabilities = sorted(user_capabilities(request.user))
    return render(
        request,
        "web/home.html",
        {
            "roles": user_roles(request.user),
            "capabilities": [capability_label(code) for code in capabilities],
        },
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered in a cookie and, once signed in, on the account."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language_supported(language):
        language_remember(response, language)
        if request.user.is_authenticated:
            user_set_language(user=request.user, language=language)
    return response


@json_under_api(400)
def bad_request(request, exception=None):
    return render(request, "web/error.html", {"status": 400}, status=400)


@json_under_api(403)
def permission_denied(request, exception=None):
    return render(request, "web/error.html", {"status": 403}, status=403)


@json_under_api(404)
def page_not_found(request, exception=None):
    return render(request, "web/error.html", {"status": 404}, status=404)


@json_under_api(500)
def server_error(request):
    return render(request, "web/error.html", {"status": 500}, status=500)


@json_under_api(403)
def csrf_failure(request, reason=""):
    return render(request, "web/error.html", {"status": 403, "csrf": True}, status=403)
