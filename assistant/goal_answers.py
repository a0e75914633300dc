"""Result-goal questions answered from the operasjonalisering's tables: goals by number, by main area,
by citizen need (quoted, or the closest by meaning and words), or all of them, each goal cited.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from assistant.answer.extractive import FRAME_WORDS as QUESTION_FRAME
from assistant.citations import Citations
from assistant.ports import Corpus, ProfiledCorpus
from assistant.records import result_goals
from core.types import Answer, Passage, ResultGoal
from ingest.normalise import fold
from ingest.profile import CorpusProfile


@functools.lru_cache(maxsize=8)
def goal_numbers(goal_word: str) -> re.Pattern[str]:
    """ "resultatmål 3, 5 og 7": the numbers after a result-goal word (``goal_word``: the profile's)."""
    return re.compile(
        goal_word
        + r"(?:\s*,?\s*(?:nr\.?|nummer|number|no\.?|#)\s*|\s*)(\d{1,2}(?:\s*(?:,|og|and|&|-|–|til|to)\s*\d{1,2})*)"
    )


GOAL_WORD = CorpusProfile().result_goal_word()  # the bundled collection's result-goal words
_GOAL_NUMBERS = goal_numbers(GOAL_WORD)
# Words of the question form itself; what is left names the need asked about.
_FORM_WORDS = """
    resultatmål resultatmålene resultatmålet delmål delmålene delmålet result results goal goals outcome
    dekker dekke dekkes gjelder hører tilhører knyttet behov behovet behovene innbyggers innbyggerbehov
    innbyggerbehovet cover covers belong belongs related need needs citizen citizens hvilke hvilket
    which what under til for om about the to are is of hva er som de det there alle all samtlige list
    liste vis show oversikt overview finnes exist hvor mange how many i in har have has og and
    nummererte numbered me gi give dokumentet document operasjonaliseringen an a en et
"""
_GOAL_QUESTION_WORDS = frozenset(_FORM_WORDS.split())
# How much a need's words matching the question's (inside compounds too: "timebestilling" ~ "bestille")
# adds to its e5 similarity, and how close to the best need another must be to be shown as well.
NEED_LEXICAL_WEIGHT = 0.15
NEED_MARGIN = 0.01


@dataclass(frozen=True)
class _Words:
    """How answers name a result goal and its need: the profile's first result-goal word ("resultatmål",
    "tiltak") and the table's need column ("Innbyggers behov")."""

    goal: str
    need_column: str

    @classmethod
    def of(cls, profile: CorpusProfile) -> _Words:
        return cls(profile.result_goal_words[0], profile.need_column)

    @property
    def title(self) -> str:  # "Resultatmål"
        return self.goal[:1].upper() + self.goal[1:]

    @property
    def definite(self) -> str:  # "resultatmålene"
        return f"{self.goal}ene"

    @property
    def need_noun(self) -> str:  # "innbyggerbehovet" (the bundled table's citizen need), else "behovet"
        return "innbyggerbehovet" if self.need_column == CorpusProfile.need_column else "behovet"

    @property
    def need(self) -> str:  # "innbyggers behov", as in running text
        return self.need_column[:1].lower() + self.need_column[1:]


def answer_result_goals(corpus: ProfiledCorpus, question: str, q: str) -> Answer | None:
    """Goals by number, by a named main area, all goals, or the goals of the need asked about (``q``: the
    folded question); None when no result goals are indexed."""
    goals = result_goals(corpus.store, corpus.profile.kinds_of("operationalisation"))
    if not goals:
        return None
    cites = Citations(corpus.store)
    words = _Words.of(corpus.profile)
    goal_word = corpus.profile.result_goal_word()
    m = goal_numbers(goal_word).search(q)
    if m:
        return _by_number(cites, question, goals, _numbers(m.group(1)), words)
    areas = list(dict.fromkeys(g.area for g in goals))
    named = [a for a in areas if a and fold(a) in q]
    needs = list(dict.fromkeys((g.source, g.need) for g in goals))
    if named:
        need = _need_in_areas(corpus, question, [n for n in needs if _area_of(n, goals) in named], named)
        if need is None:
            return _by_area(cites, question, goals, named, words)
        return _by_need(cites, question, goals, [need], False, words)
    quoted = [n for n in needs if fold(n[1]) in q]
    residual = [
        t for t in re.findall(r"\w+", q) if t not in _GOAL_QUESTION_WORDS and not re.fullmatch(goal_word, t)
    ]
    if not quoted and not residual:
        return _all_goals(cites, question, goals, areas, words)
    chosen = quoted or _best_needs(corpus, question, needs, goals)
    return _by_need(cites, question, goals, chosen, bool(quoted), words)


def _by_number(
    cites: Citations, question: str, goals: list[ResultGoal], wanted: list[int], words: _Words
) -> Answer:
    several_docs = len({g.source for g in goals}) > 1
    lines = []
    for g in [g for g in goals if g.number in wanted]:
        where = f" ({g.source})" if several_docs else ""
        marker = cites.add(g.source, g.text, g.page, _goal_prefer(g, words))
        lines.append(
            f"{words.title} {g.number}{where}: «{g.text}»{marker}\n"
            f"Det hører til {words.need} «{g.need}» i hovedområdet «{g.area}»."
        )
    missing = [n for n in wanted if all(g.number != n for g in goals)]
    if missing:
        lines.append(
            f"{words.title} {', '.join(map(str, missing))} finnes ikke; "
            f"{words.definite} er nummerert {goals[0].number}–{max(g.number for g in goals)}."
        )
    return cites.answer(question, "\n\n".join(lines))


def _by_area(
    cites: Citations, question: str, goals: list[ResultGoal], named: list[str], words: _Words
) -> Answer:
    parts: list[str] = []
    for area in named:
        in_area = [g for g in goals if g.area == area]
        head = f"Hovedområdet «{area}» har {len(in_area)} {words.goal} ({_span(in_area)}):"
        parts.append("\n".join([head, *_goals_by_need(cites, in_area, words)]))
    return cites.answer(question, "\n\n".join(parts))


def _all_goals(
    cites: Citations, question: str, goals: list[ResultGoal], areas: list[str], words: _Words
) -> Answer:
    parts = [f"Det er {len(goals)} {words.goal} i {len(areas)} hovedområder:"]
    for area in areas:
        in_area = [g for g in goals if g.area == area]
        parts.append("\n".join([f"\n{area} ({_span(in_area)})", *_goals_by_need(cites, in_area, words)]))
    return cites.answer(question, "\n".join(parts))


def _by_need(
    cites: Citations,
    question: str,
    goals: list[ResultGoal],
    chosen: list[tuple[str, str]],
    quoted: bool,
    words: _Words,
) -> Answer:
    """The goals of each chosen need: quoted in the question, or the closest to it (said so in a note)."""
    notes = [] if quoted else ["Behovet er valgt som nærmeste treff på ordlyden i spørsmålet."]
    parts = []
    for source, need in chosen:
        of_need = [g for g in goals if g.source == source and g.need == need]
        area = of_need[0].area
        verb = "Behovet" if quoted else f"Det nærmeste {words.need_noun} er"
        intro = (
            f"{verb} «{need}» (hovedområde «{area}») dekkes av {len(of_need)} {words.goal}:"
            if quoted
            else f"{verb} «{need}» (hovedområde «{area}»). {words.definite.capitalize()} under dette behovet:"
        )
        parts.append("\n".join([intro, *(_goal_line(cites, g, words) for g in of_need)]))
    return cites.answer(question, "\n\n".join(parts), notes)


def _area_of(need: tuple[str, str], goals: list[ResultGoal]) -> str:
    return next(g.area for g in goals if (g.source, g.need) == need)


def _need_in_areas(
    corpus: ProfiledCorpus, question: str, needs: list[tuple[str, str]], areas: list[str]
) -> tuple[str, str] | None:
    """A question that names an area in its words about one need ("… behovet for læremidler lærere kan
    stole på"): the one need of those areas sharing at least two of the question's other content stems
    (not the area's, nor the question form's), more than any other need; else None (the area is asked)."""
    generic = set(corpus.stems(" ".join([*sorted(_GOAL_QUESTION_WORDS), *areas]))) | QUESTION_FRAME
    goal_word = re.compile(corpus.profile.result_goal_word())
    asked = {
        s
        for s in corpus.stems(question)
        if s not in generic and not s.isdigit() and not goal_word.fullmatch(s)
    }
    shared = sorted(((_shared_stems(asked, set(corpus.stems(n[1]))), n) for n in needs), reverse=True)
    if not shared or shared[0][0] < 2 or (len(shared) > 1 and shared[1][0] == shared[0][0]):
        return None
    return shared[0][1]


def _shared_stems(asked: set[str], need: set[str]) -> int:
    """How many of the asked stems the need has, one a prefix of the other ("lærer" ~ "lær")."""
    return sum(
        any(min(len(a), len(n)) >= 3 and (a.startswith(n) or n.startswith(a)) for n in need) for a in asked
    )


def _numbers(spec: str) -> list[int]:
    out: list[int] = []
    parts = re.split(r"\s*(?:,|og|and|&)\s*", spec)
    for part in parts:
        m = re.match(r"(\d{1,2})\s*(?:-|–|til|to)\s*(\d{1,2})$", part.strip())
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            out.extend(range(min(a, b), max(a, b) + 1) if abs(b - a) <= 40 else [a, b])
        elif part.strip().isdigit():
            out.append(int(part.strip()))
    return list(dict.fromkeys(out))


def _goal_prefer(goal: ResultGoal, words: _Words) -> Callable[[Passage], bool]:
    """The goal's own passage (its table row, as ingest wrote it) over text that mentions the goal."""
    return lambda p: p.text.startswith(f"{goal.number}. ") and f"\n{words.need_column}: " in p.text


def _goal_line(cites: Citations, goal: ResultGoal, words: _Words) -> str:
    marker = cites.add(goal.source, goal.text, goal.page, _goal_prefer(goal, words))
    return f"- {goal.number}. {goal.text}{marker}"


def _goals_by_need(cites: Citations, goals: list[ResultGoal], words: _Words) -> list[str]:
    lines: list[str] = []
    need: tuple[str, str] | None = None
    for g in goals:
        if (g.source, g.need) != need:
            need = (g.source, g.need)
            lines.append(f"\n{words.need_column}: «{g.need}»")
        lines.append(_goal_line(cites, g, words))
    return lines


def _span(goals: list[ResultGoal]) -> str:
    numbers = [g.number for g in goals]
    if numbers == list(range(numbers[0], numbers[0] + len(numbers))) and len(numbers) > 1:
        return f"{numbers[0]}–{numbers[-1]}"
    return ", ".join(str(n) for n in numbers)


def _best_needs(
    corpus: Corpus, question: str, needs: list[tuple[str, str]], goals: list[ResultGoal]
) -> list[tuple[str, str]]:
    """Needs closest to the question: e5 similarity (the need alone or with its goals) plus the IDF-weighted
    share of the question's stems found in the need and its goals, counting parts of compounds."""
    from assistant.answer.features import compound_cover

    texts = [n[1] for n in needs]
    with_goals = [f"{n[1]}: " + "; ".join(g.text for g in goals if (g.source, g.need) == n) for n in needs]
    qv = np.asarray(corpus.embeddings.embed_batch([question], query=True))[0]
    nv = np.asarray(corpus.embeddings.embed_batch(texts + with_goals, query=False))
    dense = np.maximum(nv[: len(needs)] @ qv, nv[len(needs) :] @ qv)
    generic = set(corpus.stems(" ".join(sorted(_GOAL_QUESTION_WORDS)))) | QUESTION_FRAME
    idf = corpus.idf
    weights = {s: idf(s) for s in corpus.stems(question) if s not in generic and not s.isdigit()}
    lexical = np.array([compound_cover(weights, set(corpus.stems(t))) for t in with_goals])
    score = dense + NEED_LEXICAL_WEIGHT * lexical
    best = float(score.max())
    order = [int(i) for i in np.argsort(-score) if score[int(i)] >= best - NEED_MARGIN][:3]
    return [needs[i] for i in order]
