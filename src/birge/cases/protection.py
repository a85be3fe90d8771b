"""What the cases app holds about a case, declared to the kernel: the models the access
rules are about, and the consent scope of each personal field."""

from birge.access.fields import CONTACT, HEALTH, LOCATION, declare_scopes
from birge.access.registry import models
from birge.cases import models as m


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
