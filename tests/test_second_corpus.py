"""The synthetic second collection (tests/data/laering) read with its own profile and no code of its own:
another directorate's strategy with six «målsettinger», a hearing on a form that asks «Enig/Uenig/Vet ikke»
in its question 2, and an action plan whose numbered «tiltak» stand in a Markdown table.

The questions here are written from those documents the way a first user would ask them; the answers must
lead with the document's own sentence.
"""

from __future__ import annotations

import pytest

from assistant.api import Assistant

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
