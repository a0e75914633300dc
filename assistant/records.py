"""The records the structure readers stored at ingest (``records["result_goals"]``, ``records["hearing"]``),
as typed results: result goals, citizen needs and hearing responses.
"""

from __future__ import annotations

from typing import Any

from assistant.ports import RecordStore
from core.types import HearingResponse, ResultGoal

SUPPORT_LABELS = {"ja": "ja", "nei": "nei", "vet ikke": "vet ikke"}
NOT_ON_FORM = "ikke på skjema"


def result_goals(store: RecordStore) -> list[ResultGoal]:
    """All result goals of all operasjonalisering documents, by source then number."""
    goals: list[ResultGoal] = []
    for doc in store.documents():
        if doc.info.kind != "operasjonalisering":
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


def result_needs(store: RecordStore) -> list[dict[str, Any]]:
    """Citizen needs as listed in the tables, with their goal numbers (possibly none)."""
    needs: list[dict[str, Any]] = []
    for doc in store.documents():
        if doc.info.kind == "operasjonalisering":
            needs.extend({**n, "source": doc.info.source} for n in doc.records.get("result_needs", []))
    return needs


def hearing_responses(store: RecordStore) -> list[HearingResponse]:
    """One entry per høringssvar document; those off the form have ``on_form=False``."""
    out: list[HearingResponse] = []
    for doc in store.documents():
        if doc.info.kind != "høringssvar":
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
            )
        )
    return out


def response_label(r: HearingResponse) -> str:
    return r.organisation or r.title or r.source


def support_label(r: HearingResponse) -> str:
    """What listings show for question 1: ja / nei / vet ikke / ikke besvart / ikke på skjema."""
    if not r.on_form:
        return NOT_ON_FORM
    return SUPPORT_LABELS.get(r.supports_goals or "", "ikke besvart")


def supports_quotes(store: RecordStore) -> dict[str, dict[str, Any]]:
    """Per høringssvar on the form, the quote of what it ticked for question 1 (``text``, ``page``)."""
    return {
        d.info.source: d.records["hearing"]["supports_quote"]
        for d in store.documents()
        if d.info.kind == "høringssvar" and (d.records.get("hearing") or {}).get("supports_quote")
    }
