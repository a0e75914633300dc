"""The corpus profile (ingest/profile.py): the bundled one reads, and a mistake names the file, the key and
the fix."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from assistant.errors import ConfigError, DocumentError
from assistant.goal_coverage import strategy_bullets
from assistant.strategy_goals import goal_count
from core.types import Passage
from ingest.documents import parse_document
from ingest.loaders import Page
from ingest.manifest import ManifestEntry, guess_kind, read_manifest
from ingest.profile import CorpusProfile, load_profile
from ingest.sections import split_sections
from ingest.structure.hearing import read_hearing
from ingest.structure.resultgoals import read_result_goals

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "data" / "corpus" / "profile.toml"


def test_the_bundled_profile_names_every_bundled_kind() -> None:
    profile = load_profile(BUNDLED)
    assert profile.role("strategi") == "strategy"
    assert profile.role("høringsoppsummering") == "hearing_summary"
    assert profile.kinds_with_role("hearing_response") == ["høringssvar"]
    pattern = profile.handling_pattern()
    assert pattern is not None and pattern.search("Dette er presisert i Mål 5")
    assert not pattern.search("Dette er en setning om noe annet")


def test_no_profile_is_an_empty_profile(tmp_path: Path) -> None:
    profile = load_profile(tmp_path / "profile.toml")
    assert profile == CorpusProfile(path=str(tmp_path / "profile.toml"))
    assert profile.role("strategi") == "other" and profile.handling_pattern() is None


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('[kinds.strategi]\nrole = "strategy"\nlabels = "Strategien"\n', "'labels'"),
        ('[kinds.strategi]\nrole = "plan"\n', "'plan'"),
        ('[hearing]\nhandling_terms = "presisert"\n', "handling_terms"),
        ('[heraing]\nhandling_terms = ["presisert"]\n', "'heraing'"),
        ("[kinds.strategi\n", "TOML"),
        ('[kinds.strategi]\nrole = "strategy"\ntitle = 3\n', "title"),
        ('[goals]\ngoal_word = ["mål"]\n', "'goal_word'"),
        ('[goals]\nresult_goal_words = "resultatmål"\n', "result_goal_words"),
        ('[goals]\noutcome_heading = "Frem mot (\\\\d{4} skal vi"\n', "outcome_heading"),
        ("[goals]\noutcome_heading = 2030\n", "outcome_heading"),
        ('[hearing.form]\noption = ["Ja"]\n', "'option'"),
        ('[hearing.form]\noptions = ["Ja", "Nei"]\nsupport = "Kanskje"\n', "support"),
        ("[hearing.form]\nquestions = 0\n", "questions"),
        ("[hearing.form]\nquestions = 5\nsupport_question = 6\n", "support_question"),
        ('[hearing.form]\nsupport_question = "2"\n', "support_question"),
        ("[hearing.form]\nsupport_question = true\n", "support_question"),
        ("[hearing.form]\ngoal_question = 5\n", "goal_question"),  # more than the default 4 questions
        ("[hearing.form]\ngoal_question = 1\n", "goal_question"),  # the support question's number
        ('[hearing.form]\norganisation_label = ["Navn"]\n', "'organisation_label'"),
        ('[hearing.form]\norganisation_labels = "Navn"\n', "organisation_labels"),
        ('[hearing.form]\ncategory_labels = [""]\n', "category_labels"),
        ("[hearing.form]\nmarkers = [3]\n", "markers"),
        ("[hearing.form]\nsupport_words = true\n", "support_words"),
        ('[result_goals]\nneed_columns = "Behov"\n', "'need_columns'"),
        ("[result_goals]\ngoal_column = 3\n", "goal_column"),
        ('[result_goals]\nneed_starts = "Jeg"\n', "need_starts"),
        ('[result_goals]\nneed_starts = ["Jeg", " "]\n', "need_starts"),
        ('[goals]\ncoverage_goals = "1"\n', "coverage_goals"),
        ("[goals]\ncoverage_goals = [0]\n", "coverage_goals"),
        ("[goals]\ncoverage_goals = [true]\n", "coverage_goals"),
    ],
)
def test_a_mistake_names_the_file_and_the_key(tmp_path: Path, text: str, named: str) -> None:
    path = tmp_path / "profile.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_profile(path)
    message = str(caught.value)
    assert str(path) in message and named in message


def _profile(tmp_path: Path, text: str) -> CorpusProfile:
    path = tmp_path / "profile.toml"
    path.write_text(text, encoding="utf-8")
    return load_profile(path)


def test_kinds_are_found_by_their_role_and_titled(tmp_path: Path) -> None:
    profile = _profile(
        tmp_path,
        '[kinds.handlingsplan]\nrole = "strategy"\ntitle = "Handlingsplan"\n'
        '[kinds.innspill]\nrole = "hearing_response"\n[kinds.notat]\nrole = "other"\n',
    )
    assert profile.kinds_of("strategy") == ["handlingsplan"]
    assert profile.kind_title("handlingsplan") == "Handlingsplan"
    assert profile.kind_title("innspill") == "Innspill"  # no title: the name, capitalised
    form = "Kan dere stille dere bak de fem strategiske målene? ☒ Ja"
    assert (guess_kind(form, profile), guess_kind("Et notat.", profile)) == ("innspill", "notat")
    # A profile without kinds: the standard (bundled) ones, as before profiles.
    assert CorpusProfile().kinds_of("hearing_response") == ["høringssvar"]
    assert CorpusProfile().kind_title("høringsoppsummering") == "Høringsoppsummering"


def test_a_manifest_kind_must_be_one_of_the_profiles(tmp_path: Path) -> None:
    (tmp_path / "sources.toml").write_text('[[document]]\nfile = "a.md"\nkind = "strategi"\n')
    assert read_manifest(tmp_path)["a.md"].kind == "strategi"
    with pytest.raises(DocumentError) as caught:
        read_manifest(tmp_path, ["handlingsplan"])
    assert "handlingsplan" in str(caught.value)


@dataclass
class _Passages:
    passages: list[Passage] = field(default_factory=list)

    def all_passages(self) -> list[Passage]:
        return self.passages


@dataclass
class _Corpus:
    store: _Passages
    profile: CorpusProfile


PLAN = """# Mål 1: Bedre tjenester for innbyggerne

