"""The JSON Schema of an instrument file: the format, for anyone writing a new instrument.

In brief (the shipped files in ../instruments/ are worked examples):

- `id` (a slug) and `version` (a quoted string); a published version never changes.
- `names`, `descriptions`: az, ru and en, all required and non-empty.
- `categories`: [{id, names}], the headings items are grouped under.
- `items`: [{id, category, texts, labels, weight?, critical?, evidence?, scope?}]; `texts`
  is the question as asked, `labels` a short name of the risk factor, both in az, ru and
  en; `scope: health` marks an answer about her health (a consent scope).
- `scoring`: `method` (count | weighted), `thresholds` [{level, min_score, provisional?}]
  rising, `provisional_note` (az, ru, en: why the provisional bands are so, and how they
  will be checked), `critical_minimum_level` and `critical_item_levels` for items flagged
  critical, `screen_in` [{any_of: [ids], level} | {at_least: n, of: "rest" | [ids], level}],
  `incomplete` {critical_unknown?, max_missing_share?} (when the answers cannot support a
  level: see scoring.py), and `notes`, why the rules are what they are.

The schema checks shape; loading.py checks what a schema cannot say (unique ids, rules that
name existing items, thresholds that increase) and turns both kinds of error into a sentence
that names the file, the item and the problem.
"""

from .instrument import LANGUAGES, LEVELS

SLUG = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"
# The consent scopes an item's answer may belong to (birge.access.fields names them).
ANSWER_SCOPES = ("health",)

_TRANSLATED = {
    "type": "object",
    "properties": {language: {"type": "string", "pattern": r"\S"} for language in LANGUAGES},
    "required": list(LANGUAGES),
    "additionalProperties": False,
}
_LEVEL = {"type": "string", "enum": list(LEVELS)}
_ITEM_IDS = {"type": "array", "items": {"type": "string"}, "minItems": 1}

SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Birge risk instrument",
    "type": "object",
    "properties": {
        "id": {"type": "string", "pattern": SLUG, "maxLength": 64},
        "version": {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9._-]*$", "maxLength": 32},
        "names": _TRANSLATED,
        "descriptions": _TRANSLATED,
        "categories": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "string", "pattern": SLUG, "maxLength": 64},
                    "names": _TRANSLATED,
                },
                "required": ["id", "names"],
                "additionalProperties": False,
            },
        },
        "items": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "string", "pattern": SLUG, "maxLength": 64},
                    "category": {"type": "string"},
                    "texts": _TRANSLATED,
                    "labels": _TRANSLATED,
                    "weight": {"type": "number", "minimum": 0},
                    "critical": {"type": "boolean"},
                    "evidence": {"type": "string"},
                    # The consent scope her answer belongs to (birge.access.fields).
                    "scope": {"type": "string", "enum": list(ANSWER_SCOPES)},
                },
                "required": ["id", "category", "texts", "labels"],
                "additionalProperties": False,
            },
        },
        "scoring": {
            "type": "object",
            "properties": {
                "method": {"type": "string", "enum": ["count", "weighted"]},
                "thresholds": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "level": _LEVEL,
                            "min_score": {"type": "number", "minimum": 0},
                            # Not yet validated on local outcomes (see provisional_note).
                            "provisional": {"type": "boolean"},
                        },
                        "required": ["level", "min_score"],
                        "additionalProperties": False,
                    },
                },
                "provisional_note": _TRANSLATED,
                "critical_minimum_level": _LEVEL,
                "critical_item_levels": {"type": "object", "additionalProperties": _LEVEL},
                "screen_in": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "any_of": _ITEM_IDS,
                            "at_least": {"type": "integer", "minimum": 1},
                            "of": {"anyOf": [{"const": "rest"}, _ITEM_IDS]},
                            "level": _LEVEL,
                        },
                        "required": ["level"],
                        "oneOf": [
                            {"required": ["any_of"], "not": {"required": ["at_least"]}},
                            {"required": ["at_least", "of"], "not": {"required": ["any_of"]}},
                        ],
                        "additionalProperties": False,
                    },
                },
                # When the answers cannot support a level: "incomplete, professional
                # judgement required" instead of a clean low one.
                "incomplete": {
                    "type": "object",
                    "properties": {
                        "critical_unknown": {"type": "boolean"},
                        "max_missing_share": {
                            "type": "number",
                            "minimum": 0,
                            "exclusiveMaximum": 1,
                        },
                    },
                    "minProperties": 1,
                    "additionalProperties": False,
                },
                # Why the rules are what they are, kept with the rules (and in the hash).
                "notes": {"type": "string"},
            },
            "required": ["method"],
            "additionalProperties": False,
        },
    },
    "required": ["id", "version", "names", "descriptions", "categories", "items", "scoring"],
    "additionalProperties": False,
}
