"""Clean a user's question before it reaches retrieval or a model."""

from __future__ import annotations

import re
import unicodedata

from assistant.errors import InputError

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


def clean_question(question: object, max_chars: int) -> tuple[str, list[str]]:
    """Return the cleaned question and notes about what was changed; raise on an empty one."""
    if not isinstance(question, str):
        raise InputError("The question must be text.")
    notes: list[str] = []
    text = unicodedata.normalize("NFC", question)
    text = _CONTROL.sub(" ", text)
    text = " ".join(text.split())
    if not text:
        raise InputError("The question is empty: write what you want to know, e.g. 'Hva er visjonen?'.")
    if not any(ch.isalnum() for ch in text):
        raise InputError("The question has no words in it: write what you want to know.")
    if len(text) > max_chars:
        text = text[:max_chars].rsplit(" ", 1)[0]
        notes.append(f"Spørsmålet var svært langt og ble kortet ned til de første {max_chars} tegnene.")
    return text, notes
