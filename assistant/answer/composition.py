"""Composition: lead with the sentence that states the fact, then add only what supports it.

The lead is the ranker's best candidate. Support is a candidate the ranker also believes in (at least
``support_ratio`` of the lead's probability and ``support_floor``), up to ``max_sentences`` in all. Three
general rules complete a quote whose meaning runs on in the document: a sentence that opens with a
pointer back ("Dette er justert …") brings the sentence it points at; a quote whose next sentence goes on
from it ("… løftet frem." + "Dette er presisert …") brings that sentence; and for a why-question or a
how-was-it-handled question whose lead does not give the reason or the handling, the next sentences of
the same passage that do (within ``lookahead``) are added. A list intro carries its items. Every quote is
verbatim document text with its own citation; the only words added are lead-ins naming the source.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.answer.analysis import AnswerType
from assistant.answer.candidates import ITEM, Candidate
from assistant.answer.features import REASON
from assistant.answer.reader import Reading
from assistant.types import Citation, Passage

# A sentence that points back at the one before it: it opens with a pointer ("Dette er justert …") or,
# after a fronted adverbial, has one as its subject ("I strategien er dette presisert …"). The expletive
# "Det" ("Det pekes på at …") points at nothing, so it is not one.
POINTER_START = re.compile(r"^(?:Dette|Disse|Dermed|Derfor|This|These|Therefore)\b")
POINTER_EARLY = re.compile(r"^(?:\S+\s+){1,5}(?:dette|disse|this|these)\b")


def points_back(sentence: str) -> bool:
    return bool(POINTER_START.match(sentence) or POINTER_EARLY.match(sentence))


@dataclass(frozen=True)
class ComposeConfig:
    support_ratio: float  # a supporting quote scores at least this share of the lead
    support_floor: float  # … and at least this probability
    max_sentences: int  # quotes in an answer (the lead included)
    per_passage: int  # quotes from one passage
    lookahead: int  # sentences after the lead searched for its reason or handling


@dataclass
class Quote:
    passage: Passage
    start: int
    end: int
    score: float

    @property
    def text(self) -> str:
        return self.passage.text[self.start : self.end]


def _siblings(c: Candidate, everything: list[Candidate]) -> list[Candidate]:
    return sorted((x for x in everything if x.passage.chunk_id == c.passage.chunk_id), key=lambda x: x.start)


def _joined_by_line(passage: Passage, a_end: int, b_start: int) -> bool:
    """Two sentences run on when only spaces (no line break) stand between them."""
    return "\n" not in passage.text[a_end:b_start]


def _complete(
    c: Candidate,
    everything: list[Candidate],
    kind: AnswerType,
    handling: re.Pattern[str] | None,
    lookahead: int,
) -> list[Quote]:
    """The lead as one or more quotes: with the sentence it points back to, the one that runs on from it,
    and (why / handling questions) the sentences a little further on that give the reason or the handling."""
    sib = _siblings(c, everything)
    at = next(i for i, x in enumerate(sib) if x.key == c.key)
    start, end = c.start, c.end
    if at > 0 and points_back(c.head) and _joined_by_line(c.passage, sib[at - 1].end, c.start):
        start = sib[at - 1].start
    nxt = sib[at + 1] if at + 1 < len(sib) else None
    if (
        not c.items
        and nxt is not None
        and points_back(nxt.head)
        and _joined_by_line(c.passage, end, nxt.start)
    ):
        end = nxt.end
    quotes = [Quote(c.passage, start, end, c.score)]
    wanted: re.Pattern[str] | None = None
    if kind is AnswerType.REASON:
        wanted = REASON
    elif kind is AnswerType.HANDLING and handling is not None:
        wanted = handling
    if wanted is not None and not wanted.search(c.passage.text[start:end]):
        later = [x for x in sib if x.start >= end][:lookahead]
        found = next((x for x in later if wanted.search(x.text)), None)
        if found is not None:
            quotes.append(Quote(c.passage, found.start, found.end, c.score))
    return quotes


def _overlaps(q: Quote, chosen: list[Quote]) -> bool:
    fold = " ".join(q.text.split()).casefold()
    for c in chosen:
        if c.passage.chunk_id == q.passage.chunk_id and q.start < c.end and c.start < q.end:
            return True
        other = " ".join(c.text.split()).casefold()
        if fold in other or other in fold:
            return True
    return False


def choose(
    reading: Reading,
    config: ComposeConfig,
    handling: re.Pattern[str] | None,
    kind_roles: dict[str, str] | None = None,
) -> list[Quote]:
    """The lead (completed) and the supporting quotes, lead first; then the best candidate of each named
    document or kind not yet quoted, and for a how-was-it-handled question the strategy's (where the input
    landed) when it clears the floor."""
    if not reading.candidates:
        return []
    kind = reading.analysis.answer_type
    lead = reading.candidates[0]
    chosen = _complete(lead, reading.candidates, kind, handling, config.lookahead)
    per_passage = {lead.passage.chunk_id: len(chosen)}
    bar = max(config.support_floor, config.support_ratio * lead.score)
    for c in reading.candidates[1:]:
        if len(chosen) >= config.max_sentences or c.score < bar:
            break
        if per_passage.get(c.passage.chunk_id, 0) >= config.per_passage or c.head.rstrip().endswith("?"):
            continue
        quote = Quote(c.passage, c.start, c.end, c.score)
        if _overlaps(quote, chosen):
            continue
        chosen.append(quote)
        per_passage[c.passage.chunk_id] = per_passage.get(c.passage.chunk_id, 0) + 1
    roles = kind_roles or {}
    # Each document or kind the question names is quoted (it asked for it), and a handling answer says
    # where the input landed in the strategy if that candidate clears the floor: the best candidate of
    # each that is not yet quoted.
    wanted: list[tuple[Callable[[Passage], bool], float]] = [
        *((lambda p, s=s: p.source == s, 0.0) for s in reading.analysis.respondents),
        *((lambda p, k=k: p.kind == k, 0.0) for k in reading.analysis.kinds),
    ]
    if kind is AnswerType.HANDLING:
        wanted.append((lambda p: roles.get(p.kind) == "strategy", config.support_floor))
    for match, floor in wanted:
        if any(match(q.passage) for q in chosen):
            continue
        best = next((c for c in reading.candidates if match(c.passage)), None)
        if best is not None and best.score >= floor:
            quote = Quote(best.passage, best.start, best.end, best.score)
            if not _overlaps(quote, chosen):
                chosen.append(quote)
    return chosen


def render_quote(quote: str, n: int) -> str:
    """A quote with its marker; a list intro's items become bullets under it."""
    lines = quote.split("\n")
    if len(lines) == 1:
        return f"{quote} [{n}]"
    head, items = lines[0], [line for line in lines[1:] if line.strip()]
    if head.rstrip().endswith(":") and items and all(ITEM.match(i) for i in items):
        bullets = "\n".join("- " + ITEM.sub("", item) for item in items)
        return f"{head} [{n}]\n{bullets}\n"
    return f"{' '.join(quote.split())} [{n}]"


def page_of(p: Passage, start: int) -> int:
    """The page a quote starts on when its passage spans pages (estimated by position)."""
    if p.page_end <= p.page or not p.text:
        return p.page
    share = start / max(len(p.text), 1)
    return p.page + int(share * (p.page_end - p.page + 1) * 0.999)


def compose(quotes: list[Quote], label: Callable[[Passage], str]) -> tuple[str, list[Citation]]:
    """Answer text and citations. Quotes keep their order (the lead first); consecutive quotes of one
    document share a lead-in, and a quote of a new document starts a new paragraph."""
    parts: list[str] = []
    citations: list[Citation] = []
    current = ""
    for q in quotes:
        n = len(citations) + 1
        citations.append(Citation.from_passage(n, q.passage, q.text, page_of(q.passage, q.start)))
        rendered = render_quote(q.text, n)
        if q.passage.source == current and parts:
            parts[-1] += " " + rendered
        else:
            parts.append(f"{label(q.passage)}: {rendered}")
            current = q.passage.source
    return "\n\n".join(p.rstrip() for p in parts), citations
