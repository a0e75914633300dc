"""The directorate's hearing form: organisation category, question 1 (ja/nei/vet ikke), goal comments, Q3–Q4.

The options, which of them supports the goals and how many questions there are come from the corpus
profile's [hearing.form]; the goal headings from its [goals] (see ingest/profile.py).

The form is a Word document saved as PDF. Its questions are numbered "1) … ?" to "4) … ?"; question 1
asks whether the respondent can stand behind the five strategic goals and offers three tick boxes;
question 2 has a part per strategic goal ("Mål 1: …" to "Mål 5: …"). Tick boxes come out as ☒/☐, or
as "[X]"/"[ ]" in text versions; both are read. A document without question 1 is not on the form.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from ingest.loaders import Page
from ingest.manifest import ManifestEntry
from ingest.normalise import fold, normalise_page
from ingest.privacy import mask_personal_data
from ingest.profile import CorpusProfile

CHECKED = "☒"
UNCHECKED = "☐"
# Other spellings of a ticked / an empty box, mapped to the two above before parsing.
_CHECKED_ALIASES = re.compile(r"\[\s*[xX✓✔]\s*\]|[☑✅✔✓⊠■]")
_ANY_CHECKED = r"(?:☒|\[\s*[xX✓✔]\s*\]|[☑✅✔✓⊠■])"
_UNCHECKED_ALIASES = re.compile(r"\[\s\]|[□❏]")
_QUESTION = re.compile(r"(?:^|(?<=\s))(\d{1,2})\s*[).]\s+(?=[A-ZÆØÅ«])")
_ORG_NAME = re.compile(r"Navn\s+på\s+virksomheten[^:\n]*:", re.IGNORECASE)
# A label line that ends the organisation name ("Kontaktperson:", "E-postadresse:").
_LABEL_LINE = re.compile(r"^[\wæøåÆØÅ\- ]{2,40}:")
_LINK_ONLY = re.compile(r"^(?:mailto:\S+|https?://\S+|www\.\S+)$", re.IGNORECASE)
Q1_MARKER = "strategiske mål"  # question 1 asks about "de fem strategiske målene"


def _answer_order(key: str) -> tuple[int, int]:
    """Answers in the form's order: 1, 2, each goal's comment under 2 ("mål 1", "mål 12"), 3, 4."""
    if key.startswith("mål "):
        return (2, int(key.split()[1]))
    return (int(key), 0) if key.isdigit() else (99, 0)


def _option(profile: CorpusProfile) -> re.Pattern[str]:
    """A tick box and one of the form's options ("☒ Ja", "☐ Vet ikke, utdyp gjerne")."""
    options = sorted(profile.form_options, key=len, reverse=True)
    words = "|".join(r"\s+".join(map(re.escape, o.split())) for o in options)
    return re.compile(rf"([☒☐])\s*({words})\b(?:\s*,?\s*utdyp\s+gjerne)?", re.IGNORECASE)


def _goal_heading(profile: CorpusProfile) -> re.Pattern[str]:
    """A goal's part of question 2 ("Mål 3:"), any number, as the profile writes the goal."""
    return re.compile(rf"(?:^|(?<=\n))\s*{profile.goal_word()}\s*(\d{{1,2}})\s*[:.–-]", re.IGNORECASE)


class _Text:
    """The document as one string of normalised lines, with the page of every position."""

    def __init__(self, pages: list[Page]) -> None:
        parts: list[str] = []
        self.raw_lines: list[str] = []  # before the tick boxes were unified, for exact quotes
        self.starts: list[int] = []
        self.pages: list[int] = []
        offset = 0
        for page in pages:
            for line in normalise_page(page.text):
                if not line or _LINK_ONLY.match(line):
                    continue
                self.raw_lines.append(line)
                line = _UNCHECKED_ALIASES.sub(UNCHECKED, _CHECKED_ALIASES.sub(CHECKED, line))
                self.starts.append(offset)
                self.pages.append(page.number)
                parts.append(line)
                offset += len(line) + 1
        self.text = "\n".join(parts)
        self.first_page = pages[0].number if pages else 1

    def page_at(self, pos: int) -> int:
        if not self.starts:
            return self.first_page
        return self.pages[max(0, bisect.bisect_right(self.starts, pos) - 1)]

    def raw_line_at(self, pos: int) -> str:
        return self.raw_lines[max(0, bisect.bisect_right(self.starts, pos) - 1)] if self.raw_lines else ""

    def answer(self, start: int, end: int) -> dict[str, Any]:
        """{"text", "page"} for text[start:end]: lines joined by spaces, e-mail and phone masked."""
        raw = self.text[start:end]
        lead = len(raw) - len(raw.lstrip())
        text = " ".join(raw.split())
        return {"text": mask_personal_data(text), "page": self.page_at(start + lead if text else start)}


def _questions(doc: _Text, last: int) -> dict[int, tuple[int, int]]:
    """Question number → (start of the question, end of its '?'), in order, from question 1 to ``last``."""
    found: dict[int, tuple[int, int]] = {}
    expected = 1
    for m in _QUESTION.finditer(doc.text):
        number = int(m.group(1))
        if number != expected:
            continue
        mark = doc.text.find("?", m.end(), m.end() + 400)
        if mark < 0:
            continue
        if number == 1 and Q1_MARKER not in fold(doc.text[m.end() : mark]):
            continue
        found[number] = (m.start(), mark + 1)
        expected += 1
        if expected > last:
            break
    return found


