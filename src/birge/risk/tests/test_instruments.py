"""The instruments Birge ships, version 1 of each and version 2 beside it: they load, say
what the issue asks, and score sensibly. (Version 2's own tests: test_instruments_v2.py.)"""

import re

import pytest

from birge.risk.engine import LANGUAGES, Instrument, reason_text, score, shipped_instruments

CYRILLIC = re.compile("[А-Яа-яЁё]")
AZERBAIJANI_LETTERS = re.compile("[əğıöüşçƏĞİÖÜŞÇ]")

# A published version never changes: assessments are recomputed against it. If this fails
# because you edited a shipped file, put the edit in a new file with a new version instead.
PUBLISHED = {
    ("birge-checklist", "1"): "7796ce69a9d4ebe508872877b74f6f73b22bfaa2fb2ec92a11d589ff177a8a46",
    ("lethality-screen", "1"): "b6e9cbe2c7e7f7788cc65b783add0dcc89ebd4ebb5c8db7fb8e41df849c72d27",
    ("birge-checklist", "2"): "5b3572a49a9fe795fd26109b2e281df075c819ff77b25d78141bd698e1579ae1",
    ("lethality-screen", "2"): "20033a46d36be4b70e06894f7ab40ff2b0a81a68dae84d03a585f1ef835f6da3",
}


def _shipped(instrument_id: str, version: str = "1") -> Instrument:
    return next(i for i in shipped_instruments() if (i.id, i.version) == (instrument_id, version))


@pytest.fixture(scope="module")
def checklist() -> Instrument:
    return _shipped("birge-checklist")


@pytest.fixture(scope="module")
def screen() -> Instrument:
    return _shipped("lethality-screen")


def _answers(instrument: Instrument, *yes: str) -> dict[str, str]:
    unknown = set(yes) - {item.id for item in instrument.items}
    assert not unknown, unknown
    return {item.id: ("yes" if item.id in yes else "no") for item in instrument.items}


def test_both_instruments_ship_and_load_in_both_versions_oldest_first():
    assert [(i.id, i.version) for i in shipped_instruments()] == [
        ("birge-checklist", "1"),
        ("birge-checklist", "2"),
        ("lethality-screen", "1"),
        ("lethality-screen", "2"),
    ]


def test_published_versions_have_not_changed():
    for instrument in shipped_instruments():
        assert PUBLISHED[(instrument.id, instrument.version)] == instrument.sha256, instrument.id


def test_shipped_instruments_hands_out_a_fresh_list():
    first = shipped_instruments()
    first.clear()
    assert len(shipped_instruments()) == 4


@pytest.mark.parametrize(
    ("instrument_id", "version"),
    [
        ("birge-checklist", "1"),
        ("birge-checklist", "2"),
        ("lethality-screen", "1"),
        ("lethality-screen", "2"),
    ],
)
def test_every_text_exists_in_three_languages_in_the_right_script(instrument_id, version):
    instrument = _shipped(instrument_id, version)
    texts = [instrument.names, instrument.descriptions, *instrument.categories.values()]
    if instrument.provisional_note:
        texts.append(instrument.provisional_note)
    for item in instrument.items:
        texts += [item.texts, item.labels]
        assert item.texts["en"].endswith("?"), item.id
        assert item.texts["az"].endswith("?") and item.texts["ru"].endswith("?"), item.id
        assert len(item.evidence) > 40, item.id
    for translated in texts:
        assert set(translated) == set(LANGUAGES)
        assert len(set(translated.values())) == 3, translated
        assert CYRILLIC.search(translated["ru"]), translated
        assert not CYRILLIC.search(translated["az"] + translated["en"]), translated
    assert AZERBAIJANI_LETTERS.search(" ".join(item.texts["az"] for item in instrument.items))


def test_the_checklist_covers_the_24_factors_with_three_critical_items(checklist):
    assert len(checklist.items) == 24
    assert checklist.names["en"] == "Birge risk checklist"
    assert {item.id for item in checklist.items if item.critical} == {
        "strangulation",
        "threat_to_kill",
        "weapon",
    }
    assert set(checklist.categories) == {item.category for item in checklist.items}
    assert checklist.scoring["method"] == "count"
    assert "screen_in" not in checklist.scoring  # critical is left to professional judgement


