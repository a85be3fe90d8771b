"""Writes to cases. Each is one function: checks, the change, its audit event, in one
transaction. Callers have already obtained the case through birge.access."""

from birge.cases.services.circle import (
    case_seal,
    case_share,
    case_unseal,
    case_unshare,
    consent_record,
    consent_withdraw,
)
from birge.cases.services.conflicts import conflict_declare, conflict_withdraw
from birge.cases.services.emergency import (
    emergency_access_end,
    emergency_access_review,
    emergency_access_start,
)
from birge.cases.services.identity import PossibleMatchClosed, identity_decide
from birge.cases.services.lifecycle import (
    case_close,
    case_reopen,
    case_restore,
    case_retire,
    case_update,
    cases_anonymise_expired,
)
from birge.cases.services.reads import case_view_record
from birge.cases.services.registration import (
    CaseRegistration,
    case_register,
    incident_record,
    person_add,
)

__all__ = [
    "CaseRegistration",
    "PossibleMatchClosed",
    "case_close",
    "case_register",
    "case_reopen",
    "case_restore",
    "case_retire",
    "case_seal",
    "case_share",
    "case_unseal",
    "case_unshare",
    "case_update",
    "case_view_record",
    "cases_anonymise_expired",
    "conflict_declare",
    "conflict_withdraw",
    "consent_record",
    "consent_withdraw",
    "emergency_access_end",
    "emergency_access_review",
    "emergency_access_start",
    "identity_decide",
    "incident_record",
    "person_add",
]
