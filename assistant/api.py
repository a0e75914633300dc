"""The one API the CLI, the chat app and the evals use."""

from __future__ import annotations

import threading
import time
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from assistant.answer.analysis import QuestionAnalysis, Respondent
from assistant.answer.extractive import ExtractiveReader
from assistant.errors import DocumentError, InputError
from assistant.goal_coverage import Coverage, CoverageScope
from assistant.hearing_answers import StatedTotal
from assistant.hearing_form import HearingForm
from assistant.indexer import Indexer, Progress
from assistant.pages import PageView
from assistant.questions import clean_question, correct_spelling
from assistant.resultgoal_search import GoalSearch
from assistant.settings import Settings
from assistant.types import Answer, DocumentInfo, HearingResponse, IngestReport, Passage, ResultGoal, Trace
from ingest.profile import CorpusProfile, load_profile
from vectorstore.embeddings import CachedEmbeddings, make_embeddings
from vectorstore.hybrid import HybridRetriever
from vectorstore.lexical import LexicalIndex, Tokenizer
from vectorstore.store import PassageStore

FILTER_KEYS = ("kind", "organisation", "source")
# How often (seconds) a long-running process re-checks that its BM25 side matches Chroma,
# which matters when other processes write through a shared Chroma server.
LEXICAL_RECHECK_SECONDS = 30.0
FILE_GONE = "the file is gone"  # DocumentError.problem when an indexed document's file was moved or deleted
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
        self.indexer = Indexer(settings, self.store, self.embeddings, lambda: self.profile)
        self._tokenizer: Tokenizer | None = None
        self._lexical: LexicalIndex | None = None
        self._lexical_checked = 0.0
        self._lexical_lock = threading.RLock()
        self._stem_cache: dict[str, tuple[str, ...]] = {}
        self._reader: Any = None
        self._profile: Any = None
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

    def document_file(self, source: str) -> tuple[Path, DocumentInfo]:
        """The file an indexed document was read from, and its record. Raises ``InputError`` for an
        unknown id and ``DocumentError`` when the file is no longer there."""
        for doc in self.store.documents():
            if doc.info.source == source:
                path = Path(doc.path)
                if not path.is_file():
                    raise DocumentError(
                        doc.path, FILE_GONE, "Put it back, or ingest it again from its new place."
                    )
                return path, doc.info
        raise InputError(f"No document '{source}' is indexed; see `documents` for the ids.")

    def page_view(
        self, source: str, quotes: list[str] | None = None, page: int | None = None, near: int = 1
    ) -> PageView:
        """Page ``page`` of a document with the quotes marked where they stand; with no ``page``, the page
        nearest ``near`` that holds the first quote (a citation's ``page`` is a good ``near``). PDF pages
        come as an image (cached under ``home/pages``), text files as text with character ranges."""
        from assistant import pages

        path, info = self.document_file(source)
        quotes = [q for q in quotes or [] if q.strip()]
        mask = self.settings.mask_personal_data and info.kind in self.profile.kinds_of("hearing_response")
        try:
            if page is None:
                page = pages.locate(path, quotes, near, mask)
            return pages.page_view(path, source, int(page), quotes, self.settings.pages_path, mask)
        except ValueError as exc:
            raise InputError(f"{source}: {exc}.") from None
        except (OSError, pages.UnreadablePage) as exc:
            raise DocumentError(
                str(path), f"the page cannot be shown ({exc})", "Ingest the file again, or open it yourself."
            ) from None

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
        from assistant.answer.analysis import is_english
        from assistant.answer.coverage import general_frequency

        if is_english(question):
            return question, []
        lexical = self.lexical()

        def known(word: str) -> bool:
            stems = self.stems(word)
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
        from assistant.structured import answer_from_structure

        def structured(text: str, analysis: QuestionAnalysis) -> tuple[Answer | None, str]:
            return answer_from_structure(self, text, analysis)

        yield from answer_stream(self, structured, question, history, self._check_filters(filters))

    # -- the reader (assistant/answer/) -------------------------------------------------------
    @property
    def profile(self) -> CorpusProfile:
        """The corpus profile (kinds, hearing vocabulary), read once; a mistake fails here with its fix."""
        if self._profile is None:
            self._profile = load_profile(self.settings.profile_path)
        return self._profile

    def reader(self) -> ExtractiveReader:
        """The extractive reader, built once from narrow parts of this assistant."""
        if self._reader is None:
            self._reader = _build_reader(self)
        return self._reader

    def respondents(self) -> tuple[Respondent, ...]:
        """Hearing responses in the index, for questions that name one."""
        roles = set(self.profile.kinds_with_role("hearing_response"))
        return tuple(
            Respondent(d.info.source, d.info.organisation, d.info.title)
            for d in self.store.documents()
            if d.info.kind in roles
        )

    def sentence_vectors(self, texts: list[str]) -> Any:
        """e5 vectors of sentences (passage form), cached."""
        return self.embeddings.embed_batch(texts, query=False)

    def idf(self, stem: str) -> float:
        """How rare a stem is in the index (BM25's IDF)."""
        return self.lexical().idf(stem)

    def stems(self, text: str) -> list[str]:
        """Stems of a text, memoised: answers stem the same sentences and question words again and again."""
        stems = self._stem_cache.get(text)
        if stems is None:
            stems = tuple(self.tokenizer([text])[0])
            if len(self._stem_cache) >= STEM_CACHE_ITEMS:
                self._stem_cache.clear()  # simple bound; refilled by the next few answers
            self._stem_cache[text] = stems
        return list(stems)

    # The earlier private names, still used by benchmarks and tests.
    _stems = stems
    _sentence_vectors = sentence_vectors

    # -- the documents' own structure (assistant/structured.py) ------------------------------
    def resultatmal(self) -> list[ResultGoal]:
        """Result goals of all operationalisation documents, by source then number."""
        from assistant.records import result_goals

        return result_goals(self.store, self.profile.kinds_of("operationalisation"))

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
        from assistant.records import hearing_responses

        return hearing_responses(self.store, self.profile.kinds_of("hearing_response"))

    def hearing_form(self) -> HearingForm:
        """The hearing form: which question has the tick boxes, and each question as the responses word it."""
        from assistant.hearing_form import hearing_form

        return hearing_form(self.profile, (r for r in self.hearing_responses() if r.on_form))

    def response_total(self) -> StatedTotal | None:
        """How many responses the hearing summary says came in (None when no summary states it)."""
        from assistant.hearing_answers import response_total

        return response_total(self.store, self.profile.kinds_of("hearing_summary"))

    def coverage(self, threshold: float | None = None) -> Coverage:
        """Per strategy goal 1 bullet, the three result goals most like it and how well it is covered
        («dekket», «delvis», «ikke dekket»); ``threshold`` overrides the cut-off for «dekket»."""
        from assistant.goal_coverage import COVERED, coverage

        return coverage(self, COVERED if threshold is None else threshold)

    def coverage_scope(self) -> CoverageScope:
        """Which strategic goals coverage compares, under which heading, in the collection's own words."""
        from assistant.goal_coverage import coverage_scope

        return coverage_scope(self)

    def trace(self, topic: str, k: int = 5) -> Trace:
        from assistant.topic_trace import trace

        text, notes = self.read_question(topic)
        found = trace(self, text, k=k)
        found.notes = notes
        return found


