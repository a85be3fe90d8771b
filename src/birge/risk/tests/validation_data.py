"""Data for the validation tests: bare cases, assessments and incidents, written directly
(the report reads only these tables' plain columns)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from birge.cases.models import Case, Incident
from birge.risk.models import InstrumentVersion, RiskAssessment


def instrument_version(instrument_id: str = "test-instrument", version: str = "1"):
    return InstrumentVersion.objects.create(
        instrument_id=instrument_id, version=version, source="{}", sha256="0" * 64
    )


def at(day: date, hour: int = 10) -> datetime:
    """A moment on `day` in Birge's time zone."""
    return datetime.combine(day, time(hour), timezone.get_current_timezone())


class Writer:
    """Cases with one assessment each, and incidents after them."""

    def __init__(self, user, version: InstrumentVersion):
        self.user = user
        self.version = version

    def case(self, opened: date) -> Case:
        return Case.objects.create(
            owning_agency=self.user.agency,
            region=self.user.agency.region,
            created_by=self.user,
            opened_at=at(opened, 9),
        )

    def assessment(
        self,
        level: str,
        submitted: date,
        *,
        case: Case | None = None,
        score: float | None = None,
        status: str = RiskAssessment.Status.SUBMITTED,
        version: InstrumentVersion | None = None,
        incidents_after: tuple[int, ...] = (),
        computed_level: str | None = None,
    ) -> RiskAssessment:
        """An assessment on `submitted` (10:00), with incidents that many days after."""
        case = case or self.case(submitted - timedelta(days=3))
        assessment = RiskAssessment.objects.create(
            case=case,
            instrument_version=version or self.version,
            assessed_by=self.user,
            agency=self.user.agency,
            status=status,
            submitted_at=at(submitted) if status == RiskAssessment.Status.SUBMITTED else None,
            score=score,
            computed_level=computed_level if computed_level is not None else level,
            final_level=level,
        )
        for days in incidents_after:
            self.incident(case, submitted + timedelta(days=days))
        return assessment

    def incident(self, case: Case, day: date) -> Incident:
        return Incident.objects.create(
            case=case,
            occurred_on=day,
            reporting_agency=self.user.agency,
            recorded_by=self.user,
        )

    def many(
        self, level: str, submitted: date, *, count: int, outcomes: int, score: float | None = None
    ) -> None:
        """`count` assessments at `level`, the first `outcomes` followed by an incident
        30 days later. Cases and assessments go in with bulk_create."""
        cases = Case.objects.bulk_create(
            [
                Case(
                    owning_agency=self.user.agency,
                    region=self.user.agency.region,
                    created_by=self.user,
                    opened_at=at(submitted - timedelta(days=3), 9),
                )
                for _ in range(count)
            ]
        )
        if cases[0].pk is None:  # backends that do not return ids
            cases = list(Case.objects.order_by("-id")[:count])[::-1]
        RiskAssessment.objects.bulk_create(
            [
                RiskAssessment(
                    case=case,
                    instrument_version=self.version,
                    assessed_by=self.user,
                    agency=self.user.agency,
                    status=RiskAssessment.Status.SUBMITTED,
                    submitted_at=at(submitted),
                    score=score,
                    computed_level=level,
                    final_level=level,
                )
                for case in cases
            ]
        )
        Incident.objects.bulk_create(
            [
                Incident(
                    case=case,
                    occurred_on=submitted + timedelta(days=30),
                    reporting_agency=self.user.agency,
                    recorded_by=self.user,
                )
                for case in cases[:outcomes]
            ]
        )
