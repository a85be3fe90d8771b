"""Loading instrument files: what is refused, and in what words; the content hash."""

import copy
import json
import pickle

import pytest
import yaml

from birge.risk.engine import InstrumentError, instrument_load, instrument_load_file

GOOD = """\
id: sample
version: "2"
names: {az: "Nümunə", ru: "Образец", en: "Sample"}
descriptions: {az: "Sınaq üçün", ru: "Для проверки", en: "For testing"}
categories:
  - id: main
    names: {az: "Əsas", ru: "Основное", en: "Main"}
items:
  - id: choke
    category: main
    critical: true
    texts: {az: "Boğubmu?", ru: "Душил?", en: "Choked?"}
    labels: {az: "boğma", ru: "удушение", en: "choking"}
    evidence: "Strong predictor."
  - id: threat_to_kill
    category: main
    texts: {az: "Hədələyibmi?", ru: "Угрожал?", en: "Threatened?"}
    labels: {az: "hədə", ru: "угроза", en: "threat"}
  - id: other
    category: main
    texts: {az: "Başqa?", ru: "Другое?", en: "Other?"}
    labels: {az: "başqa", ru: "другое", en: "other"}
scoring:
  method: count
  thresholds:
    - {level: medium, min_score: 1}
    - {level: high, min_score: 2}
  critical_minimum_level: high
  screen_in:
    - any_of: [threat_to_kill]
      level: critical
"""


def _data() -> dict:
    return yaml.safe_load(GOOD)


def _load(data: dict, file: str = "birge-checklist.yaml") -> None:
    instrument_load(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), file=file)


def _error(text: str, file: str = "<text>") -> str:
    with pytest.raises(InstrumentError) as caught:
        instrument_load(text, file=file)
    return str(caught.value)


def _refused(data: dict) -> str:
    with pytest.raises(InstrumentError) as caught:
        _load(data)
    return str(caught.value)


def test_a_good_file_loads_with_everything_in_it():
    instrument = instrument_load(GOOD, file="sample.yaml")
    assert (instrument.id, instrument.version) == ("sample", "2")
    assert instrument.names["az"] == "Nümunə"
    assert [item.id for item in instrument.items] == ["choke", "threat_to_kill", "other"]
    choke = instrument.item("choke")
    assert (choke.critical, choke.weight, choke.category) == (True, 1.0, "main")
    assert choke.texts["ru"] == "Душил?"
    assert choke.evidence == "Strong predictor."
    assert instrument.item("other").evidence == ""
    assert instrument.categories == {"main": {"az": "Əsas", "ru": "Основное", "en": "Main"}}
    assert instrument.scoring["thresholds"][1] == {"level": "high", "min_score": 2}


def test_asking_for_an_item_that_is_not_there_names_it():
    with pytest.raises(KeyError, match="nope"):
        instrument_load(GOOD).item("nope")


def test_the_error_names_file_item_and_problem():
    data = _data()
    del data["items"][1]["texts"]["ru"]
    with pytest.raises(InstrumentError) as caught:
        _load(data)
    error = caught.value
    assert str(error) == 'birge-checklist.yaml: item "threat_to_kill": missing Russian text'
    assert (error.file, error.item, error.problem) == (
        "birge-checklist.yaml",
        "threat_to_kill",
        "missing Russian text",
    )
    assert str(pickle.loads(pickle.dumps(error))) == str(error)  # noqa: S301 - our own bytes


def test_bad_yaml_is_refused_with_its_line():
    message = _error("id: [x\nversion: 1", file="a.yaml")
    assert message.startswith("a.yaml: not valid YAML: ")
    assert "line 2" in message


def test_bad_json_is_refused_with_its_line():
    message = _error('{"id": "x",\n}', file="a.json")
    assert message.startswith("a.json: not valid JSON: ")
    assert message.endswith("(line 2, column 1)")


def test_a_duplicate_key_is_refused_rather_than_one_translation_silently_lost():
    text = GOOD.replace('ru: "Душил?", en:', 'ru: "Душил?", ru: "Душил!", en:')
    message = _error(text, file="a.yaml")
    assert "duplicate key 'ru'" in message
    assert "line 12" in message
    json_text = '{"id": "a", "id": "b"}'
    assert "duplicate key 'id'" in _error(json_text)


