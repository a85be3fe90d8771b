"""Unsaved answers are kept BIRGE_DRAFT_AGE (7 days) and then forgotten by the job."""

from datetime import timedelta

import pytest
from django.utils import timezone

from birge.drafts import selectors, services
from birge.drafts.models import FormDraft
from birge.jobs.registry import JOBS, SCHEDULE, jobs_run

FORM = "/cases/1/risk/new/?instrument=1"


@pytest.fixture
def old_and_new(officer, colleague, time_machine):
    time_machine.move_to(timezone.now() - timedelta(days=8), tick=False)
    services.draft_save(user=officer, form=FORM, fields={"victim_view": ["old"]})
    time_machine.move_to(timezone.now() + timedelta(days=2), tick=False)
    services.draft_save(user=colleague, form=FORM, fields={"victim_view": ["newer"]})
    time_machine.move_to(timezone.now() + timedelta(days=6), tick=False)


def test_the_job_forgets_drafts_older_than_seven_days(old_and_new, colleague):
    assert jobs_run(names=["draft_expiry"]) == {"draft_expiry": 1}

    assert list(FormDraft.objects.values_list("user", flat=True)) == [colleague.pk]


def test_an_expired_draft_is_not_restored_even_before_the_job_runs(old_and_new, officer):
    assert selectors.draft_fields(user=officer, form=FORM) is None


def test_the_age_is_a_setting(old_and_new, settings):
    settings.BIRGE_DRAFT_AGE = timedelta(days=1)

    assert services.drafts_expire() == 2


def test_saving_again_replaces_the_draft(officer):
    services.draft_save(user=officer, form=FORM, fields={"victim_view": ["first"]})
    services.draft_save(user=officer, form=FORM, fields={"victim_view": ["second"]})

    assert selectors.draft_fields(user=officer, form=FORM) == {"victim_view": ["second"]}
    assert FormDraft.objects.count() == 1


def test_the_job_runs_every_hour():
    assert SCHEDULE["draft_expiry"] == timedelta(hours=1)
    assert "draft_expiry" in JOBS
