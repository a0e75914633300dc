"""Find the documents' own headings and cut the text into sections of blocks (prose or list items)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.loaders import Page
from ingest.normalise import normalise_page
from ingest.profile import CorpusProfile

_QUESTION = re.compile(r"^([1-9])\)\s+\S")
_MARKDOWN = re.compile(r"^(#{1,6})\s+(\S.*?)(?:\s+#+)?\s*$")  # "## Bakgrunn" in .md files
_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\s+([A-ZÆØÅ«].*)$")
# A list item, or a line of form tick boxes ("☐ Ja, utdyp gjerne ☒ Nei, …", "[X] Nei"): kept apart from
# the answer written under it, so a quote of the answer does not start with the boxes.
_ITEM = re.compile(
    r"^(?:[•\-–o▪◦*]\s+|\d{1,2}\.\s+(?=[A-ZÆØÅ«])|[a-z1-9]\)\s+|[☒☐☑⊠]\s*\S|\[\s*[xX✓✔]?\s*\]\s*\S)"
)
_TOC = re.compile(r"(\.{3,}\s*\d+$)|([a-zæøå]\d{1,3}$)")
_YEAR_REF = re.compile(r"\(\d{4}\)")
# No heading line is longer; a longer line is text (and a title or section name must stay short, since
# both are embedded with every passage of the section).
MAX_HEADING_CHARS = 300
_CAPTION = ("Figur", "Tabell", "Kilde", "Figure", "Table")
# A numbered figure or table caption ("Figur 2. De fem strategiske målene …", wrapped over lowercase lines)
# is a block of its own, so it is never read as the start of the sentence after it.
_NUMBERED_CAPTION = re.compile(r"^(?:Figur|Tabell|Figure|Table)\s+\d+[.:]\s")
# Footnotes ("¹ Regjeringen (2019): …", "2 Kommunal- og …departementet (2019): …") and bare links
# are blocks of their own, so they never end up inside a sentence of the running text.
_FOOTNOTE = re.compile(
    r"^(?:[¹²³⁴⁵⁶⁷⁸⁹⁰]+\s*\S|\d{1,2}\s+[A-ZÆØÅ][^.]{0,90}\(\d{4}\)|https?://\S+$|mailto:\S+$)"
)


@dataclass
class Block:
    """A run of text that belongs together: a paragraph or one list item, with the page of each line."""

    lines: list[tuple[str, int]] = field(default_factory=list)
    is_item: bool = False
    is_note: bool = False  # a footnote or a bare link
    is_caption: bool = False  # a numbered figure or table caption

    @property
    def text(self) -> str:
        return " ".join(line for line, _ in self.lines)


@dataclass
class Section:
    path: list[str]
    blocks: list[Block] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return " > ".join(self.path)

    def words(self) -> int:
        return sum(len(b.text.split()) for b in self.blocks)


def _ends_sentence(line: str) -> bool:
    return line.endswith((".", "?", "!", ":", "»", ";"))


def _breaks_before(prev: str | None) -> bool:
    """Can a heading follow this line? After a sentence, a blank, a footnote, a TOC line or a short title."""
    if prev is None or prev == "" or _ends_sentence(prev) or _TOC.search(prev):
        return True
    if prev[:1] in "¹²³⁴⁵⁶⁷⁸⁹⁰":
        return True
    words = prev.split()
    return len(words) <= 6 and prev[:1].isupper() and not prev.endswith((",", "-", "–"))


@dataclass(frozen=True)
class Headings:
    """The collection's own heading lines, from its profile: a goal's ("Mål 3: …") and the one over a
    goal's outcomes ("Frem mot 2030 skal vi oppnå")."""

    goal: re.Pattern[str]
    outcome: re.Pattern[str]

    @staticmethod
    def of(profile: CorpusProfile) -> Headings:
        return Headings(goal=profile.goal_heading(), outcome=profile.outcome_pattern())


def _heading_kind(line: str, prev: str | None, nxt: str | None, headings: Headings) -> str | None:
    """Return the kind of heading the line is, or None for body text."""
    if len(line) > MAX_HEADING_CHARS:
        return None
    words = line.split()
    if _MARKDOWN.match(line):
        return "markdown"
    if _QUESTION.match(line):
        return "question"
    if headings.outcome.match(line):
        return "frem"
    next_continues = bool(nxt) and nxt[:1].islower()  # type: ignore[index]
    if (
        headings.goal.match(line)
        and len(words) <= 12
        and not line.endswith((".", ","))
        and not _TOC.search(line)
    ):
        return "maal"
    m = _NUMBERED.match(line)
    if (
        m
        and len(words) <= 14
        and not line.endswith((".", ",", ";"))
        and not _YEAR_REF.search(line)
        and int(m.group(1).split(".")[0]) <= 20
        and not _TOC.search(line)
    ):
        return "numbered"
    if (
        len(words) <= 8
        and len(line) <= 70
        and line[:1].isupper()
        and not line.endswith((".", ",", ";", ":", "-", "–"))
        and not _ITEM.match(line)
        and not line.startswith(_CAPTION)
        and not _TOC.search(line)
        and _breaks_before(prev)
        and not next_continues
        and any(ch.isalpha() for ch in line)
        and len(words[-1]) > 1  # "... Helsenæringen I" is a wrapped line, not a title
    ):
        return "plain"
    return None


