"""The metric functions on small hand-made cases whose right values are known."""

from __future__ import annotations

import math
from typing import Any

import pytest

from evals.metrics import (
    Gold,
    Threshold,
    citation_precision,
    citation_problems,
    fact_found,
    fact_recall,
    first_relevant_rank,
    hit_at,
    ndcg_at,
    quote_coverage,
    reciprocal_rank,
    relevance,
    score,
    summarise,
)
from evals.report import evaluate_thresholds, render_markdown, summary_lines

GOLD = [Gold("strategi", "Digitalt utenforskap  reduseres"), Gold("imdi", "monitoreres")]


def test_relevance_needs_gold_source_and_folded_quote() -> None:
    retrieved = [
        ("horingsoppsummering", "digitalt utenforskap reduseres"),  # right words, wrong document
        ("strategi", "Her står det:\nDIGITALT utenforskap\nreduseres ved at ..."),
        ("imdi", "noe annet"),
    ]
    assert relevance(retrieved, GOLD) == [False, True, False]


def test_rank_metrics() -> None:
    rels = [False, False, True, False, True, False, False, False, False, False]
    assert first_relevant_rank(rels) == 3
    assert hit_at(rels, 1) == 0.0
    assert hit_at(rels, 3) == 1.0
    assert reciprocal_rank(rels) == pytest.approx(1 / 3)
    assert reciprocal_rank([False] * 10 + [True], k=10) == 0.0
    dcg = 1 / math.log2(4) + 1 / math.log2(6)
    assert ndcg_at(rels, n_relevant=2) == pytest.approx(dcg / (1 + 1 / math.log2(3)))
    assert ndcg_at([True, True], n_relevant=2) == pytest.approx(1.0)
    assert ndcg_at([False], n_relevant=0) == 0.0


def test_quote_coverage_counts_each_gold_quote() -> None:
    top = [("strategi", "Digitalt utenforskap reduseres ved at"), ("x", "monitoreres")]
    assert quote_coverage(top, GOLD) == 0.5


def test_facts_case_insensitive_with_alternatives_and_digit_boundaries() -> None:
    answer = "Skillet mellom PRIMÆRE og øvrige målgrupper er  fjernet [1]. Gjelder fra 2025."
    assert fact_found("primære", answer)
    assert fact_found(["ikke lenger", "fjernet"], answer)
    assert not fact_found("5", answer)  # "2025" does not contain the number 5
    assert not fact_found("1", answer)  # nor does the marker [1]
    assert fact_found("1%", "under 1% av budsjettet")
    recall, missing = fact_recall(["primære", "står seg", ["fjernet"]], answer)
    assert recall == pytest.approx(2 / 3)
    assert missing == ["står seg"]


def test_citation_precision() -> None:
    cited = [("a", "… digitalt utenforskap reduseres …"), ("b", "uten gull"), ("gold-id", "")]
    assert citation_precision(cited, GOLD, {"gold-id"}) == pytest.approx(2 / 3)
    assert citation_precision([], GOLD, set()) is None


def test_citation_validity() -> None:
    assert citation_problems("A [1] og B [2].", [1, 2], abstained=False) == []
    assert citation_problems("A [1] og B [3].", [1, 2], abstained=False) == [
        "markers without a citation: [3]",
        "citations not used in the text: [2]",
    ]
    assert citation_problems("Finner ikke svar.", [], abstained=True) == []
    assert citation_problems("Et svar uten kilder.", [], abstained=False) == ["answer has no citations"]


def _record(**changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": "q",
        "category": "handling",
        "lang": "no",
        "question": "Hvordan?",
        "history": [],
        "standalone_question": "Hvordan?",
        "abstain": False,
        "facts": ["fjernet"],
        "gold": [{"source": "strategi", "quote": "er fjernet"}],
        "n_relevant": 1,
        "retrieved": [
            {
                "rank": 1,
                "chunk_id": "x",
                "source": "strategi",
                "page": 2,
                "section": "",
                "text": "annet",
                "relevant": False,
            },
            {
                "rank": 2,
                "chunk_id": "g",
                "source": "strategi",
                "page": 3,
                "section": "",
                "text": "er fjernet",
                "relevant": True,
            },
        ],
        "answer": {
            "text": "Skillet er fjernet [1].",
            "abstained": False,
            "mode": "extractive",
            "citations": [
                {
                    "n": 1,
                    "source": "strategi",
                    "page": 3,
                    "section": "",
                    "chunk_id": "g",
                    "quote": "",
                    "passage_text": "er fjernet",
                    "precise": True,
                }
            ],
            "notes": [],
        },
        "error": "",
        "seconds": 0.1,
    }
    record.update(changes)
    return record


def test_score_answerable_and_unanswerable() -> None:
    row = score(_record())
    assert row["problems"] == []
    assert row["notes"] == ["first gold passage at rank 2"]
    assert (row["hit@1"], row["hit@5"], row["mrr@10"]) == (0.0, 1.0, 0.5)
    assert (row["fact_recall"], row["citation_precision"], row["false_abstention"]) == (1.0, 1.0, 0.0)
    assert "abstention_accuracy" not in row

    abstained = {
        "text": "Jeg finner ikke dette.",
        "abstained": True,
        "mode": "extractive",
        "citations": [],
        "notes": [],
    }
    wrong = score(_record(answer=abstained))
    assert wrong["false_abstention"] == 1.0 and wrong["fact_recall"] == 0.0
    assert "abstained on an answerable question" in wrong["problems"]

    right = score(_record(abstain=True, category="utenfor", gold=[], facts=[], answer=abstained))
    assert right["abstention_accuracy"] == 1.0 and right["problems"] == []
    assert "hit@5" not in right and "fact_recall" not in right


def test_thresholds_and_report_name_the_failing_questions() -> None:
    good = score(_record())
    miss = score(_record(id="miss", retrieved=[]))
    assert miss["hit@5"] == 0.0 and any("retrieval miss" in p for p in miss["problems"])
    rows = [good, miss]
    assert summarise(rows)["hit@5"] == 0.5
    results = {t["name"]: t for t in evaluate_thresholds(rows)}
    assert not results["hit@5 document-worded"]["passed"]
    assert results["hit@5 document-worded"]["failing"] == ["miss"]
    assert results["citation validity"]["passed"]
    assert not Threshold("x", "m", "all", "<=", 0.05).passes(0.06)

    records = [_record(), _record(id="miss", retrieved=[])]
    report = {
        "generated": "now",
        "questions": 2,
        "settings": {"llm": None, "embeddings": "e5-small"},
        "answer_modes": {"extractive": 2},
        "seconds": 1.0,
        "mean_answer_seconds": 0.1,
        "thresholds": evaluate_thresholds(rows),
        "overall": summarise(rows),
        "groups": {},
        "categories": {"handling": summarise(rows)},
        "failing": ["miss"],
        "results": [dict(r, metrics=row) for r, row in zip(records, rows, strict=True)],
    }
    markdown = render_markdown(report)
    assert "### miss (dev, handling, other)" in markdown and "retrieval miss" in markdown
    assert "| hit@5 document-worded | 2 | 0.500 | ≥ 0.95 | FAIL |" in markdown
    assert any("miss" in line for line in summary_lines(report))
