"""Reading an instrument file: parse, validate, refuse with a sentence an administrator can act on."""

from __future__ import annotations

import hashlib
import json
import math
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from .instrument import (
    LANGUAGES,
    LEVELS,
    Instrument,
    InstrumentError,
    Item,
    level_index,
    version_key,
)
from .schema import SCHEMA

INSTRUMENTS_DIR = Path(__file__).resolve().parent.parent / "instruments"
MAX_CHARS = 1_000_000  # a real instrument is a few dozen kB

_VALIDATOR = Draft202012Validator(SCHEMA)
_LANGUAGE_NAMES = {"az": "Azerbaijani", "ru": "Russian", "en": "English"}
_TRANSLATED_FIELDS = {
    "texts": "text",
    "labels": "label",
    "names": "name",
    "descriptions": "description",
    "provisional_note": "provisional note",
}
_JSON_TYPES = {
    dict: "a mapping",
    list: "a list",
    str: "a string",
    bool: "true or false",
    type(None): "empty (null)",
}


def instrument_load(text: str, *, file: str = "<text>") -> Instrument:
    """Parse YAML or JSON text and validate it; InstrumentError names what is wrong."""
    if len(text) > MAX_CHARS:
        raise InstrumentError(file, None, f"the file is too large (over {MAX_CHARS} characters)")
    data = _parse(text, file)
    _check_schema(data, file)
    _check_meaning(data, file)
    try:
        source = json.dumps(
            data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
        )
    except (TypeError, ValueError) as exc:
        raise InstrumentError(file, None, f"holds a value JSON cannot store ({exc})") from None
    items = tuple(
        Item(
            id=raw["id"],
            texts=raw["texts"],
            category=raw["category"],
            weight=float(raw.get("weight", 1.0)),
            critical=raw.get("critical", False),
            evidence=raw.get("evidence", ""),
            labels=raw["labels"],
            scope=raw.get("scope", ""),
        )
        for raw in data["items"]
    )
    return Instrument(
        id=data["id"],
        version=data["version"],
        names=data["names"],
        descriptions=data["descriptions"],
        items=items,
        scoring=data["scoring"],
        source=source,
        sha256=hashlib.sha256(source.encode("utf-8")).hexdigest(),
        categories={category["id"]: category["names"] for category in data["categories"]},
    )


def instrument_load_file(path: str | Path) -> Instrument:
    """Load one file; errors name it by its file name."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise InstrumentError(path.name, None, "the file is not UTF-8 text") from None
    return instrument_load(text, file=path.name)


def shipped_instruments() -> list[Instrument]:
    """Every instrument file that ships with Birge, by id, then oldest version first (the
    order they are installed in)."""
    return list(_shipped())


@cache
def _shipped() -> tuple[Instrument, ...]:
    files = sorted(p for p in INSTRUMENTS_DIR.iterdir() if p.suffix in (".yaml", ".yml", ".json"))
    instruments, seen = [], {}
    for path in files:
        instrument = instrument_load_file(path)
        key = (instrument.id, instrument.version)
        if key in seen:
            problem = f"{instrument.id} version {instrument.version} is also in {seen[key]}"
            raise InstrumentError(path.name, None, problem)
        seen[key] = path.name
        instruments.append(instrument)
    return tuple(sorted(instruments, key=lambda i: (i.id, version_key(i.version))))


# Parsing ---------------------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """Safe YAML that refuses duplicate keys (a silently lost translation) and aliases
    (a few lines of anchors can expand into gigabytes of canonical JSON)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.MarkedYAMLError(
                problem="anchors and aliases are not allowed", problem_mark=mark
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> dict:
        keys = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, list | dict):
                problem = "a key must be a plain value, not a list or mapping"
                raise yaml.MarkedYAMLError(problem=problem, problem_mark=key_node.start_mark)
            if key in keys:
                problem = f"duplicate key {key!r}"
                raise yaml.MarkedYAMLError(problem=problem, problem_mark=key_node.start_mark)
            keys.add(key)
        return super().construct_mapping(node, deep=deep)


def _parse(text: str, file: str) -> Any:
    # A .json file is JSON, and so is text from elsewhere (a stored `source`) that opens a
    # mapping with "{": no one writes a whole YAML instrument in flow style.
    looks_json = not file.endswith((".yaml", ".yml")) and text.lstrip().startswith("{")
    if file.endswith(".json") or looks_json:
        data = _parse_json(text, file)
    else:
        data = _parse_yaml(text, file)
    if data is None:
        raise InstrumentError(file, None, "the file is empty")
    return data


def _parse_json(text: str, file: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_json_object, parse_constant=_json_constant)
    except json.JSONDecodeError as exc:
        where = f"(line {exc.lineno}, column {exc.colno})"
        raise InstrumentError(file, None, f"not valid JSON: {exc.msg} {where}") from None
    except ValueError as exc:
        raise InstrumentError(file, None, f"not valid JSON: {exc}") from None


