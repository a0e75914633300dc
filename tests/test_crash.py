"""Crash safety: ``python -m assistant ingest`` killed with SIGKILL at several points, then run again,
ends with exactly the index of an uninterrupted run. Kill points follow the progress the CLI prints,
so each lands at a known stage (mid-embedding, between files, between embedding and Chroma writes)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import seed_home

from assistant.api import Assistant
from assistant.settings import Settings
from vectorstore.lexical import LexicalIndex, index_text

REPO = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "Hvor mange instanser sendte inn høringssvar?",
    "Hva mener IMDi om likeverdige helsetjenester?",
    "Hva er visjonen for e-helse frem mot 2030?",
]
_BAR = r"{label}:\s+\d+%\|[^|]*\|\s*(\d+)/(\d+)"


def progress(stderr: str, label: str) -> list[tuple[int, int]]:
    """Every (done, total) a tqdm bar with this label has shown so far."""
    return [(int(a), int(b)) for a, b in re.findall(_BAR.format(label=label), stderr)]


def embedded(source: str, done: int | None = None) -> Callable[[str, dict[str, int]], bool]:
    """True once the embedding bar of ``source`` (its total is its passage count) has shown ``done``
    (default: all of them). The indexer embeds 8 passages at a time."""

    def when(stderr: str, counts: dict[str, int]) -> bool:
        total = counts[source]
        return (total if done is None else done, total) in progress(stderr, "Innbygging")

    return when


def files_done(n: int) -> Callable[[str, dict[str, int]], bool]:
    return lambda stderr, _: any(d >= n for d, _ in progress(stderr, "Filer"))


@dataclass
class KillPoint:
    name: str
    when: Callable[[str, dict[str, int]], bool]  # on the stderr seen so far and the passage counts
    delay: float = 0.0
    cold_source: str | None = None  # this document's passage vectors are left out of the cache


# Files are ingested in name order: horingsoppsummering, horingssvar-imdi, horingssvar-naringsaktor,
# operasjonalisering-mal1, strategi.
KILL_POINTS = [
    # IMDi's passages are not cached, so they are embedded for real: killed after the first 8, before
    # any of its writes, with one document written before it.
    KillPoint("mid-embedding", embedded("horingssvar-imdi", 8), cold_source="horingssvar-imdi"),
    KillPoint("between-files", files_done(2)),
    # The last document's vectors are ready; its sentence vectors and Chroma writes come next.
    KillPoint("before-writes", embedded("strategi")),
    KillPoint("during-writes", embedded("horingsoppsummering"), delay=0.15),
]


@dataclass
class Baseline:
    passages: list[dict[str, object]]
    sentence_ids: list[str]
    documents: list[tuple[object, ...]]
    dense: list[list[str]]
    retrieved: list[list[str]]
    by_source: dict[str, tuple[list[str], list[str]]]


def documents_of(a: Assistant) -> list[tuple[object, ...]]:
    return [(d.source, d.sha256, d.passages, d.pages, d.title, d.kind, d.organisation) for d in a.documents()]


def dense_ids(a: Assistant) -> list[list[str]]:
    return [[cid for cid, _ in a.store.dense_ids(a.embeddings.embed_query(q), 10, None)] for q in QUESTIONS]


def sentence_ids(a: Assistant) -> list[str]:
    return sorted(a.store.sentences_collection.get(include=[])["ids"])


@pytest.fixture(scope="module")
def baseline(assistant: Assistant) -> Baseline:
    """The uninterrupted run: the session index of the same files."""
    return Baseline(
        passages=sorted(
            (p.to_dict() for p in assistant.store.all_passages()), key=lambda d: str(d["chunk_id"])
        ),
        sentence_ids=sentence_ids(assistant),
        documents=documents_of(assistant),
        dense=dense_ids(assistant),
        retrieved=[[p.chunk_id for p in assistant.retrieve(q, k=5)] for q in QUESTIONS],
        by_source=by_source(assistant),
    )


def seed_cache(session_home: Path, home: Path, cold: list[str]) -> None:
    """Copy the session's embedding cache (SQLite backup, WAL included), minus the vectors of ``cold``."""
    seed_home(session_home, home)
    dst = sqlite3.connect(home / "embeddings.sqlite")
    hashes = [hashlib.sha256(text.encode()).hexdigest() for text in cold]
    dst.executemany("DELETE FROM vectors WHERE is_query = 0 AND hash = ?", [(h,) for h in hashes])
    dst.commit()
    dst.close()


