"""Turn one evaluation run into evals/report.json, evals/report.md and the summary printed after pytest."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.settings import Settings
from evals.dataset import CATEGORIES
from evals.metrics import GROUPS, THRESHOLDS, Threshold, by_group, group_rows, summarise

SNIPPET = 100  # characters of a retrieved passage shown in report.md
JSON_TEXT = 300  # characters of passage text kept in report.json
ANSWER_CHARS = 1500
COLUMNS = (
    ("hit@1", "hit@1"),
    ("hit@5", "hit@5"),
    ("mrr@10", "MRR@10"),
    ("ndcg@10", "nDCG@10"),
    ("quote_coverage@10", "quotes@10"),
    ("fact_recall", "facts"),
    ("citation_precision", "cit. precision"),
    ("citation_validity", "cit. validity"),
    ("abstention_accuracy", "abstained ok"),
    ("false_abstention", "false abst."),
)


@dataclass
class EvalRun:
    """One session's results: raw records (what was retrieved and answered), scored rows, the report."""

    records: list[dict[str, Any]]
    rows: list[dict[str, Any]]
    report: dict[str, Any]


def failing_ids(threshold: Threshold, rows: Sequence[dict[str, Any]]) -> list[str]:
    """Questions that pull the metric away from perfect (below 1 for "≥" metrics, above 0 for "≤")."""
    out = []
    for row in group_rows(rows, threshold.group):
        value = row.get(threshold.metric)
        if value is None:
            continue
        if (threshold.op == ">=" and value < 1.0) or (threshold.op == "<=" and value > 0.0):
            out.append(row["id"])
    return out


