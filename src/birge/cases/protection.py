"""What the cases app holds about a case, declared to the kernel: the models the access
rules are about, the consent scope of each personal field, and what retention forgets."""

from birge.access.fields import CONTACT, HEALTH, LOCATION, declare_scopes
from birge.access.registry import models
from birge.cases import models as m
from birge.privacy.retention import hold

STATISTICS = "counted in the national statistics: codes, dates and ages identify nobody"


def declare() -> None:
    models.provide(
        case=m.Case,
        participant=m.CasePerson,
        person=m.Person,
        circle_member=m.CircleMember,
        consent=m.Consent,
        seal=m.SealedAccess,
        emergency_grant=m.EmergencyAccess,
        declared_relation=m.ConflictDeclaration,
    )

    declare_scopes(m.Person, phone=CONTACT, address=LOCATION)
    declare_scopes(m.CasePerson, shelter_location=LOCATION)
    declare_scopes(m.Incident, place=LOCATION, injuries=HEALTH)

    hold(
        m.Case,
        case="pk",
        blank=["sealed_reason"],
        stamp="anonymised_at",
        why=STATISTICS,
    )
    hold(
        m.Person,
        case="parts__case",
        blank=["first_name", "last_name", "patronymic", "birth_date", "phone", "address"],
        keep=["languages"],
        stamp="anonymised_at",
        why="the languages she speaks are counted; her age is kept as a number",
    )
    hold(m.PersonIndex, case="person__parts__case", delete=True, why="derived from her name")
    hold(
        m.CasePerson,
        case="case",
        blank=["shelter_location"],
        why=STATISTICS,
    )
    hold(
        m.Incident,
        case="case",
        blank=["place", "narrative"],
        keep=["forms"],
        why="the forms of violence are codes the statistics count",
    )
    hold(m.Consent, case="case", why="which scopes she agreed to, with whom, until when")
    hold(
        m.CircleMember,
        case="case",
        blank=["reason"],
        why="how and on which legal basis an agency joined",
    )
    hold(m.SealedAccess, case="case", why="who was named on a seal: user ids")
    hold(
        m.EmergencyAccess,
        case="case",
        blank=["reason", "review_note"],
        why="who opened the case in an emergency and when stays for the auditors",
    )
    hold(m.IdempotencyKey, case="case", delete=True, why="a client's retry key")
    hold(
        m.IdempotentRequest,
        case="case",
        delete=True,
        why="an API client's kept answer (personal data), for retries within 24 hours",
    )
    hold(
        m.IdentityDecision,
        case=("person__parts__case", "other__parts__case"),
        delete=True,
        why="a link between her and a person in another case would re-identify her",
    )
