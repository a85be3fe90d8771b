"""Case studies as data files (`casestudies/*.yaml`), validated like the risk instruments.

A case study is a synthetic story told in stages; each stage gives the facts a
professional would have then and the exercises with their reference answers and
reasoning: a risk assessment with a shipped instrument (answers per item and the level
the real engine gives them), a safety plan's key actions, a referral or sharing decision
with its consent basis, and whether to refer to the risk conference. Pure Python, no
database: sessions store the case study's id and version.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from birge.risk.engine import (
    LANGUAGES,
    LEVELS,
    Instrument,
    InstrumentError,
    score,
    shipped_instruments,
)
from birge.risk.engine.loading import _parse  # the strict YAML reader of the instruments

CASE_STUDIES_DIR = Path(__file__).resolve().parent / "casestudies"
MAX_CHARS = 500_000
# How a referral or sharing decision rests on the law: her consent, the high risk without
# it (written reason, logged), or no sharing at all.
CONSENT_BASES = ("consent", "high_risk_without_consent", "no_sharing")

_TEXT = {
    "type": "object",
    "required": list(LANGUAGES),
    "additionalProperties": False,
    "properties": {code: {"type": "string", "pattern": r"\S"} for code in LANGUAGES},
}
_ID = {"type": "string", "pattern": r"^[a-z0-9]+([-_][a-z0-9]+)*$"}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id", "version", "titles", "summaries", "instrument", "stages"],
    "additionalProperties": False,
    "properties": {
        "id": _ID,
        "version": {"type": "string", "pattern": r"^[A-Za-z0-9._-]+$"},
        "titles": _TEXT,
        "summaries": _TEXT,
        "sources": {"type": "string"},
        "instrument": {
            "type": "object",
            "required": ["id", "version"],
            "additionalProperties": False,
            "properties": {"id": {"type": "string"}, "version": {"type": "string"}},
        },
        "stages": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "titles", "facts", "risk", "safety", "referral", "conference"],
                "additionalProperties": False,
                "properties": {
                    "id": _ID,
                    "titles": _TEXT,
                    "facts": _TEXT,
                    "risk": {
                        "type": "object",
                        "required": ["answers", "otherwise", "level", "reasoning"],
                        "additionalProperties": False,
                        "properties": {
                            "answers": {
                                "type": "object",
                                "additionalProperties": {
                                    "enum": ["yes", "no", "unknown", "declined"]
                                },
                            },
                            "otherwise": {"enum": ["yes", "no", "unknown", "declined"]},
                            "level": {"enum": list(LEVELS)},
                            "reasoning": _TEXT,
                        },
                    },
                    "safety": {
                        "type": "object",
                        "required": ["actions", "reasoning"],
                        "additionalProperties": False,
                        "properties": {
                            "actions": {"type": "array", "minItems": 1, "items": _TEXT},
                            "reasoning": _TEXT,
                        },
                    },
                    "referral": {
                        "type": "object",
                        "required": ["basis", "decision", "reasoning"],
                        "additionalProperties": False,
                        "properties": {
                            "basis": {"enum": list(CONSENT_BASES)},
                            "decision": _TEXT,
                            "reasoning": _TEXT,
                        },
                    },
                    "conference": {
                        "type": "object",
                        "required": ["refer", "reasoning"],
                        "additionalProperties": False,
                        "properties": {"refer": {"type": "boolean"}, "reasoning": _TEXT},
                    },
                },
            },
        },
    },
}
_VALIDATOR = Draft202012Validator(SCHEMA)


class CaseStudyError(Exception):
    """A malformed case-study file: which file, where in it, and what is wrong."""

    def __init__(self, file: str, where: str, problem: str) -> None:
        super().__init__(file, where, problem)
        self.file, self.where, self.problem = file, where, problem

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.where}: {self.problem}"
            if self.where
            else (f"{self.file}: {self.problem}")
        )


@dataclass(frozen=True)
class RiskExercise:
    answers: dict[str, str]  # every item of the instrument, the file's `otherwise` filled in
    level: str
    reasoning: dict[str, str]


@dataclass(frozen=True)
class Stage:
    id: str
    number: int  # 1-based, in the story's order
    titles: dict[str, str]
    facts: dict[str, str]
    risk: RiskExercise
    actions: tuple[dict[str, str], ...]
    safety_reasoning: dict[str, str]
    basis: str
    decision: dict[str, str]
    referral_reasoning: dict[str, str]
    conference: bool
    conference_reasoning: dict[str, str]


@dataclass(frozen=True)
class CaseStudy:
    id: str
    version: str
    titles: dict[str, str]
    summaries: dict[str, str]
    instrument: Instrument
    stages: tuple[Stage, ...]

    def stage(self, stage_id: str) -> Stage:
        """The stage with this id; KeyError when the case study has none."""
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise KeyError(stage_id)


def _where(path: list) -> str:
    """A path as the writer reads the file: "stage 2, risk, level"."""
    parts: list[str] = []
    rest = list(path)
    while rest:
        part = rest.pop(0)
        if part == "stages" and rest and isinstance(rest[0], int):
            parts.append(f"stage {rest.pop(0) + 1}")
        elif isinstance(part, int):
            parts.append(f"entry {part + 1}")
        else:
            parts.append(str(part))
    return ", ".join(parts)


def case_study_load(text: str, *, file: str = "<text>") -> CaseStudy:
    """Parse and validate one case study; CaseStudyError names the file and the place."""
    if len(text) > MAX_CHARS:
        raise CaseStudyError(file, "", f"the file is too large (over {MAX_CHARS} characters)")
    try:
        data = _parse(text, file)
    except InstrumentError as exc:
        raise CaseStudyError(file, "", exc.problem) from None
    errors = sorted(_VALIDATOR.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    if errors:
        error = errors[0]
        raise CaseStudyError(file, _where(list(error.absolute_path)), error.message)
    instrument = _instrument(data["instrument"], file)
    items = [item.id for item in instrument.items]
    stages, seen = [], set()
    for number, raw in enumerate(data["stages"], start=1):
        where = f"stage {number}"
        if raw["id"] in seen:
            raise CaseStudyError(file, where, f"duplicate stage id {raw['id']!r}")
        seen.add(raw["id"])
        unknown = sorted(set(raw["risk"]["answers"]) - set(items))
        if unknown:
            problem = f"unknown item {unknown[0]!r} of {instrument.id} v{instrument.version}"
            raise CaseStudyError(file, f"{where}, risk, answers", problem)
        answers = {
            item: raw["risk"]["answers"].get(item, raw["risk"]["otherwise"]) for item in items
        }
        result = score(instrument, answers)
        if result.level != raw["risk"]["level"] or result.incomplete:
            problem = (
                f"the answers score {result.level}"
                + (" (incomplete)" if result.incomplete else "")
                + f", not {raw['risk']['level']}"
            )
            raise CaseStudyError(file, f"{where}, risk, level", problem)
        stages.append(
            Stage(
                id=raw["id"],
                number=number,
                titles=raw["titles"],
                facts=raw["facts"],
                risk=RiskExercise(answers, raw["risk"]["level"], raw["risk"]["reasoning"]),
                actions=tuple(raw["safety"]["actions"]),
                safety_reasoning=raw["safety"]["reasoning"],
                basis=raw["referral"]["basis"],
                decision=raw["referral"]["decision"],
                referral_reasoning=raw["referral"]["reasoning"],
                conference=raw["conference"]["refer"],
                conference_reasoning=raw["conference"]["reasoning"],
            )
        )
    return CaseStudy(
        id=data["id"],
        version=data["version"],
        titles=data["titles"],
        summaries=data["summaries"],
        instrument=instrument,
        stages=tuple(stages),
    )


def _instrument(wanted: dict, file: str) -> Instrument:
    for instrument in shipped_instruments():
        if (instrument.id, instrument.version) == (wanted["id"], wanted["version"]):
            return instrument
    problem = f"no shipped instrument {wanted['id']} version {wanted['version']}"
    raise CaseStudyError(file, "instrument", problem)


def case_study_load_file(path: str | Path) -> CaseStudy:
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise CaseStudyError(path.name, "", "the file is not UTF-8 text") from None
    return case_study_load(text, file=path.name)


@cache
def shipped_case_studies() -> dict[str, CaseStudy]:
    """Every case study that ships with Birge, by id, in file order."""
    studies: dict[str, CaseStudy] = {}
    for path in sorted(CASE_STUDIES_DIR.glob("*.yaml")):
        study = case_study_load_file(path)
        if study.id in studies:
            raise CaseStudyError(path.name, "id", f"{study.id!r} is also in another file")
        studies[study.id] = study
    return studies


def case_study_get(case_study_id: str) -> CaseStudy:
    """A shipped case study; KeyError when none has this id."""
    return shipped_case_studies()[case_study_id]


def text_in(texts: dict[str, str], language: str) -> str:
    return texts.get(language) or texts["en"]
