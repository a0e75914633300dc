"""``python -m assistant``: ingest, retrieve, ask, documents, chat, eval. Errors become one clear line here."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError
from assistant.progress import progress_printer


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _table(rows: list[list[str]], headers: list[str]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=False)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(out)


def cmd_ingest(args: argparse.Namespace) -> int:
    from assistant.api import Assistant

    assistant = Assistant.open()
    progress = progress_printer()
    report = assistant.ingest(args.paths or None, prune=args.prune, progress=progress)
    progress.close()  # finish the bars before any message, so no line is drawn over
    if args.json:
        _print_json(report.to_dict())
    else:
        rows = [
            [o.status, o.source, str(o.passages), o.reason]
            for group in (report.added, report.updated, report.skipped, report.removed, report.failed)
            for o in group
        ]
        print(_table(rows, ["status", "dokument", "passasjer", "merknad"]))
        print(
            f"\n{len(report.added)} lagt til, {len(report.updated)} oppdatert, {len(report.skipped)} uendret, "
            f"{len(report.removed)} fjernet, {len(report.failed)} feilet · {report.embedded_texts} tekster "
            f"innebygd på {report.embedding_seconds:.1f} s av {report.total_seconds:.1f} s"
        )
    for failure in report.failed:
        print(f"FEIL: {failure.reason}", file=sys.stderr)
    return 1 if report.failed else 0


def cmd_retrieve(args: argparse.Namespace) -> int:
    from assistant.api import Assistant

    assistant = Assistant.open()
    question, notes = assistant.read_question(args.question)
    passages = assistant.retrieve(question, k=args.k, filters=_filters(args))
    for note in notes:  # on stderr, so --json output stays one JSON document
        print(f"Merk: {note}", file=sys.stderr)
    if args.json:
        _print_json([p.to_dict() for p in passages])
        return 0
    for i, p in enumerate(passages, 1):
        print(f"[{i}] {p.score:.4f}  {p.title} · {p.section} · s. {p.page}")
        print("    " + p.text[:300].replace("\n", " ") + ("…" if len(p.text) > 300 else ""))
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant.api import Assistant

    answer = Assistant.open().ask(args.question, filters=_filters(args))
    if args.json:
        _print_json(answer.to_dict())
        return 0
    print(answer.text)
    for note in answer.notes:
        print(f"Merk: {note}")
    if args.explain and answer.explain is not None:
        print("\nHvorfor dette svaret:\n" + answer.explain.render())
    if answer.citations:
        print("\nKilder:")
        for c in answer.citations:
            print(f"[{c.n}] {c.title}, {c.place or '—'}, s. {c.page}: «{c.quote}»")
    return 0


def cmd_documents(args: argparse.Namespace) -> int:
    from assistant.api import Assistant

    docs = Assistant.open().documents()
    if args.json:
        _print_json([d.to_dict() for d in docs])
        return 0
    rows = [[d.source, d.kind, str(d.pages), str(d.passages), d.ingested_at, d.title[:60]] for d in docs]
    print(_table(rows, ["dokument", "type", "sider", "passasjer", "innlest", "tittel"]))
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from assistant.ui.app import serve

    return serve(host=args.host, port=args.port, no_auth=args.no_auth)


def cmd_eval(args: argparse.Namespace) -> int:
    import pytest

    root = Path(__file__).resolve().parent.parent
    return int(pytest.main([str(root / "evals"), "-q", *args.pytest_args]))


def cmd_fit_reader(args: argparse.Namespace) -> int:
    """Refit the reader's ranker (evals/fit_reader.py; needs a clone of the repository and scikit-learn)."""
    root = Path(__file__).resolve().parent.parent
    if not (root / "evals" / "fit_reader.py").is_file():
        print("Feil: fit-reader trenger en klone av kodelageret (evals/ og data/norquad/).", file=sys.stderr)
        return 2
    sys.path.insert(0, str(root))
    from evals.fit_reader import main as fit_main

    return fit_main(list(args.fit_args))


def _filters(args: argparse.Namespace) -> dict[str, Any] | None:
    filters = {k: getattr(args, k, None) for k in ("kind", "organisation", "source")}
    return {k: v for k, v in filters.items() if v} or None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m assistant", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="read documents into the index (default: data/corpus)")
    p.add_argument("paths", nargs="*", type=Path)
    p.add_argument("--prune", action="store_true", help="remove indexed documents whose files are gone")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ingest)

    for name, func, helptext in (
        ("retrieve", cmd_retrieve, "show the passages that best match a question"),
        ("ask", cmd_ask, "answer a question with citations"),
    ):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("question")
        p.add_argument("--json", action="store_true")
        p.add_argument("--kind", action="append", help="only documents of this kind (repeatable)")
        p.add_argument("--organisation", action="append")
        p.add_argument("--source", action="append", help="only this document id (repeatable)")
        if name == "retrieve":
            p.add_argument("-k", type=int, default=10)
        else:
            p.add_argument("--explain", action="store_true", help="show why: analysis, candidates, checks")
        p.set_defaults(func=func)

    p = sub.add_parser("documents", help="list the indexed documents")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_documents)

    p = sub.add_parser(
        "chat", help="start the chat app (ingests the bundled corpus first if the index is empty)"
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--no-auth", action="store_true", help="allow a non-local bind without a password")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser(
        "fit-reader", help="refit the reader's ranker and print its validation figures (evals/fit_reader.py)"
    )
    p.add_argument("fit_args", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_fit_reader)

    p = sub.add_parser("eval", help="run the evaluation suite (same as `pytest evals/`)")
    p.add_argument("pytest_args", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_eval)
    return parser


# Commands whose options belong to another program (the fit script, pytest): passed on as given, since
# argparse's REMAINDER would read a leading "--quick" or "-k" as an option of its own.
PASS_THROUGH = {"fit-reader": "fit_args", "eval": "pytest_args"}


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    if words and words[0] in PASS_THROUGH:
        args = build_parser().parse_args(words[:1])
        setattr(args, PASS_THROUGH[words[0]], words[1:])
    else:
        args = build_parser().parse_args(words)
    try:
        return int(args.func(args))
    except AssistantError as exc:
        print(f"Feil: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
