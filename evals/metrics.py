"""Evaluation metrics as plain functions over plain data, so they can be unit-tested without an index.

Relevance: a passage is a *gold passage* for a question when it comes from a gold source and contains
that source's gold quote, compared after folding whitespace and case (``ingest.normalise.fold``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ingest.normalise import fold

# Question groups that thresholds are asserted on.
DOCUMENT_WORDED = ("handling", "resultatmal", "strategi", "horingssvar", "trace", "oppfolging")
PARAPHRASED = ("parafrase", "engelsk")
GROUPS: dict[str, tuple[str, ...]] = {"document-worded": DOCUMENT_WORDED, "paraphrased+English": PARAPHRASED}

_MARKER = re.compile(r"\[(\d+)\]")


@dataclass(frozen=True)
class Gold:
    source: str
    quote: str


# -- retrieval ------------------------------------------------------------------------------------


def contains_quote(text: str, quote: str) -> bool:
    """The quote occurs in the text once both are whitespace- and case-folded."""
    folded = fold(quote)
    return bool(folded) and folded in fold(text)


def is_gold_passage(source: str, text: str, gold: Iterable[Gold]) -> bool:
    """From a gold source and containing that source's gold quote."""
    return any(g.source == source and contains_quote(text, g.quote) for g in gold)


def relevance(passages: Sequence[tuple[str, str]], gold: Sequence[Gold]) -> list[bool]:
    """One flag per retrieved ``(source, text)``, in rank order."""
    return [is_gold_passage(source, text, gold) for source, text in passages]


def first_relevant_rank(rels: Sequence[bool], k: int = 10) -> int | None:
    """1-based rank of the first gold passage within the top ``k``, or None."""
    for i, rel in enumerate(rels[:k]):
        if rel:
            return i + 1
    return None


def hit_at(rels: Sequence[bool], k: int) -> float:
    return 1.0 if any(rels[:k]) else 0.0


def reciprocal_rank(rels: Sequence[bool], k: int = 10) -> float:
    rank = first_relevant_rank(rels, k)
    return 1.0 / rank if rank else 0.0


def ndcg_at(rels: Sequence[bool], n_relevant: int, k: int = 10) -> float:
    """Binary-relevance nDCG; the ideal ranking puts all ``n_relevant`` gold passages of the index first."""
    dcg = sum(1.0 / math.log2(i + 2) for i, rel in enumerate(rels[:k]) if rel)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(n_relevant, k)))
    return dcg / ideal if ideal else 0.0


def quote_coverage(passages: Sequence[tuple[str, str]], gold: Sequence[Gold], k: int = 10) -> float:
    """Share of gold quotes found in some top-``k`` passage (informative for multi-document questions)."""
    if not gold:
        return 0.0
    top = passages[:k]
    found = sum(1 for g in gold if any(s == g.source and contains_quote(t, g.quote) for s, t in top))
    return found / len(gold)


# -- answers --------------------------------------------------------------------------------------

Fact = str | list[str]


def strip_markers(text: str) -> str:
    """Answer text without its [n] markers, so a marker never counts as a number in the answer."""
    return _MARKER.sub(" ", text)


def fact_found(fact: Fact, answer_text: str) -> bool:
    """Case- and whitespace-insensitive substring match; any alternative of a list will do.

    A fact that starts or ends with a digit must not touch another digit in the answer, so "5" is not
    found in "2025".
    """
    haystack = fold(strip_markers(answer_text))
    for alternative in [fact] if isinstance(fact, str) else fact:
        needle = fold(alternative)
        if not needle:
            continue
        pattern = re.escape(needle)
        if needle[0].isdigit():
            pattern = r"(?<!\d)" + pattern
        if needle[-1].isdigit():
            pattern += r"(?!\d)"
        if re.search(pattern, haystack):
            return True
    return False


def fact_recall(facts: Sequence[Fact], answer_text: str) -> tuple[float, list[Fact]]:
    """Share of facts in the answer, and the facts that are missing."""
    if not facts:
        return 1.0, []
    missing = [f for f in facts if not fact_found(f, answer_text)]
    return (len(facts) - len(missing)) / len(facts), missing


def lead_of(answer_text: str) -> str:
    """The answer's first cited sentence: its text up to and including the first [n] marker (the whole
    text when nothing is cited)."""
    match = _MARKER.search(answer_text)
    return answer_text[: match.end()] if match else answer_text


def key_fact_first(key_fact: Fact | None, answer_text: str) -> float | None:
    """1 when the key fact is in the answer's first cited sentence; None when the item names no fact."""
    if key_fact is None:
        return None
    return 1.0 if fact_found(key_fact, lead_of(answer_text)) else 0.0


