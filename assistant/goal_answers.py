"""Result-goal questions answered from the operasjonalisering's tables: goals by number, by main area,
by citizen need (quoted, or the closest by meaning and words), or all of them, each goal cited.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

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


def answer_result_goals(corpus: ProfiledCorpus, question: str, q: str) -> Answer | None:
    """Goals by number, by a named main area, all goals, or the goals of the need asked about (``q``: the
    folded question); None when no result goals are indexed."""
    goals = result_goals(corpus.store, corpus.profile.kinds_of("operationalisation"))
    if not goals:
        return None
    cites = Citations(corpus.store)
    m = goal_numbers(corpus.profile.result_goal_word()).search(q)
    if m:
        return _by_number(cites, question, goals, _numbers(m.group(1)))
    areas = list(dict.fromkeys(g.area for g in goals))
    named = [a for a in areas if a and fold(a) in q]
    if named:
        return _by_area(cites, question, goals, named)
    needs = list(dict.fromkeys((g.source, g.need) for g in goals))
    quoted = [n for n in needs if fold(n[1]) in q]
    residual = [t for t in re.findall(r"\w+", q) if t not in _GOAL_QUESTION_WORDS]
    if not quoted and not residual:
        return _all_goals(cites, question, goals, areas)
    chosen = quoted or _best_needs(corpus, question, needs, goals)
    return _by_need(cites, question, goals, chosen, bool(quoted))


def _by_number(cites: Citations, question: str, goals: list[ResultGoal], wanted: list[int]) -> Answer:
    several_docs = len({g.source for g in goals}) > 1
    lines = []
    for g in [g for g in goals if g.number in wanted]:
        where = f" ({g.source})" if several_docs else ""
        marker = cites.add(g.source, g.text, g.page, _goal_prefer(g))
        lines.append(
            f"Resultatmål {g.number}{where}: «{g.text}»{marker}\n"
            f"Det hører til innbyggers behov «{g.need}» i hovedområdet «{g.area}»."
        )
    missing = [n for n in wanted if all(g.number != n for g in goals)]
    if missing:
        lines.append(
            f"Resultatmål {', '.join(map(str, missing))} finnes ikke; "
            f"resultatmålene er nummerert {goals[0].number}–{max(g.number for g in goals)}."
        )
    return cites.answer(question, "\n\n".join(lines))


def _by_area(cites: Citations, question: str, goals: list[ResultGoal], named: list[str]) -> Answer:
    parts: list[str] = []
    for area in named:
        in_area = [g for g in goals if g.area == area]
        head = f"Hovedområdet «{area}» har {len(in_area)} resultatmål ({_span(in_area)}):"
        parts.append("\n".join([head, *_goals_by_need(cites, in_area)]))
    return cites.answer(question, "\n\n".join(parts))


def _all_goals(cites: Citations, question: str, goals: list[ResultGoal], areas: list[str]) -> Answer:
    parts = [f"Det er {len(goals)} resultatmål i {len(areas)} hovedområder:"]
    for area in areas:
        in_area = [g for g in goals if g.area == area]
        parts.append("\n".join([f"\n{area} ({_span(in_area)})", *_goals_by_need(cites, in_area)]))
    return cites.answer(question, "\n".join(parts))


def _by_need(
    cites: Citations, question: str, goals: list[ResultGoal], chosen: list[tuple[str, str]], quoted: bool
) -> Answer:
    """The goals of each chosen need: quoted in the question, or the closest to it (said so in a note)."""
    notes = [] if quoted else ["Behovet er valgt som nærmeste treff på ordlyden i spørsmålet."]
    parts = []
    for source, need in chosen:
        of_need = [g for g in goals if g.source == source and g.need == need]
        area = of_need[0].area
        verb = "Behovet" if quoted else "Det nærmeste innbyggerbehovet er"
        intro = (
            f"{verb} «{need}» (hovedområde «{area}») dekkes av {len(of_need)} resultatmål:"
            if quoted
            else f"{verb} «{need}» (hovedområde «{area}»). Resultatmålene under dette behovet:"
        )
        parts.append("\n".join([intro, *(_goal_line(cites, g) for g in of_need)]))
    return cites.answer(question, "\n\n".join(parts), notes)


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


def _goal_prefer(goal: ResultGoal) -> Callable[[Passage], bool]:
    return lambda p: p.text.startswith(f"{goal.number}. ") and "\nInnbyggers behov: " in p.text


def _goal_line(cites: Citations, goal: ResultGoal) -> str:
    return f"- {goal.number}. {goal.text}{cites.add(goal.source, goal.text, goal.page, _goal_prefer(goal))}"


def _goals_by_need(cites: Citations, goals: list[ResultGoal]) -> list[str]:
    lines: list[str] = []
    need: tuple[str, str] | None = None
    for g in goals:
        if (g.source, g.need) != need:
            need = (g.source, g.need)
            lines.append(f"\nInnbyggers behov: «{g.need}»")
        lines.append(_goal_line(cites, g))
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
