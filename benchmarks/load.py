"""Many people at once: concurrent ``ask`` calls on one Assistant, and concurrent chat sessions on the app.

(a) 20 ``ask`` calls from 20 threads on one Assistant, each checked against the sequential answer to
the same question (text, citation chunk ids, abstained), with latency and throughput for both.
(b) The Gradio app launched in this process on a free 127.0.0.1 port (as the UI tests do) and 10
``gradio_client`` sessions at once, each asking a question and then a follow-up in the same session;
each answer must carry citations. Question vectors are dropped from the embedding cache before each
round, so every call embeds its question as a first visitor's would. Only 127.0.0.1 is contacted,
every wait is bounded, and the app is closed at the end.

Run: ``python benchmarks/load.py [--calls 20] [--sessions 10] [--rounds 2] [--cache FILE]``
(``--cache`` seeds the new index's embedding cache, e.g. with ASSISTANT_TEST_EMBEDDING_CACHE, so the
bundled corpus ingests in seconds; answers do not depend on it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import QUESTIONS as ALL_QUESTIONS
from common import pct

from assistant.api import Assistant
from assistant.types import Answer

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "data" / "corpus"
QUESTIONS = ALL_QUESTIONS[:10]
# A question and a follow-up that leans on it, per chat session.
SESSIONS = [
    ("Hvor mange instanser sendte inn høringssvar?", "Hva mente de om mål 5?"),
    ("Hva er visjonen i strategien?", "Hvilke mål skal bidra til den?"),
    ("Hva skal vi oppnå frem mot 2030 under mål 3?", "Hva med mål 2?"),
    ("Hvordan ble innspillene om digitalt utenforskap håndtert?", "Hva sa IMDi om det?"),
    ("Hva sa IMDi om tolketjenester?", "Hvilken indikator foreslo de?"),
    ("Hva mener næringsaktøren om Norsk Helsenett?", "Hva sier de om skytjenester?"),
    (
        "Hvilket resultatmål dekker behovet for å bestille, flytte og avlyse timer?",
        "Hvilke andre resultatmål har mål 1?",
    ),
    ("Hvordan skal strategien følges opp?", "Hvem har ansvaret for det?"),
    ("What does the strategy say about standardisation?", "And about information security?"),
    (
        "Hvorfor ble forslaget om et eget mål for kvinnehelseteknologi ikke tatt inn?",
        "Hva sa høringsinstansene om det?",
    ),
]
REQUEST_TIMEOUT = 600.0  # seconds one chat request may take (including its wait in the app's queue)


def ms_row(name: str, values: list[float], wall: float, extra: str = "") -> str:
    return (
        f"| {name} | {len(values)} | {statistics.median(values) * 1000:.0f} | {pct(values, 0.95) * 1000:.0f}"
        f" | {max(values) * 1000:.0f} | {wall:.1f} | {len(values) / wall:.2f} | {extra} |"
    )


def signature(answer: Answer) -> tuple[str, list[str], bool]:
    return answer.text, [c.chunk_id for c in answer.citations], answer.abstained


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - started


def bench_ask(assistant: Assistant, calls: int, rounds: int) -> list[str]:
    """Sequential answers first (the reference), then ``calls`` at once from as many threads."""
    assistant.ask("Hva er e-helse?")  # loads the model, BM25 and Chroma, which no later call pays for
    assistant.embeddings.forget_queries()
    reference: dict[str, tuple[str, list[str], bool]] = {}
    sequential: list[float] = []
    started = time.perf_counter()
    for question in QUESTIONS:
        answer, seconds = timed(partial(assistant.ask, question))
        reference[question] = signature(answer)
        sequential.append(seconds)
    sequential_wall = time.perf_counter() - started

    jobs = [QUESTIONS[i % len(QUESTIONS)] for i in range(calls)]
    concurrent: list[float] = []
    mismatches: list[str] = []
    wall = 0.0
    for _ in range(rounds):
        assistant.embeddings.forget_queries()
        barrier = threading.Barrier(calls)

        def one(question: str, barrier: threading.Barrier) -> tuple[str, tuple[str, list[str], bool], float]:
            barrier.wait(timeout=60)
            answer, seconds = timed(lambda: assistant.ask(question))
            return question, signature(answer), seconds

        started = time.perf_counter()
        with ThreadPoolExecutor(calls) as pool:
            results = [
                f.result(timeout=REQUEST_TIMEOUT) for f in [pool.submit(one, q, barrier) for q in jobs]
            ]
        wall += time.perf_counter() - started
        for question, got, seconds in results:
            concurrent.append(seconds)
            if got != reference[question]:
                mismatches.append(question)
    same = len(concurrent) - len(mismatches)
    lines = [
        f"## (a) `Assistant.ask`: {calls} threads at once, {rounds} rounds\n",
        "| run | calls | p50 ms | p95 ms | max ms | wall s | calls/s | same as sequential |",
        "|---|---|---|---|---|---|---|---|",
        ms_row("sequential (reference)", sequential, sequential_wall, "–"),
        ms_row(f"{calls} concurrent", concurrent, wall, f"{same}/{len(concurrent)}"),
    ]
    if mismatches:
        lines.append(f"\nDiffering answers: {sorted(set(mismatches))}")
    return lines


def message_text(message: dict[str, Any]) -> str:
    """A chatbot message's text, whether Gradio sends it as a string or as a list of parts."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return str(content)


