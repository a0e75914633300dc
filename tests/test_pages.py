"""Source pages for the viewer (assistant/pages.py, assistant/quote_align.py), without a browser.

The main check runs over every sentence of every passage of the five bundled PDFs: each is found on its
page, and the text PDFium itself reads inside the highlight rectangles is that sentence. That covers
sentences across line breaks, hyphenated words, bullets, masked e-mail addresses and page breaks.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pytest
from fpdf import FPDF
from helpers import CORPUS
from PIL import Image

from assistant import pages
from assistant.api import Assistant
from assistant.errors import DocumentError, InputError
from assistant.quote_align import align, find_in_text, fold_key, quote_key, quote_keys
from ingest.privacy import EMAIL_MASK, MASKS
from ingest.sentences import passage_sentences

MIN_SENTENCE_CHARS = 20


def key_pieces(quote: str) -> list[str]:
    """The quote's key in the pieces between masks (a masked address is on the page in full)."""
    for mask in MASKS:
        quote = quote.replace(mask, "\x00")
    return [fold_key(part)[0] for part in quote.split("\x00") if fold_key(part)[0]]


def in_order(pieces: list[str], text: str) -> bool:
    at = 0
    for piece in pieces:
        found = text.find(piece, at)
        if found < 0:
            return False
        at = found + len(piece)
    return True


def holds(sentence: str, text: str) -> bool:
    """Does ``text`` (a key) hold the sentence, or the sentence without a label ingest put before it?"""
    keys = quote_keys(sentence)
    return in_order(key_pieces(sentence), text) or (len(keys) > 1 and keys[-1] in text)


def text_under(pdf: pdfium.PdfDocument, view: pages.PageView) -> str:
    """What PDFium reads inside the view's highlight rectangles (its own API, not the boxes' code)."""
    page = pdf[view.page - 1]
    width, height = page.get_size()
    textpage = page.get_textpage()
    return "".join(
        textpage.get_text_bounded(x0 * width, height - y1 * height, x1 * width, height - y0 * height)
        for x0, y0, x1, y1 in view.boxes
    )


# -- matching on keys -----------------------------------------------------------------------------
def test_keys_ignore_layout_but_not_words() -> None:
    page = "Digital kompe-\r\ntanse er  viktig for ef\ufb01ektive tjenester \uf0b7 og for\r\nalle."
    assert fold_key(page)[0] == "digitalkompetanseerviktigforeffiektivetjenesterogforalle"
    start, end = find_in_text(page, "Digital kompetanse er viktig for effiektive tjenester og for alle.")
    assert (start, end) == (0, len(page))  # the final full stop too
    assert find_in_text(page, "Digital kompetanse er uviktig for alle tjenester.") is None
    # A masked address is bridged: the page has the address itself.
    form = "Send skjemaet på e-post til postmottak@ehelse.no innen fristen 1. oktober."
    assert find_in_text(form, f"Send skjemaet på e-post til {EMAIL_MASK} innen fristen 1. oktober.") == (
        0,
        len(form),
    )
    # Short quotes must match exactly; a near miss in a long one is bridged, a different text is not.
    assert align(quote_key("Tilgjengelig digitalt"), fold_key("tilgjengelig på flere digitalt")[0]) is None
    long_text = fold_key("Det er behov for gode prosesser slik at aktørene følger opp det som er avtalt.")[0]
    assert align(
        quote_key("Det er behov for gode prosesser slik at aktørene1 følger opp det som er avtalt."),
        long_text,
    )
    assert (
        align(quote_key("Det er ikke behov for noen prosesser der aktørene bestemmer alt selv."), long_text)
        is None
    )


