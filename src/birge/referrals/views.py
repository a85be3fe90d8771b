"""Referral pages. Every referral comes from `referral_get_for_user` (404 for anyone it
does not concern, whatever the method); every change is one call to `services`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from birge.access.cases import case_get_for_user
from birge.agencies.selectors import user_has_capability
from birge.agencies.views import capability_required
from birge.audit.actions import action_label
from birge.audit.selectors import events_with_reasons
from birge.drafts.views import draft_forget, draft_keep, draft_requested, draft_restore
from birge.referrals import selectors, services
from birge.referrals.forms import DirectoryFilterForm, ReasonForm, ReferralForm
from birge.referrals.selectors import referral_get_for_user
from birge.web.forms import form_add_errors, posted_version


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not any(user_has_capability(user, c) for c in ("referral.receive", "referral.send")):
        raise Http404
    context = {
        "awaiting": list(selectors.referrals_to_agency(user=user, awaiting=True)[:200]),
        "in_hand": list(selectors.referrals_to_agency(user=user, awaiting=False)[:200]),
        "from_us": list(selectors.referrals_from_agency(user=user)),
        "can_receive": user_has_capability(user, "referral.receive"),
        "now": timezone.now(),
    }
    return render(request, "referrals/inbox.html", context)


@capability_required("referral.send")
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, case_id=case_id, write=True)
    if draft_requested(request):
        # One draft whichever services the directory shows: its filters narrow a list.
        return draft_keep(request, address=request.path)
    narrowed = "kind" in request.GET or "region" in request.GET
    directory = DirectoryFilterForm(request.GET if narrowed else {"region": case.region.code})
    chosen = directory.cleaned_data if directory.is_valid() else {}
    form = ReferralForm(
        request.POST or None,
        services=selectors.services_for_referral(
            user=request.user, kind=chosen.get("kind", ""), region=chosen.get("region")
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_refer(
                actor=request.user,
                case=case,
                service=form.cleaned_data["service"],
                summary=form.cleaned_data["summary"],
                send="draft" not in request.POST,
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            draft_forget(request, address=request.path)
            messages.success(request, _("The referral is saved."))
            return redirect("referrals:referral_detail", referral_id=referral.pk)
    draft_restore(request, form, address=request.path)
    status = 400 if request.method == "POST" else 200
    context = {"case": case, "directory": directory, "form": form}
    return render(request, "referrals/referral_new.html", context, status=status)


@login_required
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get_for_user(user=request.user, referral_id=referral_id)
    services.referral_view_record(user=request.user, referral=referral)
    detail = selectors.referral_detail(user=request.user, referral=referral)
    timeline = [
        (event, action_label(event.action)) for event in events_with_reasons(detail.timeline)
    ]
    return render(
        request,
        "referrals/referral_detail.html",
        {"d": detail, "r": referral, "timeline": timeline},
    )


def _act(request: HttpRequest, referral_id: int, service, done: str) -> HttpResponse:
    """A button on the referral page: look it up first (404), then POST only."""
    referral = referral_get_for_user(user=request.user, referral_id=referral_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        service(actor=request.user, referral=referral, version=posted_version(request.POST))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
        basis = getattr(referral, "circle_basis", "")
        if basis == "consent_needed":
            messages.warning(
                request,
                _(
                    "Your agency is not in the case's circle: no consent of the victim covers "
                    "it and the risk is not high. The referrer has been told."
                ),
            )
        elif basis in ("consent", "high_risk"):
            messages.info(request, _("Your agency is now in the case's circle."))
    return redirect("referrals:referral_detail", referral_id=referral.pk)


def _act_with_reason(
    request: HttpRequest, referral_id: int, service, *, title: str, submit: str, done: str
) -> HttpResponse:
    referral = referral_get_for_user(user=request.user, referral_id=referral_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    form = ReasonForm(request.POST or None, initial={"version": referral.version})
    if request.method == "POST" and form.is_valid():
        try:
            service(
                actor=request.user,
                referral=referral,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("referrals:referral_detail", referral_id=referral.pk)
    status = 400 if request.method == "POST" else 200
    context = {"r": referral, "form": form, "title": title, "submit": submit}
    return render(request, "referrals/referral_reason.html", context, status=status)


@login_required
def referral_send(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _act(request, referral_id, services.referral_send, _("The referral is sent."))


@login_required
def referral_accept(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _act(request, referral_id, services.referral_accept, _("The referral is accepted."))


@login_required
def referral_start(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _act(request, referral_id, services.referral_start, _("The work has started."))


@login_required
def referral_complete(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _act(request, referral_id, services.referral_complete, _("The referral is completed."))


@login_required
def referral_decline(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _act_with_reason(
        request,
        referral_id,
        services.referral_decline,
        title=_("Decline the referral"),
        submit=_("Decline"),
        done=_("The referral is declined."),
    )


@login_required
def referral_withdraw(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _act_with_reason(
        request,
        referral_id,
        services.referral_withdraw,
        title=_("Withdraw the referral"),
        submit=_("Withdraw"),
        done=_("The referral is withdrawn."),
    )
