"""Question analysis (assistant/answer/analysis.py) on questions written for these tests: answer types,
language, what a question names, and whether it is elliptical, both ways."""

from __future__ import annotations

import pytest

from assistant.answer.analysis import AnswerType, CorpusTerms, Respondent, analyse, is_english
from vectorstore.lexical import Tokenizer

TERMS = CorpusTerms(
    kind_names={"strategi": ("strategien",), "høringssvar": ("høringssvarene",)},
    handling_question=("håndtert", "fulgt opp"),
    hearing_words=("høring", "innspill"),
    respondents=(
        Respondent("svar-a", "Integrerings- og mangfoldsdirektoratet (IMDi)", "Høringssvar fra IMDi"),
        Respondent("svar-b", "", "Høringssvar fra en aktør i helsenæringen (avsender ikke oppgitt)"),
    ),
)


@pytest.fixture(scope="module")
def stems() -> object:
    tokenizer = Tokenizer()
    return lambda text: tokenizer([text])[0]


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Når åpnet den nye legevakten?", AnswerType.DATE),
        ("Hvilket år kom den første planen?", AnswerType.DATE),
        ("Hvor mange kommuner deltok i prosjektet?", AnswerType.NUMBER),
        ("Hvem leder arbeidsgruppen?", AnswerType.WHO),
        ("Hva heter sykehuset i Bodø?", AnswerType.WHO),
        ("Hvor holder utvalget til?", AnswerType.PLACE),
        ("Hvilke tiltak foreslås for personvern?", AnswerType.LIST),
        ("Hva menes med samstyring?", AnswerType.DEFINITION),
        ("Hvorfor ble planen utsatt?", AnswerType.REASON),
        ("Støtter forbundet forslaget?", AnswerType.YESNO),
        ("Hvordan ble innspillene om tolketjenester håndtert?", AnswerType.HANDLING),
        ("How many hospitals joined the pilot?", AnswerType.NUMBER),
        ("When did the pilot start?", AnswerType.DATE),
        ("Which measures concern privacy?", AnswerType.LIST),
    ],
)
def test_answer_type(stems: object, question: str, kind: AnswerType) -> None:
    assert analyse(question, TERMS, stems).answer_type is kind  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "question",
    [
        "Og forbundet?",
        "Hva med tiltak 4?",
        "Hvorfor skjedde det?",
        "Hvilke av dem gjelder eldre?",
        "Hva mente de om tidsplanen?",
        "Hva sier den om tolking?",
        "Nevnes kunstig intelligens der?",
        "Tiltak 2?",
        "What about the second one?",
    ],
)
def test_elliptical_questions(stems: object, question: str) -> None:
    assert analyse(question, TERMS, stems).elliptical  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "question",
    [
        "Hva er formålet?",
        "Hvem svarte?",
        "Hvilken periode gjelder den reviderte planen for?",
        "Er det et krav om tolk ved videokonsultasjon?",
        "Hva er de tre viktigste tiltakene i planen?",
        "Når trer den nye loven i kraft?",
        "How many responses were there?",
    ],
)
def test_standalone_questions_are_not_elliptical(stems: object, question: str) -> None:
    """Short questions, and questions with "den"/"det"/"de" as article or expletive, stand alone."""
    assert not analyse(question, TERMS, stems).elliptical  # type: ignore[arg-type]


def test_language() -> None:
    assert is_english("Which measures concern booking?")
    assert is_english("What is the vision?")
    assert not is_english("Hva er visjonen?")
    assert not is_english("Hvem er Robert Næss?")  # a name does not make it English
    assert not is_english("Digital kompetanse?")


def test_what_the_question_names(stems: object) -> None:
    a = analyse("Hva sa IMDi om mål 3 og resultatmål 12 i strategien?", TERMS, stems)  # type: ignore[arg-type]
    assert a.goals == (3,) and a.result_goals == (12,)
    assert a.respondents == ("svar-a",) and a.kinds == ("strategi",)
    assert a.about_hearing
    described = analyse("Hva mente næringsaktøren om tidsplanen?", TERMS, stems)  # type: ignore[arg-type]
    assert described.respondents == ("svar-b",)
    assert analyse("Hva er mål 12?", TERMS, stems).goals == (12,)  # type: ignore[arg-type]  # no cap at 5


def test_amount_questions(stems: object) -> None:
    assert analyse("Hva er budsjettet for prosjektet i år?", TERMS, stems).asks_amount  # type: ignore[arg-type]
    assert not analyse("Hvor mye av budsjettet går til drift?", TERMS, stems).asks_amount  # type: ignore[arg-type]


def _names_respondent(text: str) -> tuple[str, ...]:
    """Test double: two responses, one named by its acronym, one described as «aktøren i helsenæringen»."""
    folded = text.casefold()
    return tuple(
        s for s, hit in (("svar-a", "imdi" in folded), ("svar-b", "næringsaktør" in folded)) if hit
    )


@pytest.mark.parametrize(
    ("earlier", "followup", "standalone"),
    [
        ("Hva sa IMDi om tolk?", "Og hva med næringsaktøren?", "Hva sa næringsaktøren om tolk?"),
        ("Hvilke tiltak hører til «Gode valg»?", "Og «Mer selv»?", "Hvilke tiltak hører til «Mer selv»?"),
        ("Hva er mål 1?", "Hva med mål 2?", "Hva er mål 2?"),
        ("Hva sa IMDi om tolk?", "Hvorfor det?", "Hva sa IMDi om tolk? Hvorfor det?"),
    ],
)
def test_a_followup_swaps_the_entity_it_names(earlier: str, followup: str, standalone: str) -> None:
    from assistant.answer.followup import condense_rule_based

    assert condense_rule_based(followup, [earlier], _names_respondent) == standalone
