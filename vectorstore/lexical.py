"""The BM25 side (bm25s + Snowball's Norwegian stemmer), rebuilt from Chroma whenever it is out of date.

Local Chroma has no BM25, so this index lives beside the Chroma data and records the fingerprint of
the passage set it was built from. Chroma stays the one source of truth.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

import numpy as np

from core.types import Passage

TOKEN_PATTERN = r"(?u)\b\w+\b"  # keep one-character tokens such as goal numbers ("mål 1")


class Tokenizer:
    """Lower-case, Norwegian stop words removed, Snowball-stemmed. Stemmer objects are not thread-safe."""

    def __init__(self) -> None:
        import Stemmer

        self._stemmer = Stemmer.Stemmer("norwegian")
        self._lock = threading.Lock()

    def __call__(self, texts: list[str]) -> list[list[str]]:
        import bm25s

        with self._lock:
            tokens = bm25s.tokenize(
                texts,
                stopwords="no",
                stemmer=self._stemmer.stemWords,
                token_pattern=TOKEN_PATTERN,
                show_progress=False,
                return_ids=False,
            )
        return [list(t) for t in tokens]

    def stem_words(self, words: list[str]) -> list[str]:
        with self._lock:
            return list(self._stemmer.stemWords(words))


def one_edit_apart(a: str, b: str) -> bool:
    """One letter inserted, deleted, replaced, or two neighbours swapped: the usual typing slip."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        swapped = a[i + 2 :] == b[i + 2 :] and a[i : i + 2] == b[i : i + 2][::-1]
        return a[i + 1 :] == b[i + 1 :] or swapped
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[i + 1 :] == shorter[i:]


def index_text(p: Passage) -> str:
    """What both channels index: the passage under its document title and section heading."""
    return f"{p.title}\n{p.section}\n{p.text}"


