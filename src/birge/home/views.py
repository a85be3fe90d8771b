"""The home page and the language switch: pages that draw on several apps."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from birge.agencies.capabilities import capability_label
from birge.agencies.selectors import user_capabilities, user_has_capability, user_roles
from birge.agencies.services import user_set_language
from birge.conferences.selectors import series_visible_to
from birge.home.context_processors import work_count_remember
from birge.home.work import my_work
from birge.web.languages import language_remember, language_supported

# Figures pages of at most this many conference series are linked from the home page.
FIGURES_LIMIT = 20


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """My work: what waits for her and her agency, most urgent first; her roles below."""
    user = request.user
    capabilities = sorted(user_capabilities(user))
    analyst = user_has_capability(user, "stats.view")
    work = my_work(user)
    work_count_remember(user, work.total)
    return render(
        request,
        "home/home.html",
        {
            "work": work,
            "analyst": analyst,
            "figures_series": (
                list(series_visible_to(user).order_by("code")[:FIGURES_LIMIT]) if analyst else []
            ),
            "roles": user_roles(user),
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
