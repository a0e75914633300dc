"""The question against the documents' vocabulary: abstention when the documents do not hold what it asks
for (an amount of money no sentence states, a specialised term no document uses; assistant/answer/
coverage.py), and misspelled document words read as the word (assistant/questions.py)."""

from __future__ import annotations

import pytest
from helpers import make_passage

from assistant.answer.coverage import asks_for_amount, general_frequency, missing_terms, states_amount
from assistant.answer.extractive import ABSTAIN_TEXT
from assistant.api import Assistant
from assistant.questions import correct_spelling
from assistant.settings import Settings
from assistant.types import Answer, Passage
from vectorstore.hybrid import ChannelHits
from vectorstore.lexical import one_edit_apart

RARE_BELOW = Settings.model_fields["reader_rare_zipf"].default


@pytest.mark.parametrize(
    ("question", "money"),
    [
        ("Hva er budsjettet for Helsenorge i 2025?", True),
        ("Hvor mye har Helseplattformen kostet totalt?", True),
        ("How many billion kroner has the government set aside for the strategy?", True),
        ("What is the total budget of the programme?", True),
        ("How much of the total health ICT budget is spent on cloud services?", False),  # a share
        ("Hvor mye av IKT-budsjettet brukes på skytjenester?", False),
        ("Hvor mye av klimautslippene kommer fra helsevesenet?", False),  # not money
        ("Hvordan påvirker budsjettet arbeidet med Mål 5?", False),  # not an amount
    ],
)
def test_questions_asking_for_an_amount_of_money(question: str, money: bool) -> None:
    assert asks_for_amount(question) is money


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("Tiltaket har en ramme på 250 mill. kroner.", True),
        ("Kostnaden er anslått til NOK 3 000 per bruker.", True),
        ("Budsjettet økte med 1,2 milliarder.", True),
        ("Fortsatt brukes under 1% av det totale IKT budsjettet for helse på skytjenester.", False),
        ("Budsjettet for 2025 er ikke avklart.", False),
    ],
)
def test_sentences_that_state_an_amount(text: str, amount: bool) -> None:
    assert states_amount(text) is amount


def test_general_frequency_reads_a_word_by_its_uninflected_form() -> None:
    assert general_frequency("utenforskapet") >= 3.0  # "utenforskap", though the definite form is rare
    assert general_frequency("ventetidene") >= 3.0
    assert general_frequency("tenåringer") >= 3.0
    assert general_frequency("blokkjedeteknologi") < RARE_BELOW
    assert general_frequency("kvantedatamaskiner") < RARE_BELOW


def _missing(question: str, vocabulary: set[str]) -> list[tuple[str, bool]]:
    return missing_terms(
        question,
        stem=lambda w: None if w.lower() in {"om", "og", "hva", "sier"} else w.lower(),
        known=lambda s: s in vocabulary,
        resembles_known=lambda s: any(s[:-1] == v or s == v + "p" for v in vocabulary),
        rare_below=RARE_BELOW,
    )


def test_missing_terms_are_rare_words_the_documents_lack() -> None:
    vocabulary = {"strategien", "helsedata", "utenforskap"}
    assert _missing("Hva sier strategien om genomsekvensering?", vocabulary) == [("genomsekvensering", False)]
    # Everyday words the documents happen not to use are paraphrase, not a missing subject.
    assert _missing("Hva sier strategien om tenåringer?", vocabulary) == []
    # A misspelling of a word the documents use is not a missing subject.
    assert _missing("Hva sier strategien om utenforskapp?", vocabulary) == []
    # One of several coordinated subjects: the others may still be answered.
    got = _missing("Hva sier strategien om genomsekvensering og helsedata?", vocabulary)
    assert got == [("genomsekvensering", True)]


def _answer(assistant: Assistant, question: str, passages: list[Passage]) -> Answer:
    """The reader's answer when retrieval returned ``passages`` on every channel."""
    reader = assistant.reader()
    scored = [(p, p.dense_similarity or 0.0) for p in passages]
    hits = ChannelHits(dense=scored, lexical=scored, sentences=scored, fused=list(passages))
    return reader.answer_from(reader.read_hits(reader.analyse(question), hits))


def _synthetic(text: str, similarity: float) -> Passage:
    p = make_passage(
        text,
        chunk_id="budget-1",
        source="budsjett",
        title="Budsjett for e-helse",
        kind="strategi",
        section="Økonomi",
    )
    p.dense_similarity = similarity
    return p


