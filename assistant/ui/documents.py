"""The "Dokumenter" tab: what is indexed, uploading new files, removing documents.

Uploads are copied into ``<home>/uploads`` under their own file name (the name is the document id),
so ``ingest --prune`` keeps them and a re-upload of the same name replaces the earlier version.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.api import Assistant
from assistant.errors import AssistantError
from assistant.types import DocumentInfo, FileOutcome
from assistant.ui.document_meta import kind_choices, organisation_choices, removal_question
from assistant.ui.sources import WARNING_TITLE, kind_label
from ingest.manifest import ManifestEntry, read_manifest, write_manifest

ALLOWED_SUFFIXES = (".pdf", ".txt", ".md")
HEADERS = ["Tittel", "Type", "Organisasjon", "Sider", "Passasjer", "Innlest", "Dokument-id"]
UPLOAD_DIR = "uploads"
_BACKUP_DIR = ".forrige"  # hidden, so a folder ingest never picks the previous versions up

ProgressFn = Callable[..., Any]


@dataclass
class DocumentsTab:
    """What the app wires across tabs: the listing to fill on page load, and the events that change it."""

    table: gr.Dataframe
    to_remove: gr.Dropdown
    listing: Callable[[], tuple[list[list[Any]], Any]]
    changed: list[Any] = field(default_factory=list)


def uploads_dir(assistant: Assistant) -> Path:
    return assistant.settings.home / UPLOAD_DIR


def _when(stamp: str) -> str:
    """'2025-11-23T10:53:00+00:00' -> '2025-11-23 10:53 UTC'."""
    date, _, rest = stamp.partition("T")
    return f"{date} {rest[:5]} UTC" if rest else stamp


def document_rows(docs: list[DocumentInfo]) -> list[list[Any]]:
    return [
        [d.title, kind_label(d.kind), d.organisation, d.pages, d.passages, _when(d.ingested_at), d.source]
        for d in sorted(docs, key=lambda d: (d.kind, d.title))
    ]


def document_choices(docs: list[DocumentInfo]) -> list[tuple[str, str]]:
    return [(f"{d.title} ({d.source})", d.source) for d in sorted(docs, key=lambda d: d.title)]


def _uploaded_versions(folder: Path, stem: str) -> list[Path]:
    """Files in the uploads folder that are (earlier versions of) document ``stem``."""
    if not folder.is_dir():
        return []
    return [
        p for p in folder.iterdir() if p.is_file() and p.stem == stem and p.suffix.lower() in ALLOWED_SUFFIXES
    ]


def check_upload(path: Path, max_mb: float, known: set[str], folder: Path) -> str | None:
    """Why this upload cannot be taken, in words for the user; None if it can."""
    name = path.name
    if path.suffix.lower() not in ALLOWED_SUFFIXES:
        return f"«{name}» har en filtype som ikke støttes. Last opp PDF, .txt eller .md."
    if name.startswith(".") or not path.stem.strip():
        return f"«{name}» mangler et filnavn. Gi filen et navn og prøv igjen."
    size = path.stat().st_size
    if size > max_mb * 1024 * 1024:
        return f"«{name}» er {size / 1024 / 1024:.0f} MB, over grensen på {max_mb:.0f} MB."
    if size == 0:
        return f"«{name}» er tom (0 byte). Last ned eller eksporter dokumentet på nytt."
    if path.stem in known and not _uploaded_versions(folder, path.stem):
        return (
            f"Det finnes allerede et dokument med id «{path.stem}» som ikke er lastet opp her. "
            "Gi filen et annet navn og prøv igjen."
        )
    return None


def _friendly(outcome: FileOutcome, name: str) -> str:
    """The indexer's reason with the server path replaced by the file name the user chose."""
    reason = outcome.reason
    if outcome.path:
        reason = reason.removeprefix(f"{outcome.path}: ").replace(outcome.path, name)
    return f"«{name}» kunne ikke leses inn: {reason}"


