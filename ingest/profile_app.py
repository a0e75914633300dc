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

_APP_KEYS = {"subject", "examples", "goal_search_examples"}


@dataclass(frozen=True)
class AppText:
    subject: str = "dokumentene"  # what the chat answers about: «Spør om {subject}.»
    examples: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (group label, its example questions)
    goal_search_examples: tuple[str, ...] = ()  # words the result-goal search box offers («timer»)


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
    words = app.get("goal_search_examples", [])
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        raise ConfigError(
            f'{path}: [app] goal_search_examples must be a list of words, e.g. goal_search_examples = ["timer"].'
        )
    return AppText(subject.strip(), tuple(groups), tuple(w.strip() for w in words))
