import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from birge.access.cases import case_get_for_user, case_is_coordinating
from birge.agencies.views import capability_required
from birge.audit.actions import action_label, event_label
from birge.audit.selectors import events_with_reasons
from birge.cases import registration_steps as steps
from birge.cases import selectors, services
from birge.cases.forms import (
    CaseFilterForm,
    ChildFormSet,
    ConflictForm,
    ConsentForm,
    EmergencyAccessForm,
    IncidentForm,
    PerpetratorForm,
    PossibleMatchForm,
    ReasonForm,
    ReviewForm,
    SealForm,
    ShareForm,
    VictimForm,
)
from birge.cases.models import (
    Case,
    CasePerson,
    CircleMember,
    ConflictDeclaration,
    Consent,
    EmergencyAccess,
    IdentityDecision,
)
from birge.web.forms import form_add_errors


@capability_required("case.view")
def case_list(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None)
    page = None
    if not form.is_bound:
        page = selectors.case_list(user=request.user)
    elif form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        page = selectors.case_list(user=request.user, **filters)
    # A refused search shows why and no list: an unfiltered list would read as its answer.
    return render(request, "cases/case_list.html", {"form": form, "page": page})


@capability_required("case.create")
@require_http_methods(["GET", "POST"])
def case_register(request: HttpRequest) -> HttpResponse:
    """Registration in steps (`step` in the query or the posted form); a POST without a
    step carries the whole registration at once (scripts and the tests use it)."""
    slug = request.POST.get("step") if request.method == "POST" else request.GET.get("step")
    if request.method == "POST" and slug is None:
        return _register_in_one_go(request)
    if slug == steps.REVIEW:
        return _register_review(request)
    step = steps.step_by_slug(slug or steps.SLUGS[0])
    if step is None:
        raise Http404
    draft = steps.Draft.load(request) or steps.Draft.start()
    before, after = steps.neighbours(step)
    if request.method == "POST":
        draft.keep(step, request.POST)
        draft.save(request)
        if request.POST.get("go") == "back" and before:
            return _to_step(before)
        forms = draft.forms(step, request.POST)
        if all(f.is_valid() for f in forms.values()):
            return _to_step(after)
    else:
        draft.save(request)
        forms = draft.forms(step)
    return _render_step(request, draft, step, forms)


def _to_step(slug: str) -> HttpResponse:
    return redirect(reverse("cases:case_register") + "?" + urlencode({"step": slug}))


def _render_step(request, draft, step, forms) -> HttpResponse:
    return render(
        request,
        "cases/case_register_step.html",
        {
            **forms,
            "forms": list(forms.values()),
            "step": step,
            "steps": steps.STEPS,
            "number": steps.SLUGS.index(step.slug) + 1,
            "total": len(steps.STEPS) + 1,
            "back": steps.neighbours(step)[0],
            "idempotency_key": draft.key,
        },
    )


def _register_review(request: HttpRequest) -> HttpResponse:
    draft = steps.Draft.load(request)
    if draft is None:
        # The draft is gone: a second click on "Register" after the case was registered.
        key = request.POST.get("idempotency_key", "")[:100]
        case = selectors.case_registered_with_key(user=request.user, key=key) if key else None
        if case is not None:
            messages.info(request, _("This case had already been registered; here it is."))
            return redirect("cases:case_detail", case_id=case.pk)
        return redirect("cases:case_register")
    forms, first_bad = draft.all_forms()
    if first_bad is not None:
        return _to_step(first_bad.slug)
    if request.method == "POST":
        try:
            registration = services.case_register(
                actor=request.user,
                **steps.service_kwargs(forms),
                idempotency_key=draft.key,
            )
        except ValidationError as error:
            form_add_errors(forms["consent"], error)
            consent = steps.step_by_slug("consent")
            return _render_step(request, draft, consent, {"consent": forms["consent"]})
        steps.Draft.discard(request)
        _tell_matches(request, registration)
        return redirect("cases:case_detail", case_id=registration.case.pk)
    sections = [
        (step, [steps.summary(forms[part]) for part in step.parts if part != "children"])
        for step in steps.STEPS
    ]
    children = [steps.summary(child) for child in forms["children"] if child.has_changed()]
    return render(
        request,
        "cases/case_register_review.html",
        {
            "sections": sections,
            "children": children,
            "perpetrator_given": forms["perpetrator"].has_changed(),
            "consent_given": forms["consent"].service_kwargs() is not None,
            "steps": steps.STEPS,
            "number": len(steps.STEPS) + 1,
            "total": len(steps.STEPS) + 1,
            "idempotency_key": draft.key,
        },
    )


