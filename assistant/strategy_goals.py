"""'What is goal 3 of the strategy?': the goal's name from its heading and what its own section opens with.

Retrieval ranks prose that mentions "Mål 3" (the hearing summary talks about every goal) above the
short heading that names it; the strategy's section structure holds the answer exactly.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from assistant.structured import _Citations, _excerpt, _quote_of
from assistant.types import Answer, Passage
from ingest.normalise import fold

if TYPE_CHECKING:
    from assistant.api import Assistant

STRATEGY_KIND = "strategi"
_GOAL_HEADING = re.compile(r"^Mål (\d{1,2}): (.+)$")
# The whole question asks for the goal itself, not for a detail of it ("a prerequisite for goal 2").
_WHAT_IS_GOAL = re.compile(
    r"^(?:hva (?:er|heter)|what is|what's)\s+(?:det strategiske\s+|strategic\s+)?(?:mål|goal)\s*(\d{1,2})"
    r"(?:\s+(?:i|in|of)(?:\s+(?:den nasjonale|nasjonal|the|the national))?\s+"
    r"(?:e-?helsestrategien|strategien|e-health strategy|strategy))?"
    r"(?:,?\s+(?:og|and)\s+(?:hva (?:går det ut på|innebærer det|betyr det)|what does it (?:mean|say)))?\s*\??$"
)


def asked_goal(question: str) -> int | None:
    m = _WHAT_IS_GOAL.match(fold(question).strip())
    return int(m.group(1)) if m else None


def strategy_goal_answer(assistant: Assistant, question: str) -> Answer | None:
    """The named goal of each strategy document, cited to its heading and to its section's opening."""
    number = asked_goal(question)
    if number is None:
        return None
    cites = _Citations(assistant)
    parts: list[str] = []
    for doc in assistant.store.documents():
        if doc.info.kind != STRATEGY_KIND:
            continue
        passages = sorted(cites.source_passages(doc.info.source), key=lambda p: p.page)
        in_section = [p for p in passages if _goal_of(p) == number]
        if not in_section:
            continue
        first = in_section[0]
        heading = first.section.split(" > ")[0]
        name = _GOAL_HEADING.match(heading)
        assert name is not None  # _goal_of matched it
        named_in_text = any(fold(heading) in fold(p.text) for p in passages)
        marker = cites.add(doc.info.source, heading, first.page) if named_in_text else ""
        opening = _excerpt(first.text.split("\n")[0], 45)
        opening_marker = cites.add(doc.info.source, _quote_of(opening), first.page, _is(first))
        label = "Strategien" if len(parts) == 0 else f"«{doc.info.title}»"
        parts.append(f"{label}: Mål {number} er «{name.group(2)}»{marker}. {opening}{opening_marker}")
    if not parts:
        return None
    return cites.answer(question, "\n\n".join(parts))


def _is(passage: Passage) -> Callable[[Passage], bool]:
    return lambda p: p.chunk_id == passage.chunk_id


def _goal_of(p: Passage) -> int | None:
    m = _GOAL_HEADING.match(p.section.split(" > ")[0])
    return int(m.group(1)) if m else None