def split_sections(pages: list[Page], profile: CorpusProfile | None = None) -> list[Section]:
    """Walk the lines of all pages, keeping a heading stack, and return sections in reading order (the
    goal and outcome headings as ``profile`` writes them; None: the bundled collection's)."""
    headings = Headings.of(profile or CorpusProfile())
    lines: list[tuple[str, int]] = []
    for source_page in pages:
        lines.extend((line, source_page.number) for line in normalise_page(source_page.text))
    # Blank lines only separate paragraphs; keep them as markers.
    sections: list[Section] = [Section(path=[])]
    stack: list[tuple[str, int, str]] = []  # (kind, level, text)
    prev_text: str | None = None
    widths: dict[int, int] = {}  # the longest line of each page: what a full, wrapped line looks like
    for text, number in lines:
        widths[number] = max(widths.get(number, 0), len(text))
    i = 0
    n = len(lines)

    def next_nonblank(j: int) -> str | None:
        while j < n:
            if lines[j][0]:
                return lines[j][0]
            j += 1
        return None

    def push(kind: str, text: str) -> None:
        nonlocal stack
        if kind == "markdown":
            m = _MARKDOWN.match(text)
            assert m is not None
            level, text = len(m.group(1)), m.group(2)
        elif kind == "numbered":
            level = text.split()[0].count(".") + 1
        elif kind == "question":
            level = 1
        elif kind == "frem":
            base = [s for s in stack if s[0] != "frem"]
            level = len(base) + 1
        else:
            anchors = [s[1] for s in stack if s[0] in ("numbered", "question")]
            level = (max(anchors) + 1) if anchors else 1
        stack = [s for s in stack if s[1] < level]
        stack.append((kind, level, text))
        sections.append(Section(path=[s[2] for s in stack], kinds=[s[0] for s in stack]))

    paragraph_break = True
    while i < n:
        line, page = lines[i]
        if not line:
            paragraph_break = True
            i += 1
            continue
        kind = _heading_kind(line, prev_text if not paragraph_break else "", next_nonblank(i + 1), headings)
        if kind:
            text = line
            j = i + 1
            # Headings wrapped over lines: a question runs to its '?', others take a short lowercase tail.
            while j < n and lines[j][0]:
                nxt = lines[j][0]
                question_runs_on = kind == "question" and not text.endswith("?") and len(text.split()) < 60
                short_tail = kind in ("numbered", "maal") and nxt[:1].islower() and len(nxt.split()) <= 4
                if question_runs_on or short_tail:
                    text += " " + nxt
                else:
                    break
                j += 1
            if kind == "question" and not text.endswith("?"):
                kind = None  # a numbered list such as "1) Nasjonal e-helsestrategi, som ...": body text
            else:
                push(kind, text.rstrip(":"))
                prev_text = text
                paragraph_break = True  # a heading always ends the paragraph before it
                i = j
                continue
        current = sections[-1]
        last = current.blocks[-1] if current.blocks else None
        # A list item whose last line fills the page's width was wrapped: the next line goes on with
        # it even when it starts with a capital ("… hjemmeoppfølging." / "Dette bidrar til …").
        item_goes_on = bool(
            last
            and last.is_item
            and not _ITEM.match(line)
            and len(last.lines[-1][0]) >= 0.75 * widths.get(last.lines[-1][1], 0)
        )
        # Prose after a "Frem mot 2030" list belongs to the goal again, not to the list.
        if (
            stack
            and stack[-1][0] == "frem"
            and last is not None
            and last.is_item
            and not item_goes_on
            and not _ITEM.match(line)
            and line[:1].isupper()
            and (prev_text or "")[-1:] not in (",",)
        ):
            stack.pop()
            sections.append(Section(path=[s[2] for s in stack], kinds=[s[0] for s in stack]))
            current = sections[-1]
        is_item = bool(_ITEM.match(line))
        if _FOOTNOTE.match(line):
            current.blocks.append(Block(lines=[(line, page)], is_item=False, is_note=True))
            prev_text = line
            paragraph_break = False
            i += 1
            continue
        if current.blocks and current.blocks[-1].is_note:
            note = current.blocks[-1]
            text_blocks = [b for b in current.blocks if not b.is_note and not b.is_item]
            unfinished = bool(text_blocks) and not _ends_sentence(text_blocks[-1].lines[-1][0])
            if note.lines[-1][1] != page and unfinished and not _ITEM.match(line):
                # Next page: the sentence the footnotes interrupted goes on.
                text_blocks[-1].lines.append((line, page))
                prev_text = line
                i += 1
                continue
            if note.lines[-1][1] == page and line[:1].islower():  # the footnote itself goes on
                note.lines.append((line, page))
                prev_text = line
                i += 1
                continue
        # After a list item, a line starting with a capital is new text ("3. Innovasjonskraft" then
        # "Det er prioritert …"), unless it is an acronym ("EU …") or the item goes on over a page break.
        first_word = line.split()[0]
        capital_after_item = bool(
            current.blocks
            and current.blocks[-1].is_item
            and line[:1].isupper()
            and not (len(first_word) > 1 and first_word.isupper())  # "EU …" goes on; "I høringen …" not
            and not item_goes_on
        )
        # A short line of its own that ends no sentence, then a capital: a subheading in running text
        # ("Strategisk styring og oppfølging av strategien" / "Direktoratet skriver …"), not a wrapped line.
        after_title_line = bool(
            current.blocks
            and len(current.blocks[-1].lines) == 1
            and not current.blocks[-1].is_item
            and prev_text is not None
            and not _ends_sentence(prev_text)
            and not prev_text.endswith(",")
            and len(prev_text) < 0.6 * widths.get(page, 0)
            and line[:1].isupper()
        )
        caption = bool(_NUMBERED_CAPTION.match(line))
        starts_new = (
            is_item
            or caption
            or paragraph_break
            or not current.blocks
            or current.blocks[-1].is_note
            or (current.blocks[-1].is_caption and not line[:1].islower())
            or capital_after_item
            or after_title_line
            or (
                prev_text is not None
                and _ends_sentence(prev_text)
                and current.blocks[-1].is_item
                and not item_goes_on
            )
        )
        if starts_new:
            current.blocks.append(Block(lines=[(line, page)], is_item=is_item, is_caption=caption))
        else:
            current.blocks[-1].lines.append((line, page))
        prev_text = line
        paragraph_break = False
        i += 1
    return _demote_empty_headings([s for s in sections if s.blocks or s.path])


