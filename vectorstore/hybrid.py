"""Dense + BM25 candidates fused by weighted reciprocal-rank fusion, as a LangChain ``BaseRetriever``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from core.types import Passage
from ingest.normalise import fold


def reciprocal_rank_fusion(
    ranked_lists: list[tuple[list[Passage], float]], k: int
) -> list[tuple[Passage, float]]:
    """score(p) = Σ weight / (k + rank); ties keep the order of first appearance."""
    scores: dict[str, float] = {}
    first: dict[str, Passage] = {}
    for passages, weight in ranked_lists:
        for rank, passage in enumerate(passages, start=1):
            scores[passage.chunk_id] = scores.get(passage.chunk_id, 0.0) + weight / (k + rank)
            first.setdefault(passage.chunk_id, passage)
    order = sorted(scores, key=lambda cid: -scores[cid])
    return [(first[cid], scores[cid]) for cid in order]


def deduplicate(passages: list[Passage], limit: int | None = None) -> list[Passage]:
    """Drop a passage whose text is the same as, or contained in, a better-ranked one; stop at ``limit``."""
    kept: list[Passage] = []
    folded: list[str] = []
    for p in passages:
        if limit is not None and len(kept) >= limit:
            break
        f = fold(p.text)
        if any(f == g or (len(f) > 40 and f in g) for g in folded):
            continue
        kept.append(p)
        folded.append(f)
    return kept


@dataclass(frozen=True)
class ChannelHits:
    """What each retrieval channel returned for one query (best first, with its own score), the fused
    order, and any extra passages a caller adds (a reader pools them all)."""

    dense: list[tuple[Passage, float]]
    lexical: list[tuple[Passage, float]]
    sentences: list[tuple[Passage, float]]
    fused: list[Passage]
    extra: list[Passage] = field(default_factory=list)


class HybridRetriever(BaseRetriever):
    """Retrieves passages from both channels; ``search`` is the typed entry the assistant uses."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    dense: Callable[[str, int, dict[str, Any] | None], list[tuple[Passage, float]]]
    lexical: Callable[[str, int, dict[str, Any] | None], list[tuple[Passage, float]]]
    sentences: Callable[[str, int, dict[str, Any] | None], list[tuple[Passage, float]]] | None = None
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    sentence_weight: float = 1.0
    rrf_k: int = 20
    candidates: int = 40
    k: int = 10
    filters: dict[str, Any] | None = None

    def search(
        self, query: str, k: int | None = None, filters: dict[str, Any] | None = None
    ) -> list[Passage]:
        return self.search_with_closest(query, k, filters, closest=0)[0]

    def search_with_closest(
        self, query: str, k: int | None = None, filters: dict[str, Any] | None = None, closest: int = 2
    ) -> tuple[list[Passage], list[Passage]]:
        """The fused top k, and the ``closest`` passages nearest in meaning whatever BM25 thinks (a
        paraphrase that shares no word with its passage finds it there), from one dense query."""
        hits = self.search_channels(query, k, filters, sentences=False)
        return hits.fused, [p for p, _ in hits.dense[:closest]]

    def search_channels(
        self, query: str, k: int | None = None, filters: dict[str, Any] | None = None, sentences: bool = True
    ) -> ChannelHits:
        """Every channel's candidates (``candidates`` each) and their fusion, cut to the top k. The
        sentence channel is queried when ``sentences`` is set even if it has no weight in the fusion."""
        k = k or self.k
        filters = filters if filters is not None else self.filters
        n = max(self.candidates, k)
        dense_hits = self.dense(query, n, filters)
        lexical_hits = self.lexical(query, n, filters)
        use_sentences = self.sentences is not None and (sentences or self.sentence_weight > 0)
        sentence_hits = self.sentences(query, n, filters) if use_sentences and self.sentences else []
        dense_sim = {p.chunk_id: s for p, s in dense_hits}
        for p, s in sentence_hits:  # a passage is as close as its closest sentence, if that is closer
            dense_sim[p.chunk_id] = max(s, dense_sim.get(p.chunk_id, s))
        lexical_score = {p.chunk_id: s for p, s in lexical_hits}
        lists = [
            ([p for p, _ in dense_hits], self.dense_weight),
            ([p for p, _ in lexical_hits], self.lexical_weight),
        ]
        if sentence_hits and self.sentence_weight > 0:
            lists.append(([p for p, _ in sentence_hits], self.sentence_weight))
        fused = reciprocal_rank_fusion(lists, self.rrf_k)
        fused_score = {p.chunk_id: score for p, score in fused}

        def copy(p: Passage) -> Passage:  # the channels may hand out shared objects (the BM25 index's own)
            return Passage(
                **{**p.to_dict(), "score": round(fused_score.get(p.chunk_id, 0.0), 6)},
                dense_similarity=dense_sim.get(p.chunk_id),
                lexical_score=lexical_score.get(p.chunk_id),
            )

        kept = deduplicate([p for p, _ in fused], limit=k)
        return ChannelHits(
            dense=[(copy(p), s) for p, s in dense_hits],
            lexical=[(copy(p), s) for p, s in lexical_hits],
            sentences=[(copy(p), s) for p, s in sentence_hits],
            fused=[copy(p) for p in kept],
        )

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return [
            Document(page_content=p.text, metadata={**p.metadata(), "chunk_id": p.chunk_id, "score": p.score})
            for p in self.search(query)
        ]
