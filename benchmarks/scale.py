"""How ingest and retrieval grow with the index: the bundled corpus alone, then with 100 and 500 synthetic responses.

Measured in a subprocess (its peak memory is its own) on a fresh temporary ASSISTANT_HOME with an empty
embedding cache, so every passage and sentence is really embedded, once. By default one index grows:
the bundled corpus, then each size's new responses added to the previous size's index, so the rows show
the seconds per added page at each size (linear growth = constant) and the largest size costs one ingest
of it, not the sum of all sizes; ``--fresh`` instead builds each size from nothing in its own process.
Retrieval is timed over a fixed list of questions with a fresh question embedding each time (the
question's vector is dropped from the in-memory and the SQLite cache before every call).
Targets: retrieval p95 with 500 responses ≤ 2× p95 on the bundled corpus; ingest time linear in pages.

Run: ``python benchmarks/scale.py [--sizes 0,100,500] [--repeat 5] [--seed 1] [--threads 1] [--json FILE]``
Each step's row goes to stderr as soon as it is measured; the 500 step embeds some 35 000 texts.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate_responses
from common import QUESTIONS, pct

from assistant.api import Assistant

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "data" / "corpus"


def du_bytes(folder: Path) -> int:
    """Bytes on disk (allocated blocks, as ``du``), not apparent sizes."""
    total = 0
    for root, _, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
            except FileNotFoundError:
                continue
    return total


def progress_logger(label: str) -> Any:
    """A line on stderr every 10% of a stage, with the time since the start."""
    started = time.perf_counter()
    last: dict[str, int] = {}

    def progress(stage: str, done: int, total: int) -> None:
        step = max(1, total // 10)
        if done == total or done // step != last.get(stage, -1):
            last[stage] = done // step
            print(
                f"[{label} {time.perf_counter() - started:7.1f} s] {stage} {done}/{total}",
                file=sys.stderr,
                flush=True,
            )

    return progress


def retrieval_times(assistant: Assistant, repeat: int) -> list[float]:
    assistant.retrieve("oppvarming")  # loads BM25 and Chroma
    times: list[float] = []
    for _ in range(repeat):
        for question in QUESTIONS:
            assistant.embeddings.forget_queries()
            t = time.perf_counter()
            assistant.retrieve(question, k=10)
            times.append(time.perf_counter() - t)
    return times


def measure_step(assistant: Assistant, size: int, paths: list[str | Path], repeat: int) -> dict[str, Any]:
    """Ingest ``paths`` into the open index, then time retrieval over everything indexed so far."""
    load_before = os.getloadavg()[0]
    home = assistant.settings.home
    docs_before = {d.source: d for d in assistant.documents()}
    started = time.perf_counter()
    report = assistant.ingest(paths, progress=progress_logger(f"size {size}"))
    wall = time.perf_counter() - started
    if report.failed:
        raise SystemExit(f"ingest failed: {[f.to_dict() for f in report.failed]}")
    docs = assistant.documents()
    added = [d for d in docs if d.source not in docs_before]
    return {
        "size": size,
        "documents": len(docs),
        "hearing_on_form": sum(1 for r in assistant.hearing_responses() if r.on_form),
        "pages": sum(d.pages for d in docs),
        "passages": sum(d.passages for d in docs),
        "added_documents": len(added),
        "added_pages": sum(d.pages for d in added),
        "added_passages": sum(d.passages for d in added),
        "embedded_texts": report.embedded_texts,
        "ingest_seconds": report.total_seconds,
        "ingest_wall_seconds": wall,
        "embedding_seconds": report.embedding_seconds,
        "retrieve_seconds": retrieval_times(assistant, repeat),
        "index_bytes": du_bytes(home),
        "chroma_bytes": du_bytes(home / "chroma"),
        "cache_bytes": du_bytes(home) - du_bytes(home / "chroma") - du_bytes(home / "bm25"),
        "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
        "omp_threads": os.environ.get("OMP_NUM_THREADS", ""),
    }


def child_fresh(size: int, root: Path, repeat: int) -> None:
    """One size on its own fresh index: the bundled corpus and the first ``size`` responses in one ingest."""
    with tempfile.TemporaryDirectory(prefix=f"scale-{size}-") as tmp:
        assistant = Assistant.open(home=Path(tmp), chroma_url=None, embeddings="e5-small", llm=None)
        paths: list[str | Path] = [CORPUS, *([root / f"upto{size}"] if size else [])]
        print(json.dumps(measure_step(assistant, size, paths, repeat)), flush=True)
        assistant.embeddings.close()


def child_incremental(sizes: list[int], root: Path, repeat: int) -> None:
    """One index: the bundled corpus, then each size's new responses added on top (each embedded once)."""
    with tempfile.TemporaryDirectory(prefix="scale-") as tmp:
        assistant = Assistant.open(home=Path(tmp), chroma_url=None, embeddings="e5-small", llm=None)
        previous = 0
        for size in sizes:
            paths: list[str | Path] = [root / f"from{previous}to{size}"] if size else [CORPUS]
            print(json.dumps(measure_step(assistant, size, paths, repeat)), flush=True)
            previous = size
        assistant.embeddings.close()


