"""Norwegian-aware sentence splitting, shared by the chunker and the extractive answerer."""

from __future__ import annotations

import re

# Abbreviations that end with a period but do not end a sentence.
_ABBREVIATIONS = {
    "bl.a",
    "f.eks",
    "jf",
    "jfr",
    "mm",
    "m.m",
    "osv",
    "o.l",
    "ca",
    "nr",
    "dvs",
    "evt",
    "pga",
    "ift",
    "inkl",
    "ref",
    "mht",
    "vs",
    "kap",
    "pkt",
    "s",
    "st",
    "mv",
    "m.v",
    "etc",
    "e.g",
    "i.e",
    "dr",
    "prof",
}
# A list marker alone ("1.", "b)", "iv.") at the start of a line numbers what follows; it ends nothing.
_LIST_MARKER = re.compile(r"[(\[]?(?:\d{1,3}|[a-zA-Z]|[ivxIVX]{1,4})[.)]")
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"»”)]?\s+(?=[A-ZÆØÅ«\"(\d•])")


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences; keeps the text of each sentence verbatim."""
    text = text.strip()
    if not text:
        return []
    out: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        candidate = text[start : match.start()].rstrip()
        last_word = candidate.rsplit(" ", 1)[-1].rstrip(".").lower()
        if last_word in _ABBREVIATIONS or _LIST_MARKER.fullmatch(candidate.rsplit("\n", 1)[-1].strip()):
            continue
        out.append(candidate)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return [s for s in out if s]


def passage_sentences(text: str) -> list[str]:
    """Sentences of a passage line by line, exactly as the answerer scores them (and the cache holds)."""
    return [s for line in text.split("\n") for s in split_sentences(line)]
