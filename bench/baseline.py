"""The baseline of the case-list benchmark: the same page of cases as JSON, nothing else.

No sign-in, no capability or circle policy (seals, emergency access, conflicts of
interest), no audit, no template: one plain query for an agency's newest cases (the
agency's circle membership is what defines "the same page"), the same victim lookup
and the same decryption of her name as the real list. Served only by `bench.urls`.
"""

from django.http import HttpRequest, JsonResponse

from birge.cases.models import Case, CasePerson, Part
from birge.cases.selectors import PAGE_SIZE


def baseline_cases(request: HttpRequest) -> JsonResponse:
    try:
        agency_id = int(request.GET["agency"])
        before = int(request.GET.get("before") or 0)
    except (KeyError, ValueError):
        return JsonResponse({"error": "agency (and before) must be numbers"}, status=400)
    cases = Case.objects.filter(circle__agency_id=agency_id, circle__removed_at__isnull=True)
    cases = cases.exclude(status=Case.Status.RETIRED)
    if before:
        cases = cases.filter(pk__lt=before)
    page = list(
        cases.select_related("owning_agency", "coordinator", "region").order_by("-pk")[
            : PAGE_SIZE + 1
        ]
    )
    has_next = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    victims: dict[int, CasePerson] = {}
    for participant in (
        CasePerson.objects.filter(case__in=[c.pk for c in page], part=Part.VICTIM)
        .select_related("person")
        .order_by("id")
    ):
        victims.setdefault(participant.case_id, participant)
    rows = []
    for case in page:
        victim = victims.get(case.pk)
        rows.append(
            {
                "id": case.pk,
                "reference": case.reference,
                "victim": victim.person.full_name if victim else None,
                "status": case.status,
                "risk_level": case.risk_level,
                "region": case.region.name,
                "opened_at": case.opened_at.date().isoformat(),
                "coordinator": case.coordinator.display_name if case.coordinator else None,
                "sealed": case.sealed,
            }
        )
    return JsonResponse({"cases": rows, "next_before": page[-1].pk if has_next else None})
