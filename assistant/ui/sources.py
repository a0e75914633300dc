"""Answers and their sources as chat-message HTML. Every piece of document text is escaped here.

The chat renders Markdown, and Markdown ends a raw-HTML block at the first blank line, so each
block is emitted on a single line (document newlines become ``<br>``).
"""

from __future__ import annotations

import html
import re
from typing import Any

from assistant.quote_align import find_in_text
from assistant.types import Answer, Citation
from ingest.profile import CorpusProfile

WARNING_TITLE = "Obs"  # title of the pop-up messages (Gradio would say "Warning")
CONTEXT_CHARS = 180  # characters of the passage shown on each side of the quote before "Vis hele passasjen"


def esc(text: str) -> str:
    """HTML-escape document text and keep its line breaks."""
    return html.escape(text, quote=True).replace("\r\n", "\n").replace("\n", "<br>")


def kind_label(kind: str, profile: CorpusProfile | None = None) -> str:
    """How lists and filters name a kind: its title in the profile (None: the standard kinds)."""
    return (profile or CorpusProfile()).kind_title(kind) if kind else ""


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


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def marked(
    passage: str, spans: tuple[int, int] | list[tuple[int, int]] | None, window: int | None = None
) -> str:
    """Escaped passage text with each span in ``<mark>``; with ``window``, only that much context
    before the first span and after the last."""
    if not spans:
        return esc(passage)
    spans = _merge([spans] if isinstance(spans, tuple) else spans)
    parts: list[str] = []
    cursor = spans[0][0]
    before, after = passage[:cursor], passage[spans[-1][1] :]
    if window is not None:
        if len(before) > window:
            cut = before[-window:]
            before = "… " + (cut.split(" ", 1)[1] if " " in cut else cut)
        if len(after) > window:
            cut = after[:window]
            after = (cut.rsplit(" ", 1)[0] if " " in cut else cut) + " …"
    for start, end in spans:
        parts.append(esc(passage[cursor:start]))
        parts.append(f"<mark>{esc(passage[start:end])}</mark>")
        cursor = end
    return esc(before) + "".join(parts) + esc(after)


def citation_meta(c: Citation) -> str:
    """'Strategi · Direktoratet for e-helse · 3 Mål · s. 12' with the parts a document has."""
    parts = [kind_label(c.kind), c.organisation, c.place, f"s. {c.page}" if c.page else ""]
    return " · ".join(esc(p) for p in parts if p)


def view_ref(turn: int, numbers: list[int]) -> str:
    """What a «Vis i dokumentet» control carries: the turn and the citation numbers ("2:1,3")."""
    return f"{turn}:{','.join(str(n) for n in numbers)}"


def card_html(cites: list[Citation], turn: int = 0) -> str:
    """One source card for one passage, with every quote the answer took from it marked."""
    first = cites[0]
    passage = first.passage_text or first.quote
    spans = [find_quote(passage, c.quote) or find_in_text(passage, c.quote) for c in cites]
    found = [s for s in spans if s]
    whole = marked(passage, found)
    excerpt = marked(passage, found, CONTEXT_CHARS) if found else ""
    # A quote not found in the stored passage is shown on its own, marked, above the passage.
    lost = "".join(
        f"<mark>{esc(c.quote)}</mark> " for c, span in zip(cites, spans, strict=True) if span is None
    )
    more = ""
    if excerpt != whole:
        more = (
            '<details class="kilde-passasje"><summary>Vis hele passasjen</summary>'
            f'<div class="kilde-hel">{whole}</div></details>'
        )
    numbers = " ".join(f"[{c.n}]" for c in cites)
    ref = view_ref(turn, [c.n for c in cites])
    return (
        f'<div class="kilde" id="kilde-{turn}-{first.n}">'
        f'<p class="kilde-tittel"><strong>{numbers} {esc(first.title)}</strong></p>'
        f'<p class="kilde-meta">{citation_meta(first)}</p>'
        f'<blockquote class="kilde-sitat">{lost}{excerpt}</blockquote>'
        f'{more}<p class="kilde-vis"><button type="button" class="vis-kilde" value="{ref}" '
        'title="Åpne siden sitatet står på, med sitatet markert">Vis i dokumentet</button></p></div>'
    )


