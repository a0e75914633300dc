"""Read one file into pages of text, or raise a ``DocumentError`` that says what is wrong and what to do."""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import DocumentError

SUPPORTED_SUFFIXES = (".pdf", ".txt", ".md")
# A form feed separates pages in plain-text extractions that kept their page breaks.
_FORM_FEED = "\f"
# pypdf reads drawing instructions at well under 1 MB/s, so a small file whose streams inflate to
# megabytes of text operators (a "PDF bomb") could take hours. Real pages hold 5–200 KB of them.
MAX_PAGE_CONTENT_MB = 10.0
# Wall-clock budget for extracting one PDF's text (real documents: ~20 ms a page).
PDF_TIME_BUDGET_SECONDS = 120.0


@dataclass(frozen=True)
class Page:
    number: int
    text: str


@dataclass(frozen=True)
class LoadedFile:
    path: Path
    source: str
    sha256: str
    pages: list[Page]


def source_id(path: Path) -> str:
    """Document id = file stem, so answers can name the file a user recognises."""
    return path.stem


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_file(
    path: Path, *, max_pages: int = 2000, max_mb: float = 50.0, time_budget: float = PDF_TIME_BUDGET_SECONDS
) -> LoadedFile:
    """Read a PDF page by page, or a UTF-8 text/Markdown file, checking size and type first."""
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(
            name,
            f"unsupported file type '{suffix or '(none)'}'",
            "Convert it to PDF, .txt or .md and ingest it again.",
        )
    if not path.is_file():
        raise DocumentError(name, "file not found", "Check the path.")
    size = path.stat().st_size
    if size == 0:
        raise DocumentError(name, "the file is empty (0 bytes)", "Export or download the document again.")
    if size > max_mb * 1024 * 1024:
        raise DocumentError(
            name,
            f"the file is {size / 1024 / 1024:.0f} MB, above the {max_mb:.0f} MB limit",
            "Split it, or raise ASSISTANT_MAX_FILE_MB if it really belongs in the index.",
        )
    data = path.read_bytes()
    pages = _read_pdf(path, data, max_pages, time_budget) if suffix == ".pdf" else _read_text(path, data)
    if not any(p.text.strip() for p in pages):
        if suffix == ".pdf":
            raise DocumentError(
                name,
                "no text could be extracted (the PDF holds only images, e.g. a scan)",
                "Run OCR on it (e.g. ocrmypdf) or ingest a text version.",
            )
        raise DocumentError(name, "the file has no text", "Check that the right file was chosen.")
    return LoadedFile(path=path, source=source_id(path), sha256=file_sha256(data), pages=pages)


def _read_text(path: Path, data: bytes) -> list[Page]:
    if b"\x00" in data:
        raise DocumentError(
            str(path),
            "the file contains NUL bytes, so it is binary rather than text",
            "Save it as UTF-8 text, or ingest the original PDF.",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            str(path),
            f"the text is not valid UTF-8 (byte {exc.start} cannot be decoded)",
            "Save it as UTF-8 (e.g. `iconv -f latin1 -t utf-8`) and ingest it again.",
        ) from None
    chunks = text.split(_FORM_FEED) if _FORM_FEED in text else [text]
    return [Page(number=i + 1, text=chunk) for i, chunk in enumerate(chunks)]


def _content_bytes(page: Any, limit: int) -> int:
    """Decompressed size of a page's drawing instructions, each form XObject counted once per use.

    Stops counting once past ``limit``. Uses are counted by name, an upper bound that is cheap.
    """
    contents = page.get_contents()
    data = contents.get_data() if contents is not None else b""
    memo: dict[Any, int] = {}

    def size(data: bytes, resources: Any, depth: int) -> int:
        total = len(data)
        try:
            xobjects = resources.get_object().get("/XObject") if resources is not None else None
            items = list(xobjects.get_object().items()) if xobjects is not None else []
        except AttributeError:
            items = []
        for name, ref in items:
            if total > limit or depth > 8:
                break
            uses = data.count(str(name).encode("latin-1", "replace"))
            form = ref.get_object()
            if not uses or form.get("/Subtype") != "/Form":
                continue
            key = getattr(ref, "idnum", None) or id(form)
            if key not in memo:
                memo[key] = limit + 1  # a form that draws itself counts as too large
                memo[key] = size(form.get_data(), form.get("/Resources"), depth + 1)
            total += uses * memo[key]
        return total

    return size(data, page.get("/Resources"), 0)


