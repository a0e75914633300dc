"""Features of each candidate for the fitted ranker: one row per candidate, one named column per feature.

Every feature is a general signal of whether a sentence answers a question, measured the same way on the
bundled corpus and on NorQuAD's news and encyclopedia articles: how close in meaning (e5), how many of the
question's weighted stems it holds (also inside compounds, in its neighbours and in its section heading),
whether it holds what the answer type asks for (a date for "når", a number for "hvor mange", a name for
"hvem", a definition for "hva er"), where it stands, how each retrieval channel ranked its passage, and how
it compares with the question's other candidates (difference from the best, rank). What only a document
collection knows (its kinds, how its hearing summary words a handling) comes in through ``ReaderTerms``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from assistant.answer.analysis import AnswerType, QuestionAnalysis
from assistant.answer.candidates import Candidate

ROLES = ("strategy", "hearing_summary", "hearing_response", "operationalisation")

# -- what a sentence holds -------------------------------------------------------------------------
_MONTHS = (
    r"januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember|"
    r"january|february|march|june|july|october|december"
)
YEAR = re.compile(r"\b(?:1[5-9]\d\d|20\d\d)\b")
DATE = re.compile(
    rf"\b\d{{1,2}}\.\s*(?:{_MONTHS})\b|\b\d{{1,2}}\.\d{{1,2}}\.\d{{2,4}}\b|\b(?:{_MONTHS})\s+\d{{4}}\b|"
    r"\b(?:våren|høsten|sommeren|vinteren|i løpet av)\s+(?:\d{4}|året)\b|\b(?:\d{4})\s*[-–]\s*(?:\d{2,4})\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = (
    r"to|tre|fire|fem|seks|sju|syv|åtte|ni|ti|elleve|tolv|femten|tjue|tretti|førti|femti|hundre|tusen|"
    r"million(?:er)?|milliard(?:er)?|halvparten|flertall\w*|dobbelt|two|three|four|five|six|seven|eight|"
    r"nine|ten|twelve|twenty|hundred|thousand|million|billion"
)
NUMBER = re.compile(rf"\b\d+(?:[.,]\d+)?\b|\b(?:{_NUMBER_WORDS})\b", re.IGNORECASE)
AMOUNT = re.compile(
    r"\d[\d  .,]*\s*(?:kr\b|kroner|nok\b|mill\w*|mrd\b|milliard\w*|billion|million|prosent|%)|"
    r"\b(?:kr|nok)\.?\s*\d",
    re.IGNORECASE,
)
PERSON = re.compile(r"(?<=[a-zæøå,] )[A-ZÆØÅ][a-zæøåé]+(?:\s+[A-ZÆØÅ][a-zæøåé\-]+)+")
ORGANISATION = re.compile(
    r"\b[A-ZÆØÅ]{2,}[a-z]?\b|\b\w*(?i:direktorat|departement|forening|forbund|etat|tilsyn|rådet|utvalg|"
    r"kommune|selskap|universitet|sykehus|helseforetak|organisasjon|institutt|byrå|senter|klinikk)"
    r"\w*\b|\b(?:AS|ASA|RHF|HF)\b"
)
PLACE = re.compile(r"\b(?:i|på|fra|til|ved|in|at|from)\s+[A-ZÆØÅ][a-zæøå]+")
DEFINITION = re.compile(
    r"\b(?:er|var)\s+(?:«|:|en\b|et\b|ei\b)|\b(?:består av|betyr|defineres|innebærer|handler om|omfatter|"
    r"viser til|refererer til|samlebegrep|kalles|heter|menes|dreier seg om|is defined|means|refers to)\b",
    re.IGNORECASE,
)
REASON = re.compile(
    r"\b(?:fordi|derfor|på grunn av|grunnet|ettersom|av den grunn|på bakgrunn av|som følge av|begrunn\w*|"
    r"for å|slik at|because|therefore|due to|in order to)\b",
    re.IGNORECASE,
)
INLINE_ITEM = re.compile(r"\(\d{1,2}\)|\b\d{1,2}\)\s|;\s")
QUOTE = re.compile(r"[«\"“]")
NEGATION = re.compile(r"\b(?:ikke|aldri|ingen|intet|nei|not|no|never)\b", re.IGNORECASE)


@dataclass(frozen=True)
class ReaderTerms:
    """Corpus vocabulary the features read: each kind's role, and how a handling is worded."""

    kind_roles: dict[str, str] = field(default_factory=dict)  # kind -> one of ROLES (or anything else)
    handling_terms: re.Pattern[str] | None = None


