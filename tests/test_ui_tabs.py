"""The «Resultatmål», «Høringen» and «Dokumenter» tabs for real: a live Gradio server, gradio_client, and
Debian's Chromium through Playwright, at desktop width and at phone width (390×844).

The structure tabs run on the session ``assistant`` (bundled corpus; never changed here). Uploads and
removals run on an app of their own over a small index with a corpus folder of its own, so a bundled
document can be removed (after confirming) without touching the session index.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from gradio_client import Client, handle_file
from helpers import seed_home
from playwright.sync_api import Browser, Page, expect
from ui_helpers import open_tab, screenshot_path

from assistant.api import Assistant
from assistant.settings import Settings
from assistant.ui.background import running_app
from assistant.ui.document_meta import AUTO_KIND, corpus_kinds, is_bundled, kind_choices, removal_question
from assistant.ui.documents import ingest_uploads, remove_document, uploads_dir
from ingest.manifest import read_manifest

UPLOAD_LIMIT_MB = 0.05
SIZES = {"desktop": {"width": 1360, "height": 1250}, "phone": {"width": 390, "height": 844}}
BUNDLED_NOTE = "Rundskriv om velferdsteknologi\n\nKommunen tar i bruk digitale trygghetsalarmer i 2025.\n"
MANIFEST = """
[[document]]
file = "rundskriv.txt"
kind = "strategi"
organisation = "Direktoratet for e-helse"
"""


# -- fixtures -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def chat_url(assistant: Assistant) -> Iterator[str]:
    with running_app(assistant) as url:
        yield url


@pytest.fixture(scope="module")
def docs_assistant(tmp_path_factory: pytest.TempPathFactory, session_home: Path) -> Assistant:
    """A small index of its own: one document from its corpus folder (bundled), one from elsewhere."""
    home = tmp_path_factory.mktemp("docs-home")
    seed_home(session_home, home)
    corpus = tmp_path_factory.mktemp("docs-corpus")
    (corpus / "rundskriv.txt").write_text(BUNDLED_NOTE, encoding="utf-8")
    (corpus / "sources.toml").write_text(MANIFEST, encoding="utf-8")
    outside = tmp_path_factory.mktemp("outside")
    (outside / "eksisterende.txt").write_text(
        "Et dokument som ble lest inn fra en mappe.\n", encoding="utf-8"
    )
    a = Assistant.open(Settings(home=home, corpus_dir=corpus, max_file_mb=UPLOAD_LIMIT_MB))
    assert a.ingest([corpus, outside / "eksisterende.txt"]).ok
    return a


@pytest.fixture(scope="module")
def docs_url(docs_assistant: Assistant) -> Iterator[str]:
    with running_app(docs_assistant) as url:
        yield url


@pytest.fixture(params=sorted(SIZES))
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A Norwegian browser at desktop width and at phone width."""
    context = browser.new_context(locale="nb-NO", viewport=SIZES[request.param])
    p = context.new_page()
    p.set_default_timeout(90_000)
    yield p
    context.close()


def _size(page: Page) -> str:
    return "phone" if (page.viewport_size or {}).get("width", 0) < 500 else "desktop"


# -- the tabs' API ------------------------------------------------------------------------------
def test_result_goal_search_by_meaning_and_coverage_in_words(chat_url: str, assistant: Assistant) -> None:
    client = Client(chat_url, verbose=False)
    everything, hits, summary = client.predict("", api_name="/resultatmal")
    goals = assistant.resultatmal()
    assert len(everything["value"]["data"]) == len(goals) and everything["visible"] is not False
    areas = [row[0] for row in everything["value"]["data"]]
    assert areas == sorted(areas, key=list(dict.fromkeys(g.area for g in goals)).index)  # grouped by area
    assert hits == "" and summary == ""

    # "timer" (the box's own example) and "timebestilling" find the booking goal, and say why.
    for query, word in (("timer", "«timebestilling»"), ("timebestilling", "«bestille»")):
        table, hits, summary = client.predict(query, api_name="/resultatmal")
        assert table["visible"] is False
        cards = hits
        assert cards.count('class="treff-kort"') == 1
        assert "<strong>9.</strong> Innbygger kan bestille, flytte og avlyse avtaler" in cards
        assert word in cards.split('class="treff-hvorfor"')[1]  # «Treff fordi: …»
        assert f"1 av {len(goals)} resultatmål passer til «{query}»" in summary
    _, hits, summary = client.predict("pannekaker", api_name="/resultatmal")
    assert hits == "" and "Ingen av de 20 resultatmålene handler om «pannekaker»" in summary

    html = client.predict(api_name="/dekning")
    coverage = assistant.coverage()
    assert html.count('class="dekning-punkt"') == len(coverage.items) > 0
    counts = {
        level: sum(i.level == level for i in coverage.items) for level in ("dekket", "delvis", "ikke dekket")
    }
    assert f"{counts['dekket']} av {len(coverage.items)} punkter er dekket" in html
    for word in ("e5", "embedding", "0.91", "svak"):
        assert word not in html.split("<details")[0]  # no jargon or bare thresholds outside the toggle
    assert '<details class="dekning-tall"><summary>Vis tallene bak vurderingen</summary>' in html
    assert coverage.shared_best()  # in the bundled corpus two goals are each best for two bullets
    for number in coverage.shared_best():
        assert f"Resultatmål {number} er beste treff for punkt" in html