def _category(doc: _Text, end: int) -> str | None:
    """The ticked organisation type before question 1, e.g. '☒Statlig etat, ombud eller fagråd'."""
    m = re.search(rf"{CHECKED}\s*([^{CHECKED}{UNCHECKED}\n]+)", doc.text[:end])
    if not m:
        return None
    value = " ".join(m.group(1).split()).strip(" ,;")
    return value or None


def _organisation(doc: _Text, end: int) -> str:
    m = _ORG_NAME.search(doc.text[:end])
    if not m:
        return ""
    rest = doc.text[m.end() : end].split("\n")
    parts = [rest[0].strip()]
    for line in rest[1:4]:
        if _LABEL_LINE.match(line) or CHECKED in line or UNCHECKED in line or _QUESTION.match(line):
            break
        parts.append(line.strip())
    return " ".join(" ".join(parts).split())


def _supports(
    doc: _Text, start: int, end: int, option: re.Pattern[str]
) -> tuple[str | None, dict[str, Any] | None, int]:
    """(the ticked ``option``, ja/nei/vet ikke, or None; the ticked option as quoted; end of the tick-box
    run)."""
    region = doc.text[start:end]
    options = list(option.finditer(region))
    # Only the tick boxes right after the question, not a box mentioned later in the comment.
    run: list[re.Match[str]] = []
    for m in options:
        if run and m.start() - run[-1].end() > 20:
            break
        if not run and len(region[: m.start()].strip()) > 60:
            break
        run.append(m)
    ticked = [m for m in run if m.group(1) == CHECKED]
    if not ticked:
        return None, None, start + (run[-1].end() if run else 0)
    choice = " ".join(ticked[0].group(2).lower().split())
    # Quote the ticked option as the document writes it ("☒ Nei, utdyp gjerne" or "[X] Nei, ...").
    words = r"\s+".join(map(re.escape, ticked[0].group(0)[1:].split()))
    raw = re.search(rf"{_ANY_CHECKED}\s*{words}", doc.raw_line_at(start + ticked[0].start()))
    text = raw.group(0) if raw else ticked[0].group(0)
    quote = {"text": " ".join(text.split()), "page": doc.page_at(start + ticked[0].start())}
    return choice, quote, start + run[-1].end()


def _goal_answers(
    doc: _Text, start: int, end: int, goal_heading: re.Pattern[str]
) -> dict[str, dict[str, Any]]:
    """Question 2: text before the first ``goal_heading`` ("Mål N:") as "2", then each goal's comment as
    "mål N" (the record's key, whatever the goal word)."""
    answers: dict[str, dict[str, Any]] = {}
    heads = [m for m in goal_heading.finditer(doc.text, start, end)]
    first = heads[0].start() if heads else end
    general = doc.answer(start, first)
    if general["text"]:
        answers["2"] = general
    for i, m in enumerate(heads):
        stop = heads[i + 1].start() if i + 1 < len(heads) else end
        line_end = doc.text.find("\n", m.end(), stop)
        line_end = stop if line_end < 0 else line_end
        heading = doc.text[m.end() : line_end]
        # A heading line is the goal's title; a long line is a flattened title + comment.
        body_start = line_end if len(heading.split()) <= 12 else m.end()
        key = f"mål {int(m.group(1))}"
        if key not in answers:
            answers[key] = doc.answer(body_start, stop)
    return answers


def read_hearing(
    pages: list[Page], entry: ManifestEntry | None, profile: CorpusProfile | None = None
) -> dict[str, Any]:
    """The form's answers as a JSON-able dict (stored in ``records["hearing"]``); ``profile``: how the
    form is worded (None: the bundled hearing's form)."""
    profile = profile or CorpusProfile()
    doc = _Text(pages)
    questions = _questions(doc, profile.form_questions)
    q1 = questions.get(1)
    before_form = q1[0] if q1 else len(doc.text)
    organisation = (entry.organisation if entry and entry.organisation else "") or _organisation(
        doc, before_form
    )
    category = _category(doc, before_form) if q1 else None
    if category is None and entry and entry.respondent_category:
        category = entry.respondent_category
    record: dict[str, Any] = {
        "on_form": q1 is not None,
        "organisation": mask_personal_data(organisation),
        "category": mask_personal_data(category) if category else None,
        "supports_goals": None,
        "supports_quote": None,
        "answers": {},
    }
    if q1 is None:
        return record
    numbers = sorted(questions)
    bounds = {
        n: (questions[n][1], questions[numbers[i + 1]][0] if i + 1 < len(numbers) else len(doc.text))
        for i, n in enumerate(numbers)
    }
    answers: dict[str, dict[str, Any]] = {}
    start, end = bounds[1]
    choice, quote, after_boxes = _supports(doc, start, end, _option(profile))
    record["supports_goals"] = choice
    record["supports_quote"] = quote
    answers["1"] = doc.answer(after_boxes, end)
    if 2 in bounds:
        answers.update(_goal_answers(doc, *bounds[2], _goal_heading(profile)))
    for n in range(3, profile.form_questions + 1):
        if n in bounds:
            answers[str(n)] = doc.answer(*bounds[n])
    record["answers"] = {k: answers[k] for k in sorted(answers, key=_answer_order)}
    return record
