"""The foreign-corpus group: NorQuAD's validation articles in a fresh index, every validation question asked.

What is measured, per question (all answerable):
- retrieval hit@5: a top-5 passage from the question's article contains the gold answer; for the fused
  retrieval, the reader's own passage order, BM25 alone and dense alone;
- answer containment: the answer text contains the gold answer (case and whitespace folded);
- refusals: the answer abstained.
Peers measured in the same run: BM25 alone, dense alone, and a plain extractive peer that quotes the 3
sentences of the BM25 top 5 nearest the question by e5.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.answer.norquad import QA, contains_answer
from assistant.api import Assistant
from assistant.types import Passage
from ingest.sentences import passage_sentences

K = 5
PEER_SENTENCES = 3


@dataclass(frozen=True)
class ForeignThreshold:
    name: str
    metric: str
    op: str  # ">=" | "<="
    value: float | str  # a number, or the name of a figure it must reach ("best_peer_hit@5")


FOREIGN_THRESHOLDS = (
    ForeignThreshold("foreign answer containment", "containment", ">=", 0.85),
    ForeignThreshold("foreign containment vs plain extractive peer", "containment_ratio", ">=", 1.15),
    ForeignThreshold("foreign refusals", "refusals", "<=", 0.03),
    ForeignThreshold("foreign hit@5 vs best peer", "reader_hit@5", ">=", "best_peer_hit@5"),
)


def _hit(passages: Sequence[Passage], qa: QA) -> float:
    return float(any(p.source == qa.article and contains_answer(p.text, qa.answer) for p in passages[:K]))


def plain_peer(assistant: Assistant, question: str) -> str:
    """The 3 sentences of the BM25 top 5 nearest the question by e5, in that order."""
    passages = [p for p, _ in assistant.retriever.lexical(question, K, None)]
    sentences = [s for p in passages for s in passage_sentences(p.text)]
    if not sentences:
        return ""
    qvec = np.asarray(assistant.embeddings.embed_batch([question], query=True))[0]
    svec = np.asarray(assistant.embeddings.embed_batch(sentences, query=False))
    order = np.argsort(-(svec @ qvec))[:PEER_SENTENCES]
    return " ".join(sentences[int(i)] for i in order)


def ask_one(assistant: Assistant, qa: QA) -> dict[str, Any]:
    started = time.perf_counter()
    answer = assistant.ask(qa.question)
    seconds = time.perf_counter() - started
    fused = assistant.retrieve(qa.question, k=K)
    reader_order = _reader_order(answer.passages or [], fused)
    bm25 = [p for p, _ in assistant.retriever.lexical(qa.question, K, None)]
    dense = [p for p, _ in assistant.retriever.dense(qa.question, K, None)]
    peer = plain_peer(assistant, qa.question)
    return {
        "id": qa.id,
        "question": qa.question,
        "article": qa.article,
        "gold": qa.answer,
        "answer": answer.text,
        "abstained": answer.abstained,
        "seconds": round(seconds, 3),
        "containment": float(not answer.abstained and contains_answer(answer.text, qa.answer)),
        "refusal": float(answer.abstained),
        "hit@5": _hit(fused, qa),
        "reader_hit@5": _hit(reader_order, qa),
        "bm25_hit@5": _hit(bm25, qa),
        "dense_hit@5": _hit(dense, qa),
        "peer_answer": peer,
        "peer_containment": float(contains_answer(peer, qa.answer)),
        "explain": answer.explain.render() if getattr(answer, "explain", None) is not None else "",
    }


def _reader_order(reader: list[Passage], fused: list[Passage]) -> list[Passage]:
    seen: set[str] = set()
    out: list[Passage] = []
    for p in [*reader, *fused]:
        if p.chunk_id not in seen:
            seen.add(p.chunk_id)
            out.append(p)
    return out[:K]


def summarise(rows: list[dict[str, Any]], seconds: float, ingest_seconds: float) -> dict[str, Any]:
    n = max(len(rows), 1)

    def mean(key: str) -> float:
        return round(sum(r[key] for r in rows) / n, 4)

    figures = {
        "questions": len(rows),
        "containment": mean("containment"),
        "refusals": mean("refusal"),
        "hit@5": mean("hit@5"),
        "reader_hit@5": mean("reader_hit@5"),
        "peer_containment": mean("peer_containment"),
        "bm25_hit@5": mean("bm25_hit@5"),
        "dense_hit@5": mean("dense_hit@5"),
    }
    figures["best_peer_hit@5"] = max(figures["bm25_hit@5"], figures["dense_hit@5"])
    peer = figures["peer_containment"]
    figures["containment_ratio"] = round(figures["containment"] / peer, 3) if peer else 0.0
    thresholds = []
    for t in FOREIGN_THRESHOLDS:
        observed = float(figures[t.metric])
        required = float(figures[t.value]) if isinstance(t.value, str) else t.value
        passed = observed >= required - 1e-9 if t.op == ">=" else observed <= required + 1e-9
        thresholds.append(
            {"name": t.name, "observed": observed, "op": t.op, "value": required, "passed": passed}
        )
    return {
        "figures": figures,
        "thresholds": thresholds,
        "seconds": round(seconds, 1),
        "ingest_seconds": round(ingest_seconds, 1),
        "mean_answer_seconds": round(sum(r["seconds"] for r in rows) / n, 3),
        "failing": [r["id"] for r in rows if not r["containment"]],
        "results": rows,
    }


def summary_lines(foreign: dict[str, Any]) -> list[str]:
    f = foreign["figures"]
    lines = [
        f"Foreign group (NorQuAD validation): {f['questions']} questions over {foreign['articles']} articles, "
        f"ingest {foreign['ingest_seconds']:.0f} s, questions {foreign['seconds']:.0f} s",
        "| system | retrieval hit@5 | answer containment | refusals |",
        "|---|---:|---:|---:|",
        f"| this reader (its passage order) | {f['reader_hit@5']:.3f} | {f['containment']:.3f} | "
        f"{f['refusals']:.3f} |",
        f"| hybrid retrieval (fused order) | {f['hit@5']:.3f} | – | – |",
        f"| BM25 alone | {f['bm25_hit@5']:.3f} | – | – |",
        f"| dense e5 alone | {f['dense_hit@5']:.3f} | – | – |",
        f"| plain extractive peer (3 sentences of BM25 top 5 nearest by e5) | {f['bm25_hit@5']:.3f} | "
        f"{f['peer_containment']:.3f} | 0.000 |",
        "",
        "| requirement | observed | threshold | result |",
        "|---|---:|---:|---|",
    ]
    for t in foreign["thresholds"]:
        op = "≥" if t["op"] == ">=" else "≤"
        verdict = "PASS" if t["passed"] else "FAIL"
        lines.append(f"| {t['name']} | {t['observed']:.3f} | {op} {t['value']:.3f} | {verdict} |")
    return lines
