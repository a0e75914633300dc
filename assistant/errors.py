"""The error types, kept here for ``from assistant.errors import InputError``; they live in ``core.errors``
(the bottom layer, which ingest/ and vectorstore/ import too)."""

from core.errors import (
    AssistantError,
    BackendError,
    ConfigError,
    DocumentError,
    InputError,
)

__all__ = [
    "AssistantError",
    "BackendError",
    "ConfigError",
    "DocumentError",
    "InputError",
]
