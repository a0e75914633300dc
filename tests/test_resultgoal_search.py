"""The result-goal search by meaning, on the bundled operasjonalisering document (real e5, real stemmer,
real Norwegian word list).

The thresholds in assistant/resultgoal_search.py were chosen on the queries below, written down before
the thresholds were set: SHOULD_FIND (what a reader of the 20 goals expects each search to find) and
FIND_NOTHING (topics no goal is about). Measured on the bundled corpus:

- meaning alone (e5, goal + need): a goal is shown when its similarity stands at least 0.04 above the
  median goal. The FIND_NOTHING searches reach at most 0.035 above the median («reseptfornyelse» ->
  goal 8). Over all queries, goals outside the expected sets at 0.03: four; at 0.04: one (goal 5 for
  «mestring», whose need is about «mestringsverktøy»), while 11 of the 40 expected goals pass by
  meaning alone (the letters find the others);
- the letters (stems, compounds): a goal is shown when at least 0.3 of the search (IDF-weighted) is
  found in it. A word found only inside a goal's compound counts 0.6, in a common compound of the search
  word 0.4, so one such word alone is enough, while one common word of a longer search is not
  («psykisk helse» -> «helse» scores 0.17–0.22 and shows nothing);
- common compounds («timer»: «timebestilling», «timeavtale») tie a word to a goal only when they reach two
  of the goal's own distinctive words and at least 0.4 of them: with one word, «sykehus» found goal 6
  through «sykehusbygg» ~ «bygget», «skole» and «transport» did the same.

Not found today (e5-small does not place them; listed so the gaps are known, not asserted): «ungdom»
(goal 17 «Barn og unge …», 0.022 above the median), «veiledning» -> goal 20 (the stemmer makes
«veiledes» «veil»; the need «veileder» of goals 4 and 5 is found), «booke legetime».
"""

from __future__ import annotations

from typing import ClassVar

import pytest

from assistant.api import Assistant
from assistant.lexicon import general_lexicon
from assistant.resultgoal_search import search_goals
from assistant.types import ResultGoal
from vectorstore.lexical import Tokenizer

SHOULD_FIND: dict[str, set[int]] = {
    "timebestilling": {9},
    "timer": {9},
    "time": {9},
    "bestille time": {9},
    "timeavtale": {9},
    "avlyse time": {9},
    "flytte avtaler": {9},
    "helsedata": {1, 2, 12},
    "pårørende": {7, 12},
    "fullmakt": {6, 7},
    "samtykke": {6, 7, 8},
    "språk": {19},
    "flerspråklig": {19},
    "barn": {16, 17},
    "universell utforming": {18},
    "kliniske studier": {8},
    "forskning": {8},
    "dashbord": {2},
    "helseoversikt": {2},
    "varsler": {11},
    "hjemmeoppfølging": {10},
    "oppfølging hjemme": {10},
    "kommunikasjon": {14},
    "rettigheter": {6, 7},
    "helsekontakter": {13},
    "mestring": {4},
    "egenbehandling": {4},
    "samvalg": {5},
}
FIND_NOTHING = [
    "pannekaker",
    "kunstig intelligens",
    "skytjenester",
    "fotball",
    "budsjett",
    "reseptfornyelse",
    "samisk",
    "personvern",
    "blokkjede",
    "ventetid",
    "sykehus",
    "lege",
    "fastlege",
    "kommune",
    "pasient",
    "journal",
    "vaksine",
    "skole",
    "transport",
    "psykisk helse",
]


@pytest.fixture(scope="module")
def goals(assistant: Assistant) -> list[ResultGoal]:
    found = assistant.resultatmal()
    assert len(found) == 20
    return found


@pytest.mark.parametrize("query", sorted(SHOULD_FIND))
def test_search_finds_the_goals_a_reader_expects(assistant: Assistant, query: str) -> None:
    found = assistant.search_goals(query)
    numbers = [h.goal.number for h in found.hits]
    assert SHOULD_FIND[query] <= set(numbers), (query, numbers)
    assert numbers[0] in SHOULD_FIND[query]
    assert all(h.why() for h in found.hits)  # every hit says why


@pytest.mark.parametrize("query", FIND_NOTHING)
def test_search_for_what_no_goal_is_about_finds_nothing(assistant: Assistant, query: str) -> None:
    assert assistant.search_goals(query).hits == []


