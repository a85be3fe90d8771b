"""What she typed into the risk checklist survives the session: the page keeps it as a
draft while she types (birge.drafts), and the checklist opens filled from it, for her
alone, until she saves it; an ended session sends her back to it after signing in."""

from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from django.test import Client

from birge.accounts.tests.conftest import code_now
from birge.agencies.tests.factories import PASSWORD
from birge.audit.models import AuditEvent
from birge.drafts.models import FormDraft
from birge.risk.models import RiskAssessment

RESTORED = "Your unsaved answers were restored."
KEEP = {"HTTP_X_BIRGE_DRAFT": "save"}
VIEW = "Husband said he would burn the house with us inside."


def _new(case, checklist) -> str:
    return f"/cases/{case.pk}/risk/new/?instrument={checklist.pk}"


def _typed(answers, form_data):
    return form_data(answers("threat_to_kill", "stalking", missing=["isolation"]), victim_view=VIEW)


def _checked(page: str, name: str, value: str) -> bool:
    return any(
        f'name="{name}" value="{value}"' in tag and "checked" in tag for tag in page.split("<input")
    )


def test_typed_answers_are_kept_and_the_checklist_opens_filled_from_them(
    browse, coordinator, case, checklist, answers, form_data
):
    client = browse(coordinator)

    kept = client.post(_new(case, checklist), _typed(answers, form_data), **KEEP)
    page = client.get(_new(case, checklist))

    assert kept.status_code == 204
    assert not RiskAssessment.objects.filter(case=case).exists()  # a draft is not a record
    text = unescape(page.content.decode())
    assert RESTORED in text
    assert _checked(text, "item_threat_to_kill", "yes")
    assert _checked(text, "item_stalking", "yes")
    assert _checked(text, "item_injury", "no")
    assert not any(_checked(text, "item_isolation", v) for v in ("yes", "no", "unknown"))
    assert '<option value="afraid" selected>' in text
    assert VIEW in text


def test_the_draft_is_encrypted_at_rest_and_never_in_the_audit_log(
    browse, coordinator, case, checklist, answers, form_data
):
    browse(coordinator).post(_new(case, checklist), _typed(answers, form_data), **KEEP)

    stored = FormDraft.objects.values_list("fields", flat=True).get()
    assert VIEW not in stored.token
    assert not [e for e in AuditEvent.objects.all() if "burn" in str(e.data)]


def test_saving_the_checklist_forgets_the_draft(
    browse, coordinator, case, checklist, answers, form_data
):
    client = browse(coordinator)
    client.post(_new(case, checklist), _typed(answers, form_data), **KEEP)

    saved = client.post(_new(case, checklist), _typed(answers, form_data))

    assert saved.status_code == 302
    assert not FormDraft.objects.exists()
    assert RESTORED not in client.get(_new(case, checklist)).content.decode()


def test_a_checklist_refused_for_bad_input_keeps_the_draft(
    browse, coordinator, case, checklist, answers, form_data
):
    client = browse(coordinator)
    client.post(_new(case, checklist), _typed(answers, form_data), **KEEP)

    refused = client.post(_new(case, checklist), _typed(answers, form_data) | {"victim_fear": "?"})

    assert refused.status_code == 400
    assert FormDraft.objects.count() == 1


def test_a_colleague_on_the_same_case_does_not_get_her_draft(
    browse, coordinator, officer, case, checklist, answers, form_data
):
    browse(coordinator).post(_new(case, checklist), _typed(answers, form_data), **KEEP)

    page = browse(officer).get(_new(case, checklist))

    assert page.status_code == 200
    assert RESTORED not in page.content.decode()
    assert VIEW not in unescape(page.content.decode())


def test_the_draft_of_one_case_does_not_fill_the_checklist_of_another(
    browse, coordinator, officer, case, checklist, answers, form_data
):
    from birge.cases.tests.factories import register_case

    other = register_case(officer)
    client = browse(coordinator)
    client.post(_new(case, checklist), _typed(answers, form_data), **KEEP)

    assert RESTORED not in client.get(_new(other, checklist)).content.decode()


def test_an_outsider_can_neither_keep_nor_read_a_draft_of_the_case(
    browse, coordinator, outsider, case, checklist, answers, form_data
):
    browse(coordinator).post(_new(case, checklist), _typed(answers, form_data), **KEEP)
    client = browse(outsider)

    assert client.post(_new(case, checklist), _typed(answers, form_data), **KEEP).status_code == 404
    assert client.get(_new(case, checklist)).status_code == 404
    assert FormDraft.objects.count() == 1


def test_the_draft_travels_in_the_body_never_the_address(
    browse, coordinator, case, checklist, answers, form_data
):
    browse(coordinator).post(_new(case, checklist), _typed(answers, form_data), **KEEP)

    assert FormDraft.objects.get().form == _new(case, checklist)


def test_the_checklist_page_keeps_answers_as_she_types(browse, coordinator, case, checklist):
    page = browse(coordinator).get(_new(case, checklist)).content.decode()

    assert "data-draft-autosave" in page
    assert "drafts/autosave.js" in page


@pytest.fixture
def at_nine(time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False)
    return time_machine


def test_after_the_idle_limit_she_signs_in_again_and_finds_her_answers(
    coordinator, case, checklist, answers, form_data, at_nine
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    client = Client()
    client.cookies["birge_language"] = "en"
    client.post("/account/login/", {"username": coordinator.username, "password": PASSWORD})
    client.post("/account/two-factor/", {"code": code_now(device)})
    client.post(_new(case, checklist), _typed(answers, form_data), **KEEP)

    at_nine.shift(timedelta(minutes=16))
    ended = client.get(_new(case, checklist), follow=True)
    assert ended.request["PATH_INFO"] == "/account/login/"
    signed_in = client.post(
        "/account/login/?" + ended.request["QUERY_STRING"],
        {"username": coordinator.username, "password": PASSWORD},
        follow=True,
    )
    at_nine.shift(timedelta(seconds=31))  # the next code
    back = client.post(
        "/account/two-factor/?" + signed_in.request["QUERY_STRING"],
        {"code": code_now(device)},
        follow=True,
    )

    assert back.request["PATH_INFO"] == f"/cases/{case.pk}/risk/new/"
    text = unescape(back.content.decode())
    assert RESTORED in text
    assert _checked(text, "item_threat_to_kill", "yes")
    assert VIEW in text
