"""The chat app for real: a live Gradio server, gradio_client, and headless Chromium through Playwright.

The chat runs on the session ``assistant`` (bundled corpus; never changed here). Uploads and removals
run on an app of their own over a separate small index, so they cannot disturb the session index.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from gradio_client import Client
from helpers import seed_home
from playwright.sync_api import Page, expect
from ui_helpers import REPO, screenshot_path

from assistant.api import Assistant
from assistant.errors import ConfigError
from assistant.settings import Settings
from assistant.types import Citation
from assistant.ui import structure_tabs
from assistant.ui.app import build_app, launch_options, plugin_tabs
from assistant.ui.auth import check_bind, is_loopback, make_checker, parse_credentials
from assistant.ui.background import free_port, running_app, wait_for_http
from assistant.ui.chat import CHAT_CONCURRENCY, respond
from assistant.ui.documents import check_upload, ingest_uploads, remove_document, uploads_dir
from assistant.ui.export import conversation_markdown
from assistant.ui.sources import esc_markdown, find_quote, sources_html

COUNT_Q = "Hvor mange instanser sendte inn høringssvar?"
HANDLING_Q = "Hvordan ble innspillene om digitalt utenforskap håndtert?"
GOAL_Q = "Hvilket resultatmål dekker behovet for å bestille, flytte og avlyse timer?"
OFF_TOPIC_Q = "Hva er oppskriften på pannekaker?"
BROKEN_PDF = b"%PDF-1.4 broken"
UPLOAD_LIMIT_MB = 0.05  # the upload app's limit, small so the size check can be tested with small files
NOTE = (
    "Notat om hjemmeoppfølging\n\n"
    "Digital hjemmeoppfølging lar pasienter med kroniske sykdommer måle blodtrykk hjemme. "
    "Kommunen følger opp målingene og ringer pasienten ved avvik.\n"
)


# -- fixtures -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def chat_url(assistant: Assistant) -> Iterator[str]:
    with running_app(assistant) as url:
        yield url


@pytest.fixture(scope="module")
def upload_assistant(
    tmp_path_factory: pytest.TempPathFactory, assistant: Assistant, session_home: Path
) -> Assistant:
    """A small index of its own with one document that was not uploaded (``eksisterende``)."""
    home = tmp_path_factory.mktemp("upload-home")
    seed_home(session_home, home)
    outside = tmp_path_factory.mktemp("outside")
    (outside / "eksisterende.txt").write_text(
        "Et dokument som ble lest inn fra en mappe.\n", encoding="utf-8"
    )
    a = Assistant.open(Settings(home=home, max_file_mb=UPLOAD_LIMIT_MB))
    assert a.ingest([outside / "eksisterende.txt"]).ok
    return a


@pytest.fixture(scope="module")
def upload_url(upload_assistant: Assistant) -> Iterator[str]:
    with running_app(upload_assistant) as url:
        yield url


def run_respond(
    assistant: Assistant, question: str, turns: list[dict[str, Any]] | None = None, **filters: Any
):
    """Drive the chat callback to its last output: (question box, messages, turns, status, download)."""
    outputs = list(
        respond(
            assistant,
            question,
            turns or [],
            filters.get("kind"),
            filters.get("organisation"),
            filters.get("source"),
            "test",
        )
    )
    assert outputs
    return outputs[-1]


# -- rendering, export, auth: pure functions ------------------------------------------------------
def test_sources_block_escapes_document_text_and_marks_the_quote() -> None:
    passage = "Innledning <script>alert(1)</script> her.\nSetningen som   støtter svaret. Mer tekst & slutt."
    c = Citation(
        n=1,
        source="doc",
        title="Tittel <b>fet</b>",
        kind="høringssvar",
        organisation="IMDi",
        section="2 Mål > 2.1",
        page=3,
        quote="Setningen som støtter svaret.",
        chunk_id="doc-1",
        passage_text=passage,
    )
    out = sources_html([c])
    assert out.startswith('<details class="kilder"><summary>Kilder (1)</summary>')
    assert "\n" not in out  # one line: Markdown must not end the HTML block early
    assert "<script>" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "Tittel &lt;b&gt;fet&lt;/b&gt;" in out and "<b>fet</b>" not in out
    assert "Høringssvar · IMDi · 2 Mål &gt; 2.1 · s. 3" in out
    assert "<mark>Setningen som   støtter svaret.</mark>" in out  # found despite the extra spaces
    assert "&amp; slutt" in out
    assert (
        esc_markdown("Mål:\n- 9. Timer <i>x</i>") == "Mål:\n- 9\\. Timer &lt;i&gt;x&lt;/i&gt;"
    )  # one bullet, no HTML
    assert find_quote("a  b\nc d", "b c") == (3, 6)
    assert find_quote("abc", "xyz") is None


def test_long_passage_gets_an_excerpt_and_the_whole_passage_behind_a_toggle() -> None:
    passage = ("Før. " * 80) + "Den viktige setningen. " + ("Etter. " * 80)
    c = Citation(1, "d", "T", "strategi", "", "", 1, "Den viktige setningen.", "d-1", passage_text=passage)
    out = sources_html([c])
    excerpt = out.split('<blockquote class="kilde-sitat">')[1].split("</blockquote>")[0]
    assert excerpt.startswith("… ") and excerpt.endswith(" …") and len(excerpt) < 500
    assert '<details class="kilde-passasje"><summary>Vis hele passasjen</summary>' in out
    whole = out.split('<div class="kilde-hel">')[1]
    assert whole.count("Før.") == 80 and "<mark>Den viktige setningen.</mark>" in whole


def test_conversation_markdown_has_every_question_answer_and_citation() -> None:
    turns = [
        {
            "question": "Hva er visjonen?",
            "text": "Visjonen er X. [1]",
            "abstained": False,
            "notes": [],
            "filters": {"kind": ["strategi"]},
            "citations": [
                {
                    "n": 1,
                    "title": "Strategien",
                    "kind": "strategi",
                    "organisation": "Direktoratet for e-helse",
                    "section": "1 Visjon",
                    "page": 4,
                    "quote": "Visjonen er X.",
                }
            ],
        },
        {"question": "Pannekaker?", "text": "Jeg finner ikke noe.", "abstained": True, "citations": []},
    ]
    md = conversation_markdown(turns)
    assert md.startswith("# Samtale med strategiassistenten")
    assert "## 1. Hva er visjonen?" in md and "## 2. Pannekaker?" in md
    assert "*Avgrenset til type: Strategi.*" in md
    assert "**[1] Strategien** — Strategi, Direktoratet for e-helse, 1 Visjon, s. 4" in md
    assert "> «Visjonen er X.»" in md
    assert "Dokumentene ga ikke grunnlag for et svar." in md


def test_credentials_and_bind_rules(tmp_path: Path) -> None:
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.0.0.2", "::1", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "192.168.1.5", "example.org", ""))
    assert parse_credentials(None) == []
    assert parse_credentials("ola:hemme:lig") == [("ola", "hemme:lig")]
    users = tmp_path / "brukere.txt"
    users.write_text("# kommentar\nola:en\n\nkari:to\n", encoding="utf-8")
    creds = parse_credentials(str(users))
    assert creds == [("ola", "en"), ("kari", "to")]
    check = make_checker(creds)
    assert check("kari", "to") and not check("kari", "en") and not check("per", "to")
    users.write_text("ola:en\nbare-et-passord\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="line 2") as info:
        parse_credentials(str(users))
    assert "bare-et-passord" not in str(info.value)  # a malformed line may be a password: never echoed
    with pytest.raises(ConfigError):
        parse_credentials("ingen-kolon")
    check_bind("127.0.0.1", [], no_auth=False)
    check_bind("0.0.0.0", creds, no_auth=False)
    check_bind("0.0.0.0", [], no_auth=True)
    with pytest.raises(ConfigError, match="ASSISTANT_AUTH"):
        check_bind("0.0.0.0", [], no_auth=False)


def test_binding_all_interfaces_without_auth_is_refused(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "ASSISTANT_AUTH"}
    env["ASSISTANT_HOME"] = str(tmp_path / "home")
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "assistant", "chat", "--host", "0.0.0.0", "--port", str(free_port())],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "Refusing to serve on 0.0.0.0 without a password" in proc.stderr
    assert "--no-auth" in proc.stderr
    assert not (tmp_path / "home" / "chroma").exists()  # refused before opening or ingesting anything
    assert time.monotonic() - started < 60


def test_launch_options_keep_files_private(assistant: Assistant) -> None:
    options = launch_options(assistant.settings)
    assert options["share"] is False
    assert options["allowed_paths"] == []
    assert options["max_file_size"] == int(assistant.settings.max_file_mb * 1024 * 1024)
    assert str(assistant.settings.home.resolve()) in options["blocked_paths"]


# -- the live chat app ----------------------------------------------------------------------------
def test_served_app_refuses_files_outside_its_own_folders(chat_url: str, assistant: Assistant) -> None:
    corpus_pdf = assistant.settings.corpus_dir / "strategi.pdf"
    for path in (
        corpus_pdf,
        Path("/etc/passwd"),
        assistant.settings.home / "embeddings.sqlite",
        REPO / "README.md",
    ):
        response = httpx.get(f"{chat_url}/gradio_api/file={path}")
        assert response.status_code in (403, 404), (path, response.status_code)
        assert b"%PDF" not in response.content[:10]


def test_client_gets_an_answer_with_citations_and_a_markdown_export(chat_url: str) -> None:
    client = Client(chat_url, verbose=False)
    box, messages, status, download = client.predict(COUNT_Q, [], [], [], api_name="/ask")
    assert box == "" and status == ""
    assert [m["role"] for m in messages] == ["user", "assistant"]
    answer = messages[1]["content"][0]["text"]
    assert "89" in answer and "[1]" in answer
    assert '<details class="kilder"><summary>Kilder (' in answer
    # The sources list the cited document (several markers of one passage share one entry: "[1] [2] …").
    sources = answer[answer.index('<details class="kilder">') :]
    assert re.search(r"\[1\](?:\W+\[\d+\])*\W+Oppsummering av høringen om forslag til nasjonal", sources), (
        sources
    )
    assert "<mark>" in answer

    # The conversation so far, with its citations, is what the download button serves.
    exported = httpx.get(f"{chat_url}/gradio_api/file={download['value']}")
    assert exported.status_code == 200
    md = exported.content.decode("utf-8")
    assert f"## 1. {COUNT_Q}" in md and "### Kilder" in md
    assert re.search(r"\*\*\[1\](?:\W+\[\d+\])*\W+Oppsummering av høringen", md), md

    # Same session: the follow-up is the second turn of one conversation.
    _, messages, _, download = client.predict("Hva med mål 2?", [], [], [], api_name="/ask")
    assert [m["role"] for m in messages] == ["user", "assistant", "user", "assistant"]
    md = httpx.get(f"{chat_url}/gradio_api/file={download['value']}").content.decode("utf-8")
    assert "## 2. Hva med mål 2?" in md


SESSIONS = [
    (COUNT_Q, "Hva mente de om mål 5?"),
    (HANDLING_Q, "Hva sa IMDi om det?"),
    (GOAL_Q, "Hvilke andre resultatmål har mål 1?"),
    ("Hva er visjonen i strategien?", "Hvilke mål skal bidra til den?"),
    ("Hva skal vi oppnå frem mot 2030 under mål 3?", "Hva med mål 2?"),
    ("Hva sa IMDi om tolketjenester?", "Hvilken indikator foreslo de?"),
    ("Hva mener næringsaktøren om Norsk Helsenett?", "Hva sier de om skytjenester?"),
    ("Hvordan skal strategien følges opp?", "Hvem har ansvaret for det?"),
    ("What does the strategy say about standardisation?", "And about information security?"),
    (OFF_TOPIC_Q, "Hva med vafler?"),
]


def test_ten_chat_sessions_at_once_get_their_own_correct_answers(chat_url: str, assistant: Assistant) -> None:
    """Ten browser-like sessions, a question and a follow-up each, all at once over HTTP.

    Each session's answers must be exactly what the chat callback gives one user alone, so a follow-up
    that picked up another session's history, or a half-written answer, fails the comparison.
    """
    (ask,) = [fn for fn in build_app(assistant).fns.values() if fn.api_name == "ask"]
    assert ask.concurrency_limit == CHAT_CONCURRENCY > 1
    expected = []
    for first, follow_up in SESSIONS:
        _, _, turns, _, _ = run_respond(assistant, first)
        _, messages, _, _, _ = run_respond(assistant, follow_up, turns)
        expected.append([m["content"] for m in messages])

    def session(pair: tuple[str, str]) -> list[str]:
        client = Client(chat_url, verbose=False)
        messages: list[dict[str, Any]] = []
        for question in pair:  # the session's own state carries the first turn into the follow-up
            _, messages, _, _ = client.submit(question, [], [], [], api_name="/ask").result(timeout=300)
        client.close()
        return [m["content"][0]["text"] for m in messages]

    with ThreadPoolExecutor(len(SESSIONS)) as pool:
        got = list(pool.map(session, SESSIONS))
    for pair, want, have in zip(SESSIONS, expected, got, strict=True):
        assert have == want, pair
        assert "Kilder (" in have[1] or "finner ikke" in have[1], pair


# -- the chat callback on the real assistant ------------------------------------------------------
def test_follow_up_passes_earlier_questions_as_history(assistant: Assistant) -> None:
    first = "Hva er Mål 1 i strategien?"
    follow_up = "Hva med mål 2?"
    _, _, turns, _, _ = run_respond(assistant, first)
    _, messages, turns, _, _ = run_respond(assistant, follow_up, turns)
    assert [t["question"] for t in turns] == [first, follow_up]
    assert len(messages) == 4
    with_history = assistant.ask(follow_up, history=[first])
    assert turns[1]["text"] == with_history.text
    assert with_history.text != assistant.ask(follow_up).text  # the history really changed the answer


def test_filters_apply_to_the_next_question(assistant: Assistant) -> None:
    _, messages, turns, _, _ = run_respond(assistant, HANDLING_Q, kind=["høringssvar"])
    citations = turns[0]["citations"]
    assert citations and all(c["kind"] == "høringssvar" for c in citations)
    assert "Avgrenset til type: Høringssvar" in messages[-1]["content"]
    _, _, turns, _, _ = run_respond(assistant, HANDLING_Q, turns)  # no filter on the next one
    assert {c["kind"] for c in turns[1]["citations"]} != {"høringssvar"}


def test_abstention_is_shown_plainly(assistant: Assistant) -> None:
    box, messages, turns, status, _ = run_respond(assistant, OFF_TOPIC_Q)
    assert turns[0]["abstained"] is True
    reply = messages[-1]["content"]
    assert reply.startswith(assistant.ask(OFF_TOPIC_Q).text)
    assert "Prøv å formulere spørsmålet annerledes" in reply
    assert "Kilder" not in reply and "Feil" not in reply and status == "" and box == ""


def test_empty_question_is_a_warning_not_a_turn(assistant: Assistant) -> None:
    with pytest.warns(UserWarning, match="Skriv et spørsmål"):
        _, messages, turns, _, _ = run_respond(assistant, "   ")
    assert turns == [] and messages == []


def test_a_question_error_becomes_a_message_and_keeps_the_question(assistant: Assistant) -> None:
    with pytest.warns(UserWarning, match="Unknown filter|no words"):
        box, messages, turns, status, _ = run_respond(assistant, "???")
    assert box == "???" and turns == [] and messages == []
    assert status.startswith("**Feil:**")


# -- uploads and removal --------------------------------------------------------------------------
def test_upload_is_checked_copied_ingested_and_removable(upload_assistant: Assistant, tmp_path: Path) -> None:
    a = upload_assistant
    note = tmp_path / "hjemmeoppfølging.txt"
    note.write_text(NOTE, encoding="utf-8")
    calls: list[tuple[Any, str]] = []
    done, failed = ingest_uploads(a, [str(note)], lambda value, desc="": calls.append((value, desc)))
    assert failed == [] and done == ["«hjemmeoppfølging.txt» lagt til (1 tekstbiter) som dokument."]
    assert (uploads_dir(a) / "hjemmeoppfølging.txt").read_text(encoding="utf-8") == NOTE
    assert "hjemmeoppfølging" in {d.source for d in a.documents()}
    assert any(desc == "Leser filer" for _, desc in calls) and ((1, 1), "Leser filer") in calls
    hits = a.retrieve("blodtrykk hjemme", k=3, filters={"source": ["hjemmeoppfølging"]})
    assert hits and "blodtrykk" in hits[0].text

    # A broken file under the same id leaves the earlier version in place, in the index and on disk.
    broken = tmp_path / "hjemmeoppfølging.pdf"
    broken.write_bytes(BROKEN_PDF)
    done, failed = ingest_uploads(a, [str(broken)], lambda *_, **__: None)
    assert done == [] and len(failed) == 1
    assert failed[0].startswith("«hjemmeoppfølging.pdf» kunne ikke leses inn: the PDF is damaged")
    assert str(uploads_dir(a)) not in failed[0]  # the user sees their file name, not the server's path
    assert sorted(p.name for p in uploads_dir(a).iterdir()) == ["hjemmeoppfølging.txt"]
    assert a.retrieve("blodtrykk hjemme", k=3, filters={"source": ["hjemmeoppfølging"]})

    assert remove_document(a, "hjemmeoppfølging") == 1
    assert not (uploads_dir(a) / "hjemmeoppfølging.txt").exists()  # or a folder ingest would revive it
    assert "hjemmeoppfølging" not in {d.source for d in a.documents()}
    assert a.retrieve("blodtrykk hjemme", k=5, filters={"source": ["hjemmeoppfølging"]}) == []


def test_uploads_are_refused_by_type_size_and_id_clash(upload_assistant: Assistant, tmp_path: Path) -> None:
    a = upload_assistant
    folder = uploads_dir(a)
    known = {d.source for d in a.documents()}
    limit = a.settings.max_file_mb
    files = {
        "rapport.docx": b"PK\x03\x04",
        "stor.txt": b"a" * int(limit * 1024 * 1024 + 1),
        "tom.md": b"",
        "eksisterende.md": b"# Samme id som et dokument fra en mappe\n",
    }
    reasons = {}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        reasons[name] = check_upload(tmp_path / name, limit, known, folder)
    assert "filtype som ikke støttes" in reasons["rapport.docx"]
    assert "over grensen" in reasons["stor.txt"]
    assert "er tom (0 byte)" in reasons["tom.md"]
    assert "Gi filen et annet navn" in reasons["eksisterende.md"]
    done, failed = ingest_uploads(a, [str(tmp_path / n) for n in files], lambda *_, **__: None)
    assert done == [] and len(failed) == len(files)
    assert not folder.exists() or not [p for p in folder.iterdir() if not p.name.startswith(".")]


def test_auth_is_enforced_when_configured(assistant: Assistant) -> None:
    with running_app(assistant, auth=make_checker([("ola", "hemmelig")])) as url:
        assert httpx.get(f"{url}/config").status_code == 401
        with httpx.Client() as session:
            assert (
                session.post(f"{url}/login", data={"username": "ola", "password": "feil"}).status_code == 400
            )
            assert (
                session.post(f"{url}/login", data={"username": "ola", "password": "hemmelig"}).status_code
                == 200
            )
            assert session.get(f"{url}/config").status_code == 200


def test_chat_command_ingests_an_empty_index_then_serves(tmp_path: Path, session_home: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "notat.txt").write_text(NOTE, encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    seed_home(session_home, home)
    env = {k: v for k, v in os.environ.items() if k != "ASSISTANT_AUTH"}
    env |= {"ASSISTANT_HOME": str(home), "ASSISTANT_CORPUS_DIR": str(corpus)}
    port = free_port()
    log = tmp_path / "stderr.txt"
    with open(log, "w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "assistant", "chat", "--port", str(port)],
            env=env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        try:
            wait_for_http(f"http://127.0.0.1:{port}/config", timeout=150, ok=lambda r: r.status_code == 200)
            config = httpx.get(f"http://127.0.0.1:{port}/config").json()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    printed = log.read_text(encoding="utf-8")
    assert f"Indeksen er tom: leser inn {corpus}" in printed
    assert "Filer" in printed and "1 dokumenter lest inn" in printed  # the progress the user sees
    assert config["title"] == "Strategiassistenten"
    assert [d.source for d in Assistant.open(Settings(home=home)).documents()] == ["notat"]


# -- the structure tabs ("Resultatmål", "Høringen") ------------------------------------------------
def test_structure_tabs_plug_in_only_with_their_api(assistant: Assistant) -> None:
    assert [label for label, _ in plugin_tabs(assistant)] == ["Resultatmål", "Høringen"]
    assert structure_tabs.tabs(object()) == []  # type: ignore[arg-type]


# -- in a real browser ----------------------------------------------------------------------------
@pytest.mark.browser
def test_browser_question_answer_and_sources(page: Page, chat_url: str) -> None:
    page.goto(chat_url)
    page.locator("#sporsmal textarea").fill(HANDLING_Q)
    page.locator("#spor").click()
    bot = page.locator("#samtale [data-testid='bot']").last
    sources = bot.locator("details.kilder")
    expect(sources).to_be_visible()
    expect(bot).to_contain_text("digitalt utenforskap")
    expect(bot).to_contain_text("[1]")
    first = sources.locator(".kilde").first
    expect(first).to_be_hidden()  # the sources start folded under the answer

    sources.locator("summary").first.click()
    expect(first).to_be_visible()
    expect(first.locator(".kilde-tittel")).to_contain_text("[1] ")
    expect(first.locator(".kilde-meta")).to_contain_text(" · s. ")
    expect(first.locator("blockquote mark").first).to_be_visible()
    whole = first.locator(".kilde-hel")
    expect(whole).to_be_hidden()
    first.get_by_text("Vis hele passasjen").click()  # open one source to its whole passage
    expect(whole).to_be_visible()
    # One card per passage: every quote the answer took from it is marked, in the excerpt and the whole.
    expect(whole.locator("mark")).to_have_text(first.locator("blockquote mark").all_inner_texts())
    page.screenshot(path=screenshot_path("chat-kilder.png"))

    download = page.locator("#last-ned")
    expect(download).to_be_enabled()  # the conversation can now be downloaded
    page.locator("#ny-samtale").click()
    expect(page.locator("#samtale [data-testid='bot']")).to_have_count(0)
    expect(download).to_be_disabled()
    page.get_by_role("button", name=COUNT_Q).click()  # an example question fills the box
    expect(page.locator("#sporsmal textarea")).to_have_value(COUNT_Q)


@pytest.mark.browser
def test_browser_result_goal_answer_screenshot(page: Page, chat_url: str) -> None:
    page.goto(chat_url)
    page.locator("#sporsmal textarea").fill(GOAL_Q)
    page.locator("#sporsmal textarea").press("Enter")
    bot = page.locator("#samtale [data-testid='bot']").last
    expect(bot.locator("details.kilder")).to_be_visible()
    bot.locator("details.kilder > summary").click()
    expect(bot.locator(".kilde mark").first).to_contain_text("bestille, flytte og avlyse")
    page.locator("#samtale [role='log']").evaluate("e => e.scrollTop = 0")
    path = screenshot_path("chat-resultatmal.png")
    page.screenshot(path=path)
    if os.environ.get("UPDATE_DOCS_SCREENSHOT") == "1":  # regenerate docs/screenshot-chat.png on purpose only
        shutil.copy(path, REPO / "docs" / "screenshot-chat.png")


@pytest.mark.browser
def test_browser_broken_pdf_upload_shows_the_error(
    page: Page, upload_url: str, upload_assistant: Assistant
) -> None:
    before = {d.source for d in upload_assistant.documents()}
    page.goto(upload_url)
    page.get_by_role("tab", name="Dokumenter").click()
    expect(page.locator("#dokumenter")).to_contain_text("eksisterende")
    page.locator("#opplasting input[type=file]").set_input_files(
        [{"name": "ødelagt.pdf", "mimeType": "application/pdf", "buffer": BROKEN_PDF}]
    )
    # Uploaded to the server. The file row shows stem and extension in separate elements, which the
    # rendered text may part with a space ("ødelagt .pdf") depending on layout.
    expect(page.locator("#opplasting")).to_contain_text(re.compile(r"ødelagt\s*\.pdf"))
    page.locator("#les-inn").click()
    status = page.locator("#opplasting-status")
    expect(status).to_contain_text("«ødelagt.pdf» kunne ikke leses inn: the PDF is damaged or truncated")
    expect(page.get_by_text("1 av 1 filer kunne ikke leses inn")).to_be_visible()  # the pop-up
    page.screenshot(path=screenshot_path("opplasting-feil.png"))
    assert {d.source for d in upload_assistant.documents()} == before
