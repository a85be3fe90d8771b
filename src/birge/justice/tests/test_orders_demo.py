"""The demo's protection orders: the local executive authority's short-term order,
served and breached (the case waits for the conference as "breach"), and the court's
long-term order after it; loading again adds nothing."""

import pytest

from birge.agencies.models import User
from birge.cases.tests.factories import register_case
from birge.conferences.models import ConferenceReferral
from birge.demo.conferences import conferences_load
from birge.demo.orders import orders_load
from birge.demo.services import demo_load
from birge.justice.models import OrderBreach, ProtectionOrder
from birge.justice.tests.factories import _known_keys  # noqa: F401 - the cast
from birge.risk import services as risk_services


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_demo_has_a_short_term_order_breached_and_a_long_term_order(db):
    demo_load()
    conferences_load()
    officer = User.objects.get(username="officer")
    case = register_case(officer)
    # High, as many synthetic cases are: through the one writer of a case's level.
    risk_services.assessment_judgement(
        actor=officer, case=case, level="high", reason="Threats to kill her."
    )
    # The judgement queued her for the conference; the demo's case is one it no longer
    # waits for, so that the breach is what queues her.
    ConferenceReferral.objects.filter(case=case).update(status="withdrawn")

    assert orders_load()

    short = ProtectionOrder.objects.get(order_type="short_term")
    long = ProtectionOrder.objects.get(order_type="long_term")
    assert (short.status, short.issuing_agency.code) == ("in_force", "lea-baku")
    assert (long.status, long.issuing_agency.code, long.follows) == ("issued", "court-baku", short)
    assert OrderBreach.objects.get().order == short
    queued = ConferenceReferral.objects.get(case=case, status="queued")
    assert queued.criterion == "breach"
    assert orders_load() == []
    assert ProtectionOrder.objects.count() == 2
