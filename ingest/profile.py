"""The corpus profile: what the reader needs to know of one document collection, as data beside it.

``data/corpus/profile.toml`` describes the bundled e-health collection: its document kinds (what role each
plays, how answers name it, how questions name it) and the hearing's vocabulary (how the summary words what
was done with an input, how a question asks about it, which words point at the hearing). Another
ministry's strategy and hearing gets its own profile; a collection without one is read with no kinds and
no hearing vocabulary, which the reader handles like any text (ingest and the structured features then use
the bundled collection's standard kinds, found by their role like any profile's).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import ConfigError
from ingest.profile_app import AppText, read_app

PROFILE_NAME = "profile.toml"
ROLES = ("strategy", "hearing_summary", "hearing_response", "operationalisation", "other")
_KIND_KEYS = {"role", "label", "title", "names"}
_HEARING_KEYS = {"handling_terms", "handling_question", "hearing_words", "form"}
_FORM_KEYS = {
    "options",
    "support",
    "disagreement",
    "questions",
    "support_question",
    "goal_question",
    "support_words",
    "organisation_labels",
    "category_labels",
    "markers",
}
_GOALS_KEYS = {"goal_words", "result_goal_words", "outcome_heading", "coverage_goals"}
_RESULT_GOALS_KEYS = {"need_column", "goal_column", "need_starts"}
_TOP_KEYS = {"kinds", "hearing", "goals", "result_goals", "app"}
# How the bundled strategy writes a goal ("Mål 3: …") and a result goal ("resultatmål 12"): the defaults.
GOAL_WORDS = ("mål", "goal", "objective")
RESULT_GOAL_WORDS = ("resultatmål", "delmål", "result goal", "results goal", "outcome goal")
OUTCOME_HEADING = r"Frem mot 20\d\d skal vi oppnå"  # the heading over each goal's intended outcomes


@dataclass(frozen=True)
class KindProfile:
    name: str
    role: str
    label: str  # how an answer introduces a quote from this kind ("Strategien")
    names: tuple[str, ...] = ()  # how a question names documents of this kind, lower case
    title: str = ""  # how lists and filters name the kind ("Strategi"); empty: the name, capitalised

    @property
    def display(self) -> str:
        return self.title or self.name.capitalize()


def standard_kinds() -> dict[str, KindProfile]:
    """The kinds of the bundled e-health collection: what a collection whose profile names no kinds is
    read with by ingest and the structured features (the reader itself then knows no kinds)."""
    kinds = (
        KindProfile("strategi", "strategy", "Strategien"),
        KindProfile("høringsoppsummering", "hearing_summary", "Høringsoppsummeringen"),
        KindProfile("operasjonalisering", "operationalisation", "Operasjonaliseringen"),
        KindProfile("høringssvar", "hearing_response", "Høringssvaret"),
        KindProfile("dokument", "other", ""),
    )
    return {k.name: k for k in kinds}


@dataclass(frozen=True)
class CorpusProfile:
    kinds: dict[str, KindProfile] = field(default_factory=dict)
    handling_terms: tuple[str, ...] = ()  # how the hearing summary states what was done with an input
    handling_question: tuple[str, ...] = ()  # how a question asks what was done with an input
    hearing_words: tuple[str, ...] = ()  # word beginnings that point at the hearing
    goal_words: tuple[str, ...] = GOAL_WORDS  # how a strategic goal is written before its number
    result_goal_words: tuple[str, ...] = RESULT_GOAL_WORDS  # word beginnings of a result goal
    outcome_heading: str = OUTCOME_HEADING  # a regex: the heading over a goal's outcomes (its bullets)
    form_options: tuple[str, ...] = ("ja", "nei", "vet ikke")  # the hearing form's tick boxes, question 1
    form_support: str = "ja"  # the option that supports the goals
    form_disagreement: str = "nei"  # the option that does not
    form_questions: int = 4  # the form's questions are numbered 1) to this
    form_support_question: int = 1  # the question with the tick boxes (support for the goals)
    form_goal_question: int = 2  # the question with a part per goal ("Mål 3: …"); 0: none
    form_support_words: tuple[str, ...] = ("strategiske mål",)  # one of these is in the support question
    form_organisation_labels: tuple[str, ...] = ("navn på virksomheten",)  # label(s) before the name
    form_category_labels: tuple[str, ...] = ()  # label(s) before the category; none: the ticked type box
    form_markers: tuple[str, ...] = ("kan dere stille dere bak de fem strategiske målene",)  # on the form
    need_column: str = "Innbyggers behov"  # the result-goal table's column headers, as the document has them
    goal_column: str = "Delmål/resultatmål"
    # How a need's text starts, as written (case kept): where a flattened table row is split into its cells.
    need_starts: tuple[str, ...] = ("Jeg",)
    # The strategic goals the operationalisation turns into result goals (goal coverage compares their
    # outcome bullets); empty: the goals the operationalisation's own text names ("mål 1"), else goal 1.
    coverage_goals: tuple[int, ...] = ()
    app: AppText = field(default_factory=AppText)  # the chat's subject and example questions
    path: str = ""

    def role(self, kind: str) -> str:
        profile = self.kinds.get(kind)
        return profile.role if profile else "other"

    def kinds_with_role(self, role: str) -> list[str]:
        """The kinds the profile itself gives ``role`` (what the reader knows)."""
        return [k for k, p in self.kinds.items() if p.role == role]

    def known_kinds(self) -> dict[str, KindProfile]:
        """The profile's kinds, or with none named, the standard (bundled) ones."""
        return self.kinds or standard_kinds()

    def kinds_of(self, role: str) -> list[str]:
        """The kinds playing ``role`` for ingest and the structured features: the profile's, or with no kinds
        in the profile, the standard ones (a hearing response is then «høringssvar», as before)."""
        return [k for k, p in self.known_kinds().items() if p.role == role]

    def kind_of(self, role: str, default: str) -> str:
        """The first kind playing ``role`` (what an unnamed file of that role is given), else ``default``."""
        return next(iter(self.kinds_of(role)), default)

    def kind_title(self, kind: str) -> str:
        """How lists and filters name ``kind`` ("Strategi"): its title, or the name capitalised."""
        known = self.known_kinds().get(kind)
        return known.display if known else kind.capitalize()

    def form_unsure(self) -> str:
        """The form's option that neither supports nor disagrees ("vet ikke"); empty when there is none."""
        others = [o for o in self.form_options if o not in (self.form_support, self.form_disagreement)]
        return others[0] if others else ""

    def goal_word(self) -> str:
        """A regex for the goal words, lower case ("(?:mål|goal|objective)")."""
        return _alternatives(self.goal_words)

    def goal_heading(self) -> re.Pattern[str]:
        """A goal's own heading line: a goal word, capitalised, any number and a colon ("Mål 3: …")."""
        words = _alternatives(tuple(w.capitalize() for w in self.goal_words))
        return re.compile(rf"^{words}\s+\d{{1,2}}\s*[:–-]\s*\S")

    def goal_title(self) -> re.Pattern[str]:
        """A strategy section named by its goal: ("Mål 3: Name") → number, name."""
        words = _alternatives(tuple(w.capitalize() for w in self.goal_words))
        return re.compile(rf"^{words} (\d{{1,2}}): (.+)$")

    def outcome_pattern(self) -> re.Pattern[str]:
        """The outcome heading, any case, with an optional colon: ``match`` a whole line, ``search`` the end
        of a section path."""
        return re.compile(rf"(?:{self.outcome_heading}):?$", re.IGNORECASE)

    def table_header(self) -> re.Pattern[str]:
        """The result-goal table's header ("Innbyggers behov | Delmål/resultatmål"), however it is spaced."""
        between = r"\s*[|/:]?\s*"
        return re.compile(spaced(self.need_column) + between + spaced(self.goal_column), re.IGNORECASE)

    def table_header_part(self) -> re.Pattern[str]:
        """A line with either column header (the need's, or the goal column's last word): table structure."""
        last = self.goal_column.split("/")[-1]
        return re.compile(f"{spaced(self.need_column)}|{spaced(last)}", re.IGNORECASE)

    def need_start(self) -> str:
        """A regex for the start of a need's text, followed by a space ("(?:Jeg)\\s")."""
        return _alternatives(self.need_starts) + r"\s"

    def result_goal_word(self) -> str:
        """A regex for a result-goal word and its endings ("resultatmålene", "result-goals")."""
        words = sorted(self.result_goal_words, key=len, reverse=True)
        parts = [re.escape(w).replace(r"\ ", "[ -]?") + r"\w*" for w in words]
        return "(?:" + "|".join(parts) + ")"

    def handling_pattern(self) -> re.Pattern[str] | None:
        if not self.handling_terms:
            return None
        terms = sorted(self.handling_terms, key=len, reverse=True)
        return re.compile(r"\b(?:" + "|".join(re.escape(t) for t in terms) + r")\b", re.IGNORECASE)


