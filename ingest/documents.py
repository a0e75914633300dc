"""One file → one parsed document: metadata, passages and structured records, ready for the index."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import DocumentError
from core.types import Passage
from ingest.chunking import DocumentMeta, make_passages
from ingest.loaders import LoadedFile, load_file
from ingest.manifest import ManifestEntry, guess_kind
from ingest.privacy import mask_personal_data
from ingest.profile import CorpusProfile
from ingest.sections import split_sections


@dataclass
class ParsedDocument:
    meta: DocumentMeta
    path: Path
    sha256: str
    pages: int
    passages: list[Passage]
    # Structure read from the document (result goals, hearing-form answers), stored with the document.
    records: dict[str, Any] = field(default_factory=dict)


def parse_document(
    path: Path,
    entry: ManifestEntry | None,
    *,
    target_words: int = 200,
    max_words: int = 300,
    mask_personal: bool = True,
    max_pages: int = 2000,
    max_mb: float = 50.0,
    profile: CorpusProfile | None = None,
) -> ParsedDocument:
    loaded = load_file(path, max_pages=max_pages, max_mb=max_mb)
    return parse_loaded(
        loaded,
        entry,
        target_words=target_words,
        max_words=max_words,
        mask_personal=mask_personal,
        profile=profile,
    )


def parse_loaded(
    loaded: LoadedFile,
    entry: ManifestEntry | None,
    *,
    target_words: int = 200,
    max_words: int = 300,
    mask_personal: bool = True,
    profile: CorpusProfile | None = None,
) -> ParsedDocument:
    """``profile``: the corpus profile (None: the standard kinds and vocabulary)."""
    from ingest.structure import read_structure  # the structure readers are optional per kind

    profile = profile or CorpusProfile()
    full_text = "\n".join(p.text for p in loaded.pages)
    sections = split_sections(loaded.pages, profile)
    kind = (entry.kind if entry and entry.kind else None) or guess_kind(full_text, profile)
    title = (entry.title if entry and entry.title else None) or _first_heading(sections, loaded.source)
    organisation = (entry.organisation if entry and entry.organisation else "") or ""
    meta = DocumentMeta(source=loaded.source, title=title, kind=kind, organisation=organisation)
    passages = make_passages(sections, meta, target_words=target_words, max_words=max_words)
    records, extra = read_structure(meta, loaded.pages, entry, profile)
    passages.extend(extra)
    if not passages:
        raise DocumentError(
            str(loaded.path),
            "no readable text is left once control characters and blank lines are removed",
            "Check that the right file was chosen and that it is saved as text.",
        )
    if mask_personal and kind in profile.kinds_of("hearing_response"):
        for p in passages:
            p.text = mask_personal_data(p.text)
    return ParsedDocument(
        meta=meta,
        path=loaded.path,
        sha256=loaded.sha256,
        pages=len(loaded.pages),
        passages=passages,
        records=records,
    )


def _first_heading(sections: list[Any], fallback: str) -> str:
    for section in sections:
        if section.path:
            return str(section.path[0])[:200]
    for section in sections:
        if section.blocks:
            return " ".join(section.blocks[0].text.split()[:12])[:200]
    return fallback
