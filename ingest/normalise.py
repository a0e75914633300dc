"""Clean extracted text without changing its words: spacing, line-broken words, lost bullet glyphs."""

from __future__ import annotations

import re
import unicodedata

_MULTISPACE = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f]+")
# Words that follow a compound hyphen ("helse- og omsorg"), where the hyphen is not a line break.
_CONJUNCTIONS = ("og ", "eller ", "til ", "and ", "or ", "samt ")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _is_private_use(ch: str) -> bool:
    return unicodedata.category(ch) == "Co"


def normalise_page(text: str) -> list[str]:
    """Return the page's lines: NFC, single spaces, glyph bullets restored, hyphen-broken lines joined."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub(" ", text)
    # Symbol-font bullets come out as private-use code points; show them as bullets.
    text = "".join("•" if _is_private_use(ch) else ch for ch in text)
    lines: list[str] = []
    for raw in text.split("\n"):
        line = _MULTISPACE.sub(" ", raw).strip()
        if not line:
            lines.append("")
            continue
        if lines and lines[-1].endswith("-") and _joins_hyphen(lines[-1], line):
            prev = lines.pop()
            # "e-" + "helse" -> "e-helse"; "helse-" + "og omsorg" -> "helse- og omsorg"
            sep = " " if line.startswith(_CONJUNCTIONS) or line.startswith(("• ", "- ")) else ""
            lines.append(prev + sep + line)
            continue
        lines.append(line)
    return lines


def _joins_hyphen(prev: str, line: str) -> bool:
    """A line ending in a hyphen continues on the next line when that line starts with a lowercase word."""
    if len(prev) < 2 or prev[-2] == " ":  # a dash, not a hyphen
        return False
    return line[:1].islower()


def fold(text: str) -> str:
    """Case- and whitespace-folded form used to compare quotes with passages."""
    return _MULTISPACE.sub(" ", " ".join(text.split())).casefold()
