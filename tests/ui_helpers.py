"""A real headless Chromium for the UI tests (the app itself runs via assistant.ui.background)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

REPO = Path(__file__).resolve().parent.parent
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def screenshot_path(name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / name


# An answer can take several seconds on a busy 2-core machine (the first one in a process most), more
# than Playwright's default 5 s for an expectation; a feature that is broken still fails, only later.
EXPECT_TIMEOUT_MS = 30_000
expect.set_options(timeout=EXPECT_TIMEOUT_MS)
