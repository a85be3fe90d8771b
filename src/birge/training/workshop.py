"""The co-operation-plan workshop: in a session opened as a workshop, each participant
proposes, for her agency, the response time of each pathway of the protocol in force; the
facilitator sees the proposals side by side, agency by agency, and — when she may draft
the protocol — carries the hours the group settled on into a new draft version, which then
goes through the protocol's own proposal flow (birge.agencies.protocol)."""

import copy
from dataclasses import dataclass
from statistics import median

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from birge.agencies.models import ProtocolVersion
from birge.agencies.protocol import (
    protocol_can_draft,
    protocol_draft_save,
    protocol_in_force,
)
from birge.audit.services import event_record
from birge.training.models import Participant, PathwayProposal, TrainingSession


@dataclass(frozen=True)
class PathwayRow:
    id: str
    situation: str
    service_kind: str
    min_risk: str
    hours: int  # the promise in force
    proposals: list[tuple[str, int, str]]  # (agency name, hours, note)
    median: int | None


def pathways_in_force() -> list[dict]:
    version = protocol_in_force()
    return list(version.content.get("pathways", [])) if version else []


def workshop_rows(*, session: TrainingSession, language: str) -> list[PathwayRow]:
    proposals: dict[str, list[PathwayProposal]] = {}
    for proposal in PathwayProposal.objects.filter(participant__session=session).select_related(
        "agency"
    ):
        proposals.setdefault(proposal.pathway, []).append(proposal)
    rows = []
    for pathway in pathways_in_force():
        mine = sorted(proposals.get(pathway["id"], []), key=lambda p: (p.agency.name, p.pk))
        hours = [p.response_hours for p in mine]
        rows.append(
            PathwayRow(
                id=pathway["id"],
                situation=pathway["situation"].get(language) or pathway["situation"]["en"],
                service_kind=pathway["service_kind"],
                min_risk=pathway.get("min_risk", ""),
                hours=pathway["response_hours"],
                proposals=[(p.agency.name, p.response_hours, p.note) for p in mine],
                median=round(median(hours)) if hours else None,
            )
        )
    return rows


def proposals_save(*, participant: Participant, proposals: dict[str, tuple[int, str]]) -> None:
    """Her agency's proposed hours per pathway id; a pathway left empty withdraws hers."""
    session = participant.session
    if not session.workshop or session.status != TrainingSession.Status.OPEN:
        raise ValidationError(_("This session takes no proposals."))
    known = {p["id"] for p in pathways_in_force()}
    with transaction.atomic():
        for pathway, (hours, note) in proposals.items():
            if pathway not in known:
                continue
            if hours:
                PathwayProposal.objects.update_or_create(
                    participant=participant,
                    pathway=pathway,
                    defaults={
                        "agency_id": participant.user.agency_id,
                        "response_hours": hours,
                        "note": note,
                    },
                )
            else:
                PathwayProposal.objects.filter(participant=participant, pathway=pathway).delete()
        event_record(
            action="training.pathways_proposed",
            actor=participant.user,
            object_type="training_session",
            object_id=session.pk,
            data={"participant": participant.number},
        )


def workshop_carry(*, actor, session: TrainingSession, hours: dict[str, int]) -> ProtocolVersion:
    """A new draft of the protocol: the version in force with the hours chosen here. It is
    the facilitator's draft; she proposes it to the coordinating body as any draft."""
    if session.facilitator_id != actor.pk or not session.workshop:
        raise PermissionDenied
    if not protocol_can_draft(actor):
        raise PermissionDenied
    version = protocol_in_force()
    if version is None:
        raise ValidationError(_("No protocol is in force to change."))
    content = copy.deepcopy(version.content)
    changed = []
    for pathway in content.get("pathways", []):
        chosen = hours.get(pathway["id"])
        if chosen and chosen != pathway["response_hours"]:
            pathway["response_hours"] = chosen
            changed.append(pathway["id"])
    if not changed:
        raise ValidationError(_("No response time differs from the protocol in force."))
    note = _("Response times from the training workshop “%(title)s”: %(pathways)s.") % {
        "title": session.title,
        "pathways": ", ".join(changed),
    }
    with transaction.atomic():
        draft = protocol_draft_save(actor=actor, content=content, note=note)
        event_record(
            action="training.workshop_carried",
            actor=actor,
            object_type="training_session",
            object_id=session.pk,
            data={"protocol": draft.number, "pathways": changed},
        )
    return draft
