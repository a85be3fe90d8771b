"""Proceedings and perpetrator programmes on a few demo cases, made through Birge's own
services (audited and notified like real work) by the Baku police's `investigator`:
one conviction with its sentence, one dismissed complaint, one at investigation; one
programme completed and one dropped out, at the Ministry of Justice's programme. Safe to
run again: nothing is added while the demo has any proceedings."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from birge.access.cases import cases_visible_to
from birge.agencies.models import Agency, User
from birge.cases.models import Case, CasePerson, Part
from birge.demo.data import Texts, in_demo_language
from birge.justice.models import Proceeding
from birge.justice.services.proceedings import proceeding_open, proceeding_stage_record
from birge.justice.services.programmes import (
    programme_attendance_record,
    programme_end,
    programme_refer,
)

RECORDER = "investigator"
PROVIDER = "moj"
SENTENCE: Texts = (
    "İki il azadlığın məhdudlaşdırılması və davranış proqramında iştirak (sintetik).",
    "Два года ограничения свободы и участие в программе изменения поведения (синтетические данные).",
    "Two years of restricted liberty and a behaviour-change programme (synthetic).",
)
NOTE: Texts = (
    "Qonşu şahid kimi dindirildi (sintetik).",
    "Соседка допрошена как свидетель (синтетические данные).",
    "The neighbour was heard as a witness (synthetic).",
)


@dataclass(frozen=True)
class ProceedingSpec:
    kind: str
    # (stage, days ago it began); the first is the complaint.
    stages: tuple[tuple[str, int], ...]
    outcome: str = ""
    sentence: Texts | None = None


PROCEEDINGS = (
    ProceedingSpec(
        "criminal",
        (
            ("complaint", 120),
            ("investigation", 110),
            ("charge", 80),
            ("trial", 40),
            ("outcome", 10),
        ),
        outcome="conviction",
        sentence=SENTENCE,
    ),
    ProceedingSpec("administrative", (("complaint", 60), ("outcome", 30)), outcome="dismissal"),
    ProceedingSpec("criminal", (("complaint", 20), ("investigation", 12))),
)
# (status it ends in, days ago referred, sessions planned, attended, days ago it ended)
PROGRAMMES = (("completed", 100, 12, 12, 5), ("dropped_out", 50, 12, 3, 15))


def proceedings_load() -> list[str]:
    """What was added, in words for the demo command's output."""
    recorder = User.objects.filter(username=RECORDER, is_active=True).first()
    provider = Agency.objects.filter(code=PROVIDER).first()
    if recorder is None or provider is None or Proceeding.objects.exists():
        return []
    cases = _cases(recorder, len(PROCEEDINGS) + len(PROGRAMMES))
    if not cases:
        return []
    today = timezone.localdate()
    for spec, case in zip(PROCEEDINGS, cases, strict=False):
        _proceeding(spec, case=case, actor=recorder, today=today)
    for (status, referred, planned, attended, ended), case in zip(
        PROGRAMMES, cases[len(PROCEEDINGS) :], strict=False
    ):
        programme = programme_refer(
            actor=recorder,
            case=case,
            perpetrator=_perpetrator(case),
            provider=provider,
            referred_on=today - timedelta(days=referred),
            mandated=status == "completed",
            sessions_planned=planned,
        )
        programme_attendance_record(actor=recorder, programme=programme, sessions_attended=1)
        programme_end(
            actor=recorder,
            programme=programme,
            status=status,
            ended_on=today - timedelta(days=ended),
            sessions_attended=attended,
        )
    return [
        f"{min(len(cases), len(PROCEEDINGS))} proceedings and "
        f"{max(0, len(cases) - len(PROCEEDINGS))} programme referrals by `{RECORDER}`"
    ]


def _cases(recorder: User, number: int) -> list[Case]:
    """Open cases of the recorder's agency with a perpetrator, opened long enough ago."""
    perpetrators = CasePerson.objects.filter(part=Part.PERPETRATOR).values("case_id")
    return list(
        cases_visible_to(recorder)
        .filter(
            status=Case.Status.OPEN,
            owning_agency_id=recorder.agency_id,
            pk__in=perpetrators,
        )
        .order_by("id")[:number]
    )


def _perpetrator(case: Case):
    return CasePerson.objects.filter(case=case, part=Part.PERPETRATOR).first().person


def _proceeding(spec: ProceedingSpec, *, case: Case, actor: User, today: date) -> None:
    (_, opened_ago), *later = spec.stages
    proceeding = proceeding_open(
        actor=actor,
        case=case,
        perpetrator=_perpetrator(case),
        kind=spec.kind,
        opened_on=today - timedelta(days=opened_ago),
        note=in_demo_language(NOTE),
    )
    for stage, ago in later:
        decided = stage == "outcome"
        proceeding_stage_record(
            actor=actor,
            proceeding=proceeding,
            stage=stage,
            began_on=today - timedelta(days=ago),
            outcome=spec.outcome if decided else "",
            sentence=in_demo_language(spec.sentence) if decided and spec.sentence else "",
        )
