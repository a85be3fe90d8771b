"""The risk instrument engine: instruments are data files; this reads, validates and scores them.

Pure Python, no database. The risk app's models and services store what it returns: the
instrument's `source` and `sha256`, the raw answers, and the level with its reasons.
"""

from .explanation import explain
from .instrument import (
    ANSWERS,
    LANGUAGES,
    LEVELS,
    Instrument,
    InstrumentError,
    Item,
    level_index,
    level_max,
    version_key,
)
from .loading import instrument_load, instrument_load_file, shipped_instruments
from .schema import SCHEMA
from .scoring import INCOMPLETE_CODES, Reason, ScoreResult, reasons_in_order, score
from .texts import (
    FEAR_FOR_LIFE,
    REASON_CODES,
    answer_name,
    level_name,
    reason_text,
)

__all__ = [
    "ANSWERS",
    "FEAR_FOR_LIFE",
    "INCOMPLETE_CODES",
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
    "explain",
    "instrument_load",
    "instrument_load_file",
    "level_index",
    "level_max",
    "level_name",
    "reason_text",
    "reasons_in_order",
    "score",
    "shipped_instruments",
    "version_key",
]
