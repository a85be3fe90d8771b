"""The co-operation protocol as data: checked in sentences, promises read from it, drafted
by leads, adopted only by the coordinating body, readable by everyone, in three languages."""

import copy

import pytest
from django.utils import translation
from django.utils.translation import trans_real

from birge.agencies.models import ProtocolVersion
from birge.agencies.protocol import (
    protocol_adopt,
    protocol_draft_save,
    protocol_from_yaml,
    protocol_in_force,
    protocol_propose,
    protocol_to_yaml,
    protocol_validate,
    response_hours,
)
from birge.agencies.tests.factories import AgencyFactory, UserFactory
from birge.audit.models import AuditEvent
from birge.safety.tests.pdftext import pdf_text, squeeze


def _t(text: str) -> dict:
    return {"az": f"{text} (az)", "ru": f"{text} (ru)", "en": text}


def _pathway(pathway_id, kind, hours, min_risk=""):
    return {
        "id": pathway_id,
        "situation": _t(f"Situation {pathway_id}"),
        "service_kind": kind,
        "response_hours": hours,
        "min_risk": min_risk,
    }


CONTENT = {
    "title": {
        "az": "Qurumlararası əməkdaşlıq protokolu",
        "ru": "Протокол межведомственного взаимодействия",
        "en": "Multi-agency co-operation protocol",
    },
    "roles": [{"agency_kind": "police", "text": _t("Protects the victim at once")}],
    "pathways": [
        _pathway("police-any", "police_protection", 72),
        _pathway("police-high", "police_protection", 24, "high"),
        _pathway("police-critical", "police_protection", 6, "critical"),
        _pathway("shelter-place", "shelter", 4),
        _pathway("legal-high", "legal_aid", 48, "high"),
    ],
    "contacts": [{"agency": "police-baku", "text": _t("Duty desk +994 12 000 00 02")}],
    "information_sharing": _t("Share what is needed, nothing more."),
}


@pytest.fixture(autouse=True)
def _in_english():
    """The messages as an English-speaking administrator reads them."""
    with translation.override("en"):
        yield


@pytest.fixture
def content(police):
    return copy.deepcopy(CONTENT)


@pytest.fixture
def national_admin(db):
    """A system administrator in the coordinating body: she may adopt."""
    body = AgencyFactory(code="scfwca", kind="coordinating_body")
    return UserFactory(username="national.admin", agency=body, roles=["administrator"])


@pytest.fixture
def adopted(national_admin, content):
    version = protocol_draft_save(actor=national_admin, content=content, note="first")
    protocol_propose(actor=national_admin, version=version)
    return protocol_adopt(actor=national_admin, version=version)


# Validation ------------------------------------------------------------------------------


def test_sound_content_has_no_problems(content):
    assert protocol_validate(content) == []


def test_a_negative_response_time_is_refused_with_a_clear_message(content):
    content["pathways"][3]["response_hours"] = -4

    assert protocol_validate(content) == [
        "pathways › “shelter-place” › response_hours: the response time must be a positive "
        "whole number of hours, not -4"
    ]


@pytest.mark.parametrize("hours", [0, 4.5, "4", True, None])
def test_a_response_time_must_be_a_positive_whole_number(content, hours):
    content["pathways"][3]["response_hours"] = hours

    (message,) = protocol_validate(content)
    assert "the response time must be a positive whole number of hours" in message


def test_missing_russian_text_is_named(content):
    del content["pathways"][0]["situation"]["ru"]
    content["roles"][0]["text"]["ru"] = "   "

    assert protocol_validate(content) == [
        "pathways › “police-any” › situation: the Russian text is missing",
        "roles › “police” › text: the Russian text is empty",
    ]


def test_an_unknown_service_kind_is_named(content):
    content["pathways"][0]["service_kind"] = "spa"

    (message,) = protocol_validate(content)
    assert message.startswith("pathways › “police-any” › service_kind: “spa” is not a kind")
    assert "shelter, legal_aid" in message


