"""Prompt files, loaded by name with their placeholders checked, so a typo fails at load, not at answer time."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

_DIR = Path(__file__).resolve().parent
_PLACEHOLDER = re.compile(r"(?<!\{)\{([a-z_]+)\}(?!\})")

# Each prompt and the placeholders it must contain, no more and no fewer.
EXPECTED: dict[str, set[str]] = {
    "answer_system": set(),
    "answer_user": {"question", "passages"},
    "condense": {"history", "question"},
}


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


@cache
def load_prompt(name: str) -> str:
    if name not in EXPECTED:
        raise KeyError(f"unknown prompt {name!r}")
    text = (_DIR / f"{name}.txt").read_text(encoding="utf-8")
    found = placeholders(text)
    if found != EXPECTED[name]:
        raise ValueError(f"prompt {name}: placeholders {sorted(found)} != expected {sorted(EXPECTED[name])}")
    return text
