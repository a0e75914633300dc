"""The foreign-corpus group (`pytest evals/ -m foreign`): the reader on NorQuAD's validation articles, with
its peers measured in the same run (see evals/foreign.py)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.foreign


def _check(foreign_run: dict[str, Any], name: str, config: pytest.Config) -> None:
    result = next(t for t in foreign_run["thresholds"] if t["name"] == name)
    if result["passed"]:
        return
    op = "≥" if result["op"] == ">=" else "≤"
    message = (
        f"{name}: {result['observed']:.3f} over {foreign_run['figures']['questions']} questions, required "
        f"{op} {result['value']:.3f} (details in evals/report.md)"
    )
    if config.getoption("--thresholds") == "report":
        pytest.xfail("NOT MET — " + message)
    pytest.fail(message, pytrace=False)


def test_foreign_answer_containment(foreign_run: dict[str, Any], pytestconfig: pytest.Config) -> None:
    _check(foreign_run, "foreign answer containment", pytestconfig)


def test_foreign_containment_beats_plain_peer(
    foreign_run: dict[str, Any], pytestconfig: pytest.Config
) -> None:
    _check(foreign_run, "foreign containment vs plain extractive peer", pytestconfig)


def test_foreign_refusals(foreign_run: dict[str, Any], pytestconfig: pytest.Config) -> None:
    _check(foreign_run, "foreign refusals", pytestconfig)


def test_foreign_hit_at_5_reaches_best_peer(foreign_run: dict[str, Any], pytestconfig: pytest.Config) -> None:
    _check(foreign_run, "foreign hit@5 vs best peer", pytestconfig)


def test_foreign_run_asked_every_chosen_question(foreign_run: dict[str, Any]) -> None:
    """Not vacuous: the sample is at least 150 questions, each asked and scored."""
    assert foreign_run["figures"]["questions"] >= 150
    assert all("containment" in r and r["gold"] for r in foreign_run["results"])
