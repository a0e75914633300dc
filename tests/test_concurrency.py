"""Many threads on one assistant (as the Gradio app runs it): the same results as one at a time."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from assistant.api import Assistant
from assistant.settings import Settings
from assistant.types import Answer, Passage

QUESTIONS = [
    "Hvor mange instanser sendte inn høringssvar?",
    "Hva mener IMDi om likeverdige helsetjenester?",
    "Hva er visjonen for e-helse frem mot 2030?",
    "Hvordan skal strategien følges opp?",
    "Hva er mål 1 i strategien?",
    "Hva sier høringssvarene om helsedata?",
    "Hvilke resultatmål handler om barn og unge?",
    "Hva er Helsenorge sin rolle?",
    "Hva mener næringsaktøren om nasjonale løsninger?",
    "Hvordan beskrives digital sikkerhet?",
]
THREADS = 20


def key(passages: list[Passage]) -> list[tuple[str, float]]:
    return [(p.chunk_id, p.score) for p in passages]


def answer_key(a: Answer) -> tuple[str, bool, str, list[tuple[int, str, str]]]:
    return a.text, a.abstained, a.mode, [(c.n, c.chunk_id, c.quote) for c in a.citations]


def test_concurrent_retrieve_matches_sequential(assistant: Assistant) -> None:
    questions = [QUESTIONS[i % len(QUESTIONS)] for i in range(THREADS)]
    expected = {q: key(assistant.retrieve(q, k=8)) for q in QUESTIONS}
    barrier = threading.Barrier(THREADS)

    def run(q: str) -> list[tuple[str, float]]:
        barrier.wait()  # all threads start together
        return key(assistant.retrieve(q, k=8))

    with ThreadPoolExecutor(THREADS) as pool:
        got = list(pool.map(run, questions))
    assert got == [expected[q] for q in questions]


def test_concurrent_ask_matches_sequential(assistant: Assistant) -> None:
    questions = [QUESTIONS[i % len(QUESTIONS)] for i in range(THREADS)]
    expected = {q: answer_key(assistant.ask(q)) for q in QUESTIONS}
    barrier = threading.Barrier(THREADS)

    def run(q: str) -> tuple[str, bool, str, list[tuple[int, str, str]]]:
        barrier.wait()
        return answer_key(assistant.ask(q))

    with ThreadPoolExecutor(THREADS) as pool:
        got = list(pool.map(run, questions))
    assert got == [expected[q] for q in questions]
    assert any(not a[1] and a[3] for a in got)  # real answers with citations, not only abstentions


def test_concurrent_first_calls_on_a_cold_assistant(assistant: Assistant) -> None:
    """Lazy loading (model, Chroma client, BM25, tokenizer) raced by 20 threads at once. The questions
    are new to this session, so the cold assistant's model really embeds them."""
    cold = Assistant.open(Settings(home=assistant.settings.home))
    fresh = [f"{q.rstrip('?')}, kort fortalt?" for q in QUESTIONS]
    barrier = threading.Barrier(THREADS)
    questions = [fresh[i % len(fresh)] for i in range(THREADS)]

    def run(q: str) -> list[tuple[str, float]]:
        barrier.wait()
        return key(cold.retrieve(q, k=8))

    try:
        with ThreadPoolExecutor(THREADS) as pool:
            got = list(pool.map(run, questions))
        # The model really ran (a question two threads ask at once may be embedded by both).
        assert len(fresh) <= cold.embeddings.embedded_texts <= THREADS
    finally:
        cold.embeddings.close()
    expected = {q: key(assistant.retrieve(q, k=8)) for q in fresh}
    assert got == [expected[q] for q in questions]


def test_reads_during_an_ingest_never_fail(fresh_assistant: Assistant, corpus_copy: Path) -> None:
    """Readers keep getting whole results while a writer adds and removes a document."""
    fresh_assistant.ingest([corpus_copy])
    note = corpus_copy / "fjordnotat.md"
    note.write_text(
        "# Fjordkommunens erfaringer\n\nFjordkommunen tok i bruk polarlysmålerne i 2024 for å varsle "
        "pårørende.\n",
        encoding="utf-8",
    )
    errors: list[BaseException] = []
    results: list[list[Passage]] = []
    done = threading.Event()

    def reader(q: str) -> None:
        while not done.is_set():
            try:
                results.append(fresh_assistant.retrieve(q, k=5))
            except BaseException as exc:  # any failure at all is what this test looks for
                errors.append(exc)
                return

    readers = [threading.Thread(target=reader, args=(q,)) for q in QUESTIONS[:4]]
    for t in readers:
        t.start()
    try:
        added = fresh_assistant.ingest([corpus_copy])
        found = fresh_assistant.retrieve("Hva tok Fjordkommunen i bruk i 2024?", k=3)
        fresh_assistant.remove_document("fjordnotat")
    finally:
        done.set()
        for t in readers:
            t.join(timeout=120)
    assert not errors, errors
    assert results and all(len(r) == 5 for r in results)
    assert [o.source for o in added.added] == ["fjordnotat"]
    assert found[0].source == "fjordnotat"
    assert all(
        p.source != "fjordnotat" for p in fresh_assistant.retrieve("polarlysmålerne Fjordkommunen", k=10)
    )