def citation_html(c: Citation, turn: int = 0) -> str:
    return card_html([c], turn)


def source_cards(citations: list[Citation]) -> list[list[Citation]]:
    """Citations grouped by passage, in the order the answer first cites each passage."""
    cards: dict[str, list[Citation]] = {}
    for c in citations:
        cards.setdefault(c.chunk_id or f"#{c.n}", []).append(c)
    return list(cards.values())


def sources_html(citations: list[Citation], turn: int = 0) -> str:
    """The collapsible "Kilder" block under an answer, on one line: one card per passage."""
    if not citations:
        return ""
    cards = source_cards(citations)
    items = "".join(card_html(cites, turn) for cites in cards)
    return f'<details class="kilder"><summary>Kilder ({len(citations)})</summary>{items}</details>'


_MARKER = re.compile(r"\[(\d{1,3})\]")


def linked_markers(text: str, numbers: set[int], turn: int) -> str:
    """Each ``[n]`` of a citation in the (escaped) answer text as a button that opens the source."""

    def button(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if n not in numbers:
            return m.group(0)
        return (
            f'<button type="button" class="kilde-ref" value="{view_ref(turn, [n])}" '
            f'title="Vis kilde {n} i dokumentet">[{n}]</button>'
        )

    return _MARKER.sub(button, text)


def interpreted_as(answer: Answer) -> str:
    """The standalone question the answer was found for, when it differs from what was asked."""
    asked, read = answer.question or "", answer.standalone_question or ""
    if not read or " ".join(asked.split()).casefold() == " ".join(read.split()).casefold():
        return ""
    return read


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


def answer_markdown(answer: Answer, filters_text: str = "", turn: int = 0) -> str:
    """The whole assistant message: answer text (its ``[n]`` open the sources), «Tolket som» when the
    question was read as another, notes, the abstention hint, then the sources block."""
    blocks = [linked_markers(esc_markdown(answer.text), {c.n for c in answer.citations}, turn)]
    read = interpreted_as(answer)
    if read:
        blocks.append(f'<p class="tolket-som">Tolket som: «{esc(read)}»</p>')
    for note in answer.notes or []:
        blocks.append(f"*{esc_markdown(note)}*")
    if answer.abstained:
        hint = "Prøv å formulere spørsmålet annerledes"
        hint += ", eller fjern avgrensningen av søket." if filters_text else "."
        blocks.append(f"*{hint}*")
    if filters_text:
        blocks.append(f"*{esc_markdown(filters_text)}.*")
    sources = sources_html(answer.citations, turn)
    if sources:
        blocks.append(sources)
    model = model_answer_html(answer)
    if model:
        blocks.append(model)
    why = explain_html(answer)
    if why:
        blocks.append(why)
    return "\n\n".join(blocks)


_MODEL_MARKER = re.compile(r"[ \t]*\[\d{1,3}\]")


def model_answer_html(answer: Answer) -> str:
    """The language model's own text, when the extractive answer replaced it: collapsed, plain text."""
    # Without its [n] markers: they point at the model's sources, not at the «Kilder» shown above.
    text = _MODEL_MARKER.sub("", answer.model_text).strip()
    if not text:
        return ""
    return (
        '<details class="modellens-svar"><summary>Vis modellens svar</summary>'
        f'<pre class="modellens-svar-tekst">{esc(text)}</pre></details>'
    )


def explain_html(answer: Answer) -> str:
    """A collapsed «Hvorfor dette svaret?»: how the question was read, which path answered, the best
    candidates with their scores and features, and which abstention check fired."""
    explain = answer.explain
    if explain is None:
        return ""
    return (
        '<details class="hvorfor"><summary>Hvorfor dette svaret?</summary>'
        f'<pre class="hvorfor-tekst">{esc(explain.render())}</pre></details>'
    )


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
        "interpreted": interpreted_as(answer),
        "filters": filters or {},
        "citations": [{**c.to_dict(), "passage_text": c.passage_text} for c in answer.citations],
        "message": message,
    }
