"""Text folded for matching, per language, with the way back to the original letters.

Case and the spellings people type without the language's keyboard are folded away:
Russian ё is е; Azerbaijani ə, ı, ş, ç, ğ, ö, ü are e, i, s, c, g, o, u, and the digraphs
sh, ch, gh of Latin-ASCII spelling are s, c, g (so "döyülüb", "doyulub" and "DÖYÜLÜB" are
one word); curly apostrophes are straight ones. Rules' patterns are folded the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_COMMON = {"’": "'", "‘": "'", "ʼ": "'", "`": "'"}
_BY_LANGUAGE = {
    "az": {
        **_COMMON,
        "ə": "e",
        "ı": "i",
        "ş": "s",
        "ç": "c",
        "ğ": "g",
        "ö": "o",
        "ü": "u",
    },
    "ru": {**_COMMON, "ё": "е"},
    "en": dict(_COMMON),
}
_DIGRAPHS = {"az": {"sh": "s", "ch": "c", "gh": "g"}}
_DIGRAPH = {language: re.compile("|".join(pairs)) for language, pairs in _DIGRAPHS.items()}
_UPPER_I = {"İ": "i", "I": "i"}  # Azerbaijani: I is ı and İ is i, both fold to i
_TABLES = {language: str.maketrans(table) for language, table in _BY_LANGUAGE.items()}
_AZ_UPPER_I = str.maketrans(_UPPER_I)


@dataclass(frozen=True)
class Folded:
    text: str
    # starts[i]: where folded letter i begins in the original; None when letter for letter
    starts: tuple[int, ...] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original text's span of the folded span [start, end)."""
        if self.starts is None:
            return start, end
        return self.starts[start], self.starts[end]


def fold(text: str, language: str) -> Folded:
    lowered = (text.translate(_AZ_UPPER_I) if language == "az" else text).lower()
    if len(lowered) != len(text):  # a letter whose lower case is two (rare): letter by letter
        return _fold_by_letter(text, language)
    folded = lowered.translate(_TABLES[language])
    digraph = _DIGRAPH.get(language)
    if digraph is None or not digraph.search(folded):
        return Folded(text=folded)
    parts: list[str] = []
    starts: list[int] = []
    at = 0
    for match in digraph.finditer(folded):
        parts.extend((folded[at : match.start()], _DIGRAPHS[language][match.group()]))
        starts.extend(range(at, match.end() - 1))
        at = match.end()
    parts.append(folded[at:])
    starts.extend(range(at, len(folded) + 1))
    return Folded(text="".join(parts), starts=tuple(starts))


def _fold_by_letter(text: str, language: str) -> Folded:
    table = _BY_LANGUAGE[language]
    digraphs = _DIGRAPHS.get(language, {})
    letters: list[str] = []
    starts: list[int] = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2].lower()
        if pair in digraphs:
            letters.append(digraphs[pair])
            starts.append(i)
            i += 2
            continue
        char = text[i]
        if language == "az" and char in _UPPER_I:
            lower = _UPPER_I[char]
        else:
            lower = char.lower() if len(char.lower()) == 1 else char
        letters.append(table.get(lower, lower))
        starts.append(i)
        i += 1
    starts.append(len(text))
    return Folded(text="".join(letters), starts=tuple(starts))
