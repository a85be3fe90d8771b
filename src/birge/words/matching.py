"""Finding the phrases of the rules in a text: what the note under a field shows.

Every language's patterns are tried on every text (she may write Russian in the
Azerbaijani interface). A match is left out when its sentence holds one of the rule's
`unless` patterns (a passive whose agent is named: "she was hit by her husband"), when it
stands inside quotation marks, or when a verb of reporting comes before it in its
sentence ("he says she provoked him" records his words): what someone said, written down
as said, is the record, not the writer's framing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from birge.words.folding import fold
from birge.words.rules import LANGUAGES, Rule, Rules, rules_in_force

LONGEST_TEXT = 20_000  # a narrative is a few pages at most; beyond that nothing is read
_SENTENCE_END = re.compile(r"[.!?;:\n]+")
_SCRIPT = {
    "az": re.compile("[a-zA-Z]"),
    "en": re.compile("[a-zA-Z]"),
    "ru": re.compile("[а-яА-ЯёЁ]"),
}
_QUOTED = re.compile(r"«[^»]*»|“[^”]*”|„[^“”]*[“”]|\"[^\"]*\"")


@dataclass(frozen=True)
class Finding:
    rule: Rule
    language: str  # the language of the pattern that matched
    start: int  # the phrase's span in the text as written
    end: int
    phrase: str


def phrases_find(text: str, *, rules: Rules | None = None) -> list[Finding]:
    """The phrases of `text` the rules flag, in the order they stand, none overlapping."""
    rules = rules or rules_in_force()
    text = text[:LONGEST_TEXT]
    found: list[Finding] = []
    for language in LANGUAGES:
        if not _SCRIPT[language].search(text):  # no letter of its script: nothing to find
            continue
        folded = fold(text, language)
        quoted = [m.span() for m in _QUOTED.finditer(folded.text)]
        for rule in rules.rules:
            for pattern in rule.patterns.get(language, ()):
                for match in pattern.finditer(folded.text):
                    sentence_start, sentence = _sentence(folded.text, match.start())
                    before = sentence[: match.start() - sentence_start]
                    if any(p.search(sentence) for p in rule.unless.get(language, ())):
                        continue
                    if any(p.search(before) for p in rules.quoting.get(language, ())):
                        continue
                    if any(a <= match.start() < b for a, b in quoted):
                        continue
                    start, end = folded.span(*match.span())
                    found.append(Finding(rule, language, start, end, text[start:end]))
    return _apart(found)


def _sentence(text: str, at: int) -> tuple[int, str]:
    start = 0
    for end in _SENTENCE_END.finditer(text):
        if end.start() >= at:
            return start, text[start : end.start()]
        start = end.end()
    return start, text[start:]


def _apart(found: list[Finding]) -> list[Finding]:
    """The earliest, then longest, of overlapping phrases."""
    kept: list[Finding] = []
    for finding in sorted(found, key=lambda f: (f.start, -(f.end - f.start))):
        if kept and finding.start < kept[-1].end:
            continue
        kept.append(finding)
    return kept


def rule_codes(text: str) -> set[str]:
    """The codes of the rules `text` sets off (what a save counts)."""
    return {finding.rule.code for finding in phrases_find(text)}