def test_booking_is_found_with_its_reasons(assistant: Assistant) -> None:
    booking = "Innbygger kan bestille, flytte og avlyse avtaler"
    compound = assistant.search_goals("timebestilling")
    assert [h.goal.text for h in compound.hits] == [booking]
    assert compound.hits[0].why() == "«timebestilling» (delen «bestilling») ~ «bestille» i resultatmålet"

    hours = assistant.search_goals("timer")
    assert [h.goal.text for h in hours.hits] == [booking]
    why = hours.hits[0].why()
    assert "«timebestilling»" in why and "«timeavtale»" in why and "«bestille» og «avtaler»" in why

    phrase = assistant.search_goals("bestille time")
    assert phrase.hits[0].goal.text == booking and "«bestille» i resultatmålet" in phrase.hits[0].why()


def test_meaning_is_a_reason_of_its_own(assistant: Assistant) -> None:
    found = assistant.search_goals("universell utforming")
    assert found.hits[0].goal.number == 18
    assert "nær i betydning" in found.hits[0].why()
    assert found.unmatched == ["universell"]


def test_a_question_frame_can_be_left_out(assistant: Assistant) -> None:
    """The reader asks "Hvilke resultatmål handler om timebestilling?": its frame is not the topic."""
    question = "Hvilke resultatmål handler om timebestilling?"
    assert assistant.search_goals(question).hits == []  # "resultatmål", "handler" are not in any goal
    framed = assistant.search_goals(question, ignore=["hvilke", "resultatmål", "handler", "om"])
    assert [h.goal.number for h in framed.hits] == [9]


def test_a_goal_number_and_a_misspelling(assistant: Assistant) -> None:
    assert assistant.search_goals("9").hits[0].goal.number == 9
    misspelled = assistant.search_goals("helsedtaa")
    assert misspelled.notes == ["Leste «helsedtaa» som «helsedata»."]
    assert {h.goal.number for h in misspelled.hits} == {1, 2, 12}


def test_without_meaning_or_lexicon_the_letters_still_work(goals: list[ResultGoal]) -> None:
    tokenize = Tokenizer()
    plain = search_goals(goals, "avtaler", tokenize=tokenize)
    assert [h.goal.number for h in plain.hits] == [9] and plain.hits[0].meaning_gap == 0.0
    # Without the word list, "timer" has no compounds to go by.
    assert search_goals(goals, "timer", tokenize=tokenize).hits == []
    assert search_goals(goals, "timer", tokenize=tokenize, lexicon=general_lexicon()).hits[0].goal.number == 9
    assert search_goals([], "timer", tokenize=tokenize).hits == []
    assert search_goals(goals, "   ", tokenize=tokenize).hits == []


def test_compounds_of_another_document_on_the_same_rules() -> None:
    """Nothing is keyed to the bundled goals: a made-up table behaves by the same rules."""

    class Lexicon:
        words: ClassVar[dict[str, float]] = {
            "time": 5.0,
            "bestilling": 3.7,
            "avtale": 4.9,
            "timebestilling": 1.8,
            "timeavtale": 1.2,
        }

        def zipf(self, word: str) -> float:
            return self.words.get(word, 0.0)

        def starting(self, prefix: str, limit: int = 400) -> list[tuple[str, float]]:
            return [(w, z) for w, z in self.words.items() if w.startswith(prefix) and w != prefix][:limit]

    made_up = [
        ResultGoal(1, "Pasienten kan bestille og endre avtaler på nett", "Jeg bestemmer når", "Tid", "x", 1),
        ResultGoal(2, "Pasienten leser journalen sin", "Jeg har innsyn", "Innsyn", "x", 1),
        ResultGoal(3, "Pasienten får svar fra legen", "Jeg blir hørt", "Dialog", "x", 1),
        ResultGoal(4, "Pasienten får påminnelser om vaksiner", "Jeg blir minnet på", "Forebygging", "x", 1),
        ResultGoal(5, "Pasienten ser ventetider", "Jeg vet hva som skjer", "Innsyn", "x", 1),
    ]
    found = search_goals(made_up, "timer", tokenize=Tokenizer(), lexicon=Lexicon())
    assert [h.goal.number for h in found.hits] == [1]
    assert search_goals(made_up, "journal", tokenize=Tokenizer(), lexicon=Lexicon()).hits[0].goal.number == 2
