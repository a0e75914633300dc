"""Sections → passages: whole sentences and list items, within one section, about 120–300 words each."""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass

from core.types import Passage
from ingest.sections import Block, Section
from ingest.sentences import split_sentences

MIN_WORDS = 60  # a shorter tail is merged into the passage before it when it fits
# Characters a passage may hold per allowed word. Real passages average 6–10 characters a word; the cap
# only bites on text without spaces (a 1 MB "word"), which the embedder would otherwise read in full.
CHARS_PER_WORD = 12


@dataclass
class Unit:
    text: str
    page: int
    page_end: int
    new_block: bool

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass
class DocumentMeta:
    source: str
    title: str
    kind: str
    organisation: str


def chunk_id(source: str, position: int, text: str) -> str:
    """Stable id: the same passage text at the same place in the same document keeps its id."""
    return hashlib.sha256(f"{source}\x1f{position}\x1f{text}".encode()).hexdigest()[:24]


def _cut_chars(text: str, max_chars: int) -> list[str]:
    """Cut text longer than ``max_chars`` at the last space before the limit, or hard when there is none."""
    out: list[str] = []
    while len(text) > max_chars:
        cut = text.rfind(" ", 0, max_chars + 1)
        cut = cut if cut > 0 else max_chars
        out.append(text[:cut].strip())
        text = text[cut:].strip()
    if text:
        out.append(text)
    return out


def _block_units(block: Block, max_words: int) -> list[Unit]:
    starts: list[int] = []
    pages: list[int] = []
    offset = 0
    for line, page in block.lines:
        starts.append(offset)
        pages.append(page)
        offset += len(line) + 1
    text = block.text

    def page_at(pos: int) -> int:
        return pages[max(0, bisect.bisect_right(starts, pos) - 1)]

    pieces = [text] if block.is_item and len(text.split()) <= max_words else split_sentences(text)
    units: list[Unit] = []
    cursor = 0
    for piece in pieces:
        pos = text.find(piece, cursor)
        pos = cursor if pos < 0 else pos
        end = pos + len(piece) - 1
        cursor = pos + len(piece)
        words = piece.split()
        # A "sentence" longer than a passage (a run-on table row) is cut by words.
        for k in range(0, len(words), max_words):
            part = " ".join(words[k : k + max_words])
            for piece_part in _cut_chars(part, max_words * CHARS_PER_WORD):
                units.append(Unit(piece_part, page_at(pos), page_at(end), new_block=not units))
    return units


def section_passages(
    section: Section, meta: DocumentMeta, start_position: int, target_words: int, max_words: int
) -> list[Passage]:
    units = [u for block in section.blocks for u in _block_units(block, max_words)]
    groups: list[list[Unit]] = []
    current: list[Unit] = []
    count = chars = 0
    max_chars = max_words * CHARS_PER_WORD
    for unit in units:
        full = count + unit.words > max_words or chars + len(unit.text) + 1 > max_chars
        reached = count >= target_words and unit.new_block
        if current and (full or reached):
            groups.append(current)
            current, count, chars = [], 0, 0
        current.append(unit)
        count += unit.words
        chars += len(unit.text) + 1
    if current:
        last = groups[-1] if groups else []
        fits = sum(u.words for u in last) + count <= max_words
        fits = fits and sum(len(u.text) + 1 for u in last) + chars <= max_chars
        if groups and count < MIN_WORDS and fits:
            groups[-1].extend(current)
        else:
            groups.append(current)
    passages: list[Passage] = []
    for offset, group in enumerate(groups):
        parts: list[str] = []
        for unit in group:
            if parts and unit.new_block:
                parts.append("\n")
            elif parts:
                parts.append(" ")
            parts.append(unit.text)
        text = "".join(parts).strip()
        position = start_position + offset
        passages.append(
            Passage(
                chunk_id=chunk_id(meta.source, position, text),
                source=meta.source,
                title=meta.title,
                kind=meta.kind,
                organisation=meta.organisation,
                section=section.title,
                page=group[0].page,
                page_end=max(u.page_end for u in group),
                text=text,
            )
        )
    return passages


def make_passages(
    sections: list[Section], meta: DocumentMeta, target_words: int = 200, max_words: int = 300
) -> list[Passage]:
    passages: list[Passage] = []
    for section in sections:
        passages.extend(section_passages(section, meta, len(passages), target_words, max_words))
    return passages
