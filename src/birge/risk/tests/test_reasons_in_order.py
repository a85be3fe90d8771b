"""Reasons read in the order of the decision: first the level, then what set it (critical
item, score band, screen-in rule), what the answers cannot tell (incomplete), her fear, the
professional judgement, the second opinion, and last the answers that were not yes; never
a sentence that contradicts the level. For every reason code on every shipped instrument,
in az, ru and en."""

import itertools
import re
from html import unescape

import pytest

from birge.risk.engine import (
    LANGUAGES,
    LEVELS,
    REASON_CODES,
    Instrument,
    Reason,
    explain,
    level_index,
    level_max,
    reason_text,
    score,
    shipped_instruments,
)
from birge.risk.engine.texts import HEADLINE_CODES, LEVEL_NAMES, RULE_REASON_CODES

INSTRUMENTS = {f"{i.id} v{i.version}": i for i in shipped_instruments()}
GROUPS = [
    set(HEADLINE_CODES),
    set(RULE_REASON_CODES),
    {"incomplete_critical", "incomplete_share"},
    {"her_fear"},
    {"judgement_changed", "judgement_kept", "judgement_alone"},
    {"second_opinion", "second_opinion_waiting"},
    {"not_known", "not_answered"},
]
# "<level> risk" in each language: only the first sentence may say it.
RISK = {"en": "risk", "ru": "риск", "az": "risk"}


def _group(code: str) -> int:
    return next(n for n, group in enumerate(GROUPS) if code in group)


def _answer_sets(instrument: Instrument) -> list[dict]:
    """Answers that make each rule of the instrument fire, and each way of not knowing."""
    ids = [item.id for item in instrument.items]
    plan = instrument.plan
    on_their_own = set(plan.critical_levels) | {
        i for rule in plan.screen_rules if rule.kind == "any_of" for i in rule.items
    }
    plain = [i for i in ids if i not in on_their_own]

    def answers(*yes, default="no", **values):
        return {i: values.get(i, "yes" if i in yes else default) for i in ids}

    sets = [answers(), answers(*ids), answers(default="unknown"), answers(default="declined")]
    sets += [answers(i) for i in sorted(on_their_own)]
    sets += [answers(*plain[:n]) for n in range(1, len(plain) + 1)]
    sets += [answers(i, *plain[:3]) for i in sorted(on_their_own)]
    sets += [answers(**{i: "unknown"}) for i in sorted(on_their_own)]
    sets += [answers(*plain[:2], **dict.fromkeys(plain[2:5], "declined"))]
    draft = answers(*plain[:1])
    del draft[ids[-1]]  # a draft with a question still open
    return [*sets, draft]


def _decisions(computed: str, incomplete: bool) -> list[dict]:
    """Every way the assessment can be decided after the instrument has computed."""
    higher = LEVELS[min(level_index(computed) + 1, 3)]
    lower = LEVELS[max(level_index(computed) - 1, 0)]
    judged = {"judged": True}
    decided = [
        {"status": "draft", "final_level": ""},
        {"status": "submitted", "final_level": higher, **judged},
        {"status": "submitted", "final_level": "critical", "fear": "very_afraid", **judged},
        {"status": "submitted", "final_level": lower, "approved": True, **judged},
        {"status": "pending_approval", "final_level": lower, **judged},
        {"status": "superseded", "final_level": lower, **judged},
        {
            "status": "submitted",
            "final_level": level_max(computed, "medium"),
            "fear": "child_life",
            **judged,
        },
    ]
    if not incomplete:
        decided.append({"status": "submitted", "final_level": computed})
        decided.append({"status": "submitted", "final_level": computed, "fear": "afraid"})
    else:
        decided.append({"status": "submitted", "final_level": computed, **judged})
    return decided


def _explanations(instrument: Instrument):
    for answers in _answer_sets(instrument):
        result = score(instrument, answers)
        for decision in _decisions(result.level, result.incomplete):
            yield (
                result,
                decision,
                explain(result.reasons, computed_level=result.level, **decision),
            )


def _applicable(instrument: Instrument) -> set[str]:
    plan = instrument.plan
    codes = set(REASON_CODES) - {"judgement_alone"}
    if plan.thresholds:
        codes -= {"no_rule"}
    else:
        codes -= {"score_threshold", "score_below_threshold"}
    if not plan.critical_levels:
        codes -= {"critical_item"}
    if not plan.screen_rules:
        codes -= {"screen_in"}
    if plan.incomplete is None:
        codes -= {"incomplete_critical", "incomplete_share", "level_incomplete"}
    return codes


@pytest.mark.parametrize("name", INSTRUMENTS)
def test_the_sample_reaches_every_reason_code_the_instrument_can_give(name):
    instrument = INSTRUMENTS[name]
    seen = {r.code for _, _, reasons in _explanations(instrument) for r in reasons}
    assert seen == _applicable(instrument)


