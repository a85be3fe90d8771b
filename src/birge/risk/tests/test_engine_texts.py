"""Reason sentences, level names and answer names, in all three languages."""

import json
import re

import pytest

from birge.risk.engine import (
    ANSWERS,
    LANGUAGES,
    LEVELS,
    REASON_CODES,
    Reason,
    answer_name,
    explain,
    instrument_load,
    level_name,
    reason_text,
    score,
)

LANG = {"az": "x", "ru": "x", "en": "x"}
CYRILLIC = re.compile("[А-Яа-яЁё]")

INSTRUMENT = instrument_load(
    """
id: texts
version: "1"
names: {az: "Sınaq", ru: "Проверка", en: "Test"}
descriptions: {az: "Sınaq", ru: "Проверка", en: "Test"}
categories: [{id: c, names: {az: "Əsas", ru: "Основное", en: "Main"}}]
items:
  - {id: choke, category: c, critical: true, weight: 2.5,
     texts: {az: "Boğubmu?", ru: "Душил?", en: "Choked?"},
     labels: {az: "boğma", ru: "удушение", en: "strangulation"}}
  - {id: kill, category: c, weight: 2,
     texts: {az: "Hədələyibmi?", ru: "Угрожал убить?", en: "Threatened to kill?"},
     labels: {az: "öldürməklə hədələmə", ru: "угрозы убийством", en: "threats to kill"}}
  - {id: stalk, category: c,
     texts: {az: "İzləyirmi?", ru: "Преследует?", en: "Stalks?"},
     labels: {az: "təqib", ru: "преследование", en: "stalking"}}
  - {id: jealous, category: c,
     texts: {az: "Qısqancdırmı?", ru: "Ревнует?", en: "Jealous?"},
     labels: {az: "qısqanclıq", ru: "ревность", en: "jealousy"}}
scoring:
  method: weighted
  thresholds: [{level: medium, min_score: 2, provisional: true}, {level: high, min_score: 4.5}]
  provisional_note: {az: "Müvəqqəti", ru: "Предварительно", en: "Provisional"}
  critical_minimum_level: high
  incomplete: {critical_unknown: true, max_missing_share: 0.25}
  screen_in:
    - {any_of: [kill], level: critical}
    - {at_least: 2, of: rest, level: high}
    - {at_least: 2, of: [stalk, jealous], level: medium}
""",
    file="texts.yaml",
)


def _every_reason() -> list[Reason]:
    """Reasons of every code and shape, from real scoring and explain() rather than written
    by hand."""
    full = score(INSTRUMENT, {"choke": "yes", "kill": "yes", "stalk": "yes", "jealous": "unknown"})
    below = score(INSTRUMENT, {"stalk": "declined"})
    screened = score(INSTRUMENT, {"stalk": "yes", "jealous": "yes"})
    unsure = score(INSTRUMENT, {"choke": "unknown", "kill": "declined", "stalk": "no"})
    data = json.loads(INSTRUMENT.source)
    data["scoring"]["thresholds"] = []
    del data["scoring"]["provisional_note"]
    no_thresholds = instrument_load(json.dumps(data))
    nothing = score(no_thresholds, {"stalk": "yes"})
    explained = [
        explain(full.reasons, computed_level="critical", final_level="", status="draft"),
        explain(unsure.reasons, computed_level="standard", final_level="", status="draft"),
        explain(
            below.reasons,
            computed_level="standard",
            final_level="high",
            status="submitted",
            fear="very_afraid",
            judged=True,
        ),
        explain(
            screened.reasons,
            computed_level="high",
            final_level="high",
            status="submitted",
            fear="child_life",
            judged=True,
        ),
        explain(
            screened.reasons,
            computed_level="high",
            final_level="medium",
            status="pending_approval",
            judged=True,
        ),
        explain(
            screened.reasons,
            computed_level="high",
            final_level="medium",
            status="submitted",
            judged=True,
            approved=True,
        ),
        explain(
            screened.reasons,
            computed_level="high",
            final_level="medium",
            status="superseded",
            judged=True,
        ),
        explain(
            (),
            computed_level="",
            final_level="critical",
            status="submitted",
            judged=True,
            judgement_alone=True,
        ),
    ]
    return [
        *full.reasons,
        *below.reasons,
        *screened.reasons,
        *unsure.reasons,
        *nothing.reasons,
        *(reason for reasons in explained for reason in reasons),
    ]


