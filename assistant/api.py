"""The one API the CLI, the chat app and the evals use."""

from __future__ import annotations

import threading
import time
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

from assistant.errors import InputError
from assistant.goal_coverage import Coverage
from assistant.indexer import Indexer, Progress
from assistant.questions import clean_question, correct_spelling
from assistant.resultgoal_search import GoalSearch
from assistant.settings import Settings
from assistant.types import Answer, DocumentInfo, HearingResponse, IngestReport, Passage, ResultGoal, Trace
from vectorstore.embeddings import CachedEmbeddings, make_embeddings
from vectorstore.hybrid import HybridRetriever
from vectorstore.lexical import LexicalIndex, Tokenizer
from vectorstore.store import PassageStore

FILTER_KEYS = ("kind", "organisation", "source")
# How often (seconds) a long-running process re-checks that its BM25 side matches Chroma,
# which matters when other processes write through a shared Chroma server.
LEXICAL_RECHECK_SECONDS = 30.0
STEM_CACHE_ITEMS = 50_000  # memoised texts (sentences, question words) before the memo starts over


class Assistant:
    """Cheap to construct: nothing is loaded until a method needs it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.embeddings: CachedEmbeddings = make_embeddings(settings.embeddings, settings.cache_path)
        self.store = PassageStore(
            path=settings.chroma_path,
            url=settings.chroma_url,
            collection=settings.collection,
            embeddings=self.embeddings,
        )
        self.indexer = Indexer(settings, self.store, self.embeddings)
        self._tokenizer: Tokenizer | None = None
        self._lexical: LexicalIndex | None = None
        self._lexical_checked = 0.0
        self._lexical_lock = threading.RLock()
        self._stem_cache: dict[str, tuple[str, ...]] = {}
        self.retriever = HybridRetriever(
            dense=self._dense_search,
            lexical=self._lexical_search,
            sentences=self._sentence_search,
            sentence_weight=settings.sentence_weight,
            dense_weight=settings.dense_weight,
            lexical_weight=settings.lexical_weight,
            rrf_k=settings.rrf_k,
            candidates=settings.candidates,
        )

    @classmethod
    def open(cls, settings: Settings | None = None, **overrides: Any) -> Assistant:
        """Settings from ``ASSISTANT_*`` environment variables, then ``overrides``."""
        if settings is None:
            settings = Settings(**overrides)
        elif overrides:
            settings = settings.model_copy(update=overrides)
        return cls(settings)

    # -- ingest -----------------------------------------------------------------------------
    def ingest(
        self, paths: list[str | Path] | None = None, prune: bool = False, progress: Progress | None = None
    ) -> IngestReport:
        targets = [Path(p) for p in (paths or [self.settings.corpus_dir])]
        report = self.indexer.run(targets, prune=prune, progress=progress)
        if report.added or report.updated or report.removed:
            self.refresh_lexical(force=True)
        return report

    def remove_document(self, source: str) -> int:
        known = {d.source for d in self.documents()}
        if source not in known:
            raise InputError(f"No document '{source}' is indexed; see `documents` for the ids.")
        removed = self.indexer.remove(source)
        self.refresh_lexical(force=True)
        return removed

    def documents(self) -> list[DocumentInfo]:
        return [d.info for d in self.store.documents()]

    def is_empty(self) -> bool:
        return self.store.count() == 0

    # -- retrieval --------------------------------------------------------------------------
    def retrieve(self, question: str, k: int = 10, filters: dict[str, Any] | None = None) -> list[Passage]:
        """The hybrid top k for the question as ``read_question`` reads it."""
        text, _ = self.read_question(question)
        if not 1 <= int(k) <= 200:
            raise InputError("k must be between 1 and 200.")
        return self.retriever.search(text, k=int(k), filters=self._check_filters(filters))

    def read_question(self, question: object) -> tuple[str, list[str]]:
        """The question as a search reads it, with a note for each change: cleaned (control characters,
        length), and a misspelled document word read as that word."""
        text, notes = clean_question(question, self.settings.max_question_chars)
        text, spelling = self.correct_spelling(text)
        return text, notes + spelling

    def correct_spelling(self, question: str) -> tuple[str, list[str]]:
        """A Norwegian question with each typing slip of a document word corrected, and a note for each
        («Leste «utenforksap» som «utenforskap».»); an English question as it is."""
        from assistant.answer.coverage import general_frequency
        from assistant.answer.extractive import is_english

        if is_english(question):
            return question, []
        lexical = self.lexical()

        def known(word: str) -> bool:
            stems = self._stems(word)
            return not stems or lexical.knows(stems[0])

        return correct_spelling(
            question, known=known, spelling_of=lexical.spelling_of, frequency=general_frequency
        )

    def _check_filters(self, filters: dict[str, Any] | None) -> dict[str, Any] | None:
        if not filters:
            return None
        unknown = set(filters) - set(FILTER_KEYS)
        if unknown:
            raise InputError(f"Unknown filter {sorted(unknown)}; use {', '.join(FILTER_KEYS)}.")
        return {k: v for k, v in filters.items() if v not in (None, "", [], ())} or None

    def _dense_search(
        self, query: str, k: int, filters: dict[str, Any] | None
    ) -> list[tuple[Passage, float]]:
        vector = self.embeddings.embed_query(query)
        hits = self.store.dense_ids(vector, k, filters)
        # Chroma ranks; the texts come from the BM25 side's copy of the same passages (an id names one
        # text, so a copy can only lack an id, never hold a wrong text); missing ones come from Chroma.
        known = self.lexical().by_id
        missing = [cid for cid, _ in hits if cid not in known]
        fetched = {p.chunk_id: p for p in self.store.get_passages(missing)} if missing else {}
        return [(known.get(cid) or fetched[cid], sim) for cid, sim in hits if cid in known or cid in fetched]

    def _sentence_search(
        self, query: str, k: int, filters: dict[str, Any] | None
    ) -> list[tuple[Passage, float]]:
        vector = self.embeddings.embed_query(query)  # cached: the dense channel embedded it already
        hits = self.store.sentence_search(vector, k * 3, filters)
        passages = {p.chunk_id: p for p in self.store.get_passages([cid for cid, _ in hits])}
        return [(passages[cid], sim) for cid, sim in hits if cid in passages][:k]

    def _lexical_search(
        self, query: str, k: int, filters: dict[str, Any] | None
    ) -> list[tuple[Passage, float]]:
        return self.lexical().search(query, k, filters)

    @property
    def tokenizer(self) -> Tokenizer:
        if self._tokenizer is None:
            self._tokenizer = Tokenizer()
        return self._tokenizer

    def lexical(self) -> LexicalIndex:
        """The BM25 side, loaded from disk or rebuilt from Chroma when it no longer matches."""
        now = time.monotonic()
        if self._lexical is not None and now - self._lexical_checked < LEXICAL_RECHECK_SECONDS:
            return self._lexical
        self.refresh_lexical()
        assert self._lexical is not None
        return self._lexical

    def refresh_lexical(self, force: bool = False) -> None:
        with self._lexical_lock:
            fingerprint = self.store.fingerprint()
            index = self._lexical or LexicalIndex(self.tokenizer)
            if not force and index.fingerprint != fingerprint:
                index.load(self.settings.bm25_path)
            if force or index.fingerprint != fingerprint:
                fresh = LexicalIndex(self.tokenizer)
                fresh.build(self.store.all_passages(), fingerprint)
                fresh.save(self.settings.bm25_path)
                index = fresh
            self._lexical = index
            self._lexical_checked = time.monotonic()

    # -- answers ----------------------------------------------------------------------------
    def ask(
        self, question: str, history: list[Any] | None = None, filters: dict[str, Any] | None = None
    ) -> Answer:
        """Answer with citations; abstains when the documents do not answer."""
        answer: Answer | None = None
        for item in self.ask_stream(question, history=history, filters=filters):
            if isinstance(item, Answer):
                answer = item
        assert answer is not None
        return answer

    def ask_stream(
        self, question: str, history: list[Any] | None = None, filters: dict[str, Any] | None = None
    ) -> Iterator[str | Answer]:
        """Yield pieces of the answer text as they are produced, then the complete ``Answer``."""
        from assistant.answer.pipeline import answer_stream

        yield from answer_stream(self, question, history, self._check_filters(filters))

    def _sentence_vectors(self, texts: list[str]) -> Any:
        return self.embeddings.embed_batch(texts, query=False)

    def _stems(self, text: str) -> list[str]:
        """Stems of a text, memoised: answers stem the same sentences and question words again and again."""
        stems = self._stem_cache.get(text)
        if stems is None:
            stems = tuple(self.tokenizer([text])[0])
            if len(self._stem_cache) >= STEM_CACHE_ITEMS:
                self._stem_cache.clear()  # simple bound; refilled by the next few answers
            self._stem_cache[text] = stems
        return list(stems)

    # -- the documents' own structure (assistant/structured.py) ------------------------------
    def resultatmal(self) -> list[ResultGoal]:
        """Result goals of all operasjonalisering documents, by source then number."""
        from assistant.structured import result_goals

        return result_goals(self)

    def search_goals(self, query: str, ignore: Collection[str] = ()) -> GoalSearch:
        """Result goals a search is about, by their words (stems, compounds) and by meaning (e5), best
        first, each with the reasons it matched. ``ignore``: words of a question's frame ("hvilke",
        "resultatmål") that are not what is searched for. A misspelled document word is read as the
        word, with a note."""
        from assistant.lexicon import general_lexicon
        from assistant.resultgoal_search import search_goals

        text = " ".join(str(query or "").split())
        notes: list[str] = []
        if any(ch.isalpha() for ch in text):
            text, notes = self.correct_spelling(text)
        found = search_goals(
            self.resultatmal(),
            text,
            tokenize=self.tokenizer,
            embed=lambda texts, as_query: self.embeddings.embed_batch(texts, query=as_query),
            lexicon=general_lexicon(),
            ignore=ignore,
        )
        found.notes = notes
        return found

    def hearing_responses(self) -> list[HearingResponse]:
        from assistant.structured import hearing_responses

        return hearing_responses(self)

    def coverage(self, threshold: float | None = None) -> Coverage:
        """Per strategy goal 1 bullet, the three result goals most like it and how well it is covered
        («dekket», «delvis», «ikke dekket»); ``threshold`` overrides the cut-off for «dekket»."""
        from assistant.goal_coverage import COVERED, coverage

        return coverage(self, COVERED if threshold is None else threshold)

    def trace(self, topic: str, k: int = 5) -> Trace:
        from assistant.topic_trace import trace

        text, notes = self.read_question(topic)
        found = trace(self, text, k=k)
        found.notes = notes
        return found
