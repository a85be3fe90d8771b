"""No invisible or direction-changing characters in what people type (birge.web.text).

The defect: a right-to-left override (U+202E) in a name was stored and rendered, so the
case list showed a fake case reference in the victim column."""

import importlib
import pkgutil

import pytest
from django import forms
from drf_spectacular.generators import EndpointEnumerator, SchemaGenerator
from rest_framework import serializers

import birge
from birge.cases.models import Person
from birge.cases.tests.factories import register_case, registration_form
from birge.web import api as web_api
from birge.web import forms as web_forms

RLO = "\u202e"
FAKE_REFERENCE = f"{RLO}100000-6202-GRB"  # shows as BRG-2026-000001


@pytest.mark.parametrize(
    "char", ["\u202e", "\u202a", "\u2066", "\u2069", "\u200f", "\u200b", "\ufeff", "\u00ad"]
)
def test_the_registration_form_refuses_an_invisible_character_in_a_name(
    browse, officer, coordinator, char
):
    form = registration_form(victim={"first_name": f"Ay{char}sel"})

    response = browse(officer).post("/cases/new/", form)

    assert response.status_code == 200  # the form again, with what she typed
    assert "invisible or direction-changing characters" in response.content.decode()
    assert not Person.objects.exists()


def test_the_api_refuses_it_with_a_field_error(api_client, officer, coordinator):
    body = {
        "victim": {"first_name": FAKE_REFERENCE, "last_name": "Əliyeva"},
        "incident": {"occurred_on": "2026-11-01", "forms": ["physical"]},
    }

    response = api_client(officer).post("/api/v1/cases/", body, content_type="application/json")

    assert response.status_code == 400
    assert "first_name" in response.json()["victim"]
    assert not Person.objects.exists()


def test_free_text_keeps_its_lines_but_not_direction_controls(browse, officer, coordinator):
    ok = registration_form(incident={"narrative": "First line.\nSecond line."})
    assert browse(officer).post("/cases/new/", ok).status_code == 302
    bad = registration_form(incident={"narrative": f"He said {RLO}txet"})
    response = browse(officer).post("/cases/new/", bad)
    assert "invisible or direction-changing characters" in response.content.decode()


def test_a_name_stored_before_the_check_cannot_pose_as_a_reference(browse, officer, coordinator):
    case = register_case(officer)
    victim = case.participants.get(part="victim").person
    victim.first_name, victim.last_name = FAKE_REFERENCE, ""
    victim.save(update_fields=["first_name", "last_name"])

    page = browse(officer).get("/cases/").content.decode()

    assert RLO not in page
    assert "<bdi>100000-6202-GRB</bdi>" in page


def _birge_classes(base):
    for module in pkgutil.walk_packages(birge.__path__, "birge."):
        if not set(module.name.split(".")) & {"tests", "migrations", "management", "__main__"}:
            importlib.import_module(module.name)
    seen, stack = set(), [base]
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
    return [c for c in seen if c.__module__.startswith("birge.") and ".tests" not in c.__module__]


def test_every_text_field_of_every_form_checks_what_is_typed():
    unchecked = [
        f"{form.__module__}.{form.__qualname__}.{name}"
        for form in _birge_classes(forms.BaseForm)
        for name, field in form.base_fields.items()
        if type(field) is forms.CharField and not isinstance(field.widget, forms.PasswordInput)
    ]
    assert not unchecked, "use birge.web.forms.LineField or TextField"


def test_every_text_field_the_api_takes_checks_what_is_typed():
    """Every field of every request body of the published API (nested ones too)."""
    generator = SchemaGenerator()
    unchecked = []
    for path, _regex, method, view in EndpointEnumerator().get_api_endpoints():
        if method not in ("POST", "PUT", "PATCH"):
            continue
        body = generator.create_view(view, method).schema.get_request_serializer()
        for name, field in _writable(body):
            if type(field) is serializers.CharField:
                unchecked.append(f"{method} {path} {name}")
    assert not unchecked, "use birge.web.api.LineField or TextField"


def _writable(serializer, prefix=""):
    if serializer is None:
        return
    if isinstance(serializer, type):
        serializer = serializer()
    if isinstance(serializer, serializers.ListSerializer):
        serializer = serializer.child
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if isinstance(field, serializers.ListSerializer | serializers.Serializer):
            yield from _writable(field, f"{prefix}{name}.")
        elif isinstance(field, serializers.ListField | serializers.DictField):
            yield f"{prefix}{name}[]", field.child
        else:
            yield f"{prefix}{name}", field


def test_the_fields_refuse_what_they_promise():
    with pytest.raises(forms.ValidationError):
        web_forms.LineField().clean(FAKE_REFERENCE)
    with pytest.raises(forms.ValidationError):
        web_forms.LineField().clean("two\nlines")
    assert web_forms.TextField().clean("two\nlines") == "two\nlines"
    with pytest.raises(serializers.ValidationError):
        web_api.LineField().run_validation(FAKE_REFERENCE)


@pytest.mark.parametrize("number", ["²", "٣", "9" * 30])
def test_a_reference_with_odd_digits_is_no_case_and_no_server_error(browse, officer, number):
    client = browse(officer)
    assert client.get("/cases/", {"q": f"BRG-2026-{number}"}).status_code == 200
    response = client.post(
        "/cases/emergency/", {"reference": f"BRG-2026-{number}", "reason": "x" * 30}
    )
    assert response.status_code in (200, 404)


def test_marking_a_notification_read_with_odd_digits_is_no_server_error(browse, officer):
    response = browse(officer).post("/notifications/read/", {"notification": "²"})
    assert response.status_code < 500