class LexicalIndex:
    """BM25 over every passage, with the passages themselves kept for building results."""

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer
        self.fingerprint: str | None = None
        self.passages: list[Passage] = []
        self.by_id: dict[str, Passage] = {}
        self._retriever: Any = None
        self._columns: dict[str, np.ndarray] = {}
        self._df: dict[str, int] = {}
        self._compound_cache: dict[str, bool] = {}
        self._words: dict[str, int] | None = None  # the documents' words as written, built on first use

    def build(self, passages: list[Passage], fingerprint: str) -> None:
        import bm25s

        passages = sorted(passages, key=lambda p: p.chunk_id)
        retriever = None
        if passages:
            tokens = self.tokenizer([index_text(p) for p in passages])
            retriever = bm25s.BM25()
            retriever.index(tokens, show_progress=False)
        self._install(passages, retriever, fingerprint)

    def _install(self, passages: list[Passage], retriever: Any, fingerprint: str) -> None:
        self._df = {}
        self._compound_cache = {}
        self._words = None
        for tokens in self.tokenizer([index_text(p) for p in passages]) if passages else []:
            for token in set(tokens):
                self._df[token] = self._df.get(token, 0) + 1
        self.passages = passages
        self.by_id = {p.chunk_id: p for p in passages}
        self._retriever = retriever
        self.fingerprint = fingerprint
        self._columns = {
            key: np.array([getattr(p, key) for p in passages], dtype=object)
            for key in ("kind", "organisation", "source")
        }

    def save(self, folder: Path) -> None:
        """Write to a temporary folder and rename, so a crash never leaves a half-written index."""
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".bm25-", dir=folder.parent))
        try:
            if self._retriever is not None:
                self._retriever.save(str(tmp / "bm25"))
            meta = {
                "fingerprint": self.fingerprint,
                "passages": [{**p.metadata(), "chunk_id": p.chunk_id, "text": p.text} for p in self.passages],
            }
            (tmp / "passages.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
            old = folder.with_name(folder.name + ".old")
            if folder.exists():
                shutil.rmtree(old, ignore_errors=True)
                os.replace(folder, old)
            os.replace(tmp, folder)
            shutil.rmtree(old, ignore_errors=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def load(self, folder: Path) -> bool:
        """Load a saved index; False when there is none or it cannot be read (it is then rebuilt)."""
        import bm25s

        from vectorstore.store import passage_from_record

        try:
            meta = json.loads((folder / "passages.json").read_text(encoding="utf-8"))
            passages = [passage_from_record(m["chunk_id"], m["text"], m) for m in meta["passages"]]
            retriever = bm25s.BM25.load(str(folder / "bm25")) if passages else None
        except (OSError, ValueError, KeyError):
            return False
        self._install(passages, retriever, meta.get("fingerprint"))
        return True

    def idf(self, token: str) -> float:
        """Inverse document frequency of a stem; unseen stems get the highest weight."""
        n = max(len(self.passages), 1)
        return float(np.log(1.0 + (n + 1) / (self._df.get(token, 0) + 0.5)))

    def knows(self, token: str, strict: bool = False) -> bool:
        """Is the stem in the documents, alone or as part of a compound?

        Norwegian glues words together: "tann" is in "tannhelse", "kvinnehelse" in
        "kvinnehelseteknologi", and "næringsaktør" is "nærings" + "aktør".
        """
        if strict:  # a name ("Legeforeningen") is not known because "lege" and "forening" are
            return token in self._df or (len(token) >= 6 and any(token in term for term in self._df))
        known = self._compound_cache.get(token)
        if known is None:
            known = self._part_known(token) or any(
                self._part_known(token[:i]) and self._part_known(token[i:]) for i in range(5, len(token) - 4)
            )
            self._compound_cache[token] = known
        return known

    def resembles(self, token: str) -> bool:
        """Is the stem one typing slip from one the documents use ("utenforskapp" ~ "utenforskap")?"""
        return len(token) >= 5 and any(
            one_edit_apart(token, t) for t in self._df if abs(len(t) - len(token)) <= 1
        )

    def spelling_of(self, word: str) -> str | None:
        """The document word one letter away from ``word`` ("utenforskapp" -> "utenforskap"), if any;
        the most frequent when several are."""
        words = self._words
        if words is None:
            words = {}
            for p in self.passages:
                for w in re.findall(r"[^\W\d_]{5,}", index_text(p).lower()):
                    words[w] = words.get(w, 0) + 1
            self._words = words
        word = word.lower()
        if len(word) < 6 or word in words:
            return None
        near = [w for w in words if abs(len(w) - len(word)) <= 1 and one_edit_apart(word, w)]
        return max(near, key=lambda w: (words[w], w)) if near else None

    def _part_known(self, part: str) -> bool:
        if part in self._df:
            return True
        if len(part) >= 6:
            return any(part in term for term in self._df)
        if len(part) >= 4:
            return any(term.startswith(part) for term in self._df)
        return False

    def search(
        self, query: str, k: int, filters: dict[str, Any] | None = None
    ) -> list[tuple[Passage, float]]:
        if self._retriever is None or not self.passages:
            return []
        tokens = self.tokenizer([query])[0]
        vocab = self._retriever.vocab_dict
        tokens = [t for t in tokens if t in vocab]
        if not tokens:
            return []
        mask = self._mask(filters)
        if mask is not None and not mask.any():
            return []
        k = min(k, len(self.passages))
        docs, scores = self._retriever.retrieve(
            [tokens], k=k, show_progress=False, weight_mask=mask, n_threads=0
        )
        out: list[tuple[Passage, float]] = []
        for idx, score in zip(docs[0], scores[0], strict=True):
            if score <= 0:
                continue
            out.append((self.passages[int(idx)], float(score)))
        return out

    def _mask(self, filters: dict[str, Any] | None) -> np.ndarray | None:
        if not filters:
            return None
        mask = np.ones(len(self.passages), dtype=bool)
        used = False
        for key, value in filters.items():
            if value in (None, "", [], ()) or key not in self._columns:
                continue
            values = [value] if isinstance(value, str) else list(value)
            mask &= np.isin(self._columns[key], values)
            used = True
        return mask.astype(np.float32) if used else None
