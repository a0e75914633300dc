"""The app over the second collection (tests/data/laering) in a real Chromium: what the chat says of its
collection, its example questions and its answers come from that collection and its profile alone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from gradio_client import Client
from playwright.sync_api import Page, expect
from ui_helpers import open_tab, screenshot_path

from assistant.api import Assistant
from assistant.ui.background import running_app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def laering_url(laering: Assistant) -> Iterator[str]:
    with running_app(laering) as url:
        yield url


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


def test_the_action_plan_tab_speaks_the_collections_words(
    page: Page, laering_url: str, laering: Assistant
) -> None:
    client = Client(laering_url, verbose=False)
    everything, _, _ = client.predict("", api_name="/resultatmal")
    assert everything["value"]["headers"][1:4] == ["Behov hos elever og lærere", "Nr.", "Tiltak"]
    assert [row[2] for row in everything["value"]["data"]] == [1, 2, 3, 4, 5, 6]
    _, hits, summary = client.predict("timeplan", api_name="/resultatmal")
    assert hits.count('class="treff-kort"') >= 1
    assert (
        "<strong>6.</strong> Veiledning i å velge apper til timeplan og leksehjelp" in hits.split("</li>")[0]
    )
    assert "av 6 tiltak passer til «timeplan»" in summary
    coverage = laering.coverage()
    html = client.predict(api_name="/dekning")
    assert html.count('class="dekning-punkt"') == len(coverage.items) == 5  # målsetting 1 and 2's bullets

    page.goto(laering_url)
    open_tab(page, "Tiltak")
    expect(
        page.get_by_text("Tiltakene fra handlingsplanen, etter hovedområde og behov hos elever og lærere.")
    )
    expect(page.get_by_role("heading", name="Dekning av Målsetting 1 og 2 i strategien")).to_be_visible()
    expect(page.get_by_label("Søk i tiltakene")).to_have_attribute("placeholder", "f.eks. timeplan, kvalitet")
    page.get_by_label("Søk i tiltakene").fill("timeplan")
    expect(page.locator(".treff-kort").first).to_contain_text("Veiledning i å velge apper til timeplan")
    page.get_by_role("button", name="Vis dekning").click()
    expect(page.locator(".dekning-punkt")).to_have_count(5)
    expect(page.get_by_role("tab", name="Resultatmål")).to_have_count(0)
    page.screenshot(path=str(screenshot_path("second-corpus-tiltak.png")), full_page=True)


def test_the_hearing_tab_reads_the_collections_form(page: Page, laering_url: str) -> None:
    client = Client(laering_url, verbose=False)
    table, count = client.predict(api_name="/horingssvar")
    value = table.get("value", table)
    assert value["headers"][2:4] == ["Spørsmål 2", "Begrunnelse (spørsmål 2)"]  # the form's support question
    answers = {row[0]: row[2] for row in value["data"]}
    assert answers == {
        "Fjordvik kommune": "enig",
        "Foreningen for foreldre i skolen": "uenig",
        "Nordfjell fylkeskommune": "vet ikke",
    }
    assert "Alle 3 høringssvar er lest inn." in count  # «Direktoratet mottok totalt 3 høringsinnspill»
    _, columns = client.predict("skjermbruk", api_name="/spor")
    for cid in ("spor-svar", "spor-handtering", "spor-strategi"):
        assert columns.split(f'id="{cid}"')[1].split("</details>")[0].count('class="spor-kort"') >= 1, cid

    page.goto(laering_url)
    open_tab(page, "Høringen")
    expect(page.get_by_text("Alle 3 høringssvar er lest inn.")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Spørsmål 2", exact=True)).to_be_visible()
    expect(page.locator("#horing-tabell")).to_contain_text("Foreningen for foreldre i skolen")
    page.locator("#tema textarea").fill("skjermbruk")
    page.locator("#folg-tema").click()
    expect(page.locator("#spor-svar .spor-kort mark").first).to_have_text("skjermbruk")
    page.screenshot(path=str(screenshot_path("second-corpus-hearing.png")), full_page=True)