def test_a_pathway_id_used_twice_is_refused(content):
    content["pathways"][1]["id"] = "police-any"

    assert protocol_validate(content) == [
        "pathways: the id “police-any” is used more than once; each pathway needs its own"
    ]


def test_an_unknown_risk_level_and_agency_code_are_named(content):
    content["pathways"][0]["min_risk"] = "extreme"
    content["contacts"][0]["agency"] = "no-such-agency"

    assert protocol_validate(content) == [
        "pathways › “police-any” › min_risk: “extreme” is not a risk level; leave it empty "
        "or use one of: standard, medium, high, critical",
        "contacts › “no-such-agency”: no agency has this code",
    ]


@pytest.mark.parametrize("junk", [None, [], "text", 7, {"title": 1}])
def test_content_of_the_wrong_shape_gets_sentences_not_errors(junk, db):
    messages = protocol_validate(junk)
    assert messages and all(isinstance(m, str) for m in messages)


def test_yaml_round_trips_and_malformed_yaml_is_explained(content):
    assert protocol_from_yaml(protocol_to_yaml(content)) == (content, [])
    assert protocol_from_yaml("title: [unclosed")[1][0].startswith("This is not valid YAML")
    assert "appears twice" in protocol_from_yaml("title: a\ntitle: b\n")[1][0]
    assert "aliases" in protocol_from_yaml("a: &x [1]\nb: *x\n")[1][0]
    assert protocol_from_yaml("")[1] == ["The protocol is empty."]


# The promises ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "risk", "hours"),
    [
        ("police_protection", "standard", 72),
        ("police_protection", "medium", 72),
        ("police_protection", "high", 24),
        ("police_protection", "critical", 6),
        ("police_protection", None, 72),
        ("shelter", "critical", 4),
        ("legal_aid", "medium", None),  # promised only from high risk up
        ("legal_aid", "high", 48),
        ("housing", "high", None),  # no pathway at all
    ],
)
def test_response_hours_takes_the_most_specific_pathway(adopted, kind, risk, hours):
    assert response_hours(version=adopted, service_kind=kind, risk_level=risk) == hours


def test_without_a_protocol_nothing_is_promised(db):
    assert protocol_in_force() is None
    assert response_hours(version=None, service_kind="shelter", risk_level="high") is None


# Drafting, proposing, adopting -----------------------------------------------------------


def test_a_lead_drafts_and_proposes_but_cannot_adopt(lead, content):
    version = protocol_draft_save(actor=lead, content=content, note="shorter shelter time")
    assert (version.number, version.status) == (1, ProtocolVersion.Status.DRAFT)

    protocol_propose(actor=lead, version=version)
    with pytest.raises(PermissionError):
        protocol_adopt(actor=lead, version=version)

    version.refresh_from_db()
    assert version.status == ProtocolVersion.Status.PROPOSED
    assert protocol_in_force() is None


def test_an_administrator_outside_the_coordinating_body_cannot_adopt(admin, lead, content):
    version = protocol_draft_save(actor=lead, content=content, note="")
    protocol_propose(actor=lead, version=version)

    with pytest.raises(PermissionError):
        protocol_adopt(actor=admin, version=version)


def test_frontline_officers_cannot_draft(officer, content):
    with pytest.raises(PermissionError):
        protocol_draft_save(actor=officer, content=content, note="")


def test_adopting_supersedes_the_version_in_force(adopted, lead, national_admin, content):
    content["pathways"][3]["response_hours"] = 2
    second = protocol_draft_save(actor=lead, content=content, note="two hours")
    protocol_propose(actor=lead, version=second)

    second = protocol_adopt(actor=national_admin, version=second)

    adopted.refresh_from_db()
    assert adopted.status == ProtocolVersion.Status.SUPERSEDED
    assert protocol_in_force() == second
    assert second.adopted_by == national_admin
    assert response_hours(version=second, service_kind="shelter", risk_level="") == 2
    codes = list(AuditEvent.objects.order_by("id").values_list("action", "object_id"))
    assert codes[-3:] == [
        ("protocol.drafted", "2"),
        ("protocol.proposed", "2"),
        ("protocol.adopted", "2"),
    ]


