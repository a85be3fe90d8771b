"""A perpetrator's page: his cases the reader's agency may see, and how many others."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from birge.justice.perpetrators import perpetrator_get_for_user
from birge.justice.services.perpetrators import perpetrator_view_record


@login_required
@require_GET
def perpetrator_detail(request: HttpRequest, perpetrator_id: int) -> HttpResponse:
    page = perpetrator_get_for_user(user=request.user, perpetrator_id=perpetrator_id)
    perpetrator_view_record(user=request.user, page=page, channel="page")
    return render(request, "justice/perpetrators/detail.html", {"page": page})
