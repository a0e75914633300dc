"""Find result goals by what a search means, not only by its letters, and say why each one matched.

A goal matches a search word when one of the goal's own words (in the goal, its citizen need or its
main area) has the same stem («avtaler» ~ «avtale»), when the word is part of a goal's compound
(«oversikt» in «helseoversikt»), when part of the search word is a goal's word («timebestilling» =
time + bestilling ~ «bestille»), or when the word forms common Norwegian compounds with a goal's word
(«timer»: «timebestilling», «timeavtale» ~ «bestille», «avtaler»). Apart from that, a goal matches
by meaning when the e5 similarity between the search and the goal stands clearly above the other
goals' similarities. The thresholds were chosen on the queries in tests/test_resultgoal_search.py.

Only narrow callables are used (a tokenizer, an embedder, a general-language word list), so the
chat's reader can use the same search for "Hvilke resultatmål handler om timebestilling?".
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import numpy as np

from assistant.types import ResultGoal

Tokenize = Callable[[list[str]], list[list[str]]]  # texts -> their stems, stop words left out
Embed = Callable[[list[str], bool], np.ndarray]  # (texts, as queries?) -> L2-normalised rows


class Lexicon(Protocol):
    """Norwegian at large (``assistant.lexicon.GeneralLexicon``)."""

    def zipf(self, word: str) -> float: ...

    def starting(self, prefix: str, limit: int = 400) -> list[tuple[str, float]]: ...


# Where in the goal a word was found, and how much that says about the goal itself: the need and the
# area are shared by several goals, so a word there says less about each.
FIELDS = (("text", "resultatmålet", 1.0), ("need", "behovet", 0.8), ("area", "hovedområdet", 0.6))
# How much each kind of match counts (1 = the search word itself is the goal's word).
WHOLE, GOAL_COMPOUND, HEAD_PART, MODIFIER_PART, COMMON_COMPOUND = 1.0, 0.6, 0.6, 0.4, 0.4
# A part of a compound says something only when few goals use it: «tjenester» (in «skytjenester»)
# is in most goals, «bestilling» (in «timebestilling») in one. Share of the goals, at most.
MAX_PART_SHARE = 0.25
# A part of a search word, or the rest of a compound, counts only when it is a common word itself
# (Zipf 3 = once per million words): "ling" in "timebestilling" is no word of its own here.
MIN_PART_ZIPF = 3.0
# Common compounds of a search word tie it to a goal only when they reach two different words of
# that goal («timebestilling», «timeavtale» -> «bestille», «avtaler»): one compound alone is chance
# («budsjettavtalen» -> «avtaler»).
MIN_COMPOUND_WORDS = 2
COMPOUNDS_PER_WORD = 100  # the most common ones; rarer ones add chance links
MIN_COMPOUND_SHARE = 0.4  # ... and at least this share of the goal's distinctive words
# What may follow a stem in another form of the same word.
ENDINGS = frozenset(("e", "a", "er", "en", "et", "ene", "ing", "ning", "else", "het", "lig", "ig", "s"))
# The uninflected form of a search word ("timer" -> "time"), taken when it is a common word.
INFLECTIONS = ("ene", "er", "en", "et", "ne", "e", "r", "a")
MIN_BASE_ZIPF = 3.0
# Shown when the letters cover at least this share of the search (IDF-weighted) ...
MIN_LEXICAL = 0.3
# ... or when the e5 similarity stands this far above the median goal's similarity.
MIN_MEANING_GAP = 0.04
MEANING_SCALE = 0.1  # a gap of 0.1 ranks like a search fully found by letters


@dataclass(frozen=True)
class Reason:
    """One reason a goal matched, in words a user can check against the goal."""

    how: str  # "ord" | "del av ord" | "sammensetning" | "betydning" | "nummer"
    query_word: str
    goal_words: tuple[str, ...] = ()
    where: str = ""  # "resultatmålet" | "behovet" | "hovedområdet"
    via: tuple[str, ...] = ()  # the part or the compounds that tie the two words together

    def text(self) -> str:
        q, g = f"«{self.query_word}»", " og ".join(f"«{w}»" for w in self.goal_words)
        if self.how == "nummer":
            return f"nummer {self.query_word}"
        if self.how == "betydning":
            return "nær i betydning"
        if self.how == "ord" and self.goal_words == (self.query_word,):
            return f"{g} i {self.where}"
        if self.how == "sammensetning":
            joined = ", ".join(f"«{c}»" for c in self.via[:3])
            return f"{q} (som i {joined}) ~ {g} i {self.where}"
        if self.via:
            return f"{q} (delen «{self.via[0]}») ~ {g} i {self.where}"
        return f"{q} ~ {g} i {self.where}"


@dataclass
class GoalHit:
    goal: ResultGoal
    score: float  # what the hits are ranked by
    lexical: float  # 0..1: IDF-weighted share of the search found in the goal's words
    meaning_gap: float  # e5 similarity minus the median over all goals
    reasons: list[Reason] = field(default_factory=list)

    def why(self) -> str:
        return "; ".join(dict.fromkeys(r.text() for r in self.reasons))


@dataclass
class GoalSearch:
    query: str
    hits: list[GoalHit]
    unmatched: list[str]  # search words no goal contains in any form
    notes: list[str] = field(default_factory=list)  # how the search was read («Leste «x» som «y».»)

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "hits": [
                {
                    "goal": h.goal.to_dict(),
                    "score": h.score,
                    "why": h.why(),
                    "reasons": [r.text() for r in h.reasons],
                }
                for h in self.hits
            ],
            "unmatched": list(self.unmatched),
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class _Word:
    goal: int
    where: str
    weight: float
    word: str
    stem: str


Match = dict[int, tuple[float, Reason]]  # goal index -> (weight, reason)


def _letters(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text.lower())


def _same(q: str, g: str) -> bool:
    """The same word in another form: equal stems, or one stem plus an ending («bestill-ing»,
    «veiled-ning», «helsedat-a»); not two words that merely begin alike («kommun-iser»)."""
    if q == g:
        return True
    short, long_ = sorted((q, g), key=len)
    return len(short) >= 5 and long_.startswith(short) and long_[len(short) :] in ENDINGS


def _stem_each(words: list[str], tokenize: Tokenize) -> list[str]:
    """One stem per word ("" for a stop word)."""
    return [tokens[0] if tokens else "" for tokens in tokenize(words)] if words else []


class _Matcher:
    """Which goals a search word matches, and why: every word of every goal's text, need and area."""

    def __init__(self, goals: list[ResultGoal], tokenize: Tokenize, lexicon: Lexicon | None) -> None:
        raw = [
            (i, where, weight, word)
            for i, g in enumerate(goals)
            for attr, where, weight in FIELDS
            for word in _letters(getattr(g, attr))
        ]
        stems = _stem_each([w for *_, w in raw], tokenize)
        self.words = [
            _Word(i, where, weight, w, s) for (i, where, weight, w), s in zip(raw, stems, strict=True) if s
        ]
        self.n = len(goals)
        goals_of: dict[str, set[int]] = {}
        for w in self.words:
            goals_of.setdefault(w.stem, set()).add(w.goal)
        few = max(1, MAX_PART_SHARE * self.n)
        # Per goal, the stems of its own text that few goals use («bestill», not «innbygger»).
        self.distinctive: list[set[str]] = [set() for _ in goals]
        for w in self.words:
            if w.where == FIELDS[0][1] and len(goals_of[w.stem]) <= few:
                self.distinctive[w.goal].add(w.stem)
        self.tokenize = tokenize
        self.lexicon = lexicon

    def _find(self, stem: str, test: Callable[[str, str], bool], weight: float, reason: Reason) -> Match:
        """Goals with a word that passes ``test`` against ``stem``; ``reason`` gets that word."""
        found: Match = {}
        for w in self.words:
            if test(stem, w.stem):
                wt = weight * w.weight
                if w.goal not in found or found[w.goal][0] < wt:
                    found[w.goal] = (wt, replace(reason, goal_words=(w.word,), where=w.where))
        return found

    def _inside(self, q: str, g: str) -> bool:
        """``q`` is the last part («helseoversikt») or the first part («samvalgsverktøy») of the goal's
        compound ``g``, and what is left of ``g`` is a word of its own («helse», «verktøy»), not a
        word that merely begins alike («kommun-ikasjon»)."""
        if len(g) - len(q) < 3:
            return False
        if len(q) >= 4 and g.endswith(q):
            rest = g[: -len(q)]
            return self._common(rest) or (rest[-1] in "se" and self._common(rest[:-1]))
        if len(q) >= 5 and g.startswith(q):
            rest = g[len(q) :]
            return self._common(rest) or (rest[0] in "se" and self._common(rest[1:]))
        return False

    def _same_or_inside(self, q: str, g: str) -> bool:
        return _same(q, g) or self._inside(q, g)

    def _specific(self, found: Match) -> Match:
        """A partial match counts only when it singles out a few goals."""
        return found if len(found) <= max(1, MAX_PART_SHARE * self.n) else {}

    def _common(self, word: str) -> bool:
        """A word of its own (without a lexicon: long enough to be one)."""
        if len(word) < 3:
            return False
        return self.lexicon.zipf(word) >= MIN_PART_ZIPF if self.lexicon else len(word) >= 5

    def word(self, word: str, stem: str) -> Match:
        """Best first: the word itself, the word inside a goal's compound, a part of the word, the word's
        common compounds."""
        found = self._find(stem, _same, WHOLE, Reason("ord", word))
        if found:
            return found
        found = self._specific(self._find(stem, self._inside, GOAL_COMPOUND, Reason("del av ord", word)))
        return found or self._parts(word) or self._compounds(word)

    def _parts(self, word: str) -> Match:
        """«timebestilling» = «time» + «bestilling»: a part that is a common word and (part of) a goal's
        word. The last part may be short («time», «data»); a first part needs five letters."""
        found: Match = {}
        for i in range(3, len(word) - 3):
            left, right = word[:i], word[i:]
            if left[-1] in "se" and not self._common(left) and self._common(left[:-1]):
                left = left[:-1]  # a joining letter: «samvalgs-», «helse-»
            for part, weight, shortest in ((right, HEAD_PART, 4), (left, MODIFIER_PART, 5)):
                if len(part) < shortest or not self._common(part):
                    continue
                stem = _stem_each([part], self.tokenize)[0]
                test = self._same_or_inside if len(stem) >= 5 else _same
                hits = self._specific(self._find(stem, test, weight, Reason("del av ord", word, via=(part,))))
                for goal, (wt, reason) in hits.items():
                    if goal not in found or found[goal][0] < wt:
                        found[goal] = (wt, reason)
        return found

    def _compounds(self, word: str) -> Match:
        """Common compounds that start with the word (or its uninflected form) and end in words of one
        goal («timer»: «timebestilling», «timeavtale» ~ «bestille», «avtaler»). Chance links are
        many (a long goal has words for every compound), so they must reach at least two of the goal's
        own distinctive words, and a good share of them."""
        if self.lexicon is None:
            return {}
        rests: dict[str, list[str]] = {}  # the rest of a compound -> the compounds
        for prefix in self._bases(word):
            for compound, _ in self.lexicon.starting(prefix, COMPOUNDS_PER_WORD):
                rest = compound[len(prefix) :]
                if len(rest) >= 4 and self._common(rest):
                    rests.setdefault(rest, []).append(compound)
        # goal -> its distinctive words reached -> the compounds that reach them
        reached: dict[int, dict[_Word, list[str]]] = {}
        for rest, stem in zip(rests, _stem_each(list(rests), self.tokenize), strict=True):
            for w in self.words:
                if w.where == FIELDS[0][1] and w.stem in self.distinctive[w.goal] and _same(stem, w.stem):
                    via = reached.setdefault(w.goal, {}).setdefault(w, [])
                    via.extend(c for c in rests[rest] if c not in via)
        found: Match = {}
        for goal, words in reached.items():
            stems = {w.stem for w in words}
            if len(stems) < MIN_COMPOUND_WORDS or len(stems) < MIN_COMPOUND_SHARE * len(
                self.distinctive[goal]
            ):
                continue
            compounds = tuple(dict.fromkeys(c for cs in words.values() for c in cs))
            shown = tuple(dict.fromkeys(w.word for w in words))
            found[goal] = (COMMON_COMPOUND, Reason("sammensetning", word, shown, FIELDS[0][1], compounds))
        return self._specific(found)

    def _bases(self, word: str) -> list[str]:
        """The word and its uninflected forms that are common words ("timer" -> "timer", "time")."""
        assert self.lexicon is not None
        bases = [word] + [
            word[: -len(e)]
            for e in INFLECTIONS
            if word.endswith(e)
            and len(word) - len(e) >= 3
            and self.lexicon.zipf(word[: -len(e)]) >= MIN_BASE_ZIPF
        ]
        return list(dict.fromkeys(bases))


