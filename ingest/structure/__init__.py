"""Readers for the documents' own structure (result-goal tables, the hearing form), chosen by kind."""

from __future__ import annotations

from typing import Any

from core.types import Passage
from ingest.chunking import DocumentMeta
from ingest.loaders import Page
from ingest.manifest import ManifestEntry
from ingest.profile import CorpusProfile


def read_structure(
    meta: DocumentMeta, pages: list[Page], entry: ManifestEntry | None, profile: CorpusProfile | None = None
) -> tuple[dict[str, Any], list[Passage]]:
    """Return (records to store with the document, extra passages to index) for the document's kind's role
    in the profile (None: the standard kinds)."""
    profile = profile or CorpusProfile()
    if meta.kind in profile.kinds_of("operationalisation"):
        from ingest.structure.resultgoals import goal_passages, read_result_goals

        goals, needs = read_result_goals(pages, profile)
        return {"result_goals": goals, "result_needs": needs}, goal_passages(meta, goals, profile.need_column)
    if meta.kind in profile.kinds_of("hearing_response"):
        from ingest.structure.hearing import read_hearing

        return {"hearing": read_hearing(pages, entry, profile)}, []
    return {}, []
