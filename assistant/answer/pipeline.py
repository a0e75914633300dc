"""question (+ history) → standalone question → passages → answer, streamed.

The order of preference: an exhaustive answer from the documents' structure when the question is of
that kind, then the LLM answerer when one is configured, else the extractive answerer.
"""

from __future__ import annotations

import logging
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.answer.extractive import ExtractiveAnswerer, asks_about_strategy, is_handling_question
from assistant.answer.followup import condense_rule_based, is_followup, user_turns
from assistant.errors import BackendError
from assistant.questions import clean_question
from assistant.respondents import referenced_sources
from assistant.types import Answer, Passage

if TYPE_CHECKING:
    from assistant.api import Assistant

log = logging.getLogger(__name__)
RETRIEVE_K = 8


def extractive_answerer(assistant: Assistant) -> ExtractiveAnswerer:
    lexical = assistant.lexical()
    return ExtractiveAnswerer(
        sentence_vectors=assistant._sentence_vectors,
        stems=assistant._stems,
        idf=lexical.idf,
        known=lexical.knows,
        resembles_known=lexical.resembles,
    )


def standalone_question(assistant: Assistant, question: str, history: list[Any] | None) -> str:
    turns = user_turns(history)
    if not turns or not is_followup(question):
        return question
    if assistant.settings.llm:
        from assistant.answer.llm import condense_with_llm, make_chat_model

        try:
            return condense_with_llm(make_chat_model(assistant.settings, streaming=False), question, turns)
        except Exception as exc:  # fall back to the rule-based rewrite
            log.warning("condense with the LLM failed (%s); using the rule-based rewrite", type(exc).__name__)
    return condense_rule_based(question, turns)


def _structured(assistant: Assistant, question: str) -> Answer | None:
    """The strategy's own goals ("Hva er mål 2?"), then result goals and the hearing form's records."""
    try:
        from assistant.strategy_goals import strategy_goal_answer
        from assistant.structured import structured_answer
    except ImportError:
        return None
    return strategy_goal_answer(assistant, question) or structured_answer(assistant, question)


def gather_passages(
    assistant: Assistant,
    question: str,
    filters: dict[str, Any] | None,
    respondents: frozenset[str],
    closest: int,
) -> list[Passage]:
    """The fused top k, then what the fusion may have ranked out of reach: the strategy's best passages
    when the question asks how something was handled or what the strategy says, the named responses'
    best passages, and the passages nearest in meaning."""
    passages, nearest = assistant.retriever.search_with_closest(question, RETRIEVE_K, filters, closest)
    extra: list[Passage] = []
    if (is_handling_question(question) or asks_about_strategy(question)) and not filters:
        extra += assistant.retriever.search(question, k=4, filters={"kind": "strategi"})
    if respondents:
        extra += assistant.retriever.search(question, k=4, filters={"source": sorted(respondents)})
    seen = {p.chunk_id for p in passages}
    for p in extra + nearest:
        if p.chunk_id not in seen:
            passages.append(p)
            seen.add(p.chunk_id)
    return passages


def answer_stream(
    assistant: Assistant, question: str, history: list[Any] | None, filters: dict[str, Any] | None
) -> Iterator[str | Answer]:
    text, notes = clean_question(question, assistant.settings.max_question_chars)
    standalone = standalone_question(assistant, text, history)
    standalone, spelling = assistant.correct_spelling(standalone)
    notes += spelling
    answer: Answer | None = _structured(assistant, standalone) if not filters else None
    if answer is None:
        extractive = extractive_answerer(assistant)
        respondents = frozenset(referenced_sources(assistant, standalone) if not filters else [])
        passages = gather_passages(assistant, standalone, filters, respondents, extractive.t.closest_passages)
        qvec = np.asarray(assistant.embeddings.embed_query(standalone), dtype=np.float32)
        if assistant.settings.llm and passages:
            answer = yield from _llm_or_fallback(
                assistant, standalone, passages, qvec, extractive, respondents
            )
        else:
            answer = extractive.answer(standalone, qvec, passages, respondents)
            yield from _pieces(answer.text)
    else:
        yield from _pieces(answer.text)
    answer.question = text
    answer.standalone_question = standalone
    answer.notes = [*notes, *(answer.notes or [])]
    yield answer


def _llm_or_fallback(
    assistant: Assistant,
    question: str,
    passages: list[Any],
    qvec: np.ndarray,
    extractive: ExtractiveAnswerer,
    respondents: frozenset[str],
) -> Generator[str, None, Answer]:
    from assistant.answer.llm import Verifier, llm_answer, make_chat_model, stream_llm

    ev = extractive.evidence(question, passages)
    if ev["dense"] < extractive.t.abstain_dense - extractive.similarity_shift(question):
        answer = extractive.answer(question, qvec, passages, respondents)  # nothing relevant: no model
        yield from _pieces(answer.text)
        return answer
    produced: list[str] = []
    try:
        model = make_chat_model(assistant.settings, streaming=True)
        for piece in stream_llm(model, question, passages):
            produced.append(piece)
            yield piece
    except BackendError as exc:
        answer = extractive.answer(question, qvec, passages, respondents)
        answer.notes = [f"Språkmodellen svarte ikke ({exc}); her er svaret hentet direkte fra dokumentene."]
        if produced:  # keep the model's partial text apart from the fallback
            yield "\n\n"
        yield from _pieces(answer.text)
        return answer
    verifier = Verifier(
        stems=assistant._stems,
        sentence_vectors=assistant._sentence_vectors,
        query_vectors=lambda texts: assistant.embeddings.embed_batch(texts, query=True),
    )
    return llm_answer("".join(produced), question, passages, verifier)


def _pieces(text: str) -> Iterator[str]:
    """Extractive answers are ready at once; yield them in a few pieces so the UI streams the same way."""
    for i, part in enumerate(text.split("\n\n")):
        yield ("\n\n" if i else "") + part
