"""The narrow things the services (structured answers, strategy goals, coverage, topic traces, the answer
pipeline) need from the assembled assistant, as Protocols.

``Assistant`` (assistant/api.py) satisfies them and passes itself; a service names only the Protocol, so
no service imports the façade, and a test may pass a small double instead.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np

from core.types import Passage
from ingest.profile import CorpusProfile
from vectorstore.store import StoredDocument


class RecordStore(Protocol):
    """The read side of the passage store: document records and passages."""

    def documents(self) -> list[StoredDocument]: ...

    def ids_for_source(self, source: str) -> list[str]: ...

    def get_passages(self, ids: list[str]) -> list[Passage]: ...

    def all_passages(self) -> list[Passage]: ...


class Embedder(Protocol):
    """e5 vectors (cached), as numpy rows; ``query`` picks the question or the passage form."""

    def embed_batch(self, texts: list[str], *, query: bool) -> np.ndarray: ...


class Retriever(Protocol):
    """The hybrid search: the fused top k passages for a query."""

    def search(
        self, query: str, k: int | None = None, filters: dict[str, Any] | None = None
    ) -> list[Passage]: ...


class Corpus(Protocol):
    """The indexed documents as the services read them: records, stems, IDF and vectors."""

    @property
    def store(self) -> RecordStore: ...

    @property
    def embeddings(self) -> Embedder: ...

    def stems(self, text: str) -> list[str]:
        """The text's stems, as the BM25 side stems it."""
        ...

    def idf(self, stem: str) -> float:
        """How rare a stem is in the index (BM25's IDF)."""
        ...


class ProfiledCorpus(Corpus, Protocol):
    """A corpus with its profile (document kinds and their roles)."""

    @property
    def profile(self) -> CorpusProfile: ...


class SearchableCorpus(Corpus, Protocol):
    """A corpus with its hybrid retriever."""

    @property
    def retriever(self) -> Retriever: ...


class ProfiledSearchableCorpus(SearchableCorpus, ProfiledCorpus, Protocol):
    """A corpus with its retriever and its profile (the topic trace searches each role's kinds)."""