def test_the_sample_covers_every_reason_code_and_screen_in_shape():
    reasons = _every_reason()
    assert {reason.code for reason in reasons} == set(REASON_CODES)
    shapes = {(r.params["kind"], str(r.params.get("of"))) for r in reasons if r.code == "screen_in"}
    assert shapes == {
        ("any_of", "None"),
        ("at_least", "rest"),
        ("at_least", "['stalk', 'jealous']"),
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_reason_renders_as_a_complete_sentence_in_each_language(language):
    for reason in _every_reason():
        text = reason_text(INSTRUMENT, reason, language)
        assert text.endswith("."), text
        assert "{" not in text, text
        assert bool(CYRILLIC.search(text)) == (language == "ru"), text


def test_the_three_languages_say_it_differently_not_in_english_thrice():
    for reason in _every_reason():
        texts = {language: reason_text(INSTRUMENT, reason, language) for language in LANGUAGES}
        assert len(set(texts.values())) == 3, texts


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Score 4.5 (4.5 or more): the score gives high."),
        ("ru", "Балл 4,5 (4,5 и более): по баллу — высокий уровень."),
        ("az", "Bal 4,5 (4,5 və daha çox): bala görə yüksək səviyyə."),
    ],
)
def test_a_threshold_reason_reads_naturally_with_the_local_decimal_mark(language, expected):
    reasons = score(INSTRUMENT, {"choke": "yes", "kill": "yes"}).reasons
    reason = next(r for r in reasons if r.code == "score_threshold")
    assert reason_text(INSTRUMENT, reason, language) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Score 2 (2 or more, a provisional band): the score gives medium."),
        ("ru", "Балл 2 (2 и более, предварительная граница): по баллу — средний уровень."),
        ("az", "Bal 2 (2 və daha çox, müvəqqəti hədd): bala görə orta səviyyə."),
    ],
)
def test_a_provisional_band_says_so(language, expected):
    reasons = score(INSTRUMENT, {"kill": "no", "stalk": "yes", "jealous": "yes"}).reasons
    reason = next(r for r in reasons if r.code == "score_threshold")
    assert reason.params["provisional"] is True
    assert reason_text(INSTRUMENT, reason, language) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Yes to a critical question (strangulation): this alone gives at least high."),
        (
            "ru",
            "Ответ «да» на критический вопрос (удушение): уже одно это даёт уровень "
            "не ниже высокого.",
        ),
        ("az", "Kritik suala «bəli» cavabı (boğma): təkcə bu, ən azı yüksək səviyyə deməkdir."),
    ],
)
def test_a_critical_item_reason_names_the_risk_factor(language, expected):
    reason = Reason("critical_item", {"item": "choke", "level": "high"})
    assert reason_text(INSTRUMENT, reason, language) == expected


def test_missing_answers_are_listed_by_name():
    reason = score(INSTRUMENT, {"choke": "no", "kill": "no"}).reasons[-1]
    assert reason_text(INSTRUMENT, reason, "en") == (
        "Not answered yet: 2 (stalking; jealousy); the level may rise once they are."
    )


def test_a_reason_naming_an_item_this_version_lacks_still_renders():
    reason = Reason("critical_item", {"item": "retired_item", "level": "high"})
    assert "retired_item" in reason_text(INSTRUMENT, reason, "az")


def test_unknown_languages_codes_and_params_are_errors():
    reason = Reason("critical_item", {"item": "choke", "level": "high"})
    with pytest.raises(ValueError, match="language"):
        reason_text(INSTRUMENT, reason, "de")
    with pytest.raises(ValueError, match="unknown reason code"):
        reason_text(INSTRUMENT, Reason("gut_feeling", {}), "en")
    with pytest.raises(ValueError, match="level"):
        reason_text(INSTRUMENT, Reason("critical_item", {"item": "choke"}), "en")
    with pytest.raises(ValueError, match="severe"):
        reason_text(INSTRUMENT, Reason("critical_item", {"item": "choke", "level": "severe"}), "ru")
    with pytest.raises(ValueError, match="fear"):
        reason_text(INSTRUMENT, Reason("her_fear", {"fear": "afraid"}), "en")


def test_every_level_and_answer_has_a_name_in_every_language():
    for language in LANGUAGES:
        assert len({level_name(level, language) for level in LEVELS}) == 4
        assert len({answer_name(answer, language) for answer in ANSWERS}) == 4
    assert [level_name(level, "az") for level in LEVELS] == ["Standart", "Orta", "Yüksək", "Kritik"]
    assert level_name("critical", "ru") == "Критический"
    assert answer_name("unknown", "en") == "Not known"
    assert answer_name("declined", "az") == "Cavab verməkdən imtina"
    with pytest.raises(ValueError):
        level_name("severe", "en")
    with pytest.raises(ValueError):
        answer_name("maybe", "ru")
