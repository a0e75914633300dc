"""Bad files and bad questions: each bad file gets one clear message (file, problem, what to do), the
other files of the same ingest still go in, and nothing already indexed is lost or half-written."""

from __future__ import annotations

import io
import random
import re
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import cast

import pypdf
import pytest
from fpdf import FPDF
from helpers import seed_home
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, StreamObject

from assistant.api import Assistant
from assistant.errors import DocumentError, InputError
from assistant.settings import Settings
from assistant.types import Answer
from ingest.chunking import CHARS_PER_WORD
from ingest.documents import ParsedDocument, parse_document
from ingest.loaders import load_file
from vectorstore.lexical import LexicalIndex

QUESTION = "Hvor mange instanser sendte inn høringssvar?"
GOOD_NOTE = (
    "# Notat om e-resept\n\nE-resept gjør at apoteket henter resepten digitalt. Pasienten trenger "
    "ikke papirresept.\n"
)
TEXT_OP = b"BT /F1 12 Tf 10 10 Td (aaaa) Tj ET\n"
try:
    import cryptography  # noqa: F401

    HAS_CRYPTOGRAPHY = True
except ImportError:
    HAS_CRYPTOGRAPHY = False


# -- building bad files ------------------------------------------------------------------------------
def text_pdf(pages: list[str]) -> bytes:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


GOOD_PDF = text_pdf(["Velferdsteknologi i kommunene gir tryggere hjemmetjenester. Dette er side en."])


def _writer_with(data: bytes) -> pypdf.PdfWriter:
    writer = pypdf.PdfWriter()
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        writer.add_page(page)
    return writer


def _bytes(writer: pypdf.PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _flate(raw: bytes) -> StreamObject:
    stream = StreamObject()
    stream.set_data(zlib.compress(raw, 9))
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    return stream


def encrypted_pdf(user_password: str) -> bytes:
    writer = _writer_with(GOOD_PDF)
    writer.encrypt(user_password=user_password, owner_password="eier-passord", algorithm="RC4-128")
    return _bytes(writer)


def aes_pdf() -> bytes:
    """An AES-256 (R6) encryption dictionary in the trailer; opening it needs AES whatever the password."""
    i = GOOD_PDF.index(b"<<", GOOD_PDF.rindex(b"trailer")) + 2
    entry = (
        b"/Encrypt << /Filter /Standard /V 5 /R 6 /Length 256 /P -4 /O <" + b"11" * 48 + b"> /U <"
        + b"22" * 48 + b"> /OE <" + b"33" * 32 + b"> /UE <" + b"44" * 32 + b"> /Perms <" + b"55" * 16 + b"> >> "
    )  # fmt: skip
    return GOOD_PDF[:i] + entry + GOOD_PDF[i:]


def image_only_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 80, 60, style="F")
    return bytes(pdf.output())


def many_pages_pdf(pages: int) -> bytes:
    writer = _writer_with(GOOD_PDF)
    for _ in range(pages - 1):
        writer.add_page(writer.pages[0])
    return _bytes(writer)


def huge_stream_pdf(mb: float, pages: int = 1) -> bytes:
    """A few KB on disk whose content stream inflates to ``mb`` MB of text-drawing operators."""
    writer = _writer_with(GOOD_PDF)
    content = writer._add_object(_flate(TEXT_OP * int(mb * 1024 * 1024 / len(TEXT_OP))))
    writer.pages[0][NameObject("/Contents")] = content
    for _ in range(pages - 1):
        writer.add_page(writer.pages[0])
    return _bytes(writer)


