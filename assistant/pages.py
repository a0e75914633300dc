"""A source page as the reader sees it: the PDF page as an image with the quoted words marked, or a text
file's page with the quote marked. Used by the chat's «Vis i dokumentet» viewer and ``Assistant.page_view``.

PDF pages are rendered by PDFium (pypdfium2), which also gives each character's box on the page, so a
quote is marked where it stands. Rendered pages are cached as lossless WebP files (about 90 KB a page,
a fifth of PNG) under ``ASSISTANT_HOME/pages``,
in a folder keyed by the file's size and modification time: a changed file gets a new folder and the
old one is removed. PDFium is not thread-safe, so every call into it holds one lock.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.quote_align import align, fold_key, quote_keys, widen
from ingest.privacy import mask_personal_data, personal_data_spans

TARGET_WIDTH_PX = 1240  # rendered page width: sharp on a laptop screen
MAX_HEIGHT_PX = 2400  # tall pages are rendered smaller
LOCATE_RADIUS = 8  # pages searched on each side of the cited page (a citation's page is near the quote)
LINE_SLACK = 0.5  # a character belongs to the current line when it overlaps it by this share of its height
_PDFIUM = threading.Lock()
_FORM_FEED = "\f"

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 as fractions of the page image, origin top left


@dataclass
class PageView:
    """One page of a source with the quotes' places on it."""

    source: str
    page: int  # 1-based
    pages: int
    kind: str  # "pdf" | "text"
    found: list[bool]  # per quote: is it on this page (or does it continue from/onto it)?
    image: Path | None = None  # PDF: the rendered page (lossless WebP)
    width: int = 0  # image size in pixels
    height: int = 0
    boxes: list[Box] = field(default_factory=list)  # PDF: highlight rectangles, one per quoted line
    text: str = ""  # text file: the page's text, as the file has it (masked where the index masks)
    spans: list[tuple[int, int]] = field(default_factory=list)  # text file: quoted character ranges
    cached: bool = False  # the image came from the cache


@dataclass(frozen=True)
class _PageText:
    text: str  # one character per PDFium character index
    key: str
    where: list[int]


def file_stamp(path: Path) -> str:
    """What invalidates the cache: the file's size and modification time."""
    st = path.stat()
    return f"{st.st_size}-{st.st_mtime_ns}"


def locate(path: Path, quotes: list[str], near: int, mask: bool = False) -> int:
    """The page nearest ``near`` (within ``LOCATE_RADIUS``) where the first quote that can be found is;
    ``near`` if none is."""
    pages = page_count(path)
    near = min(max(1, near), pages)
    around = range(max(1, near - LOCATE_RADIUS), min(pages, near + LOCATE_RADIUS) + 1)
    for quote in quotes:
        for page in sorted(around, key=lambda p: (abs(p - near), p)):
            if _quote_range(path, page, quote, mask, file_stamp(path)) is not None:
                return page
    return near


def page_view(
    path: Path, source: str, page: int, quotes: list[str], cache_dir: Path, mask: bool = False
) -> PageView:
    """Page ``page`` of ``path`` with every quote's place on it. Raises ``ValueError`` for a page that is
    not in the document, ``OSError`` for a file that cannot be read and ``UnreadablePage`` for a PDF that
    PDFium cannot open."""
    pages = page_count(path)
    if not 1 <= page <= pages:
        raise ValueError(f"page {page} is outside the document (1–{pages})")
    stamp = file_stamp(path)
    ranges = [_quote_range(path, page, q, mask, stamp) for q in quotes]
    found = [r is not None for r in ranges]
    if path.suffix.lower() != ".pdf":
        text = _text_pages(path, mask, stamp)[page - 1]
        return PageView(source, page, pages, "text", found, text=text, spans=[r for r in ranges if r])
    image, width, height, cached = render(path, page, cache_dir, mask)
    boxes = [box for r in ranges if r for box in _line_boxes(path, page, r, stamp)]
    return PageView(source, page, pages, "pdf", found, image, width, height, boxes, cached=cached)


def page_count(path: Path) -> int:
    return _page_count(path, file_stamp(path))


