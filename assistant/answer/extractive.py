"""The default answerer: picks the retrieved sentences that answer the question and cites each verbatim.

It never writes a claim of its own: the only words it adds are lead-ins naming the source
("Høringsoppsummeringen:") and list bullets.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from assistant.answer.coverage import asks_for_amount, missing_terms, states_amount
from assistant.types import Answer, Citation, Passage
from ingest.sentences import split_sentences

ABSTAIN_TEXT = "Jeg finner ikke noe om dette i dokumentene."
_HANDLING_Q = re.compile(
    r"\b(håndtert|håndterte|fulgt opp|fulgte opp|behandlet|ivaretatt|ble gjort|handled|addressed)\b", re.I
)


# English words that are not also Norwegian words ("for", "by", "to" are both).
_ENGLISH_FUNCTION_WORDS = frozenset(
    re.findall(
        r"\w+",
        "the of which what who whom whose how is are was were did does do in on and with from this that "
        "these those many much when where why has have been be it its there according",
    )
)


def is_english(question: str) -> bool:
    """At least two English function words, a fifth of the words or more: e5 scores it cross-lingually."""
    words = re.findall(r"[a-zæøå']+", question.lower())
    english = sum(w in _ENGLISH_FUNCTION_WORDS for w in words)
    return english >= 2 and english >= 0.2 * len(words)


def asks_about_strategy(question: str) -> bool:
    """ "Hva sier strategien om …?", "… i Nasjonal e-helsestrategi?": the strategy is where to look."""
    return bool(_STRATEGY_SCOPE.search(question))


def is_handling_question(question: str) -> bool:
    """ "Hvordan ble … håndtert / fulgt opp?": lead with the summary's handling, then the strategy."""
    return bool(_HANDLING_Q.search(question))


