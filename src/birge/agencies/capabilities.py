"""The named capabilities that roles grant.

Capabilities are the unit of permission in Birge. Roles (data, in the database) grant
lists of these codes; code asks one question through `user_has_capability`.
"""

from django.utils.translation import gettext_lazy as _

CAPABILITIES = {
    "case.view": _("View cases in the agency's circle"),
    "case.create": _("Register cases and incidents"),
    "case.edit": _("Edit cases in the agency's circle"),
    "case.coordinate": _("Coordinate a case: its circle, sealing, closing"),
    "case.emergency_access": _("Open a case outside the circle in an emergency, with a reason"),
    "risk.assess": _("Carry out risk assessments"),
    "safety.plan": _("Make and keep safety plans"),
    "referral.send": _("Refer a case to another agency"),
    "referral.receive": _("Accept or decline referrals to the agency"),
    "conference.refer": _("Refer a case to the risk conference"),
    "conference.attend": _("Attend risk conferences"),
    "conference.chair": _("Chair risk conferences"),
    "justice.record": _("Record protection orders and proceedings"),
    "agency.oversee": _("See the agency's workload and overdue actions"),
    "users.manage": _("Manage the users of one's own agency"),
    "agencies.manage": _("Manage agencies, regions, roles and all users"),
    "protocol.manage": _("Maintain the co-operation protocol and risk instruments"),
    "audit.read": _("Read the audit log"),
    "stats.view": _("See national statistics (aggregates only)"),
    "training.facilitate": _("Run training sessions on case studies"),
}


def capability_label(code: str) -> str:
    return str(CAPABILITIES.get(code, code))
