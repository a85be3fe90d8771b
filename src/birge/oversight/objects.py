"""What an audit event's object is, in words the reader knows: a case's reference where
she may see the case, a user's name, else the kind of object and its number."""

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birge.access.cases import cases_visible_to
from birge.agencies.models import User
from birge.audit.models import AuditEvent

KINDS = {
    "case": _("Case"),
    "user": pgettext_lazy("audit object", "User"),
    "agency": _("Agency"),
    "referral": _("Referral"),
    "region": _("Region"),
    "role": pgettext_lazy("audit object", "Role"),
    "service": _("Service"),
    "meeting": pgettext_lazy("audit object", "Conference meeting"),
    "conference_series": pgettext_lazy("audit object", "Conference series"),
    "protocol": _("Co-operation protocol"),
    "instrument": pgettext_lazy("audit object", "Risk instrument"),
    "instrument_version": pgettext_lazy("audit object", "Risk instrument version"),
}


def _ids(events: list[AuditEvent], kind: str) -> set[int]:
    return {
        int(e.object_id)
        for e in events
        if e.object_type == kind
        and e.object_id.isascii()
        and e.object_id.isdigit()
        and len(e.object_id) <= 18
    }


def audit_object_names(*, viewer: User, events: Iterable[AuditEvent]) -> dict[int, str]:
    """{event id: its object in words}, in two queries whatever the number of events."""
    events = [e for e in events if e.object_type]
    cases = cases_visible_to(viewer).filter(pk__in=_ids(events, "case")).only("pk", "opened_at")
    named = {("case", str(case.pk)): case.reference for case in cases}
    users = User.objects.filter(pk__in=_ids(events, "user"))
    named |= {("user", str(user.pk)): user.display_name for user in users}
    return {
        e.pk: named.get((e.object_type, e.object_id))
        or f"{KINDS.get(e.object_type, e.object_type)} {e.object_id}".strip()
        for e in events
    }