def test_an_amount_question_is_answered_only_from_a_sentence_with_an_amount(assistant: Assistant) -> None:
    question = "Hva er budsjettet for Helsenorge i 2025?"
    stated = _synthetic(
        "Helsenorge er innbyggernes inngang til helsetjenestene. Budsjettet for Helsenorge i 2025 er "
        "250 mill. kroner, fordelt på drift og utvikling.",
        0.9,
    )
    answer = _answer(assistant, question, [stated])
    assert not answer.abstained, answer.text
    assert "250 mill. kroner" in answer.text
    assert all("250 mill. kroner" in c.quote for c in answer.citations)
    unstated = _synthetic(
        "Helsenorge er innbyggernes inngang til helsetjenestene. Budsjettet for Helsenorge i 2025 "
        "skal prioritere drift og utvikling.",
        0.9,
    )
    answer = _answer(assistant, question, [unstated])
    assert answer.abstained and answer.text == ABSTAIN_TEXT
    assert answer.notes == ["Dokumentene oppgir ikke noe beløp for dette."]


def test_the_index_knows_near_spellings_of_its_words(assistant: Assistant) -> None:
    lexical = assistant.lexical()
    stem = assistant._stems("utenforskapp")[0]
    assert not lexical.knows(stem) and lexical.resembles(stem)
    assert not lexical.resembles(assistant._stems("blokkjedeteknologi")[0])


def test_a_question_about_a_term_no_document_uses_abstains_and_says_which(assistant: Assistant) -> None:
    answer = assistant.ask("Hvordan skal genomsekvensering brukes i pasientbehandlingen ifølge strategien?")
    assert answer.abstained and answer.citations == []
    assert answer.notes == ["Dokumentene bruker ikke «genomsekvensering»."]


def test_inflected_everyday_words_do_not_make_the_question_unanswerable(assistant: Assistant) -> None:
    answer = assistant.ask("Hva sier strategien om digitalt utenforskapet?")
    assert not answer.abstained and "utenforskap" in answer.text
    assert answer.notes == []


def test_a_missing_term_beside_other_subjects_is_named_and_the_rest_answered(assistant: Assistant) -> None:
    answer = assistant.ask("Hva sier strategien om metaverset, kunstig intelligens og helsedata?")
    assert not answer.abstained and answer.citations
    assert answer.notes[0] == "Dokumentene bruker ikke «metaverset». Svaret gjelder resten av spørsmålet."
    assert "kunstig intelligens" in answer.text


@pytest.mark.parametrize(
    ("a", "b", "slip"),
    [
        ("utenforskapp", "utenforskap", True),  # a letter too many
        ("utenforskap", "utenforskp", True),  # one missing
        ("utenforksap", "utenforskap", True),  # two swapped
        ("utenforskep", "utenforskap", True),  # one replaced
        ("avbestille", "bestille", False),
        ("utenforskap", "utenforskap", False),
        ("kontor", "kantar", False),
    ],
)
def test_one_typing_slip(a: str, b: str, slip: bool) -> None:
    assert one_edit_apart(a, b) is slip


def test_correct_spelling_replaces_only_unseen_words_one_slip_from_a_document_word() -> None:
    document_words = {"utenforskap", "bestille", "tolketjenester"}

    def spelling_of(word: str) -> str | None:
        return next((w for w in document_words if one_edit_apart(word.lower(), w)), None)

    def fix(question: str) -> tuple[str, list[str]]:
        return correct_spelling(
            question,
            known=lambda w: w.lower() in document_words or w.lower() in {"hvordan", "digitalt", "håndtert"},
            spelling_of=spelling_of,
            frequency=general_frequency,
        )

    assert fix("Hvordan ble digitalt utenforksap håndtert?") == (
        "Hvordan ble digitalt utenforskap håndtert?",
        ["Leste «utenforksap» som «utenforskap»."],
    )
    assert fix("Utenforskapp og TOLKETJENESTR") == (
        "Utenforskap og TOLKETJENESTER",
        ["Leste «Utenforskapp» som «Utenforskap».", "Leste «TOLKETJENESTR» som «TOLKETJENESTER»."],
    )
    # A real word the documents lack is left alone, however close it is to one they use.
    assert fix("Kan jeg avbestille timen?") == ("Kan jeg avbestille timen?", [])


def test_a_misspelled_question_is_answered_as_meant_and_says_how_it_was_read(assistant: Assistant) -> None:
    answer = assistant.ask("Hvordan ble digitalt utenforksap håndtert?")
    assert not answer.abstained and answer.citations
    assert answer.notes == ["Leste «utenforksap» som «utenforskap»."]
    assert answer.standalone_question == "Hvordan ble digitalt utenforskap håndtert?"
    assert answer.question == "Hvordan ble digitalt utenforksap håndtert?"  # what the user wrote is kept
    right = assistant.ask("Hvordan ble digitalt utenforskap håndtert?")
    assert [c.quote for c in answer.citations] == [c.quote for c in right.citations]