def _read_pdf(
    path: Path, data: bytes, max_pages: int, time_budget: float = PDF_TIME_BUDGET_SECONDS
) -> list[Page]:
    # Imported here: pypdf is only needed when a PDF is actually read.
    import io

    import pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError

    name = str(path)
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise DocumentError(
            name, "this is not a PDF (no %PDF header)", "Check the file; re-export it as PDF."
        )
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                # Many "protected" PDFs only restrict printing and open with an empty password.
                ok = bool(reader.decrypt(""))
            except DependencyError:
                raise
            except Exception:
                ok = False
            if not ok:
                raise DocumentError(
                    name,
                    "the PDF is encrypted with a password",
                    "Remove the password (e.g. `qpdf --decrypt`) and ingest it again.",
                )
        count = len(reader.pages)
    except DocumentError:
        raise
    except FileNotDecryptedError:
        raise DocumentError(
            name, "the PDF is encrypted with a password", "Remove the password and ingest it again."
        ) from None
    except DependencyError:  # pypdf needs `cryptography` for AES, the usual cipher of newer PDFs
        raise DocumentError(
            name,
            "the PDF is encrypted with AES, which needs the `cryptography` package to open",
            "Install it (pip install cryptography) or remove the encryption (`qpdf --decrypt`).",
        ) from None
    except Exception as exc:  # pypdf raises many types (and RecursionError) on damaged files
        raise DocumentError(
            name,
            f"the PDF is damaged or truncated ({type(exc).__name__})",
            "Download or export it again; if it opens elsewhere, print it to a new PDF.",
        ) from None
    if count == 0:
        raise DocumentError(
            name, "the PDF has no readable pages (it may be damaged)", "Download or export it again."
        )
    if count > max_pages:
        raise DocumentError(
            name,
            f"the PDF has {count} pages, above the limit of {max_pages}",
            "Split it, or raise ASSISTANT_MAX_PDF_PAGES.",
        )
    pages: list[Page] = []
    limit = int(MAX_PAGE_CONTENT_MB * 1024 * 1024)
    started = time.monotonic()
    for number, page in enumerate(reader.pages, start=1):
        if time.monotonic() - started > time_budget:
            raise DocumentError(
                name,
                f"reading its text took more than {time_budget:.0f} s (stopped at page {number} of {count}), "
                "far longer than a normal document",
                "Print it to a new PDF, or ingest a text version.",
            )
        try:
            size = _content_bytes(page, limit)
            if size > limit:
                raise DocumentError(
                    name,
                    f"page {number} holds over {MAX_PAGE_CONTENT_MB:.0f} MB of drawing instructions once "
                    "decompressed (a normal page has well under 1 MB), so reading it would take very long",
                    "Print it to a new PDF, or ingest a text version.",
                )
            text = page.extract_text() or ""
        except DocumentError:
            raise
        except FileNotDecryptedError:
            raise DocumentError(
                name, "the PDF is encrypted with a password", "Remove the password and ingest it again."
            ) from None
        except LimitReachedError:
            raise DocumentError(
                name,
                f"page {number} has a stream that decompresses to more than pypdf's safety limit",
                "Print it to a new PDF, or ingest a text version.",
            ) from None
        except Exception as exc:  # pypdf raises many types on broken content streams
            raise DocumentError(
                name,
                f"page {number} cannot be read ({type(exc).__name__})",
                "Export the document again, or print it to a new PDF.",
            ) from None
        pages.append(Page(number=number, text=text))
    return pages
