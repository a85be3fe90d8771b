"""Scoring against hand-computed vectors: each rule alone, then together."""

import json

import pytest

from birge.risk.engine import (
    LEVELS,
    Instrument,
    Reason,
    instrument_load,
    level_index,
    level_max,
    score,
)

LANG = {"az": "x", "ru": "x", "en": "x"}


def _instrument(items: list[dict], **scoring) -> Instrument:
    """A small instrument built in the test, so that each vector can be counted by hand."""
    data = {
        "id": "test",
        "version": "1",
        "names": LANG,
        "descriptions": LANG,
        "categories": [{"id": "c", "names": LANG}],
        "items": [{"category": "c", "texts": LANG, "labels": LANG, **item} for item in items],
        "scoring": {"method": "count", **scoring},
    }
    return instrument_load(json.dumps(data), file="test.json")


def _yes(*ids: str, rest: tuple[str, ...] = ()) -> dict[str, str]:
    return {**{i: "no" for i in rest}, **{i: "yes" for i in ids}}


def _codes(result) -> list[str]:
    return [reason.code for reason in result.reasons]


MARAC = [{"level": "medium", "min_score": 10}, {"level": "high", "min_score": 14}]
TWENTY = [f"i{n:02}" for n in range(1, 21)]


@pytest.fixture
def counted() -> Instrument:
    return _instrument([{"id": i} for i in TWENTY], thresholds=MARAC)


@pytest.mark.parametrize(
    ("yes_count", "level", "reason"),
    [
        (
            0,
            "standard",
            Reason("score_below_threshold", {"score": 0, "min": 10, "level": "standard"}),
        ),
        (
            9,
            "standard",
            Reason("score_below_threshold", {"score": 9, "min": 10, "level": "standard"}),
        ),
        (10, "medium", Reason("score_threshold", {"score": 10, "min": 10, "level": "medium"})),
        (13, "medium", Reason("score_threshold", {"score": 13, "min": 10, "level": "medium"})),
        (14, "high", Reason("score_threshold", {"score": 14, "min": 14, "level": "high"})),
        (20, "high", Reason("score_threshold", {"score": 20, "min": 14, "level": "high"})),
    ],
)
def test_count_thresholds_apply_at_their_edges(counted, yes_count, level, reason):
    result = score(counted, _yes(*TWENTY[:yes_count], rest=tuple(TWENTY)))
    assert result.score == yes_count
    assert result.yes_count == yes_count
    assert result.level == level
    assert result.reasons == (reason,)
    assert result.missing == ()


def test_weighted_method_sums_the_weights_of_yes_answers():
    instrument = _instrument(
        [
            {"id": "w1", "weight": 2.5},
            {"id": "w2", "weight": 1},
            {"id": "w3", "weight": 0.5},
            {"id": "w4", "weight": 0},
            {"id": "w5"},  # weight 1 by default
        ],
        method="weighted",
        thresholds=[{"level": "medium", "min_score": 3}, {"level": "high", "min_score": 4.5}],
    )
    ids = ("w1", "w2", "w3", "w4", "w5")
    cases = [
        (("w4",), 0, "standard"),
        (("w2", "w3"), 1.5, "standard"),
        (("w1", "w3"), 3, "medium"),
        (("w1", "w2", "w3"), 4, "medium"),
        (("w1", "w2", "w5"), 4.5, "high"),
        (ids, 5, "high"),
    ]
    for yes, expected_score, expected_level in cases:
        result = score(instrument, _yes(*yes, rest=ids))
        assert (result.score, result.level) == (expected_score, expected_level), yes
        assert result.yes_count == len(yes)
    assert score(instrument, _yes("w1", "w2", "w5", rest=ids)).reasons == (
        Reason("score_threshold", {"score": 4.5, "min": 4.5, "level": "high"}),
    )


def test_weighted_sums_meet_a_threshold_exactly_despite_binary_fractions():
    instrument = _instrument(
        [{"id": "a", "weight": 0.1}, {"id": "b", "weight": 0.2}],
        method="weighted",
        thresholds=[{"level": "medium", "min_score": 0.3}],
    )
    result = score(instrument, _yes("a", "b"))
    assert result.score == 0.3
    assert result.level == "medium"


