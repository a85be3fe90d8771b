"""Recording proceedings: who may, the order of stages, dates, outcomes and sentences, what
is audited and who hears of it."""

from datetime import timedelta

import pytest

from birge.audit.models import AuditEvent
from birge.cases.tests.conftest import (  # noqa: F401 - the cast
    _fast_passwords,
    _known_keys,
    browse,
    shelter,
    shelter_worker,
)
from birge.justice.models import Proceeding, ProceedingStage
from birge.justice.tests.factories_proceedings import (  # noqa: F401 - the cast
    NOTE,
    SENTENCE,
    TODAY,
    investigator,
    justice_case,
    perpetrator_of,
    proceeding,
    prosecution,
    prosecutor,
    social,
    social_coordinator,
)
from birge.notifications.models import Notification


def _new_form(case, **overrides):
    form = {
        "perpetrator": str(case.participants.get(part="perpetrator").pk),
        "incident": str(case.incidents.first().pk),
        "kind": "criminal",
        "opened_on": (TODAY() - timedelta(days=3)).isoformat(),
        "note": NOTE,
    }
    form.update(overrides)
    return form


def _stage(proceeding, **overrides):
    form = {
        "stage": "charge",
        "began_on": TODAY().isoformat(),
        "outcome": "",
        "sentence": "",
        "note": "",
        "version": str(proceeding.version),
    }
    form.update(overrides)
    return form


def test_an_investigator_records_proceedings_from_the_case_page(
    browse,
    investigator,
    justice_case,
    social_coordinator,
):
    client = browse(investigator)
    page = client.get(f"/cases/{justice_case.pk}/").content.decode()
    assert f"/justice/cases/{justice_case.pk}/proceedings/new/" in page

    response = client.post(
        f"/justice/cases/{justice_case.pk}/proceedings/new/", _new_form(justice_case)
    )

    proceeding = Proceeding.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/justice/proceedings/{proceeding.pk}/"
    assert proceeding.stage == "complaint"
    assert proceeding.agency_id == investigator.agency_id
    assert list(proceeding.stages.values_list("stage", flat=True)) == ["complaint"]
    event = AuditEvent.objects.get(action="justice.proceeding_opened")
    assert event.data == {
        "case": justice_case.pk,
        "kind": "criminal",
        "agency": investigator.agency_id,
    }
    told = Notification.objects.get(recipient=social_coordinator)
    assert told.kind == "justice.proceeding_opened"
    assert set(told.params) == {"reference"}


def test_the_stages_follow_each_other_to_a_conviction_with_its_sentence(
    browse,
    investigator,
    proceeding,
):
    client = browse(investigator)
    url = f"/justice/proceedings/{proceeding.pk}/"

    assert (
        client.post(
            url, _stage(proceeding, began_on=(TODAY() - timedelta(days=5)).isoformat())
        ).status_code
        == 302
    )
    proceeding.refresh_from_db()
    assert (
        client.post(
            url,
            _stage(proceeding, stage="trial", began_on=(TODAY() - timedelta(days=2)).isoformat()),
        ).status_code
        == 302
    )
    proceeding.refresh_from_db()
    response = client.post(
        url, _stage(proceeding, stage="outcome", outcome="conviction", sentence=SENTENCE)
    )

    assert response.status_code == 302
    proceeding.refresh_from_db()
    assert (proceeding.stage, proceeding.outcome, proceeding.sentence) == (
        "outcome",
        "conviction",
        SENTENCE,
    )
    stages = list(
        ProceedingStage.objects.filter(proceeding=proceeding).values_list("stage", flat=True)
    )
    assert stages == ["complaint", "investigation", "charge", "trial", "outcome"]
    page = client.get(url).content.decode()
    assert SENTENCE in page
    assert "Record the next stage" not in page  # decided: no further stage


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"stage": "complaint"}, "stage", "complaint"),
        ({"stage": "investigation"}, "stage", "Choose a stage after the current one"),
        ({"began_on": "2000-01-01"}, "began_on", "cannot begin before the previous one"),
        ({"began_on": "2999-01-01"}, "began_on", "in the future"),
        ({"outcome": "conviction"}, "outcome", "at the outcome stage only"),
        ({"sentence": SENTENCE}, "sentence", "at the outcome stage only"),
        ({"stage": "outcome"}, "outcome", "Give the outcome"),
        (
            {"stage": "outcome", "outcome": "dismissal", "sentence": SENTENCE},
            "sentence",
            "follows a conviction only",
        ),
    ],
)
def test_a_wrong_stage_gets_a_message_by_its_field(
    browse,
    investigator,
    proceeding,
    overrides,
    field,
    message,
):
    response = browse(investigator).post(
        f"/justice/proceedings/{proceeding.pk}/", _stage(proceeding, **overrides)
    )

    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    proceeding.refresh_from_db()
    assert proceeding.stage == "investigation"