def _idf(df: int, n: int) -> float:
    return math.log(1.0 + (n + 1) / (df + 0.5))


def search_goals(
    goals: list[ResultGoal],
    query: str,
    *,
    tokenize: Tokenize,
    embed: Embed | None = None,
    lexicon: Lexicon | None = None,
    ignore: Collection[str] = (),
) -> GoalSearch:
    """The goals a search is about, best first, each with its reasons.

    ``tokenize`` is the BM25 side's tokenizer (stems, no stop words); ``embed`` the e5 embedder (the
    meaning channel is left out without it); ``lexicon`` is Norwegian at large, for the parts and the
    common compounds of a search word (left out without it).
    """
    skip = {w.lower() for w in ignore}
    words = [w for w in dict.fromkeys(_letters(query)) if w not in skip]
    numbers = {int(n) for n in re.findall(r"\b\d{1,3}\b", query)}
    if not goals or not (words or numbers):
        return GoalSearch(query, [], [])
    matcher = _Matcher(goals, tokenize, lexicon)
    per_word: list[tuple[str, float, Match]] = []
    unmatched: list[str] = []
    for word, stem in zip(words, _stem_each(words, tokenize), strict=True):
        if not stem:
            continue  # a stop word
        found = matcher.word(word, stem)
        if not found:
            unmatched.append(word)
        per_word.append((word, _idf(len(found), matcher.n), found))
    total = sum(idf for _, idf, _ in per_word)
    searched = " ".join(words) if skip else query
    gaps = _meaning_gaps(goals, searched, embed) if embed and words else np.zeros(len(goals))
    hits: list[GoalHit] = []
    for i, goal in enumerate(goals):
        reasons = [found[i][1] for _, _, found in per_word if i in found]
        lexical = sum(idf * found[i][0] for _, idf, found in per_word if i in found) / total if total else 0.0
        if goal.number in numbers:
            lexical = 1.0
            reasons.insert(0, Reason("nummer", str(goal.number)))
        gap = float(gaps[i])
        if gap >= MIN_MEANING_GAP:
            reasons.append(Reason("betydning", searched))
        if lexical >= MIN_LEXICAL or gap >= MIN_MEANING_GAP:
            score = lexical + max(gap, 0.0) / MEANING_SCALE
            hits.append(GoalHit(goal, round(score, 4), round(lexical, 4), round(gap, 4), reasons))
    hits.sort(key=lambda h: (-h.score, h.goal.source, h.goal.number))
    return GoalSearch(query, hits, unmatched)


def goal_passage_text(goal: ResultGoal) -> str:
    """What the meaning channel compares a search with: the goal and the need it serves."""
    return f"{goal.text}. {goal.need}"


def _meaning_gaps(goals: list[ResultGoal], query: str, embed: Embed) -> np.ndarray:
    """Each goal's e5 similarity to the search minus the median similarity over all goals: absolute
    e5 similarities between short Norwegian texts are compressed (0.75–0.9 for anything), so only
    standing out from the other goals says something."""
    vectors = np.asarray(embed([goal_passage_text(g) for g in goals], False))
    q = np.asarray(embed([query], True))[0]
    sims = vectors @ q
    result: np.ndarray = sims - float(np.median(sims))
    return result
