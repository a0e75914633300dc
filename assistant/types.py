"""The public result types, kept here for ``from assistant.types import Answer``; they live in ``core.types``
(the bottom layer, which ingest/ and vectorstore/ import too)."""

from core.types import (
    Answer,
    Check,
    Citation,
    DocumentInfo,
    Explanation,
    FileOutcome,
    HearingResponse,
    IngestReport,
    Passage,
    ResultGoal,
    Trace,
)

__all__ = [
    "Answer",
    "Check",
    "Citation",
    "DocumentInfo",
    "Explanation",
    "FileOutcome",
    "HearingResponse",
    "IngestReport",
    "Passage",
    "ResultGoal",
    "Trace",
]
