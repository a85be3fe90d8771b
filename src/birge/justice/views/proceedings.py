"""Pages of proceedings and perpetrator programmes. Each looks its case up through the
access policy first (404 for anyone outside it, whatever the method); what a reader sees
of a proceeding is `birge.access.justice`'s rule; every change is one service call."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from birge.access.cases import case_get_for_user
from birge.cases.services import case_view_record
from birge.justice import forms_proceedings as forms
from birge.justice import selectors_proceedings as selectors
from birge.justice.services import proceedings as services
from birge.justice.services import programmes as programme_services
from birge.web.forms import form_add_errors

GET_POST = ("GET", "POST")


def _recordable_case(request: HttpRequest, case_id: int, may_record):
    """The case she may record on: 404 outside it or without the right, whatever the
    method (the method is checked after: `_not_allowed`)."""
    case = case_get_for_user(user=request.user, case_id=case_id, write=True)
    if not may_record(user=request.user, case=case):
        raise Http404
    return case


def _not_allowed(request: HttpRequest) -> HttpResponse | None:
    return None if request.method in GET_POST else HttpResponseNotAllowed(GET_POST)


@login_required
def proceeding_new(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _recordable_case(request, case_id, services.may_record_proceedings)
    if refused := _not_allowed(request):
        return refused
    form = forms.ProceedingForm(
        request.POST or None,
        perpetrators=selectors.case_perpetrators(case=case),
        incidents=selectors.case_incidents(case=case),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proceeding = services.proceeding_open(
                actor=request.user,
                case=case,
                perpetrator=data["perpetrator"].person,
                incident=data["incident"],
                kind=data["kind"],
                opened_on=data["opened_on"],
                note=data["note"],
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The proceedings are recorded."))
            return redirect("justice:proceeding_detail", proceeding_id=proceeding.pk)
    status = 400 if request.method == "POST" else 200
    context = {"case": case, "form": form, "title": _("Record proceedings")}
    return render(request, "justice/proceedings/form.html", context, status=status)


@login_required
def proceeding_detail(request: HttpRequest, proceeding_id: int) -> HttpResponse:
    """The proceeding as she may see it and, for a justice agency, the next stage's form
    (posted here)."""
    proceeding = selectors.proceeding_get_for_user(user=request.user, proceeding_id=proceeding_id)
    if refused := _not_allowed(request):
        return refused
    case = proceeding.case
    may_record = services.may_record_proceedings(user=request.user, case=case)
    if request.method == "POST" and not may_record:
        raise Http404
    form = forms.StageForm(request.POST or None, initial={"version": proceeding.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.proceeding_stage_record(
                actor=request.user, proceeding=proceeding, **form.cleaned_data
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The new stage is recorded."))
            return redirect("justice:proceeding_detail", proceeding_id=proceeding.pk)
    view = selectors.proceeding_view(user=request.user, proceeding=proceeding)
    if view.details:
        case_view_record(user=request.user, case=case)
    context = {
        "case": case,
        "p": view,
        "form": form if may_record and not view.closed else None,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "justice/proceedings/detail.html", context, status=status)


@login_required
def programme_new(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _recordable_case(request, case_id, programme_services.may_record_programmes)
    if refused := _not_allowed(request):
        return refused
    form = forms.ProgrammeForm(
        request.POST or None,
        perpetrators=selectors.case_perpetrators(case=case),
        providers=selectors.programme_providers(),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            programme = programme_services.programme_refer(
                actor=request.user,
                case=case,
                perpetrator=data["perpetrator"].person,
                provider=data["provider"],
                referred_on=data["referred_on"],
                mandated=data["mandated"],
                sessions_planned=data["sessions_planned"],
                note=data["note"],
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The referral to the programme is recorded."))
            return redirect("justice:programme_detail", programme_id=programme.pk)
    status = 400 if request.method == "POST" else 200
    context = {"case": case, "form": form, "title": _("Refer to a perpetrator programme")}
    return render(request, "justice/proceedings/form.html", context, status=status)


@login_required
def programme_detail(request: HttpRequest, programme_id: int) -> HttpResponse:
    """The programme referral; attendance and the end are posted here (`step`)."""
    programme = selectors.programme_get_for_user(user=request.user, programme_id=programme_id)
    if refused := _not_allowed(request):
        return refused
    case = programme.case
    may_record = programme_services.may_record_programmes(user=request.user, case=case)
    if request.method == "POST" and not may_record:
        raise Http404
    step = request.POST.get("step", "")
    initial = {"version": programme.version, "sessions_attended": programme.sessions_attended}
    attendance = forms.AttendanceForm(
        request.POST if step == "attendance" else None, initial=initial
    )
    end = forms.ProgrammeEndForm(request.POST if step == "end" else None, initial=initial)
    form = {"attendance": attendance, "end": end}.get(step)
    if request.method == "POST" and form is not None and form.is_valid():
        service = (
            programme_services.programme_attendance_record
            if step == "attendance"
            else programme_services.programme_end
        )
        try:
            service(actor=request.user, programme=programme, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The programme referral is updated."))
            return redirect("justice:programme_detail", programme_id=programme.pk)
    open_ = programme.status in programme_services.OPEN
    context = {
        "case": case,
        "r": programme,
        "attendance": attendance if may_record and open_ else None,
        "end": end if may_record and open_ else None,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "justice/proceedings/programme.html", context, status=status)
