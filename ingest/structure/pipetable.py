"""A result-goal table written as a Markdown pipe table: one row per goal, the columns in any order.

The table is found by a header row whose cells are the profile's two column headers (``need_column`` and
``goal_column``, any spacing and case, in either order; other columns are left out). Its main area is the
heading over it (the last Markdown heading, "## Læremidler", before the table). A goal cell holds its
number and text ("1. Felles kvalitetskriterier …"), or several numbered goals; a row's need is one need
with all its goals however many rows repeat it (an empty need cell continues the need of the row above).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ingest.loaders import Page
from ingest.normalise import fold, normalise_page
from ingest.profile import CorpusProfile, spaced

_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*$")
_SEPARATOR_CELL = re.compile(r"^:?-{3,}:?$")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
# A goal's number inside a cell: "3. …" or "3) …" at the start or after a space.
_NUMBER = re.compile(r"(?:(?<=\s)|^)(\d{1,2})[.)]\s+(?=\S)")


@dataclass
class _Need:
    text: str
    area: str
    page: int
    goals: list[tuple[int, str, int]] = field(default_factory=list)  # (number, text, page)


def _cells(line: str) -> list[str] | None:
    """The cells of a table row ("| a | b |"), or None for a line that is not one."""
    if not line.startswith("|"):
        return None
    inner = line[1:-1] if line.endswith("|") and len(line) > 1 else line[1:]
    return [" ".join(_BREAK.sub(" ", cell).split()) for cell in re.split(r"(?<!\\)\|", inner)]


def _columns(cells: list[str], profile: CorpusProfile) -> tuple[int, int] | None:
    """(need column, goal column) when the row is the table's header, else None."""

    def index(header: str) -> int | None:
        pattern = re.compile(rf"^\s*{spaced(header)}\s*$", re.IGNORECASE)
        return next((i for i, cell in enumerate(cells) if pattern.match(cell.strip("*_ "))), None)

    need, goal = index(profile.need_column), index(profile.goal_column)
    return (need, goal) if need is not None and goal is not None and need != goal else None


def _goals_of(cell: str, last: int) -> list[tuple[int, str]]:
    """The numbered goals in a goal cell: the number the cell opens with, then only the next number in
    sequence, so a number inside a goal's text stays text. A cell with no number is the table's next goal."""
    starts: list[re.Match[str]] = []
    expected = last + 1
    for m in _NUMBER.finditer(cell):
        if m.start() == 0 or int(m.group(1)) == expected:
            starts.append(m)
            expected = int(m.group(1)) + 1
    if not starts:
        return [(last + 1, cell)] if cell else []
    goals: list[tuple[int, str]] = []
    for n, m in enumerate(starts):
        end = starts[n + 1].start() if n + 1 < len(starts) else len(cell)
        text = cell[m.end() : end].strip()
        if text:
            goals.append((int(m.group(1)), text))
    return goals


def read_pipe_tables(
    pages: list[Page], profile: CorpusProfile
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(goals, needs) as ``read_result_goals`` returns them, from the pipe tables with the profile's column
    headers; ([], []) when there is none."""
    needs: list[_Need] = []
    area = ""
    columns: tuple[int, int] | None = None
    last = 0
    for page in pages:
        for line in normalise_page(page.text):
            cells = _cells(line)
            if cells is None:
                columns = None
                heading = _HEADING.match(line)
                if heading:
                    area = heading.group(1).strip()
                continue
            if columns is None:
                columns = _columns(cells, profile)
                continue
            if all(_SEPARATOR_CELL.match(c) for c in cells if c):
                continue
            need_cell = cells[columns[0]] if columns[0] < len(cells) else ""
            goal_cell = cells[columns[1]] if columns[1] < len(cells) else ""
            need = _need_for(needs, need_cell, area, page.number)
            if need is None:
                continue
            for number, text in _goals_of(goal_cell, last):
                need.goals.append((number, text, page.number))
                last = number
    goals = [
        {"number": number, "text": text, "need": n.text, "area": n.area, "page": page}
        for n in needs
        for number, text, page in n.goals
    ]
    out_needs = [
        {"need": n.text, "area": n.area, "page": n.page, "goals": [g[0] for g in n.goals]} for n in needs
    ]
    return (goals, out_needs) if goals else ([], [])


def _need_for(needs: list[_Need], text: str, area: str, page: int) -> _Need | None:
    """The need a row belongs to: the same need text in the same area (one need however many rows repeat
    it), the need of the row above for an empty cell, or a new need."""
    if not text:
        return needs[-1] if needs and needs[-1].area == area else None
    for need in needs:
        if need.area == area and fold(need.text) == fold(text):
            return need
    needs.append(_Need(text, area, page))
    return needs[-1]
