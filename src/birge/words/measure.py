"""How well the rules do on a labelled set of sentences: precision and recall per language
(tests/test_measured.py keeps them above a floor; bench/words.py prints them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from birge.words.matching import phrases_find
from birge.words.rules import LANGUAGES

LABELLED = Path(__file__).resolve().parent / "tests" / "labelled.yaml"


@dataclass
class Score:
    flagged_right: int = 0
    false_alarms: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    sentences: int = 0

    @property
    def precision(self) -> float:
        flagged = self.flagged_right + len(self.false_alarms)
        return self.flagged_right / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        should = self.flagged_right + len(self.missed)
        return self.flagged_right / should if should else 1.0


def labelled_scores(path: Path = LABELLED, *, held_out: bool = False) -> dict[str, Score]:
    """The scores on the labelled set, or on the sentences held out from tuning the rules."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if held_out:
        data = data["held_out"]
    scores = {}
    for language in LANGUAGES:
        score = Score()
        for expected, sentences in (("flag", True), ("keep", False)):
            for sentence in data[language][expected]:
                score.sentences += 1
                flagged = bool(phrases_find(sentence))
                if flagged and sentences:
                    score.flagged_right += 1
                elif flagged:
                    score.false_alarms.append(sentence)
                elif sentences:
                    score.missed.append(sentence)
        scores[language] = score
    return scores