## Frem mot 2030 skal vi oppnå

- Alle innbyggere kan se sine helseopplysninger digitalt.
- Kommunene bruker felles løsninger for velferdsteknologi.
"""


def test_a_strategy_kind_of_another_name_is_read_as_the_strategy(tmp_path: Path) -> None:
    """A profile that calls its strategy «handlingsplan»: goal coverage reads that document's bullets."""
    profile = _profile(tmp_path, '[kinds.handlingsplan]\nrole = "strategy"\nlabel = "Handlingsplanen"\n')
    plan = tmp_path / "plan.md"
    plan.write_text(PLAN, encoding="utf-8")
    doc = parse_document(plan, ManifestEntry(file="plan.md", kind="handlingsplan"), profile=profile)
    bullets = strategy_bullets(_Corpus(_Passages(doc.passages), profile), 1)
    assert [b for b, _ in bullets] == [
        "Alle innbyggere kan se sine helseopplysninger digitalt.",
        "Kommunene bruker felles løsninger for velferdsteknologi.",
    ]
    assert strategy_bullets(_Corpus(_Passages(doc.passages), CorpusProfile()), 1) == []


def test_goal_words_come_from_the_profile_and_any_number_is_a_goal(tmp_path: Path) -> None:
    profile = _profile(tmp_path, '[goals]\ngoal_words = ["målsetting"]\nresult_goal_words = ["tiltak"]\n')
    assert profile.goal_heading().match("Målsetting 12: Bedre helse")
    assert not profile.goal_heading().match("Mål 1: Bedre helse")
    assert re.search(profile.result_goal_word(), "hva er tiltakene?")
    default = CorpusProfile()
    assert default.goal_heading().match("Mål 12: Bedre helse") and default.goal_title().match("Mål 6: X")
    assert re.search(default.result_goal_word(), "hva er result-goals 3?")
    text = "Innledning\n\nMålsetting 11: Bedre helse\n\nVi skal bli bedre.\n"
    titles = [s.title for s in split_sections([Page(1, text)], profile) if s.path]
    assert "Målsetting 11: Bedre helse" in titles


