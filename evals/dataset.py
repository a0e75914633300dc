"""The question sets (evals/questions/dev.yaml and test.yaml) as typed items, and the documents' text as the
loader reads it.

Two splits: ``dev`` is what the reader may be tuned on; ``test`` is frozen (evals/questions/test.lock) and
only judges. A file holds ``questions`` (single turns) and ``chains`` (conversations): each turn of a chain
becomes an item whose history is the chain's earlier questions, marked ``followup`` when it cannot be
understood alone. A standalone turn after other turns must get the answer it gets when asked alone.
"""

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
QUESTION_DIR = EVALS / "questions"
SPLITS = ("dev", "test")
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
# What kind of answer a question wants; reported per type.
ANSWER_TYPES = (
    "definition",
    "date",
    "number",
    "who",
    "place",
    "list",
    "yesno",
    "comparison",
    "reason",
    "handling",
    "other",
)
REQUIRED = ("id", "question", "category", "lang", "gold", "facts", "abstain")
TURN_REQUIRED = ("question", "category", "lang", "gold", "facts", "abstain", "followup")
LANGS = ("no", "en")


def split_path(split: str) -> Path:
    return QUESTION_DIR / f"{split}.yaml"


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
    split: str = "dev"
    type: str = "other"
    # For a turn of a chain: whether it needs the earlier turns (None for single questions).
    followup: bool | None = None
    chain: str = ""

    @property
    def key_fact(self) -> Fact | None:
        """The fact that states the answer: a good answer's first cited sentence holds it."""
        return self.facts[0] if self.facts else None

    @property
    def standalone_after_turns(self) -> bool:
        """A question that stands on its own although earlier turns came before it."""
        return bool(self.history) and self.followup is False

    @classmethod
    def from_dict(cls, raw: dict[str, Any], split: str = "dev") -> Item:
        missing = [k for k in REQUIRED if k not in raw]
        if missing:
            raise ValueError(f"question {raw.get('id', '?')!r} lacks {', '.join(missing)}")
        followup = raw.get("followup")
        return cls(
            id=str(raw["id"]),
            question=str(raw["question"]),
            category=str(raw["category"]),
            lang=str(raw["lang"]),
            gold=tuple(Gold(source=str(g["source"]), quote=str(g["quote"])) for g in raw["gold"] or []),
            facts=tuple(f if isinstance(f, str) else [str(a) for a in f] for f in raw["facts"] or []),
            abstain=bool(raw["abstain"]),
            history=tuple(str(h) for h in raw.get("history") or []),
            split=split,
            type=str(raw.get("type") or "other"),
            followup=None if followup is None else bool(followup),
            chain=str(raw.get("chain") or ""),
        )


def load_file_raw(path: Path) -> dict[str, list[dict[str, Any]]]:
    """``questions`` and ``chains`` of one split file, as written."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping with 'questions' (and optionally 'chains')")
    questions = data.get("questions") or []
    chains = data.get("chains") or []
    if not isinstance(questions, list) or not isinstance(chains, list):
        raise ValueError(f"{path}: 'questions' and 'chains' must be lists")
    return {"questions": questions, "chains": chains}


def expand_chain(chain: dict[str, Any]) -> list[dict[str, Any]]:
    """One raw item per turn: id ``<chain>/<n>``, history = the chain's earlier questions."""
    cid = str(chain.get("id", "?"))
    turns = chain.get("turns") or []
    if not isinstance(turns, list) or len(turns) < 2:
        raise ValueError(f"chain {cid!r} needs a list of at least two turns")
    out: list[dict[str, Any]] = []
    for n, turn in enumerate(turns, start=1):
        missing = [k for k in TURN_REQUIRED if k not in turn]
        if missing:
            raise ValueError(f"chain {cid!r} turn {n} lacks {', '.join(missing)}")
        history = [str(t["question"]) for t in turns[: n - 1]]
        out.append({**turn, "id": f"{cid}/{n}", "history": history, "chain": cid})
    return out


def load_raw(split: str | None = None) -> list[dict[str, Any]]:
    """Raw items of one split (or both), chains expanded, each with its ``split``."""
    out: list[dict[str, Any]] = []
    for name in [split] if split else SPLITS:
        data = load_file_raw(split_path(name))
        items = [*data["questions"], *(t for c in data["chains"] for t in expand_chain(c))]
        out.extend({**item, "split": name} for item in items)
    return out


def load_questions(split: str | None = None) -> list[Item]:
    return [Item.from_dict(raw, raw["split"]) for raw in load_raw(split)]


def document_text(path: Path) -> str:
    """A document's text as the project's loader and normaliser produce it, folded for quote checks."""
    loaded = load_file(path)
    joined = "\n".join(page.text for page in loaded.pages)
    return fold(" ".join(normalise_page(joined)))


def corpus_texts(corpus: Path = CORPUS) -> dict[str, str]:
    """Folded text of every bundled document, keyed by document id (the file stem)."""
    return {p.stem: document_text(p) for p in sorted(corpus.iterdir()) if p.suffix.lower() == ".pdf"}
