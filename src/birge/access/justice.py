"""What of a case's proceedings an agency may see: the stage for the circle, the details
for the justice side.

The issue's words: "The victim's coordinator sees the stage; the details stay with the
justice agencies unless consent or the conference shares them." Precisely, for a user who
may see the case (`birge.access.cases`):

- everyone sees that there are proceedings, their kind (criminal or administrative), the
  stage they are at and the outcome's category (conviction, acquittal, dismissal,
  reconciliation);
- the details — the sentence, the stages' dates and notes, the holding agency, the
  incident and the person who recorded it — are seen by:
  1. the agency that holds the file (`Proceeding.agency`);
  2. a justice-kind agency (police, prosecution, court, justice) in the case's circle;
  3. an agency that joined the circle through the risk conference (the conference shares
     what it discussed among those who attended);
  4. an agency that a consent in force covering the case record names.

Emergency access opens the case, not the circle: on it a justice agency sees the stage
only, and records nothing. Whoever records proceedings (`justice.record`) must be of a
justice-kind agency in the circle (`agency_in_circle`).
"""

from django.db.models import Model

from birge.access.cases import consents_in_force
from birge.access.predicates import emergency_case_ids
from birge.access.registry import Record, models
from birge.agencies.models import Agency, User
from birge.web import request_context

JUSTICE_KINDS = frozenset(
    {Agency.Kind.POLICE, Agency.Kind.PROSECUTION, Agency.Kind.COURT, Agency.Kind.JUSTICE}
)
CONFERENCE_ROUTE = "conference"


def agency_is_justice(agency: Agency | Model | None) -> bool:
    return agency is not None and getattr(agency, "kind", "") in JUSTICE_KINDS


def agency_in_circle(*, user: User, case: Record) -> bool:
    """Whether her agency is in the circle of a case she may see (`birge.access.cases`):
    she sees it through the circle unless only her emergency access opens it, which the
    request knows already; only then is the circle asked."""
    if case.pk not in emergency_case_ids(user):
        return True
    return bool(
        models.circle_member.objects.filter(
            case=case, agency_id=user.agency_id, removed_at__isnull=True
        ).exists()
    )


def proceeding_details_visible(*, user: User, case: Record, holding_agency_id: int) -> bool:
    """Whether she sees the details of one proceeding of a case she may see."""
    if user.agency_id is None:
        return False
    if holding_agency_id == user.agency_id:
        return True
    return case_proceeding_details_visible(user=user, case=case)


def case_proceeding_details_visible(*, user: User, case: Record) -> bool:
    """Rules 2 to 4 above: the same for every proceeding of the case (asked once per
    request and case)."""
    if user.agency_id is None:
        return False
    return bool(
        request_context.remembered(
            ("access.justice_details", user.agency_id, case.pk),
            lambda: _details_read(user, case),
        )
    )


def _details_read(user: User, case: Record) -> bool:
    routes = set(
        models.circle_member.objects.filter(
            case=case, agency_id=user.agency_id, removed_at__isnull=True
        ).values_list("route", flat=True)
    )
    if routes and agency_is_justice(user.agency):
        return True
    if CONFERENCE_ROUTE in routes:
        return True
    return consents_in_force(case=case, agency_id=user.agency_id, scope="case_record").exists()
