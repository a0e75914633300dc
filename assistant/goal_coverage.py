"""How well the result goals cover the strategy's Mål 1 bullets («Frem mot 2030 skal vi oppnå»).

Which goals are compared is data: the profile's ``coverage_goals``, else the goals the operationalisation's
own text names («Operasjonalisering av mål 1», «gjør målsetting 1 og 2 om til …»), else goal 1; the heading
is the profile's ``outcome_heading`` as the strategy writes it.

Each bullet is compared with each goal (the goal and its citizen need) by e5 similarity. Raw
similarities between these short Norwegian statements are compressed (0.87–0.95 for anything) and some
goals are close to everything («Innbygger har oversikt over sine helsekontakter» was the best match for
three unrelated bullets), so each goal's similarity is taken relative to its mean similarity over all
the strategy's «Frem mot 2030» bullets (of every goal): a goal counts for a bullet when it is closer to
that bullet than to the strategy's bullets in general.

The levels («dekket», «delvis», «ikke dekket») come from that relative similarity of the best goal, with
cut-offs chosen on the bullets of all five strategy goals (41), each labelled by reading it against the 20
goals (tests/test_goal_coverage.py): the six Mål 1 bullets a goal states scored 0.050–0.068, the four
bullets goals cover in part 0.014–0.035, the 31 bullets of Mål 2–5 that are not about the citizen
−0.016–0.055 (23 of them below 0.025). With «dekket» from 0.045 and «delvis» from 0.025, 32 of 41 levels
agree with the reading: all six «dekket»; 3 of 4 «delvis»; 23 of 31 «ikke dekket», 7 called «delvis» and
one «dekket» (more data from a broad set of sources, which reads like goal 1's access to one's health
data from the whole service).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from assistant.ports import ProfiledCorpus
from assistant.records import result_goals, result_needs
from core.types import Passage
from ingest.normalise import fold
from ingest.profile import OUTCOME_HEADING, CorpusProfile

COVERED = 0.045  # the best goal's relative similarity at or above this: «dekket»
PARTLY = 0.025  # at or above this: «delvis»; below: «ikke dekket»
LEVELS = ("dekket", "delvis", "ikke dekket")


@dataclass
class CoverageItem:
    bullet: str
    source: str
    section: str
    page: int
    chunk_id: str
    suggestions: list[dict[str, Any]]  # {number, text, need, area, source, score, relative}, best first
    level: str = "ikke dekket"

    @property
    def best(self) -> float:
        return max((s["relative"] for s in self.suggestions), default=0.0)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CoverageScope:
    """What coverage compares, in the collection's own words: the strategic goals (numbers), the heading
    over their bullets as the strategy writes it, how a goal and a result goal are named."""

    goals: tuple[int, ...] = (1,)
    heading: str = "Frem mot 2030 skal vi oppnå"
    goal_word: str = "Mål"  # capitalised, as before a goal's number
    result_word: str = "resultatmål"
    need_word: str = "Innbyggerbehov"  # the table's need: the bundled citizen's need, else «Behov»

    @property
    def goals_text(self) -> str:
        """«Mål 1», «Målsetting 1 og 2»."""
        numbers = [str(n) for n in self.goals]
        listed = numbers[0] if len(numbers) == 1 else f"{', '.join(numbers[:-1])} og {numbers[-1]}"
        return f"{self.goal_word} {listed}"


@dataclass
class Coverage:
    """Strategy goal bullets (of the scope's goals) → the result goals most like them, and how well they
    are covered."""

    items: list[CoverageItem]
    weak_bullets: list[str]  # the bullets not «dekket»
    uncovered_needs: list[dict[str, Any]]
    threshold: float  # the cut-off for «dekket»
    partly: float = PARTLY  # the cut-off for «delvis»
    note: str = "Forslag ut fra hvor like tekstene er i innhold, ikke en fastsatt kobling."
    bullets_found: int = field(default=0)
    scope: CoverageScope = field(default_factory=CoverageScope)

    def shared_best(self) -> dict[int, list[str]]:
        """Goals that are the best match for more than one bullet: number -> those bullets."""
        by_goal: dict[int, list[str]] = {}
        for item in self.items:
            if item.suggestions:
                by_goal.setdefault(int(item.suggestions[0]["number"]), []).append(item.bullet)
        return {n: bullets for n, bullets in by_goal.items() if len(bullets) > 1}

    def to_dict(self) -> dict[str, Any]:
        return {
            "items": [i.to_dict() for i in self.items],
            "weak_bullets": list(self.weak_bullets),
            "uncovered_needs": list(self.uncovered_needs),
            "threshold": self.threshold,
            "partly": self.partly,
            "note": self.note,
        }


def _bullets(text: str) -> list[str]:
    return [line[2:].strip() for line in text.split("\n") if line.startswith("- ") and line[2:].strip()]


def strategy_bullets(corpus: ProfiledCorpus, goal: int | None = None) -> list[tuple[str, Passage]]:
    """The bullets under the outcome heading («Frem mot 2030 skal vi oppnå», the profile's
    ``outcome_heading``) of the strategy document(s), of one goal (1: sections «Mål 1 …») or all.

    A list cut by a page break can continue in a passage of the goal's own section; bullets of such
    a passage on the list's last page or the page after are taken as the list's continuation.
    """
    kinds = corpus.profile.kinds_of("strategy")
    passages = [p for p in corpus.store.all_passages() if p.kind in kinds]
    outcome = corpus.profile.outcome_pattern()
    of_goal = re.compile(rf"{corpus.profile.goal_word()}\s+{goal}\b") if goal else None
    out: list[tuple[str, Passage]] = []
    seen: set[str] = set()
    for p in sorted(passages, key=lambda p: (p.source, p.page)):
        section = fold(p.section)
        if not outcome.search(section) or (
            of_goal and not any(of_goal.match(s) for s in section.split(" > "))
        ):
            continue
        parent = p.section.rsplit(" > ", 1)[0]
        tail = [
            q
            for q in passages
            if q.source == p.source and q.section == parent and p.page_end <= q.page <= p.page_end + 1
        ]
        for q in [p, *sorted(tail, key=lambda q: q.page)]:
            for bullet in _bullets(q.text):
                key = fold(bullet)
                if key not in seen:
                    seen.add(key)
                    out.append((bullet, q))
    return out


def strategy_goal1_bullets(corpus: ProfiledCorpus) -> list[tuple[str, Passage]]:
    return strategy_bullets(corpus, 1)


def covered_goals(corpus: ProfiledCorpus, passages: list[Passage] | None = None) -> tuple[int, ...]:
    """The strategic goals the operationalisation turns into result goals: the profile's ``coverage_goals``,
    else the goals its documents' text names («mål 1», «målsetting 1 og 2») that the strategy has, else 1.
    ``passages``: the store's, when the caller has them already."""
    from assistant.strategy_goals import goal_numbers  # not at import: it brings the reader along

    if corpus.profile.coverage_goals:
        return corpus.profile.coverage_goals
    passages = corpus.store.all_passages() if passages is None else passages
    kinds = set(corpus.profile.kinds_of("operationalisation"))
    named = re.compile(
        rf"\b{corpus.profile.goal_word()}\s+(\d{{1,2}}(?:\s*(?:,|og|and|&)\s*\d{{1,2}}\b)*)", re.IGNORECASE
    )
    found: list[int] = []
    for p in passages:
        if p.kind in kinds:
            for m in named.finditer(p.text):
                found += [int(n) for n in re.findall(r"\d{1,2}", m.group(1))]
    strategy = goal_numbers(corpus, passages)
    kept = sorted({n for n in found if not strategy or n in strategy})
    return tuple(kept) or (1,)


def coverage_scope(corpus: ProfiledCorpus) -> CoverageScope:
    """The goals coverage compares, the outcome heading as the strategy writes it (the profile's pattern
    when no section has it) and the profile's words for a goal and a result goal."""
    passages = corpus.store.all_passages()  # read once for the goals and the heading
    goals = covered_goals(corpus, passages)
    outcome = corpus.profile.outcome_pattern()
    kinds = set(corpus.profile.kinds_of("strategy"))
    heading = next(
        (
            part
            for p in passages
            if p.kind in kinds
            for part in p.section.split(" > ")[1:]
            if outcome.match(part)
        ),
        # No section has the heading: the bundled one as written, another profile's pattern as it stands.
        CoverageScope.heading
        if corpus.profile.outcome_heading == OUTCOME_HEADING
        else corpus.profile.outcome_heading,
    )
    profile = corpus.profile
    word = profile.goal_words[0]
    need = CoverageScope.need_word if profile.need_column == CorpusProfile.need_column else "Behov"
    return CoverageScope(
        goals, heading.rstrip(":"), word[:1].upper() + word[1:], profile.result_goal_words[0], need
    )


def level_of(relative: float, covered: float = COVERED, partly: float = PARTLY) -> str:
    return "dekket" if relative >= covered else "delvis" if relative >= partly else "ikke dekket"


def relative_similarities(corpus: ProfiledCorpus, bullets: list[str], goal_texts: list[str]) -> np.ndarray:
    """bullet × goal similarity minus each goal's mean similarity over all the strategy's bullets."""
    background = [b for b, _ in strategy_bullets(corpus)]
    everything = list(dict.fromkeys(bullets + background))
    g_vec = np.asarray(corpus.embeddings.embed_batch(goal_texts, query=False))
    b_vec = np.asarray(corpus.embeddings.embed_batch(everything, query=False))
    sims = b_vec @ g_vec.T
    rows = [everything.index(b) for b in bullets]
    result: np.ndarray = sims[rows] - sims.mean(axis=0, keepdims=True)
    return result


def coverage(corpus: ProfiledCorpus, threshold: float = COVERED, top: int = 3) -> Coverage:
    operationalisations = corpus.profile.kinds_of("operationalisation")
    goals = result_goals(corpus.store, operationalisations)
    scope = coverage_scope(corpus)
    bullets = [b for goal in scope.goals for b in strategy_bullets(corpus, goal)]
    uncovered = [
        {"need": n["need"], "area": n["area"], "source": n["source"], "page": n["page"]}
        for n in result_needs(corpus.store, operationalisations)
        if not n.get("goals")
    ]
    if not goals or not bullets:
        return Coverage(
            items=[],
            weak_bullets=[b for b, _ in bullets],
            uncovered_needs=uncovered,
            threshold=threshold,
            scope=scope,
        )
    goal_texts = [f"{g.text}. {g.need}" for g in goals]
    relative = relative_similarities(corpus, [b for b, _ in bullets], goal_texts)
    raw = (
        np.asarray(corpus.embeddings.embed_batch([b for b, _ in bullets], query=False))
        @ np.asarray(corpus.embeddings.embed_batch(goal_texts, query=False)).T
    )
    items: list[CoverageItem] = []
    for i, (bullet, passage) in enumerate(bullets):
        suggestions = [
            {
                "number": goals[j].number,
                "text": goals[j].text,
                "need": goals[j].need,
                "area": goals[j].area,
                "source": goals[j].source,
                "score": round(float(raw[i, j]), 4),
                "relative": round(float(relative[i, j]), 4),
            }
            for j in np.argsort(-relative[i])[:top]
        ]
        item = CoverageItem(
            bullet, passage.source, passage.section, passage.page, passage.chunk_id, suggestions
        )
        item.level = level_of(item.best, threshold)
        items.append(item)
    return Coverage(
        items=items,
        weak_bullets=[item.bullet for item in items if item.level != "dekket"],
        uncovered_needs=uncovered,
        threshold=threshold,
        bullets_found=len(bullets),
        scope=scope,
    )
