"""Version 2 of the shipped instruments, beside version 1: the weapon question split into use
or threats (critical) and access (scored), his unemployment and a child in the home who is
not his added, the bands marked provisional, the incomplete rule, her belief that he may
kill her among the lethality screen's gravest questions. New assessments use version 2;
old ones keep version 1 and still display."""

from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from birge.risk import selectors
from birge.risk.engine import (
    Instrument,
    Reason,
    reason_text,
    score,
    shipped_instruments,
    version_key,
)
from birge.risk.models import InstrumentVersion

CRITICAL = ("strangulation", "threat_to_kill", "weapon_used")
GRAVEST = ("strangulation", "threat_to_kill", "weapon_used", "she_thinks_he_may_kill")
# Wordings of the licensed forms that our own must not copy (the Lethality Assessment
# Program's screen and the Danger Assessment).
LICENSED = (
    "Do you think he might try to kill you?",
    "Do you believe he is capable of killing you?",
)


def _shipped(instrument_id: str, version: str) -> Instrument:
    return next(i for i in shipped_instruments() if (i.id, i.version) == (instrument_id, version))


@pytest.fixture(scope="module")
def checklist2() -> Instrument:
    return _shipped("birge-checklist", "2")


@pytest.fixture(scope="module")
def screen2() -> Instrument:
    return _shipped("lethality-screen", "2")


def _answers(instrument: Instrument, *yes: str, default: str = "no", **values: str) -> dict:
    ids = [item.id for item in instrument.items]
    assert not (set(yes) | set(values)) - set(ids)
    return {i: values.get(i, "yes" if i in yes else default) for i in ids}


def _plain(instrument: Instrument) -> list[str]:
    """Items that set no level on their own."""
    critical = set(instrument.plan.incomplete.critical)
    return [item.id for item in instrument.items if item.id not in critical]


# --- The checklist --------------------------------------------------------------------------


def test_the_weapon_question_is_split_into_use_or_threats_and_access(checklist2):
    ids = [item.id for item in checklist2.items]
    assert "weapon" not in ids
    used, access = checklist2.item("weapon_used"), checklist2.item("weapon_access")
    assert used.critical and not access.critical
    assert {item.id for item in checklist2.items if item.critical} == set(CRITICAL)
    assert score(checklist2, _answers(checklist2, "weapon_used")).level == "high"
    # A kitchen knife in the house is not critical: access alone counts one, no more.
    kitchen = score(checklist2, _answers(checklist2, "weapon_access"))
    assert (kitchen.level, kitchen.score) == ("standard", 1)
    assert "kitchen knives do not count" in access.texts["en"]


def test_his_unemployment_and_a_child_not_his_are_asked_and_counted(checklist2):
    assert len(checklist2.items) == 27
    assert checklist2.item("unemployed").category == "behaviour"
    assert checklist2.item("child_not_his").category == "family"
    for item_id in ("unemployed", "child_not_his"):
        assert "Campbell et al. 2003" in checklist2.item(item_id).evidence
    result = score(checklist2, _answers(checklist2, "unemployed", "child_not_his"))
    assert (result.score, result.level) == (2, "standard")


def test_the_bands_are_provisional_with_a_note_in_three_languages(checklist2):
    bands = [
        (t["min_score"], t["level"], t["provisional"]) for t in checklist2.scoring["thresholds"]
    ]
    assert bands == [(10, "medium", True), (14, "high", True)]
    assert set(checklist2.provisional_note) == {"az", "ru", "en"}
    assert "validation" in checklist2.provisional_note["en"]
    result = score(checklist2, _answers(checklist2, *_plain(checklist2)[:10]))
    assert reason_text(checklist2, result.reasons[0], "en") == (
        "Score 10 (10 or more, a provisional band): the score gives medium."
    )


def test_version_1_stays_as_it_was_published():
    v1 = _shipped("birge-checklist", "1")
    assert "weapon" in [item.id for item in v1.items] and len(v1.items) == 24
    assert v1.plan.incomplete is None and not v1.plan.provisional
    assert not any(item.scope for item in v1.items)


@pytest.mark.parametrize("answer", ["unknown", "declined"])
def test_nothing_known_is_incomplete_never_a_clean_standard(checklist2, screen2, answer):
    for instrument in (checklist2, screen2):
        result = score(instrument, _answers(instrument, default=answer))
        assert result.incomplete, instrument.id
        codes = [reason.code for reason in result.reasons]
        assert {"incomplete_critical", "incomplete_share"} <= set(codes)


def test_23_declined_answers_make_the_checklist_incomplete(checklist2):
    plain = _plain(checklist2)
    answers = _answers(checklist2, **dict.fromkeys(plain[:23], "declined"))
    result = score(checklist2, answers)
    assert result.incomplete
    assert (
        Reason("incomplete_share", {"count": 23, "total": 27, "max_share": 0.2}) in result.reasons
    )
    assert "incomplete_critical" not in [reason.code for reason in result.reasons]


@pytest.mark.parametrize("critical", CRITICAL)
@pytest.mark.parametrize("answer", ["unknown", "declined"])
def test_one_critical_question_not_known_is_enough(checklist2, critical, answer):
    result = score(checklist2, _answers(checklist2, **{critical: answer}))
    assert result.incomplete
    assert result.level == "standard"  # what the answers give; the result is not that
    assert Reason("incomplete_critical", {"items": [critical], "count": 1}) in result.reasons


