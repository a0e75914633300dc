"""The synthetic second collection (tests/data/laering) read with its own profile and no code of its own:
another directorate's strategy with six «målsettinger», a hearing on a form that asks «Enig/Uenig/Vet ikke»
in its question 2, and an action plan whose numbered «tiltak» stand in a Markdown table.

The questions here are written from those documents the way a first user would ask them; the answers must
lead with the document's own sentence.
"""

from __future__ import annotations

import pytest

from assistant.api import Assistant
from assistant.types import Answer
from ingest.normalise import fold

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("question", "source", "fact"),
    [
        ("Hva er visjonen?", "strategi", "Alle elever lærer med teknologi som virker for dem"),
        ("Hvilken periode gjelder strategien for?", "strategi", "fra 2025 og peker mot 2032"),
        ("Hvor mange målsettinger har strategien?", "strategi", "seks målsettinger"),
        ("Hvem er målgruppene for strategien?", "strategi", "strategiens sluttbrukere"),
        (
            "Hvordan ble innspillet om finansiering av digitale enheter håndtert?",
            "oppsummering",
            "ikke tatt til følge",
        ),
    ],
)
def test_first_questions_lead_with_the_documents_fact(
    laering: Assistant, question: str, source: str, fact: str
) -> None:
    answer = laering.ask(question)
    assert not answer.abstained
    first = answer.citations[0]
    assert first.source == source, answer.text
    assert fact in first.quote, answer.text


def test_a_markdown_title_is_not_repeated_in_the_place_of_a_citation(laering: Assistant) -> None:
    [first, *_] = laering.ask("Hva er visjonen?").citations
    assert first.section == f"{first.title} > Visjon og målgrupper > Visjon"  # the file's «# …» heading
    assert first.place == "Visjon og målgrupper > Visjon"


# -- the action plan's «tiltak» table (a Markdown pipe table, «Tiltak» | «Behov hos elever og lærere») --------
def test_the_action_plan_table_is_read_as_result_goals(laering: Assistant) -> None:
    goals = laering.resultatmal()
    assert [g.number for g in goals] == [1, 2, 3, 4, 5, 6]
    assert [g.area for g in goals] == ["Læremidler"] * 3 + ["Kompetanse"] * 3
    first = goals[0]
    assert first.text == "Felles kvalitetskriterier for innkjøp av digitale læremidler"
    assert first.need == goals[1].need and first.need.startswith("Som lærer trenger jeg læremidler")
    assert all("|" not in g.text and "|" not in g.need for g in goals)


def test_a_tiltak_by_topic_leads_with_its_row(laering: Assistant) -> None:
    answer = laering.ask("Hvilke tiltak gjelder timeplan?")
    assert not answer.abstained and "|" not in answer.text
    first = answer.citations[0]
    assert first.source == "handlingsplan", answer.text
    assert "Veiledning i å velge apper til timeplan og leksehjelp" in first.quote, answer.text
    assert "6. Veiledning i å velge apper" in answer.text


def test_a_tiltak_by_number_is_quoted(laering: Assistant) -> None:
    answer = laering.ask("Hva er tiltak 3?")
    assert not answer.abstained and "|" not in answer.text
    assert answer.text.startswith("Tiltak 3: «Krav om universell utforming i alle avtaler om læremidler»")
    assert answer.citations[0].source == "handlingsplan"
    assert "Krav om universell utforming" in answer.citations[0].quote
    assert "Tiltak 9 finnes ikke; tiltakene er nummerert 1–6." in laering.ask("Hva er tiltak 9?").text


