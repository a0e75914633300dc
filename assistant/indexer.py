"""Incremental, crash-safe ingest: files → parsed documents → Chroma (truth) → BM25 (derived).

Order for each file: embed, upsert the new passages, delete the file's stale passages, and only then
write the document record. A run killed at any point leaves either the old record (so the next run
redoes the file) or a complete new one; deleting by source makes every redo idempotent.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from assistant.errors import DocumentError
from assistant.settings import Settings
from assistant.types import DocumentInfo, FileOutcome, IngestReport
from ingest.documents import ParsedDocument, parse_document
from ingest.loaders import SUPPORTED_SUFFIXES, source_id
from ingest.manifest import ManifestEntry, read_manifest
from ingest.profile import CorpusProfile
from ingest.sentences import passage_sentences
from vectorstore.embeddings import CachedEmbeddings
from vectorstore.lexical import index_text
from vectorstore.store import PassageStore

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class FileJob:
    path: Path
    entry: ManifestEntry | None


def collect_files(
    paths: list[Path], kinds: list[str] | None = None
) -> tuple[list[FileJob], list[FileOutcome]]:
    """Expand folders (recursively) into files, pairing each with its folder's manifest entry (whose kind
    must be one of ``kinds``; None: the standard ones)."""
    jobs: list[FileJob] = []
    problems: list[FileOutcome] = []
    manifests: dict[Path, dict[str, ManifestEntry]] = {}

    def entry_for(path: Path) -> ManifestEntry | None:
        folder = path.parent
        if folder not in manifests:
            try:
                manifests[folder] = read_manifest(folder, kinds)
            except DocumentError as exc:
                problems.append(FileOutcome(str(exc.path), "", "failed", reason=str(exc)))
                manifests[folder] = {}
        return manifests[folder].get(path.name)

    for root in paths:
        if root.is_dir():
            files = sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith("."))
            files = [p for p in files if p.suffix.lower() in SUPPORTED_SUFFIXES]
        elif root.exists():
            files = [root]
        else:
            reason = f"{root}: no such file or folder. Check the path."
            problems.append(FileOutcome(str(root), source_id(root), "failed", reason=reason))
            continue
        for path in files:
            jobs.append(FileJob(path=path, entry=entry_for(path)))
    return jobs, problems


@contextlib.contextmanager
def ingest_lock(home: Path) -> Iterator[None]:
    """One ingest at a time per ASSISTANT_HOME, across processes."""
    home.mkdir(parents=True, exist_ok=True)
    with open(home / "ingest.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


PIPELINE_VERSION = 9  # bump when parsing or chunking changes, so every file is read again


def _sha256_of(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _entry_agrees(entry: ManifestEntry | None, info: DocumentInfo) -> bool:
    """Does the stored document already carry what the manifest says (kind, title, organisation)? A
    kind or organisation given to an unchanged file (in the app's upload form) must still reach it."""
    if entry is None:
        return True
    return all(
        not getattr(entry, name) or getattr(entry, name) == getattr(info, name)
        for name in ("kind", "title", "organisation")
    )


class Indexer:
    def __init__(
        self,
        settings: Settings,
        store: PassageStore,
        embeddings: CachedEmbeddings,
        profile: Callable[[], CorpusProfile] = CorpusProfile,
    ) -> None:
        self.settings = settings
        self.profile = profile  # the corpus profile, read when a run needs it
        self.store = store
        self.embeddings = embeddings
        s = settings
        # What decides a document's passages besides its bytes; a change re-reads every file.
        self.pipeline = f"v{PIPELINE_VERSION};{s.embeddings};{s.chunk_target_words};{s.chunk_max_words};{s.mask_personal_data}"

    def parse(self, job: FileJob) -> ParsedDocument:
        s = self.settings
        return parse_document(
            job.path,
            job.entry,
            target_words=s.chunk_target_words,
            max_words=s.chunk_max_words,
            mask_personal=s.mask_personal_data,
            max_pages=s.max_pdf_pages,
            max_mb=s.max_file_mb,
            profile=self.profile(),
        )

    def run(
        self, paths: list[Path], *, prune: bool = False, progress: Progress | None = None
    ) -> IngestReport:
        started = time.perf_counter()
        embedded_before = self.embeddings.embedded_texts
        seconds_before = self.embeddings.embedding_seconds
        report = IngestReport()
        with ingest_lock(self.settings.home):
            jobs, problems = collect_files(paths, list(self.profile().known_kinds()))
            for outcome in problems:
                report.record(outcome)
            stored = {d.info.source: d for d in self.store.documents()}
            seen: dict[str, str] = {}
            for done, job in enumerate(jobs):
                if progress:
                    progress("files", done, len(jobs))
                report.record(self._ingest_one(job, stored, seen, progress))
            if progress:
                progress("files", len(jobs), len(jobs))
            if prune:
                for outcome in self._prune(stored, seen):
                    report.record(outcome)
        report.embedded_texts = self.embeddings.embedded_texts - embedded_before
        report.embedding_seconds = self.embeddings.embedding_seconds - seconds_before
        report.total_seconds = time.perf_counter() - started
        return report

    def _ingest_one(
        self, job: FileJob, stored: dict, seen: dict[str, str], progress: Progress | None
    ) -> FileOutcome:
        source = source_id(job.path)
        name = str(job.path)
        if source in seen:
            return FileOutcome(
                name,
                source,
                "failed",
                reason=f"{name}: another file with the same name ({seen[source]}) is already in this ingest. "
                "Rename one of them; document ids are file names.",
            )
        seen[source] = name
        previous = stored.get(source)
        if (
            previous
            and previous.pipeline == self.pipeline
            and previous.info.sha256 == _sha256_of(job.path)
            and _entry_agrees(job.entry, previous.info)
        ):
            # Unchanged bytes read by an unchanged pipeline with unchanged metadata: nothing to do.
            return FileOutcome(name, source, "skipped", passages=previous.info.passages)
        try:
            doc = self.parse(job)
        except DocumentError as exc:
            return FileOutcome(name, source, "failed", reason=str(exc))
        except Exception as exc:  # a parser bug on one odd file must not stop the other files
            reason = (
                f"{name}: the file could not be read ({type(exc).__name__}: {str(exc)[:200]}). "
                "Convert it to PDF, .txt or .md again; if it still fails, report it as a bug."
            )
            return FileOutcome(name, source, "failed", reason=reason)
        self._write(doc, progress)
        status = "updated" if previous else "added"
        return FileOutcome(name, source, status, passages=len(doc.passages))

    def _write(self, doc: ParsedDocument, progress: Progress | None) -> None:
        texts = [index_text(p) for p in doc.passages]
        vectors: list[list[float]] = []
        step = 8
        for start in range(0, len(texts), step):
            vectors.extend(self.embeddings.embed_documents(texts[start : start + step]))
            if progress:
                progress("embeddings", min(start + step, len(texts)), len(texts))
        # Warm the cache with each sentence, so answering never embeds document text at question time.
        rows = [
            (f"{p.chunk_id}:{i}", sentence, p)
            for p in doc.passages
            for i, sentence in enumerate(passage_sentences(p.text))
        ]
        sentence_vectors: list[list[float]] = []
        for start in range(0, len(rows), 64):
            batch = [r[1] for r in rows[start : start + 64]]
            sentence_vectors.extend(self.embeddings.embed_batch(batch, query=False).tolist())
        old_ids = set(self.store.ids_for_source(doc.meta.source))
        old_sentence_ids = set(self.store.sentence_ids_for_source(doc.meta.source))
        self.store.upsert(doc.passages, vectors)
        self.store.upsert_sentences(rows, sentence_vectors)
        self.store.delete_ids(sorted(old_ids - {p.chunk_id for p in doc.passages}))
        self.store.delete_sentence_ids(sorted(old_sentence_ids - {r[0] for r in rows}))
        info = DocumentInfo(
            source=doc.meta.source,
            title=doc.meta.title,
            kind=doc.meta.kind,
            organisation=doc.meta.organisation,
            pages=doc.pages,
            passages=len(doc.passages),
            sha256=doc.sha256,
            ingested_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        self.store.put_document(info, str(doc.path), doc.records, self.pipeline)

    def _prune(self, stored: dict, seen: dict[str, str]) -> list[FileOutcome]:
        outcomes = []
        for source, doc in stored.items():
            if source in seen or (doc.path and Path(doc.path).exists()):
                continue
            self.remove(source)
            outcomes.append(FileOutcome(doc.path, source, "removed", passages=doc.info.passages))
        # Passages whose document record never got written (a run killed mid-way, file since deleted).
        registered = set(stored) | set(seen)
        orphans: dict[str, list[str]] = {}
        for p in self.store.all_passages():
            if p.source not in registered:
                orphans.setdefault(p.source, []).append(p.chunk_id)
        for source, ids in orphans.items():
            self.store.delete_ids(ids)
            self.store.delete_sentence_ids(self.store.sentence_ids_for_source(source))
            outcomes.append(FileOutcome("", source, "removed", passages=len(ids)))
        return outcomes

    def remove(self, source: str) -> int:
        """Remove a document and all its passages; returns how many passages went."""
        ids = self.store.ids_for_source(source)
        self.store.delete_ids(ids)
        self.store.delete_sentence_ids(self.store.sentence_ids_for_source(source))
        self.store.delete_document(source)
        return len(ids)
