"""A hearing form: organisation and category, the support question's tick boxes, per-goal comments, the rest.

How the form is worded comes from the corpus profile's [hearing.form] (see ingest/profile.py): the tick-box
options and which of them supports the goals, how many questions there are, which question has the tick
boxes (``support_question``, 1 on the bundled form) and which has a part per goal (``goal_question``, 2),
the words the support question contains, and the labels before the organisation's name and its category.
The goal headings come from its [goals].

The bundled form is a Word document saved as PDF. Its questions are numbered "1) … ?" to "4) … ?"; question
1 asks whether the respondent can stand behind the five strategic goals and offers three tick boxes;
question 2 has a part per strategic goal ("Mål 1: …" to "Mål 5: …"). Tick boxes come out as ☒/☐, or as
"[X]"/"[ ]" in text versions; both are read. A document without the support question is not on the form.
The record keeps each question's own wording (``questions``), which answers quote.
"""

from __future__ import annotations

import bisect
import functools
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
# A label line that ends the organisation name ("Kontaktperson:", "E-postadresse:").
_LABEL_LINE = re.compile(r"^[\wæøåÆØÅ\- ]{2,40}:")
_LINK_ONLY = re.compile(r"^(?:mailto:\S+|https?://\S+|www\.\S+)$", re.IGNORECASE)


def _answer_order(key: str, goal_question: int) -> tuple[int, int]:
    """Answers in the form's order: 1, 2, each goal's comment under the goal question ("mål 1", "mål 12"),
    3, 4."""
    if key.startswith("mål "):
        return (goal_question, int(key.split()[1]))
    return (int(key), 0) if key.isdigit() else (99, 0)


def _labels(labels: tuple[str, ...]) -> re.Pattern[str] | None:
    """A field's label(s) up to its colon ("Navn på virksomheten (statlig etat, …):"); None without labels."""
    if not labels:
        return None
    words = "|".join(r"\s+".join(map(re.escape, label.split())) for label in labels)
    return re.compile(rf"(?:{words})[^:\n]*:", re.IGNORECASE)


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


def _questions(doc: _Text, profile: CorpusProfile) -> dict[int, tuple[int, int]]:
    """Question number → (start of the question, end of its '?'), in order, from question 1 to the last; the
    support question must hold one of the profile's support words. A question without a '?' (a heading
    such as "3) Kommentarer til den enkelte målsettingen") ends with its line when the next question or a
    goal's part comes before any '?'."""
    found: dict[int, tuple[int, int]] = {}
    expected = 1
    goal_heading = _goal_heading(profile)
    candidates = list(_QUESTION.finditer(doc.text))
    for i, m in enumerate(candidates):
        number = int(m.group(1))
        if number != expected:
            continue
        mark = doc.text.find("?", m.end(), m.end() + 400)
        following = [c.start() for c in candidates[i + 1 :] if int(c.group(1)) == number + 1][:1]
        heading = goal_heading.search(doc.text, m.end())
        stop = min([*following, *([heading.start()] if heading else []), len(doc.text)])
        if mark < 0 or stop < mark:
            mark = _heading_end(doc.text, m.end(), stop)
            if mark < 0 or number == profile.form_support_question:
                continue
        words = profile.form_support_words
        if number == profile.form_support_question and words:
            asked = fold(doc.text[m.end() : mark])
            if not any(fold(w) in asked for w in words):
                continue
        found[number] = (m.start(), mark + 1)
        expected += 1
        if expected > profile.form_questions:
            break
    return found


def _heading_end(text: str, start: int, stop: int) -> int:
    """The last position of a question written as a heading without a '?' ("5) Andre innspill"): its line,
    when that line is short, is no sentence and ends before ``stop`` (the next question or goal part);
    else -1."""
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    line = text[start:line_end].strip()
    if line_end > stop or not line or line.endswith(".") or len(line.split()) > 12:
        return -1
    return line_end - 1