def subset(all_dir: Path, responses: list[generate_responses.Response], lo: int, hi: int, out: Path) -> Path:
    """A folder with responses ``lo``..``hi`` and their manifest (the first N of a run are a run of N)."""
    out.mkdir(parents=True, exist_ok=True)
    for response in responses[lo:hi]:
        shutil.copy2(all_dir / response.file, out / response.file)
    generate_responses.write_manifest(out, responses[lo:hi])
    return out


def run_children(
    sizes: list[int], root: Path, repeat: int, fresh: bool, threads: int | None, json_out: Path | None
) -> list[dict[str, Any]]:
    """The measuring runs as subprocesses (peak memory of their own); rows on stderr as they come."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    if threads:
        env["OMP_NUM_THREADS"] = str(threads)
    script = str(Path(__file__).resolve())
    batches = [[size] for size in sizes] if fresh else [sizes]
    results: list[dict[str, Any]] = []
    for batch in batches:
        cmd = [sys.executable, script, "--child", ",".join(map(str, batch)), "--root", str(root)]
        cmd += ["--repeat", str(repeat)] + (["--fresh"] if fresh else [])
        with subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env) as proc:
            assert proc.stdout is not None
            for line in proc.stdout:
                results.append(json.loads(line))
                print(table(results).splitlines()[-1], file=sys.stderr, flush=True)
                if json_out:
                    json_out.write_text(json.dumps(results, indent=1), encoding="utf-8")
        if proc.returncode:
            raise SystemExit(f"the run for sizes {batch} failed (exit {proc.returncode})")
    return results


def table(results: list[dict[str, Any]]) -> str:
    """One row per size; the ingest columns are for the documents that size's step added."""
    head = (
        "| index | docs | pages | passages | pages added | texts embedded | ingest s | embedding s | other s"
        " | pages/s | passages/s | s/page | index MiB (chroma / cache) | peak RSS MiB | retrieve p50 ms"
        " | retrieve p95 ms |"
    )
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    mib = 1024 * 1024
    for r in results:
        total, embed = r["ingest_seconds"], r["embedding_seconds"]
        name = "bundled" if r["size"] == 0 else f"bundled + {r['size']}"
        lines.append(
            f"| {name} | {r['documents']} | {r['pages']} | {r['passages']} | {r['added_pages']}"
            f" | {r['embedded_texts']} | {total:.0f} | {embed:.0f} | {total - embed:.0f}"
            f" | {r['added_pages'] / total:.3f} | {r['added_passages'] / total:.3f}"
            f" | {total / r['added_pages']:.1f}"
            f" | {r['index_bytes'] / mib:.0f} ({r['chroma_bytes'] / mib:.0f} / {r['cache_bytes'] / mib:.0f})"
            f" | {r['peak_rss_kib'] / 1024:.0f} | {statistics.median(r['retrieve_seconds']) * 1000:.0f}"
            f" | {pct(r['retrieve_seconds'], 0.95) * 1000:.0f} |"
        )
    return "\n".join(lines)