def test_answers_name_as_many_goals_as_the_strategy_has(tmp_path: Path) -> None:
    profile = _profile(tmp_path, '[kinds.plan]\nrole = "strategy"\n')
    plan = tmp_path / "plan.md"
    plan.write_text(PLAN + "\n# Mål 12: Felles data\n\nData deles.\n", encoding="utf-8")
    doc = parse_document(plan, ManifestEntry(file="plan.md", kind="plan"), profile=profile)
    assert goal_count(_Corpus(_Passages(doc.passages), profile)) == 2


def test_the_outcome_heading_comes_from_the_profile(tmp_path: Path) -> None:
    profile = _profile(tmp_path, '[goals]\noutcome_heading = "Innen \\\\d{4} skal vi ha nådd"\n')
    assert profile.outcome_heading == r"Innen \d{4} skal vi ha nådd"
    assert profile.outcome_pattern().match("Innen 2035 skal vi ha nådd:")
    assert CorpusProfile().outcome_pattern().match("Frem mot 2030 skal vi oppnå")
    plan = tmp_path / "plan.md"
    plan.write_text(
        PLAN.replace("Frem mot 2030 skal vi oppnå", "Innen 2035 skal vi ha nådd"), encoding="utf-8"
    )
    profile = _profile(
        tmp_path,
        '[kinds.plan]\nrole = "strategy"\n[goals]\noutcome_heading = "Innen \\\\d{4} skal vi ha nådd"\n',
    )
    doc = parse_document(plan, ManifestEntry(file="plan.md", kind="plan"), profile=profile)
    assert len(strategy_bullets(_Corpus(_Passages(doc.passages), profile), 1)) == 2


FORM = """Navn på virksomheten: Testkommunen

1) Kan dere stille dere bak de strategiske målene?
☐ Yes ☒ Partly ☐ No
Vi mener målene er for brede.

2) Har dere innspill til målene?
Målene henger godt sammen.
Mål 7: Felles data
Dataene må deles.

3) Har dere innspill til oppfølgingen?
Ja, følg opp årlig.

4) Har dere innspill til tiltakene?
Nei.

5) Andre innspill?
Takk for oss.
"""


def test_the_hearing_form_comes_from_the_profile(tmp_path: Path) -> None:
    form = '[hearing.form]\noptions = ["Yes", "No", "Partly"]\nsupport = "Yes"\ndisagreement = "No"\nquestions = 5\n'
    profile = _profile(tmp_path, form)
    assert (profile.form_options, profile.form_support, profile.form_disagreement) == (
        ("yes", "no", "partly"),
        "yes",
        "no",
    )
    assert (profile.form_unsure(), profile.form_questions) == ("partly", 5)
    record = read_hearing([Page(1, FORM)], None, profile)
    assert record["on_form"] and record["supports_goals"] == "partly"
    assert record["supports_quote"]["text"] == "☒ Partly"
    assert list(record["answers"]) == ["1", "2", "mål 7", "3", "4", "5"]
    assert read_hearing([Page(1, FORM)], None)["supports_goals"] is None  # not the bundled form's options
    assert CorpusProfile().form_unsure() == "vet ikke"


