"""The reader: analysis → candidates → features → fitted ranking, one clear step after another.

``read`` takes what retrieval found for a question (every channel's list, see ``ChannelHits``) and returns
a ``Reading``: the candidates ranked by the model's probability that they hold the answer, the passages
in the order their best candidate ranks them, and the feature matrix (kept for explanations and for
fitting). Composition and abstention (``composition.py``) read a ``Reading``; nothing here writes text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from assistant.answer.analysis import QuestionAnalysis
from assistant.answer.candidates import Candidate, build_candidates, build_pool
from assistant.answer.features import FEATURES, ReaderTerms, Signals, compute
from assistant.answer.ranking import RankerModel
from assistant.types import Passage
from vectorstore.hybrid import ChannelHits

# Feature values an explanation shows for each candidate (the model reads them all).
SHOWN_FEATURES = ("dense", "lex_compound", "lex_window", "type_match", "rr_fused", "rr_dense", "rr_lexical")


# What decides whether the documents can answer at all, over the question's ranked candidates: how sure
# the ranker is of its best and second best, and how close the best candidates come in meaning and words.
ANSWERABLE_FEATURES = (
    "best",
    "second",
    "best_dense",
    "best_dense_passage",
    "best_lex",
    "best_rare",
    "best_name",
    "q_has_names",
    "q_terms",
    "q_english",
)


def answerable_row(scores: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """``ANSWERABLE_FEATURES`` of one question from its candidates' scores and feature rows."""
    if not len(scores):
        return np.zeros(len(ANSWERABLE_FEATURES))
    top = np.sort(scores)[::-1]

    def best(name: str) -> float:
        return float(matrix[:, FEATURES.index(name)].max())

    return np.array(
        [
            float(top[0]),
            float(top[1]) if len(top) > 1 else 0.0,
            best("dense"),
            best("dense_passage"),
            best("lex_compound"),
            best("rare_cov"),
            best("name_cov"),
            float(matrix[0, FEATURES.index("q_has_names")]),
            float(matrix[0, FEATURES.index("q_terms")]),
            float(matrix[0, FEATURES.index("q_english")]),
        ]
    )


@dataclass(frozen=True)
class ReaderConfig:
    per_channel: int = 20  # passages each channel contributes to the candidate pool
    fused_k: int = 8  # passages of the fused ranking in the pool
    named_k: int = 4  # passages read from each document or kind the question names
    list_items: int = 25  # list items a sentence that introduces a list carries


@dataclass
class Reading:
    analysis: QuestionAnalysis
    candidates: list[Candidate]  # best first
    passages: list[Passage]  # in the order of their best candidate
    matrix: np.ndarray = field(default_factory=lambda: np.zeros((0, len(FEATURES))))

    @property
    def best(self) -> float:
        return self.candidates[0].score if self.candidates else 0.0

    def answerable_row(self) -> np.ndarray:
        """The question-level evidence the answerability model reads (``ANSWERABLE_FEATURES``)."""
        return answerable_row(np.array([c.score for c in self.candidates]), self.matrix)

    def explain_candidates(self, n: int = 8) -> list[dict[str, object]]:
        return [
            {
                "text": " ".join(c.text.split()),
                "source": c.passage.source,
                "page": c.passage.page,
                "section": c.passage.section,
                "score": round(c.score, 4),
                "top_features": {k: round(c.features.get(k, 0.0), 3) for k in SHOWN_FEATURES},
            }
            for c in self.candidates[:n]
        ]


def read(
    analysis: QuestionAnalysis,
    qvec: np.ndarray,
    hits: ChannelHits,
    signals: Signals,
    terms: ReaderTerms,
    model: RankerModel | None,
    config: ReaderConfig,
) -> Reading:
    """Rank every candidate of the pooled passages; ``model=None`` leaves scores at 0 (for fitting)."""
    pool = build_pool(hits, config.per_channel, config.fused_k)
    candidates = build_candidates(pool, max_items=config.list_items)
    matrix = compute(analysis, qvec, candidates, signals, terms)
    if model is not None and len(candidates):
        scores = model.probability(matrix[:, model.columns(FEATURES)])
        for c, s in zip(candidates, scores, strict=True):
            c.score = float(s)
        order = sorted(range(len(candidates)), key=lambda i: (-candidates[i].score, i))
        candidates = [candidates[i] for i in order]
        matrix = matrix[order]
    passages: list[Passage] = []
    seen: set[str] = set()
    for c in candidates:
        if c.passage.chunk_id not in seen:
            seen.add(c.passage.chunk_id)
            passages.append(c.passage)
    return Reading(analysis, candidates, passages, matrix)
