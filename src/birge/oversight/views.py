from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from birge.agencies.views import capability_required
from birge.audit import selectors
from birge.audit.actions import event_label
from birge.audit.selectors import events_with_reasons
from birge.audit.services import event_record
from birge.oversight.forms import EventFilterForm
from birge.oversight.objects import audit_object_names


@capability_required("audit.read")
def event_list(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        if "agency" in filters:
            filters["agency_id"] = filters.pop("agency").pk
    events = selectors.event_list(**filters) if not form.errors else selectors.event_list().none()
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    # Read the page before recording the view: the page's slice is lazy, and the new event
    # would otherwise push the oldest row off it.
    events = events_with_reasons(page)
    objects = audit_object_names(viewer=request.user, events=events)
    rows = [
        (event, event_label(event.action, event.data), objects.get(event.pk, ""))
        for event in events
    ]
    # Reading the log is itself an access worth recording.
    event_record(action="audit.log.viewed", actor=request.user, data={"page": page.number})
    return render(request, "audit/event_list.html", {"form": form, "page": page, "rows": rows})
