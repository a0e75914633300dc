"""Answers and their sources as chat-message HTML. Every piece of document text is escaped here.

The chat renders Markdown, and Markdown ends a raw-HTML block at the first blank line, so each
block is emitted on a single line (document newlines become ``<br>``).
"""

from __future__ import annotations

import html
import re
from typing import Any

from assistant.types import Answer, Citation

WARNING_TITLE = "Obs"  # title of the pop-up messages (Gradio would say "Warning")
CONTEXT_CHARS = 180  # characters of the passage shown on each side of the quote before "Vis hele passasjen"

KIND_LABELS = {
    "strategi": "Strategi",
    "høringsoppsummering": "Høringsoppsummering",
    "operasjonalisering": "Operasjonalisering",
    "høringssvar": "Høringssvar",
}


def esc(text: str) -> str:
    """HTML-escape document text and keep its line breaks."""
    return html.escape(text, quote=True).replace("\r\n", "\n").replace("\n", "<br>")


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.capitalize() if kind else "")


def find_quote(passage: str, quote: str) -> tuple[int, int] | None:
    """Where ``quote`` sits in ``passage``, tolerating differences in whitespace; None if absent."""
    quote = quote.strip().strip('«»"').rstrip("…").strip()
    if not quote or not passage:
        return None
    start = passage.find(quote)
    if start >= 0:
        return start, start + len(quote)
    words = quote.split()
    pattern = r"\s+".join(re.escape(w) for w in words)
    match = re.search(pattern, passage)
    return (match.start(), match.end()) if match else None


def marked(passage: str, span: tuple[int, int] | None, window: int | None = None) -> str:
    """Escaped passage text with the span in ``<mark>``; with ``window``, only that much context per side."""
    if span is None:
        return esc(passage)
    start, end = span
    before, quote, after = passage[:start], passage[start:end], passage[end:]
    if window is not None:
        if len(before) > window:
            cut = before[-window:]
            before = "… " + (cut.split(" ", 1)[1] if " " in cut else cut)
        if len(after) > window:
            cut = after[:window]
            after = (cut.rsplit(" ", 1)[0] if " " in cut else cut) + " …"
    return f"{esc(before)}<mark>{esc(quote)}</mark>{esc(after)}"


def citation_meta(c: Citation) -> str:
    """'Strategi · Direktoratet for e-helse · 3 Mål · s. 12' with the parts a document has."""
    parts = [kind_label(c.kind), c.organisation, c.section, f"s. {c.page}" if c.page else ""]
    return " · ".join(esc(p) for p in parts if p)


def citation_html(c: Citation) -> str:
    passage = c.passage_text or c.quote
    span = find_quote(passage, c.quote)
    whole = marked(passage, span)
    # A quote not found in the stored passage is shown on its own, marked, with the passage below.
    excerpt = f"<mark>{esc(c.quote)}</mark>" if span is None else marked(passage, span, CONTEXT_CHARS)
    more = ""
    if excerpt != whole:
        more = (
            '<details class="kilde-passasje"><summary>Vis hele passasjen</summary>'
            f'<div class="kilde-hel">{whole}</div></details>'
        )
    return (
        f'<div class="kilde" data-n="{c.n}">'
        f'<p class="kilde-tittel"><strong>[{c.n}] {esc(c.title)}</strong></p>'
        f'<p class="kilde-meta">{citation_meta(c)}</p>'
        f'<blockquote class="kilde-sitat">{excerpt}</blockquote>'
        f"{more}</div>"
    )


def sources_html(citations: list[Citation]) -> str:
    """The collapsible "Kilder" block under an answer, on one line."""
    if not citations:
        return ""
    items = "".join(citation_html(c) for c in citations)
    return f'<details class="kilder"><summary>Kilder ({len(citations)})</summary>{items}</details>'


def filters_note(filters: dict[str, list[str]] | None, titles: dict[str, str] | None = None) -> str:
    """'Avgrenset til …' in words, so a narrowed answer is never mistaken for the whole picture."""
    if not filters:
        return ""
    titles = titles or {}
    labels = {"kind": "type", "organisation": "organisasjon", "source": "dokument"}
    parts = []
    for key, values in filters.items():
        shown = [
            kind_label(v) if key == "kind" else titles.get(v, v) if key == "source" else v for v in values
        ]
        parts.append(f"{labels.get(key, key)}: {', '.join(shown)}")
    return "Avgrenset til " + "; ".join(parts)


def answer_markdown(answer: Answer, filters_text: str = "") -> str:
    """The whole assistant message: answer text, notes, the abstention hint, then the sources block."""
    blocks = [esc_markdown(answer.text)]
    for note in answer.notes or []:
        blocks.append(f"*{esc_markdown(note)}*")
    if answer.abstained:
        hint = "Prøv å formulere spørsmålet annerledes"
        hint += ", eller fjern avgrensningen av søket." if filters_text else "."
        blocks.append(f"*{hint}*")
    if filters_text:
        blocks.append(f"*{esc_markdown(filters_text)}.*")
    sources = sources_html(answer.citations)
    if sources:
        blocks.append(sources)
    return "\n\n".join(blocks)


_NUMBERED_BULLET = re.compile(r"^(\s*[-*•]\s+)(\d{1,3})\.(?=\s)", re.MULTILINE)


def esc_markdown(text: str) -> str:
    """Answer text goes through Markdown: escape HTML so quoted document text cannot inject markup,
    and keep "- 9. Mål" one bullet (Markdown would nest an ordered list starting at 9 inside it)."""
    return _NUMBERED_BULLET.sub(r"\1\2\\.", html.escape(text, quote=False))


def turn_record(
    question: str, answer: Answer, filters: dict[str, list[str]] | None, message: str
) -> dict[str, Any]:
    """What the session keeps per turn: enough to redraw the chat and to export it."""
    return {
        "question": question,
        "text": answer.text,
        "abstained": answer.abstained,
        "notes": list(answer.notes or []),
        "filters": filters or {},
        "citations": [{**c.to_dict(), "passage_text": c.passage_text} for c in answer.citations],
        "message": message,
    }
