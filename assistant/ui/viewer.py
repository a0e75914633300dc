"""The source viewer beside the chat: «Vis i dokumentet» on a source card, or a ``[n]`` in the answer,
opens the page the quote stands on, with the quote marked, page by page, and the file to download.

The cards and markers live in chat-message HTML, which Gradio sanitises (only a few attributes survive:
``class``, ``value``, ``title``), so each control carries its reference in ``value`` ("turn:n,n") and a
small script (``VIEWER_JS``) passes it to the hidden ``#vis-foresporsel`` box and clicks ``#vis-apne``.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.api import FILE_GONE, Assistant
from assistant.errors import AssistantError, DocumentError
from assistant.pages import PageView
from assistant.ui.sources import CONTEXT_CHARS, esc, find_quote, kind_label, marked

MAX_TEXT_CHARS = 60_000  # a text page longer than this is shown as a window around the first quote
BOX_PAD = 0.002  # highlight margin around the characters, as a share of the page
_DOWNLOAD_DIR: Path | None = None

Turn = dict[str, Any]

# Runs once on page load (``launch(js=…)``): clicks on source controls inside chat messages.
VIEWER_JS = """
() => {
  document.addEventListener("click", (event) => {
    const control = event.target.closest("button.vis-kilde, button.kilde-ref");
    if (!control || !control.closest("#samtale")) return;
    event.preventDefault();
    const box = document.querySelector("#vis-foresporsel textarea");
    const open = document.querySelector("#vis-apne");
    if (!box || !open) return;
    box.value = control.value + "|" + Date.now();
    box.dispatchEvent(new Event("input", { bubbles: true }));
    setTimeout(() => open.click(), 0);
  });
}
"""

# After the viewer is filled: bring the first highlight into view, inside the page pane (which
# scrolls) and on the page. On a phone the page starts magnified (``body[data-kv-zoom]``).
SHOW_JS = """
() => {
  if (window.innerWidth <= 640 && document.body.dataset.kvZoom === undefined) document.body.dataset.kvZoom = "1";
  const zoom = document.querySelector("#zoom-side");
  if (zoom) zoom.textContent = document.body.dataset.kvZoom === "1" ? "Hele siden" : "Forstørr";
  setTimeout(() => {
    const target = document.querySelector("#kildeviser .kv-markering, #kildeviser .kv-melding");
    const viewer = document.querySelector("#kildeviser");
    if (!target || !viewer) return;
    const pane = target.closest(".kv-rulle");
    if (pane && (pane.scrollHeight > pane.clientHeight + 4 || pane.scrollWidth > pane.clientWidth + 4)) {
      const t = target.getBoundingClientRect(), p = pane.getBoundingClientRect();
      pane.scrollTop = Math.max(0, t.top - p.top + pane.scrollTop - pane.clientHeight / 3);
      const left = Math.min(...[...pane.querySelectorAll(".kv-markering")].map((m) => m.getBoundingClientRect().left));
      pane.scrollLeft = Math.max(0, (Number.isFinite(left) ? left : t.left) - p.left + pane.scrollLeft - 12);
      const box = viewer.getBoundingClientRect();
      if (box.top < 0 || box.top > window.innerHeight * 0.6) viewer.scrollIntoView({ block: "start" });
    } else {
      target.scrollIntoView({ block: "center" });
    }
  }, 80);
}
"""

# «Forstørr» / «Hele siden»: the page at reading size (scrolls both ways) or fitted to the column.
ZOOM_JS = (
    "() => {\n"
    '  document.body.dataset.kvZoom = document.body.dataset.kvZoom === "1" ? "0" : "1";\n'
    f"  ({SHOW_JS.strip()})();\n"
    "}"
)


@dataclass
class Viewer:
    """The viewer's parts; ``wire`` connects them once the side panel (hidden while it is open) exists."""

    assistant: Assistant
    column: gr.Column
    html: gr.HTML
    previous: gr.Button
    following: gr.Button
    download: gr.DownloadButton
    zoom: gr.Button
    shut: gr.Button
    request: gr.Textbox
    opener: gr.Button
    state: gr.State
    side_panel: gr.Column | None = None

    def wire(self, turns: gr.State, side_panel: gr.Column) -> None:
        assistant = self.assistant
        outputs = [self.column, self.html, self.previous, self.following, self.download, self.state]
        outputs.append(side_panel)
        opened = self.opener.click(
            lambda value, turns: open_ref(assistant, value, turns),
            inputs=[self.request, turns],
            outputs=outputs,
            api_visibility="private",
            show_progress="minimal",
        )
        opened.then(None, js=SHOW_JS)
        for button, step in ((self.previous, -1), (self.following, 1)):
            button.click(
                lambda st, step=step: turn_page(assistant, st, step),
                inputs=[self.state],
                outputs=outputs,
                api_visibility="private",
                show_progress="minimal",
            ).then(None, js=SHOW_JS)
        self.zoom.click(None, js=ZOOM_JS)
        self.side_panel = side_panel
        self.shut.click(close, outputs=self.close_outputs()[1], api_visibility="private")

    def close_outputs(self) -> tuple[Any, list[Any]]:
        """(function, outputs) that close the viewer, for events elsewhere (a new conversation)."""
        return close, [self.column, self.state, self.side_panel]


