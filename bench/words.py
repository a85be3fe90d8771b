"""Benchmark: how well the language guidance's rules do, and what a note costs.

Precision and recall per language on the labelled sentences
(src/birge/words/tests/labelled.yaml), the sentences it got wrong, and the time to find
the phrases of a narrative of about 2,000 characters (a note is asked for at each pause
in typing). Pure Python, no database.

    make bench-words        # or: .venv/bin/python bench/words.py
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from birge.words.matching import phrases_find
from birge.words.measure import labelled_scores

NARRATIVE = (
    "Police came at 23:10. Her husband hit her in the kitchen and pushed her against the "
    "door. She says he has threatened to kill her if she leaves. The neighbours call it a "
    "family quarrel. Её избили во дворе; муж был пьян. Qadın mətbəxdə döyülüb. "
) * 6
RUSSIAN = (
    "Полиция приехала в 23:10. Муж ударил её на кухне и толкнул на дверь. Она говорит, что "
    "он угрожает убить её, если она уйдёт. Соседи называют это семейной ссорой. "
) * 8


def main() -> int:
    lines = []
    for title, held_out in (("labelled set", False), ("held out from tuning", True)):
        lines.append(f"{title}\n{'language':<9} {'sentences':>9} {'precision':>9} {'recall':>7}")
        scores = labelled_scores(held_out=held_out)
        for language, score in scores.items():
            lines.append(
                f"{language:<9} {score.sentences:>9} {score.precision:>9.3f} {score.recall:>7.3f}"
            )
        for language, score in scores.items():
            for sentence in score.false_alarms:
                lines.append(f"  {language} false alarm: {sentence}")
            for sentence in score.missed:
                lines.append(f"  {language} missed: {sentence}")
    phrases_find(NARRATIVE)  # compiles the rules once, as a server would
    for name, text in (("three languages", NARRATIVE), ("Russian only", RUSSIAN)):
        times = []
        for _ in range(200):
            start = time.perf_counter()
            phrases_find(text)
            times.append((time.perf_counter() - start) * 1000)
        lines.append(
            f"one note, {name}, {len(text)} characters: "
            f"median {statistics.median(times):.2f} ms, max {max(times):.2f} ms"
        )
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