@dataclass
class Signals:
    """The narrow things the features need from the index: stems, IDF weights and cached vectors."""

    stems: Callable[[str], list[str]]
    idf: Callable[[str], float]
    vectors: Callable[[list[str]], np.ndarray]  # document-side e5 vectors (cached at ingest)
    passage_text: Callable[[object], str]  # what a passage was embedded as
    frame: frozenset[str] = frozenset()


RAW = (
    "dense",
    "dense_passage",
    "dense_prev",
    "dense_next",
    "lex",
    "lex_full",
    "lex_compound",
    "lex_window",
    "lex_heading",
    "lex_context",
    "rare_cov",
    "name_cov",
    "novel",
    "log_words",
    "has_year",
    "has_date",
    "has_number",
    "has_amount",
    "has_person",
    "has_org",
    "has_place",
    "is_definition",
    "is_reason",
    "log_items",
    "enumeration",
    "has_handling",
    "has_quote",
    "negation",
    "is_question",
    "type_match",
    "sent_index",
    "is_first",
    "rr_dense",
    "rr_lexical",
    "rr_sentences",
    "rr_fused",
    "extra_passage",
    "kind_named",
    "respondent_named",
    "goal_section",
    *(f"role_{r}" for r in ROLES),
)
QUESTION = (
    *(f"qt_{t.value}" for t in AnswerType),
    "q_english",
    "q_about_hearing",
    "q_has_names",
    "q_terms",
)
RELATIVE = (
    "dense_gap",
    "dense_rank",
    "dense_passage_gap",
    "lex_gap",
    "lex_rank",
    "compound_gap",
    "window_gap",
    "context_gap",
    "combo_gap",
    "combo_rank",
)
FEATURES: tuple[str, ...] = (*RAW, *QUESTION, *RELATIVE)


def _cover(weights: dict[str, float], stems: set[str]) -> float:
    total = sum(weights.values())
    return sum(w for s, w in weights.items() if s in stems) / total if total else 0.0


def compound_cover(weights: dict[str, float], stems: set[str]) -> float:
    """Like ``_cover``, but a question stem also counts half inside a compound or a compound of it
    ("timebestill" ~ "bestill", "helsedata" ~ "data")."""
    total = sum(weights.values())
    if not total:
        return 0.0
    got = 0.0
    for s, w in weights.items():
        if s in stems:
            got += w
        elif len(s) >= 4 and any(
            (len(t) >= 4 and (t in s or s in t)) for t in stems if abs(len(t) - len(s)) <= 12
        ):
            got += 0.5 * w
    return got / total


def _type_match(kind: AnswerType, f: dict[str, float]) -> float:
    if kind is AnswerType.DATE:
        return max(f["has_date"], 0.6 * f["has_year"])
    if kind is AnswerType.NUMBER:
        return max(f["has_number"], f["has_amount"])
    if kind is AnswerType.WHO:
        return max(f["has_person"], f["has_org"])
    if kind is AnswerType.PLACE:
        return f["has_place"]
    if kind is AnswerType.DEFINITION:
        return f["is_definition"]
    if kind is AnswerType.REASON:
        return f["is_reason"]
    if kind is AnswerType.LIST:
        return float(f["log_items"] > 0 or f["enumeration"] > 0)
    if kind is AnswerType.HANDLING:
        return f["has_handling"]
    return 0.0