def parse_ref(value: str) -> tuple[int, list[int]]:
    """ "2:1,3|1712…" -> (2, [1, 3]). Raises ValueError on anything else."""
    ref = (value or "").split("|", 1)[0]
    turn, _, numbers = ref.partition(":")
    parsed = (int(turn), [int(n) for n in numbers.split(",") if n.strip()])
    if parsed[0] < 0 or not parsed[1]:
        raise ValueError(f"not a source reference: {value!r}")
    return parsed


def cited(turns: list[Turn], turn: int, numbers: list[int]) -> list[dict[str, Any]]:
    """The citations a control names, from the session's own record of its turns."""
    if not 0 <= turn < len(turns):
        return []
    by_number = {c["n"]: c for c in turns[turn].get("citations") or []}
    return [by_number[n] for n in numbers if n in by_number]


def download_copy(path: Path) -> Path:
    """A copy of the document for the download button (the index's own folders are never served)."""
    global _DOWNLOAD_DIR
    if _DOWNLOAD_DIR is None or not _DOWNLOAD_DIR.is_dir():
        _DOWNLOAD_DIR = Path(tempfile.mkdtemp(prefix="assistant-dokumenter-"))
    st = path.stat()
    key = hashlib.sha256(f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode()).hexdigest()[:20]
    target = _DOWNLOAD_DIR / key / path.name
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return target


# -- HTML ---------------------------------------------------------------------------------------------
def header_html(cites: list[dict[str, Any]], page: int, pages: int) -> str:
    first = cites[0]
    numbers = " ".join(f"[{c['n']}]" for c in cites)
    meta = [kind_label(first["kind"]), first["organisation"], first["section"], f"side {page} av {pages}"]
    return (
        f'<div class="kv-hode"><p class="kv-tittel"><strong>{numbers} {esc(first["title"])}</strong></p>'
        f'<p class="kilde-meta">{" · ".join(esc(m) for m in meta if m)}</p></div>'
    )


def status_html(view: PageView, cited_page: int) -> str:
    if all(view.found):
        what = "Sitatet" if len(view.found) == 1 else "Sitatene"
        return (
            f'<p class="kv-status">{what} er markert {"på siden" if view.kind == "pdf" else "i teksten"}.</p>'
        )
    if any(view.found):
        return '<p class="kv-status">Sitatene som står på denne siden, er markert.</p>'
    where = f" Kilden oppgir side {cited_page}." if cited_page and cited_page != view.page else ""
    return f'<p class="kv-status kv-melding">Sitatet står ikke på denne siden.{where}</p>'


def image_html(view: PageView, title: str) -> str:
    assert view.image is not None
    data = base64.b64encode(view.image.read_bytes()).decode("ascii")
    boxes = "".join(
        '<span class="kv-markering" style="'
        f"left:{100 * max(0.0, x0 - BOX_PAD):.3f}%;top:{100 * max(0.0, y0 - BOX_PAD):.3f}%;"
        f'width:{100 * (x1 - x0 + 2 * BOX_PAD):.3f}%;height:{100 * (y1 - y0 + 2 * BOX_PAD):.3f}%"></span>'
        for x0, y0, x1, y1 in view.boxes
    )
    alt = f"Side {view.page} av {view.pages} i «{title}»" + (", med sitatet markert" if view.boxes else "")
    return (
        f'<div class="kv-side" style="aspect-ratio:{view.width}/{view.height}">'
        f'<img src="data:image/webp;base64,{data}" width="{view.width}" height="{view.height}" '
        f'alt="{esc(alt)}">{boxes}</div>'
    )