def test_a_version_is_adopted_once_and_a_proposal_no_longer_changes(
    adopted, national_admin, content
):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Only a proposed version can be adopted"):
        protocol_adopt(actor=national_admin, version=adopted)
    with pytest.raises(ValidationError, match="Only a draft can be changed"):
        protocol_draft_save(actor=national_admin, content=content, note="", version=adopted)


def test_she_changes_only_her_own_draft(lead, national_admin, content):
    version = protocol_draft_save(actor=national_admin, content=content, note="")

    with pytest.raises(PermissionError):
        protocol_draft_save(actor=lead, content=content, note="mine now", version=version)
    with pytest.raises(PermissionError):
        protocol_propose(actor=lead, version=version)


# Pages --------------------------------------------------------------------------------------


@pytest.fixture
def english(client):
    client.cookies["birge_language"] = "en"
    return client


def test_every_signed_in_person_reads_the_protocol_in_force(english, sign_in, outsider, adopted):
    sign_in(english, outsider)

    page = english.get("/admin/protocol/").content.decode()

    assert "Multi-agency co-operation protocol" in page
    assert "Answer within 24 hours." in page
    assert "Police protection, from high risk up" in page
    assert "Duty desk +994 12 000 00 02" in page
    assert "Propose a change" not in page


def test_the_page_follows_the_readers_language(client, sign_in, outsider, adopted):
    client.cookies["birge_language"] = "ru"
    sign_in(client, outsider)

    page = client.get("/admin/protocol/").content.decode()

    assert "Протокол межведомственного взаимодействия" in page
    assert "Protects the victim at once (ru)" in page


def test_older_versions_stay_readable(english, sign_in, outsider, adopted, lead, national_admin):
    content = copy.deepcopy(adopted.content)
    content["title"]["en"] = "The second protocol"
    second = protocol_draft_save(actor=lead, content=content, note="")
    protocol_propose(actor=lead, version=second)
    protocol_adopt(actor=national_admin, version=second)
    sign_in(english, outsider)

    old = english.get("/admin/protocol/1/").content.decode()

    assert "Multi-agency co-operation protocol" in old
    assert "Superseded" in old
    assert "This is not the version in force; version 2 is." in old
    assert "The second protocol" in english.get("/admin/protocol/").content.decode()


def test_drafts_are_seen_only_by_their_author(english, sign_in, lead, outsider, content):
    protocol_draft_save(actor=lead, content=content, note="")

    sign_in(english, outsider)
    assert english.get("/admin/protocol/1/").status_code == 404
    sign_in(english, lead)
    assert english.get("/admin/protocol/1/").status_code == 200


def test_the_lead_drafts_and_proposes_through_the_pages(english, sign_in, lead, adopted):
    sign_in(english, lead)
    form = english.get("/admin/protocol/new/")
    text = (
        form.context["form"]["content"]
        .value()
        .replace("response_hours: 4\n", "response_hours: 3\n")
    )

    response = english.post("/admin/protocol/new/", {"content": text, "note": "faster"})
    assert response.status_code == 302
    assert english.post("/admin/protocol/2/propose/").status_code == 302
    assert english.post("/admin/protocol/2/adopt/").status_code == 404

    version = ProtocolVersion.objects.get(number=2)
    assert version.status == ProtocolVersion.Status.PROPOSED
    assert version.content["pathways"][3]["response_hours"] == 3