def test_the_tiltak_of_a_need_named_in_the_questions_words(laering: Assistant) -> None:
    answer = laering.ask("Hvilke tiltak svarer på behovet for læremidler lærere kan stole på?")
    assert not answer.abstained
    listed = [line for line in answer.text.splitlines() if line.startswith("- ")]
    assert [line.split(".")[0] for line in listed] == ["- 1", "- 2"], answer.text
    assert "Som lærer trenger jeg læremidler jeg kan stole på" in answer.text
    # Naming only the area still lists the area.
    area = laering.ask("Hvilke tiltak hører til Læremidler?").text
    assert area.startswith("Hovedområdet «Læremidler» har 3 tiltak (1–3):"), area


def test_a_goal_by_the_profiles_goal_word(laering: Assistant) -> None:
    answer = laering.ask("Hva er målsetting 2?")
    assert answer.text.startswith("Strategien: Målsetting 2 er «Lærerne har digital kompetanse»"), answer.text
    assert answer.citations[0].source == "strategi"


def test_coverage_compares_the_goals_the_action_plan_names(laering: Assistant) -> None:
    from assistant.ui.structure_tabs import coverage_intro
    from assistant.ui.structure_views import coverage_html

    scope = laering.coverage_scope()
    assert scope.goals == (1, 2)  # «Handlingsplanen gjør målsetting 1 og 2 om til nummererte tiltak»
    assert scope.heading == "Innen 2032 skal vi oppnå" and scope.goals_text == "Målsetting 1 og 2"
    cov = laering.coverage()
    assert len(cov.items) == 5
    assert all("Målsetting 1:" in i.section or "Målsetting 2:" in i.section for i in cov.items)
    best = {i.bullet: i.suggestions[0]["number"] for i in cov.items}
    assert best["Skoleeiere kjøper inn læremidler etter felles kvalitetskriterier."] == 1
    assert best["Læremidlene er universelt utformet og kan brukes av elever med nedsatt funksjonsevne."] == 3
    assert (
        best["Alle lærere har gjennomført etter- og videreutdanning i profesjonsfaglig digital kompetanse."]
        == 4
    )
    assert best["Skoleledere har kompetanse til å lede digital omstilling."] == 5
    html = coverage_html(cov)
    assert html.count('class="dekning-punkt"') == 5 and "resultatmål" not in html.split("<details")[0]
    intro = coverage_intro(scope)
    assert "Dekning av Målsetting 1 og 2" in intro and "«Innen 2032 skal vi oppnå»" in intro
    assert "Mål 1" not in intro and "Frem mot" not in intro


def _assert_cited(assistant: Assistant, answer: Answer) -> None:
    """Every citation is marked in the text and quotes the stored passage it names."""
    assert answer.citations, answer.text
    for c in answer.citations:
        assert f"[{c.n}]" in answer.text
        (passage,) = assistant.store.get_passages([c.chunk_id])
        assert fold(c.quote) in fold(passage.text), (c.quote, passage.text)


def test_the_responses_are_read_on_the_profiles_form(laering: Assistant) -> None:
    """The form of [hearing.form]: the tick boxes under question 2, the goals' parts under question 3, the
    name and the category after their labels; each question kept as the responses word it."""
    responses = {r.source: r for r in laering.hearing_responses()}
    assert set(responses) == {"innspill-fjordvik", "innspill-foreldre", "innspill-nordfjell"}
    assert all(r.on_form for r in responses.values())
    parents = responses["innspill-foreldre"]
    assert (parents.organisation, parents.category) == (
        "Foreningen for foreldre i skolen",
        "Interesseorganisasjon",
    )
    assert [r.supports_goals for r in responses.values()].count(
        "uenig"
    ) == 1 and parents.supports_goals == "uenig"
    assert list(parents.answers) == ["1", "2", "mål 1", "mål 6", "4", "5"]
    assert parents.answers["mål 6"]["text"] == "Målsetting 6 bør strykes fra strategien."
    assert parents.answers["2"]["text"].startswith("Begrunnelse: Foreningen er uenig i målsetting 6")
    form = laering.hearing_form()
    assert (form.support, form.goal_question) == (2, 3)
    assert form.wording["2"] == "Er dere enige i de seks målsettingene i strategien?"
    assert form.wording["5"] == "Andre innspill"  # a question written as a heading, without a '?'


