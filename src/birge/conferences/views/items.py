"""An agenda item's page: the research brief and research, the discussion, the actions;
deferring and removing a case."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from birge.access.fields import case_scopes
from birge.audit.services import event_record
from birge.conferences import selectors, services
from birge.conferences.forms import ActionForm, DiscussionForm, ResearchForm
from birge.conferences.models import AgendaItem, Meeting
from birge.conferences.views._common import PLANNING, _say
from birge.drafts.views import draft_forget, draft_keep, draft_requested, draft_restore
from birge.risk.selectors import assessment_reasons, items_hidden_from
from birge.web.forms import form_add_errors

# --- Agenda items ---------------------------------------------------------------------


def _item_get(user, meeting_id, item_id) -> tuple[Meeting, AgendaItem]:
    meeting = selectors.meeting_get_for_user(user=user, meeting_id=meeting_id)
    return meeting, selectors.item_get_for_user(user=user, meeting=meeting, item_id=item_id)


def _item_page(
    request: HttpRequest, meeting: Meeting, item: AgendaItem, *, status: int = 200, **forms
) -> HttpResponse:
    user = request.user
    series = meeting.series
    is_chair = selectors.series_is_chair(user=user, series=series)
    attends = selectors.may_see_discussion(user=user, meeting=meeting)
    in_session = meeting.status == Meeting.Status.IN_SESSION
    planning = meeting.status in PLANNING
    pending = item.outcome == AgendaItem.Outcome.PENDING
    open_for_actions = is_chair and attends and in_session
    open_for_actions = open_for_actions and item.outcome != AgendaItem.Outcome.DEFERRED
    brief = selectors.research_brief(user=user, item=item)
    assessment = item.referral.risk_assessment
    notes = list(selectors.research_visible_to(user=user, item=item))
    # The brief names the victim, the perpetrator and the children: every reading counts.
    event_record(
        action="conference.research_viewed",
        actor=user,
        object_type="case",
        object_id=item.case_id,
        data={"meeting": meeting.pk, "item": item.pk, "channel": "page"},
    )
    may_research = (
        planning
        and selectors.series_is_member(user=user, series=series)
        and series.members.filter(pk=user.agency_id).exists()
    )
    if may_research and "research_form" not in forms:
        forms["research_form"] = ResearchForm()
        draft_restore(request, forms["research_form"], address=_address("item_research", item))
    if open_for_actions and "discussion_form" not in forms:
        forms["discussion_form"] = DiscussionForm(
            initial={
                "summary": item.summary,
                "victim_view": item.victim_view,
                "risks": item.risks,
                "version": item.version,
            }
        )
        draft_restore(request, forms["discussion_form"], address=_address("item_discussion", item))
        people_url = reverse("conferences:item_people", args=[meeting.pk, item.pk])
        forms.setdefault("action_form", ActionForm(series=series, people_url=people_url))
    context = {
        "meeting": meeting,
        "series": series,
        "item": item,
        "referral": item.referral,
        "brief": brief,
        "reasons": (
            assessment_reasons(
                assessment,
                hidden=items_hidden_from(case_scopes(user=request.user, case=item.case)),
            )
            if assessment and not brief.sealed
            else []
        ),
        "notes": notes,
        "is_chair": is_chair,
        "attends": attends,
        "actions": list(item.actions.select_related("agency", "person")) if attends else [],
        "may_defer": is_chair and attends and in_session and pending,
        "may_remove": is_chair and planning and pending,
        "today": timezone.localdate(),
        **forms,
    }
    return render(request, "conferences/item_detail.html", context, status=status)


@login_required
def item_detail(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting, item = _item_get(request.user, meeting_id, item_id)
    return _item_page(request, meeting, item)


def _item_act(request: HttpRequest, meeting_id: int, item_id: int, act) -> HttpResponse:
    meeting, item = _item_get(request.user, meeting_id, item_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        done, to_meeting = act(item)
    except ValidationError as error:
        _say(request, error)
        to_meeting = False
    else:
        messages.success(request, done)
    if to_meeting:
        return redirect("conferences:meeting_detail", meeting_id=meeting.pk)
    return redirect("conferences:item_detail", meeting_id=meeting.pk, item_id=item.pk)


@login_required
def item_remove(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    def act(item):
        services.agenda_remove(actor=request.user, item=item)
        return _("The case is off the agenda and back in the queue."), True

    return _item_act(request, meeting_id, item_id, act)


@login_required
def item_defer(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    def act(item):
        services.item_defer(actor=request.user, item=item)
        return _("The case is deferred and back in the queue for a later meeting."), False

    return _item_act(request, meeting_id, item_id, act)


def _address(name: str, item: AgendaItem) -> str:
    """A form's own address: its unsaved answers are kept there (birge.drafts)."""
    return reverse(f"conferences:{name}", args=[item.meeting_id, item.pk])


def _item_form(request, meeting_id, item_id, form_class, name: str, save, done: str):
    """A form on the item page: its errors re-render the page (400), keeping what was typed."""
    meeting, item = _item_get(request.user, meeting_id, item_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if draft_requested(request):
        return draft_keep(request)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            save(item, form)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            draft_forget(request)
            messages.success(request, done)
            return redirect("conferences:item_detail", meeting_id=meeting.pk, item_id=item.pk)
    return _item_page(request, meeting, item, status=400, **{name: form})


@login_required
def item_research(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    def save(item, form):
        services.research_add(actor=request.user, item=item, **form.cleaned_data)

    return _item_form(
        request,
        meeting_id,
        item_id,
        ResearchForm,
        "research_form",
        save,
        _("Your agency's research is added."),
    )


@login_required
def item_discussion(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    def save(item, form):
        services.item_discuss(actor=request.user, item=item, **form.cleaned_data)

    return _item_form(
        request,
        meeting_id,
        item_id,
        DiscussionForm,
        "discussion_form",
        save,
        _("The discussion is recorded."),
    )


@login_required
def item_action_new(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting, item = _item_get(request.user, meeting_id, item_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    people_url = reverse("conferences:item_people", args=[meeting.pk, item.pk])
    form = ActionForm(request.POST, series=meeting.series, people_url=people_url)
    if form.is_valid():
        try:
            services.action_add(actor=request.user, item=item, **form.service_arguments())
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The action is recorded."))
            return redirect("conferences:item_detail", meeting_id=meeting.pk, item_id=item.pk)
    return _item_page(request, meeting, item, status=400, action_form=form)


@login_required
def item_people(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    """The responsible-person list narrowed to the chosen agency (htmx swaps it in when
    the chair chooses the agency of an action); for the chair of a meeting in session."""
    meeting, _item = _item_get(request.user, meeting_id, item_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    if not selectors.series_is_chair(user=request.user, series=meeting.series):
        raise Http404
    form = ActionForm(series=meeting.series, initial={"agency": request.GET.get("agency", "")})
    return HttpResponse(str(form["person"]))