def test_hearing_table_count_and_topic_trace(chat_url: str, assistant: Assistant) -> None:
    client = Client(chat_url, verbose=False)
    table, count = client.predict(api_name="/horingssvar")
    rows = table["value"]["data"] if "value" in table else table["data"]
    responses = assistant.hearing_responses()
    assert len(rows) == len(responses) > 0
    assert f"**{len(responses)} av 89 høringssvar er lest inn.**" in count  # the summary states 89
    assert {row[2] for row in rows} <= {"ja", "nei", "vet ikke", "ikke besvart", "ikke på skjema"}
    imdi = next(row for row in rows if "IMDi" in row[0])
    assert imdi[1] == "Statlig etat, ombud eller fagråd"
    read_as, columns = client.predict("digitalt utenforskap", api_name="/spor")
    assert read_as == "" and "<script" not in columns
    for cid in ("spor-svar", "spor-handtering", "spor-strategi"):
        section = columns.split(f'id="{cid}"')[1].split("</details>")[0]
        assert section.count('class="spor-kort"') >= 1
        assert "<mark>utenforskap" in section.lower()
    assert "<mark>presisert</mark>" not in columns and "<mark>står seg</mark>" not in columns
    # A topic the summary and the strategy do not mention says so in words.
    _, cloud = client.predict("skytjenester", api_name="/spor")
    assert "Høringsoppsummeringen omtaler ikke «skytjenester»." in cloud
    assert "Strategien omtaler ikke «skytjenester»." in cloud
    assert cloud.split('id="spor-svar"')[1].split("</details>")[0].count('class="spor-kort"') == 1
    _, nothing = client.predict("samisk", api_name="/spor")
    assert f"Ingen av de {len(responses)} høringssvarene i indeksen omtaler «samisk»." in nothing
    # A typing slip is read as the document word, and the tab says so.
    misspelled = client.predict("digitalt utenforksap", api_name="/spor")
    assert "Leste «utenforksap» som «utenforskap»" in misspelled[0]
    assert misspelled[1] == columns


# -- documents: kind, organisation, removal -----------------------------------------------------
def test_kinds_come_from_the_index_and_the_corpus_manifest(docs_assistant: Assistant) -> None:
    kinds = corpus_kinds(docs_assistant)
    assert kinds == ["strategi", "dokument"]  # strategi from the manifest and index; dokument: unnamed files
    assert kind_choices(docs_assistant)[0] == (AUTO_KIND, "")
    assert is_bundled(docs_assistant, "rundskriv") and not is_bundled(docs_assistant, "eksisterende")
    assert "medfølgende dokumentene" in removal_question(docs_assistant, "rundskriv")
    assert "medfølgende" not in removal_question(docs_assistant, "eksisterende")


def test_an_upload_keeps_its_kind_and_organisation(docs_assistant: Assistant, tmp_path: Path) -> None:
    a = docs_assistant
    note = tmp_path / "innspill.txt"
    note.write_text("Innspill til strategien\n\nVi ber om mer vekt på tolketjenester.\n", encoding="utf-8")
    done, failed = ingest_uploads(a, [str(note)], lambda *_, **__: None, "høringssvar", " Testkommunen ")
    assert failed == [] and done == [
        "«innspill.txt» lagt til (1 tekstbiter) som høringssvar fra Testkommunen."
    ]
    info = next(d for d in a.documents() if d.source == "innspill")
    assert (info.kind, info.organisation) == ("høringssvar", "Testkommunen")
    hits = a.retrieve(
        "tolketjenester", k=3, filters={"organisation": ["Testkommunen"], "kind": "høringssvar"}
    )
    assert hits and hits[0].source == "innspill"  # the filters use it
    assert read_manifest(uploads_dir(a))["innspill.txt"].organisation == "Testkommunen"
    # The same file with another kind is read again (its bytes did not change, its metadata did).
    done, _ = ingest_uploads(a, [str(note)], lambda *_, **__: None, "dokument", "Testkommunen")
    assert done == ["«innspill.txt» oppdatert (1 tekstbiter) som dokument fra Testkommunen."]
    # A kind that is not one of the corpus's is refused before anything is copied.
    assert ingest_uploads(a, [str(note)], lambda *_, **__: None, "roman", "")[1][0].startswith(
        "Dokumenttypen «roman»"
    )
    assert remove_document(a, "innspill") == 1
    assert "innspill.txt" not in read_manifest(uploads_dir(a))


