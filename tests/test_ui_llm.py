"""The chat in LLM mode, in headless Chromium: when the quality gate replaces the model's answer, the chat
shows the extractive answer, the note saying why, and the model's own text folded under «Vis modellens
svar». The fake OpenAI-compatible server (tests/fake_openai.py) supplies an exact, mostly unsupported reply."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fake_openai import FakeOpenAI, Request
from playwright.sync_api import Page, expect, sync_playwright
from ui_helpers import CHROMIUM, CHROMIUM_ARGS, screenshot_path

from assistant.api import Assistant
from assistant.ui.background import running_app

QUESTION = "Hvordan ble innspillene om digitalt utenforskap håndtert?"
INVENTED = "Strategien har et budsjett på 40 milliarder kroner"


def invented_reply(request: Request) -> str:
    return f"{INVENTED} [1]. Alle kommuner får egne roboter i 2025 [2]. Dette gjelder hele landet [1]."


@pytest.fixture
def page() -> Iterator[Page]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="nb-NO", viewport={"width": 1360, "height": 1100})
        yield context.new_page()
        browser.close()


@pytest.mark.browser
def test_browser_shows_the_fallback_note_and_the_folded_model_answer(
    page: Page, assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FakeOpenAI(responder=invented_reply) as server:
        settings = assistant.settings.model_copy(
            update={"llm": "openai:fake-model", "llm_base_url": server.base_url, "llm_timeout": 10.0}
        )
        monkeypatch.setattr(assistant, "settings", settings)
        with running_app(assistant) as url:
            page.goto(url)
            page.locator("#sporsmal textarea").fill(QUESTION)
            page.locator("#spor").click()
            bot = page.locator("#samtale [data-testid='bot']").last
            folded = bot.locator("details.modellens-svar")
            expect(folded).to_be_visible()
            # The invented sentences lack support (how many of the three depends on the passages cited).
            expect(bot).to_contain_text(
                re.compile(r"[23] av 3 setninger i språkmodellens svar fant ikke støtte")
            )
            expect(bot).to_contain_text("her er svaret hentet direkte fra dokumentene")
            expect(bot.locator("details.kilder")).to_be_visible()  # the extractive answer's sources
            text = folded.locator(".modellens-svar-tekst")
            expect(text).to_be_hidden()  # folded until asked for
            expect(folded.locator("summary")).to_have_text("Vis modellens svar")
            folded.locator("summary").click()
            expect(text).to_be_visible()
            expect(text).to_contain_text(INVENTED)
            expect(text).to_contain_text("⚠")
            assert "[1]" not in text.inner_text(), "no markers: they would point at the wrong sources"
            answer_text = bot.inner_text().split("Vis modellens svar")[0]
            assert INVENTED not in answer_text, "the model's text is only in the folded block"
            page.screenshot(path=screenshot_path("chat-llm-fallback.png"))
    assert len([r for r in server.requests if r.stream]) == 1
