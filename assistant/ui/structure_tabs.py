"""The "Resultatmål" and "Høringen" tabs: the documents' own tables, plus coverage and topic traces.

Plugged into the app through ``tabs(assistant)``; only the ``Assistant`` API is used
(``resultatmal``, ``hearing_responses``, ``coverage``, ``trace``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gradio as gr

from assistant.api import Assistant
from assistant.errors import AssistantError
from assistant.types import HearingResponse, Passage, ResultGoal
from assistant.ui.sources import WARNING_TITLE, esc, esc_markdown, kind_label

GOAL_HEADERS = ["Hovedområde", "Innbyggers behov", "Nr.", "Resultatmål", "Dokument", "Side"]
COVERAGE_HEADERS = ["Strategipunkt (Mål 1)", "Best dekket av resultatmål", "Likhet", "Dekning"]
HEARING_HEADERS = ["Høringsinstans", "Kategori", "Spørsmål 1", "Begrunnelse (spørsmål 1)", "Dokument"]
COMMENT_CHARS = 220
PASSAGE_CHARS = 600
API_METHODS = ("resultatmal", "hearing_responses", "coverage", "trace")

TabBuilder = Callable[[gr.Tab], None]


def tabs(assistant: Assistant) -> list[tuple[str, TabBuilder]]:
    """The two tabs, or none while the Assistant lacks the structure API."""
    if not all(hasattr(assistant, m) for m in API_METHODS):
        return []
    return [
        ("Resultatmål", lambda tab: build_goals_tab(assistant, tab)),
        ("Høringen", lambda tab: build_hearing_tab(assistant, tab)),
    ]


# -- Resultatmål --------------------------------------------------------------------------------
def goal_rows(goals: list[ResultGoal], query: str = "") -> list[list[Any]]:
    """Rows by area, then need, then number; a query keeps rows where every word occurs somewhere."""
    words = query.lower().split()
    rows = []
    for g in goals:
        row = [g.area, g.need, g.number, g.text, g.source, g.page]
        haystack = " ".join(str(c) for c in row).lower()
        if all(w in haystack for w in words):
            rows.append(row)
    order = {area: i for i, area in enumerate(dict.fromkeys(g.area for g in goals))}
    return sorted(rows, key=lambda r: (order.get(r[0], 0), r[4], r[2]))


def coverage_view(assistant: Assistant) -> tuple[list[list[Any]], str]:
    """Each strategy bullet with the result goal most like it, and a summary of the weak spots."""
    cov = assistant.coverage()
    rows = []
    for item in cov.items:
        best = max(item.suggestions, key=lambda s: s["score"]) if item.suggestions else None
        goal = f"{best['number']}. {best['text']}" if best else "—"
        score = f"{best['score']:.3f}" if best else "—"
        rows.append([item.bullet, goal, score, "svak" if item.bullet in cov.weak_bullets else "god"])
    lines = [f"*{cov.note}* Terskel for «svak»: {cov.threshold:.2f}."]
    if not cov.items:
        lines.append("Fant ingen strategipunkter eller resultatmål å sammenligne.")
    lines.append(f"**Svakt dekkede strategipunkter:** {len(cov.weak_bullets)} av {len(cov.items)}.")
    if cov.uncovered_needs:
        needs = "; ".join(f"«{n['need']}» ({n['area']})" for n in cov.uncovered_needs)
        lines.append(f"**Innbyggerbehov uten resultatmål:** {needs}")
    else:
        lines.append("**Innbyggerbehov uten resultatmål:** ingen.")
    return rows, "\n\n".join(lines)


def build_goals_tab(assistant: Assistant, tab: gr.Tab) -> None:
    gr.Markdown("Resultatmålene fra operasjonaliseringen, etter hovedområde og innbyggers behov.")
    search = gr.Textbox(label="Søk i resultatmålene", placeholder="f.eks. timer, helsedata, pårørende")
    table = gr.Dataframe(
        goal_rows(assistant.resultatmal()) or None,  # as of start-up; refreshed when the tab is opened
        headers=GOAL_HEADERS,
        label="Resultatmål",
        interactive=False,
        wrap=True,
        elem_id="resultatmal-tabell",
        column_widths=["14%", "30%", "5%", "37%", "9%", "5%"],
    )
    gr.Markdown("### Dekning\nHvilke resultatmål som ligner mest på hvert punkt under Mål 1 i strategien.")
    show = gr.Button("Vis dekning", elem_id="vis-dekning")
    summary = gr.Markdown(elem_id="dekning-oppsummering")
    cov_table = gr.Dataframe(
        headers=COVERAGE_HEADERS,
        label="Dekning",
        interactive=False,
        wrap=True,
        elem_id="dekning-tabell",
        column_widths=["48%", "38%", "7%", "7%"],
    )

    def filtered(query: str) -> Any:
        goals = assistant.resultatmal()
        rows = goal_rows(goals, query or "")
        label = f"Resultatmål ({len(rows)} av {len(goals)})" if query and query.strip() else "Resultatmål"
        return gr.update(value=rows, label=label)

    def on_coverage() -> tuple[Any, str]:
        try:
            rows, text = coverage_view(assistant)
        except AssistantError as exc:
            gr.Warning(str(exc), title=WARNING_TITLE)
            return gr.update(), f"**Feil:** {exc}"
        return rows, text

    gr.on(
        [tab.select, search.submit, search.change],
        filtered,
        inputs=search,
        outputs=table,
        api_name="resultatmal",
        # Typing while the tab's own refresh is pending must still filter: run the last one afterwards
        # (gr.on's default, "once", would drop it, and the table would stay unfiltered).
        trigger_mode="always_last",
    )
    show.click(on_coverage, outputs=[cov_table, summary], api_name="dekning")


# -- Høringen -----------------------------------------------------------------------------------
def answer_to_q1(r: HearingResponse) -> str:
    """ja / nei / vet ikke, or why there is none."""
    if not r.on_form:
        return "ikke på skjema"
    return r.supports_goals or "ikke besvart"


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def hearing_rows(responses: list[HearingResponse]) -> list[list[Any]]:
    rows = []
    for r in sorted(responses, key=lambda r: (r.organisation or r.title or r.source).lower()):
        comment = str((r.answers.get("1") or {}).get("text", ""))
        name = r.organisation or r.title or r.source
        rows.append([name, r.category or "—", answer_to_q1(r), _short(comment, COMMENT_CHARS), r.source])
    return rows


def passages_html(passages: list[Passage], empty: str, terms: list[str] | None = None) -> str:
    """Passage cards (escaped); handling words such as «tydeliggjort» marked where given."""
    if not passages:
        return f'<p class="spor-tom">{esc(empty)}</p>'
    cards = []
    for p in passages:
        body = esc(_short(p.text, PASSAGE_CHARS))
        for term in terms or []:
            body = body.replace(esc(term), f"<mark>{esc(term)}</mark>")
        meta = " · ".join(esc(x) for x in (kind_label(p.kind), p.section, f"s. {p.page}") if x)
        cards.append(
            f'<div class="spor-kort"><p><strong>{esc(p.title)}</strong></p>'
            f'<p class="kilde-meta">{meta}</p><p>{body}</p></div>'
        )
    return "".join(cards)


def trace_view(assistant: Assistant, topic: str) -> tuple[str, str, str, str]:
    trace = assistant.trace(topic)
    return (
        " ".join(f"*Merk: {esc_markdown(note)}*" for note in trace.notes),
        passages_html(trace.responses, "Ingen høringssvar handler om dette."),
        passages_html(trace.handling, "Høringsoppsummeringen sier ikke noe om dette.", trace.handling_terms),
        passages_html(trace.strategy, "Strategien sier ikke noe om dette."),
    )


def build_hearing_tab(assistant: Assistant, tab: gr.Tab) -> None:
    gr.Markdown("Høringssvarene i indeksen, med svaret på spørsmål 1: kan de stille seg bak de fem målene?")
    table = gr.Dataframe(
        hearing_rows(assistant.hearing_responses()) or None,
        headers=HEARING_HEADERS,
        label="Høringssvar",
        interactive=False,
        wrap=True,
        elem_id="horing-tabell",
        column_widths=["22%", "16%", "10%", "42%", "10%"],
    )
    gr.Markdown("### Følg et tema gjennom høringen")
    with gr.Row():
        topic = gr.Textbox(label="Tema", placeholder="f.eks. digitalt utenforskap", scale=4, elem_id="tema")
        go = gr.Button("Følg temaet", variant="primary", scale=1, elem_id="folg-tema")
    read_as = gr.Markdown(elem_id="spor-merk")  # how the topic was read, when a word was corrected
    with gr.Row(equal_height=False):
        with gr.Column():
            gr.Markdown("**Hva høringssvarene sa**")
            said = gr.HTML(elem_id="spor-svar")
        with gr.Column():
            gr.Markdown("**Hvordan det ble håndtert** (høringsoppsummeringen)")
            handled = gr.HTML(elem_id="spor-handtering")
        with gr.Column():
            gr.Markdown("**Hva strategien sier**")
            strategy = gr.HTML(elem_id="spor-strategi")

    def listing() -> list[list[Any]]:
        return hearing_rows(assistant.hearing_responses())

    def on_trace(text: str) -> tuple[str, str, str, str]:
        try:
            return trace_view(assistant, text or "")
        except AssistantError as exc:
            gr.Warning(str(exc), title=WARNING_TITLE)
            message = f'<p class="spor-tom">{esc(str(exc))}</p>'
            return "", message, "", ""

    tab.select(listing, outputs=table, api_name="horingssvar")
    gr.on(
        [go.click, topic.submit],
        on_trace,
        inputs=topic,
        outputs=[read_as, said, handled, strategy],
        api_name="spor",
    )