def run_and_kill(home: Path, corpus: Path, point: KillPoint, counts: dict[str, int]) -> str:
    """Start the CLI ingest, SIGKILL it at the kill point, return what it printed on stderr."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(ASSISTANT_HOME=str(home), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant", "ingest", str(corpus)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert proc.stderr is not None
    chunks: list[bytes] = []

    def pump() -> None:
        assert proc.stderr is not None
        while data := os.read(proc.stderr.fileno(), 65536):
            chunks.append(data)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    deadline = time.monotonic() + 300
    try:
        while not point.when(b"".join(chunks).decode("utf-8", "replace"), counts):
            assert proc.poll() is None, f"ingest ended before the kill point:\n{b''.join(chunks).decode()}"
            assert time.monotonic() < deadline, "kill point never reached"
            time.sleep(0.005)
        time.sleep(point.delay)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(timeout=30)
        reader.join(timeout=10)
    assert proc.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"
    return b"".join(chunks).decode("utf-8", "replace")


def by_source(a: Assistant) -> dict[str, tuple[list[str], list[str]]]:
    """source -> (passage ids, sentence ids)."""
    out: dict[str, tuple[list[str], list[str]]] = {}
    for p in a.store.all_passages():
        out.setdefault(p.source, ([], []))[0].append(p.chunk_id)
    got = a.store.sentences_collection.get(include=["metadatas"])
    for sid, meta in zip(got["ids"], got["metadatas"], strict=True):
        out.setdefault(str(meta["source"]), ([], []))[1].append(sid)
    return {k: (sorted(v[0]), sorted(v[1])) for k, v in out.items()}


def assert_records_are_complete(a: Assistant, baseline: Baseline) -> None:
    """Every recorded document has all its passages and sentences (the record is written last)."""
    have = by_source(a)
    for doc in a.documents():
        assert have[doc.source] == baseline.by_source[doc.source], doc.source
        assert len(have[doc.source][0]) == doc.passages


@pytest.mark.parametrize("point", KILL_POINTS, ids=[p.name for p in KILL_POINTS])
def test_killed_ingest_recovers_to_the_uninterrupted_index(
    point: KillPoint,
    tmp_path: Path,
    session_home: Path,
    assistant: Assistant,
    baseline: Baseline,
    corpus_dir: Path,
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    cold = [index_text(p) for p in assistant.store.all_passages() if p.source == point.cold_source]
    seed_cache(session_home, home, cold)

    counts = {source: len(ids) for source, (ids, _) in baseline.by_source.items()}
    assert counts["horingssvar-imdi"] > 8  # so the kill lands between two batches of its embedding
    stderr = run_and_kill(home, corpus, point, counts)
    assert max((d for d, _ in progress(stderr, "Filer")), default=0) < 5, "killed after the last file"

    with sqlite3.connect(home / "embeddings.sqlite") as cache:
        assert cache.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    a = Assistant.open(Settings(home=home))
    try:
        assert_records_are_complete(a, baseline)  # the state the kill left behind
        recorded = {d.source for d in a.documents()}
        assert len(recorded) < 5

        report = a.ingest([corpus])

        assert report.ok, report.failed
        assert {o.source for o in report.skipped} == recorded
        assert {o.source for o in report.added} == {d[0] for d in baseline.documents} - recorded
        passages = sorted((p.to_dict() for p in a.store.all_passages()), key=lambda d: str(d["chunk_id"]))
        assert passages == baseline.passages  # same ids, texts and metadata; no duplicates
        assert a.store.count() == len(baseline.passages)
        assert sentence_ids(a) == baseline.sentence_ids
        assert documents_of(a) == baseline.documents
        assert_records_are_complete(a, baseline)
        saved = LexicalIndex(a.tokenizer)
        assert saved.load(a.settings.bm25_path)
        assert saved.fingerprint == a.store.fingerprint() == assistant.store.fingerprint()
        assert sorted(p.chunk_id for p in saved.passages) == [d["chunk_id"] for d in baseline.passages]
        assert dense_ids(a) == baseline.dense  # the vector index itself survived the kill
        assert [[p.chunk_id for p in a.retrieve(q, k=5)] for q in QUESTIONS] == baseline.retrieved
    finally:
        a.embeddings.close()


def test_second_kill_during_recovery(
    tmp_path: Path, session_home: Path, assistant: Assistant, baseline: Baseline, corpus_dir: Path
) -> None:
    """Killed once between files, killed again while redoing the rest, then finished."""
    home = tmp_path / "home"
    home.mkdir()
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    seed_cache(session_home, home, [])
    counts = {source: len(ids) for source, (ids, _) in baseline.by_source.items()}
    run_and_kill(home, corpus, KILL_POINTS[1], counts)
    run_and_kill(home, corpus, KillPoint("again", embedded("operasjonalisering-mal1"), delay=0.05), counts)

    a = Assistant.open(Settings(home=home))
    try:
        assert_records_are_complete(a, baseline)
        assert a.ingest([corpus]).ok
        passages = sorted((p.to_dict() for p in a.store.all_passages()), key=lambda d: str(d["chunk_id"]))
        assert passages == baseline.passages
        assert sentence_ids(a) == baseline.sentence_ids
        assert documents_of(a) == baseline.documents
        assert a.lexical().fingerprint == assistant.store.fingerprint()
    finally:
        a.embeddings.close()
