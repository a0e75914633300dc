"""The app over the second collection (tests/data/laering) in a real Chromium: what the chat says of its
collection, its example questions and its answers come from that collection and its profile alone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from ui_helpers import CHROMIUM, CHROMIUM_ARGS, screenshot_path

from assistant.api import Assistant
from assistant.ui.background import running_app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def laering_url(laering: Assistant) -> Iterator[str]:
    with running_app(laering) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="nb-NO", viewport={"width": 1360, "height": 1250})
    p = context.new_page()
    p.set_default_timeout(90_000)
    yield p
    context.close()


def test_chat_names_its_collection_offers_its_examples_and_answers_from_it(
    page: Page, laering_url: str, laering: Assistant
) -> None:
    page.goto(laering_url)
    subject = laering.profile.app.subject
    expect(page.locator("#samtale")).to_contain_text(f"Still et spørsmål om {subject}.")  # empty chat
    expect(page.get_by_text(f"Spør om {subject}.")).to_be_visible()
    expect(page.get_by_text("e-helse")).to_have_count(0)
    example = laering.profile.app.examples[0][1][0]
    page.get_by_role("button", name=example).click()  # the profile's example fills the box
    expect(page.locator("#sporsmal textarea")).to_have_value(example)

    page.locator("#sporsmal textarea").fill("Hva er visjonen?")
    page.locator("#spor").click()
    bot = page.locator("#samtale [data-testid='bot']").last
    expect(bot).to_contain_text("Alle elever lærer med teknologi som virker for dem")
    sources = bot.locator("details.kilder")
    sources.locator("summary").first.click()
    expect(sources.locator(".kilde-tittel").first).to_contain_text("Strategi for digital læring")
    page.screenshot(path=str(screenshot_path("second-corpus-chat.png")))