def bench_app(assistant: Assistant, sessions: int) -> list[str]:
    """``sessions`` chat sessions at once against the app in this process; two questions each."""
    from gradio_client import Client

    from assistant.ui.background import running_app
    from assistant.ui.chat import CHAT_CONCURRENCY

    with running_app(assistant) as url:
        assistant.embeddings.forget_queries()
        barrier = threading.Barrier(sessions)

        def session(pair: tuple[str, str]) -> list[tuple[str, float, bool]]:
            client = Client(url, verbose=False, analytics_enabled=False, download_files=False)
            barrier.wait(timeout=120)
            out = []
            for turn, question in enumerate(pair, start=1):
                job = client.submit(question, [], [], [], api_name="/ask")
                started = time.perf_counter()
                _, messages, _, _ = job.result(timeout=REQUEST_TIMEOUT)
                seconds = time.perf_counter() - started
                text = message_text(messages[-1]) if messages else ""
                ok = len(messages) == 2 * turn and "[1]" in text and "Kilder (" in text
                out.append((f"turn {turn}", seconds, ok))
            client.close()
            return out

        pairs = [SESSIONS[i % len(SESSIONS)] for i in range(sessions)]
        started = time.perf_counter()
        with ThreadPoolExecutor(sessions) as pool:
            results = [
                f.result(timeout=4 * REQUEST_TIMEOUT) for f in [pool.submit(session, p) for p in pairs]
            ]
        wall = time.perf_counter() - started
    flat = [r for rs in results for r in rs]
    first = [s for name, s, _ in flat if name == "turn 1"]
    second = [s for name, s, _ in flat if name == "turn 2"]
    cited = sum(ok for _, _, ok in flat)
    failed = [pairs[i][t] for i, rs in enumerate(results) for t, (_, _, ok) in enumerate(rs) if not ok]
    lines = [
        f"## (b) Chat app: {sessions} `gradio_client` sessions at once, 2 questions each"
        f" (app answers {CHAT_CONCURRENCY} at a time; latency includes the queue)\n",
        "| requests | n | p50 ms | p95 ms | max ms | wall s | requests/s | answers with citations |",
        "|---|---|---|---|---|---|---|---|",
        ms_row(
            "first question", first, wall, f"{sum(ok for n, _, ok in flat if n == 'turn 1')}/{len(first)}"
        ),
        ms_row("follow-up", second, wall, f"{sum(ok for n, _, ok in flat if n == 'turn 2')}/{len(second)}"),
        ms_row("all", first + second, wall, f"{cited}/{len(flat)}"),
        "\n(wall s and requests/s are for the whole run, so they are the same on every row.)",
    ]
    if failed:
        lines.append(f"\nWithout citations: {failed}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--calls", type=int, default=20, help="concurrent ask calls (default 20)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of concurrent ask calls (default 2)")
    parser.add_argument("--sessions", type=int, default=10, help="concurrent chat sessions (default 10)")
    parser.add_argument(
        "--cache",
        type=Path,
        default=os.environ.get("ASSISTANT_TEST_EMBEDDING_CACHE") or None,
        help="an embeddings.sqlite to seed the new index's cache with",
    )
    args = parser.parse_args()
    if not (1 <= args.calls <= 100 and 1 <= args.sessions <= 50 and 1 <= args.rounds <= 10):
        parser.error("use 1–100 calls, 1–50 sessions and 1–10 rounds")
    with tempfile.TemporaryDirectory(prefix="load-") as tmp:
        home = Path(tmp)
        if args.cache and Path(args.cache).is_file():
            shutil.copy(args.cache, home / "embeddings.sqlite")
        assistant = Assistant.open(home=home, chroma_url=None, llm=None, embeddings="e5-small")
        report, seconds = timed(lambda: assistant.ingest([CORPUS]))
        if not report.ok:
            raise SystemExit(f"ingest failed: {[f.to_dict() for f in report.failed]}")
        print(
            f"# Load ({time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, extractive answers; bundled corpus"
            f" ingested in {seconds:.0f} s, {report.embedded_texts} texts embedded)\n"
        )
        print("\n".join(bench_ask(assistant, args.calls, args.rounds)), flush=True)
        print()
        print("\n".join(bench_app(assistant, args.sessions)), flush=True)
        assistant.embeddings.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
