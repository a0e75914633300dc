"""A real headless Chromium for the UI tests (the app itself runs via assistant.ui.background)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

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


def open_tab(page: Page, name: str) -> None:
    """Open a tab by its label, also when a narrow window has moved it into Gradio's «⋯» menu."""
    page.get_by_role("tablist").first.wait_for()
    tab = page.get_by_role("tab", name=name, exact=True)
    if tab.count() and tab.first.is_visible():
        tab.first.click()
        return
    page.locator(".overflow-menu button").first.click()
    page.locator(".overflow-dropdown button", has_text=name).first.click()
