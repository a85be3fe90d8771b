"""The statistics' fact table: one row per case, codes only (quarter opened, region,
agency kind, bands, flags), filled and kept up to date by the `statistics_refresh` job
(birge.reports.facts). No name, no date of birth, no text: every figure of the
statistics is counted from these rows, never from the cases themselves."""

from django.db import models


class CaseFact(models.Model):
    # No database constraint: the benchmark fills a million rows without cases, and a
    # fact is only ever read grouped.
    case = models.OneToOneField(
        "cases.Case",
        on_delete=models.CASCADE,
        primary_key=True,
        db_constraint=False,
        related_name="+",
    )
    # The quarter the case was opened: year × 10 + quarter (20261 … 20264).
    quarter = models.PositiveIntegerField()
    region_id = models.PositiveIntegerField()
    owning_agency_id = models.PositiveIntegerField()
    agency_kind = models.CharField(max_length=30)
    status = models.CharField(max_length=10)  # active, closed
    victim_sex = models.CharField(max_length=10)
    victim_age = models.CharField(max_length=10)
    perpetrator_sex = models.CharField(max_length=10)
    perpetrator_age = models.CharField(max_length=10)
    relationship = models.CharField(max_length=16)
    forms = models.PositiveIntegerField(default=0)  # a bit per form of violence
    children = models.PositiveSmallIntegerField(default=0)  # 1 present, 2 witnessed
    pathways = models.PositiveIntegerField(default=0)  # a bit per kind of service referred to
    risk_first = models.CharField(max_length=10)
    risk_latest = models.CharField(max_length=10)
    repeat = models.CharField(max_length=10)  # yes, no: a new incident within 12 months
    days_to_assessment = models.PositiveSmallIntegerField(null=True)
    days_to_referral = models.PositiveSmallIntegerField(null=True)
    orders = models.PositiveSmallIntegerField(default=0)  # a bit per step of its orders
    proceeding = models.CharField(max_length=16, default="none")  # the latest's stage/outcome
    programme = models.CharField(max_length=12, default="none")  # the latest referral's status
    refreshed_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["quarter", "region_id"], name="case_fact_quarter_region"),
            models.Index(fields=["owning_agency_id"], name="case_fact_agency"),
        ]

    def __str__(self) -> str:
        return f"facts of case {self.case_id}"


class FactRefresh(models.Model):
    """The job's one row: up to when the facts are refreshed ("as of" on the pages). The
    job locks it (SKIP LOCKED), so two servers never refresh at once."""

    name = models.CharField(max_length=30, unique=True)
    refreshed_through = models.DateTimeField(null=True)
    refreshed_cases = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.name
