"""The question set (evals/questions.yaml) as typed items, and the documents' text as the loader reads it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from evals.metrics import Fact, Gold
from ingest.loaders import load_file
from ingest.normalise import fold, normalise_page

EVALS = Path(__file__).resolve().parent
REPO = EVALS.parent
QUESTIONS = EVALS / "questions.yaml"
CORPUS = REPO / "data" / "corpus"
# The question categories, in report order; each is also a pytest marker (`-m parafrase`).
CATEGORIES = (
    "handling",
    "resultatmal",
    "strategi",
    "horingssvar",
    "trace",
    "oppfolging",
    "parafrase",
    "engelsk",
    "utenfor",
)
REQUIRED = ("id", "question", "category", "lang", "gold", "facts", "abstain")
LANGS = ("no", "en")


@dataclass(frozen=True)
class Item:
    id: str
    question: str
    category: str
    lang: str
    gold: tuple[Gold, ...]
    facts: tuple[Fact, ...]
    abstain: bool
    history: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Item:
        missing = [k for k in REQUIRED if k not in raw]
        if missing:
            raise ValueError(f"question {raw.get('id', '?')!r} lacks {', '.join(missing)}")
        return cls(
            id=str(raw["id"]),
            question=str(raw["question"]),
            category=str(raw["category"]),
            lang=str(raw["lang"]),
            gold=tuple(Gold(source=str(g["source"]), quote=str(g["quote"])) for g in raw["gold"] or []),
            facts=tuple(f if isinstance(f, str) else [str(a) for a in f] for f in raw["facts"] or []),
            abstain=bool(raw["abstain"]),
            history=tuple(str(h) for h in raw.get("history") or []),
        )


def load_raw(path: Path = QUESTIONS) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = data["questions"] if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ValueError(f"{path}: expected a list under 'questions'")
    return items


def load_questions(path: Path = QUESTIONS) -> list[Item]:
    return [Item.from_dict(raw) for raw in load_raw(path)]


def document_text(path: Path) -> str:
    """A document's text as the project's loader and normaliser produce it, folded for quote checks."""
    loaded = load_file(path)
    joined = "\n".join(page.text for page in loaded.pages)
    return fold(" ".join(normalise_page(joined)))


def corpus_texts(corpus: Path = CORPUS) -> dict[str, str]:
    """Folded text of every bundled document, keyed by document id (the file stem)."""
    return {p.stem: document_text(p) for p in sorted(corpus.iterdir()) if p.suffix.lower() == ".pdf"}
