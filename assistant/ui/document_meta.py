"""What the «Dokumenter» tab offers and asks about a document: the kinds an upload can be given, the
organisations already known, and the question before a removal (which says when a document is bundled)."""

from __future__ import annotations

import contextlib
from pathlib import Path

from assistant.api import Assistant
from assistant.errors import DocumentError
from assistant.types import DocumentInfo
from assistant.ui.sources import esc_markdown, kind_label
from ingest.manifest import read_manifest

AUTO_KIND = "Finn ut selv"  # no kind given: a file on the hearing form is a høringssvar, others a dokument


def corpus_kinds(assistant: Assistant) -> list[str]:
    """The kinds of the corpus: those in the index and those the corpus manifest uses, in the profile's
    order, with the kind for other documents always offered."""
    profile = assistant.profile
    kinds = {d.kind for d in assistant.documents()}
    # A broken manifest is reported by ingest; the index's kinds are still offered.
    with contextlib.suppress(DocumentError):
        manifest = read_manifest(assistant.settings.corpus_dir, list(profile.known_kinds()))
        kinds |= {e.kind for e in manifest.values() if e.kind}
    other = profile.kinds_of("other")
    known = [k for k in profile.known_kinds() if k in kinds or k in other]
    return known + sorted(kinds - set(known))


def kind_choices(assistant: Assistant) -> list[tuple[str, str]]:
    return [(AUTO_KIND, "")] + [(kind_label(k, assistant.profile), k) for k in corpus_kinds(assistant)]


def organisation_choices(docs: list[DocumentInfo]) -> list[str]:
    return sorted({d.organisation for d in docs if d.organisation}, key=str.lower)


def is_bundled(assistant: Assistant, source: str) -> bool:
    """Was the document read from the corpus folder (rather than uploaded here or elsewhere)?"""
    corpus = assistant.settings.corpus_dir.resolve()
    for doc in assistant.store.documents():
        if doc.info.source == source and doc.path:
            return Path(doc.path).resolve().is_relative_to(corpus)
    return False


def removal_question(assistant: Assistant, source: str) -> str:
    """What the confirmation asks before a document is removed; says so when it is a bundled one."""
    info = next((d for d in assistant.documents() if d.source == source), None)
    if info is None:
        return f"Fant ikke dokumentet «{esc_markdown(source)}» i indeksen. Oppdater listen."
    text = (
        f"**Vil du fjerne «{esc_markdown(info.title)}»** ({esc_markdown(source)})? Dokumentet og alle "
        f"{info.passages} tekstbitene fjernes fra indeksen, og svarene bygger ikke lenger på det."
    )
    if is_bundled(assistant, source):
        text += (
            f"\n\n**Dette er et av de medfølgende dokumentene** (fra korpusmappen "
            f"`{assistant.settings.corpus_dir.name}`), ikke et du har lastet opp. Filen blir liggende, og "
            "dokumentet kommer tilbake neste gang korpusmappen leses inn (`python -m assistant ingest`)."
        )
    return text
