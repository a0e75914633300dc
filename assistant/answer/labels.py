"""Lead-ins that name a quote's source: the kind's label from the corpus profile (or the document's title),
the sender of a hearing response, and the section's clean name («Visjon», not «2.1 Visjon»)."""

from __future__ import annotations

import re

from assistant.types import Passage
from ingest.profile import CorpusProfile

_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?|[IVX]+\.)\s+")
_BRACKETS = re.compile(r"\s*\([^)]*\)\s*")
MAX_SECTION_CHARS = 80


def clean_section(section: str) -> str:
    """The section's own heading without its numbering ("2 Oppsummering av …" -> "Oppsummering av …")."""
    heading = section.rsplit(" > ", 1)[-1].strip()
    return _NUMBERING.sub("", heading).strip()


def source_name(p: Passage, profile: CorpusProfile) -> str:
    """How an answer names the document: "Strategien", "Høringssvaret fra IMDi", «title»."""
    kind = profile.kinds.get(p.kind)
    if kind is not None and kind.role == "hearing_response":
        short = re.search(r"\(([^)]+)\)\s*$", p.organisation or "")
        org = short.group(1) if short else p.organisation
        if org:
            return f"{kind.label or 'Høringssvaret'} fra {org}"
        return _BRACKETS.sub(" ", p.title).strip() or p.source
    if kind is not None and kind.label:
        return kind.label
    return f"«{_BRACKETS.sub(' ', p.title).strip() or p.source}»"


def lead_in(p: Passage, profile: CorpusProfile) -> str:
    """The source's name and, when it helps, its section: "Strategien, «Visjon»"."""
    name = source_name(p, profile)
    section = clean_section(p.section)
    if not section or len(section) > MAX_SECTION_CHARS or section.casefold() in name.casefold():
        return name
    if section.casefold() in p.title.casefold():
        return name
    return f"{name}, «{section}»"