def spaced(text: str) -> str:
    """A regex for ``text`` with any whitespace between words and around a slash ("Delmål / resultatmål")."""
    parts = re.split(r"\s*/\s*", text.strip())
    return r"\s*/\s*".join(r"\s+".join(map(re.escape, part.split())) for part in parts)


def _alternatives(words: tuple[str, ...]) -> str:
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


def _strings(value: Any, where: str, path: Path) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f'{path}: {where} must be a list of non-empty strings, e.g. ["…", "…"].')
    return tuple(v.strip().lower() for v in value)


def _text(table: dict[str, Any], key: str, where: str, path: Path) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise ConfigError(f'{path}: {where} {key} must be a string, e.g. {key} = "…".')
    return value


def _unknown(keys: set[str], allowed: set[str], where: str, path: Path) -> None:
    extra = sorted(keys - allowed)
    if extra:
        raise ConfigError(
            f"{path}: unknown key {extra[0]!r} in {where}; allowed keys: {', '.join(sorted(allowed))}."
        )


def load_profile(path: Path) -> CorpusProfile:
    """Read and check a profile; a mistake names the file, the key and the fix. No file: an empty profile."""
    if not path.is_file():
        return CorpusProfile(path=str(path))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: the profile cannot be read ({exc}). Fix the TOML syntax.") from None
    _unknown(set(data), _TOP_KEYS, "the top level", path)
    return CorpusProfile(
        kinds=_read_kinds(_table(data, "kinds", path), path),
        **_read_hearing(_table(data, "hearing", path), path),
        **_read_goals(_table(data, "goals", path), path),
        **_read_result_goals(_table(data, "result_goals", path), path),
        app=read_app(_table(data, "app", path), path),
        path=str(path),
    )


