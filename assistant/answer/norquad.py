"""NorQuAD (Norwegian reading comprehension, CC0) as a document collection: used to fit the reader and to
judge it on text it was not written for. See data/norquad/README.md.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from assistant.settings import REPO_ROOT
from ingest.normalise import fold

NORQUAD_DIR = REPO_ROOT / "data" / "norquad"
ARTICLE_KIND = "dokument"


@dataclass(frozen=True)
class QA:
    id: str
    question: str
    article: str
    answer: str


def load(split: str, folder: Path = NORQUAD_DIR) -> tuple[dict[str, str], list[QA]]:
    """Articles by id and the questions of ``train`` or ``validation``."""
    path = folder / f"{split}.json"
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: the NorQuAD copy belongs in {folder}")
    data = json.loads(path.read_text(encoding="utf-8"))
    questions = [
        QA(str(q["id"]), str(q["question"]), str(q["article"]), str(q["answer"])) for q in data["questions"]
    ]
    return dict(data["articles"]), questions


def sample(questions: list[QA], n: int | None) -> list[QA]:
    """A fixed sample: the ``n`` questions whose id hashes lowest (all of them when ``n`` is None)."""
    if n is None or n >= len(questions):
        return list(questions)
    return sorted(questions, key=lambda q: hashlib.sha1(q.id.encode()).hexdigest())[:n]


def write_corpus(folder: Path, articles: dict[str, str]) -> Path:
    """One UTF-8 text file per article and a ``sources.toml`` naming each; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    for article_id, text in sorted(articles.items()):
        (folder / f"{article_id}.txt").write_text(text, encoding="utf-8")
        entries.append(
            f'[[document]]\nfile = "{article_id}.txt"\nid = "{article_id}"\n'
            f'title = "{article_id}"\nkind = "{ARTICLE_KIND}"\n'
        )
    (folder / "sources.toml").write_text("\n".join(entries), encoding="utf-8")
    return folder


def contains_answer(text: str, answer: str) -> bool:
    """The gold answer occurs in the text, case and whitespace folded."""
    needle = fold(answer)
    return bool(needle) and needle in fold(text)
