"""The few error types the project raises; the CLI and Gradio callbacks turn them into user messages."""

from __future__ import annotations

__all__ = [
    "AssistantError",
    "BackendError",
    "ConfigError",
    "DocumentError",
    "InputError",
]


class AssistantError(Exception):
    """Base class: anything the assistant reports to a user in words."""


class InputError(AssistantError):
    """The user's input (a file, a question, a setting) is wrong; the message says what to do."""


class DocumentError(InputError):
    """One document could not be read. Carries the file so reports can name it."""

    def __init__(self, path: str, problem: str, advice: str) -> None:
        self.path = path
        self.problem = problem
        self.advice = advice
        super().__init__(f"{path}: {problem}. {advice}")


class BackendError(AssistantError):
    """A backend (Chroma server, LLM endpoint, embedding model) failed or could not be reached."""


class ConfigError(AssistantError):
    """A setting is invalid or names a backend that is not installed."""
