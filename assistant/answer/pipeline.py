"""question (+ history) → analysis → standalone question → answer, streamed.

A question is rewritten with the earlier turns only when its analysis finds it elliptical ("Hva med mål
2?", "Og IMDi?"); any other question is answered exactly as when asked alone. Then, in order of
preference: an exhaustive answer from the documents' structure when the question is of that kind, the
LLM answerer when one is configured, else the extractive reader.

The pipeline gets what it uses as an ``AnswerContext`` (the ``Assistant`` is one) and the structured
answerers as a callable, so it imports neither the façade nor the services.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator, Iterator
from typing import Any, Protocol

from assistant.answer.analysis import QuestionAnalysis
from assistant.answer.extractive import ExtractiveReader
from assistant.answer.followup import condense_rule_based, user_turns
from assistant.answer.reader import Reading
from assistant.errors import BackendError
from assistant.ports import Embedder
from assistant.questions import clean_question
from assistant.settings import Settings
from assistant.types import Answer, Explanation

log = logging.getLogger(__name__)

# An exhaustive answer from the documents' structure, and its explanation path; (None, _) when there is none.
StructuredAnswerer = Callable[[str, QuestionAnalysis], tuple[Answer | None, str]]


class AnswerContext(Protocol):
    """What answering a question uses: the settings, the reader, spelling, stems and vectors."""

    @property
    def settings(self) -> Settings: ...

    @property
    def embeddings(self) -> Embedder: ...

    def reader(self) -> ExtractiveReader: ...

    def correct_spelling(self, question: str) -> tuple[str, list[str]]: ...

    def stems(self, text: str) -> list[str]: ...

    def sentence_vectors(self, texts: list[str]) -> Any: ...


def standalone_question(context: AnswerContext, question: str, history: list[Any] | None) -> str:
    """The question as it stands alone: rewritten with the earlier turns only when it is elliptical."""
    turns = user_turns(history)
    if not turns or not context.reader().analyse(question).elliptical:
        return question
    if context.settings.llm:
        from assistant.answer.llm import condense_with_llm, make_chat_model

        try:
            return condense_with_llm(make_chat_model(context.settings, streaming=False), question, turns)
        except Exception as exc:  # fall back to the rule-based rewrite
            log.warning("condense with the LLM failed (%s); using the rule-based rewrite", type(exc).__name__)
    reader = context.reader()
    return condense_rule_based(question, turns, lambda text: reader.analyse(text).respondents)


def answer_stream(
    context: AnswerContext,
    structured: StructuredAnswerer,
    question: str,
    history: list[Any] | None,
    filters: dict[str, Any] | None,
) -> Iterator[str | Answer]:
    """Pieces of the answer text, then the ``Answer``; ``structured`` answers first when no filter is set."""
    text, notes = clean_question(question, context.settings.max_question_chars)
    standalone = standalone_question(context, text, history)
    standalone, spelling = context.correct_spelling(standalone)
    notes += spelling
    reader = context.reader()
    analysis = reader.analyse(standalone)
    answer: Answer | None = None
    path = ""
    if not filters:
        answer, path = structured(standalone, analysis)
    if answer is not None:
        answer.explain = Explanation(path=path, analysis=analysis.to_dict())
        yield from _pieces(answer.text)
    else:
        reading = reader.read(analysis, filters)
        if context.settings.llm and reading.passages:
            answer = yield from _llm_or_fallback(context, analysis, reading)
        else:
            answer = reader.answer_from(reading)
            yield from _pieces(answer.text)
    answer.question = text
    answer.standalone_question = standalone
    if answer.explain is not None and standalone != text:
        answer.explain.interpreted_as = standalone
    answer.notes = [*notes, *(answer.notes or [])]
    yield answer


def _llm_or_fallback(
    context: AnswerContext, analysis: QuestionAnalysis, reading: Reading
) -> Generator[str, None, Answer]:
    from assistant.answer.llm import (
        LLMRejected,
        Verifier,
        bounded_llm_stream,
        fallback_note,
        llm_answer,
        make_chat_model,
        truncated_note,
    )
    from assistant.answer.llm_stream import LLMStopped

    settings = context.settings
    reader = context.reader()
    extractive = reader.answer_from(reading)
    if extractive.abstained:  # nothing the reader trusts: no model
        yield from _pieces(extractive.text)
        return extractive
    passages = reading.passages[: settings.reader_fused_k]
    stream = None
    try:
        model = make_chat_model(settings, streaming=True)
        stream = bounded_llm_stream(model, analysis.text, passages, settings)
        yield from stream
        verifier = Verifier(
            stems=context.stems,
            sentence_vectors=context.sentence_vectors,
            query_vectors=lambda texts: context.embeddings.embed_batch(texts, query=True),
        )
        answer = llm_answer(stream.text, analysis.text, passages, verifier, settings.llm_max_unsupported)
    except BackendError as exc:  # failed, stopped at a bound, or refused by the quality gate
        log.info("LLM answer replaced by the extractive one: %s", exc)
        extractive.notes = [fallback_note(exc, settings)]
        if isinstance(exc, LLMRejected):
            extractive.model_text = exc.checked.text
        elif isinstance(exc, LLMStopped):
            extractive.model_text = exc.text
        if extractive.explain is not None:
            extractive.explain.path = "llm-fallback"
        if stream is not None and stream.text:  # keep the model's partial text apart from the fallback
            yield "\n\n"
        yield from _pieces(extractive.text)
        return extractive
    if stream.stats.truncated:
        answer.notes = [*(answer.notes or []), truncated_note(settings)]
    answer.explain = Explanation(
        path="llm", analysis=analysis.to_dict(), candidates=reading.explain_candidates()
    )
    return answer


def _pieces(text: str) -> Iterator[str]:
    """Extractive answers are ready at once; yield them in a few pieces so the UI streams the same way."""
    for i, part in enumerate(text.split("\n\n")):
        yield ("\n\n" if i else "") + part