def _in_goal_section(section: str, goals: tuple[int, ...]) -> bool:
    return any(
        re.match(rf"(?:[\d.]+\s+)?(?:Mål|Goal) {n}\b", part) for part in section.split(" > ") for n in goals
    )


def question_weights(analysis: QuestionAnalysis, signals: Signals) -> dict[str, float]:
    """IDF weights of the question's content stems (framing words and digits left out)."""
    stems = [s for s in signals.stems(analysis.text) if s not in signals.frame and not s.isdigit()]
    return {s: signals.idf(s) for s in dict.fromkeys(stems)}


def compute(
    analysis: QuestionAnalysis,
    qvec: np.ndarray,
    candidates: list[Candidate],
    signals: Signals,
    terms: ReaderTerms,
) -> np.ndarray:
    """The feature matrix (len(candidates) × len(FEATURES)); also stored on each candidate by name."""
    if not candidates:
        return np.zeros((0, len(FEATURES)), dtype=np.float32)
    weights = question_weights(analysis, signals)
    rare = dict(sorted(weights.items(), key=lambda kv: -kv[1])[:2])
    name_stems = {s for n in analysis.names for s in signals.stems(n)}
    heads = [c.head for c in candidates]
    sims = signals.vectors(heads) @ qvec
    passages = list({c.passage.chunk_id: c.passage for c in candidates}.values())
    pvec = signals.vectors([signals.passage_text(p) for p in passages]) @ qvec
    passage_sim = {p.chunk_id: float(s) for p, s in zip(passages, pvec, strict=True)}
    by_passage: dict[str, list[int]] = {}
    for i, c in enumerate(candidates):
        by_passage.setdefault(c.passage.chunk_id, []).append(i)
    head_stems = [set(signals.stems(h)) for h in heads]
    about_question = _question(analysis, weights)
    rows = []
    for i, c in enumerate(candidates):
        siblings = by_passage[c.passage.chunk_id]
        at = siblings.index(i)
        prev_i = siblings[at - 1] if at > 0 else None
        next_i = siblings[at + 1] if at + 1 < len(siblings) else None
        window = head_stems[i] | (head_stems[prev_i] if prev_i is not None else set())
        window |= head_stems[next_i] if next_i is not None else set()
        full = set(signals.stems(c.text)) if c.items else head_stems[i]
        heading = set(signals.stems(f"{c.passage.title} {c.passage.section}"))
        f = _raw(c, analysis, terms)
        f["dense"] = float(sims[i])
        f["dense_passage"] = passage_sim[c.passage.chunk_id]
        f["dense_prev"] = float(sims[prev_i]) if prev_i is not None else float(sims[i])
        f["dense_next"] = float(sims[next_i]) if next_i is not None else float(sims[i])
        f["lex"] = _cover(weights, head_stems[i])
        f["lex_full"] = _cover(weights, full)
        f["lex_compound"] = compound_cover(weights, full)
        f["lex_window"] = _cover(weights, window)
        f["lex_heading"] = _cover(weights, heading)
        # The sentence read where it stands, with its neighbours and under its heading: a section
        # answers the question its heading names in sentences that need not repeat the heading's
        # words, as an article titled by its subject goes on about "han" or "den".
        f["lex_context"] = compound_cover(weights, window | heading)
        f["rare_cov"] = _cover(rare, window)
        f["name_cov"] = len(name_stems & full) / len(name_stems) if name_stems else 0.0
        content = {s for s in head_stems[i] if s not in signals.frame}
        f["novel"] = len(content - set(weights)) / len(content) if content else 0.0
        f["type_match"] = _type_match(analysis.answer_type, f)
        f["goal_section"] = float(
            bool(analysis.goals) and _in_goal_section(c.passage.section, analysis.goals)
        )
        f.update(about_question)
        c.features = f
        rows.append(f)
    _relative(rows)
    matrix = np.array([[row[name] for name in FEATURES] for row in rows], dtype=np.float32)
    return matrix


