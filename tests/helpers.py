"""Helpers several test modules share: copying the session's embedding cache, running the CLI, and
making a passage of synthetic text."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from assistant.types import Passage

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "data" / "corpus"
LAERING = REPO / "tests" / "data" / "laering"  # the synthetic second collection, with its own profile
CACHE_FILE = "embeddings.sqlite"


def copy_cache(source: Path, target: Path) -> None:
    """Copy an SQLite embedding cache with SQLite's backup API, so vectors still in its WAL come too."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def seed_home(session_home: Path, home: Path) -> None:
    """Give ``home`` a copy of the session's embedding cache, so it embeds no text the session has."""
    copy_cache(session_home / CACHE_FILE, home / CACHE_FILE)


class Cli:
    """``python -m assistant`` on one home: the session's embedded Chroma is not shared across processes,
    and the environment holds no other ASSISTANT_* setting."""

    def __init__(self, home: Path) -> None:
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
        self.env["ASSISTANT_HOME"] = str(home)

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "assistant", *args],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )

    def json(self, *args: str) -> Any:
        done = self(*args, "--json")
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)


def make_passage(text: str, **fields: Any) -> Passage:
    """A passage of synthetic text; ``fields`` override the defaults (``kind``, ``section``, …)."""
    values: dict[str, Any] = {
        "chunk_id": "c1",
        "source": "s",
        "title": "t",
        "kind": "høringsoppsummering",
        "organisation": "",
        "section": "2 Oppsummering",
        "page": 1,
        "page_end": 1,
    }
    values.update(fields)
    return Passage(text=text, **values)