def _parse_yaml(text: str, file: str) -> Any:
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        where = ""
        if exc.problem_mark is not None:
            mark = exc.problem_mark
            where = f" (line {mark.line + 1}, column {mark.column + 1})"
        raise InstrumentError(file, None, f"not valid YAML: {exc.problem}{where}") from None
    except yaml.YAMLError as exc:
        raise InstrumentError(file, None, f"not valid YAML: {exc}") from None


def _json_object(pairs: list[tuple[str, Any]]) -> dict:
    result: dict = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _json_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number an instrument can use")


# Schema errors as sentences --------------------------------------------------------------


def _check_schema(data: Any, file: str) -> None:
    errors = list(_VALIDATOR.iter_errors(data))
    if not errors:
        return
    # The first problem in file order, so that fixing and reloading walks down the file.
    error = min(
        errors,
        key=lambda e: [
            (0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in e.absolute_path
        ],
    )
    path = list(error.absolute_path)
    item = None
    if len(path) >= 2 and path[0] == "items" and isinstance(path[1], int):
        raw = data["items"][path[1]]
        item = (
            raw["id"]
            if isinstance(raw, dict) and isinstance(raw.get("id"), str)
            else f"#{path[1] + 1}"
        )
        path = path[2:]
    raise InstrumentError(file, item, _problem(error, path, whole_file=not error.absolute_path))


def _where(path: list) -> str:
    """A path as an administrator reads the file: "threshold 2", "screen-in rule 1, level"."""
    parts: list[str] = []
    rest = list(path)
    while rest:
        part = rest.pop(0)
        if rest and isinstance(rest[0], int) and part in _LIST_NAMES:
            if parts == ["scoring"]:
                parts = []  # "threshold 2" is unambiguous without it
            parts.append(f"{_LIST_NAMES[part]} {rest.pop(0) + 1}")
        elif isinstance(part, int):
            parts.append(f"entry {part + 1}")
        else:
            parts.append(str(part))
    return ", ".join(parts)


_LIST_NAMES = {"categories": "category", "thresholds": "threshold", "screen_in": "screen-in rule"}


def _prefix(path: list) -> str:
    where = _where(path)
    return f"{where}: " if where else ""


def _kind(value: Any) -> str:
    if isinstance(value, float) and not value.is_integer():
        return "a fraction"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return _JSON_TYPES.get(type(value), f"a {type(value).__name__}")


def _problem(error: ValidationError, path: list, *, whole_file: bool) -> str:
    """One schema error as a plain sentence; `path` is relative to the item, if any."""
    validator, value = error.validator, error.instance
    field = path[-1] if path else None
    parent = path[:-1]
    if validator == "required":
        missing = next(name for name in error.validator_value if name not in value)
        if field in _TRANSLATED_FIELDS:
            return (
                f"{_prefix(parent)}missing {_LANGUAGE_NAMES[missing]} {_TRANSLATED_FIELDS[field]}"
            )
        return f"{_prefix(path)}missing {missing!r}"
    if validator == "additionalProperties":
        extra = sorted(str(key) for key in value if key not in error.schema.get("properties", {}))
        if field in _TRANSLATED_FIELDS:
            return f"{_prefix(path)}unknown language {extra[0]!r} (expected {', '.join(LANGUAGES)})"
        return f"{_prefix(path)}unknown field {extra[0]!r}"
    if validator == "pattern" and len(path) >= 2 and path[-2] in _TRANSLATED_FIELDS:
        return f"{_prefix(path[:-2])}empty {_LANGUAGE_NAMES[field]} {_TRANSLATED_FIELDS[path[-2]]}"
    if validator == "type":
        if whole_file:
            return f"the file must hold a mapping, not {_kind(value)}"
        if not path:
            return f"must be a mapping, not {_kind(value)}"
        expected = _TYPE_NAMES.get(error.validator_value, error.validator_value)
        hint = " (put it in quotes)" if field == "version" else ""
        return f"{_where(path)} must be {expected}, not {_kind(value)}{hint}"
    if validator == "enum" and error.validator_value == list(LEVELS):
        where = _prefix(parent) if field == "level" else _prefix(path)
        return f"{where}unknown level {value!r} (expected one of {', '.join(LEVELS)})"
    if validator == "enum" and field == "method":
        return f"{_prefix(parent)}unknown scoring method {value!r} (expected count or weighted)"
    if validator == "minimum" and field == "weight":
        return f"{_prefix(parent)}negative weight {value} (weights are 0 or more)"
    if validator == "minimum":
        return f"{_where(path)} must be at least {error.validator_value}, not {value}"
    if validator == "pattern" and field == "id":
        return (
            f"{_prefix(parent)}id {value!r} must be lower-case letters and digits, joined by - or _"
        )
    if validator == "pattern" and field == "version":
        return f"version {value!r} must be letters, digits, dots, hyphens or underscores"
    if validator == "exclusiveMaximum":
        return f"{_where(path)} must be below {error.validator_value}, not {value}"
    if validator == "minProperties":
        return f"{_where(path)} must not be empty"
    if validator == "minItems":
        return f"{_where(path)} must not be empty"
    if validator == "oneOf" and parent and parent[-1] == "screen_in":
        return f"{_where(path)}: give either any_of, or at_least together with of"
    if validator == "anyOf" and field == "of":
        return f'{_where(path)} must be "rest" or a list of item ids'
    return f"{_prefix(path)}{error.message}"


_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "boolean": "true or false",
    "number": "a number",
    "integer": "a whole number",
}


