"""The Gradio app: layout from small builders, launch options in one place, and ``serve`` for the CLI."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.api import Assistant
from assistant.errors import ConfigError
from assistant.progress import progress_printer
from assistant.settings import Settings
from assistant.ui.auth import check_bind, is_loopback, make_checker, parse_credentials
from assistant.ui.chat import build_chat_tab
from assistant.ui.documents import build_documents_tab, uploads_dir
from assistant.ui.filters import filter_updates
from assistant.ui.page_assets import CSS as PAGE_CSS
from assistant.ui.page_assets import HEAD, page_js

TITLE = "Strategiassistenten"
# Modules that add tabs of their own, each with ``tabs(assistant) -> list[(label, builder)]``; a module
# whose Assistant API is not there simply adds none. Importing one that fails raises.
PLUGIN_TAB_MODULES = ("assistant.ui.structure_tabs",)

TabBuilder = Callable[[gr.Tab], None]  # builds a tab's content inside it; may hook tab.select
SYSTEM_FONTS = ["system-ui", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"]
MONO_FONTS = ["ui-monospace", "Consolas", "Menlo", "monospace"]

CSS = """
#samtale .kilder { margin-top: .6em; border-top: 1px solid var(--border-color-primary); padding-top: .4em; }
#samtale .kilder > summary, #samtale .kilde-passasje > summary { cursor: pointer; font-weight: 600; }
#samtale .kilde { margin: .6em 0 .9em; }
#samtale .kilde p { margin: .1em 0; }
#samtale .kilde-sitat { margin: .3em 0; padding-left: .7em;
  border-left: 3px solid var(--border-color-accent); }
#samtale .kilde-passasje > summary { font-weight: 400; font-size: .9em; }
#samtale .kilde-hel { font-size: .92em; padding: .3em .7em; background: var(--background-fill-secondary); }
#samtale mark { background: #fff1a8; color: inherit; padding: 0 .1em; }
.spor-kort { border: 1px solid var(--border-color-primary); border-radius: 6px;
  padding: .4em .7em; margin: 0 0 .6em; }
.spor-kort p { margin: .2em 0; }
.spor-kort mark { background: #fff1a8; color: inherit; }
.kilde-meta { font-size: .88em; color: var(--body-text-color-subdued); }
"""
CSS += PAGE_CSS


def plugin_tabs(assistant: Assistant) -> list[tuple[str, TabBuilder]]:
    """Tabs contributed by their own modules, in order ("Resultatmål", "Høringen", …)."""
    found: list[tuple[str, TabBuilder]] = []
    for name in PLUGIN_TAB_MODULES:
        module = importlib.import_module(name)  # part of the package: a failure here is a real bug
        found.extend(module.tabs(assistant))
    return found


def build_app(assistant: Assistant) -> gr.Blocks:
    """Chat, the pluggable tabs, then Dokumenter; filter choices follow the document list."""
    with gr.Blocks(title=TITLE, analytics_enabled=False, delete_cache=(3600, 24 * 3600)) as demo:
        gr.Markdown(
            f"## {TITLE}\nSpør om {assistant.profile.app.subject}. Hvert svar viser kildene det bygger på."
        )
        with gr.Tabs(overflow_behavior="wrap", elem_id="faner"):  # never hide a tab behind «⋯»
            with gr.Tab("Chat", id="chat"):
                chat = build_chat_tab(assistant)
            for label, builder in plugin_tabs(assistant):
                with gr.Tab(label) as tab:
                    builder(tab)
            with gr.Tab("Dokumenter", id="dokumenter"):
                docs = build_documents_tab(assistant)

        def refresh_filters(kinds: list[str], orgs: list[str], sources: list[str]) -> tuple[Any, Any, Any]:
            return filter_updates(assistant, kinds, orgs, sources)

        for event in docs.changed:
            event.then(refresh_filters, inputs=chat.filters, outputs=chat.filters, api_visibility="private")
        demo.load(docs.listing, outputs=[docs.table, docs.to_remove], api_visibility="private")
        demo.load(refresh_filters, inputs=chat.filters, outputs=chat.filters, api_visibility="private")
    return demo


def launch_options(settings: Settings) -> dict[str, Any]:
    """Everything ``launch`` needs besides host, port and auth; tests launch with exactly these."""
    return {
        "share": False,
        "allowed_paths": [],
        # Belt and braces: nothing under the index folder or the corpus is ever served.
        "blocked_paths": [str(settings.home.resolve()), str(settings.corpus_dir.resolve())],
        "max_file_size": int(settings.max_file_mb * 1024 * 1024),
        "ssr_mode": False,
        "show_error": False,
        "footer_links": ["api"] if settings.api_link else [],
        "css": CSS,
        "js": page_js(),
        "head": HEAD,
        # System fonts only: the default theme would fetch Google Fonts on every page load.
        "theme": gr.themes.Soft(font=SYSTEM_FONTS, font_mono=MONO_FONTS),
        "auth_message": "Logg inn for å bruke strategiassistenten.",
    }


def ensure_index(assistant: Assistant) -> None:
    """An empty index gets the bundled corpus (and any earlier uploads) first, with progress on stderr."""
    if not assistant.is_empty():
        return
    targets: list[str | Path] = [assistant.settings.corpus_dir]
    uploads = uploads_dir(assistant)
    if uploads.is_dir() and any(uploads.iterdir()):
        targets.append(uploads)
    print(f"Indeksen er tom: leser inn {', '.join(map(str, targets))} …", file=sys.stderr)
    report = assistant.ingest(targets, progress=progress_printer())
    print(
        f"{len(report.added)} dokumenter lest inn på {report.total_seconds:.0f} s"
        + (f", {len(report.failed)} feilet" if report.failed else ""),
        file=sys.stderr,
    )
    for failure in report.failed:
        print(f"FEIL: {failure.reason}", file=sys.stderr)


def serve(host: str = "127.0.0.1", port: int = 7860, no_auth: bool = False) -> int:
    """Check the bind first (before anything slow), fill an empty index, then serve until stopped."""
    assistant = Assistant.open()  # cheap: nothing is loaded yet
    settings = assistant.settings
    credentials = parse_credentials(settings.auth)
    check_bind(host, credentials, no_auth)
    ensure_index(assistant)
    demo = build_app(assistant)
    where = "bare denne maskinen" if is_loopback(host) else "nettverket"
    print(f"Strategiassistenten svarer på http://{host}:{port} ({where}); Ctrl+C stopper.", file=sys.stderr)
    try:
        demo.launch(
            server_name=host,
            server_port=port,
            auth=make_checker(credentials) if credentials else None,
            quiet=True,
            **launch_options(settings),
        )
    except OSError as exc:
        raise ConfigError(f"Cannot serve on {host}:{port} ({exc}); choose another --port.") from None
    return 0