def evaluate_thresholds(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for t in THRESHOLDS:
        members = [r for r in group_rows(rows, t.group) if r.get(t.metric) is not None]
        observed = summarise(members)[t.metric]
        out.append(
            {
                "name": t.name,
                "metric": t.metric,
                "group": t.group,
                "op": t.op,
                "value": t.value,
                "n": len(members),
                "observed": observed,
                "passed": t.passes(observed),
                "failing": failing_ids(t, rows),
            }
        )
    return out


def build(
    records: Sequence[dict[str, Any]],
    rows: Sequence[dict[str, Any]],
    settings: Settings,
    seconds: float,
    total: int | None = None,
) -> dict[str, Any]:
    """Everything the report files and the threshold tests need, as plain JSON-ready data."""
    modes = Counter(r["answer"]["mode"] or "error" for r in records)
    results = []
    for record, row in zip(records, rows, strict=True):
        slim = dict(record)
        slim["retrieved"] = [dict(p, text=p["text"][:JSON_TEXT]) for p in record["retrieved"]]
        answer = dict(record["answer"])
        answer["citations"] = [
            dict(c, passage_text=c["passage_text"][:JSON_TEXT]) for c in record["answer"]["citations"]
        ]
        slim["answer"] = answer
        slim["metrics"] = {k: v for k, v in row.items() if k not in ("id", "category", "lang")}
        results.append(slim)
    groups = {name: summarise(group_rows(rows, name)) for name in GROUPS}
    categories = by_group(rows, lambda r: r["category"])
    return {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "settings": {
            "llm": settings.llm,
            "embeddings": settings.embeddings,
            "dense_weight": settings.dense_weight,
            "lexical_weight": settings.lexical_weight,
            "rrf_k": settings.rrf_k,
            "candidates": settings.candidates,
            "chunk_target_words": settings.chunk_target_words,
            "chunk_max_words": settings.chunk_max_words,
        },
        "answer_modes": dict(modes),
        "questions": len(rows),
        "total_questions": len(rows) if total is None else total,
        "seconds": round(seconds, 1),
        "mean_answer_seconds": round(sum(r["seconds"] for r in records) / max(1, len(records)), 3),
        "thresholds": evaluate_thresholds(rows),
        "overall": summarise(rows),
        "groups": groups,
        "categories": {c: categories[c] for c in _ordered(categories)},
        "failing": [row["id"] for row in rows if row["problems"]],
        "results": results,
    }


def _ordered(names: Any) -> list[str]:
    known = [c for c in CATEGORIES if c in names]
    return known + sorted(set(names) - set(known))


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _threshold_table(report: dict[str, Any]) -> list[str]:
    lines = [
        "| requirement | questions | observed | threshold | result |",
        "|---|---:|---:|---:|---|",
    ]
    for t in report["thresholds"]:
        op = "≥" if t["op"] == ">=" else "≤"
        lines.append(
            f"| {t['name']} | {t['n']} | {_fmt(t['observed'])} | {op} {t['value']:.2f} | "
            f"{'PASS' if t['passed'] else 'FAIL'} |"
        )
    return lines


def _metric_table(first: str, named: dict[str, dict[str, float | None]]) -> list[str]:
    header = f"| {first} | n | " + " | ".join(label for _, label in COLUMNS) + " |"
    lines = [header, "|---|---:|" + "---:|" * len(COLUMNS)]
    for name, metrics in named.items():
        cells = " | ".join(_fmt(metrics.get(key)) for key, _ in COLUMNS)
        lines.append(f"| {name} | {int(metrics['n'] or 0)} | {cells} |")
    return lines


def _partial(report: dict[str, Any]) -> str:
    total = report.get("total_questions", report["questions"])
    if report["questions"] == total:
        return ""
    return f"PARTIAL RUN: {report['questions']} of {total} questions (thresholds are not meaningful). "


def summary_lines(report: dict[str, Any]) -> list[str]:
    """What is printed at the end of the pytest output."""
    mode = report["settings"]["llm"] or "extractive"
    modes = ", ".join(f"{k}: {v}" for k, v in sorted(report["answer_modes"].items()))
    lines = [
        f"{_partial(report)}{report['questions']} questions, answerer {mode} ({modes}), "
        f"embeddings {report['settings']['embeddings']}, {report['seconds']:.0f} s",
        *_threshold_table(report),
        "",
        *_metric_table("group", {"all": report["overall"], **report["groups"]}),
    ]
    failing = report["failing"]
    lines.append("")
    lines.append(f"{len(failing)} question(s) with problems" + (": " + ", ".join(failing) if failing else ""))
    return lines


def render_markdown(report: dict[str, Any]) -> str:
    mode = report["settings"]["llm"] or "extractive"
    out = [
        "# Evaluation report",
        "",
        f"{_partial(report)}Generated {report['generated']} · {report['questions']} questions · "
        f"answerer `{mode}` "
        f"(answers by mode: {', '.join(f'{k} {v}' for k, v in sorted(report['answer_modes'].items()))}) · "
        f"embeddings `{report['settings']['embeddings']}` · run {report['seconds']:.0f} s, "
        f"{report['mean_answer_seconds']:.2f} s per answer.",
        "",
        "## Summary",
        "",
        *_threshold_table(report),
        "",
        *_metric_table("group", {"all": report["overall"], **report["groups"]}),
        "",
        "## Per category",
        "",
        *_metric_table("category", report["categories"]),
        "",
        "Retrieval metrics and fact recall apply to answerable questions, `abstained ok` to unanswerable "
        "ones (category `utenfor`). `quotes@10` is the share of a question's gold quotes in the top 10.",
        "",
        f"## Questions with problems ({len(report['failing'])})",
        "",
    ]
    failing = set(report["failing"])
    if failing:
        out += ["| question | category | problems |", "|---|---|---|"]
        for result in report["results"]:
            if result["id"] in failing:
                problems = "; ".join(result["metrics"]["problems"]).replace("|", "\\|")
                out.append(f"| {result['id']} | {result['category']} | {problems} |")
        out.append("")
    for result in report["results"]:
        if result["id"] in failing:
            out.extend(_question_section(result))
    if not failing:
        out.append("None.")
    return "\n".join(out).rstrip() + "\n"


def _one_line(text: str, limit: int) -> str:
    flat = " ".join(text.split()).replace("|", "\\|")
    return flat if len(flat) <= limit else flat[:limit] + "…"


def _question_section(result: dict[str, Any]) -> list[str]:
    metrics = result["metrics"]
    out = [f"### {result['id']} ({result['category']})", "", f"**Question:** {result['question']}"]
    if result["history"]:
        out.append(f"  \n**History:** {' / '.join(result['history'])}")
    if result["standalone_question"] != result["question"]:
        out.append(f"  \n**Standalone question used for retrieval:** {result['standalone_question']}")
    out.append("")
    out.extend(f"- ✗ {p}" for p in metrics["problems"])
    out.extend(f"- · {n}" for n in metrics.get("notes", []))
    if result["gold"]:
        out.append("")
        out.append("Gold: " + "; ".join(f"{g['source']}: «{g['quote']}»" for g in result["gold"]))
        out.append(f"(gold passages in the index: {result['n_relevant']})")
    out += ["", "Retrieved (top 5):", "", "| # | gold | source | page | text |", "|---:|---|---|---:|---|"]
    for p in result["retrieved"][:5]:
        mark = "✓" if p["relevant"] else ""
        out.append(
            f"| {p['rank']} | {mark} | {p['source']} | {p['page']} | {_one_line(p['text'], SNIPPET)} |"
        )
    answer = result["answer"]
    state = "abstained" if answer["abstained"] else "answered"
    out += ["", f"Answer ({answer['mode'] or 'error'}, {state}):", ""]
    text = answer["text"] if len(answer["text"]) <= ANSWER_CHARS else answer["text"][:ANSWER_CHARS] + "…"
    out.extend("> " + line for line in (text.strip() or "(empty)").splitlines())
    for c in answer["citations"]:
        mark = "✓" if c["precise"] else "✗"
        out.append(f"- [{c['n']}] {mark} {c['source']} p. {c['page']} — {c['section']}")
    out.append("")
    return out


def write(report: dict[str, Any], folder: Path) -> list[Path]:
    json_path = folder / "report.json"
    md_path = folder / "report.md"
    json_path.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    md_path.write_text(render_markdown(report), encoding="utf-8")
    return [md_path, json_path]
