"""Evaluation session: ingest the bundled corpus once, run every question once, share the results.

Settings come from ``Settings(home=<tmp>)``, so every other ``ASSISTANT_*`` variable still applies:
``ASSISTANT_LLM=openai:...`` runs the same suite against the LLM answerer. Only ``chroma_url`` is
forced off, so an evaluation never writes into a shared Chroma server.
"""

from __future__ import annotations

import os
import shutil
import time
import traceback
from pathlib import Path
from typing import Any

import pytest

from assistant.api import Assistant
from assistant.types import Answer, Passage
from evals import report as report_mod
from evals.dataset import CATEGORIES, CORPUS, EVALS, Item, load_questions
from evals.metrics import citation_is_precise, is_gold_passage, score
from evals.report import EvalRun

SHARED_CACHE = "embeddings.sqlite"
RETRIEVE_K = 10
REPORT_KEY = pytest.StashKey[dict[str, Any]]()
WRITTEN_KEY = pytest.StashKey[list[Path]]()
SELECTED_KEY = pytest.StashKey[set[str]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--thresholds",
        choices=("enforce", "report"),
        default="enforce",
        help="enforce (default): a missed threshold fails; report: it is shown as XFAIL with its figure",
    )
    parser.addoption(
        "--per-question",
        action="store_true",
        default=False,
        help="also run one test per evaluation question (on by default when -m or -k selects tests)",
    )


def pytest_configure(config: pytest.Config) -> None:
    for category in CATEGORIES:
        config.addinivalue_line("markers", f"{category}: evaluation question of category {category}")
    config.addinivalue_line("markers", "per_question: one evaluation question (opt in with --per-question)")


def per_question_enabled(config: pytest.Config) -> bool:
    """Per-question tests inform rather than gate CI: they run when asked for or when -m/-k selects."""
    return bool(
        config.getoption("--per-question") or config.getoption("markexpr") or config.getoption("keyword")
    )


@pytest.hookimpl(trylast=True)  # after -k/-m have deselected, so the final selection is known
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not per_question_enabled(config):
        # Deselected, not skipped: a default run shows only the gates that decide CI.
        deselected = [item for item in items if item.get_closest_marker("per_question")]
        if deselected:
            config.hook.pytest_deselected(items=deselected)
            items[:] = [item for item in items if not item.get_closest_marker("per_question")]
    # When only per-question tests are selected (`-m resultatmal`), only those questions are run.
    wanted: set[str] = set()
    for item in items:
        if item.get_closest_marker("per_question"):
            wanted.add(item.callspec.params["item"].id)  # type: ignore[attr-defined]
        elif "eval_run" in getattr(item, "fixturenames", ()):
            return  # a threshold test needs every question
    config.stash[SELECTED_KEY] = wanted


@pytest.fixture(scope="session")
def questions() -> list[Item]:
    return load_questions()


@pytest.fixture(scope="session")
def eval_assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """The bundled corpus ingested once into a fresh home (seeded from ASSISTANT_TEST_EMBEDDING_CACHE if set;
    vectors are keyed by model and text, so results are identical, only sooner)."""
    home = tmp_path_factory.mktemp("eval-home")
    seed = os.environ.get("ASSISTANT_TEST_EMBEDDING_CACHE")
    if seed and Path(seed).is_file():
        shutil.copy(seed, home / SHARED_CACHE)
    assistant = Assistant.open(home=home, chroma_url=None)
    report = assistant.ingest([CORPUS])
    assert report.ok, [f.to_dict() for f in report.failed]
    return assistant


@pytest.fixture(scope="session")
def eval_run(request: pytest.FixtureRequest, eval_assistant: Assistant, questions: list[Item]) -> EvalRun:
    """Every question asked once and retrieved once (k=10, with the standalone question the answer used)."""
    started = time.perf_counter()
    wanted = request.config.stash.get(SELECTED_KEY, None)
    chosen = [q for q in questions if wanted is None or q.id in wanted]
    indexed = eval_assistant.store.all_passages()
    records = [run_question(eval_assistant, item, indexed) for item in chosen]
    rows = [score(record) for record in records]
    report = report_mod.build(
        records, rows, eval_assistant.settings, seconds=time.perf_counter() - started, total=len(questions)
    )
    request.config.stash[REPORT_KEY] = report
    return EvalRun(records=records, rows=rows, report=report)


def run_question(assistant: Assistant, item: Item, indexed: list[Passage]) -> dict[str, Any]:
    gold_ids = {p.chunk_id for p in indexed if is_gold_passage(p.source, p.text, item.gold)}
    error = ""
    answer: Answer | None = None
    started = time.perf_counter()
    try:
        answer = assistant.ask(item.question, history=list(item.history))
    except Exception as exc:  # one broken question must not hide the other 140; it is reported instead
        error = f"{type(exc).__name__}: {exc}"
        traceback.print_exc()
    seconds = time.perf_counter() - started
    standalone = (answer.standalone_question if answer else "") or item.question
    retrieved = assistant.retrieve(standalone, k=RETRIEVE_K)
    return {
        "id": item.id,
        "category": item.category,
        "lang": item.lang,
        "question": item.question,
        "history": list(item.history),
        "standalone_question": standalone,
        "abstain": item.abstain,
        "facts": list(item.facts),
        "gold": [{"source": g.source, "quote": g.quote} for g in item.gold],
        "n_relevant": len(gold_ids),
        "retrieved": [
            {
                "rank": rank,
                "chunk_id": p.chunk_id,
                "source": p.source,
                "page": p.page,
                "section": p.section,
                "text": p.text,
                "relevant": p.chunk_id in gold_ids or is_gold_passage(p.source, p.text, item.gold),
            }
            for rank, p in enumerate(retrieved, start=1)
        ],
        "answer": _answer_record(assistant, answer, item, gold_ids),
        "error": error,
        "seconds": round(seconds, 3),
    }


def _answer_record(
    assistant: Assistant, answer: Answer | None, item: Item, gold_ids: set[str]
) -> dict[str, Any]:
    if answer is None:
        return {"text": "", "abstained": False, "mode": "", "citations": [], "notes": []}
    missing = [c.chunk_id for c in answer.citations if not c.passage_text]
    fetched = {p.chunk_id: p.text for p in assistant.store.get_passages(missing)} if missing else {}
    citations = []
    for c in answer.citations:
        text = c.passage_text or fetched.get(c.chunk_id, "")
        citations.append(
            {
                "n": c.n,
                "source": c.source,
                "page": c.page,
                "section": c.section,
                "chunk_id": c.chunk_id,
                "quote": c.quote,
                "passage_text": text,
                "precise": citation_is_precise(c.chunk_id, text, item.gold, gold_ids),
            }
        )
    return {
        "text": answer.text,
        "abstained": answer.abstained,
        "mode": answer.mode,
        "citations": citations,
        "notes": list(answer.notes or []),
    }


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    report = session.config.stash.get(REPORT_KEY, None)
    if report is not None:
        session.config.stash[WRITTEN_KEY] = report_mod.write(report, EVALS)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    report = config.stash.get(REPORT_KEY, None)
    if report is None:
        return
    terminalreporter.section("evaluation summary")
    for line in report_mod.summary_lines(report):
        terminalreporter.write_line(line)
    for path in config.stash.get(WRITTEN_KEY, []):
        terminalreporter.write_line(f"written: {path}")
