"""Shared fixtures: one real ingest of the bundled corpus per test session (real Chroma, BM25, e5)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from helpers import CACHE_FILE, CORPUS, LAERING, copy_cache, seed_home

from assistant.api import Assistant
from assistant.settings import Settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def session_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh home. For faster local runs, ASSISTANT_TEST_EMBEDDING_CACHE may name an embeddings.sqlite
    to start from: vectors are keyed by model and text hash, so results are identical, only sooner."""
    home = tmp_path_factory.mktemp("assistant-home")
    seed = os.environ.get("ASSISTANT_TEST_EMBEDDING_CACHE")
    if seed and Path(seed).is_file():
        copy_cache(Path(seed), home / CACHE_FILE)
    return home


@pytest.fixture(scope="session")
def assistant(session_home: Path) -> Assistant:
    """The bundled corpus, ingested once. Tests must not change this index; use ``fresh_assistant``."""
    a = Assistant.open(Settings(home=session_home))
    report = a.ingest([CORPUS])
    assert report.ok, report.failed
    return a


@pytest.fixture(scope="session")
def laering(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """The synthetic second collection (tests/data/laering: another strategy with six goals, its hearing on
    an Enig/Uenig form, an action plan), ingested once and read with its own profile.toml only."""
    home = tmp_path_factory.mktemp("laering-home")
    a = Assistant.open(Settings(home=home, corpus_dir=LAERING))
    report = a.ingest([LAERING])
    assert report.ok, report.failed
    return a


@pytest.fixture
def fresh_assistant(tmp_path: Path, assistant: Assistant, session_home: Path) -> Iterator[Assistant]:
    """An empty index of its own that shares the session's embedding cache (so no text is embedded twice)."""
    home = tmp_path / "home"
    home.mkdir()
    seed_home(session_home, home)
    a = Assistant.open(Settings(home=home))
    yield a
    a.embeddings.close()


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled corpus (PDFs and sources.toml)."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


# -- a real browser (Debian's Chromium through Playwright) for the UI tests --------------------------------
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright
    from ui_helpers import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A Norwegian desktop browser, so Gradio's own labels (upload box, pop-ups) are in Bokmål too."""
    context = browser.new_context(locale="nb-NO", viewport={"width": 1360, "height": 1250})
    p = context.new_page()
    p.set_default_timeout(90_000)
    yield p
    context.close()