def ingest_uploads(
    assistant: Assistant,
    files: list[str],
    progress: ProgressFn,
    kind: str = "",
    organisation: str = "",
) -> tuple[list[str], list[str]]:
    """Copy, ingest and report each upload; returns (successes, failures) as sentences.

    ``kind`` and ``organisation`` (empty: none given) are written to the uploads folder's
    ``sources.toml``, so they are the document's metadata now and after any later ingest of the folder.
    A failed file leaves the index and the uploads folder as they were: its copy is deleted and an
    earlier version of the same name, with its metadata, is put back.
    """
    kind, organisation = (kind or "").strip(), " ".join((organisation or "").split())
    kinds = list(assistant.profile.known_kinds())
    if kind and kind not in kinds:
        return [], [f"Dokumenttypen «{kind}» finnes ikke. Velg en av: {', '.join(kinds)}."]
    folder = uploads_dir(assistant)
    folder.mkdir(parents=True, exist_ok=True)
    manifest = read_manifest(folder, kinds)
    before = dict(manifest)
    backups = folder / _BACKUP_DIR
    known = {d.source for d in assistant.documents()}
    done: list[str] = []
    failed: list[str] = []
    staged: dict[str, tuple[Path, list[Path]]] = {}  # source -> (copy, moved-aside earlier versions)
    for raw in files:
        upload = Path(raw)
        problem = check_upload(upload, assistant.settings.max_file_mb, known, folder)
        if problem is None and upload.stem in staged:
            problem = f"«{upload.name}» har samme navn som en annen fil i samme opplasting."
        if problem:
            failed.append(problem)
            continue
        backups.mkdir(exist_ok=True)
        earlier = []
        for old in _uploaded_versions(folder, upload.stem):
            moved = backups / old.name
            shutil.move(old, moved)
            earlier.append(moved)
        target = folder / upload.name
        shutil.copyfile(upload, target)
        staged[upload.stem] = (target, earlier)
        for old in earlier:
            manifest.pop(old.name, None)
        if kind or organisation:
            manifest[upload.name] = ManifestEntry(
                file=upload.name, kind=kind or None, organisation=organisation or None
            )
    if not staged:
        return done, failed
    write_manifest(folder, manifest)

    def report_progress(stage: str, n: int, total: int) -> None:
        label = "Leser filer" if stage == "files" else "Lager søkeindeks for tekstbitene"
        progress((n, total), desc=label)

    def put_back(source: str) -> None:
        copy, earlier = staged.pop(source)
        copy.unlink(missing_ok=True)
        manifest.pop(copy.name, None)
        for moved in earlier:
            shutil.move(moved, folder / moved.name)
            if moved.name in before:
                manifest[moved.name] = before[moved.name]
        write_manifest(folder, manifest)

    progress(0.0, desc="Leser filer")
    try:
        report = assistant.ingest([copy for copy, _ in staged.values()], progress=report_progress)
    except BaseException:
        for source in list(staged):  # the index kept the earlier versions; so does the folder
            put_back(source)
        raise
    for outcome in report.failed:
        name = staged[outcome.source][0].name if outcome.source in staged else Path(outcome.path).name
        failed.append(_friendly(outcome, name))
        if outcome.source in staged:
            put_back(outcome.source)
    verbs = {"added": "lagt til", "updated": "oppdatert", "skipped": "uendret (var allerede lest inn)"}
    for status, verb in verbs.items():
        for outcome in getattr(report, status):
            copy, earlier = staged[outcome.source]
            for moved in earlier:
                moved.unlink(missing_ok=True)
            done.append(
                f"«{copy.name}» {verb} ({outcome.passages} tekstbiter){_as_what(assistant, outcome.source)}."
            )
    with contextlib.suppress(OSError):
        backups.rmdir()  # only succeeds when empty, which it is unless a restore failed
    return done, failed


def _as_what(assistant: Assistant, source: str) -> str:
    """« som Høringssvar fra X», the kind and organisation the document was stored with."""
    info = next((d for d in assistant.documents() if d.source == source), None)
    if info is None:
        return ""
    return f" som {kind_label(info.kind).lower()}" + (
        f" fra {info.organisation}" if info.organisation else ""
    )


def status_markdown(done: list[str], failed: list[str]) -> str:
    lines = [f"**Lest inn:** {line}" for line in done] + [f"**Feil:** {line}" for line in failed]
    return "\n\n".join(lines)


def remove_document(assistant: Assistant, source: str) -> int:
    """Remove a document's passages; an uploaded one leaves the uploads folder too, or the next
    folder ingest would bring it back. Returns how many passages went."""
    removed = assistant.remove_document(source)
    folder = uploads_dir(assistant)
    versions = _uploaded_versions(folder, source)
    for path in versions:
        path.unlink(missing_ok=True)
    if versions:
        manifest = read_manifest(folder, list(assistant.profile.known_kinds()))
        for path in versions:
            manifest.pop(path.name, None)
        write_manifest(folder, manifest)
    return removed


