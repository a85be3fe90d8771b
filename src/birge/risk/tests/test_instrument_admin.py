"""Administrators add instruments and new versions as data files on /risk/instruments/. The
engine checks each file; a malformed one is refused with the file, item and problem named,
and a version once added never changes."""

from html import unescape
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from birge.audit.models import AuditEvent
from birge.risk.models import InstrumentVersion

PAGE = "/risk/instruments/"
SHIPPED = Path(__file__).resolve().parents[1] / "instruments" / "birge-checklist.yaml"


def _checklist(*, instrument_id="birge-checklist", version="1") -> str:
    text = SHIPPED.read_text(encoding="utf-8")
    assert 'id: birge-checklist\nversion: "1"\n' in text
    return text.replace(
        'id: birge-checklist\nversion: "1"\n', f'id: {instrument_id}\nversion: "{version}"\n'
    )


def _upload(client, text: str | bytes, name="checklist-2.yaml"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return client.post(PAGE, {"file": SimpleUploadedFile(name, data, "application/x-yaml")})


def _page(response) -> str:
    return unescape(response.content.decode())


def test_the_administrator_sees_the_shipped_instruments(browse, admin):
    response = browse(admin).get(PAGE)

    assert response.status_code == 200
    assert "Birge risk checklist" in _page(response)
    assert InstrumentVersion.objects.filter(instrument_id="lethality-screen").exists()


def test_a_new_version_is_added_and_the_old_ones_stay(browse, admin, checklist):
    client = browse(admin)

    response = _upload(client, _checklist(version="3"))

    assert response.status_code == 302
    versions = InstrumentVersion.objects.filter(instrument_id="birge-checklist")
    assert sorted(versions.values_list("version", flat=True)) == ["1", "2", "3"]
    added = versions.get(version="3")
    assert added.added_by == admin
    assert added.instrument.version == "3"
    assert InstrumentVersion.objects.get(pk=checklist.pk).sha256 == checklist.sha256
    assert AuditEvent.objects.filter(action="risk.instrument_added", actor=admin).exists()
    assert "birge-checklist v3" in _page(client.get(PAGE))


def test_a_new_instrument_is_added(browse, admin):
    response = _upload(browse(admin), _checklist(instrument_id="pilot-checklist"))

    assert response.status_code == 302
    assert InstrumentVersion.objects.filter(instrument_id="pilot-checklist", version="1").exists()


def test_the_new_instrument_is_offered_for_assessment(browse, admin, coordinator, case):
    _upload(browse(admin), _checklist(instrument_id="pilot-checklist"))

    page = _page(browse(coordinator).get(f"/cases/{case.pk}/risk/new/"))

    pilot = InstrumentVersion.objects.get(instrument_id="pilot-checklist")
    assert f"?instrument={pilot.pk}" in page


@pytest.mark.parametrize(
    ("break_it", "item", "problem"),
    [
        (
            lambda t: t.replace(
                "  - id: weapon\n    category: violence\n    critical: true\n",
                "  - id: weapon\n    category: violence\n    critical: perhaps\n",
            ),
            "weapon",
            "critical",
        ),
        (
            lambda t: t.replace(
                "  - id: isolation\n    category: behaviour\n",
                "  - id: isolation\n    category: nowhere\n",
            ),
            "isolation",
            "nowhere",
        ),
    ],
    ids=["critical-not-a-boolean", "unknown-category"],
)
def test_a_malformed_file_is_refused_naming_file_item_and_problem(
    browse, admin, break_it, item, problem
):
    text = _checklist(version="3")
    broken = break_it(text)
    assert broken != text, "the test no longer breaks the file; update it"
    before = InstrumentVersion.objects.count()

    response = _upload(browse(admin), broken, name="broken-checklist.yaml")

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["file"]
    message = _page(response)
    assert "broken-checklist.yaml" in message
    assert f'item "{item}"' in message
    assert problem in message
    assert InstrumentVersion.objects.count() == before


@pytest.mark.parametrize(
    "content",
    [
        "id: [unclosed\n",
        "- just\n- a list\n",
        "",
        b"\xff\xfe not utf-8",
        '{"id": "x", "version": "1"}',
    ],
    ids=["yaml-syntax", "not-a-mapping", "empty", "not-utf-8", "json-missing-everything"],
)
def test_a_file_that_is_no_instrument_at_all_gets_a_field_message_not_a_500(browse, admin, content):
    before = InstrumentVersion.objects.count()

    response = _upload(browse(admin), content, name="nonsense.yaml")

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["file"]
    assert InstrumentVersion.objects.count() == before


def test_the_same_version_with_other_content_is_refused(browse, admin, checklist):
    changed = _checklist().replace("Were you hurt or injured this time", "Were you hurt this time")
    assert changed != _checklist()

    response = _upload(browse(admin), changed)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["file"]
    assert "exists with other content; give the file a new version" in _page(response)
    assert InstrumentVersion.objects.filter(instrument_id="birge-checklist").count() == 2
    assert InstrumentVersion.objects.get(pk=checklist.pk).sha256 == checklist.sha256


def test_the_same_file_again_adds_nothing(browse, admin, checklist):
    response = _upload(browse(admin), _checklist())

    assert response.status_code == 302
    assert InstrumentVersion.objects.filter(instrument_id="birge-checklist").count() == 2


@pytest.mark.parametrize(
    "who", ["coordinator", "officer", "lead", "analyst", "auditor", "outsider"]
)
def test_nobody_but_the_administrator_finds_the_page(browse, who, request):
    client = browse(request.getfixturevalue(who))
    before = InstrumentVersion.objects.count()

    assert client.get(PAGE).status_code == 404
    assert _upload(client, _checklist(version="9")).status_code == 404
    assert InstrumentVersion.objects.count() == before
