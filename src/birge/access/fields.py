"""What of a case an agency may see, field by field: the victim's consent scopes.

Seeing a case is the case record. Beyond it, each personal field belongs to one scope the
consent form offers, declared by the app that defines the field (`declare_scopes`):

| scope | what | who sees it |
| --- | --- | --- |
| `case_record` | names, dates of birth, parts, incidents, risk | everyone who sees the case |
| `contact` | phone numbers | the agencies that hold the record for her, and those she consented to for contact |
| `location` | addresses, the shelter where she stays, places | … for location |
| `health` | injuries, health answers of a risk assessment | … for health |

"The agencies that hold the record for her" are the agency that opened the case (it
collected the data from her) and the coordinator's agency. Any other agency in the circle
(joined on her consent, on high risk without consent, by a conference, or by emergency
access) sees a scope only while a consent in force names it and covers that agency.

Every page, API serializer, search result, conference brief, referral summary and paper
asks `case_scopes` once and reads fields through `reveal` / `ScopedView`: a scope she may
not see shows the same neutral `HIDDEN` marker everywhere. The guarantee test walks every
route of the URL resolver against every declared field.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from birge.access.cases import consents_in_force, coordinating_agency_id
from birge.access.registry import Record
from birge.agencies.models import User
from birge.web import request_context

CASE_RECORD = "case_record"
CONTACT = "contact"
LOCATION = "location"
HEALTH = "health"
SCOPES = (CASE_RECORD, CONTACT, LOCATION, HEALTH)
ALL_SCOPES = frozenset(SCOPES)

# (app_label.model, field name) -> scope, for fields outside the case record.
_DECLARED: dict[tuple[str, str], str] = {}


def declare_scopes(model: type[Model], **fields: str) -> None:
    """The app that defines `model` says which scope each of its personal fields is in
    (fields not named are the case record)."""
    for name, scope in fields.items():
        if scope not in SCOPES:
            raise ValueError(f"unknown consent scope {scope!r}")
        model._meta.get_field(name)  # fails loudly on a typo
        _DECLARED[(model._meta.label_lower, name)] = scope


def declared_scopes() -> dict[tuple[str, str], str]:
    return dict(_DECLARED)


def field_scope(model: type[Model] | Model, name: str) -> str:
    return _DECLARED.get((model._meta.label_lower, name), CASE_RECORD)


class Hidden:
    """Shown where a field's scope is not hers to see: a neutral word, in her language,
    that says neither what the value is nor whether there is one."""

    label: Promise = _("Hidden")
    explanation: Promise = _(
        "Visible to the agencies that hold her record and to agencies she consented to."
    )

    def __str__(self) -> str:
        return str(self.label)

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        return "HIDDEN"


HIDDEN = Hidden()


def case_scopes(*, user: User, case: Record) -> frozenset[str]:
    """The scopes of this case her agency may see today."""
    if user.agency_id in (case.owning_agency_id, coordinating_agency_id(case)):
        return ALL_SCOPES
    return request_context.remembered(
        ("access.scopes", user.agency_id, case.pk), lambda: _consented_scopes(user, case)
    )


def _consented_scopes(user: User, case: Record) -> frozenset[str]:
    """One query: the scopes any consent in force gives her agency."""
    consented = SCOPES[1:]
    rows = consents_in_force(case=case, agency_id=user.agency_id).values_list(
        *(f"share_{scope}" for scope in consented)
    )
    scopes = {CASE_RECORD}
    for row in rows:
        scopes.update(scope for scope, given in zip(consented, row, strict=True) if given)
    return frozenset(scopes)


def reveal(obj: Model, name: str, scopes: frozenset[str]) -> Any:
    """The field's value, or HIDDEN when its scope is not among hers."""
    if field_scope(obj, name) not in scopes:
        return HIDDEN
    return getattr(obj, name)


@dataclass(frozen=True)
class ScopedView:
    """A record read through her scopes: attribute access gives the value or HIDDEN, so
    a template or serializer cannot reach a hidden field by accident. A record it points
    to (a participant's person) is wrapped the same way."""

    obj: Model
    scopes: frozenset[str]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            field = self.obj._meta.get_field(name)
        except FieldDoesNotExist:  # a property or method of the model, not a field
            field = None
        if field is not None and field.is_relation and field.many_to_one:
            related = getattr(self.obj, name)
            return ScopedView(related, self.scopes) if related is not None else None
        if field is not None:
            return reveal(self.obj, name, self.scopes)
        return getattr(self.obj, name)

    def __str__(self) -> str:
        return str(self.obj)