def _demote_empty_headings(sections: list[Section]) -> list[Section]:
    """Headings with no text of their own were list lines (e.g. the five goals listed in a summary).

    A run of two or more same-kind headings where all but the last are empty is put back into the
    section before the run as list items, and the last one's text goes there too.
    """
    out: list[Section] = []
    idx = 0
    while idx < len(sections):
        sec = sections[idx]
        run_end = idx
        while (
            run_end + 1 < len(sections)
            and not sections[run_end].blocks
            and sections[run_end].kinds[-1:] == sections[run_end + 1].kinds[-1:]
            and len(sections[run_end].path) == len(sections[run_end + 1].path)
        ):
            run_end += 1
        if (
            run_end == idx + 1
            and sections[run_end].blocks
            and sec.kinds[-1:] == ["plain"]
            and out
            and _first_page(sections[run_end]) > _last_page(out[-1])
        ):
            # An empty plain heading that ends a page, then a heading with text opening the next: a
            # chapter title and its first section («Visjon, overordnede mål og målgrupper» / «Visjon»),
            # not a list of two lines.
            child = sections[run_end]
            child.path, child.kinds = [*sec.path, *child.path[-1:]], [*sec.kinds, *child.kinds[-1:]]
            out.append(child)
            idx = run_end + 1
            continue
        if run_end > idx and out:
            parent = out[-1]
            page = _first_page(sections[run_end]) if sections[run_end].blocks else _last_page(parent)
            for heading in sections[idx : run_end + 1]:
                parent.blocks.append(Block(lines=[(heading.path[-1], page)], is_item=True))
            parent.blocks.extend(sections[run_end].blocks)
            idx = run_end + 1
            continue
        lone = idx + 1 < len(sections) and len(sections[idx + 1].path) <= len(sec.path)
        if not sec.blocks and lone and out:
            # A lone empty heading (a label line such as "Saks-ID 7-42/23"): keep it as text.
            out[-1].blocks.append(Block(lines=[(sec.path[-1], _first_page(sections[idx + 1]))], is_item=True))
            idx += 1
            continue
        if not sec.blocks and lone and not out:
            # The same at the very start (a document's title line): it is the first text.
            sec.blocks.append(Block(lines=[(sec.path[-1], _first_page(sections[idx + 1]))]))
            sec.path, sec.kinds = [], []
        out.append(sec)
        idx += 1
    return [s for s in out if s.blocks]


def _first_page(section: Section) -> int:
    return section.blocks[0].lines[0][1] if section.blocks else 1


def _last_page(section: Section) -> int:
    return section.blocks[-1].lines[-1][1] if section.blocks else 1
