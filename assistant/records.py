"""The records the structure readers stored at ingest (``records["result_goals"]``, ``records["hearing"]``),
as typed results: result goals, citizen needs and hearing responses.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from assistant.ports import RecordStore
from core.types import HearingResponse, ResultGoal
from ingest.profile import CorpusProfile

NOT_ON_FORM = "ikke på skjema"


def kinds_or_standard(kinds: Collection[str] | None, role: str) -> Collection[str]:
    """``kinds`` (the profile's kinds of ``role``), or with None the standard kinds of it."""
    return kinds if kinds is not None else CorpusProfile().kinds_of(role)


def result_goals(store: RecordStore, kinds: Collection[str] | None = None) -> list[ResultGoal]:
    """All result goals of all operationalisation documents (of ``kinds``), by source then number."""
    kinds = kinds_or_standard(kinds, "operationalisation")
    goals: list[ResultGoal] = []
    for doc in store.documents():
        if doc.info.kind not in kinds:
            continue
        for g in doc.records.get("result_goals", []):
            goals.append(
                ResultGoal(
                    number=int(g["number"]),
                    text=str(g["text"]),
                    need=str(g["need"]),
                    area=str(g["area"]),
                    source=doc.info.source,
                    page=int(g["page"]),
                )
            )
    return sorted(goals, key=lambda g: (g.source, g.number))


def result_needs(store: RecordStore, kinds: Collection[str] | None = None) -> list[dict[str, Any]]:
    """Citizen needs as listed in the tables, with their goal numbers (possibly none)."""
    kinds = kinds_or_standard(kinds, "operationalisation")
    needs: list[dict[str, Any]] = []
    for doc in store.documents():
        if doc.info.kind in kinds:
            needs.extend({**n, "source": doc.info.source} for n in doc.records.get("result_needs", []))
    return needs


def hearing_responses(store: RecordStore, kinds: Collection[str] | None = None) -> list[HearingResponse]:
    """One entry per hearing response (a document of ``kinds``); those off the form have ``on_form=False``."""
    kinds = kinds_or_standard(kinds, "hearing_response")
    out: list[HearingResponse] = []
    for doc in store.documents():
        if doc.info.kind not in kinds:
            continue
        rec = doc.records.get("hearing") or {}
        out.append(
            HearingResponse(
                source=doc.info.source,
                organisation=str(rec.get("organisation") or doc.info.organisation or ""),
                category=rec.get("category"),
                supports_goals=rec.get("supports_goals"),
                answers=dict(rec.get("answers") or {}),
                on_form=bool(rec.get("on_form", False)),
                title=doc.info.title,
                questions={str(k): str(v) for k, v in (rec.get("questions") or {}).items()},
            )
        )
    return out


def response_label(r: HearingResponse) -> str:
    return r.organisation or r.title or r.source


def support_label(r: HearingResponse, options: Collection[str] | None = None) -> str:
    """What listings show for the support question: the ticked option of the form's ``options`` (None: ja / nei /
    vet ikke), ikke besvart or ikke på skjema."""
    if not r.on_form:
        return NOT_ON_FORM
    known = options if options is not None else CorpusProfile().form_options
    value = r.supports_goals or ""
    return value if value in known else "ikke besvart"


def supports_quotes(store: RecordStore, kinds: Collection[str] | None = None) -> dict[str, dict[str, Any]]:
    """Per hearing response on the form, the quote of what it ticked for the support question (``text``,
    ``page``)."""
    kinds = kinds_or_standard(kinds, "hearing_response")
    return {
        d.info.source: d.records["hearing"]["supports_quote"]
        for d in store.documents()
        if d.info.kind in kinds and (d.records.get("hearing") or {}).get("supports_quote")
    }