def test_upload_and_remove_through_the_app(docs_url: str, docs_assistant: Assistant, tmp_path: Path) -> None:
    note = tmp_path / "notat.md"
    note.write_text("# Notat\n\nVideokonsultasjon mellom fastlege og pasient.\n", encoding="utf-8")
    client = Client(docs_url, verbose=False)
    cleared, table, _, _, _, status, _ = client.predict(
        [handle_file(str(note))], "strategi", "Helse Nord RHF", api_name="/ingest_files"
    )
    assert "«notat.md» lagt til (1 tekstbiter) som strategi fra Helse Nord RHF" in status and cleared is None
    row = next(row for row in table["data"] if row[-1] == "notat")
    assert row[1:3] == ["Strategi", "Helse Nord RHF"]
    table, _, status, upload_status = client.predict("notat", api_name="/remove_document")
    assert "«notat» er fjernet (1 tekstbiter)" in status and upload_status == ""  # the «Lest inn» is gone
    assert "notat" not in [row[-1] for row in table["data"]]
    assert not (uploads_dir(docs_assistant) / "notat.md").exists()  # or a folder ingest would revive it

    # Gradio's own limit stops a too-large upload before any code of ours sees it.
    big = {"files": ("stor.txt", b"a" * int(UPLOAD_LIMIT_MB * 1024 * 1024 * 2), "text/plain")}
    assert httpx.post(f"{docs_url}/gradio_api/upload", files=big).status_code == 413


# -- in a real browser, at desktop and phone width ------------------------------------------------
@pytest.mark.browser
def test_browser_goal_search_by_meaning(page: Page, chat_url: str) -> None:
    page.goto(chat_url)
    open_tab(page, "Resultatmål")
    box = page.get_by_label("Søk i resultatmålene")
    expect(box).to_have_attribute("placeholder", "f.eks. timer, helsedata, pårørende")
    box.fill("timebestilling")
    hits = page.locator("#resultatmal-treffliste")
    # The first search loads the word list and the model: give it time.
    expect(hits).to_contain_text("Innbygger kan bestille, flytte og avlyse avtaler", timeout=60_000)
    expect(hits).to_contain_text(
        "Treff fordi: «timebestilling» (delen «bestilling») ~ «bestille» i resultatmålet"
    )
    expect(page.locator("#resultatmal-tabell")).to_be_hidden()
    box.fill("timer")  # the placeholder's own example
    expect(hits).to_contain_text("«timer» (som i «timebestilling», «timeavtale»)")
    expect(page.locator("#resultatmal-treff")).to_contain_text("1 av 20 resultatmål passer til «timer»")
    card = hits.locator(".treff-kort").first
    area = card.bounding_box()
    width = (page.viewport_size or {}).get("width", 0)
    assert area and area["width"] >= 0.7 * width  # one card across the page, not a squeezed column
    page.screenshot(path=screenshot_path(f"resultatmal-sok-{_size(page)}.png"), full_page=True)
    box.fill("")
    expect(page.locator("#resultatmal-tabell")).to_be_visible()
    expect(hits.locator(".treff-kort")).to_have_count(0)

    expect(page.locator("#dekning")).not_to_contain_text("dekket")  # no result before it is asked for
    page.locator("#vis-dekning").click()
    coverage = page.locator("#dekning")
    expect(coverage).to_contain_text("punkter er dekket", timeout=60_000)
    expect(coverage.locator(".nivaa").first).to_be_visible()
    numbers = coverage.locator(".dekning-tall table")
    expect(numbers).to_be_hidden()
    coverage.get_by_text("Vis tallene bak vurderingen").click()
    expect(numbers).to_be_visible()


