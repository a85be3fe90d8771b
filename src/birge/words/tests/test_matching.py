"""Matching: endings, case, letters typed without the keyboard, and what is not flagged."""

import pytest

from birge.words.matching import phrases_find


def codes(text: str) -> list[str]:
    return [finding.rule.code for finding in phrases_find(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Qadın mətbəxdə döyülüb.",
        "QADIN MƏTBƏXDƏ DÖYÜLÜB.",
        "Qadin metbexde doyulub.",  # typed without the Azerbaijani letters
        "O, ərinin sözünə baxmayıb.",
    ],
)
def test_azerbaijani_is_found_whatever_the_letters(text):
    assert codes(text)


def test_russian_endings_and_yo():
    assert codes("Её ИЗБИЛИ во дворе.") == ["passive_hidden"]
    assert codes("Она его спровоцировала.") == ["provoked"]
    assert codes("Он её провоцирует.") == ["provoked"]
    assert codes("Это её версия.") == codes("Это ее версия.") == ["claims"]


@pytest.mark.parametrize(
    ("flagged", "named"),
    [
        ("She was hit in the kitchen.", "She was hit by her husband in the kitchen."),
        ("Её избили в подъезде.", "Её избил муж в подъезде."),
        ("Она была избита в подъезде.", "Она была избита мужем в подъезде."),
        ("O döyülüb.", "O, əri tərəfindən döyülüb."),
    ],
)
def test_the_passive_is_flagged_unless_the_agent_is_named(flagged, named):
    assert codes(flagged) == ["passive_hidden"]
    assert codes(named) == []


@pytest.mark.parametrize(
    "text",
    [
        'He said: "she provoked me".',
        "He says she provoked him.",
        "Он сказал, что она его спровоцировала.",
        "Ər dedi ki, qadın onu təhrik edib.",
        "The attack was unprovoked.",
    ],
)
def test_what_someone_said_recorded_as_said_is_not_flagged(text):
    assert codes(text) == []


def test_the_phrase_is_found_where_it_stands_in_the_text_as_written():
    text = "Vizit. Qadin evde DOYULUB, polis gəldi."
    [finding] = phrases_find(text)
    assert text[finding.start : finding.end] == finding.phrase == "DOYULUB"


def test_one_note_per_phrase_even_when_two_rules_overlap():
    found = phrases_find("It was just a family quarrel.")
    assert [f.phrase for f in found] == ["family quarrel"]