def citation_is_precise(chunk_id: str, passage_text: str, gold: Sequence[Gold], gold_ids: set[str]) -> bool:
    """A citation is precise when it is a gold passage or its passage contains a gold quote."""
    return chunk_id in gold_ids or any(contains_quote(passage_text, g.quote) for g in gold)


def citation_precision(
    cited: Sequence[tuple[str, str]], gold: Sequence[Gold], gold_ids: set[str]
) -> float | None:
    """Share of citations ``(chunk_id, passage_text)`` that are precise; None when nothing is cited."""
    if not cited:
        return None
    good = sum(1 for chunk_id, text in cited if citation_is_precise(chunk_id, text, gold, gold_ids))
    return good / len(cited)


def citation_problems(text: str, numbers: Sequence[int], abstained: bool) -> list[str]:
    """Why the answer's citations are not valid: every [n] must resolve to a citation, every citation
    must be used in the text, numbers must be unique, and an answer that does not abstain must cite."""
    problems: list[str] = []
    markers = {int(m) for m in _MARKER.findall(text)}
    known = set(numbers)
    if len(known) != len(numbers):
        problems.append(f"duplicate citation numbers {sorted(numbers)}")
    dangling = sorted(markers - known)
    if dangling:
        problems.append("markers without a citation: " + ", ".join(f"[{n}]" for n in dangling))
    unused = sorted(known - markers)
    if unused:
        problems.append("citations not used in the text: " + ", ".join(f"[{n}]" for n in unused))
    if not abstained and not numbers:
        problems.append("answer has no citations")
    return problems


# -- one question -----------------------------------------------------------------------------------


def score(record: dict[str, Any]) -> dict[str, Any]:
    """Metrics and problems of one question's run record (see evals/conftest.py for its fields).

    Retrieval and answer-content metrics apply to answerable questions, abstention accuracy to
    unanswerable ones; a metric that does not apply is left out of the row.
    """
    answer = record["answer"]
    row: dict[str, Any] = {
        "id": record["id"],
        "category": record["category"],
        "lang": record["lang"],
        "split": record.get("split", "dev"),
        "type": record.get("type", "other"),
    }
    problems: list[str] = []
    notes: list[str] = []
    if record.get("error"):
        problems.append(f"error: {record['error']}")
    numbers = [c["n"] for c in answer["citations"]]
    validity = citation_problems(answer["text"], numbers, answer["abstained"])
    row["citation_validity"] = 0.0 if validity else 1.0
    problems.extend(f"citations: {p}" for p in validity)
    if record["abstain"]:
        row["abstention_accuracy"] = 1.0 if answer["abstained"] else 0.0
        if not answer["abstained"]:
            problems.append("answered an unanswerable question instead of abstaining")
        row["problems"], row["notes"] = problems, notes
        return row

    if "alone_text" in record:  # a standalone question asked after other turns, and alone
        same = record["alone_text"] == answer["text"]
        row["standalone_consistent"] = 1.0 if same else 0.0
        if not same:
            problems.append("answered differently after the earlier turns than when asked alone")
    rels = [bool(p["relevant"]) for p in record["retrieved"]]
    rank = first_relevant_rank(rels, 10)
    reader_rels = [bool(p["relevant"]) for p in record.get("reader_ranked", [])]
    if reader_rels:
        row["reader_hit@5"] = hit_at(reader_rels, 5)
        row["reader_mrr@10"] = reciprocal_rank(reader_rels, 10)
    row["first_relevant_rank"] = rank
    row["hit@1"] = hit_at(rels, 1)
    row["hit@5"] = hit_at(rels, 5)
    row["mrr@10"] = reciprocal_rank(rels, 10)
    row["ndcg@10"] = ndcg_at(rels, record["n_relevant"], 10)
    gold = [Gold(g["source"], g["quote"]) for g in record["gold"]]
    row["quote_coverage@10"] = quote_coverage(
        [(p["source"], p["text"]) for p in record["retrieved"]], gold, 10
    )
    if record["n_relevant"] == 0:
        problems.append("no indexed passage contains a gold quote (chunking or extraction)")
    elif rank is None:
        problems.append("retrieval miss: no gold passage in the top 10")
    elif rank > 5:
        problems.append(f"retrieval: first gold passage at rank {rank} (outside top 5)")
    elif rank > 1:
        notes.append(f"first gold passage at rank {rank}")

    row["false_abstention"] = 1.0 if answer["abstained"] else 0.0
    if answer["abstained"]:
        problems.append("abstained on an answerable question")
    recall, missing = fact_recall(record["facts"], "" if answer["abstained"] else answer["text"])
    row["fact_recall"] = recall
    facts = record["facts"]
    lead = key_fact_first(facts[0] if facts else None, "" if answer["abstained"] else answer["text"])
    row["key_fact_first"] = lead
    if lead == 0.0 and not answer["abstained"] and facts[0] not in missing:
        problems.append(
            f"key fact «{_fact_label(facts[0])}» is in the answer but not its first cited sentence"
        )
    if missing and not answer["abstained"]:
        cited_gold = any(c.get("precise") for c in answer["citations"])
        where = f"gold passage at rank {rank}" if rank else "no gold passage in top 10"
        problems.append(
            "answer lacks facts: "
            + "; ".join(_fact_label(f) for f in missing)
            + f" ({where}, {'a gold passage is cited' if cited_gold else 'no gold passage cited'})"
        )
    if not answer["abstained"]:
        if answer["citations"]:
            precise = [c for c in answer["citations"] if c.get("precise")]
            row["citation_precision"] = len(precise) / len(answer["citations"])
            imprecise = [c for c in answer["citations"] if not c.get("precise")]
            if imprecise:
                problems.append(
                    "citations without a gold quote: "
                    + ", ".join(f"[{c['n']}] {c['source']} p.{c['page']}" for c in imprecise)
                )
        else:
            row["citation_precision"] = 0.0
    row["problems"], row["notes"] = problems, notes
    return row


