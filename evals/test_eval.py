"""The evaluation gates (one test per threshold, so a failure names it) and optional per-question tests."""

from __future__ import annotations

from typing import Any

import pytest

from evals.dataset import Item, load_questions
from evals.report import EvalRun


def _check(run: EvalRun, name: str, config: pytest.Config) -> None:
    result = next(t for t in run.report["thresholds"] if t["name"] == name)
    op = "≥" if result["op"] == ">=" else "≤"
    observed = "n/a" if result["observed"] is None else f"{result['observed']:.3f}"
    if not result["passed"]:
        message = (
            f"{name}: {observed} over {result['n']} questions, required {op} {result['value']:.2f}; "
            f"questions that miss it ({len(result['failing'])}): {', '.join(result['failing'])} "
            "(details in evals/report.md)"
        )
        if config.getoption("--thresholds") == "report":
            # CI's mode: the shortfall is printed as XFAIL with its figure; the threshold itself is unchanged.
            pytest.xfail("NOT MET — " + message)
        pytest.fail(message, pytrace=False)


def test_hit_at_5_document_worded(eval_run: EvalRun, pytestconfig: pytest.Config) -> None:
    _check(eval_run, "hit@5 document-worded", pytestconfig)


def test_hit_at_5_paraphrased_and_english(eval_run: EvalRun, pytestconfig: pytest.Config) -> None:
    _check(eval_run, "hit@5 paraphrased+English", pytestconfig)


def test_mrr_at_10(eval_run: EvalRun, pytestconfig: pytest.Config) -> None:
    _check(eval_run, "MRR@10", pytestconfig)


def test_hit_at_5_paraphrased_and_english_reader_order(
    eval_run: EvalRun, pytestconfig: pytest.Config
) -> None:
    _check(eval_run, "hit@5 paraphrased+English, reader order", pytestconfig)


def test_fact_recall(eval_run: EvalRun, pytestconfig: pytest.Config) -> None:
    _check(eval_run, "fact recall", pytestconfig)


def test_key_fact_in_first_cited_sentence(eval_run: EvalRun, pytestconfig: pytest.Config) -> None:
    _check(eval_run, "key fact in first cited sentence", pytestconfig)


def test_standalone_question_after_other_turns_answers_as_alone(
    eval_run: EvalRun, pytestconfig: pytest.Config
) -> None:
    _check(eval_run, "standalone after other turns = alone", pytestconfig)


def test_dev_and_test_agree(eval_run: EvalRun, pytestconfig: pytest.Config) -> None:
    """Every metric within SPLIT_GAP between dev and test: a wider gap means tuning that does not carry."""
    gap = eval_run.report["split_gap"]
    if gap["passed"]:
        return
    detail = ", ".join(f"{m} {gap['gaps'][m]:.3f}" for m in gap["wide"]) or "one split only"
    message = f"dev/test gap above {gap['limit']:.2f}: {detail} (details in evals/report.md)"
    if pytestconfig.getoption("--thresholds") == "report":
        pytest.xfail("NOT MET — " + message)
    pytest.fail(message, pytrace=False)


def test_citation_precision(eval_run: EvalRun, pytestconfig: pytest.Config) -> None:
    _check(eval_run, "citation precision", pytestconfig)


def test_citation_validity(eval_run: EvalRun, pytestconfig: pytest.Config) -> None:
    _check(eval_run, "citation validity", pytestconfig)


def test_every_unanswerable_question_abstained(eval_run: EvalRun, pytestconfig: pytest.Config) -> None:
    _check(eval_run, "abstention accuracy", pytestconfig)


def test_false_abstentions(eval_run: EvalRun, pytestconfig: pytest.Config) -> None:
    _check(eval_run, "false abstentions", pytestconfig)


def _params() -> list[Any]:
    # Reading the small YAML at collection is what lets `-m <category>` and `-k <id>` select questions.
    return [
        pytest.param(
            item,
            id=item.id,
            marks=[
                getattr(pytest.mark, item.category),
                getattr(pytest.mark, item.split),
                pytest.mark.per_question,
            ],
        )
        for item in load_questions()
    ]


@pytest.mark.parametrize("item", _params())
def test_question(eval_run: EvalRun, item: Item) -> None:
    """One question: retrieval hit in the top 5, all facts, valid and precise citations, right abstention."""
    result = next(r for r in eval_run.report["results"] if r["id"] == item.id)
    problems = result["metrics"]["problems"]
    if problems:
        top = "\n".join(
            f"  {p['rank']}. {'✓' if p['relevant'] else ' '} {p['source']} p.{p['page']}: "
            f"{' '.join(p['text'].split())[:100]}"
            for p in result["retrieved"][:5]
        )
        answer = result["answer"]
        pytest.fail(
            f"{item.id}: " + "; ".join(problems) + f"\nretrieval question: {result['standalone_question']}"
            f"\ntop 5:\n{top}\nanswer ({'abstained' if answer['abstained'] else 'answered'}): "
            f"{answer['text'][:600]}",
            pytrace=False,
        )
