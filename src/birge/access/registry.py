"""The models the access rules are about, provided by the apps that define them.

`birge.access` is part of the kernel: the domain apps (cases, referrals, conferences, …)
sit above it and ask it who may see what, so it never imports them. Instead each app
provides its models here when Django starts (in its `AppConfig.ready`), under the role the
rules know them by, and the rules read them from `models`. This is the dependency turned
the right way round: the kernel states what it needs, the domain supplies it.

A role read before it was provided, or provided twice with another model, is a
programming error and raises at once; `birge.access.checks` fails start-up when a role is
missing, so a forgotten `provide` never becomes a silently empty rule.
"""

from typing import Any

from django.db.models import Model

# role -> what it is; the domain app that defines the model provides it.
ROLES: dict[str, str] = {
    # birge.cases: the case record and its circle
    "case": "a case (the shared record of one victim)",
    "participant": "a person's part in one case (victim, perpetrator, child, other)",
    "person": "a person, with her blind indexes",
    "circle_member": "an agency in a case's circle, and its legal basis",
    "consent": "what the victim agreed may be shared, with which agencies, until when",
    "seal": "a user named on a sealed case",
    "emergency_grant": "time-limited access to a case outside the user's circle",
    "declared_relation": "a user's declaration that she is related to a person",
    # birge.referrals
    "referral": "a referral of a case from one agency to another's service",
    # birge.conferences
    "conference_series": "the risk conference of one area",
    "conference_referral": "a case in a conference's queue, then under its watch",
    "meeting": "one meeting of a conference",
    "attendance": "a person's acceptance of a meeting's confidentiality statement",
    "agenda_item": "a case on a meeting's agenda",
    "research_note": "what an agency holds on an agenda case",
    "conference_action": "what an agency promised the conference to do",
}


class ProtectedModels:
    """The provided models, read as attributes: `models.case`, `models.circle_member`."""

    def __init__(self) -> None:
        self._provided: dict[str, type[Model]] = {}

    def provide(self, **models: type[Model]) -> None:
        for role, model in models.items():
            if role not in ROLES:
                raise LookupError(f"birge.access knows no role {role!r}")
            if self._provided.get(role, model) is not model:
                raise LookupError(f"role {role!r} is provided already by another model")
            self._provided[role] = model

    def missing(self) -> list[str]:
        return [role for role in ROLES if role not in self._provided]

    # Any: the rules query the provided models by their fields (`models.case.objects`),
    # which only the defining app's own types know.
    def __getattr__(self, role: str) -> Any:
        if role.startswith("_"):
            raise AttributeError(role)
        try:
            return self._provided[role]
        except KeyError:
            raise LookupError(
                f"birge.access needs the {role!r} model ({ROLES.get(role, 'unknown role')}), "
                "and no app has provided it"
            ) from None


models = ProtectedModels()

# An instance of a provided model (a case, a referral, a meeting…): typed by its own app.
Record = Any