def test_the_coordinating_body_adopts_through_the_page(
    english, sign_in, lead, national_admin, content
):
    version = protocol_draft_save(actor=lead, content=content, note="")
    protocol_propose(actor=lead, version=version)
    sign_in(english, national_admin)

    assert "Adopt this version" in english.get("/admin/protocol/1/").content.decode()
    response = english.post("/admin/protocol/1/adopt/")

    assert response.status_code == 302
    assert protocol_in_force() == version
    again = english.post("/admin/protocol/1/adopt/", follow=True)
    assert "Only a proposed version can be adopted" in again.content.decode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("response_hours: 4", "response_hours: -4"), "not -4"),
        (("service_kind: shelter", "service_kind: spa"), "“spa” is not a kind of service"),
        (("title:\n", "title: [unclosed\n"), "This is not valid YAML"),
        (("id: police-high\n", "id: police-any\n"), "is used more than once"),
    ],
)
def test_a_bad_draft_is_shown_again_with_the_text_kept(
    english, sign_in, lead, content, change, message
):
    text = protocol_to_yaml(content).replace(*change, 1)
    sign_in(english, lead)

    response = english.post("/admin/protocol/new/", {"content": text, "note": "x"})

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["content"])
    assert 'class="errorlist' in response.content.decode()
    assert response.context["form"]["content"].value() == text
    assert not ProtocolVersion.objects.exists()


@pytest.mark.parametrize(
    ("field", "junk"),
    [("content", "x" * 100_001), ("note", "ж" * 2001), ("content", ""), ("content", "- 1\n- 2")],
)
def test_junk_in_the_draft_form_gets_a_field_message(english, sign_in, lead, field, junk):
    sign_in(english, lead)
    data = {"content": "title: x", "note": "", field: junk}

    response = english.post("/admin/protocol/new/", data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not ProtocolVersion.objects.exists()


# The PDF -------------------------------------------------------------------------------------

HEADINGS = [
    "Roles and responsibilities",
    "Referral pathways and promised response times",
    "Contact points",
    "Information sharing",
]
# Until the translators have written them: the headings in Azerbaijani and Russian.
WORDS = {
    "az": {
        "Roles and responsibilities": "Rollar və vəzifələr",
        "Referral pathways and promised response times": "Yönləndirmə yolları və cavab müddətləri",
        "Contact points": "Əlaqə məntəqələri",
        "Information sharing": "Məlumat mübadiləsi",
    },
    "ru": {
        "Roles and responsibilities": "Роли и обязанности",
        "Referral pathways and promised response times": "Порядок направления и сроки ответа",
        "Contact points": "Контактные лица",
        "Information sharing": "Обмен информацией",
    },
}


@pytest.fixture
def headings_translated(monkeypatch):
    monkeypatch.setattr(trans_real, "_translations", {})
    for language, words in WORDS.items():
        catalog = trans_real.translation(language)._catalog
        for source, text in words.items():
            catalog[source] = text
    yield
    translation.activate("en")


@pytest.mark.parametrize("language", ["az", "ru", "en"])
def test_the_pdf_opens_in_all_three_languages(
    client, sign_in, outsider, adopted, headings_translated, language
):
    sign_in(client, outsider)

    response = client.get(f"/admin/protocol/1/pdf/?lang={language}")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert b"DejaVuSans" in response.content
    assert b"/FontFile2" in response.content
    text = pdf_text(response.content)
    assert squeeze(CONTENT["title"][language]) in text
    for source in HEADINGS:
        assert squeeze(WORDS.get(language, {}).get(source, source)) in text
    assert squeeze(CONTENT["roles"][0]["text"][language]) in text


def test_an_unknown_pdf_language_falls_back_and_a_missing_version_is_404(
    client, sign_in, outsider, adopted
):
    sign_in(client, outsider)

    assert client.get("/admin/protocol/1/pdf/?lang=xx").content.startswith(b"%PDF-")
    assert client.get("/admin/protocol/99/pdf/").status_code == 404