# -- the five bundled PDFs --------------------------------------------------------------------------
def test_every_sentence_of_the_bundled_pdfs_is_found_and_highlighted_where_it_stands(
    assistant: Assistant, tmp_path: Path
) -> None:
    files = {d.info.source: (Path(d.path), d.info.kind) for d in assistant.store.documents()}
    docs = {source: pdfium.PdfDocument(str(path)) for source, (path, _) in files.items()}
    checked: Counter[str] = Counter()
    multi_line: Counter[str] = Counter()
    across_pages = 0
    missing = []
    for passage in assistant.store.all_passages():
        path, kind = files[passage.source]
        mask = kind == "høringssvar"
        for sentence in passage_sentences(passage.text):
            if len(sentence) < MIN_SENTENCE_CHARS:
                continue
            page = pages.locate(path, [sentence], passage.page, mask)
            view = pages.page_view(path, passage.source, page, [sentence], tmp_path, mask)
            if not view.found[0]:
                missing.append((passage.source, passage.page, sentence))
                continue
            under = fold_key(text_under(docs[passage.source], view))[0]
            if not holds(sentence, under):  # the rest is on the page before or after
                around = [p for p in (page - 1, page + 1) if 1 <= p <= view.pages]
                parts = {
                    p: pages.page_view(path, passage.source, p, [sentence], tmp_path, mask) for p in around
                }
                before = parts.get(page - 1)
                after = parts.get(page + 1)
                under = "".join(
                    fold_key(text_under(docs[passage.source], v))[0] if v and v.found[0] else ""
                    for v in (before, view, after)
                )
                across_pages += 1
            assert holds(sentence, under), (passage.source, page, sentence, under)
            checked[passage.source] += 1
            multi_line[passage.source] += len(view.boxes) > 1
    assert missing == []
    assert set(checked) == set(files) and min(checked.values()) >= 25, checked
    assert all(multi_line[s] >= 5 for s in files), multi_line  # sentences across line breaks
    assert across_pages >= 5  # and across page breaks


def test_boxes_are_on_ink_in_the_rendered_image(assistant: Assistant, tmp_path: Path) -> None:
    quote = "I oppdatert versjon av strategien er digitalt utenforskap tydeliggjort under Mål 1."
    view = assistant.page_view("horingsoppsummering", [quote], near=4)
    assert view.kind == "pdf" and view.found == [True] and view.boxes
    assert view.image is not None and view.image.is_relative_to(assistant.settings.pages_path)
    with Image.open(view.image) as img:
        assert (img.width, img.height) == (view.width, view.height)
        gray = img.convert("L")
        for x0, y0, x1, y1 in view.boxes:
            assert 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1
            crop = gray.crop((x0 * img.width, y0 * img.height, x1 * img.width, y1 * img.height))
            assert crop.getextrema()[0] < 100  # dark text inside every highlight


def test_rotated_page_boxes_follow_the_rotation(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=14)
    pdf.add_page()
    pdf.multi_cell(0, 9, "Overskrift\n\nDenne setningen skal markeres der den står på den roterte siden.")
    flat = tmp_path / "flat.pdf"
    pdf.output(str(flat))
    reader = pypdf.PdfReader(flat)
    writer = pypdf.PdfWriter()
    writer.add_page(reader.pages[0].rotate(90))
    rotated = tmp_path / "rotert.pdf"
    with rotated.open("wb") as fh:
        writer.write(fh)
    view = pages.page_view(rotated, "rotert", 1, ["Denne setningen skal markeres"], tmp_path / "cache")
    assert view.found == [True] and view.width > view.height  # a portrait page turned on its side
    (x0, y0, x1, y1) = view.boxes[0]
    assert (y1 - y0) * view.height > 3 * (x1 - x0) * view.width  # the line now runs top to bottom
    with Image.open(view.image) as img:  # type: ignore[arg-type]
        crop = img.convert("L").crop((x0 * img.width, y0 * img.height, x1 * img.width, y1 * img.height))
        assert crop.getextrema()[0] < 100


# -- cache, masking, text files, errors ---------------------------------------------------------------
def test_rendered_pages_are_cached_and_invalidated_when_the_file_changes(tmp_path: Path) -> None:
    pdf = tmp_path / "strategi.pdf"
    shutil.copy(CORPUS / "strategi.pdf", pdf)
    cache = tmp_path / "pages"
    first = pages.page_view(pdf, "strategi", 2, [], cache)
    again = pages.page_view(pdf, "strategi", 2, [], cache)
    assert not first.cached and again.cached and first.image == again.image
    folder = pages.cache_folder(pdf, cache)
    assert [p.parent for p in folder.glob("*/*.webp")] == [first.image.parent]  # type: ignore[union-attr]

    shutil.copy(CORPUS / "horingsoppsummering.pdf", pdf)  # same name, other content
    os.utime(pdf, ns=(pdf.stat().st_atime_ns, pdf.stat().st_mtime_ns + 1_000_000_000))
    changed = pages.page_view(pdf, "strategi", 2, [], cache)
    assert not changed.cached and changed.image != first.image
    assert changed.pages == 18  # the new file's page count, not the cached one
    assert list(folder.iterdir()) == [changed.image.parent]  # type: ignore[union-attr]  # stale pages gone


