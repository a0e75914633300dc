"""The "Resultatmål" and "Høringen" tabs: the documents' own tables, search by meaning, coverage, topic traces.

Plugged into the app through ``tabs(assistant)``; only the ``Assistant`` API is used
(``resultatmal``, ``search_goals``, ``hearing_responses``, ``hearing_form``, ``response_total``, ``coverage``,
``trace``). What the tabs show is built in ``structure_views``; the hearing table's question is the corpus
profile's support question, worded as the responses word it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gradio as gr

from assistant.api import Assistant
from assistant.errors import AssistantError
from assistant.goal_coverage import CoverageScope
from assistant.hearing_form import HearingForm
from assistant.types import HearingResponse
from assistant.ui.sources import WARNING_TITLE, esc, esc_markdown
from assistant.ui.structure_views import (
    COVERAGE_CSS,
    HITS_CSS,
    TRACE_CSS,
    count_statement,
    coverage_html,
    goal_headers,
    goal_rows,
    hits_html,
    search_summary,
    trace_html,
)

COMMENT_CHARS = 220
API_METHODS = (
    "resultatmal",
    "search_goals",
    "hearing_responses",
    "hearing_form",
    "response_total",
    "coverage",
    "trace",
)


def coverage_intro(scope: CoverageScope) -> str:
    """What the coverage shows, in the collection's words («Mål 1», «Frem mot 2030 skal vi oppnå»)."""
    goals, word = esc_markdown(scope.goals_text), esc_markdown(scope.result_word)
    return (
        f"### Dekning av {goals} i strategien\n"
        f"For hvert punkt under «{esc_markdown(scope.heading)}» i {goals}: de tre {word}ene som ligner mest, "
        f"og om punktet er **dekket**, **delvis dekket** eller **ikke dekket** av {word}ene. "
        "Trykk «Vis dekning» for å se vurderingen."
    )


COVERAGE_INTRO = coverage_intro(CoverageScope())  # the bundled collection's

TabBuilder = Callable[[gr.Tab], None]


def tabs(assistant: Assistant) -> list[tuple[str, TabBuilder]]:
    """The two tabs, or none while the Assistant lacks the structure API."""
    if not all(hasattr(assistant, m) for m in API_METHODS):
        return []
    goals_label = _scope(assistant).result_word.capitalize()  # «Resultatmål», or the collection's «Tiltak»
    return [
        (goals_label, lambda tab: build_goals_tab(assistant, tab)),
        ("Høringen", lambda tab: build_hearing_tab(assistant, tab)),
    ]


def _scope(assistant: Assistant) -> CoverageScope:
    return assistant.coverage_scope() if hasattr(assistant, "coverage_scope") else CoverageScope()


def _html(elem_id: str, css: str) -> gr.HTML:
    return gr.HTML("", elem_id=elem_id, css_template=css, js_on_load=None)


# -- Resultatmål --------------------------------------------------------------------------------
def goal_tables(assistant: Assistant, query: str, word: str = "resultatmål") -> tuple[Any, Any, str]:
    """(all goals, the hits as cards, the summary): all goals without a query, the hits with one. ``word``:
    what the collection calls a result goal (the tab's, read once when it is built)."""
    goals = assistant.resultatmal()
    if not query.strip():
        return gr.update(value=goal_rows(goals), visible=True), "", ""
    found = assistant.search_goals(query)
    summary = search_summary(found, len(goals), word)
    return gr.update(visible=False), hits_html(found), summary


