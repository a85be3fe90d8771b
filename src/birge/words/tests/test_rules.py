"""The rules file: shipped valid, and a mistake refused with its file and rule named."""

import pytest

from birge.words import checks, rules
from birge.words.rules import CATEGORIES, LANGUAGES, RulesError, rules_in_force, rules_load

GOOD_RULE = """
  - code: provoked
    category: blames_victim
    patterns: {az: ["təhrik\\\\w*"], ru: ["спровоцир\\\\w*"], en: ["provok\\\\w*"]}
    explanation: {az: "a", ru: "b", en: "c"}
    suggestion: {az: "a", ru: "b", en: "c"}
"""


def _file(rules: str = GOOD_RULE, version: str = '"2026.1"') -> str:
    return f"version: {version}\nsources: [{{name: A guide}}]\nrules:{rules}"


def test_the_shipped_rules_cover_every_category_in_every_language():
    rules = rules_in_force()
    assert rules.version
    assert len(rules.sources) >= 4
    assert {rule.category for rule in rules.rules} == set(CATEGORIES)
    for rule in rules.rules:
        assert all(rule.patterns[language] for language in LANGUAGES), rule.code
        assert set(rule.explanation) == set(rule.suggestion) == set(LANGUAGES)


def test_a_valid_file_loads():
    rules = rules_load(_file())
    assert rules.version == "2026.1"
    assert rules.by_code("provoked").category == "blames_victim"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_file(GOOD_RULE.replace("blames_victim", "blames")), "guide.yaml, rule provoked"),
        (_file(GOOD_RULE.replace('en: "c"}\n    sugg', 'ru: "c"}\n    sugg')), "rule provoked"),
        (_file(GOOD_RULE.replace('en: ["provok', 'en: ["Provok')), "is not lower case"),
        (_file(GOOD_RULE.replace('en: ["provok', 'en: ["(provok')), "is not valid"),
        (_file(GOOD_RULE + GOOD_RULE), "the code is used by another rule"),
        (_file(version="1"), "guide.yaml: version"),
        ("version: [", "not valid YAML"),
    ],
)
def test_a_mistake_is_refused_naming_the_file_and_the_rule(text, message):
    with pytest.raises(RulesError) as refused:
        rules_load(text, file="guide.yaml")
    assert message in str(refused.value)
    assert str(refused.value).startswith("guide.yaml")


def test_the_start_up_check_refuses_a_broken_rules_file(monkeypatch):
    def broken():
        raise rules.RulesError("guidance.yaml", "provoked", "the en pattern '(' is not valid")

    assert checks.rules_file_check(None) == []
    monkeypatch.setattr(rules, "rules_in_force", broken)
    [error] = checks.rules_file_check(None)
    assert error.id == "words.E001"
    assert "guidance.yaml, rule provoked" in error.msg
