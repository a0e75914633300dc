"""How long «Vis i dokumentet» takes: opening a source page in the viewer, the first time and cached.

Run: `python benchmarks/pages.py [--questions 20] [--repeat 3]`. Ingests the bundled corpus into a
temporary home (set ASSISTANT_TEST_EMBEDDING_CACHE to an embeddings.sqlite to skip most embedding), asks
the benchmark questions, and opens every source card of their answers the way the chat does
(`assistant.ui.viewer.show`: find the quote's page, render it, mark the quote, build the viewer's HTML
and the download copy). Three states:

- first open: nothing cached, neither on disk nor in the process (a page never shown before);
- image cached, new process: the rendered page is on disk, the process has read nothing yet;
- cached: the same page again in the same process.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import QUESTIONS, pct

from assistant import pages
from assistant.api import Assistant
from assistant.settings import Settings
from assistant.ui.sources import source_cards, turn_record
from assistant.ui.viewer import show, viewer_html

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"


def forget_in_process() -> None:
    """Drop what the process remembers of documents (text layers, quote places, page counts)."""
    for cached in (pages._quote_range, pages._page_text, pages._page_count, pages._text_pages):
        cached.cache_clear()


def cards(assistant: Assistant, questions: list[str]) -> list[list[dict[str, Any]]]:
    """Every source card of the answers, as the chat keeps them (citation dicts with passage text)."""
    out = []
    for question in questions:
        answer = assistant.ask(question)
        record = turn_record(question, answer, None, "")
        by_n = {c["n"]: c for c in record["citations"]}
        out += [[by_n[c.n] for c in card] for card in source_cards(answer.citations)]
    return out


def timed(fn: Any) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def row(name: str, values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return f"| {name} | {statistics.median(ms):.0f} | {pct(ms, 0.95):.0f} | {max(ms):.0f} | {len(ms)} |"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=len(QUESTIONS))
    parser.add_argument("--repeat", type=int, default=3, help="cached opens per card")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        seed = os.environ.get("ASSISTANT_TEST_EMBEDDING_CACHE")
        if seed and Path(seed).is_file():
            shutil.copy(seed, Path(home) / "embeddings.sqlite")
        assistant = Assistant.open(Settings(home=Path(home)))
        assert assistant.ingest([CORPUS]).ok
        found = cards(assistant, QUESTIONS[: args.questions])
        first: list[float] = []
        new_process: list[float] = []
        cached: list[float] = []
        sizes: list[float] = []
        per_doc: Counter[str] = Counter()
        for cites in found:
            shutil.rmtree(assistant.settings.pages_path, ignore_errors=True)
            forget_in_process()
            first.append(timed(lambda cites=cites: show(assistant, cites, None)))
            forget_in_process()
            new_process.append(timed(lambda cites=cites: show(assistant, cites, None)))
            for _ in range(args.repeat):
                cached.append(timed(lambda cites=cites: show(assistant, cites, None)))
            view = assistant.page_view(cites[0]["source"], [c["quote"] for c in cites], near=cites[0]["page"])
            sizes.append(len(viewer_html(view, cites).encode("utf-8")) / 1024)
            per_doc[cites[0]["source"]] += 1
    print(f"## Opening a source page («Vis i dokumentet»), {len(found)} source cards\n")
    print("| state | p50 ms | p95 ms | max ms | n |")
    print("|---|---|---|---|---|")
    print(row("first open (nothing cached)", first))
    print(row("image cached, new process", new_process))
    print(row("cached", cached))
    print(
        f"\nfirst / cached p50 = {statistics.median(first) / statistics.median(cached):.0f}×; viewer HTML "
        f"(page image inline) p50 {statistics.median(sizes):.0f} KB, max {max(sizes):.0f} KB."
    )
    print("Cards per document: " + ", ".join(f"{doc} {n}" for doc, n in sorted(per_doc.items())) + ".")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
