"""Within one request the access facts are read once; a write that changes them is seen."""

from django.test import RequestFactory

from birge.access.cases import cases_visible_to
from birge.cases.services import emergency_access_start
from birge.web import request_context


def test_an_emergency_grant_opened_during_a_request_opens_the_case_in_that_request(
    shelter_worker, case
):
    request_context.begin(RequestFactory().get("/"))
    try:
        assert not cases_visible_to(shelter_worker).filter(pk=case.pk).exists()
        emergency_access_start(
            user=shelter_worker,
            reference=case.reference,
            reason="She called the duty officer at night, in danger",
        )
        assert cases_visible_to(shelter_worker).filter(pk=case.pk).exists()
    finally:
        request_context.end()


def test_outside_a_request_nothing_is_remembered(shelter_worker, case):
    assert not cases_visible_to(shelter_worker).filter(pk=case.pk).exists()
    emergency_access_start(
        user=shelter_worker,
        reference=case.reference,
        reason="She called the duty officer at night, in danger",
    )
    assert cases_visible_to(shelter_worker).filter(pk=case.pk).exists()
