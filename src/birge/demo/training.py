"""The demo's training session: `trainer` has an open session of the strangulation case
study, its three stages chosen and none released yet, with the co-operation-plan workshop, so that she can run it with three
participants on separate browsers. Opened through birge.training.services; safe to run
again (an open session of the case study is left as it is)."""

from birge.agencies.models import User
from birge.training import services
from birge.training.models import TrainingSession

CASE_STUDY = "strangulation-separation"


def training_load() -> str:
    trainer = User.objects.get(username="trainer")
    session = TrainingSession.objects.filter(
        facilitator=trainer, case_study=CASE_STUDY, status=TrainingSession.Status.OPEN
    ).first()
    if session is None:
        session = services.session_open(
            actor=trainer,
            title="Birge demo: strangulation and separation",
            case_study=CASE_STUDY,
            stages=["first-contact", "new-incident", "breach"],
            language="en",
            workshop=True,
        )
    return f"Training session (trainer): join code {session.join_code} at /training/."
