"""Rules of the extractive answerer and the structured answers that decide which sentences are quoted:
the hearing summary's handling statement, quotes swallowed by a longer one, English questions, the part of
a form comment the question asks about, and result goals asked for by number."""

from __future__ import annotations

import numpy as np
import pytest
from assistant.respondents import referenced_sources
from helpers import make_passage

from assistant.answer.extractive import (
    _COUNT_Q,
    Unit,
    _distinct,
    _examples_of,
    _handling_of,
    _in_goal_section,
    _reasons_of,
    _units,
    asks_about_strategy,
    is_english,
)
from assistant.api import Assistant
from assistant.strategy_goals import asked_goal, strategy_goal_answer
from assistant.structured import _GOAL_NUMBERS, _focus_weights, _focused_excerpt, structured_answer
from assistant.types import Passage
from ingest.normalise import fold

SUMMARY_TEXT = (
    "Mange har etterlyst bedre omtale av pårørende. Det pekes på at de har en viktig rolle. "
    "Flere nevner fullmakter. Enkelte nevner også barn. I oppdatert strategidokument er dette presisert "
    "under Mål 1. Et annet tema er finansiering."
)


def passage(text: str, kind: str = "høringsoppsummering") -> Passage:
    return make_passage(text, kind=kind)


def test_the_handling_statement_a_few_sentences_after_an_input_is_found() -> None:
    units = _units(passage(SUMMARY_TEXT), 0)
    handling = _handling_of(units[0], units)
    assert handling is not None
    assert handling.text == "I oppdatert strategidokument er dette presisert under Mål 1."


def test_no_handling_statement_is_added_outside_the_summary_or_when_the_quote_has_one() -> None:
    units = _units(passage(SUMMARY_TEXT, kind="strategi"), 0)
    assert _handling_of(units[0], units) is None
    units = _units(passage(SUMMARY_TEXT), 0)
    assert _handling_of(units[4], units) is None  # the handling statement itself


def test_why_questions_get_the_reason_that_follows_the_matching_sentence() -> None:
    text = (
        "Det kom forslag om tre nye mål. Forslagene er vurdert, men de fem målene står seg. "
        "Mål (1) og (2) er av den grunn vurdert som virkemidler. Mål (3) er derfor ikke et eget mål. "
        "Et annet tema er finansiering. Det skyldes fordi noe helt annet."
    )
    units = _units(passage(text), 0)
    reasons = _reasons_of(units[1], units)
    assert [u.text for u in reasons] == [
        "Mål (1) og (2) er av den grunn vurdert som virkemidler.",
        "Mål (3) er derfor ikke et eget mål.",
    ]
    assert _reasons_of(units[2], units) == []  # the quote gives the reason itself


def test_example_questions_get_the_example_a_sentence_or_two_later() -> None:
    text = (
        "Staten sitter på begge sider av bordet. Det skaper usikkerhet for leverandørene. "
        "Et eksempel på dette er en etat som både godkjenner og konkurrerer. Et annet eksempel er noe annet. "
        "Et tredje tema er finansiering."
    )
    units = _units(passage(text, kind="høringssvar"), 0)
    assert [u.text for u in _examples_of(units[0], units)] == [
        "Et eksempel på dette er en etat som både godkjenner og konkurrerer."
    ]
    assert _examples_of(units[2], units) == []  # the quote is the example


def test_the_example_a_respondent_gave_is_quoted(assistant: Assistant) -> None:
    answer = assistant.ask(
        "Hvilket eksempel ga aktøren i helsenæringen på at staten «sitter på begge siden av bordet»?"
    )
    assert "Et eksempel på dette er Norsk Helsenett" in answer.text
    assert any(c.quote.startswith("Et eksempel på dette er Norsk Helsenett") for c in answer.citations)


def test_a_quote_inside_a_longer_quote_is_dropped_and_order_is_kept() -> None:
    p = passage(SUMMARY_TEXT)
    first, second, third = _units(p, 0)[:3]
    extended = Unit(p, 0, first.start, second.end)
    kept = _distinct([third, extended, second])
    assert [u.text for u in kept] == [third.text, extended.text]


@pytest.mark.parametrize(
    ("question", "english"),
    [
        ("Which EU initiative is named under strategic goal 3 on health data?", True),
        ("How many organisations submitted responses?", True),
        ("Hvor mange svarte på høringen?", False),
        ("Hva sier strategien om kunstig intelligens for helsepersonell?", False),
        ("Hvilket resultatmål dekker behovet for å bestille timer?", False),
    ],
)
def test_english_questions_are_recognised(question: str, english: bool) -> None:
    assert is_english(question) is english


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