@pytest.fixture
def with_critical() -> Instrument:
    return _instrument(
        [{"id": "plain"}, {"id": "choke", "critical": True}, {"id": "kill", "critical": True}]
        + [{"id": i} for i in TWENTY],
        thresholds=MARAC,
        critical_minimum_level="high",
        critical_item_levels={"kill": "critical"},
    )


def test_a_critical_item_sets_its_minimum_level_on_its_own(with_critical):
    result = score(with_critical, _yes("choke"))
    assert result.level == "high"
    assert result.score == 1
    # What set the level comes first; the score band that gave less, after it.
    assert result.reasons[:2] == (
        Reason("critical_item", {"item": "choke", "level": "high"}),
        Reason("score_below_threshold", {"score": 1, "min": 10, "level": "standard"}),
    )


def test_a_critical_item_can_override_the_minimum_level(with_critical):
    assert score(with_critical, _yes("kill")).level == "critical"


def test_a_non_critical_item_sets_nothing_on_its_own(with_critical):
    result = score(with_critical, _yes("plain"))
    assert result.level == "standard"
    assert "critical_item" not in _codes(result)


def test_a_critical_item_below_the_score_level_does_not_lower_it(with_critical):
    result = score(with_critical, _yes("choke", *TWENTY[:14]))
    assert result.level == "high"
    assert _codes(result)[:2] == ["critical_item", "score_threshold"]


def test_the_level_is_the_highest_of_every_rule_that_fired(with_critical):
    # 11 yes: medium by score; "choke" says high; "kill" says critical.
    result = score(with_critical, _yes("choke", "kill", *TWENTY[:9]))
    assert result.score == 11
    assert result.level == "critical"
    assert result.reasons[:3] == (
        Reason("critical_item", {"item": "kill", "level": "critical"}),
        Reason("critical_item", {"item": "choke", "level": "high"}),
        Reason("score_threshold", {"score": 11, "min": 10, "level": "medium"}),
    )


@pytest.fixture
def screened() -> Instrument:
    """g1-g3 are the gravest (any one: critical); 4 of the other six: high."""
    items = ["g1", "g2", "g3", "o1", "o2", "o3", "o4", "o5", "o6"]
    return _instrument(
        [{"id": i} for i in items],
        screen_in=[
            {"any_of": ["g1", "g2", "g3"], "level": "critical"},
            {"at_least": 4, "of": "rest", "level": "high"},
        ],
    )


def test_any_of_screens_in_on_a_single_yes(screened):
    result = score(screened, _yes("g2"))
    assert result.level == "critical"
    assert result.reasons[0] == Reason(
        "screen_in", {"rule": 1, "kind": "any_of", "items": ["g2"], "level": "critical"}
    )


def test_any_of_names_every_yes_it_saw(screened):
    result = score(screened, _yes("g3", "g1"))
    assert result.reasons[0].params["items"] == ["g1", "g3"]


def test_at_least_screens_in_at_its_count_and_not_below(screened):
    assert score(screened, _yes("o1", "o2", "o3")).level == "standard"
    result = score(screened, _yes("o1", "o3", "o5", "o6"))
    assert result.level == "high"
    assert result.reasons[0] == Reason(
        "screen_in",
        {
            "rule": 2,
            "kind": "at_least",
            "items": ["o1", "o3", "o5", "o6"],
            "level": "high",
            "count": 4,
            "at_least": 4,
            "of": "rest",
        },
    )


def test_rest_leaves_out_the_items_any_of_rules_name(screened):
    # Three gravest plus one other is five yes, but only one counts towards "rest".
    result = score(screened, _yes("g1", "g2", "g3", "o1"))
    assert [r.params["rule"] for r in result.reasons if r.code == "screen_in"] == [1]


def test_screen_in_rules_combine_with_or_and_both_are_listed(screened):
    result = score(screened, _yes("g1", "o1", "o2", "o3", "o4"))
    assert result.level == "critical"
    assert [r.params["rule"] for r in result.reasons if r.code == "screen_in"] == [1, 2]


def test_at_least_can_count_a_named_list():
    instrument = _instrument(
        [{"id": i} for i in ("a", "b", "c", "d")],
        screen_in=[{"at_least": 2, "of": ["a", "c", "d"], "level": "medium"}],
    )
    assert score(instrument, _yes("a", "b")).level == "standard"
    result = score(instrument, _yes("d", "a"))
    assert result.level == "medium"
    assert result.reasons[0].params["of"] == ["a", "c", "d"]
    assert result.reasons[0].params["items"] == ["a", "d"]


