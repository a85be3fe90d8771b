"""Nothing is lost: a stale update is refused rather than overwriting another person's
change, and a registration posted twice with the same idempotency key creates one case."""

import pytest
from django.core.exceptions import ValidationError

from birge.agencies.tests.factories import UserFactory
from birge.cases import services
from birge.cases.models import Case
from birge.cases.tests.factories import register_case, registration_form
from birge.risk.services import assessment_judgement


@pytest.fixture
def second_coordinator(police):
    return UserFactory(username="coordinator2", agency=police, roles=["case_coordinator"])


def test_the_second_of_two_conflicting_updates_is_refused(coordinator, second_coordinator, officer):
    case = register_case(officer)
    hers = Case.objects.get(pk=case.pk)
    his = Case.objects.get(pk=case.pk)
    seen = hers.version

    services.case_update(actor=coordinator, case=hers, version=seen, coordinator=coordinator)
    with pytest.raises(ValidationError) as refused:
        services.case_update(
            actor=second_coordinator, case=his, version=seen, coordinator=second_coordinator
        )

    assert refused.value.code == "stale"
    stored = Case.objects.get(pk=case.pk)
    assert stored.coordinator == coordinator
    assert stored.version == seen + 1


def test_an_update_made_after_another_change_meanwhile_is_refused(coordinator, officer):
    case = register_case(officer)
    seen = case.version
    assessment_judgement(actor=officer, case=case, level="high", reason="Threats to kill her.")

    with pytest.raises(ValidationError) as refused:
        services.case_update(actor=coordinator, case=case, version=seen, coordinator=coordinator)

    assert refused.value.code == "stale"
    assert Case.objects.get(pk=case.pk).coordinator is None


def test_an_update_with_the_current_version_goes_through(coordinator, officer):
    case = register_case(officer)

    services.case_update(
        actor=coordinator, case=case, version=case.version, coordinator=coordinator
    )

    assert Case.objects.get(pk=case.pk).coordinator == coordinator


def test_posting_the_registration_twice_with_the_same_key_creates_one_case(browse, officer):
    client = browse(officer)
    form = registration_form(idempotency_key="9f1c0a4e-once")

    first = client.post("/cases/new/", form)
    second = client.post("/cases/new/", form)

    assert Case.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/cases/{Case.objects.get().pk}/"
    page = client.get(second["Location"]).content.decode()
    assert "This case had already been registered; here it is." in page


def test_different_keys_create_different_cases(browse, officer):
    client = browse(officer)

    client.post("/cases/new/", registration_form(idempotency_key="key-one"))
    client.post("/cases/new/", registration_form(idempotency_key="key-two"))

    assert Case.objects.count() == 2


def test_the_same_key_from_two_users_creates_two_cases(browse, officer, colleague):
    browse(officer).post("/cases/new/", registration_form(idempotency_key="shared-key"))
    browse(colleague).post("/cases/new/", registration_form(idempotency_key="shared-key"))

    assert set(Case.objects.values_list("created_by__username", flat=True)) == {
        "officer",
        "colleague",
    }


def test_a_rejected_first_post_does_not_use_up_the_key(browse, officer):
    client = browse(officer)
    bad = registration_form(victim={"phone": "not a phone"}, idempotency_key="retry-key")
    good = registration_form(idempotency_key="retry-key")

    assert client.post("/cases/new/", bad).status_code == 200
    assert client.post("/cases/new/", good).status_code == 302

    assert Case.objects.count() == 1