def _table(data: dict[str, Any], key: str, path: Path) -> dict[str, Any]:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: [{key}] must be a table.")
    return value


def _read_kinds(raw_kinds: dict[str, Any], path: Path) -> dict[str, KindProfile]:
    kinds: dict[str, KindProfile] = {}
    for name, raw in raw_kinds.items():
        if not isinstance(raw, dict):
            raise ConfigError(f"{path}: [kinds.{name}] must be a table with role, label and names.")
        _unknown(set(raw), _KIND_KEYS, f"[kinds.{name}]", path)
        role = raw.get("role", "other")
        if role not in ROLES:
            raise ConfigError(
                f"{path}: [kinds.{name}] role {role!r} is unknown; use one of {', '.join(ROLES)}."
            )
        label, title = (_text(raw, key, f"[kinds.{name}]", path) for key in ("label", "title"))
        names = _strings(raw.get("names", []), f"[kinds.{name}] names", path) if raw.get("names") else ()
        kinds[name] = KindProfile(name, role, label, names, title)
    return kinds


def _optional_strings(table: dict[str, Any], key: str, where: str, path: Path) -> tuple[str, ...] | None:
    """The list under ``key``, checked; None when the table does not give it."""
    if key not in table:
        return None
    return _strings(table[key], f"[{where}] {key}", path)


def _read_hearing(hearing: dict[str, Any], path: Path) -> dict[str, Any]:
    _unknown(set(hearing), _HEARING_KEYS, "[hearing]", path)
    read = {
        key: (_strings(hearing[key], f"[hearing] {key}", path) if hearing.get(key) else ())
        for key in ("handling_terms", "handling_question", "hearing_words")
    }
    return read | _read_form(_table(hearing, "form", path), path)


