"""Precision and recall per language on the labelled sentences (labelled.yaml) stay above
a floor set from what the rules reach (`make bench-words` prints them)."""

import pytest

from birge.words.measure import labelled_scores

FLOOR_PRECISION = 0.95
FLOOR_RECALL = 0.9
SCORES = labelled_scores()


@pytest.mark.parametrize("language", ["az", "ru", "en"])
def test_the_set_is_large_and_balanced(language):
    score = SCORES[language]
    flag = score.flagged_right + len(score.missed)
    assert score.sentences >= 60
    assert 0.4 <= flag / score.sentences <= 0.6


@pytest.mark.parametrize("language", ["az", "ru", "en"])
def test_few_false_alarms_and_few_misses(language):
    score = SCORES[language]
    assert score.precision >= FLOOR_PRECISION, score.false_alarms
    assert score.recall >= FLOOR_RECALL, score.missed
