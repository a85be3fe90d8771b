"""The guidance is under every field where people write about a victim."""

import pytest

from birge.cases.forms import IncidentForm
from birge.conferences.forms import DiscussionForm, ResearchForm
from birge.referrals.forms import ReferralForm
from birge.risk.forms import JudgementForm, LevelByJudgementForm
from birge.safety.forms import SafetyPlanForm
from birge.safety.models import SECTIONS
from birge.words.widgets import GuidedTextarea

GUIDED = [
    (IncidentForm, "narrative"),
    (ReferralForm, "summary"),
    (ResearchForm, "text"),
    (DiscussionForm, "summary"),
    (DiscussionForm, "victim_view"),
    (DiscussionForm, "risks"),
    (JudgementForm, "judgement_reason"),
    (LevelByJudgementForm, "reason"),
]


@pytest.mark.parametrize(("form", "field"), GUIDED, ids=lambda v: getattr(v, "__name__", v))
def test_the_field_has_the_note(form, field):
    assert isinstance(form.base_fields[field].widget, GuidedTextarea)


def test_every_section_of_a_safety_plan_has_the_note():
    form = SafetyPlanForm()
    for name, _label in SECTIONS:
        assert isinstance(form.fields[name].widget, GuidedTextarea), name