# What a schema cannot say ----------------------------------------------------------------


def _check_meaning(data: dict, file: str) -> None:
    categories: set[str] = set()
    for category in data["categories"]:
        if category["id"] in categories:
            raise InstrumentError(file, None, f'duplicate category "{category["id"]}"')
        categories.add(category["id"])

    scoring = data["scoring"]
    method = scoring["method"]
    positions: dict[str, int] = {}
    for number, raw in enumerate(data["items"], start=1):
        item_id = raw["id"]
        if item_id in positions:
            raise InstrumentError(
                file, item_id, f"duplicate item id (items {positions[item_id]} and {number})"
            )
        positions[item_id] = number
        if raw["category"] not in categories:
            raise InstrumentError(file, item_id, f'unknown category "{raw["category"]}"')
        if "weight" in raw:
            if not math.isfinite(raw["weight"]):
                raise InstrumentError(
                    file, item_id, f"weight {raw['weight']} is not a finite number"
                )
            if method == "count":
                # A weight that silently does nothing would mislead whoever wrote it.
                raise InstrumentError(
                    file, item_id, "has a weight, but the scoring method is count (use weighted)"
                )

    previous: dict | None = None
    for number, threshold in enumerate(scoring.get("thresholds", []), start=1):
        if not math.isfinite(threshold["min_score"]):
            raise InstrumentError(
                file, None, f"threshold {number}: min_score must be a finite number"
            )
        if previous is not None:
            if threshold["min_score"] <= previous["min_score"]:
                raise InstrumentError(
                    file,
                    None,
                    f"thresholds must increase: threshold {number} (min_score {threshold['min_score']}) "
                    f"is not above threshold {number - 1} (min_score {previous['min_score']})",
                )
            if level_index(threshold["level"]) <= level_index(previous["level"]):
                raise InstrumentError(
                    file,
                    None,
                    f"thresholds must rise in level: threshold {number} ({threshold['level']}) "
                    f"is not above threshold {number - 1} ({previous['level']})",
                )
        previous = threshold

    critical = [raw["id"] for raw in data["items"] if raw.get("critical", False)]
    overrides = scoring.get("critical_item_levels", {})
    for item_id in overrides:
        if item_id not in positions:
            raise InstrumentError(
                file, item_id, "critical_item_levels names an item that does not exist"
            )
        if item_id not in critical:
            raise InstrumentError(file, item_id, "has a critical level but is not flagged critical")
    for item_id in critical:
        if item_id not in overrides and "critical_minimum_level" not in scoring:
            raise InstrumentError(
                file, item_id, "is flagged critical, but scoring has no critical_minimum_level"
            )

    named_by_any_of = {
        item_id for rule in scoring.get("screen_in", []) for item_id in rule.get("any_of", [])
    }
    for number, rule in enumerate(scoring.get("screen_in", []), start=1):
        listed = rule.get("any_of") or (rule["of"] if rule["of"] != "rest" else [])
        for item_id in listed:
            if item_id not in positions:
                raise InstrumentError(
                    file, item_id, f"screen-in rule {number} names an item that does not exist"
                )
        if len(set(listed)) != len(listed):
            twice = next(i for i in listed if listed.count(i) > 1)
            raise InstrumentError(file, twice, f"named twice in screen-in rule {number}")
        if "at_least" in rule:
            pool = len(positions) - len(named_by_any_of) if rule["of"] == "rest" else len(listed)
            if rule["at_least"] > pool:
                raise InstrumentError(
                    file,
                    None,
                    f"screen-in rule {number} needs {rule['at_least']} of {pool} items, so it can never apply",
                )

    if not scoring.get("thresholds") and not critical and not scoring.get("screen_in"):
        raise InstrumentError(
            file, None, "scoring has no thresholds, critical items or screen-in rules"
        )

    provisional = [t for t in scoring.get("thresholds", []) if t.get("provisional")]
    if provisional and "provisional_note" not in scoring:
        raise InstrumentError(
            file, None, "a threshold is provisional, but scoring has no provisional_note saying why"
        )
    if "provisional_note" in scoring and not provisional:
        raise InstrumentError(
            file, None, "scoring has a provisional_note, but no threshold is provisional"
        )

    incomplete = scoring.get("incomplete")
    if incomplete is not None:
        if incomplete.get("critical_unknown") and not critical and not named_by_any_of:
            raise InstrumentError(
                file,
                None,
                "incomplete: critical_unknown, but no item sets a level on its own "
                "(flagged critical or named in an any_of screen-in rule)",
            )
        if not incomplete.get("critical_unknown") and "max_missing_share" not in incomplete:
            raise InstrumentError(
                file,
                None,
                "incomplete: the rule checks nothing (give critical_unknown or max_missing_share)",
            )