PLAIN = [
    "injury",
    "sexual_violence",
    "more_frequent",
    "getting_worse",
    "breach_of_orders",
    "criminal_history",
    "control_jealousy",
    "stalking",
    "isolation",
    "financial_control",
    "harm_to_animals",
    "substance_or_crisis",
    "his_suicide",
    "fear",
    "separation",
]


@pytest.mark.parametrize(
    ("yes_count", "level"),
    [(0, "standard"), (9, "standard"), (10, "medium"), (13, "medium"), (14, "high")],
)
def test_the_checklist_bands_follow_marac_practice(checklist, yes_count, level):
    result = score(checklist, _answers(checklist, *PLAIN[:yes_count]))
    assert (result.score, result.level) == (yes_count, level)


@pytest.mark.parametrize("critical", ["strangulation", "threat_to_kill", "weapon"])
def test_one_critical_answer_makes_the_checklist_high_on_its_own(checklist, critical):
    result = score(checklist, _answers(checklist, critical, "fear"))
    assert result.level == "high"
    assert [r.code for r in result.reasons] == ["critical_item", "score_below_threshold"]
    assert reason_text(checklist, result.reasons[0], "az").startswith("Kritik suala «bəli» cavabı")


def test_a_woman_recently_separated_and_stalked_is_medium(checklist):
    # Plausible: separation, stalking, control, fear, child contact, isolation, harassment by
    # his family, more frequent and worse, financial control: ten yes, nothing critical.
    yes = [
        "separation",
        "stalking",
        "control_jealousy",
        "fear",
        "child_contact",
        "isolation",
        "threats_from_others",
        "more_frequent",
        "getting_worse",
        "financial_control",
    ]
    result = score(checklist, _answers(checklist, *yes))
    assert result.level == "medium"
    assert reason_text(checklist, result.reasons[0], "ru") == (
        "Балл 10 (10 и более): по баллу — средний уровень."
    )


def test_every_yes_on_the_checklist_is_high_not_critical(checklist):
    result = score(checklist, _answers(checklist, *(item.id for item in checklist.items)))
    assert (result.score, result.level) == (24, "high")


def test_a_checklist_draft_names_what_is_missing(checklist):
    result = score(checklist, {"strangulation": "yes", "fear": "declined"})
    assert result.level == "high"
    assert len(result.missing) == 22
    assert [r.code for r in result.reasons][-2:] == ["not_known", "not_answered"]


def test_the_screen_has_eleven_questions_three_of_them_gravest(screen):
    assert len(screen.items) == 11
    assert [item.id for item in screen.items if item.category == "gravest"] == [
        "strangulation",
        "threat_to_kill",
        "weapon_used",
    ]
    assert screen.scoring["screen_in"][0]["any_of"] == [
        "strangulation",
        "threat_to_kill",
        "weapon_used",
    ]


@pytest.mark.parametrize("gravest", ["strangulation", "threat_to_kill", "weapon_used"])
def test_a_yes_to_any_gravest_question_screens_her_in(screen, gravest):
    result = score(screen, _answers(screen, gravest))
    assert result.level == "high"
    assert result.reasons[0].params["items"] == [gravest]


def test_four_other_yes_answers_screen_her_in_and_three_do_not(screen):
    others = ["she_thinks_he_may_kill", "separation", "stalking", "out_of_work"]
    assert score(screen, _answers(screen, *others[:3])).level == "standard"
    result = score(screen, _answers(screen, *others))
    assert result.level == "high"
    assert reason_text(screen, result.reasons[0], "en").startswith(
        "Screened in: yes to 4 of the other questions"
    )


def test_a_screen_with_no_yes_is_standard_and_says_why(screen):
    result = score(screen, _answers(screen))
    assert result.level == "standard"
    assert reason_text(screen, result.reasons[0], "az") == (
        "Alətin heç bir qaydası tətbiq olunmadı (bal 0)."
    )


def test_not_known_to_a_gravest_question_does_not_screen_in_but_is_shown(screen):
    answers = _answers(screen)
    answers["strangulation"] = "unknown"
    result = score(screen, answers)
    assert result.level == "standard"
    assert result.reasons[-1].code == "not_known"