def form_bomb_pdf(form_kb: int, uses: int) -> bytes:
    """A small form XObject drawn thousands of times: small streams, huge work."""
    writer = _writer_with(GOOD_PDF)
    page = writer.pages[0]
    form = _flate(TEXT_OP * (form_kb * 1024 // len(TEXT_OP)))
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = ArrayObject(
        [NumberObject(0), NumberObject(0), NumberObject(600), NumberObject(600)]
    )
    form[NameObject("/Resources")] = page["/Resources"]
    resources = cast(DictionaryObject, page["/Resources"].get_object())
    resources[NameObject("/XObject")] = DictionaryObject({NameObject("/Fm1"): writer._add_object(form)})
    page[NameObject("/Contents")] = writer._add_object(_flate(b"/Fm1 Do\n" * uses))
    return _bytes(writer)


def _random_bytes(n: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(n)


# name, bytes, what the message must say
BAD_FILES: list[tuple[str, Callable[[], bytes], str]] = [
    (
        "skadet.pdf",
        lambda: GOOD_PDF[:300] + b"\x00garbage\xff" * 80 + GOOD_PDF[900:],
        r"damaged|no readable pages",
    ),
    ("avkuttet.pdf", lambda: GOOD_PDF[: len(GOOD_PDF) // 2], r"damaged or truncated"),
    ("tilfeldig.pdf", lambda: _random_bytes(5000, 1), r"not a PDF \(no %PDF header\)"),
    ("tilfeldig-hode.pdf", lambda: b"%PDF-1.7\n" + _random_bytes(5000, 2), r"damaged|no readable pages"),
    ("tom.pdf", lambda: b"", r"empty \(0 bytes\)"),
    ("tom.txt", lambda: b"", r"empty \(0 bytes\)"),
    ("blank.md", lambda: b"  \n\n\t\n", r"has no text"),
    ("passord.pdf", lambda: encrypted_pdf("hemmelig"), r"encrypted with a password"),
    ("aes.pdf", aes_pdf, r"encrypted with a password" if HAS_CRYPTOGRAPHY else r"encrypted with AES"),
    ("skannet.pdf", image_only_pdf, r"no text could be extracted"),
    ("for-mange-sider.pdf", lambda: many_pages_pdf(2001), r"2001 pages, above the limit of 2000"),
    ("bombe.pdf", lambda: huge_stream_pdf(12), r"page 1 holds over 10 MB of drawing instructions"),
    ("skjemabombe.pdf", lambda: form_bomb_pdf(100, 5000), r"page 1 holds over 10 MB of drawing instructions"),
    ("nullbyte.txt", lambda: b"Tekst\x00med\x00NUL", r"NUL bytes"),
    ("latin1.txt", lambda: "Høringssvar fra Bærum".encode("latin-1"), r"not valid UTF-8"),
    ("notat.docx", lambda: b"PK\x03\x04" + _random_bytes(300, 3), r"unsupported file type '.docx'"),
    ("README", lambda: b"Ingen filendelse", r"unsupported file type '\(none\)'"),
]


# -- the index the bad files are thrown at -------------------------------------------------------------


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory, session_home: Path, assistant: Assistant) -> Assistant:
    """Its own index holding the bundled corpus."""
    home = tmp_path_factory.mktemp("bad-input-home")
    seed_home(session_home, home)
    a = Assistant.open(Settings(home=home))
    assert a.ingest([assistant.settings.corpus_dir]).ok
    return a


def snapshot(a: Assistant) -> tuple[set[str], int, set[str], dict[str, str]]:
    sentences = set(a.store.sentences_collection.get(include=[])["ids"])
    return set(a.store.all_ids()), a.store.count(), sentences, {d.source: d.sha256 for d in a.documents()}


def assert_consistent(a: Assistant) -> None:
    """BM25 (as saved) in step with Chroma, and every document has exactly its recorded passages."""
    saved = LexicalIndex(a.tokenizer)
    assert saved.load(a.settings.bm25_path)
    assert saved.fingerprint == a.store.fingerprint()
    assert {p.chunk_id for p in saved.passages} == set(a.store.all_ids())
    for doc in a.documents():
        assert len(a.store.ids_for_source(doc.source)) == doc.passages


def ingest_with_a_good_file(a: Assistant, target: Path, *, target_ok: bool) -> tuple[float, list[str]]:
    """Ingest the file beside a good one and check that only the new files' passages were added.

    Returns (seconds, failure reasons)."""
    good = target.parent / f"godt-{target.stem}-{target.suffix.strip('.') or 'none'}.md"
    good.write_text(GOOD_NOTE, encoding="utf-8")
    new_sources = {good.stem, target.stem} if target_ok else {good.stem}
    before_ids, before_count, before_sentences, before_docs = snapshot(a)
    started = time.monotonic()
    report = a.ingest([target, good])
    seconds = time.monotonic() - started

    assert {o.source for o in report.added} == new_sources
    after_ids, after_count, after_sentences, after_docs = snapshot(a)
    added = {cid for source in new_sources for cid in a.store.ids_for_source(source)}
    assert before_ids <= after_ids and after_ids - before_ids == added
    assert after_count == before_count + len(added)
    assert before_sentences <= after_sentences
    assert {k: v for k, v in after_docs.items() if k not in new_sources} == before_docs
    assert_consistent(a)
    return seconds, [o.reason for o in report.failed]


# -- bad files ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "make", "problem"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_file_is_refused_clearly(
    indexed: Assistant, tmp_path: Path, name: str, make: Callable[[], bytes], problem: str
) -> None:
    bad = tmp_path / name
    bad.write_bytes(make())
    seconds, reasons = ingest_with_a_good_file(indexed, bad, target_ok=False)

    assert len(reasons) == 1, reasons
    # "<file>: <what is wrong>. <what to do>"
    match = re.fullmatch(rf"{re.escape(str(bad))}: (?P<problem>.+?)\. (?P<advice>[A-ZÆØÅ].+)", reasons[0])
    assert match, reasons[0]
    assert re.search(problem, match["problem"]), reasons[0]
    assert indexed.store.ids_for_source(bad.stem) == []
    assert indexed.store.sentence_ids_for_source(bad.stem) == []
    assert bad.stem not in {d.source for d in indexed.documents()}
    assert seconds < 120


def test_pdf_with_an_empty_user_password_is_read(indexed: Assistant, tmp_path: Path) -> None:
    pdf = tmp_path / "beskyttet.pdf"
    pdf.write_bytes(encrypted_pdf(""))
    _, reasons = ingest_with_a_good_file(indexed, pdf, target_ok=True)
    assert reasons == []
    [passage] = [p for p in indexed.store.all_passages() if p.source == "beskyttet"]
    assert "tryggere hjemmetjenester" in passage.text


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("lang-linje.txt", "velferdsteknologi gir tryggere hjemmetjenester " * 22_000),  # no sentence ends
        ("ett-ord.txt", "a" * 1_000_000),
    ],
)
def test_one_megabyte_line_is_ingested_in_bounded_time(
    indexed: Assistant, tmp_path: Path, name: str, line: str
) -> None:
    path = tmp_path / name
    path.write_text(line, encoding="utf-8")
    seconds, reasons = ingest_with_a_good_file(indexed, path, target_ok=True)
    assert reasons == []
    passages = [p for p in indexed.store.all_passages() if p.source == path.stem]
    limit = indexed.settings.chunk_max_words
    assert passages and all(len(p.text.split()) <= limit for p in passages)
    assert all(len(p.text) <= limit * CHARS_PER_WORD for p in passages)
    assert sum(len("".join(p.text.split())) for p in passages) == len("".join(line.split()))  # nothing lost
    assert seconds < 300


def test_pdf_reading_stops_at_the_time_budget(tmp_path: Path) -> None:
    """Streams under the size cap but slow to read, on many pages: the per-file budget ends it."""
    path = tmp_path / "tung.pdf"
    path.write_bytes(huge_stream_pdf(0.05, pages=40))
    started = time.monotonic()
    with pytest.raises(
        DocumentError, match=r"reading its text took more than 0 s \(stopped at page \d+ of 40\)"
    ):
        load_file(path, time_budget=0.2)
    assert time.monotonic() - started < 30


def test_file_above_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "stor.txt"
    path.write_text("ord " * 10_000, encoding="utf-8")
    with pytest.raises(
        DocumentError, match=r"above the 0 MB limit\. Split it, or raise ASSISTANT_MAX_FILE_MB"
    ):
        load_file(path, max_mb=0.01)


# -- fuzzing the loaders -----------------------------------------------------------------------------
SMALL_PDF = text_pdf(["Første side om samhandling.", "Andre side om helsedata og journal."])


def _parse_bytes(data: bytes, suffix: str) -> ParsedDocument | None:
    """Parse the bytes as a file; a DocumentError is a fine outcome, anything else fails the test."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        started = time.monotonic()
        try:
            doc = parse_document(path, None)
        except DocumentError as exc:
            assert str(exc).startswith(str(path)) and exc.problem and exc.advice
            return None
        finally:
            assert time.monotonic() - started < 20
        assert doc.passages and all(0 < len(p.text.split()) <= 300 for p in doc.passages)
        assert all(1 <= p.page <= p.page_end <= doc.pages for p in doc.passages)
        return doc


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    edits=st.lists(st.tuples(st.floats(0, 1), st.binary(min_size=1, max_size=16)), min_size=1, max_size=4),
    cut=st.one_of(st.none(), st.floats(0, 1)),
)
def test_mutated_pdfs_parse_or_fail_with_a_document_error(
    edits: list[tuple[float, bytes]], cut: float | None
) -> None:
    data = bytearray(SMALL_PDF)
    for where, junk in edits:
        at = int(where * (len(data) - 1))
        data[at : at + len(junk)] = junk
    if cut is not None:
        data = data[: int(cut * len(data))]
    _parse_bytes(bytes(data), ".pdf")


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".txt", ".md"]))
def test_random_bytes_as_text_parse_or_fail_with_a_document_error(data: bytes, suffix: str) -> None:
    if _parse_bytes(data, suffix) is not None:
        assert b"\x00" not in data and data.decode("utf-8-sig").strip()


@settings(max_examples=40, deadline=None)
@given(text=st.text(max_size=3000), suffix=st.sampled_from([".txt", ".md"]))
def test_any_unicode_text_parses_or_fails_with_a_document_error(text: str, suffix: str) -> None:
    _parse_bytes(text.encode("utf-8"), suffix)


# -- bad questions -----------------------------------------------------------------------------------
@pytest.mark.parametrize("question", ["", "   \n\t  ", "?!.,", "\x00\x07\x1b"])
def test_empty_questions_are_input_errors(assistant: Assistant, question: str) -> None:
    with pytest.raises(InputError):
        assistant.retrieve(question)
    with pytest.raises(InputError):
        assistant.ask(question)


def test_question_that_is_not_text_is_an_input_error(assistant: Assistant) -> None:
    with pytest.raises(InputError):
        assistant.retrieve(None)  # type: ignore[arg-type]


def test_control_characters_are_ignored(assistant: Assistant) -> None:
    dirty = "\x00Hvor mange\x07 instanser\x1b sendte\u200b inn\u202e høringssvar?\x7f"
    clean = [p.chunk_id for p in assistant.retrieve(QUESTION)]
    assert [p.chunk_id for p in assistant.retrieve(dirty)] == clean
    assert assistant.ask(dirty).text == assistant.ask(QUESTION).text


def test_twenty_thousand_character_question_gets_a_sane_result(assistant: Assistant) -> None:
    long_question = (QUESTION + " ") * (20_000 // (len(QUESTION) + 1) + 1)
    assert len(long_question) > 20_000
    hits = assistant.retrieve(long_question, k=5)
    assert len(hits) == 5 and any("89 ulike instanser" in p.text for p in hits[:3])
    answer = assistant.ask(long_question)
    assert isinstance(answer, Answer) and answer.text.strip()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(question=st.text(max_size=200))
def test_any_text_gives_passages_or_an_input_error(assistant: Assistant, question: str) -> None:
    try:
        hits = assistant.retrieve(question, k=5)
    except InputError:
        assert not any(ch.isalnum() for ch in question)
        return
    assert len(hits) <= 5 and len({p.chunk_id for p in hits}) == len(hits)
