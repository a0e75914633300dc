"""'What is goal 3 of the strategy?': the goal's name from its heading and what its own section opens with.

Retrieval ranks prose that mentions "Mål 3" (the hearing summary talks about every goal) above the
short heading that names it; the strategy's section structure holds the answer exactly.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.answer.analysis import AnswerType, QuestionAnalysis, content_stems
from assistant.answer.extractive import FRAME_WORDS
from assistant.citations import Citations, excerpt, quote_of
from assistant.ports import ProfiledCorpus
from core.types import Answer, Passage
from ingest.normalise import fold

# Words that may stand beside "mål N" in a question for the goal itself ("Hva er det strategiske målet
# 2 i strategien, og hva går det ut på?"); any other content word asks about a detail of the goal.
GOAL_WORDS = "mål målet strategisk strategiske goal goals strategic objective går innebærer betyr heter"


def asked_goal(analysis: QuestionAnalysis, content: list[str]) -> int | None:
    """The goal a question asks for as a whole ("Hva er mål 2?", "Hva heter mål 3?"): a question for a
    definition or a name, naming one goal and nothing else (``content``: its other subject stems)."""
    if analysis.answer_type not in (AnswerType.DEFINITION, AnswerType.WHO) or len(analysis.goals) != 1:
        return None
    if analysis.result_goals or analysis.respondents:
        return None
    return analysis.goals[0] if not content else None


def strategy_goal_answer(corpus: ProfiledCorpus, question: str, analysis: QuestionAnalysis) -> Answer | None:
    """The named goal of each strategy document, cited to its heading and to its section's opening."""
    names = " ".join(n for kind in corpus.profile.kinds.values() for n in kind.names)
    allowed = set(corpus.stems(f"{names} {GOAL_WORDS} {' '.join(corpus.profile.goal_words)}"))
    content = [s for s in content_stems(question, corpus.stems, FRAME_WORDS) if s not in allowed]
    number = asked_goal(analysis, content)
    if number is None:
        return None
    cites = Citations(corpus.store)
    title = corpus.profile.goal_title()
    strategy_kinds = set(corpus.profile.kinds_with_role("strategy"))
    word = corpus.profile.goal_words[0][:1].upper() + corpus.profile.goal_words[0][1:]  # "Mål", "Målsetting"
    parts: list[str] = []
    for doc in corpus.store.documents():
        if doc.info.kind not in strategy_kinds:
            continue
        passages = sorted(cites.source_passages(doc.info.source), key=lambda p: p.page)
        in_section = [p for p in passages if _goal_of(p, title) == number]
        if not in_section:
            continue
        first = in_section[0]
        heading = goal_heading(first, title)
        name = title.match(heading)
        assert name is not None  # _goal_of matched it
        named_in_text = any(fold(heading) in fold(p.text) for p in passages)
        marker = cites.add(doc.info.source, heading, first.page) if named_in_text else ""
        opening = excerpt(first.text.split("\n")[0], 45)
        opening_marker = cites.add(doc.info.source, quote_of(opening), first.page, _is(first))
        label = _label(corpus, doc.info.kind) if len(parts) == 0 else f"«{doc.info.title}»"
        parts.append(f"{label}: {word} {number} er «{name.group(2)}»{marker}. {opening}{opening_marker}")
    if not parts:
        return None
    return cites.answer(question, "\n\n".join(parts))


def _label(corpus: ProfiledCorpus, kind: str) -> str:
    """How an answer introduces the strategy: its kind's label in the profile («Strategien»)."""
    known = corpus.profile.known_kinds().get(kind)
    return known.label if known and known.label else "Strategien"


def _is(passage: Passage) -> Callable[[Passage], bool]:
    return lambda p: p.chunk_id == passage.chunk_id


def goal_heading(p: Passage, title: re.Pattern[str]) -> str:
    """The part of the passage's section path that names a goal ("Mål 3: …", at the top in a PDF, under
    the document's title and «Målsettinger» in Markdown); else the path's first part."""
    parts = p.section.split(" > ")
    return next((part for part in parts if title.match(part)), parts[0])


def _goal_of(p: Passage, title: re.Pattern[str]) -> int | None:
    m = title.match(goal_heading(p, title))
    return int(m.group(1)) if m else None


def goal_numbers(corpus: ProfiledCorpus, passages: list[Passage] | None = None) -> set[int]:
    """The goal numbers the strategy documents name in their headings ("Mål 1: …" to "Mål 5: …"), of
    ``passages`` (all the store's when None)."""
    title = corpus.profile.goal_title()
    kinds = set(corpus.profile.kinds_of("strategy"))
    everything = corpus.store.all_passages() if passages is None else passages
    return {n for p in everything if p.kind in kinds and (n := _goal_of(p, title)) is not None}


def goal_count(corpus: ProfiledCorpus) -> int:
    """How many strategic goals the strategy documents name in their headings."""
    return len(goal_numbers(corpus))
