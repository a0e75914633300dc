"""The "Chat" tab: streamed, cited answers, follow-ups, filters, example questions and a Markdown export."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant.api import Assistant
from assistant.errors import AssistantError
from assistant.types import Answer, DocumentInfo
from assistant.ui.export import write_export
from assistant.ui.sources import (
    WARNING_TITLE,
    answer_markdown,
    esc_markdown,
    filters_note,
    kind_label,
    turn_record,
)

CHAT_CONCURRENCY = 4  # answers computed at once; more visitors wait in the queue

EXAMPLES: dict[str, list[str]] = {
    "Høringsbehandling": [
        "Hvordan ble innspillene om digitalt utenforskap håndtert?",
        "Hva mente høringsinstansene om personvern og informasjonssikkerhet?",
    ],
    "Resultatmål": [
        "Hvilket resultatmål dekker behovet for å bestille, flytte og avlyse timer?",
        "Hva er resultatmålene for mål 1?",
    ],
    "Evaluering": [
        "Hvor mange instanser sendte inn høringssvar?",
        "Hva er visjonen i strategien?",
    ],
}

Message = dict[str, str]
Turn = dict[str, Any]


@dataclass
class ChatTab:
    """The components other tabs need: the filters, which follow the document list."""

    kinds: gr.CheckboxGroup
    organisations: gr.Dropdown
    sources: gr.Dropdown

    @property
    def filters(self) -> list[gr.components.Component]:
        return [self.kinds, self.organisations, self.sources]


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


def messages_for(turns: list[Turn]) -> list[Message]:
    """Redraw the chat from the session's turns (the turns, not the chatbot, are the record)."""
    messages: list[Message] = []
    for turn in turns:
        messages.append({"role": "user", "content": esc_markdown(turn["question"])})
        messages.append({"role": "assistant", "content": turn["message"]})
    return messages


def respond(
    assistant: Assistant,
    question: str,
    turns: list[Turn] | None,
    kinds: list[str] | None,
    organisations: list[str] | None,
    sources: list[str] | None,
    export_key: str | None = None,
) -> Iterator[tuple[Any, ...]]:
    """Stream one answer; outputs are (question box, chatbot, turns, status, download button)."""
    turns = list(turns or [])
    question = (question or "").strip()
    if not question:
        gr.Warning("Skriv et spørsmål først.", title=WARNING_TITLE)
        yield question, messages_for(turns), turns, "", gr.update()
        return
    filters = build_filters(kinds, organisations, sources)
    titles = {d.source: d.title for d in assistant.documents()} if filters and filters.get("source") else {}
    note = filters_note(filters, titles)
    history = [t["question"] for t in turns]
    shown = [*messages_for(turns), {"role": "user", "content": esc_markdown(question)}]
    yield "", [*shown, {"role": "assistant", "content": "…"}], turns, "Leter i dokumentene …", gr.update()

    streamed = ""
    answer: Answer | None = None
    try:
        for piece in assistant.ask_stream(question, history=history, filters=filters):
            if isinstance(piece, Answer):
                answer = piece
            else:
                streamed += piece
                yield (
                    "",
                    [*shown, {"role": "assistant", "content": esc_markdown(streamed)}],
                    turns,
                    "",
                    gr.update(),
                )
    except AssistantError as exc:
        gr.Warning(str(exc), title=WARNING_TITLE)
        yield question, messages_for(turns), turns, f"**Feil:** {esc_markdown(str(exc))}", gr.update()
        return
    if answer is None:  # a stream that ended without its Answer: say so rather than show half an answer
        message = "Svaret ble ikke fullført. Prøv igjen."
        gr.Warning(message, title=WARNING_TITLE)
        yield question, messages_for(turns), turns, f"**Feil:** {message}", gr.update()
        return
    turns.append(turn_record(question, answer, filters, answer_markdown(answer, note)))
    export = write_export(turns, export_key)
    yield "", messages_for(turns), turns, "", gr.update(value=str(export), interactive=True)


def reset() -> tuple[list[Message], list[Turn], str, Any]:
    return [], [], "", gr.update(value=None, interactive=False)


def build_chat_tab(assistant: Assistant) -> ChatTab:
    """Chat column on the left; filters and example questions on the right."""
    turns = gr.State([])
    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            chatbot = gr.Chatbot(
                label="Samtale",
                show_label=False,
                elem_id="samtale",
                height="68vh",
                min_height=420,
                resizable=True,
                latex_delimiters=[],  # "$" in documents is money, not maths
                sanitize_html=True,
                allow_tags=False,
                buttons=["copy"],
                feedback_options=None,
                placeholder="Still et spørsmål om e-helsestrategien eller høringen. Svarene viser kildene.",
            )
            with gr.Row():
                question = gr.Textbox(
                    label="Spørsmål",
                    elem_id="sporsmal",
                    placeholder="Skriv spørsmålet her – du kan også stille oppfølgingsspørsmål",
                    lines=1,
                    max_lines=6,
                    scale=5,
                    autofocus=True,
                )
                ask = gr.Button("Spør", variant="primary", elem_id="spor", scale=1, min_width=80)
            status = gr.Markdown("", elem_id="chat-status")
            with gr.Row():
                new = gr.Button("Ny samtale", size="sm", elem_id="ny-samtale")
                download = gr.DownloadButton(
                    "Last ned samtalen (Markdown)", size="sm", interactive=False, elem_id="last-ned"
                )
        with gr.Column(scale=1, min_width=260):
            with gr.Accordion("Avgrens søket", open=False, elem_id="filtre"):
                gr.Markdown("Gjelder neste spørsmål. Tomt valg betyr alle dokumenter.")
                # Choices as of start-up (API clients see these); each page load refreshes them.
                kind_choices, org_choices, source_choices = filter_choices(assistant.documents())
                kinds = gr.CheckboxGroup(kind_choices, value=[], label="Dokumenttype", elem_id="filter-type")
                organisations = gr.Dropdown(
                    org_choices,
                    value=[],
                    label="Organisasjon",
                    multiselect=True,
                    elem_id="filter-organisasjon",
                )
                sources = gr.Dropdown(
                    source_choices,
                    value=[],
                    label="Enkeltdokumenter",
                    multiselect=True,
                    elem_id="filter-dokument",
                )
            gr.Markdown("**Eksempler på spørsmål**")
            for label, questions in EXAMPLES.items():
                gr.Examples(examples=[[q] for q in questions], inputs=[question], label=label)

    def on_submit(
        question: str,
        turns: list[Turn],
        kinds: list[str],
        organisations: list[str],
        sources: list[str],
        request: gr.Request,
    ) -> Iterator[tuple[Any, ...]]:
        # One export file per browser session, so people chatting at once never get each other's file.
        key = getattr(request, "session_hash", None)
        yield from respond(assistant, question, turns, kinds, organisations, sources, key)

    inputs = [question, turns, kinds, organisations, sources]
    outputs = [question, chatbot, turns, status, download]
    gr.on(
        [question.submit, ask.click],
        on_submit,
        inputs=inputs,
        outputs=outputs,
        api_name="ask",
        concurrency_limit=CHAT_CONCURRENCY,
        concurrency_id="chat",
    )
    new.click(reset, outputs=[chatbot, turns, status, download], api_visibility="private")
    chatbot.clear(reset, outputs=[chatbot, turns, status, download], api_visibility="private")
    return ChatTab(kinds=kinds, organisations=organisations, sources=sources)
