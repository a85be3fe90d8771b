"""A coordinator's answer to a possible match: the same person, or not."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from birge.access.cases import case_is_coordinating
from birge.audit.services import event_record
from birge.cases import events
from birge.cases.identity import identity_possible_matches
from birge.cases.models import Case, CasePerson, IdentityDecision
from birge.cases.services._common import case_coordinators
from birge.notifications.services import notify


class PossibleMatchClosed(ValidationError):
    def __init__(self):
        super().__init__(
            _(
                "This possible match is no longer open: it has been answered, or the "
                "details have changed. Reload the case."
            ),
            code="stale",
        )


def identity_decide(
    *, actor, case: Case, participant: CasePerson, token: str, same: bool
) -> IdentityDecision:
    """Answer one of the possible matches offered for a person of the case (`token` names
    it, `PossibleMatch.token`). "The same" makes it a match from then on: it counts as
    repeat victimisation or a serial perpetrator, and the other case's coordinators are
    told. Either answer stops it being offered, to anyone."""
    if participant.case_id != case.pk or not case_is_coordinating(user=actor, case=case):
        raise PermissionDenied
    match = next(
        (
            m
            for m in identity_possible_matches(person=participant.person, exclude_case_id=case.pk)
            if constant_time_compare(m.token, token)
        ),
        None,
    )
    if match is None:
        raise PossibleMatchClosed
    low, high = sorted((participant.person_id, match.other_person_id))
    answer = IdentityDecision.Answer.SAME if same else IdentityDecision.Answer.DIFFERENT
    try:
        with transaction.atomic():
            decision = IdentityDecision.objects.create(
                person_id=low, other_id=high, answer=answer, case=case, decided_by=actor
            )
            event_record(
                action="case.identity_decided",
                actor=actor,
                object_type="case",
                object_id=case.pk,
                data={
                    "person": participant.person_id,
                    "other_person": match.other_person_id,
                    "other_case": match.case_id,
                    "answer": str(answer),
                },
            )
            if same:
                other = Case.objects.select_related("coordinator").get(pk=match.case_id)
                notify(
                    recipients=[u for u in case_coordinators(other) if u.pk != actor.pk],
                    kind="case.identity_confirmed",
                    params={"reference": other.reference, "agency": actor.agency.name_en},
                    url=f"/cases/{other.pk}/",
                    dedupe_key=f"identity_confirmed:{decision.pk}:{other.pk}",
                )
                events.identity_joined.send(Case, case=case, participant=participant, actor=actor)
    except IntegrityError:
        # Answered at the same moment by someone else: hers stands.
        raise PossibleMatchClosed from None
    return decision
