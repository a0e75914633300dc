"""The profile's [app] section (ingest/profile_app.py): the chat's subject and example questions are the
collection's, read and checked like every other key."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import ConfigError
from ingest.profile import load_profile
from ingest.profile_app import AppText

REPO = Path(__file__).resolve().parent.parent


def test_the_bundled_and_the_second_collection_name_themselves() -> None:
    bundled = load_profile(REPO / "data" / "corpus" / "profile.toml").app
    assert "e-helsestrategi" in bundled.subject
    assert [label for label, _ in bundled.examples] == ["Høringsbehandling", "Resultatmål", "Evaluering"]
    assert all(len(questions) == 2 for _, questions in bundled.examples)
    second = load_profile(REPO / "tests" / "data" / "laering" / "profile.toml").app
    assert "digital læring" in second.subject and "e-helse" not in str(second)


def test_without_the_section_the_chat_speaks_of_the_documents(tmp_path: Path) -> None:
    assert load_profile(tmp_path / "profile.toml").app == AppText("dokumentene", ())


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('[app]\nsubjekt = "x"\n', "'subjekt'"),
        ('[app]\nsubject = ""\n', "subject"),
        ('[app]\nexamples = ["Hva?"]\n', "examples"),
        ('[app.examples]\n"Høringen" = "Hva?"\n', '"Høringen"'),
        ('[app.examples]\n"Høringen" = []\n', '"Høringen"'),
    ],
)
def test_a_mistake_in_the_app_section_names_the_file_and_the_key(
    tmp_path: Path, text: str, named: str
) -> None:
    path = tmp_path / "profile.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_profile(path)
    assert str(path) in str(caught.value) and named in str(caught.value)