def build_documents_tab(assistant: Assistant) -> DocumentsTab:
    max_mb = assistant.settings.max_file_mb
    docs = assistant.documents()
    table = gr.Dataframe(
        headers=HEADERS,
        value=document_rows(docs) or None,
        label="Dokumenter i indeksen",
        interactive=False,
        wrap=True,
        elem_id="dokumenter",
        column_widths=["34%", "12%", "18%", "6%", "8%", "12%", "10%"],
    )
    refresh = gr.Button("Oppdater listen", size="sm")
    with gr.Row(equal_height=False):
        with gr.Column():
            gr.Markdown(
                f"### Last opp dokumenter\nPDF, .txt eller .md, høyst {max_mb:g} MB per fil. "
                "Filnavnet blir dokumentets id; en ny fil med samme navn erstatter den forrige."
            )
            files = gr.File(
                label="Filer",
                file_count="multiple",
                file_types=list(ALLOWED_SUFFIXES),
                type="filepath",
                elem_id="opplasting",
            )
            with gr.Row():
                kind = gr.Dropdown(
                    kind_choices(assistant),
                    value="",
                    label="Dokumenttype",
                    info="Brukes i filtrene og i svarene. «Finn ut selv»: høringssvar hvis filen er på "
                    "høringsskjemaet, ellers dokument.",
                    elem_id="opplasting-type",
                )
                organisation = gr.Dropdown(
                    organisation_choices(docs),
                    value=None,
                    allow_custom_value=True,
                    label="Organisasjon",
                    info="Hvem dokumentet er fra; velg eller skriv inn. Kan stå tom.",
                    elem_id="opplasting-organisasjon",
                )
            ingest_button = gr.Button("Les inn", variant="primary", elem_id="les-inn")
            upload_status = gr.Markdown("", elem_id="opplasting-status")
        with gr.Column():
            gr.Markdown("### Fjern et dokument\nFjerner dokumentet og alle tekstbitene fra indeksen.")
            to_remove = gr.Dropdown(
                document_choices(docs), value=None, label="Dokument", elem_id="fjern-valg"
            )
            remove_button = gr.Button("Fjern dokumentet …", variant="stop", elem_id="fjern")
            with gr.Group(visible=False, elem_id="fjern-bekreft") as confirm_box:
                question = gr.Markdown(elem_id="fjern-sporsmal")
                with gr.Row():
                    confirm = gr.Button("Ja, fjern dokumentet", variant="stop", elem_id="fjern-ja")
                    cancel = gr.Button("Avbryt", elem_id="fjern-avbryt")
            remove_status = gr.Markdown("", elem_id="fjern-status")

    def listing() -> tuple[list[list[Any]], Any]:
        docs = assistant.documents()
        return document_rows(docs), gr.update(choices=document_choices(docs), value=None)

    def choices() -> tuple[Any, Any]:
        docs = assistant.documents()
        return gr.update(choices=kind_choices(assistant)), gr.update(choices=organisation_choices(docs))

    def on_ingest(
        uploaded: list[str] | None,
        kind_value: str | None,
        organisation_value: str | None,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 (Gradio's idiom)
    ) -> tuple[Any, ...]:
        if not uploaded:
            gr.Warning("Velg en eller flere filer først.", title=WARNING_TITLE)
            return (gr.update(), *listing(), *choices(), "Ingen filer valgt.", gr.update())
        try:
            done, failed = ingest_uploads(
                assistant, list(uploaded), progress, kind_value or "", organisation_value or ""
            )
        except AssistantError as exc:
            gr.Warning(str(exc), title=WARNING_TITLE)
            return (None, *listing(), *choices(), f"**Feil:** {exc}", "")
        if failed:
            gr.Warning(
                f"{len(failed)} av {len(uploaded)} filer kunne ikke leses inn. Se meldingen under.",
                title=WARNING_TITLE,
            )
        # A message about an earlier removal no longer applies once the list has changed again.
        return (None, *listing(), *choices(), status_markdown(done, failed), "")

    def on_ask(source: str | None) -> tuple[Any, str, str]:
        if not source:
            gr.Warning("Velg et dokument først.", title=WARNING_TITLE)
            return gr.update(visible=False), "", ""
        return gr.update(visible=True), removal_question(assistant, source), ""

    def on_remove(source: str | None) -> tuple[Any, ...]:
        hidden = gr.update(visible=False)
        if not source:
            gr.Warning("Velg et dokument først.", title=WARNING_TITLE)
            return (*listing(), "", gr.update(), hidden)
        try:
            removed = remove_document(assistant, source)
        except AssistantError as exc:
            gr.Warning(str(exc), title=WARNING_TITLE)
            return (*listing(), f"**Feil:** {exc}", gr.update(), hidden)
        # «Lest inn …» may name the document that is now gone: that message no longer applies.
        return (*listing(), f"«{source}» er fjernet ({removed} tekstbiter).", "", hidden)

    def on_cancel() -> tuple[Any, str]:
        return gr.update(visible=False), "Ingenting ble fjernet."

    def on_pick() -> tuple[Any, str]:
        return gr.update(visible=False), ""

    loaded = gr.on([refresh.click], listing, outputs=[table, to_remove], api_visibility="private")
    refresh.click(choices, outputs=[kind, organisation], api_visibility="private")
    files.upload(lambda: "", outputs=upload_status, api_visibility="private")  # new files: old news goes
    ingested = ingest_button.click(
        on_ingest,
        inputs=[files, kind, organisation],
        outputs=[files, table, to_remove, kind, organisation, upload_status, remove_status],
        api_name="ingest_files",
        concurrency_limit=1,
        concurrency_id="ingest",
    )
    remove_button.click(
        on_ask, inputs=[to_remove], outputs=[confirm_box, question, remove_status], api_visibility="private"
    )
    to_remove.input(on_pick, outputs=[confirm_box, remove_status], api_visibility="private")
    cancel.click(on_cancel, outputs=[confirm_box, remove_status], api_visibility="private")
    removed = confirm.click(
        on_remove,
        inputs=[to_remove],
        outputs=[table, to_remove, remove_status, upload_status, confirm_box],
        api_name="remove_document",
        concurrency_limit=1,
        concurrency_id="ingest",
    )
    return DocumentsTab(
        table=table, to_remove=to_remove, listing=listing, changed=[loaded, ingested, removed]
    )