@pytest.mark.parametrize(
    ("question", "number"),
    [
        ("Hva er mål 2 i e-helsestrategien?", 2),
        ("Hva heter Mål 3 i strategien, og hva går det ut på?", 3),
        ("What is goal 4 of the strategy?", 4),
        ("Hva er en viktig forutsetning for måloppnåelse i Mål 2?", None),  # a detail, not the goal
        ("Hva sier Mål 5 om internasjonalt samarbeid?", None),
    ],
)
def test_questions_for_a_strategy_goal_itself_are_recognised(question: str, number: int | None) -> None:
    assert asked_goal(question) == number


def test_a_strategy_goal_is_named_from_its_heading_and_cited(assistant: Assistant) -> None:
    answer = strategy_goal_answer(assistant, "Hva heter Mål 3 i strategien?")
    assert answer is not None and not answer.abstained
    assert "«Helsedata til fornying og forbedring»" in answer.text
    assert "beslutninger basert på data" in answer.text  # the goal section's opening sentence
    assert [c.source for c in answer.citations] == ["strategi", "strategi"]
    for c in answer.citations:
        assert c.quote in c.passage_text, c
    assert strategy_goal_answer(assistant, "Hva er mål 9 i strategien?") is None  # no such goal


def test_goal_sections_and_when_questions(assistant: Assistant) -> None:
    assert _in_goal_section("2 Oppsummering > 2.2 Strategiske mål > 2.2.5 Mål 5: Samarbeid", {"5"})
    assert _in_goal_section("Mål 2: Enklere arbeidshverdag > Frem mot 2030 skal vi oppnå", {"2"})
    assert not _in_goal_section("Mål 2: Enklere arbeidshverdag", {"5"})
    assert not _COUNT_Q.search("Hva skal vi oppnå under Mål 5 når det gjelder finansiering?")
    assert _COUNT_Q.search("Når var høringsfristen?")


def test_what_a_goal_says_is_read_in_the_strategy_not_in_the_summary_of_its_inputs(
    assistant: Assistant,
) -> None:
    """The summary has a section per goal too ("2.2.5 Mål 5 …"), but it reports what respondents said."""
    answer = assistant.ask("Hva sier Mål 5 om internasjonalt samarbeid?")
    assert answer.citations and {c.kind for c in answer.citations} == {"strategi"}
    assert any("spesielt med EU og Norden" in c.quote for c in answer.citations)


def test_a_year_the_documents_never_mention_is_unanswerable(assistant: Assistant) -> None:
    from assistant.answer.pipeline import extractive_answerer

    answerer = extractive_answerer(assistant)
    question = "What did the 2026 midterm evaluation of the strategy conclude?"
    assert answerer.evidence(question, [])["unknown_years"] == 1
    assert answerer.evidence("Hva skal vi oppnå frem mot 2030 under Mål 3?", [])["unknown_years"] == 0
    vector = np.asarray(assistant.embeddings.embed_query(question), dtype=np.float32)
    assert answerer.answer(question, vector, assistant.retrieve(question, k=8)).abstained


def test_the_passages_nearest_in_meaning_are_offered_to_the_answer(assistant: Assistant) -> None:
    question = "Hvor mye av klimautslippene i landet kommer fra helsevesenet?"
    fused, closest = assistant.retriever.search_with_closest(question, 8, closest=3)
    assert fused == assistant.retrieve(question, k=8)
    sims = [p.dense_similarity or 0.0 for p in closest]
    assert len(closest) == 3 and sims == sorted(sims, reverse=True) and sims[0] > 0.8
    shared = assistant.lexical().by_id[closest[0].chunk_id]
    assert closest[0] is not shared and shared.dense_similarity is None  # copies, the index is untouched
    _, only_imdi = assistant.retriever.search_with_closest(question, 8, {"source": "horingssvar-imdi"}, 3)
    assert {p.source for p in only_imdi} == {"horingssvar-imdi"}
    answer = assistant.ask(question)
    assert closest[0].chunk_id in {p.chunk_id for p in answer.passages}


@pytest.mark.parametrize(
    ("question", "scoped"),
    [
        ("Hva sier den endelige strategien om dobbeltregistrering?", True),
        ("Hva er visjonen i Nasjonal e-helsestrategi?", True),
        ("What does the strategy say about cloud services?", True),
        ("Hva sa IMDi om dobbeltregistrering?", False),
    ],
)
def test_questions_that_point_at_the_strategy_are_recognised(question: str, scoped: bool) -> None:
    assert asks_about_strategy(question) is scoped


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
    assert referenced_sources(assistant, question) == sources


def test_a_named_response_is_quoted_even_when_fusion_prefers_other_documents(assistant: Assistant) -> None:
    question = "Hva mente næringsaktøren om visjonen og de strategiske målene?"
    answer = assistant.ask(question)
    assert any(
        c.source == "horingssvar-naringsaktor" and "enig i visjonen" in c.quote for c in answer.citations
    ), answer.text
