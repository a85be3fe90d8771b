from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from birge.notifications import selectors, services


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notification_list(user=request.user), 50).get_page(
        request.GET.get("page")
    )
    rows = selectors.notifications_with_text(page)
    return render(request, "notifications/inbox.html", {"page": page, "rows": rows})


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("notification", "")
    services.notification_mark_read(
        user=request.user,
        notification_id=int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 18 else None,
    )
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:inbox")


class PreferencesForm(forms.Form):
    email = forms.BooleanField(
        label=_("Also tell me by email when something waits for me in Birge"), required=False
    )


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            services.notification_preference_set(
                user=request.user, email=form.cleaned_data["email"]
            )
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:preferences")
    else:
        preference = services.notification_preference_get(user=request.user)
        form = PreferencesForm(initial={"email": preference.email})
    return render(request, "notifications/preferences.html", {"form": form})
