"""Registering a case in steps — victim, what happened, the people around her, consent —
then a page to check everything: each step checked on its own, what was typed kept on the
server between the steps (never in a URL), nothing registered until the last step."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from birge.agencies.tests.factories import AgencyFactory
from birge.audit.models import AuditEvent
from birge.cases.models import Case, CasePerson, Part

URL = "/cases/new/"
TODAY = timezone.localdate()

VICTIM = {
    "victim-first_name": "Nərgiz",
    "victim-last_name": "Səfərova",
    "victim-birth_date": "1991-02-03",
    "victim-sex": "female",
    "victim-phone": "050 765 43 21",
    "victim-address": "Nəsimi rayonu, 7-ci döngə 3",
}
INCIDENT = {
    "incident-occurred_on": (TODAY - timedelta(days=1)).isoformat(),
    "incident-place": "At home",
    "incident-weapon": "none",
    "incident-forms": ["physical", "economic"],
    "incident-narrative": "He took her salary and hit her.",
}
PEOPLE = {
    "perpetrator-first_name": "Fuad",
    "perpetrator-last_name": "Səfərov",
    "perpetrator-sex": "male",
    "perpetrator-relationship": "spouse",
    "children-TOTAL_FORMS": "3",
    "children-INITIAL_FORMS": "0",
    "children-MIN_NUM_FORMS": "0",
    "children-MAX_NUM_FORMS": "12",
    "children-0-first_name": "Nuray",
    "children-0-approximate_age": "6",
    "children-0-sex": "female",
    "children-1-sex": "unknown",
    "children-2-sex": "unknown",
}


def _consent(shelter):
    return {
        "consent-given": "on",
        "consent-agencies": [str(shelter.pk)],
        "consent-share_case_record": "on",
        "consent-given_on": TODAY.isoformat(),
        "consent-valid_until": (TODAY + timedelta(days=90)).isoformat(),
    }


def _post(client, step, data, go="next"):
    return client.post(URL, {"step": step, "go": go, **data})


def _next(response):
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def _through_consent(client, shelter):
    client.get(URL)
    for step, data in (
        ("victim", VICTIM),
        ("incident", INCIDENT),
        ("people", PEOPLE),
        ("consent", _consent(shelter)),
    ):
        _next(_post(client, step, data))


def test_each_step_is_checked_on_its_own_and_nothing_is_registered_before_the_end(
    browse, officer, shelter
):
    client = browse(officer)
    first = client.get(URL)
    assert first.status_code == 200
    assert 'name="victim-first_name"' in first.content.decode()
    assert 'name="incident-forms"' not in first.content.decode()

    steps = [
        ("victim", VICTIM, {"victim-first_name": ""}, "id_victim-first_name", "required"),
        (
            "incident",
            INCIDENT,
            {"incident-forms": []},
            "id_incident-forms_0",
            "Choose at least one form of violence.",
        ),
        (
            "people",
            PEOPLE,
            {"perpetrator-first_name": ""},
            "id_perpetrator-first_name",
            "Give at least a first name",
        ),
        (
            "consent",
            _consent(shelter),
            {"consent-valid_until": ""},
            "id_consent-valid_until",
            "This field is required when she consents.",
        ),
    ]
    locations = []
    for step, good, bad, anchor, message in steps:
        refused = _post(client, step, {**good, **bad})
        page = refused.content.decode()
        assert refused.status_code == 200
        assert "There is a problem" in page
        assert f'<a href="#{anchor}">' in page
        assert message in page
        assert Case.objects.count() == 0

        locations.append(_next(_post(client, step, good)))

    assert locations == [f"{URL}?step={s}" for s in ("incident", "people", "consent", "review")]
    assert Case.objects.count() == 0

    review = client.get(locations[-1]).content.decode()
    for shown in ("Nərgiz", "Səfərova", "Fuad", "Nuray", "He took her salary and hit her."):
        assert shown in review
    assert Case.objects.count() == 0

    done = client.post(URL, {"step": "review", "idempotency_key": "ignored-the-draft-has-one"})

    case = Case.objects.get()
    assert done["Location"] == f"/cases/{case.pk}/"
    parts = {p.part for p in CasePerson.objects.filter(case=case)}
    assert parts == {Part.VICTIM, Part.PERPETRATOR, Part.CHILD}
    assert case.incidents.get().forms == ["physical", "economic"]
    assert list(case.consents.get().agencies.all()) == [shelter]
    assert AuditEvent.objects.filter(action="case.created", object_id=str(case.pk)).count() == 1
    assert (
        f"The case {case.reference} is registered." in client.get(done["Location"]).content.decode()
    )


def test_back_keeps_what_was_typed_even_with_errors(browse, officer):
    client = browse(officer)
    client.get(URL)
    _next(_post(client, "victim", VICTIM))

    # The place typed, no form of violence chosen yet: Back does not check, it keeps.
    back = _post(
        client, "incident", {**INCIDENT, "incident-forms": [], "incident-place": "Bazar"}, go="back"
    )

    assert back["Location"] == f"{URL}?step=victim"
    victim_page = client.get(back["Location"]).content.decode()
    assert 'value="Nərgiz"' in victim_page
    assert 'value="1991-02-03"' in victim_page
    incident_page = client.get(f"{URL}?step=incident").content.decode()
    assert 'value="Bazar"' in incident_page


def test_the_incident_step_knows_the_victims_birth_date(browse, officer):
    client = browse(officer)
    client.get(URL)
    _next(_post(client, "victim", VICTIM))

    response = _post(client, "incident", {**INCIDENT, "incident-occurred_on": "1980-01-01"})

    assert response.status_code == 200
    assert "before the victim&#x27;s date of birth" in response.content.decode()


def test_the_last_step_posted_twice_registers_one_case(browse, officer, shelter):
    client = browse(officer)
    _through_consent(client, shelter)
    review = client.get(f"{URL}?step=review")
    key = review.context["idempotency_key"]

    first = client.post(URL, {"step": "review", "idempotency_key": key})
    second = client.post(URL, {"step": "review", "idempotency_key": key})

    assert Case.objects.count() == 1
    assert first["Location"] == second["Location"] == f"/cases/{Case.objects.get().pk}/"
    page = client.get(second["Location"]).content.decode()
    assert "This case had already been registered; here it is." in page


def test_another_users_key_does_not_open_her_case(browse, officer, outsider, shelter):
    client = browse(officer)
    _through_consent(client, shelter)
    key = client.get(f"{URL}?step=review").context["idempotency_key"]
    client.post(URL, {"step": "review", "idempotency_key": key})

    response = browse(outsider).post(URL, {"step": "review", "idempotency_key": key})

    assert response["Location"] == URL
    assert Case.objects.count() == 1


def test_the_check_page_sends_back_to_a_step_not_yet_done(browse, officer):
    client = browse(officer)
    client.get(URL)
    _next(_post(client, "victim", VICTIM))

    assert client.get(f"{URL}?step=review")["Location"] == f"{URL}?step=incident"
    assert client.post(URL, {"step": "review"})["Location"] == f"{URL}?step=incident"
    assert Case.objects.count() == 0


def test_the_draft_is_encrypted_and_never_in_a_url(browse, officer, shelter):
    client = browse(officer)
    client.get(URL)
    locations = [_next(_post(client, "victim", VICTIM)), _next(_post(client, "incident", INCIDENT))]

    assert all("Nərgiz" not in url and "Səfərova" not in url for url in locations)
    stored = "".join(s.session_data for s in Session.objects.all())
    decoded = str([s.get_decoded() for s in Session.objects.all()])
    assert "Səfərova" not in stored and "Səfərova" not in decoded
    assert "He took her salary" not in decoded


def test_a_finished_registration_starts_the_next_one_empty(browse, officer, shelter):
    client = browse(officer)
    _through_consent(client, shelter)
    client.post(URL, {"step": "review"})

    page = client.get(URL).content.decode()

    assert "Nərgiz" not in page
    assert Case.objects.count() == 1


@pytest.mark.parametrize("step", ["victim", "incident", "people", "consent", "review", "nope"])
def test_a_person_who_cannot_register_gets_404_on_every_step(browse, analyst, step):
    client = browse(analyst)

    assert client.get(URL, {"step": step}).status_code == 404
    assert client.post(URL, {"step": step, **VICTIM}).status_code == 404


def test_an_unknown_step_is_404(browse, officer):
    assert browse(officer).get(URL, {"step": "nope"}).status_code == 404


def test_the_consent_step_shows_its_rules_and_agencies_as_checkboxes(browse, officer, shelter):
    page = browse(officer).get(URL, {"step": "consent"}).content.decode()

    assert "Required when she consents; not before the date it was given." in page
    assert "Required when she consents; today or earlier." in page
    assert f'type="checkbox" name="consent-agencies" value="{shelter.pk}"' in page
    assert "data-pick-list" in page
    assert '<select name="consent-agencies"' not in page


def test_every_form_shows_the_error_summary_with_links_to_its_fields(browse, officer, case):
    response = browse(officer).post(
        f"/cases/{case.pk}/consents/new/", {"given": "on", "given_on": TODAY.isoformat()}
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert 'tabindex="-1" autofocus data-error-summary' in page
    assert '<a href="#id_agencies_0">' in page
    assert '<a href="#id_valid_until">' in page
    assert page.count("data-error-summary") == 1


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_agency_list_and_the_check_page_cost_the_same_for_3_agencies_as_for_30(
    browse, officer, shelter
):
    client = browse(officer)
    _through_consent(client, shelter)
    steps = [f"{URL}?step=consent", f"{URL}?step=review"]
    AgencyFactory.create_batch(2)
    few = [_queries(client, url) for url in steps]

    AgencyFactory.create_batch(27)
    many = [_queries(client, url) for url in steps]

    assert many == few
