"""What the jobs keep for themselves: the chase of each overdue risk reassessment.

A referral or a conference action carries its own step timestamps; a reassessment is not
a row of its own (it is the case's `reassessment_due_at`), so its chase is: one row per
case and due date, made when that date has passed. A new assessment (or an escalation)
gives the case a new due date, so the old chase is over and a new one begins if the new
date passes too.
"""

from django.db import models


class ReassessmentChase(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    # The case's `reassessment_due_at` this chase is about.
    due_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalated_national_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "due_at"], name="reassessment_chase_once")
        ]

    def __str__(self) -> str:
        return f"reassessment chase of case {self.case_id}"
