"""Risk instruments over the API, so that agencies' own systems can render the same forms:
the active versions, and each version with its items, labels, categories, bands, rules and
incomplete rule, in the language the request asks for."""

import pytest
from django.test import Client

from birge.risk.models import InstrumentVersion

LIST = "/api/v1/instruments/"


def _detail(instrument_id: str, version: str) -> str:
    return f"/api/v1/instruments/{instrument_id}/{version}/"


def test_the_list_gives_the_active_versions_and_marks_the_current_ones(api, officer):
    response = api(officer).get(LIST)

    assert response.status_code == 200
    listed = {(i["id"], i["version"]): i for i in response.json()}
    assert set(listed) == {
        ("birge-checklist", "1"),
        ("birge-checklist", "2"),
        ("lethality-screen", "1"),
        ("lethality-screen", "2"),
    }
    assert [key for key, i in sorted(listed.items()) if i["current"]] == [
        ("birge-checklist", "2"),
        ("lethality-screen", "2"),
    ]
    checklist = listed[("birge-checklist", "2")]
    assert (checklist["name"], checklist["item_count"]) == ("Birge risk checklist", 27)
    assert checklist["url"] == _detail("birge-checklist", "2")
    assert (
        checklist["sha256"]
        == InstrumentVersion.objects.get(instrument_id="birge-checklist", version="2").sha256
    )


def test_a_retired_version_leaves_the_list_but_still_reads(api, officer, checklist):
    InstrumentVersion.objects.filter(pk=checklist.pk).update(is_active=False)
    client = api(officer)

    listed = {(i["id"], i["version"]) for i in client.get(LIST).json()}
    detail = client.get(_detail("birge-checklist", "1"))

    assert ("birge-checklist", "1") not in listed
    assert detail.status_code == 200
    assert (detail.json()["active"], detail.json()["current"]) == (False, False)


def test_a_version_reads_with_items_bands_rules_and_the_incomplete_rule(api, officer):
    body = api(officer).get(_detail("birge-checklist", "2")).json()

    assert (body["id"], body["version"], body["language"]) == ("birge-checklist", "2", "en")
    assert [c["id"] for c in body["categories"]] == [
        "violence",
        "escalation",
        "behaviour",
        "situation",
        "family",
    ]
    items = {item["id"]: item for item in body["items"]}
    assert len(items) == 27
    weapon = items["weapon_used"]
    assert (weapon["critical"], weapon["critical_level"], weapon["label"]) == (
        True,
        "high",
        "weapon used or threatened",
    )
    assert weapon["text"].startswith("Has he used a weapon")
    assert (items["weapon_access"]["critical"], items["weapon_access"]["critical_level"]) == (
        False,
        None,
    )
    assert items["injury"]["scope"] == "health" and items["fear"]["scope"] is None
    assert [a["value"] for a in body["answers"]] == ["yes", "no", "unknown", "declined"]
    assert [level["value"] for level in body["levels"]] == [
        "standard",
        "medium",
        "high",
        "critical",
    ]
    scoring = body["scoring"]
    assert scoring["method"] == "count"
    assert scoring["thresholds"] == [
        {"level": "medium", "min_score": 10, "provisional": True},
        {"level": "high", "min_score": 14, "provisional": True},
    ]
    assert "validation" in scoring["provisional_note"]
    assert scoring["incomplete"] == {
        "critical_items": ["strangulation", "threat_to_kill", "weapon_used"],
        "max_missing_share": 0.2,
    }
    assert scoring["screen_in"] == []
    assert body["judgement"] == {
        "reason_min_length": 10,
        "fear_for_life": ["very_afraid", "child_life"],
        "fear_minimum_level": "high",
    }
    assert "child_life" in [choice["value"] for choice in body["victim_fear"]]


