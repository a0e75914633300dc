"""Result types of the public API. Each has ``to_dict()`` with exactly its documented field names."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any


def _public_dict(obj: Any) -> dict[str, Any]:
    """Dataclass fields marked ``public`` (the default), converted recursively."""
    out: dict[str, Any] = {}
    for f in fields(obj):
        if not f.metadata.get("public", True):
            continue
        value = getattr(obj, f.name)
        if hasattr(value, "to_dict"):
            value = value.to_dict()
        elif isinstance(value, list):
            value = [v.to_dict() if hasattr(v, "to_dict") else v for v in value]
        out[f.name] = value
    return out


def _private(default: Any = None) -> Any:
    return field(default=default, metadata={"public": False}, compare=False, repr=False)


@dataclass
class Passage:
    """A piece of one document within one section, as indexed and as retrieved."""

    chunk_id: str
    source: str
    title: str
    kind: str
    organisation: str
    section: str
    page: int
    page_end: int
    text: str
    score: float = 0.0
    # Ranks in each channel, for explanations and abstention; not part of the public dict.
    dense_similarity: float | None = _private()
    lexical_score: float | None = _private()

    def to_dict(self) -> dict[str, Any]:
        return _public_dict(self)

    def metadata(self) -> dict[str, str | int]:
        """What is stored beside the text in Chroma (Chroma metadata must be flat scalars)."""
        return {
            "source": self.source,
            "title": self.title,
            "kind": self.kind,
            "organisation": self.organisation,
            "section": self.section,
            "page": self.page,
            "page_end": self.page_end,
        }


@dataclass
class DocumentInfo:
    source: str
    title: str
    kind: str
    organisation: str
    pages: int
    passages: int
    sha256: str
    ingested_at: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class FileOutcome:
    """What happened to one file during ingest."""

    path: str
    source: str
    status: str  # added | updated | skipped | failed | removed
    passages: int = 0
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class IngestReport:
    added: list[FileOutcome] = field(default_factory=list)
    updated: list[FileOutcome] = field(default_factory=list)
    skipped: list[FileOutcome] = field(default_factory=list)
    failed: list[FileOutcome] = field(default_factory=list)
    removed: list[FileOutcome] = field(default_factory=list)
    embedded_texts: int = 0
    embedding_seconds: float = 0.0
    total_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def record(self, outcome: FileOutcome) -> None:
        getattr(self, outcome.status).append(outcome)

    def to_dict(self) -> dict[str, Any]:
        return _public_dict(self)


@dataclass
class Citation:
    n: int
    source: str
    title: str
    kind: str
    organisation: str
    section: str
    page: int
    quote: str
    chunk_id: str
    passage_text: str = _private("")

    @classmethod
    def from_passage(cls, n: int, passage: Passage, quote: str, page: int | None = None) -> Citation:
        """Cite ``quote`` (exact text of ``passage``) as number ``n``, on ``page`` if known."""
        if page is None or not passage.page <= page <= passage.page_end:
            page = passage.page
        return cls(
            n=n,
            source=passage.source,
            title=passage.title,
            kind=passage.kind,
            organisation=passage.organisation,
            section=passage.section,
            page=page,
            quote=quote,
            chunk_id=passage.chunk_id,
            passage_text=passage.text,
        )

    def to_dict(self) -> dict[str, Any]:
        return _public_dict(self)


@dataclass
class Answer:
    text: str
    citations: list[Citation]
    abstained: bool
    mode: str  # extractive | llm
    question: str = _private("")
    standalone_question: str = _private("")
    notes: list[str] = _private(None)
    passages: list[Passage] = _private(None)

    def to_dict(self) -> dict[str, Any]:
        return _public_dict(self)


@dataclass
class ResultGoal:
    number: int
    text: str
    need: str
    area: str
    source: str
    page: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class HearingResponse:
    source: str
    organisation: str
    category: str | None
    supports_goals: str | None  # "ja" | "nei" | "vet ikke" | None
    answers: dict[str, dict[str, Any]]  # key (e.g. "1", "mål 2", "3", "4") -> {"text": ..., "page": ...}
    on_form: bool = _private(True)
    title: str = _private("")

    def to_dict(self) -> dict[str, Any]:
        return _public_dict(self)


@dataclass
class Trace:
    topic: str
    responses: list[Passage]
    handling: list[Passage]
    strategy: list[Passage]
    handling_terms: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how the topic was read («Leste «x» som «y».»)
    topic_terms: list[str] = field(default_factory=list)  # the topic's words as the passages write them

    def to_dict(self) -> dict[str, Any]:
        return _public_dict(self)