def test_the_hearing_tab_names_the_support_question(laering: Assistant) -> None:
    from assistant.ui.structure_tabs import hearing_headers, hearing_rows

    form = laering.hearing_form()
    assert hearing_headers(form)[2:4] == ["Spørsmål 2", "Begrunnelse (spørsmål 2)"]
    rows = {row[0]: row for row in hearing_rows(laering.hearing_responses(), form)}
    assert rows["Nordfjell fylkeskommune"][1:4] == [
        "Fylkeskommune",
        "vet ikke",
        "Begrunnelse: Fylkeskommunen er usikker på om seks målsettinger er for mange til å følges opp.",
    ]


def test_a_count_of_an_option_is_over_the_responses_on_the_form(laering: Assistant) -> None:
    answer = laering.ask("Hvor mange høringsinstanser svarte «Uenig»?")
    assert answer.text.startswith(
        "1 av 3 høringssvar på skjema svarte «uenig» på spørsmål 2 "
        "(«Er dere enige i de seks målsettingene i strategien?»):\n- Foreningen for foreldre i skolen"
    ), answer.text
    assert (
        "Fordeling på spørsmål 2 blant høringssvarene på skjema – enig: 1, uenig: 1, vet ikke: 1."
        in answer.text
    )
    assert "ikke på høringsskjemaet" not in answer.text
    first = answer.citations[0]
    assert (first.source, first.quote) == ("innspill-foreldre", "☒ Uenig")
    _assert_cited(laering, answer)


def test_who_disagreed_with_a_goal_names_who_ticked_disagreement_first(laering: Assistant) -> None:
    answer = laering.ask("Hvem var uenige i målsetting 6?")
    lines = answer.text.split("\n")
    assert lines[0] == "3 av 3 høringssvar på skjema har kommentarer til målsetting 6:", answer.text
    assert lines[1].startswith(
        "- Foreningen for foreldre i skolen: «Målsetting 6 bør strykes fra strategien.»"
    )
    assert "svarte «uenig» på spørsmål 2" in lines[1] and "uenig i målsetting 6" in lines[1]
    first = answer.citations[0]
    assert (first.source, first.quote) == ("innspill-foreldre", "Målsetting 6 bør strykes fra strategien.")
    _assert_cited(laering, answer)


def test_a_named_respondents_comment_under_a_goal_is_quoted(laering: Assistant) -> None:
    answer = laering.ask("Hva sa Fjordvik kommune om målsetting 1?")
    assert answer.text.startswith("1 av 1 høringssvar på skjema har kommentarer til målsetting 1:"), (
        answer.text
    )
    (cited,) = answer.citations
    assert (cited.source, cited.quote) == (
        "innspill-fjordvik",
        "Kommunen trenger felles kvalitetskriterier for innkjøp av læremidler.",
    )
    _assert_cited(laering, answer)


def test_a_form_question_is_found_by_what_it_asks(laering: Assistant) -> None:
    """ "andre innspill" is the form's question 5 here (question 4 on the bundled form), quoted as worded."""
    answer = laering.ask("Hva skrev høringsinstansene under andre innspill?")
    assert answer.text.startswith(
        "3 av 3 høringssvar på skjema har kommentarer til spørsmål 5 («Andre innspill»)"
    )
    _assert_cited(laering, answer)


def test_support_for_the_goals_named_in_the_profiles_words_is_counted(laering: Assistant) -> None:
    """«målsettingene» (the goal word's definite plural) names the goals as a whole, as «målene» does."""
    answer = laering.ask("Hvilke høringsinstanser støttet målsettingene?")
    assert answer.text.startswith("1 av 3 høringssvar på skjema svarte «enig» på spørsmål 2"), answer.text
    assert "Fjordvik kommune" in answer.text.split("\n\n")[0]