def test_without_thresholds_a_result_that_nothing_raised_says_so(screened):
    result = score(screened, _yes("o1", rest=("g1", "g2", "g3", "o2", "o3", "o4", "o5", "o6")))
    assert result.level == "standard"
    assert result.reasons == (Reason("no_rule", {"score": 1, "level": "standard"}),)


def test_screen_in_critical_items_and_thresholds_together_take_the_maximum():
    items = [{"id": "k", "critical": True}] + [{"id": i} for i in TWENTY]
    instrument = _instrument(
        items,
        thresholds=MARAC,
        critical_minimum_level="medium",
        screen_in=[{"at_least": 3, "of": ["i01", "i02", "i03"], "level": "high"}],
    )
    # score 14 -> high; k -> medium; screen-in -> high: high, the rules giving high first
    # (the score band before the screen-in rule), then the one giving medium.
    result = score(instrument, _yes("k", *TWENTY[:13], rest=tuple(TWENTY)))
    assert result.level == "high"
    assert _codes(result) == ["score_threshold", "screen_in", "critical_item"]
    # score 4 -> standard; k -> medium; screen-in -> high.
    assert score(instrument, _yes("k", "i01", "i02", "i03")).level == "high"
    # score 2 -> standard; k -> medium.
    assert score(instrument, _yes("k", "i05")).level == "medium"


def test_unknown_and_declined_are_answers_but_not_yes(counted):
    answers = _yes(*TWENTY[:10], rest=tuple(TWENTY))
    answers.update({"i01": "unknown", "i02": "declined"})
    result = score(counted, answers)
    assert result.yes_count == 8
    assert result.level == "standard"
    assert result.missing == ()
    assert result.reasons[-1] == Reason("not_known", {"items": ["i01", "i02"], "count": 2})


def test_none_and_absent_answers_are_missing(counted):
    answers = _yes(*TWENTY[:10])
    answers["i20"] = None
    result = score(counted, answers)
    assert result.level == "medium"  # a draft scores what it has
    assert result.missing == tuple(TWENTY[10:])
    assert result.reasons[-1] == Reason("not_answered", {"items": list(TWENTY[10:]), "count": 10})


def test_an_empty_draft_scores_standard_with_everything_missing(counted):
    result = score(counted, {})
    assert (result.score, result.level, result.yes_count) == (0, "standard", 0)
    assert result.missing == tuple(TWENTY)


def test_reasons_come_in_a_stable_order_whatever_the_order_of_answers(with_critical):
    answers = {"kill": "yes", "plain": "unknown", "choke": "yes", **_yes(*TWENTY[:10])}
    answers["i20"] = None
    forward = score(with_critical, answers)
    backward = score(with_critical, dict(reversed(list(answers.items()))))
    assert forward == backward
    assert _codes(forward) == [
        "critical_item",
        "critical_item",
        "score_threshold",
        "not_known",
        "not_answered",
    ]
    assert [r.params["item"] for r in forward.reasons[:2]] == ["kill", "choke"]


def test_reason_params_are_plain_json(with_critical):
    result = score(with_critical, {"kill": "yes", "plain": None, "choke": "declined"})
    stored = json.loads(json.dumps([[r.code, r.params] for r in result.reasons]))
    assert [Reason(code, params) for code, params in stored] == list(result.reasons)


def test_unknown_item_ids_are_refused_by_name(counted):
    with pytest.raises(ValueError, match=r"unknown items: bogus, zzz"):
        score(counted, {"zzz": "yes", "i01": "yes", "bogus": "no"})


def test_answers_outside_the_four_are_refused_by_item(counted):
    with pytest.raises(ValueError, match=r"i02='maybe'") as caught:
        score(counted, {"i01": "yes", "i02": "maybe", "i03": True})
    assert "i03=True" in str(caught.value)


def test_levels_are_ordered_and_their_maximum_is_the_highest():
    assert LEVELS == ("standard", "medium", "high", "critical")
    assert [level_index(level) for level in LEVELS] == [0, 1, 2, 3]
    assert level_max("medium", "critical", "high") == "critical"
    assert level_max("standard") == "standard"
    assert level_max() == "standard"


def test_an_unknown_level_is_an_error_not_a_guess():
    with pytest.raises(ValueError, match="severe"):
        level_index("severe")
    with pytest.raises(ValueError):
        level_max("high", "severe")