TRAITS = (
    "log_words",
    "has_year",
    "has_date",
    "has_number",
    "has_amount",
    "has_person",
    "has_org",
    "has_place",
    "is_definition",
    "is_reason",
    "enumeration",
    "has_quote",
    "negation",
    "is_question",
)


@lru_cache(maxsize=1 << 16)
def sentence_traits(head: str) -> tuple[float, ...]:
    """What a sentence holds, whatever the question (``TRAITS``, in order): the same sentences come back
    question after question, so they are read once per process."""
    return (
        math.log1p(len(head.split())),
        float(bool(YEAR.search(head))),
        float(bool(DATE.search(head))),
        float(bool(NUMBER.search(YEAR.sub(" ", head)))),
        float(bool(AMOUNT.search(head))),
        float(bool(PERSON.search(head))),
        float(bool(ORGANISATION.search(head))),
        float(bool(PLACE.search(head))),
        float(bool(DEFINITION.search(head))),
        float(bool(REASON.search(head))),
        float(len(INLINE_ITEM.findall(head)) >= 2 or head.count(",") >= 3),
        float(bool(QUOTE.search(head))),
        float(bool(NEGATION.search(head))),
        float(head.rstrip().endswith("?")),
    )


def _raw(c: Candidate, analysis: QuestionAnalysis, terms: ReaderTerms) -> dict[str, float]:
    text = c.text
    ranks = c.pool.ranks
    role = terms.kind_roles.get(c.passage.kind, "")
    return {
        **dict(zip(TRAITS, sentence_traits(c.head), strict=True)),
        "log_items": math.log1p(c.items),
        "has_handling": float(bool(terms.handling_terms and terms.handling_terms.search(text))),
        "sent_index": math.log1p(c.index),
        "is_first": float(c.index == 0),
        "rr_dense": 1.0 / (1 + ranks["dense"]) if "dense" in ranks else 0.0,
        "rr_lexical": 1.0 / (1 + ranks["lexical"]) if "lexical" in ranks else 0.0,
        "rr_sentences": 1.0 / (1 + ranks["sentences"]) if "sentences" in ranks else 0.0,
        "rr_fused": 1.0 / (1 + ranks["fused"]) if "fused" in ranks else 0.0,
        "extra_passage": float(c.pool.extra),
        "kind_named": float(c.passage.kind in analysis.kinds),
        "respondent_named": float(c.passage.source in analysis.respondents),
        **{f"role_{r}": float(role == r) for r in ROLES},
    }


def _question(analysis: QuestionAnalysis, weights: dict[str, float]) -> dict[str, float]:
    out = {f"qt_{t.value}": float(analysis.answer_type is t) for t in AnswerType}
    out["q_english"] = float(analysis.language == "en")
    out["q_about_hearing"] = float(analysis.about_hearing)
    out["q_has_names"] = float(bool(analysis.names))
    out["q_terms"] = math.log1p(len(weights))
    return out


def _relative(rows: list[dict[str, float]]) -> None:
    """Each candidate against the question's other candidates: gap to the best, and rank (log)."""
    for row in rows:
        row["combo"] = row["dense"] + 0.5 * row["lex_compound"]

    def gap_and_rank(key: str, gap_name: str, rank_name: str | None) -> None:
        values = np.array([r[key] for r in rows])
        best = float(values.max())
        order = np.argsort(-values, kind="stable")
        rank = np.empty(len(values))
        rank[order] = np.arange(len(values))
        for r, v, k in zip(rows, values, rank, strict=True):
            r[gap_name] = float(v - best)
            if rank_name:
                r[rank_name] = math.log1p(float(k))

    gap_and_rank("dense", "dense_gap", "dense_rank")
    gap_and_rank("dense_passage", "dense_passage_gap", None)
    gap_and_rank("lex", "lex_gap", "lex_rank")
    gap_and_rank("lex_compound", "compound_gap", None)
    gap_and_rank("lex_window", "window_gap", None)
    gap_and_rank("lex_context", "context_gap", None)
    gap_and_rank("combo", "combo_gap", "combo_rank")