def build_goals_tab(assistant: Assistant, tab: gr.Tab) -> None:
    scope, profile = _scope(assistant), assistant.profile
    word = scope.result_word  # what the collection calls a result goal: «resultatmål», «tiltak»
    source = profile.kinds_of("operationalisation")
    label = profile.known_kinds()[source[0]].label if source else ""
    gr.Markdown(
        f"{word.capitalize()}ene fra {label.lower() or 'operasjonaliseringen'}, etter hovedområde og "
        f"{profile.need_column.lower()}. Søket finner {word}ene både på ordene og på hva de handler om, "
        "og sier hvorfor hvert treff kom med."
    )
    examples = profile.app.goal_search_examples
    search = gr.Textbox(
        label=f"Søk i {word}ene", placeholder=f"f.eks. {', '.join(examples)}" if examples else None
    )
    summary = gr.Markdown(elem_id="resultatmal-treff")
    table = gr.Dataframe(
        goal_rows(assistant.resultatmal()) or None,  # as of start-up; refreshed when the tab is opened
        headers=goal_headers(profile.need_column, word),
        label=word.capitalize(),
        interactive=False,
        wrap=True,
        elem_id="resultatmal-tabell",
        column_widths=["14%", "30%", "5%", "37%", "9%", "5%"],
    )
    hits = _html("resultatmal-treffliste", HITS_CSS)  # empty (nothing shown) while not searching
    gr.Markdown(coverage_intro(scope))
    show = gr.Button("Vis dekning", elem_id="vis-dekning")
    coverage = _html("dekning", COVERAGE_CSS)

    def filtered(query: str) -> tuple[Any, Any, str]:
        try:
            return goal_tables(assistant, query or "", word)
        except AssistantError as exc:
            gr.Warning(str(exc), title=WARNING_TITLE)
            return gr.update(), gr.update(), f"**Feil:** {esc_markdown(str(exc))}"

    def on_coverage() -> str:
        try:
            return coverage_html(assistant.coverage())
        except AssistantError as exc:
            gr.Warning(str(exc), title=WARNING_TITLE)
            return f'<p class="spor-tom">{esc(str(exc))}</p>'

    gr.on(
        [tab.select, search.submit, search.change],
        filtered,
        inputs=search,
        outputs=[table, hits, summary],
        api_name="resultatmal",
        # Typing while the tab's own refresh is pending must still filter: run the last one afterwards
        # (gr.on's default, "once", would drop it, and the table would stay unfiltered).
        trigger_mode="always_last",
    )
    show.click(on_coverage, outputs=coverage, api_name="dekning")


# -- Høringen -----------------------------------------------------------------------------------
def hearing_headers(form: HearingForm) -> list[str]:
    """The table's headers, with the number of the form's support question ("Spørsmål 1")."""
    n = form.support
    return ["Høringsinstans", "Kategori", f"Spørsmål {n}", f"Begrunnelse (spørsmål {n})", "Dokument"]


def answer_to_q1(r: HearingResponse) -> str:
    """The ticked option of the support question (ja / nei / vet ikke), or why there is none."""
    if not r.on_form:
        return "ikke på skjema"
    return r.supports_goals or "ikke besvart"


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def hearing_rows(responses: list[HearingResponse], form: HearingForm | None = None) -> list[list[Any]]:
    """A row per response: name, category, the ticked option and the comment to the support question of
    ``form`` (None: question 1), the document."""
    key = (form or HearingForm()).support_key
    rows = []
    for r in sorted(responses, key=lambda r: (r.organisation or r.title or r.source).lower()):
        comment = str((r.answers.get(key) or {}).get("text", ""))
        name = r.organisation or r.title or r.source
        rows.append([name, r.category or "—", answer_to_q1(r), _short(comment, COMMENT_CHARS), r.source])
    return rows


def hearing_overview(assistant: Assistant) -> tuple[list[list[Any]], str]:
    """The responses' rows and the statement of how many of the hearing's responses they are."""
    responses = assistant.hearing_responses()
    rows = hearing_rows(responses, assistant.hearing_form())
    return rows, count_statement(len(responses), assistant.response_total())


def trace_view(assistant: Assistant, topic: str) -> tuple[str, str]:
    """(how the topic was read, the three columns)."""
    trace = assistant.trace(topic)
    notes = " ".join(f"*Merk: {esc_markdown(note)}*" for note in trace.notes)
    return notes, trace_html(trace, assistant.documents(), assistant.profile)


def build_hearing_tab(assistant: Assistant, tab: gr.Tab) -> None:
    rows, statement = hearing_overview(assistant)
    form = assistant.hearing_form()
    count = gr.Markdown(statement, elem_id="horing-antall")
    gr.Markdown(f"Høringssvarene i indeksen, med svaret på {form.support_question()}.")
    table = gr.Dataframe(
        rows or None,
        headers=hearing_headers(form),
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
    columns = _html("spor-kolonner", TRACE_CSS)

    def listing() -> tuple[list[list[Any]], str]:
        return hearing_overview(assistant)

    def on_trace(text: str) -> tuple[str, str]:
        try:
            return trace_view(assistant, text or "")
        except AssistantError as exc:
            gr.Warning(str(exc), title=WARNING_TITLE)
            return "", f'<p class="spor-tom">{esc(str(exc))}</p>'

    tab.select(listing, outputs=[table, count], api_name="horingssvar")
    gr.on([go.click, topic.submit], on_trace, inputs=topic, outputs=[read_as, columns], api_name="spor")