@pytest.mark.browser
def test_browser_trace_says_what_is_missing_and_stacks_on_a_phone(page: Page, chat_url: str) -> None:
    page.goto(chat_url)
    open_tab(page, "Høringen")
    expect(page.locator("#horing-antall")).to_contain_text("2 av 89 høringssvar er lest inn")
    page.locator("#tema textarea").fill("skytjenester")
    page.locator("#folg-tema").click()
    handled = page.locator("#spor-handtering")
    expect(handled).to_contain_text("Høringsoppsummeringen omtaler ikke «skytjenester».", timeout=60_000)
    expect(page.locator("#spor-strategi")).to_contain_text("Strategien omtaler ikke «skytjenester».")
    said = page.locator("#spor-svar")
    expect(said.locator(".spor-kort mark").first).to_have_text("Skytjenester")
    boxes = [
        page.locator(f"#{cid}").bounding_box() for cid in ("spor-svar", "spor-handtering", "spor-strategi")
    ]
    assert all(boxes)
    if _size(page) == "phone":  # one column under the other, each as wide as the screen allows
        assert boxes[0]["y"] + boxes[0]["height"] <= boxes[1]["y"] + 1 <= boxes[2]["y"] + 1
        assert all(abs(b["x"] - boxes[0]["x"]) < 2 and b["width"] > 300 for b in boxes)
    else:  # side by side
        assert abs(boxes[0]["y"] - boxes[1]["y"]) < 2 and boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]
    page.screenshot(path=screenshot_path(f"horingen-spor-{_size(page)}.png"), full_page=True)
    # Each column folds away.
    card = said.locator(".spor-kort").first
    expect(card).to_be_visible()
    said.locator("summary").click()
    expect(card).to_be_hidden()
    expect(said.locator("summary")).to_contain_text("Hva høringssvarene sa (1)")


def _pick(page: Page, dropdown: str, option: str) -> None:
    page.locator(f"{dropdown} input").click()
    page.get_by_role("option", name=option, exact=True).click()


@pytest.mark.browser
def test_browser_upload_with_kind_and_organisation_then_remove_after_confirming(
    page: Page, docs_url: str, docs_assistant: Assistant
) -> None:
    name = f"notat-{_size(page)}"
    page.goto(docs_url)
    open_tab(page, "Dokumenter")
    expect(page.locator("#dokumenter")).to_contain_text("eksisterende")
    page.locator("#opplasting input[type=file]").set_input_files(
        [
            {
                "name": f"{name}.txt",
                "mimeType": "text/plain",
                "buffer": b"Notat\n\nOm digitale trygghetsalarmer.\n",
            }
        ]
    )
    _pick(page, "#opplasting-type", "Strategi")
    organisation = page.locator("#opplasting-organisasjon input")
    organisation.fill("Testkommunen")
    organisation.press("Enter")
    page.locator("#les-inn").click()
    status = page.locator("#opplasting-status")
    expect(status).to_contain_text(
        f"«{name}.txt» lagt til (1 tekstbiter) som strategi fra Testkommunen.", timeout=60_000
    )
    expect(page.locator("#dokumenter")).to_contain_text(
        re.compile(rf"Strategi\s+Testkommunen\s+1\s+1\s+\S+ \S+ UTC\s+{name}")
    )
    info = next(d for d in docs_assistant.documents() if d.source == name)
    assert (info.kind, info.organisation) == ("strategi", "Testkommunen")

    # Removal asks first; cancelling keeps the document.
    _pick(page, "#fjern-valg", f"Notat ({name})")
    page.locator("#fjern").click()
    confirm = page.locator("#fjern-sporsmal")
    expect(page.locator("#fjern-ja")).to_be_visible()
    expect(confirm).to_contain_text(f"Vil du fjerne «Notat» ({name})?")
    expect(confirm).not_to_contain_text("medfølgende")
    page.locator("#fjern-avbryt").click()
    expect(page.locator("#fjern-ja")).to_be_hidden()
    expect(page.locator("#fjern-status")).to_contain_text("Ingenting ble fjernet.")
    assert name in {d.source for d in docs_assistant.documents()}
    # Confirmed, it goes, and the «Lest inn …» about it goes too.
    page.locator("#fjern").click()
    page.locator("#fjern-ja").click()
    expect(page.locator("#fjern-status")).to_contain_text(f"«{name}» er fjernet (1 tekstbiter).")
    expect(status).not_to_contain_text("Lest inn")
    expect(page.locator("#dokumenter")).not_to_contain_text(name)
    assert name not in {d.source for d in docs_assistant.documents()}

    # A bundled document says that it is one; cancelled, it stays.
    title = "Rundskriv om velferdsteknologi"
    _pick(page, "#fjern-valg", f"{title} (rundskriv)")
    page.locator("#fjern").click()
    expect(confirm).to_contain_text("Dette er et av de medfølgende dokumentene")
    page.screenshot(path=screenshot_path(f"fjern-bekreft-{_size(page)}.png"), full_page=True)
    page.locator("#fjern-avbryt").click()
    expect(page.locator("#dokumenter")).to_contain_text(title)
    assert "rundskriv" in {d.source for d in docs_assistant.documents()}