@lru_cache(maxsize=64)
def _page_count(path: Path, stamp: str) -> int:
    if path.suffix.lower() != ".pdf":
        return len(_text_pages(path, False, stamp))
    with _PDFIUM:
        pdf = _open(path)
        try:
            return len(pdf)
        finally:
            pdf.close()


class UnreadablePage(Exception):
    """PDFium cannot open the file or render the page (a damaged or password-protected PDF)."""


def _open(path: Path) -> Any:
    import pypdfium2 as pdfium  # imported when a page is first shown, not when the app starts

    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise UnreadablePage(str(exc)) from None


# -- where a quote is ---------------------------------------------------------------------------
@lru_cache(maxsize=512)
def _quote_range(path: Path, page: int, quote: str, mask: bool, stamp: str) -> tuple[int, int] | None:
    """Character range of this page that holds the quote, or its part on this page when it runs over
    from the page before or onto the next one; None when it is not here."""
    here = _page_text(path, page, mask, stamp)
    for needle in quote_keys(quote):
        found = _range_of(path, page, needle, here, mask, stamp)
        if found:
            return widen(here.text, *found, quote)
    return None


def _range_of(
    path: Path, page: int, needle: str, here: _PageText, mask: bool, stamp: str
) -> tuple[int, int] | None:
    spans = align(needle, here.key)
    if spans:
        return here.where[spans[0][0]], here.where[spans[-1][1] - 1] + 1
    for other in (page + 1, page - 1):  # a quote across a page break: search the two pages as one
        if not 1 <= other <= page_count(path):
            continue
        there = _page_text(path, other, mask, stamp)
        first, second = (here, there) if other > page else (there, here)
        spans = align(needle, first.key + second.key, page_break=len(first.key))
        if not spans:
            continue
        offset = len(first.key)
        if other > page:  # this page is the first half: keep the pieces (or parts) before the break
            mine = [(s, min(e, offset)) for s, e in spans if s < offset]
        else:
            mine = [(max(s, offset) - offset, e - offset) for s, e in spans if e > offset]
        if mine:
            return here.where[mine[0][0]], here.where[mine[-1][1] - 1] + 1
    return None


@lru_cache(maxsize=256)
def _page_text(path: Path, page: int, mask: bool, stamp: str) -> _PageText:
    if path.suffix.lower() == ".pdf":
        text = _pdf_chars(path, page)
    else:
        text = _text_pages(path, mask, stamp)[page - 1]
    key, where = fold_key(text)
    return _PageText(text, key, where)


def _pdf_chars(path: Path, page: int) -> str:
    """The page's characters in PDFium's order, one per character index (so boxes can be looked up)."""
    import pypdfium2.raw as raw

    with _PDFIUM:
        pdf = _open(path)
        try:
            textpage = pdf[page - 1].get_textpage()
            count = textpage.count_chars()
            chars = [raw.FPDFText_GetUnicode(textpage.raw, i) for i in range(count)]
        finally:
            pdf.close()
    return "".join(chr(c) if 0 < c < 0x110000 else " " for c in chars)


@lru_cache(maxsize=16)
def _text_pages(path: Path, mask: bool, stamp: str) -> list[str]:
    """A text file's pages (form feeds separate them, as ingest reads them), masked like the index."""
    text = unicodedata.normalize("NFC", path.read_bytes().decode("utf-8-sig", errors="replace"))
    if mask:
        text = mask_personal_data(text)
    return text.split(_FORM_FEED) if _FORM_FEED in text else [text]


# -- boxes on the page ----------------------------------------------------------------------------
def _line_boxes(path: Path, page: int, chars: tuple[int, int], stamp: str) -> list[Box]:
    """One rectangle per line the character range covers (the union of its characters' boxes).

    Lines are found in the page's own coordinates, where text runs left to right, and only then turned
    into image fractions, so a page with /Rotate gets its lines the right way round."""
    with _PDFIUM:
        pdf = _open(path)
        try:
            pdf_page = pdf[page - 1]
            lines: list[list[float]] = []
            for left, bottom, right, top in _char_boxes(pdf_page, chars[0], chars[1]):
                if lines:
                    line = lines[-1]
                    overlap = min(top, line[3]) - max(bottom, line[1])
                    if overlap >= LINE_SLACK * (top - bottom) and left >= line[0] - (top - bottom):
                        line[:] = [
                            min(line[0], left),
                            min(line[1], bottom),
                            max(line[2], right),
                            max(line[3], top),
                        ]
                        continue
                lines.append([left, bottom, right, top])
            to_frac = _fraction_converter(pdf_page)
            boxes = []
            for left, bottom, right, top in lines:
                (xa, ya), (xb, yb) = to_frac(left, top), to_frac(right, bottom)
                boxes.append((min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb)))
            return boxes
        finally:
            pdf.close()