def test_more_than_one_answer_in_five_unknown_is_incomplete_and_one_in_five_is_not(checklist2):
    plain = _plain(checklist2)
    five = score(checklist2, _answers(checklist2, **dict.fromkeys(plain[:5], "unknown")))
    six = score(checklist2, _answers(checklist2, **dict.fromkeys(plain[:6], "unknown")))
    assert not five.incomplete  # 5 of 27 is under 20%
    assert six.incomplete  # 6 of 27 is over it


@pytest.mark.parametrize("language", ["az", "ru", "en"])
def test_the_incomplete_reasons_say_what_is_missing_in_each_language(checklist2, language):
    answers = _answers(checklist2, default="declined")
    result = score(checklist2, answers)
    texts = [reason_text(checklist2, r, language) for r in result.reasons]
    share = next(
        t for r, t in zip(result.reasons, texts, strict=True) if r.code == "incomplete_share"
    )
    assert {"az": "27 cavabdan 27", "ru": "27 из 27", "en": "27 of 27"}[language] in share
    assert {"az": "20 faiz", "ru": "20 %", "en": "20%"}[language] in share
    critical = next(
        t for r, t in zip(result.reasons, texts, strict=True) if r.code == "incomplete_critical"
    )
    assert checklist2.item("weapon_used").labels[language] in critical


# --- The lethality screen -------------------------------------------------------------------


def test_her_belief_that_he_may_kill_her_is_among_the_gravest_questions(screen2):
    gravest = [item.id for item in screen2.items if item.category == "gravest"]
    assert gravest == list(GRAVEST)
    assert screen2.scoring["screen_in"][0]["any_of"] == list(GRAVEST)
    result = score(screen2, _answers(screen2, "she_thinks_he_may_kill"))
    assert result.level == "high"
    assert result.reasons[0].params["items"] == ["she_thinks_he_may_kill"]


def test_the_question_is_in_our_own_words_with_its_source_named(screen2):
    item = screen2.item("she_thinks_he_may_kill")
    assert "Danger Assessment" in item.evidence
    assert "Lethality Assessment Program" in item.evidence
    assert item.texts["en"] not in LICENSED
    v1 = _shipped("lethality-screen", "1").item("she_thinks_he_may_kill")
    assert item.texts["en"] != v1.texts["en"]


def test_four_of_the_other_eight_screen_her_in_and_three_do_not(screen2):
    others = [item.id for item in screen2.items if item.category == "other"]
    assert len(others) == 8 and "child_not_his" in others
    assert score(screen2, _answers(screen2, *others[:3])).level == "standard"
    assert score(screen2, _answers(screen2, *others[:4])).level == "high"


@pytest.mark.parametrize("gravest", GRAVEST)
def test_a_gravest_question_not_known_makes_the_screen_incomplete(screen2, gravest):
    result = score(screen2, _answers(screen2, **{gravest: "unknown"}))
    assert result.incomplete and result.level == "standard"


# --- Scopes, versions ------------------------------------------------------------------------


def test_her_health_answers_carry_their_scope_and_agree_with_the_item_scopes(checklist2):
    declared = {
        item.id: item.scope for i in shipped_instruments() for item in i.items if item.scope
    }
    assert declared == {
        "injury": "health",
        "pregnancy_or_baby": "health",
        "depression_or_suicidal": "health",
    }
    # Version 1 declares none in its file: its health items are the same ids.
    assert declared == selectors.ITEM_SCOPES


def test_versions_are_ordered_as_a_person_counts_them():
    assert sorted(["10", "2", "1.1", "1"], key=version_key) == ["1", "1.1", "2", "10"]


def test_the_newest_active_version_is_what_new_assessments_use(checklist, checklist_v2):
    current = selectors.instruments_current()
    assert checklist_v2 in current and checklist not in current
    assert {v.instrument_id for v in current} == {"birge-checklist", "lethality-screen"}
    # The highest version, not the last added.
    InstrumentVersion.objects.filter(pk=checklist.pk).update(
        added_at=timezone.now() + timedelta(days=1)
    )
    assert checklist_v2 in selectors.instruments_current()
    # An administrator who retires version 2 brings version 1 back for new assessments.
    InstrumentVersion.objects.filter(pk=checklist_v2.pk).update(is_active=False)
    assert checklist in selectors.instruments_current()


def test_the_page_offers_version_2_and_an_old_assessment_keeps_and_shows_version_1(
    browse, coordinator, case, checklist, checklist_v2, assess
):
    old = assess(coordinator, case, "weapon")
    client = browse(coordinator)

    offered = unescape(client.get(f"/cases/{case.pk}/risk/new/").content.decode())
    shown = unescape(client.get(f"/cases/{case.pk}/risk/{old.pk}/").content.decode())

    assert f"?instrument={checklist_v2.pk}" in offered
    assert f"?instrument={checklist.pk}" not in offered
    assert old.instrument_version == checklist
    assert "version 1" in shown
    assert checklist.instrument.item("weapon").texts["en"] in shown
    assert "High risk." in shown


def test_the_form_of_version_2_asks_its_new_questions(browse, coordinator, case, checklist_v2):
    page = unescape(
        browse(coordinator)
        .get(f"/cases/{case.pk}/risk/new/?instrument={checklist_v2.pk}")
        .content.decode()
    )
    for item_id in ("weapon_used", "weapon_access", "unemployed", "child_not_his"):
        assert checklist_v2.instrument.item(item_id).texts["en"] in page
    assert "She is very afraid for a child's life" in page