def _read_form(form: dict[str, Any], path: Path) -> dict[str, Any]:
    """[hearing.form]: the tick-box options, which supports and which disagrees, how many questions, which
    question has the tick boxes and which a part per goal, and the words that find the form and its fields."""
    _unknown(set(form), _FORM_KEYS, "[hearing.form]", path)
    read: dict[str, Any] = {}
    if "options" in form:
        read["form_options"] = tuple(
            " ".join(o.split()) for o in _strings(form["options"], "[hearing.form] options", path)
        )
    options = read.get("form_options", CorpusProfile.form_options)
    for key in ("support", "disagreement"):
        if key in form:
            value = " ".join(_text(form, key, "[hearing.form]", path).lower().split())
            if value not in options:
                raise ConfigError(
                    f"{path}: [hearing.form] {key} {value!r} is not one of the options; use one of "
                    f"{', '.join(options)}."
                )
            read[f"form_{key}"] = value
    if "questions" in form:
        questions = form["questions"]
        if not isinstance(questions, int) or isinstance(questions, bool) or not 1 <= questions <= 99:
            raise ConfigError(
                f"{path}: [hearing.form] questions must be a whole number from 1 to 99, e.g. 4."
            )
        read["form_questions"] = questions
    for key in ("support_words", "organisation_labels", "category_labels", "markers"):
        if key in form:
            words = _strings(form[key], f"[hearing.form] {key}", path) if form[key] != [] else ()
            read[f"form_{key}"] = tuple(" ".join(w.split()) for w in words)
    last = read.get("form_questions", CorpusProfile.form_questions)
    for key, lowest in (("support_question", 1), ("goal_question", 0)):
        if key in form:
            read[f"form_{key}"] = _question_number(form[key], key, lowest, last, path)
    support = read.get("form_support_question", CorpusProfile.form_support_question)
    goal = read.get("form_goal_question", CorpusProfile.form_goal_question)
    if support > last or goal > last or support == goal:
        raise ConfigError(
            f"{path}: [hearing.form] support_question ({support}) and goal_question ({goal}) must be two "
            f"different questions of the form's {last}; set questions = … to the form's count, "
            "support_question = … to the question with the tick boxes and goal_question = … to the one "
            "with a part per goal (0: none)."
        )
    return read


def _question_number(value: Any, key: str, lowest: int, last: int, path: Path) -> int:
    """A question number of the form: a whole number from ``lowest`` to ``last`` (the form's questions)."""
    if not isinstance(value, int) or isinstance(value, bool) or not lowest <= value <= last:
        raise ConfigError(
            f"{path}: [hearing.form] {key} must be a whole number from {lowest} to {last} (the form's "
            f"questions), e.g. {key} = {max(lowest, 1)}; raise questions = … if the form has more."
        )
    return value


def _read_goals(goals: dict[str, Any], path: Path) -> dict[str, Any]:
    _unknown(set(goals), _GOALS_KEYS, "[goals]", path)
    read: dict[str, Any] = {
        key: _optional_strings(goals, key, "goals", path) for key in ("goal_words", "result_goal_words")
    }
    if "outcome_heading" in goals:
        read["outcome_heading"] = _regex(goals, "outcome_heading", "[goals]", path)
    if "coverage_goals" in goals:
        numbers = goals["coverage_goals"]
        if not isinstance(numbers, list) or not all(
            isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= 99 for n in numbers
        ):
            raise ConfigError(
                f"{path}: [goals] coverage_goals must be a list of goal numbers from 1 to 99, e.g. [1, 2]."
            )
        read["coverage_goals"] = tuple(dict.fromkeys(numbers))
    return {key: value for key, value in read.items() if value is not None}


def _regex(table: dict[str, Any], key: str, where: str, path: Path) -> str:
    """A regular expression under ``key``, compiled once to check it."""
    value = table[key]
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f'{path}: {where} {key} must be a regular expression in a string, e.g. "…".')
    try:
        re.compile(value)
    except re.error as exc:
        raise ConfigError(
            f"{path}: {where} {key} is not a valid regular expression ({exc}). Fix the pattern "
            "(escape a literal ( [ . * + ? with a backslash; in TOML write \\\\d for \\d)."
        ) from None
    return value


def _read_result_goals(table: dict[str, Any], path: Path) -> dict[str, Any]:
    """[result_goals]: the column headers that mark the operationalisation's result-goal table, and how a
    need's text starts."""
    _unknown(set(table), _RESULT_GOALS_KEYS, "[result_goals]", path)
    read: dict[str, Any] = {}
    for key in ("need_column", "goal_column"):
        if key in table:
            value = _text(table, key, "[result_goals]", path)
            if not value.strip():
                raise ConfigError(f'{path}: [result_goals] {key} must not be empty, e.g. {key} = "…".')
            read[key] = " ".join(value.split())
    if "need_starts" in table:
        starts = table["need_starts"]
        if not isinstance(starts, list) or not all(isinstance(v, str) and v.strip() for v in starts):
            raise ConfigError(
                f"{path}: [result_goals] need_starts must be a list of non-empty strings as the need's text "
                'starts (case kept), e.g. need_starts = ["Jeg"].'
            )
        read["need_starts"] = tuple(" ".join(v.split()) for v in starts)
    return read