def question_texts(doc: _Text, questions: dict[int, tuple[int, int]]) -> dict[str, str]:
    """Each found question's own wording, without its number ("Kan dere stille dere bak … ?")."""
    texts: dict[str, str] = {}
    for number, (start, end) in questions.items():
        m = _QUESTION.match(doc.text, start)
        text = " ".join(doc.text[m.end() if m else start : end].split())
        texts[str(number)] = mask_personal_data(text)
    return texts


def _category(doc: _Text, end: int, profile: CorpusProfile) -> str | None:
    """The category after the profile's category label ("Type virksomhet: Kommune"), or without one the
    ticked organisation type before the form, e.g. '☒Statlig etat, ombud eller fagråd'."""
    label = _labels(profile.form_category_labels)
    found = label.search(doc.text[:end]) if label else None
    if found:
        line = doc.text[found.end() : end].split("\n")[0]
        return " ".join(line.split()).strip(" ,;") or None
    m = re.search(rf"{CHECKED}\s*([^{CHECKED}{UNCHECKED}\n]+)", doc.text[:end])
    if not m:
        return None
    value = " ".join(m.group(1).split()).strip(" ,;")
    return value or None


def _organisation(doc: _Text, end: int, profile: CorpusProfile) -> str:
    """The name after the profile's organisation label, with up to three more lines before the next label."""
    label = _labels(profile.form_organisation_labels)
    m = label.search(doc.text[:end]) if label else None
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
    doc: _Text, start: int, end: int, goal_heading: re.Pattern[str], number: int
) -> dict[str, dict[str, Any]]:
    """The goal question (``number``): text before the first ``goal_heading`` ("Mål N:") under its number,
    then each goal's comment as "mål N" (the record's key, whatever the goal word)."""
    answers: dict[str, dict[str, Any]] = {}
    heads = [m for m in goal_heading.finditer(doc.text, start, end)]
    first = heads[0].start() if heads else end
    general = doc.answer(start, first)
    if general["text"]:
        answers[str(number)] = general
    for i, m in enumerate(heads):
        stop = heads[i + 1].start() if i + 1 < len(heads) else end
        line_end = doc.text.find("\n", m.end(), stop)
        line_end = stop if line_end < 0 else line_end
        heading = doc.text[m.end() : line_end]
        # A heading line is the goal's title; a long line is a flattened title + comment.
        body_start = line_end if len(heading.split()) <= 12 else m.end()
        if not doc.text[body_start:stop].strip():
            body_start = m.end()  # nothing under the heading: its own line is the comment
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
    questions = _questions(doc, profile)
    asked = profile.form_support_question
    on_form = asked in questions
    before_form = questions[min(questions)][0] if on_form else len(doc.text)
    organisation = (entry.organisation if entry and entry.organisation else "") or _organisation(
        doc, before_form, profile
    )
    category = _category(doc, before_form, profile) if on_form else None
    if category is None and entry and entry.respondent_category:
        category = entry.respondent_category
    record: dict[str, Any] = {
        "on_form": on_form,
        "organisation": mask_personal_data(organisation),
        "category": mask_personal_data(category) if category else None,
        "supports_goals": None,
        "supports_quote": None,
        "answers": {},
        "questions": {},
    }
    if not on_form:
        return record
    record["questions"] = question_texts(doc, questions)
    numbers = sorted(questions)
    bounds = {
        n: (questions[n][1], questions[numbers[i + 1]][0] if i + 1 < len(numbers) else len(doc.text))
        for i, n in enumerate(numbers)
    }
    answers: dict[str, dict[str, Any]] = {}
    start, end = bounds[asked]
    choice, quote, after_boxes = _supports(doc, start, end, _option(profile))
    record["supports_goals"] = choice
    record["supports_quote"] = quote
    answers[str(asked)] = doc.answer(after_boxes, end)
    goal_question = profile.form_goal_question
    if goal_question in bounds:
        answers.update(_goal_answers(doc, *bounds[goal_question], _goal_heading(profile), goal_question))
    for n in numbers:
        if n not in (asked, goal_question):
            answers[str(n)] = doc.answer(*bounds[n])
    order = functools.partial(_answer_order, goal_question=goal_question)
    record["answers"] = {k: answers[k] for k in sorted(answers, key=order)}
    return record
