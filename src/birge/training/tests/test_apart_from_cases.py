"""Training answers never meet real cases: a whole session run leaves every model outside
the training app as it was (so no case list, search, "My work" count, notification or
figure — conference figures, the validation report, promises kept, all read from those
models — can include them), and the case pages and API show nothing of it."""

import pytest
from django.apps import apps
from django.test import Client
from knox.models import AuthToken

from birge.training import services
from birge.training.tests.conftest import answers_all

# Models that change when anyone signs in or acts at all, whatever she does.
BOOKKEEPING = {"audit", "sessions", "otp_totp", "otp_static", "axes", "knox", "training"}


def _counts() -> dict[str, int]:
    return {
        m._meta.label: m._base_manager.count()
        for m in apps.get_models()
        if m._meta.app_label not in BOOKKEEPING
    }


@pytest.fixture
def run_session(browse, trainer, officer, colleague):
    def run():
        session = services.session_open(
            actor=trainer,
            title="Course",
            case_study="strangulation-separation",
            stages=["first-contact", "new-incident"],
            language="en",
        )
        clients = [browse(u) for u in (officer, colleague)]
        for client in clients:
            client.post("/training/join/", {"join_code": session.join_code})
        for stage in session.stages:
            browse(trainer).post(f"/training/{session.pk}/release/")
            for client in clients:
                body = {
                    **answers_all("yes"),
                    "actions": "Leyla goes to the shelter",
                    "referral": "high_risk_without_consent",
                    "conference": "yes",
                }
                assert (
                    client.post(f"/training/{session.pk}/stages/{stage}/", body).status_code == 302
                )
        browse(trainer).get(f"/training/{session.pk}/report/")
        return session

    return run


def test_a_whole_session_leaves_every_other_model_as_it_was(
    run_session, officer, colleague, trainer
):
    before = _counts()
    run_session()
    after = _counts()
    assert {k: (before[k], after[k]) for k in before if before[k] != after[k]} == {}


def test_no_case_list_search_count_or_notification_shows_it(run_session, browse, officer):
    run_session()
    client = browse(officer)
    assert "No cases found." in client.get("/cases/").content.decode()
    assert "No cases found." in client.get("/cases/", {"q": "Leyla"}).content.decode()
    home = client.get("/").content.decode()
    assert "Leyla" not in home
    assert not officer.notifications.exists()


def test_no_api_case_list_shows_it(run_session, officer):
    run_session()
    _, token = AuthToken.objects.create(officer)
    api = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT_LANGUAGE="en")
    response = api.get("/api/v1/cases/")
    assert response.status_code == 200
    assert response.json()["results"] == []
    assert api.get("/api/v1/me/work/").status_code == 200
    assert "Leyla" not in api.get("/api/v1/me/work/").content.decode()
