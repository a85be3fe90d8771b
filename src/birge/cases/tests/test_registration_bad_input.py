"""Bad input on the registration form: field-level messages, the typed text kept, nothing
stored half-way, never a server error (the test client raises on one)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from birge.cases.models import Case, Consent, Incident, Person
from birge.cases.tests.factories import registration_form

FUTURE = (timezone.localdate() + timedelta(days=30)).isoformat()
TYPED = "Günel Məmmədova-typed"


def _post(client, form):
    response = client.post("/cases/new/", form)
    assert response.status_code in (200, 400)
    return response, response.content.decode()


def _nothing_stored():
    assert Case.objects.count() == 0
    assert Person.objects.count() == 0
    assert Incident.objects.count() == 0
    assert Consent.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"victim": {"birth_date": FUTURE}}, "victim-birth_date", "cannot be in the future"),
        (
            {"victim": {"birth_date": "1990-05-01"}, "incident": {"occurred_on": "1980-01-01"}},
            "incident-occurred_on",
            "before the victim&#x27;s date of birth",
        ),
        ({"incident": {"occurred_on": FUTURE}}, "incident-occurred_on", "cannot be in the future"),
        ({"victim": {"phone": "12ab-not-a-phone"}}, "victim-phone", "Enter a phone number"),
        ({"incident": {"forms": []}}, "incident-forms", "Choose at least one form of violence."),
        ({"incident": {"forms": ["witchcraft"]}}, "incident-forms", "Select a valid choice."),
        ({"consent": {"given": "on"}}, "consent-agencies", "required when she consents"),
        ({"victim": {"first_name": "A" * 101}}, "victim-first_name", "at most 100 characters"),
        ({"incident": {"narrative": "x" * 10001}}, "incident-narrative", "at most 10000"),
        ({"victim": {"first_name": ""}}, "victim-first_name", "This field is required."),
        ({"perpetrator": {"last_name": "Əliyev"}}, "perpetrator-first_name", "at least a first"),
        ({"victim": {"approximate_age": "-3"}}, "victim-approximate_age", "greater than or equal"),
    ],
)
def test_bad_input_gives_a_field_message_and_stores_nothing(
    browse, officer, changes, field, message
):
    parts = {"victim": {"last_name": TYPED}, **changes}
    if "last_name" not in parts["victim"]:
        parts["victim"] = {"last_name": TYPED, **parts["victim"]}
    form = registration_form(**parts)
    if form.get("incident-forms") == []:
        del form["incident-forms"]

    response, page = _post(browse(officer), form)

    assert message in page
    form_name, field_name = field.split("-", 1)
    assert field_name in response.context[form_name].errors
    assert f'value="{TYPED}"' in page
    _nothing_stored()


def test_consent_ticked_without_agencies_or_dates_asks_for_each(browse, officer):
    form = registration_form(victim={"last_name": TYPED}, consent={"given": "on", "given_on": ""})

    response, page = _post(browse(officer), form)

    errors = response.context["consent"].errors
    assert set(errors) >= {"agencies", "given_on", "valid_until"}
    assert "This field is required when she consents." in page
    assert f'value="{TYPED}"' in page
    _nothing_stored()


def test_consent_ending_before_it_was_given_is_refused(browse, officer, shelter):
    today = timezone.localdate()
    form = registration_form(
        victim={"last_name": TYPED},
        consent={
            "given": "on",
            "agencies": [shelter.pk],
            "valid_until": (today - timedelta(days=1)).isoformat(),
        },
    )

    _, page = _post(browse(officer), form)

    assert "The end date is before the date it was given." in page
    _nothing_stored()


def test_an_unknown_agency_in_the_consent_is_refused(browse, officer):
    form = registration_form(
        victim={"last_name": TYPED},
        consent={"given": "on", "agencies": ["999999"], "valid_until": FUTURE},
    )

    _, page = _post(browse(officer), form)

    assert "Select a valid choice." in page
    _nothing_stored()


def test_a_missing_management_form_for_children_is_a_message_not_an_error(browse, officer):
    form = registration_form(
        victim={"last_name": TYPED}, incident={"narrative": "Typed narrative stays."}
    )
    for name in [k for k in form if k.startswith("children-")]:
        del form[name]

    response, page = _post(browse(officer), form)

    assert response.context["children"].non_form_errors()
    assert "ManagementForm data is missing" in page
    assert f'value="{TYPED}"' in page
    assert "Typed narrative stays." in page
    _nothing_stored()


def test_a_child_with_a_birth_date_in_the_future_is_refused(browse, officer):
    form = registration_form(
        victim={"last_name": TYPED}, children=[{"first_name": "Nuray", "birth_date": FUTURE}]
    )

    _, page = _post(browse(officer), form)

    assert "A date of birth cannot be in the future." in page
    assert 'value="Nuray"' in page
    _nothing_stored()


def test_too_many_children_rows_are_refused(browse, officer):
    children = [{"first_name": f"Child{n}"} for n in range(13)]
    form = registration_form(victim={"last_name": TYPED}, children=children)

    response, _ = _post(browse(officer), form)

    assert response.context["children"].non_form_errors()
    _nothing_stored()


@pytest.mark.parametrize("value", ["not-a-date", "2026-02-30", "99999-01-01"])
def test_impossible_dates_are_messages(browse, officer, value):
    form = registration_form(victim={"last_name": TYPED, "birth_date": value})

    _, page = _post(browse(officer), form)

    assert "Enter a valid date." in page
    assert f'value="{TYPED}"' in page
    _nothing_stored()