@pytest.mark.parametrize(("name", "language"), list(itertools.product(INSTRUMENTS, LANGUAGES)))
def test_the_level_comes_first_and_no_other_sentence_contradicts_it(name, language):
    instrument = INSTRUMENTS[name]
    names = LEVEL_NAMES[language]
    risk_phrase = re.compile(
        "|".join(f"{re.escape(names[level])} {RISK[language]}" for level in LEVELS), re.I
    )
    for result, decision, reasons in _explanations(instrument):
        texts = [reason_text(instrument, reason, language) for reason in reasons]
        context = f"{decision} {texts}"
        # First the level: the final one, the proposed one, or a draft's (unless incomplete).
        head = reasons[0]
        assert head.code in HEADLINE_CODES, context
        shown = decision["final_level"] or (None if result.incomplete else result.level)
        if shown:
            assert names[shown].lower() in texts[0].lower(), context
        else:
            assert head.code == "level_incomplete", context
        # No other sentence says "<level> risk": a rule says what it gives, not the result.
        for text in texts[1:]:
            assert not risk_phrase.search(text), context
        # In the order of the decision, group by group.
        groups = [_group(reason.code) for reason in reasons]
        assert groups == sorted(groups), context
        # The rules, highest level first: the first is what set the computed level.
        rules = [r for r in reasons if r.code in RULE_REASON_CODES]
        if rules:
            given = [level_index(r.params["level"]) for r in rules]
            assert given == sorted(given, reverse=True), context
            assert rules[0].params["level"] == result.level, context
        # A level other than the computed one names the judgement that set it, and a
        # lower one the second opinion it has or waits for.
        final = decision["final_level"]
        codes = [r.code for r in reasons]
        if final and final != result.level:
            assert "judgement_changed" in codes, context
        if final and level_index(final) < level_index(result.level):
            expected = {
                "submitted": "second_opinion",
                "pending_approval": "second_opinion_waiting",
                "superseded": None,
            }[decision["status"]]
            if expected:
                assert expected in codes, context
        if result.incomplete:
            assert "incomplete_critical" in codes or "incomplete_share" in codes, context
        if decision.get("fear") in ("very_afraid", "child_life"):
            assert "her_fear" in codes, context


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_level_set_by_judgement_alone_says_so_after_the_level(language):
    reasons = explain(
        (),
        computed_level="",
        final_level="critical",
        status="submitted",
        judged=True,
        judgement_alone=True,
    )
    assert [r.code for r in reasons] == ["level", "judgement_alone"]
    assert reason_text(None, reasons[0], language) == f"{LEVEL_NAMES[language]['critical']} " + (
        "риск." if language == "ru" else "risk."
    )


def test_reasons_stored_by_an_earlier_birge_read_in_the_new_order():
    instrument = INSTRUMENTS["birge-checklist v1"]
    stored = [
        ["score_below_threshold", {"score": 1, "min": 10, "level": "standard"}],
        ["critical_item", {"item": "threat_to_kill", "level": "high"}],
    ]
    reasons = explain(
        (Reason(code, params) for code, params in stored),
        computed_level="high",
        final_level="high",
        status="submitted",
    )
    assert [reason_text(instrument, r, "en") for r in reasons] == [
        "High risk.",
        "Yes to a critical question (threats to kill): this alone gives at least high.",
        "Score 1 (below 10): the score alone does not raise the level.",
    ]


# --- On the page --------------------------------------------------------------------------------


def _why(page: str) -> list[str]:
    listed = re.search(r'<ol class="reasons">(.*?)</ol>', page, re.S)
    assert listed is not None
    return [unescape(item) for item in re.findall(r"<li>(.*?)</li>", listed.group(1), re.S)]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "az",
            [
                "Yüksək risk.",
                "Kritik suala «bəli» cavabı (öldürməklə hədələmə): təkcə bu, ən azı yüksək "
                "səviyyə deməkdir.",
                "Bal 1 (10 baldan az): bal tək başına səviyyəni yüksəltmir.",
            ],
        ),
        (
            "ru",
            [
                "Высокий риск.",
                "Ответ «да» на критический вопрос (угрозы убийством): уже одно это даёт "
                "уровень не ниже высокого.",
                "Балл 1 (меньше 10): сам по себе балл уровень не повышает.",
            ],
        ),
        (
            "en",
            [
                "High risk.",
                "Yes to a critical question (threats to kill): this alone gives at least high.",
                "Score 1 (below 10): the score alone does not raise the level.",
            ],
        ),
    ],
)
def test_the_result_page_opens_with_the_level_not_with_a_band_that_contradicts_it(
    browse, officer, coordinator, case, assess, language, expected
):
    """Issue 11: a high result opened with "Score 1 (below 10): standard risk."."""
    assessment = assess(coordinator, case, "threat_to_kill")
    client = browse(officer)
    client.cookies["birge_language"] = language

    page = client.get(f"/cases/{case.pk}/risk/{assessment.pk}/").content.decode()

    assert _why(page) == expected
    assert "standart risk" not in page.lower() and "стандартный риск" not in page.lower()


def test_the_case_chart_and_the_api_give_the_same_sentences_in_the_same_order(
    browse, api, officer, coordinator, case, assess
):
    assessment = assess(coordinator, case, "threat_to_kill", level="critical", reason="x" * 12)
    page = browse(officer).get(f"/cases/{case.pk}/risk/{assessment.pk}/").content.decode()
    body = api(officer).get(f"/api/v1/cases/{case.pk}/assessments/{assessment.pk}/").json()

    assert _why(page) == body["reasons"]
    assert body["reason_codes"] == [
        "level",
        "critical_item",
        "score_below_threshold",
        "judgement_changed",
    ]
    assert body["reasons"][0] == "Critical risk."
    assert body["reasons"][3] == (
        "Professional judgement set critical (the instrument gave high), with a written reason."
    )
