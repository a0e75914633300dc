"""End-to-end cases of what gets quoted, on the bundled corpus: the part of
a form comment the question asks about, result goals and strategy goals asked for by number, the strategy
read beside a named response, and the responses a question names. Unit tests of the reader's steps are in
test_reader.py and test_analysis.py."""

from __future__ import annotations

import pytest

from assistant.api import Assistant
from assistant.goal_answers import _GOAL_NUMBERS
from assistant.hearing_answers import _focus_weights, _focused_excerpt
from assistant.strategy_goals import strategy_goal_answer
from assistant.structured import structured_answer
from ingest.normalise import fold


@pytest.mark.parametrize(
    ("question", "numbers"),
    [
        ("Hva er det siste resultatmålet, nummer 20?", "20"),
        ("Hva sier resultatmål 3 og 4?", "3 og 4"),
        ("What does result goal no. 12 say?", "12"),
    ],
)
def test_result_goals_are_found_by_number(question: str, numbers: str) -> None:
    match = _GOAL_NUMBERS.search(fold(question))
    assert match is not None and match.group(1) == numbers


def test_a_form_comment_is_quoted_where_it_answers_the_question(assistant: Assistant) -> None:
    comment = (
        "IMDi opplever utfordringer rundt hjemler for oppbevaring av opplysninger i arbeidet med bosetting. "
        "Det er også utfordringer med dobbeltregistrering mellom tjenester og myndigheter i kjeden. "
        "Mange bruker mye tid på å finne fram i systemene og på å registrere det samme flere ganger. "
        "En oversikt over offentlige organer som bruker tolk kunne vært en mulig indikator."
    )
    focus = _focus_weights(assistant, "Hvilken indikator foreslo IMDi under Mål 2?", [])
    assert "indikator" in focus
    excerpt = _focused_excerpt(assistant, comment, focus, max_words=30)
    assert excerpt.startswith("… En oversikt over offentlige organer")
    # Without anything to look for, the comment is quoted from its start.
    assert _focused_excerpt(assistant, comment, {}, max_words=30).startswith("IMDi opplever")


def test_imdi_goal_2_indicator_is_quoted_with_a_valid_citation(assistant: Assistant) -> None:
    answer = structured_answer(assistant, "Hvilken indikator foreslo IMDi under Mål 2?")
    assert answer is not None
    assert "tolk" in answer.text and answer.citations
    for c in answer.citations:
        assert fold(c.quote) in fold(c.passage_text)


def test_a_strategy_goal_is_named_from_its_heading_and_cited(assistant: Assistant) -> None:
    question = "Hva heter Mål 3 i strategien?"
    answer = strategy_goal_answer(assistant, question, assistant.reader().analyse(question))
    assert answer is not None and not answer.abstained
    assert "«Helsedata til fornying og forbedring»" in answer.text
    assert "beslutninger basert på data" in answer.text  # the goal section's opening sentence
    assert [c.source for c in answer.citations] == ["strategi", "strategi"]
    for c in answer.citations:
        assert c.quote in c.passage_text, c
    missing = "Hva er mål 9 i strategien?"  # no such goal
    assert strategy_goal_answer(assistant, missing, assistant.reader().analyse(missing)) is None


def test_what_a_goal_says_is_read_in_the_strategy_not_in_the_summary_of_its_inputs(
    assistant: Assistant,
) -> None:
    """The summary has a section per goal too ("2.2.5 Mål 5 …"), but it reports what respondents said."""
    answer = assistant.ask("Hva sier Mål 5 om internasjonalt samarbeid?")
    assert answer.citations and {c.kind for c in answer.citations} == {"strategi"}
    assert any("spesielt med EU og Norden" in c.quote for c in answer.citations)


def test_the_strategy_is_quoted_when_asked_for_beside_a_response(assistant: Assistant) -> None:
    """The organisation's name pulls every retrieved passage to its response; the strategy is still read."""
    question = "IMDi nevnte utfordringer med dobbeltregistrering. Hva sier den endelige strategien om det?"
    assert not any(p.kind == "strategi" for p in assistant.retrieve(question, k=8))
    answer = assistant.ask(question)
    assert any(c.kind == "strategi" and "dobbeltregistrering" in c.quote for c in answer.citations)


@pytest.mark.parametrize(
    ("question", "sources"),
    [
        ("Hva sa IMDi om tolk?", ["horingssvar-imdi"]),
        ("Hva mente Integrerings- og mangfoldsdirektoratet om helsedata?", ["horingssvar-imdi"]),
        # The sender is not stated; the title calls it "en aktør i helsenæringen".
        ("Hva mente næringsaktøren om visjonen?", ["horingssvar-naringsaktor"]),
        ("Hva skrev aktøren i helsenæringen om skytjenester?", ["horingssvar-naringsaktor"]),
        # Both words occur, but apart: the actors in general and the industry, not that response.
        ("Hva mente aktørene om samarbeid med helsenæringen?", []),
        ("Hvordan ble digitalt utenforskap håndtert?", []),
    ],
)
def test_responses_a_question_refers_to(assistant: Assistant, question: str, sources: list[str]) -> None:
    assert list(assistant.reader().analyse(question).respondents) == sources


def test_a_named_response_leads_the_answer(assistant: Assistant) -> None:
    question = "Hva mente næringsaktøren om visjonen og de strategiske målene?"
    answer = assistant.ask(question)
    assert answer.citations and answer.citations[0].source == "horingssvar-naringsaktor", answer.text
    assert answer.text.startswith("Høringssvar fra en aktør i helsenæringen")