def _build_reader(assistant: Assistant) -> ExtractiveReader:
    """Wire the extractive reader from the narrow things it uses (no reference to the Assistant itself
    beyond the callables that read its current index)."""
    from assistant.answer.abstention import AbstentionConfig
    from assistant.answer.composition import ComposeConfig
    from assistant.answer.extractive import FRAME_WORDS, ReaderParts
    from assistant.answer.features import Signals
    from assistant.answer.ranking import MODEL_PATH, RankerModel, load_model
    from assistant.answer.reader import ReaderConfig
    from vectorstore.lexical import index_text

    s = assistant.settings
    model_path = s.reader_model or MODEL_PATH

    def abstain(model: RankerModel) -> AbstentionConfig:
        chosen = s.reader_abstain_below
        if chosen is None:
            chosen = float(model.spec.get("abstain_below", 0.0))
        return AbstentionConfig(abstain_below=chosen, rare_below=s.reader_rare_zipf)

    def compose(model: RankerModel) -> ComposeConfig:
        ratio, floor = s.reader_support_ratio, s.reader_support_floor
        return ComposeConfig(
            support_ratio=float(model.spec.get("support_ratio", 0.5)) if ratio is None else ratio,
            support_floor=float(model.spec.get("support_floor", 0.15)) if floor is None else floor,
            max_sentences=s.reader_max_sentences,
            per_passage=int(model.spec.get("per_passage", 2))
            if s.reader_per_passage is None
            else s.reader_per_passage,
            lookahead=s.reader_lookahead,
        )

    signals = Signals(
        stems=assistant.stems,
        idf=lambda stem: assistant.lexical().idf(stem),
        vectors=assistant.sentence_vectors,
        passage_text=lambda p: index_text(p),  # type: ignore[arg-type]
        frame=FRAME_WORDS,
    )
    parts = ReaderParts(
        retriever=assistant.retriever,
        signals=signals,
        known=lambda stem, strict=False: assistant.lexical().knows(stem, strict=strict),
        resembles=lambda stem: assistant.lexical().resembles(stem),
        profile=assistant.profile,
        respondents=assistant.respondents,
        embed_query=lambda text: np.asarray(assistant.embeddings.embed_query(text), dtype=np.float32),
        model=lambda: load_model(model_path),
        reader=ReaderConfig(
            per_channel=s.reader_per_channel,
            fused_k=s.reader_fused_k,
            named_k=s.reader_named_k,
            list_items=s.reader_list_items,
        ),
        compose=compose,
        abstain=abstain,
    )
    return ExtractiveReader(parts)