def test_yaml_aliases_are_refused():
    text = GOOD.replace('names: {az: "Əsas"', 'names: &n {az: "Əsas"')
    text = text.replace('labels: {az: "başqa", ru: "другое", en: "other"}', "labels: *n")
    message = _error(text, file="a.yaml")
    assert "anchors and aliases are not allowed" in message


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "the file is empty"),
        ("- a\n- b\n", "the file must hold a mapping, not a list"),
        ("x" * 1_000_001, "the file is too large (over 1000000 characters)"),
    ],
)
def test_files_that_are_not_an_instrument_at_all_are_refused(text, problem):
    assert _error(text, file="f.yaml") == f"f.yaml: {problem}"


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes("id: ç".encode("latin-1"))
    with pytest.raises(InstrumentError, match=r"^latin.yaml: the file is not UTF-8 text$"):
        instrument_load_file(path)


def _drop(path: list):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


def _set(path: list, value):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _duplicate_item(data):
    data["items"].append(copy.deepcopy(data["items"][1]))


def _both_kinds_of_rule(data):
    data["scoring"]["screen_in"][0]["at_least"] = 2


def _rest_too_small(data):
    # "rest" leaves out threat_to_kill, which the any_of rule names: two items remain.
    data["scoring"]["screen_in"].append({"at_least": 3, "of": "rest", "level": "high"})


def _missing_of(data):
    data["scoring"]["screen_in"][0] = {"at_least": 2, "level": "high"}


def _add_field(data):
    data["items"][0]["colour"] = "red"


def _no_critical_item_but_critical_unknown(data):
    data["items"][0]["critical"] = False
    del data["scoring"]["critical_minimum_level"]
    del data["scoring"]["screen_in"]
    data["scoring"]["incomplete"] = {"critical_unknown": True}


LANG3 = {"az": "Müvəqqəti", "ru": "Предварительно", "en": "Provisional"}


