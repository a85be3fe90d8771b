"""The training pages: thin views over birge.training.selectors and services.

A session exists for its facilitator and its participants only: to anyone else every
page of it is a 404. The spread is the facilitator's; a stage's page is a participant's,
and only once the stage is released."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from birge.agencies.protocol import protocol_can_draft
from birge.agencies.selectors import user_has_capability
from birge.agencies.views import capability_required
from birge.audit.services import event_record
from birge.risk.engine import level_name
from birge.training import selectors, services
from birge.training.casestudy import case_study_get, text_in
from birge.training.forms import (
    CarryForm,
    JoinForm,
    PointsForm,
    ProposalsForm,
    SessionForm,
    StageAnswerForm,
)
from birge.training.report import session_report, stage_report
from birge.training.report_pdf import report_pdf
from birge.training.workshop import proposals_save, workshop_carry, workshop_rows
from birge.web.forms import form_add_errors


def _language() -> str:
    current = (translation.get_language() or "az")[:2]
    return current if current in ("az", "ru", "en") else "az"


@login_required
def index(request: HttpRequest) -> HttpResponse:
    sessions = selectors.sessions_visible_to(request.user).select_related("facilitator")
    context = {
        "sessions": sessions,
        "join_form": JoinForm(),
        "may_facilitate": user_has_capability(request.user, services.CAPABILITY),
    }
    return render(request, "training/index.html", context)


@capability_required(services.CAPABILITY)
@require_http_methods(["GET", "POST"])
def session_new(request: HttpRequest) -> HttpResponse:
    form = SessionForm(request.POST or None, language=_language())
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_open(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            return redirect("training:session", training_id=session.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "training/session_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            participant = services.session_join(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            return redirect("training:session", training_id=participant.session_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "training/join.html", {"form": form}, status=status)


@login_required
def session_detail(request: HttpRequest, training_id: int) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, session_id=training_id)
    study = case_study_get(session.case_study)
    language = session.language
    released = set(session.released_stages)
    facilitating = session.facilitator_id == request.user.pk
    stages = [
        {
            "id": stage.id,
            "number": stage.number,
            "title": text_in(stage.titles, language),
            "released": stage.id in released,
        }
        for stage in study.stages
        if stage.id in session.stages and (facilitating or stage.id in released)
    ]
    context = {
        "session": session,
        "study_title": text_in(study.titles, language),
        "summary": text_in(study.summaries, language),
        "stages": stages,
        "facilitating": facilitating,
        "participants": session.participants.count() if facilitating else None,
        "more_to_release": session.released < len(session.stages),
    }
    return render(request, "training/session_detail.html", context)


def _act(request: HttpRequest, act, training_id: int, done: str) -> HttpResponse:
    session = selectors.session_get_for_user(
        user=request.user, session_id=training_id, facilitate=True
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        act(actor=request.user, session=session)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("training:session", training_id=training_id)


@login_required
def release(request: HttpRequest, training_id: int) -> HttpResponse:
    return _act(
        request, services.session_release_next, training_id, _("The next stage is released.")
    )


@login_required
def close(request: HttpRequest, training_id: int) -> HttpResponse:
    return _act(request, services.session_close, training_id, _("The session is closed."))


@login_required
@require_http_methods(["GET", "POST"])
def stage_answer(request: HttpRequest, training_id: int, stage_id: str) -> HttpResponse:
    """A participant answers a released stage on the real forms."""
    session = selectors.session_get_for_user(user=request.user, session_id=training_id)
    participant = selectors.participant_of(user=request.user, session=session)
    if participant is None or stage_id not in session.released_stages:
        raise Http404
    study = case_study_get(session.case_study)
    stage = study.stage(stage_id)
    saved = selectors.answer_own(participant=participant, stage=stage_id)
    initial = {}
    if saved:
        initial = {f"item_{k}": v for k, v in saved.answers.items()}
        initial.update(
            level=saved.level if saved.level != saved.computed_level else "",
            actions=saved.actions,
            referral=saved.referral,
            conference="yes" if saved.conference else "no",
        )
    form = StageAnswerForm(
        request.POST or None,
        initial=initial,
        instrument=study.instrument,
        language=session.language,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.answer_save(
                participant=participant,
                stage=stage_id,
                answers=form.answers(),
                level=data["level"],
                actions=data["actions"],
                referral=data["referral"],
                conference=data["conference"],
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Your answers are saved. Only you can see them."))
            return redirect("training:stage", training_id=training_id, stage_id=stage_id)
    context = {
        "session": session,
        "stage": stage,
        "title": text_in(stage.titles, session.language),
        "facts": text_in(stage.facts, session.language),
        "form": form,
        "saved": saved,
        "saved_level": level_name(saved.level, session.language) if saved else "",
        "instrument_name": text_in(study.instrument.names, session.language),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "training/stage_answer.html", context, status=status)


@login_required
def stage_spread(request: HttpRequest, training_id: int, stage_id: str) -> HttpResponse:
    """The facilitator's view of one stage: the group's spread and the reference."""
    session = selectors.session_get_for_user(
        user=request.user, session_id=training_id, facilitate=True
    )
    study = case_study_get(session.case_study)
    if stage_id not in session.stages:
        raise Http404
    stage = stage_report(session, study, study.stage(stage_id), language=session.language)
    participants = [
        selectors.participant_label(p, numbered=_("Participant %(number)d"))
        for p in session.participants.select_related("user")
    ]
    context = {"session": session, "stage": stage, "participants": participants}
    return render(request, "training/stage_spread.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, training_id: int) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, session_id=training_id)
    facilitating = session.facilitator_id == request.user.pk
    form = (
        PointsForm(request.POST or None, initial={"points": session.points})
        if facilitating
        else None
    )
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            services.session_note_points(
                actor=request.user, session=session, points=form.cleaned_data["points"]
            )
            messages.success(request, _("The points discussed are saved."))
            return redirect("training:report", training_id=training_id)
    document = session_report(session, viewer=request.user)
    _record(request, session, format="html")
    context = {"session": session, "report": document, "form": form}
    status = 400 if request.method == "POST" else 200
    with translation.override(session.language):
        return render(request, "training/report.html", context, status=status)


@login_required
def report_pdf_download(request: HttpRequest, training_id: int) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, session_id=training_id)
    document = session_report(session, viewer=request.user)
    _record(request, session, format="pdf")
    response = HttpResponse(report_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="training-{session.pk}.pdf"'
    return response


def _record(request: HttpRequest, session, *, format: str) -> None:
    event_record(
        action="training.report_read",
        actor=request.user,
        object_type="training_session",
        object_id=session.pk,
        data={"format": format},
    )


@login_required
@require_http_methods(["GET", "POST"])
def workshop(request: HttpRequest, training_id: int) -> HttpResponse:
    """Participants propose response times; the facilitator sees them side by side and,
    when she may draft the protocol, carries them into a draft."""
    session = selectors.session_get_for_user(user=request.user, session_id=training_id)
    if not session.workshop:
        raise Http404
    rows = workshop_rows(session=session, language=_language())
    facilitating = session.facilitator_id == request.user.pk
    participant = (
        None if facilitating else selectors.participant_of(user=request.user, session=session)
    )
    form = None
    if participant is not None:
        initial = {}
        for proposal in participant.proposals.all():
            initial[f"hours_{proposal.pathway}"] = proposal.response_hours
            initial[f"note_{proposal.pathway}"] = proposal.note
        form = ProposalsForm(request.POST or None, initial=initial, rows=rows)
        if request.method == "POST" and form.is_valid():
            try:
                proposals_save(participant=participant, proposals=form.proposals())
            except ValidationError as error:
                form_add_errors(form, error)
            else:
                messages.success(request, _("Your agency's proposals are saved."))
                return redirect("training:workshop", training_id=training_id)
    elif request.method == "POST":
        raise Http404
    may_carry = facilitating and protocol_can_draft(request.user)
    context = {
        "session": session,
        "rows": rows if facilitating else None,
        "form": form,
        "carry_form": CarryForm(rows=rows) if may_carry else None,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "training/workshop.html", context, status=status)


@login_required
def workshop_carry_view(request: HttpRequest, training_id: int) -> HttpResponse:
    session = selectors.session_get_for_user(
        user=request.user, session_id=training_id, facilitate=True
    )
    if not (session.workshop and protocol_can_draft(request.user)):
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    rows = workshop_rows(session=session, language=_language())
    form = CarryForm(request.POST, rows=rows)
    if form.is_valid():
        try:
            draft = workshop_carry(actor=request.user, session=session, hours=form.hours())
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(
                request,
                _("Draft version %(number)d of the protocol is saved: check it, then propose it.")
                % {"number": draft.number},
            )
            return redirect("agencies:protocol_detail", number=draft.number)
    context = {"session": session, "rows": rows, "form": None, "carry_form": form}
    return render(request, "training/workshop.html", context, status=400)
