"""The profile's ``[app]`` section: how the chat names its collection and which example questions it offers.

These are the collection's words, not the code's: the bundled profile names the e-health strategy and asks
its questions; another collection's profile names its own. Without the section the chat speaks of
«dokumentene» and shows no examples.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import ConfigError

_APP_KEYS = {"subject", "examples"}


@dataclass(frozen=True)
class AppText:
    subject: str = "dokumentene"  # what the chat answers about: «Spør om {subject}.»
    examples: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (group label, its example questions)


def read_app(app: dict[str, Any], path: Path) -> AppText:
    """The checked ``[app]`` table; a mistake names the file, the key and the fix."""
    extra = sorted(set(app) - _APP_KEYS)
    if extra:
        raise ConfigError(
            f"{path}: unknown key {extra[0]!r} in [app]; allowed keys: {', '.join(sorted(_APP_KEYS))}."
        )
    subject = app.get("subject", AppText.subject)
    if not isinstance(subject, str) or not subject.strip():
        raise ConfigError(f'{path}: [app] subject must be a non-empty string, e.g. subject = "strategien".')
    examples = app.get("examples", {})
    if not isinstance(examples, dict):
        raise ConfigError(f'{path}: [app] examples must be a table: [app.examples] "Gruppe" = ["Spørsmål?"].')
    groups = []
    for label, questions in examples.items():
        if (
            not isinstance(questions, list)
            or not questions
            or not all(isinstance(q, str) and q.strip() for q in questions)
        ):
            raise ConfigError(
                f'{path}: [app.examples] "{label}" must be a list of questions, e.g. "{label}" = ["Hva er …?"].'
            )
        groups.append((label, tuple(q.strip() for q in questions)))
    return AppText(subject=subject.strip(), examples=tuple(groups))
