"""The chat's filters: the panel's choices as ``Assistant.ask`` filters, and the chips above the question
box that show the active ones (whether the panel is open or closed) and remove one with a click."""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.api import Assistant
from assistant.types import DocumentInfo
from assistant.ui.sources import kind_label

FILTER_LABELS = {"kind": "Type", "organisation": "Organisasjon", "source": "Dokument"}


def build_filters(
    kinds: list[str] | None, organisations: list[str] | None, sources: list[str] | None
) -> dict[str, list[str]] | None:
    """The filter panel's choices as ``Assistant.ask`` filters; None when nothing is chosen."""
    chosen = {
        "kind": list(kinds or []),
        "organisation": list(organisations or []),
        "source": list(sources or []),
    }
    return {k: v for k, v in chosen.items() if v} or None


def filter_choices(
    docs: list[DocumentInfo],
) -> tuple[list[tuple[str, str]], list[str], list[tuple[str, str]]]:
    """(kinds, organisations, documents) as (label, value) choices for the filter panel."""
    kinds = [(kind_label(k), k) for k in sorted({d.kind for d in docs})]
    organisations = sorted({d.organisation for d in docs if d.organisation})
    sources = [(f"{d.title} ({d.source})", d.source) for d in sorted(docs, key=lambda d: d.title)]
    return kinds, organisations, sources


def filter_updates(
    assistant: Assistant, kinds: list[str] | None, organisations: list[str] | None, sources: list[str] | None
) -> tuple[Any, Any, Any]:
    """Choices from the indexed documents, keeping whatever the user chose that still exists."""
    kind_choices, org_choices, source_choices = filter_choices(assistant.documents())

    def keep(chosen: list[str] | None, choices: list[Any]) -> list[str]:
        valid = {c[1] if isinstance(c, tuple) else c for c in choices}
        return [c for c in chosen or [] if c in valid]

    return (
        gr.update(choices=kind_choices, value=keep(kinds, kind_choices)),
        gr.update(choices=org_choices, value=keep(organisations, org_choices)),
        gr.update(choices=source_choices, value=keep(sources, source_choices)),
    )


def active_filters(
    kinds: list[str] | None,
    organisations: list[str] | None,
    sources: list[str] | None,
    titles: dict[str, str] | None = None,
) -> list[tuple[str, str, str]]:
    """(filter key, value, chip text) for every active filter, in panel order."""
    titles = titles or {}
    chips = [("kind", k, f"{FILTER_LABELS['kind']}: {kind_label(k)}") for k in kinds or []]
    chips += [("organisation", o, f"{FILTER_LABELS['organisation']}: {o}") for o in organisations or []]
    chips += [("source", s, f"{FILTER_LABELS['source']}: {titles.get(s, s)}") for s in sources or []]
    return chips


def without(values: list[str] | None, value: str) -> list[str]:
    return [v for v in values or [] if v != value]


def build_chips(
    assistant: Assistant, kinds: gr.CheckboxGroup, organisations: gr.Dropdown, sources: gr.Dropdown
) -> None:
    """A row of chips, one per active filter; each removes its filter with one click."""
    components = {"kind": kinds, "organisation": organisations, "source": sources}

    @gr.render(inputs=[kinds, organisations, sources], show_progress="hidden")
    def chips(kind_values: list[str], org_values: list[str], source_values: list[str]) -> None:
        titles = {d.source: d.title for d in assistant.documents()} if source_values else {}
        active = active_filters(kind_values, org_values, source_values, titles)
        if not active:
            return
        with gr.Row(elem_id="filterbrikker", elem_classes="filterbrikker"):
            gr.HTML('<span class="filterbrikker-tittel">Avgrenset til:</span>', padding=False)
            for key, value, text in active:
                target = components[key]
                chip = gr.Button(
                    f"{text} ✕",
                    size="sm",
                    elem_classes="filterbrikke",
                    min_width=0,
                    scale=0,
                    key=f"brikke-{key}-{value}",
                )
                chip.click(
                    lambda current, value=value: gr.update(value=without(current, value)),
                    inputs=[target],
                    outputs=[target],
                    api_visibility="private",
                    show_progress="hidden",
                )
            if len(active) > 1:
                clear = gr.Button(
                    "Fjern alle", size="sm", elem_classes="filterbrikke-alle", min_width=0, scale=0
                )
                clear.click(
                    lambda: ([], [], []),
                    outputs=[kinds, organisations, sources],
                    api_visibility="private",
                    show_progress="hidden",
                )