def test_the_screen_gives_its_screen_in_rules_resolved(api, officer):
    body = api(officer).get(_detail("lethality-screen", "2")).json()

    gravest, rest = body["scoring"]["screen_in"]
    assert gravest == {
        "kind": "any_of",
        "items": ["strangulation", "threat_to_kill", "weapon_used", "she_thinks_he_may_kill"],
        "at_least": 1,
        "level": "high",
    }
    assert (rest["kind"], rest["at_least"], len(rest["items"])) == ("at_least", 4, 8)
    assert body["scoring"]["thresholds"] == [] and body["scoring"]["provisional_note"] is None


def test_version_1_reads_as_it_was_published(api, officer):
    body = api(officer).get(_detail("birge-checklist", "1")).json()

    assert "weapon" in [item["id"] for item in body["items"]]
    assert body["scoring"]["incomplete"] is None
    assert {t["provisional"] for t in body["scoring"]["thresholds"]} == {False}


@pytest.mark.parametrize(
    ("language", "name", "question"),
    [
        ("az", "Birge risk yoxlama siyahısı", "O, Sizə qarşı silah"),
        ("ru", "Контрольный перечень рисков Birge", "Применял ли он против Вас оружие"),
        ("en", "Birge risk checklist", "Has he used a weapon"),
    ],
)
def test_the_texts_come_in_the_requested_language(api, officer, language, name, question):
    response = api(officer, language=language).get(_detail("birge-checklist", "2"))

    body = response.json()
    assert body["language"] == language
    assert body["name"] == name
    items = {item["id"]: item for item in body["items"]}
    assert items["weapon_used"]["text"].startswith(question)
    assert response["Content-Language"] == language
    listed = api(officer, language=language).get(LIST).json()
    assert name in {i["name"] for i in listed}


@pytest.mark.parametrize(
    "path",
    [
        _detail("birge-checklist", "9"),
        _detail("no-such-instrument", "1"),
        _detail("birge-checklist", "..."),
        _detail("birge-checklist", "1%00"),
        _detail("birge-checklist", "x" * 40),
    ],
)
def test_what_is_not_there_is_a_404(api, officer, path):
    response = api(officer).get(path)
    assert response.status_code == 404
    assert "detail" in response.json()


def test_without_a_token_nothing_reads(db):
    assert Client().get(LIST).status_code == 401
    assert Client().get(_detail("birge-checklist", "2")).status_code == 401


def test_any_signed_in_role_may_read_them_they_hold_no_personal_data(api, analyst, outsider):
    for user in (analyst, outsider):
        assert api(user).get(_detail("lethality-screen", "2")).status_code == 200


def test_the_routes_are_in_the_openapi_schema(api, officer):
    text = api(officer).get("/api/v1/schema/").content.decode()
    assert "/api/v1/instruments/" in text
    assert "/api/v1/instruments/{instrument_id}/{version}/" in text
    assert "max_missing_share" in text


def test_answers_go_to_the_newest_version_unless_another_active_one_is_named(
    api, officer, case, checklist, checklist_v2, answers_for
):
    client = api(officer)
    url = f"/api/v1/cases/{case.pk}/assessments/"

    newest = client.post(
        url,
        {"instrument": "birge-checklist", "answers": answers_for(checklist_v2)},
        content_type="application/json",
    )
    older = client.post(
        url,
        {
            "instrument": "birge-checklist",
            "instrument_version": "1",
            "answers": answers_for(checklist),
        },
        content_type="application/json",
    )
    stale = client.post(
        url,
        {"instrument": "birge-checklist", "answers": answers_for(checklist)},
        content_type="application/json",
    )
    InstrumentVersion.objects.filter(pk=checklist.pk).update(is_active=False)
    retired = client.post(
        url,
        {
            "instrument": "birge-checklist",
            "instrument_version": "1",
            "answers": answers_for(checklist),
        },
        content_type="application/json",
    )

    assert (newest.status_code, newest.json()["instrument_version"]) == (201, "2")
    assert (older.status_code, older.json()["instrument_version"]) == (201, "1")
    assert stale.status_code == 400  # version 1's "weapon" is not a question of version 2
    assert retired.status_code == 400 and "instrument_version" in retired.json()
