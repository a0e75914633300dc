"""The source viewer, filter chips, «Tolket som», and the app on a phone and in Norwegian.

Pure functions first, then the live app in headless Chromium (Debian's, through Playwright) at desktop
width and at 390×844. The highlight is checked against the PDF itself: the text PDFium reads inside
the rectangles the browser draws must be the quoted text, and the quote's first word must lie inside
the first rectangle.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pypdfium2 as pdfium
import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from ui_helpers import REPO, screenshot_path

from assistant.api import Assistant
from assistant.quote_align import fold_key
from assistant.settings import Settings
from assistant.types import Citation
from assistant.ui.app import launch_options
from assistant.ui.background import running_app
from assistant.ui.chat import respond
from assistant.ui.export import conversation_markdown
from assistant.ui.filters import active_filters, without
from assistant.ui.sources import answer_markdown, interpreted_as, sources_html
from assistant.ui.viewer import open_ref, parse_ref

HANDLING_Q = "Hvordan ble innspillene om digitalt utenforskap håndtert?"
FIRST_Q, FOLLOW_UP = "Hva er Mål 1 i strategien?", "Hva med mål 2?"
DESKTOP = {"width": 1360, "height": 1000}
PHONE = {"width": 390, "height": 844}
SIZES = [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")]
MIN_CELL_CHARS = 3
# Words that give away an English interface text (checked in attributes and pop-up titles).
ENGLISH = re.compile(
    r"\b(More|tabs|Close|Copy|Copied|Clear|Remove|Download|Upload|Drop|Click|Loading|Error|Warning|"
    r"Info|Success|Submit|Search|Select|Settings|Share|Table|actions|message|conversation|chatbot|"
    r"Built with|Use via API|Fullscreen|full screen|Dismiss)\b"
)


def turns_for(assistant: Assistant, *questions: str) -> list[dict[str, Any]]:
    turns: list[dict[str, Any]] = []
    for question in questions:
        *_, (_, _, turns, _, _) = list(respond(assistant, question, turns, None, None, None, "test"))
    return turns


# -- pure functions ---------------------------------------------------------------------------------
def test_cards_merge_by_passage_and_every_marker_opens_its_source() -> None:
    passage = "Først dette. Så kommer det andre sitatet. Og til slutt noe mer."
    common = {"source": "d", "title": "Dok", "kind": "strategi", "organisation": "", "section": "", "page": 2}
    cites = [
        Citation(n=1, quote="Først dette.", chunk_id="c1", passage_text=passage, **common),
        Citation(n=2, quote="Noe annet.", chunk_id="c2", passage_text="Noe annet.", **common),
        Citation(n=3, quote="Så kommer det andre sitatet.", chunk_id="c1", passage_text=passage, **common),
    ]
    html = sources_html(cites, turn=4)
    assert html.count('class="kilde"') == 2  # [1] and [3] quote the same passage: one card
    assert "[1] [3] Dok" in html and html.count("Vis i dokumentet") == 2
    assert 'value="4:1,3"' in html and 'value="4:2"' in html
    assert "<mark>Først dette.</mark>" in html and "<mark>Så kommer det andre sitatet.</mark>" in html
    assert parse_ref("4:1,3|1712") == (4, [1, 3])
    with pytest.raises(ValueError):
        parse_ref("x:1")

    class Ans:
        text = "Svar [1] og [3], men [9] er ingen kilde."
        citations = cites
        notes: ClassVar[list[str]] = []
        abstained = False
        question = "Hva med mål 2?"
        standalone_question = "Hva er mål 2 i strategien?"
        model_text = ""
        explain = None

    message = answer_markdown(Ans(), turn=4)  # type: ignore[arg-type]
    assert '<button type="button" class="kilde-ref" value="4:1"' in message
    assert 'value="4:3"' in message and "[9] er ingen kilde" in message  # no button for a non-citation
    assert '<p class="tolket-som">Tolket som: «Hva er mål 2 i strategien?»</p>' in message
    Ans.standalone_question = " hva med  MÅL 2? "
    assert interpreted_as(Ans()) == ""  # only spacing and case differ: not a rewrite  # type: ignore[arg-type]


def test_filter_chips_name_each_filter_and_remove_one(assistant: Assistant) -> None:
    titles = {d.source: d.title for d in assistant.documents()}
    chips = active_filters(["høringssvar"], ["Direktoratet for e-helse"], ["strategi"], titles)
    assert [text for _, _, text in chips] == [
        "Type: Høringssvar",
        "Organisasjon: Direktoratet for e-helse",
        f"Dokument: {titles['strategi']}",
    ]
    assert without(["a", "b"], "a") == ["b"] and without(None, "a") == []


def test_viewer_opens_the_cited_page_and_says_when_it_cannot(assistant: Assistant, tmp_path: Path) -> None:
    turns = turns_for(assistant, HANDLING_Q)
    column, html, previous, following, download, state, side = open_ref(assistant, "0:1|1", turns)
    assert column["visible"] is True and side["visible"] is False
    assert '<img src="data:image/webp;base64,' in html and html.count('class="kv-markering"') >= 1
    assert "side 4 av 18" in html and "Sitatet er markert på siden." in html
    assert state["page"] == 4 and previous["interactive"] and following["interactive"]
    assert Path(download["value"]).read_bytes()[:5] == b"%PDF-"
    assert not Path(download["value"]).is_relative_to(assistant.settings.home)  # a copy, not the index's file
    # A conversation cleared since: nothing happens (no turn 5), and a removed document says so.
    assert all(u == {"__type__": "update"} for u in open_ref(assistant, "5:1|1", turns))  # nothing changes
    gone = [{**turns[0], "citations": [{**c, "source": "fjernet"} for c in turns[0]["citations"]]}]
    _, html, *_ = open_ref(assistant, "0:1|1", gone)
    assert "er ikke lenger i indeksen" in html and "<mark" in html  # the passage as read in, marked


def test_export_and_launch_options_follow_the_settings(assistant: Assistant) -> None:
    turns = turns_for(assistant, FIRST_Q, FOLLOW_UP)
    assert turns[1]["interpreted"] == interpreted_as(assistant.ask(FOLLOW_UP, history=[FIRST_Q])) != ""
    assert f"*Tolket som: «{turns[1]['interpreted']}»*" in conversation_markdown(turns)
    assert launch_options(assistant.settings)["footer_links"] == []  # no English API page by default
    assert launch_options(Settings(home=assistant.settings.home, api_link=True))["footer_links"] == ["api"]


# -- in a real browser ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def app_url(assistant: Assistant) -> Iterator[str]:
    with running_app(assistant) as url:
        yield url


def open_page(browser: Browser, url: str, size: dict[str, int], locale: str = "nb-NO") -> Page:
    page = browser.new_context(locale=locale, viewport=size).new_page()
    page.set_default_timeout(90_000)
    page.goto(url)
    return page


def ask(page: Page, question: str) -> Locator:
    page.locator("#sporsmal textarea").fill(question)
    page.locator("#spor").click()
    bot = page.locator("#samtale [data-testid='bot']").last
    expect(bot.locator("details.kilder")).to_be_visible()
    return bot


def highlight_rects(page: Page) -> tuple[dict[str, float], list[dict[str, float]]]:
    image = page.locator("#kildeviser .kv-side img")
    expect(image).to_be_visible()
    page.wait_for_function("() => document.querySelector('#kildeviser .kv-side img').naturalWidth > 0")
    page.wait_for_timeout(300)  # the viewer scrolls its pane to the highlight just after opening
    # Measured in one go, so a scroll cannot move the image between two measurements.
    return page.evaluate(  # type: ignore[no-any-return]
        """() => {
          const box = (e) => { const r = e.getBoundingClientRect(); return {x: r.x, y: r.y, width: r.width, height: r.height}; };
          const side = document.querySelector('#kildeviser .kv-side');
          return [box(side.querySelector('img')), [...side.querySelectorAll('.kv-markering')].map(box)];
        }"""
    )


def text_under(pdf_page: Any, image: dict[str, float], rects: list[dict[str, float]]) -> str:
    """What PDFium reads inside the rectangles the browser drew (page points from screen pixels)."""
    width, height = pdf_page.get_size()
    textpage = pdf_page.get_textpage()
    out = []
    for r in rects:
        x0 = (r["x"] - image["x"]) / image["width"] * width
        x1 = (r["x"] + r["width"] - image["x"]) / image["width"] * width
        y0 = (r["y"] - image["y"]) / image["height"] * height
        y1 = (r["y"] + r["height"] - image["y"]) / image["height"] * height
        out.append(textpage.get_text_bounded(x0, height - y1, x1, height - y0))
    return "".join(out)


def first_word_inside(pdf_page: Any, word: str, image: dict[str, float], rect: dict[str, float]) -> bool:
    """Does PDFium's own search find ``word`` at a place inside ``rect`` (the first highlight)?"""
    width, height = pdf_page.get_size()
    textpage = pdf_page.get_textpage()
    searcher = textpage.search(word, match_case=True, match_whole_word=True)
    while (hit := searcher.get_next()) is not None:
        left, bottom, right, top = textpage.get_charbox(hit[0])
        x = image["x"] + (left + right) / 2 / width * image["width"]
        y = image["y"] + (1 - (bottom + top) / 2 / height) * image["height"]
        if rect["x"] <= x <= rect["x"] + rect["width"] and rect["y"] <= y <= rect["y"] + rect["height"]:
            return True
    return False


