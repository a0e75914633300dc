"""The conversation as a Markdown file a user can keep, with every citation spelled out."""

from __future__ import annotations

import tempfile
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant.ui.sources import filters_note, kind_label

_EXPORT_DIR: Path | None = None


def _quote_block(text: str) -> str:
    return "\n".join("> " + line if line.strip() else ">" for line in text.strip().splitlines())


def conversation_markdown(turns: list[dict[str, Any]], now: datetime | None = None) -> str:
    """Questions, answers and sources in reading order; document text is quoted, never reformatted."""
    stamp = (now or datetime.now()).strftime("%Y-%m-%d %H:%M")
    out = ["# Samtale med strategiassistenten", "", f"Eksportert {stamp}.", ""]
    for i, turn in enumerate(turns, 1):
        out += [f"## {i}. {turn['question']}", ""]
        if turn.get("filters"):
            out += [f"*{filters_note(turn['filters'])}.*", ""]
        out += [turn["text"].strip(), ""]
        if turn.get("interpreted"):
            out += [f"*Tolket som: «{turn['interpreted']}»*", ""]
        for note in turn.get("notes") or []:
            out += [f"*{note}*", ""]
        if turn.get("abstained"):
            out += ["*Dokumentene ga ikke grunnlag for et svar.*", ""]
        citations = turn.get("citations") or []
        if citations:
            out += ["### Kilder", ""]
            for c in citations:
                where = [kind_label(c["kind"]), c["organisation"], c["section"], f"s. {c['page']}"]
                out += [f"**[{c['n']}] {c['title']}** — " + ", ".join(p for p in where if p), ""]
                out += [_quote_block(f"«{c['quote']}»"), ""]
    return "\n".join(out).rstrip() + "\n"


def write_export(turns: list[dict[str, Any]], key: str | None = None) -> Path:
    """Write the Markdown to a temporary file (Gradio copies it into its own cache to serve it)."""
    global _EXPORT_DIR
    if _EXPORT_DIR is None or not _EXPORT_DIR.is_dir():
        _EXPORT_DIR = Path(tempfile.mkdtemp(prefix="assistant-samtaler-"))
    safe = "".join(ch for ch in key or "" if ch.isascii() and ch.isalnum())[:64]
    folder = _EXPORT_DIR / (safe or uuid.uuid4().hex)
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.md"):  # one file per conversation: the newest export replaces the last
        old.unlink(missing_ok=True)
    path = folder / f"samtale-{datetime.now():%Y%m%d-%H%M}.md"
    path.write_text(conversation_markdown(turns), encoding="utf-8")
    return path