TABLE = (
    "Vi har kartlagt behov.\nTrygg hverdag\nBrukerens behov | Tiltak/mål\nJeg vet hvem jeg skal kontakte\n"
    "1. Innbygger finner riktig kontaktpunkt på nett\nJeg får varsler\n2. Innbygger varsles ved endring\n"
)


def test_the_result_goal_table_is_found_by_the_profiles_column_headers(tmp_path: Path) -> None:
    profile = _profile(
        tmp_path, '[result_goals]\nneed_column = "Brukerens behov"\ngoal_column = "Tiltak / mål"\n'
    )
    assert (profile.need_column, profile.goal_column) == ("Brukerens behov", "Tiltak / mål")
    goals, needs = read_result_goals([Page(1, TABLE)], profile)
    assert [(g["number"], g["area"]) for g in goals] == [(1, "Trygg hverdag"), (2, "Trygg hverdag")]
    assert [n["need"] for n in needs] == ["Jeg vet hvem jeg skal kontakte", "Jeg får varsler"]
    assert read_result_goals([Page(1, TABLE)]) == ([], [])  # not the bundled table's header


def test_a_mistake_in_the_new_keys_says_the_fix(tmp_path: Path) -> None:
    for text, fix in (
        ('[result_goals]\nneed_starts = "Jeg"\n', 'need_starts = ["Jeg"]'),
        ('[goals]\ncoverage_goals = "1"\n', "e.g. [1, 2]"),
    ):
        (tmp_path / "profile.toml").write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError, match=re.escape(fix)):
            load_profile(tmp_path / "profile.toml")


FLAT_TABLE = (
    "Trygg hverdag\nBrukerens behov | Tiltak/mål\nSom bruker vil jeg vite hvem jeg skal kontakte "
    "1. Innbygger finner riktig kontaktpunkt på nett Som bruker vil jeg få varsler 2. Innbygger varsles\n"
)


def test_need_starts_split_a_flattened_table_and_default_to_jeg(tmp_path: Path) -> None:
    assert CorpusProfile().need_starts == ("Jeg",) and load_profile(BUNDLED).need_starts == ("Jeg",)
    header = '[result_goals]\nneed_column = "Brukerens behov"\ngoal_column = "Tiltak / mål"\n'
    profile = _profile(tmp_path, header + 'need_starts = ["Som bruker"]\n')
    assert profile.need_starts == ("Som bruker",)  # case kept
    goals, needs = read_result_goals([Page(1, FLAT_TABLE)], profile)
    assert [n["need"] for n in needs] == [
        "Som bruker vil jeg vite hvem jeg skal kontakte",
        "Som bruker vil jeg få varsler",
    ]
    assert [(g["number"], g["text"]) for g in goals] == [
        (1, "Innbygger finner riktig kontaktpunkt på nett"),
        (2, "Innbygger varsles"),
    ]
    # With the default («Jeg») the second need is read as the first goal's text.
    default, _ = read_result_goals([Page(1, FLAT_TABLE)], _profile(tmp_path, header))
    assert "Som bruker vil jeg få varsler" in default[0]["text"]


PIPE_TABLE = """# Plan

## Trygg hverdag

| Nr | Tiltak / mål | Brukerens behov |
|:---|---|---|
| a | 1. Innbygger finner riktig kontaktpunkt | Jeg vet hvem jeg skal kontakte |
| b | 2. Innbygger får svar innen 2 dager | Jeg vet hvem jeg skal kontakte |
| c | 3. Innbygger varsles ved endring<br>4. Innbygger kan velge kanal | Jeg får varsler |
| d | 5. Innbygger ser historikken |  |

Tekst under tabellen.
"""