def check_highlight(page: Page, assistant: Assistant, cites: list[Citation]) -> int:
    """The viewer shows the page the quotes are on, with the highlight over them; returns the page."""
    header = page.locator("#kildeviser .kv-hode")
    expect(header).to_contain_text(" ".join(f"[{c.n}]" for c in cites))
    shown = int(re.search(r"side (\d+) av", header.inner_text()).group(1))  # type: ignore[union-attr]
    image, rects = highlight_rects(page)
    assert rects, "no highlight drawn"
    path, _ = assistant.document_file(cites[0].source)
    pdf_page = pdfium.PdfDocument(str(path))[shown - 1]
    under = fold_key(text_under(pdf_page, image, rects))[0]
    for c in cites:
        assert fold_key(c.quote)[0] in under, (c.quote, under)
    first_word = next(w for w in (w.strip("«»-–•.,:;") for w in cites[0].quote.split()) if w)
    assert first_word_inside(pdf_page, first_word, image, rects[0])
    return shown


def save_docs_screenshot(page: Page, name: str) -> None:
    page.locator("#samtale [role='log']").evaluate("e => e.scrollTop = 0")  # the answer, not the last card
    path = screenshot_path(name)
    page.screenshot(path=path)
    if os.environ.get("UPDATE_DOCS_SCREENSHOT") == "1":  # regenerate the README's images on purpose only
        shutil.copy(path, REPO / "docs" / name)


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES)
def test_browser_vis_i_dokumentet_highlights_the_quote_on_its_page(
    browser: Browser, app_url: str, assistant: Assistant, size: dict[str, int]
) -> None:
    page = open_page(browser, app_url, size)
    bot = ask(page, HANDLING_Q)
    answer = assistant.ask(HANDLING_Q)
    bot.locator("details.kilder > summary").click()
    card = bot.locator(".kilde").first
    card.get_by_role("button", name="Vis i dokumentet", exact=True).click()
    first_card = [c for c in answer.citations if c.chunk_id == answer.citations[0].chunk_id]
    shown = check_highlight(page, assistant, first_card)
    viewer = page.locator("#kildeviser").bounding_box()
    chat = page.locator("#chat-kolonne").bounding_box()
    assert viewer and chat
    if size is PHONE:  # below the answer and the question box
        assert viewer["y"] >= chat["y"] + chat["height"] - 1 and viewer["width"] > 0.8 * size["width"]
    else:  # beside the chat
        assert viewer["x"] >= chat["x"] + chat["width"] - 1 and abs(viewer["y"] - chat["y"]) < 80
    save_docs_screenshot(page, f"screenshot-viewer-{'phone' if size is PHONE else 'desktop'}.png")

    # Page forward and back; the download is the document itself.
    header = page.locator("#kildeviser .kv-hode")
    page.locator("#neste-side").click()
    expect(header).to_contain_text(f"side {shown + 1} av")
    page.locator("#forrige-side").click()
    expect(header).to_contain_text(f"side {shown} av")
    expect(page.locator("#kildeviser .kv-side .kv-markering").first).to_be_visible()
    with page.expect_download() as download:
        page.locator("#last-ned-kilde").click()
    path, _ = assistant.document_file(first_card[0].source)
    assert Path(download.value.path()).read_bytes() == path.read_bytes()
    page.locator("#lukk-kildeviser").click()
    expect(page.locator("#kildeviser")).to_be_hidden()
    page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES)
