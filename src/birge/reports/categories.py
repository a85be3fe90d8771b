"""The codes the statistics count by, with their labels in the reader's language. The
fact table (birge.reports.models) stores these codes; bit flags follow the order of the
lists here."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birge.agencies.models import Agency, ServiceKind
from birge.cases.models import Person, Relationship, RiskLevel, ViolenceForm
from birge.justice.models import Proceeding, ProgrammeReferral

UNKNOWN = ("unknown", _("Not known"))

STATUS = [("active", _("Active")), ("closed", _("Closed"))]
SEX = [(code, label) for code, label in Person.Sex.choices]
AGE = [
    ("under_18", _("Under 18")),
    ("18_24", _("18–24")),
    ("25_34", _("25–34")),
    ("35_44", _("35–44")),
    ("45_59", _("45–59")),
    ("60_plus", _("60 and over")),
    UNKNOWN,
]
AGE_BANDS = [(18, "under_18"), (25, "18_24"), (35, "25_34"), (45, "35_44"), (60, "45_59")]
RELATIONSHIP = [
    ("partner", _("Partner or spouse")),
    ("former_partner", _("Former partner or spouse")),
    ("family", _("Family member")),
    ("other", pgettext_lazy("relationship", "Other")),
    UNKNOWN,
]
RELATIONSHIP_GROUP = {
    Relationship.SPOUSE: "partner",
    Relationship.PARTNER: "partner",
    Relationship.FORMER_SPOUSE: "former_partner",
    Relationship.FORMER_PARTNER: "former_partner",
    Relationship.PARENT: "family",
    Relationship.CHILD: "family",
    Relationship.SIBLING: "family",
    Relationship.IN_LAW: "family",
    Relationship.OTHER_RELATIVE: "family",
    Relationship.OTHER: "other",
}
AGENCY_KIND = list(Agency.Kind.choices)
RISK = [*RiskLevel.choices, ("none", _("Not assessed"))]
YES_NO = [("yes", _("Yes")), ("no", _("No"))]
FORMS = list(ViolenceForm.choices)
CHILDREN = [("present", _("Children present")), ("witnessed", _("Children witnessed it"))]
PATHWAYS = list(ServiceKind.choices)
# A case's protection orders: whether any was applied for, issued, served, breached
# (the justice app's figures count the same way).
ORDERS = [
    ("applied", _("An order applied for")),
    ("issued", _("An order issued")),
    ("served", _("An order served on the perpetrator")),
    ("breached", _("An order breached")),
]
# A case's latest proceeding: its stage, or its outcome once decided.
NO_PROCEEDING = ("none", _("No proceedings"))
PROCEEDING = [
    *[(code, label) for code, label in Proceeding.Stage.choices if code != "outcome"],
    *Proceeding.Outcome.choices,
    NO_PROCEEDING,
]
# A case's latest perpetrator programme referral: where it stands.
PROGRAMME = [*ProgrammeReferral.Status.choices, ("none", _("No programme"))]
DAYS = [
    ("same_day", _("The same day")),
    ("week", _("1–7 days")),
    ("month", _("8–30 days")),
    ("quarter", _("31–90 days")),
    ("later", _("More than 90 days")),
    ("none", _("Not yet")),
]
DAY_BANDS = [(0, "same_day"), (7, "week"), (30, "month"), (90, "quarter")]
# Days are stored up to this many; longer waits count as this (the band "later").
DAYS_CAP = 999


def age_band(age: int | None) -> str:
    if age is None:
        return "unknown"
    for below, band in AGE_BANDS:
        if age < below:
            return band
    return "60_plus"


def day_band(days: int | None) -> str:
    if days is None:
        return "none"
    for upto, band in DAY_BANDS:
        if days <= upto:
            return band
    return "later"


def bits(codes: list[str], choices: list) -> int:
    order = [code for code, _label in choices]
    return sum(1 << order.index(code) for code in set(codes) if code in order)
