"""Strategy assistant: questions over Norway's national e-health strategy and its hearing, with citations.

Importing this package loads no model and opens no index: ``Assistant.open()`` is cheap, and the
embedding model, Chroma and BM25 are loaded on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "Answer",
    "Assistant",
    "Citation",
    "DocumentInfo",
    "HearingResponse",
    "IngestReport",
    "Passage",
    "ResultGoal",
    "Settings",
    "Trace",
]

if TYPE_CHECKING:
    from assistant.api import Assistant
    from assistant.settings import Settings
    from assistant.types import (
        Answer,
        Citation,
        DocumentInfo,
        HearingResponse,
        IngestReport,
        Passage,
        ResultGoal,
        Trace,
    )


def __getattr__(name: str) -> Any:
    if name == "Assistant":
        from assistant.api import Assistant

        return Assistant
    if name == "Settings":
        from assistant.settings import Settings

        return Settings
    if name in __all__:
        from assistant import types

        return getattr(types, name)
    raise AttributeError(name)
