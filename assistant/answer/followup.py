"""Turn a follow-up ("Hva med mål 2?") into a standalone question using the earlier turns.

Only elliptical questions come here (``analysis.is_elliptical`` decides); any other question is answered
as it is, whatever came before it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

# Entities a follow-up typically swaps for the same kind of entity in the earlier question.
_SWAPPABLE = [
    re.compile(r"\bresultatmål\s+\d{1,2}\b", re.IGNORECASE),
    re.compile(r"\b(?:strategisk\s+)?(?<!resultat)mål\s+\d{1,2}\b", re.IGNORECASE),
    re.compile(r"\bgoal\s+\d{1,2}\b", re.IGNORECASE),
    re.compile(r"\bspørsmål\s+\d{1,2}\b", re.IGNORECASE),
    re.compile(r"«[^»]{1,80}»"),  # a quoted name: «Gode helsevalg» -> «Gjøre mer selv»
]
# At most this many words besides the lead-in and the new entity: "Hva med mål 2?", "Og mål 3, da?".
_ELLIPTICAL_WORDS = 2
_LEAD = re.compile(r"^(?:(?:og|men|and|but|hva med|what about|how about)\s+)+", re.IGNORECASE)


def user_turns(history: list[Any] | None) -> list[str]:
    """Earlier user questions from a list of strings or of {"role", "content"} messages."""
    turns: list[str] = []
    for item in history or []:
        if isinstance(item, str):
            turns.append(item)
        elif isinstance(item, dict) and item.get("role", "user") == "user":
            content = item.get("content")
            if isinstance(content, str):
                turns.append(content)
        elif isinstance(item, list | tuple) and item and isinstance(item[0], str):
            turns.append(item[0])  # (user, assistant) pairs
    return [t.strip() for t in turns if t and t.strip()]


def condense_rule_based(
    question: str,
    history: list[Any] | None,
    names_respondent: Callable[[str], tuple[str, ...]] | None = None,
) -> str:
    """Carry the previous question's subject into an elliptical follow-up: swap the entity it names for the
    same kind of entity in the previous question (a goal or question number, a quoted name, a hearing
    response: ``names_respondent`` gives the responses a text names), or join it to the previous question."""
    turns = user_turns(history)
    if not turns:
        return question
    previous = turns[-1]
    swapped = _swap_respondent(question, previous, names_respondent)
    if swapped is not None:
        return swapped
    for pattern in _SWAPPABLE:
        new = pattern.search(question)
        old = pattern.search(previous)
        if new and old:
            others = re.findall(r"\w+", _LEAD.sub("", question[: new.start()] + question[new.end() :]))
            if len(others) > _ELLIPTICAL_WORDS:
                return question  # it names its own subject ("Hvorfor ble punktet … tatt ut av Mål 2?")
            # "Hva er Mål 1 …?" + "Hva med mål 2?" -> "Hva er mål 2 …?"
            return previous[: old.start()] + new.group(0) + previous[old.end() :]
    rest = _LEAD.sub("", question).rstrip("?").strip()
    return f"{previous.rstrip('?. ')}? {rest[:1].upper() + rest[1:]}?" if rest else previous


def _swap_respondent(
    question: str, previous: str, names_respondent: Callable[[str], tuple[str, ...]] | None
) -> str | None:
    """ "Hva sa IMDi om X?" + "Og hva med næringsaktøren?" -> "Hva sa næringsaktøren om X?": the follow-up is
    only a response's name, and one word of the previous question names another response."""
    if names_respondent is None:
        return None
    rest = _LEAD.sub("", question).strip(" ?.!,")
    rest = re.sub(r",?\s*(?:da|then)$", "", rest, flags=re.IGNORECASE)
    new = names_respondent(rest)
    if not new or len(re.findall(r"\w+", rest)) > 4 or not set(names_respondent(previous)) - set(new):
        return None
    for word in re.finditer(r"\w[\w-]*", previous):
        named = names_respondent(word.group(0))
        if named and not set(named) & set(new):
            return previous[: word.start()] + rest + previous[word.end() :]
    return None
