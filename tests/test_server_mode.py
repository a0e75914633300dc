"""Chroma server mode (`chroma run`): the same passages, in the same order, as embedded Chroma, and a
second process sharing the server sees the same index."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import seed_home

from assistant.api import Assistant
from assistant.errors import BackendError
from assistant.settings import Settings
from assistant.ui.background import free_port

REPO = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "Hvor mange instanser sendte inn høringssvar?",
    "Hva mener IMDi om likeverdige helsetjenester?",
    "Hva er visjonen for e-helse frem mot 2030?",
    "Hvordan skal strategien følges opp?",
    "Hva sier næringsaktøren om stiavhengige lokale IKT-tjenester?",
]


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `chroma run` server on a free local port; always stopped afterwards."""
    data = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(data / "server.log", "wb")  # noqa: SIM115 - closed in the finally below
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "chroma"), "run", "--path", str(data / "db"), "--host", "127.0.0.1",
         "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, (data / "server.log").read_text(errors="replace")
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the Chroma server did not answer its heartbeat"
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)
        log.close()


@pytest.fixture(scope="module")
def server_assistant(
    chroma_url: str, tmp_path_factory: pytest.TempPathFactory, session_home: Path, corpus_dir: Path
) -> Iterator[Assistant]:
    """The bundled corpus ingested through the server."""
    home = tmp_path_factory.mktemp("server-home")
    seed_home(session_home, home)
    a = Assistant.open(Settings(home=home, chroma_url=chroma_url))
    report = a.ingest([corpus_dir])
    assert report.ok and len(report.added) == 5
    yield a
    a.embeddings.close()


def test_server_holds_the_same_index_as_embedded_chroma(
    server_assistant: Assistant, assistant: Assistant
) -> None:
    def passages(a: Assistant) -> list[dict[str, object]]:
        return sorted((p.to_dict() for p in a.store.all_passages()), key=lambda d: str(d["chunk_id"]))

    def sentences(a: Assistant) -> list[str]:
        return sorted(a.store.sentences_collection.get(include=[])["ids"])

    assert passages(server_assistant) == passages(assistant)
    assert sentences(server_assistant) == sentences(assistant)
    strip = ("ingested_at",)
    assert [
        {k: v for k, v in d.to_dict().items() if k not in strip} for d in server_assistant.documents()
    ] == [{k: v for k, v in d.to_dict().items() if k not in strip} for d in assistant.documents()]
    assert server_assistant.store.fingerprint() == assistant.store.fingerprint()


@pytest.mark.parametrize("question", QUESTIONS)
def test_server_retrieves_the_same_passages_in_the_same_order(
    server_assistant: Assistant, assistant: Assistant, question: str
) -> None:
    served = server_assistant.retrieve(question, k=8)
    embedded = assistant.retrieve(question, k=8)
    assert [p.chunk_id for p in served] == [p.chunk_id for p in embedded]
    assert [p.score for p in served] == pytest.approx([p.score for p in embedded], abs=1e-6)


def test_filters_work_through_the_server(server_assistant: Assistant, assistant: Assistant) -> None:
    filters = {"kind": "høringssvar"}
    served = server_assistant.retrieve(QUESTIONS[1], k=6, filters=filters)
    assert served and {p.kind for p in served} == {"høringssvar"}
    assert [p.chunk_id for p in served] == [
        p.chunk_id for p in assistant.retrieve(QUESTIONS[1], k=6, filters=filters)
    ]


def test_another_process_shares_the_server(
    server_assistant: Assistant, chroma_url: str, tmp_path: Path, session_home: Path, corpus_dir: Path
) -> None:
    """A CLI process with its own (empty) home builds its BM25 side from the server and skips every file."""
    home = tmp_path / "other-home"
    seed_home(session_home, home)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(ASSISTANT_HOME=str(home), ASSISTANT_CHROMA_URL=chroma_url)

    def cli(*args: str) -> object:
        done = subprocess.run(
            [sys.executable, "-m", "assistant", *args, "--json"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    got = cli("retrieve", QUESTIONS[0], "-k", "5")
    assert isinstance(got, list)
    assert [p["chunk_id"] for p in got] == [p.chunk_id for p in server_assistant.retrieve(QUESTIONS[0], k=5)]
    report = cli("ingest", str(corpus_dir))
    assert isinstance(report, dict)
    assert len(report["skipped"]) == 5 and not report["added"] and report["embedded_texts"] == 0


def test_unreachable_server_is_a_backend_error(tmp_path: Path) -> None:
    a = Assistant.open(Settings(home=tmp_path / "home", chroma_url=f"http://127.0.0.1:{free_port()}"))
    with pytest.raises(BackendError, match=r"cannot open the Chroma index at http://127\.0\.0\.1:\d+"):
        a.documents()