def test_a_pipe_table_is_read_by_its_cells_in_any_column_order(tmp_path: Path) -> None:
    profile = _profile(
        tmp_path, '[result_goals]\nneed_column = "Brukerens behov"\ngoal_column = "Tiltak/mål"\n'
    )
    goals, needs = read_result_goals([Page(1, PIPE_TABLE)], profile)
    assert [(g["number"], g["text"]) for g in goals] == [
        (1, "Innbygger finner riktig kontaktpunkt"),
        (2, "Innbygger får svar innen 2 dager"),  # a number inside the text is text
        (3, "Innbygger varsles ved endring"),
        (4, "Innbygger kan velge kanal"),
        (5, "Innbygger ser historikken"),  # an empty need cell: the need of the row above
    ]
    assert {g["area"] for g in goals} == {"Trygg hverdag"}
    assert [(n["need"], n["goals"]) for n in needs] == [
        ("Jeg vet hvem jeg skal kontakte", [1, 2]),  # one need over two rows
        ("Jeg får varsler", [3, 4, 5]),
    ]
    assert read_result_goals([Page(1, PIPE_TABLE)]) == ([], [])  # not the bundled table's headers


LAERING_FORM = """Innspillskjema

Virksomhetens navn: Fjellbygda skole
Type virksomhet: Skole

1) Hvordan vurderer dere situasjonen?

Dekkende.

2) Er dere enige i de fire målsettingene?

☐ Enig ☒ Uenig ☐ Vet ikke

Vi er uenige i målsetting 2.

3) Kommentarer til den enkelte målsettingen

Målsetting 2: Bør strykes.

4) Andre innspill

Ingen.
"""
LAERING_PROFILE = """[hearing.form]
options = ["Enig", "Uenig", "Vet ikke"]
support = "Enig"
disagreement = "Uenig"
questions = 4
support_question = 2
goal_question = 3
support_words = ["målsetting"]
organisation_labels = ["Virksomhetens navn"]
category_labels = ["Type virksomhet"]
markers = ["er dere enige i de fire målsettingene"]
[goals]
goal_words = ["målsetting"]
"""


def test_the_bundled_profile_states_the_default_form() -> None:
    """The bundled profile's [hearing.form] is what a profile without it reads (the defaults)."""
    bundled, default = load_profile(BUNDLED), CorpusProfile()
    keys = [k for k in CorpusProfile.__dataclass_fields__ if k.startswith("form_")]
    assert [getattr(bundled, k) for k in keys] == [getattr(default, k) for k in keys]
    assert (default.form_support_question, default.form_goal_question) == (1, 2)


def test_the_support_and_goal_questions_and_the_labels_come_from_the_profile(tmp_path: Path) -> None:
    profile = _profile(tmp_path, LAERING_PROFILE)
    assert (profile.form_support_question, profile.form_goal_question) == (2, 3)
    assert profile.form_organisation_labels == ("virksomhetens navn",)
    record = read_hearing([Page(1, LAERING_FORM)], None, profile)
    assert record["on_form"] and (record["organisation"], record["category"]) == ("Fjellbygda skole", "Skole")
    assert (record["supports_goals"], record["supports_quote"]["text"]) == ("uenig", "☒ Uenig")
    assert record["answers"]["2"]["text"] == "Vi er uenige i målsetting 2."
    assert record["answers"]["mål 2"]["text"] == "Bør strykes."  # the comment on the goal's own line
    assert list(record["answers"]) == ["1", "2", "mål 2", "4"]
    assert record["questions"]["2"] == "Er dere enige i de fire målsettingene?"
    assert record["questions"]["4"] == "Andre innspill"
    # The bundled form reads none of it: its support question 1 asks about «strategiske mål».
    assert not read_hearing([Page(1, LAERING_FORM)], None)["on_form"]
    # Without the support words in question 2, the document is not on the form.
    other = LAERING_FORM.replace("de fire målsettingene", "forslaget")
    assert not read_hearing([Page(1, other)], None, profile)["on_form"]
    assert guess_kind(LAERING_FORM, profile) == "høringssvar"  # the marker; the standard kind
    assert guess_kind(LAERING_FORM) == "dokument" and guess_kind(other, profile) == "dokument"
