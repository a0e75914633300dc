"""Find a quote in a page's own text, where the page's text is laid out differently from the quote.

A quote is cut from a passage, which ingest normalised (single spaces, words broken across lines joined,
bullet glyphs restored, e-mail addresses masked). A PDF's text layer has the words as printed: line
breaks, hyphens at line ends, ligature characters (ﬁ), private-use bullet glyphs, and the e-mail
addresses themselves. Both sides are therefore compared on a *key*: letters and digits only, NFKC and
case-folded, each key character remembering the text position it came from. Whatever the two sides
disagree on (a masked address, a footnote mark, a page footer between two pages) is bridged as a short
gap, as long as most of the quote is found in order.
"""

from __future__ import annotations

import re
import unicodedata

from ingest.privacy import MASKS

MIN_ANCHOR = 12  # key characters the first piece of an inexact match must have (shorter is too ambiguous)
MIN_INEXACT = 30  # shorter quotes ("Tilgjengelig digitalt") must be found exactly
MIN_PIECE = 4  # key characters each later piece must have
MAX_GAP = 160  # key characters skipped between two pieces (an e-mail address, a page footer and header)
MIN_COVERAGE = 0.85  # share of the quote's key an inexact match must find
_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.)\s*")
# "Innbyggers behov: Jeg har …": a label ingest put before a table cell, which the page does not print there.
_LABEL = re.compile(r"^\s*[^\W\d][\w-]*(?: [\w-]+){0,5}: (?=\S)")

Key = tuple[str, list[int]]  # key text, and for each key character its index in the original text


def fold_key(text: str) -> Key:
    """Letters and digits of ``text``, NFKC-normalised and case-folded, with their positions in ``text``."""
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch.isascii():
            if ch.isalnum():
                chars.append(ch.lower())
                where.append(i)
            continue
        for folded in unicodedata.normalize("NFKC", ch).casefold():
            if folded.isalnum():
                chars.append(folded)
                where.append(i)
    return "".join(chars), where


def quote_key(quote: str) -> str:
    """The quote's key, without the masks ingest put in place of personal data and without "…"."""
    for mask in MASKS:
        quote = quote.replace(mask, " ")
    return fold_key(_ELLIPSIS.sub(" ", quote))[0]


def quote_keys(quote: str) -> list[str]:
    """Keys to look for, best first: the whole quote, then without a leading label ("Hovedområde: …")."""
    keys = [quote_key(quote)]
    label = _LABEL.match(quote)
    if label:
        keys.append(quote_key(quote[label.end() :]))
    return [k for k in keys if k]


def _longest_prefix(needle: str, hay: str, lo: int, hi: int) -> tuple[int, int]:
    """(length, position) of the longest prefix of ``needle`` that starts in ``hay[lo:hi]``."""
    best, at = 0, -1
    low, high = 1, len(needle)
    while low <= high:  # a prefix found means every shorter prefix is found too: binary search
        mid = (low + high) // 2
        pos = hay.find(needle[:mid], lo, hi + mid)
        if pos >= 0:
            best, at = mid, pos
            low = mid + 1
        else:
            high = mid - 1
    return best, at


def align(needle: str, hay: str, page_break: int | None = None) -> list[tuple[int, int]] | None:
    """Spans of ``hay`` that hold ``needle`` in order, or None. Both are keys (see ``fold_key``).

    Exact first; otherwise greedily the longest piece that continues within ``MAX_GAP`` of the last one
    (or of ``page_break``, where ``hay`` joins two pages, when the last piece ended before it: footnotes
    and footer lie between), skipping a quote character that cannot be continued, until
    ``MIN_COVERAGE`` of it is found.
    """
    if not needle or not hay:
        return None
    at = hay.find(needle)
    if at >= 0:
        return [(at, at + len(needle))]
    if len(needle) < MIN_INEXACT:
        return None
    spans: list[tuple[int, int]] = []
    q, pos, missed = 0, -1, 0
    allowed_misses = len(needle) * (1 - MIN_COVERAGE)
    while q < len(needle):
        rest = needle[q:]
        if pos < 0:
            length, where = _longest_prefix(rest, hay, 0, len(hay))
            wanted = min(MIN_ANCHOR, len(rest))
        else:
            length, where = _longest_prefix(rest, hay, pos, pos + MAX_GAP)
            if page_break is not None and pos <= page_break:
                after = _longest_prefix(rest, hay, page_break, page_break + MAX_GAP)
                if after[0] > length:
                    length, where = after
            wanted = min(MIN_PIECE, len(rest))
        if length < wanted:
            q += 1
            missed += 1
            if missed > allowed_misses:
                return None
            continue
        spans.append((where, where + length))
        pos, q = where + length, q + length
    return spans if sum(e - s for s, e in spans) >= MIN_COVERAGE * len(needle) else None


def widen(text: str, start: int, end: int, quote: str) -> tuple[int, int]:
    """Grow a found range over the punctuation the quote starts or ends with ("«", ".", "»"), where the
    text has the same characters there (keys hold only letters and digits)."""
    stripped = quote.strip()
    lead = len(stripped) - len(stripped.lstrip("«»\"'([-–•.,:;!?)… "))
    trail = len(stripped) - len(stripped.rstrip("«»\"')].,:;!?… "))
    for ch in reversed(stripped[:lead]):
        if start > 0 and text[start - 1] == ch and not ch.isspace():
            start -= 1
        elif not ch.isspace():
            break
    for ch in stripped[len(stripped) - trail :]:
        if end < len(text) and text[end] == ch and not ch.isspace():
            end += 1
        elif not ch.isspace():
            break
    return start, end


def find_in_text(text: str, quote: str) -> tuple[int, int] | None:
    """(start, end) character range of ``text`` that holds ``quote``, or None."""
    key, where = fold_key(text)
    for needle in quote_keys(quote):
        spans = align(needle, key)
        if spans:
            return widen(text, where[spans[0][0]], where[spans[-1][1] - 1] + 1, quote)
    return None
