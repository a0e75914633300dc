"""``python -m assistant`` as a user runs it: subprocesses on their own ASSISTANT_HOME, JSON with exactly
the documented field names, exit codes, and one clear stderr line per failed file."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from helpers import Cli, seed_home

from assistant.api import Assistant

QUESTION = "Hvor mange instanser sendte inn høringssvar?"
PASSAGE_FIELDS = [
    "chunk_id",
    "source",
    "title",
    "kind",
    "organisation",
    "section",
    "page",
    "page_end",
    "text",
    "score",
]
DOCUMENT_FIELDS = ["source", "title", "kind", "organisation", "pages", "passages", "sha256", "ingested_at"]
REPORT_FIELDS = [
    "added",
    "updated",
    "skipped",
    "failed",
    "removed",
    "embedded_texts",
    "embedding_seconds",
    "total_seconds",
]
OUTCOME_FIELDS = ["path", "source", "status", "passages", "reason"]
ANSWER_FIELDS = ["text", "citations", "abstained", "mode", "explain"]
CITATION_FIELDS = ["n", "source", "title", "kind", "organisation", "section", "page", "quote", "chunk_id"]


def stderr_lines(stderr: str) -> list[str]:
    """Lines as a terminal shows them: tqdm's cursor moves and carriage-return redraws removed."""
    plain = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", stderr)
    return [line.rsplit("\r", 1)[-1].strip() for line in plain.split("\n")]


@pytest.fixture(scope="module")
def cli(
    tmp_path_factory: pytest.TempPathFactory, session_home: Path, assistant: Assistant, corpus_dir: Path
) -> Cli:
    """A home whose embedding cache starts as a copy of the session's (so the CLI embeds nothing new),
    with the bundled corpus ingested through the CLI."""
    home = tmp_path_factory.mktemp("cli-home")
    seed_home(session_home, home)
    run = Cli(home)
    corpus = home.parent / "cli-corpus"
    shutil.copytree(corpus_dir, corpus)
    report = run.json("ingest", str(corpus))
    assert list(report) == REPORT_FIELDS
    assert len(report["added"]) == 5 and not report["failed"]
    assert all(list(o) == OUTCOME_FIELDS for o in report["added"])
    return run


def test_retrieve_json_has_the_passage_fields(cli: Cli, assistant: Assistant) -> None:
    got = cli.json("retrieve", QUESTION, "-k", "5")
    assert len(got) == 5
    assert all(list(p) == PASSAGE_FIELDS for p in got)
    assert got[0]["source"] == "horingsoppsummering" and got[0]["page"] == 1
    assert "89 ulike instanser" in got[0]["text"]
    assert [p["chunk_id"] for p in got] == [p.chunk_id for p in assistant.retrieve(QUESTION, k=5)]


def test_retrieve_reads_a_misspelled_word_as_meant_and_says_so(cli: Cli, assistant: Assistant) -> None:
    done = cli("retrieve", "Hvordan ble digitalt utenforksap håndtert?", "-k", "5", "--json")
    assert done.returncode == 0, done.stderr
    assert "Merk: Leste «utenforksap» som «utenforskap»." in done.stderr  # stdout stays one JSON document
    right = assistant.retrieve("Hvordan ble digitalt utenforskap håndtert?", k=5)
    assert [p["chunk_id"] for p in json.loads(done.stdout)] == [p.chunk_id for p in right]


def test_retrieve_filters_by_kind(cli: Cli) -> None:
    got = cli.json("retrieve", "Hva mener høringsinstansene om mål 1?", "--kind", "høringssvar", "-k", "8")
    assert got and {p["kind"] for p in got} == {"høringssvar"}


def test_documents_json_has_the_document_fields(cli: Cli, assistant: Assistant) -> None:
    got = cli.json("documents")
    assert all(list(d) == DOCUMENT_FIELDS for d in got)
    expected = [d.to_dict() for d in assistant.documents()]
    for d in [*got, *expected]:
        d.pop("ingested_at")
    assert got == expected


def test_ask_json_has_the_answer_fields(cli: Cli) -> None:
    got = cli.json("ask", QUESTION)
    assert list(got) == ANSWER_FIELDS
    assert got["citations"] and not got["abstained"]
    assert all(list(c) == CITATION_FIELDS for c in got["citations"])
    assert "89" in got["text"]


def test_failed_files_exit_1_with_one_line_each(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "innboks"
    folder.mkdir()
    (folder / "skadet.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" + b"\xff" * 600)
    (folder / "binaer.txt").write_bytes(b"tekst\x00med\x00nullbyte")
    (folder / "godt-notat.md").write_text(
        "# Notat om e-resept\n\nE-resept gjør at apoteket kan hente resepten digitalt.\n", encoding="utf-8"
    )
    missing = tmp_path / "finnes-ikke.pdf"

    done = cli("ingest", str(folder), str(missing))

    assert done.returncode == 1
    lines = [line for line in stderr_lines(done.stderr) if line.startswith("FEIL:")]
    assert len(lines) == 3, done.stderr
    for name in ("skadet.pdf", "binaer.txt", "finnes-ikke.pdf"):
        [line] = [x for x in lines if name in x]
        # "<file>: <what is wrong>. <what to do>"
        assert re.fullmatch(rf"FEIL: \S*{re.escape(name)}: [^.]+.*\. [A-ZÆØÅ].+", line), line
    assert "godt-notat" in {d["source"] for d in cli.json("documents")}


def test_all_skipped_ingest_exits_0(cli: Cli, corpus_dir: Path) -> None:
    report = cli.json("ingest", str(corpus_dir))
    assert len(report["skipped"]) == 5 and report["embedded_texts"] == 0


def test_empty_question_is_one_clear_error(cli: Cli) -> None:
    done = cli("retrieve", "   ")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip().startswith("Feil: The question is empty")
    assert len(done.stderr.strip().splitlines()) == 1


def test_fit_reader_and_eval_pass_their_options_on(cli: Cli) -> None:
    """Options after ``fit-reader`` and ``eval`` belong to the fit script and to pytest, including a first
    one that starts with dashes (argparse alone would reject ``fit-reader --quick``)."""
    fit = cli("fit-reader", "--help")
    assert fit.returncode == 0, fit.stderr
    assert "--train-questions" in fit.stdout and "--quick" in fit.stdout
    pytest_version = cli("eval", "--version")
    assert pytest_version.returncode == 0, pytest_version.stderr
    assert "pytest" in (pytest_version.stdout + pytest_version.stderr)
