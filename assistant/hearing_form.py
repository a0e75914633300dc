"""The hearing form as the corpus profile numbers it and the responses word it: which question has the tick
boxes and which a part per goal, each question's own wording (as the responses on the form give it), and
how answers name a form field («spørsmål 2 («Er dere enige …?»)», «målsetting 6»).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from core.types import HearingResponse
from ingest.normalise import fold
from ingest.profile import CorpusProfile

# A question that names a form question by its number ("spørsmål 3", "question 4").
_NUMBERED = re.compile(r"\b(?:spørsmål|spm\.?|question)\s*(?:nr\.?\s*|nummer\s*|number\s*)?(\d{1,2})\b")
# What a question asks about, and the words a form question that asks it holds.
_FOLLOW_UP = re.compile(
    r"oppfølging(?:en)? av strategien|strategien skal følges opp|oppfølgingsprosess|prosessen for|"
    r"follow[- ]?up of the strategy|strategy (?:is|will be) followed up"
)
_FOLLOW_UP_WORDING = re.compile(r"følges opp|oppfølging|follow")
_OTHER_INPUT = re.compile(r"andre innspill|other (?:comments|input|feedback)")
_OTHER_INPUT_WORDING = re.compile(r"andre innspill|other")


@dataclass(frozen=True)
class HearingForm:
    support: int = 1  # the question with the tick boxes
    goal_question: int = 2  # the question with a part per goal (0: none)
    goal_word: str = "mål"  # how answers name a goal ("mål 3", "målsetting 6")
    goal_pattern: str = "mål"  # a regex for the profile's goal words
    wording: dict[str, str] = field(default_factory=dict)  # question number → its wording

    @property
    def support_key(self) -> str:
        return str(self.support)

    def support_question(self) -> str:
        """«spørsmål 1 («Kan dere stille dere bak de fem strategiske målene …?»)»: the number and the
        wording up to its first comma (the rest elided); the number alone when no response words it."""
        wording = self.wording.get(self.support_key, "")
        if not wording:
            return f"spørsmål {self.support}"
        head, comma, _ = wording.partition(",")
        quoted = f"{head.strip()} …?" if comma else wording
        return f"spørsmål {self.support} («{quoted}»)"

    def field_name(self, key: str) -> str:
        """How an answer names the field ``key``: «målsetting 6» for "mål 6", «spørsmål 3 («…»)» for "3"."""
        if key.startswith("mål "):
            return f"{self.goal_word} {key.split()[1]}"
        wording = self.wording.get(key, "")
        return f"spørsmål {key} («{wording}»)" if wording else f"spørsmål {key}"

    def names_goal(self, text: str, number: str) -> bool:
        """Whether ``text`` names goal ``number`` ("målsetting 6", "mål 6")."""
        return re.search(rf"\b{self.goal_pattern}\s*{number}\b", fold(text)) is not None

    def asked_question(self, q: str) -> str | None:
        """The form question (other than the support and goal questions) the folded question ``q`` asks
        about: by its number ("spørsmål 3"), or by what it asks (the follow-up of the strategy, other input:
        the form question worded so)."""
        m = _NUMBERED.search(q)
        numbers = [n for n in self.wording if int(n) not in (self.support, self.goal_question)]
        if m and m.group(1) in numbers:
            return m.group(1)
        for asks, worded in ((_FOLLOW_UP, _FOLLOW_UP_WORDING), (_OTHER_INPUT, _OTHER_INPUT_WORDING)):
            if asks.search(q):
                found = [n for n in numbers if worded.search(fold(self.wording[n]))]
                if found:
                    return found[0]
        return None


def hearing_form(profile: CorpusProfile, responses: Iterable[HearingResponse]) -> HearingForm:
    """The form of ``profile``, with each question worded as most responses on the form word it."""
    counts: dict[str, Counter[str]] = {}
    for r in responses:
        for number, text in (r.questions or {}).items():
            counts.setdefault(number, Counter())[text] += 1
    wording = {n: c.most_common(1)[0][0] for n, c in sorted(counts.items(), key=lambda x: int(x[0]))}
    return HearingForm(
        support=profile.form_support_question,
        goal_question=profile.form_goal_question,
        goal_word=profile.goal_words[0] if profile.goal_words else "mål",
        goal_pattern=profile.goal_word(),
        wording=wording,
    )