def _register_in_one_go(request: HttpRequest) -> HttpResponse:
    data = request.POST
    victim = VictimForm(data, prefix="victim")
    victim_birth = victim.cleaned_data.get("birth_date") if victim.is_valid() else None
    forms = {
        "victim": victim,
        "perpetrator": PerpetratorForm(data, prefix="perpetrator"),
        "children": ChildFormSet(data, prefix="children"),
        "incident": IncidentForm(data, prefix="incident", birth_date=victim_birth),
        "consent": ConsentForm(data, prefix="consent"),
    }
    if all(f.is_valid() for f in forms.values()):
        try:
            registration = services.case_register(
                actor=request.user,
                **steps.service_kwargs(forms),
                idempotency_key=request.POST.get("idempotency_key", "")[:100],
            )
        except ValidationError as error:
            form_add_errors(forms["consent"], error)
        else:
            _tell_matches(request, registration)
            return redirect("cases:case_detail", case_id=registration.case.pk)
    token = request.POST.get("idempotency_key") or uuid.uuid4().hex
    return render(
        request,
        "cases/case_register.html",
        {**forms, "forms": list(forms.values()), "idempotency_key": token},
    )


def _tell_matches(request, registration) -> None:
    if registration.repeated:
        messages.info(request, _("This case had already been registered; here it is."))
        return
    messages.success(
        request,
        _("The case %(reference)s is registered.") % {"reference": registration.case.reference},
    )
    visible = len(registration.matches) - registration.hidden_matches
    if visible:
        messages.warning(
            request,
            ngettext(
                "A person in this case is also in %(n)d other case you can open.",
                "A person in this case is also in %(n)d other cases you can open.",
                visible,
            )
            % {"n": visible},
        )
    if registration.hidden_matches:
        messages.warning(
            request,
            ngettext(
                "A person in this case is known in %(n)d other case — "
                "ask its coordinator, who has been told.",
                "A person in this case is known in %(n)d other cases — "
                "ask their coordinators, who have been told.",
                registration.hidden_matches,
            )
            % {"n": registration.hidden_matches},
        )
    possible = len(registration.possible_matches) - registration.hidden_possible_matches
    if possible:
        messages.warning(
            request,
            ngettext(
                "A person in this case may also be in %(n)d other case you can open: a "
                "surname differs only in its ending. Check the date of birth and other details.",
                "A person in this case may also be in %(n)d other cases you can open: a "
                "surname differs only in its ending. Check the date of birth and other details.",
                possible,
            )
            % {"n": possible},
        )
    if registration.hidden_possible_matches:
        messages.warning(
            request,
            ngettext(
                "A person in this case may be known in %(n)d other case: a surname differs "
                "only in its ending. Its coordinator has been told and will compare the details.",
                "A person in this case may be known in %(n)d other cases: a surname differs "
                "only in its ending. Their coordinators have been told and will compare the "
                "details.",
                registration.hidden_possible_matches,
            )
            % {"n": registration.hidden_possible_matches},
        )


@capability_required("case.view")
def case_detail(
    request: HttpRequest, case_id: int, template: str = "cases/case_detail.html"
) -> HttpResponse:
    case = case_get_for_user(user=request.user, case_id=case_id)
    channel = "print" if template.endswith("print.html") else "page"
    services.case_view_record(user=request.user, case=case, channel=channel)
    detail = selectors.case_detail(user=request.user, case=case)
    timeline = [
        (event, action_label(event.action)) for event in events_with_reasons(detail.timeline)
    ]
    return render(
        request,
        template,
        {"d": detail, "case": case, "timeline": timeline, "printing": channel == "print"},
    )


