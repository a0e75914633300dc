"""Whether the documents can answer: the ranker's confidence and three checks of what the question asks.

- **Confidence.** The fitted answerability model's probability that the documents answer the question
  (from the ranker's best scores and how close the best candidates come in meaning and words) is below
  ``abstain_below``; with a model file that has none, the best candidate's probability is used.
- **Missing subject.** The question names a specialised term no document uses that is also rare in
  Norwegian at large, or a name no document uses (``coverage.missing_terms``); a coordinated term is
  only noted.
- **Amount.** The question asks for an amount of money and no candidate states one.
- **Unknown year.** The question names a year no document mentions ("the 2026 evaluation").
Each check is reported in the answer's explanation, fired or not.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.answer.analysis import QuestionAnalysis
from assistant.answer.candidates import Candidate
from assistant.answer.coverage import missing_terms, states_amount
from assistant.types import Check

ABSTAIN_TEXT = "Jeg finner ikke noe om dette i dokumentene."
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


@dataclass(frozen=True)
class AbstentionConfig:
    abstain_below: float  # ranker probability of the best candidate
    rare_below: float  # Zipf frequency under which a term the documents lack is the subject


@dataclass
class Verdict:
    checks: list[Check]
    note: str | None = None  # why, in words, for the answer
    coordinated_note: str | None = None  # a missing term beside other subjects: answered, with a note

    @property
    def abstain(self) -> bool:
        return any(c.fired for c in self.checks)


def judge(
    analysis: QuestionAnalysis,
    candidates: list[Candidate],
    config: AbstentionConfig,
    *,
    stem: Callable[[str], str | None],
    known: Callable[..., bool],
    resembles_known: Callable[[str], bool],
    answerable: float | None = None,
) -> Verdict:
    """Run every check; the verdict abstains when any fires."""
    checks: list[Check] = []
    note: str | None = None
    coordinated_note: str | None = None
    english = analysis.language == "en"
    missing = (
        []
        if english
        else missing_terms(
            analysis.text,
            stem=stem,
            known=known,
            resembles_known=resembles_known,
            rare_below=config.rare_below,
            names=analysis.names,
        )
    )
    subject = [w for w, coordinated in missing if not coordinated]
    names = " eller ".join(f"«{w}»" for w, _ in missing)
    checks.append(
        Check("missing_subject", bool(subject), f"dokumentene bruker ikke {names}" if missing else "")
    )
    if missing:
        text = f"Dokumentene bruker ikke {names}."
        note = text if subject else None
        coordinated_note = None if subject else f"{text} Svaret gjelder resten av spørsmålet."
    years = [y for y in _YEAR.findall(analysis.text) if not known(y, strict=True)]
    checks.append(Check("unknown_year", bool(years), ", ".join(years)))
    if analysis.asks_amount:
        stated = any(states_amount(c.text) for c in candidates)
        checks.append(Check("amount", not stated, "ingen setning oppgir et beløp" if not stated else ""))
        if not stated and note is None:
            note = "Dokumentene oppgir ikke noe beløp for dette."
    best = candidates[0].score if candidates else 0.0
    if answerable is None:
        low = best < config.abstain_below
        detail = f"beste kandidat {best:.3f}, grense {config.abstain_below:.3f}"
    else:
        low = not candidates or answerable < config.abstain_below
        detail = (
            f"kan besvares {answerable:.3f}, grense {config.abstain_below:.3f}; beste kandidat {best:.3f}"
        )
    checks.append(Check("confidence", low, detail))
    return Verdict(checks, note, coordinated_note)
