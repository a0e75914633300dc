"""The default answerer: the reader's best candidates, quoted verbatim, each cited.

``ExtractiveReader`` wires the steps together from narrow parts (a retriever, the index's stems, IDF
weights and vectors, the corpus profile, the fitted model): analysis → candidates → ranking → abstention
→ composition. It never writes a claim of its own: the only words it adds are lead-ins naming the source.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.answer import abstention, composition
from assistant.answer.analysis import AnswerType, CorpusTerms, QuestionAnalysis, Respondent, analyse
from assistant.answer.candidates import Candidate
from assistant.answer.coverage import states_amount
from assistant.answer.features import ReaderTerms, Signals
from assistant.answer.labels import lead_in
from assistant.answer.ranking import RankerModel
from assistant.answer.reader import ReaderConfig, Reading, read
from assistant.types import Answer, Check, Explanation, Passage
from ingest.profile import CorpusProfile
from vectorstore.hybrid import ChannelHits, HybridRetriever

ABSTAIN_TEXT = abstention.ABSTAIN_TEXT

# Words that frame a question rather than name its subject (stems); they weigh nothing in matching.
FRAME_WORDS = frozenset(
    [
        "sier",
        "si",
        "sa",
        "står",
        "stå",
        "skrev",
        "skriv",
        "mener",
        "ment",
        "svart",
        "svarte",
        "ifølg",
        "nevn",
        "nevnt",
        "handl",
        "handler",
        "hvilk",
        "hvilket",
        "what",
        "which",
        "does",
        "say",
        "about",
        "håndter",
        "fulgt",
        "behandl",
        "vurder",
        "omtal",
        "beskriv",
        "finn",
        "fins",
        "noe",
        "innhold",
    ]
)


@dataclass(frozen=True)
class ReaderParts:
    """What the extractive reader is built from; ``Assistant`` wires it."""

    retriever: HybridRetriever
    signals: Signals
    known: Callable[..., bool]
    resembles: Callable[[str], bool]
    profile: CorpusProfile
    respondents: Callable[[], tuple[Respondent, ...]]
    embed_query: Callable[[str], np.ndarray]
    model: Callable[[], RankerModel]
    reader: ReaderConfig
    compose: Callable[[RankerModel], composition.ComposeConfig]
    abstain: Callable[[RankerModel], abstention.AbstentionConfig]


class ExtractiveReader:
    def __init__(self, parts: ReaderParts) -> None:
        self.p = parts
        profile = parts.profile
        self.terms = ReaderTerms(
            kind_roles={k: v.role for k, v in profile.kinds.items()},
            handling_terms=profile.handling_pattern(),
        )

    def corpus_terms(self) -> CorpusTerms:
        profile = self.p.profile
        hearing = tuple(self.p.signals.stems(" ".join(profile.hearing_words)))
        return CorpusTerms(
            kind_names={k: v.names for k, v in profile.kinds.items() if v.names},
            handling_question=profile.handling_question,
            hearing_words=hearing or tuple(profile.hearing_words),
            respondents=self.p.respondents(),
            goal_word=profile.goal_word() + "(?:et|en)?",
            result_goal_word=profile.result_goal_word(),
        )

    def analyse(self, question: str) -> QuestionAnalysis:
        return analyse(question, self.corpus_terms(), self.p.signals.stems, FRAME_WORDS)

    # -- retrieval for the reader ----------------------------------------------------------------
    def hits(self, analysis: QuestionAnalysis, filters: dict[str, Any] | None) -> ChannelHits:
        """Every channel's top passages, plus the best passages of what the question points at: a named
        response, a named document kind, and for a handling question the kinds that report and hold it."""
        retriever = self.p.retriever
        base = retriever.search_channels(analysis.text, self.p.reader.fused_k, filters)
        if filters:
            return base
        extra: list[Passage] = []
        if analysis.respondents:
            extra += retriever.search(
                analysis.text, self.p.reader.named_k, {"source": list(analysis.respondents)}
            )
        kinds = list(analysis.kinds)
        if analysis.answer_type is AnswerType.HANDLING:
            profile = self.p.profile
            kinds += profile.kinds_with_role("hearing_summary") + profile.kinds_with_role("strategy")
        for kind in dict.fromkeys(kinds):
            extra += retriever.search(analysis.text, self.p.reader.named_k, {"kind": kind})
        return ChannelHits(base.dense, base.lexical, base.sentences, base.fused, extra)

    def read(
        self, analysis: QuestionAnalysis, filters: dict[str, Any] | None, scored: bool = True
    ) -> Reading:
        return self.read_hits(analysis, self.hits(analysis, filters), scored)

    def read_hits(self, analysis: QuestionAnalysis, hits: ChannelHits, scored: bool = True) -> Reading:
        """Read the given channel hits (the retrieval step done by the caller)."""
        qvec = np.asarray(self.p.embed_query(analysis.text), dtype=np.float32)
        model = self.p.model() if scored else None
        return read(analysis, qvec, hits, self.p.signals, self.terms, model, self.p.reader)

    # -- the answer ------------------------------------------------------------------------------
    def answer(self, analysis: QuestionAnalysis, filters: dict[str, Any] | None) -> Answer:
        reading = self.read(analysis, filters)
        return self.answer_from(reading)

    def answer_from(self, reading: Reading) -> Answer:
        analysis = reading.analysis
        model = self.p.model()
        candidates = reading.candidates
        if analysis.asks_amount:  # only a sentence that states an amount can answer
            candidates = [c for c in candidates if states_amount(c.text)] or candidates
        candidates = self.scoped(analysis, candidates, self.p.compose(model).support_floor)
        verdict = abstention.judge(
            analysis,
            candidates,
            self.p.abstain(model),
            stem=self._stem,
            known=self.p.known,
            resembles_known=self.p.resembles,
            answerable=model.answerable(reading.answerable_row()) if reading.candidates else None,
        )
        explain = Explanation(
            path="reader",
            analysis=analysis.to_dict(),
            candidates=reading.explain_candidates(),
            checks=verdict.checks,
            model=str(model.spec.get("name", model.kind)),
        )
        if verdict.abstain:
            return self.abstained(analysis.text, reading.passages, verdict.note, explain)
        ranked = Reading(analysis, candidates, reading.passages, reading.matrix)
        quotes = composition.choose(
            ranked, self.p.compose(model), self.terms.handling_terms, self.terms.kind_roles
        )
        text, citations = composition.compose(quotes, lambda p: lead_in(p, self.p.profile))
        cited = list(dict.fromkeys(q.passage.chunk_id for q in quotes))
        by_id = {p.chunk_id: p for p in reading.passages}
        passages = [by_id[c] for c in cited if c in by_id] + [
            p for p in reading.passages if p.chunk_id not in cited
        ]
        return Answer(
            text=text,
            citations=citations,
            abstained=False,
            mode="extractive",
            explain=explain,
            question=analysis.text,
            standalone_question=analysis.text,
            notes=[verdict.coordinated_note] if verdict.coordinated_note else [],
            passages=passages,
        )

    def scoped(
        self, analysis: QuestionAnalysis, candidates: list[Candidate], floor: float
    ) -> list[Candidate]:
        """What the question points at leads: a response it names ("Hva mente IMDi …"), a document kind it
        names ("… i strategien"), and for a how-was-it-handled question the kinds that report the
        handling (role ``hearing_summary`` in the profile). Their candidates come first, in the model's
        order (for implied kinds only when the best of them reaches ``floor``); the rest follow as
        possible support."""
        sources = set(analysis.respondents)
        kinds = set(analysis.kinds)
        implied = set()
        if analysis.answer_type is AnswerType.HANDLING:
            implied = set(self.p.profile.kinds_with_role("hearing_summary")) - kinds
        kinds |= implied
        if not sources and not kinds:
            return candidates
        inside = [c for c in candidates if c.passage.source in sources or c.passage.kind in kinds]
        named = sources or (kinds - implied)
        if not inside or (not named and inside[0].score < floor):
            return candidates
        return inside + [
            c for c in candidates if not (c.passage.source in sources or c.passage.kind in kinds)
        ]

    def abstained(
        self, question: str, passages: list[Passage], note: str | None, explain: Explanation | None
    ) -> Answer:
        return Answer(
            text=ABSTAIN_TEXT,
            citations=[],
            abstained=True,
            mode="extractive",
            explain=explain or Explanation(path="reader", checks=[Check("no_passages", True)]),
            question=question,
            standalone_question=question,
            notes=[note] if note else [],
            passages=passages,
        )

    def _stem(self, word: str) -> str | None:
        stems = self.p.signals.stems(word)
        return stems[0] if stems and stems[0] not in FRAME_WORDS else None