def _char_boxes(pdf_page: Any, start: int, end: int) -> list[tuple[float, float, float, float]]:
    """(left, bottom, right, top) in page points of the printed characters in [start, end)."""
    import pypdfium2.raw as raw

    textpage = pdf_page.get_textpage()
    out = []
    for i in range(start, min(end, textpage.count_chars())):
        code = raw.FPDFText_GetUnicode(textpage.raw, i)
        if code <= 32 or chr(code).isspace() or raw.FPDFText_IsGenerated(textpage.raw, i) == 1:
            continue
        left, bottom, right, top = textpage.get_charbox(i)
        if right > left and top > bottom:
            out.append((left, bottom, right, top))
    return out


def _fraction_converter(pdf_page: Any) -> Any:
    """Page coordinates -> fractions of the rendered image (rotation and crop box as PDFium renders)."""
    import pypdfium2 as pdfium

    width, height = pdf_page.get_size()  # as displayed: already turned by the page's /Rotate
    size_x, size_y = round(width * 20), round(height * 20)  # a fine virtual canvas for exact fractions
    conv = pdfium.PdfPosConv(pdf_page, (0, 0, size_x, size_y, 0))

    def to_frac(x: float, y: float) -> tuple[float, float]:
        bx, by = conv.to_bitmap(x, y)
        return bx / size_x, by / size_y

    return to_frac


# -- rendering and the cache ------------------------------------------------------------------------
def cache_folder(path: Path, cache_dir: Path) -> Path:
    """Where one file's pages are kept: one folder per file, named by its resolved path."""
    digest = hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()[:20]
    return cache_dir / digest


def render(path: Path, page: int, cache_dir: Path, mask: bool = False) -> tuple[Path, int, int, bool]:
    """(image file, width, height, came from the cache) for one page; personal data blacked out if ``mask``."""
    folder = cache_folder(path, cache_dir)
    version = folder / f"{file_stamp(path)}-w{TARGET_WIDTH_PX}{'-masked' if mask else ''}"
    target = version / f"{page}.webp"
    if target.is_file():
        from PIL import Image

        with Image.open(target) as img:
            return target, img.width, img.height, True
    if folder.is_dir():  # the file changed (or another rendering setting): drop the stale pages
        for old in folder.iterdir():
            if old != version:
                shutil.rmtree(old, ignore_errors=True)
    version.mkdir(parents=True, exist_ok=True)
    image = _render_image(path, page, mask)
    partial = target.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    image.save(partial, format="WEBP", lossless=True, method=1)  # method 1: as small as 6, faster
    os.replace(partial, target)  # readers never see half a file
    return target, image.width, image.height, False


def _render_image(path: Path, page: int, mask: bool) -> Any:
    from PIL import ImageDraw

    with _PDFIUM:
        pdf = _open(path)
        try:
            pdf_page = pdf[page - 1]
            width, height = pdf_page.get_size()
            scale = min(TARGET_WIDTH_PX / width, MAX_HEIGHT_PX / height)
            image = pdf_page.render(scale=scale).to_pil().convert("RGB")
        finally:
            pdf.close()
    if mask:
        text = _pdf_chars(path, page)
        draw = ImageDraw.Draw(image)
        for start, end in personal_data_spans(text):
            for x0, y0, x1, y1 in _line_boxes(path, page, (start, end), file_stamp(path)):
                draw.rectangle(
                    (
                        x0 * image.width - 2,
                        y0 * image.height - 2,
                        x1 * image.width + 2,
                        y1 * image.height + 2,
                    ),
                    fill="black",
                )
    return image