def _fact_label(fact: Fact) -> str:
    return fact if isinstance(fact, str) else " | ".join(fact)


# -- aggregation ----------------------------------------------------------------------------------


def mean(values: Iterable[float | None]) -> float | None:
    """Mean of the defined values; None when there are none (a metric that does not apply)."""
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


@dataclass(frozen=True)
class Threshold:
    """One asserted requirement on the test split: ``metric`` over ``group`` (a GROUPS key or "all")
    ``op`` ``value``."""

    name: str
    metric: str
    group: str
    op: str  # ">=" | "<="
    value: float

    def passes(self, observed: float | None) -> bool:
        if observed is None:
            return False
        return observed >= self.value - 1e-9 if self.op == ">=" else observed <= self.value + 1e-9


# Asserted on the frozen test split. Where the reader issue set a stricter target than the earlier one
# (fact recall 0.90 -> 0.92, false abstentions 0.05 -> 0.03) the stricter one is asserted.
THRESHOLDS: tuple[Threshold, ...] = (
    Threshold("hit@5 document-worded", "hit@5", "document-worded", ">=", 0.95),
    Threshold("hit@5 paraphrased+English", "hit@5", "paraphrased+English", ">=", 0.85),
    Threshold("hit@5 paraphrased+English, reader order", "reader_hit@5", "paraphrased+English", ">=", 0.80),
    Threshold("MRR@10", "mrr@10", "all", ">=", 0.80),
    Threshold("fact recall", "fact_recall", "all", ">=", 0.92),
    Threshold("key fact in first cited sentence", "key_fact_first", "all", ">=", 0.80),
    Threshold("citation precision", "citation_precision", "all", ">=", 0.90),
    Threshold("citation validity", "citation_validity", "all", ">=", 1.0),
    Threshold("abstention accuracy", "abstention_accuracy", "all", ">=", 1.0),
    Threshold("false abstentions", "false_abstention", "all", "<=", 0.03),
    Threshold("standalone after other turns = alone", "standalone_consistent", "all", ">=", 1.0),
)
# dev and test may differ by at most this much on every metric: a larger gap means tuning to dev.
SPLIT_GAP = 0.05

METRICS = (
    "hit@1",
    "hit@5",
    "mrr@10",
    "ndcg@10",
    "quote_coverage@10",
    "reader_hit@5",
    "reader_mrr@10",
    "fact_recall",
    "key_fact_first",
    "citation_precision",
    "citation_validity",
    "abstention_accuracy",
    "false_abstention",
    "standalone_consistent",
)


def summarise(rows: Sequence[dict[str, Any]]) -> dict[str, float | None]:
    """Mean of each metric over per-question rows (as made by ``score``); a row lacks metrics that do
    not apply to it (retrieval metrics for unanswerable questions, abstention accuracy for answerable)."""
    return {name: mean(r.get(name) for r in rows) for name in METRICS} | {"n": float(len(rows))}


def by_group(
    rows: Sequence[dict[str, Any]], key: Callable[[dict[str, Any]], str]
) -> dict[str, dict[str, float | None]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    return {name: summarise(members) for name, members in groups.items()}


def group_rows(rows: Sequence[dict[str, Any]], group: str) -> list[dict[str, Any]]:
    if group == "all":
        return list(rows)
    return [r for r in rows if r["category"] in GROUPS[group]]
