"""Result types of the public API. Each has ``to_dict()`` with exactly its documented field names."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

__all__ = [
    "Answer",
    "Check",
    "Citation",
    "DocumentInfo",
    "Explanation",
    "FileOutcome",
    "HearingResponse",
    "IngestReport",
    "Passage",
    "ResultGoal",
    "Trace",
]


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

    @property
    def place(self) -> str:
        """The section path without a first heading that only repeats the title (a Markdown file's «# …»)."""
        head, sep, rest = self.section.partition(" > ")
        return (
            rest
            if sep and " ".join(head.split()).casefold() == " ".join(self.title.split()).casefold()
            else self.section
        )

    def to_dict(self) -> dict[str, Any]:
        return _public_dict(self)


@dataclass
class Check:
    """One abstention check: whether it fired, and what it saw."""

    name: str
    fired: bool
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Explanation:
    """Why an answer says what it says: which path answered, how the question was read, the top
    candidates with their feature values and scores, and which abstention check fired."""

    path: str  # reader | structured:<what> | llm | llm-fallback
    analysis: dict[str, Any] = field(default_factory=dict)
    interpreted_as: str = ""  # the standalone question, when a follow-up was rewritten
    candidates: list[dict[str, Any]] = field(default_factory=list)  # best first
    checks: list[Check] = field(default_factory=list)
    model: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def fired(self) -> list[Check]:
        return [c for c in self.checks if c.fired]

    def to_dict(self) -> dict[str, Any]:
        return _public_dict(self)

    def render(self, candidates: int = 5) -> str:
        """Plain Norwegian text for reports and the chat's «Hvorfor dette svaret?» block."""
        a = self.analysis
        path = _PATHS.get(self.path.split(":")[0], self.path)
        lines = [f"Svart av: {path}" + (f" (modell {self.model})" if self.model else "")]
        if a:
            named = "; ".join(
                f"{_NAMED[k]} {', '.join(str(x) for x in v)}" for k, v in a.items() if k in _NAMED and v
            )
            kind = _ANSWER_TYPES.get(str(a.get("answer_type")), str(a.get("answer_type")))
            language = "engelsk" if a.get("language") == "en" else "norsk"
            lines.append(
                f"Spørsmålet: ber om {kind}, {language}"
                + (", en oppfølging av forrige spørsmål" if a.get("elliptical") else "")
                + (f"; nevner {named}" if named else "")
            )
        if self.interpreted_as:
            lines.append(f"Tolket som: {self.interpreted_as}")
        for check in self.checks:
            name = _CHECKS.get(check.name, check.name)
            lines.append(
                f"Kontroll «{name}»: {'slo til' if check.fired else 'ok'}"
                + (f" ({check.detail})" if check.detail else "")
            )
        if self.candidates:
            lines.append("Beste kandidater (sannsynlighet for at setningen svarer):")
        for i, c in enumerate(self.candidates[:candidates], 1):
            shown = ", ".join(f"{_FEATURES.get(k, k)} {v:.2f}" for k, v in c.get("top_features", {}).items())
            lines.append(
                f"{i}. {c.get('score', 0.0):.3f} {c.get('source', '')} s. {c.get('page', '')}: "
                f"«{str(c.get('text', ''))[:140]}»" + (f" [{shown}]" if shown else "")
            )
        lines.extend(self.notes)
        return "\n".join(lines)


_PATHS = {
    "reader": "leseren (setninger rangert av den tilpassede modellen)",
    "structured": "dokumentenes struktur (fullstendig liste)",
    "llm": "språkmodellen",
    "llm-fallback": "leseren, i stedet for språkmodellens svar (merknaden sier hvorfor)",
}
_ANSWER_TYPES = {
    "date": "et tidspunkt",
    "number": "et tall",
    "who": "en person eller organisasjon",
    "place": "et sted",
    "list": "en liste",
    "definition": "en forklaring",
    "reason": "en begrunnelse",
    "yesno": "ja eller nei",
    "handling": "hvordan et innspill ble behandlet",
    "other": "en opplysning",
}
_NAMED = {
    "goals": "mål",
    "result_goals": "resultatmål",
    "respondents": "høringssvar",
    "kinds": "dokumenttype",
}
_CHECKS = {
    "confidence": "tillit",
    "missing_subject": "ukjent tema",
    "unknown_year": "ukjent årstall",
    "amount": "beløp",
    "no_passages": "ingen passasjer",
}
_FEATURES = {
    "dense": "betydning",
    "lex_compound": "ordtreff",
    "lex_window": "ordtreff med nabosetninger",
    "type_match": "svartype",
    "rr_fused": "samlet rang",
    "rr_dense": "rang etter betydning",
    "rr_lexical": "rang etter ord",
}


@dataclass
class Answer:
    text: str
    citations: list[Citation]
    abstained: bool
    mode: str  # extractive | llm
    explain: Explanation | None = None
    question: str = _private("")
    standalone_question: str = _private("")
    notes: list[str] = _private(None)
    passages: list[Passage] = _private(None)
    # The language model's own text when the quality gate or a bound replaced it by the extractive
    # answer (the chat keeps it behind «Vis modellens svar»); empty otherwise.
    model_text: str = _private("")

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
    supports_goals: str | None  # the ticked option of the support question ("ja" | "nei" | "vet ikke") | None
    answers: dict[str, dict[str, Any]]  # key (e.g. "1", "mål 2", "3", "4") -> {"text": ..., "page": ...}
    on_form: bool = _private(True)
    title: str = _private("")
    questions: dict[str, str] | None = _private(None)  # the form's questions as this response words them

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
