"""The language guidance's rules as data: `rules/*.yaml`, validated on loading.

A file holds a `version`, its `sources` (the published guidance the rules were written
from), the `categories` and the `rules`. Each rule has a `code`, a `category`, `patterns`
per language (az, ru, en: regular expressions over the text folded by
`birge.words.folding.fold`, lower case, a space meaning any run of spaces), optionally
`unless` patterns per language (the same sentence holding one of them silences the rule:
a named agent after a passive, say), an `explanation` and a `suggestion` in each
language. A mistake is refused with a sentence naming the file and the rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from birge.words.folding import fold

LANGUAGES = ("az", "ru", "en")
CATEGORIES = (
    "blames_victim",
    "minimises",
    "excuses_perpetrator",
    "doubts_account",
    "hides_perpetrator",
)
RULES_DIR = Path(__file__).resolve().parent / "rules"

_TEXTS = {
    "type": "object",
    "properties": {lang: {"type": "string", "minLength": 1} for lang in LANGUAGES},
    "required": list(LANGUAGES),
    "additionalProperties": False,
}
_PATTERNS = {
    "type": "object",
    "properties": {
        lang: {"type": "array", "items": {"type": "string", "minLength": 2}} for lang in LANGUAGES
    },
    "additionalProperties": False,
}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "version": {"type": "string", "pattern": r"^[0-9]{4}\.[0-9]+$"},
        "sources": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "url": {"type": "string"}},
                "required": ["name"],
                "additionalProperties": False,
            },
        },
        "quoting": _PATTERNS,
        "rules": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {
                    "code": {"type": "string", "pattern": r"^[a-z][a-z0-9_]{1,39}$"},
                    "category": {"enum": list(CATEGORIES)},
                    "patterns": {**_PATTERNS, "required": list(LANGUAGES)},
                    "unless": _PATTERNS,
                    "explanation": _TEXTS,
                    "suggestion": _TEXTS,
                },
                "required": ["code", "category", "patterns", "explanation", "suggestion"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["version", "sources", "rules"],
    "additionalProperties": False,
}
_VALIDATOR = Draft202012Validator(SCHEMA)


class RulesError(ValueError):
    """A rules file that cannot be used, with the file and the rule it is about."""

    def __init__(self, file: str, rule: str | None, problem: str) -> None:
        self.file, self.rule, self.problem = file, rule, problem
        where = f"{file}, rule {rule}" if rule else file
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Rule:
    code: str
    category: str
    patterns: dict[str, tuple[re.Pattern[str], ...]]
    unless: dict[str, tuple[re.Pattern[str], ...]]
    explanation: dict[str, str]
    suggestion: dict[str, str]


@dataclass(frozen=True)
class Rules:
    version: str
    sources: tuple[str, ...]
    quoting: dict[str, tuple[re.Pattern[str], ...]]
    rules: tuple[Rule, ...]

    def by_code(self, code: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.code == code), None)


def rules_load(text: str, *, file: str = "<text>") -> Rules:
    """Parse and validate a rules file; RulesError names what is wrong and where."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RulesError(file, None, f"not valid YAML: {exc}") from None
    errors = sorted(_VALIDATOR.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        error = errors[0]
        path = list(error.absolute_path)
        rule = None
        if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
            raw = data["rules"][path[1]]
            rule = raw.get("code") if isinstance(raw, dict) else None
            rule = rule if isinstance(rule, str) else f"#{path[1] + 1}"
            path = path[2:]
        field = ".".join(str(p) for p in path)
        raise RulesError(file, rule, f"{field + ': ' if field else ''}{error.message}")
    codes: set[str] = set()
    rules = []
    for raw in data["rules"]:
        if raw["code"] in codes:
            raise RulesError(file, raw["code"], "the code is used by another rule")
        codes.add(raw["code"])
        rules.append(
            Rule(
                code=raw["code"],
                category=raw["category"],
                patterns=_compile(raw["patterns"], file, raw["code"]),
                unless=_compile(raw.get("unless", {}), file, raw["code"]),
                explanation=raw["explanation"],
                suggestion=raw["suggestion"],
            )
        )
    return Rules(
        version=data["version"],
        sources=tuple(source["name"] for source in data["sources"]),
        quoting=_compile(data.get("quoting", {}), file, None),
        rules=tuple(rules),
    )


def _compile(
    patterns: dict[str, list[str]], file: str, rule: str | None
) -> dict[str, tuple[re.Pattern[str], ...]]:
    """Each language's patterns as one expression (one pass over a text, not one per
    pattern), each pattern checked on its own first so that a mistake is named."""
    compiled = {}
    for language, sources in patterns.items():
        found = []
        for source in sources:
            if source != source.lower():
                raise RulesError(file, rule, f"the {language} pattern {source!r} is not lower case")
            folded = fold(source, language).text.replace(" ", r"\s+")
            try:
                re.compile(folded)
            except re.error as exc:
                raise RulesError(
                    file, rule, f"the {language} pattern {source!r} is not valid ({exc})"
                ) from None
            found.append(f"(?:{folded})")
        if found:
            compiled[language] = (re.compile(rf"(?<!\w)(?:{'|'.join(found)})(?!\w)"),)
    return compiled


def rules_load_file(path: Path) -> Rules:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise RulesError(path.name, None, "the file is not UTF-8 text") from None
    return rules_load(text, file=path.name)


@cache
def rules_in_force() -> Rules:
    """The rules Birge ships (one file; its version is recorded with every count)."""
    return rules_load_file(RULES_DIR / "guidance.yaml")
