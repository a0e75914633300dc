"""The "Chat" tab: streamed, cited answers, follow-ups, filters (with chips), example questions, the
source viewer beside the chat and a Markdown export."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant.api import Assistant
from assistant.errors import AssistantError
from assistant.types import Answer
from assistant.ui.export import write_export
from assistant.ui.filters import build_chips, build_filters, filter_choices
from assistant.ui.sources import WARNING_TITLE, answer_markdown, esc_markdown, filters_note, turn_record
from assistant.ui.viewer import build_viewer

CHAT_CONCURRENCY = 4  # answers computed at once; more visitors wait in the queue

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
    message = answer_markdown(answer, note, turn=len(turns))
    turns.append(turn_record(question, answer, filters, message))
    export = write_export(turns, export_key)
    yield "", messages_for(turns), turns, "", gr.update(value=str(export), interactive=True)


def reset() -> tuple[list[Message], list[Turn], str, Any]:
    return [], [], "", gr.update(value=None, interactive=False)


def build_chat_tab(assistant: Assistant) -> ChatTab:
    """Chat column on the left; the source viewer beside it when open; filters and examples on the right."""
    turns = gr.State([])
    with gr.Row(equal_height=False, elem_id="chat-rad"):
        with gr.Column(scale=3, min_width=300, elem_id="chat-kolonne"):
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
                placeholder=f"Still et spørsmål om {assistant.profile.app.subject}. Svarene viser kildene.",
            )
            chips_slot = gr.Column(elem_id="filterbrikker-plass", min_width=0)
            with gr.Row(elem_id="sporsmal-rad"):
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
        viewer = build_viewer(assistant)
        with gr.Column(scale=1, min_width=260, elem_id="sidepanel") as side_panel:
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
            examples = assistant.profile.app.examples  # the collection's own, from its profile
            if examples:
                gr.Markdown("**Eksempler på spørsmål**")
            for label, questions in examples:
                gr.Examples(examples=[[q] for q in questions], inputs=[question], label=label)
    viewer.wire(turns, side_panel)
    with chips_slot:
        build_chips(assistant, kinds, organisations, sources)

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
    close_viewer, viewer_parts = viewer.close_outputs()
    for cleared in (new.click, chatbot.clear):  # a new conversation also closes the viewer of the old one
        cleared(reset, outputs=[chatbot, turns, status, download], api_visibility="private").then(
            close_viewer, outputs=viewer_parts, api_visibility="private"
        )
    return ChatTab(kinds=kinds, organisations=organisations, sources=sources)
