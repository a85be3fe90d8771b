from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from birge.access.cases import case_get_for_user
from birge.access.fields import HIDDEN, case_scopes
from birge.access.levels import may_approve_lowering
from birge.agencies.views import capability_required
from birge.cases.services import case_view_record
from birge.drafts.views import draft_forget, draft_keep, draft_requested, draft_restore
from birge.risk import selectors, services
from birge.risk.engine import FEAR_FOR_LIFE
from birge.risk.forms import (
    AssessmentForm,
    InstrumentUploadForm,
    JudgementForm,
    LevelByJudgementForm,
)
from birge.risk.models import InstrumentVersion, RiskAssessment
from birge.web.forms import form_add_errors


def _assessment(request, case_id: int, assessment_id: int, *, write: bool = False):
    case = case_get_for_user(user=request.user, case_id=case_id, write=write)
    return case, get_object_or_404(
        RiskAssessment.objects.select_related("instrument_version", "assessed_by", "agency"),
        case=case,
        pk=assessment_id,
    )


def _language() -> str:
    return (translation.get_language() or "az")[:2]


def _assessment_form(request, *, case, instrument_version, assessment=None):
    if draft_requested(request):  # the callers checked access as for the form itself
        return draft_keep(request)
    initial = {}
    if assessment is not None:
        initial = {f"item_{k}": v for k, v in assessment.answers.items()}
        initial.update(victim_fear=assessment.victim_fear, victim_view=assessment.victim_view)
    form = AssessmentForm(
        request.POST or None,
        initial=initial,
        instrument=instrument_version.instrument,
        language=_language(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_draft_save(
                actor=request.user,
                case=case,
                instrument_version=instrument_version,
                answers=form.answers(),
                victim_fear=form.cleaned_data["victim_fear"],
                victim_view=form.cleaned_data["victim_view"],
                assessment=assessment,
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            draft_forget(request)
            messages.success(request, _("Saved as a draft."))
            return redirect("risk:assessment_detail", case_id=case.pk, assessment_id=assessment.pk)
    draft_restore(request, form)
    return render(
        request,
        "risk/assessment_form.html",
        {
            "case": case,
            "form": form,
            "instrument_version": instrument_version,
            "assessment": assessment,
        },
        status=400 if request.method == "POST" else 200,
    )


@capability_required("risk.assess")
@require_http_methods(["GET", "POST"])
def assessment_new(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, case_id=case_id, write=True)
    # Offered: the newest active version of each instrument. An older version that is
    # still active may be asked for by its id in the address.
    instruments = selectors.instruments_current()
    chosen = request.GET.get("instrument", "")
    instrument_version = next(
        (i for i in selectors.instruments_active() if str(i.pk) == chosen), None
    )
    if instrument_version is None:
        if len(instruments) != 1:
            return render(
                request, "risk/instrument_choice.html", {"case": case, "instruments": instruments}
            )
        instrument_version = instruments[0]
    return _assessment_form(request, case=case, instrument_version=instrument_version)


@capability_required("risk.assess")
@require_http_methods(["GET", "POST"])
def assessment_edit(request: HttpRequest, case_id: int, assessment_id: int) -> HttpResponse:
    case, assessment = _assessment(request, case_id, assessment_id, write=True)
    if (
        assessment.status != RiskAssessment.Status.DRAFT
        or assessment.assessed_by_id != request.user.pk
    ):
        raise Http404
    return _assessment_form(
        request, case=case, instrument_version=assessment.instrument_version, assessment=assessment
    )


@capability_required("case.view")
def assessment_detail(request: HttpRequest, case_id: int, assessment_id: int) -> HttpResponse:
    case, assessment = _assessment(request, case_id, assessment_id)
    # Her answers and her own words are part of the case: reading them is audited.
    case_view_record(user=request.user, case=case, channel="risk")
    # An incomplete result has no level to offer: the assessor chooses one.
    initial = "" if assessment.is_incomplete else assessment.computed_level
    form = JudgementForm(initial={"final_level": initial})
    return render(
        request, "risk/assessment_detail.html", _detail_context(request, case, assessment, form)
    )


def _detail_context(request, case, assessment, form) -> dict:
    language = _language()
    hidden = selectors.items_hidden_from(case_scopes(user=request.user, case=case))
    answers = []
    instrument = (
        None if assessment.is_judgement else assessment.instrument_version.readable_instrument
    )
    if instrument is not None:
        given = selectors.assessment_answers(assessment, hidden=hidden)
        answers = [
            (
                item.texts.get(language) or item.texts["az"],
                HIDDEN if item.id in hidden else given.get(item.id, ""),
                item.critical,
            )
            for item in instrument.items
        ]
    pending = assessment.status == RiskAssessment.Status.PENDING_APPROVAL
    superseded = selectors.assessment_superseded(assessment)
    incomplete = assessment.is_incomplete
    return {
        "case": case,
        "a": assessment,
        "instrument_name": assessment.method_name,
        "incomplete": incomplete,
        "unreadable": not assessment.is_judgement and instrument is None,
        "fear_for_life": assessment.victim_fear in FEAR_FOR_LIFE,
        # Why the bands that gave this result are provisional, in the reader's language.
        "provisional_note": (
            instrument.provisional_note.get(language, "")
            if instrument is not None
            and any(params.get("provisional") for _code, params in assessment.reasons)
            else ""
        ),
        "reasons": selectors.assessment_reasons(assessment, hidden=hidden),
        "answers": answers,
        "form": form,
        "can_submit": assessment.status == RiskAssessment.Status.DRAFT
        and assessment.assessed_by_id == request.user.pk,
        "superseded": superseded,
        "can_approve": pending
        and not superseded
        and may_approve_lowering(
            user=request.user, case=case, proposer_agency_id=assessment.agency_id
        ),
    }


def _settled_message(request, assessment) -> None:
    if assessment.status == RiskAssessment.Status.PENDING_APPROVAL:
        messages.warning(
            request,
            _(
                "A level lower than the one in force needs the approval of a professional of another agency in the case's circle; they have been asked. The case keeps its level until then."
            ),
        )
    else:
        messages.success(request, _("The assessment is submitted."))


@capability_required("risk.assess")
def assessment_submit(request: HttpRequest, case_id: int, assessment_id: int) -> HttpResponse:
    case, assessment = _assessment(request, case_id, assessment_id, write=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = JudgementForm(request.POST)
    if form.is_valid():
        try:
            services.assessment_submit(
                actor=request.user, assessment=assessment, **form.cleaned_data
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            _settled_message(request, assessment)
            return redirect("risk:assessment_detail", case_id=case.pk, assessment_id=assessment.pk)
    return render(
        request,
        "risk/assessment_detail.html",
        _detail_context(request, case, assessment, form),
        status=400,
    )


@capability_required("risk.assess")
@require_http_methods(["GET", "POST"])
def judgement(request: HttpRequest, case_id: int) -> HttpResponse:
    """The level by professional judgement alone: recorded as an assessment."""
    case = case_get_for_user(user=request.user, case_id=case_id, write=True)
    form = LevelByJudgementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_judgement(
                actor=request.user,
                case=case,
                level=form.cleaned_data["level"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            _settled_message(request, assessment)
            return redirect("risk:assessment_detail", case_id=case.pk, assessment_id=assessment.pk)
    return render(
        request,
        "risk/judgement_form.html",
        {"case": case, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@capability_required("risk.assess")
def assessment_approve(request: HttpRequest, case_id: int, assessment_id: int) -> HttpResponse:
    case, assessment = _assessment(request, case_id, assessment_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.assessment_approve_downgrade(approver=request.user, assessment=assessment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You approved the lower level."))
    return redirect("risk:assessment_detail", case_id=case.pk, assessment_id=assessment.pk)


@capability_required("risk.assess")
def assessment_correct(request: HttpRequest, case_id: int, assessment_id: int) -> HttpResponse:
    case, assessment = _assessment(request, case_id, assessment_id, write=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        correction = services.assessment_correct(actor=request.user, original=assessment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("risk:assessment_detail", case_id=case.pk, assessment_id=assessment.pk)
    return redirect("risk:assessment_edit", case_id=case.pk, assessment_id=correction.pk)


@capability_required("case.view")
def reassessments(request: HttpRequest) -> HttpResponse:
    cases = selectors.reassessments_overdue(user=request.user)[:200]
    return render(request, "risk/reassessments.html", {"cases": cases})


@capability_required("protocol.manage")
@require_http_methods(["GET", "POST"])
def instruments(request: HttpRequest) -> HttpResponse:
    form = InstrumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        name, text = form.cleaned_data["file"]
        try:
            version = services.instrument_version_add(actor=request.user, text=text, file_name=name)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Added: %(instrument)s.") % {"instrument": str(version)})
            return redirect("risk:instruments")
    versions = InstrumentVersion.objects.all()
    return render(request, "risk/instruments.html", {"form": form, "versions": versions})
