"""Clean a user's question before it reaches retrieval or a model."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

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


def correct_spelling(
    question: str,
    *,
    known: Callable[[str], bool],
    spelling_of: Callable[[str], str | None],
    frequency: Callable[[str], float],
    unseen_below: float = 1.0,
) -> tuple[str, list[str]]:
    """Read a misspelled document word as the word ("digitalt utenforskapp" -> "utenforskap").

    Only a word the documents lack, that Norwegian at large has never seen (``frequency``, Zipf), and
    that is one typing slip from a document word (``spelling_of``) is replaced; each replacement is
    returned as a note, so the reader sees how the question was read.
    """
    notes: list[str] = []

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if known(word) or frequency(word.lower()) >= unseen_below:
            return word
        right = spelling_of(word)
        if right is None:
            return word
        right = (
            right.upper() if word.isupper() else right[0].upper() + right[1:] if word[0].isupper() else right
        )
        notes.append(f"Leste «{word}» som «{right}».")
        return right

    return re.sub(r"[^\W\d_]{6,}", fix, question), notes