def test_a_dismissed_complaint_may_skip_to_its_outcome(browse, investigator, justice_case):
    client = browse(investigator)
    client.post(f"/justice/cases/{justice_case.pk}/proceedings/new/", _new_form(justice_case))
    opened = Proceeding.objects.get()

    response = client.post(
        f"/justice/proceedings/{opened.pk}/", _stage(opened, stage="outcome", outcome="dismissal")
    )

    assert response.status_code == 302
    opened.refresh_from_db()
    assert (opened.stage, opened.outcome) == ("outcome", "dismissal")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"opened_on": "2999-01-01"}, "opened_on"),
        ({"opened_on": "2000-01-01"}, "opened_on"),  # before the incident
        ({"kind": "civil"}, "kind"),
        ({"perpetrator": "999999"}, "perpetrator"),
        ({"opened_on": "not a date"}, "opened_on"),
    ],
)
def test_bad_input_on_opening_is_a_field_message(
    browse,
    investigator,
    justice_case,
    overrides,
    field,
):
    response = browse(investigator).post(
        f"/justice/cases/{justice_case.pk}/proceedings/new/", _new_form(justice_case, **overrides)
    )

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Proceeding.objects.exists()


def test_messages_are_in_her_language(browse, investigator, proceeding):
    client = browse(investigator)
    client.cookies["birge_language"] = "ru"
    response = client.post(
        f"/justice/proceedings/{proceeding.pk}/", _stage(proceeding, began_on="2999-01-01")
    )
    text = str(response.context["form"].errors["began_on"])
    assert "future" not in text and text


@pytest.mark.parametrize("who", ["social_coordinator", "shelter_worker"])
def test_only_a_justice_agency_records_proceedings(browse, justice_case, proceeding, who, request):
    client = browse(request.getfixturevalue(who))

    assert client.get(f"/justice/cases/{justice_case.pk}/proceedings/new/").status_code == 404
    assert (
        client.post(
            f"/justice/cases/{justice_case.pk}/proceedings/new/", _new_form(justice_case)
        ).status_code
        == 404
    )
    assert (
        client.post(f"/justice/proceedings/{proceeding.pk}/", _stage(proceeding)).status_code == 404
    )
    page = client.get(f"/cases/{justice_case.pk}/").content.decode()
    assert "Record proceedings" not in page
    proceeding.refresh_from_db()
    assert proceeding.stage == "investigation"


def test_a_stale_stage_is_refused_with_a_conflict(browse, investigator, prosecutor, proceeding):
    seen = _stage(proceeding)
    browse(prosecutor).post(f"/justice/proceedings/{proceeding.pk}/", _stage(proceeding))

    response = browse(investigator).post(
        f"/justice/proceedings/{proceeding.pk}/", {**seen, "stage": "trial"}
    )

    assert response.status_code == 409
    proceeding.refresh_from_db()
    assert proceeding.stage == "charge"