def text_html(view: PageView) -> str:
    text, spans = view.text, sorted(view.spans)
    prefix = suffix = ""
    if len(text) > MAX_TEXT_CHARS:  # a window around the first quote
        start = max(0, (spans[0][0] if spans else 0) - MAX_TEXT_CHARS // 2)
        end = min(len(text), start + MAX_TEXT_CHARS)
        prefix, suffix = ("… " if start else ""), (" …" if end < len(text) else "")
        spans = [(max(s, start) - start, min(e, end) - start) for s, e in spans if e > start and s < end]
        text = text[start:end]
    body = marked(text, spans).replace("<mark>", '<mark class="kv-markering">')
    return f'<div class="kv-tekst">{esc(prefix)}{body}{esc(suffix)}</div>'


def quotes_html(cites: list[dict[str, Any]]) -> str:
    items = "".join(f"<li>[{c['n']}] «{esc(c['quote'])}»</li>" for c in cites)
    return f'<details class="kv-sitater"><summary>Sitert tekst</summary><ul>{items}</ul></details>'


def fallback_html(cites: list[dict[str, Any]], problem: str) -> str:
    """When the file cannot be shown: say why, and show the passage as it was read in."""
    first = cites[0]
    passage = first.get("passage_text") or first["quote"]
    spans = [s for s in (find_quote(passage, c["quote"]) for c in cites) if s]
    body = marked(passage, spans, CONTEXT_CHARS * 4).replace("<mark>", '<mark class="kv-markering">')
    return (
        f'<p class="kv-status kv-melding">{esc(problem)} Her er passasjen slik den ble lest inn.</p>'
        f'<div class="kv-tekst">{body}</div>'
    )


def viewer_html(view: PageView, cites: list[dict[str, Any]]) -> str:
    body = image_html(view, cites[0]["title"]) if view.kind == "pdf" else text_html(view)
    return (
        header_html(cites, view.page, view.pages)
        + status_html(view, int(cites[0].get("page") or 0))
        + f'<div class="kv-rulle">{body}</div>'
        + quotes_html(cites)
    )


def problem_text(exc: AssistantError, cites: list[dict[str, Any]]) -> str:
    title = cites[0]["title"]
    if isinstance(exc, DocumentError) and exc.problem == FILE_GONE:
        return f"Filen til «{title}» finnes ikke lenger der den ble lest inn fra."
    if isinstance(exc, DocumentError):
        return f"Siden i «{title}» kan ikke vises: filen kan ikke leses."
    return f"«{title}» er ikke lenger i indeksen."


# -- callbacks --------------------------------------------------------------------------------------
def show(assistant: Assistant, cites: list[dict[str, Any]], page: int | None) -> tuple[Any, ...]:
    """Outputs (column, html, previous, next, download, state, side panel) for one page of the source."""
    first = cites[0]
    quotes = [c["quote"] for c in cites]
    try:
        view = assistant.page_view(first["source"], quotes, page=page, near=int(first.get("page") or 1))
        path, _ = assistant.document_file(first["source"])
    except AssistantError as exc:
        html = header_html(cites, int(first.get("page") or 0), 0).replace(" · side 0 av 0", "")
        html += fallback_html(cites, problem_text(exc, cites))
        nav = gr.update(interactive=False)
        download = gr.update(value=None, visible=False)
        return gr.update(visible=True), html, nav, nav, download, None, gr.update(visible=False)
    state = {"cites": cites, "page": view.page, "pages": view.pages}
    label = "Last ned PDF" if view.kind == "pdf" else "Last ned dokumentet"
    return (
        gr.update(visible=True),
        viewer_html(view, cites),
        gr.update(interactive=view.page > 1),
        gr.update(interactive=view.page < view.pages),
        gr.update(value=str(download_copy(path)), label=label, visible=True),
        state,
        gr.update(visible=False),
    )


def open_ref(assistant: Assistant, value: str, turns: list[Turn]) -> tuple[Any, ...]:
    try:
        turn, numbers = parse_ref(value)
    except ValueError:
        return tuple(gr.update() for _ in range(7))
    cites = cited(turns or [], turn, numbers)
    if not cites:  # a control from a conversation that has since been cleared
        gr.Info("Kilden hører til en tidligere samtale.", title="Kilde")
        return tuple(gr.update() for _ in range(7))
    return show(assistant, cites, None)


def turn_page(assistant: Assistant, state: dict[str, Any] | None, step: int) -> tuple[Any, ...]:
    if not state:
        return tuple(gr.update() for _ in range(7))
    page = min(max(1, int(state["page"]) + step), int(state["pages"]))
    return show(assistant, state["cites"], page)


def close() -> tuple[Any, Any, Any]:
    return gr.update(visible=False), None, gr.update(visible=True)


def build_viewer(assistant: Assistant) -> Viewer:
    """The (hidden) viewer column; build it inside the chat's row, then ``wire`` it."""
    with gr.Column(scale=3, min_width=300, visible=False, elem_id="kildeviser") as column:
        with gr.Row(elem_id="kildeviser-knapper"):
            previous = gr.Button("‹ Forrige side", size="sm", elem_id="forrige-side", min_width=90)
            following = gr.Button("Neste side ›", size="sm", elem_id="neste-side", min_width=90)
            download = gr.DownloadButton("Last ned PDF", size="sm", elem_id="last-ned-kilde", min_width=90)
            zoom = gr.Button("Forstørr", size="sm", elem_id="zoom-side", min_width=80)
            shut = gr.Button("Lukk", size="sm", elem_id="lukk-kildeviser", min_width=60)
        html = gr.HTML("", elem_id="kildeviser-side", padding=False)
    request = gr.Textbox(visible="hidden", elem_id="vis-foresporsel", label="Kilde")
    opener = gr.Button("Vis kilden", visible="hidden", elem_id="vis-apne")
    return Viewer(
        assistant, column, html, previous, following, download, zoom, shut, request, opener, gr.State(None)
    )
