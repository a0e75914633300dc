"""Ingest progress on stderr, shared by the CLI (`ingest`) and the chat app (filling an empty index)."""

from __future__ import annotations

import sys
from typing import Any


def progress_printer() -> Any:
    """A tqdm bar per stage (files, embeddings) on stderr."""
    from tqdm import tqdm

    bars: dict[str, Any] = {}

    def close() -> None:
        for bar in bars.values():
            bar.close()
        bars.clear()

    def progress(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None or bar.total != total:
            if bar is not None:
                bar.close()
            label = "Filer" if stage == "files" else "Innbygging"
            bar = bars[stage] = tqdm(
                total=total, desc=label, unit="", leave=stage == "files", file=sys.stderr
            )
        bar.n = done
        bar.refresh()

    progress.close = close  # type: ignore[attr-defined]
    return progress
