"""How the quality gate's default share was chosen: the real local model's answers on the eval dev split.

Run with a llama.cpp (or any OpenAI-compatible) server: `python benchmarks/llm_gate.py --base-url
http://127.0.0.1:8765/v1 [--limit N]`. For each answerable dev question it streams the model's answer within
the bounds (as the assistant does), checks every sentence, and prints one row: how the stream ended, the
sentences, the unsupported ones, the cited ones, and what the gate decides at the default share.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.answer.llm import (
    Verifier,
    make_chat_model,
    quality_gate,
    stream_llm,
)
from assistant.answer.llm_stream import BoundedStream, LLMStopped
from assistant.api import Assistant
from assistant.errors import BackendError
from assistant.settings import Settings
from evals.dataset import load_questions


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", default="http://127.0.0.1:8765/v1")
    parser.add_argument("--model", default="gemma")
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--max-tokens", type=int, default=200)
    parser.add_argument("--passages", type=int, default=3, help="passages in the prompt (reader_fused_k)")
    parser.add_argument("--home", type=Path, default=None)
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp())
    settings = Settings(
        home=home,
        llm=f"openai:{args.model}",
        llm_base_url=args.base_url,
        llm_timeout=120,
        llm_max_tokens=args.max_tokens,
        reader_fused_k=args.passages,
    )
    assistant = Assistant.open(settings)
    if not assistant.documents():
        assistant.ingest([settings.corpus_dir])
    verifier = Verifier(
        stems=assistant._stems,
        sentence_vectors=assistant._sentence_vectors,
        query_vectors=lambda texts: assistant.embeddings.embed_batch(texts, query=True),
    )
    model = make_chat_model(settings)
    items = [q for q in load_questions("dev") if not q.abstain and not q.history][: args.limit]
    print("| question | ended | sentences | unsupported | cited | share | gate at 0.5 |")
    print("|---|---|---|---|---|---|---|")
    for item in items:
        reader = assistant.reader()
        reading = reader.read(reader.analyse(item.question), None)
        passages = reading.passages[: settings.reader_fused_k]
        stream = BoundedStream(
            lambda passages=passages, q=item.question: stream_llm(model, q, passages),  # type: ignore[misc]
            deadline_s=settings.llm_timeout,
            max_tokens=settings.llm_max_tokens,
        )
        ended = "end"
        try:
            for _ in stream:
                pass
            ended = "max_tokens" if stream.stats.truncated else "end"
        except LLMStopped as exc:
            ended = exc.reason
        except BackendError as exc:
            ended = f"error {exc}"
        checked = verifier.check(stream.text, passages)
        gate = quality_gate(checked, 0.5) or "shown"
        if ended in ("loop", "deadline"):
            gate = "fallback (" + ended + ")"
        print(
            f"| {item.id} | {ended} | {checked.sentences} | {checked.unsupported} | {checked.cited} "
            f"| {checked.unsupported_share:.2f} | {gate} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
