"""The proceedings API: create (idempotent), the stage POST, field-level refusals."""

from datetime import timedelta

import pytest
from django.test import Client
from knox.models import AuthToken

from birge.cases.tests.conftest import (  # noqa: F401 - the cast
    _fast_passwords,
    _known_keys,
    shelter,
    shelter_worker,
)
from birge.justice.models import Proceeding
from birge.justice.tests.factories_proceedings import (  # noqa: F401 - the cast
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


@pytest.fixture
def api():
    def api(user) -> Client:
        _, token = AuthToken.objects.create(user)
        return Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT_LANGUAGE="en")

    return api


def _body(case, **overrides):
    body = {
        "perpetrator": perpetrator_of(case).pk,
        "kind": "administrative",
        "opened_on": (TODAY() - timedelta(days=2)).isoformat(),
    }
    body.update(overrides)
    return body


def test_a_create_is_idempotent_under_its_key(api, investigator, justice_case):
    client = api(investigator)
    url = f"/api/v1/cases/{justice_case.pk}/proceedings/"

    first = client.post(url, _body(justice_case), "application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(url, _body(justice_case), "application/json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert first.status_code == 201
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Proceeding.objects.count() == 1
    assert first.json()["stage"] == "complaint" and first.json()["details"] is True


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"perpetrator": 999999}, "perpetrator"),
        ({"kind": "civil"}, "kind"),
        ({"opened_on": "2999-01-01"}, "opened_on"),
        ({"opened_on": "yesterday"}, "opened_on"),
        ({"incident": 999999}, "incident"),
        ({"perpetrator": 2**70}, "perpetrator"),
    ],
)
def test_bad_input_is_a_400_by_field(api, investigator, justice_case, overrides, field):
    response = api(investigator).post(
        f"/api/v1/cases/{justice_case.pk}/proceedings/",
        _body(justice_case, **overrides),
        "application/json",
    )

    assert response.status_code == 400
    assert field in response.json()
    assert not Proceeding.objects.exists()


def test_the_stage_post_moves_the_proceeding_on(api, investigator, proceeding):
    client = api(investigator)
    url = f"/api/v1/proceedings/{proceeding.pk}/stages/"

    refused = client.post(url, {"stage": "trial", "began_on": "2000-01-01"}, "application/json")
    decided = client.post(
        url,
        {
            "stage": "outcome",
            "began_on": TODAY().isoformat(),
            "outcome": "conviction",
            "sentence": SENTENCE,
            "version": proceeding.version,
        },
        "application/json",
    )
    stale = client.post(
        url,
        {"stage": "outcome", "began_on": TODAY().isoformat(), "version": proceeding.version},
        "application/json",
    )

    assert refused.status_code == 400 and "began_on" in refused.json()
    assert decided.status_code == 201
    assert decided.json()["outcome"] == "conviction" and decided.json()["sentence"] == SENTENCE
    assert stale.status_code == 400  # decided: no further stage


def test_the_coordinator_may_not_post_a_stage(api, social_coordinator, proceeding):
    response = api(social_coordinator).post(
        f"/api/v1/proceedings/{proceeding.pk}/stages/",
        {"stage": "charge", "began_on": TODAY().isoformat()},
        "application/json",
    )

    assert response.status_code == 404


def test_the_schema_names_the_routes(api, investigator):
    schema = api(investigator).get("/api/v1/schema/?format=json").json()

    for path in (
        "/api/v1/cases/{case_id}/proceedings/",
        "/api/v1/proceedings/{proceeding_id}/stages/",
        "/api/v1/cases/{case_id}/programmes/",
        "/api/v1/programmes/{programme_id}/end/",
    ):
        assert path in schema["paths"]
