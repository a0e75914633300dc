"""The corpus profile (ingest/profile.py): the bundled one reads, and a mistake names the file, the key and
the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import ConfigError
from ingest.profile import CorpusProfile, load_profile

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
    ],
)
def test_a_mistake_names_the_file_and_the_key(tmp_path: Path, text: str, named: str) -> None:
    path = tmp_path / "profile.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_profile(path)
    message = str(caught.value)
    assert str(path) in message and named in message
