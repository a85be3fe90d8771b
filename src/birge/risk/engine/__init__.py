"""The risk instrument engine: instruments are data files; this reads, validates and scores them.

Pure Python, no database. The risk app's models and services store what it returns: the
instrument's `source` and `sha256`, the raw answers, and the level with its reasons.
"""

from .instrument import (
    ANSWERS,
    LANGUAGES,
    LEVELS,
    Instrument,
    InstrumentError,
    Item,
    level_index,
    level_max,
)
from .loading import instrument_load, instrument_load_file, shipped_instruments
from .schema import SCHEMA
from .scoring import Reason, ScoreResult, score
from .texts import REASON_CODES, answer_name, level_name, reason_text

__all__ = [
    "ANSWERS",
    "LANGUAGES",
    "LEVELS",
    "REASON_CODES",
    "SCHEMA",
    "Instrument",
    "InstrumentError",
    "Item",
    "Reason",
    "ScoreResult",
    "answer_name",
    "instrument_load",
    "instrument_load_file",
    "level_index",
    "level_max",
    "level_name",
    "reason_text",
    "score",
    "shipped_instruments",
]