_STRATEGY_SCOPE = re.compile(
    r"\b(?:i|ifølge|etter|sier|in|of|according to|does)\s+(?:den\s+(?:nye\s+|endelige\s+)?|the\s+(?:new\s+|final\s+)?)?"
    r"(?:nasjonal(?:e)?\s+e-?helsestrategi(?:en)?|e-?helsestrategien|strategien|strategidokumentet|"
    r"(?:national\s+)?e-health strategy|strategy)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_GOAL_REF = re.compile(r"\bmål\s+(\d)\b", re.IGNORECASE)
_HEARING_TOPIC = re.compile(
    r"\b(høring\w*|innspill\w*|aktør\w*|instans\w*|hearing|consultation|respon\w*)", re.IGNORECASE
)
_COUNT_Q = re.compile(
    r"\b(hvor mange|hvor mye|antall|når(?! det (?:gjelder|kommer til))|hvilket år|dato|how many|how much|when)\b",
    re.I,
)
_DIGIT = re.compile(r"\d")
_ITEM = re.compile(r"^(?:[•\-–o▪◦*]\s+|\d{1,2}\.\s+)")
# Words that frame a question rather than name its subject; they weigh nothing in matching.
QUESTION_FRAME = {
    "sier",
    "si",
    "sa",
    "står",
    "stå",
    "skrev",
    "skriv",
    "mener",
    "ment",
    "svart",
    "svarte",
    "ifølg",
    "nevn",
    "nevnt",
    "handl",
    "handler",
    "hvilk",
    "hvilket",
    "what",
    "which",
    "does",
    "say",
    "about",
    "håndter",
    "fulgt",
    "behandl",
    "vurder",
    "omtal",
    "beskriv",
    "finn",
    "fins",
    "noe",
    "innhold",
}
KIND_ORDER_HANDLING = {"høringsoppsummering": 0, "strategi": 1, "høringssvar": 2}
# How the hearing summary states what was done with an input.
HANDLING_TERMS = re.compile(
    r"\b(presisert|presiseres|tydeliggjort|lagt til|lagt inn|fjernet|står seg|ikke tatt inn|tatt inn|"
    r"hensyntatt|justert|tatt ut|svart ut|innarbeidet|omtalt|omtales ikke|løftet (?:opp|frem)|beholde|endret|"
    r"oppdatert|går ikke i dybden|delt i|er vurdert|(?:er det|det er) valgt)\b",
    re.IGNORECASE,
)
# How far after an input the hearing summary may state what was done with it (sentences, same passage).
HANDLING_LOOKAHEAD = 6
_WHY_Q = re.compile(r"\b(hvorfor|why|begrunn\w*|årsak\w*)\b", re.IGNORECASE)
# How a document gives a reason; for "why" questions the reason may follow the sentence that matched.
REASON_TERMS = re.compile(
    r"\b(fordi|derfor|av den grunn|ettersom|på bakgrunn av|begrunn\w*|vurdert som|som følge av)\b",
    re.IGNORECASE,
)
REASON_LOOKAHEAD = 3
_EXAMPLE_Q = re.compile(r"\b(eksempel\w*|example\w*|instance)\b", re.IGNORECASE)
# How a document introduces an example ("Et eksempel på dette er …"), possibly a sentence or two after
# the claim the question quotes.
EXAMPLE_TERMS = re.compile(r"\b(et eksempel|for eksempel|eksempelvis|blant annet|f\.eks)\b", re.IGNORECASE)
EXAMPLE_LOOKAHEAD = 3


@dataclass(frozen=True)
class Tuning:
    """Scoring and abstention constants, calibrated on the eval question set (see evals/)."""

    passages: int = 6  # how many retrieved passages sentences are drawn from
    closest_passages: int = 2  # ... plus this many nearest in meaning, wherever they were ranked
    max_sentences: int = 3
    per_passage: int = 2
    keep_ratio: float = 0.8  # keep sentences scoring at least this share of the best one
    dense_floor: float = 0.78  # e5 cosine similarities start around here for related text
    dense_span: float = 0.12
    dense_weight: float = 0.55
    lexical_weight: float = 0.45
    rank_bonus: float = 0.08
    number_bonus: float = 0.15
    handling_bonus: float = 0.2  # for "how was X handled": the summary's statement of handling
    goal_bonus: float = 0.15  # for a question about "Mål N": a sentence in that goal's own section
    scope_bonus: float = 0.1  # for "… i strategien?": a sentence of the strategy itself
    respondent_bonus: float = 0.15  # for "what did IMDi say …": a sentence of IMDi's own response
    long_sentence_words: int = 50
    long_sentence_penalty: float = 0.15
    # Abstain when the best passage is this far from the question (cosine) ...
    abstain_dense: float = 0.78
    # ... or when the question's own rare words are missing from the documents altogether.
    abstain_unknown_share: float = 0.45
    abstain_score: float = 0.25
    # ... or when the question names a term no document uses that is also rare in Norwegian at large
    # (Zipf < this): its subject. Eval set: such terms 0.0–1.79; the rarest word of an answerable question
    # that the documents lack 2.58 ("kontorarbeid"); everyday words 4–6.
    abstain_rare_zipf: float = 2.2
    # e5 ranks an English question against Norwegian text about 0.045 lower in cosine than a Norwegian one
    # (median best-passage similarity of the eval set's English vs Norwegian questions: 0.832 vs 0.879).
    cross_lingual_shift: float = 0.045


@dataclass
class Unit:
    passage: Passage
    rank: int
    start: int
    end: int
    items: int = 0  # list items that follow an introducing sentence ending in ':'
    score: float = 0.0

    @property
    def text(self) -> str:
        return self.passage.text[self.start : self.end]


def source_label(p: Passage) -> str:
    """Short Norwegian lead-in naming the kind of source."""
    if p.kind == "strategi":
        return "Strategien"
    if p.kind == "høringsoppsummering":
        return "Høringsoppsummeringen"
    if p.kind == "operasjonalisering":
        return "Operasjonaliseringen av mål 1" if "mål 1" in p.title.lower() else f"«{p.title}»"
    if p.kind == "høringssvar":
        org = p.organisation
        short = re.search(r"\(([^)]+)\)\s*$", org)
        if short:
            org = short.group(1)
        return f"Høringssvaret fra {org}" if org else f"Høringssvaret «{p.source}»"
    return f"«{p.title}»"


def _units(passage: Passage, rank: int) -> list[Unit]:
    """Sentences (and list intros with their items) of a passage, as offsets into its text."""
    text = passage.text
    lines: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    units: list[Unit] = []
    for i, (lstart, lend) in enumerate(lines):
        line = text[lstart:lend]
        cursor = 0
        for sentence in split_sentences(line):
            at = line.find(sentence, cursor)
            if at < 0:
                continue
            cursor = at + len(sentence)
            unit = Unit(passage, rank, lstart + at, lstart + at + len(sentence))
            if sentence.rstrip().endswith(":") and cursor >= len(line.rstrip()):
                # Take the list the sentence introduces, so "which goals…" answers are complete.
                j = i + 1
                while j < len(lines) and _ITEM.match(text[lines[j][0] : lines[j][1]]) and unit.items < 12:
                    unit.end = lines[j][1]
                    unit.items += 1
                    j += 1
            units.append(unit)
    return units


class ExtractiveAnswerer:
    def __init__(
        self,
        sentence_vectors: Callable[[list[str]], np.ndarray],
        stems: Callable[[str], list[str]],
        idf: Callable[[str], float],
        known: Callable[..., bool],
        tuning: Tuning | None = None,
        resembles_known: Callable[[str], bool] | None = None,
    ) -> None:
        self.sentence_vectors = sentence_vectors
        self.stems = stems
        self.idf = idf
        self.known = known
        self.resembles_known = resembles_known or (lambda stem: False)
        self.t = tuning or Tuning()

    def _name_stems(self, question: str) -> set[str]:
        """Stems of capitalised words after the first: names, which must match as they are."""
        words = re.findall(r"\w+", question)[1:]
        names = [w for w in words if w[:1].isupper() and not w.isupper()]
        return set(self.stems(" ".join(names))) if names else set()

    def content_stems(self, text: str) -> set[str]:
        return {s for s in self.stems(text) if s not in QUESTION_FRAME}

    def similarity_shift(self, question: str) -> float:
        """How much lower cosines run for this question's language: English against Norwegian text."""
        return self.t.cross_lingual_shift if is_english(question) else 0.0

    def evidence(self, question: str, passages: list[Passage]) -> dict[str, float]:
        """Signals the abstention decision uses; exposed for calibration and tests."""
        q = self.content_stems(question)
        names = self._name_stems(question)
        weights = {s: self.idf(s) for s in q}
        total = sum(weights.values()) or 1.0
        unknown = sum(w for s, w in weights.items() if not self.known(s, strict=s in names)) / total
        known_share = sum(1 for s in q if self.known(s)) / max(len(q), 1)
        dense = max((p.dense_similarity or 0.0) for p in passages) if passages else 0.0
        # A year the documents never mention ("the 2026 evaluation") cannot be answered from them.
        years = [y for y in _YEAR.findall(question) if not self.known(y, strict=True)]
        return {"dense": dense, "unknown": unknown, "known_share": known_share, "unknown_years": len(years)}

    def missing_terms(self, question: str) -> list[tuple[str, bool]]:
        """Specialised terms of the question that no document uses (see ``coverage``)."""

        def stem(word: str) -> str | None:
            stems = self.stems(word)
            return stems[0] if stems and stems[0] not in QUESTION_FRAME else None

        return missing_terms(
            question,
            stem=stem,
            known=self.known,
            resembles_known=self.resembles_known,
            rare_below=self.t.abstain_rare_zipf,
        )

    def answer(
        self,
        question: str,
        query_vector: np.ndarray,
        passages: list[Passage],
        respondents: frozenset[str] = frozenset(),
    ) -> Answer:
        """``respondents``: sources of the hearing responses the question names; their passages may be
        quoted wherever they were ranked."""
        t = self.t
        ev = self.evidence(question, passages)
        shift = self.similarity_shift(question)
        # An English question, or one mostly in words the documents lack: its words cannot be checked.
        cross_lingual = ev["known_share"] < 0.5 or shift > 0
        missing = self.missing_terms(question) if not shift else []
        missing_note = (
            f"Dokumentene bruker ikke {' eller '.join(f'«{w}»' for w, _ in missing)}." if missing else ""
        )
        if (
            not passages
            or ev["unknown_years"]
            or ev["dense"] < t.abstain_dense - shift
            or (not cross_lingual and ev["unknown"] > t.abstain_unknown_share)
            or any(not coordinated for _, coordinated in missing)  # the question's subject is not there
        ):
            return self._abstain(question, passages, missing_note or None)
        if missing_note:
            missing_note += " Svaret gjelder resten av spørsmålet."
        handling = is_handling_question(question)
        strategy_too = handling or asks_about_strategy(question)
        closest = sorted(passages, key=lambda p: -(p.dense_similarity or 0.0))[: t.closest_passages]
        pool = [
            (rank, p)
            for rank, p in enumerate(passages)
            if rank < t.passages
            or (strategy_too and p.kind == "strategi")  # where an input landed, or what was asked
            or any(p is c for c in closest)  # nearest in meaning, however the fusion ranked it
            or p.source in respondents
        ]
        units = [u for rank, p in pool for u in _units(p, rank)]
        units = [u for u in units if len(u.text.split()) >= 4 and not u.text.rstrip().endswith("?")]
        if asks_for_amount(question):  # a sentence about the budget that states no amount does not answer
            units = [u for u in units if states_amount(u.text)]
            if not units:
                return self._abstain(question, passages, "Dokumentene oppgir ikke noe beløp for dette.")
        if not units:
            return self._abstain(question, passages)
        self._score(question, query_vector, units, cross_lingual, shift, respondents)
        best = max(u.score for u in units)
        self.last_best = best
        if best < t.abstain_score:
            return self._abstain(question, passages)
        chosen = self._select(units, best)
        chosen = _distinct(
            [_with_followup(u, units, handling=bool(_HANDLING_Q.search(question))) for u in chosen]
        )
        if handling:
            chosen = _distinct(chosen + [h for u in chosen if (h := _handling_of(u, units)) is not None])
        if _WHY_Q.search(question):
            chosen = _distinct(chosen + [r for u in chosen for r in _reasons_of(u, units)])
        if _EXAMPLE_Q.search(question):
            chosen = _distinct(chosen + [e for u in chosen for e in _examples_of(u, units)])
        if _HANDLING_Q.search(question) and not any(u.passage.kind == "strategi" for u in chosen):
            # Show where the input landed in the strategy: prefer the goal the handling names
            # ("tydeliggjort under Mål 1"), else the closest strategy sentence, when close enough.
            named = {m.group(1) for u in chosen for m in _GOAL_REF.finditer(u.text)}
            strategy = [u for u in units if u.passage.kind == "strategi" and u.score >= 0.5 * best]
            in_goal = [u for u in strategy if any(u.passage.section.startswith(f"Mål {n}") for n in named)]
            close = in_goal or [u for u in strategy if u.score >= 0.7 * best]
            if close:
                chosen.append(max(close, key=lambda u: u.score))
        answer = self._compose(question, chosen, passages)
        if missing_note:
            answer.notes = [missing_note, *answer.notes]
        return answer

    def _score(
        self,
        question: str,
        qvec: np.ndarray,
        units: list[Unit],
        cross_lingual: bool,
        shift: float,
        respondents: frozenset[str] = frozenset(),
    ) -> None:
        t = self.t
        texts = [u.passage.text[u.start : u.start + len(u.text.split("\n")[0])] for u in units]
        vectors = self.sentence_vectors(texts)
        dense = vectors @ qvec
        # "… i Nasjonal e-helsestrategi?" says where to look, not what to look for.
        scoped = asks_about_strategy(question) and not _HANDLING_Q.search(question)
        q = self.content_stems(_STRATEGY_SCOPE.sub(" ", question) if scoped else question)
        weights = {s: self.idf(s) for s in q}
        total = sum(weights.values()) or 1.0
        wants_number = bool(_COUNT_Q.search(question))
        handling = bool(_HANDLING_Q.search(question))
        goals = {m.group(1) for m in _GOAL_REF.finditer(question)}
        # "Hva sier Mål 5 om …?" asks the strategy's goal; the summary's section on Mål 5 reports inputs to it.
        about_hearing = handling or bool(respondents) or bool(_HEARING_TOPIC.search(question))
        # "What did X say, and how was it handled / what does the strategy say": X is one place of several.
        named = frozenset() if handling or asks_about_strategy(question) else respondents
        lexical_weight = 0.0 if cross_lingual else t.lexical_weight
        floor = t.dense_floor - shift
        for unit, sim in zip(units, dense, strict=True):
            heading = unit.passage.section.rsplit(" > ", 1)[-1]
            stems = set(self.stems(heading + " " + unit.text))
            lexical = sum(w for s, w in weights.items() if s in stems) / total
            score = t.dense_weight * float(np.clip((sim - floor) / t.dense_span, 0, 1))
            score += lexical_weight * lexical + t.rank_bonus / (unit.rank + 1)
            if wants_number and _DIGIT.search(unit.text):
                score += t.number_bonus
            if handling and unit.passage.kind == "høringsoppsummering" and HANDLING_TERMS.search(unit.text):
                score += t.handling_bonus
            if (
                goals
                and _in_goal_section(unit.passage.section, goals)
                and (unit.passage.kind != "høringsoppsummering" or about_hearing)
            ):
                score += t.goal_bonus
            if scoped and unit.passage.kind == "strategi":
                score += t.scope_bonus
            if unit.passage.source in named:
                score += t.respondent_bonus
            words = len(unit.text.split())
            if words > t.long_sentence_words:
                score -= t.long_sentence_penalty * min(
                    1.0, (words - t.long_sentence_words) / t.long_sentence_words
                )
            unit.score = score

    def _select(self, units: list[Unit], best: float) -> list[Unit]:
        t = self.t
        chosen: list[Unit] = []
        per_passage: dict[str, int] = {}
        for unit in sorted(units, key=lambda u: -u.score):
            if len(chosen) >= t.max_sentences or unit.score < t.keep_ratio * best:
                break
            cid = unit.passage.chunk_id
            if per_passage.get(cid, 0) >= t.per_passage:
                continue
            if any(c.passage.chunk_id == cid and c.start <= unit.start < c.end for c in chosen):
                continue  # already inside a chosen list
            if any(_same_text(c.text, unit.text) for c in chosen):
                continue
            chosen.append(unit)
            per_passage[cid] = per_passage.get(cid, 0) + 1
        return chosen

    def _compose(self, question: str, chosen: list[Unit], passages: list[Passage]) -> Answer:
        groups: dict[str, list[Unit]] = {}
        for unit in chosen:
            groups.setdefault(unit.passage.source, []).append(unit)
        handling = bool(_HANDLING_Q.search(question))

        def group_key(source: str) -> tuple[float, float]:
            units = groups[source]
            order = KIND_ORDER_HANDLING.get(units[0].passage.kind, 3) if handling else 0
            return (order, -max(u.score for u in units))

        parts: list[str] = []
        citations: list[Citation] = []
        for source in sorted(groups, key=group_key):
            # Document order: an input the summary reports reads before what was done with it.
            units = sorted(groups[source], key=lambda u: (u.passage.page, u.rank, u.start))
            sentences: list[str] = []
            for unit in units:
                n = len(citations) + 1
                p = unit.passage
                citations.append(Citation.from_passage(n, p, unit.text, _page_of(p, unit)))
                sentences.append(_render(unit.text, n))
            sections = {u.passage.section.rsplit(" > ", 1)[-1] for u in units}
            label = source_label(units[0].passage)
            if len(sections) == 1 and (heading := sections.pop()) and len(heading) <= 90:
                label += f" ({heading})"  # where in the document: the section's own heading
            parts.append(f"{label}: " + " ".join(sentences))
        return Answer(
            text="\n\n".join(parts),
            citations=citations,
            abstained=False,
            mode="extractive",
            question=question,
            standalone_question=question,
            notes=[],
            passages=passages,
        )

    def _abstain(self, question: str, passages: list[Passage], reason: str | None = None) -> Answer:
        return Answer(
            text=ABSTAIN_TEXT,
            citations=[],
            abstained=True,
            mode="extractive",
            question=question,
            standalone_question=question,
            notes=[reason] if reason else [],
            passages=passages,
        )


_ANAPHORIC_START = re.compile(
    r"^(Dette|Det|Disse|Denne|Dermed|Derfor|Her|Innspillet|Innspillene|Punktet|Temaet|Forslagene|"
    r"Et eksempel|Eksempelvis|Blant annet)\b"
)


def _with_followup(unit: Unit, units: list[Unit], handling: bool) -> Unit:
    """A sentence that goes on in the next one ("… løftet." + "Dette er presisert …") is quoted with it.

    For "how was it handled" questions the summary's next sentences are searched for the handling.
    """
    if unit.items:
        return unit
    following = sorted(
        (u for u in units if u.passage.chunk_id == unit.passage.chunk_id and u.start >= unit.end),
        key=lambda u: u.start,
    )
    wants_handling = (
        handling and unit.passage.kind == "høringsoppsummering" and not HANDLING_TERMS.search(unit.text)
    )
    for nxt in following[: 2 if wants_handling else 1]:
        if "\n" in unit.passage.text[unit.end : nxt.start]:
            break
        if _ANAPHORIC_START.match(nxt.text) and (not wants_handling or HANDLING_TERMS.search(nxt.text)):
            return Unit(unit.passage, unit.rank, unit.start, nxt.end, score=unit.score)
    return unit


def _in_goal_section(section: str, goals: set[str]) -> bool:
    """The section path runs through one of the goals' own headings ("… > 2.2.5 Mål 5: Samarbeid …")."""
    return any(re.match(rf"(?:[\d.]+\s+)?Mål {n}\b", part) for part in section.split(" > ") for n in goals)


def _handling_of(unit: Unit, units: list[Unit]) -> Unit | None:
    """For an input the hearing summary reports ("Mange har etterlyst …"), the sentence a little further
    on that says what was done with it ("… er presisert i Mål 5"), when the quote does not say it already."""
    if unit.passage.kind != "høringsoppsummering" or HANDLING_TERMS.search(unit.text):
        return None
    found = _later(unit, units, HANDLING_TERMS, HANDLING_LOOKAHEAD, 1)
    return found[0] if found else None


def _reasons_of(unit: Unit, units: list[Unit]) -> list[Unit]:
    """For "hvorfor …?": the next sentences that give the reason ("… og av den grunn er det vurdert at …"),
    when the quote does not give it already."""
    if REASON_TERMS.search(unit.text):
        return []
    return _later(unit, units, REASON_TERMS, REASON_LOOKAHEAD, 2)


def _examples_of(unit: Unit, units: list[Unit]) -> list[Unit]:
    """For "hvilket eksempel …?": the next sentence that gives one ("Et eksempel på dette er …"), when the
    quote does not give it already."""
    if EXAMPLE_TERMS.search(unit.text):
        return []
    return _later(unit, units, EXAMPLE_TERMS, EXAMPLE_LOOKAHEAD, 1)


def _later(unit: Unit, units: list[Unit], pattern: re.Pattern[str], lookahead: int, most: int) -> list[Unit]:
    """Up to ``most`` of the next ``lookahead`` sentences of the same passage that match ``pattern``."""
    following = sorted(
        (u for u in units if u.passage.chunk_id == unit.passage.chunk_id and u.start >= unit.end),
        key=lambda u: u.start,
    )
    found = [u for u in following[:lookahead] if pattern.search(u.text)][:most]
    return [Unit(u.passage, u.rank, u.start, u.end, score=unit.score) for u in found]


def _distinct(units: list[Unit]) -> list[Unit]:
    """Drop a unit whose text another kept unit already quotes (an extended quote swallows the next one)."""
    kept: list[Unit] = []
    for unit in sorted(units, key=lambda u: -(u.end - u.start)):
        if not any(
            k.passage.chunk_id == unit.passage.chunk_id and k.start <= unit.start and unit.end <= k.end
            for k in kept
        ) and not any(_same_text(k.text, unit.text) for k in kept):
            kept.append(unit)
    order = {id(u): i for i, u in enumerate(units)}
    return sorted(kept, key=lambda u: order[id(u)])


def _same_text(a: str, b: str) -> bool:
    fa, fb = " ".join(a.split()).casefold(), " ".join(b.split()).casefold()
    return fa == fb or fa in fb or fb in fa


def _page_of(p: Passage, unit: Unit) -> int:
    """The page the quote starts on when the passage spans pages (estimated by position)."""
    if p.page_end <= p.page or not p.text:
        return p.page
    share = unit.start / max(len(p.text), 1)
    return p.page + int(share * (p.page_end - p.page + 1) * 0.999)


def _render(quote: str, n: int) -> str:
    lines = quote.split("\n")
    if len(lines) == 1:
        return f"{quote} [{n}]"
    head, items = lines[0], lines[1:]
    bullets = "\n".join("- " + _ITEM.sub("", item) for item in items)
    return f"{head} [{n}]\n{bullets}\n"