def test_personal_data_is_blacked_out_on_hearing_responses(tmp_path: Path) -> None:
    path = CORPUS / "horingssvar-imdi.pdf"
    quote = f"Merk skjemaet med «Saksnummer 22/414», lagre som PDF og send på e-post til {EMAIL_MASK}"
    masked = pages.page_view(path, "imdi", 3, [quote], tmp_path / "a", mask=True)
    plain = pages.page_view(path, "imdi", 3, [quote], tmp_path / "b", mask=False)
    assert masked.found == plain.found == [True]
    textpage = pdfium.PdfDocument(str(path))[2].get_textpage()
    text = textpage.get_text_range()
    start = text.index("postmottak@")
    left, bottom, right, top = textpage.get_charbox(start + 3)
    width, height = pdfium.PdfDocument(str(path))[2].get_size()
    xy = ((left + right) / 2 / width, 1 - (bottom + top) / 2 / height)

    def pixel(view: pages.PageView) -> int:
        with Image.open(view.image) as img:  # type: ignore[arg-type]
            return int(img.convert("L").getpixel((xy[0] * img.width, xy[1] * img.height)))

    assert pixel(masked) < 20 and pixel(plain) > 20  # black box only where masking is on


def test_text_files_show_the_page_with_the_quote_marked(tmp_path: Path) -> None:
    note = tmp_path / "notat.txt"
    note.write_text(
        "Side én handler om noe annet.\f"
        "Kontakt ola@example.no for spørsmål.\nDigital hjemmeoppfølging lar pasienter\n"
        "måle blodtrykk hjemme.\n",
        encoding="utf-8",
    )
    assert pages.locate(note, ["Digital hjemmeoppfølging lar pasienter måle blodtrykk hjemme."], 1) == 2
    view = pages.page_view(
        note, "notat", 2, ["Digital hjemmeoppfølging lar pasienter måle blodtrykk hjemme."], tmp_path, True
    )
    assert view.kind == "text" and view.pages == 2 and view.found == [True]
    ((start, end),) = view.spans
    assert view.text[start:end] == "Digital hjemmeoppfølging lar pasienter\nmåle blodtrykk hjemme."
    assert EMAIL_MASK in view.text and "ola@example.no" not in view.text


def test_page_view_errors_say_what_is_wrong(
    assistant: Assistant, fresh_assistant: Assistant, tmp_path: Path
) -> None:
    with pytest.raises(InputError, match="No document 'finnes-ikke'"):
        assistant.page_view("finnes-ikke", ["x"])
    with pytest.raises(InputError, match="outside the document"):
        assistant.page_view("strategi", [], page=99)
    view = assistant.page_view(
        "strategi", ["Et sitat som ikke står noe sted i strategien i det hele tatt."], near=3
    )
    assert view.page == 3 and view.found == [False] and view.boxes == []
    moved = fresh_assistant  # an index of its own, whose files this test moves and breaks
    copy = tmp_path / "notat.txt"
    copy.write_text("Et notat om hjemmeoppfølging.\n", encoding="utf-8")
    pdf = tmp_path / "horingssvar-naringsaktor.pdf"
    shutil.copy(CORPUS / pdf.name, pdf)
    assert moved.ingest([copy, pdf]).ok
    copy.unlink()
    with pytest.raises(DocumentError, match="the file is gone"):
        moved.page_view("notat", ["hjemmeoppfølging"])
    pdf.write_bytes(b"%PDF-1.4 broken since it was read in")
    with pytest.raises(DocumentError, match="the page cannot be shown"):
        moved.page_view("horingssvar-naringsaktor", ["skytjenester"])
