"""What each kind of notification says, in one place. Parameters are identifiers only."""

from django.utils.translation import gettext_lazy as _

KINDS = {
    "case.emergency_access": _(
        "Emergency access to case %(reference)s was opened by a user of %(agency)s."
    ),
    "case.shared_without_consent": _(
        "Case %(reference)s was shared with %(agency)s without consent, on high risk."
    ),
    "case.identity_match": _(
        "A person in case %(reference)s was also registered in a case of %(agency)s. "
        "They may contact you."
    ),
    "case.identity_possible_match": _(
        "A person in case %(reference)s may be the same as a person in a case of %(agency)s: "
        "the surname differs only in its ending. Compare the details on the case page."
    ),
    "case.identity_confirmed": _(
        "A coordinator of %(agency)s confirmed that a person in case %(reference)s is the "
        "same as a person in one of their cases."
    ),
    "case.escalated.new_incident": _(
        "A new incident was recorded in case %(reference)s: a new risk assessment is due now."
    ),
    "case.escalated.repeated_incidents": _(
        "Case %(reference)s has had repeated incidents within 12 months: a new risk "
        "assessment is due now, and the case is in the risk conference's queue."
    ),
    # Before the rising level: kept so that older notifications still read.
    "case.escalated.rising_score": _(
        "The risk score in case %(reference)s has risen: a new risk assessment is due now."
    ),
    "case.escalated.rising_level": _(
        "The risk level in case %(reference)s has risen: see the latest assessment."
    ),
    "case.escalated.order_breach": _(
        "A protection order was breached in case %(reference)s: a new risk assessment is due now."
    ),
    "risk.downgrade_requested": _(
        "An assessment in case %(reference)s lowers the computed risk level and needs the "
        "approval of a second professional from another agency."
    ),
    "referral.received": _(
        "%(agency)s sent your agency a referral (no. %(referral)s); it waits for your answer."
    ),
    "referral.accepted": _("%(agency)s accepted the referral in case %(reference)s."),
    "referral.declined": _("%(agency)s declined the referral in case %(reference)s."),
    "referral.completed": _("%(agency)s completed the referral in case %(reference)s."),
    "referral.consent_needed": _(
        "%(agency)s accepted the referral in case %(reference)s but cannot see the case: "
        "no consent of the victim covers it and the risk is not high. Record her consent "
        "and share the case, if she agrees."
    ),
    "referral.withdrawn": _("%(agency)s withdrew the referral no. %(referral)s."),
    "case.coordinator_assigned": _("You are now the coordinator of case %(reference)s."),
    "audit.conflict_attempt": _(
        "A user tried to open case %(reference)s, which involves a person she or he "
        "declared a relation to."
    ),
    "audit.unassigned_views": _(
        "A user opened many cases she or he is not assigned to (within %(hours)s hours: %(count)s)."
    ),
    "audit.emergency_access": _(
        "Emergency access to case %(reference)s was opened; please review it."
    ),
    "referral.reminder": _(
        "Referral %(referral)s to your agency is waiting for an answer; most of the time "
        "your agency promised has passed."
    ),
    "referral.overdue": _(
        "Referral %(referral)s to your agency was not answered within the promised time."
    ),
    "referral.overdue_national": _(
        "Referral %(referral)s to %(agency)s is still not answered, long after the promised time."
    ),
    "risk.reassessment_reminder": _(
        "The risk reassessment in case %(reference)s is overdue: assess the risk again."
    ),
    "risk.reassessment_overdue": _(
        "The risk reassessment in case %(reference)s is overdue and was not made after a reminder."
    ),
    "risk.reassessment_overdue_national": _(
        "The risk reassessment in case %(reference)s is still overdue, long after its "
        "agency's lead was told."
    ),
    "conference.queued": _("Case %(reference)s is in your risk conference's queue."),
    "conference.repeat_queued": _(
        "Case %(reference)s is back in your risk conference's queue: a new incident within "
        "12 months of its last conference (a repeat case)."
    ),
    "conference.agenda": _(
        "The risk conference of %(date)s has %(count)s cases on its agenda: add what your "
        "agency holds about them."
    ),
    "conference.circle_joined": _(
        "The risk conference discussed case %(reference)s: %(count)s attending agencies "
        "joined its circle for the purpose of the conference."
    ),
    "conference.action_assigned": _(
        "The risk conference gave you an action in case %(reference)s, due %(due)s."
    ),
    "conference.action_done": _(
        "%(agency)s reported a conference action in case %(reference)s as done."
    ),
    "conference.action_reminder": _(
        "A conference action in case %(reference)s is due %(due)s and not yet done."
    ),
    "conference.action_overdue": _(
        "A conference action of %(agency)s in case %(reference)s was due %(due)s and is not done."
    ),
    # birge.justice: proceedings (the stage only) and perpetrator programmes.
    "justice.proceeding_opened": _(
        "Proceedings against a perpetrator in case %(reference)s were opened: the stage is on "
        "the case page."
    ),
    "justice.proceeding_stage": _(
        "Proceedings in case %(reference)s moved to a new stage: see the case page."
    ),
    "justice.proceeding_decided": _(
        "Proceedings in case %(reference)s were decided: the outcome is on the case page."
    ),
    "justice.programme_completed": _(
        "The perpetrator in case %(reference)s completed the programme of %(agency)s."
    ),
    "justice.programme_dropped_out": _(
        "The perpetrator in case %(reference)s dropped out of the programme of %(agency)s."
    ),
    "justice.programme_declined": _(
        "The perpetrator in case %(reference)s did not start the programme of %(agency)s."
    ),
    "justice.serial_perpetrator": _(
        "A perpetrator in case %(reference)s is known as the perpetrator in %(count)s other "
        "case(s) with other victims. Ask the risk conference."
    ),
    # Protection orders (birge.justice).
    "order.applied": _(
        "An application for a protection order (no. %(order)s) in case %(reference)s waits "
        "for your agency's decision."
    ),
    "order.refused": _("The protection order no. %(order)s in case %(reference)s was refused."),
    "order.issued": _("A protection order (no. %(order)s) was issued in case %(reference)s."),
    "order.served": _(
        "The protection order no. %(order)s in case %(reference)s was served and is in force."
    ),
    "order.extended": _("The protection order no. %(order)s in case %(reference)s was extended."),
    "order.varied": _(
        "The conditions of the protection order no. %(order)s in case %(reference)s changed."
    ),
    "order.revoked": _("The protection order no. %(order)s in case %(reference)s was revoked."),
    "order.expiring_short": _(
        "The short-term protection order no. %(order)s in case %(reference)s ends on "
        "%(ends_on)s. Ask her whether she needs a long-term order from the court."
    ),
    "order.expiring": _(
        "The protection order no. %(order)s in case %(reference)s ends on %(ends_on)s. Ask "
        "her whether she needs it extended."
    ),
    "order.breached": _(
        "The protection order no. %(order)s your agency issued was breached in case %(reference)s."
    ),
}


def notification_text(kind: str, params: dict, agencies: dict | None = None) -> str:
    """The text in the reader's language; agency ids become the agencies' names."""
    template = KINDS.get(kind)
    if template is None:
        return kind
    params = dict(params)
    if "agency_id" in params:
        agency = (agencies or {}).get(params["agency_id"])
        params["agency"] = agency.name if agency else "—"
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)