def summary(results: list[dict[str, Any]], fresh: bool) -> str:
    """The two targets: retrieval p95 against the bundled corpus's, and ingest seconds per added page."""
    base = next((r for r in results if r["size"] == 0), None)
    if base is None:
        return ""
    out = []
    base_p95 = pct(base["retrieve_seconds"], 0.95)
    for r in results:
        if r is base:
            continue
        ratio = pct(r["retrieve_seconds"], 0.95) / base_p95
        if fresh:  # each size ingested everything: compare what the synthetic pages added
            pages = r["pages"] - base["pages"]
            per_page = (r["ingest_seconds"] - base["ingest_seconds"]) / pages
            other = (r["ingest_seconds"] - r["embedding_seconds"]) - (
                base["ingest_seconds"] - base["embedding_seconds"]
            )
            other /= pages
        else:
            pages = r["added_pages"]
            per_page = r["ingest_seconds"] / pages
            other = (r["ingest_seconds"] - r["embedding_seconds"]) / pages
        out.append(
            f"- bundled + {r['size']}: retrieve p95 / bundled p95 = {ratio:.2f} (target ≤ 2);"
            f" {pages} synthetic pages ingested at {per_page:.2f} s/page ({other:.3f} s/page besides embedding);"
            f" {r['hearing_on_form']} documents read as on the hearing form"
        )
    loads = ", ".join(f"{r['load_before']:.1f}→{r['load_after']:.1f}" for r in results)
    out.append(
        f"- bundled: {base['ingest_seconds'] / base['pages']:.2f} s/page. Load average (1 min) before→after each"
        f" step: {loads}; OMP_NUM_THREADS={base['omp_threads'] or '(unset)'}"
    )
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="0,100,500", help="synthetic responses per step, comma-separated")
    parser.add_argument("--repeat", type=int, default=5, help="passes over the questions")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="a fresh index per size with everything ingested at once (default: one index, each size's"
        " new responses added to the previous size's; every text is embedded once either way)",
    )
    parser.add_argument("--threads", type=int, help="OMP_NUM_THREADS for the embedding engine")
    parser.add_argument("--json", type=Path, help="also write the raw results here (after every step)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = sorted({int(s) for s in (args.child or args.sizes).split(",") if s.strip()})
    if not sizes or sizes[0] < 0:
        parser.error("sizes are whole numbers ≥ 0")
    if args.child is not None:
        if args.fresh:
            child_fresh(sizes[0], args.root, args.repeat)
        else:
            child_incremental(sizes, args.root, args.repeat)
        return 0
    if sizes[0] != 0:
        sizes.insert(0, 0)  # the bundled corpus is every run's baseline

    with tempfile.TemporaryDirectory(prefix="scale-synthetic-") as tmp:
        root = Path(tmp)
        responses: list[generate_responses.Response] = []
        if sizes[-1] > 0:
            started = time.perf_counter()
            written = generate_responses.generate(root / "all", sizes[-1], args.seed)
            responses = [r for r, _ in written]
            print(
                f"generated {len(written)} responses, {sum(p for _, p in written)} pages, in"
                f" {time.perf_counter() - started:.0f} s",
                file=sys.stderr,
                flush=True,
            )
        for previous, size in itertools.pairwise(sizes):
            if args.fresh:
                subset(root / "all", responses, 0, size, root / f"upto{size}")
            else:
                subset(root / "all", responses, previous, size, root / f"from{previous}to{size}")
        results = run_children(sizes, root, args.repeat, args.fresh, args.threads, args.json)
    mode = "a fresh index per size" if args.fresh else "one index, each step adding responses"
    print(
        f"## Scale ({mode}; {len(QUESTIONS)} questions × {args.repeat}, k=10; {time.strftime('%Y-%m-%d')})\n"
    )
    print(table(results))
    print()
    print(summary(results, args.fresh))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