MALFORMED = [
    # Languages
    (_drop(["items", 1, "texts", "ru"]), 'item "threat_to_kill": missing Russian text'),
    (_drop(["items", 0, "labels", "az"]), 'item "choke": missing Azerbaijani label'),
    (_drop(["names", "en"]), "missing English name"),
    (_drop(["descriptions", "az"]), "missing Azerbaijani description"),
    (_drop(["categories", 0, "names", "ru"]), "category 1: missing Russian name"),
    (_set(["items", 2, "texts", "ru"], "  "), 'item "other": empty Russian text'),
    (_set(["names", "az"], ""), "empty Azerbaijani name"),
    (
        _set(["items", 2, "texts", "de"], "Andere?"),
        "item \"other\": texts: unknown language 'de' (expected az, ru, en)",
    ),
    (
        _set(["items", 2, "texts", "en"], 5),
        'item "other": texts, en must be a string, not a number',
    ),
    # Items
    (_duplicate_item, 'item "threat_to_kill": duplicate item id (items 2 and 4)'),
    (_set(["items", 0, "weight"], -1), 'item "choke": negative weight -1 (weights are 0 or more)'),
    (
        _set(["items", 2, "weight"], 2),
        'item "other": has a weight, but the scoring method is count (use weighted)',
    ),
    (_set(["items", 2, "category"], "nowhere"), 'item "other": unknown category "nowhere"'),
    (
        _set(["items", 2, "id"], "Other Item"),
        "item \"Other Item\": id 'Other Item' must be lower-case letters and digits, joined by - or _",
    ),
    (_drop(["items", 2, "category"]), "item \"other\": missing 'category'"),
    (
        _set(["items", 2, "critical"], "yes"),
        'item "other": critical must be true or false, not a string',
    ),
    (_add_field, "item \"choke\": unknown field 'colour'"),
    (_set(["items"], []), "items must not be empty"),
    # Top level
    (_set(["version"], 2), "version must be a string, not a number (put it in quotes)"),
    (
        _set(["id"], "Sample!"),
        "id 'Sample!' must be lower-case letters and digits, joined by - or _",
    ),
    (_drop(["scoring"]), "missing 'scoring'"),
    # Scoring
    (
        _set(["scoring", "method"], "sum"),
        "scoring: unknown scoring method 'sum' (expected count or weighted)",
    ),
    (
        _set(
            ["scoring", "thresholds"],
            [{"level": "high", "min_score": 2}, {"level": "medium", "min_score": 1}],
        ),
        "thresholds must increase: threshold 2 (min_score 1) is not above threshold 1 (min_score 2)",
    ),
    (
        _set(
            ["scoring", "thresholds"],
            [{"level": "medium", "min_score": 2}, {"level": "high", "min_score": 2}],
        ),
        "thresholds must increase: threshold 2 (min_score 2) is not above threshold 1 (min_score 2)",
    ),
    (
        _set(
            ["scoring", "thresholds"],
            [{"level": "high", "min_score": 1}, {"level": "medium", "min_score": 2}],
        ),
        "thresholds must rise in level: threshold 2 (medium) is not above threshold 1 (high)",
    ),
    (
        _set(["scoring", "thresholds", 1, "level"], "severe"),
        "threshold 2: unknown level 'severe' (expected one of standard, medium, high, critical)",
    ),
    (
        _set(["scoring", "thresholds", 0, "min_score"], -1),
        "threshold 1, min_score must be at least 0, not -1",
    ),
    (
        _set(["scoring", "critical_minimum_level"], "urgent"),
        "scoring, critical_minimum_level: unknown level 'urgent' (expected one of standard, medium, high, critical)",
    ),
    (
        _drop(["scoring", "critical_minimum_level"]),
        'item "choke": is flagged critical, but scoring has no critical_minimum_level',
    ),
    (
        _set(["scoring", "critical_item_levels"], {"ghost": "critical"}),
        'item "ghost": critical_item_levels names an item that does not exist',
    ),
    (
        _set(["scoring", "critical_item_levels"], {"other": "critical"}),
        'item "other": has a critical level but is not flagged critical',
    ),
    (
        _set(["scoring", "screen_in", 0, "any_of"], ["threat_to_kill", "knife"]),
        'item "knife": screen-in rule 1 names an item that does not exist',
    ),
    (
        _set(["scoring", "screen_in", 0, "any_of"], ["other", "other"]),
        'item "other": named twice in screen-in rule 1',
    ),
    (
        _set(["scoring", "screen_in", 0, "level"], "extreme"),
        "screen-in rule 1: unknown level 'extreme' (expected one of standard, medium, high, critical)",
    ),
    (_both_kinds_of_rule, "screen-in rule 1: give either any_of, or at_least together with of"),
    (
        _set(["scoring", "screen_in"], [{"at_least": 4, "of": "rest", "level": "high"}]),
        "screen-in rule 1 needs 4 of 3 items, so it can never apply",
    ),
    (
        _set(["scoring", "screen_in"], [{"at_least": 1, "of": ["ghost"], "level": "high"}]),
        'item "ghost": screen-in rule 1 names an item that does not exist',
    ),
    (
        _set(["scoring", "screen_in"], [{"at_least": 1, "of": "all", "level": "high"}]),
        'screen-in rule 1, of must be "rest" or a list of item ids',
    ),
    (_missing_of, "screen-in rule 1: give either any_of, or at_least together with of"),
    (_set(["items", 1], "hello"), 'item "#2": must be a mapping, not a string'),
    (_rest_too_small, "screen-in rule 2 needs 3 of 2 items, so it can never apply"),
    (_set(["scoring", "extra"], 1), "scoring: unknown field 'extra'"),
    # Scopes, provisional bands and the incomplete rule
    (
        _set(["items", 2, "scope"], "address"),
        "item \"other\": scope: 'address' is not one of ['health']",
    ),
    (
        _set(["scoring", "thresholds", 0, "provisional"], True),
        "a threshold is provisional, but scoring has no provisional_note saying why",
    ),
    (
        _set(["scoring", "provisional_note"], LANG3),
        "scoring has a provisional_note, but no threshold is provisional",
    ),
    (
        _set(["scoring", "provisional_note"], {"az": "x", "en": "x"}),
        "scoring: missing Russian provisional note",
    ),
    (_set(["scoring", "incomplete"], {}), "scoring, incomplete must not be empty"),
    (
        _set(["scoring", "incomplete"], {"max_missing_share": 1}),
        "scoring, incomplete, max_missing_share must be below 1, not 1",
    ),
    (
        _set(["scoring", "incomplete"], {"max_missing_share": -0.1}),
        "scoring, incomplete, max_missing_share must be at least 0, not -0.1",
    ),
    (
        _set(["scoring", "incomplete"], {"critical_unknown": False}),
        "incomplete: the rule checks nothing (give critical_unknown or max_missing_share)",
    ),
    (
        _set(["scoring", "incomplete"], {"critical_unknown": True, "items": ["choke"]}),
        "scoring, incomplete: unknown field 'items'",
    ),
    (
        _no_critical_item_but_critical_unknown,
        "incomplete: critical_unknown, but no item sets a level on its own (flagged critical or named in an any_of screen-in rule)",
    ),
]


