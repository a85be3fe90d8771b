"""Protection order types as data: who may issue each, for how long, with which conditions,
on whom it is served and who may apply (`order_types/*.yaml`, validated like the risk
instruments and the co-operation protocol).

The law sets these and changes them, so none of it is code: `order_types()` reads the file
in force (BIRGE_ORDER_TYPES_FILE, by default the shipped `order_types/azerbaijan.yaml`),
refusing a file that does not hold together with `OrderTypesError`, a sentence that names
the file and the place of the problem. Days are counted inclusively (from the first day in
force to the last)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.utils.translation import get_language
from jsonschema import Draft202012Validator

LANGUAGES = ("az", "ru", "en")
SHIPPED = Path(__file__).resolve().parent / "order_types" / "azerbaijan.yaml"
AGENCY_KINDS = ("local_authority", "court", "police", "prosecution", "justice")
APPLICANTS = ("victim", "executive_authority", "prosecutor", "police", "own_motion")
CODE = r"^[a-z][a-z0-9_]{0,39}$"
MAX_DAYS = 3660

_TEXT = {
    "type": "object",
    "properties": {
        lang: {"type": "string", "pattern": r"\S", "maxLength": 2000} for lang in LANGUAGES
    },
    "required": list(LANGUAGES),
    "additionalProperties": False,
}
_CODES = {"type": "array", "items": {"type": "string", "pattern": CODE}, "minItems": 1}

SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Birge protection order types",
    "type": "object",
    "properties": {
        "jurisdiction": {"type": "string", "pattern": r"^[A-Z]{2}$"},
        "version": {"type": "string", "pattern": r"\S", "maxLength": 40},
        "types": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {
                    "code": {"type": "string", "pattern": CODE},
                    "term": {"enum": ["short", "long"]},
                    "names": _TEXT,
                    "descriptions": _TEXT,
                    "issuing_agency_kinds": {
                        "type": "array",
                        "items": {"enum": list(AGENCY_KINDS)},
                        "minItems": 1,
                    },
                    "min_days": {"type": "integer", "minimum": 1, "maximum": MAX_DAYS},
                    "max_days": {"type": "integer", "minimum": 1, "maximum": MAX_DAYS},
                    "conditions": _CODES,
                    "served_on": _CODES,
                    "applicants": {
                        "type": "array",
                        "items": {"enum": list(APPLICANTS)},
                        "minItems": 1,
                    },
                },
                "required": [
                    "code",
                    "term",
                    "names",
                    "issuing_agency_kinds",
                    "min_days",
                    "max_days",
                    "conditions",
                    "served_on",
                    "applicants",
                ],
                "additionalProperties": False,
            },
        },
        "conditions": {"type": "object", "additionalProperties": _TEXT, "minProperties": 1},
        "served_on": {"type": "object", "additionalProperties": _TEXT, "minProperties": 1},
    },
    "required": ["jurisdiction", "version", "types", "conditions", "served_on"],
    "additionalProperties": False,
}
_VALIDATOR = Draft202012Validator(SCHEMA)


class OrderTypesError(ValueError):
    """The file cannot be used; the message names the file, where, and what is wrong."""

    def __init__(self, file: str, where: str, problem: str):
        self.file, self.where, self.problem = file, where, problem
        place = f" at {where}" if where else ""
        super().__init__(f"{file}{place}: {problem}")


def _in_language(texts: dict[str, str]) -> str:
    language = (get_language() or "az").split("-")[0]
    return texts.get(language) or texts["az"]


@dataclass(frozen=True)
class OrderType:
    code: str
    term: str  # "short" or "long"
    names: dict[str, str]
    descriptions: dict[str, str]
    issuing_agency_kinds: tuple[str, ...]
    min_days: int
    max_days: int
    conditions: tuple[str, ...]
    served_on: tuple[str, ...]
    applicants: tuple[str, ...]

    @property
    def name(self) -> str:
        return _in_language(self.names)

    @property
    def description(self) -> str:
        return _in_language(self.descriptions) if self.descriptions else ""

    @property
    def is_short_term(self) -> bool:
        return self.term == "short"

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class OrderTypes:
    jurisdiction: str
    version: str
    types: dict[str, OrderType]
    condition_names: dict[str, dict[str, str]]
    served_on_names: dict[str, dict[str, str]]

    def get(self, code: str) -> OrderType | None:
        return self.types.get(code)

    def condition_name(self, code: str) -> str:
        texts = self.condition_names.get(code)
        return _in_language(texts) if texts else code

    def choices(self) -> list[tuple[str, str]]:
        return [(t.code, t.name) for t in self.types.values()]


def days_in_force(starts_on: date, ends_on: date) -> int:
    """How many days an order lasts, both ends counted."""
    return (ends_on - starts_on).days + 1


def order_types_load(text: str, *, file: str = "<text>") -> OrderTypes:
    """Parse YAML text and validate it; OrderTypesError names what is wrong."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        raise OrderTypesError(file, where, "the file is not valid YAML") from None
    errors = sorted(_VALIDATOR.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "the top"
        raise OrderTypesError(file, where, first.message)
    _check_meaning(data, file)
    types = {
        raw["code"]: OrderType(
            code=raw["code"],
            term=raw["term"],
            names=raw["names"],
            descriptions=raw.get("descriptions", {}),
            issuing_agency_kinds=tuple(raw["issuing_agency_kinds"]),
            min_days=raw["min_days"],
            max_days=raw["max_days"],
            conditions=tuple(raw["conditions"]),
            served_on=tuple(raw["served_on"]),
            applicants=tuple(raw["applicants"]),
        )
        for raw in data["types"]
    }
    return OrderTypes(
        jurisdiction=data["jurisdiction"],
        version=data["version"],
        types=types,
        condition_names=data["conditions"],
        served_on_names=data["served_on"],
    )


def _check_meaning(data: dict[str, Any], file: str) -> None:
    """What the schema cannot say: codes unique, bounds in order, conditions named."""
    seen: set[str] = set()
    for index, raw in enumerate(data["types"]):
        where = f"types/{index}"
        if raw["code"] in seen:
            raise OrderTypesError(file, where, f"the code {raw['code']!r} is used twice")
        seen.add(raw["code"])
        if raw["min_days"] > raw["max_days"]:
            raise OrderTypesError(file, where, "min_days is more than max_days")
        for kind, names in (("conditions", data["conditions"]), ("served_on", data["served_on"])):
            unknown = sorted(set(raw[kind]) - set(names))
            if unknown:
                raise OrderTypesError(
                    file, f"{where}/{kind}", f"{', '.join(unknown)} not named under {kind}"
                )


def order_types_load_file(path: str | Path) -> OrderTypes:
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise OrderTypesError(path.name, "", "the file is not UTF-8 text") from None
    return order_types_load(text, file=path.name)


def order_types() -> OrderTypes:
    """The order types in force (BIRGE_ORDER_TYPES_FILE, or the shipped file)."""
    return _load(str(getattr(settings, "BIRGE_ORDER_TYPES_FILE", "") or SHIPPED))


@cache
def _load(path: str) -> OrderTypes:
    return order_types_load_file(path)
