"""Candidates: the sentences (and list blocks) the reader may quote, from every retrieval channel's top
passages, each knowing its passage's rank in each channel.

A passage enters the pool when it is in the top ``per_channel`` of the dense, BM25 or sentence channel, in
the fused top k, or among the extra passages the question points at (a named response, a named document
kind). Each of its lines is split into sentences; a sentence that ends a line with ":" and is followed by
list items carries the items with it, so a list is quoted whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.types import Passage
from ingest.sentences import split_sentences
from vectorstore.hybrid import ChannelHits

# A line that is a list item: a bullet, "1.", "1)", "(1)", "a)".
ITEM = re.compile(r"^(?:[•\-–o▪◦*]\s+|\(?\d{1,2}[.)]\s+|[a-z]\)\s+)")
MAX_LIST_ITEMS = 25  # default of Settings.reader_list_items
CHANNELS = ("dense", "lexical", "sentences", "fused")


@dataclass
class PoolPassage:
    passage: Passage
    ranks: dict[str, int]  # channel -> 0-based rank (absent: not in that channel's list)
    scores: dict[str, float]  # channel -> the channel's own score
    extra: bool = False


@dataclass
class Candidate:
    pool: PoolPassage
    index: int  # position among the passage's candidates
    start: int  # offsets into the passage text
    end: int
    head_end: int  # end of the first line: what is embedded and matched as the sentence itself
    items: int = 0  # list items carried after an introducing sentence
    features: dict[str, float] = field(default_factory=dict)
    score: float = 0.0

    @property
    def passage(self) -> Passage:
        return self.pool.passage

    @property
    def text(self) -> str:
        return self.passage.text[self.start : self.end]

    @property
    def head(self) -> str:
        return self.passage.text[self.start : self.head_end]

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.passage.chunk_id, self.start, self.end)


def build_pool(hits: ChannelHits, per_channel: int, fused_k: int) -> list[PoolPassage]:
    """Passages of every channel's top ``per_channel`` and the fused top ``fused_k``, in first-seen order."""
    pool: dict[str, PoolPassage] = {}

    def add(channel: str, passages: list[tuple[Passage, float]], limit: int) -> None:
        for rank, (p, score) in enumerate(passages[:limit]):
            entry = pool.setdefault(p.chunk_id, PoolPassage(p, {}, {}))
            if channel not in entry.ranks:
                entry.ranks[channel] = rank
                entry.scores[channel] = score
            if channel == "dense" and entry.passage.dense_similarity is None:
                entry.passage = p

    add("fused", [(p, p.score) for p in hits.fused], fused_k)
    add("dense", hits.dense, per_channel)
    add("lexical", hits.lexical, per_channel)
    add("sentences", hits.sentences, per_channel)
    for p in hits.extra:
        entry = pool.setdefault(p.chunk_id, PoolPassage(p, {}, {}))
        entry.extra = True
    return list(pool.values())


def _lines(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def passage_candidates(entry: PoolPassage, max_items: int = MAX_LIST_ITEMS) -> list[Candidate]:
    """Sentences of a passage line by line, as offsets; a list intro carries its items."""
    text = entry.passage.text
    lines = _lines(text)
    out: list[Candidate] = []
    for i, (lstart, lend) in enumerate(lines):
        line = text[lstart:lend]
        cursor = 0
        for sentence in split_sentences(line):
            at = line.find(sentence, cursor)
            if at < 0:
                continue
            cursor = at + len(sentence)
            start, end = lstart + at, lstart + at + len(sentence)
            candidate = Candidate(entry, len(out), start, end, end)
            if sentence.rstrip().endswith(":") and cursor >= len(line.rstrip()):
                j = i + 1
                while j < len(lines) and ITEM.match(text[lines[j][0] : lines[j][1]]):
                    candidate.end = lines[j][1]
                    candidate.items += 1
                    j += 1
                    if candidate.items >= max_items:
                        break
            out.append(candidate)
    return out


def build_candidates(
    pool: list[PoolPassage], min_words: int = 3, max_items: int = MAX_LIST_ITEMS
) -> list[Candidate]:
    """Every candidate of every pooled passage, minus fragments too short to state anything."""
    out: list[Candidate] = []
    for entry in pool:
        out.extend(
            c for c in passage_candidates(entry, max_items) if len(c.head.split()) >= min_words or c.items
        )
    return out