@pytest.mark.parametrize(("change", "problem"), MALFORMED)
def test_malformed_files_are_refused_naming_the_problem(change, problem):
    data = _data()
    change(data)
    assert _refused(data) == f"birge-checklist.yaml: {problem}"


def test_an_instrument_that_can_only_ever_say_standard_is_refused():
    data = _data()
    data["items"][0]["critical"] = False
    data["scoring"] = {"method": "count", "thresholds": []}
    assert _refused(data).endswith("scoring has no thresholds, critical items or screen-in rules")


def test_an_infinite_weight_is_refused():
    text = GOOD.replace("method: count", "method: weighted").replace(
        "    critical: true\n", "    critical: true\n    weight: .inf\n"
    )
    with pytest.raises(InstrumentError, match=r'item "choke": weight inf is not a finite number'):
        instrument_load(text)


def test_the_first_problem_in_file_order_is_the_one_reported():
    data = _data()
    del data["items"][2]["texts"]["en"]
    del data["items"][0]["texts"]["az"]
    assert _refused(data).endswith('item "choke": missing Azerbaijani text')


# The content hash ------------------------------------------------------------------------


def test_the_hash_is_stable_across_loads():
    assert instrument_load(GOOD).sha256 == instrument_load(GOOD).sha256
    assert instrument_load(GOOD) == instrument_load(GOOD)
    assert len({instrument_load(GOOD), instrument_load(GOOD)}) == 1


def test_comments_and_layout_do_not_change_the_hash_but_content_does():
    first = instrument_load(GOOD)
    assert (
        instrument_load("# a comment\n" + GOOD.replace('version: "2"', "version:   '2'")).sha256
        == first.sha256
    )
    changed = instrument_load(GOOD.replace('en: "Choked?"', 'en: "Choked you?"'))
    assert changed.sha256 != first.sha256
    assert changed != first


def test_the_same_instrument_in_json_has_the_same_hash():
    assert (
        instrument_load(json.dumps(_data()), file="x.json").sha256 == instrument_load(GOOD).sha256
    )


def test_the_stored_source_reloads_to_the_same_instrument():
    first = instrument_load(GOOD)
    again = instrument_load(first.source)
    assert again.sha256 == first.sha256
    assert again.items == first.items
    assert json.loads(first.source) == _data()
    assert "Nümunə" in first.source  # stored as text, not \\u escapes


def test_the_new_fields_load_scope_provisional_bands_and_the_incomplete_rule():
    data = _data()
    data["items"][2]["scope"] = "health"
    data["scoring"]["thresholds"][0]["provisional"] = True
    data["scoring"]["provisional_note"] = LANG3
    data["scoring"]["incomplete"] = {"critical_unknown": True, "max_missing_share": 0.25}
    instrument = instrument_load(json.dumps(data), file="x.json")
    assert instrument.item("other").scope == "health"
    assert instrument.item("choke").scope == ""
    assert instrument.plan.provisional == {1}
    assert instrument.provisional_note["ru"] == "Предварительно"
    # Critical for the rule: flagged critical, or named in an any_of screen-in rule.
    assert instrument.plan.incomplete.critical == ("choke", "threat_to_kill")
    assert instrument.plan.incomplete.max_missing_share == 0.25
    assert instrument_load(GOOD).plan.incomplete is None
