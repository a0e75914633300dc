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
