"""Document metadata from ``sources.toml`` beside the files, with sensible fallbacks for unnamed files."""

from __future__ import annotations

import tomllib
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from core.errors import DocumentError
from ingest.profile import CorpusProfile

MANIFEST_NAME = "sources.toml"


@dataclass(frozen=True)
class ManifestEntry:
    file: str
    id: str | None = None
    title: str | None = None
    kind: str | None = None
    organisation: str | None = None
    respondent_category: str | None = None
    date: str | None = None
    url: str | None = None


def read_manifest(folder: Path, kinds: Collection[str] | None = None) -> dict[str, ManifestEntry]:
    """Entries of ``folder/sources.toml`` keyed by file name; an absent manifest is an empty one. A kind
    must be one of ``kinds`` (the corpus profile's; None: the standard ones)."""
    kinds = list(kinds if kinds is not None else CorpusProfile().known_kinds())
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DocumentError(
            str(path), f"the manifest cannot be read ({exc})", "Fix the TOML syntax."
        ) from None
    known = set(ManifestEntry.__dataclass_fields__)
    entries: dict[str, ManifestEntry] = {}
    for raw in data.get("document", []):
        if "file" not in raw:
            continue
        entry = ManifestEntry(**{k: str(v) for k, v in raw.items() if k in known})
        if entry.kind and entry.kind not in kinds:
            raise DocumentError(
                str(path), f"unknown kind '{entry.kind}' for {entry.file}", f"Use one of: {', '.join(kinds)}."
            )
        entries[entry.file] = entry
    return entries


def guess_kind(text: str, profile: CorpusProfile | None = None) -> str:
    """A file named in no manifest: a hearing response when it is on the hearing form (it holds one of the
    profile's form markers, words of the form's own), else a document (the kinds of those roles in the
    profile)."""
    profile = profile or CorpusProfile()
    folded = " ".join(text.split()).casefold()
    if any(marker in folded for marker in profile.form_markers):
        return profile.kind_of("hearing_response", "høringssvar")
    return profile.kind_of("other", "dokument")


def _toml_string(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's, and ensure_ascii keeps control characters out)."""
    import json

    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def write_manifest(folder: Path, entries: dict[str, ManifestEntry]) -> None:
    """Write ``folder/sources.toml`` with ``entries`` (keyed by file name); atomically, so a reader never
    sees half a manifest. No entries: the file is removed."""
    path = folder / MANIFEST_NAME
    if not entries:
        path.unlink(missing_ok=True)
        return
    lines = ["# Metadata for uploaded documents, written by the app: one [[document]] per file.", ""]
    for entry in entries.values():
        lines.append("[[document]]")
        for name in ManifestEntry.__dataclass_fields__:
            value = getattr(entry, name)
            if value:
                lines.append(f"{name} = {_toml_string(str(value))}")
        lines.append("")
    folder.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{MANIFEST_NAME}.tmp")
    tmp.write_text("\n".join(lines), encoding="utf-8")
    tmp.replace(path)
