"""The Chroma side: passages with their vectors (the one source of truth) and a small document registry.

Embedded ``PersistentClient`` by default; ``HttpClient`` when a Chroma server URL is set, which is
what several processes must share. Chroma's own embedding function is never used: vectors are
always passed in, so nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from core.errors import BackendError, ConfigError
from core.types import DocumentInfo, Passage

DOCUMENTS_SUFFIX = "_documents"
SENTENCES_SUFFIX = "_sentences"
_BATCH = 1000


def passage_from_record(chunk_id: str, text: str, meta: dict[str, Any]) -> Passage:
    return Passage(
        chunk_id=chunk_id,
        source=str(meta.get("source", "")),
        title=str(meta.get("title", "")),
        kind=str(meta.get("kind", "")),
        organisation=str(meta.get("organisation", "")),
        section=str(meta.get("section", "")),
        page=int(meta.get("page", 0)),
        page_end=int(meta.get("page_end", meta.get("page", 0))),
        text=text,
    )


def chroma_where(filters: dict[str, Any] | None) -> dict[str, Any] | None:
    """{"kind": "notat", "source": ["a", "b"]} → a Chroma ``where`` clause."""
    if not filters:
        return None
    clauses: list[dict[str, Any]] = []
    for key, value in filters.items():
        if value in (None, "", [], ()):
            continue
        values = [value] if isinstance(value, str) else list(value)
        clauses.append({key: {"$in": values}} if len(values) > 1 else {key: values[0]})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


@dataclass
class StoredDocument:
    info: DocumentInfo
    path: str
    records: dict[str, Any]
    pipeline: str = ""


class PassageStore:
    """Passages and documents in Chroma. Cheap to construct; connects on first use."""

    def __init__(self, *, path: Path, url: str | None, collection: str, embeddings: Any) -> None:
        self.path = path
        self.url = url
        self.collection_name = collection
        self.embeddings = embeddings
        self._client: Any = None
        self._vs: Any = None
        self._docs: Any = None
        self._sentences: Any = None
        self._lock = threading.Lock()

    # -- connection -------------------------------------------------------------------------
    def _connect(self) -> None:
        if self._vs is not None:
            return
        with self._lock:
            if self._vs is not None:
                return
            import chromadb
            from chromadb.config import Settings as ChromaSettings
            from langchain_chroma import Chroma

            settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
            try:
                if self.url:
                    parsed = urlparse(self.url)
                    if parsed.scheme not in ("http", "https") or not parsed.hostname:
                        raise ConfigError(
                            f"ASSISTANT_CHROMA_URL must look like http://host:port, not {self.url!r}"
                        )
                    self._client = chromadb.HttpClient(
                        host=parsed.hostname,
                        port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                        ssl=parsed.scheme == "https",
                        settings=settings,
                    )
                    self._client.heartbeat()
                else:
                    self.path.mkdir(parents=True, exist_ok=True)
                    self._client = chromadb.PersistentClient(path=str(self.path), settings=settings)
                self._vs = Chroma(
                    collection_name=self.collection_name,
                    embedding_function=self.embeddings,
                    client=self._client,
                    collection_configuration={"hnsw": {"space": "cosine"}},
                )
                self._docs = self._client.get_or_create_collection(
                    self.collection_name + DOCUMENTS_SUFFIX, embedding_function=None
                )
                # One vector per sentence: a passage is found by its best sentence as well as by its whole.
                self._sentences = self._client.get_or_create_collection(
                    self.collection_name + SENTENCES_SUFFIX,
                    embedding_function=None,
                    configuration={"hnsw": {"space": "cosine"}},
                )
            except ConfigError:
                raise
            except Exception as exc:
                where = self.url or str(self.path)
                raise BackendError(f"cannot open the Chroma index at {where}: {exc}") from exc

    @property
    def collection(self) -> Any:
        self._connect()
        return self._vs._collection

    @property
    def vectorstore(self) -> Any:
        self._connect()
        return self._vs

    @property
    def sentences_collection(self) -> Any:
        self._connect()
        return self._sentences

    def upsert_sentences(self, rows: list[tuple[str, str, Passage]], vectors: list[list[float]]) -> None:
        """rows: (sentence id, sentence text, its passage)."""
        for start in range(0, len(rows), _BATCH):
            part = rows[start : start + _BATCH]
            self.sentences_collection.upsert(
                ids=[r[0] for r in part],
                embeddings=vectors[start : start + _BATCH],
                documents=[r[1] for r in part],
                metadatas=[
                    {
                        "chunk_id": p.chunk_id,
                        "source": p.source,
                        "kind": p.kind,
                        "organisation": p.organisation,
                    }
                    for _, _, p in part
                ],
            )

    def sentence_ids_for_source(self, source: str) -> list[str]:
        return list(self.sentences_collection.get(where={"source": source}, include=[])["ids"])

    def delete_sentence_ids(self, ids: list[str]) -> None:
        for start in range(0, len(ids), _BATCH):
            self.sentences_collection.delete(ids=ids[start : start + _BATCH])

    def sentence_search(
        self, vector: list[float], k: int, filters: dict[str, Any] | None
    ) -> list[tuple[str, float]]:
        """(chunk_id, best sentence similarity) for the passages whose sentences are nearest."""
        n = min(k, self.sentences_collection.count())
        if n <= 0:
            return []
        res = self.sentences_collection.query(
            query_embeddings=[vector],
            n_results=n,
            where=chroma_where(filters),
            include=["metadatas", "distances"],
        )
        best: dict[str, float] = {}
        for meta, dist in zip(res["metadatas"][0], res["distances"][0], strict=True):
            cid = str((meta or {}).get("chunk_id", ""))
            if cid and cid not in best:
                best[cid] = 1.0 - float(dist)
        return list(best.items())

    @property
    def documents_collection(self) -> Any:
        self._connect()
        return self._docs

    # -- passages ---------------------------------------------------------------------------
    def upsert(self, passages: list[Passage], vectors: list[list[float]]) -> None:
        for start in range(0, len(passages), _BATCH):
            part = passages[start : start + _BATCH]
            self.collection.upsert(
                ids=[p.chunk_id for p in part],
                embeddings=vectors[start : start + _BATCH],
                documents=[p.text for p in part],
                metadatas=[p.metadata() for p in part],
            )

    def ids_for_source(self, source: str) -> list[str]:
        got = self.collection.get(where={"source": source}, include=[])
        return list(got["ids"])

    def delete_ids(self, ids: list[str]) -> None:
        for start in range(0, len(ids), _BATCH):
            self.collection.delete(ids=ids[start : start + _BATCH])

    def all_passages(self) -> list[Passage]:
        out: list[Passage] = []
        total = self.collection.count()
        for offset in range(0, total, _BATCH * 5):
            got = self.collection.get(include=["documents", "metadatas"], limit=_BATCH * 5, offset=offset)
            for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
                out.append(passage_from_record(cid, text or "", meta or {}))
        return out

    def get_passages(self, ids: list[str]) -> list[Passage]:
        if not ids:
            return []
        got = self.collection.get(ids=ids, include=["documents", "metadatas"])
        by_id = {
            cid: passage_from_record(cid, text or "", meta or {})
            for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        }
        return [by_id[i] for i in ids if i in by_id]

    def fingerprint(self) -> str:
        """Changes whenever the set of passages changes; the BM25 side compares against it."""
        ids = sorted(self.all_ids())
        return hashlib.sha256("\n".join(ids).encode()).hexdigest()

    def all_ids(self) -> list[str]:
        ids: list[str] = []
        total = self.collection.count()
        for offset in range(0, total, _BATCH * 10):
            ids.extend(self.collection.get(include=[], limit=_BATCH * 10, offset=offset)["ids"])
        return ids

    def count(self) -> int:
        return int(self.collection.count())

    def dense_ids(
        self, vector: list[float], k: int, filters: dict[str, Any] | None
    ) -> list[tuple[str, float]]:
        """Nearest passage ids with cosine similarity, without their text (for callers that hold it)."""
        if k <= 0:
            return []
        res = self.collection.query(
            query_embeddings=[vector], n_results=k, where=chroma_where(filters), include=["distances"]
        )
        return [(cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], res["distances"][0], strict=True)]

    # -- documents --------------------------------------------------------------------------
    def put_document(self, info: DocumentInfo, path: str, records: dict[str, Any], pipeline: str) -> None:
        """Written last during ingest: a document is 'done' only once its passages are all stored."""
        meta = {**info.to_dict(), "path": path, "pipeline": pipeline}
        self.documents_collection.upsert(
            ids=[info.source],
            embeddings=[[1.0]],
            documents=[json.dumps(records, ensure_ascii=False)],
            metadatas=[meta],
        )

    def delete_document(self, source: str) -> None:
        self.documents_collection.delete(ids=[source])

    def documents(self) -> list[StoredDocument]:
        got = self.documents_collection.get(include=["documents", "metadatas"])
        out: list[StoredDocument] = []
        for doc, meta in zip(got["documents"], got["metadatas"], strict=True):
            meta = dict(meta or {})
            path = str(meta.pop("path", ""))
            pipeline = str(meta.pop("pipeline", ""))
            fields = DocumentInfo.__dataclass_fields__
            info = DocumentInfo(**{k: meta.get(k, "" if fields[k].type == "str" else 0) for k in fields})
            try:
                records = json.loads(doc or "{}")
            except json.JSONDecodeError:
                records = {}
            out.append(StoredDocument(info=info, path=path, records=records, pipeline=pipeline))
        return sorted(out, key=lambda d: d.info.source)