def test_browser_a_marker_in_the_answer_opens_its_source(
    browser: Browser, app_url: str, assistant: Assistant, size: dict[str, int]
) -> None:
    page = open_page(browser, app_url, size)
    bot = ask(page, HANDLING_Q)
    last = assistant.ask(HANDLING_Q).citations[-1]
    bot.locator("button.kilde-ref", has_text=f"[{last.n}]").first.click()
    check_highlight(page, assistant, [last])
    expect(page.locator("#kildeviser .kv-hode")).to_contain_text(last.title)
    page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES)
def test_browser_filter_chips_show_active_filters_and_remove_one(
    browser: Browser, app_url: str, size: dict[str, int]
) -> None:
    page = open_page(browser, app_url, size)
    panel = page.locator("#filtre")
    panel.get_by_text("Avgrens søket").click()
    page.locator("#filter-type").get_by_label("Høringssvar").check()
    page.locator("#filter-type").get_by_label("Strategi").check()
    chips = page.locator("button.filterbrikke")
    expect(chips).to_have_text(["Type: Høringssvar ✕", "Type: Strategi ✕"])
    panel.get_by_text("Avgrens søket").click()  # fold the panel: the chips stay
    expect(page.locator("#filter-type")).to_be_hidden()
    expect(chips).to_have_count(2)
    box, question = chips.first.bounding_box(), page.locator("#sporsmal").bounding_box()
    assert box and question and box["y"] < question["y"]  # above the question box
    chips.filter(has_text="Strategi").click()  # one click removes that filter
    expect(chips).to_have_text(["Type: Høringssvar ✕"])
    bot = ask(page, HANDLING_Q)
    expect(bot).to_contain_text("Avgrenset til type: Høringssvar.")
    panel.get_by_text("Avgrens søket").click()
    expect(page.locator("#filter-type").get_by_label("Strategi")).not_to_be_checked()
    expect(page.locator("#filter-type").get_by_label("Høringssvar")).to_be_checked()
    page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES)
