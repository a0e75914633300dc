"""The result-goal table of an operationalisation document: main areas → citizen needs → numbered goals.

The table has two columns ("Innbyggers behov" | "Delmål/resultatmål", the profile's ``need_column`` and
``goal_column``) under a heading per main area. PDF extraction gives the cells one after another: the
need's first-person text ("Jeg ...", the profile's ``need_starts``) over several lines, then its numbered
goals, each wrapped over lines, sometimes across page breaks. A flattened table (several cells on one line)
is split where a need starts and at goal numbers, which are accepted only in sequence so that numbers
inside a goal's text are not taken for new goals. A Markdown pipe table with the two columns, in either
order, is read by its cells (``ingest.structure.pipetable``).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from core.types import Passage
from ingest.chunking import DocumentMeta, chunk_id
from ingest.loaders import Page
from ingest.normalise import normalise_page
from ingest.profile import CorpusProfile
from ingest.structure.pipetable import read_pipe_tables

# Position offset for the extra goal passages, beyond any normal passage of a document.
GOAL_POSITION_BASE = 1_000_000

_GOAL = re.compile(r"^(\d{1,2})[.)]\s+(\S.*)$", re.DOTALL)
_PAGE_NUMBER = re.compile(r"^(?:side\s+)?\d{1,3}(?:\s*(?:av|/)\s*\d{1,3})?$", re.IGNORECASE)
_BULLET = re.compile(r"^[•\-–▪◦*]\s")
# A goal wrapped after one of these words goes on, even when the next line starts with a name.
_FUNCTION_WORDS_TEXT = (
    "i på til av for fra med om ved og eller samt som under mellom hos mot etter uten via of in on and"
)
_FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())
# A line found at the top or bottom of this many pages is a running header or footer.
_RUNNING_PAGES = 3


@dataclass
class _Piece:
    text: str
    page: int
    line_start: bool
    kind: str = "text"  # need | goal | text
    number: int = 0


@dataclass
class _Need:
    text: str
    page: int
    goals: list[tuple[int, str, int]] = field(default_factory=list)  # (number, text, page)


def _lines(pages: list[Page], header_part: re.Pattern[str]) -> list[tuple[str, int]]:
    """Non-empty lines with their pages, without page numbers and running headers or footers (a line
    with a column header, ``header_part``, is kept)."""
    per_page = [(page.number, [ln for ln in normalise_page(page.text) if ln]) for page in pages]
    edges: dict[str, int] = {}
    for _, lines in per_page:
        for line in {*lines[:2], *lines[-2:]}:
            edges[line] = edges.get(line, 0) + 1
    # The table's column header may head every page; it is structure, not a running header.
    running = {
        line for line, count in edges.items() if count >= _RUNNING_PAGES and not header_part.search(line)
    }
    return [
        (line, number)
        for number, lines in per_page
        for line in lines
        if not _PAGE_NUMBER.match(line) and line not in running
    ]


@dataclass
class _Header:
    first_line: int  # first line of the area (its name's line, or the header line when they share it)
    body_start: int
    area: str
    rest: str  # text after the header on its own line (a flattened table)


def _split_points(need_start: str) -> re.Pattern[str]:
    """A split point inside a line: a need starts with ``need_start`` ("Jeg "), a goal with "12. " or "12) "."""
    return re.compile(rf"(?:(?<=\s)|^)(?=(?:{need_start})|\d{{1,2}}[.)]\s+\S)")


def _plausible_area(line: str, need_start: re.Pattern[str]) -> bool:
    words = line.split()
    return (
        0 < len(words) <= 8
        and line[:1].isupper()
        and not need_start.match(line)
        and not _GOAL.match(line)
        and not line.endswith((".", ",", ";", ":"))
    )


def _find_headers(
    lines: list[tuple[str, int]], header: re.Pattern[str], need_start: re.Pattern[str]
) -> tuple[list[_Header], set[int]]:
    """Area headers (the table's column ``header`` after an area's name), and the lines of column headers
    repeated at the top of a page (to be skipped)."""
    found: list[_Header] = []
    repeats: set[int] = set()
    i = 0
    while i < len(lines):
        line = lines[i][0]
        joined = line
        span = 1
        # The header may be wrapped: "Innbyggers behov" / "Delmål/resultatmål".
        if not header.search(line) and i + 1 < len(lines):
            joined = f"{line} {lines[i + 1][0]}"
            span = 2
        m = header.search(joined)
        if not m or (span == 2 and not m.start() < len(line) < m.end()):
            i += 1
            continue
        # Text before the header on its line: the area name, after any sentence that precedes it.
        area = re.split(r"[.!?:»]\s", joined[: m.start()])[-1].strip(" :–-")
        area = " ".join(area.split()[-6:])
        first = i
        if not area and i > 0:
            prev, prev_page = lines[i - 1]
            if found and (prev_page != lines[i][1] or not _plausible_area(prev, need_start)):
                # The column header repeated where the table continues on a new page.
                repeats.update(range(i, i + span))
                i += span
                continue
            area = prev.strip(" :–-")
            first = i - 1
        found.append(_Header(first, i + span, area, joined[m.end() :].strip()))
        i += span
    return found, repeats


def _pieces(body: list[tuple[str, int]], split: re.Pattern[str]) -> list[_Piece]:
    pieces: list[_Piece] = []
    for line, page in body:
        starts = [m.start() for m in split.finditer(line)] or [0]
        if starts[0] != 0:
            starts.insert(0, 0)
        bounds = [*starts, len(line)]
        for n, (a, b) in enumerate(itertools.pairwise(bounds)):
            part = line[a:b].strip()
            if part:
                pieces.append(_Piece(part, page, line_start=n == 0))
    return pieces


def _classify(pieces: list[_Piece], last_number: int, need_start: re.Pattern[str]) -> int:
    """Mark need and goal pieces; goal numbers count only in sequence. Returns the last goal number."""
    expected = last_number + 1
    seen_goal = False
    for piece in pieces:
        m = _GOAL.match(piece.text)
        if m and (int(m.group(1)) == expected or (not seen_goal and int(m.group(1)) == 1)):
            piece.kind, piece.number = "goal", int(m.group(1))
            piece.text = m.group(2).strip()
            expected = piece.number + 1
            seen_goal = True
        elif need_start.match(piece.text):
            piece.kind = "need"
    return expected - 1


def _join(a: str, b: str) -> str:
    return f"{a} {b}".strip() if a else b


def _ends_table(goal_text: str, piece: _Piece, rest: list[_Piece]) -> bool:
    """Does this line, after a goal, start the text below the table rather than continue the goal?

    A bullet or a lead-in ending in ':' is never part of a goal. A capitalised line continues the goal
    when the goal stops on a short function word ("... på" / "Helsenorge") or more cells follow.
    """
    if _BULLET.match(piece.text) or piece.text.endswith(":"):
        return True
    if not piece.text[:1].isupper():
        return False
    last_word = goal_text.rsplit(" ", 1)[-1].casefold()
    if last_word in _FUNCTION_WORDS:
        return False
    return not any(p.kind != "text" for p in rest)


def _parse_body(pieces: list[_Piece]) -> list[_Need]:
    needs: list[_Need] = []
    state = ""  # "" | need | goal
    for idx, piece in enumerate(pieces):
        if piece.kind == "need":
            needs.append(_Need(piece.text, piece.page))
            state = "need"
        elif piece.kind == "goal":
            if not needs:
                needs.append(_Need("", piece.page))
            needs[-1].goals.append((piece.number, piece.text, piece.page))
            state = "goal"
        elif state == "need":
            needs[-1].text = _join(needs[-1].text, piece.text)
        elif state == "goal":
            number, text, page = needs[-1].goals[-1]
            if piece.line_start and _ends_table(text, piece, pieces[idx + 1 :]):
                break
            needs[-1].goals[-1] = (number, _join(text, piece.text), page)
    return needs


def read_result_goals(
    pages: list[Page], profile: CorpusProfile | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return (goals, needs): goals as {number, text, need, area, page}; needs also list goal numbers. The
    table is found by its column headers in ``profile`` (None: «Innbyggers behov | Delmål/resultatmål»)."""
    profile = profile or CorpusProfile()
    from_pipes = read_pipe_tables(pages, profile)
    if from_pipes[0]:
        return from_pipes
    need_start = re.compile(profile.need_start())
    lines = _lines(pages, profile.table_header_part())
    headers, repeats = _find_headers(lines, profile.table_header(), need_start)
    goals: list[dict[str, Any]] = []
    needs_out: list[dict[str, Any]] = []
    last_number = 0
    for h, header in enumerate(headers):
        # The body runs to the next area's first line.
        end = headers[h + 1].first_line if h + 1 < len(headers) else len(lines)
        body = [lines[j] for j in range(header.body_start, end) if j not in repeats]
        if header.rest:
            body.insert(0, (header.rest, lines[header.body_start - 1][1]))
        area = header.area
        pieces = _pieces(body, _split_points(profile.need_start()))
        last_number = max(last_number, _classify(pieces, last_number, need_start))
        for need in _parse_body(pieces):
            needs_out.append(
                {"need": need.text, "area": area, "page": need.page, "goals": [n for n, _, _ in need.goals]}
            )
            for number, text, page in need.goals:
                goals.append({"number": number, "text": text, "need": need.text, "area": area, "page": page})
    return goals, needs_out


def goal_passage_text(goal: dict[str, Any], need_column: str = CorpusProfile.need_column) -> str:
    """The table row as one passage: the goal line verbatim as the document numbers it, then its need
    and main area under the table's own column names, so quotes and citations show document text."""
    return f"{goal['number']}. {goal['text']}\n{need_column}: {goal['need']}\nHovedområde: {goal['area']}"


def goal_passages(
    meta: DocumentMeta, goals: list[dict[str, Any]], need_column: str = CorpusProfile.need_column
) -> list[Passage]:
    """One passage per goal, so a question about a need or an area finds its goals by retrieval."""
    out: list[Passage] = []
    for i, goal in enumerate(goals):
        text = goal_passage_text(goal, need_column)
        out.append(
            Passage(
                chunk_id=chunk_id(meta.source, GOAL_POSITION_BASE + i, text),
                source=meta.source,
                title=meta.title,
                kind=meta.kind,
                organisation=meta.organisation,
                section=f"{goal['area']} > {goal['need']}".strip(" >"),
                page=int(goal["page"]),
                page_end=int(goal["page"]),
                text=text,
            )
        )
    return out