@capability_required("case.coordinate")
def possible_match_answer(request: HttpRequest, case_id: int) -> HttpResponse:
    """A coordinator answers a possible match: the same person, or not."""
    case = case_get_for_user(user=request.user, case_id=case_id)
    if not case_is_coordinating(user=request.user, case=case):
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = PossibleMatchForm(request.POST)
    participant = None
    if form.is_valid():
        participant = (
            CasePerson.objects.select_related("person")
            .filter(case=case, pk=form.cleaned_data["participant"])
            .first()
        )
    try:
        if participant is None:
            raise services.PossibleMatchClosed
        same = form.cleaned_data["answer"] == IdentityDecision.Answer.SAME
        services.identity_decide(
            actor=request.user,
            case=case,
            participant=participant,
            token=form.cleaned_data["match"],
            same=same,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Recorded: the same person. It now counts as a match.")
            if same
            else _("Recorded: not the same person. It will not be offered again."),
        )
    return redirect("cases:case_detail", case_id=case.pk)


@capability_required("case.view")
def case_print(request: HttpRequest, case_id: int) -> HttpResponse:
    return case_detail(request, case_id, template="cases/case_print.html")


def _case_form_view(
    request, case_id, *, form_class, title, submit, handle, write=True, form_kwargs=None
):
    """Shared shape of the small forms on a case: get the case, validate, call a service."""
    case = case_get_for_user(user=request.user, case_id=case_id, write=write)
    form = form_class(request.POST or None, **(form_kwargs or {}))
    if request.method == "POST" and form.is_valid():
        try:
            handle(case, form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("cases:case_detail", case_id=case.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "cases/case_form.html",
        {"case": case, "form": form, "title": title, "submit": submit},
        status=status,
    )


@capability_required("case.edit")
@require_http_methods(["GET", "POST"])
def incident_add(request: HttpRequest, case_id: int) -> HttpResponse:
    def handle(case, data):
        services.incident_record(actor=request.user, case=case, data=data)

    return _case_form_view(
        request,
        case_id,
        form_class=IncidentForm,
        title=_("Record an incident"),
        submit=_("Save"),
        handle=handle,
    )


@capability_required("case.edit")
@require_http_methods(["GET", "POST"])
def consent_add(request: HttpRequest, case_id: int) -> HttpResponse:
    def handle(case, data):
        form = ConsentForm(request.POST, require_given=True)
        form.is_valid()
        services.consent_record(actor=request.user, case=case, **form.service_kwargs())

    return _case_form_view(
        request,
        case_id,
        form_class=ConsentForm,
        form_kwargs={"require_given": True},
        title=_("Record the victim's consent"),
        submit=_("Save"),
        handle=handle,
    )


@capability_required("case.edit")
def consent_withdraw(request: HttpRequest, case_id: int, consent_id: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, case_id=case_id, write=True)
    consent = get_object_or_404(Consent, case=case, pk=consent_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.consent_withdraw(actor=request.user, case=case, consent=consent)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The consent is withdrawn."))
    return redirect("cases:case_detail", case_id=case.pk)


@capability_required("case.view")
@require_http_methods(["GET", "POST"])
def case_share(request: HttpRequest, case_id: int) -> HttpResponse:
    def handle(case, data):
        services.case_share(
            actor=request.user, case=case, agency=data["agency"], reason=data["reason"]
        )

    return _case_form_view(
        request,
        case_id,
        form_class=ShareForm,
        title=_("Share with an agency"),
        submit=_("Share"),
        handle=handle,
    )


@capability_required("case.coordinate")
@require_http_methods(["GET", "POST"])
def case_unshare(request: HttpRequest, case_id: int, member_id: int) -> HttpResponse:
    def handle(case, data):
        member = get_object_or_404(CircleMember, case=case, pk=member_id, removed_at__isnull=True)
        services.case_unshare(actor=request.user, case=case, member=member, reason=data["reason"])

    return _case_form_view(
        request,
        case_id,
        form_class=ReasonForm,
        title=_("Remove an agency from the circle"),
        submit=_("Remove"),
        handle=handle,
    )


def _reason_action(service, title, submit, *, write=True):
    @capability_required("case.coordinate")
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, case_id: int) -> HttpResponse:
        def handle(case, data):
            service(actor=request.user, case=case, reason=data["reason"])

        return _case_form_view(
            request,
            case_id,
            form_class=ReasonForm,
            title=title,
            submit=submit,
            handle=handle,
            write=write,
        )

    return view


case_close = _reason_action(services.case_close, _("Close the case"), _("Close"))
case_reopen = _reason_action(services.case_reopen, _("Reopen the case"), _("Reopen"), write=False)
case_retire = _reason_action(services.case_retire, _("Retire the case"), _("Retire"), write=False)
case_unseal = _reason_action(
    services.case_unseal, _("Lift the seal"), _("Lift the seal"), write=False
)


@capability_required("case.coordinate")
@require_http_methods(["GET", "POST"])
def case_seal(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, case_id=case_id)

    def handle(case, data):
        services.case_seal(
            actor=request.user, case=case, reason=data["reason"], users=data["users"]
        )

    return _case_form_view(
        request,
        case_id,
        form_class=SealForm,
        form_kwargs={"case": case},
        title=_("Seal the case"),
        submit=_("Seal"),
        handle=handle,
        write=False,
    )


@capability_required("case.view")
def case_access_log(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, case_id=case_id)
    if not case_is_coordinating(user=request.user, case=case):
        raise Http404
    events = selectors.case_access_log(case=case)[:500]
    rows = [(event, event_label(event.action, event.data)) for event in events_with_reasons(events)]
    return render(request, "cases/case_access_log.html", {"case": case, "rows": rows})


@capability_required("case.emergency_access")
@require_http_methods(["GET", "POST"])
def emergency_access(request: HttpRequest) -> HttpResponse:
    form = EmergencyAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.emergency_access_start(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.warning(
                request,
                _(
                    "Emergency access is open until %(time)s. "
                    "The coordinator and the auditors have been told."
                )
                % {"time": timezone.localtime(grant.expires_at).strftime("%H:%M")},
            )
            return redirect("cases:case_detail", case_id=grant.case_id)
    grants = EmergencyAccess.objects.filter(
        user=request.user, ended_at__isnull=True
    ).select_related("case")
    return render(request, "cases/emergency_access.html", {"form": form, "grants": grants})


@capability_required("case.emergency_access")
def emergency_access_end(request: HttpRequest, grant_id: int) -> HttpResponse:
    grant = get_object_or_404(EmergencyAccess, pk=grant_id, user=request.user)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.emergency_access_end(user=request.user, grant=grant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("cases:emergency_access")


@capability_required("case.view")
@require_http_methods(["GET", "POST"])
def relations(request: HttpRequest) -> HttpResponse:
    """Persons the user is related to: their cases are hidden from her or him."""
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.conflict_declare(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(
                request, _("Declared. Cases involving this person are now hidden from you.")
            )
            return redirect("cases:relations")
    declarations = ConflictDeclaration.objects.filter(user=request.user, withdrawn_at__isnull=True)
    return render(request, "cases/relations.html", {"form": form, "declarations": declarations})


@capability_required("case.view")
def relation_withdraw(request: HttpRequest, declaration_id: int) -> HttpResponse:
    declaration = get_object_or_404(ConflictDeclaration, pk=declaration_id, user=request.user)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.conflict_withdraw(user=request.user, declaration=declaration)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("cases:relations")


@capability_required("audit.read")
def emergency_review_list(request: HttpRequest) -> HttpResponse:
    grants = EmergencyAccess.objects.select_related("user__agency", "case", "reviewed_by").order_by(
        "reviewed_at", "-started_at"
    )[:200]
    return render(request, "cases/emergency_review_list.html", {"grants": grants})


@capability_required("audit.read")
@require_http_methods(["GET", "POST"])
def emergency_review(request: HttpRequest, grant_id: int) -> HttpResponse:
    grant = get_object_or_404(
        EmergencyAccess.objects.select_related("user__agency", "case"), pk=grant_id
    )
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.emergency_access_review(
                auditor=request.user, grant=grant, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("cases:emergency_review_list")
    return render(request, "cases/emergency_review.html", {"grant": grant, "form": form})


@capability_required("agencies.manage")
def retired_list(request: HttpRequest) -> HttpResponse:
    cases = (
        Case.objects.filter(status=Case.Status.RETIRED)
        .select_related("owning_agency")
        .order_by("-retired_at")[:500]
    )
    return render(request, "cases/retired_list.html", {"cases": cases})


@capability_required("agencies.manage")
@require_http_methods(["GET", "POST"])
def case_restore(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_object_or_404(Case, pk=case_id, status=Case.Status.RETIRED)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.case_restore(actor=request.user, case=case, reason=form.cleaned_data["reason"])
        messages.success(request, _("The case is restored."))
        return redirect("cases:retired_list")
    return render(
        request,
        "cases/case_form.html",
        {
            "case": case,
            "form": form,
            "title": _("Restore the case"),
            "submit": _("Restore"),
            "no_link": True,
        },
    )