def test_browser_follow_up_shows_how_it_was_read(
    browser: Browser, app_url: str, assistant: Assistant, size: dict[str, int]
) -> None:
    page = open_page(browser, app_url, size)
    first = ask(page, FIRST_Q)
    expect(first.locator(".tolket-som")).to_have_count(0)  # asked plainly: nothing to say
    follow = ask(page, FOLLOW_UP)
    expect(page.locator("#samtale [data-testid='bot']")).to_have_count(2)
    read = interpreted_as(assistant.ask(FOLLOW_UP, history=[FIRST_Q]))
    expect(follow.locator(".tolket-som")).to_have_text(f"Tolket som: «{read}»")
    page.context.close()


NARROW_CELLS_JS = """(minChars) => {
  const canvas = document.createElement("canvas").getContext("2d");
  const narrow = [];
  for (const cell of document.querySelectorAll("th, td, [role=gridcell], [role=columnheader]")) {
    const box = cell.getBoundingClientRect();
    if (!cell.offsetParent || box.width === 0 || box.height === 0) continue;
    if (cell.closest("[aria-hidden=true]")) continue;
    const style = getComputedStyle(cell);
    canvas.font = style.font;
    const room = box.width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (room < minChars * canvas.measureText("0").width) narrow.push([cell.textContent.trim().slice(0, 30), Math.round(room)]);
  }
  return narrow;
}"""


