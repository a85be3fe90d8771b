"""Training sessions and what participants answer in them.

Nothing here refers to a case, a person or an assessment: a training answer lives only in
these tables, so no case list, search, count, notification or figure can ever include it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

LANGUAGE_CHOICES = [("az", "Azərbaycanca"), ("ru", "Русский"), ("en", "English")]


class TrainingSession(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    title = models.CharField(_("group"), max_length=120)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    case_study = models.CharField(_("case study"), max_length=80)
    case_study_version = models.CharField(max_length=40)
    stages = models.JSONField(default=list)  # the chosen stage ids, in the story's order
    released = models.PositiveSmallIntegerField(default=0)  # how many of them are released
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    join_code = models.CharField(max_length=8, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    points = models.TextField(_("points discussed"), blank=True)
    # A co-operation-plan workshop: participants also propose the protocol's response times.
    workshop = models.BooleanField(_("co-operation-plan workshop"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def released_stages(self) -> list[str]:
        return list(self.stages[: self.released])


class Participant(models.Model):
    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField()  # "Participant 3"
    show_name = models.BooleanField(default=False)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="training_one_seat_each"),
            models.UniqueConstraint(fields=["session", "number"], name="training_numbered_once"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.number}"  # never her name


class Answer(models.Model):
    """One participant's answers to one stage's exercises."""

    class Referral(models.TextChoices):
        CONSENT = "consent", _("Refer or share with her consent")
        HIGH_RISK = (
            "high_risk_without_consent",
            _("Share without her consent, because the risk is high (with a written reason)"),
        )
        NO_SHARING = "no_sharing", _("Do not refer or share")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="answers")
    stage = models.CharField(max_length=80)
    answers = models.JSONField(default=dict)  # item id -> yes/no/unknown/declined
    computed_level = models.CharField(max_length=10)  # what the real engine gave
    level = models.CharField(max_length=10)  # the level she chose
    actions = models.TextField(blank=True)  # one proposed action per line
    referral = models.CharField(max_length=30, choices=Referral.choices)
    conference = models.BooleanField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "stage"], name="training_one_answer")
        ]

    def __str__(self) -> str:
        return f"{self.participant_id}/{self.stage}"


class PathwayProposal(models.Model):
    """In a workshop session: what one participant proposes her agency promise for one
    pathway of the co-operation protocol in force (birge.agencies.protocol)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="proposals")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    pathway = models.CharField(max_length=64)
    response_hours = models.PositiveIntegerField()
    note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "pathway"], name="training_one_proposal_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant_id}/{self.pathway}"
