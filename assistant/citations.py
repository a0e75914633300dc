"""Numbered citations of verbatim quotes, each pointing at the stored passage that contains its quote,
and the verbatim excerpts the structured answers quote. Shared by the structured answers
(assistant/goal_answers.py, assistant/hearing_answers.py) and the strategy goals (assistant/strategy_goals.py).
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.ports import RecordStore
from core.types import Answer, Citation, Passage
from ingest.normalise import fold
from ingest.sentences import split_sentences

Prefer = Callable[[Passage], bool]  # which of several passages holding a quote to cite


class Citations:
    """Numbered citations, each pointing at the stored passage that contains its quote."""

    def __init__(self, store: RecordStore) -> None:
        self.store = store
        self.items: list[Citation] = []
        self.passages: list[Passage] = []
        self._by_source: dict[str, list[Passage]] = {}

    def source_passages(self, source: str) -> list[Passage]:
        if source not in self._by_source:
            self._by_source[source] = self.store.get_passages(self.store.ids_for_source(source))
        return self._by_source[source]

    def find(self, source: str, quote: str, page: int, prefer: Prefer | None = None) -> Passage | None:
        passages = self.source_passages(source)
        q = fold(quote)
        for probe in (q, " ".join(q.split()[:12])):
            hits = [p for p in passages if probe and probe in fold(p.text)]
            if hits:
                return max(
                    hits,
                    key=lambda p: (bool(prefer and prefer(p)), p.page <= page <= p.page_end, -len(p.text)),
                )
        on_page = [p for p in passages if p.page <= page <= p.page_end]
        return on_page[0] if on_page else (passages[0] if passages else None)

    def add(self, source: str, quote: str, page: int, prefer: Prefer | None = None) -> str:
        """Return the " [n]" marker for a citation of ``quote`` (empty when the source has no passage)."""
        passage = self.find(source, quote, page, prefer)
        if passage is None:
            return ""
        for c in self.items:
            if c.chunk_id == passage.chunk_id and c.quote == quote:
                return f" [{c.n}]"
        n = len(self.items) + 1
        self.items.append(Citation.from_passage(n, passage, quote, page))
        if all(p.chunk_id != passage.chunk_id for p in self.passages):
            self.passages.append(passage)
        return f" [{n}]"

    def answer(self, question: str, text: str, notes: list[str] | None = None) -> Answer:
        return Answer(
            text=text.strip(),
            citations=self.items,
            abstained=False,
            mode="extractive",
            question=question,
            standalone_question=question,
            notes=notes or [],
            passages=self.passages,
        )


def excerpt(text: str, max_words: int = 60) -> str:
    """The first sentences of ``text`` up to about ``max_words`` words, verbatim (a quote)."""
    sentences = split_sentences(text)
    if not sentences:
        return ""
    out = sentences[0]
    for s in sentences[1:]:
        if len(out.split()) + len(s.split()) > max_words:
            break
        out = f"{out} {s}"
    words = out.split()
    return " ".join(words[:max_words]) + (" …" if len(words) > max_words else "")


def quote_of(excerpt: str) -> str:
    """The quotable text of an excerpt: without the «…» that mark where it was cut."""
    return excerpt.removeprefix("… ").removesuffix(" …")