@pytest.mark.browser
def test_browser_phone_tabs_question_box_and_tables(browser: Browser, app_url: str) -> None:
    page = open_page(browser, app_url, PHONE)
    tabs = page.get_by_role("tab")
    expect(tabs).to_have_text(["Chat", "Resultatmål", "Høringen", "Dokumenter"])
    for tab in tabs.all():  # every tab on screen, none behind an overflow menu
        box = tab.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    expect(page.locator("button[aria-label='More tabs'], button[aria-label='Flere faner']")).to_have_count(0)

    ask(page, HANDLING_Q)  # a long answer with sources
    box = page.locator("#sporsmal textarea").bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    page.screenshot(path=screenshot_path("telefon-svar.png"))

    cells = 0
    for name in ("Chat", "Resultatmål", "Høringen", "Dokumenter"):
        page.get_by_role("tab", name=name).click()
        page.wait_for_timeout(600)
        if name != "Chat":
            expect(page.locator("[role=gridcell]:visible, td:visible").first).to_be_visible()
        cells += page.locator("[role=gridcell]:visible, td:visible").count()
        assert page.evaluate(NARROW_CELLS_JS, MIN_CELL_CHARS) == [], name
        page.screenshot(path=screenshot_path(f"telefon-{name.lower()}.png"), full_page=True)
    assert cells > 20  # the check saw the tables
    page.context.close()


@pytest.mark.browser
def test_browser_texts_are_norwegian_even_in_an_english_browser(browser: Browser, app_url: str) -> None:
    page = open_page(browser, app_url, DESKTOP, locale="en-US")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    page.locator("#spor").click()  # an empty question: a pop-up
    expect(page.locator(".toast-title").first).to_have_text("Obs")
    for name in ("Resultatmål", "Høringen", "Dokumenter", "Chat"):
        page.get_by_role("tab", name=name).click()
        page.wait_for_timeout(500)
        found = page.evaluate(
            """() => [...document.querySelectorAll('[aria-label],[title],[placeholder],[alt]')]
                .flatMap(e => ['aria-label', 'title', 'placeholder', 'alt'].map(a => e.getAttribute(a)))
                .filter(Boolean)"""
        )
        english = sorted({text for text in found if ENGLISH.search(text)})
        assert english == [], (name, english)
    page.get_by_role("tab", name="Dokumenter").click()
    expect(page.locator("#opplasting")).to_contain_text("Klikk for å laste opp")  # Gradio's own text
    body = page.locator("body").inner_text()
    assert "Use via API" not in body and "Built with" not in body and "Bruk via API" not in body
    page.context.close()


def test_a_markdown_source_opens_as_text_with_the_quote_marked(
    fresh_assistant: Assistant, tmp_path: Path
) -> None:
    note = tmp_path / "hjemmeoppfolging.md"
    note.write_text(
        "# Hjemmeoppfølging\n\nKommunen følger opp målingene og ringer pasienten\nved avvik. "
        "Digital hjemmeoppfølging lar pasienter med kroniske sykdommer måle blodtrykk hjemme.\n",
        encoding="utf-8",
    )
    assert fresh_assistant.ingest([note]).ok
    turns = turns_for(fresh_assistant, "Hva gjør kommunen ved avvik i målingene?")
    cites = turns[0]["citations"]
    assert cites and cites[0]["source"] == "hjemmeoppfolging"
    _, html, _, _, download, state, _ = open_ref(fresh_assistant, f"0:{cites[0]['n']}|1", turns)
    assert '<div class="kv-tekst">' in html and "<img" not in html
    marked_text = re.findall(r'<mark class="kv-markering">(.*?)</mark>', html)
    assert marked_text and fold_key(cites[0]["quote"])[0] in fold_key(marked_text[0].replace("<br>", " "))[0]
    assert "# Hjemmeoppfølging" in html  # the document as written, around the passage
    assert download["label"] == "Last ned dokumentet" and Path(download["value"]).read_text(encoding="utf-8")
    assert state["pages"] == 1
