"""Safety plan pages: under a case, for whoever sees the case; changes need `safety.plan`.

Outside the case's circle every page is a 404 (birge.access.cases); read pages check the
case before the method, so that there even a POST is a 404, not a 405. A colleague who sees
the case but may not change plans gets 403 on the pages that change them, as on cases.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from birge.access.cases import case_get_for_user
from birge.agencies.selectors import user_has_capability
from birge.agencies.views import capability_required
from birge.cases.models import Case, CasePerson, Part
from birge.drafts.views import draft_forget, draft_keep, draft_requested, draft_restore
from birge.privacy.redaction import Hit
from birge.safety import selectors, services
from birge.safety.forms import SafetyActionForm, SafetyActionStatusForm, SafetyPlanForm
from birge.safety.models import SECTIONS, SafetyAction
from birge.safety.paper import FILE_NAME, safety_plan_paper
from birge.safety.pdf import paper_pdf
from birge.web.forms import form_add_errors


def _can_plan(user, case: Case) -> bool:
    return (
        case.status == Case.Status.OPEN
        and user_has_capability(user, "case.edit")
        and user_has_capability(user, "safety.plan")
    )


def _case_for_planning(request: HttpRequest, case_id: int) -> Case:
    case = case_get_for_user(user=request.user, case_id=case_id, write=True)
    if not user_has_capability(request.user, "safety.plan"):
        raise PermissionDenied
    return case


def _plan(case: Case, plan_id: int):
    plan = selectors.safety_plan_get(case=case, plan_id=plan_id)
    if plan is None:
        raise Http404
    return plan


@capability_required("case.view")
def plan_list(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, case_id=case_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    victims = selectors.case_safety_plans(case=case)
    return render(
        request,
        "safety/plan_list.html",
        {"case": case, "victims": victims, "can_plan": _can_plan(request.user, case)},
    )


@capability_required("case.view")
def plan_detail(request: HttpRequest, case_id: int, plan_id: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, case_id=case_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    plan = _plan(case, plan_id)
    services.safety_plan_read_record(user=request.user, case=case, plan=plan)
    detail = selectors.safety_plan_detail(plan=plan)
    sections = [(label, getattr(detail.current, name, "")) for name, label in SECTIONS]
    context = {
        "case": case,
        "d": detail,
        "sections": sections,
        "statuses": SafetyAction.Status.choices,
        "today": timezone.localdate(),
        "can_plan": _can_plan(request.user, case),
    }
    return render(request, "safety/plan_detail.html", context)


@capability_required("case.view")
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest, case_id: int, victim_id: int) -> HttpResponse:
    case = _case_for_planning(request, case_id)
    victim = get_object_or_404(CasePerson, case=case, pk=victim_id, part=Part.VICTIM)
    existing = selectors.case_safety_plans(case=case)
    plan = next((v.plan for v in existing if v.victim.pk == victim.pk and v.plan), None)
    if plan is not None and request.method == "GET":
        return redirect("safety:plan_edit", case_id=case.pk, plan_id=plan.pk)
    initial = {"version": 0, "language": request.LANGUAGE_CODE}
    return _plan_form(request, case=case, victim=victim, initial=initial)


@capability_required("case.view")
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, case_id: int, plan_id: int) -> HttpResponse:
    case = _case_for_planning(request, case_id)
    plan = _plan(case, plan_id)
    current = selectors.safety_plan_latest(plan)
    initial = {"version": plan.version, "language": plan.language}
    initial.update(current.sections if current else {})
    return _plan_form(request, case=case, victim=plan.victim, initial=initial, plan=plan)


def _plan_form(request, *, case, victim, initial, plan=None) -> HttpResponse:
    if draft_requested(request):  # the callers checked access as for the form itself
        return draft_keep(request)
    form = SafetyPlanForm(request.POST or None, initial=initial)
    marked: dict[str, list[tuple[str, str]]] = {}
    confirm = ""
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.safety_plan_save(
                actor=request.user,
                case=case,
                victim=victim,
                sections=form.sections(),
                language=form.cleaned_data["language"],
                version=form.cleaned_data["version"],
                confirm=request.POST.get("confirm", ""),
            )
        except services.PlanMentionsError as error:
            form_add_errors(form, error)
            marked = {
                name: _marked(error.texts[name], hits) for name, hits in error.mentions.items()
            }
            confirm = error.fingerprint
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            draft_forget(request)
            messages.success(request, _("The safety plan is saved."))
            return redirect("safety:plan_detail", case_id=case.pk, plan_id=plan.pk)
    draft_restore(request, form)
    status = 400 if request.method == "POST" else 200
    context = {
        "case": case,
        "plan": plan,
        "form": form,
        "sections": [(form[name], marked.get(name)) for name, _label in SECTIONS],
        "confirm": confirm,
    }
    return render(request, "safety/plan_form.html", context, status=status)


# What a marked passage names, for the writer (never the name or the place itself).
_MENTIONS = {
    "name:victim": gettext_lazy("the victim's name"),
    "name:perpetrator": gettext_lazy("the perpetrator's name"),
    "name:child": gettext_lazy("a child's name"),
    "name:other": gettext_lazy("a name in the case"),
    "address": gettext_lazy("her address"),
    "shelter": gettext_lazy("the shelter's location"),
    "incident": gettext_lazy("where an incident happened"),
}
_NUMBER = gettext_lazy("a house or flat number")


def _marked(text: str, hits: list[Hit]) -> list[tuple[str, str]]:
    """`text` in pieces: (piece, "") unmarked, (passage, what it names) marked."""
    pieces, at = [], 0
    for hit in hits:
        pieces.append((text[at : hit.start], ""))
        sources = dict.fromkeys(str(_MENTIONS[key.rsplit(":", 1)[0]]) for key in hit.keys)
        pieces.append((text[hit.start : hit.end], ", ".join(sources) or str(_NUMBER)))
        at = hit.end
    pieces.append((text[at:], ""))
    return [piece for piece in pieces if piece[0]]


@capability_required("case.view")
@require_http_methods(["GET", "POST"])
def action_add(request: HttpRequest, case_id: int, plan_id: int) -> HttpResponse:
    case = _case_for_planning(request, case_id)
    plan = _plan(case, plan_id)
    form = SafetyActionForm(
        request.POST or None,
        agencies=selectors.responsible_agencies(case=case),
        people=selectors.responsible_people(case=case),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.safety_action_add(
                actor=request.user, case=case, plan=plan, **form.cleaned_data
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The action is added."))
            return redirect("safety:plan_detail", case_id=case.pk, plan_id=plan.pk)
    status = 400 if request.method == "POST" else 200
    context = {"case": case, "plan": plan, "form": form, "title": _("Add an action")}
    return render(request, "safety/action_form.html", context, status=status)


@capability_required("case.view")
@require_http_methods(["GET", "POST"])
def action_status(request: HttpRequest, case_id: int, plan_id: int, action_id: int) -> HttpResponse:
    case = _case_for_planning(request, case_id)
    plan = _plan(case, plan_id)
    action = get_object_or_404(SafetyAction.objects.select_related("plan"), plan=plan, pk=action_id)
    form = SafetyActionStatusForm(request.POST or None, initial={"status": action.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.safety_action_set_status(
                actor=request.user, case=case, action=action, status=form.cleaned_data["status"]
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The action's status is changed."))
            return redirect("safety:plan_detail", case_id=case.pk, plan_id=plan.pk)
    draft_restore(request, form)
    status = 400 if request.method == "POST" else 200
    context = {
        "case": case,
        "plan": plan,
        "form": form,
        "title": _("Change the action's status"),
        "action": action,
    }
    return render(request, "safety/action_form.html", context, status=status)


def _her_paper(case: Case, plan_id: int):
    plan = _plan(case, plan_id)
    revision = selectors.safety_plan_latest(plan)
    if revision is None:
        raise Http404
    paper = safety_plan_paper(
        revision=revision, language=plan.language, redactor=selectors.case_redactor(case=case)
    )
    return plan, paper


@capability_required("case.view")
def plan_print(request: HttpRequest, case_id: int, plan_id: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, case_id=case_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    plan, paper = _her_paper(case, plan_id)
    services.safety_plan_read_record(user=request.user, case=case, plan=plan, channel="print")
    return render(request, "safety/plan_print.html", {"case": case, "plan": plan, "paper": paper})


@capability_required("case.view")
def plan_pdf(request: HttpRequest, case_id: int, plan_id: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, case_id=case_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    plan, paper = _her_paper(case, plan_id)
    services.safety_plan_read_record(user=request.user, case=case, plan=plan, channel="pdf")
    response = HttpResponse(paper_pdf(paper), content_type="application/pdf")
    # The same neutral name for every plan: nothing of the case, nothing that says
    # "safety plan" on her phone.
    response["Content-Disposition"] = f'attachment; filename="{FILE_NAME}"'
    response["Cache-Control"] = "no-store, private"
    return response
