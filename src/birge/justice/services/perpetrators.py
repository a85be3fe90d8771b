"""Writes about the perpetrator across cases: a read of his page leaves a trace, and a
serial perpetrator is flagged to the coordinators of every case of his.

The flag is raised where identities meet: when a perpetrator is added to a case (at
registration or later) and when a coordinator confirms that two persons are the same
(`birge.reactions` connects both), and for what was in the database before, by
`birge serial_perpetrators` (safe to run again: each notification is raised once per case,
perpetrator and number of other cases)."""

from dataclasses import dataclass

from django.db import transaction

from birge.access.trail import case_read_record
from birge.audit.services import event_record
from birge.cases.identity import identity_may_match
from birge.cases.models import Case, CasePerson, Part
from birge.cases.services._common import case_coordinators
from birge.justice.perpetrators import PerpetratorPage, serial_group
from birge.notifications.services import notify

SERIAL_KIND = "justice.serial_perpetrator"


def perpetrator_view_record(*, user, page: PerpetratorPage, channel: str = "page") -> None:
    """She saw his page: a read of each case it showed her (as a case page is recorded),
    and the page itself on the case she reached it from."""
    with transaction.atomic():
        for row in page.cases:
            case_read_record(user=user, case=row.case, channel=f"perpetrator_{channel}")
        event_record(
            action="justice.perpetrator_viewed",
            actor=user,
            object_type="case",
            object_id=page.participant.case_id,
            data={
                "perpetrator": page.participant.pk,
                "cases": [row.case.pk for row in page.cases],
                "hidden": page.hidden_count,
            },
        )


def serial_perpetrator_flag(*, case: Case, person_id: int, actor=None) -> int:
    """Tell the coordinators of each of his cases with another victim elsewhere how many
    such cases there are: their own case's reference and a count, never the others'
    references or victims. Returns how many notifications were raised (none again for
    the same case, perpetrator and count)."""
    if person_id not in identity_may_match([person_id]):
        return 0  # known nowhere else: one query, for most perpetrators
    group = serial_group(case_id=case.pk, person_id=person_id)
    flagged = {pk: ids for pk, ids in group.others.items() if ids}
    if not flagged:
        return 0
    raised = 0
    with transaction.atomic():
        for one in Case.objects.filter(pk__in=list(flagged)).select_related("coordinator"):
            count = len(flagged[one.pk])
            raised += notify(
                recipients=case_coordinators(one),
                kind=SERIAL_KIND,
                params={"reference": one.reference, "count": count},
                url=f"/cases/{one.pk}/",
                dedupe_key=f"serial_perpetrator:{one.pk}:{group.key}:{count}",
            )
        event_record(
            action="justice.serial_perpetrator_flagged",
            actor=actor,
            object_type="case",
            object_id=case.pk,
            data={"person": person_id, "cases": sorted(flagged)},
        )
    return raised


@dataclass
class SerialSweep:
    perpetrators: int = 0
    notifications: int = 0


def serial_perpetrators_flag_all(*, batch_size: int = 1000) -> SerialSweep:
    """Flag every serial perpetrator already in the database (after an import, or when
    the flag was introduced). Only perpetrators whose digests meet another person's are
    asked the costlier questions."""
    done = SerialSweep()
    last = 0
    while True:
        batch = list(
            CasePerson.objects.filter(pk__gt=last, part=Part.PERPETRATOR)
            .order_by("pk")
            .values_list("pk", "case_id", "person_id")[:batch_size]
        )
        if not batch:
            return done
        last = batch[-1][0]
        may_match = identity_may_match(person_id for _pk, _case, person_id in batch)
        for _pk, case_id, person_id in batch:
            if person_id not in may_match:
                continue
            case = Case.objects.get(pk=case_id)
            raised = serial_perpetrator_flag(case=case, person_id=person_id)
            if raised:
                done.perpetrators += 1
                done.notifications += raised
